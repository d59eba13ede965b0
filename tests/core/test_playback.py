"""Playback logic with a stand-in output stream, and once through a real PortAudio device."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core import errors
from core.audio.capture import CaptureFormat
from core.types import RecordingId
from tests.core.audio_fixtures import best_correlation
from tests.core.helpers import wait_until
from tests.session.test_session import Vault, make_vault

RATE = 16_000


class FakeOut:
    """Pulls blocks from the player's callback, faster than real time, and keeps them."""

    def __init__(self, callback: Callable[..., None], block: int = 512) -> None:
        self._callback, self._block = callback, block
        self.played: list[np.ndarray] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def close(self) -> None:
        pass

    def _run(self) -> None:
        while not self._stop.is_set():
            out = np.empty((self._block, 1), np.float32)
            self._callback(out, self._block, None, None)
            self.played.append(out[:, 0].copy())
            time.sleep(0.0005)

    def audio(self) -> np.ndarray:
        return np.concatenate(self.played) if self.played else np.empty(0, np.float32)


class Outs:
    def __init__(self) -> None:
        self.made: list[FakeOut] = []

    def __call__(self, rate: int, device: Any, callback: Callable[..., None]) -> FakeOut:
        assert rate == RATE
        self.made.append(FakeOut(callback))
        return self.made[-1]


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path / "vault")


def stored_tone(vault: Vault, seconds: float = 2.0, *, lead_s: float = 0.0) -> tuple[str, np.ndarray]:
    """A recording whose 16 kHz audio is a known ramp-modulated tone, after ``lead_s`` of silence."""
    from tests.core.fake_audio import factory, tone

    signal = np.concatenate([np.zeros((int(lead_s * RATE), 1), np.float32), tone(seconds, rate=RATE)])
    make, streams = factory(signal, realtime_factor=200)
    live = vault.session.recordings.start_recording(capture=CaptureFormat(RATE, 1), stream_factory=make)
    while streams[0].delivered < len(signal):
        time.sleep(0.01)
    vault.session.recordings.finish_recording(live)
    with vault.session.audio.open_blob(RecordingId(live.id)) as reader:
        return live.id, np.frombuffer(reader.read_at(0, reader.size), dtype="<f4")


def test_plays_the_decrypted_audio_exactly_and_stops_at_the_end(vault: Vault) -> None:
    rid, pcm = stored_tone(vault)
    outs = Outs()
    player = vault.session.audio.open_player(RecordingId(rid), stream_factory=outs)
    assert abs(player.duration_s - len(pcm) / RATE) < 1e-6
    player.play()
    wait_until(lambda: not player.playing)
    assert player.finished and player.position_s == player.duration_s
    played = outs.made[0].audio()
    # silence until play() took effect, then the recording sample for sample
    lag = int(np.argmax(played != 0)) - int(np.argmax(pcm != 0))
    assert np.array_equal(played[lag : lag + len(pcm)], pcm)
    assert not played[lag + len(pcm) :].any()
    player.close()


def test_pause_holds_the_position_and_seek_moves_it(vault: Vault) -> None:
    rid, _ = stored_tone(vault, seconds=4.0)
    outs = Outs()
    player = vault.session.audio.open_player(RecordingId(rid), stream_factory=outs)
    player.play()
    wait_until(lambda: player.position_s > 0.5)
    player.pause()
    time.sleep(0.05)
    held = player.position_s
    time.sleep(0.1)
    assert player.position_s == held and not player.playing
    player.seek(3.0)
    assert player.position_s == 3.0
    player.play()
    wait_until(lambda: player.finished)
    player.close()


def test_speed_changes_duration_not_content(vault: Vault) -> None:
    rid, pcm = stored_tone(vault, seconds=3.0)
    for speed, expect in ((2.0, 0.5), (0.5, 2.0)):
        outs = Outs()
        player = vault.session.audio.open_player(RecordingId(rid), stream_factory=outs)
        player.set_speed(speed)
        player.play()
        wait_until(lambda p=player: not p.playing, timeout_s=30)
        player.close()
        played = outs.made[0].audio()
        voiced = int((np.abs(played) > 1e-4).sum())
        source = int((np.abs(pcm) > 1e-4).sum())  # the recording ends in silence of varying length
        assert abs(voiced / source - expect) < 0.05, (speed, voiced / source)
    with pytest.raises(errors.BadInput):
        vault.session.audio.open_player(RecordingId(rid), stream_factory=Outs()).set_speed(3.0)


def test_playback_through_a_real_portaudio_device(vault: Vault, virtual_microphone: str) -> None:
    import sounddevice as sd

    # PulseAudio's monitor starts delivering only once playback starts: lead with silence
    rid, pcm = stored_tone(vault, seconds=2.0, lead_s=0.5)
    heard: list[np.ndarray] = []
    with sd.InputStream(
        device=virtual_microphone,
        samplerate=RATE,
        channels=1,
        dtype="float32",
        callback=lambda data, *_: heard.append(data[:, 0].copy()),
    ):
        time.sleep(0.3)
        player = vault.session.audio.open_player(RecordingId(rid), device=virtual_microphone)
        player.play()
        wait_until(lambda: not player.playing, timeout_s=15)
        time.sleep(0.5)
        player.close()
    audio = np.concatenate(heard)
    assert float(np.abs(audio).max()) > 0.05, "the microphone heard nothing"
    voiced = pcm[int(0.5 * RATE) :]
    score = best_correlation(voiced, audio, max_lag=len(audio) - len(voiced))
    assert score >= 0.9, score


_NO_DEVICE_PROBE = """
import sounddevice as sd
from core.audio import playback
from core.errors import NoAudioOutput
try:
    sd.query_devices(kind="output")
    print("has-output")
except sd.PortAudioError:
    try:
        playback.sounddevice_output(16000, None, lambda *a: None)
    except NoAudioOutput as exc:
        print("refused:", exc)
"""


def test_no_output_device_is_said_in_words_not_portaudios() -> None:
    """The real PortAudio, in a process that sees no PulseAudio server (its own, so it starts without one)."""
    env = {k: v for k, v in os.environ.items() if k != "PULSE_SERVER"}
    env["PULSE_SERVER"] = "unix:/nonexistent/vaultscribe-no-pulse"
    done = subprocess.run([sys.executable, "-c", _NO_DEVICE_PROBE], capture_output=True, text=True, env=env, timeout=60)
    if done.stdout.strip() == "has-output":
        pytest.skip("this machine has a sound output device, so PortAudio cannot be made to lack one here")
    assert done.stdout.startswith("refused: No audio output device found."), done.stdout + done.stderr
