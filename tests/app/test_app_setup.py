from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton

from app.windows.setup import SetupDialog
from tests.app.helpers import PASSPHRASE, click, find, totp_code, type_into


def test_first_run_creates_the_vault_and_gates_finish(qtbot, shell, session, clock):
    dialog = shell.dialog
    assert isinstance(dialog, SetupDialog)
    create = find(dialog, QPushButton, "createButton")

    type_into(qtbot, dialog, "newPassphrase", "short")
    assert not create.isEnabled()
    assert find(dialog, QLabel, "strengthLabel").text().startswith("Too short")
    type_into(qtbot, dialog, "newPassphrase", PASSPHRASE)
    type_into(qtbot, dialog, "confirmPassphrase", PASSPHRASE + "x")
    assert not create.isEnabled()
    type_into(qtbot, dialog, "confirmPassphrase", PASSPHRASE)
    click(qtbot, dialog, "createButton")
    qtbot.waitUntil(lambda: dialog.current_page is dialog.enrolment)
    assert session.exists()

    assert not find(dialog, QLabel, "totpQr").pixmap().isNull()
    secret = find(dialog, QLabel, "totpSecret").text()
    recovery_code = find(dialog, QLabel, "recoveryCode").text()
    assert len(recovery_code.split("-")) == 7
    click(qtbot, dialog, "copyRecoveryButton")
    assert QGuiApplication.clipboard().text() == recovery_code
    finish = find(dialog, QPushButton, "finishButton")
    stored = find(dialog, QCheckBox, "storedCheckbox")
    message = find(dialog, QLabel, "confirmMessage")

    clock.advance(3600)
    wrong = totp_code(secret, clock)
    clock.advance(-3600)
    type_into(qtbot, dialog, "confirmCode", wrong)
    click(qtbot, dialog, "confirmCodeButton")
    qtbot.waitUntil(lambda: "not right" in message.text())

    type_into(qtbot, dialog, "confirmCode", totp_code(secret, clock))
    click(qtbot, dialog, "confirmCodeButton")
    qtbot.waitUntil(lambda: "works" in message.text())
    assert not finish.isEnabled()  # the recovery code is not acknowledged yet

    dialog.reject()  # cannot leave before acknowledging the recovery code
    assert dialog.isVisible()
    stored.setChecked(True)
    assert finish.isEnabled()
    click(qtbot, dialog, "finishButton")
    qtbot.waitUntil(lambda: shell.window.isVisible())
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: find(shell.window, QLabel, "recordingsValue").text() == "0")


def test_finish_needs_the_code_confirmed(qtbot, shell):
    dialog = shell.dialog
    type_into(qtbot, dialog, "newPassphrase", PASSPHRASE)
    type_into(qtbot, dialog, "confirmPassphrase", PASSPHRASE)
    click(qtbot, dialog, "createButton")
    qtbot.waitUntil(lambda: dialog.current_page is dialog.enrolment)
    find(dialog, QCheckBox, "storedCheckbox").setChecked(True)
    assert not find(dialog, QPushButton, "finishButton").isEnabled()
