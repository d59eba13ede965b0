"""Every visible string goes through tr(): with a translator that marks every string, nothing shows unmarked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from app.windows.setup import SetupDialog
from app.windows.unlock import UnlockDialog

# Values, not words: codes, paths and names that are shown as they are.
VALUES = frozenset(
    {"totpSecret", "recoveryCode", "vaultLocation", "modelsFolder", "keyringBackend", "countdown", "recoverCountdown"}
)
_TAG = re.compile(r"<[^>]+>")


class MarkingTranslator(QTranslator):
    def translate(self, context, source_text, disambiguation=None, n=-1):
        return "«" + source_text + "»"

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def marked(qapp) -> Iterator[None]:
    translator = MarkingTranslator()
    QCoreApplication.installTranslator(translator)
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(translator)


def unmarked(root: QWidget) -> list[str]:
    """Texts of labels and buttons under root that do not start with the mark."""
    bad = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, QLabel | QAbstractButton) or widget.objectName() in VALUES:
            continue
        text = _TAG.sub("", widget.text()).replace("&", "").strip()
        if text and not text.startswith("«"):
            bad.append(f"{type(widget).__name__} {widget.objectName()!r}: {text!r}")
    return bad


def test_the_marking_translator_is_used(marked):
    from app.i18n import tr

    assert tr("Lock") == "«Lock»"


def test_setup_dialog_is_translated(marked, qtbot, worker, tmp_path: Path):
    dialog = SetupDialog(worker, min_passphrase_length=10, models_dir=tmp_path / "models")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.location.text() != "…")  # the keyring line is in too
    assert dialog.windowTitle().startswith("«")
    assert unmarked(dialog) == []


def test_unlock_dialog_is_translated(marked, qtbot, enrolled, worker):
    dialog = UnlockDialog(worker, min_passphrase_length=10)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle().startswith("«")
    assert unmarked(dialog) == []


def test_main_window_views_dialogs_and_actions_are_translated(marked, qtbot, ctx, tmp_path: Path):
    from PySide6.QtGui import QAction

    from app.windows.audit import AuditDialog
    from app.windows.export_dialog import ExportDialog
    from app.windows.main_window import MainWindow
    from app.windows.settings import SettingsDialog
    from app.windows.vocabulary import VocabularyDialog

    window = MainWindow(ctx, on_vault_did_lock=lambda: None, on_quit=lambda: None)
    qtbot.addWidget(window)
    window.show()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        assert window.tabs.tabText(index).replace("&", "").startswith("«")
    dialogs = [SettingsDialog(ctx, parent=window), AuditDialog(ctx, parent=window)]
    dialogs.append(ExportDialog(ctx, "nothing", title="t", directory=tmp_path, parent=window))  # type: ignore[arg-type]
    dialogs.append(VocabularyDialog(ctx, parent=window))
    for dialog in dialogs:
        dialog.show()
        assert dialog.windowTitle().startswith("«"), dialog.objectName()
    values = {"recordingsValue", "keystoreValue", "vaultDirValue", "elapsed", "elapsedLabel", "totalLabel"}
    bad = [b for b in unmarked(window) if not any(f"'{v}'" in b for v in values)]
    for dialog in dialogs:
        bad += unmarked(dialog)
    assert bad == []
    actions = [a for a in window.findChildren(QAction) if a.text() and not a.isSeparator()]
    assert actions and all(a.text().replace("&", "").startswith("«") for a in actions), [
        a.text() for a in actions if not a.text().replace("&", "").startswith("«")
    ]
