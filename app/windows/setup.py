"""First run, step by step: the vault folder, a passphrase, the keyring, the authenticator and recovery
code, and a speech model.

``Session.create`` runs when the user leaves the keyring step, and leaves the
vault unlocked; the dialog is accepted only once the authenticator is
confirmed, the recovery code acknowledged, and a model imported, downloaded or
skipped for now. The vault folder starts as the one the session was built with;
"Choose folder…" moves the session to another (``Session.move_to``) before the
vault is made, and ``remember_folder`` records it for the next start.

Every step has one default button, the one that goes on: Enter never cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import show_error
from app.i18n import tr
from app.tasks import Task, VaultWorker
from app.widgets.controls import button as make_button
from app.widgets.enrolment import EnrolmentView
from app.widgets.passphrase import NewPassphrase
from app.windows.dialog import MessageLabel, VaultDialog
from core.asr.engine import DEFAULT_DIARIZER_ID, DEFAULT_MODEL_ID
from core.errors import BadInput, VaultScribeError
from core.progress import CancelToken
from core.security.keystore import REAL_BACKENDS
from core.security.strength import DEFAULT_MIN_SCORE
from core.session import Enrolment, Session
from models.manifest import MANIFEST, ModelSpec

STEPS = 5
ERROR_STYLE = "color: #b03a2e;"


def _button(text: str, name: str, slot: Callable[[], Any], accessible: str) -> QPushButton:
    return make_button(text, name, slot, accessible=accessible)


def _wrapped(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def _step(number: int, title: str) -> QLabel:
    return QLabel("<h3>{}</h3>".format(tr("Step {n} of {total}: {title}").format(n=number, total=STEPS, title=title)))


def _row(*widgets: QWidget | None) -> QHBoxLayout:
    """Buttons in a row; None is the stretch between the left and the right ones."""
    row = QHBoxLayout()
    for widget in widgets:
        if widget is None:
            row.addStretch()
        else:
            row.addWidget(widget)
    return row


def size_text(size_bytes: int) -> str:
    return QLocale().formattedDataSize(size_bytes, 1, QLocale.DataSizeFormat.DataSizeSIFormat)


def kind_text(spec: ModelSpec) -> str:
    """What a model is for, in the user's words: a speaker model never transcribes."""
    return tr("Speakers") if spec.kind == "diarization" else tr("Speech")


def model_label(spec: ModelSpec) -> str:
    """A model's id, marked when it tells speakers apart rather than transcribing."""
    return spec.id + tr(" (speakers)") if spec.kind == "diarization" else spec.id


def keyring_name(description: str) -> str | None:
    """A person's name for a real keyring backend, or None when it is not one VaultScribe trusts."""
    names = {
        "keyring.backends.SecretService.Keyring": tr("Secret Service (GNOME Keyring, KWallet or KeePassXC)"),
        "keyring.backends.libsecret.Keyring": tr("Secret Service through libsecret (GNOME Keyring)"),
        "keyring.backends.kwallet.DBusKeyring": tr("KDE Wallet (KWallet)"),
        "keyring.backends.kwallet.DBusKeyringKWallet4": tr("KDE Wallet 4 (KWallet)"),
        "keyring.backends.macOS.Keyring": tr("macOS Keychain"),
        "keyring.backends.Windows.WinVaultKeyring": tr("Windows Credential Manager"),
    }
    return names.get(description) if description in REAL_BACKENDS else None


def _where(session: Session) -> tuple[str, str]:
    """The vault folder and the keystore's description."""
    return str(session.paths.root), session.keystore_description


