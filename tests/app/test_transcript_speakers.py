"""Speakers in the transcript view, over a real vault: each turn a paragraph led by its speaker's name.

The names are shown only: every position the view maps (clicks, the spoken word, span highlights,
a span added from a selection) must land on the same characters as without them.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import QCheckBox, QComboBox, QPushButton, QTextEdit

from app.context import AppContext
from app.theme import dark_palette, light_palette
from app.views.transcript import TranscriptView
from core.redaction.detect import default_detector
from core.session import Session
from core.types import RecordingId, Segment, Transcript, Word
from core.vault import records
from tests.app.helpers import find
from tests.app.test_player import FakeOutputs, add_transcribed
from tests.app.test_transcript_view import ask, click, rename_speaker, span_marks, states
from tests.session.test_review import SEGMENTS, TEXT, WORDS

# "Call … tomorrow." is speaker 1's, "Her MRN is" speaker 2's, "4471-0923, thanks." speaker 1's again.
SPEAKERS = ["speaker_1"] * 6 + ["speaker_2"] * 3 + ["speaker_1"] * 2
CLEAR = "Speaker 1: Call Maria Gonzalez at 555-0147 tomorrow. \n\nAna: Her MRN is \n\nSpeaker 1: 4471-0923, thanks."
REDACTED = (
    "Speaker 1: Call [NAME] at [PHONE] tomorrow. \n\nSpeaker 2: Her MRN is \n\n"
    "Speaker 1: [MEDICAL_RECORD_NUMBER], thanks."
)


def diarize(session: Session, rid: RecordingId) -> None:
    session.transcripts.save_transcript(Transcript(
        records.TranscriptId(f"t-{rid}-d"), rid, 2, "nemo", "test/model", TEXT,
        tuple(Word(*w, s) for w, s in zip(WORDS, SPEAKERS, strict=True)), "en",
        tuple(Segment(*x) for x in SEGMENTS), "cpu",
    ))  # fmt: skip


@pytest.fixture
def rid(unlocked: Session) -> RecordingId:
    recording_id = add_transcribed(unlocked)
    diarize(unlocked, recording_id)
    unlocked.review.detect_pii(recording_id, default_detector())
    unlocked.transcripts.rename_speaker(recording_id, "speaker_2", "Ana")
    return recording_id


@pytest.fixture
def view(qtbot, ctx: AppContext, rid: RecordingId) -> TranscriptView:
    ctx.output_stream = FakeOutputs()
    widget = TranscriptView(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    widget.load(rid)
    text = find(widget, QTextEdit, "transcriptText")
    qtbot.waitUntil(lambda: text.toPlainText() == CLEAR and widget.player.player is not None)
    return widget


def looks(view: TranscriptView) -> list[tuple[str, bool, str]]:
    """Each stretch the view gives a look of its own (the highlighter's): its text, bold, its colour."""
    document = find(view, QTextEdit, "transcriptText").document()
    out = []
    block = document.begin()
    while block.isValid():
        for r in block.layout().formats():
            bold = r.format.fontWeight() >= QFont.Weight.Bold
            out.append((block.text()[r.start : r.start + r.length], bold, r.format.foreground().color().name()))
        block = block.next()
    return out


def click_on(qtbot, view: TranscriptView, display_pos: int) -> None:
    """A real mouse click on the character at a position of the shown text."""
    text = find(view, QTextEdit, "transcriptText")
    cursor = QTextCursor(text.document())
    cursor.setPosition(display_pos)
    qtbot.mouseClick(text.viewport(), Qt.MouseButton.LeftButton, pos=text.cursorRect(cursor).center())


def test_each_turn_is_a_paragraph_led_by_its_speakers_name(view: TranscriptView) -> None:
    text = find(view, QTextEdit, "transcriptText")
    assert text.toPlainText() == CLEAR  # the given name, "Speaker N" for the unnamed
    assert [b.strip() for b in CLEAR.split("\n\n")] == [
        "Speaker 1: Call Maria Gonzalez at 555-0147 tomorrow.", "Ana: Her MRN is", "Speaker 1: 4471-0923, thanks.",
    ]  # fmt: skip
    marked = looks(view)
    assert [t for t, _b, _c in marked] == ["Speaker 1: ", "Ana: ", "Speaker 1: "]  # the names only, not the words
    assert all(bold for _t, bold, _c in marked)
    assert marked[0][2] == marked[2][2] != marked[1][2]  # a colour per speaker
    document = text.document()
    assert not document.isUndoAvailable() and not document.isModified()  # the look is not an edit


def test_redacted_text_never_shows_a_given_name(qtbot, view: TranscriptView) -> None:
    text = find(view, QTextEdit, "transcriptText")
    find(view, QCheckBox, "redactedToggle").click()
    assert text.toPlainText() == REDACTED
    assert "Ana" not in text.toPlainText()
    assert [t for t, _b, _c in looks(view)] == ["Speaker 1: ", "Speaker 2: ", "Speaker 1: "]
    # The spans' labels are highlighted where they are, after the names.
    label = REDACTED.index("[MEDICAL_RECORD_NUMBER]")
    assert (label, label + len("[MEDICAL_RECORD_NUMBER]")) in span_marks(view)
    find(view, QCheckBox, "redactedToggle").click()
    assert text.toPlainText() == CLEAR


def test_renaming_a_speaker_shows_the_new_name_at_once(
    qtbot, view: TranscriptView, ctx: AppContext, rid: RecordingId
) -> None:
    text = find(view, QTextEdit, "transcriptText")
    rename_speaker(qtbot, view, ["Speaker 1", "Speaker 2: Ana"], "Speaker 1", "Dr. Lee")
    qtbot.waitUntil(lambda: text.toPlainText() == CLEAR.replace("Speaker 1", "Dr. Lee"))
    assert ask(ctx, qtbot, lambda s: s.transcripts.speaker_names(rid)) == {"speaker_1": "Dr. Lee", "speaker_2": "Ana"}
    assert [t for t, _b, _c in looks(view)] == ["Dr. Lee: ", "Ana: ", "Dr. Lee: "]


def test_clicks_and_the_spoken_word_land_on_the_words_after_the_names(qtbot, view: TranscriptView) -> None:
    click_on(qtbot, view, CLEAR.index("4471") + 2)  # "4471-0923," is at 5000 ms
    qtbot.waitUntil(lambda: view.player.position_s() == pytest.approx(5.0))
    red = view.selected_redaction()
    assert red is not None and red.type == "MEDICAL_RECORD_NUMBER"  # the span under the click is selected
    click_on(qtbot, view, CLEAR.index("MRN") + 1)  # 4300 ms
    qtbot.waitUntil(lambda: view.player.position_s() == pytest.approx(4.3))
    # A click on a name goes to its turn's first word, and selects no span (not the MRN that starts the turn).
    click_on(qtbot, view, CLEAR.index("Ana") + 1)
    qtbot.waitUntil(lambda: view.player.position_s() == pytest.approx(4.0))
    view.select_redaction(next(r.id for r in view.redactions if r.type == "NAME"))
    click_on(qtbot, view, CLEAR.rindex("Speaker 1") + 2)
    qtbot.waitUntil(lambda: view.player.position_s() == pytest.approx(5.0))
    assert view.selected_redaction() is not None and view.selected_redaction().type == "NAME"
    # The spoken word is highlighted on its own characters.
    view.show_position(5.2)
    assert view.highlighted_word() == (CLEAR.index("4471"), CLEAR.index(" thanks"))
    view.show_position(4.1)
    assert view.highlighted_word() == (CLEAR.index("Her"), CLEAR.index("Her") + 3)
    find(view, QCheckBox, "redactedToggle").click()
    view.show_position(5.2)
    label = REDACTED.index("[MEDICAL_RECORD_NUMBER]")
    assert view.highlighted_word() == (label, REDACTED.index(" thanks"))  # the label and the word's comma


def test_spans_are_highlighted_and_added_on_the_right_characters(
    qtbot, view: TranscriptView, ctx: AppContext, rid: RecordingId
) -> None:
    assert set(span_marks(view)) == {
        (CLEAR.index("Maria"), CLEAR.index(" at ")),
        (CLEAR.index("555"), CLEAR.index(" tomorrow")),
        (CLEAR.index("4471"), CLEAR.index(", thanks")),
    }
    # A selection from inside a name to the word after it marks the word alone, in the transcript's offsets.
    text = find(view, QTextEdit, "transcriptText")
    cursor = QTextCursor(text.document())
    cursor.setPosition(CLEAR.index("Ana") + 1)
    cursor.setPosition(CLEAR.index("Her") + 3, QTextCursor.MoveMode.KeepAnchor)
    text.setTextCursor(cursor)
    kinds = find(view, QComboBox, "redactionType")
    kinds.setCurrentIndex(kinds.findData("NAME"))
    click(qtbot, view, "addRedactionButton")
    span = (TEXT.index("Her"), TEXT.index("Her") + 3)
    qtbot.waitUntil(lambda: states(ctx, qtbot, rid).get(span) == ("NAME", "added"))
    qtbot.waitUntil(lambda: (CLEAR.index("Her"), CLEAR.index("Her") + 3) in span_marks(view))


def test_editing_shows_the_plain_text_without_names(qtbot, view: TranscriptView) -> None:
    text = find(view, QTextEdit, "transcriptText")
    qtbot.mouseClick(find(view, QPushButton, "editToggle"), Qt.MouseButton.LeftButton)
    assert view.editing
    assert text.toPlainText() == TEXT
    assert looks(view) == []
    qtbot.keyClicks(text, "So. ")
    assert looks(view) == []  # nothing typed takes a name's look
    qtbot.mouseClick(find(view, QPushButton, "undoButton"), Qt.MouseButton.LeftButton)
    while find(view, QPushButton, "undoButton").isEnabled():
        qtbot.mouseClick(find(view, QPushButton, "undoButton"), Qt.MouseButton.LeftButton)
    assert text.toPlainText() == TEXT
    qtbot.mouseClick(find(view, QPushButton, "editToggle"), Qt.MouseButton.LeftButton)
    assert not view.editing
    assert text.toPlainText() == CLEAR
    assert len(looks(view)) == 3


def test_after_a_saved_edit_the_names_lead_the_same_words(qtbot, view: TranscriptView) -> None:
    text = find(view, QTextEdit, "transcriptText")
    qtbot.mouseClick(find(view, QPushButton, "editToggle"), Qt.MouseButton.LeftButton)
    cursor = text.textCursor()
    cursor.setPosition(TEXT.index("Her"))
    text.setTextCursor(cursor)
    qtbot.keyClicks(text, "Yes. ")
    click(qtbot, view, "saveEditButton")
    edited = CLEAR.replace("tomorrow. ", "tomorrow. Yes. ")  # typed words have no speaker: they stay where they are
    qtbot.waitUntil(lambda: not view.editing and text.toPlainText() == edited)
    assert [t for t, _b, _c in looks(view)] == ["Speaker 1: ", "Ana: ", "Speaker 1: "]
    click_on(qtbot, view, edited.index("4471") + 2)
    qtbot.waitUntil(lambda: view.player.position_s() == pytest.approx(5.0))


def test_the_names_follow_a_dark_or_light_palette(view: TranscriptView) -> None:
    from PySide6.QtGui import QColor

    view.setPalette(dark_palette())
    assert all(QColor(colour).lightness() > 128 for _t, _b, colour in looks(view))
    view.setPalette(light_palette())
    assert all(QColor(colour).lightness() < 128 for _t, _b, colour in looks(view))


def test_a_transcript_without_speakers_looks_as_before(qtbot, ctx: AppContext, unlocked: Session) -> None:
    rid = add_transcribed(unlocked, "r2")
    ctx.output_stream = FakeOutputs()
    widget = TranscriptView(ctx)
    qtbot.addWidget(widget)
    widget.show()
    widget.load(rid)
    text = find(widget, QTextEdit, "transcriptText")
    qtbot.waitUntil(lambda: text.toPlainText() == TEXT)
    assert text.document().blockCount() == 1
    assert looks(widget) == []
    widget.click_at(TEXT.index("Her") + 1)
    assert widget.player.position_s() == pytest.approx(4.0)
