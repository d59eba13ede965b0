"""The ONNX engine's live stream (core.asr.onnx_engine.OnnxStream over core.asr.buffered), with fake
ONNX Runtime sessions: the chunking and stitching logic alone.

The fake encoder gives one frame per 80 ms of audio whose value is the audio there (a signal that is
constant over each frame), and the fake decoder+joint reads a token and its TDT duration off that
value. So the offline decode of a signal is known exactly, and a stream in any chunk and context
settings, fed in any block sizes, must give the same tokens at the same absolute times: each frame
decoded once, in order, from the state the previous chunk left, a duration that jumps past a chunk's
end landing in the next chunk. The real model's stream: tests/asr/test_onnx_live_real.py.
"""

from __future__ import annotations

import random
import time
from typing import Any

import numpy as np
import pytest

from core.asr import onnx_engine
from core.asr.engine import SAMPLE_RATE, AsrWord, DeviceInfo
from core.asr.live import MODEL_CARD, LiveTap, LiveTranscriber, StreamOptions, StreamUpdate, can_stream
from core.asr.onnx_engine import OnnxStream, OnnxTdtEngine
from core.diarization.engine import DiarizingEngine
from tests.core.helpers import wait_until

FRAME = 1280  # 10 ms hop x subsampling 8
VOCAB = ["<unk>", "\u2581a", "b", "\u2581c", "d", ".", "\u2581e", "\u2581f", "g", "\u2581h"]
BLANK = len(VOCAB)
DURATIONS = [0, 1, 2, 3, 4]
META: dict[str, Any] = {
    "features": {
        "n_fft": 512, "hop_length": 160, "win_length": 400, "preemph": 0.97, "mag_power": 2.0,
        "log_guard": 2**-24, "log_guard_type": "add", "normalize": "per_feature", "pad_to": 0,
        "pad_value": 0.0, "window_stride_s": 0.01,
    },
    "vocabulary": VOCAB, "blank": BLANK, "durations": DURATIONS, "max_symbols": 10,
    "pred_rnn_layers": 1, "pred_hidden": 2, "subsampling_factor": 8,
}  # fmt: skip


def code(token: int, duration: int = 1) -> int:
    """A frame's value: which token the fake joint emits there (0: blank) and for how many frames."""
    return token + 100 * duration


SIL = code(0)  # a blank lasting one frame


