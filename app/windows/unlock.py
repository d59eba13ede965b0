"""Unlock with passphrase and authenticator code, or recover with the recovery code.

The error shown is the core's opaque one: it never says which factor was
wrong. While a back-off is in force the buttons stay disabled and a live
countdown says when to try again; once only the recovery code works, the
unlock page says so and points to it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.errors import show_error
from app.i18n import tr
from app.tasks import VaultWorker
from app.widgets.controls import button as make_button
from app.widgets.enrolment import EnrolmentView
from app.widgets.passphrase import NewPassphrase
from app.windows.dialog import MessageLabel, VaultDialog
from core.errors import AuthFailed, BackoffActive, BadInput, RecoveryRequired, VaultBusy
from core.security.strength import DEFAULT_MIN_SCORE
from core.session import Enrolment, Status

TICK_MS = 250


def _button(text: str, name: str, slot: Callable[[], None], accessible: str | None = None) -> QPushButton:
    return make_button(text, name, slot, accessible=accessible)

class UnlockDialog(VaultDialog):
    def __init__(
        self,
        worker: VaultWorker,
        *,
        min_passphrase_length: int,
        min_passphrase_score: int = DEFAULT_MIN_SCORE,
        monotonic: Callable[[], float] = time.monotonic,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(worker, parent)
        self.setObjectName("unlockDialog")
        self.setWindowTitle(tr("Unlock VaultScribe"))
        self._monotonic = monotonic
        self._retry_at: float | None = None
        self._recovery_only = False
        self._countdown_timer = QTimer(self)
        self._countdown_timer.setInterval(TICK_MS)
        self._countdown_timer.timeout.connect(self._tick)
        # One countdown on each page that can be refused by the back-off; the same tick updates both.
        self.countdown = MessageLabel("countdown", style="")
        self.recover_countdown = MessageLabel("recoverCountdown", style="")

        # -- unlock page
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr("Passphrase"))
        self.code = QLineEdit()
        self.code.setObjectName("totpCode")
        self.code.setPlaceholderText(tr("6 digits from your authenticator"))
        self.code.setAccessibleName(tr("Code from your authenticator app"))
        self.code.setMaxLength(6)
        self.code.setValidator(QRegularExpressionValidator(r"\d{0,6}"))
        for edit in (self.passphrase, self.code):
            edit.textChanged.connect(self._update)
            edit.returnPressed.connect(self._unlock)
        self.message = MessageLabel("unlockMessage")
        self.unlock_button = _button(tr("&Unlock"), "unlockButton", self._unlock, tr("Unlock"))
        self.unlock_button.setDefault(True)
        form = QFormLayout()
        form.addRow(tr("&Passphrase"), self.passphrase)
        form.addRow(tr("C&ode"), self.code)
        row = QHBoxLayout()
        use_recovery = _button(
            tr("Use &recovery code…"), "useRecoveryButton", self._show_recover, tr("Use the recovery code")
        )
        row.addWidget(use_recovery)
        row.addStretch()
        row.addWidget(_button(tr("&Quit"), "quitButton", self.reject, tr("Quit")))
        row.addWidget(self.unlock_button)
        self.unlock_page = self._page(tr("<h3>Unlock your vault</h3>"), form, self.message, self.countdown, row)

        # -- recovery page
        self.recovery_code = QLineEdit()
        self.recovery_code.setObjectName("recoveryCodeInput")
        self.recovery_code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")  # a format, not words
        self.recovery_code.setAccessibleName(tr("Recovery code"))
        self.recovery_code.textChanged.connect(self._update)
        self.new_passphrase = NewPassphrase(
            min_length=min_passphrase_length, min_score=min_passphrase_score, on_changed=self._update
        )
        self.recover_message = MessageLabel("recoverMessage")
        self.recover_button = _button(tr("Re&cover"), "recoverButton", self._recover, tr("Recover"))
        self.new_passphrase.form.insertRow(0, tr("Recovery code"), self.recovery_code)
        back_row = QHBoxLayout()
        back_row.addWidget(_button(tr("&Back"), "backButton", self._show_unlock, tr("Back")))
        back_row.addStretch()
        back_row.addWidget(self.recover_button)
        explain = QLabel(
            tr(
                "The recovery code opens the vault and replaces every other factor: choose a new passphrase, "
                "then set up your authenticator again. You will get a new recovery code; the old one stops working."
            )
        )
        explain.setWordWrap(True)
        self.recover_page = self._page(
            tr("<h3>Recover with your recovery code</h3>"), explain, self.new_passphrase, self.recover_message,
            self.recover_countdown, back_row,
        )  # fmt: skip

        # -- after recovery: the same enrolment view as first set-up
        self.enrolment = EnrolmentView(worker, on_finished=self.accept)
        self.add_page(self.enrolment)
        self.show_page(self.unlock_page)
        self.setMinimumWidth(460)
        self._tick()
        self.run_op(lambda s: s.status(), self._show_status, self._failed)

    def _page(self, title: str, *parts: QWidget | QFormLayout | QHBoxLayout) -> QWidget:
        return self.build_page(QLabel(title), *parts)

    # -- state --------------------------------------------------------------

    def _show_status(self, status: Status) -> None:
        if status.recovery_only:
            self._refuse_all(RecoveryRequired())
        elif status.retry_after_s > 0:
            self.message.setText(tr("Too many failed unlock attempts."))
            self._start_countdown(status.retry_after_s)

    def _refuse_all(self, exc: RecoveryRequired) -> None:
        self._recovery_only = True
        self.message.setText(str(exc))
        self._update()

    def _start_countdown(self, seconds: float) -> None:
        self._retry_at = self._monotonic() + seconds
        self._countdown_timer.start()
        self._tick()

    def _tick(self) -> None:
        left = 0.0 if self._retry_at is None else self._retry_at - self._monotonic()
        if left <= 0:
            self._retry_at = None
            self._countdown_timer.stop()
        text = tr("Try again in {seconds} s").format(seconds=math.ceil(left)) if left > 0 else ""
        for label in (self.countdown, self.recover_countdown):
            label.setText(text)
        self._update()

    def _update(self) -> None:
        waiting = self._retry_at is not None
        self.unlock_button.setEnabled(
            not waiting and not self._recovery_only and bool(self.passphrase.text()) and len(self.code.text()) == 6
        )
        self.recover_button.setEnabled(
            not waiting and bool(self.recovery_code.text().strip()) and self.new_passphrase.is_acceptable()
        )

    def busy_did_end(self) -> None:
        self._update()
        if self.current_page is self.unlock_page:
            (self.code if self.passphrase.text() else self.passphrase).setFocus()

    # -- unlock ------------------------------------------------------------

    def _unlock(self) -> None:
        if not self.unlock_button.isEnabled() or self.is_busy:
            return
        passphrase, code = self.passphrase.text(), self.code.text()
        self.message.clear()
        self.run_op(lambda s: s.unlock(passphrase, code), lambda _: self.accept(), self._failed)

    def _failed(self, exc: Exception) -> None:
        self.code.clear()
        label = self.recover_message if self.current_page is self.recover_page else self.message
        if isinstance(exc, RecoveryRequired):
            self._refuse_all(exc)
        elif isinstance(exc, BackoffActive):
            # Its message bakes in the seconds; the live countdown says that better.
            label.setText(tr("Too many failed unlock attempts."))
        elif isinstance(exc, AuthFailed | BadInput | VaultBusy):  # VaultBusy: another process has it open
            label.setText(str(exc))
        else:
            show_error(self, exc)
        if isinstance(exc, AuthFailed) and exc.retry_after_s > 0:
            self._start_countdown(exc.retry_after_s)

    # -- recovery ----------------------------------------------------------

    def _show_recover(self) -> None:
        self.show_page(self.recover_page)
        self.recovery_code.setFocus()

    def _show_unlock(self) -> None:
        self.show_page(self.unlock_page)
        self.passphrase.setFocus()

    def _recover(self) -> None:
        if not self.recover_button.isEnabled() or self.is_busy:
            return
        code, passphrase = self.recovery_code.text(), self.new_passphrase.passphrase()
        self.recover_message.clear()
        self.run_op(lambda s: s.recover(code, passphrase), self._recovered, self._failed)

    def _recovered(self, enrolment: Enrolment) -> None:
        self._recovery_only = False
        self.recovery_code.clear()
        self.new_passphrase.first.clear()
        self.new_passphrase.second.clear()
        self.setWindowTitle(tr("VaultScribe: set up your second factor again"))
        self.enrolment.show_enrolment(enrolment)
        self.show_page(self.enrolment)

    def reject(self) -> None:
        # After recovery the new recovery code is shown only now, as at first set-up.
        if self.current_page is self.enrolment and not self.enrolment.stored.isChecked():
            self.enrolment.stored.setFocus()
            return
        super().reject()
