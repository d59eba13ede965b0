"""The transcript view's text model, with no Qt: the shown text (original or redacted, in speakers'
turns) and the map between its positions and the transcript's. The view's own tests
(tests/app/test_transcript_view.py, test_transcript_speakers.py) drive the same model through the window."""

from __future__ import annotations

import subprocess
import sys

from core.redaction.spans import apply_spans, effective_spans
from core.transcript_display import Display, Turn
from core.types import Redaction, TranscriptId

TEXT = "Call Maria Gonzalez at 555-0147 tomorrow. Her MRN is 4471-0923, thanks."


def _redaction(word: str, kind: str, state: str = "pending", *, rid: int = 1) -> Redaction:
    start = TEXT.index(word)
    return Redaction(rid, TranscriptId("t"), kind, start, start + len(word), None, None, "rules", 0.9, state)


REDACTIONS = [
    _redaction("Maria Gonzalez", "NAME"),
    _redaction("Gonzalez", "NAME", "accepted", rid=2),  # inside the first: merged into it
    _redaction("555-0147", "PHONE", "rejected", rid=3),  # not in force
    _redaction("4471-0923", "MEDICAL_RECORD_NUMBER", "added", rid=4),
]


def test_importing_it_loads_no_qt() -> None:
    code = (
        "import sys, core.transcript_display; "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_without_redactions_or_turns_it_is_the_original_mapped_one_to_one() -> None:
    display = Display(TEXT)
    assert display.text == TEXT and not display.redacted
    for pos in (0, 5, len(TEXT) - 1):
        assert display.to_display(pos, pos + 1) == (pos, pos + 1)
        assert display.to_original(pos)[0] == pos


def test_the_redacted_text_is_the_exports() -> None:
    display = Display(TEXT, REDACTIONS)
    assert display.text == "Call [NAME] at 555-0147 tomorrow. Her MRN is [MEDICAL_RECORD_NUMBER], thanks."
    assert display.text == apply_spans(TEXT, effective_spans(REDACTIONS)) and display.redacted


def test_a_range_inside_a_label_maps_to_the_whole_label_and_back_to_its_start() -> None:
    display = Display(TEXT, REDACTIONS)
    label = display.text.index("[NAME]")
    gonzalez = TEXT.index("Gonzalez")
    assert display.to_display(gonzalez, gonzalez + 3) == (label, label + len("[NAME]"))
    pos, piece = display.to_original(label + 2)
    assert pos == TEXT.index("Maria") and piece.label and piece.orig_end == TEXT.index(" at")
    assert display.to_original(display.text.index("tomorrow"))[0] == TEXT.index("tomorrow")


def test_display_maps_around_the_names() -> None:
    turns = [Turn(0, "speaker_1", "A"), Turn(TEXT.index("Her"), "speaker_2", "B")]
    display = Display(TEXT, None, turns)
    assert display.text == "A: " + TEXT.replace(" Her", " \n\nB: Her")
    shown = display.text
    for word in ("Call", "Her", "thanks"):
        start = TEXT.index(word)
        assert display.to_display(start, start + len(word)) == (shown.index(word), shown.index(word) + len(word))
        assert display.to_original(shown.index(word))[0] == start
    assert display.to_original(shown.index("B: ") + 1)[0] == TEXT.index("Her")  # a name stands for its turn
    assert display.to_original(1)[0] == 0


def test_a_turn_inside_a_redacted_stretch_leads_its_label() -> None:
    gonzalez = TEXT.index("Gonzalez")
    name = _redaction("Maria Gonzalez", "NAME")
    turns = [Turn(0, "speaker_1", "A"), Turn(gonzalez, "speaker_2", "B"), Turn(TEXT.index("Her"), "speaker_1", "A")]
    display = Display(TEXT, [name], turns)
    assert display.text == "A: Call \n\nB: [NAME] at 555-0147 tomorrow. \n\nA: Her MRN is 4471-0923, thanks."
    assert display.to_display(gonzalez, gonzalez + 3) == (display.text.index("[NAME]"), display.text.index(" at"))


def test_the_name_format_is_the_callers() -> None:
    display = Display(TEXT, None, [Turn(0, "speaker_1", "Ana")], name_format="<{speaker}> ")
    assert display.text == "<Ana> " + TEXT
    assert display.to_original(2)[0] == 0