class FakeDecoderJoint:
    """ONNX Runtime's decoder+joint session, the fake way: the token and duration are the frame's value;
    the states count the tokens emitted, so a state carried from chunk to chunk shows."""

    def __init__(self) -> None:
        self.targets: list[int] = []

    def run(self, _names: object, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
        value = round(float(feed["encoder_outputs"].reshape(-1)[0]))
        token, duration = value % 100 or BLANK, value // 100
        self.targets.append(int(feed["targets"][0, 0]))
        logits = np.full(BLANK + 1 + len(DURATIONS), -1.0, np.float32)
        logits[token] = 1.0
        logits[BLANK + 1 + DURATIONS.index(duration)] = 1.0
        state = feed["input_states_1"] + 1
        return [logits[None, None, None, :], None, state, state]


class FakeEncoding(OnnxTdtEngine):
    """The engine with its encoder replaced: one frame per 80 ms, valued as the audio at its start."""

    def __init__(self) -> None:
        super().__init__(
            object(), FakeDecoderJoint(), META, np.ones((2, 257), np.float32), np.ones(400, np.float32),
            model_id="fake/onnx", device=DeviceInfo("cpu", "CPU", "int8", "fake"),
        )  # fmt: skip
        self.encoded_s = 0.0

    def encode(self, samples: np.ndarray) -> np.ndarray:
        self.encoded_s += samples.size / SAMPLE_RATE
        return np.ascontiguousarray(samples[::FRAME, None], dtype=np.float32)


def signal(values: list[int]) -> np.ndarray:
    return np.repeat(np.asarray(values, np.float32), FRAME)


def spoken(rng: random.Random, frames: int) -> list[int]:
    """Words of one to three pieces with a punctuation mark now and then, silences, and durations of
    one to four frames (blank frames have duration 1, as a TDT model's mostly do)."""
    out: list[int] = []
    while len(out) < frames:
        out += [SIL] * rng.randint(0, 3)
        out.append(code(rng.choice([1, 3, 6, 7, 9]), rng.randint(1, 4)))
        out += [code(2)] * (out[-1] // 100 - 1)  # the frames a duration skips are never read
        for _ in range(rng.randint(0, 2)):
            out.append(code(rng.choice([2, 4, 8]), 1))
        if rng.random() < 0.2:
            out.append(code(5, 1))
    return out[:frames]


def offline(engine: OnnxTdtEngine, audio: np.ndarray) -> list[AsrWord]:
    return engine.words(engine.decode(engine.encode(audio)))


def streamed(engine: OnnxTdtEngine, audio: np.ndarray, options: StreamOptions, rng: random.Random) -> list[AsrWord]:
    stream = engine.open_stream(options)
    words: list[AsrWord] = []
    at = 0
    while at < audio.size:
        size = rng.choice([400, FRAME, 8000, 16000, 37_000])
        words += stream.feed(audio[at : at + size]).final
        at += size
    words += stream.finish().final
    stream.close()
    return words


@pytest.mark.parametrize(
    ("chunk_s", "left_s", "right_s"),
    [(0.5, 2.0, 0.0), (1.0, 4.0, 0.5), (2.0, 8.0, 1.0), (0.08, 0.0, 0.0), (1.0, 0.0, 2.0), (2.0, 4.0, 1.0)],
)
def test_a_stream_gives_the_offline_words_and_times_in_any_chunking(
    chunk_s: float, left_s: float, right_s: float
) -> None:
    engine = FakeEncoding()
    rng = random.Random(f"{chunk_s}/{left_s}/{right_s}")
    for _ in range(3):
        audio = signal(spoken(rng, rng.randint(40, 300)))
        expected = offline(engine, audio)
        assert len(expected) > 5
        options = StreamOptions(chunk_s=chunk_s, left_context_s=left_s, right_context_s=right_s)
        assert streamed(engine, audio, options, rng) == expected


def test_a_duration_past_a_chunks_end_carries_into_the_next_chunk_and_so_does_the_decoder_state() -> None:
    engine = FakeEncoding()
    # chunk 0.4 s = 5 frames: a token on frame 4 lasting 3 frames skips frames 5 and 6 of the next chunk,
    # which hold tokens that must never be read; the next word starts on frame 7
    values = [SIL, SIL, SIL, SIL, code(1, 3), code(9), code(9), code(3), code(2), SIL]
    audio = signal(values)
    stream = engine.open_stream(StreamOptions(chunk_s=0.4, left_context_s=0.4, right_context_s=0.0))
    update = stream.feed(audio)
    final = [*update.final, *stream.finish().final]
    assert [(w.text, w.start_s, w.end_s) for w in final] == [("a", 0.32, 0.56), ("cb", 0.56, 0.72)]
    decoder = engine._decoder
    assert isinstance(decoder, FakeDecoderJoint)
    # frames 0-4, then 7-9: the prediction net began the second chunk with "a" as its last token
    assert decoder.targets == [BLANK] * 5 + [1, 3, 2]
    assert final == offline(engine, audio)


def test_right_context_words_are_partial_then_replaced_and_the_last_word_waits_for_the_next_chunk() -> None:
    engine = FakeEncoding()
    values = [code(1), code(2), SIL, code(3), SIL, SIL, code(6), SIL, code(7), code(8), SIL, SIL]  # ab c e fg
    audio = signal(values)
    stream = engine.open_stream(StreamOptions(chunk_s=0.32, left_context_s=0.32, right_context_s=0.32))
    first = stream.feed(audio[: 8 * FRAME])  # chunk frames 0-3, right context 4-7
    assert [w.text for w in first.final] == ["ab"]  # "c" may go on in the next chunk
    assert [(w.text, w.start_s) for w in first.partial] == [("c", 0.24), ("e", 0.48)]  # "e": the right context's
    assert first.decoded_s == pytest.approx(8 * FRAME / SAMPLE_RATE)
    second = stream.feed(audio[8 * FRAME :])
    assert [w.text for w in second.final] == ["c"]
    assert [(w.text, w.start_s, w.end_s) for w in second.partial] == [("e", 0.48, 0.56), ("fg", 0.64, 0.8)]
    last = stream.finish()
    assert [w.text for w in last.final] == ["e", "fg"] and last.partial == ()


def test_the_engine_streams_with_its_own_defaults_and_through_the_diarizing_wrapper() -> None:
    engine = FakeEncoding()
    assert can_stream(engine)
    assert can_stream(DiarizingEngine(engine, lambda _d, _p: None))  # type: ignore[arg-type,return-value]
    stream = engine.open_stream(StreamOptions())
    chunk, left, right = onnx_engine.STREAM_DEFAULTS
    frames = tuple(round(s * SAMPLE_RATE / FRAME) * FRAME for s in (chunk, left, right))
    assert (stream._chunk, stream._left, stream._right) == frames
    assert StreamOptions().seconds(MODEL_CARD) == MODEL_CARD
    assert StreamOptions(chunk_s=0.5, right_context_s=0.0).seconds(MODEL_CARD) == (0.5, MODEL_CARD[1], 0.0)
    # each step encodes at most left + chunk + right: the cost of a step does not grow with the recording
    audio = signal(spoken(random.Random(7), 2000))  # 160 s
    update = StreamUpdate((), (), 0.0)
    for at in range(0, audio.size, SAMPLE_RATE // 2):
        engine.encoded_s = 0.0
        update = stream.feed(audio[at : at + SAMPLE_RATE // 2])
        assert engine.encoded_s <= chunk + left + right + 1e-6
    assert update.final or update.partial


def test_close_forgets_the_audio_and_the_decoder_state() -> None:
    engine = FakeEncoding()
    stream = engine.open_stream(StreamOptions(chunk_s=0.4, left_context_s=0.4, right_context_s=0.0))
    stream.feed(signal([code(1), code(2), SIL, code(3), code(4), SIL, code(6)]))
    assert isinstance(stream, OnnxStream) and stream._state is not None and stream._tokens
    stream.close()
    assert stream._state is None and stream._tokens == [] and stream._audio.size == 0
    assert stream.finish().final == ()


def test_stop_ends_the_live_thread_at_once_and_closes_the_stream() -> None:
    """As with the NeMo stream: stop does not wait for the model to catch up; the stream is closed."""
    engine = FakeEncoding()
    opened: list[OnnxStream] = []
    real_open = engine.open_stream

    def open_stream(options: StreamOptions) -> OnnxStream:
        opened.append(real_open(options))
        return opened[-1]

    engine.open_stream = open_stream  # type: ignore[method-assign]
    tap = LiveTap(samplerate=SAMPLE_RATE, channels=1)
    live = LiveTranscriber(tap, lambda: engine)
    live.start()
    audio = signal(spoken(random.Random(3), 200))
    tap.put(audio)
    wait_until(lambda: live.text().final != ())
    started = time.monotonic()
    live.stop()
    assert time.monotonic() - started < 2.0
    assert opened and opened[0]._state is None and opened[0]._audio.size == 0  # closed
    assert [w.text for w in live.text().final] == [w.text for w in offline(engine, audio)][: len(live.text().final)]
