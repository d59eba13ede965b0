"""What every NeMo adapter shares: the one way a model is restored (`restore_verified`), the offline
switches, a weights-only restore, a private temp dir, the device choice, and the quieting of NeMo's loggers.

Only `restore_verified` imports torch and NeMo, inside itself; everything else is handed ``torch`` by
the adapters, `core.nemo.asr` and `core.nemo.sortformer`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core import errors
from core.asr.engine import DeviceInfo
from core.progress import CancelToken, Progress, no_progress

#: Every switch NeMo, Hugging Face and friends read to stay off the network.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    "WANDB_MODE": "disabled",
    "TOKENIZERS_PARALLELISM": "false",
}

_TEMPDIR_LOCK = threading.Lock()
_WEIGHTS_ONLY_LOCK = threading.Lock()

#: The loggers NeMo's import and restore write to: errors only, or every load fills the log.
NOISY_LOGGERS = ("nemo_logger", "nemo", "lightning", "pytorch_lightning", "numba")


#: torch.load's switches: the first makes it refuse any pickle but tensors and plain containers, even
#: where a caller asks otherwise; the second (which NeMo honours) would let any pickle run.
_WEIGHTS_ONLY, _NO_WEIGHTS_ONLY = "TORCH_FORCE_WEIGHTS_ONLY_LOAD", "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"


@contextlib.contextmanager
def weights_only() -> Iterator[None]:
    """While a model is restored, torch.load unpickles no code, whatever the environment says.

    A second line behind the manifest check (a .nemo's weights are a pickle), scoped to the restore so
    the training recipe's own checkpoints in the same process are unaffected.
    """
    with _WEIGHTS_ONLY_LOCK:
        saved = {key: os.environ.get(key) for key in (_WEIGHTS_ONLY, _NO_WEIGHTS_ONLY)}
        os.environ.pop(_NO_WEIGHTS_ONLY, None)
        os.environ[_WEIGHTS_ONLY] = "1"
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def go_offline() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ[key] = value


@contextlib.contextmanager
def private_tempdir(root: Path | None) -> Iterator[Path]:
    """Point `tempfile` (and so NeMo) at a fresh private folder; wipe it afterwards, whatever happens."""
    if root is not None:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    job_dir = Path(tempfile.mkdtemp(prefix="asr-", dir=root))
    with _TEMPDIR_LOCK:
        saved = tempfile.tempdir
        tempfile.tempdir = str(job_dir)
        try:
            yield job_dir
        finally:
            tempfile.tempdir = saved
            shutil.rmtree(job_dir, ignore_errors=True)


def choose_device(preference: str, torch: Any) -> DeviceInfo:
    """CUDA when there is one (bf16 where the GPU has it), else every CPU core; with the reason why."""
    if preference not in ("auto", "cpu", "cuda"):
        raise errors.UsageError(f"Unknown device {preference!r}: use auto, cpu or cuda.")
    has_cuda = bool(torch.cuda.is_available())
    if preference == "cuda" and not has_cuda:
        raise errors.UsageError("A CUDA GPU was asked for, but none is available (see the GPU driver).")
    if has_cuda and preference != "cpu":
        bf16 = bool(torch.cuda.is_bf16_supported())
        return DeviceInfo(
            "cuda",
            str(torch.cuda.get_device_name(0)),
            "bfloat16" if bf16 else "float32",
            "an NVIDIA GPU is available" + (" with bfloat16" if bf16 else ""),
        )
    threads = os.cpu_count() or 1
    torch.set_num_threads(threads)
    reason = "the CPU was asked for" if preference == "cpu" else "no CUDA GPU was found"
    return DeviceInfo("cpu", f"CPU, {threads} threads", "float32", reason)


def quiet_loggers() -> None:
    """Errors only from NeMo and its friends' loggers (Python's; NeMo's own is set once it is imported)."""
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


@dataclass(frozen=True)
class Restored:
    """A restored NeMo model in eval mode, the device it is on, and the torch module that runs it."""

    model: Any
    device: DeviceInfo
    torch: Any


def restore_verified(
    path: Path,
    *,
    model_class: str,
    device: str,
    failure: str,
    prepare: Callable[[Any], None] | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> Restored:
    """Restore a `.nemo` the model store has verified (its ``load_path``) as NeMo's
    ``nemo.collections.asr.models.<model_class>``: the one way every adapter loads a model.

    Offline and with NeMo's loggers quiet; on the chosen ``device`` (`choose_device`); with torch.load
    unpickling no code whatever the environment says (`weights_only`), so a crafted file runs nothing
    even if it got past the manifest check; NeMo's harmless LSTM dropout warning silenced; ``prepare``
    (a change of architecture) applied before the model is put in eval mode, so new layers are in it
    too. A file NeMo cannot restore is `BadInput`: ``failure`` and the error's type, never its text.
    Progress is reported by stage; ``cancel`` is honoured between them.
    """
    cancel = cancel or CancelToken()
    go_offline()
    progress(0.02)
    import torch

    cancel.raise_if_cancelled()
    progress(0.15)
    quiet_loggers()
    from nemo.collections.asr import models as nemo_models
    from nemo.utils import logging as nemo_logging

    nemo_logging.setLevel(logging.ERROR)
    cancel.raise_if_cancelled()
    progress(0.7)
    info = choose_device(device, torch)
    try:
        with warnings.catch_warnings(), weights_only():
            warnings.filterwarnings("ignore", message="dropout option adds dropout", category=UserWarning)
            model = getattr(nemo_models, model_class).restore_from(str(path), map_location=torch.device(info.kind))
    except Exception as exc:  # NeMo raises many types for a bad archive, or one of another model class
        raise errors.BadInput(f"{failure}: {type(exc).__name__}.") from exc
    if prepare is not None:
        prepare(model)
    model.eval()
    progress(1.0)
    return Restored(model, info, torch)


def one_item_batch(torch: Any, samples: np.ndarray, device: Any) -> tuple[Any, Any]:
    """One clip as NeMo's models take audio: a (1, samples) float32 signal and its length, on ``device``."""
    signal = torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32)).unsqueeze(0).to(device)
    return signal, torch.tensor([signal.shape[1]], device=signal.device)


def token_frames(hyps: Any) -> list[tuple[Any, ...]]:
    """(token, frame) of each token of the one hypothesis in NeMo's batched greedy output."""
    from nemo.collections.asr.parts.utils.rnnt_utils import batched_hyps_to_hypotheses

    hyp = batched_hyps_to_hypotheses(hyps, batch_size=1)[0]
    return list(zip(hyp.y_sequence.tolist(), hyp.timestamp.tolist(), strict=True))


@contextlib.contextmanager
def streaming_features(model: Any) -> Iterator[None]:
    """No padding of the feature frames while streaming (NeMo's script sets pad_to 0 and dither 0); the
    offline path's settings come back afterwards."""
    featurizer = model.preprocessor.featurizer
    saved = (featurizer.pad_to, featurizer.dither)
    featurizer.pad_to, featurizer.dither = 0, 0.0
    try:
        yield
    finally:
        featurizer.pad_to, featurizer.dither = saved
