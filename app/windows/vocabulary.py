"""The Vocabulary dialog: the phrases transcription favours, personal or one recording's (its participants).

It lists the personal list with the organisation's entries (read-only, greyed, marked) or, given a
recording, that recording's list. Phrases are added from a line edit or imported from a text file; an
entry's "Always redact" box makes detection redact it too. Remove acts at once and can be undone
(Ctrl+Z, or the Undo button) until the dialog closes: the removed entries come back with their marks.

Every change is one ``worker.op`` on the vault thread (an import reads at most 1 MiB there, never on
the GUI thread); the table is reloaded from the session after each, so it always shows what the vault
holds. Validation is the core's: its messages show inline.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.errors import show_error
from app.i18n import tr
from app.widgets.controls import action as make_action
from app.widgets.controls import button as make_button
from app.windows.dialog import MessageLabel
from core import vocabulary
from core.errors import BadInput, PolicyDenied
from core.session import Session
from core.types import RecordingId
from core.vocabulary import VocabChange, VocabEntry

T = TypeVar("T")
PHRASE, REDACT, SOURCE = range(3)
_NOTE_STYLE = "color: palette(text);"


def change_text(change: VocabChange) -> str:
    """What an add or an import did, in words: counts only."""
    parts = [tr("Added {n}.").format(n=change.added)]
    if change.merged:
        parts.append(tr("{n} already in the list (ignoring case).").format(n=change.merged))
    if change.skipped:
        parts.append(tr("{n} comment or blank lines skipped.").format(n=change.skipped))
    if change.invalid:
        lines = ", ".join(str(n) for n in change.invalid_lines)
        parts.append(tr("{n} lines were not valid phrases (line {lines}).").format(n=change.invalid, lines=lines))
    return " ".join(parts)


class VocabularyDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        *,
        recording_id: RecordingId | None = None,
        title: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("vocabularyDialog")
        self._ctx = ctx
        self.recording_id = recording_id
        self._entries: list[VocabEntry] = []
        self._undo: list[VocabEntry] = []
        self._busy = False
        self._filling = False
        if recording_id is None:
            self.setWindowTitle(tr("Vocabulary"))
            intro = tr(
                "Names and terms transcription should recognise: people, places, drugs, jargon. They are stored "
                "encrypted in the vault and apply to every recording. Tick “Always redact” for a name that must "
                "never appear in an export (a source's name)."
            )
        else:
            self.setWindowTitle(tr("Participants and names: {title}").format(title=title or recording_id))
            intro = tr(
                "Names and terms for this recording only (the participants of an interview), used together with "
                "your own vocabulary when it is transcribed again. Tick “Always redact” to redact a name here."
            )
        intro_label = QLabel(intro)
        intro_label.setWordWrap(True)

        self.phrase_edit = QLineEdit()
        self.phrase_edit.setObjectName("vocabPhraseEdit")
        self.phrase_edit.setAccessibleName(tr("New phrase"))
        self.phrase_edit.setPlaceholderText(tr("A name or term, e.g. Dr. Okonkwo"))
        self.phrase_edit.setMaxLength(vocabulary.MAX_PHRASE_CHARS * 2)  # the core says why a long one is refused
        self.phrase_edit.returnPressed.connect(self.add_phrase)
        self.redact_new = QCheckBox(tr("Always &redact"))
        self.redact_new.setObjectName("vocabRedactNew")
        self.redact_new.setToolTip(tr("Also redact this phrase wherever it is found"))
        self.add_button = self._button(tr("&Add"), "vocabAddButton", tr("Add the phrase (Enter)"), None)
        self.add_button.clicked.connect(self.add_phrase)
        add_row = QHBoxLayout()
        add_row.addWidget(self.phrase_edit, 1)
        add_row.addWidget(self.redact_new)
        add_row.addWidget(self.add_button)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("vocabTable")
        self.table.setAccessibleName(tr("Vocabulary phrases"))
        self.table.setHorizontalHeaderLabels([tr("Phrase"), tr("Always redact"), tr("From")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PHRASE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(REDACT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SOURCE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.count_label = QLabel()
        self.count_label.setObjectName("vocabCount")
        self.message = MessageLabel("vocabMessage")
        self.note = MessageLabel("vocabNote", style=_NOTE_STYLE)

        self.remove_button = self._button(
            tr("Re&move"), "vocabRemoveButton", tr("Remove the selected phrases (Del)"), None
        )
        self.remove_button.clicked.connect(self.remove_selected)
        # Del acts in the table only: in the line edit it deletes text
        self.remove_action = make_action(
            self, tr("Remove"), "vocabRemoveAction", self.remove_selected, QKeySequence(QKeySequence.StandardKey.Delete)
        )
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.remove_action)
        self.undo_button = self._button(
            tr("&Undo remove"),
            "vocabUndoButton",
            tr("Put back the phrases just removed"),
            QKeySequence.StandardKey.Undo,
        )
        self.undo_button.clicked.connect(self.undo_remove)
        self.import_button = self._button(
            tr("&Import…"), "vocabImportButton", tr("Add the phrases of a text file, one per line"), "Ctrl+I"
        )
        self.import_button.clicked.connect(self.choose_file)
        self.close_button = self._button(tr("Close"), "vocabCloseButton", tr("Close (Esc)"), None)
        self.close_button.clicked.connect(self.reject)
        self._focus_add = QShortcut(QKeySequence("Ctrl+N"), self)
        self._focus_add.activated.connect(self.phrase_edit.setFocus)

        buttons = QHBoxLayout()
        for made in (self.remove_button, self.undo_button, self.import_button):
            buttons.addWidget(made)
        buttons.addStretch()
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro_label)
        layout.addLayout(add_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(640, 520)
        self._update_buttons()
        self.refresh()

    @staticmethod
    def _button(text: str, name: str, tip: str, keys: QKeySequence.StandardKey | str | None) -> QPushButton:
        made = make_button(text, name, tip=tip, shortcut=QKeySequence(keys) if keys is not None else None)
        made.setAutoDefault(False)
        return made

    # -- loading ------------------------------------------------------------------------------

    @property
    def entries(self) -> list[VocabEntry]:
        return list(self._entries)

    @property
    def is_busy(self) -> bool:
        return self._busy

    def refresh(self) -> None:
        rid = self.recording_id
        self._run(lambda s: s.vocabulary.entries(rid), self._show, quiet=True)

    def _show(self, entries: list[VocabEntry]) -> None:
        self._entries = list(entries)
        self._filling = True
        try:
            self.table.setRowCount(len(entries))
            for row, entry in enumerate(entries):
                self._fill_row(row, entry)
        finally:
            self._filling = False
        own = sum(1 for e in entries if not e.read_only)
        theirs = len(entries) - own
        text = tr("{n} phrases (at most {max}).").format(n=own, max=vocabulary.MAX_PER_LIST)
        if theirs:
            text += " " + tr("{n} more from your organization (read-only).").format(n=theirs)
        self.count_label.setText(text)
        self._update_buttons()

    def _fill_row(self, row: int, entry: VocabEntry) -> None:
        phrase = QTableWidgetItem(entry.phrase)
        redact = QTableWidgetItem()
        redact.setData(Qt.ItemDataRole.AccessibleTextRole, tr("Always redact"))
        source = QTableWidgetItem(
            {
                vocabulary.PERSONAL: tr("You"),
                vocabulary.RECORDING: tr("This recording"),
                vocabulary.POLICY: tr("Your organization"),
            }.get(entry.source, entry.source)
        )
        if entry.read_only:
            for item in (phrase, redact, source):
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # not selectable, not checkable: IT's list
                item.setForeground(self.palette().placeholderText())
                item.setToolTip(tr("Provided by your organization: only IT can change it"))
        else:
            redact.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            redact.setCheckState(Qt.CheckState.Checked if entry.redact else Qt.CheckState.Unchecked)
            redact.setToolTip(tr("Also redact this phrase wherever it is found"))
        self.table.setItem(row, PHRASE, phrase)
        self.table.setItem(row, REDACT, redact)
        self.table.setItem(row, SOURCE, source)

    # -- changes ------------------------------------------------------------------------------

    def add_phrase(self) -> None:
        text = self.phrase_edit.text()
        if self._busy:
            return
        if not text.strip():
            self.message.setText(tr("Type a phrase to add."))
            return
        rid, redact = self.recording_id, self.redact_new.isChecked()

        def added(change: VocabChange) -> None:
            self.phrase_edit.clear()
            self.note.setText(change_text(change))
            self.refresh()

        self._run(lambda s: s.vocabulary.add_vocabulary([text], recording_id=rid, redact=redact), added)

    def choose_file(self) -> None:
        dialog = QFileDialog(self, tr("Import phrases"))
        dialog.setObjectName("vocabImportDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([tr("Text files (*.txt *.csv *.lst)"), tr("All files (*)")])
        dialog.fileSelected.connect(lambda path: self.import_file(Path(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def import_file(self, path: Path) -> None:
        rid, redact = self.recording_id, self.redact_new.isChecked()

        def imported(change: VocabChange) -> None:
            self.note.setText(tr("Imported {file}:").format(file=path.name) + " " + change_text(change))
            self.refresh()

        self._run(lambda s: s.vocabulary.import_vocabulary(path, recording_id=rid, redact=redact), imported)

    def selected_entries(self) -> list[VocabEntry]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._entries[r] for r in rows if r < len(self._entries) and not self._entries[r].read_only]

    def remove_selected(self) -> None:
        chosen = self.selected_entries()
        if not chosen or self._busy:
            return
        rid = self.recording_id

        def removed(gone: list[VocabEntry]) -> None:
            self._undo = list(gone)
            self.note.setText(tr("Removed {n}. Undo with Ctrl+Z.").format(n=len(gone)))
            self.refresh()

        self._run(lambda s: s.vocabulary.remove_vocabulary([e.phrase for e in chosen], recording_id=rid), removed)

    def undo_remove(self) -> None:
        back = list(self._undo)
        if not back or self._busy:
            return

        def restored(_: object) -> None:
            self._undo = []
            self.note.setText(tr("Put back {n}.").format(n=len(back)))
            self.refresh()

        self._run(lambda s: s.vocabulary.restore_vocabulary(back), restored)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != REDACT or item.row() >= len(self._entries):
            return
        entry = self._entries[item.row()]
        redact = item.checkState() == Qt.CheckState.Checked
        if entry.read_only or redact == entry.redact:
            return
        rid = self.recording_id
        self._run(
            lambda s: s.vocabulary.set_vocabulary_redact(entry.phrase, redact, recording_id=rid),
            lambda _: self.refresh(),
        )

    # -- plumbing ------------------------------------------------------------------------------

    def _run(self, fn: Callable[[Session], T], on_success: Callable[[T], None], *, quiet: bool = False) -> None:
        """``fn`` on the vault thread; a change (not ``quiet``) first clears the last error and note."""
        self._set_busy(True)
        if not quiet:
            self.message.clear()
            self.note.clear()

        def done(result: T) -> None:
            self._set_busy(False)
            on_success(result)

        self._ctx.worker.op(self, fn).success(done).failure(self._failed).run()

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, BadInput | PolicyDenied):
            self.message.setText(str(exc))
            self.refresh()  # whatever the vault holds now
        else:
            show_error(self, exc)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = not self._busy
        self.add_button.setEnabled(idle)
        self.import_button.setEnabled(idle)
        self.remove_button.setEnabled(idle and bool(self.selected_entries()))
        self.undo_button.setEnabled(idle and bool(self._undo))

    def clear(self) -> None:
        """Drop every phrase from the widgets (the vault locks)."""
        self._entries, self._undo = [], []
        self.table.setRowCount(0)
        self.phrase_edit.clear()
        self.note.clear()
        self.message.clear()
