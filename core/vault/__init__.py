"""The encrypted vault: one SQLCipher 4 database keyed with a raw 256-bit key."""
