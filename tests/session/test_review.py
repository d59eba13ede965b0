"""Redaction of stored transcripts through the session: detection, review state, exports, redacted audio.

A real SQLCipher vault and real encrypted blobs; the detector is the rule detector (the Presidio one
is the same recognizers, tested in tests/redaction and through the CLI).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core import errors
from core.progress import CancelToken
from core.redaction.audio import TONE_LEVEL
from core.redaction.detect import default_detector
from core.types import RecordingId, Segment, Transcript, TranscriptId, Word
from core.vault import records
from tests.core.helpers import add_pcm_recording, audit_events
from tests.core.test_playback import Outs
from tests.session.test_session import Vault, make_vault
from tests.vault_access import in_transaction

TEXT = "Call Maria Gonzalez at 555-0147 tomorrow. Her MRN is 4471-0923, thanks."
WORDS = (
    ("Call", 0, 400), ("Maria", 500, 900), ("Gonzalez", 1000, 1500), ("at", 1600, 1700),
    ("555-0147", 1800, 3000), ("tomorrow.", 3100, 3600), ("Her", 4000, 4200), ("MRN", 4300, 4700),
    ("is", 4800, 4900), ("4471-0923,", 5000, 6500), ("thanks.", 6600, 7000),
)  # fmt: skip
SEGMENTS = (("Call Maria Gonzalez at 555-0147 tomorrow.", 0, 3600), ("Her MRN is 4471-0923, thanks.", 4000, 7000))
RATE = 16_000


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path)


def spoken(seconds: float = 8.0, *, extra: tuple[tuple[int, int], ...] = ()) -> np.ndarray:
    """A 220 Hz "voice" while each word is spoken (and over ``extra`` stretches, in ms), silence between."""
    t = np.arange(int(seconds * RATE), dtype=np.float64) / RATE
    voice = (0.5 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    samples = np.zeros_like(voice)
    for a, b in [*((w[1], w[2]) for w in WORDS), *extra]:
        samples[a * RATE // 1000 : b * RATE // 1000] = voice[a * RATE // 1000 : b * RATE // 1000]
    return samples


def recorded(vault: Vault, seconds: float = 8.0, *, samples: np.ndarray | None = None) -> RecordingId:
    samples = spoken(seconds) if samples is None else samples
    rid = add_pcm_recording(vault.session, "r1", samples, chunk_size=64_000)
    vault.session.transcripts.save_transcript(
        Transcript(
            TranscriptId("t1"),
            rid,
            1,
            "nemo",
            "test/model",
            TEXT,
            tuple(Word(*w) for w in WORDS),
            "en",
            tuple(Segment(*s) for s in SEGMENTS),
            "cpu",
        )
    )
    return rid


def spans(vault: Vault, rid: RecordingId) -> list[tuple[str, str, str, int | None, int | None]]:
    return [
        (r.type, TEXT[r.start : r.end], r.state, r.start_ms, r.end_ms) for r in vault.session.review.redactions(rid)
    ]


def test_detections_are_stored_pending_with_time_spans_from_the_words(vault: Vault) -> None:
    rid = recorded(vault)
    vault.session.review.detect_pii(rid, default_detector())
    assert spans(vault, rid) == [
        ("NAME", "Maria Gonzalez", "pending", 500, 1500),
        ("PHONE", "555-0147", "pending", 1800, 3000),
        ("MEDICAL_RECORD_NUMBER", "4471-0923", "pending", 5000, 6500),
    ]
    # Unreviewed detections are redacted: nothing leaves in the clear by default.
    assert (
        vault.session.transcripts.render_transcript(rid)
        == "Call [NAME] at [PHONE] tomorrow. Her MRN is [MEDICAL_RECORD_NUMBER], thanks.\n"
    )
    event = [e for e in audit_events(vault.session) if e["kind"] == "redaction.detect"][-1]
    assert "Maria" not in json.dumps(event) and "555" not in json.dumps(event)


def test_review_state_is_kept_across_a_new_detection_and_drives_the_export(vault: Vault) -> None:
    rid = recorded(vault)
    name, phone, _mrn = vault.session.review.detect_pii(rid, default_detector())
    vault.session.review.review_redaction(name.id, "rejected")
    vault.session.review.review_redaction(phone.id, "accepted")
    assert vault.session.transcripts.render_transcript(rid).startswith("Call Maria Gonzalez at [PHONE] tomorrow.")

    again = vault.session.review.detect_pii(rid, default_detector())  # pending ones replaced, reviewed ones kept

    assert [(r.type, r.state) for r in again] == [
        ("NAME", "rejected"),
        ("PHONE", "accepted"),
        ("MEDICAL_RECORD_NUMBER", "pending"),
    ]
    assert vault.session.transcripts.render_transcript(rid).startswith("Call Maria Gonzalez at [PHONE] tomorrow.")
    vault.session.review.review_redaction(name.id, "pending")  # undo
    assert vault.session.transcripts.render_transcript(rid).startswith("Call [NAME] at [PHONE]")
    with pytest.raises(errors.BadInput):
        vault.session.review.review_redaction(name.id, "added")
    with pytest.raises(errors.BadInput):
        vault.session.review.review_redaction(9999, "accepted")


def test_the_user_adds_and_removes_spans(vault: Vault) -> None:
    rid = recorded(vault)
    start = TEXT.index("tomorrow")
    added = vault.session.review.add_redaction(rid, start, start + len("tomorrow"), "DATE")
    assert (added.state, added.start_ms, added.end_ms, added.detector) == ("added", 3100, 3600, "user")
    assert vault.session.transcripts.render_transcript(rid) == TEXT.replace("tomorrow", "[DATE]") + "\n"
    with pytest.raises(errors.BadInput):
        vault.session.review.review_redaction(added.id, "rejected")
    vault.session.review.remove_redaction(added.id)
    assert vault.session.review.redactions(rid) == []
    for bad in [(-1, 3, "NAME"), (5, 5, "NAME"), (0, len(TEXT) + 1, "NAME"), (0, 4, "PASSPORT")]:
        with pytest.raises(errors.BadInput):
            vault.session.review.add_redaction(rid, *bad)


def test_exports_in_every_format_follow_the_review_and_are_audited(vault: Vault, tmp_path: Path) -> None:
    rid = recorded(vault)
    vault.session.review.detect_pii(rid, default_detector())
    srt = vault.session.transcripts.render_transcript(rid, "srt")
    assert srt.startswith("1\n00:00:00,000 --> 00:00:03,600\nCall [NAME] at [PHONE] tomorrow.\n\n2\n00:00:04,000")
    vtt = vault.session.transcripts.render_transcript(rid, "vtt")
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:03.600\nCall [NAME] at [PHONE] tomorrow.")
    data = json.loads(vault.session.transcripts.render_transcript(rid, "json"))
    assert data["redacted"] is True and "Maria" not in json.dumps(data)
    assert data["words"][1] == {"word": "[NAME]", "start_s": 0.5, "end_s": 1.5}  # two words, one entry
    assert [r["type"] for r in data["redactions"]] == ["NAME", "PHONE", "MEDICAL_RECORD_NUMBER"]
    plain = json.loads(vault.session.transcripts.render_transcript(rid, "json", redacted=False))
    assert plain["text"] == TEXT and plain["entities"][0]["text"] == "Maria Gonzalez"

    out = tmp_path / "note.txt"
    size = vault.session.transcripts.export_transcript(rid, out, "txt")
    assert out.read_text() == vault.session.transcripts.render_transcript(rid) and size == out.stat().st_size
    event = [e for e in audit_events(vault.session) if e["kind"] == "transcript.export"][-1]
    assert event["detail"] == {"format": "txt", "redacted": True, "bytes": size}
    with pytest.raises(errors.BadInput):
        vault.session.transcripts.export_transcript(rid, out, "docx-ish")
    with pytest.raises(errors.BadInput):
        vault.session.transcripts.export_transcript(rid, tmp_path / "missing-dir" / "x.txt", "txt")


def read_role(vault: Vault, rid: RecordingId, role: str) -> np.ndarray:
    with vault.session.audio.open_blob(rid, role) as reader:
        return np.frombuffer(reader.read(), dtype="<f4")


def test_redacted_audio_masks_each_span_with_its_margin_and_keeps_the_rest(vault: Vault) -> None:
    rid = recorded(vault)
    vault.session.review.detect_pii(rid, default_detector())
    name = vault.session.review.redactions(rid)[0]
    vault.session.review.review_redaction(name.id, "rejected")  # a rejected span stays audible

    result = vault.session.review.redact_audio(rid, margin_ms=100)

    original, redacted = read_role(vault, rid, "audio"), read_role(vault, rid, "redacted")
    assert len(redacted) == len(original)
    ms = RATE // 1000
    masked = np.zeros(len(original), dtype=bool)
    for a, b in [(1700, 3100), (4900, 6600)]:  # phone and MRN, each widened by 100 ms
        masked[a * ms : b * ms] = True
        assert np.max(np.abs(redacted[a * ms : b * ms])) <= TONE_LEVEL + 1e-6
        tone = np.abs(np.fft.rfft(redacted[a * ms : b * ms]))
        assert abs(np.argmax(tone) * RATE / ((b - a) * ms) - 1000) < 5  # the bleep, not the voice
    assert np.array_equal(redacted[~masked], original[~masked])
    assert (result.intervals, result.masked_ms, result.untimed) == (2, 1400 + 1700, 0)
    event = [e for e in audit_events(vault.session) if e["kind"] == "audio.redact"][-1]
    assert event["detail"] == {"mode": "tone", "margin_ms": 100, "intervals": 2, "untimed": 0, "speech_beside": 0}


def test_untimed_speech_right_beside_a_redacted_span_is_masked_up_to_the_bound(vault: Vault) -> None:
    """Issue 21: the model heard the phone number's last digit and wrote no word for it. Speech in the
    gap after "555-0147" (3000 ms) before "tomorrow." is masked; speech in a gap beside words that are
    not redacted, or farther than the bound, is not."""
    untimed = (3000, 3080)  # right after the span: masked with it
    beside_kept = (3700, 3900)  # after "tomorrow.", which is not redacted: kept
    rid = recorded(vault, samples=spoken(extra=(untimed, beside_kept)))
    vault.session.review.detect_pii(rid, default_detector())
    for red in vault.session.review.redactions(rid):
        if red.type != "PHONE":
            vault.session.review.review_redaction(red.id, "rejected")

    result = vault.session.review.redact_audio(rid, mode="silence", margin_ms=0)

    original, redacted = read_role(vault, rid, "audio"), read_role(vault, rid, "redacted")
    ms = RATE // 1000
    assert not redacted[1800 * ms : 3080 * ms].any()  # the number and its untimed tail
    assert np.array_equal(redacted[3080 * ms :], original[3080 * ms :])
    assert np.array_equal(redacted[: 1800 * ms], original[: 1800 * ms])
    assert (result.intervals, result.masked_ms) == (1, 1280)
    event = [e for e in audit_events(vault.session) if e["kind"] == "audio.redact"][-1]
    assert event["detail"]["speech_beside"] == 1


def test_speech_beside_a_span_stops_at_the_bound(vault: Vault) -> None:
    from core.redaction.audio import MAX_GAP_FILL_MS, speech_beside
    from core.redaction.timing import merge_intervals

    class Source:
        num_samples = 20 * RATE

        def read(self, start: int, count: int) -> np.ndarray:
            voice = np.full(20 * RATE, 0.3, np.float32)  # speech everywhere, no next word for 10 s
            return voice[start : start + count]

    beside = speech_beside(Source(), [(5000, 6000)], [(5000, 6000), (16_000, 17_000)])
    assert merge_intervals([(5000, 6000), *beside], margin_ms=0) == [(5000 - MAX_GAP_FILL_MS, 6000 + MAX_GAP_FILL_MS)]


def test_silence_mode_and_a_second_run_replace_the_first_copy(vault: Vault) -> None:
    rid = recorded(vault)
    vault.session.review.detect_pii(rid, default_detector())
    vault.session.review.redact_audio(rid)
    first = set(vault.paths.blobs.glob("*.vsb"))
    vault.session.review.redact_audio(rid, mode="silence", margin_ms=0)
    after = set(vault.paths.blobs.glob("*.vsb"))
    assert len(after) == len(first) and after != first  # the old copy is gone, not left beside
    redacted = read_role(vault, rid, "redacted")
    assert not redacted[1800 * 16 : 3000 * 16].any()
    with pytest.raises(errors.BadInput):
        vault.session.review.redact_audio(rid, mode="beep")


def test_a_cancelled_audio_redaction_keeps_the_earlier_copy_and_leaves_no_blob(vault: Vault) -> None:
    rid = recorded(vault)
    vault.session.review.detect_pii(rid, default_detector())
    vault.session.review.redact_audio(rid, mode="silence")
    before_files = set(vault.paths.blobs.glob("*.vsb"))
    before = read_role(vault, rid, "redacted")
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(errors.Cancelled):
        vault.session.review.redact_audio(rid, cancel=cancel)
    assert set(vault.paths.blobs.glob("*.vsb")) == before_files
    assert np.array_equal(read_role(vault, rid, "redacted"), before)


def test_the_redacted_copy_is_encrypted_and_shredded_with_its_recording(vault: Vault) -> None:
    rid = recorded(vault)
    vault.session.review.detect_pii(rid, default_detector())
    vault.session.review.redact_audio(rid)
    names = in_transaction(vault.session, lambda conn: records.blob_names(conn, rid))
    raw = (vault.paths.blobs / names["redacted"]).read_bytes()
    plain = read_role(vault, rid, "redacted").tobytes()
    assert plain[:4096] not in raw and plain[-4096:] not in raw
    vault.session.recordings.delete_recording(rid)
    assert list(vault.paths.blobs.glob("*.vsb")) == []


def test_without_a_transcript_redaction_says_so(vault: Vault) -> None:
    rid = add_pcm_recording(vault.session, "r2", np.zeros(RATE, dtype=np.float32), chunk_size=64_000)
    with pytest.raises(errors.BadInput, match="no transcript"):
        vault.session.review.detect_pii(rid, default_detector())
    with pytest.raises(errors.BadInput, match="no transcript"):
        vault.session.review.redact_audio(rid)


def test_terms_and_default_entities_are_settings_in_the_vault(vault: Vault) -> None:
    rid = recorded(vault)
    vault.session.review.set_redaction_terms(["  Project   Nightingale ", "gonzalez", ""])
    assert vault.session.review.redaction_terms() == ["gonzalez", "Project Nightingale"]
    vault.session.review.set_redaction_entities(["PHONE"])
    found = vault.session.review.detect_pii(rid, default_detector(vault.session.review.redaction_terms()))
    assert [r.type for r in found] == ["PHONE"]
    vault.session.review.set_redaction_entities(None)
    assert vault.session.review.redaction_entities() is None
    with pytest.raises(errors.BadInput):
        vault.session.review.set_redaction_entities(["PASSPORT"])


def test_an_export_that_stops_early_leaves_no_partial_file(tmp_path: Path) -> None:
    from core.userfile import user_file

    out = tmp_path / "note.wav"
    vault = tmp_path / "vault"
    with pytest.raises(errors.Cancelled), user_file(out, vault_root=vault, overwrite=False, token="00") as fh:
        fh.write(b"decrypted audio")
        raise errors.Cancelled("stop")
    assert list(tmp_path.iterdir()) == []
    missing = tmp_path / "no-dir" / "x.txt"
    with (
        pytest.raises(errors.BadInput, match="Could not write"),
        user_file(missing, vault_root=vault, overwrite=False, token="00"),
    ):
        pass


def test_the_redacted_copy_is_made_again_whenever_the_review_changed_since(vault: Vault, tmp_path: Path) -> None:
    """Issue 21: the export once took the last copy made, though review had added a span since. The rule
    is the session's (``redacted_audio_current``): exporting and playing both follow it."""
    s = vault.session
    rid = recorded(vault)
    s.review.detect_pii(rid, default_detector())
    assert not s.audio.redacted_audio_current(rid)  # no copy yet
    s.review.redact_audio(rid, mode="silence", margin_ms=0)
    assert s.audio.redacted_audio_current(rid)
    made = set(vault.paths.blobs.glob("*.vsb"))
    assert s.review.ensure_redacted_audio(rid) is None and set(vault.paths.blobs.glob("*.vsb")) == made  # kept as is
    pending = s.review.redactions(rid)[0]
    s.review.review_redaction(pending.id, "accepted")  # still redacted: the copy still follows the review
    assert s.audio.redacted_audio_current(rid)

    tomorrow = TEXT.index("tomorrow")
    s.review.add_redaction(rid, tomorrow, tomorrow + len("tomorrow"), "DATE")
    assert not s.audio.redacted_audio_current(rid)
    with pytest.raises(errors.BadInput, match="no longer follows the review"):
        s.audio.open_player(rid, role="redacted")  # never play a stale copy

    s.review.export_redacted_audio(rid, tmp_path / "out.wav")

    assert s.audio.redacted_audio_current(rid)
    redacted = read_role(vault, rid, "redacted")
    assert not redacted[3100 * 16 : 3600 * 16].any()  # the added span, silent: made with the mode it had
    s.review.review_redaction(pending.id, "rejected")  # a span given back is audible again after the next export
    s.review.export_redacted_audio(rid, tmp_path / "again.wav")
    assert read_role(vault, rid, "redacted")[600 * 16 : 900 * 16].any()
    s.audio.open_player(rid, role="redacted", stream_factory=Outs()).close()


