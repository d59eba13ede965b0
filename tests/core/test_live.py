"""Live text while recording, with fake engines: the tap never makes capture wait, a model that
cannot keep up costs the live text only (never a sample of the recording), and words settle."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from core.asr.engine import SAMPLE_RATE
from core.asr.live import LiveTap, LiveTranscriber, StreamOptions
from core.audio.capture import CaptureFormat
from core.types import RecordingId
from tests.core.fake_asr import FakeEngine
from tests.core.fake_audio import factory, tone
from tests.core.helpers import wait_until
from tests.session.test_session import Vault, make_vault

FMT = CaptureFormat(48_000, 2)


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path / "vault")


def test_tap_resamples_to_16k_mono_and_drops_past_its_backlog_without_waiting() -> None:
    tap = LiveTap(samplerate=48_000, channels=2, max_backlog_s=0.5)
    block = tone(0.1, channels=2)  # 4,800 frames
    started = time.monotonic()
    for _ in range(20):
        tap.put(block.reshape(-1))
    assert time.monotonic() - started < 1.0  # nobody reads the tap, and it never waited
    assert tap.heard_s == pytest.approx(2.0, abs=0.05)
    assert tap.dropped_s == pytest.approx(1.5, abs=0.1)
    got = tap.drain()
    assert sum(b.size for b in got) == pytest.approx(0.5 * SAMPLE_RATE, abs=1600)
    assert all(b.dtype == np.float32 and b.ndim == 1 for b in got)
    # room again once the model took what was waiting
    tap.put(block.reshape(-1))
    assert tap.dropped_s == pytest.approx(1.5, abs=0.1)


def test_words_arrive_partial_then_final() -> None:
    tap = LiveTap(samplerate=SAMPLE_RATE, channels=1)
    live = LiveTranscriber(tap, FakeEngine, options=StreamOptions(right_context_s=2.0))
    live.start()
    try:
        tap.put(np.zeros(int(2.5 * SAMPLE_RATE), np.float32))
        wait_until(lambda: live.text().partial != ())
        first = live.text()
        assert [w.text for w in first.partial] == ["w0", "w1"] and first.final == ()
        tap.put(np.zeros(2 * SAMPLE_RATE, np.float32))
        wait_until(lambda: len(live.text().final) >= 2)
        later = live.text()
        assert [w.text for w in later.final] == ["w0", "w1"]  # the same words, now settled
        assert [w.text for w in later.partial][:1] == ["w2"]
        assert later.version > first.version and not later.behind
    finally:
        live.stop()


def test_a_model_that_falls_behind_never_costs_the_recording_a_sample(vault: Vault) -> None:
    source = tone(8.0, channels=2)
    make, streams = factory(source, realtime_factor=20)
    slow = FakeEngine(feed_delay_s=1.0)  # a live step takes a second; audio arrives 20 times faster
    live = vault.session.recordings.start_recording(
        capture=FMT, stream_factory=make, live_engine=lambda: slow, live_options=StreamOptions(max_backlog_s=1.0)
    )
    wait_until(lambda: streams[0].delivered >= len(source))
    started = time.monotonic()
    result = vault.session.recordings.finish_recording(live)
    assert time.monotonic() - started < 5.0  # stopping does not wait for the model to catch up
    captured = _blob(vault, live.id).reshape(-1, 2)
    assert result.frames >= len(source)
    assert np.array_equal(captured[: len(source)], source)  # bit-exact: nothing dropped from the recording
    text = live.live_text()
    assert text is not None and text.behind  # the live text says it fell behind
    assert slow.streamed_s < 8.0  # the live feed really did skip audio


def test_a_failing_live_engine_leaves_the_recording_alone(vault: Vault) -> None:
    def broken() -> FakeEngine:
        raise RuntimeError("no model")

    source = tone(1.0, channels=2)
    make, streams = factory(source)
    live = vault.session.recordings.start_recording(capture=FMT, stream_factory=make, live_engine=broken)
    wait_until(lambda: streams[0].delivered >= len(source))
    wait_until(lambda: live.live_text() is not None and live.live_text().unavailable != "")  # type: ignore[union-attr]
    vault.session.recordings.finish_recording(live)
    assert np.array_equal(_blob(vault, live.id).reshape(-1, 2)[: len(source)], source)


def _blob(vault: Vault, rid: str) -> np.ndarray:
    with vault.session.audio.open_blob(RecordingId(rid), "original") as reader:
        return np.frombuffer(reader.read_at(0, reader.size), dtype="<f4")


def test_a_model_far_slower_than_real_time_gives_up_live_text_and_says_why() -> None:
    from core.asr.live import TOO_SLOW

    tap = LiveTap(samplerate=SAMPLE_RATE, channels=1)
    slow = FakeEngine()
    ticks = iter(range(10_000))
    # an injected clock that moves 1 s per reading: each feed of 0.5 s of audio "takes" 1 s (RTF 2)
    live = LiveTranscriber(tap, lambda: slow, clock=lambda: float(next(ticks)))
    live.start()
    try:
        for _ in range(30):
            tap.put(np.zeros(SAMPLE_RATE // 2, np.float32))
        wait_until(lambda: live.text().unavailable != "")
        assert live.text().unavailable == TOO_SLOW and live.text().behind
        fed = slow.streamed_s
        tap.put(np.zeros(SAMPLE_RATE, np.float32))
        time.sleep(0.3)
        assert slow.streamed_s == fed  # nothing more goes to the model
    finally:
        live.stop()
