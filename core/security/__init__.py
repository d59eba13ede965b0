"""Keys, keyslots, the OS keyring, TOTP and unlock. Never writes key material to disk unwrapped."""