def test_a_copy_made_before_schema_7_is_stale_while_the_original_is_there(vault: Vault) -> None:
    s = vault.session
    rid = recorded(vault)
    s.review.detect_pii(rid, default_detector())
    s.review.redact_audio(rid)
    in_transaction(s, lambda conn: conn.execute("UPDATE recordings SET redacted_from = NULL WHERE id = ?", (rid,)))
    assert not s.audio.redacted_audio_current(rid)
    assert s.review.ensure_redacted_audio(rid) is not None and s.audio.redacted_audio_current(rid)


def test_locking_drops_the_transcripts_the_detection_caches_hold(vault: Vault) -> None:
    """Whole transcripts and their words (names among them) folded, judged and classed: none outlives the lock."""
    from core.redaction import id_tagger, recognizers
    from models.name_tagger import product_detector

    rid = recorded(vault)
    vault.session.review.detect_pii(rid, product_detector())  # the app's detector, its taggers included
    caches = (recognizers.fold_text, recognizers._is_cased, recognizers.fold, id_tagger._tokens, id_tagger.token_class)
    recognizers.fold_text(TEXT)  # the transcript is ASCII: detection itself folds only what is not
    assert all(c.cache_info().currsize for c in caches)  # the detection filled them
    vault.session.lock()
    assert [c.cache_info().currsize for c in caches] == [0] * len(caches)
