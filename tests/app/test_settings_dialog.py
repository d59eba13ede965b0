"""The Settings dialog: loads config and vault values, saves both in one op, shows bad values inline,
and lets a policy lock a control."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from app.context import AppContext
from app.windows.settings import SettingsDialog
from core.audio.capture import InputDevice
from core.redaction.types import ENTITY_TYPES
from core.session import Session
from models.manifest import MANIFEST
from tests.app.helpers import click, find


def ask(qtbot, ctx: AppContext, fn: Any) -> Any:
    out: list[Any] = []
    ctx.worker.op(None, fn).success(lambda r: out.append(r)).run()
    qtbot.waitUntil(lambda: bool(out), timeout=10_000)
    return out[0]


@pytest.fixture
def models_dir(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


def open_dialog(qtbot, ctx: AppContext, models_dir, saved: list[bool] | None = None) -> SettingsDialog:
    ctx.models_dir = models_dir
    dialog = SettingsDialog(ctx, on_saved=(lambda: saved.append(True)) if saved is not None else None)
    qtbot.addWidget(dialog)
    dialog.open()
    return dialog


def checked(dialog: SettingsDialog) -> list[str]:
    items = [dialog.entities.item(i) for i in range(dialog.entities.count())]
    return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]


def test_loads_config_and_vault_values(qtbot, unlocked: Session, ctx: AppContext, models_dir) -> None:
    unlocked.update_config({"auto_lock_minutes": 5, "theme": "dark", "asr_device": "cpu", "input_device": "USB Mic"})
    unlocked.set_redaction_terms(["Jane Roe", "St Elsewhere"])
    unlocked.set_redaction_entities(["PHONE", "NAME"])
    ctx.list_input_devices = lambda: [InputDevice(3, "USB Mic", 1, 48_000.0)]
    (models_dir / MANIFEST[0].file_name).write_bytes(b"not verified here")
    dialog = open_dialog(qtbot, ctx, models_dir)
    assert not dialog.redaction_page.isEnabled()  # until the vault values are in
    qtbot.waitUntil(dialog.redaction_page.isEnabled)
    assert dialog.auto_lock.value() == 5
    assert dialog.theme.currentData() == "dark"
    assert dialog.asr_device.currentData() == "cpu"
    assert dialog.input_device.currentText() == "USB Mic"
    assert dialog.model.currentData() == "" and dialog.model.currentText().startswith("Default (")
    assert MANIFEST[0].id + " (installed)" in [dialog.model.itemText(i) for i in range(dialog.model.count())]
    assert MANIFEST[0].id in dialog.model_note.text()
    assert dialog.terms.toPlainText() == "Jane Roe\nSt Elsewhere"
    assert checked(dialog) == ["NAME", "PHONE"]


def test_all_types_checked_when_none_chosen(qtbot, ctx: AppContext, models_dir) -> None:
    dialog = open_dialog(qtbot, ctx, models_dir)
    qtbot.waitUntil(dialog.redaction_page.isEnabled)
    assert checked(dialog) == list(ENTITY_TYPES)
    assert dialog.chosen_entities() is None
    assert "No model is installed" in dialog.model_note.text()


def test_save_writes_config_and_vault_values(qtbot, unlocked: Session, ctx: AppContext, models_dir) -> None:
    config_path = unlocked.paths.config
    saved: list[bool] = []
    dialog = open_dialog(qtbot, ctx, models_dir, saved)
    qtbot.waitUntil(dialog.redaction_page.isEnabled)
    dialog.auto_lock.setValue(15)
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    dialog.asr_device.setCurrentIndex(dialog.asr_device.findData("cuda"))
    dialog.model.setCurrentIndex(dialog.model.findData(MANIFEST[0].id))
    for i in range(dialog.entities.count()):
        item = dialog.entities.item(i)
        if item.data(Qt.ItemDataRole.UserRole) in ("DATE", "AGE"):
            item.setCheckState(Qt.CheckState.Unchecked)
    dialog.terms.setPlainText("  Jane Roe \n\nDr Who\n")
    click(qtbot, dialog, "saveSettings")
    qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
    assert dialog.result() == QDialog.DialogCode.Accepted
    on_disk = tomllib.loads(config_path.read_text("utf-8"))
    assert (on_disk["auto_lock_minutes"], on_disk["theme"], on_disk["asr_device"]) == (15, "light", "cuda")
    assert on_disk["model"] == MANIFEST[0].id
    assert ctx.config.get("auto_lock_minutes") == 15
    terms, entities = ask(qtbot, ctx, lambda s: (s.redaction_terms(), s.redaction_entities()))
    assert terms == ["Dr Who", "Jane Roe"]
    assert entities == [t for t in ENTITY_TYPES if t not in ("DATE", "AGE")]


def test_cancel_discards(qtbot, ctx: AppContext, models_dir) -> None:
    saved: list[bool] = []
    dialog = open_dialog(qtbot, ctx, models_dir, saved)
    qtbot.waitUntil(dialog.redaction_page.isEnabled)
    dialog.auto_lock.setValue(99)
    dialog.terms.setPlainText("Secret Name")
    click(qtbot, dialog, "cancelSettings")
    assert dialog.result() == QDialog.DialogCode.Rejected and saved == []
    assert ctx.config.get("auto_lock_minutes") == 10
    assert ask(qtbot, ctx, lambda s: s.redaction_terms()) == []


def test_a_bad_value_is_shown_inline_and_nothing_is_saved(qtbot, ctx: AppContext, models_dir) -> None:
    saved: list[bool] = []
    dialog = open_dialog(qtbot, ctx, models_dir, saved)
    qtbot.waitUntil(dialog.redaction_page.isEnabled)
    dialog.theme.addItem("Purple", "purple")  # not a theme the core accepts
    dialog.theme.setCurrentIndex(dialog.theme.count() - 1)
    dialog.auto_lock.setValue(20)
    dialog.terms.setPlainText("Jane Roe")
    click(qtbot, dialog, "saveSettings")
    qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=10_000)
    assert "theme" in dialog.message.text() and dialog.message.objectName() == "settingsMessage"
    assert dialog.isVisible() and saved == []
    assert find(dialog, QPushButton, "saveSettings").isEnabled()
    assert ctx.config.get("auto_lock_minutes") == 10  # validated together: nothing applied
    assert ask(qtbot, ctx, lambda s: s.redaction_terms()) == []


def test_no_entity_type_chosen_is_refused(qtbot, ctx: AppContext, models_dir) -> None:
    dialog = open_dialog(qtbot, ctx, models_dir)
    qtbot.waitUntil(dialog.redaction_page.isEnabled)
    for i in range(dialog.entities.count()):
        dialog.entities.item(i).setCheckState(Qt.CheckState.Unchecked)
    click(qtbot, dialog, "saveSettings")
    assert "at least one" in dialog.message.text()
    assert dialog.tabs.currentWidget() is dialog.redaction_page


def test_lock_setting_disables_the_control_and_keeps_its_value(qtbot, ctx: AppContext, models_dir) -> None:
    saved: list[bool] = []
    dialog = open_dialog(qtbot, ctx, models_dir, saved)
    dialog.lock_setting("auto_lock_minutes")
    dialog.lock_setting("redaction.terms", "set by IT")
    qtbot.waitUntil(dialog.redaction_page.isEnabled)
    assert not dialog.auto_lock.isEnabled()
    assert dialog.auto_lock.toolTip() == "Managed by your organization"
    assert not dialog.terms.isEnabled()  # enabling its section after the load did not undo the lock
    assert dialog.terms.toolTip() == "Managed by your organization: set by IT"
    dialog.auto_lock.setValue(30)  # not by the user; even so it is not saved
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    click(qtbot, dialog, "saveSettings")
    qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
    assert ctx.config.get("auto_lock_minutes") == 10 and ctx.config.get("theme") == "dark"
    with pytest.raises(KeyError):
        dialog.lock_setting("no_such_setting")


def test_settings_the_policy_sets_are_locked_and_say_so(qtbot, ctx: AppContext, tmp_path) -> None:
    from core.policy import Policy

    ctx.policy = Policy(auto_lock_minutes=5, redaction_required=True, redaction_entities=("NAME",))
    dialog = open_dialog(qtbot, ctx, tmp_path / "models")
    spin = dialog.findChild(QWidget, "autoLockMinutes")
    assert not spin.isEnabled() and "Managed by your organization" in spin.toolTip()
    assert set(dialog.locked_settings) == {"auto_lock_minutes", "redaction.entities"}
    assert dialog.findChild(QWidget, "themeBox").isEnabled()
