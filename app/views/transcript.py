"""One recording's transcript: read it, review its personal details, correct it, and listen along.

The text shows every redaction span as an extra selection (the document is not
touched, so the editor's undo stack holds only the user's edits): a background
per entity type, lighter and dashed while pending, solid once accepted or added
by the user, no background and a dotted grey underline once rejected. A toggle
shows the text as it leaves the vault, each span in force replaced by its
``[TYPE]`` label; positions map both ways between that text and the original,
so clicks, the word highlight and list selections stay right in either mode.

A diarized transcript is shown in turns: each speaker's turn is a paragraph led
by the speaker's name (never a given name in the redacted text: it is a
person's name), in bold and a colour per speaker. Names and paragraph breaks
are pieces of the display only, mapped like the ``[TYPE]`` labels, and their
look is a highlighter's (the layout's formats, not the document's), so the
text, the undo stack and edits never hold them; editing shows the plain text.

While the audio plays, the word being spoken is highlighted; a click on a word
(while not editing; Ctrl+click always) seeks to it. Editing works on the
original text with the editor's own undo; saving hands the text to
``session.transcripts.edit_transcript``, which keeps word timing and moves the spans.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QHelpEvent,
    QKeySequence,
    QMouseEvent,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app import actions
from app.context import AppContext
from app.errors import show_error
from app.i18n import tr
from app.tasks import Task
from app.widgets.controls import button as make_button
from app.widgets.player import PlayerWidget
from core.errors import BadInput
from core.export import speaker_display
from core.progress import CancelToken
from core.redaction.timing import WordMap
from core.redaction.types import ENTITY_TYPES
from core.session import RedactedAudio, Session
from core.transcript_display import Display, Turn
from core.types import Recording, RecordingId, Redaction, Transcript

ID_ROLE = Qt.ItemDataRole.UserRole
#: ExtraSelection formats carry what they mark under this property: "redaction:<id>" or "word".
MARK = QTextFormat.Property.UserProperty
SNIPPET_CHARS = 60
CLICK_SLOP_PX = 4

#: Mid-tone hues: under a translucent fill both dark and light text stay readable on either theme.
TYPE_COLOURS: dict[str, str] = {
    "NAME": "#e8912d",
    "ADDRESS": "#3f9f5f",
    "DATE": "#3d7fd9",
    "AGE": "#8e63ce",
    "PHONE": "#d04f8a",
    "FAX": "#d04f8a",
    "EMAIL": "#1f9fb0",
    "URL": "#1f9fb0",
    "IP_ADDRESS": "#1f9fb0",
    "SSN": "#d64541",
    "MEDICAL_RECORD_NUMBER": "#b8860b",
    "HEALTH_PLAN_ID": "#b8860b",
}
OTHER_COLOUR = "#7f8c8d"
ALPHA = {"pending": 70, "accepted": 150, "added": 150}
#: Speakers' hues, in order of first word; the lightness follows the palette (``speaker_format``).
SPEAKER_HUES = (210, 25, 130, 285, 345, 175, 50, 250)


def state_label(state: str) -> str:
    return {
        "pending": tr("pending"),
        "accepted": tr("accepted"),
        "rejected": tr("rejected"),
        "added": tr("added by you"),
    }.get(state, state)


def span_format(entity_type: str, state: str, palette: QPalette) -> QTextCharFormat:
    """How a span looks: pending dashed and light, accepted and added solid, rejected only dotted grey."""
    colour = QColor(TYPE_COLOURS.get(entity_type, OTHER_COLOUR))
    fmt = QTextCharFormat()
    if state == "rejected":
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setUnderlineColor(palette.color(QPalette.ColorRole.PlaceholderText))
        return fmt
    fill = QColor(colour)
    fill.setAlpha(ALPHA.get(state, 150))
    fmt.setBackground(fill)
    if state == "pending":
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        fmt.setUnderlineColor(colour)
    elif state == "added":
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        fmt.setUnderlineColor(palette.color(QPalette.ColorRole.Text))
    return fmt


def speaker_format(index: int, palette: QPalette) -> QTextCharFormat:
    """A speaker's name: bold, in the speaker's hue, dark on a light base and light on a dark one."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    fmt = QTextCharFormat()
    fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setForeground(QColor.fromHsl(SPEAKER_HUES[index % len(SPEAKER_HUES)], 170, 175 if dark else 80))
    return fmt


# -- Qt positions ----------------------------------------------------------------------------


class Utf16:
    """Python string indices to QTextDocument positions (UTF-16 code units) and back."""

    def __init__(self, text: str) -> None:
        self._units: list[int] | None = None
        if any(ord(c) > 0xFFFF for c in text):
            units = [0]
            for c in text:
                units.append(units[-1] + (2 if ord(c) > 0xFFFF else 1))
            self._units = units

    def to_qt(self, index: int) -> int:
        return index if self._units is None else self._units[max(0, min(index, len(self._units) - 1))]

    def from_qt(self, position: int) -> int:
        return position if self._units is None else max(0, bisect.bisect_right(self._units, position) - 1)


