from __future__ import annotations

import stat
import threading
from pathlib import Path
from typing import ClassVar

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QFileDialog, QLabel, QProgressBar, QPushButton, QTreeWidget

from app.widgets import enrolment as enrolment_mod
from app.widgets.enrolment import recovery_document, recovery_text
from app.windows.setup import ModelStep, SetupDialog, keyring_name
from core.asr.engine import DEFAULT_DIARIZER_ID
from models.manifest import MANIFEST
from tests.app.helpers import PASSPHRASE, click, find, totp_code, type_into

TEST_MODEL = Path(__file__).resolve().parents[2] / "models" / "test" / "vaultscribe-test-tdt-en-small.nemo"
TEST_DIARIZER = TEST_MODEL.with_name("vaultscribe-test-sortformer-diar-small.nemo")
DIARIZER_ID = "vaultscribe/test-sortformer-diar-small"


def test_first_run_creates_the_vault_and_gates_finish(qtbot, shell, session, clock):
    dialog = shell.dialog
    assert isinstance(dialog, SetupDialog)
    create = find(dialog, QPushButton, "createButton")
    qtbot.waitUntil(lambda: find(dialog, QLabel, "vaultLocation").text() == str(session.paths.root))
    assert "--vault" in find(dialog, QLabel, "locationHint").text()
    click(qtbot, dialog, "locationNext")
    assert dialog.current_page is dialog.passphrase_page

    type_into(qtbot, dialog, "newPassphrase", "short")
    assert not create.isEnabled()
    assert find(dialog, QLabel, "strengthLabel").text().startswith("Too short")
    type_into(qtbot, dialog, "newPassphrase", PASSPHRASE)
    type_into(qtbot, dialog, "confirmPassphrase", PASSPHRASE + "x")
    assert not create.isEnabled()
    type_into(qtbot, dialog, "confirmPassphrase", PASSPHRASE)
    click(qtbot, dialog, "passphraseNext")
    assert dialog.current_page is dialog.keyring_page
    assert not session.exists()
    # The tests' in-memory keystore is no real keyring: the step says how to get one.
    assert "in-memory" in find(dialog, QLabel, "keyringBackend").text()
    assert "gnome-keyring" in find(dialog, QLabel, "keyringHelp").text()
    click(qtbot, dialog, "createButton")
    qtbot.waitUntil(lambda: dialog.current_page is dialog.enrolment)
    assert session.exists()

    assert not find(dialog, QLabel, "totpQr").pixmap().isNull()
    secret = find(dialog, QLabel, "totpSecret").text()
    recovery_code = find(dialog, QLabel, "recoveryCode").text()
    assert len(recovery_code.split("-")) == 7
    click(qtbot, dialog, "copyRecoveryButton")
    assert QGuiApplication.clipboard().text() == recovery_code
    finish = find(dialog, QPushButton, "finishButton")
    stored = find(dialog, QCheckBox, "storedCheckbox")
    message = find(dialog, QLabel, "confirmMessage")

    clock.advance(3600)
    wrong = totp_code(secret, clock)
    clock.advance(-3600)
    type_into(qtbot, dialog, "confirmCode", wrong)
    click(qtbot, dialog, "confirmCodeButton")
    qtbot.waitUntil(lambda: "not right" in message.text())

    type_into(qtbot, dialog, "confirmCode", totp_code(secret, clock))
    click(qtbot, dialog, "confirmCodeButton")
    qtbot.waitUntil(lambda: "works" in message.text())
    assert not finish.isEnabled()  # the recovery code is not acknowledged yet

    dialog.reject()  # cannot leave before acknowledging the recovery code
    assert dialog.isVisible()
    stored.setChecked(True)
    assert finish.isEnabled()
    click(qtbot, dialog, "finishButton")
    assert dialog.current_page is dialog.models  # then the speech model, which can wait
    assert not shell.window.isVisible()
    click(qtbot, dialog, "skipModel")
    qtbot.waitUntil(lambda: shell.window.isVisible())
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: find(shell.window, QLabel, "recordingsValue").text() == "0 recordings")


def _create(qtbot, dialog) -> None:
    click(qtbot, dialog, "locationNext")
    type_into(qtbot, dialog, "newPassphrase", PASSPHRASE)
    type_into(qtbot, dialog, "confirmPassphrase", PASSPHRASE)
    click(qtbot, dialog, "passphraseNext")
    click(qtbot, dialog, "createButton")


