"""The window shown while the vault is unlocked: library, record, jobs, and one transcript at a time.

It never decides what to show when the vault locks: it calls
``on_vault_did_lock`` (after Lock, or when the idle check locked it) and the
shell shows the unlock dialog. These are plain callbacks, not signals emitted
from Python: see ``app.tasks`` for the PySide6 6.12 bug that rules those out.
User activity keeps the vault open, reported to the session through the
worker at most once per ``activity_interval_s``.

Locking first stops a recording (what was captured is saved), closes every
dialog, cancels long work and waits for it to end, then locks and clears every
view, so nothing of the vault's content stays in a widget. The idle check does
not lock while long work runs: it locks at the first check after the work ends.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QHideEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from app import actions
from app.context import AppContext
from app.errors import show_error
from app.i18n import tr
from app.views.jobs import JobsView
from app.views.library import LibraryView, accept_file_drag, handle_file_drop
from app.views.record import RecordView, offer_recovered
from app.views.transcript import TranscriptView
from app.widgets.controls import action as make_action
from app.widgets.controls import keys_text, plain
from app.windows.audit import AuditDialog
from app.windows.export_dialog import ExportDialog
from app.windows.settings import SettingsDialog
from app.windows.setup import keyring_name
from app.windows.vocabulary import VocabularyDialog
from core.session import Status
from core.types import Recording, RecordingId

IDLE_CHECK_MS = 30_000
RETENTION_CHECK_MS = 3_600_000
ACTIVITY_INTERVAL_S = 10.0

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class ActivityFilter(QObject):
    """An application event filter that calls ``on_activity`` at most once per interval."""

    def __init__(self, on_activity: Callable[[], None], *, interval_s: float, monotonic: Callable[[], float]) -> None:
        super().__init__()
        self._on_activity = on_activity
        self._interval_s = interval_s
        self._monotonic = monotonic
        self._last_s: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            now = self._monotonic()
            if self._last_s is None or now - self._last_s >= self._interval_s:
                self._last_s = now
                self._on_activity()
        return False


def recordings_text(count: int | None) -> str:
    """The status bar's count, with what it counts."""
    if count is None:
        return tr("Recordings: —")
    return tr("1 recording") if count == 1 else tr("{n} recordings").format(n=QLocale().toString(count))


