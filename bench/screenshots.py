"""Start the real VaultScribe GUI under Xvfb and save a PNG of every screen.

    python bench/screenshots.py OUT_DIR

Everything is real except the microphone: a private Secret Service (gnome-keyring on its own D-Bus) in
a throwaway HOME, a real SQLCipher vault, the project's trained test model imported through the set-up
wizard and run by NeMo in its child process, and Presidio. The record view is fed a tone through a
fake input stream, since the machine has no sound card.

The test model knows a small vocabulary, so one recording's transcript is written through the session
(as a user's edit would be) to show the highlighting of names and numbers; the others are transcribed.
Without a display the script runs itself again under ``xvfb-run``.
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.types import Transcript, Word

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TEST_MODEL = ROOT / "models" / "test" / "vaultscribe-test-tdt-en-small.nemo"
MODEL_ID = "vaultscribe/test-tdt-en-small"
PASSPHRASE = "a long screenshot passphrase"
DEMO_TEXT = (
    "Patient Maria Gonzalez, date of birth March third nineteen seventy two, was seen today. "
    "Her phone number is five five five zero one four seven. She reports chest pain since Monday. "
    "Refer to Doctor Patel at Saint Mary's in Boston."
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        return _inner(args.out)
    if not os.environ.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            sys.exit("xvfb-run is not installed (see scripts/apt-packages.txt)")
        argv = ["xvfb-run", "-a", "-s", "-screen 0 1440x900x24", sys.executable, *sys.argv]
        return subprocess.run(argv, check=False).returncode
    from bench.startup import private_keyring

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vs-shots-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        with private_keyring(home) as env:
            env = {**env, "QT_QPA_PLATFORM": "xcb", "VAULTSCRIBE_MODELS": str(Path(tmp) / "models")}
            argv = [sys.executable, str(Path(__file__).resolve()), "--inner", str(args.out.resolve())]
            return subprocess.run(argv, env=env, cwd=ROOT, check=False, timeout=600).returncode


# -- inside Xvfb, with the keyring -------------------------------------------------------------------


def _inner(out: Path) -> int:
    import numpy as np
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import (
        QAbstractButton,
        QApplication,
        QCheckBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QTabWidget,
        QTextEdit,
        QWidget,
    )

    from app.context import AppContext
    from app.shell import Shell
    from app.tasks import MainThreadGC, VaultWorker
    from app.theme import apply_theme
    from app.windows.audit import AuditDialog
    from app.windows.export_dialog import ExportDialog
    from app.windows.settings import SettingsDialog
    from app.windows.unlock import UnlockDialog
    from core.asr.holder import EngineHolder
    from core.audio.capture import CaptureFormat
    from core.paths import VaultPaths, default_vault_dir
    from core.security.kdf import TEST_PARAMS
    from core.security.keystore import KeyringKeystore
    from core.security.totp import TotpSecret
    from core.session import Session
    from core.types import RecordingId, TranscriptId
    from models.loader import load_engine_in_child
    from models.training import synth
    from tests.core.fake_audio import factory

    app = QApplication([sys.argv[0]])
    app.setApplicationName("VaultScribe")
    app.setQuitOnLastWindowClosed(False)
    apply_theme(app, "light")
    session = Session(VaultPaths(default_vault_dir()), keystore=KeyringKeystore(), kdf_params=TEST_PARAMS)
    collector = MainThreadGC()
    collector.start()
    worker = VaultWorker(session)
    engines = EngineHolder(load_engine_in_child)
    t = np.arange(16_000 * 20) / 16_000
    tone = (0.4 * np.sin(2 * np.pi * 330 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.7 * t)))[:, None]
    microphone, _streams = factory(tone.astype(np.float32), realtime_factor=1.0)
    ctx = AppContext(
        worker=worker,
        engines=engines,
        config=session.config,
        models_dir=Path(os.environ["VAULTSCRIBE_MODELS"]),
        input_stream=microphone,
        capture_format=CaptureFormat(16_000, 1),
    )
    shell = Shell(ctx, on_finished=lambda: None)
    written: list[Path] = []

    def pump(seconds: float = 0.2) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def wait(what: Callable[[], object], timeout: float = 60.0, label: str = "") -> None:
        end = time.monotonic() + timeout
        while not what():
            if time.monotonic() > end:
                raise TimeoutError(f"gave up waiting for {label or what}")
            app.processEvents()
            time.sleep(0.01)

    def shot(name: str, widget: QWidget) -> None:
        pump(0.4)
        path = out / f"{len(written) + 1:02d}-{name}.png"
        widget.window().grab().save(str(path))
        written.append(path)
        print(path, flush=True)

    def child(root: QWidget, kind: type, name: str) -> Any:
        found = root.findChild(kind, name)
        if found is None:
            raise LookupError(f"no {kind.__name__} {name!r}")
        return found

    def click(root: QWidget, name: str) -> None:
        button = child(root, QAbstractButton, name)
        wait(button.isEnabled, label=name)
        button.click()

    def on_worker(fn: Callable[[Session], object]) -> object:
        box: list[object] = []
        worker.op(None, fn).success(box.append).run()
        wait(lambda: bool(box), label="the vault worker")
        return box[0]

    try:
        # -- set-up -----------------------------------------------------------------------
        shell.start()
        wait(lambda: shell.dialog is not None and shell.dialog.isVisible(), label="set-up")
        setup = shell.dialog
        wait(lambda: child(setup, QLabel, "vaultLocation").text() != "…")
        shot("setup-location", setup)
        click(setup, "locationNext")
        child(setup, QLineEdit, "newPassphrase").setText(PASSPHRASE)
        child(setup, QLineEdit, "confirmPassphrase").setText(PASSPHRASE)
        shot("setup-passphrase", setup)
        click(setup, "passphraseNext")
        shot("setup-keyring", setup)
        click(setup, "createButton")
        wait(lambda: setup.current_page is setup.enrolment, label="enrolment")
        secret = child(setup, QLabel, "totpSecret").text().replace(" ", "")
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        child(setup, QLineEdit, "confirmCode").setText(TotpSecret(key).code_at(int(time.time())))
        click(setup, "confirmCodeButton")
        wait(lambda: "works" in child(setup, QLabel, "confirmMessage").text(), label="code confirmed")
        child(setup, QCheckBox, "storedCheckbox").setChecked(True)
        shot("setup-authenticator-and-recovery-code", setup)
        click(setup, "finishButton")
        shot("setup-model", setup)
        setup.models.import_file(TEST_MODEL)
        wait(lambda: setup.models.task is not None and setup.models.task.done, timeout=120, label="model import")
        wait(lambda: session.config.get("model") == MODEL_ID, label="model chosen")
        shot("setup-model-installed", setup)
        click(setup, "modelDone")
        window = shell.window
        wait(window.isVisible, label="main window")
        window.resize(1280, 800)
        shot("library-empty", window)

        # -- content: two spoken recordings, imported and transcribed; one with a clinical note ----
        wavs = []
        for i, seed in enumerate((21, 22)):
            sentences = synth.spoken_sentences(seed, 3)
            audio = synth.with_pauses([a for _, a in sentences])
            wavs.append(synth.write_wav(Path(tempfile.mkdtemp()) / f"interview-{i + 1}.wav", audio))
        window.import_files(wavs)
        wait(lambda: any(task.state == "running" and task.fraction > 0.05 for task in worker.tasks), label="a job")
        shot("jobs-running", window)
        wait(lambda: all(task.done for task in worker.tasks), timeout=300, label="jobs")
        shot("jobs-done", window)

        def seed_note(s: Session) -> RecordingId:
            words = DEMO_TEXT.split()
            pcm = 0.05 * np.sin(2 * np.pi * 200 * np.arange(16_000 * len(words) // 2) / 16_000)
            wav = synth.write_wav(Path(tempfile.mkdtemp()) / "ward-round-dictation.wav", pcm.astype(np.float32))
            rid = RecordingId(s.recordings.import_audio(wav).id)
            timed = tuple(Word(w, i * 500, i * 500 + 400) for i, w in enumerate(words))
            s.transcripts.save_transcript(
                Transcript(TranscriptId(os.urandom(16).hex()), rid, 1, "nemo", MODEL_ID, DEMO_TEXT, timed)
            )
            return rid

        note = RecordingId(str(on_worker(seed_note)))
        window.library.refresh()
        window.tabs.setCurrentWidget(window.library)
        wait(lambda: window.library.model.rowCount() == 3, label="library rows")
        shot("library", window)
        child(window.library, QLineEdit, "searchBox").setText("chest")
        wait(lambda: child(window.library, QListWidget, "searchResults").count() > 0, label="search hits")
        shot("library-search", window)
        child(window.library, QLineEdit, "searchBox").setText("")

        # -- transcript review -------------------------------------------------------------------
        window.open_recording(note)
        view = window.transcript
        wait(lambda: view.transcript is not None, label="transcript")
        view.detect()
        wait(lambda: len(view.redactions) >= 3, timeout=60, label="detections")
        first = view.redactions[0]
        view.select_redaction(first.id)
        shot("transcript-review", window)
        click(view, "acceptButton")
        pump(0.5)
        if len(view.redactions) > 1:
            view.select_redaction(view.redactions[1].id)
            click(view, "rejectButton")
            pump(0.5)
        cursor = child(view, QTextEdit, "transcriptText").textCursor()
        start = DEMO_TEXT.index("chest pain")
        cursor.setPosition(start)
        cursor.setPosition(start + len("chest pain"), QTextCursor.MoveMode.KeepAnchor)
        child(view, QTextEdit, "transcriptText").setTextCursor(cursor)
        shot("transcript-selection", window)
        child(view, QCheckBox, "redactedToggle").setChecked(True)
        shot("transcript-redacted", window)
        child(view, QCheckBox, "redactedToggle").setChecked(False)

        # -- record ---------------------------------------------------------------------------------
        window.tabs.setCurrentWidget(window.recorder)
        shot("record-idle", window)
        child(window.recorder, QCheckBox, "transcribeAfter").setChecked(False)
        window.recorder.start()
        wait(lambda: window.recorder.is_recording and child(window.recorder, QLabel, "elapsed").text() >= "0:00:02",
             timeout=30, label="recording")  # fmt: skip
        shot("record-recording", window)
        window.recorder.stop(transcribe=False)
        wait(lambda: not window.recorder.is_recording, label="recording stopped")

        # -- dialogs -------------------------------------------------------------------------------
        window.tabs.setCurrentWidget(window.transcript)
        export = ExportDialog(ctx, note, title="Ward round dictation", parent=window)
        window._open_dialog(export)
        shot("export", export)
        child(export, QCheckBox, "redactedCheck").setChecked(False)
        shot("export-unredacted-warning", export)
        export.close()
        settings = SettingsDialog(ctx, parent=window)
        window._open_dialog(settings)
        tabs = child(settings, QTabWidget, "settingsTabs")
        wait(lambda: tabs.widget(tabs.count() - 1).isEnabled(), label="settings loaded")
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            shot(f"settings-{tabs.tabText(index).replace('&', '').lower()}", settings)
        settings.close()
        audit = AuditDialog(ctx, parent=window)
        window._open_dialog(audit)
        wait(lambda: not audit.is_loading and audit.events, label="audit events")
        click(audit, "verifyButton")
        wait(lambda: child(audit, QLabel, "verifyResult").text() != "", label="verify")
        shot("audit-log", audit)
        audit.close()
        window.show_shortcuts()
        box = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "shortcutsBox" and w.isVisible())
        shot("keyboard-shortcuts", box)
        box.close()

        # -- dark theme -----------------------------------------------------------------------------
        apply_theme(app, "dark")
        window.tabs.setCurrentWidget(window.library)
        shot("dark-library", window)
        window.tabs.setCurrentWidget(window.transcript)
        shot("dark-transcript", window)
        apply_theme(app, "light")

        # -- lock -------------------------------------------------------------------------------------
        window.lock_action.trigger()
        wait(lambda: isinstance(shell.dialog, UnlockDialog) and shell.dialog.isVisible(), label="unlock dialog")
        unlock = shell.dialog
        shot("unlock", unlock)
        child(unlock, QLineEdit, "passphrase").setText("not the passphrase")
        child(unlock, QLineEdit, "totpCode").setText("000000")
        click(unlock, "unlockButton")
        wait(lambda: child(unlock, QLabel, "unlockMessage").text() != "", timeout=30, label="refusal")
        shot("unlock-refused", unlock)
        click(unlock, "useRecoveryButton")
        shot("unlock-recovery", unlock)
    finally:
        shell.close()
        worker.shutdown()
        engines.release()
        collector.stop()
    print(f"{len(written)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
