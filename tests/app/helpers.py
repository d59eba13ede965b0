"""Helpers for the GUI tests: find widgets by objectName, compute codes, wait for the worker."""

from __future__ import annotations

import base64
from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from app.tasks import VaultWorker
from core.clock import FakeClock
from core.security.totp import TotpSecret

PASSPHRASE = "correct horse battery staple"
W = TypeVar("W", bound=QObject)


def totp_code(secret: str, clock: FakeClock) -> str:
    secret = secret.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return TotpSecret(key).code_at(clock.now_ms() // 1000)


def find(parent: QWidget, kind: type[W], name: str) -> W:
    child = parent.findChild(kind, name)
    assert child is not None, f"no {kind.__name__} named {name!r}"
    return child


def type_into(qtbot, parent: QWidget, name: str, text: str) -> None:
    edit = find(parent, QLineEdit, name)
    qtbot.waitUntil(edit.isEnabled)  # not while the dialog is busy with the vault
    edit.clear()
    qtbot.keyClicks(edit, text)


def click(qtbot, parent: QWidget, name: str) -> None:
    button = find(parent, QPushButton, name)
    qtbot.waitUntil(button.isEnabled)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def drain(qtbot, worker: VaultWorker) -> None:
    """Wait until everything submitted so far has run and called back (the worker is FIFO)."""
    done: list[bool] = []
    worker.op(None, lambda s: None).success(lambda _: done.append(True)).run()
    qtbot.waitUntil(lambda: bool(done))