def test_finish_needs_the_code_confirmed(qtbot, shell):
    dialog = shell.dialog
    _create(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.current_page is dialog.enrolment)
    find(dialog, QCheckBox, "storedCheckbox").setChecked(True)
    assert not find(dialog, QPushButton, "finishButton").isEnabled()


def test_a_short_passphrase_refused_by_the_core_goes_back_to_its_step(qtbot, worker, session):
    # the meter asks for no strength; the core wants 12 characters
    dialog = SetupDialog(worker, min_passphrase_length=4, min_passphrase_score=0, models_dir=Path("/nonexistent"))
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog, "locationNext")
    type_into(qtbot, dialog, "newPassphrase", "abcdef")
    type_into(qtbot, dialog, "confirmPassphrase", "abcdef")
    click(qtbot, dialog, "passphraseNext")
    click(qtbot, dialog, "createButton")
    message = find(dialog, QLabel, "passphraseMessage")
    qtbot.waitUntil(lambda: message.text() != "")
    assert dialog.current_page is dialog.passphrase_page
    assert not session.exists()


def test_real_keyrings_have_names_and_others_none():
    assert keyring_name("keyring.backends.SecretService.Keyring") is not None
    assert "Keychain" in (keyring_name("keyring.backends.macOS.Keyring") or "")
    assert keyring_name("keyrings.alt.file.PlaintextKeyring") is None
    assert keyring_name("in-memory (tests only)") is None


def test_recovery_code_can_be_saved_and_printed(qtbot, worker, session, tmp_path, monkeypatch):
    code = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23"
    document = recovery_document(code).toPlainText()
    assert code in document and "VaultScribe recovery code" in document
    assert code in recovery_text(code) and "NOT encrypted" in recovery_text(code)

    dialog = SetupDialog(worker, min_passphrase_length=10, models_dir=tmp_path / "models")
    qtbot.addWidget(dialog)
    dialog.show()
    _create(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.current_page is dialog.enrolment)
    shown = find(dialog, QLabel, "recoveryCode").text()
    target = tmp_path / "code.txt"
    monkeypatch.setattr(enrolment_mod.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    click(qtbot, dialog, "saveRecoveryButton")
    assert target.read_text(encoding="utf-8") == recovery_text(shown)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "not encrypted" in find(dialog, QLabel, "recoverySavedMessage").text()
    assert find(dialog, QPushButton, "printRecoveryButton").isEnabled()


def _model_step(qtbot, worker, models_dir: Path, **kwargs) -> tuple[ModelStep, list[bool]]:
    finished: list[bool] = []
    step = ModelStep(worker, models_dir=models_dir, on_finished=lambda: finished.append(True), **kwargs)
    qtbot.addWidget(step)
    step.show()
    return step, finished


def _status_of(step: ModelStep, model_id: str) -> str | None:
    tree = find(step, QTreeWidget, "modelList")
    for i in range(tree.topLevelItemCount()):
        if tree.topLevelItem(i).text(0) == model_id:
            return tree.topLevelItem(i).text(3)
    return None


def _used_for(step: ModelStep, model_id: str) -> str | None:
    tree = find(step, QTreeWidget, "modelList")
    for i in range(tree.topLevelItemCount()):
        if tree.topLevelItem(i).text(0) == model_id:
            return tree.topLevelItem(i).text(1)
    return None


def test_importing_the_test_model_installs_it(qtbot, worker, tmp_path, monkeypatch):
    models_dir = tmp_path / "models"
    step, finished = _model_step(qtbot, worker, models_dir)
    test_id = next(spec.id for spec in MANIFEST if spec.test_model)
    assert _status_of(step, test_id) is None  # listed only once present
    assert _status_of(step, MANIFEST[0].id) == "Not installed"
    assert not models_dir.exists()  # looking does not create the folder
    assert not find(step, QPushButton, "modelDone").isEnabled()

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(TEST_MODEL), ""))
    click(qtbot, step, "importModel")
    qtbot.waitUntil(lambda: _status_of(step, test_id) == "Installed", timeout=20_000)
    assert (models_dir / TEST_MODEL.name).stat().st_size == TEST_MODEL.stat().st_size
    assert step.task is not None and step.task.state == "done"
    assert "installed" in find(step, QLabel, "modelMessage").text()
    click(qtbot, step, "modelDone")
    assert finished == [True]


