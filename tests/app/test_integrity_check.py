"""After an unlock through the window, the whole-file integrity check runs as a task on the jobs
thread, never the GUI thread; a damaged vault is reported with the way to restore a backup."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QMessageBox

from app.windows.unlock import UnlockDialog
from tests.app.helpers import PASSPHRASE, click, totp_code, type_into
from tests.core.helpers import audit_events
from tests.vault_access import vault_query


def unlock_through_the_window(qtbot, shell, enrolled, clock) -> None:
    dialog = shell.dialog
    assert isinstance(dialog, UnlockDialog)
    type_into(qtbot, dialog, "passphrase", PASSPHRASE)
    type_into(qtbot, dialog, "totpCode", totp_code(enrolled.totp_secret, clock))
    click(qtbot, dialog, "unlockButton")
    qtbot.waitUntil(lambda: shell.window.isVisible())


def the_check(worker):
    (task,) = [t for t in worker.tasks if t.title == "Checking the vault"]
    return task


def test_the_check_runs_after_unlock_on_the_jobs_thread_and_is_audited(qtbot, enrolled, shell, worker, session, clock):
    threads: list[str] = []
    real = session.check_integrity

    def spy(**kwargs):  # the real check, noting the thread it runs on
        threads.append(threading.current_thread().name)
        return real(**kwargs)

    session.check_integrity = spy
    unlock_through_the_window(qtbot, shell, enrolled, clock)
    qtbot.waitUntil(lambda: the_check(worker).state == "done", timeout=10_000)
    assert len(threads) == 1 and threads[0].startswith("jobs") and threads[0] != threading.main_thread().name
    events = worker.op(None, audit_events)
    seen: list[list[dict]] = []
    events.success(seen.append).run()
    qtbot.waitUntil(lambda: bool(seen))
    assert [e["outcome"] for e in seen[0] if e["kind"] == "vault.integrity_check"] == ["success"]


def test_a_damaged_vault_is_reported_with_the_restore_hint(qtbot, enrolled, shell, session, worker, clock):
    session.unlock(PASSPHRASE, totp_code(enrolled.totp_secret, clock))  # on the test thread, the worker idle
    ((page,),) = vault_query(session, "SELECT rootpage FROM sqlite_master WHERE name = 'redactions'")  # unlock skips it
    session.lock()
    clock.advance(31)
    (db,) = session.paths.root.glob("vault-*.db")
    raw = bytearray(db.read_bytes())
    raw[(page - 1) * 4096 + 1000] ^= 0x01
    db.write_bytes(bytes(raw))

    unlock_through_the_window(qtbot, shell, enrolled, clock)  # unlock itself succeeds: it reads no such page
    qtbot.waitUntil(lambda: the_check(worker).state == "failed", timeout=10_000)

    qtbot.waitUntil(lambda: shell.window.findChild(QMessageBox, "errorBox") is not None)
    box = shell.window.findChild(QMessageBox, "errorBox")
    assert db.name in box.text() and "from a backup" in box.text()
    box.close()
