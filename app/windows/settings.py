"""Settings: idle lock and theme, speech model, device and vocabulary boost, speakers, microphone, and what
redaction finds.

Plain settings live in the config file beside the vault (``s.update_config``,
validated all together); the redaction types and the user's own terms live
inside the encrypted vault. Both are saved in one worker op. The vault values
load when the dialog opens; the Redaction tab stays disabled until they are
in. ``lock_setting`` is the hook for an administrator's policy: the control
is disabled and says that the organisation manages it.

The speech combo offers only speech (asr) models and the speaker combo only
speaker (diarization) models: the loader refuses one in the other's place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.errors import show_error
from app.i18n import tr
from app.windows.dialog import MessageLabel
from core.asr.engine import DEFAULT_BOOST_WEIGHT, DEFAULT_DIARIZER_ID, DEFAULT_MODEL_ID
from core.config import option
from core.errors import BadInput
from core.redaction.types import ENTITY_TYPES
from models.manifest import MANIFEST, ModelSpec

MANAGED = "Managed by your organization"

_ENTITY_LABELS = {
    "NAME": "Names",
    "ADDRESS": "Addresses",
    "DATE": "Dates",
    "AGE": "Ages",
    "PHONE": "Phone numbers",
    "FAX": "Fax numbers",
    "EMAIL": "Email addresses",
    "URL": "Web addresses",
    "IP_ADDRESS": "IP addresses",
    "SSN": "Social security numbers",
    "MEDICAL_RECORD_NUMBER": "Medical record numbers",
    "HEALTH_PLAN_ID": "Health plan ids",
    "ACCOUNT_NUMBER": "Account numbers",
    "CREDIT_DEBIT_NUMBER": "Card numbers",
    "CREDIT_DEBIT_CVV": "Card security codes",
    "CREDIT_DEBIT_EXPIRY": "Card expiry dates",
    "PIN": "PINs",
    "LICENSE_NUMBER": "Licence numbers",
    "VEHICLE_ID": "Vehicle ids",
    "DEVICE_ID": "Device ids",
}


def _named(widget: QWidget, name: str, accessible: str) -> Any:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def _installed_model_ids(ctx: AppContext) -> set[str] | None:
    """Ids of the model files present (a directory listing, no hashing); None if the folder cannot be read."""
    from models.store import ModelStore, default_models_dir

    try:
        store = ModelStore(ctx.models_dir or default_models_dir(), policy=ctx.policy)
        return {spec.id for spec, _path in store.installed()}
    except Exception:  # noqa: BLE001 - only a note in the dialog depends on it
        return None


def _fill_models(
    box: QComboBox, specs: list[ModelSpec], default_id: str, installed: set[str] | None, current: str
) -> None:
    """The default, then each model of one kind, marked when installed; ``current`` stays selected."""
    mark = tr(" (installed)")
    box.clear()
    default_mark = mark if installed and default_id in installed else ""
    box.addItem(tr("Default ({model})").format(model=default_id) + default_mark, "")
    for spec in specs:
        box.addItem(spec.id + (mark if installed and spec.id in installed else ""), spec.id)
        box.setItemData(box.count() - 1, spec.description, Qt.ItemDataRole.ToolTipRole)
    _select(box, current, missing=tr("{value} (unknown)"))


class SettingsDialog(QDialog):
    def __init__(
        self, ctx: AppContext, *, on_saved: Callable[[], None] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(tr("Settings"))
        self._ctx = ctx
        self._on_saved = on_saved
        self._vault_loaded = False
        self._saving = False
        self._locked: dict[str, str] = {}
        config = ctx.config

        # -- General
        self.auto_lock = _named(QSpinBox(), "autoLockMinutes", tr("Lock after idle minutes"))
        self.auto_lock.setRange(0, 1440)
        self.auto_lock.setSuffix(tr(" min"))
        self.auto_lock.setSpecialValueText(tr("Never"))
        self.auto_lock.setValue(int(config.get("auto_lock_minutes")))
        self.auto_lock.setToolTip(tr("Lock the vault after this many minutes without activity; 0 never locks"))
        self.theme = _named(QComboBox(), "themeBox", tr("Colour theme"))
        for label, value in ((tr("Same as the system"), "system"), (tr("Light"), "light"), (tr("Dark"), "dark")):
            self.theme.addItem(label, value)
        _select(self.theme, str(config.get("theme")))
        self.paper = _named(QComboBox(), "paperBox", tr("Paper size of exported documents"))
        for label, value in ((tr("From the language settings"), "auto"), (tr("A4"), "a4"), (tr("Letter"), "letter")):
            self.paper.addItem(label, value)
        _select(self.paper, str(config.get("paper_size")))
        general = QFormLayout()
        general.addRow(tr("Lock after"), self.auto_lock)
        general.addRow(tr("Theme"), self.theme)
        general.addRow(tr("Paper"), self.paper)

        # -- Speech
        self.model = _named(QComboBox(), "modelBox", tr("Speech model"))
        self.model_note = QLabel()
        self.model_note.setObjectName("modelNote")
        self.model_note.setWordWrap(True)
        self.asr_device = _named(QComboBox(), "deviceChoice", tr("Where the speech model runs"))
        for label, value in (
            (tr("Automatic (GPU if there is one)"), "auto"),
            (tr("Processor (CPU)"), "cpu"),
            (tr("Graphics card (CUDA)"), "cuda"),
        ):
            self.asr_device.addItem(label, value)
        _select(self.asr_device, str(config.get("asr_device")))
        self.asr_engine = _named(QComboBox(), "engineChoice", tr("Speech engine"))
        for label, value in (
            (tr("Automatic (ONNX Runtime on the processor once the model is exported)"), "auto"),
            (tr("NeMo"), "nemo"),
            (tr("ONNX Runtime, int8 (processor only; exports the model first)"), "onnx"),
        ):
            self.asr_engine.addItem(label, value)
        _select(self.asr_engine, str(config.get("asr_engine")))
        self.boost_weight = _named(QDoubleSpinBox(), "boostWeight", tr("Vocabulary boost weight"))
        weight_option = option("vocabulary_boost_weight")
        # one step below the option's minimum stands for None: the engine's measured default
        self.boost_weight.setRange(float(weight_option.minimum or 0.1) - 0.1, float(weight_option.maximum or 20.0))
        self.boost_weight.setSingleStep(0.1)
        self.boost_weight.setDecimals(1)
        self.boost_weight.setSpecialValueText(tr("Engine default ({weight})").format(weight=DEFAULT_BOOST_WEIGHT))
        weight = ctx.policy.effective("vocabulary_boost_weight", config.get("vocabulary_boost_weight"))
        self.boost_weight.setValue(self.boost_weight.minimum() if weight is None else float(weight))
        self.boost_weight.setToolTip(
            tr(
                "How strongly transcription favours the phrases of your vocabulary. Higher finds more of them "
                "but may put them where they were not said; the engine's default was chosen by measurement."
            )
        )
        self.diarize = _named(
            QCheckBox(tr("Tell speakers apart when transcribing")), "diarizeBox", tr("Tell speakers apart")
        )
        self.diarize.setChecked(bool(config.get("diarize")))
        self.diarize.setToolTip(
            tr(
                "Each word gets its speaker (Speaker 1, Speaker 2, …), which you can then name. It needs a "
                "speaker model, and transcribing takes a little longer."
            )
        )
        self.diarizer = _named(QComboBox(), "diarizerBox", tr("Speaker model"))
        self.diarizer_note = QLabel()
        self.diarizer_note.setObjectName("diarizerNote")
        self.diarizer_note.setWordWrap(True)
        self.manage_models = _named(QPushButton(tr("Models…")), "manageModels", tr("Import or download models"))
        self.manage_models.setToolTip(tr("Import or download a speech or speaker model"))
        self.manage_models.clicked.connect(self.open_models)
        self.models_dialog: QDialog | None = None
        self._show_models(str(config.get("model")), str(config.get("diarizer")))
        self.diarize.toggled.connect(self._speakers_changed)
        self.diarizer.currentIndexChanged.connect(self._speakers_changed)
        speech = QFormLayout()
        speech.addRow(tr("Model"), self.model)
        speech.addRow("", self.model_note)
        speech.addRow(tr("Runs on"), self.asr_device)
        speech.addRow(tr("Engine"), self.asr_engine)
        speech.addRow(tr("Vocabulary boost"), self.boost_weight)
        speech.addRow(tr("Speakers"), self.diarize)
        speech.addRow(tr("Speaker model"), self.diarizer)
        speech.addRow("", self.diarizer_note)
        speech.addRow("", self.manage_models)

        # -- Recording
        self.input_device = _named(QComboBox(), "inputDeviceBox", tr("Microphone"))
        self.input_device.addItem(tr("System default"), "")
        try:
            names = [d.name for d in ctx.list_input_devices()]
        except Exception:  # noqa: BLE001 - no audio system: the default entry is all there is
            names = []
        for name in dict.fromkeys(names):
            self.input_device.addItem(name, name)
        _select(self.input_device, str(config.get("input_device")), missing=tr("{value} (not connected)"))
        recording = QFormLayout()
        recording.addRow(tr("Microphone"), self.input_device)

        # -- Redaction (vault values: loaded below)
        self.entities = _named(QListWidget(), "entityList", tr("Personal details to find"))
        for entity in ENTITY_TYPES:
            item = QListWidgetItem(tr(_ENTITY_LABELS.get(entity, entity)))
            item.setData(Qt.ItemDataRole.UserRole, entity)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.entities.addItem(item)
        self.terms = _named(QPlainTextEdit(), "termsEdit", tr("Terms always redacted"))
        self.terms.setPlaceholderText(tr("One per line: names of patients, sources, staff…"))
        self.terms.setTabChangesFocus(True)
        terms_note = QLabel(
            tr(
                "These terms are always redacted (as names), whatever types are chosen above. They are stored "
                "encrypted inside the vault, never in the settings file."
            )
        )
        terms_note.setWordWrap(True)
        redaction = QVBoxLayout()
        redaction.addWidget(QLabel(tr("Find these kinds of personal details by default:")))
        redaction.addWidget(self.entities)
        redaction.addWidget(QLabel(tr("Your own terms:")))
        redaction.addWidget(self.terms)
        redaction.addWidget(terms_note)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.tabs.setAccessibleName(tr("Settings sections"))
        self.redaction_page = self._tab(redaction, tr("Redaction"))
        self._tab(general, tr("General"), index=0)
        self._tab(speech, tr("Speech"), index=1)
        self._tab(recording, tr("Recording"), index=2)
        self.tabs.setCurrentIndex(0)
        self.redaction_page.setEnabled(False)

        self.message = MessageLabel("settingsMessage")
        buttons = QDialogButtonBox()
        self.save_button: QPushButton = buttons.addButton(tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        _named(self.save_button, "saveSettings", tr("Save settings"))
        self.save_button.setDefault(True)
        self.save_button.setShortcut(QKeySequence("Ctrl+S"))
        self.save_button.setToolTip(tr("Save and close (Ctrl+S)"))
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        _named(self.cancel_button, "cancelSettings", tr("Cancel"))
        self.cancel_button.setToolTip(tr("Close without saving (Esc)"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

        self._controls: dict[str, QWidget] = {
            "auto_lock_minutes": self.auto_lock,
            "theme": self.theme,
            "paper_size": self.paper,
            "model": self.model,
            "asr_device": self.asr_device,
            "asr_engine": self.asr_engine,
            "vocabulary_boost_weight": self.boost_weight,
            "diarize": self.diarize,
            "diarizer": self.diarizer,
            "input_device": self.input_device,
            "redaction.entities": self.entities,
            "redaction.terms": self.terms,
        }
        for key in list(self._controls):
            if ctx.policy.locks(key):
                self.lock_setting(key)
        self._speakers_changed()
        self.save_button.setEnabled(False)
        ctx.worker.op(self, lambda s: (s.review.redaction_entities(), s.review.redaction_terms())).success(
            self._show_vault_values
        ).failure(self._load_failed).run()

    def _tab(self, layout: Any, title: str, *, index: int | None = None) -> QWidget:
        page = QWidget()
        page.setLayout(layout)
        if index is None:
            self.tabs.addTab(page, title)
        else:
            self.tabs.insertTab(index, page, title)
        return page

    # -- models ---------------------------------------------------------------------

    def _show_models(self, model: str, diarizer: str) -> None:
        """Fill both model combos, marking what the models folder holds now."""
        installed = _installed_model_ids(self._ctx)
        speech = [spec for spec in MANIFEST if spec.kind == "asr"]
        speakers = [spec for spec in MANIFEST if spec.kind == "diarization"]
        _fill_models(self.model, speech, DEFAULT_MODEL_ID, installed, model)
        _fill_models(self.diarizer, speakers, DEFAULT_DIARIZER_ID, installed, diarizer)
        self._installed = installed
        installed_speech = sorted(s.id for s in speech if installed and s.id in installed)
        if installed is None:
            text = tr("Could not read the models folder to see which models are installed.")
        elif installed_speech:
            text = tr("Installed: {models}.").format(models=", ".join(installed_speech))
        else:
            text = tr("No speech model is installed yet: import or download one (Models…) before transcribing.")
        self.model_note.setText(text)

    def _speakers_changed(self) -> None:
        on = self.diarize.isChecked()
        self.diarizer.setEnabled(on and "diarizer" not in self._locked)
        chosen = str(self.diarizer.currentData()) or DEFAULT_DIARIZER_ID
        missing = on and self._installed is not None and chosen not in self._installed
        self.diarizer_note.setText(
            tr("{model} is not installed: download or import it with Models… before transcribing.").format(
                model=chosen
            )
            if missing
            else ""
        )

    def open_models(self) -> None:
        """Import or download models. Once closed, the combos mark what is installed and show any model
        the step made the configured one (it changes the settings itself, and Save must not undo that)."""
        from app.windows.model_manager import ModelsDialog

        before = (str(self._ctx.config.get("model")), str(self._ctx.config.get("diarizer")))
        dialog = ModelsDialog(self._ctx, parent=self)
        dialog.finished.connect(lambda _code: self._models_closed(before))
        self.models_dialog = dialog
        dialog.open()

    def _models_closed(self, before: tuple[str, str]) -> None:
        self.models_dialog = None
        # a no-op after the step's own settings change: ops run one at a time, in order
        self._ctx.worker.op(self, lambda _s: None).success(lambda _r: self._models_chosen(before)).run()

    def _models_chosen(self, before: tuple[str, str]) -> None:
        chosen = []
        for key, box, was in (("model", self.model, before[0]), ("diarizer", self.diarizer, before[1])):
            now = str(self._ctx.config.get(key))
            chosen.append(now if now != was else str(box.currentData()))  # else the user's unsaved choice
        self._show_models(*chosen)
        self._speakers_changed()

    # -- loading ------------------------------------------------------------------

    def _show_vault_values(self, values: tuple[list[str] | None, list[str]]) -> None:
        entities, terms = values
        chosen = set(ENTITY_TYPES if entities is None else entities)
        for i in range(self.entities.count()):
            item = self.entities.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.terms.setPlainText("\n".join(terms))
        self._vault_loaded = True
        self.redaction_page.setEnabled(True)
        self.save_button.setEnabled(True)

    def _load_failed(self, exc: Exception) -> None:
        # The plain settings can still be saved; the vault values stay untouched.
        self.message.setText(tr("The redaction settings could not be read: {error}").format(error=str(exc)))
        self.save_button.setEnabled(True)

    # -- values -----------------------------------------------------------------------

    def config_values(self) -> dict[str, Any]:
        """The plain settings the dialog shows now."""
        return {
            "auto_lock_minutes": self.auto_lock.value(),
            "theme": str(self.theme.currentData()),
            "paper_size": str(self.paper.currentData()),
            "model": str(self.model.currentData()),
            "asr_device": str(self.asr_device.currentData()),
            "asr_engine": str(self.asr_engine.currentData()),
            "diarize": self.diarize.isChecked(),
            "diarizer": str(self.diarizer.currentData()),
            "input_device": str(self.input_device.currentData()),
            "vocabulary_boost_weight": self.chosen_boost_weight(),
        }

    def chosen_boost_weight(self) -> float | None:
        """The spin box's weight; None at its lowest step ("Engine default")."""
        value = round(self.boost_weight.value(), 1)
        return None if value <= round(self.boost_weight.minimum(), 1) else value

    def chosen_entities(self) -> list[str] | None:
        """The checked entity types; None when all are checked (which also covers types added later)."""
        chosen = []
        for i in range(self.entities.count()):
            item = self.entities.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                chosen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return None if len(chosen) == len(ENTITY_TYPES) else chosen

    def chosen_terms(self) -> list[str]:
        return [line.strip() for line in self.terms.toPlainText().splitlines() if line.strip()]

    # -- saving -------------------------------------------------------------------------

    def save(self) -> None:
        if self._saving or not self.save_button.isEnabled():
            return
        current = self._ctx.config
        changed = {k: v for k, v in self.config_values().items() if k not in self._locked and current.get(k) != v}
        with_vault = self._vault_loaded
        entities = self.chosen_entities()
        terms = self.chosen_terms()
        if with_vault and entities == []:
            self.message.setText(tr("Choose at least one kind of personal detail to find."))
            self.tabs.setCurrentWidget(self.redaction_page)
            return
        vault_entities = with_vault and "redaction.entities" not in self._locked
        vault_terms = with_vault and "redaction.terms" not in self._locked

        def apply(s: Any) -> None:
            if changed:
                s.update_config(changed)
            if vault_entities:
                s.review.set_redaction_entities(entities)
            if vault_terms:
                s.review.set_redaction_terms(terms)

        self._set_saving(True)
        self.message.clear()
        self._ctx.worker.op(self, apply).success(self._saved).failure(self._save_failed).run()

    def _saved(self, _result: object) -> None:
        self._set_saving(False)
        if self._on_saved is not None:
            self._on_saved()
        self.accept()

    def _save_failed(self, exc: Exception) -> None:
        self._set_saving(False)
        if isinstance(exc, BadInput):
            self.message.setText(str(exc))
        else:
            show_error(self, exc)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.tabs.setEnabled(not saving)
        self.save_button.setEnabled(not saving)
        self.cancel_button.setEnabled(not saving)

    def reject(self) -> None:
        if not self._saving:  # a save in flight finishes first: the user must learn whether it worked
            super().reject()

    # -- policy -------------------------------------------------------------------------

    def lock_setting(self, key: str, reason: str | None = None) -> None:
        """Disable the control of ``key`` (a config key, or ``redaction.entities``/``redaction.terms``):
        an administrator's policy decides it. It is then never saved from here."""
        try:
            control = self._controls[key]
        except KeyError:
            raise KeyError(f"no setting {key!r} in the settings dialog") from None
        tip = tr(MANAGED) if not reason else tr("Managed by your organization: {reason}").format(reason=reason)
        self._locked[key] = tip
        control.setEnabled(False)
        control.setToolTip(tip)

    @property
    def locked_settings(self) -> dict[str, str]:
        return dict(self._locked)


def _select(box: QComboBox, value: str, *, missing: str | None = None) -> None:
    """Select the item whose data is ``value``; one not offered is added (as ``missing``) so it is not lost."""
    index = box.findData(value)
    if index < 0 and value and missing is not None:
        box.addItem(missing.format(value=value), value)
        index = box.count() - 1
    box.setCurrentIndex(max(0, index))