def test_a_bad_file_is_refused_with_a_message(qtbot, worker, tmp_path, monkeypatch):
    bogus = tmp_path / "bogus.nemo"
    bogus.write_bytes(b"not a model")
    step, _ = _model_step(qtbot, worker, tmp_path / "models")
    shown: list[Exception] = []
    monkeypatch.setattr("app.windows.setup.show_error", lambda parent, exc: shown.append(exc))
    step.import_file(bogus)
    qtbot.waitUntil(lambda: bool(shown))
    assert "not a model VaultScribe knows" in str(shown[0])
    assert find(step, QLabel, "modelMessage").text() == "The model was not installed."


class _SlowStore:
    """A fake store whose download reports progress until it is cancelled."""

    started = threading.Event()

    def __init__(self, root: Path) -> None:
        self.root = root

    def installed(self) -> list:
        return []

    def download(self, spec, *, consent, progress, cancel):
        assert consent
        fraction = 0.0
        _SlowStore.started.set()
        while True:
            fraction = min(0.9, fraction + 0.001)
            progress(fraction)  # raises Cancelled once cancelled, as the real store does
            cancel.raise_if_cancelled()
            threading.Event().wait(0.005)


def test_consent_gates_the_download_and_cancel_stops_it(qtbot, worker, tmp_path):
    step, finished = _model_step(qtbot, worker, tmp_path, store_factory=_SlowStore)
    download = find(step, QPushButton, "downloadModel")
    assert "Hugging Face" in download.text() and "GB" in download.text()
    assert not download.isEnabled()
    consent = find(step, QCheckBox, "downloadConsent")
    consent.setChecked(True)
    assert download.isEnabled()
    consent.setChecked(False)
    assert not download.isEnabled()
    consent.setChecked(True)

    click(qtbot, step, "downloadModel")
    progress = find(step, QProgressBar, "modelProgress")
    qtbot.waitUntil(lambda: progress.value() > 0)
    assert not find(step, QPushButton, "skipModel").isEnabled()  # not while a download runs
    assert not download.isEnabled()
    click(qtbot, step, "cancelModel")
    qtbot.waitUntil(lambda: step.task is not None and step.task.state == "cancelled")
    assert not progress.isVisible()
    assert "cancelled" in find(step, QLabel, "modelMessage").text()
    click(qtbot, step, "skipModel")
    assert finished == [True]


def test_closing_the_model_step_skips_it(qtbot, worker, tmp_path):
    dialog = SetupDialog(worker, min_passphrase_length=10, models_dir=tmp_path / "models")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog._to_models()
    with qtbot.waitSignal(dialog.accepted):
        dialog.reject()



def test_a_speaker_model_is_never_the_speech_model_and_finish_needs_a_speech_model(
    qtbot, unlocked, worker, tmp_path
):
    step, finished = _model_step(qtbot, worker, tmp_path / "models")
    step.import_file(TEST_DIARIZER)
    qtbot.waitUntil(lambda: unlocked.config.get("diarizer") == DIARIZER_ID, timeout=20_000)
    assert unlocked.config.get("model") == ""  # still the default speech model, never the diarizer
    # made the speaker model, so transcription would use it (issue 21 §6: the step marks what is in use)
    qtbot.waitUntil(lambda: _status_of(step, DIARIZER_ID) == "Installed, in use")
    assert _used_for(step, DIARIZER_ID) == "Speakers"
    done = find(step, QPushButton, "modelDone")
    assert not done.isEnabled()  # a speaker model alone cannot transcribe
    assert find(step, QPushButton, "skipModel").isVisible()

    step.import_file(TEST_MODEL)
    test_id = "vaultscribe/test-tdt-en-small"
    qtbot.waitUntil(lambda: unlocked.config.get("model") == test_id, timeout=20_000)
    qtbot.waitUntil(lambda: _used_for(step, test_id) == "Speech")
    assert done.isEnabled()
    assert unlocked.config.get("diarizer") == DIARIZER_ID
    click(qtbot, step, "modelDone")
    assert finished == [True]


class _RecordingStore:
    """A fake store that 'downloads' at once and remembers what."""

    downloaded: ClassVar[list[str]] = []

    def __init__(self, root: Path) -> None:
        self.root = root

    def installed(self) -> list:
        return []

    def download(self, spec, *, consent, progress, cancel):
        assert consent
        _RecordingStore.downloaded.append(spec.id)
        progress(1.0)


