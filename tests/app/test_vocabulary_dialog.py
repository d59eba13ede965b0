"""The Vocabulary dialog (personal with the policy's read-only entries, and one recording's), reached
from the main window and the library, and the boost weight in Settings; all through the worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QTableWidget, QWidget

from app.context import AppContext
from app.views.library import LibraryView
from app.windows.main_window import MainWindow
from app.windows.settings import SettingsDialog
from app.windows.vocabulary import VocabularyDialog
from core.asr.engine import DEFAULT_BOOST_WEIGHT
from core.clock import FakeClock
from core.paths import VaultPaths
from core.policy import Policy
from core.security.kdf import TEST_PARAMS
from core.security.keystore import MemoryKeystore
from core.session import Session
from core.types import RecordingId
from tests.app.helpers import click, drain, find, type_into
from tests.core.helpers import add_pcm_recording

POLICY = Policy(vocabulary=("Metformin",), source="test")


@pytest.fixture
def session(tmp_path, clock: FakeClock) -> Session:
    """The conftest's session, under a policy that provides a vocabulary."""
    return Session(
        VaultPaths(tmp_path / "vault"), keystore=MemoryKeystore(), clock=clock, kdf_params=TEST_PARAMS,
        os_user="tester", policy=POLICY,
    )  # fmt: skip


def ask(qtbot, ctx: AppContext, fn: Any) -> Any:
    out: list[Any] = []
    ctx.worker.op(None, fn).success(lambda r: out.append(r)).run()
    qtbot.waitUntil(lambda: bool(out), timeout=10_000)
    return out[0]


def rows(dialog: VocabularyDialog) -> list[tuple[str, bool | None, str]]:
    table = find(dialog, QTableWidget, "vocabTable")
    out = []
    for r in range(table.rowCount()):
        box = table.item(r, 1)
        checkable = bool(box.flags() & Qt.ItemFlag.ItemIsUserCheckable)
        checked = box.checkState() == Qt.CheckState.Checked if checkable else None
        out.append((table.item(r, 0).text(), checked, table.item(r, 2).text()))
    return out


def open_dialog(qtbot, ctx: AppContext, **kwargs: Any) -> VocabularyDialog:
    dialog = VocabularyDialog(ctx, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.is_busy)
    return dialog


def settle(qtbot, ctx: AppContext, dialog: VocabularyDialog) -> None:
    drain(qtbot, ctx.worker)
    qtbot.waitUntil(lambda: not dialog.is_busy)
    drain(qtbot, ctx.worker)  # the reload after a change
    qtbot.waitUntil(lambda: not dialog.is_busy)


def test_lists_personal_and_read_only_policy_entries(qtbot, unlocked: Session, ctx: AppContext) -> None:
    unlocked.vocabulary.add_vocabulary(["Dr. Okonkwo"])
    unlocked.vocabulary.add_vocabulary(["Amara Okafor"], redact=True)
    dialog = open_dialog(qtbot, ctx)
    assert rows(dialog) == [("Dr. Okonkwo", False, "You"), ("Amara Okafor", True, "You"),
                            ("Metformin", None, "Your organization")]  # fmt: skip
    table = find(dialog, QTableWidget, "vocabTable")
    assert not table.item(2, 0).flags() & Qt.ItemFlag.ItemIsSelectable  # IT's entry cannot be picked to remove
    assert "1 more from your organization" in dialog.count_label.text()


def test_add_with_enter_merges_duplicates_and_shows_errors_inline(qtbot, unlocked: Session, ctx: AppContext) -> None:
    dialog = open_dialog(qtbot, ctx)
    dialog.phrase_edit.setText("  José   Núñez ")  # QTest types ASCII only
    qtbot.keyClick(dialog.phrase_edit, Qt.Key.Key_Return)
    settle(qtbot, ctx, dialog)
    assert rows(dialog)[0] == ("José Núñez", False, "You")
    assert dialog.phrase_edit.text() == "" and dialog.note.text() == "Added 1."

    dialog.phrase_edit.setText("JOSÉ NÚÑEZ")
    dialog.redact_new.setChecked(True)
    click(qtbot, dialog, "vocabAddButton")
    settle(qtbot, ctx, dialog)
    assert dialog.note.text() == "Added 0. 1 already in the list (ignoring case)."
    assert rows(dialog)[0] == ("José Núñez", True, "You")  # the duplicate's mark was merged in

    type_into(qtbot, dialog, "vocabPhraseEdit", "x" * 150)
    click(qtbot, dialog, "vocabAddButton")
    settle(qtbot, ctx, dialog)
    assert "at most 100 characters" in dialog.message.text()
    assert dialog.phrase_edit.text() == "x" * 150  # kept, to be corrected
    dialog.phrase_edit.clear()
    click(qtbot, dialog, "vocabAddButton")
    assert dialog.message.text() == "Type a phrase to add."


