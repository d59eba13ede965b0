"""The speech-to-text contract: what an engine takes, what it returns, and where its audio comes from.

Nothing here imports torch or NeMo. The Parakeet adapter (`core.nemo.asr`) and the Sortformer one
(`core.nemo.sortformer`) are the only modules that do, lazily; tests use fakes that satisfy the same protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from core.progress import CancelToken, Progress
from core.security.sandbox import SandboxReport

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class AsrWord:
    text: str
    start_s: float
    end_s: float
    #: The diarizer's label ("speaker_1", …) when the transcription was diarized; None otherwise, or
    #: for a word no speaker turn came near.
    speaker: str | None = None


@dataclass(frozen=True)
class AsrSegment:
    """A sentence, or a stretch of speech between long pauses when the model writes no punctuation."""

    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class DeviceInfo:
    kind: str  # "cuda" or "cpu"
    name: str  # e.g. "NVIDIA H100 80GB HBM3" or "CPU, 16 threads"
    dtype: str  # "bfloat16" or "float32"
    reason: str  # why this device, in words the user can read


@dataclass(frozen=True)
class AsrTranscript:
    text: str
    words: tuple[AsrWord, ...]
    segments: tuple[AsrSegment, ...]
    model_id: str
    device: DeviceInfo
    duration_s: float
    language: str | None = None


#: How hard the decoder leans towards the custom vocabulary when the user has not said (NeMo's boosting
#: tree fusion weight). Chosen by measurement in bench/vocab.py (bench/RESULTS.md). Here, not in the
#: NeMo adapter, so that the settings screen can show it without importing torch.
DEFAULT_BOOST_WEIGHT = 3.0


@dataclass(frozen=True)
class TranscribeOptions:
    #: Windows decoded together; None picks 8 on a GPU and 1 on the CPU (where batching gains nothing
    #: and one window at a time keeps progress and cancel responsive). A CUDA OOM halves it and retries.
    batch_size: int | None = None
    #: Length of each window the model sees, and the context shared by neighbours. Chosen by
    #: measurement with local attention (bench/RESULTS.md): long enough that the overlap costs ~7%,
    #: short enough that a CPU reports progress every ~20 s.
    chunk_s: float = 120.0
    overlap_s: float = 4.0
    language: str | None = None
    #: The vault's private temp dir; the engine works in a fresh folder under it and wipes it after.
    temp_dir: Path | None = None
    #: Custom vocabulary (personal, the recording's and the policy's lists, merged by the session):
    #: phrases the decoder is biased towards. They travel in memory; no engine writes them to disk.
    phrases: tuple[str, ...] = ()
    #: How hard to bias towards ``phrases``; None takes the engine's measured default.
    boost_weight: float | None = None
    #: Also find who spoke when, and give each word its speaker (core.diarization).
    diarize: bool = False
    #: The diarization model (manifest id or .nemo path); None takes the default Sortformer.
    diarizer_model: str | None = None


class AudioSource(Protocol):
    """16 kHz mono float32 samples, read by range so that a 3-hour recording never sits in memory whole."""

    @property
    def num_samples(self) -> int: ...

    def read(self, start: int, count: int) -> np.ndarray: ...


class ArraySource:
    def __init__(self, samples: np.ndarray) -> None:
        if samples.ndim != 1:
            raise ValueError("ArraySource takes mono samples; down-mix first")
        self._samples = samples.astype(np.float32, copy=False)

    @property
    def num_samples(self) -> int:
        return int(self._samples.shape[0])

    def read(self, start: int, count: int) -> np.ndarray:
        return self._samples[start : start + count]


class Engine(Protocol):
    @property
    def model_id(self) -> str: ...

    @property
    def device(self) -> DeviceInfo: ...

    @property
    def alive(self) -> bool:
        """Whether it can still transcribe: False once a child-process engine's child has died (the
        holder then loads a fresh one). An engine in this process is alive until it is dropped."""
        ...

    @property
    def sandbox(self) -> SandboxReport | None:
        """Which sandbox layers confine the process the model runs in, or None for an engine that runs
        in this process (there is no child to confine; the command line then says nothing)."""
        ...

    def close(self) -> None:
        """Let go of the model: a child-process engine ends its child. Safe to call twice; the engine
        is not used after it."""
        ...

    def transcribe(
        self,
        audio: AudioSource,
        options: TranscribeOptions,
        *,
        progress: Progress,
        cancel: CancelToken,
    ) -> AsrTranscript: ...


#: (model id or path to a .nemo, or None for the default; device "auto", "cpu" or "cuda"; progress) -> engine.
#: The real one is `models.loader.load_engine`; the composition roots (app.cli, app.main) pass it in.
EngineFactory = Callable[[str | None, str, Progress], Engine]

class Confine(Protocol):
    """Given the verified model file (None if there is none), and folders that must stay readable (the
    model store's, verified files only), sandboxes the calling process for good. ``writable``: folders
    it may also write (the store's ONNX exports, while the child exports a model; never the vault)."""

    def __call__(self, model_file: Path | None, /, *readable: Path, writable: tuple[Path, ...] = ()) -> None: ...


class ConfinedEngineFactory(Protocol):
    """An ``EngineFactory`` that runs in the sandboxed child (core.asr.process): it calls ``confine``
    with the model file once the file is verified and before any of it is read as code."""

    def __call__(self, model: str | None, device: str, progress: Progress, /, *, confine: Confine) -> Engine: ...


DEFAULT_MODEL_ID = "nvidia/parakeet-tdt-0.6b-v2"
DEFAULT_DIARIZER_ID = "nvidia/diar_streaming_sortformer_4spk-v2.1"


#: Which runtime decodes: "auto" takes ONNX Runtime on the CPU when the model has a verified export
#: (core.asr.onnx_engine) and NeMo otherwise (always on a GPU); "nemo" and "onnx" force one. "onnx"
#: exports the model first if it has no export yet.
ENGINES = ("auto", "nemo", "onnx")


def with_engine(device: str, engine: str) -> str:
    """The device argument of an ``EngineFactory`` that also names the runtime: "cpu", "cpu:onnx"…
    (so the engine holder, which keys on it, reloads when either changes)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use {', '.join(ENGINES)}")
    return device if engine == "auto" else f"{device}:{engine}"


def split_engine(device: str) -> tuple[str, str]:
    """``with_engine`` undone: (device, engine)."""
    plain, _, engine = device.partition(":")
    engine = engine or "auto"
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use {', '.join(ENGINES)}")
    return plain, engine
