"""Recordings' audio through the session: sealed blobs, reading back, crypto-shredding, orphans."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core import errors
from core.audio.blobs import BlobReader
from core.types import Recording, RecordingId, Transcript, TranscriptId
from tests.core.helpers import audit_events
from tests.session.test_session import Vault, make_vault
from tests.vault_access import vault_context, vault_query


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path)


def store(vault: Vault, rid: str, pcm: bytes, original: bytes) -> tuple[bytes, dict[str, str]]:
    session = vault.session
    key = session.audio.new_recording_key()
    names = {}
    for role, data in (("original", original), ("audio", pcm)):
        with session.audio.open_blob_writer(RecordingId(rid), key, chunk_size=1000) as writer:
            writer.write(data)
        names[role] = writer.path.name
    session.recordings.add_recording(
        Recording(RecordingId(rid), "interview", 1),
        audio_key=key,
        original_blob=names["original"],
        audio_blob=names["audio"],
    )
    return key, names


def test_blobs_read_back_through_the_session(vault: Vault) -> None:
    pcm, original = os.urandom(5000), os.urandom(3333)
    store(vault, "r1", pcm, original)
    with vault.session.audio.open_blob(RecordingId("r1")) as reader:
        assert reader.read_at(0, reader.size) == pcm
    with vault.session.audio.open_blob(RecordingId("r1"), "original") as reader:
        assert reader.read() == original
    with pytest.raises(errors.BadInput):
        vault.session.audio.open_blob(RecordingId("nope"))


def test_delete_shreds_the_key_then_the_files(vault: Vault) -> None:
    key, names = store(vault, "r1", os.urandom(5000), os.urandom(100))
    session = vault.session
    session.transcripts.save_transcript(
        Transcript(TranscriptId("t1"), RecordingId("r1"), 1, "e", "m", "shredded words")
    )
    sealed = vault_query(session, "SELECT audio_key_wrapped FROM recordings WHERE id = 'r1'")[0][0]
    kept_copy = (vault.paths.blobs / names["audio"]).read_bytes()

    session.recordings.delete_recording(RecordingId("r1"))

    assert session.recordings.all() == []
    assert session.transcripts.search("shredded") == []
    assert not any((vault.paths.blobs / n).exists() for n in names.values())
    # the wrapped key is gone from every file of the database, WAL included
    for path in vault.root.glob("vault-*.db*"):
        assert sealed not in path.read_bytes(), path.name
    kinds = [e.kind for e in vault_context(session).audit_log.events(vault_context(session).require_db().conn)]
    assert kinds[-1] == "recording.delete"
    # a copy of the blob made before is useless: only the shredded key opened it
    (vault.paths.blobs / "copy.vsb").write_bytes(kept_copy)
    with pytest.raises(errors.VaultCorrupt):
        BlobReader(vault.paths.blobs / "copy.vsb", os.urandom(32), recording_id="r1")
    with pytest.raises(errors.BadInput):
        session.recordings.delete_recording(RecordingId("r1"))
    del key


def test_the_check_after_unlock_removes_blobs_no_recording_points_at(vault: Vault) -> None:
    _, names = store(vault, "r1", os.urandom(2000), os.urandom(10))
    with vault.session.audio.open_blob_writer(RecordingId("dead"), os.urandom(32)) as writer:
        writer.write(b"an import that died before its row was committed")
    orphan = writer.path
    vault.session.check_integrity()
    assert orphan.exists()  # made by this unlock: perhaps an import still under way, never swept
    vault.session.lock()
    vault.unlock()
    assert orphan.exists()  # unlock reads no recording's names: it takes the same time at any size
    in_flight = vault.session.audio.open_blob_writer(RecordingId("going"), os.urandom(32))
    in_flight.write(b"an import of this unlock, its row not yet committed")
    vault.session.check_integrity()
    assert not orphan.exists()
    assert in_flight.path.exists()
    in_flight.abort()
    assert all((vault.paths.blobs / n).exists() for n in names.values())
    (event,) = [e for e in audit_events(vault.session) if e["kind"] == "vault.integrity_check"][-1:]
    assert event["detail"] == {"orphan_blobs_removed": 1}


def test_a_missing_blob_file_is_a_clear_error(vault: Vault) -> None:
    _, names = store(vault, "r1", os.urandom(2000), os.urandom(10))
    (vault.paths.blobs / names["audio"]).unlink()
    with pytest.raises(errors.VaultCorrupt, match="missing"):
        vault.session.audio.open_blob(RecordingId("r1"))
