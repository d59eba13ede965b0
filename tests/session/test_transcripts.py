"""Speaker names through the session: stored per recording, audited without the name, redacted as
NAME, and carried into exports (unredacted ones show them; redacted ones show "Speaker N")."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core import errors
from core.redaction.detect import default_detector
from core.types import RecordingId, Segment, Transcript, TranscriptId, Word
from tests.core.helpers import add_pcm_recording, audit_events
from tests.session.test_review import vault  # noqa: F401  (fixture)
from tests.session.test_session import Vault

TEXT = "Good morning. Morning Dana, how are you?"
WORDS = (
    ("Good", 0, 300, "speaker_1"), ("morning.", 300, 800, "speaker_1"), ("Morning", 1500, 1900, "speaker_2"),
    ("Dana,", 1900, 2300, "speaker_2"), ("how", 2400, 2600, "speaker_2"), ("are", 2600, 2800, "speaker_2"),
    ("you?", 2800, 3200, "speaker_2"),
)  # fmt: skip
SEGMENTS = (("Good morning.", 0, 800), ("Morning Dana, how are you?", 1500, 3200))


def diarized(vault: Vault) -> RecordingId:  # noqa: F811
    rid = add_pcm_recording(vault.session, "r1", np.zeros(4 * 16000, np.float32), chunk_size=64_000)
    vault.session.transcripts.save_transcript(Transcript(
        TranscriptId("t1"), rid, 1, "nemo", "test/model", TEXT, tuple(Word(*w) for w in WORDS), "en",
        tuple(Segment(*s) for s in SEGMENTS),
    ))  # fmt: skip
    return rid


def test_words_keep_their_speakers_in_the_vault(vault: Vault) -> None:  # noqa: F811
    rid = diarized(vault)
    assert [w.speaker for w in vault.session.transcripts.current_transcript(rid).words] == ["speaker_1"] * 2 + [
        "speaker_2"
    ] * 5


def test_rename_is_stored_audited_without_the_name_and_undone_by_blank(vault: Vault) -> None:  # noqa: F811
    s = vault.session
    rid = diarized(vault)
    s.transcripts.rename_speaker(rid, "speaker_1", "  Dana   Whitfield ")
    assert s.transcripts.speaker_names(rid) == {"speaker_1": "Dana Whitfield"}
    (event,) = [e for e in audit_events(s) if e["kind"] == "speaker.rename"]
    assert "Whitfield" not in json.dumps(event)
    s.transcripts.rename_speaker(rid, "speaker_1", "")
    assert s.transcripts.speaker_names(rid) == {}
    with pytest.raises(errors.BadInput, match="no speaker"):
        s.transcripts.rename_speaker(rid, "speaker_9", "Nobody")


def test_a_speakers_name_is_redacted_as_name_and_named_in_exports(vault: Vault) -> None:  # noqa: F811
    s = vault.session
    rid = diarized(vault)
    s.transcripts.rename_speaker(rid, "speaker_2", "Dana")
    assert "Dana" in s.review.detection_terms(rid) and "Dana" not in s.review.detection_terms()
    found = s.review.detect_pii(rid, default_detector(s.review.detection_terms(rid)))
    assert any(TEXT[r.start : r.end] == "Dana" and r.type == "NAME" for r in found)
    plain = s.transcripts.render_transcript(rid, "srt", redacted=False)
    assert "Speaker 1: Good morning." in plain and "Dana: Morning Dana, how are you?" in plain
    redacted = s.transcripts.render_transcript(rid, "vtt")
    assert "Dana" not in redacted and "<v Speaker 2>Morning [NAME]" in redacted
