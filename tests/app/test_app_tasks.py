from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from core.errors import BadInput, Cancelled


def test_ops_run_on_the_worker_and_call_back_on_the_gui_thread(qtbot, worker):
    seen: list[tuple[str, str]] = []
    worker.op(None, lambda s: threading.current_thread().name).success(
        lambda name: seen.append((name, threading.current_thread().name))
    ).run()
    qtbot.waitUntil(lambda: bool(seen))
    ran_on, called_back_on = seen[0]
    assert ran_on.startswith("vault") and called_back_on == threading.main_thread().name


def test_unhandled_failures_show_a_message_and_cancel_is_quiet(qtbot, worker):
    parent = QWidget()
    qtbot.addWidget(parent)

    def boom(_session):
        raise BadInput("That file is not audio.")

    def cancel(_session):
        raise Cancelled()

    worker.op(parent, cancel).run()
    worker.op(parent, boom).run()
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "errorBox") is not None)
    boxes = parent.findChildren(QMessageBox, "errorBox")
    assert [b.text() for b in boxes] == ["That file is not audio."]
    for box in boxes:
        box.close()
    QApplication.processEvents()


def test_callbacks_for_a_deleted_parent_are_dropped(qtbot, worker):
    parent = QWidget()
    called: list[int] = []
    worker.op(parent, lambda s: 1).success(called.append).run()
    shiboken6.delete(parent)  # before the event loop can deliver the result
    done: list[int] = []
    worker.op(None, lambda s: 2).success(done.append).run()
    qtbot.waitUntil(lambda: bool(done))
    assert called == []
