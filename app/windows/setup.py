"""First run: choose a passphrase, create the vault, enrol the authenticator, show the recovery code.

``Session.create`` leaves the vault unlocked, so the dialog is accepted only
once the authenticator is confirmed and the recovery code acknowledged.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.errors import show_error
from app.tasks import VaultWorker
from app.widgets.enrolment import EnrolmentView
from app.widgets.passphrase import NewPassphrase
from app.windows.dialog import MessageLabel, VaultDialog
from core.errors import BadInput
from core.session import Enrolment


class SetupDialog(VaultDialog):
    def __init__(self, worker: VaultWorker, *, min_passphrase_length: int, parent: QWidget | None = None) -> None:
        super().__init__(worker, parent)
        self.setObjectName("setupDialog")
        self.setWindowTitle("Set up VaultScribe")

        intro = QLabel(
            "<h3>Create your vault</h3>"
            "Recordings and transcripts are encrypted. Opening them takes your passphrase, this "
            "computer's keyring and a code from your authenticator app. Choose a passphrase you "
            "use nowhere else: it cannot be reset without the recovery code."
        )
        intro.setWordWrap(True)
        self.new_passphrase = NewPassphrase(min_length=min_passphrase_length, on_changed=self._update)
        self.new_passphrase.second.returnPressed.connect(self._create)
        self.message = MessageLabel("setupMessage", style="")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.create_button = buttons.addButton("Create vault", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setObjectName("createButton")
        self.create_button.clicked.connect(self._create)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(self.new_passphrase)
        layout.addWidget(self.message)
        layout.addStretch()
        layout.addWidget(buttons)
        self.add_page(page)

        self.enrolment = EnrolmentView(worker, on_finished=self.accept)
        self.add_page(self.enrolment)
        self.setMinimumWidth(560)
        self._update()

    def _update(self) -> None:
        self.create_button.setEnabled(self.new_passphrase.is_acceptable())

    def _create(self) -> None:
        if not self.new_passphrase.is_acceptable() or self.is_busy:
            return
        passphrase = self.new_passphrase.passphrase()
        self.message.setStyleSheet("")
        self.message.setText("Creating the vault…")
        self.run_op(lambda s: s.create(passphrase), self._created, self._failed)

    def _created(self, enrolment: Enrolment) -> None:
        self.new_passphrase.first.clear()
        self.new_passphrase.second.clear()
        self.setWindowTitle("Set up VaultScribe: your second factor")
        self.enrolment.show_enrolment(enrolment)
        self.show_page(self.enrolment)

    def _failed(self, exc: Exception) -> None:
        self.message.clear()
        if isinstance(exc, BadInput):
            self.message.setStyleSheet("color: #b03a2e;")
            self.message.setText(str(exc))
        else:
            show_error(self, exc)

    def reject(self) -> None:
        # The recovery code is shown only now: without it a lost authenticator locks the user out.
        if self.current_page is self.enrolment and not self.enrolment.stored.isChecked():
            self.enrolment.stored.setFocus()
            return
        super().reject()
