"""The one place where errors become dialogs.

Core errors carry messages written for the user (auth failures are already
opaque), so they are shown as they are. Anything else is a bug: it is shown as
unexpected, with what to do, and logged with the class and the code locations
of its traceback only. Neither the dialog nor the log carries the exception's
message, which may quote transcript text or a path. Cancellation is never shown.
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import tr
from core.errors import VaultScribeError

log = logging.getLogger(__name__)


def message_for(exc: BaseException) -> str:
    if isinstance(exc, VaultScribeError):
        return str(exc)
    log.error("unexpected error %s\n%s", type(exc).__name__, where(exc))
    return tr(
        "Something went wrong that VaultScribe did not expect ({kind}). Nothing already saved in the vault "
        "is affected. Try again; if it happens again, restart VaultScribe and report the error name."
    ).format(kind=type(exc).__name__)


def where(exc: BaseException) -> str:
    """The traceback's file, line and function names: enough to find the bug, no values, no message."""
    frames = traceback.extract_tb(exc.__traceback__)
    return "".join(f"  {f.filename}:{f.lineno} in {f.name}\n" for f in frames)


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Open a non-blocking message box; connect to its ``finished`` to act once it is closed."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, tr("VaultScribe"), message_for(exc), QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
