"""The window shown while the vault is unlocked.

It never decides what to show when the vault locks: it calls
``on_vault_did_lock`` (after Lock, or when the idle check locked it) and the
shell shows the unlock dialog. These are plain callbacks, not signals emitted
from Python: see ``app.tasks`` for the PySide6 6.12 bug that rules those out.
User activity keeps the vault open, reported to the session through the
worker at most once per ``activity_interval_s``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from app.tasks import VaultWorker
from core.session import Status

IDLE_CHECK_MS = 30_000
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


class MainWindow(QMainWindow):
    def __init__(
        self,
        worker: VaultWorker,
        *,
        on_vault_did_lock: Callable[[], None],
        on_quit: Callable[[], None],
        idle_check_ms: int = IDLE_CHECK_MS,
        activity_interval_s: float = ACTIVITY_INTERVAL_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._worker = worker
        self._on_vault_did_lock = on_vault_did_lock
        self._on_quit = on_quit
        self.setObjectName("mainWindow")
        self.setWindowTitle("VaultScribe")

        self.lock_action = QAction("&Lock", self)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setObjectName("quitAction")
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        menu = self.menuBar().addMenu("&Vault")
        menu.addAction(self.lock_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        toolbar = self.addToolBar("Vault")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.lock_action)

        self.recordings = self._value("recordingsValue")
        self.keystore = self._value("keystoreValue")
        self.vault_dir = self._value("vaultDirValue")
        form = QFormLayout()
        form.addRow("Recordings", self.recordings)
        form.addRow("Keyring", self.keystore)
        form.addRow("Vault folder", self.vault_dir)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(QLabel("<h2>Your vault is unlocked</h2>"))
        layout.addLayout(form)
        layout.addStretch()
        self.setCentralWidget(central)
        self.resize(720, 460)

        self.idle_timer = QTimer(self)
        self.idle_timer.setObjectName("idleTimer")
        self.idle_timer.setInterval(idle_check_ms)
        self.idle_timer.timeout.connect(self.check_idle)
        self._activity = ActivityFilter(self._touch, interval_s=activity_interval_s, monotonic=monotonic)

    @staticmethod
    def _value(name: str) -> QLabel:
        label = QLabel("…")
        label.setObjectName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def refresh(self) -> None:
        self._worker.op(self, lambda s: s.status()).success(self._show_status).run()

    def _show_status(self, status: Status) -> None:
        self.recordings.setText("—" if status.recordings is None else str(status.recordings))
        self.keystore.setText(status.keystore or "—")
        self.vault_dir.setText(status.vault_dir)

    def lock(self) -> None:
        self._worker.op(self, lambda s: s.lock()).success(lambda _: self._on_vault_did_lock()).run()

    def check_idle(self) -> None:
        self._worker.op(self, lambda s: s.lock_if_idle()).success(self._idle_checked).run()

    def _idle_checked(self, locked: bool) -> None:
        if locked:
            self._on_vault_did_lock()

    def _touch(self) -> None:
        self._worker.op(self, lambda s: s.touch()).run()

    # The idle check and the activity filter run only while the window shows (the vault is open).
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._activity)
        self.idle_timer.start()
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.idle_timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._activity)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self._on_quit()
