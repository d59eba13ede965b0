"""Where a vault's files live. Every path the core touches comes from here,
so tests can point a whole vault at a throwaway folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME_ENV = "VAULTSCRIBE_HOME"


def default_vault_dir(environ: dict[str, str] | None = None) -> Path:
    """The platform's user data dir, unless ``VAULTSCRIBE_HOME`` overrides it."""
    env = os.environ if environ is None else environ
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("VaultScribe", appauthor=False))


@dataclass(frozen=True)
class VaultPaths:
    root: Path

    @property
    def header(self) -> Path:
        return self.root / "vault.header"

    @property
    def escrow(self) -> Path:
        """The recovery code sealed to the policy's escrow key (core.security.escrow); opens only with IT's key."""
        return self.root / "escrow.json"

    @property
    def escrow_pending(self) -> Path:
        """The escrow of a new recovery code, until the header that accepts that code is written."""
        return self.root / "escrow.next.json"

    @property
    def preauth_log(self) -> Path:
        """Events from before unlock (failed attempts); content-free by design."""
        return self.root / "preauth.jsonl"

    @property
    def lock(self) -> Path:
        """Held (an OS file lock) by the one process that has the vault open; never removed (core.vault.lock)."""
        return self.root / "vault.lock"

    @property
    def config(self) -> Path:
        return self.root / "config.toml"

    @property
    def blobs(self) -> Path:
        """Encrypted audio chunks, under random names."""
        return self.root / "blobs"

    @property
    def tmp(self) -> Path:
        """The private temp dir: wiped after every job, never shared with /tmp."""
        return self.root / "tmp"

    def db(self, name: str) -> Path:
        return self.root / name

    def ensure(self) -> None:
        for path in (self.root, self.blobs, self.tmp):
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(path, 0o700)
