"""Speech-like audio made in memory with numpy alone, for machines without espeak-ng and sox.

The GPU machines the benchmarks run on once (bench/gpu.sh) carry Python wheels but no espeak-ng: there
the speed benchmarks fall back on this. It is not speech: voiced "syllables" (a glottal-like harmonic
series through three vowel formants, 80-300 ms, f0 85-260 Hz) in words and phrases with pauses,
at speech-like loudness. The encoders' cost does not depend on what is said; the random-weight models'
decoders emit what their seed makes them emit either way. Accuracy can never be measured on it.
Nothing is written to disk.
"""

from __future__ import annotations

import random
import shutil

import numpy as np

from core.asr.engine import SAMPLE_RATE
from core.diarization.types import SpeakerTurn

#: (F1, F2, F3) in Hz of a few vowels
VOWELS = [(730, 1090, 2440), (270, 2290, 3010), (300, 870, 2240), (530, 1840, 2480), (640, 1190, 2390),
          (490, 1350, 1690), (660, 1720, 2410)]


def espeak_available() -> bool:
    """Whether the benches' own generator (espeak-ng, then sox) can run here."""
    return shutil.which("espeak-ng") is not None and shutil.which("sox") is not None


def speech_source() -> str:
    return "espeak-ng speech" if espeak_available() else "numpy babble (espeak-ng or sox missing)"


def _syllable(rng: random.Random, f0: float) -> np.ndarray:
    n = int(rng.uniform(0.08, 0.3) * SAMPLE_RATE)
    t = np.arange(n, dtype=np.float32) / SAMPLE_RATE
    glide = f0 * (1 + rng.uniform(-0.12, 0.12) * t / max(t[-1], 1e-3))
    phase = 2 * np.pi * np.cumsum(glide) / SAMPLE_RATE
    formants = rng.choice(VOWELS)
    out = np.zeros(n, np.float32)
    for k in range(1, int(3800 // f0)):  # harmonics, weighted by how near each is to a formant
        freq = k * f0
        gain = sum(np.exp(-(((freq - f) / 110.0) ** 2)) for f in formants) / k**0.5
        if gain > 1e-3:
            out += np.float32(gain) * np.sin(k * phase).astype(np.float32)
    envelope = np.sin(np.pi * np.arange(n) / n).astype(np.float32) ** 0.6
    return out * envelope


def babble(seconds: float, seed: int, *, f0_range: tuple[float, float] = (85.0, 260.0)) -> np.ndarray:
    """``seconds`` of speech-like float32 audio at 16 kHz, the same for the same seed."""
    rng = random.Random(seed)
    total = int(seconds * SAMPLE_RATE)
    parts: list[np.ndarray] = []
    size = 0
    base = rng.uniform(*f0_range)
    while size < total:
        for _ in range(rng.randint(1, 4)):  # a word
            parts.append(_syllable(rng, base * rng.uniform(0.9, 1.1)))
            size += parts[-1].size
        gap = rng.uniform(0.03, 0.12) if rng.random() < 0.8 else rng.uniform(0.3, 0.8)  # between words, phrases
        parts.append(np.zeros(int(gap * SAMPLE_RATE), np.float32))
        size += parts[-1].size
    audio = np.concatenate(parts)[:total]
    peak = float(np.abs(audio).max()) or 1.0
    noise = np.random.default_rng(seed).normal(0, 0.003, total).astype(np.float32)
    return (audio / peak * 0.3 + noise).astype(np.float32)


def conversation(seconds: float, seed: int, speakers: int = 2) -> tuple[np.ndarray, list[SpeakerTurn]]:
    """Babble of ``speakers`` voices (each its own pitch range) taking turns of 2-8 s, with the turns."""
    rng = random.Random(seed)
    ranges = [(90.0, 130.0), (170.0, 240.0), (120.0, 170.0), (210.0, 280.0)][:speakers]
    parts, turns, at = [], [], 0.0
    speaker = 0
    while at < seconds:
        length = min(rng.uniform(2.0, 8.0), seconds - at)
        parts.append(babble(length, rng.randrange(1 << 30), f0_range=ranges[speaker]))
        turns.append(SpeakerTurn(f"speaker_{speaker}", round(at, 3), round(at + length, 3)))
        at += length
        speaker = (speaker + rng.randint(1, speakers - 1)) % speakers if speakers > 1 else 0
    return np.concatenate(parts), turns
