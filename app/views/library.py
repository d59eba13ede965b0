"""The library: every recording in the vault, full-text search over transcripts, and file drops.

The table lists what ``session.recordings.all()`` returns with the tags from
``recordings.recording_tags()``; sorting goes by the raw values (time, milliseconds), not
by the text shown. Typing in the search box searches after a short pause; the
results show the FTS5 snippet with the hits highlighted. Rename, tags and
delete act on the selected recording through non-blocking dialogs, so a lock
that comes while one is open can close it (``clear``) and leave no title behind.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QDateTime,
    QEvent,
    QItemSelectionModel,
    QLocale,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.errors import show_error
from app.i18n import tr
from app.widgets.controls import action as make_action
from app.windows.vocabulary import VocabularyDialog
from core.audio import importer
from core.errors import BadInput
from core.types import Recording, RecordingId, SearchHit

SEARCH_DELAY_MS = 250
ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
# No language column: nothing records a language (the engine returns the one asked for, which is
# none, and Parakeet v3 detects it without reporting it), so it could only ever show "—".
COLUMNS = 5  # title, date, duration, status, tags
#: A marker colour with its own dark text: readable on light and dark themes alike.
HIT_STYLE = "background-color: #ffd54f; color: #000000;"

_MODEL_INDEX = QModelIndex | QPersistentModelIndex


# -- plain helpers (no widgets) ----------------------------------------------------------------


def format_duration(duration_ms: int | None) -> str:
    if duration_ms is None:
        return "—"
    total = max(0, duration_ms // 1000)
    return f"{total // 3600}:{total // 60 % 60:02d}:{total % 60:02d}"


def format_date(created_ms: int, locale: QLocale | None = None) -> str:
    """The local date and time, in the user's locale's short format.

    The C locale (no locale set, as under LANG=C) is no one's choice and its short format reads
    "6 12 2026 19:45": there the date is ISO 8601, which reads the same everywhere.
    """
    locale = locale or QLocale()
    when = QDateTime.fromMSecsSinceEpoch(created_ms).toLocalTime()
    if locale.language() == QLocale.Language.C:
        return when.toString("yyyy-MM-dd HH:mm")
    return locale.toString(when, QLocale.FormatType.ShortFormat)


def status_text(status: str) -> str:
    names = {
        "new": tr("Not transcribed"),  # recorded, not transcribed yet
        "imported": tr("Imported"),
        "recording": tr("Recording"),
        "interrupted": tr("Interrupted"),
        "failed": tr("Failed"),
        "transcribing": tr("Transcribing"),
        "transcribed": tr("Transcribed"),
    }
    return names.get(status, status)


def highlight_snippet(snippet: str, *, style: str = HIT_STYLE) -> str:
    """Rich text for an FTS5 snippet whose hits are wrapped in ``[`` ``]``.

    The snippet is escaped first, so its own text never becomes markup. Brackets
    that were in the transcript itself look the same as the hit markers; they
    may highlight a little too much, but the markup always stays balanced.
    """
    out: list[str] = []
    open_ = False
    for ch in html.escape(snippet, quote=False):
        if ch == "[" and not open_:
            out.append(f'<b><span style="{style}">')
            open_ = True
        elif ch == "]" and open_:
            out.append("</span></b>")
            open_ = False
        else:
            out.append(ch)
    if open_:
        out.append("</span></b>")
    return "".join(out)


def plain_snippet(snippet: str) -> str:
    return snippet.replace("[", "").replace("]", "")


def local_paths(mime: QMimeData | None) -> list[Path]:
    """The local files and folders in dragged or pasted data; remote URLs are left out."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def dropped_files(mime: QMimeData | None) -> list[Path]:
    """Dropped files as they are, and the audio files inside dropped folders."""
    return importer.expand_inputs(local_paths(mime))


class FileDropFilter(QObject):
    """Makes any widget a drop target for local files: ``FileDropFilter(window, on_files)``.

    Installed as an event filter, so the widget's class needs no drag handlers of its own.
    """

    def __init__(self, widget: QWidget, on_files: Callable[[list[Path]], None]) -> None:
        super().__init__(widget)
        self._on_files = on_files
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragMoveEvent)  # QDragEnterEvent is a QDragMoveEvent
            accept_file_drag(event)
            return True
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            handle_file_drop(event, self._on_files)
            return True
        return False


