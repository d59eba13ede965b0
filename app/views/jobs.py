"""The jobs view: every long task of this run with its phase, progress, ETA, state and a Cancel button.

Rows are kept per task and updated in place when the worker says tasks changed,
so a chatty progress report costs a few setter calls, not a rebuild. A one-second
timer refreshes the ETAs while something runs. ``summary()`` is the one line a
status bar shows.
"""

from __future__ import annotations

import functools
import time
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.tasks import Task, VaultWorker
from core.errors import VaultScribeError

TICK_MS = 1000
#: The first seconds of a phase give a poor pace: the ETA shows only after this long.
ETA_WARMUP_S = 2.0


def format_eta(seconds: float | None) -> str:
    """'about 2 min left', 'less than a minute', or '—' while unknown."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return tr("less than a minute")
    minutes = int(seconds / 60 + 0.5)
    if minutes < 60:
        return tr("about {minutes} min left").format(minutes=minutes)
    return tr("about {hours} h {minutes} min left").format(hours=minutes // 60, minutes=minutes % 60)


def state_text(task: Task[Any]) -> str:
    if task.state == "failed":
        exc = task.error
        reason = str(exc) if isinstance(exc, VaultScribeError) else tr("an unexpected error")
        return tr("Failed: {reason}").format(reason=reason)
    names = {
        "queued": tr("Queued"),
        "running": tr("Cancelling") if task.cancel_token.cancelled else tr("Running"),
        "done": tr("Done"),
        "cancelled": tr("Cancelled"),
    }
    return names.get(task.state, task.state)


class TaskRow(QFrame):
    """One task's line in the jobs view. ``update_from`` only touches what changed."""

    def __init__(self, task: Task[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task = task
        self.setObjectName("taskRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.title.setObjectName("taskTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.phase = QLabel()
        self.phase.setObjectName("taskPhase")
        self.phase.setTextFormat(Qt.TextFormat.PlainText)
        self.phase.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.progress = QProgressBar()
        self.progress.setObjectName("taskProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.setFormat("%p%")
        self.eta = QLabel("—")
        self.eta.setObjectName("taskEta")
        self.state = QLabel()
        self.state.setObjectName("taskState")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        self.cancel = QPushButton(tr("Cancel"))
        self.cancel.setObjectName("cancelTask")
        self.cancel.clicked.connect(self._cancel)
        grid = QGridLayout(self)
        grid.addWidget(self.title, 0, 0, 1, 2)
        grid.addWidget(self.state, 0, 2)
        grid.addWidget(self.phase, 1, 0, 1, 3)
        grid.addWidget(self.progress, 2, 0)
        grid.addWidget(self.eta, 2, 1)
        grid.addWidget(self.cancel, 2, 2)
        grid.setColumnStretch(0, 1)
        self._shown: tuple[Any, ...] = ()
        self.title.setText(task.title)
        self.setAccessibleName(task.title)
        self.progress.setAccessibleName(tr("Progress of {title}").format(title=task.title))
        self.cancel.setAccessibleName(tr("Cancel {title}").format(title=task.title))
        self.cancel.setToolTip(tr("Stop this job; what it made so far is discarded"))

    def _cancel(self) -> None:
        self.task.cancel()

    def update_from(self, eta: str) -> None:
        task = self.task
        shown = (task.state, task.phase, round(task.fraction * 1000), eta, task.cancel_token.cancelled)
        if shown == self._shown:
            return
        self._shown = shown
        self.phase.setText(task.phase)
        self.phase.setVisible(bool(task.phase))
        self.progress.setValue(1000 if task.state == "done" else round(task.fraction * 1000))
        self.eta.setText(eta)
        self.eta.setVisible(task.state in ("queued", "running"))
        self.state.setText(state_text(task))
        self.cancel.setEnabled(not task.done and not task.cancel_token.cancelled)

    def clear_text(self) -> None:
        for label in (self.title, self.phase, self.eta, self.state):
            label.clear()
        self.setAccessibleName("")
        self.progress.setAccessibleName("")
        self.cancel.setAccessibleName("")


class JobsView(QWidget):
    def __init__(
        self, worker: VaultWorker, *, monotonic: Callable[[], float] = time.monotonic, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("jobsView")
        self.setAccessibleName(tr("Jobs"))
        self._worker = worker
        self._monotonic = monotonic
        self._rows: dict[int, TaskRow] = {}  # by id(task); the row holds the task, so the id stays unique
        self._running_since: dict[int, float] = {}  # when this view first saw a task running in its phase
        self._phases: dict[int, str] = {}
        self._cleared = False

        self.clear_button = QPushButton(tr("Clear &finished"))
        self.clear_button.setObjectName("clearFinished")
        self.clear_button.setAccessibleName(tr("Clear finished jobs"))
        self.clear_button.setToolTip(tr("Remove the jobs that are done, failed or cancelled from this list"))
        self.clear_button.clicked.connect(self._clear_finished)
        self.empty_label = QLabel(tr("No jobs. Imports and transcriptions show their progress here."))
        self.empty_label.setObjectName("jobsEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self._list = QWidget()
        self._list.setObjectName("jobsList")
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.addWidget(self.empty_label)
        self._list_layout.addStretch()
        scroll = QScrollArea()
        scroll.setObjectName("jobsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._list)
        top = QHBoxLayout()
        top.addStretch()
        top.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

        self.timer = QTimer(self)
        self.timer.setObjectName("etaTimer")
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.update_rows)

        # The worker outlives this view: its listener holds the view weakly and is removed with it.
        ref = weakref.ref(self)

        def listener() -> None:
            view = ref()
            if view is not None and shiboken6.isValid(view):
                view.sync()

        self._listener = listener
        worker.on_tasks_changed(listener)
        self.destroyed.connect(functools.partial(worker.remove_tasks_listener, listener))
        self.sync()

    # -- rows -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._cleared = False
        self.sync()

    def clear(self) -> None:
        """Drop every row (task titles name recordings) until ``refresh``."""
        self._cleared = True
        self.timer.stop()
        for row in self._rows.values():
            row.clear_text()
            row.hide()
            row.deleteLater()
        self._rows.clear()
        self._running_since.clear()
        self._phases.clear()
        self.empty_label.show()
        self.clear_button.setEnabled(False)

    def sync(self) -> None:
        """Match the rows to ``worker.tasks``: add new ones, drop removed ones, update the rest in place."""
        if self._cleared:
            return
        tasks = self._worker.tasks
        wanted = {id(t) for t in tasks}
        for key in [k for k in self._rows if k not in wanted]:
            row = self._rows.pop(key)
            self._running_since.pop(key, None)
            self._phases.pop(key, None)
            self._list_layout.removeWidget(row)
            row.clear_text()
            row.hide()
            row.deleteLater()
        for task in tasks:
            if id(task) not in self._rows:
                row = TaskRow(task, self._list)
                self._rows[id(task)] = row
                self._list_layout.insertWidget(0, row)  # newest first
        self.empty_label.setVisible(not tasks)
        self.update_rows()

    def update_rows(self) -> None:
        now = self._monotonic()
        running = False
        for key, row in self._rows.items():
            task = row.task
            if task.state == "running":
                running = True
                if key not in self._running_since or self._phases.get(key) != task.phase:
                    self._running_since[key], self._phases[key] = now, task.phase
            row.update_from(self.eta_text(task, now))
        self.clear_button.setEnabled(any(row.task.done for row in self._rows.values()))
        if running and not self.timer.isActive():
            self.timer.start()
        elif not running and self.timer.isActive():
            self.timer.stop()

    def eta_text(self, task: Task[Any], now: float | None = None) -> str:
        if task.state != "running" or task.cancel_token.cancelled:
            return "—"
        since = self._running_since.get(id(task))
        now = self._monotonic() if now is None else now
        if since is None or now - since < ETA_WARMUP_S:
            return "—"
        return format_eta(task.eta_s())

    def row_for(self, task: Task[Any]) -> TaskRow | None:
        return self._rows.get(id(task))

    def _clear_finished(self) -> None:
        self._worker.clear_finished()

    # -- for the status bar ---------------------------------------------------------------------

    def summary(self) -> str:
        """One line for a status bar: '2 jobs running — 45%', '1 job queued', or '' when idle."""
        active = [t for t in self._worker.tasks if not t.done]
        running = [t for t in active if t.state == "running"]
        if not active:
            return ""
        if not running:
            if len(active) == 1:
                return tr("1 job queued")
            return tr("{count} jobs queued").format(count=len(active))
        percent = round(100 * sum(t.fraction for t in active) / len(active))
        if len(active) == 1:
            return tr("1 job running — {percent}%").format(percent=percent)
        return tr("{count} jobs running — {percent}%").format(count=len(active), percent=percent)
