"""Text edits of a transcript: timing and redaction spans follow the words.

Pure tests of ``core.edits.Edit``, then the session's ``edit_transcript``,
``rename_recording``, ``set_recording_tags`` and ``audit_events`` on a real vault.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import errors
from core.edits import Edit
from core.redaction.detect import default_detector
from core.types import Segment, Word
from tests.core.helpers import audit_events
from tests.session.test_review import SEGMENTS, TEXT, WORDS, recorded
from tests.session.test_session import Vault, make_vault
from tests.vault_access import vault_query

W = tuple(Word(*w) for w in WORDS)
S = tuple(Segment(*s) for s in SEGMENTS)


def test_untouched_words_keep_their_time_and_a_rewritten_word_takes_the_old_ones() -> None:
    new = TEXT.replace("Maria Gonzalez", "Mariah Gonzales")
    words = Edit(TEXT, new).words(W)
    assert [w.text for w in words] == new.split()
    assert words[0] == Word("Call", 0, 400)
    assert (words[1].start_ms, words[2].end_ms) == (500, 1500)  # the two replaced words share 500–1500
    assert words[-1] == Word("thanks.", 6600, 7000)


def test_inserted_words_sit_after_the_word_before_and_deleted_ones_vanish() -> None:
    new = TEXT.replace("Call ", "Call doctor ").replace("Her MRN is ", "MRN ")
    words = Edit(TEXT, new).words(W)
    assert [w.text for w in words] == new.split()
    times = {w.text: (w.start_ms, w.end_ms) for w in words}
    assert times["doctor"] == (400, 400)
    assert times["MRN"] == (4300, 4700)


def test_spans_move_with_their_words_grow_over_rewrites_and_go_when_deleted() -> None:
    new = "Please call Maria Gonzalez at 555 0147 tomorrow. thanks."
    edit = Edit(TEXT, new)
    a = TEXT.index("Maria Gonzalez")
    assert edit.map_span(a, a + len("Maria Gonzalez")) == (new.index("Maria"), new.index("Maria") + 14)
    p = TEXT.index("555-0147")
    start, end = edit.map_span(p, p + 8)  # rewritten as two words: the span covers both
    assert new[start:end] == "555 0147"
    m = TEXT.index("4471-0923")
    assert edit.map_span(m, m + 9) is None  # the number was deleted with its sentence


def test_segments_are_reread_from_the_new_text() -> None:
    new = TEXT.replace("tomorrow", "on Monday")
    segments = Edit(TEXT, new).segments(S)
    assert segments == (Segment("Call Maria Gonzalez at 555-0147 on Monday.", 0, 3600), S[1])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", "c.", " ", "  ", "\n", "Maria", "555-0147"]), max_size=30))
def test_any_edit_gives_one_word_per_token_and_spans_inside_the_text(parts: list[str]) -> None:
    new = "".join(parts)
    edit = Edit(TEXT, new)
    words = edit.words(W)
    assert [w.text for w in words] == new.split()
    assert all(0 <= w.start_ms <= w.end_ms <= 7000 for w in words)
    for start in range(0, len(TEXT), 7):
        span = edit.map_span(start, min(len(TEXT), start + 9))
        assert span is None or 0 <= span[0] < span[1] <= len(new)


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path)


def test_session_edit_saves_text_timing_history_and_keeps_redactions_on_their_words(vault: Vault) -> None:
    rid = recorded(vault)
    vault.session.review.detect_pii(rid, default_detector())
    new = TEXT.replace("Call", "Please call")
    after = vault.session.transcripts.edit_transcript(rid, new)
    assert vault.session.transcripts.current_transcript(rid) == after and after.text == new
    names = {new[r.start : r.end] for r in vault.session.review.redactions(rid)}
    assert names == {"Maria Gonzalez", "555-0147", "4471-0923"}
    assert vault.session.transcripts.render_transcript(rid).startswith("Please call [NAME] at [PHONE]")
    assert vault.session.transcripts.search("please")[0].recording_id == rid  # the search index follows the edit
    history = vault_query(vault.session, "SELECT before_text, after_text FROM transcript_edits")
    assert history == [(TEXT, new)]
    event = [e for e in audit_events(vault.session) if e["kind"] == "transcript.edit"][-1]
    assert "Please" not in json.dumps(event)
    assert vault.session.transcripts.edit_transcript(rid, new) == after  # no change, no new history
    assert len(vault_query(vault.session, "SELECT 1 FROM transcript_edits")) == 1


def test_rename_and_tags(vault: Vault) -> None:
    rid = recorded(vault)
    vault.session.recordings.rename_recording(rid, "  Ward   round  ")
    assert vault.session.recordings.get(rid).title == "Ward round"
    with pytest.raises(errors.BadInput):
        vault.session.recordings.rename_recording(rid, "   ")
    assert vault.session.recordings.set_recording_tags(rid, ["cardio", " Cardio ", "", "ward 3"]) == (
        "cardio",
        "ward 3",
    )
    assert vault.session.recordings.recording_tags() == {rid: ("cardio", "ward 3")}
    vault.session.recordings.set_recording_tags(rid, [])
    assert vault.session.recordings.recording_tags() == {}
    assert vault_query(vault.session, "SELECT count(*) FROM tags") == [(0,)]


def test_audit_events_newest_first_and_filtered(vault: Vault) -> None:
    rid = recorded(vault)
    vault.session.recordings.rename_recording(rid, "x")
    events = vault.session.audit.events()
    assert events[0].kind == "recording.rename"
    assert [e.seq for e in events] == sorted((e.seq for e in events), reverse=True)
    assert {e.kind for e in vault.session.audit.events("recording.")} <= {
        "recording.rename",
        "recording.add",
        "recording.import",
        "recording.tag",
    }


def test_settings_change_is_validated_whole_saved_and_audited(vault: Vault) -> None:
    with pytest.raises(errors.BadInput):
        vault.session.update_config({"auto_lock_minutes": 5, "theme": "purple"})
    assert vault.session.config.get("auto_lock_minutes") == 10  # nothing applied from a bad batch
    vault.session.update_config({"auto_lock_minutes": 5, "theme": "dark"})
    assert 'theme = "dark"' in vault.session.paths.config.read_text()
    assert [e for e in audit_events(vault.session) if e["kind"] == "settings.change"][-1]["detail"] == {
        "keys": "auto_lock_minutes,theme"
    }


def test_an_edit_keeps_a_diarized_transcripts_speakers() -> None:
    """Words keep their speaker; a rewritten or inserted word takes the speaker of the time it sits in."""
    diarized = tuple(Word(w.text, w.start_ms, w.end_ms, "speaker_1" if w.start_ms < 4000 else "speaker_2") for w in W)
    new = TEXT.replace("Maria Gonzalez", "Mariah Gonzales").replace("Her MRN", "Her new MRN")
    words = Edit(TEXT, new).words(diarized)
    assert [w.text for w in words] == new.split()
    assert [w.speaker for w in words] == ["speaker_1"] * 6 + ["speaker_2"] * 6
    assert all(w.speaker is None for w in Edit(TEXT, new).words(W)), "an undiarized one stays so"