class ModelStep(QWidget):
    """Lists the models and imports or downloads one, as a task with progress and cancel.

    Model files are the model store's business, not the vault's: the work runs on
    the jobs thread (``worker.task``) and never touches the session. Speech models
    transcribe; speaker (diarization) models only tell voices apart, so one of those
    is never made the speech model, and finishing needs a speech model.

    The first-run dialog shows it as its last step; Settings shows it alone
    (``in_setup=False``: no step heading, no skip, and "Close").
    """

    def __init__(
        self,
        worker: VaultWorker,
        *,
        models_dir: Path | None = None,
        on_finished: Callable[[], None],
        store_factory: Callable[[Path], Any] | None = None,  # None: models.store.ModelStore
        manifest: tuple[ModelSpec, ...] = MANIFEST,
        in_setup: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("modelStep")
        self._in_setup = in_setup
        self._worker = worker
        self._models_dir = models_dir
        self._on_finished = on_finished
        self.store_factory = store_factory
        self._manifest = manifest
        self.task: Task[Any] | None = None
        self._installed_ids: set[str] = set()
        self._in_use: tuple[str, ...] = ()  # the speech and speaker models transcription would use
        self._task_kind = ""

        self.models = QTreeWidget()
        self.models.setObjectName("modelList")
        self.models.setAccessibleName(tr("Speech and speaker models"))
        self.models.setHeaderLabels([tr("Model"), tr("Used for"), tr("Size"), tr("Status")])
        self.models.setRootIsDecorated(False)
        self.models.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.models.setMinimumHeight(100)
        self.folder = _wrapped("", "modelsFolder")
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.import_button = _button(
            tr("&Import a .nemo file…"), "importModel", self._import, tr("Import a model file")
        )
        self.import_button.setToolTip(tr("Import a model file you already have (Alt+I)"))
        self.download_choice = QComboBox()
        self.download_choice.setObjectName("downloadChoice")
        self.download_choice.setAccessibleName(tr("Model to download"))
        for spec in self._downloadable():
            self.download_choice.addItem(model_label(spec), spec.id)
            self.download_choice.setItemData(
                self.download_choice.count() - 1, spec.description, Qt.ItemDataRole.ToolTipRole
            )
        self.download_choice.currentIndexChanged.connect(self._update)
        self.consent = QCheckBox(tr("I agree to download this model from Hugging Face"))
        self.consent.setObjectName("downloadConsent")
        self.consent.setAccessibleName(tr("Agree to download the model from the internet"))
        self.consent.toggled.connect(self._update)
        consent_note = _wrapped(
            tr(
                "This is the only time VaultScribe uses the network: nothing about you or your recordings is "
                "sent. The file is checked against its published SHA-256 before it is first used."
            )
        )
        self.download_button = _button("", "downloadModel", self._download, tr("Download the model"))
        self.progress = QProgressBar()
        self.progress.setObjectName("modelProgress")
        self.progress.setAccessibleName(tr("Model progress"))
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.cancel_button = _button(
            tr("Cancel"), "cancelModel", self.cancel, tr("Cancel the model import or download")
        )
        self.cancel_button.hide()
        self.onnx_button = _button(
            tr("Make the fast &CPU version (ONNX)"),
            "exportOnnx",
            self._export_onnx,
            tr("Make the fast CPU version of the speech model (ONNX)"),
        )
        self.onnx_button.setToolTip(tr("This computer has no NVIDIA GPU: a faster version for its processor"))
        self._exportable: str | None = None  # an installed speech model with no fast CPU version yet
        self.message = MessageLabel("modelMessage", style="")
        self.skip_button = _button(tr("S&kip for now"), "skipModel", self._finish, tr("Skip the model for now"))
        self.skip_button.setToolTip(tr("You can import or download a model later in Settings"))
        done = tr("Finish") if in_setup else tr("Close")
        self.done_button = _button(done, "modelDone", self._finish, done)
        self.done_button.setDefault(True)

        layout = QVBoxLayout(self)
        if in_setup:
            layout.addWidget(_step(5, tr("a speech model")))
        layout.addWidget(
            _wrapped(
                tr(
                    "VaultScribe transcribes on this computer with a speech model file of about 2.5 GB. "
                    "Import a file you have, or download one once. You can also do this later in Settings."
                )
                if in_setup
                else tr("VaultScribe transcribes on this computer with a speech model file of about 2.5 GB.")
            )
        )
        layout.addWidget(
            _wrapped(
                tr(
                    'Speaker models (marked "speakers") do not transcribe: they tell who spoke when, if you turn '
                    "that on in Settings. They are optional."
                ),
                "speakerModelsNote",
            )
        )
        layout.addWidget(self.models)
        layout.addWidget(self.folder)
        layout.addLayout(_row(self.import_button, None))
        layout.addSpacing(8)
        layout.addLayout(_row(self.download_choice, None))
        layout.addWidget(self.consent)
        layout.addWidget(consent_note)
        layout.addLayout(_row(self.download_button, None))
        layout.addLayout(_row(self.onnx_button, None))
        layout.addLayout(_row(self.progress, self.cancel_button))
        layout.addWidget(self.message)
        layout.addStretch()
        layout.addLayout(_row(self.skip_button, None, self.done_button))
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        # Asked when shown, not when built: the set-up builds this step first and shows it last, and its
        # earlier steps' vault calls should not wait behind this one.
        super().showEvent(event)
        self._load_in_use()

    # -- state -------------------------------------------------------------------

    # models.store pulls in urllib and http.client: imported when the step needs it, not at start-up.
    @property
    def models_dir(self) -> Path:
        if self._models_dir is not None:
            return self._models_dir
        from models.store import default_models_dir

        return default_models_dir()

    def _factory(self) -> Callable[[Path], Any]:
        if self.store_factory is not None:
            return self.store_factory
        from models.store import system_store  # shaped by the administrator's policy

        return system_store

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done

    def _downloadable(self) -> list[ModelSpec]:
        return [spec for spec in self._manifest if spec.url is not None and not spec.test_model]

    def installed(self) -> list[tuple[ModelSpec, Path]]:
        folder = self.models_dir
        if not folder.is_dir():  # the store creates its folder; do not, just to look
            return []
        result: list[tuple[ModelSpec, Path]] = self._factory()(folder).installed()
        return result

    def refresh(self) -> None:
        installed = {spec.id for spec, _ in self.installed()}
        self.models.clear()
        for spec in self._manifest:
            if spec.test_model and spec.id not in installed:
                continue  # the test model is listed only when someone put it there
            if spec.id not in installed:
                status = tr("Not installed")
            else:
                status = tr("Installed, in use") if spec.id in self._in_use else tr("Installed")
            item = QTreeWidgetItem([spec.id, kind_text(spec), size_text(spec.size_bytes), status])
            item.setToolTip(0, spec.description)
            item.setData(0, Qt.ItemDataRole.UserRole, spec.id)
            self.models.addTopLevelItem(item)
        for column in range(self.models.columnCount()):
            self.models.resizeColumnToContents(column)
        self.folder.setText(tr("Model folder: {path}").format(path=self.models_dir))
        self._installed_ids = installed
        self._exportable = self._without_export(installed)
        chosen = self._chosen()
        if chosen is not None and chosen.id in installed:  # offer one still to get, not one already here
            for index in range(self.download_choice.count()):
                if self.download_choice.itemData(index) not in installed:
                    self.download_choice.setCurrentIndex(index)
                    break
        self._update()

    def _load_in_use(self) -> None:
        """Ask the session which models transcription would use (the settings', else the defaults)."""

        def in_use(s: Session) -> tuple[str, ...]:
            return (str(s.setting("model")) or DEFAULT_MODEL_ID, str(s.setting("diarizer")) or DEFAULT_DIARIZER_ID)

        self._worker.op(self, in_use).success(self._show_in_use).run()

    def _show_in_use(self, model_ids: tuple[str, ...]) -> None:
        if model_ids != self._in_use:
            self._in_use = model_ids
            self.refresh()

    def _chosen(self) -> ModelSpec | None:
        return self._spec(self.download_choice.currentData())

    def _spec(self, model_id: object) -> ModelSpec | None:
        return next((spec for spec in self._manifest if spec.id == model_id), None)

    @property
    def has_speech_model(self) -> bool:
        """Whether a model that transcribes is installed: a speaker model alone cannot."""
        return any(spec.kind == "asr" for spec in map(self._spec, self._installed_ids) if spec is not None)

    def _update(self) -> None:
        spec = self._chosen()
        if spec is not None:
            self.download_button.setText(
                tr("&Download {model} ({size}) from Hugging Face").format(
                    model=spec.id, size=size_text(spec.size_bytes)
                )
            )
        else:
            self.download_button.setText(tr("&Download"))
        running = self.running
        self.download_button.setEnabled(spec is not None and self.consent.isChecked() and not running)
        self.download_choice.setEnabled(not running)
        self.import_button.setEnabled(not running)
        self.skip_button.setEnabled(not running)
        self.done_button.setEnabled(not running and (self.has_speech_model or not self._in_setup))
        self.skip_button.setVisible(self._in_setup and not self.has_speech_model)
        self.onnx_button.setVisible(self._exportable is not None)
        self.onnx_button.setEnabled(not running)

    def _without_export(self, installed: set[str]) -> str | None:
        """The speech model (the one in use first) to offer a fast CPU version of: only on a machine with
        no NVIDIA GPU, and only while the store records no export of that very file."""
        speech = [s.id for s in self._manifest if s.kind == "asr" and s.id in installed]
        if not speech:
            return None
        from models.loader import no_nvidia_gpu

        if not no_nvidia_gpu():
            return None
        store = self._factory()(self.models_dir)
        speech.sort(key=lambda model_id: model_id not in self._in_use)
        return next((m for m in speech if not getattr(store, "has_export", lambda _m: False)(m)), None)

    # -- work --------------------------------------------------------------------

    def _import(self) -> None:
        if self.running:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Import a speech model"), str(Path.home()), tr("NeMo models (*.nemo)")
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Import ``path`` into the models folder as a task (hashing a 2.5 GB file takes a while)."""
        folder, factory, source = self.models_dir, self._factory(), Path(path)
        self._start(
            "import",
            tr("Importing the model {name}").format(name=source.name),
            lambda _s, report, cancel: [
                spec.id for spec in factory(folder).import_file(source, progress=report, cancel=cancel)
            ],
        )

    def _download(self) -> None:
        spec = self._chosen()
        if spec is None or not self.consent.isChecked() or self.running:
            return
        folder, factory = self.models_dir, self._factory()
        self._start(
            "download",
            tr("Downloading the model {name}").format(name=spec.id),
            partial(_download, factory, folder, spec),
        )

    def _export_onnx(self) -> None:
        """One call into the core (``session.jobs.make_onnx_export``) on the jobs thread; the step only
        shows its progress, and Cancel ends the model child that exports."""
        model_id = self._exportable
        if model_id is None or self.running:
            return

        def work(s: Session, report: Callable[..., None], cancel: CancelToken) -> list[str]:
            s.jobs.make_onnx_export(model_id, progress=report, cancel=cancel)
            return []  # nothing newly installed for the settings to take

        self._start("export", tr("Making the fast CPU version of {model}").format(model=model_id), work)

    def _start(self, kind: str, title: str, fn: Callable[..., Any]) -> None:
        self.message.setStyleSheet("")
        self.message.setText(title + "…")
        self._task_kind = kind
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.task = self._worker.task(title, fn)
        # only now: worker.task announces the new task, and a listener that still saw the last one (done)
        # would remove itself, so a second install in this step would never show its progress or result
        self._worker.on_tasks_changed(self._tasks_changed)
        self.task.on_failed(self._failed)
        self.task.on_done(self._use_installed)
        self._update()

    def _use_installed(self, model_ids: list[str]) -> None:
        """Make the model just installed the one transcription uses, unless the chosen one is installed:
        a speech model as the speech model, a speaker model as the speaker model, never one as the other."""
        specs = [spec for spec in map(self._spec, model_ids) if spec is not None]
        speech = next((spec.id for spec in specs if spec.kind == "asr"), None)
        speakers = next((spec.id for spec in specs if spec.kind == "diarization"), None)
        if speech is None and speakers is None:
            return
        installed = {spec.id for spec, _ in self.installed()}

        def choose(s: Session) -> None:
            changes: dict[str, str] = {}
            if speech is not None and (str(s.config.get("model")) or DEFAULT_MODEL_ID) not in installed:
                changes["model"] = speech
            if speakers is not None and (str(s.config.get("diarizer")) or DEFAULT_DIARIZER_ID) not in installed:
                changes["diarizer"] = speakers
            changes = {k: v for k, v in changes.items() if not s.policy.locks(k)}
            if changes:
                s.update_config(changes)

        self._worker.op(self, choose).success(lambda _: self._load_in_use()).run()

    def cancel(self) -> None:
        if self.task is not None and self.running:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.message.setText(tr("Cancelling…"))

    def _tasks_changed(self) -> None:
        if not shiboken6.isValid(self):
            self._worker.remove_tasks_listener(self._tasks_changed)
            return
        task = self.task
        if task is None:
            return
        self.progress.setValue(round(task.fraction * 1000))
        if not task.done:
            return
        self._worker.remove_tasks_listener(self._tasks_changed)
        self.progress.hide()
        self.cancel_button.hide()
        if task.state == "done":
            self.message.setText(
                tr("The fast CPU version is made and verified.")
                if self._task_kind == "export"
                else tr("The model is installed and verified.")
            )
        elif task.state == "cancelled":
            self.message.setText(
                tr("Cancelled: no fast CPU version was made.")
                if self._task_kind == "export"
                else tr("Download cancelled. What was downloaded is kept, and the next download resumes from there.")
                if self._task_kind == "download"
                else tr("Import cancelled: nothing was imported.")
            )
        self.refresh()

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(
            tr("The fast CPU version was not made.")
            if self._task_kind == "export"
            else tr("The model was not installed.")
        )
        show_error(self, exc)

    def _finish(self) -> None:
        if not self.running:
            self._on_finished()


def _download(
    factory: Callable[[Path], Any], folder: Path, spec: ModelSpec, _s: Session, report: Any, cancel: Any
) -> list[str]:
    factory(folder).download(spec, consent=True, progress=report, cancel=cancel)
    return [spec.id]


class SetupDialog(VaultDialog):
    def __init__(
        self,
        worker: VaultWorker,
        *,
        min_passphrase_length: int,
        min_passphrase_score: int = DEFAULT_MIN_SCORE,
        models_dir: Path | None = None,
        remember_folder: Callable[[Path], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(worker, parent)
        self.setObjectName("setupDialog")
        self.setWindowTitle(tr("Set up VaultScribe"))
        self.keystore_description = ""
        self._remember_folder = remember_folder
        self._folder_chosen = False
        self._defaults: dict[QWidget, QPushButton] = {}  # each page's button that goes on

        # -- 1. where the vault lives
        self.location = _wrapped("…", "vaultLocation")
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setAccessibleName(tr("Vault folder"))
        self.location_message = MessageLabel("locationMessage")
        self.location_next = _button(tr("&Next"), "locationNext", self._to_passphrase, tr("Next"))
        self.location_page = self.build_page(
            _step(1, tr("where your vault lives")),
            _wrapped(
                tr(
                    "Recordings and transcripts are kept encrypted in one folder. Opening them takes your "
                    "passphrase, this computer's keyring and a code from your authenticator app."
                )
            ),
            QLabel("<b>{}</b>".format(tr("Vault folder"))),
            self.location,
            _row(
                _button(tr("C&hoose folder…"), "chooseFolder", self._choose_folder, tr("Choose the vault folder")),
                None,
            ),
            self.location_message,
            _wrapped(
                tr(
                    "To keep the vault somewhere else, for example on an encrypted disk, choose another folder. "
                    "VaultScribe opens it from then on; another vault can be opened with: "
                    "vaultscribe-gui --vault FOLDER"
                ),
                "locationHint",
            ),
            _row(
                _button(tr("Cancel"), "cancelButton", self.reject, tr("Cancel set-up")),
                None,
                self.location_next,
            ),
        )

        # -- 2. the passphrase
        self.new_passphrase = NewPassphrase(
            min_length=min_passphrase_length, min_score=min_passphrase_score, on_changed=self._update
        )
        self.passphrase_message = MessageLabel("passphraseMessage")
        self.passphrase_next = _button(tr("&Next"), "passphraseNext", self._to_keyring, tr("Next"))
        self.passphrase_page = self.build_page(
            _step(2, tr("your passphrase")),
            _wrapped(
                tr(
                    "Choose a passphrase you use nowhere else. It cannot be reset: if you forget it, only the "
                    "recovery code you get at the end opens the vault."
                )
            ),
            self.new_passphrase,
            self.passphrase_message,
            _row(
                _button(tr("&Back"), "passphraseBack", lambda: self._go(self.location_page), tr("Back")),
                None,
                self.passphrase_next,
            ),
        )

        # -- 3. the keyring, then create
        self.keyring = _wrapped("…", "keyringBackend")
        self.keyring.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keyring_help = _wrapped("", "keyringHelp")
        self.message = MessageLabel("setupMessage", style="")
        self.create_button = _button(tr("&Create vault"), "createButton", self._create, tr("Create the vault"))
        self.keyring_page = self.build_page(
            _step(3, tr("this computer's keyring")),
            _wrapped(
                tr(
                    "A secret for this vault is kept in the operating system's keyring, so the vault files "
                    "alone, copied to another computer, cannot be opened with the passphrase."
                )
            ),
            self.keyring,
            self.keyring_help,
            self.message,
            _row(
                _button(tr("&Back"), "keyringBack", lambda: self._go(self.passphrase_page), tr("Back")),
                None,
                self.create_button,
            ),
        )

        # -- 4. authenticator and recovery code
        self.enrolment = EnrolmentView(
            worker,
            on_finished=self._to_models,
            heading=_step(4, tr("your second factor")),
            done_text=tr("&Next"),
        )
        self.add_page(self.enrolment)

        # -- 5. a speech model
        self.models = ModelStep(worker, models_dir=models_dir, on_finished=self.accept)
        self.add_page(self.models)

        self._defaults = {
            self.location_page: self.location_next,
            self.passphrase_page: self.passphrase_next,
            self.keyring_page: self.create_button,
            self.enrolment: self.enrolment.finish_button,
            self.models: self.models.done_button,
        }
        # Enter presses the page's default button only: in a dialog every push button is an "auto default"
        # one, so Enter on a focused Cancel or Back would press it instead.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        self.setMinimumWidth(560)
        self._go(self.location_page)
        self._update()
        self.worker.op(self, _where).success(self._show_where).failure(lambda exc: show_error(self, exc)).run()

    def show_page(self, page: QWidget) -> None:
        super().show_page(page)
        default = self._defaults.get(page)
        if default is not None:
            default.setDefault(True)

    def _go(self, page: QWidget) -> None:
        """Show a step with the focus where the user goes on: its first box, or else its default button."""
        self.show_page(page)
        target: QWidget | None = {self.passphrase_page: self.new_passphrase.first}.get(page, self._defaults.get(page))
        if target is not None:
            target.setFocus()

    # -- steps --------------------------------------------------------------------

    def _show_where(self, where: tuple[str, str]) -> None:
        vault_dir, keystore = where
        self.location.setText(vault_dir)
        self.keystore_description = keystore
        name = keyring_name(keystore)
        if name is not None:
            self.keyring.setText(tr("✔ The device secret will be kept in: {name}").format(name=name))
            self.keyring_help.setText(
                tr("Keep this keyring locked with your login: it unlocks when you log in to this computer.")
            )
        else:
            self.keyring.setText(tr("⚠ No system keyring VaultScribe trusts was found ({name}).").format(
                name=keystore or tr("none")
            ))  # fmt: skip
            self.keyring_help.setText(
                tr(
                    "VaultScribe keeps its device secret only in the operating system's keyring, never in a "
                    "file. On Linux install GNOME Keyring ('sudo apt install gnome-keyring') or use KWallet, "
                    "then log out and in again. On macOS the Keychain, and on Windows the Credential Manager, "
                    "are used without any set-up."
                )
            )

    def _choose_folder(self) -> None:
        if self.is_busy:
            return
        current = Path(self.location.text())
        start = current if current.is_dir() else current.parent if current.parent.is_dir() else Path.home()
        folder = QFileDialog.getExistingDirectory(self, tr("Choose the vault folder"), str(start))
        if not folder:
            return
        root = Path(folder)
        self.location_message.clear()

        def move(s: Session) -> tuple[str, str]:
            s.move_to(root)
            return _where(s)

        self.run_op(move, self._moved, self._move_failed)

    def _moved(self, where: tuple[str, str]) -> None:
        self._folder_chosen = True
        self._show_where(where)
        self.location_next.setFocus()

    def _move_failed(self, exc: Exception) -> None:
        if isinstance(exc, VaultScribeError):
            self.location_message.setText(str(exc))
        else:
            show_error(self, exc)

    def _update(self) -> None:
        acceptable = self.new_passphrase.is_acceptable()
        self.passphrase_next.setEnabled(acceptable)
        self.create_button.setEnabled(acceptable)

    def _to_passphrase(self) -> None:
        self._go(self.passphrase_page)
        self.new_passphrase.first.setFocus()

    def _to_keyring(self) -> None:
        if self.new_passphrase.is_acceptable():
            self.passphrase_message.clear()
            self._go(self.keyring_page)

    def _create(self) -> None:
        if not self.new_passphrase.is_acceptable() or self.is_busy:
            return
        passphrase = self.new_passphrase.passphrase()
        self.message.setStyleSheet("")
        self.message.setText(tr("Creating the vault…"))
        remember = self._remember_folder if self._folder_chosen else None

        def create(s: Session) -> Enrolment:
            enrolment = s.create(passphrase)
            if remember is not None:
                remember(s.paths.root)  # where the next start looks, now that a vault is there
            return enrolment

        self.run_op(create, self._created, self._failed)

    def _created(self, enrolment: Enrolment) -> None:
        self.new_passphrase.first.clear()
        self.new_passphrase.second.clear()
        self.message.clear()
        self.setWindowTitle(tr("Set up VaultScribe: step 4 of 5, your second factor"))
        self.enrolment.show_enrolment(enrolment)
        self.show_page(self.enrolment)

    def _failed(self, exc: Exception) -> None:
        self.message.clear()
        if isinstance(exc, BadInput):
            self._go(self.passphrase_page)
            self.passphrase_message.setText(str(exc))
        else:
            show_error(self, exc)

    def _to_models(self) -> None:
        self.setWindowTitle(tr("Set up VaultScribe: step 5 of 5, a speech model"))
        self.models.refresh()
        self.show_page(self.models)

    def reject(self) -> None:
        # The recovery code is shown only now: without it a lost authenticator locks the user out.
        if self.current_page is self.enrolment and not self.enrolment.stored.isChecked():
            self.enrolment.stored.setFocus()
            return
        if self.current_page is self.models:
            # The vault is ready; closing this step is "skip for now", once no import or download runs.
            if self.models.running:
                self.models.cancel_button.setFocus()
                return
            self.accept()
            return
        super().reject()
