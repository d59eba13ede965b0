"""Synthetic speech for the test model: espeak-ng voices and festival's HTS voice, at 16 kHz mono.

A shard is one `.npz`: int16 samples back to back, their offsets, and the sentences as JSON.
"""

from __future__ import annotations

import json
import random
import subprocess
import tempfile
import wave
from collections.abc import Collection
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models.training import corpus

ESPEAK_VOICES = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-029", "en-gb-x-gbclan", "en-gb-x-gbcwmd"]
ESPEAK_VARIANTS = ["", "+f1", "+f2", "+f3", "+f4", "+m1", "+m2", "+m3", "+m4", "+m7"]
FESTIVAL_VOICE = "voice_cmu_us_slt_arctic_hts"
SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Voice:
    engine: str  # "espeak" or "festival"
    name: str
    speed: int  # espeak words per minute; festival ignores it
    pitch: int  # espeak 0-99
    tempo: float  # sox tempo applied afterwards


def random_voice(rng: random.Random, festival_share: float) -> Voice:
    if rng.random() < festival_share:
        return Voice("festival", FESTIVAL_VOICE, 0, 0, round(rng.uniform(0.9, 1.15), 3))
    name = rng.choice(ESPEAK_VOICES) + rng.choice(ESPEAK_VARIANTS)
    return Voice("espeak", name, rng.randint(130, 190), rng.randint(25, 75), 1.0)


def _to_pcm16k(wav: Path, tempo: float) -> np.ndarray:
    cmd = ["sox", str(wav), "-t", "raw", "-r", str(SAMPLE_RATE), "-c", "1", "-e", "signed", "-b", "16", "-"]
    if tempo != 1.0:
        cmd += ["tempo", "-s", str(tempo)]
    raw = subprocess.run(cmd, check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype=np.int16).copy()


def speak(text: str, voice: Voice) -> np.ndarray:
    """The sentence spoken by the voice, as int16 samples at 16 kHz."""
    with tempfile.TemporaryDirectory(prefix="vs-synth-") as tmp:
        wav = Path(tmp) / "s.wav"
        if voice.engine == "espeak":
            subprocess.run(["espeak-ng", "-v", voice.name, "-s", str(voice.speed), "-p", str(voice.pitch),
                            "-w", str(wav), text], check=True, capture_output=True)
        else:
            subprocess.run(["text2wave", "-eval", f"({voice.name})", "-o", str(wav)], input=text.encode(),
                           check=True, capture_output=True)
        return _to_pcm16k(wav, voice.tempo)


def _job(args: tuple[str, Voice]) -> np.ndarray:
    return speak(*args)


def write_shard(path: Path, texts: list[str], seed: int, festival_share: float = 0.15, workers: int = 2) -> None:
    rng = random.Random(seed)
    voices = [random_voice(rng, festival_share) for _ in texts]
    with ProcessPoolExecutor(workers) as pool:
        clips = list(pool.map(_job, zip(texts, voices, strict=True), chunksize=16))
    offsets = np.cumsum([0] + [len(c) for c in clips]).astype(np.int64)
    meta = [{"text": t, "voice": v.engine + ":" + v.name} for t, v in zip(texts, voices, strict=True)]
    np.savez(path, samples=np.concatenate(clips), offsets=offsets, meta=np.array(json.dumps(meta)))


def read_shard(path: Path) -> tuple[list[np.ndarray], list[dict[str, str]]]:
    with np.load(path) as z:
        samples, offsets = z["samples"], z["offsets"]
        meta = json.loads(str(z["meta"]))
    clips = [samples[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]
    return clips, meta


def spoken_sentences(seed: int, count: int, *, exclude: Collection[str] = ()) -> list[tuple[str, np.ndarray]]:
    """`count` corpus sentences (none of `exclude`) spoken by espeak-ng voices, as 16 kHz float32.
    Sentence and voice come from one seeded generator, so a seed always gives the same speech."""
    rng, out = random.Random(seed), list[tuple[str, np.ndarray]]()
    while len(out) < count:
        text = corpus.sentence(rng)
        if text in exclude:
            continue
        pcm = speak(text, random_voice(rng, festival_share=0.0))
        out.append((text, pcm.astype(np.float32) / 32768))
    return out


def spoken_phrase_sentences(seed: int, phrases: list[str], per_phrase: int) -> list[tuple[str, str, np.ndarray]]:
    """(phrase, sentence, speech): `per_phrase` corpus sentences carrying each phrase, spoken by seeded
    espeak-ng voices as 16 kHz float32; the same seed always gives the same speech."""
    rng, out = random.Random(seed), list[tuple[str, str, np.ndarray]]()
    for phrase in phrases:
        for _ in range(per_phrase):
            text = corpus.with_phrase(rng, phrase)
            pcm = speak(text, random_voice(rng, festival_share=0.0))
            out.append((phrase, text, pcm.astype(np.float32) / 32768))
    return out


def with_pauses(clips: list[np.ndarray], pause_s: float = 0.5) -> np.ndarray:
    """The clips one after another, each followed by `pause_s` of silence: one long recording."""
    pause = np.zeros(int(pause_s * SAMPLE_RATE), np.float32)
    return np.concatenate([np.concatenate([c, pause]) for c in clips])


def write_wav(path: Path, audio: np.ndarray) -> Path:
    """Mono float audio in [-1, 1] as a 16-bit, 16 kHz WAV file."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return path
