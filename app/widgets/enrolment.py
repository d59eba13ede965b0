"""What the user must see once, after set-up and after recovery.

The authenticator QR code and secret, a field that proves the authenticator
works (``Session.confirm_totp``), and the recovery code, which must be
acknowledged before Finish is enabled. The QR image is made in memory and
never written to disk; the recovery code reaches the clipboard only on
request, and is cleared from it after a minute. It can be printed, or saved
to a plain text file the user chooses (with a warning that the file is not
encrypted).
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import (
    QClipboard,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPixmap,
    QRegularExpressionValidator,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import show_error
from app.i18n import tr
from app.tasks import VaultWorker
from core.errors import AuthFailed
from core.security.totp import qr_png
from core.session import Enrolment

CLIPBOARD_CLEAR_MS = 60_000


def _mono(size_delta: int = 0) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(font.pointSize() + size_delta)
    return font


def _heading(text: str) -> QLabel:
    return QLabel(f"<b>{text}</b>")


def recovery_text(code: str) -> str:
    """The plain text of a saved recovery code: the code, what it is for, and that the file is not encrypted."""
    return "\n".join(
        (
            tr("VaultScribe recovery code"),
            "",
            code,
            "",
            tr(
                "This code opens your vault if you forget your passphrase or lose this computer's keyring or "
                "your authenticator. Anyone who has it and your vault files can open them."
            ),
            tr(
                "This file is NOT encrypted. Print it or copy the code into a password manager, "
                "then delete this file."
            ),
            "",
        )
    )


def recovery_document(code: str) -> QTextDocument:
    """What Print… prints: a title, the code in large monospace, and what it is for."""
    doc = QTextDocument()
    body = (
        f"<h2>{html.escape(tr('VaultScribe recovery code'))}</h2>"
        f'<p style="font-family: monospace; font-size: 22pt; font-weight: bold;">{html.escape(code)}</p>'
        "<p>{}</p><p>{}</p>".format(
            html.escape(
                tr(
                    "This code opens your vault if you forget your passphrase or lose this computer's keyring "
                    "or your authenticator. Keep this paper somewhere safe, away from the computer."
                )
            ),
            html.escape(tr("It is shown only once and cannot be shown again.")),
        )
    )
    doc.setHtml(body)
    return doc


def _clear_if(clipboard: QClipboard, text: str) -> None:
    if clipboard.text() == text:
        clipboard.clear()


def save_recovery_code(path: Path, code: str) -> None:
    """Write the recovery text readable by the user only (0600); the user was told it is not encrypted."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(recovery_text(code))


