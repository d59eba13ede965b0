"""The one place where errors become dialogs.

Core errors carry messages written for the user (auth failures are already
opaque), so they are shown as they are. Anything else is a bug: it is logged
with its traceback and shown as unexpected. Cancellation is never shown.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import tr
from core.errors import VaultScribeError

log = logging.getLogger(__name__)


def message_for(exc: BaseException) -> str:
    if isinstance(exc, VaultScribeError):
        return str(exc)
    log.error("unexpected error", exc_info=exc)
    return tr("Something went wrong that VaultScribe did not expect.\n\n{kind}: {error}").format(
        kind=type(exc).__name__, error=exc
    )


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Open a non-blocking message box; connect to its ``finished`` to act once it is closed."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, tr("VaultScribe"), message_for(exc), QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
