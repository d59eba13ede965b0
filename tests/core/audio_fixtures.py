"""Audio files for the tests, made at test time: a distinctive stereo signal encoded
into every container the importer supports (nothing binary is committed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

RATE = 44_100

#: (file name, container, codec, sample rate)
FORMATS = [
    ("speech.wav", "wav", "pcm_s16le", RATE),
    ("speech.flac", "flac", "flac", RATE),
    ("speech.mp3", "mp3", "libmp3lame", RATE),
    ("speech.m4a", "ipod", "aac", RATE),
    ("speech.ogg", "ogg", "vorbis", RATE),
    ("speech.opus", "ogg", "libopus", 48_000),
    ("speech.webm", "webm", "libopus", 48_000),
    ("speech.mkv", "matroska", "aac", RATE),
    ("speech.mp4", "mp4", "aac", RATE),
    ("speech.mov", "mov", "aac", RATE),
]


def signal(seconds: float, rate: int = RATE) -> np.ndarray:
    """Two channels of a chirp with an amplitude envelope: easy to recognise after decoding."""
    t = np.arange(int(seconds * rate)) / rate
    sweep = np.sin(2 * np.pi * (200 + 300 * t) * t)
    envelope = 0.5 + 0.4 * np.sin(2 * np.pi * 1.3 * t)
    left = (0.6 * sweep * envelope).astype(np.float32)
    right = (0.6 * np.sin(2 * np.pi * 440 * t) * envelope).astype(np.float32)
    return np.stack([left, right])


def mono_16k(seconds: float) -> np.ndarray:
    """What the importer should produce from ``signal``: the channel average at 16 kHz."""
    return signal(seconds, 16_000).mean(axis=0)


def encode(path: Path, container: str, codec: str, rate: int, seconds: float = 3.0) -> Path:
    import av

    data = signal(seconds, rate)
    with av.open(str(path), "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate, layout="stereo", options={"strict": "experimental"})
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(data), format="fltp", layout="stereo")
        frame.rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def make_all(folder: Path, seconds: float = 3.0) -> dict[str, Path]:
    return {name: encode(folder / name, c, codec, rate, seconds) for name, c, codec, rate in FORMATS}


def video_only(path: Path) -> Path:
    """An mp4 with a video stream and no audio."""
    import av

    with av.open(str(path), "w") as out:
        stream = out.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for _ in range(10):
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), dtype=np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def best_correlation(a: np.ndarray, b: np.ndarray, max_lag: int = 2_000) -> float:
    """Normalised cross-correlation of ``a`` against ``b`` delayed by the best lag within ``max_lag``
    samples (codec delays, capture start): searched coarsely, then sample by sample."""
    n = min(len(a), len(b) - max_lag)
    assert n > 0, "b is too short for that lag"
    a = a[:n] - a[:n].mean()

    def at(lag: int) -> float:
        seg = b[lag : lag + n] - b[lag : lag + n].mean()
        denom = float(np.linalg.norm(a) * np.linalg.norm(seg)) or 1.0
        return float(np.dot(a, seg)) / denom

    coarse = max(range(0, max_lag + 1, 4), key=at)
    return max(at(lag) for lag in range(max(0, coarse - 4), min(max_lag, coarse + 4) + 1))