def test_speaker_models_are_marked_and_the_diarizer_can_still_be_downloaded(qtbot, worker, tmp_path):
    _RecordingStore.downloaded = []
    step, _ = _model_step(qtbot, worker, tmp_path, store_factory=_RecordingStore)
    choice = find(step, QComboBox, "downloadChoice")
    labels = {choice.itemData(i): choice.itemText(i) for i in range(choice.count())}
    kinds = {spec.id: spec.kind for spec in MANIFEST}
    assert DEFAULT_DIARIZER_ID in labels
    for model_id, label in labels.items():
        assert label.endswith(" (speakers)") == (kinds[model_id] == "diarization"), label
    assert _used_for(step, DEFAULT_DIARIZER_ID) == "Speakers" and _used_for(step, MANIFEST[0].id) == "Speech"

    choice.setCurrentIndex(choice.findData(DEFAULT_DIARIZER_ID))
    find(step, QCheckBox, "downloadConsent").setChecked(True)
    download = find(step, QPushButton, "downloadModel")
    assert DEFAULT_DIARIZER_ID in download.text() and "MB" in download.text()
    click(qtbot, step, "downloadModel")
    qtbot.waitUntil(lambda: step.task is not None and step.task.done)
    assert _RecordingStore.downloaded == [DEFAULT_DIARIZER_ID]


def test_after_a_speech_model_is_installed_on_a_cpu_machine_the_fast_version_is_offered_and_cancel_stops_it(
    qtbot, worker, session, tmp_path, monkeypatch
):
    """On a machine with no NVIDIA GPU, once the test model is installed, the step offers its fast CPU
    (ONNX) version; the job is one call into the session (``jobs.make_onnx_export``) through the engine
    holder's factory, shows progress, and Cancel stops it with nothing recorded. The real export, in the
    sandboxed child, is driven through the installed program by tests/asr/test_onnx_real.py and its
    cancel by tests/asr/test_onnx_export_cancel.py."""
    monkeypatch.setattr("models.loader.no_nvidia_gpu", lambda: True)
    calls: list[tuple[str | None, str]] = []

    def slow_export(model, device, progress):  # the child's export: progress until cancelled
        calls.append((model, device))
        fraction = 0.0
        while True:
            fraction = min(0.9, fraction + 0.001)
            progress(fraction)  # raises Cancelled once the task is cancelled, as ProcessEngine's does
            threading.Event().wait(0.005)

    monkeypatch.setattr(session.engines, "_factory", slow_export)
    models_dir = tmp_path / "models"
    step, _ = _model_step(qtbot, worker, models_dir)
    offer = find(step, QPushButton, "exportOnnx")
    assert not offer.isVisible()  # nothing installed: nothing to offer
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(TEST_MODEL), ""))
    click(qtbot, step, "importModel")
    test_id = next(spec.id for spec in MANIFEST if spec.test_model)
    qtbot.waitUntil(lambda: _status_of(step, test_id) == "Installed", timeout=20_000)
    qtbot.waitUntil(offer.isVisible)
    assert offer.text().replace("&", "") == "Make the fast CPU version (ONNX)" and offer.accessibleName()

    click(qtbot, step, "exportOnnx")
    progress = find(step, QProgressBar, "modelProgress")
    qtbot.waitUntil(lambda: progress.value() > 0)
    assert calls == [(test_id, "cpu:onnx")] and not offer.isEnabled()
    click(qtbot, step, "cancelModel")
    qtbot.waitUntil(lambda: step.task is not None and step.task.state == "cancelled")
    assert "no fast CPU version" in find(step, QLabel, "modelMessage").text()
    assert session.engines.current is None  # nothing loaded from a cancelled export
    assert not (models_dir / "onnx").exists() and offer.isVisible()  # still offered


def test_with_an_nvidia_gpu_or_an_export_the_fast_version_is_not_offered(qtbot, worker, tmp_path, monkeypatch):
    from models.store import ModelStore

    models_dir = tmp_path / "models"
    ModelStore(models_dir).import_file(TEST_MODEL)
    monkeypatch.setattr("models.loader.no_nvidia_gpu", lambda: False)
    step, _ = _model_step(qtbot, worker, models_dir)
    assert not find(step, QPushButton, "exportOnnx").isVisible()
    monkeypatch.setattr("models.loader.no_nvidia_gpu", lambda: True)
    step.refresh()
    assert find(step, QPushButton, "exportOnnx").isVisible()
    monkeypatch.setattr(ModelStore, "has_export", lambda self, model_id: True)
    step.refresh()
    assert not find(step, QPushButton, "exportOnnx").isVisible()
