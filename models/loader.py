"""The real engine factory: from a model id or a `.nemo` path to a loaded, verified engine.

It imports the NeMo adapters (`core.nemo`) inside the functions: importing this module costs nothing,
and a model is loaded only when a transcription actually runs. A model is never loaded unless the store has checked
its bytes against the manifest.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

from core import errors, logs
from core.asr.engine import DEFAULT_DIARIZER_ID, DEFAULT_MODEL_ID, Confine, Engine, split_engine
from core.diarization.engine import DiarizingEngine
from core.diarization.types import Diarizer
from core.progress import CancelToken, Progress
from models.manifest import find
from models.store import ModelStore, system_store

#: Set to 1 to print the traceback of a model that fails to load, on stderr (docs/deploy.md); the
#: model's child then keeps its stderr (core.logs).
DEBUG_ENV = logs.DEBUG_ENV
_CHECKED = 0.3  # the share of the progress bar spent verifying the file, before loading it


def load_engine(model: str | None, device: str, progress: Progress, *, confine: Confine | None = None) -> Engine:
    """``model`` is a manifest id, or (ending in ``.nemo``) a file to import into the store first.

    ``confine`` (the child process's sandbox) is called once the file is verified and open, before NeMo
    reads it: the store's checks need the models folder, the model's code must not. The store's folders
    stay readable (never writable) in the sandbox, for the diarizer below.

    The engine diarizes the jobs that ask for it (``TranscribeOptions.diarize``), loading the
    diarization model through the same store, verified the same way, on the first such job.
    """
    from core.nemo import asr as nemo_asr

    device, choice = split_engine(device)
    store = system_store()
    checking = _scaled(progress, 0.0, _CHECKED)
    model_id = _verified_id(store, model or DEFAULT_MODEL_ID, checking, kind="asr")
    if choice == "onnx" or (choice == "auto" and _cpu_only(device) and store.has_export(model_id)):
        if device == "cuda":
            raise errors.UsageError("The ONNX engine runs on the CPU; on a GPU the speech model runs through NeMo.")
        engine: Engine = _load_onnx(store, model_id, progress, confine)
        return DiarizingEngine(engine, lambda diarizer, p: load_diarizer(store, diarizer, device, p))
    # NeMo reads the very file that was hashed, through its open descriptor.
    with _load_errors(model_id), store.open_verified(model_id, progress=checking) as verified:
        if confine is not None:
            confine(verified.load_path, store.root, *store.extra_dirs)
        loading = _scaled(progress, _CHECKED, 1.0)
        engine = nemo_asr.load(verified.load_path, model_id=model_id, device=device, progress=loading)
    return DiarizingEngine(engine, lambda diarizer, p: load_diarizer(store, diarizer, device, p))


def no_nvidia_gpu() -> bool:
    """Whether this machine has no NVIDIA GPU: the app then offers the model's fast CPU (ONNX) version."""
    return _cpu_only("auto")


def _cpu_only(device: str) -> bool:
    """Whether the model runs on the CPU: asked for, or "auto" on a machine with no NVIDIA GPU (seen
    without importing torch, which the ONNX engine never needs)."""
    if device != "auto":
        return device == "cpu"
    gpus = Path("/proc/driver/nvidia/gpus")
    return not (gpus.is_dir() and any(gpus.iterdir()))


def _load_onnx(store: ModelStore, model_id: str, progress: Progress, confine: Confine | None) -> Engine:
    """The ONNX engine from the model's verified export; with none yet, the verified ``.nemo`` is
    exported first, here, by NeMo (core.asr.onnx_export), and the export recorded in the store."""
    from core.asr import onnx_engine

    checking = _scaled(progress, 0.0, _CHECKED)
    with _load_errors(model_id):
        if not store.has_export(model_id):
            _export(store, model_id, _scaled(progress, 0.0, 0.9), confine)
            checking = _scaled(progress, 0.9, 0.93)
        # ONNX Runtime reads the very files that were hashed, through their open descriptors.
        with store.open_export(model_id, progress=checking) as export:
            if confine is not None:
                confine(None, store.root, *store.extra_dirs)
            files = {name: export.load_path(name) for name in export.names}
            return onnx_engine.load(files, model_id=model_id, progress=_scaled(progress, _CHECKED, 1.0))


def export_onnx(
    model: str | None, progress: Progress, *, confine: Confine | None = None, cancel: CancelToken | None = None
) -> Path:
    """Export a verified model to ONNX for the CPU engine, replacing an older export; its folder."""
    store = system_store()
    model_id = _verified_id(store, model or DEFAULT_MODEL_ID, _scaled(progress, 0.0, 0.05), kind="asr")
    with _load_errors(model_id):
        _export(store, model_id, _scaled(progress, 0.05, 1.0), confine, cancel=cancel)
    return store.export_dir(model_id)


def _export(
    store: ModelStore, model_id: str, progress: Progress, confine: Confine | None, *, cancel: CancelToken | None = None
) -> None:
    """Verify the ``.nemo``, restore it with NeMo (after the sandbox, which may write only the exports'
    folder and the child's own), export it into a private folder, and install the export by hash."""
    import tempfile

    from core.asr import onnx_export
    from core.nemo import asr as nemo_asr

    exports = store.export_dir(model_id).parent
    exports.mkdir(mode=0o700, parents=True, exist_ok=True)
    with store.open_verified(model_id, progress=_scaled(progress, 0.0, 0.1), cancel=cancel) as verified:
        if confine is not None:
            confine(verified.load_path, store.root, *store.extra_dirs, writable=(exports,))
        nemo = nemo_asr.load(
            verified.load_path, model_id=model_id, device="cpu", progress=_scaled(progress, 0.1, 0.4), cancel=cancel
        )
    with tempfile.TemporaryDirectory(prefix="onnx-") as built:
        names = onnx_export.export(nemo.nemo_model, Path(built), progress=_scaled(progress, 0.4, 0.95), cancel=cancel)
        store.install_export(model_id, Path(built), names)
    progress(1.0)


def import_model_file(path: Path) -> str:
    """Check a ``.nemo`` file against the manifest and copy it into the models folder; its id."""
    (spec,) = system_store().import_file(path)
    return spec.id


def load_diarizer(store: ModelStore, model: str | None, device: str, progress: Progress) -> Diarizer:
    """A Sortformer diarizer from the store: a manifest id, or a ``.nemo`` file imported first (which a
    sandboxed child cannot do: the command line imports it in the parent, `import_model_file`)."""
    from core.nemo import sortformer

    checking = _scaled(progress, 0.0, _CHECKED)
    model_id = _verified_id(store, model or DEFAULT_DIARIZER_ID, checking, kind="diarization")
    with _load_errors(model_id), store.open_verified(model_id, progress=checking) as verified:
        loading = _scaled(progress, _CHECKED, 1.0)
        return sortformer.load_diarizer(verified.load_path, model_id=model_id, device=device, progress=loading)


def _verified_id(store: ModelStore, model: str, progress: Progress, *, kind: str) -> str:
    if model.endswith(".nemo"):
        (spec,) = store.import_file(Path(model).expanduser(), progress=progress)
    else:
        spec = find(model, store.manifest)
    if spec.kind != kind:  # NeMo would fail later, and less clearly
        raise errors.BadInput(
            f"{spec.id} tells speakers apart; it cannot transcribe. Choose a speech model."
            if kind == "asr"
            else f"{spec.id} is a speech model, not a speaker (diarization) model."
        )
    return spec.id


@contextlib.contextmanager
def _load_errors(model_id: str) -> Iterator[None]:
    try:
        yield
    except errors.VaultScribeError:
        raise
    except ImportError as exc:
        raise errors.ModelError(
            f"The speech engine is not installed ({exc.name}): install VaultScribe with its 'asr' extra."
        ) from exc
    except Exception as exc:  # torch and CUDA raise many types while starting up
        if os.environ.get(DEBUG_ENV) == "1":  # for support: where it failed, in code (no audio, no text)
            traceback.print_exception(exc, file=sys.stderr)
        raise errors.ModelError(f"The model {model_id} could not be loaded: {type(exc).__name__}.") from exc


def load_engine_in_child(model: str | None, device: str, progress: Progress) -> Engine:
    """What the app and the ``vaultscribe`` command use: `load_engine` in a spawned child process
    (core.asr.process). NeMo's import would hold the GIL long enough to freeze the window, and a
    model file is pickled code: it runs apart from the vault, and is killed at once on cancel."""
    from core.asr.process import ProcessEngine

    return ProcessEngine(load_engine, model, device, progress)


def _scaled(progress: Progress, lo: float, hi: float) -> Progress:
    return lambda fraction: progress(lo + (hi - lo) * fraction)