class SpeakerNames(QSyntaxHighlighter):
    """Gives the speakers' names their look as the layout's formats, which the document, its undo stack
    and ``setPlainText`` never carry. The marks are set before the text they fit: setting it highlights."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._marks: list[tuple[int, int, QTextCharFormat]] = []
        self._ends: list[int] = []

    def set_marks(self, marks: list[tuple[int, int, QTextCharFormat]]) -> None:
        """[start, end) in Qt positions, sorted and apart, each with its look."""
        self._marks = marks
        self._ends = [b for _a, b, _fmt in marks]

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        start, end = block.position(), block.position() + block.length() - 1
        i = bisect.bisect_right(self._ends, start)
        while i < len(self._marks) and self._marks[i][0] < end:
            a, b, fmt = self._marks[i]
            self.setFormat(max(a, start) - start, min(b, end) - max(a, start), fmt)
            i += 1


# -- loading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    recording: Recording | None
    transcript: Transcript | None
    redactions: list[Redaction]
    speaker_names: dict[str, str]


def fetch(s: Session, rid: RecordingId) -> Loaded:
    """The recording, its current transcript (None before transcription), its redactions and the names
    given to its speakers (on the worker)."""
    recording = s.recordings.get(rid)
    if recording is None:
        return Loaded(None, None, [], {})
    try:
        transcript = s.transcripts.current_transcript(rid)
    except BadInput:
        return Loaded(recording, None, [], {})
    return Loaded(recording, transcript, s.review.redactions(rid), s.transcripts.speaker_names(rid))


def _button(text: str, name: str, tip: str, slot: Callable[[], Any], *, shortcut: str | None = None) -> QPushButton:
    return make_button(text, name, slot, tip=tip, shortcut=shortcut)


class TranscriptView(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        *,
        on_export: Callable[[RecordingId], None] | None = None,
        on_vocabulary: Callable[[RecordingId, str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptView")
        self._ctx = ctx
        self._on_export = on_export
        self._on_vocabulary = on_vocabulary
        self._rid: RecordingId | None = None
        self._recording: Recording | None = None
        self._transcript: Transcript | None = None
        self._redactions: list[Redaction] = []
        self._speaker_names: dict[str, str] = {}
        self._words = WordMap((), (), (), ())
        self._display: Display | None = None
        self._utf16 = Utf16("")
        self._word: tuple[int, int] | None = None  # the spoken word, in the transcript's offsets
        self._editing = False
        self._saving = False
        self._generation = 0  # bumped by load and clear: answers for an older recording are dropped
        self._tasks: dict[str, Task[Any]] = {}
        self._press_at: QPoint | None = None

        # -- header
        self.title = QLabel()
        self.title.setObjectName("transcriptTitle")
        self.title.setAccessibleName(tr("Recording title"))
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.info = QLabel()
        self.info.setObjectName("transcriptInfo")
        self.info.setAccessibleName(tr("Status"))
        self.info.setWordWrap(True)
        self.transcribe_button = _button(
            tr("&Transcribe"), "transcribeButton", tr("Make a transcript of this recording"), self.transcribe
        )
        self.detect_button = _button(
            tr("Find &personal details"), "detectButton",
            tr("Look for names, numbers and other personal details; new finds are pending review"), self.detect,
        )  # fmt: skip
        self.redact_audio_button = _button(
            tr("Make redacted au&dio"), "redactAudioButton",
            tr("Make a copy of the audio with every span not rejected masked by a tone"), self.make_redacted_audio,
        )  # fmt: skip
        self.export_button = _button(
            tr("E&xport…"), "exportButton", tr("Export the transcript, redacted or not"), self.export
        )
        self.vocabulary_button = _button(
            tr("Participants…"), "recordingVocabularyButton",
            tr("Names and terms for this recording: used when it is transcribed, redacted if you tick it"),
            self.edit_vocabulary,
        )  # fmt: skip
        self.speakers_button = _button(
            tr("Speakers…"), "renameSpeakersButton",
            tr("Name the speakers told apart in this transcript; names show in exports that are not redacted, "
               "and are redacted as names"),
            self.rename_speaker,
        )  # fmt: skip
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        for button in (
            self.speakers_button, self.vocabulary_button, self.transcribe_button, self.detect_button,
            self.redact_audio_button, self.export_button,
        ):  # fmt: skip
            header.addWidget(button)

        # -- text and its toolbar
        self.redacted_toggle = QCheckBox(tr("Show redacted text"))
        self.redacted_toggle.setObjectName("redactedToggle")
        self.redacted_toggle.setAccessibleName(tr("Show redacted text"))
        self.redacted_toggle.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.redacted_toggle.setToolTip(
            tr("Show the text as it leaves the vault, each personal detail replaced by its type ({keys})").format(
                keys=QKeySequence("Ctrl+Shift+R").toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        self.redacted_toggle.toggled.connect(lambda _on: self._render())
        self.edit_toggle = _button(
            tr("&Edit text"), "editToggle", tr("Correct the transcript; the audio timing is kept"),
            lambda: self.set_editing(self.edit_toggle.isChecked()), shortcut="Ctrl+Shift+E",
        )  # fmt: skip
        self.edit_toggle.setCheckable(True)
        self.undo_button = _button(tr("Undo"), "undoButton", tr("Undo the last edit"), self._undo)
        self.undo_button.setToolTip(
            tr("Undo the last edit ({keys})").format(keys=_native(QKeySequence.StandardKey.Undo))
        )
        self.redo_button = _button(tr("Redo"), "redoButton", tr("Redo"), self._redo)
        self.redo_button.setToolTip(
            tr("Redo the edit undone last ({keys})").format(keys=_native(QKeySequence.StandardKey.Redo))
        )
        self.save_button = _button(
            tr("Save"), "saveEditButton", tr("Save the corrected text"), lambda: self.save_edit(), shortcut="Ctrl+S"
        )
        tools = QHBoxLayout()
        for widget in (self.redacted_toggle, self.edit_toggle, self.undo_button, self.redo_button, self.save_button):
            tools.addWidget(widget)
        tools.addStretch()

        self.text = QTextEdit()
        self.text.setObjectName("transcriptText")
        self.text.setAccessibleName(tr("Transcript"))
        self.text.setAcceptRichText(False)
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.text.setToolTip("")
        self._speaker_look = SpeakerNames(self.text.document())
        self.text.viewport().installEventFilter(self)
        self.text.selectionChanged.connect(self._update_buttons)
        document = self.text.document()
        document.undoAvailable.connect(lambda _on: self._update_buttons())
        document.redoAvailable.connect(lambda _on: self._update_buttons())
        document.modificationChanged.connect(lambda _on: self._update_buttons())

        # -- review panel
        self.redaction_list = QListWidget()
        self.redaction_list.setObjectName("redactionList")
        self.redaction_list.setAccessibleName(tr("Personal details found"))
        self.redaction_list.setToolTip(
            tr("Personal details in this transcript. With the list focused: A accept, R reject, P back to pending, "
               "Delete remove one you added. F8 and Shift+F8 go to the next and previous one.")
        )  # fmt: skip
        self.redaction_list.currentItemChanged.connect(lambda _new, _old: self._list_moved())
        self.accept_button = _button(
            tr("&Accept"), "acceptButton", tr("Redact this span (A in the list)"), lambda: self.review("accepted")
        )
        self.reject_button = _button(
            tr("Re&ject"), "rejectButton", tr("Keep this span in the clear (R in the list)"),
            lambda: self.review("rejected"),
        )  # fmt: skip
        self.pending_button = _button(
            tr("Reset to pe&nding"), "pendingButton", tr("Undo the review of this span (P in the list)"),
            lambda: self.review("pending"),
        )  # fmt: skip
        self.remove_button = _button(
            tr("Re&move"), "removeButton", tr("Remove a span you added (Delete in the list)"), self.remove_selected
        )
        self.type_box = QComboBox()
        self.type_box.setObjectName("redactionType")
        self.type_box.setAccessibleName(tr("Kind of personal detail"))
        self.type_box.setToolTip(tr("The kind of personal detail the selected text is"))
        for entity_type in ENTITY_TYPES:
            self.type_box.addItem(entity_type, entity_type)
        self.add_button = _button(
            tr("Redact selection"), "addRedactionButton",
            tr("Mark the selected text as a personal detail of the chosen kind"), self.add_selection,
            shortcut="Ctrl+Shift+D",
        )  # fmt: skip
        self._list_action("A", "acceptKey", lambda: self.review("accepted"))
        self._list_action("R", "rejectKey", lambda: self.review("rejected"))
        self._list_action("P", "pendingKey", lambda: self.review("pending"))
        self._list_action(QKeySequence.StandardKey.Delete, "removeKey", self.remove_selected)
        self._view_action(tr("Next personal detail"), "nextRedaction", "F8", lambda: self.step_redaction(1))
        self._view_action(
            tr("Previous personal detail"), "previousRedaction", "Shift+F8", lambda: self.step_redaction(-1)
        )
        legend = QLabel(
            tr("Light, dashed: pending (redacted until you review it). Solid: accepted. Underlined: added by you. "
               "Dotted grey: rejected, left in the clear.")
        )  # fmt: skip
        legend.setObjectName("redactionLegend")
        legend.setWordWrap(True)
        review_row = QHBoxLayout()
        for button in (self.accept_button, self.reject_button):
            review_row.addWidget(button)
        review_row2 = QHBoxLayout()
        for button in (self.pending_button, self.remove_button):
            review_row2.addWidget(button)
        add_row = QHBoxLayout()
        add_row.addWidget(self.type_box, 1)
        add_row.addWidget(self.add_button)
        panel = QWidget()
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.addWidget(QLabel(tr("Personal details")))
        panel_layout.addWidget(self.redaction_list, 1)
        panel_layout.addLayout(review_row)
        panel_layout.addLayout(review_row2)
        panel_layout.addLayout(add_row)
        panel_layout.addWidget(legend)

        splitter = QSplitter()
        splitter.setObjectName("transcriptSplitter")
        splitter.addWidget(self.text)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        # -- player
        self.player = PlayerWidget(ctx, on_position=self.show_position)
        for action in self.player.actions_for_view:
            self.addAction(action)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.info)
        layout.addLayout(tools)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.player)
        self._update_buttons()

    def _list_action(self, keys: str | QKeySequence.StandardKey, name: str, slot: Callable[[], None]) -> None:
        action = QAction(self.redaction_list)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.redaction_list.addAction(action)

    def _view_action(self, text: str, name: str, keys: str, slot: Callable[[], None]) -> None:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)

    # -- public -------------------------------------------------------------------------------------

    @property
    def recording_id(self) -> RecordingId | None:
        return self._rid

    @property
    def transcript(self) -> Transcript | None:
        return self._transcript

    @property
    def redactions(self) -> list[Redaction]:
        return list(self._redactions)

    @property
    def editing(self) -> bool:
        return self._editing

    @property
    def has_unsaved_changes(self) -> bool:
        return self._editing and self.text.document().isModified()

    def load(self, rid: RecordingId) -> None:
        """Show a recording; with unsaved edits of another one, ask first."""
        if self.has_unsaved_changes and rid != self._rid:
            answer = self.ask_unsaved()
            if answer == "cancel":
                return
            if answer == "save":
                self.save_edit(then=lambda: self.load(rid))
                return
        self._reset()
        self._rid = rid
        self.info.setText(tr("Loading…"))
        self.player.load(rid)
        self.refresh()

    def refresh(self) -> None:
        """Read the recording, transcript and spans again; unsaved edits in the editor are kept."""
        rid = self._rid
        if rid is None:
            return
        generation = self._generation
        self._ctx.worker.op(self, lambda s: fetch(s, rid)).success(lambda loaded: self._show(generation, loaded)).run()

    def clear(self) -> None:
        """Drop everything: text, title, spans, edits and the player (the vault is locking)."""
        self._reset()
        self._update_buttons()

    def _reset(self) -> None:
        self._generation += 1
        self._rid = None
        self._recording = None
        self._transcript = None
        self._redactions = []
        self._speaker_names = {}
        self._words = WordMap((), (), (), ())
        self._display = None
        self._speaker_look.set_marks([])
        self._utf16 = Utf16("")
        self._word = None
        self._editing = self._saving = False
        self._tasks = {}
        for toggle in (self.edit_toggle, self.redacted_toggle):
            blocked = toggle.blockSignals(True)
            toggle.setChecked(False)
            toggle.blockSignals(blocked)
        self.text.setExtraSelections([])
        self.text.clear()  # the undo history too
        self.text.setPlaceholderText("")
        self._set_read_only(True)
        self.title.clear()
        self.info.clear()
        self.redaction_list.clear()
        self.player.unload()
        QToolTip.hideText()

    # -- showing -------------------------------------------------------------------------------------

    def _show(self, generation: int, loaded: Loaded) -> None:
        if generation != self._generation:
            return
        if loaded.recording is None:
            self._reset()
            self.info.setText(tr("This recording is no longer in the vault."))
            self._update_buttons()
            return
        self._recording = loaded.recording
        self.title.setText(loaded.recording.title)
        self._transcript = loaded.transcript
        self._redactions = sorted(loaded.redactions, key=lambda r: (r.start, r.end, r.id))
        self._speaker_names = loaded.speaker_names
        if loaded.transcript is None:
            self._words = WordMap((), (), (), ())
            self.info.setText(tr("This recording has no transcript yet."))
            self.text.clear()
            self.text.setPlaceholderText(tr("No transcript yet: choose Transcribe to make one."))
            self._display = None
        else:
            self._words = WordMap.build(loaded.transcript.text, loaded.transcript.words)
            pending = sum(r.state == "pending" for r in self._redactions)
            self.info.setText(
                tr("{count} personal details await your review.").format(count=pending) if pending else ""
            )
            if not self._editing:
                self._render()
            else:
                self._fill_list()
        self._update_buttons()

    @property
    def redacted_mode(self) -> bool:
        return self.redacted_toggle.isChecked() and not self._editing

    def _render(self) -> None:
        """Put the original or the redacted text in the editor, keeping the scroll and the selected span."""
        transcript = self._transcript
        if transcript is None or self._editing:
            self._update_buttons()
            return
        selected = self.selected_redaction()
        self._display = Display(
            transcript.text,
            self._redactions if self.redacted_mode else None,
            self._turns(),
            name_format=tr("{speaker}: "),
        )
        self._utf16 = Utf16(self._display.text)
        self._speaker_look.set_marks(self._speaker_marks())  # before the text: setPlainText highlights it
        bar = self.text.verticalScrollBar()
        scrolled = bar.value()
        self.text.setPlainText(self._display.text)
        bar.setValue(scrolled)
        self._fill_list(selected.id if selected is not None else None)
        self._update_selections()
        self._update_buttons()

    def _turns(self) -> list[Turn]:
        """Where each speaker's turn starts, named as the shown text allows: a given name only in the clear."""
        turns: list[Turn] = []
        if self._transcript is None:
            return turns
        # WordMap skips words the text no longer holds (edits), so speakers are found by their times.
        speaker_at = {(w.start_ms, w.end_ms): w.speaker for w in self._transcript.words if w.speaker is not None}
        words = self._words
        for start, t0, t1 in zip(words.starts, words.start_ms, words.end_ms, strict=True):
            label = speaker_at.get((t0, t1))
            if label is not None and (not turns or turns[-1].speaker != label):
                name = speaker_display(label, self._speaker_names, redacted=self.redacted_mode)
                turns.append(Turn(start, label, name))
        return turns

    def _speaker_marks(self) -> list[tuple[int, int, QTextCharFormat]]:
        """The shown names' places (Qt positions) and looks, a colour per speaker in order of first word."""
        if self._display is None:
            return []
        index = {label: i for i, label in enumerate(self._speaker_labels())}
        palette = self.text.palette()
        return [
            (self._utf16.to_qt(p.disp_start), self._utf16.to_qt(p.disp_end), speaker_format(index[p.speaker], palette))
            for p in self._display.pieces
            if p.speaker is not None
        ]

    def _fill_list(self, select_id: int | None = None) -> None:
        if select_id is None:
            current = self.selected_redaction()
            select_id = current.id if current is not None else None
        text = self._transcript.text if self._transcript is not None else ""
        blocked = self.redaction_list.blockSignals(True)
        self.redaction_list.clear()
        for red in self._redactions:
            parts = [red.type, state_label(red.state)]
            if not self.redacted_mode:
                snippet = text[red.start : red.end].replace("\n", " ")
                parts.append(snippet if len(snippet) <= SNIPPET_CHARS else snippet[: SNIPPET_CHARS - 1] + "…")
            item = QListWidgetItem(" · ".join(parts))
            item.setData(ID_ROLE, red.id)
            item.setData(Qt.ItemDataRole.DecorationRole, QColor(TYPE_COLOURS.get(red.type, OTHER_COLOUR)))
            item.setToolTip(tr("{type}, {state}").format(type=red.type, state=state_label(red.state)))
            self.redaction_list.addItem(item)
            if red.id == select_id:
                self.redaction_list.setCurrentItem(item)
        self.redaction_list.blockSignals(blocked)

    def _cursor(self, start: int, end: int) -> QTextCursor:
        """A cursor over [start, end) of the shown text (Python indices)."""
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self._utf16.to_qt(start))
        cursor.setPosition(self._utf16.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _update_selections(self) -> None:
        display = self._display
        selections: list[QTextEdit.ExtraSelection] = []
        if display is not None and not self._editing:
            palette = self.text.palette()
            for red in self._redactions:
                a, b = display.to_display(red.start, red.end)
                if a >= b:
                    continue
                selection = QTextEdit.ExtraSelection()
                selection.cursor = self._cursor(a, b)
                fmt = span_format(red.type, red.state, palette)
                fmt.setProperty(MARK, f"redaction:{red.id}")
                selection.format = fmt
                selections.append(selection)
            if self._word is not None:
                a, b = display.to_display(*self._word)
                if a < b:
                    selection = QTextEdit.ExtraSelection()
                    selection.cursor = self._cursor(a, b)
                    fmt = QTextCharFormat()
                    fmt.setBackground(palette.color(QPalette.ColorRole.Highlight))
                    fmt.setForeground(palette.color(QPalette.ColorRole.HighlightedText))
                    fmt.setProperty(MARK, "word")
                    selection.format = fmt
                    selections.append(selection)
        self.text.setExtraSelections(selections)

    def highlighted_word(self) -> tuple[int, int] | None:
        """The shown text's range highlighted as the spoken word, or None."""
        for selection in self.text.extraSelections():
            if selection.format.property(MARK) == "word":
                cursor = selection.cursor
                return self._utf16.from_qt(cursor.selectionStart()), self._utf16.from_qt(cursor.selectionEnd())
        return None

    # -- word-synced playback ----------------------------------------------------------------------

    def show_position(self, seconds: float) -> None:
        """Highlight the word spoken at ``seconds`` (the player calls this as it plays)."""
        word = self._word_at_ms(int(seconds * 1000)) if not self._editing else None
        if word == self._word:
            return
        self._word = word
        self._update_selections()
        if word is not None and self.player.playing and self._display is not None:
            a, b = self._display.to_display(*word)
            self._scroll_to(a, b)

    def _word_at_ms(self, ms: int) -> tuple[int, int] | None:
        words = self._words
        i = bisect.bisect_right(words.start_ms, ms) - 1
        if i >= 0 and ms < words.end_ms[i]:
            return words.starts[i], words.ends[i]
        return None

    def _scroll_to(self, start: int, end: int) -> None:
        rect = self.text.cursorRect(self._cursor(start, end))
        viewport = self.text.viewport().rect()
        if not viewport.contains(rect):
            bar = self.text.verticalScrollBar()
            bar.setValue(bar.value() + rect.center().y() - viewport.center().y())

    def _seek_to_original(self, pos: int, piece_start: int | None = None) -> bool:
        """Seek to the word at (or, for a label, the first word inside) the original position; True if one was."""
        words = self._words
        if piece_start is not None:
            i = bisect.bisect_left(words.starts, piece_start)
            ok = i < len(words.starts) and words.starts[i] < pos
        else:
            i = bisect.bisect_right(words.starts, pos) - 1
            ok = i >= 0 and pos < words.ends[i]
        if not ok:
            return False
        self.player.seek(words.start_ms[i] / 1000)
        return True

    # -- mouse and tooltips on the text ---------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text.viewport():
            kind = event.type()
            if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
                self._press_at = event.position().toPoint()
            elif kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
                point = event.position().toPoint()
                pressed, self._press_at = self._press_at, None
                if (
                    event.button() == Qt.MouseButton.LeftButton
                    and pressed is not None
                    and (point - pressed).manhattanLength() <= CLICK_SLOP_PX
                ):
                    ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
                    self.click_at(self._utf16.from_qt(self.text.cursorForPosition(point).position()), ctrl=ctrl)
            elif kind == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
                self._tooltip(event)
                return True
            elif kind == QEvent.Type.PaletteChange:  # the editor's palette is current by the time its viewport's is
                self._speaker_look.set_marks(self._speaker_marks())  # light names on a dark base, dark on a light one
                self._speaker_look.rehighlight()
        return super().eventFilter(watched, event)

    def _redactions_at(self, display_pos: int) -> list[Redaction]:
        display = self._display
        if display is None:
            return []
        pos, piece = display.to_original(display_pos)
        if piece.speaker is not None:
            return []
        if piece.label:
            return [r for r in self._redactions if r.start < piece.orig_end and r.end > piece.orig_start]
        return sorted((r for r in self._redactions if r.start <= pos < r.end), key=lambda r: (r.end - r.start, r.id))

    def click_at(self, display_pos: int, *, ctrl: bool = False) -> None:
        """A click at a position of the shown text: select the span there, and seek to the word."""
        if self._display is None:
            return
        if not self._editing:
            found = self._redactions_at(display_pos)
            if found:
                self.select_redaction(found[0].id, select_text=False)
        if not self._editing or ctrl:
            pos, piece = self._display.to_original(display_pos)
            self._seek_to_original(piece.orig_end if piece.label else pos, piece.orig_start if piece.label else None)

    def _tooltip(self, event: QHelpEvent) -> None:
        if self._display is None or self._editing:
            QToolTip.hideText()
            return
        pos = self._utf16.from_qt(self.text.cursorForPosition(event.pos()).position())
        found = self._redactions_at(pos)
        if not found:
            QToolTip.hideText()
            return
        lines = [tr("{type}, {state}").format(type=r.type, state=state_label(r.state)) for r in found]
        QToolTip.showText(event.globalPos(), "\n".join(lines), self.text.viewport())

    # -- review ----------------------------------------------------------------------------------------

    def selected_redaction(self) -> Redaction | None:
        item = self.redaction_list.currentItem()
        if item is None:
            return None
        red_id = item.data(ID_ROLE)
        return next((r for r in self._redactions if r.id == red_id), None)

    def select_redaction(self, redaction_id: int, *, select_text: bool = True) -> None:
        for row in range(self.redaction_list.count()):
            item = self.redaction_list.item(row)
            if item.data(ID_ROLE) == redaction_id:
                blocked = self.redaction_list.blockSignals(True)
                self.redaction_list.setCurrentItem(item)
                self.redaction_list.blockSignals(blocked)
                self._list_moved(select_text=select_text)
                return

    def _list_moved(self, *, select_text: bool = True) -> None:
        red = self.selected_redaction()
        if red is not None and select_text and self._display is not None and not self._editing:
            a, b = self._display.to_display(red.start, red.end)
            self.text.setTextCursor(self._cursor(a, b))
            self.text.ensureCursorVisible()
        self._update_buttons()

    def step_redaction(self, step: int) -> None:
        count = self.redaction_list.count()
        if count:
            row = self.redaction_list.currentRow()
            self.redaction_list.setCurrentRow((row + step) % count if row >= 0 else (0 if step > 0 else count - 1))

    def review(self, state: str) -> None:
        red = self.selected_redaction()
        if red is None or red.state == "added" or red.state == state or self._editing:
            return
        red_id = red.id
        review = self._ctx.worker.op(self, lambda s: s.review.review_redaction(red_id, state))
        review.success(lambda _r: self.refresh()).run()

    def remove_selected(self) -> None:
        red = self.selected_redaction()
        if red is None or red.state != "added" or self._editing:
            return
        red_id = red.id
        self._ctx.worker.op(self, lambda s: s.review.remove_redaction(red_id)).success(lambda _r: self.refresh()).run()

    def add_selection(self) -> None:
        """Mark the selected original text as a span of the chosen type."""
        rid = self._rid
        cursor = self.text.textCursor()
        display = self._display
        if rid is None or display is None or self.redacted_mode or self._editing or not cursor.hasSelection():
            return
        start = display.to_original(self._utf16.from_qt(cursor.selectionStart()))[0]
        end = display.to_original(self._utf16.from_qt(cursor.selectionEnd()))[0]
        if start >= end:  # only a speaker's name
            return
        entity_type = str(self.type_box.currentData())
        generation = self._generation

        def added(red: Redaction) -> None:
            if generation == self._generation:
                self._redactions.append(red)  # shown as selected once the refresh lands
                self._fill_list(red.id)
                self.refresh()

        self._ctx.worker.op(self, lambda s: s.review.add_redaction(rid, start, end, entity_type)).success(added).run()

    # -- editing ---------------------------------------------------------------------------------------

    def set_editing(self, on: bool) -> None:
        """Turn editing of the original text on or off; off with unsaved changes asks first."""
        if on == self._editing:
            self._sync_edit_toggle()
            return
        if on:
            if self._transcript is None or self._saving:
                self._sync_edit_toggle()
                return
            self._editing = True
            self._word = None
            blocked = self.redacted_toggle.blockSignals(True)
            self.redacted_toggle.setChecked(False)
            self.redacted_toggle.blockSignals(blocked)
            self._display = Display(self._transcript.text)
            self._utf16 = Utf16(self._transcript.text)
            self._speaker_look.set_marks([])
            if self.text.toPlainText() != self._transcript.text:
                self.text.setPlainText(self._transcript.text)
            document = self.text.document()
            document.clearUndoRedoStacks()
            document.setModified(False)
            self._set_read_only(False)
            self._update_selections()
            self.text.setFocus()
        else:
            if self.text.document().isModified():
                answer = self.ask_unsaved()
                if answer == "cancel":
                    self._sync_edit_toggle()
                    return
                if answer == "save":
                    self.save_edit()
                    return
            self._stop_editing()
        self._sync_edit_toggle()
        self._update_buttons()

    def _stop_editing(self) -> None:
        self._editing = False
        self._set_read_only(True)
        self.text.document().clearUndoRedoStacks()
        self._render()
        self._sync_edit_toggle()

    def _sync_edit_toggle(self) -> None:
        if self.edit_toggle.isChecked() != self._editing:
            blocked = self.edit_toggle.blockSignals(True)
            self.edit_toggle.setChecked(self._editing)
            self.edit_toggle.blockSignals(blocked)

    def _set_read_only(self, read_only: bool) -> None:
        self.text.setReadOnly(read_only)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
            if read_only
            else Qt.TextInteractionFlag.TextEditorInteraction
        )

    def ask_unsaved(self) -> str:
        """Ask what to do with unsaved edits: "save", "discard" or "cancel"."""
        box = QMessageBox(
            QMessageBox.Icon.Question, tr("Unsaved changes"), tr("Save your changes to the transcript?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )  # fmt: skip
        box.setObjectName("unsavedBox")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        box.deleteLater()
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        if answer == QMessageBox.StandardButton.Discard:
            return "discard"
        return "cancel"

    def _undo(self) -> None:
        if self._editing:
            self.text.undo()

    def _redo(self) -> None:
        if self._editing:
            self.text.redo()

    def save_edit(self, then: Callable[[], None] | None = None) -> None:
        """Save the edited text; the core keeps word timing and moves the spans. ``then`` runs after."""
        rid, transcript = self._rid, self._transcript
        if not self._editing or self._saving or rid is None or transcript is None:
            return
        text = self.text.toPlainText()
        if text == transcript.text:
            self._stop_editing()
            self._update_buttons()
            if then is not None:
                then()
            return
        self._saving = True
        self._set_read_only(True)
        self._update_buttons()
        generation = self._generation

        def saved(after: Transcript) -> None:
            if generation != self._generation:
                return
            self._saving = False
            self._transcript = after
            self._words = WordMap.build(after.text, after.words)
            self._stop_editing()
            self.refresh()
            if then is not None:
                then()

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self._saving = False
                self._set_read_only(False)
                self._update_buttons()
            show_error(self, exc)

        self._ctx.worker.op(self, lambda s: s.transcripts.edit_transcript(rid, text)).success(saved).failure(
            failed
        ).run()

    # -- long actions ----------------------------------------------------------------------------------

    def _title_text(self) -> str:
        return self._recording.title if self._recording is not None else ""

    def _start(self, kind: str, task: Task[Any], on_done: Callable[[Any], None] | None = None) -> None:
        rid, generation = self._rid, self._generation
        self._tasks[kind] = task

        def ended(result: Any = None) -> None:
            if not shiboken6.isValid(self) or generation != self._generation or rid != self._rid:
                return
            self._update_buttons()
            if on_done is not None and task.state == "done":
                on_done(result)

        task.on_done(ended)

        def failed(exc: Exception) -> None:
            ended()
            _show_failure(self, exc)

        task.on_failed(failed)
        self._update_buttons()

    def transcribe(self) -> None:
        if self._rid is None or self._transcript is not None or self._running("transcribe"):
            return
        self._start(
            "transcribe", actions.transcribe(self._ctx, self._rid, self._title_text()), lambda _t: self.refresh()
        )

    def detect(self) -> None:
        if self._rid is None or self._transcript is None or self._running("detect"):
            return
        self._start("detect", actions.detect(self._ctx, self._rid, self._title_text()), lambda _r: self.refresh())

    # -- speakers ------------------------------------------------------------------------------------

    def _speaker_labels(self) -> list[str]:
        """The diarizer's labels in this transcript, in order of first word."""
        words = self._transcript.words if self._transcript is not None else ()
        return list(dict.fromkeys(w.speaker for w in words if w.speaker is not None))

    def rename_speaker(self) -> None:
        """Pick a speaker, then type a name (empty takes the name away); the session stores it."""
        rid, labels = self._rid, self._speaker_labels()
        if rid is None or not labels:
            return
        self._ctx.worker.op(self, lambda s: s.transcripts.speaker_names(rid)).success(
            lambda names: self._choose_speaker(rid, labels, names)
        ).run()

    def _choose_speaker(self, rid: RecordingId, labels: list[str], names: dict[str, str]) -> None:
        if rid != self._rid or not shiboken6.isValid(self):
            return
        items = [
            speaker_display(label, {}, redacted=False) + (f": {names[label]}" if label in names else "")
            for label in labels
        ]
        dialog = QInputDialog(self)
        dialog.setObjectName("speakerChoiceDialog")
        dialog.setWindowTitle(tr("Speakers"))
        dialog.setLabelText(tr("Which speaker?"))
        dialog.setComboBoxItems(items)
        dialog.setAccessibleName(tr("Choose a speaker"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(lambda item: self._ask_name(rid, labels[items.index(item)], names))
        dialog.open()

    def _ask_name(self, rid: RecordingId, label: str, names: dict[str, str]) -> None:
        dialog = QInputDialog(self)
        dialog.setObjectName("speakerNameDialog")
        dialog.setWindowTitle(tr("Speakers"))
        dialog.setLabelText(
            tr("Name of {speaker} (empty for none):").format(speaker=speaker_display(label, {}, redacted=False))
        )
        dialog.setTextValue(names.get(label, ""))
        dialog.setAccessibleName(tr("Speaker's name"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(
            lambda name: (
                self._ctx.worker.op(self, lambda s: s.transcripts.rename_speaker(rid, label, name))
                .success(lambda _r: self.refresh())
                .run()
            )
        )
        dialog.open()

    def make_redacted_audio(self) -> None:
        rid = self._rid
        if rid is None or self._transcript is None or self._running("redact_audio"):
            return

        def work(s: Session, report: Callable[..., None], cancel: CancelToken) -> RedactedAudio:
            report(0.0, tr("Masking personal details in the audio"))
            return s.review.redact_audio(rid, progress=report, cancel=cancel)

        task = self._ctx.worker.task(tr("Make redacted audio of {title}").format(title=self._title_text()), work)
        self._start("redact_audio", task, self._redacted_audio_made)

    def _redacted_audio_made(self, result: RedactedAudio) -> None:
        self.player.set_redacted_available(True)
        if (self.player.role == "redacted" or result.original_discarded) and self._rid is not None:
            self.player.load(self._rid, "redacted")  # the original is gone: never keep playing it
        if result.original_discarded:
            self.info.setText(
                tr(
                    "Redacted audio is ready: {count} passages masked. As your organization's policy requires, "
                    "the original audio was discarded."
                ).format(count=result.intervals)
            )
            return
        self.info.setText(
            tr("Redacted audio is ready: {count} passages masked. Choose Redacted in the player to hear it.").format(
                count=result.intervals
            )
        )

    def _running(self, kind: str) -> bool:
        task = self._tasks.get(kind)
        return task is not None and not task.done

    def export(self) -> None:
        if self._rid is not None and self._on_export is not None:
            self._on_export(self._rid)

    def edit_vocabulary(self) -> None:
        if self._rid is not None and self._on_vocabulary is not None:
            self._on_vocabulary(self._rid, self.title.text())

    # -- buttons ---------------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        loaded = self._rid is not None and self._recording is not None
        has_text = loaded and self._transcript is not None
        idle = not self._editing and not self._saving
        red = self.selected_redaction()
        self.transcribe_button.setVisible(loaded and self._transcript is None)
        self.transcribe_button.setEnabled(loaded and self._transcript is None and not self._running("transcribe"))
        self.detect_button.setEnabled(has_text and idle and not self._running("detect"))
        self.redact_audio_button.setEnabled(has_text and idle and not self._running("redact_audio"))
        self.export_button.setEnabled(has_text and self._on_export is not None)
        self.vocabulary_button.setEnabled(loaded and self._on_vocabulary is not None)
        self.speakers_button.setVisible(bool(self._speaker_labels()))
        self.speakers_button.setEnabled(has_text and idle and bool(self._speaker_labels()))
        self.redacted_toggle.setEnabled(has_text and idle)
        self.edit_toggle.setEnabled(has_text and not self._saving)
        document = self.text.document()
        self.undo_button.setEnabled(self._editing and document.isUndoAvailable())
        self.redo_button.setEnabled(self._editing and document.isRedoAvailable())
        self.save_button.setEnabled(self._editing and not self._saving)
        reviewable = idle and red is not None and red.state != "added"
        self.accept_button.setEnabled(reviewable and red is not None and red.state != "accepted")
        self.reject_button.setEnabled(reviewable and red is not None and red.state != "rejected")
        self.pending_button.setEnabled(reviewable and red is not None and red.state != "pending")
        self.remove_button.setEnabled(idle and red is not None and red.state == "added")
        can_add = has_text and idle and not self.redacted_mode and self.text.textCursor().hasSelection()
        self.add_button.setEnabled(can_add)
        self.type_box.setEnabled(has_text and idle)
        self.redaction_list.setEnabled(has_text and idle)


def _native(key: QKeySequence.StandardKey) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def _show_failure(parent: QWidget, exc: Exception) -> None:
    show_error(parent if shiboken6.isValid(parent) else None, exc)
