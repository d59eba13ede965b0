"""The whole app, driven through its real widgets offscreen, on real components.

Set-up (with the model step importing the project's trained test model) → unlock →
import a WAV of speech by drop → transcribe with the real model through NeMo in its
child process → review a redaction → export SRT → lock. The vault is a real SQLCipher
file, the device secret sits in a real Secret Service (gnome-keyring on a private
D-Bus), and detection runs through Presidio. Widgets are found by objectName.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel, QLineEdit, QTextEdit, QWidget

from app.context import AppContext
from app.main import product_detector
from app.shell import Shell
from app.tasks import MainThreadGC, VaultWorker
from app.views.transcript import TranscriptView
from app.windows.export_dialog import ExportDialog
from app.windows.setup import SetupDialog
from app.windows.unlock import UnlockDialog
from core.asr.holder import EngineHolder
from core.clock import FakeClock
from core.paths import VaultPaths
from core.security.kdf import TEST_PARAMS
from core.security.keystore import KeyringKeystore
from core.session import Session
from models.loader import load_engine_in_child
from models.store import MODELS_ENV
from models.training import synth
from tests.app.helpers import PASSPHRASE, click, find, totp_code, type_into
from tests.vault_access import vault_context

TEST_MODEL = Path(__file__).resolve().parents[2] / "models" / "test" / "vaultscribe-test-tdt-en-small.nemo"
MODEL_ID = "vaultscribe/test-tdt-en-small"


@pytest.fixture
def app_shell(qtbot, tmp_path: Path, secret_service: dict[str, str], monkeypatch) -> Iterator[tuple[Shell, Session]]:
    models = tmp_path / "models"
    monkeypatch.setenv(MODELS_ENV, str(models))  # the engine's child process finds the model here
    clock = FakeClock(now_ms=int(time.time() * 1000))
    engines = EngineHolder(load_engine_in_child)  # what app.main uses
    session = Session(
        VaultPaths(tmp_path / "vault"),
        keystore=KeyringKeystore(),
        clock=clock,
        kdf_params=TEST_PARAMS,
        os_user="t",
        engines=engines,
        detector_factory=product_detector,
    )
    assert "SecretService" in session.keystore_description
    collector = MainThreadGC()
    collector.start()
    worker = VaultWorker(session)
    ctx = AppContext(worker=worker, engines=engines, config=session.config, models_dir=models)
    shell = Shell(ctx, on_finished=lambda: None)
    qtbot.addWidget(shell.window)
    shell.start()
    qtbot.waitUntil(lambda: isinstance(shell.dialog, SetupDialog) and shell.dialog.isVisible())
    yield shell, session
    shell.close()
    worker.shutdown()
    engines.release()
    collector.stop()


def _set_up(qtbot, shell: Shell, session: Session) -> str:
    dialog = shell.dialog
    click(qtbot, dialog, "locationNext")
    type_into(qtbot, dialog, "newPassphrase", PASSPHRASE)
    type_into(qtbot, dialog, "confirmPassphrase", PASSPHRASE)
    click(qtbot, dialog, "passphraseNext")
    assert "Secret Service" in find(dialog, QLabel, "keyringBackend").text() or "GNOME" in find(
        dialog, QLabel, "keyringBackend"
    ).text()
    click(qtbot, dialog, "createButton")
    qtbot.waitUntil(lambda: dialog.current_page is dialog.enrolment, timeout=20_000)
    secret = find(dialog, QLabel, "totpSecret").text()
    type_into(qtbot, dialog, "confirmCode", totp_code(secret, vault_context(session).clock))
    click(qtbot, dialog, "confirmCodeButton")
    qtbot.waitUntil(lambda: "works" in find(dialog, QLabel, "confirmMessage").text())
    find(dialog, QCheckBox, "storedCheckbox").setChecked(True)
    click(qtbot, dialog, "finishButton")
    assert dialog.current_page is dialog.models
    dialog.models.import_file(TEST_MODEL)  # what "Import a .nemo file…" does once a file is chosen
    qtbot.waitUntil(lambda: dialog.models.task is not None and dialog.models.task.done, timeout=60_000)
    assert dialog.models.task.state == "done", dialog.models.task.error
    qtbot.waitUntil(lambda: session.config.get("model") == MODEL_ID)  # the installed model is the one used
    click(qtbot, dialog, "modelDone")
    qtbot.waitUntil(shell.window.isVisible)
    return secret


def _texts(root: QWidget) -> str:
    parts = []
    for widget in [root, *root.findChildren(QWidget)]:
        for getter in ("text", "toPlainText", "toolTip", "windowTitle", "currentText"):
            value = getattr(widget, getter, None)
            if callable(value):
                with contextlib.suppress(TypeError):
                    parts.append(str(value()))
    return "\n".join(parts)


def test_set_up_import_transcribe_review_export_lock(qtbot, app_shell, tmp_path: Path) -> None:
    shell, session = app_shell
    secret = _set_up(qtbot, shell, session)

    # lock and unlock once through the real dialog, with a code from the next step
    shell.window.lock_action.trigger()
    qtbot.waitUntil(lambda: isinstance(shell.dialog, UnlockDialog) and shell.dialog.isVisible())
    vault_context(session).clock.advance(31)
    dialog = shell.dialog
    type_into(qtbot, dialog, "passphrase", PASSPHRASE)
    type_into(qtbot, dialog, "totpCode", totp_code(secret, vault_context(session).clock))
    click(qtbot, dialog, "unlockButton")
    qtbot.waitUntil(shell.window.isVisible, timeout=20_000)

    # import by drop: imported, then transcribed by the real model in its child process
    sentences = synth.spoken_sentences(11, 3)
    wav = synth.write_wav(tmp_path / "dictation.wav", synth.with_pauses([audio for _, audio in sentences]))
    window = shell.window
    empty = set(_texts(window).split())  # the words the window shows with no content at all
    window.import_files([wav])
    worker = window._worker
    qtbot.waitUntil(lambda: worker.tasks and worker.tasks[-1].done, timeout=180_000)
    task = worker.tasks[-1]
    assert task.state == "done", task.error
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 1)
    # the status line refreshes on its own background read, which may land after the library's
    qtbot.waitUntil(lambda: find(window, QLabel, "recordingsValue").text() == "1 recording")

    # open it: the real transcript, then mark its first word as a NAME and accept it
    window.open_recording(task.result.id)
    view: TranscriptView = window.transcript
    text = find(view, QTextEdit, "transcriptText")
    qtbot.waitUntil(lambda: view.transcript is not None and text.toPlainText() != "")
    transcript = view.transcript.text
    first = transcript.split()[0]
    assert len(transcript.split()) > 8  # the model heard the sentences
    cursor = text.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(len(first), QTextCursor.MoveMode.KeepAnchor)
    text.setTextCursor(cursor)
    types = find(view, QComboBox, "redactionType")
    types.setCurrentIndex(types.findData("NAME"))
    click(qtbot, view, "addRedactionButton")
    qtbot.waitUntil(lambda: any(r.start == 0 and r.type == "NAME" for r in view.redactions))
    added = next(r for r in view.redactions if r.start == 0)
    assert added.state == "added"
    find(view, QCheckBox, "redactedToggle").setChecked(True)
    qtbot.waitUntil(lambda: text.toPlainText().startswith("[NAME]"))

    # export SRT through the dialog, redacted by default
    window.tabs.setCurrentWidget(view)
    window.export_action.trigger()
    qtbot.waitUntil(lambda: any(isinstance(d, ExportDialog) and d.isVisible() for d in window.dialogs))
    export = next(d for d in window.dialogs if isinstance(d, ExportDialog))
    assert find(export, QCheckBox, "redactedCheck").isChecked()
    formats = find(export, QComboBox, "formatBox")
    formats.setCurrentIndex(formats.findData("srt"))
    out = tmp_path / "out" / "dictation.srt"
    out.parent.mkdir()
    type_into(qtbot, export, "pathEdit", str(out))
    click(qtbot, export, "exportButton")
    qtbot.waitUntil(out.exists, timeout=20_000)
    srt = out.read_text("utf-8")
    assert srt.startswith("1\n00:00:") and "\n[NAME]" in srt
    kinds: list[list[str]] = []
    worker.op(None, lambda s: [e.kind for e in s.audit.events("transcript.export")]).success(kinds.append).run()
    qtbot.waitUntil(lambda: bool(kinds))
    assert kinds[0] == ["transcript.export"]

    # lock: back to the unlock dialog, the vault closed, and no content left in any widget
    find(export, QLineEdit, "pathEdit")  # still open: the lock closes it
    window.lock_action.trigger()
    qtbot.waitUntil(lambda: isinstance(shell.dialog, UnlockDialog) and shell.dialog.isVisible())
    assert not session.is_unlocked
    QApplication.processEvents()
    left = _texts(window)
    shown = set(left.split())
    for word in {w.strip(".,") for w in transcript.split()} - empty:
        assert word not in shown, f"{word!r} is still shown after lock"
    assert "dictation" not in left
    assert not any(d.isVisible() for d in window.dialogs if d is not None and _alive(d))


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)
