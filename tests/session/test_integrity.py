"""Opening a vault never creates a database over it, and the whole-file integrity check runs after
unlock, not in it: the Session with a real SQLCipher file (fakes for the keyring and the clock).

The same refusal through the command line: tests/core/test_cli.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core import errors
from core.progress import CancelToken
from core.types import Recording, RecordingId, Transcript, TranscriptId
from core.vault import records
from tests.core.helpers import PASSPHRASE, audit_events
from tests.session.test_session import Vault, make_vault
from tests.vault_access import in_transaction, vault_query


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path)


def database(vault: Vault) -> Path:
    return vault.paths.db(vault.header.db_file)


@pytest.mark.parametrize("how", ["zero-length", "missing"])
def test_unlock_refuses_a_lost_database_and_creates_nothing(vault: Vault, how: str) -> None:
    vault.session.lock()
    db = database(vault)
    header = vault.paths.header.read_bytes()
    if how == "missing":
        for extra in db.parent.glob(db.name + "-*"):
            extra.unlink()
        db.unlink()
    else:
        db.write_bytes(b"")
    vault.next_step()
    with pytest.raises(errors.VaultCorrupt) as info:
        vault.session.unlock(PASSPHRASE, vault.code())
    message = str(info.value)
    assert type(info.value) is errors.VaultCorrupt  # not the opaque AuthFailed: the factors were right
    assert str(db) in message and "restore the vault from a backup" in message
    assert not vault.session.is_unlocked
    # nothing was made in its place, and the try does not count towards the lockout
    assert (db.read_bytes() == b"") if how == "zero-length" else not db.exists()
    assert sorted(p.name for p in vault.root.glob("vault-*")) == ([db.name] if how == "zero-length" else [])
    assert vault.paths.header.read_bytes() == header
    assert vault.session.status().failed_attempts == 0


def test_unlock_does_not_read_the_whole_file_and_the_check_after_it_does(vault: Vault) -> None:
    session = vault.session

    def many(conn: Any) -> None:  # rows as bench/vault.py writes them: fast, no blobs
        for i in range(40):
            rid, tid = RecordingId(f"r{i}"), TranscriptId(f"t{i}")
            records.add_recording(conn, Recording(rid, f"title {i}", i))
            records.save_transcript(conn, Transcript(tid, rid, i, "e", "m", f"words {i} " * 400))

    in_transaction(session, many)
    ((root,),) = vault_query(session, "SELECT rootpage FROM sqlite_master WHERE name = 'transcripts'")
    session.lock()
    db = database(vault)
    data = bytearray(db.read_bytes())
    data[(root - 1) * 4096 + 2000] ^= 0x01  # one bit of the transcripts table, which unlock never reads
    db.write_bytes(bytes(data))

    vault.unlock()  # opens at the same cost at any size: no whole-file check on the way in
    assert session.is_unlocked
    with pytest.raises(errors.VaultCorrupt) as info:
        session.check_integrity()
    assert db.name in str(info.value) and "from a backup" in str(info.value)
    (event,) = [e for e in audit_events(session) if e["kind"] == "vault.integrity_check"]
    assert (event["outcome"], event["detail"]) == ("failure", {"reason": "damaged"})


def test_a_sound_vault_passes_the_check_and_it_is_audited(vault: Vault) -> None:
    vault.session.check_integrity()
    assert [e["outcome"] for e in audit_events(vault.session) if e["kind"] == "vault.integrity_check"] == ["success"]
    token = CancelToken()
    token.cancel()
    with pytest.raises(errors.Cancelled):
        vault.session.check_integrity(cancel=token)
    assert len([e for e in audit_events(vault.session) if e["kind"] == "vault.integrity_check"]) == 1


def test_the_check_needs_an_unlocked_vault(vault: Vault) -> None:
    vault.session.lock()
    with pytest.raises(errors.VaultLocked):
        vault.session.check_integrity()
