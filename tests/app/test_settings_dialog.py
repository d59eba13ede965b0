"""The Settings dialog: loads config and vault values, saves both in one op, shows bad values inline,
and lets a policy lock a control."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QPushButton, QWidget

from app.context import AppContext
from app.windows.settings import SettingsDialog
from core.asr.engine import DEFAULT_DIARIZER_ID
from core.audio.capture import InputDevice
from core.policy import Policy
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
    unlocked.review.set_redaction_terms(["Jane Roe", "St Elsewhere"])
    unlocked.review.set_redaction_entities(["PHONE", "NAME"])
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
    assert "No speech model is installed" in dialog.model_note.text()


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
    terms, entities = ask(qtbot, ctx, lambda s: (s.review.redaction_terms(), s.review.redaction_entities()))
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
    assert ask(qtbot, ctx, lambda s: s.review.redaction_terms()) == []


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
    assert ask(qtbot, ctx, lambda s: s.review.redaction_terms()) == []


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


# -- speakers ----------------------------------------------------------------------------------------

TEST_DIARIZER = Path(__file__).resolve().parents[2] / "models" / "test" / "vaultscribe-test-sortformer-diar-small.nemo"
TEST_DIARIZER_ID = "vaultscribe/test-sortformer-diar-small"


def data_of(box: QComboBox) -> list[str]:
    return [box.itemData(i) for i in range(box.count())]


def test_speech_models_and_speaker_models_are_offered_apart(qtbot, ctx: AppContext, models_dir) -> None:
    default_diarizer = next(spec for spec in MANIFEST if spec.id == DEFAULT_DIARIZER_ID)
    (models_dir / default_diarizer.file_name).write_bytes(b"present; not verified here")
    dialog = open_dialog(qtbot, ctx, models_dir)
    kinds = {spec.id: spec.kind for spec in MANIFEST}
    speech, speakers = data_of(dialog.model)[1:], data_of(dialog.diarizer)[1:]
    assert speech and all(kinds[m] == "asr" for m in speech)  # a diarizer would fail as a speech model
    assert speakers and all(kinds[m] == "diarization" for m in speakers)
    assert set(speech) | set(speakers) == set(kinds)
    assert dialog.diarizer.currentData() == "" and dialog.diarizer.itemText(0) == (
        f"Default ({DEFAULT_DIARIZER_ID}) (installed)"
    )
    assert DEFAULT_DIARIZER_ID not in dialog.model_note.text()  # it lists speech models only
    assert not dialog.diarize.isChecked() and not dialog.diarizer.isEnabled()  # off by default
    dialog.diarize.setChecked(True)
    assert dialog.diarizer.isEnabled() and dialog.diarizer_note.text() == ""
    dialog.diarizer.setCurrentIndex(dialog.diarizer.findData(TEST_DIARIZER_ID))
    assert TEST_DIARIZER_ID in dialog.diarizer_note.text() and "not installed" in dialog.diarizer_note.text()


def test_the_speaker_setting_round_trips_through_the_config(
    qtbot, unlocked: Session, ctx: AppContext, models_dir
) -> None:
    saved: list[bool] = []
    dialog = open_dialog(qtbot, ctx, models_dir, saved)
    qtbot.waitUntil(dialog.redaction_page.isEnabled)
    dialog.diarize.setChecked(True)
    dialog.diarizer.setCurrentIndex(dialog.diarizer.findData(TEST_DIARIZER_ID))
    click(qtbot, dialog, "saveSettings")
    qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
    on_disk = tomllib.loads(unlocked.paths.config.read_text("utf-8"))
    assert on_disk["diarize"] is True and on_disk["diarizer"] == TEST_DIARIZER_ID
    assert ctx.config.get("diarize") is True

    again = open_dialog(qtbot, ctx, models_dir, saved)
    assert again.diarize.isChecked() and again.diarizer.currentData() == TEST_DIARIZER_ID
    qtbot.waitUntil(again.redaction_page.isEnabled)
    again.diarize.setChecked(False)
    click(qtbot, again, "saveSettings")
    qtbot.waitUntil(lambda: len(saved) == 2, timeout=10_000)
    assert tomllib.loads(unlocked.paths.config.read_text("utf-8"))["diarize"] is False


class _SpeakerPolicy(Policy):
    """A policy that sets the speaker settings (no policy key does yet; the dialog must not care)."""

    def locks(self, key: str) -> bool:
        return key in ("diarize", "diarizer") or super().locks(key)


def test_a_policy_lock_keeps_the_speaker_setting(qtbot, ctx: AppContext, models_dir) -> None:
    ctx.policy = _SpeakerPolicy()
    saved: list[bool] = []
    dialog = open_dialog(qtbot, ctx, models_dir, saved)
    assert {"diarize", "diarizer"} <= set(dialog.locked_settings)
    for control in (dialog.diarize, dialog.diarizer):
        assert not control.isEnabled() and control.toolTip() == "Managed by your organization"
    qtbot.waitUntil(dialog.redaction_page.isEnabled)
    dialog.diarize.setChecked(True)  # not by the user; even so it is not saved, nor is the model unlocked
    assert not dialog.diarizer.isEnabled()
    dialog.diarizer.setCurrentIndex(dialog.diarizer.findData(TEST_DIARIZER_ID))
    click(qtbot, dialog, "saveSettings")
    qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
    assert ctx.config.get("diarize") is False and ctx.config.get("diarizer") == ""


def test_models_opens_the_model_step_and_the_combos_show_what_it_installed(
    qtbot, unlocked: Session, ctx: AppContext, models_dir
) -> None:
    saved: list[bool] = []
    dialog = open_dialog(qtbot, ctx, models_dir, saved)
    qtbot.waitUntil(dialog.redaction_page.isEnabled)
    dialog.diarize.setChecked(True)
    assert DEFAULT_DIARIZER_ID in dialog.diarizer_note.text()  # not installed: the note says where to get it
    click(qtbot, dialog, "manageModels")
    models = dialog.models_dialog
    assert models is not None and models.isVisible()
    step = models.step
    assert not find(models, QPushButton, "skipModel").isVisible()  # not set-up: closing is all
    step.import_file(TEST_DIARIZER)
    qtbot.waitUntil(lambda: unlocked.config.get("diarizer") == TEST_DIARIZER_ID, timeout=20_000)
    click(qtbot, models, "modelDone")
    qtbot.waitUntil(lambda: dialog.diarizer.currentData() == TEST_DIARIZER_ID)
    assert dialog.diarizer.currentText() == TEST_DIARIZER_ID + " (installed)"
    assert dialog.diarizer_note.text() == ""
    assert unlocked.config.get("model") == ""  # a speaker model never becomes the speech model
    click(qtbot, dialog, "saveSettings")
    qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
    assert ctx.config.get("diarize") is True and ctx.config.get("diarizer") == TEST_DIARIZER_ID
