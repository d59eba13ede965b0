"""First run as a user meets it: the set-up dialog in a real window, keys pressed as a person would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFileDialog, QLabel, QProgressBar, QPushButton

from app.shell import Shell
from app.windows.setup import SetupDialog
from core.asr.engine import DEFAULT_MODEL_ID
from core.clock import FakeClock
from core.paths import LOCATION_FILE_NAME, VaultPaths, default_vault_dir, remember_vault_dir
from core.security.kdf import TEST_PARAMS
from core.security.keystore import MemoryKeystore
from core.session import Session
from models.manifest import MANIFEST
from tests.app.conftest import make_ctx
from tests.app.helpers import PASSPHRASE, click, find, totp_code, type_into
from tests.app.test_app_setup import TEST_MODEL, _status_of


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


def _press_enter(qtbot, dialog) -> None:
    """Enter where the user's focus is, as a keyboard would send it."""
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)


def test_enter_goes_on_at_every_step_and_never_cancels(qtbot, shell, session, clock, tmp_path, monkeypatch):
    dialog = shell.dialog
    assert isinstance(dialog, SetupDialog)
    qtbot.waitUntil(lambda: find(dialog, QLabel, "vaultLocation").text() == str(session.paths.root))
    assert dialog.focusWidget() is find(dialog, QPushButton, "locationNext")
    _press_enter(qtbot, dialog)
    assert dialog.isVisible() and dialog.current_page is dialog.passphrase_page

    type_into(qtbot, dialog, "newPassphrase", PASSPHRASE)
    type_into(qtbot, dialog, "confirmPassphrase", PASSPHRASE)
    _press_enter(qtbot, dialog)  # in the second box: Next, not the step after it as well
    assert dialog.current_page is dialog.keyring_page and not session.exists()
    _press_enter(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.current_page is dialog.enrolment)

    # step 4 has its heading, and its button goes on to step 5 rather than finishing
    assert any("Step 4 of 5" in label.text() for label in dialog.enrolment.findChildren(QLabel))
    next_button = find(dialog, QPushButton, "finishButton")
    assert next_button.text().replace("&", "") == "Next" and next_button.isDefault()
    secret = find(dialog, QLabel, "totpSecret").text()
    type_into(qtbot, dialog, "confirmCode", totp_code(secret, clock))
    _press_enter(qtbot, dialog)  # checks the code; Next is not ready yet
    qtbot.waitUntil(lambda: "works" in find(dialog, QLabel, "confirmMessage").text())
    assert dialog.current_page is dialog.enrolment
    find(dialog, QCheckBox, "storedCheckbox").setChecked(True)
    next_button.setFocus()
    _press_enter(qtbot, dialog)
    assert dialog.current_page is dialog.models
    assert find(dialog, QPushButton, "modelDone").isDefault()


def test_choose_folder_makes_the_vault_there_and_remembers_it(qtbot, worker, session, tmp_path, monkeypatch):
    location = tmp_path / "config" / LOCATION_FILE_NAME
    ctx = make_ctx(session, worker)
    ctx.remember_vault_dir = lambda root: remember_vault_dir(root, location=location)
    shell = Shell(ctx, on_finished=lambda: None)
    qtbot.addWidget(shell.window)
    shell.start()
    qtbot.waitUntil(lambda: isinstance(shell.dialog, SetupDialog) and shell.dialog.isVisible())
    dialog = shell.dialog
    assert "--vault" not in find(dialog, QLabel, "locationHint").text().split("another vault")[0]

    taken = tmp_path / "taken"
    Session(VaultPaths(taken), keystore=MemoryKeystore(), clock=FakeClock(), kdf_params=TEST_PARAMS).create(PASSPHRASE)
    chosen = tmp_path / "encrypted disk" / "vault"
    chosen.mkdir(parents=True)
    answers = iter([str(taken), str(chosen)])
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: next(answers))
    click(qtbot, dialog, "chooseFolder")
    message = find(dialog, QLabel, "locationMessage")
    qtbot.waitUntil(lambda: "already holds a vault" in message.text())
    assert find(dialog, QLabel, "vaultLocation").text() == str(session.paths.root)  # unchanged

    click(qtbot, dialog, "chooseFolder")
    qtbot.waitUntil(lambda: find(dialog, QLabel, "vaultLocation").text() == str(chosen))
    assert message.text() == "" and not location.exists()  # remembered only once a vault is made there
    click(qtbot, dialog, "locationNext")
    type_into(qtbot, dialog, "newPassphrase", PASSPHRASE)
    type_into(qtbot, dialog, "confirmPassphrase", PASSPHRASE)
    click(qtbot, dialog, "passphraseNext")
    click(qtbot, dialog, "createButton")
    qtbot.waitUntil(lambda: dialog.current_page is dialog.enrolment)
    assert VaultPaths(chosen).header.exists() and session.paths.root == chosen
    assert default_vault_dir({}, location=location) == chosen.resolve()  # the next start opens it
    shell.close()


def test_the_model_step_shows_the_model_that_will_be_used(qtbot, enrolled, worker, session, tmp_path, monkeypatch):
    dialog = SetupDialog(worker, min_passphrase_length=10, models_dir=tmp_path / "models")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog._to_models()
    test_id = next(spec.id for spec in MANIFEST if spec.test_model)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(TEST_MODEL), ""))
    click(qtbot, dialog, "importModel")
    qtbot.waitUntil(lambda: _status_of(dialog.models, test_id) == "Installed, in use", timeout=20_000)
    assert session.config.get("model") == test_id
    assert _status_of(dialog.models, DEFAULT_MODEL_ID) == "Not installed"  # not shown as the one in use
