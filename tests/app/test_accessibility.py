"""Every control can be found by a screen reader: it has an accessible name (or, for a button or a
check box, visible text that Qt reads out)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QToolBar,
    QToolButton,
    QWidget,
)

from app.windows.audit import AuditDialog
from app.windows.export_dialog import ExportDialog
from app.windows.main_window import MainWindow
from app.windows.settings import SettingsDialog
from app.windows.setup import SetupDialog
from app.windows.unlock import UnlockDialog
from app.windows.vocabulary import VocabularyDialog

CONTROLS = (
    QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit,
    QPlainTextEdit, QProgressBar, QTextEdit,
)  # fmt: skip


def nameless(root: QWidget) -> list[str]:
    bad = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or isinstance(widget, QScrollBar) or widget.parent() is None:
            continue  # scroll bars belong to their view, which has the name
        if type(widget).__name__.startswith("Q") and widget.objectName().startswith("qt_"):
            continue  # Qt's own parts (scroll bars of views, the spin box's line edit…)
        if isinstance(widget.parent(), QAbstractSpinBox | QComboBox | QAbstractItemView):
            continue
        if widget.parent().metaObject().className() == "QComboBoxPrivateContainer":
            continue  # a combo box's pop-up list: the combo box has the name
        if isinstance(widget, QToolButton) and not widget.objectName() and isinstance(
            widget.parent(), QTabBar | QToolBar | QLineEdit
        ):
            continue  # Qt's scroll arrows, toolbar extension and clear buttons
        text = widget.text().replace("&", "").strip() if isinstance(widget, QAbstractButton) else ""
        if not widget.accessibleName() and not text:
            bad.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return bad


def test_main_window_and_its_dialogs(qtbot, ctx, tmp_path: Path) -> None:
    window = MainWindow(ctx, on_vault_did_lock=lambda: None, on_quit=lambda: None)
    qtbot.addWidget(window)
    window.show()
    dialogs = [
        SettingsDialog(ctx, parent=window),
        AuditDialog(ctx, parent=window),
        ExportDialog(ctx, "r", title="t", directory=tmp_path, parent=window),  # type: ignore[arg-type]
        VocabularyDialog(ctx, parent=window),
    ]
    bad = nameless(window)
    for dialog in dialogs:
        bad += nameless(dialog)
    assert bad == [], "\n".join(bad)


def test_set_up_and_unlock(qtbot, worker, enrolled, tmp_path: Path) -> None:
    for dialog in (
        SetupDialog(worker, min_passphrase_length=10, models_dir=tmp_path),
        UnlockDialog(worker, min_passphrase_length=10),
    ):
        qtbot.addWidget(dialog)
        assert nameless(dialog) == [], "\n".join(nameless(dialog))


def test_the_check_finds_a_control_without_a_name(qtbot) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    edit = QLineEdit(root)
    edit.setObjectName("nameless")
    assert nameless(root) == ["QLineEdit 'nameless'"]
    edit.setAccessibleName("Title")
    assert nameless(root) == []
