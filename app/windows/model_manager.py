"""Settings' "Models…": the set-up's model step on its own, to import or download a speech or
speaker model after set-up. What it installs may become the configured model (``ModelStep``); the
caller re-reads the settings when it closes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from app.context import AppContext
from app.i18n import tr
from app.windows.setup import ModelStep


class ModelsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelsDialog")
        self.setWindowTitle(tr("Models"))
        self.step = ModelStep(
            ctx.worker,
            models_dir=ctx.models_dir,
            on_finished=self.accept,
            store_factory=_store_factory(ctx),
            in_setup=False,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.step)
        self.setMinimumWidth(560)

    def reject(self) -> None:
        # Closing mid-download cancels it (a download resumes next time); the dialog stays until it stops,
        # so that the result still has somewhere to land.
        if self.step.running:
            self.step.cancel()
            return
        super().reject()


def _store_factory(ctx: AppContext) -> Callable[[Path], Any]:
    def factory(root: Path) -> Any:
        from models.store import ModelStore  # urllib and http.client: not at start-up

        return ModelStore(root, policy=ctx.policy)  # the policy the session has: its folders, its download rule

    return factory