def accept_file_drag(event: QDragMoveEvent) -> bool:
    """Accept a drag that carries local files; ignore anything else."""
    if local_paths(event.mimeData()):
        event.acceptProposedAction()
        return True
    event.ignore()
    return False


def handle_file_drop(event: QDropEvent, on_files: Callable[[list[Path]], None]) -> bool:
    files = dropped_files(event.mimeData())
    if not files:
        event.ignore()
        return False
    event.acceptProposedAction()
    on_files(files)
    return True


# -- search results: rich text in a list --------------------------------------------------------


class RichTextDelegate(QStyledItemDelegate):
    """Paints an item's ``HTML_ROLE`` text, wrapped to the list's width."""

    def _document(self, option: QStyleOptionViewItem, index: _MODEL_INDEX) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(str(index.data(HTML_ROLE) or ""))
        width = option.rect.width()
        widget = option.widget
        if width <= 0 and isinstance(widget, QAbstractItemView):
            width = widget.viewport().width()
        doc.setTextWidth(max(100, width - 8))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _MODEL_INDEX) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        doc = self._document(opt, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(opt.rect.left() + 4, opt.rect.top() + 2)
        painter.setClipRect(0, 0, opt.rect.width() - 4, opt.rect.height() - 2)
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _MODEL_INDEX) -> QSize:
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()) + 8, int(doc.size().height()) + 6)


# -- the view ------------------------------------------------------------------------------------


