"""First run as a user meets it: the set-up dialog in a real window, keys pressed as a person would."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from app.windows.setup import SetupDialog
from tests.app.helpers import PASSPHRASE, click, find, type_into


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaaaaaaaaaa", "passwordpassword1234", "password12", "1234567890"])
def test_the_meter_rates_weak_passphrases_weak_with_the_estimators_advice(qtbot, shell, weak):
    dialog = shell.dialog
    assert isinstance(dialog, SetupDialog)
    click(qtbot, dialog, "locationNext")
    type_into(qtbot, dialog, "newPassphrase", weak)
    type_into(qtbot, dialog, "confirmPassphrase", weak)
    hint = find(dialog, QLabel, "strengthLabel").text()
    assert "weak" in hint and "good" not in hint.split(";")[0]
    assert "repeat" in hint.lower() or "common" in hint.lower()  # zxcvbn's own words
    assert find(dialog, QProgressBar, "strengthBar").value() < 3
    assert not find(dialog, QPushButton, "passphraseNext").isEnabled()

    type_into(qtbot, dialog, "newPassphrase", PASSPHRASE)
    type_into(qtbot, dialog, "confirmPassphrase", PASSPHRASE)
    assert find(dialog, QLabel, "strengthLabel").text().startswith("Strength: strong")
    assert find(dialog, QPushButton, "passphraseNext").isEnabled()
