"""The jobs view: rows per task updated in place, cancel, clear finished, ETA text, the status-bar summary."""

from __future__ import annotations

import gc

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QPushButton

from app import actions
from app.context import AppContext
from app.tasks import Task, VaultWorker
from app.views.jobs import JobsView, format_eta
from tests.app.helpers import find
from tests.app.test_app_actions import write_wav


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_format_eta() -> None:
    assert format_eta(None) == "—"
    assert format_eta(12) == "less than a minute"
    assert format_eta(59.9) == "less than a minute"
    assert format_eta(60) == "about 1 min left"
    assert format_eta(110) == "about 2 min left"
    assert format_eta(3 * 3600 + 5 * 60) == "about 3 h 5 min left"


def test_eta_follows_the_pace_after_a_warm_up(qtbot, worker: VaultWorker) -> None:
    clock = FakeClock()
    view = JobsView(worker, monotonic=clock)
    qtbot.addWidget(view)
    task: Task[None] = Task("Import memo.wav", lambda s, r, c: None, worker=worker, monotonic=clock)
    worker.tasks.append(task)  # not submitted: the test drives its GUI-side state by hand
    worker.tasks_changed()
    row = view.row_for(task)
    assert row is not None and row.state.text() == "Queued" and row.eta.text() == "—"
    task._started()
    assert row.state.text() == "Running" and view.timer.isActive()
    clock.now += 30
    task._progressed(0.25, None)  # 30 s for a quarter: 90 s to go
    assert row.progress.value() == 250
    assert row.eta.text() == "about 2 min left"
    clock.now += 60
    task._progressed(0.9, None)  # 90 s for 90 %: 10 s to go
    assert row.eta.text() == "less than a minute"
    task._progressed(0.0, "Transcribing")  # a new phase: unknown until it has a pace
    assert row.phase.text() == "Transcribing" and row.eta.text() == "—"
    assert view.summary() == "1 job running — 0%"
    worker.tasks.remove(task)
    worker.tasks_changed()
    assert view.row_for(task) is None and view.summary() == ""
    assert not view.timer.isActive()


def test_an_import_shows_progress_and_ends_done(qtbot, ctx: AppContext, tmp_path) -> None:
    view = JobsView(ctx.worker)
    qtbot.addWidget(view)
    view.show()
    task = actions.import_file(ctx, write_wav(tmp_path / "memo.wav"))
    row = view.row_for(task)
    assert row is not None
    assert row.title.text() == "Import memo.wav"
    assert view.summary() in ("1 job queued", "1 job running — 0%")
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    assert task.state == "done", task.error
    assert row.state.text() == "Done"
    assert find(row, QProgressBar, "taskProgress").value() == 1000
    assert not find(row, QPushButton, "cancelTask").isEnabled()
    clear = find(view, QPushButton, "clearFinished")
    assert clear.isEnabled()
    qtbot.mouseClick(clear, Qt.MouseButton.LeftButton)
    assert ctx.worker.tasks == [] and view.row_for(task) is None
    assert view.summary() == ""


def test_cancel_button_cancels_a_long_task(qtbot, ctx: AppContext, tmp_path) -> None:
    view = JobsView(ctx.worker)
    qtbot.addWidget(view)
    view.show()
    task = actions.import_file(ctx, write_wav(tmp_path / "long.wav", seconds=30))
    row = view.row_for(task)
    assert row is not None
    cancel = find(row, QPushButton, "cancelTask")
    assert cancel.isEnabled()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not cancel.isEnabled()
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    assert task.state == "cancelled"
    assert row.state.text() == "Cancelled"


def test_a_failed_task_shows_its_message(qtbot, ctx: AppContext, tmp_path) -> None:
    view = JobsView(ctx.worker)
    qtbot.addWidget(view)
    failed: list[Exception] = []
    task = actions.import_file(ctx, tmp_path / "missing.wav").on_failed(failed.append)
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    assert task.state == "failed"
    row = view.row_for(task)
    assert row is not None and row.state.text().startswith("Failed: ")
    assert "unexpected" not in row.state.text()


def test_rows_update_in_place_and_the_listener_goes_with_the_view(qtbot, worker: VaultWorker) -> None:
    view = JobsView(worker)
    tasks = [Task(f"job {i}", lambda s, r, c: None, worker=worker) for i in range(3)]
    worker.tasks.extend(tasks)
    worker.tasks_changed()
    rows = [view.row_for(t) for t in tasks]
    tasks[1]._started()
    tasks[1]._progressed(0.5, "Halfway")
    assert [view.row_for(t) for t in tasks] == rows  # the same widgets, updated
    assert rows[1] is not None and rows[1].progress.value() == 500
    # newest first
    layout_titles = [view._list_layout.itemAt(i).widget() for i in range(3)]
    assert layout_titles == rows[::-1]
    view.clear()
    assert view.row_for(tasks[0]) is None
    worker.tasks_changed()
    assert view.row_for(tasks[0]) is None  # cleared until refresh
    view.refresh()
    assert view.row_for(tasks[0]) is not None
    listeners = len(worker._task_listeners)
    view.deleteLater()
    qtbot.waitUntil(lambda: len(worker._task_listeners) == listeners - 1)
    del view
    gc.collect()
    worker.tasks_changed()  # no listener left that touches a deleted widget
    worker.tasks.clear()