class LibraryView(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        *,
        on_open: Callable[[RecordingId], None],
        on_files: Callable[[list[Path]], None],
        on_deleted: Callable[[RecordingId], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("libraryView")
        self.setAccessibleName(tr("Library"))
        self._ctx = ctx
        self._on_open = on_open
        self._on_files = on_files
        self._on_deleted = on_deleted
        self._generation = 0  # bumped by clear(): results of calls made before it are dropped
        self._search_serial = 0  # only the latest search's results are shown
        self._loaded = False
        self._recording_count = 0
        self._titles: dict[RecordingId, str] = {}
        self._tags: dict[RecordingId, tuple[str, ...]] = {}
        self._pending_select: RecordingId | None = None
        self._dialogs: list[QWidget] = []
        self._searched = False  # the shown results are for the text in the box
        self.setAcceptDrops(True)

        # -- search row
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setAccessibleName(tr("Search transcripts"))
        self.search_box.setPlaceholderText(tr("Search transcripts (Ctrl+F)"))
        self.search_box.setToolTip(tr("Search the text of every transcript (Ctrl+F). Use quotes for a phrase."))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self._search_text_changed)
        self.search_box.returnPressed.connect(self._search_now)
        self.import_button = QPushButton(tr("&Import…"))
        self.import_button.setObjectName("importButton")
        self.import_button.setAccessibleName(tr("Import audio files"))
        self.import_button.setToolTip(tr("Import audio or video files into the vault. You can also drop files here."))
        self.import_button.clicked.connect(self.choose_files)
        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.import_button)
        self.search_message = QLabel()
        self.search_message.setObjectName("searchMessage")
        self.search_message.setAccessibleName(tr("Search message"))
        self.search_message.setWordWrap(True)
        self.search_message.setForegroundRole(QPalette.ColorRole.BrightText)
        self.search_message.hide()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_now)

        # -- the table
        self.model = QStandardItemModel(0, COLUMNS, self)
        self.model.setHorizontalHeaderLabels(
            [tr("Title"), tr("Date"), tr("Duration"), tr("Status"), tr("Tags")]
        )
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setObjectName("recordingsTable")
        self.table.setAccessibleName(tr("Recordings"))
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._activated)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

        # -- search results
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName(tr("Search results"))
        self.results.setItemDelegate(RichTextDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.results.setAlternatingRowColors(True)
        self.results.itemActivated.connect(self._result_activated)
        self.no_results = QLabel(tr("No transcript matches the search."))
        self.no_results.setObjectName("noResults")
        self.no_results.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.empty_label = QLabel(tr("No recordings yet. Import audio or press Ctrl+R to record."))
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAccessibleName(tr("No recordings yet"))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.stack = QStackedWidget()
        self.stack.setObjectName("libraryStack")
        for page in (self.table, self.empty_label, self.results, self.no_results):
            self.stack.addWidget(page)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.search_message)
        layout.addWidget(self.stack, 1)

        # -- actions: the table's own keys only act while it has focus (Del in the search box deletes text)
        self.open_action = make_action(self, tr("&Open"), "openAction", self.open_selected, None)
        self.rename_action = make_action(self, tr("&Rename…"), "renameAction", self.rename_selected, QKeySequence("F2"))
        self.tags_action = make_action(
            self, tr("&Tags…"), "tagsAction", self.edit_tags_selected, QKeySequence("Ctrl+T")
        )
        self.vocabulary_action = make_action(
            self,
            tr("&Participants and names…"),
            "recordingVocabularyAction",
            self.edit_vocabulary_selected,
            QKeySequence("Ctrl+Shift+P"),
        )
        self.delete_action = make_action(
            self, tr("&Delete…"), "deleteAction", self.delete_selected, QKeySequence(QKeySequence.StandardKey.Delete)
        )
        self._selection_actions = (
            self.open_action, self.rename_action, self.tags_action, self.vocabulary_action, self.delete_action
        )  # fmt: skip
        for action in self._selection_actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(action)
        self.search_action = make_action(self, tr("&Find"), "searchAction", self.focus_search, QKeySequence("Ctrl+F"))
        self.search_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.search_action)
        self._update_actions()
        self._show_page()  # empty until refresh(): the window is built while the vault is still locked

    # -- loading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the recordings (and the search, if one is shown) from the vault."""
        generation = self._generation
        self._ctx.worker.op(self, lambda s: (s.recordings.all(), s.recordings.recording_tags())).success(
            lambda result: self._show_recordings(generation, *result)
        ).run()
        if self.search_box.text().strip():
            self._search_now()

    def _show_recordings(
        self, generation: int, recordings: list[Recording], tags: dict[RecordingId, tuple[str, ...]]
    ) -> None:
        if generation != self._generation:
            return
        keep = self._pending_select or self.selected_id()
        self._pending_select = None
        self._titles = {RecordingId(r.id): r.title for r in recordings}
        self._tags = {RecordingId(k): tuple(v) for k, v in tags.items()}
        self._loaded = True
        self._recording_count = len(recordings)
        sorting = self.table.isSortingEnabled()
        self.table.setSortingEnabled(False)  # no re-sorting per inserted row
        self.model.removeRows(0, self.model.rowCount())
        for rec in recordings:
            self.model.appendRow(self._row(rec, self._tags.get(RecordingId(rec.id), ())))
        self.table.setSortingEnabled(sorting)
        self.proxy.sort(self.proxy.sortColumn(), self.proxy.sortOrder())
        if keep is not None:
            self.select(keep)
        self._show_page()
        self._update_actions()

    @staticmethod
    def _row(rec: Recording, tags: tuple[str, ...]) -> list[QStandardItem]:
        values: list[tuple[str, Any]] = [
            (rec.title, rec.title.casefold()),
            (format_date(rec.created_ms), rec.created_ms),
            (format_duration(rec.duration_ms), rec.duration_ms if rec.duration_ms is not None else -1),
            (status_text(rec.status), status_text(rec.status).casefold()),
            (", ".join(tags), ", ".join(tags).casefold()),
        ]
        items = []
        for text, key in values:
            item = QStandardItem(text)
            item.setData(key, SORT_ROLE)
            item.setData(str(rec.id), ID_ROLE)
            item.setEditable(False)
            items.append(item)
        items[0].setToolTip(rec.source_name or rec.title)
        return items

    def clear(self) -> None:
        """Drop every title, tag and snippet (the vault locked); late results are ignored."""
        self._generation += 1
        self._search_serial += 1
        self._search_timer.stop()
        for dialog in self._dialogs:
            if isinstance(dialog, QInputDialog):
                dialog.setTextValue("")  # it may be deleted only later: it must not keep the title meanwhile
            if isinstance(dialog, VocabularyDialog):
                dialog.clear()  # likewise its phrases
            dialog.close()
            dialog.deleteLater()
        self._dialogs.clear()
        self.search_box.blockSignals(True)
        self.search_box.clear()
        self.search_box.blockSignals(False)
        self.search_message.clear()
        self.search_message.hide()
        self.model.removeRows(0, self.model.rowCount())
        self.results.clear()
        self._titles.clear()
        self._tags.clear()
        self._pending_select = None
        self._loaded = False
        self._recording_count = 0
        self._show_page()
        self._update_actions()

    def _show_page(self) -> None:
        if self.search_box.text().strip():
            self.stack.setCurrentWidget(self.results if self.results.count() or not self._searched else self.no_results)
        elif self._loaded and self._recording_count == 0:
            self.stack.setCurrentWidget(self.empty_label)
        else:
            self.stack.setCurrentWidget(self.table)

    # -- selection -------------------------------------------------------------------------------

    def selected_id(self) -> RecordingId | None:
        if self.stack.currentWidget() is self.results:
            item = self.results.currentItem()
            return RecordingId(item.data(ID_ROLE)) if item is not None and item.isSelected() else None
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(ID_ROLE)
        return RecordingId(value) if value else None

    def select(self, rid: RecordingId) -> None:
        """Select a recording in the table (after the next load, if it is not listed yet)."""
        for row in range(self.model.rowCount()):
            item = self.model.item(row, 0)
            if item is not None and item.data(ID_ROLE) == rid:
                index = self.proxy.mapFromSource(item.index())
                self.table.selectionModel().select(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return
        self._pending_select = rid

    def _update_actions(self) -> None:
        selected = self.selected_id() is not None
        for action in self._selection_actions:
            action.setEnabled(selected)

    def _activated(self, index: QModelIndex) -> None:
        value = index.data(ID_ROLE)
        if value:
            self._on_open(RecordingId(value))

    def open_selected(self) -> None:
        rid = self.selected_id()
        if rid is not None:
            self._on_open(rid)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.setObjectName("libraryMenu")
        for action in (self.open_action, self.rename_action, self.tags_action, self.vocabulary_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.delete_action)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # -- search ----------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _search_text_changed(self, text: str) -> None:
        self._searched = False
        if not text.strip():
            self._search_timer.stop()
            self._search_serial += 1
            self.results.clear()
            self.search_message.clear()
            self.search_message.hide()
            self._show_page()
            self._update_actions()
            return
        self._search_timer.start()

    def _search_now(self) -> None:
        self._search_timer.stop()
        query = self.search_box.text().strip()
        if not query:
            return
        self._search_serial += 1
        serial, generation = self._search_serial, self._generation
        self._ctx.worker.op(self, lambda s: s.transcripts.search(query)).success(
            lambda hits: self._show_hits(serial, generation, hits)
        ).failure(lambda exc: self._search_failed(serial, generation, exc)).run()

    def _current(self, serial: int, generation: int) -> bool:
        return serial == self._search_serial and generation == self._generation

    def _show_hits(self, serial: int, generation: int, hits: list[SearchHit]) -> None:
        if not self._current(serial, generation):
            return
        self.search_message.clear()
        self.search_message.hide()
        self.results.clear()
        for hit in hits:
            title = self._titles.get(RecordingId(hit.recording_id), "")
            item = QListWidgetItem()
            item.setData(ID_ROLE, str(hit.recording_id))
            item.setData(HTML_ROLE, f"<b>{html.escape(title, quote=False)}</b><br>{highlight_snippet(hit.snippet)}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}: {plain_snippet(hit.snippet)}")
            self.results.addItem(item)
        self._searched = True
        self._show_page()
        self._update_actions()

    def _search_failed(self, serial: int, generation: int, exc: Exception) -> None:
        if not self._current(serial, generation):
            return
        if isinstance(exc, BadInput):
            self.results.clear()
            self._searched = False
            self.search_message.setText(str(exc))
            self.search_message.show()
            self._show_page()
        else:
            show_error(self, exc)

    def _result_activated(self, item: QListWidgetItem) -> None:
        value = item.data(ID_ROLE)
        if value:
            self._on_open(RecordingId(value))

    # -- rename, tags, delete --------------------------------------------------------------------

    def _keep_dialog(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self._forget_dialogs())

    def _forget_dialogs(self) -> None:
        self._dialogs = [d for d in self._dialogs if shiboken6.isValid(d)]

    def rename_selected(self) -> None:
        rid = self.selected_id()
        if rid is None:
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("renameDialog")
        dialog.setWindowTitle(tr("Rename recording"))
        dialog.setLabelText(tr("New title:"))
        dialog.setTextValue(self._titles.get(rid, ""))
        dialog.setAccessibleName(tr("Rename recording"))
        dialog.textValueSelected.connect(lambda title: self._rename(rid, title))
        self._keep_dialog(dialog)
        dialog.open()

    def _rename(self, rid: RecordingId, title: str) -> None:
        rename = self._ctx.worker.op(self, lambda s: s.recordings.rename_recording(rid, title))
        rename.success(lambda _: self._changed(rid)).run()

    def edit_tags_selected(self) -> None:
        rid = self.selected_id()
        if rid is None:
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("tagsDialog")
        dialog.setWindowTitle(tr("Tags"))
        dialog.setLabelText(tr("Tags, separated by commas:"))
        dialog.setTextValue(", ".join(self._tags.get(rid, ())))
        dialog.setAccessibleName(tr("Edit tags"))
        dialog.textValueSelected.connect(lambda text: self._set_tags(rid, text))
        self._keep_dialog(dialog)
        dialog.open()

    def _set_tags(self, rid: RecordingId, text: str) -> None:
        tags = [t.strip() for t in text.split(",") if t.strip()]
        self._ctx.worker.op(self, lambda s: s.recordings.set_recording_tags(rid, tags)).success(
            lambda _: self._changed(rid)
        ).run()

    def edit_vocabulary_selected(self) -> None:
        """The selected recording's own vocabulary: its participants' names, used when it is transcribed."""
        rid = self.selected_id()
        if rid is None:
            return
        dialog = VocabularyDialog(self._ctx, recording_id=rid, title=self._titles.get(rid), parent=self)
        self._keep_dialog(dialog)
        dialog.open()

    def delete_selected(self) -> None:
        rid = self.selected_id()
        if rid is None:
            return
        box = QMessageBox(self)
        box.setObjectName("confirmDelete")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Delete recording"))
        box.setText(tr("Delete this recording for good?"))
        box.setInformativeText(
            tr(
                "VaultScribe destroys the recording's own encryption key. Without it, the audio, the "
                "transcripts and the redactions can never be read again, not even from a backup copy of the "
                "vault files. This cannot be undone."
            )
        )
        box.setAccessibleName(tr("Confirm deletion"))
        delete = box.addButton(tr("Delete for good"), QMessageBox.ButtonRole.DestructiveRole)
        delete.setObjectName("confirmDeleteButton")
        delete.setAccessibleName(tr("Delete for good"))
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setObjectName("cancelDeleteButton")
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        delete.clicked.connect(lambda: self._delete(rid))
        self._keep_dialog(box)
        box.open()

    def _delete(self, rid: RecordingId) -> None:
        def deleted(_: object) -> None:
            self.refresh()
            if self._on_deleted is not None:
                self._on_deleted(rid)

        self._ctx.worker.op(self, lambda s: s.recordings.delete_recording(rid)).success(deleted).run()

    def _changed(self, rid: RecordingId) -> None:
        self._pending_select = rid
        self.refresh()

    # -- import and drops ------------------------------------------------------------------------

    def choose_files(self) -> None:
        dialog = QFileDialog(self, tr("Import audio"))
        dialog.setObjectName("importDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        patterns = " ".join(f"*{s}" for s in sorted(importer.MEDIA_SUFFIXES))
        dialog.setNameFilters([tr("Audio and video ({patterns})").format(patterns=patterns), tr("All files (*)")])
        dialog.filesSelected.connect(lambda files: self._files_chosen(files))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _files_chosen(self, files: Iterable[str]) -> None:
        paths = [Path(f) for f in files]
        if paths:
            self._on_files(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accept_file_drag(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        accept_file_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        handle_file_drop(event, self._on_files)

    def drop_mime(self, mime: QMimeData) -> bool:
        """What a drop of ``mime`` does, without an event: import its files. True if there were any."""
        files = dropped_files(mime)
        if files:
            self._on_files(files)
        return bool(files)
