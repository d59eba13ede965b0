"""Where a vault is looked for: VAULTSCRIBE_HOME, else the folder chosen at first run, else the user data dir;
and a session moves to a chosen folder only before its vault exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import errors
from core.paths import HOME_ENV, default_vault_dir, remember_vault_dir
from tests.core.helpers import PASSPHRASE, make_session


def test_the_chosen_folder_is_used_unless_the_environment_says_otherwise(tmp_path: Path) -> None:
    location = tmp_path / "config" / "vault-location.txt"
    fallback = default_vault_dir({}, location=location)  # nothing chosen: the user data dir
    remember_vault_dir(tmp_path / "chosen", location=location)
    assert default_vault_dir({}, location=location) == (tmp_path / "chosen").resolve()
    assert default_vault_dir({HOME_ENV: str(tmp_path / "env")}, location=location) == tmp_path / "env"
    assert location.stat().st_mode & 0o777 == 0o600
    location.write_text("not/absolute\n")
    assert default_vault_dir({}, location=location) == fallback


def test_a_session_moves_only_before_its_vault_exists(tmp_path: Path) -> None:
    taken = make_session(tmp_path / "taken")
    taken.create(PASSPHRASE)
    session = make_session(tmp_path / "default")
    with pytest.raises(errors.VaultExists, match="already holds a vault"):
        session.move_to(tmp_path / "taken")
    session.move_to(tmp_path / "chosen")
    session.create(PASSPHRASE)
    assert (tmp_path / "chosen" / "vault.header").exists() and not (tmp_path / "default").exists()
    with pytest.raises(errors.UsageError):
        session.move_to(tmp_path / "elsewhere")
