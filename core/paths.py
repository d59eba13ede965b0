"""Where a vault's files live. Every path the core touches comes from here,
so tests can point a whole vault at a throwaway folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core.fsutil import atomic_write

HOME_ENV = "VAULTSCRIBE_HOME"
#: Holds the folder the user chose at first run ("Choose folder…"), in the user config dir: a path, no secret.
LOCATION_FILE_NAME = "vault-location.txt"


def location_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("VaultScribe", appauthor=False)) / LOCATION_FILE_NAME


def default_vault_dir(environ: dict[str, str] | None = None, *, location: Path | None = None) -> Path:
    """``VAULTSCRIBE_HOME``, else the folder chosen at first run (``location``, by default
    ``location_file()``), else the platform's user data dir."""
    env = os.environ if environ is None else environ
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV]).expanduser()
    try:
        chosen = Path((location or location_file()).read_text("utf-8").strip())
    except (FileNotFoundError, UnicodeDecodeError):
        chosen = Path()
    if chosen.is_absolute():
        return chosen
    import platformdirs

    return Path(platformdirs.user_data_dir("VaultScribe", appauthor=False))


def remember_vault_dir(root: Path, *, location: Path | None = None) -> None:
    """Make ``root`` the folder later starts open without ``--vault`` (the set-up's "Choose folder…")."""
    target = location or location_file()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    atomic_write(target, (str(root.resolve()) + "\n").encode("utf-8"))


@dataclass(frozen=True)
class VaultPaths:
    root: Path

    @property
    def header(self) -> Path:
        return self.root / "vault.header"

    @property
    def header_copy(self) -> Path:
        """A second copy of the header (keyslots, recovery slot included), rewritten with it: a damaged
        header does not lock the user out. The same MAC protects it."""
        return self.root / "vault.header.copy"

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
