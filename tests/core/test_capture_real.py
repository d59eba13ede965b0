"""Recording through a real PortAudio device: a PulseAudio virtual microphone hears
synthetic speech played into it, and the vault must hold what it heard."""

from __future__ import annotations

import shutil
import subprocess
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from core.audio.capture import negotiate
from core.types import RecordingId
from tests.core.audio_fixtures import best_correlation
from tests.session.test_session import Vault, make_vault

SENTENCE = "The patient was seen on Tuesday and reports no further chest pain since the last visit."


def speech(folder: Path) -> tuple[np.ndarray, int]:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed; run 'make test', which installs it")
    path = folder / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(path), SENTENCE], check=True)
    with wave.open(str(path)) as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768
    return data, rate


def resample(data: np.ndarray, rate: int) -> np.ndarray:
    """The reference through the same 16 kHz conversion the vault uses."""
    import io

    from core.audio.pcm import to_asr_pcm

    out: list[bytes] = []
    to_asr_pcm(io.BytesIO(data.astype("<f4").tobytes()).read, samplerate=rate, channels=1, on_pcm=out.append)
    return np.frombuffer(b"".join(out), dtype="<f4")


def test_capture_from_a_real_portaudio_device(tmp_path: Path, virtual_microphone: str) -> None:
    import sounddevice as sd

    vault: Vault = make_vault(tmp_path / "vault")
    data, rate = speech(tmp_path)
    padded = np.concatenate([np.zeros(rate // 2, np.float32), data, np.zeros(rate // 2, np.float32)])
    fmt = negotiate(virtual_microphone)
    live = vault.session.recordings.start_recording(capture=fmt, device=virtual_microphone)
    with sd.OutputStream(device=virtual_microphone, samplerate=rate, channels=1, dtype="float32") as out:
        out.write(padded.reshape(-1, 1))
    time.sleep(0.5)
    result = vault.session.recordings.finish_recording(live)
    assert result.reason == "stopped"
    assert result.duration_s >= len(data) / rate
    with vault.session.audio.open_blob(RecordingId(live.id)) as reader:
        heard = np.frombuffer(reader.read_at(0, reader.size), dtype="<f4")
    assert float(np.abs(heard).max()) > 0.05, "the microphone heard nothing"
    reference = resample(data, rate)
    score = best_correlation(reference, heard, max_lag=len(heard) - len(reference))
    assert score >= 0.9, score


def test_input_devices_are_listed_and_negotiated(virtual_microphone: str) -> None:
    from core.audio.capture import list_input_devices

    devices = list_input_devices()
    assert virtual_microphone in [d.name for d in devices]
    fmt = negotiate(virtual_microphone, channels=2)
    assert fmt.channels == 2 and fmt.samplerate in (48_000, 44_100, 32_000, 16_000)
    assert fmt.chunk_bytes == int(fmt.samplerate * 2.0) * 2 * 4  # two seconds of audio per fsynced chunk
