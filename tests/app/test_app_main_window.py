from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app.windows.main_window import ActivityFilter
from app.windows.unlock import UnlockDialog
from tests.app.helpers import PASSPHRASE, click, drain, totp_code, type_into


def _unlock(qtbot, shell, enrolled, clock):
    dialog = shell.dialog
    type_into(qtbot, dialog, "passphrase", PASSPHRASE)
    type_into(qtbot, dialog, "totpCode", totp_code(enrolled.totp_secret, clock))
    click(qtbot, dialog, "unlockButton")
    qtbot.waitUntil(lambda: shell.window.isVisible())


def _shows_unlock(shell) -> bool:
    return isinstance(shell.dialog, UnlockDialog) and shell.dialog.isVisible() and not shell.window.isVisible()


def test_lock_returns_to_the_unlock_dialog(qtbot, enrolled, shell, session, clock):
    first = shell.dialog
    _unlock(qtbot, shell, enrolled, clock)
    assert shell.window.lock_action.shortcut().toString() == "Ctrl+L"
    shell.window.lock_action.trigger()
    qtbot.waitUntil(lambda: _shows_unlock(shell) and shell.dialog is not first)
    assert not session.is_unlocked

    clock.advance(31)
    _unlock(qtbot, shell, enrolled, clock)  # and back in again
    assert session.is_unlocked


def test_idle_auto_lock(qtbot, enrolled, shell, session, clock):
    _unlock(qtbot, shell, enrolled, clock)
    assert shell.window.idle_timer.isActive() and shell.window.idle_timer.interval() == 30_000
    clock.advance(9 * 60)
    shell.window.check_idle()
    drain(qtbot, shell.window._worker)
    assert shell.window.isVisible() and session.is_unlocked

    clock.advance(2 * 60)  # 11 minutes idle: past the default 10
    shell.window.check_idle()
    qtbot.waitUntil(lambda: _shows_unlock(shell))
    assert not session.is_unlocked
    assert not shell.window.idle_timer.isActive()


def test_activity_keeps_the_vault_open(qtbot, enrolled, shell, session, clock):
    _unlock(qtbot, shell, enrolled, clock)
    clock.advance(9 * 60)
    qtbot.keyClick(shell.window, Qt.Key.Key_Shift)
    clock.advance(2 * 60)
    shell.window.check_idle()
    drain(qtbot, shell.window._worker)
    assert session.is_unlocked


def test_activity_is_throttled():
    now = [100.0]
    calls: list[float] = []
    activity = ActivityFilter(lambda: calls.append(now[0]), interval_s=10, monotonic=lambda: now[0])
    app = QApplication.instance()
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
    for step in (0, 3, 3, 5, 1):
        now[0] += step
        activity.eventFilter(app, key)
    assert calls == [100.0, 111.0]
    assert not activity.eventFilter(app, QEvent(QEvent.Type.Paint)) and len(calls) == 2


def test_every_shortcut_is_listed_once_and_none_is_taken_twice(qtbot, ctx):
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QAbstractButton

    from app.windows.main_window import MainWindow

    window = MainWindow(ctx, on_vault_did_lock=lambda: None, on_quit=lambda: None)
    qtbot.addWidget(window)
    listed = dict((keys, what) for what, keys in window.shortcut_list())
    for keys in ("Ctrl+L", "Ctrl+R", "Ctrl+F", "F2", "Ctrl+Space", "Ctrl+Shift+R", "Ctrl+P", "F1"):
        assert keys in listed, keys
    # Window-wide shortcuts (QAction on the window, buttons) must be unique, or Qt fires neither.
    window_wide = [a.shortcut() for a in window.actions()]
    window_wide += [b.shortcut() for b in window.findChildren(QAbstractButton)]
    named = [k.toString() for k in window_wide if not k.isEmpty()]
    assert len(named) == len(set(named)), sorted(k for k in named if named.count(k) > 1)
    assert all(isinstance(a, QAction) for a in window.actions())
    assert QKeySequence("Ctrl+L").toString() in named
