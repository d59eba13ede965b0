"""An engine that also says who spoke: the recogniser's words, then the diarizer's turns, then each
word given the speaker whose turns overlap it most.

It wraps any ``Engine`` and asks for a diarizer only when a job wants one (``options.diarize``), so a
plain transcription never loads the second model. Diarizers are kept by model id for the next job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from core import errors
from core.asr import live
from core.asr.engine import AsrTranscript, AudioSource, DeviceInfo, Engine, TranscribeOptions
from core.diarization.assign import assign_speakers
from core.diarization.types import Diarizer
from core.progress import CancelToken, Progress
from core.security.sandbox import SandboxReport

#: (diarizer model id or .nemo path, or None for the default; progress) -> a loaded diarizer.
DiarizerFactory = Callable[[str | None, Progress], Diarizer]

#: The share of a diarized job's progress bar spent recognising words; the rest is diarization,
#: which costs far less than recognition (bench/RESULTS.md).
_ASR_SHARE = 0.85


class DiarizingEngine:
    def __init__(self, engine: Engine, diarizers: DiarizerFactory) -> None:
        self._engine = engine
        self._factory = diarizers
        self._loaded: dict[str | None, Diarizer] = {}

    @property
    def model_id(self) -> str:
        return self._engine.model_id

    @property
    def device(self) -> DeviceInfo:
        return self._engine.device

    @property
    def alive(self) -> bool:
        return self._engine.alive

    @property
    def sandbox(self) -> SandboxReport | None:
        return self._engine.sandbox

    def close(self) -> None:
        self._loaded.clear()
        self._engine.close()

    @property
    def inner(self) -> Engine:
        return self._engine

    @property
    def can_stream(self) -> bool:
        """Live text is the recogniser's alone (no speakers while recording): it streams when that can."""
        return live.can_stream(self._engine)

    def open_stream(self, options: live.StreamOptions) -> live.LiveStream:
        if not (isinstance(self._engine, live.StreamingEngine) and self._engine.can_stream):
            raise errors.ModelError(live.CANNOT_STREAM)
        return self._engine.open_stream(options)

    def transcribe(
        self, audio: AudioSource, options: TranscribeOptions, *, progress: Progress, cancel: CancelToken
    ) -> AsrTranscript:
        if not options.diarize:
            return self._engine.transcribe(audio, options, progress=progress, cancel=cancel)
        # Loaded first: a diarizer that is not installed fails the job before minutes of recognition.
        diarizer = self._diarizer(options.diarizer_model)
        transcript = self._engine.transcribe(
            audio, options, progress=lambda f: progress(f * _ASR_SHARE), cancel=cancel
        )
        cancel.raise_if_cancelled()
        diarization = diarizer.diarize(
            audio, progress=lambda f: progress(_ASR_SHARE + f * (1 - _ASR_SHARE)), cancel=cancel
        )
        speakers = assign_speakers(transcript.words, diarization.turns)
        words = tuple(replace(w, speaker=s) for w, s in zip(transcript.words, speakers, strict=True))
        return replace(transcript, words=words)

    def _diarizer(self, model: str | None) -> Diarizer:
        if model not in self._loaded:
            self._loaded[model] = self._factory(model, lambda _f: None)
        return self._loaded[model]
