"""The transcript view over a real vault: highlights, the redacted toggle, review, edits, word-synced playback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTextEdit,
    QWidget,
)

from app.context import AppContext
from app.views.transcript import MARK, TranscriptView
from core.redaction.detect import default_detector
from core.session import Session
from core.types import RecordingId, Segment, Transcript, Word
from core.vault import records
from tests.app.helpers import find
from tests.app.test_player import FakeOutputs, add_pcm_recording, add_transcribed, tone
from tests.session.test_review import TEXT

T = TypeVar("T")
REDACTED = "Call [NAME] at [PHONE] tomorrow. Her MRN is [MEDICAL_RECORD_NUMBER], thanks."
NAME = (TEXT.index("Maria"), TEXT.index(" at "))
PHONE = (TEXT.index("555"), TEXT.index(" tomorrow"))
MRN = (TEXT.index("4471"), TEXT.index(", thanks"))


@pytest.fixture
def rid(unlocked: Session) -> RecordingId:
    recording_id = add_transcribed(unlocked)
    unlocked.review.detect_pii(recording_id, default_detector())
    return recording_id


@pytest.fixture
def outputs(rid: RecordingId, ctx: AppContext) -> FakeOutputs:
    fake = FakeOutputs()
    ctx.output_stream = fake
    return fake


@pytest.fixture
def view(qtbot, ctx: AppContext, rid: RecordingId, outputs: FakeOutputs) -> TranscriptView:
    exported: list[RecordingId] = []
    widget = TranscriptView(ctx, on_export=exported.append)
    widget.exported = exported  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    widget.load(rid)
    text = find(widget, QTextEdit, "transcriptText")
    qtbot.waitUntil(lambda: text.toPlainText() == TEXT and widget.player.player is not None)
    return widget


def ask(ctx: AppContext, qtbot, fn: Callable[[Session], T]) -> T:
    """Run a session call on the worker and wait for its answer."""
    box: list[T] = []
    ctx.worker.op(None, fn).success(box.append).run()
    qtbot.waitUntil(lambda: bool(box))
    return box[0]


def states(ctx: AppContext, qtbot, rid: RecordingId) -> dict[tuple[int, int], tuple[str, str]]:
    return {(r.start, r.end): (r.type, r.state) for r in ask(ctx, qtbot, lambda s: s.review.redactions(rid))}


def marks(view: TranscriptView) -> dict[str, tuple[int, int, QTextCharFormat]]:
    text = find(view, QTextEdit, "transcriptText")
    out = {}
    for selection in text.extraSelections():
        cursor = selection.cursor
        fmt = QTextCharFormat(selection.format)
        out[str(fmt.property(MARK))] = (cursor.selectionStart(), cursor.selectionEnd(), fmt)
    return out


def span_marks(view: TranscriptView) -> dict[tuple[int, int], QTextCharFormat]:
    return {(a, b): fmt for key, (a, b, fmt) in marks(view).items() if key.startswith("redaction:")}


def select_in_list(qtbot, view: TranscriptView, span: tuple[int, int]) -> None:
    red = next(r for r in view.redactions if (r.start, r.end) == span)
    view.select_redaction(red.id)
    assert view.selected_redaction() is not None and view.selected_redaction().id == red.id


def click(qtbot, view: TranscriptView, name: str) -> None:
    button = find(view, QPushButton, name)
    assert button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_load_shows_the_title_text_and_highlighted_spans(qtbot, view: TranscriptView, rid: RecordingId) -> None:
    assert view.recording_id == rid
    assert find(view, QLabel, "transcriptTitle").text() == "r1"
    spans = span_marks(view)
    assert set(spans) == {NAME, PHONE, MRN}
    fmt = spans[NAME]
    assert fmt.background().color().alpha() > 0
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline  # pending
    assert spans[NAME].background().color() != spans[PHONE].background().color()  # a colour per type
    listing = find(view, QListWidget, "redactionList")
    assert [listing.item(i).text() for i in range(listing.count())] == [
        "NAME · pending · Maria Gonzalez",
        "PHONE · pending · 555-0147",
        "MEDICAL_RECORD_NUMBER · pending · 4471-0923",
    ]
    assert find(view, QTextEdit, "transcriptText").isReadOnly()
    assert not find(view, QPushButton, "transcribeButton").isVisible()
    click(qtbot, view, "exportButton")
    assert view.exported == [rid]  # type: ignore[attr-defined]


def test_the_toggle_shows_the_redacted_text_read_only(qtbot, view: TranscriptView) -> None:
    text = find(view, QTextEdit, "transcriptText")
    toggle = find(view, QCheckBox, "redactedToggle")
    assert "Ctrl+Shift+R" in toggle.toolTip()
    toggle.click()
    assert text.toPlainText() == REDACTED
    assert "Maria" not in text.toPlainText() and "555" not in text.toPlainText()
    assert text.isReadOnly()
    label = REDACTED.index("[NAME]")
    assert (label, label + len("[NAME]")) in span_marks(view)
    listing = find(view, QListWidget, "redactionList")
    assert all("Maria" not in listing.item(i).text() for i in range(listing.count()))
    assert not find(view, QPushButton, "addRedactionButton").isEnabled()
    toggle.click()
    assert text.toPlainText() == TEXT


def test_accept_and_reject_through_the_buttons_reach_the_vault(
    qtbot, view: TranscriptView, ctx: AppContext, rid: RecordingId
) -> None:
    select_in_list(qtbot, view, NAME)
    text = find(view, QTextEdit, "transcriptText")
    assert text.textCursor().selectedText() == "Maria Gonzalez"  # the list selects the span in the text
    click(qtbot, view, "acceptButton")
    qtbot.waitUntil(lambda: states(ctx, qtbot, rid)[NAME] == ("NAME", "accepted"))
    qtbot.waitUntil(lambda: span_marks(view)[NAME].underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline)
    assert not find(view, QPushButton, "acceptButton").isEnabled()

    select_in_list(qtbot, view, PHONE)
    click(qtbot, view, "rejectButton")
    qtbot.waitUntil(lambda: states(ctx, qtbot, rid)[PHONE] == ("PHONE", "rejected"))
    qtbot.waitUntil(lambda: span_marks(view)[PHONE].underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine)
    assert span_marks(view)[PHONE].background().style() == Qt.BrushStyle.NoBrush
    # A rejected span stays in the clear in the redacted text.
    find(view, QCheckBox, "redactedToggle").click()
    assert text.toPlainText() == "Call [NAME] at 555-0147 tomorrow. Her MRN is [MEDICAL_RECORD_NUMBER], thanks."
    find(view, QCheckBox, "redactedToggle").click()

    select_in_list(qtbot, view, PHONE)
    click(qtbot, view, "pendingButton")
    qtbot.waitUntil(lambda: states(ctx, qtbot, rid)[PHONE] == ("PHONE", "pending"))


def test_review_keys_in_the_list(qtbot, view: TranscriptView, ctx: AppContext, rid: RecordingId) -> None:
    listing = find(view, QListWidget, "redactionList")
    listing.setFocus()
    qtbot.waitUntil(listing.hasFocus)
    listing.setCurrentRow(2)
    qtbot.keyClick(listing, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: states(ctx, qtbot, rid)[MRN][1] == "rejected")


def test_clicking_a_span_selects_it_and_seeks_to_its_word(qtbot, view: TranscriptView) -> None:
    view.click_at(TEXT.index("Gonzalez") + 2)
    red = view.selected_redaction()
    assert red is not None and (red.start, red.end) == NAME
    assert view.player.position_s() == pytest.approx(1.0)  # "Gonzalez" starts at 1000 ms
    # A real click on "tomorrow" seeks there.
    text = find(view, QTextEdit, "transcriptText")
    cursor = QTextCursor(text.document())
    cursor.setPosition(TEXT.index("tomorrow") + 3)
    point = text.cursorRect(cursor).center()
    qtbot.mouseClick(text.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: view.player.position_s() == pytest.approx(3.1))


def test_redact_a_selection_and_remove_it(qtbot, view: TranscriptView, ctx: AppContext, rid: RecordingId) -> None:
    text = find(view, QTextEdit, "transcriptText")
    start = TEXT.index("tomorrow")
    cursor = QTextCursor(text.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len("tomorrow"), QTextCursor.MoveMode.KeepAnchor)
    text.setTextCursor(cursor)
    kinds = find(view, QComboBox, "redactionType")
    kinds.setCurrentIndex(kinds.findData("DATE"))
    click(qtbot, view, "addRedactionButton")
    span = (start, start + len("tomorrow"))
    qtbot.waitUntil(lambda: states(ctx, qtbot, rid).get(span) == ("DATE", "added"))
    qtbot.waitUntil(lambda: span in span_marks(view))
    assert span_marks(view)[span].underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    red = view.selected_redaction()
    assert red is not None and red.state == "added"
    assert not find(view, QPushButton, "acceptButton").isEnabled()
    click(qtbot, view, "removeButton")
    qtbot.waitUntil(lambda: span not in states(ctx, qtbot, rid))
    qtbot.waitUntil(lambda: span not in span_marks(view))


def test_edit_is_undoable_then_saved_with_spans_carried(
    qtbot, view: TranscriptView, ctx: AppContext, rid: RecordingId
) -> None:
    text = find(view, QTextEdit, "transcriptText")
    edit = find(view, QPushButton, "editToggle")
    assert not find(view, QPushButton, "saveEditButton").isEnabled()
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    assert view.editing and not text.isReadOnly()
    assert not span_marks(view)  # highlights hidden while editing
    assert not find(view, QCheckBox, "redactedToggle").isEnabled()

    cursor = text.textCursor()
    cursor.setPosition(0)
    text.setTextCursor(cursor)
    qtbot.keyClicks(text, "Please ")
    edited = "Please " + TEXT
    assert text.toPlainText() == edited and view.has_unsaved_changes
    undo = find(view, QPushButton, "undoButton")
    assert undo.isEnabled()
    while undo.isEnabled():
        qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert text.toPlainText() == TEXT
    qtbot.mouseClick(find(view, QPushButton, "redoButton"), Qt.MouseButton.LeftButton)
    while find(view, QPushButton, "redoButton").isEnabled():
        qtbot.mouseClick(find(view, QPushButton, "redoButton"), Qt.MouseButton.LeftButton)
    assert text.toPlainText() == edited

    click(qtbot, view, "saveEditButton")
    qtbot.waitUntil(lambda: not view.editing and text.isReadOnly())
    assert ask(ctx, qtbot, lambda s: s.transcripts.current_transcript(rid).text) == edited
    shift = len("Please ")
    qtbot.waitUntil(lambda: (NAME[0] + shift, NAME[1] + shift) in span_marks(view))
    assert text.toPlainText() == edited
    # Word timing was kept: "Gonzalez" is still at 1.0-1.5 s.
    view.show_position(1.2)
    assert view.highlighted_word() == (TEXT.index("Gonzalez") + shift, TEXT.index(" at ") + shift)


def test_leaving_an_edit_asks_and_discard_restores_the_text(
    qtbot, view: TranscriptView, ctx: AppContext, rid: RecordingId, monkeypatch
) -> None:
    text = find(view, QTextEdit, "transcriptText")
    edit = find(view, QPushButton, "editToggle")
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(text, "xyz")
    answers = ["cancel", "discard"]
    asked: list[str] = []

    def answer() -> str:
        asked.append(answers[len(asked)])
        return asked[-1]

    monkeypatch.setattr(view, "ask_unsaved", answer)
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    assert view.editing and edit.isChecked() and "xyz" in text.toPlainText()
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    assert not view.editing and not edit.isChecked()
    assert text.toPlainText() == TEXT
    assert ask(ctx, qtbot, lambda s: s.transcripts.current_transcript(rid).text) == TEXT


def test_the_spoken_word_is_highlighted_in_both_modes(qtbot, view: TranscriptView, outputs: FakeOutputs) -> None:
    view.show_position(1.2)  # inside "Gonzalez", 1000-1500 ms
    start = TEXT.index("Gonzalez")
    assert view.highlighted_word() == (start, start + len("Gonzalez"))
    view.show_position(1.55)  # between words
    assert view.highlighted_word() is None
    view.show_position(3.2)
    assert view.highlighted_word() == (TEXT.index("tomorrow."), TEXT.index(" Her"))
    find(view, QCheckBox, "redactedToggle").click()
    assert view.highlighted_word() == (REDACTED.index("tomorrow."), REDACTED.index(" Her"))
    view.show_position(0.6)  # "Maria": the whole [NAME] label
    label = REDACTED.index("[NAME]")
    assert view.highlighted_word() == (label, label + len("[NAME]"))
    # The player drives it: a seek reports the position.
    view.player.seek(4.1)
    assert view.highlighted_word() == (REDACTED.index("Her"), REDACTED.index("Her") + 3)
    # A click on a label seeks to its first word.
    view.click_at(label + 2)
    assert view.player.position_s() == pytest.approx(0.5)


def test_make_redacted_audio_enables_the_redacted_player(qtbot, view: TranscriptView) -> None:
    assert not view.player.redacted_available
    click(qtbot, view, "redactAudioButton")
    qtbot.waitUntil(lambda: view.player.redacted_available, timeout=10_000)
    # name, phone and MRN; the fixture's audio is a tone throughout, so the "speech" in the 300 ms gap
    # between the name and the phone number is masked with them (speech_beside): two passages
    assert "2 passages" in find(view, QLabel, "transcriptInfo").text()
    find(view.player, QComboBox, "audioChoice").setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.player.role == "redacted" and view.player.player is not None)


def test_transcribe_when_there_is_no_transcript(qtbot, ctx: AppContext, unlocked: Session, outputs: Any) -> None:
    bare = add_pcm_recording(unlocked, "bare", tone(3.0), chunk_size=64_000)
    ctx.output_stream = FakeOutputs()
    widget = TranscriptView(ctx)
    qtbot.addWidget(widget)
    widget.show()
    widget.load(bare)
    button = find(widget, QPushButton, "transcribeButton")
    qtbot.waitUntil(button.isVisible)
    assert not find(widget, QPushButton, "editToggle").isEnabled()
    assert not find(widget, QPushButton, "exportButton").isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    text = find(widget, QTextEdit, "transcriptText")
    qtbot.waitUntil(lambda: text.toPlainText().startswith("w0"), timeout=10_000)
    assert not button.isVisible()


def test_detect_button_refinds_pending_details(qtbot, view: TranscriptView, ctx: AppContext, rid: RecordingId) -> None:
    ask(ctx, qtbot, lambda s: [s.review.review_redaction(r.id, "rejected") for r in s.review.redactions(rid)])
    view.refresh()
    qtbot.waitUntil(lambda: all(r.state == "rejected" for r in view.redactions))
    click(qtbot, view, "detectButton")
    qtbot.waitUntil(lambda: not find(view, QPushButton, "detectButton").isEnabled())
    qtbot.waitUntil(lambda: find(view, QPushButton, "detectButton").isEnabled(), timeout=10_000)
    assert all(r.state == "rejected" for r in view.redactions)  # reviewed spans are kept


def all_text(root: QWidget) -> list[str]:
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QTextEdit):
            found.append(widget.toPlainText())
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            found.append(widget.text())
        if isinstance(widget, QComboBox):
            found += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QListWidget):
            found += [widget.item(i).text() for i in range(widget.count())]
        found.append(widget.toolTip())
        found.append(widget.accessibleName())
    return found


def test_clear_leaves_no_transcript_text_anywhere(qtbot, view: TranscriptView, outputs: FakeOutputs) -> None:
    view.show_position(1.2)
    find(view, QCheckBox, "redactedToggle").click()
    view.clear()
    words = ["Maria", "Gonzalez", "555", "4471", "tomorrow", "thanks", "r1"]
    texts = all_text(view)
    assert not [t for t in texts if any(w in t for w in words)]
    assert find(view, QLabel, "transcriptTitle").text() == ""
    assert find(view, QListWidget, "redactionList").count() == 0
    assert not find(view, QTextEdit, "transcriptText").extraSelections()
    assert not find(view, QTextEdit, "transcriptText").document().isUndoAvailable()
    assert view.recording_id is None and view.transcript is None
    assert view.player.player is None and outputs.streams[0].calls[-1] == "close"
    assert not find(view, QCheckBox, "redactedToggle").isChecked()


def test_records_are_not_reloaded_after_clear(qtbot, view: TranscriptView, ctx: AppContext, rid: RecordingId) -> None:
    view.refresh()
    view.clear()  # the refresh's answer comes after this and is dropped
    ask(ctx, qtbot, lambda s: None)
    qtbot.wait(50)
    assert find(view, QTextEdit, "transcriptText").toPlainText() == ""


def rename_speaker(qtbot, view: TranscriptView, offered: list[str], which: str, name: str) -> None:
    """Speakers…, then the two dialogs a user goes through: pick ``which`` among ``offered``, type ``name``."""
    find(view, QPushButton, "renameSpeakersButton").click()
    qtbot.waitUntil(lambda: bool(view.findChildren(QInputDialog, "speakerChoiceDialog")))
    choice = find(view, QInputDialog, "speakerChoiceDialog")
    assert choice.comboBoxItems() == offered
    choice.setTextValue(which)
    choice.accept()
    qtbot.waitUntil(lambda: bool(view.findChildren(QInputDialog, "speakerNameDialog")))
    dialog = find(view, QInputDialog, "speakerNameDialog")
    dialog.setTextValue(name)
    dialog.accept()


def test_speakers_are_renamed_from_the_view(qtbot, ctx: AppContext, unlocked: Session, outputs: FakeOutputs) -> None:
    """A diarized transcript shows the Speakers button; the name chosen is stored through the session."""
    from tests.session.test_review import SEGMENTS, WORDS

    rid = add_transcribed(unlocked, "r2")
    speakers = ["speaker_1"] * 6 + ["speaker_2"] * 5
    unlocked.transcripts.save_transcript(Transcript(
        records.TranscriptId("t-r2-d"), rid, 2, "nemo", "test/model", TEXT,
        tuple(Word(*w, s) for w, s in zip(WORDS, speakers, strict=True)), "en",
        tuple(Segment(*x) for x in SEGMENTS), "cpu",
    ))  # fmt: skip
    widget = TranscriptView(ctx)
    qtbot.addWidget(widget)
    widget.show()
    widget.load(rid)
    button = find(widget, QPushButton, "renameSpeakersButton")
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled())
    rename_speaker(qtbot, widget, ["Speaker 1", "Speaker 2"], "Speaker 2", "Maria Gonzalez")
    named = {"speaker_2": "Maria Gonzalez"}
    qtbot.waitUntil(lambda: ask(ctx, qtbot, lambda s: s.transcripts.speaker_names(rid)) == named)


def test_an_undiarized_transcript_has_no_speakers_button(view: TranscriptView) -> None:
    assert not find(view, QPushButton, "renameSpeakersButton").isVisible()
