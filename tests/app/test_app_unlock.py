from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton

from app.windows.unlock import UnlockDialog
from core.errors import AuthFailed, RecoveryRequired
from tests.app.helpers import PASSPHRASE, click, find, totp_code, type_into


def test_unlock_opens_the_main_window(qtbot, enrolled, shell, session, clock):
    dialog = shell.dialog
    assert isinstance(dialog, UnlockDialog)
    assert not find(dialog, QPushButton, "unlockButton").isEnabled()
    type_into(qtbot, dialog, "passphrase", PASSPHRASE)
    type_into(qtbot, dialog, "totpCode", totp_code(enrolled.totp_secret, clock))
    click(qtbot, dialog, "unlockButton")
    qtbot.waitUntil(lambda: shell.window.isVisible())
    assert session.is_unlocked
    qtbot.waitUntil(lambda: find(shell.window, QLabel, "keystoreValue").text() == "in-memory (tests only)")
    assert find(shell.window, QLabel, "vaultDirValue").text() == str(session.paths.root)


def test_failure_is_opaque_and_counts_down(qtbot, enrolled, worker, session, clock):
    dialog = UnlockDialog(worker, min_passphrase_length=10, monotonic=clock.monotonic_s)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog, "passphrase", "not the passphrase")
    type_into(qtbot, dialog, "totpCode", totp_code(enrolled.totp_secret, clock))
    click(qtbot, dialog, "unlockButton")
    message = find(dialog, QLabel, "unlockMessage")
    qtbot.waitUntil(lambda: message.text() != "")
    assert message.text() == str(AuthFailed())  # never says which factor was wrong
    countdown = find(dialog, QLabel, "countdown")
    assert countdown.text() == "Try again in 1 s"
    type_into(qtbot, dialog, "totpCode", "123456")
    assert not find(dialog, QPushButton, "unlockButton").isEnabled()

    clock.advance(1.5)
    qtbot.waitUntil(lambda: countdown.text() == "")
    assert find(dialog, QPushButton, "unlockButton").isEnabled()


def test_an_active_backoff_shows_before_the_first_attempt(qtbot, enrolled, worker, session, clock):
    for _ in range(2):
        with pytest.raises(AuthFailed):
            session.unlock("not the passphrase", "000000")
        clock.advance(1)
    dialog = UnlockDialog(worker, min_passphrase_length=10, monotonic=clock.monotonic_s)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: find(dialog, QLabel, "countdown").text() == "Try again in 1 s")  # 2 s, 1 gone
    assert find(dialog, QLabel, "unlockMessage").text() == "Too many failed unlock attempts."


def test_only_recovery_after_the_limit_then_recover(qtbot, enrolled, worker, session, clock):
    session.config.set("max_failed_unlocks", 1)
    with pytest.raises(AuthFailed):
        session.unlock("not the passphrase", "000000")
    clock.advance(2)
    dialog = UnlockDialog(worker, min_passphrase_length=10, monotonic=clock.monotonic_s)
    qtbot.addWidget(dialog)
    dialog.show()
    message = find(dialog, QLabel, "unlockMessage")
    qtbot.waitUntil(lambda: message.text() == str(RecoveryRequired()))
    type_into(qtbot, dialog, "passphrase", PASSPHRASE)
    type_into(qtbot, dialog, "totpCode", totp_code(enrolled.totp_secret, clock))
    assert not find(dialog, QPushButton, "unlockButton").isEnabled()

    click(qtbot, dialog, "useRecoveryButton")
    type_into(qtbot, dialog, "recoveryCodeInput", enrolled.recovery_code.lower())
    type_into(qtbot, dialog, "newPassphrase", "a brand new passphrase")
    type_into(qtbot, dialog, "confirmPassphrase", "a brand new passphrase")
    click(qtbot, dialog, "recoverButton")
    qtbot.waitUntil(lambda: dialog.current_page is dialog.enrolment)
    new_secret = find(dialog, QLabel, "totpSecret").text()
    assert new_secret.replace(" ", "") != enrolled.totp_secret
    assert find(dialog, QLabel, "recoveryCode").text() != enrolled.recovery_code

    type_into(qtbot, dialog, "confirmCode", totp_code(new_secret, clock))
    click(qtbot, dialog, "confirmCodeButton")
    qtbot.waitUntil(lambda: "works" in find(dialog, QLabel, "confirmMessage").text())
    find(dialog, QCheckBox, "storedCheckbox").setChecked(True)
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog, "finishButton")
    assert session.is_unlocked
