"""The diarizing engine with a fake recogniser and a fake diarizer: words get speakers only when asked,
the diarizer is loaded once per model, and cancel between the two stops the job."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core import errors
from core.asr.engine import SAMPLE_RATE, ArraySource, AudioSource, TranscribeOptions
from core.diarization.engine import DiarizingEngine
from core.diarization.types import Diarization, SpeakerTurn
from core.progress import CancelToken, Progress
from tests.core.fake_asr import FakeEngine


class FakeDiarizer:
    """Speaker 1 in the first two seconds, speaker 2 after."""

    model_id = "fake/diar"

    def diarize(self, audio: AudioSource, *, progress: Progress, cancel: CancelToken) -> Diarization:
        cancel.raise_if_cancelled()
        end = audio.num_samples / SAMPLE_RATE
        progress(1.0)
        return Diarization((SpeakerTurn("speaker_1", 0, 2), SpeakerTurn("speaker_2", 2, end)), self.model_id, end)


@pytest.fixture
def loaded() -> list[str | None]:
    return []


@pytest.fixture
def engine(loaded: list[str | None]) -> DiarizingEngine:
    def factory(model: str | None, _progress: Progress) -> FakeDiarizer:
        loaded.append(model)
        return FakeDiarizer()

    return DiarizingEngine(FakeEngine(), factory)


AUDIO = ArraySource(np.zeros(4 * SAMPLE_RATE, np.float32))


def test_plain_transcription_loads_no_diarizer(engine: DiarizingEngine, loaded: list[str | None]) -> None:
    tr = engine.transcribe(AUDIO, TranscribeOptions(), progress=lambda _f: None, cancel=CancelToken())
    assert [w.speaker for w in tr.words] == [None] * 4 and loaded == []


def test_diarized_words_get_their_speaker_and_progress_ends_at_one(
    engine: DiarizingEngine, loaded: list[str | None]
) -> None:
    seen: list[float] = []
    options = TranscribeOptions(diarize=True, diarizer_model="x/y")
    tr = engine.transcribe(AUDIO, options, progress=seen.append, cancel=CancelToken())
    assert [w.speaker for w in tr.words] == ["speaker_1", "speaker_1", "speaker_2", "speaker_2"]
    assert seen == sorted(seen) and seen[-1] == 1.0
    engine.transcribe(AUDIO, options, progress=seen.append, cancel=CancelToken())
    assert loaded == ["x/y"], "one diarizer per model, kept for the next job"
    assert replace(tr, words=()).model_id == "fake/asr-1"


def test_cancel_after_recognition_stops_before_diarizing(engine: DiarizingEngine) -> None:
    cancel = CancelToken()

    def progress(f: float) -> None:
        if f >= 0.85:
            cancel.cancel()

    with pytest.raises(errors.Cancelled):
        engine.transcribe(AUDIO, TranscribeOptions(diarize=True), progress=progress, cancel=cancel)


def test_a_missing_diarizer_fails_the_job_before_recognition() -> None:
    recognised: list[float] = []

    def missing(model: str | None, _progress: Progress) -> FakeDiarizer:
        raise errors.ModelNotFound(f"The model {model} is not installed: import it or download it.")

    engine = DiarizingEngine(FakeEngine(), missing)
    with pytest.raises(errors.ModelNotFound, match="not installed"):
        engine.transcribe(AUDIO, TranscribeOptions(diarize=True, diarizer_model="x/y"), progress=recognised.append,
                          cancel=CancelToken())
    assert recognised == [], "no minutes of recognition spent on a job that cannot finish"


@pytest.mark.parametrize("inner_streams", [True, False])
def test_live_text_streams_through_the_wrapper_exactly_when_the_recogniser_can(inner_streams: bool) -> None:
    from core.asr.live import StreamOptions, can_stream

    wrapped = DiarizingEngine(FakeEngine(can_stream=inner_streams), lambda _m, _p: FakeDiarizer())
    assert can_stream(wrapped) is inner_streams
    if not inner_streams:
        with pytest.raises(errors.ModelError, match="cannot show live text"):
            wrapped.open_stream(StreamOptions())
        return
    stream = wrapped.open_stream(StreamOptions(right_context_s=0.0))
    assert [w.text for w in stream.feed(np.zeros(2 * SAMPLE_RATE, np.float32)).final] == ["w0", "w1"]
    stream.close()


def test_alive_sandbox_and_close_are_the_recognisers(engine: DiarizingEngine) -> None:
    inner = engine.inner
    assert isinstance(inner, FakeEngine)
    assert engine.alive and engine.sandbox is None
    inner.died = True
    assert not engine.alive
    engine.close()
    assert inner.closes == 1