class EnrolmentView(QWidget):
    """The authenticator and the recovery code. ``heading`` goes above them (the set-up's step heading);
    ``done_text`` names the button that leaves ("Next" where a step follows)."""

    def __init__(
        self,
        worker: VaultWorker,
        *,
        on_finished: Callable[[], None],
        heading: QWidget | None = None,
        done_text: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._totp_ok = False
        self._checking = False
        self._recovery_code = ""

        self.qr = QLabel()
        self.qr.setObjectName("totpQr")
        self.secret = QLabel()
        self.secret.setObjectName("totpSecret")
        self.secret.setFont(_mono())
        self.code = QLineEdit()
        self.code.setObjectName("confirmCode")
        self.code.setPlaceholderText(tr("6 digits"))
        self.code.setAccessibleName(tr("Code from your authenticator app"))
        self.code.setMaxLength(6)
        self.code.setValidator(QRegularExpressionValidator(r"\d{0,6}"))
        self.code.textChanged.connect(self._update)
        self.code.returnPressed.connect(self._confirm)
        self.confirm_button = QPushButton(tr("Check code"))
        self.confirm_button.setObjectName("confirmCodeButton")
        self.confirm_button.setAccessibleName(tr("Check the code"))
        self.confirm_button.clicked.connect(self._confirm)
        self.confirm_message = QLabel()
        self.confirm_message.setObjectName("confirmMessage")
        self.confirm_message.setWordWrap(True)

        self.recovery = QLabel()
        self.recovery.setObjectName("recoveryCode")
        self.recovery.setFont(_mono(2))
        self.copy_button = QPushButton(tr("&Copy"))
        self.copy_button.setObjectName("copyRecoveryButton")
        self.copy_button.setAccessibleName(tr("Copy the recovery code"))
        self.copy_button.setToolTip(tr("Copy the code; the clipboard is cleared after a minute"))
        self.save_button = QPushButton(tr("&Save…"))
        self.save_button.setObjectName("saveRecoveryButton")
        self.save_button.setAccessibleName(tr("Save the recovery code to a file"))
        self.save_button.setToolTip(tr("Save the code to a plain text file (not encrypted)"))
        self.save_button.clicked.connect(self._save)
        self.print_button = QPushButton(tr("&Print…"))
        self.print_button.setObjectName("printRecoveryButton")
        self.print_button.setAccessibleName(tr("Print the recovery code"))
        self.print_button.setToolTip(tr("Print the code on paper"))
        self.print_button.clicked.connect(self._print)
        self.saved_message = QLabel()
        self.saved_message.setObjectName("recoverySavedMessage")
        self.saved_message.setWordWrap(True)
        self.copy_button.clicked.connect(self._copy)
        self.stored = QCheckBox(tr("I have stored the recovery code somewhere safe"))
        self.stored.setObjectName("storedCheckbox")
        self.stored.setAccessibleName(tr("I have stored the recovery code"))
        self.stored.toggled.connect(self._update)
        done_text = done_text or tr("Finish")
        self.finish_button = QPushButton(done_text)
        self.finish_button.setObjectName("finishButton")
        self.finish_button.setAccessibleName(done_text.replace("&", ""))
        self.finish_button.setDefault(True)
        self.finish_button.clicked.connect(on_finished)
        for label in (self.secret, self.recovery):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        totp = QGridLayout()
        totp.addWidget(self.qr, 0, 0, 5, 1)
        scan = QLabel(tr("Scan this code with an authenticator app, or type in this secret:"))
        scan.setWordWrap(True)
        totp.addWidget(scan, 0, 1)
        totp.addWidget(self.secret, 1, 1)
        totp.addWidget(QLabel(tr("Then enter the code the app shows:")), 2, 1)
        code_row = QHBoxLayout()
        code_row.addWidget(self.code)
        code_row.addWidget(self.confirm_button)
        code_row.addStretch()
        totp.addLayout(code_row, 3, 1)
        totp.addWidget(self.confirm_message, 4, 1)
        totp.setColumnStretch(1, 1)

        recovery_row = QHBoxLayout()
        recovery_row.addWidget(self.recovery)
        recovery_row.addWidget(self.copy_button)
        recovery_row.addWidget(self.save_button)
        recovery_row.addWidget(self.print_button)
        recovery_row.addStretch()
        warning = QLabel(
            tr(
                "It opens the vault if you forget your passphrase or lose this computer's keyring or your "
                "authenticator. It is shown only now: write it down, print it or keep it in a password "
                "manager. A saved file is not encrypted: move the code to paper or a password manager."
            )
        )
        warning.setWordWrap(True)

        layout = QVBoxLayout(self)
        if heading is not None:
            layout.addWidget(heading)
        layout.addWidget(_heading(tr("1. Add VaultScribe to your authenticator app")))
        layout.addLayout(totp)
        layout.addSpacing(12)
        layout.addWidget(_heading(tr("2. Store your recovery code")))
        layout.addWidget(warning)
        layout.addLayout(recovery_row)
        layout.addWidget(self.saved_message)
        layout.addWidget(self.stored)
        layout.addStretch()
        finish_row = QHBoxLayout()
        finish_row.addStretch()
        finish_row.addWidget(self.finish_button)
        layout.addLayout(finish_row)
        self._update()

    def show_enrolment(self, enrolment: Enrolment) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(qr_png(enrolment.totp_uri, scale=4))  # PNG, detected from the bytes
        self.qr.setPixmap(pixmap)
        secret = enrolment.totp_secret
        self.secret.setText(" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)))
        self._recovery_code = enrolment.recovery_code
        self.recovery.setText(enrolment.recovery_code)
        self._totp_ok = False
        self.stored.setChecked(False)
        self.code.clear()
        self.code.setEnabled(True)
        self.confirm_message.clear()
        self.saved_message.clear()
        self._update()
        self.code.setFocus()

    @property
    def is_complete(self) -> bool:
        return self._totp_ok and self.stored.isChecked()

    def _confirm(self) -> None:
        code = self.code.text()
        if self._totp_ok or self._checking or len(code) != 6:
            return
        self._checking = True
        self._update()
        self.confirm_message.setText(tr("Checking…"))
        self._worker.op(self, lambda s: s.confirm_totp(code)).success(self._confirmed).failure(self._rejected).run()

    def _confirmed(self, _: None) -> None:
        self._checking = False
        self._totp_ok = True
        self.code.setEnabled(False)
        self.confirm_message.setText(tr("✔ Your authenticator works."))
        self._update()

    def _rejected(self, exc: Exception) -> None:
        self._checking = False
        self.confirm_message.clear()
        self._update()
        if not isinstance(exc, AuthFailed):
            show_error(self, exc)
            return
        self.confirm_message.setText(str(exc))
        self.code.selectAll()
        self.code.setFocus()

    def _copy(self) -> None:
        clipboard = QGuiApplication.clipboard()
        code = self._recovery_code
        clipboard.setText(code)
        # Do not leave the only spare key to the vault in the clipboard for long.
        QTimer.singleShot(CLIPBOARD_CLEAR_MS, clipboard, lambda: _clear_if(clipboard, code))

    def _save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr("Save the recovery code (the file is not encrypted)"),
            str(Path.home() / "vaultscribe-recovery-code.txt"),
            tr("Text files (*.txt)"),
        )
        if not path:
            return
        try:
            save_recovery_code(Path(path), self._recovery_code)
        except OSError as exc:
            show_error(self, exc)
            return
        self.saved_message.setText(
            tr(
                "Saved to {path}. This file is not encrypted: print it or copy the code into a password "
                "manager, then delete the file."
            ).format(path=path)
        )

    def _print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # only when asked: it is slow to import

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(tr("Print the recovery code"))
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            recovery_document(self._recovery_code).print_(printer)

    def _update(self) -> None:
        self.confirm_button.setEnabled(not self._totp_ok and not self._checking and len(self.code.text()) == 6)
        self.finish_button.setEnabled(self.is_complete)
