"""The one way to make a named button or action: object name for tests, accessible name for screen
readers, and the shortcut both set and shown in the tooltip."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton, QWidget


def plain(text: str) -> str:
    """A label as read aloud: no mnemonic ampersand, no trailing ellipsis."""
    return text.replace("&", "").rstrip("…")


def keys_text(keys: QKeySequence) -> str:
    return keys.toString(QKeySequence.SequenceFormat.NativeText)


def button(
    text: str,
    name: str,
    slot: Callable[[], Any] | None = None,
    *,
    tip: str | None = None,
    shortcut: str | QKeySequence | None = None,
    accessible: str | None = None,
) -> QPushButton:
    made = QPushButton(text)
    made.setObjectName(name)
    made.setAccessibleName(accessible or plain(text))
    if shortcut:
        keys = QKeySequence(shortcut)
        made.setShortcut(keys)
        tip = f"{tip or plain(text)} ({keys_text(keys)})"
    if tip:
        made.setToolTip(tip)
    if slot is not None:
        made.clicked.connect(slot)
    return made


def action(
    parent: QWidget, text: str, name: str, slot: Callable[[], Any], shortcut: str | QKeySequence | None = None
) -> QAction:
    made = QAction(text, parent)
    made.setObjectName(name)
    if shortcut:
        keys = QKeySequence(shortcut)
        made.setShortcut(keys)
        made.setToolTip(f"{plain(text)} ({keys_text(keys)})")
    else:
        made.setToolTip(plain(text))
    made.triggered.connect(slot)
    return made