def test_always_redact_box_and_remove_with_undo(qtbot, unlocked: Session, ctx: AppContext) -> None:
    unlocked.vocabulary.add_vocabulary(["Alpha", "Bravo", "Charlie"])
    dialog = open_dialog(qtbot, ctx)
    table = find(dialog, QTableWidget, "vocabTable")
    table.item(1, 1).setCheckState(Qt.CheckState.Checked)
    settle(qtbot, ctx, dialog)
    assert [(e.phrase, e.redact) for e in ask(qtbot, ctx, lambda s: s.vocabulary.entries())][:3] == [
        ("Alpha", False), ("Bravo", True), ("Charlie", False)
    ]  # fmt: skip
    assert ask(qtbot, ctx, lambda s: s.review.detection_terms()) == ["Bravo"]

    table.selectRow(1)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)  # Del in the table removes; no question, but it can be undone
    settle(qtbot, ctx, dialog)
    assert [r[0] for r in rows(dialog)] == ["Alpha", "Charlie", "Metformin"]
    assert dialog.undo_button.isEnabled() and "Removed 1" in dialog.note.text()
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # a button's shortcut clicks soon after
    qtbot.waitUntil(lambda: ("Bravo", True, "You") in rows(dialog))  # back, with its mark
    settle(qtbot, ctx, dialog)
    assert not dialog.undo_button.isEnabled()


def test_import_reports_counts_and_refuses_binary(qtbot, unlocked: Session, ctx: AppContext, tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("# staff\nNguyen\n\nnguyen\nOkafor\n", "utf-8")
    dialog = open_dialog(qtbot, ctx)
    dialog.import_file(names)
    settle(qtbot, ctx, dialog)
    assert (
        dialog.note.text() == "Imported names.txt: Added 2. 1 already in the list (ignoring case). 2 comment or "
        "blank lines skipped."
    )
    assert [r[0] for r in rows(dialog)] == ["Nguyen", "Okafor", "Metformin"]
    (tmp_path / "x.bin").write_bytes(b"\x00\x01\x02")
    dialog.import_file(tmp_path / "x.bin")
    settle(qtbot, ctx, dialog)
    assert "is not a text file" in dialog.message.text()


def test_the_window_and_the_library_open_the_two_kinds(qtbot, unlocked: Session, ctx: AppContext) -> None:
    add_pcm_recording(unlocked, "r1", np.zeros(16_000, dtype=np.float32))
    unlocked.recordings.rename_recording(RecordingId("r1"), "Interview 12")
    locked: list[bool] = []
    window = MainWindow(ctx, on_vault_did_lock=lambda: locked.append(True), on_quit=lambda: None)
    qtbot.addWidget(window)
    window.show()
    drain(qtbot, ctx.worker)
    assert ("Vocabulary", "Ctrl+Shift+W") in window.shortcut_list()
    assert ("Participants and names", "Ctrl+Shift+P") in window.shortcut_list()
    window.vocabulary_action.trigger()
    personal = next(d for d in window.dialogs if isinstance(d, VocabularyDialog))
    assert personal.recording_id is None

    library: LibraryView = window.library
    qtbot.waitUntil(lambda: library.selected_id() is not None or library.model.rowCount() == 1)
    library.select(RecordingId("r1"))
    library.vocabulary_action.trigger()
    dialog = library.findChild(VocabularyDialog)
    assert dialog is not None and dialog.recording_id == "r1"
    assert dialog.windowTitle() == "Participants and names: Interview 12"
    qtbot.waitUntil(lambda: not dialog.is_busy)
    assert rows(dialog) == []  # a recording's own list: not the policy's
    type_into(qtbot, dialog, "vocabPhraseEdit", "Amara Okafor")
    dialog.redact_new.setChecked(True)
    click(qtbot, dialog, "vocabAddButton")
    settle(qtbot, ctx, dialog)
    assert rows(dialog) == [("Amara Okafor", True, "This recording")]
    phrases = ask(qtbot, ctx, lambda s: s.vocabulary.transcription_phrases(RecordingId("r1")))
    assert phrases == ("Amara Okafor", "Metformin")

    window.open_recording(RecordingId("r1"))  # the detail view reaches the same list
    click(qtbot, window.transcript, "recordingVocabularyButton")
    detail = [d for d in window.dialogs if isinstance(d, VocabularyDialog) and d.recording_id == "r1"]
    assert len(detail) == 1
    qtbot.waitUntil(lambda: rows(detail[0]) == [("Amara Okafor", True, "This recording")])

    window.lock()  # the dialogs close and drop their phrases
    qtbot.waitUntil(lambda: bool(locked), timeout=10_000)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, VocabularyDialog) and w.isVisible()]
    assert not shiboken6.isValid(dialog) or find(dialog, QTableWidget, "vocabTable").rowCount() == 0


def test_settings_boost_weight_saves_and_a_policy_locks_it(qtbot, unlocked: Session, ctx: AppContext) -> None:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.open()
    spin = find(dialog, QDoubleSpinBox, "boostWeight")
    assert spin.text() == f"Engine default ({DEFAULT_BOOST_WEIGHT})"
    assert dialog.config_values()["vocabulary_boost_weight"] is None
    spin.setValue(2.5)
    qtbot.waitUntil(dialog.save_button.isEnabled)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.result() == SettingsDialog.DialogCode.Accepted, timeout=10_000)
    assert unlocked.config.get("vocabulary_boost_weight") == 2.5

    ctx.policy = Policy(vocabulary_boost_weight=1.5)
    locked = SettingsDialog(ctx)
    qtbot.addWidget(locked)
    box = locked.findChild(QWidget, "boostWeight")
    assert not box.isEnabled() and "Managed by your organization" in box.toolTip()
    assert locked.boost_weight.value() == 1.5
