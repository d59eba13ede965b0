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
from core.asr.engine import DEFAULT_DIARIZER_ID, DEFAULT_MODEL_ID, Confine, Engine
from core.diarization.engine import DiarizingEngine
from core.diarization.types import Diarizer
from core.progress import Progress
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

    store = system_store()
    checking = _scaled(progress, 0.0, _CHECKED)
    model_id = _verified_id(store, model or DEFAULT_MODEL_ID, checking, kind="asr")
    # NeMo reads the very file that was hashed, through its open descriptor.
    with _load_errors(model_id), store.open_verified(model_id, progress=checking) as verified:
        if confine is not None:
            confine(verified.load_path, store.root, *store.extra_dirs)
        loading = _scaled(progress, _CHECKED, 1.0)
        engine = nemo_asr.load(verified.load_path, model_id=model_id, device=device, progress=loading)
    return DiarizingEngine(engine, lambda diarizer, p: load_diarizer(store, diarizer, device, p))


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