class MainWindow(QMainWindow):
    def __init__(
        self,
        ctx: AppContext,
        *,
        on_vault_did_lock: Callable[[], None],
        on_quit: Callable[[], None],
        idle_check_ms: int = IDLE_CHECK_MS,
        activity_interval_s: float = ACTIVITY_INTERVAL_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._ctx = ctx
        self._worker = ctx.worker
        self._on_vault_did_lock = on_vault_did_lock
        self._on_quit = on_quit
        self._locking = False
        self.setObjectName("mainWindow")
        self.setWindowTitle(tr("VaultScribe"))
        self.setAcceptDrops(True)

        self.library = LibraryView(
            ctx, on_open=self.open_recording, on_files=self.import_files, on_deleted=self._deleted
        )
        self.recorder = RecordView(ctx, on_recorded=self._recorded)
        # The window's own Ctrl+F and Ctrl+R reach these from every tab; two equal shortcuts would cancel out.
        self.library.search_action.setShortcut(QKeySequence())
        self.recorder.record_button.setShortcut(QKeySequence())
        self.jobs = JobsView(ctx.worker)
        self.transcript = TranscriptView(
            ctx, on_export=self.export_recording, on_vocabulary=self.edit_recording_vocabulary
        )
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setAccessibleName(tr("Main views"))
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.library, tr("&Library"))
        self.tabs.addTab(self.recorder, tr("&Record"))
        self.tabs.addTab(self.jobs, tr("&Jobs"))
        self.tabs.addTab(self.transcript, tr("&Transcript"))
        self.tabs.setTabEnabled(self._tab(self.transcript), False)
        self.setCentralWidget(self.tabs)

        self.status_label = self._status_value("statusText", tr("Jobs"))
        self.recordings = self._status_value("recordingsValue", tr("Recordings in the vault"))
        self.keystore = self._status_value("keystoreValue", tr("Keyring"))
        self.vault_dir = self._status_value("vaultDirValue", tr("Vault folder"))
        self._worker.on_tasks_changed(self._tasks_changed)

        self._build_actions()
        self.dialogs: list[QWidget] = []
        self.resize(1100, 720)

        self.idle_timer = QTimer(self)
        self.idle_timer.setObjectName("idleTimer")
        self.idle_timer.setInterval(idle_check_ms)
        self.idle_timer.timeout.connect(self.check_idle)
        self._activity = ActivityFilter(self._touch, interval_s=activity_interval_s, monotonic=monotonic)
        # The administrator's retention limit is applied at unlock, then hourly while the vault is open.
        self.retention_timer = QTimer(self)
        self.retention_timer.setInterval(RETENTION_CHECK_MS)
        self.retention_timer.timeout.connect(self.purge_expired)

    # -- actions -----------------------------------------------------------------------

    def _action(self, text: str, name: str, shortcut: str, slot: Callable[[], None]) -> QAction:
        made = make_action(self, text, name, slot, shortcut)
        self.addAction(made)  # shortcuts work whichever tab has focus
        return made

    def _build_actions(self) -> None:
        self.import_action = self._action(tr("&Import audio…"), "importAction", "Ctrl+O", self.choose_files)
        self.record_action = self._action(tr("&Record"), "recordAction", "Ctrl+R", self.show_recorder)
        self.find_action = self._action(tr("&Find in transcripts"), "findAction", "Ctrl+F", self.find_text)
        self.export_action = self._action(tr("&Export transcript…"), "exportAction", "Ctrl+E", self.export_current)
        self.settings_action = self._action(tr("&Settings…"), "settingsAction", "Ctrl+,", self.show_settings)
        self.vocabulary_action = self._action(
            tr("&Vocabulary…"), "vocabularyAction", "Ctrl+Shift+W", self.show_vocabulary
        )
        self.audit_action = self._action(tr("&Audit log…"), "auditAction", "Ctrl+Shift+A", self.show_audit)
        self.lock_action = self._action(tr("&Lock"), "lockAction", "Ctrl+L", self.lock)
        self.quit_action = self._action(tr("&Quit"), "quitAction", "Ctrl+Q", self._quit)
        self.shortcuts_action = self._action(tr("&Keyboard shortcuts"), "shortcutsAction", "F1", self.show_shortcuts)
        views = [
            self._action(text, name, f"Ctrl+{i}", partial(self.tabs.setCurrentWidget, widget))
            for i, (text, name, widget) in enumerate(
                [
                    (tr("Show &library"), "showLibrary", self.library),
                    (tr("Show &record"), "showRecord", self.recorder),
                    (tr("Show &jobs"), "showJobs", self.jobs),
                    (tr("Show &transcript"), "showTranscript", self.transcript),
                ],
                1,
            )
        ]
        vault = self.menuBar().addMenu(tr("&Vault"))
        for action in (self.import_action, self.record_action, self.export_action):
            vault.addAction(action)
        vault.addSeparator()
        for action in (self.vocabulary_action, self.settings_action, self.audit_action):
            vault.addAction(action)
        vault.addSeparator()
        vault.addAction(self.lock_action)
        vault.addAction(self.quit_action)
        view = self.menuBar().addMenu(tr("V&iew"))
        view.addAction(self.find_action)
        view.addSeparator()
        for action in views:
            view.addAction(action)
        self.menuBar().addMenu(tr("&Help")).addAction(self.shortcuts_action)
        toolbar = self.addToolBar(tr("Vault"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        for action in (self.import_action, self.record_action, self.export_action, self.settings_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.lock_action)

    def _status_value(self, name: str, what: str) -> QLabel:
        label = QLabel("…")
        label.setObjectName(name)
        label.setAccessibleName(what)
        label.setToolTip(what)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(label)
        return label

    def _show_status(self, status: Status) -> None:
        self.recordings.setText(recordings_text(status.recordings))
        self.keystore.setText(keyring_name(status.keystore or "") or status.keystore or "—")
        self.vault_dir.setText(status.vault_dir)

    def _tab(self, widget: QWidget) -> int:
        return self.tabs.indexOf(widget)

    # -- flows ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self.library.refresh()
        self.recorder.refresh()
        self._tasks_changed()
        self._worker.op(self, lambda s: s.status()).success(self._show_status).run()
        self._worker.op(self, lambda s: s.recordings.interrupted_recordings()).success(self._offer_recovered).run()

    def check_integrity(self) -> None:
        """After unlock: read the whole vault and check it (Session.check_integrity), as a task on the jobs
        thread, never the GUI thread. It shows in the jobs view, lock cancels it like any task, and a
        damaged vault is reported in a message box with the way to restore a backup."""
        task = self._worker.task(tr("Checking the vault"), lambda s, _report, cancel: s.check_integrity(cancel=cancel))
        task.on_failed(lambda exc: show_error(self, exc))  # a box with a parent: a parentless one would be dropped

    def _offer_recovered(self, found: list[Recording]) -> None:
        dialog = offer_recovered(self, self._ctx, found, on_changed=self._changed)
        if dialog is not None:
            self.dialogs.append(dialog)

    def _changed(self) -> None:
        self.library.refresh()
        self._worker.op(self, lambda s: s.status()).success(self._show_status).run()

    def _deleted(self, recording_id: RecordingId) -> None:
        if self.transcript.recording_id == recording_id:
            self.transcript.clear()
            self.tabs.setTabEnabled(self._tab(self.transcript), False)
        self._changed()

    def open_recording(self, recording_id: RecordingId) -> None:
        self.tabs.setTabEnabled(self._tab(self.transcript), True)
        self.transcript.load(recording_id)
        self.tabs.setCurrentWidget(self.transcript)

    def choose_files(self) -> None:
        self.tabs.setCurrentWidget(self.library)
        self.library.choose_files()

    def import_files(self, paths: list[Path]) -> None:
        """Queue every file (dropped folders come expanded to their audio), each imported then transcribed."""
        for path in paths:
            task = actions.import_file(self._ctx, path, then_transcribe=True)
            task.on_done(lambda _result: self._changed())
            task.on_failed(self._import_failed)
        self.tabs.setCurrentWidget(self.jobs)

    def _import_failed(self, _exc: Exception) -> None:
        # The jobs view shows the message; the import may have got as far as the vault before failing.
        self._changed()

    def _recorded(self, _recording_id: RecordingId) -> None:
        self._changed()

    def show_recorder(self) -> None:
        """Ctrl+R: to the record view, and start recording unless already."""
        self.tabs.setCurrentWidget(self.recorder)
        if not self.recorder.is_recording:
            self.recorder.start()

    def find_text(self) -> None:
        self.tabs.setCurrentWidget(self.library)
        self.library.focus_search()

    def export_current(self) -> None:
        rid = self.transcript.recording_id if self.tabs.currentWidget() is self.transcript else None
        rid = rid or self.library.selected_id()
        if rid is None:
            self.statusBar().showMessage(tr("Select a recording to export first."), 5000)
            return
        self.export_recording(rid)

    def export_recording(self, recording_id: RecordingId) -> None:
        self._open_dialog(ExportDialog(self._ctx, recording_id, parent=self))

    def show_settings(self) -> None:
        self._open_dialog(SettingsDialog(self._ctx, on_saved=self._settings_saved, parent=self))

    def _settings_saved(self) -> None:
        from app.theme import apply_theme

        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, str(self._ctx.config.get("theme")))

    def show_vocabulary(self) -> None:
        self._open_dialog(VocabularyDialog(self._ctx, parent=self))

    def edit_recording_vocabulary(self, recording_id: RecordingId, title: str) -> None:
        self._open_dialog(VocabularyDialog(self._ctx, recording_id=recording_id, title=title, parent=self))

    def show_audit(self) -> None:
        self._open_dialog(AuditDialog(self._ctx, parent=self))

    def _quit(self) -> None:
        self.close()

    def shortcut_list(self) -> list[tuple[str, str]]:
        """(what, keys) for every shortcut in the window: its own actions first, then those of the views."""
        found: dict[str, str] = {}
        views = [self.library, self.recorder, self.jobs, self.transcript]
        sources: list[QAction | QAbstractButton] = list(self.actions())
        for view in views:
            sources += view.findChildren(QAction) + view.findChildren(QAbstractButton)
        for source in sources:
            keys = keys_text(source.shortcut())
            what = plain(source.text())
            if keys and what:
                found.setdefault(keys, what)
        return [(what, keys) for keys, what in found.items()]

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td>{html.escape(w)}</td><td><b>{html.escape(k)}</b></td></tr>" for w, k in self.shortcut_list()
        )
        box = QMessageBox(QMessageBox.Icon.Information, tr("Keyboard shortcuts"), f"<table>{rows}</table>", parent=self)
        box.setObjectName("shortcutsBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _open_dialog(self, dialog: QDialog) -> None:  # non-blocking; closed on lock
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialogs = [d for d in self.dialogs if _alive(d)]
        self.dialogs.append(dialog)
        dialog.open()

    def _tasks_changed(self) -> None:
        self.status_label.setText(self.jobs.summary())

    # -- locking ---------------------------------------------------------------------------

    def lock(self) -> None:
        """Stop recording (saved), close dialogs, cancel long work and wait for it, lock, clear."""
        if self._locking:
            return
        self._locking = True
        if self.recorder.is_recording:
            self.recorder.stop(transcribe=False, notify=False)  # queued before the lock: nothing captured is lost
        if self.transcript.has_unsaved_changes:
            self.transcript.save_edit()  # likewise queued before the lock
        for dialog in self.dialogs:
            if _alive(dialog):
                dialog.close()
        self._worker.cancel_all()
        self._worker.after_tasks(self._lock_now)

    def _lock_now(self) -> None:
        self._worker.op(self, lambda s: s.lock()).success(lambda _: self._did_lock()).failure(
            lambda _exc: self._did_lock()
        ).run()

    def _did_lock(self) -> None:
        self._locking = False
        self.clear()
        self._on_vault_did_lock()

    def clear(self) -> None:
        """Drop every piece of the vault's content from the widgets."""
        self.library.clear()
        self.recorder.clear()
        self.transcript.clear()
        self.tabs.setTabEnabled(self._tab(self.transcript), False)
        self.tabs.setCurrentWidget(self.library)
        self._worker.clear_finished()
        self.statusBar().clearMessage()

    def check_idle(self) -> None:
        if self._worker.busy or self._locking or self.recorder.is_recording or self.transcript.has_unsaved_changes:
            return  # work in progress runs on; the first check after it ends locks
        self._worker.op(self, lambda s: s.lock_if_idle()).success(self._idle_checked).run()

    def _idle_checked(self, locked: bool) -> None:
        if locked:
            self._did_lock()

    def purge_expired(self) -> None:
        self._worker.op(self, lambda s: s.recordings.purge_expired()).success(self._purged).run()

    def _purged(self, count: int) -> None:
        if count:
            self._changed()

    def _touch(self) -> None:
        self._worker.op(self, lambda s: s.touch()).run()

    # -- drag and drop ---------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        accept_file_drag(event)

    def dropEvent(self, event: QDropEvent) -> None:
        handle_file_drop(event, self.import_files)

    # The idle check and the activity filter run only while the window shows (the vault is open).
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._activity)
        self.idle_timer.start()
        self.retention_timer.start()
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.idle_timer.stop()
        self.retention_timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._activity)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.recorder.is_recording:
            self.recorder.stop(transcribe=False, notify=False)  # queued before the shutdown's lock
        if self.transcript.has_unsaved_changes:
            self.transcript.save_edit()
        super().closeEvent(event)
        self._on_quit()


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)
