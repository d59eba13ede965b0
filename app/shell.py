"""Which window shows when: set-up on first run, unlock while locked, the main window while unlocked.

The shell owns no state of the vault: it asks the session (through the
worker) whether a vault exists, and follows the windows. It calls
``on_finished`` when the user quits, and the composition root ends the app.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog

from app.context import AppContext
from app.errors import show_error
from app.windows.main_window import IDLE_CHECK_MS, MainWindow
from app.windows.setup import SetupDialog
from app.windows.unlock import UnlockDialog


class Shell:
    def __init__(
        self,
        ctx: AppContext,
        *,
        on_finished: Callable[[], None],
        idle_check_ms: int = IDLE_CHECK_MS,
    ) -> None:
        self._ctx = ctx
        self._worker = ctx.worker
        self._on_finished = on_finished
        # Plain values loaded with the session, not session calls: fine to read on the GUI thread. They are
        # the values in force under the policy, as the core checks them, so the meter agrees with the core.
        self._min_length, self._min_score = (
            int(ctx.policy.effective(key, ctx.config.get(key)))
            for key in ("min_passphrase_length", "min_passphrase_score")
        )
        self.window = MainWindow(
            ctx, on_vault_did_lock=self.show_unlock, on_quit=on_finished, idle_check_ms=idle_check_ms
        )
        self.dialog: QDialog | None = None

    def start(self) -> None:
        self._worker.op(None, lambda s: s.exists()).success(self._first_window).failure(self._fatal).run()

    def _first_window(self, exists: bool) -> None:
        if exists:
            self._show(self._unlock_dialog())
        else:
            self._show(
                SetupDialog(
                    self._worker,
                    min_passphrase_length=self._min_length,
                    min_passphrase_score=self._min_score,
                    models_dir=self._ctx.models_dir,
                    remember_folder=self._ctx.remember_vault_dir,
                )
            )

    def show_unlock(self) -> None:
        if not self.window.isVisible():  # a lock and an idle lock can both report
            return
        self.window.hide()
        self._show(self._unlock_dialog())

    def _unlock_dialog(self) -> UnlockDialog:
        return UnlockDialog(self._worker, min_passphrase_length=self._min_length, min_passphrase_score=self._min_score)

    def _show(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.accepted.connect(self.window.show)
        dialog.rejected.connect(self._on_finished)
        dialog.show()

    def _fatal(self, exc: Exception) -> None:
        show_error(None, exc).finished.connect(self._on_finished)

    def close(self) -> None:
        """Close every window without asking; the caller then shuts the worker down."""
        if self.dialog is not None:
            self.dialog.hide()
        self.window.idle_timer.stop()
        self.window.hide()
