"""Model manifest and provisioning (ids, sizes, SHA-256, licences). Never imports Qt."""
