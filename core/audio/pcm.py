"""Turning captured audio (float32, interleaved, any rate and channel count) into
the 16 kHz mono float32 the ASR engine takes, a block at a time, in memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.audio.importer import BYTES_PER_SAMPLE, SAMPLE_RATE_HZ

BLOCK_FRAMES = 1 << 16


def to_asr_pcm(read: Callable[[int], bytes], *, samplerate: int, channels: int, on_pcm: Callable[[bytes], None]) -> int:
    """Read interleaved float32 through ``read(n)`` until it returns b""; returns output samples."""
    import av
    import numpy as np

    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE_HZ)
    out_samples = 0
    pts = 0

    def emit(frames: list[Any]) -> None:
        nonlocal out_samples
        for frame in frames:
            on_pcm(bytes(frame.planes[0])[: frame.samples * BYTES_PER_SAMPLE])
            out_samples += frame.samples

    frame_bytes = channels * BYTES_PER_SAMPLE
    while block := read(BLOCK_FRAMES * frame_bytes):
        usable = len(block) - len(block) % frame_bytes
        # Down-mix here, as the plain mean of the channels: FFmpeg's own down-mix
        # adds channels at -3 dB each and can push a loud stereo file past full scale.
        data = np.frombuffer(block[:usable], dtype="<f4").reshape(-1, channels).mean(axis=1, dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(data.reshape(1, -1), format="flt", layout="mono")
        frame.rate = samplerate
        frame.pts = pts
        pts += len(data)
        emit(resampler.resample(frame))
    emit(resampler.resample(None))
    return out_samples
