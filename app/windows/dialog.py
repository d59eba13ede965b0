"""The base of dialogs that run vault operations.

While an operation is in flight it shows a busy bar, disables its pages and
cannot be closed: Argon2 cannot be interrupted, and a late result must not
land in a dialog the user believes is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QDialog, QLabel, QLayout, QProgressBar, QVBoxLayout, QWidget

from app.i18n import tr
from app.tasks import VaultWorker
from core.session import Session

T = TypeVar("T")


class MessageLabel(QLabel):
    """A label that takes no room while empty; the dialog grows or shrinks to fit it."""

    def __init__(self, name: str, *, style: str = "color: #b03a2e;") -> None:
        super().__init__()
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setStyleSheet(style)
        self.hide()

    def setText(self, text: str) -> None:
        super().setText(text)
        if self.isHidden() == bool(text):
            self.setVisible(bool(text))
            if isinstance(self.window(), QDialog):  # a dialog fits its content; a main window keeps the user's size
                self.window().adjustSize()

    def clear(self) -> None:
        self.setText("")


class VaultDialog(QDialog):
    def __init__(self, worker: VaultWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        # Pages sit in a plain box and only the current one is shown: a QStackedWidget would
        # be as tall as its tallest page once word-wrapped labels ask for height-for-width.
        self.pages = QWidget()
        self._pages_layout = QVBoxLayout(self.pages)
        self._pages_layout.setContentsMargins(0, 0, 0, 0)
        self._page_list: list[QWidget] = []
        self.current_page: QWidget | None = None
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("busy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedHeight(6)
        self.busy_bar.setAccessibleName(tr("Working…"))
        self.busy_bar.hide()
        self.main_layout = QVBoxLayout(self)
        self.main_layout.addWidget(self.pages)
        self.main_layout.addWidget(self.busy_bar)
        self._busy = False

    def add_page(self, page: QWidget) -> None:
        self._page_list.append(page)
        self._pages_layout.addWidget(page)
        self.show_page(self._page_list[0])

    def build_page(self, *parts: QWidget | QLayout) -> QWidget:
        """A page of widgets and layouts, top to bottom; spare room goes above the last (the buttons)."""
        page = QWidget()
        layout = QVBoxLayout(page)
        for i, part in enumerate(parts):
            if i == len(parts) - 1:
                layout.addStretch()
            if isinstance(part, QWidget):
                layout.addWidget(part)
            else:
                layout.addLayout(part)
        self.add_page(page)
        return page

    def show_page(self, page: QWidget) -> None:
        """Show one page and fit the dialog to it."""
        self.current_page = page
        for other in self._page_list:
            other.setVisible(other is page)
        self.adjustSize()

    @property
    def is_busy(self) -> bool:
        return self._busy

    def run_op(
        self, fn: Callable[[Session], T], on_success: Callable[[T], Any], on_failure: Callable[[Exception], Any]
    ) -> None:
        self._set_busy(True)

        def succeeded(result: T) -> None:
            self._set_busy(False)
            on_success(result)

        def failed(exc: Exception) -> None:
            self._set_busy(False)
            on_failure(exc)

        self.worker.op(self, fn).success(succeeded).failure(failed).run()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self.pages.setEnabled(not busy)
        if not busy:
            self.busy_did_end()

    def busy_did_end(self) -> None:
        """Subclasses restore their focus and buttons here."""

    def reject(self) -> None:
        if not self._busy:
            super().reject()
