"""Parakeet TDT (and any NeMo transducer `.nemo`), and Sortformer diarization, through nemo_toolkit.

This is the only module in VaultScribe that imports torch or nemo, and it does so inside functions:
`import nemo.collections.asr` takes 12-18 s on a laptop CPU, so nothing on the GUI's start-up path may
reach it. `load()` reports its stages as progress and runs on a worker thread.

Audio reaches NeMo only as in-memory float32 arrays, never as paths: given paths, NeMo writes a
manifest naming them into the temp dir. For the duration of every call NeMo's temp dir is redirected
to a private folder that is wiped afterwards, on success and on failure.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from core import errors
from core.asr import chunking
from core.asr.engine import SAMPLE_RATE, AsrTranscript, AsrWord, AudioSource, DeviceInfo, TranscribeOptions
from core.diarization.frames import turns_from_probabilities
from core.diarization.stitch import WindowProbs, stitch
from core.diarization.types import Diarization
from core.jobs import CancelToken, Progress, no_progress

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

#: Chosen by measurement in bench/asr.py (bench/RESULTS.md): limited context keeps cost linear in
#: window length, was faster than full attention on 30 s windows and no less accurate on the test model.
DEFAULT_ATTENTION = "local"

_TEMPDIR_LOCK = threading.Lock()
log = logging.getLogger(__name__)


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


def load(
    path: Path,
    *,
    model_id: str,
    device: str = "auto",
    attention: str = DEFAULT_ATTENTION,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> NemoEngine:
    """Import NeMo and restore a verified local `.nemo`. Never touches a model hub.

    `attention="local"` switches the encoder to limited-context attention (128 frames, about 10 s, each
    side), which NeMo documents for Parakeet on long audio: cost grows linearly with window length.
    """
    if attention not in ("full", "local"):
        raise errors.UsageError(f"Unknown attention {attention!r}: use full or local.")
    cancel = cancel or CancelToken()
    go_offline()
    progress(0.02)
    import torch

    cancel.raise_if_cancelled()
    progress(0.15)
    for name in ("nemo_logger", "nemo", "lightning", "pytorch_lightning", "numba"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from nemo.collections.asr.models import ASRModel
    from nemo.utils import logging as nemo_logging

    nemo_logging.setLevel(logging.ERROR)
    cancel.raise_if_cancelled()
    progress(0.7)
    info = choose_device(device, torch)
    try:
        with warnings.catch_warnings():  # a one-layer LSTM with dropout: harmless, and noise in every log
            warnings.filterwarnings("ignore", message="dropout option adds dropout", category=UserWarning)
            model = ASRModel.restore_from(str(path), map_location=torch.device(info.kind))
    except Exception as exc:  # NeMo raises many types for a bad archive
        raise errors.BadInput(f"The model file {path.name} could not be loaded: {type(exc).__name__}.") from exc
    if attention == "local":
        model.change_attention_model("rel_pos_local_attn", [128, 128])
        model.change_subsampling_conv_chunking_factor(1)
    model.eval()
    progress(1.0)
    return NemoEngine(model, model_id=model_id, device=info, torch=torch)


class NemoEngine:
    def __init__(self, model: Any, *, model_id: str, device: DeviceInfo, torch: Any) -> None:
        self._model = model
        self._model_id = model_id
        self._device = device
        self._torch = torch

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def device(self) -> DeviceInfo:
        return self._device

    @property
    def nemo_model(self) -> Any:
        """The NeMo model itself, for the benchmark's side-by-side runs."""
        return self._model

    def transcribe(
        self,
        audio: AudioSource,
        options: TranscribeOptions,
        *,
        progress: Progress,
        cancel: CancelToken,
    ) -> AsrTranscript:
        total = audio.num_samples
        windows = chunking.plan_windows(audio, options.chunk_s, options.overlap_s)
        words: list[AsrWord] = []
        batch, i = max(1, options.batch_size or (8 if self._device.kind == "cuda" else 1)), 0
        progress(0.0)
        with private_tempdir(options.temp_dir):
            while i < len(windows):
                cancel.raise_if_cancelled()
                group = windows[i : i + batch]
                arrays = [np.ascontiguousarray(audio.read(w.start, w.end - w.start)) for w in group]
                try:
                    hyps = self._decode(arrays)
                except self._torch.cuda.OutOfMemoryError:
                    batch = self._after_oom(batch)
                    continue
                for window, hyp in zip(group, hyps, strict=True):
                    words += chunking.keep_core(window, self._words(hyp))
                i += len(group)
                progress(group[-1].core_end / max(1, total))
        segments = chunking.segments(words)
        return AsrTranscript(
            text=" ".join(w.text for w in words),
            words=tuple(words),
            segments=tuple(segments),
            model_id=self._model_id,
            device=self._device,
            duration_s=total / SAMPLE_RATE,
            language=options.language,
        )

    def _decode(self, arrays: list[np.ndarray]) -> list[Any]:
        torch = self._torch
        amp = (
            torch.autocast("cuda", dtype=torch.bfloat16)
            if self._device.kind == "cuda" and self._device.dtype == "bfloat16"
            else contextlib.nullcontext()
        )
        with torch.inference_mode(), amp:
            out = self._model.transcribe(
                arrays, batch_size=len(arrays), timestamps=True, verbose=False, num_workers=0
            )
        if isinstance(out, tuple):  # some NeMo versions return (best, all) for transducers
            out = out[0]
        return list(out)

    def _after_oom(self, batch: int) -> int:
        """Halve the batch; at batch 1, move to the CPU. The user is told why through `device`."""
        self._torch.cuda.empty_cache()
        if batch > 1:
            log.warning("GPU out of memory: retrying with batch size %d", batch // 2)
            return batch // 2
        log.warning("GPU out of memory at batch size 1: falling back to the CPU")
        self._model.to(self._torch.device("cpu"))
        self._torch.set_num_threads(os.cpu_count() or 1)
        self._device = DeviceInfo(
            "cpu", f"CPU, {os.cpu_count() or 1} threads", "float32",
            "the GPU ran out of memory even one chunk at a time, so this job moved to the CPU",
        )
        return 1

    def _words(self, hyp: Any) -> list[AsrWord]:
        """Normalise NeMo's word timestamps (seconds, or frame offsets in older shapes) to AsrWord."""
        stamps = (getattr(hyp, "timestamp", None) or {}).get("word") or []
        stride = self._frame_stride()
        out = []
        for item in stamps:
            text = str(item.get("word", "")).strip()
            if not text:
                continue
            start = item.get("start")
            end = item.get("end")
            if start is None or end is None:
                start, end = item["start_offset"] * stride, item["end_offset"] * stride
            out.append(AsrWord(text, float(start), max(float(start), float(end))))
        if not out and str(getattr(hyp, "text", "")).strip():
            raise errors.VaultScribeError("The model returned text without word timestamps.")
        return out

    def _frame_stride(self) -> float:
        cfg = self._model.cfg
        return float(cfg.preprocessor.window_stride) * int(getattr(self._model.encoder, "subsampling_factor", 8))


def load_diarizer(path: Path, *, model_id: str, device: str = "auto", progress: Progress = no_progress) -> NemoDiarizer:
    """Restore a verified local Sortformer `.nemo` (NeMo's `SortformerEncLabelModel`)."""
    go_offline()
    progress(0.05)
    import torch

    for name in ("nemo_logger", "nemo", "lightning", "pytorch_lightning", "numba"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from nemo.collections.asr.models import SortformerEncLabelModel
    from nemo.utils import logging as nemo_logging

    nemo_logging.setLevel(logging.ERROR)
    progress(0.7)
    info = choose_device(device, torch)
    try:
        model = SortformerEncLabelModel.restore_from(str(path), map_location=torch.device(info.kind))
    except Exception as exc:  # NeMo raises many types for a bad archive, or one of another model class
        raise errors.BadInput(f"The diarization model {path.name} could not be loaded: {type(exc).__name__}.") from exc
    model.eval()
    progress(1.0)
    return NemoDiarizer(model, model_id=model_id, device=info, torch=torch)


class NemoDiarizer:
    """Sortformer on in-memory audio: `forward(audio_signal, audio_signal_length)` takes tensors, so
    nothing is written (its `diarize()` wants paths or manifests, which would put audio on disk).

    Audio longer than the model's session length (``session_len_sec`` in its config; 90 s for
    NVIDIA's) is cut into windows overlapping by a third and joined by `core.diarization.stitch`.
    """

    def __init__(self, model: Any, *, model_id: str, device: DeviceInfo, torch: Any) -> None:
        self._model = model
        self._model_id = model_id
        self._device = device
        self._torch = torch
        cfg = model.cfg
        self.frame_s = float(cfg.preprocessor.window_stride) * int(cfg.encoder.subsampling_factor)
        self.window_s = float(cfg.get("session_len_sec", 90.0))

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def device(self) -> DeviceInfo:
        return self._device

    def probabilities(self, samples: np.ndarray) -> np.ndarray:
        """Per-frame speaker probabilities of one window, (frames, speakers), sorted by arrival."""
        torch = self._torch
        signal = torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32)).unsqueeze(0).to(self._device.kind)
        length = torch.tensor([signal.shape[1]], device=self._device.kind)
        with torch.inference_mode():
            preds = self._model.forward(audio_signal=signal, audio_signal_length=length)
        out: np.ndarray = preds[0].float().cpu().numpy()
        return out

    def diarize(self, audio: AudioSource, *, progress: Progress, cancel: CancelToken) -> Diarization:
        total = audio.num_samples
        win = max(1, int(self.window_s * SAMPLE_RATE))
        hop = max(1, win - win // 3)
        frame = self.frame_s * SAMPLE_RATE
        total_frames = int(np.ceil(total / frame))
        windows: list[WindowProbs] = []
        start = 0
        progress(0.0)
        while True:
            cancel.raise_if_cancelled()
            count = min(win, total - start)
            if count <= 0:
                break
            probs = self.probabilities(audio.read(start, count))
            windows.append(WindowProbs(round(start / frame), probs))
            progress(min(1.0, (start + count) / max(1, total)))
            if start + count >= total:
                break
            start += hop
        joined = stitch(windows, total_frames)
        turns = turns_from_probabilities(joined, frame_s=self.frame_s)
        return Diarization(tuple(turns), self._model_id, total / SAMPLE_RATE)
