"""The GUI when another VaultScribe process has the vault open (issue 22, item 1): the unlock dialog says
so in its own words, at once (nothing waits on the other process, so the window never hangs), counts no
failed attempt, and unlocks once the other process has let go."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.windows.unlock import UnlockDialog
from core.vault.lock import busy_message
from tests.app.helpers import PASSPHRASE, click, find, totp_code, type_into
from tests.core.entry_point import hold_vault_in_another_process


def test_unlock_while_another_process_has_the_vault_says_so_and_waits_for_nothing(
    qtbot, enrolled, shell, session, clock
):
    dialog = shell.dialog
    assert isinstance(dialog, UnlockDialog)
    holder = hold_vault_in_another_process(session.paths.root)
    try:
        type_into(qtbot, dialog, "passphrase", PASSPHRASE)
        type_into(qtbot, dialog, "totpCode", totp_code(enrolled.totp_secret, clock))
        click(qtbot, dialog, "unlockButton")
        message = find(dialog, QLabel, "unlockMessage")
        qtbot.waitUntil(lambda: message.text() != "", timeout=5_000)
        assert message.text() == busy_message(session.paths)
        assert "in use by another VaultScribe process" in message.text()
        assert dialog.isVisible() and not session.is_unlocked and not shell.window.isVisible()
        assert find(dialog, QLabel, "countdown").text() == "", "no back-off: nothing was tried"
    finally:
        holder.kill()
        holder.wait()
    assert session.status().failed_attempts == 0

    type_into(qtbot, dialog, "totpCode", totp_code(enrolled.totp_secret, clock))
    click(qtbot, dialog, "unlockButton")
    qtbot.waitUntil(lambda: shell.window.isVisible(), timeout=10_000)
    assert session.is_unlocked
