"""Restoring a backup under the account that still uses the vault it was made from (issue 22, item 2).

The attack: the keyring item is named by the vault's id, and a restored copy had the same id, so
the restore wrote its new device secret over the live vault's. The live vault then refused its own
passphrase; only its original recovery code opened it, which the restore had just called spent.

Now a restored copy gets an identity of its own (a new vault id, a new keyring item, every keyslot
rebuilt for it), and what the restore prints about recovery codes is checked here to be true.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.security.header import Header
from tests.core.test_cli import PASS, Cli, _keep_pytests_core_limit, secret_of, vs  # noqa: F401  (fixtures)

pytestmark = pytest.mark.real_keyring

NEW_PASS = "the restored copy's own passphrase"


def test_restore_beside_the_live_vault_leaves_it_opening_with_its_passphrase(vs: Cli, tmp_path: Path) -> None:  # noqa: F811
    backup = tmp_path / "vault.vsbak"
    rc, _, err = vs("backup", "--out", str(backup), "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0, err
    live_id = Header.from_bytes((vs.vault / "vault.header").read_bytes()).vault_id
    original_code: str = vs.recovery  # type: ignore[attr-defined]
    told = Cli(tmp_path / "restored-first")
    told.clock = vs.clock  # one account, one clock
    rc, text, err = told("restore", str(backup), "--recovery-stdin", stdin=f"{original_code}\n{NEW_PASS}\n")
    assert rc == 0, err
    rc, _, err = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0, f"the live vault still opens with its passphrase: {err}"
    assert "a vault of its own" in text and "still opens the backup" in text
    copy = Cli(tmp_path / "restored")
    copy.clock = vs.clock
    rc, data, err = copy("restore", str(backup), "--recovery-stdin", "--json", stdin=f"{original_code}\n{NEW_PASS}\n")
    assert rc == 0, "what the restore said is true: the code typed still opens the backup"

    # The live vault still opens with its own passphrase, its keyring item untouched.
    rc, state, err = vs("status", "--passphrase-stdin", "--totp", vs.code(), "--json", stdin=PASS + "\n")
    assert rc == 0, err
    assert state["unlocked"] is True

    # Each restored copy is a vault of its own, and opens as the restore said: its new passphrase and
    # authenticator, on this account's keyring.
    ids = {Header.from_bytes((root / "vault.header").read_bytes()).vault_id for root in (told.vault, copy.vault)}
    assert len(ids) == 2 and live_id not in ids
    copy.totp = secret_of(data["totp_uri"])
    rc, state, err = copy("status", "--passphrase-stdin", "--totp", copy.code(), "--json", stdin=NEW_PASS + "\n")
    assert rc == 0, err
    assert state["recordings"] == 0 and state["unlocked"] is True
    rc, events, err = copy("audit", "export", "--passphrase-stdin", "--totp", copy.code(), stdin=NEW_PASS + "\n")
    assert rc == 0, err
    assert f'"restored_from": "{live_id}"' in events

    # Its new recovery code is its own: using it replaces the copy's factors and not the live vault's.
    rc, _, err = copy("recover", "--recovery-stdin", stdin=f"{data['recovery_code']}\nyet another passphrase\n")
    assert rc == 0, err
    rc, _, err = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0, err
