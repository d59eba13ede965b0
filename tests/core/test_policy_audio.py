"""``keep_original_audio_after_redaction = false``: once the redacted copy commits, the imported original
and the 16 kHz PCM are crypto-shredded and their files removed. A real import (PyAV), a real SQLCipher
vault and real encrypted blobs; the detector is the rule detector."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest

from core import errors
from core.audio.blobs import BlobReader
from core.clock import FakeClock
from core.paths import VaultPaths
from core.policy import Policy
from core.progress import CancelToken
from core.redaction.detect import default_detector
from core.security.kdf import TEST_PARAMS
from core.security.keystore import MemoryKeystore
from core.session import Session
from core.types import RecordingId, Segment, Transcript, TranscriptId, Word
from core.vault import records
from tests.core.helpers import PASSPHRASE, SeededRandom, audit_events, code_for
from tests.session.test_review import SEGMENTS, TEXT, WORDS
from tests.vault_access import in_transaction

RATE = 16_000
DISCARD = Policy(keep_original_audio_after_redaction=False, source="test")


def open_session(root: Path, policy: Policy, clock: FakeClock, keystore: MemoryKeystore) -> Session:
    return Session(VaultPaths(root), keystore=keystore, clock=clock, rng=SeededRandom(), kdf_params=TEST_PARAMS,
                   os_user="tester", policy=policy)  # fmt: skip


def wav(path: Path, seconds: float = 8.0) -> Path:
    t = np.arange(int(seconds * RATE)) / RATE
    samples = (0.5 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return path


def imported(session: Session, tmp_path: Path) -> RecordingId:
    """An imported recording (original bytes and 16 kHz PCM) with a transcript and detected PII."""
    rid = RecordingId(session.recordings.import_audio(wav(tmp_path / "interview.wav")).id)
    session.transcripts.save_transcript(
        Transcript(
            TranscriptId("t1"), rid, 1, "nemo", "test/model", TEXT, tuple(Word(*w) for w in WORDS), "en",
            tuple(Segment(*s) for s in SEGMENTS), "cpu",
        )
    )  # fmt: skip
    session.review.detect_pii(rid, default_detector())
    return rid


def blob_names(session: Session, rid: RecordingId) -> dict[str, str]:
    return in_transaction(session, lambda conn: records.blob_names(conn, rid))


def sealed_key(session: Session, rid: RecordingId) -> bytes:
    sealed = in_transaction(session, lambda conn: records.sealed_key(conn, rid))
    assert sealed is not None
    return sealed


def pcm(session: Session, rid: RecordingId, role: str) -> np.ndarray:
    with session.audio.open_blob(rid, role) as reader:
        return np.frombuffer(reader.read(), dtype="<f4")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def keystore() -> MemoryKeystore:
    return MemoryKeystore()


@pytest.fixture
def session(tmp_path: Path, clock: FakeClock, keystore: MemoryKeystore) -> Session:
    session = open_session(tmp_path / "vault", DISCARD, clock, keystore)
    session.create(PASSPHRASE)
    return session


def test_the_originals_are_shredded_and_only_the_redacted_copy_remains(session: Session, tmp_path: Path) -> None:
    rid = imported(session, tmp_path)
    before = blob_names(session, rid)
    assert set(before) == {"original", "audio"}
    old_sealed = sealed_key(session, rid)
    copies = {role: (session.paths.blobs / name).read_bytes() for role, name in before.items()}
    unredacted = pcm(session, rid, "audio")

    session.review.redact_audio(rid)

    after = blob_names(session, rid)
    assert set(after) == {"redacted"} and session.audio.audio_roles(rid) == ("redacted",)
    assert sorted(p.name for p in session.paths.blobs.iterdir()) == [after["redacted"]]
    for name in before.values():
        assert not (session.paths.blobs / name).exists()
    # The recording's key changed: what a copy of the old files holds no longer opens.
    new_sealed = sealed_key(session, rid)
    assert new_sealed != old_sealed
    new_key = bytes(session.keys.open_recording_key(rid, new_sealed))
    for role, data in copies.items():
        stray = tmp_path / f"copy-{role}.vsb"
        stray.write_bytes(data)
        with pytest.raises(errors.VaultCorrupt):
            BlobReader(stray, new_key, recording_id=rid).read()
    redacted = pcm(session, rid, "redacted")
    assert len(redacted) == len(unredacted)
    assert not np.array_equal(redacted, unredacted)  # the phone number and the MRN are masked
    ms = RATE // 1000
    # before the first span (500 ms), its margin (120 ms) and the gap to "Call" (400 ms), which holds
    # this recording's constant tone as if it were speech: the same audio
    assert np.array_equal(redacted[: 250 * ms], unredacted[: 250 * ms])
    events = [e for e in audit_events(session) if e["kind"] == "audio.original_discarded"]
    assert len(events) == 1 and events[0]["object_id"] == rid and events[0]["outcome"] == "success"
    assert events[0]["detail"] == {"blobs": 2, "reason": "policy"}
    assert "interview" not in json.dumps(events[0])


def test_what_needed_the_original_says_it_was_discarded(session: Session, tmp_path: Path) -> None:
    rid = imported(session, tmp_path)
    session.review.redact_audio(rid)
    for attempt in (
        lambda: session.audio.export_original(rid, tmp_path / "out.wav"),
        lambda: session.audio.open_player(rid, role="audio", stream_factory=lambda *a: None),  # type: ignore[arg-type,return-value]
        lambda: session.audio.open_player(rid, role="original", stream_factory=lambda *a: None),  # type: ignore[arg-type,return-value]
        lambda: session.jobs.enqueue_transcription(rid, model_id="test/model"),
        lambda: session.review.redact_audio(rid),
    ):
        with pytest.raises(errors.BadInput, match="discarded after redaction"):
            attempt()
    assert not (tmp_path / "out.wav").exists()
    # The redacted copy still exports as a WAV.
    size = session.review.export_redacted_audio(rid, tmp_path / "redacted.wav")
    with wave.open(str(tmp_path / "redacted.wav"), "rb") as back:
        assert back.getnframes() == 8 * RATE and size > 8 * RATE * 2
    # A span added after the original went cannot be masked: the stale copy is refused, never exported.
    session.review.add_redaction(rid, 0, len("Call"), "NAME")
    with pytest.raises(errors.BadInput, match="cannot be made again"):
        session.review.export_redacted_audio(rid, tmp_path / "stale.wav")
    assert not (tmp_path / "stale.wav").exists()


def test_audio_export_policy_still_applies_to_the_redacted_copy(tmp_path: Path, clock: FakeClock) -> None:
    policy = Policy(keep_original_audio_after_redaction=False, allow_audio_export=False, source="test")
    session = open_session(tmp_path / "vault", policy, clock, MemoryKeystore())
    session.create(PASSPHRASE)
    rid = imported(session, tmp_path)
    session.review.redact_audio(rid)
    with pytest.raises(errors.PolicyDenied):
        session.review.export_redacted_audio(rid, tmp_path / "redacted.wav")


def test_the_redacted_copy_survives_a_restart_and_deletes_like_any_audio(
    session: Session, tmp_path: Path, clock: FakeClock, keystore: MemoryKeystore
) -> None:
    session.lock()
    session = open_session(tmp_path / "vault2", DISCARD, clock, keystore)
    enrolment = session.create(PASSPHRASE)
    session.confirm_totp(code_for(enrolment.totp_secret, clock))
    rid = imported(session, tmp_path)
    session.review.redact_audio(rid)
    redacted = pcm(session, rid, "redacted")
    session.lock()
    clock.advance(31)
    session.unlock(PASSPHRASE, code_for(enrolment.totp_secret, clock))
    session.check_integrity()  # removes orphans; the copy is no orphan
    assert np.array_equal(pcm(session, rid, "redacted"), redacted)
    session.recordings.delete_recording(rid)
    assert list(session.paths.blobs.iterdir()) == []


def test_a_cancelled_redaction_keeps_the_originals(session: Session, tmp_path: Path) -> None:
    rid = imported(session, tmp_path)
    before = blob_names(session, rid)
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(errors.Cancelled):
        session.review.redact_audio(rid, cancel=cancel)
    assert blob_names(session, rid) == before
    assert sorted(p.name for p in session.paths.blobs.iterdir()) == sorted(before.values())
    assert not [e for e in audit_events(session) if e["kind"] == "audio.original_discarded"]


@pytest.mark.parametrize("keep", [True, None])
def test_otherwise_the_originals_are_kept(tmp_path: Path, clock: FakeClock, keep: bool | None) -> None:
    session = open_session(tmp_path / "vault", Policy(keep_original_audio_after_redaction=keep), clock,
                           MemoryKeystore())  # fmt: skip
    session.create(PASSPHRASE)
    rid = imported(session, tmp_path)
    old_sealed = sealed_key(session, rid)
    session.review.redact_audio(rid)
    assert set(blob_names(session, rid)) == {"original", "audio", "redacted"}
    assert sealed_key(session, rid) == old_sealed
    assert not [e for e in audit_events(session) if e["kind"] == "audio.original_discarded"]
