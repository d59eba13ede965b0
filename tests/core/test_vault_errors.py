"""Issue 22, low: vault errors that left the user stuck.

- a damaged header made the recovery code useless: recovery now falls back on a copy of the header
  (``vault.header.copy``, written with it and checked by the same MAC), and rewrites both;
- a missing or foreign keyring item gave the generic error with no hint that the recovery code still
  works: the error stays opaque (the same words for every cause) but says so.
"""

from __future__ import annotations

import os

from core.paths import VaultPaths
from core.security.keystore import KeyringKeystore
from tests.core import test_cli
from tests.core.test_cli import PASS, Cli

vs = test_cli.vs
_keep_pytests_core_limit = test_cli._keep_pytests_core_limit
NEW_PASS = "another horse battery staple"


def status(vs: Cli, passphrase: str = PASS) -> tuple[int, str]:
    rc, _, err = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=passphrase + "\n")
    return rc, err


def test_a_damaged_header_still_opens_with_the_recovery_code_and_is_repaired(vs: Cli) -> None:
    paths = VaultPaths(vs.vault)
    good = paths.header.read_bytes()
    assert paths.header_copy.read_bytes() == good
    paths.header.write_bytes(good[: len(good) // 2])  # a disk error, a bad edit
    rc, data, err = vs("recover", "--recovery-stdin", "--json", stdin=f"{vs.recovery}\n{NEW_PASS}\n")  # type: ignore[attr-defined]
    assert rc == 0, err
    assert paths.header.read_bytes() == paths.header_copy.read_bytes() != good  # rewritten, both
    vs.totp = test_cli.secret_of(data["totp_uri"])
    assert status(vs, NEW_PASS)[0] == 0


def test_a_damaged_header_does_not_unlock_with_the_passphrase_but_says_the_recovery_code_works(vs: Cli) -> None:
    VaultPaths(vs.vault).header.write_bytes(os.urandom(300))
    rc, err = status(vs)
    assert rc == 3 and "the recovery code still opens the vault" in err


def test_a_vault_from_before_the_copy_gets_one_at_its_next_unlock(vs: Cli) -> None:
    paths = VaultPaths(vs.vault)
    paths.header_copy.unlink()
    assert status(vs)[0] == 0
    assert paths.header_copy.read_bytes() == paths.header.read_bytes()


def test_both_copies_damaged_is_still_the_opaque_failure(vs: Cli) -> None:
    paths = VaultPaths(vs.vault)
    for path in (paths.header, paths.header_copy):
        path.write_bytes(os.urandom(300))
    rc, err = status(vs)
    assert rc == 3 and err.startswith("vaultscribe: Could not unlock the vault")


def test_a_missing_keyring_item_says_the_recovery_code_still_works_without_saying_why(vs: Cli) -> None:
    rc_wrong, err_wrong = status(vs, "not the passphrase at all")
    vs.clock.advance(60)  # past the back-off of that failure
    header = VaultPaths(vs.vault).header.read_text()
    vault_id = header.split('"vault_id": "')[1].split('"')[0]
    KeyringKeystore().delete(vault_id)
    rc_missing, err_missing = status(vs)
    assert rc_wrong == rc_missing == 3
    assert err_wrong == err_missing  # opaque: the same words whatever the cause
    assert "recovery code" in err_missing and "vaultscribe recover" in err_missing
