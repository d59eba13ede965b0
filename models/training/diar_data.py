"""Speech for the diarization test model: `python -m models.training.diar_data OUTDIR`.

Conversations are built from a pool of *personas* (an espeak-ng voice, variant, pitch and speed), each
with its own utterances. Training composes conversations on the fly from the training pool, so each
epoch hears new turn orders, pauses and overlaps; the held-out conversations are fixed, and both their
sentences and their personas (new pitch/speed/base-voice draws) are unseen in training.

A conversation's reference is its list of turns: (speaker index, start_s, end_s).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.diarization.types import SpeakerTurn, speaker_label
from models.training.corpus import sentence
from models.training.synth import ESPEAK_VARIANTS, ESPEAK_VOICES, SAMPLE_RATE, Voice, speak

TRAIN_SEED, HELDOUT_SEED = 11, 12


@dataclass(frozen=True)
class Turn:
    speaker: int  # index into the conversation's speakers, in order of first appearance
    start_s: float
    end_s: float


def personas(rng: random.Random, per_variant: int) -> list[Voice]:
    """`per_variant` personas for each espeak variant (the variant sets the timbre; base voice,
    pitch and speed vary within it)."""
    out = []
    for variant in ESPEAK_VARIANTS:
        for _ in range(per_variant):
            out.append(Voice("espeak", rng.choice(ESPEAK_VOICES) + variant, rng.randint(135, 185),
                             rng.randint(25, 75), 1.0))
    return out


def short_sentence(rng: random.Random, max_words: int = 9) -> str:
    """A corpus sentence cut to a conversational turn (2-9 words)."""
    words = sentence(rng).split()
    n = rng.randint(2, max_words)
    start = rng.randint(0, max(0, len(words) - n))
    return " ".join(words[start : start + n])


def _job(args: tuple[str, Voice]) -> np.ndarray:
    return speak(*args)


def synth_pool(voices: list[Voice], per_voice: int, seed: int, workers: int = 2) -> tuple[list[np.ndarray], list[int]]:
    """`per_voice` utterances for each persona: the clips (int16) and each clip's persona index."""
    rng = random.Random(seed)
    jobs = [(short_sentence(rng), v) for v in voices for _ in range(per_voice)]
    owner = [i for i in range(len(voices)) for _ in range(per_voice)]
    with ProcessPoolExecutor(workers) as pool:
        clips = list(pool.map(_job, jobs, chunksize=16))
    return [_trim(c) for c in clips], owner


def _trim(clip: np.ndarray, threshold: int = 300) -> np.ndarray:
    """espeak pads its output with silence; the reference turn must be where the voice is."""
    loud = np.flatnonzero(np.abs(clip.astype(np.int32)) > threshold)
    if loud.size == 0:
        return clip
    return clip[max(0, loud[0] - 160) : loud[-1] + 160]


def compose(clips: list[np.ndarray], owner: list[int], voices: list[Voice], rng: random.Random, *,
            max_s: float = 20.0, with_personas: bool = False) -> Any:
    """One conversation of two or three personas of different variants, as float32 and its turns
    (and, with ``with_personas``, each speaker's persona index, for the training's auxiliary loss).

    Turns alternate between speakers (never the same one twice in a row), with pauses of 0.1-0.9 s,
    and one gap in five is a short overlap (0.1-0.4 s) of the next speaker over the last.
    """
    n_spk = rng.choice([2, 2, 3])
    variants: dict[str, list[int]] = {}
    for i, v in enumerate(voices):
        variants.setdefault(v.name.split("+")[-1] if "+" in v.name else "", []).append(i)
    chosen = rng.sample(sorted(variants), n_spk)
    speakers = [rng.choice(variants[k]) for k in chosen]
    by_voice: dict[int, list[int]] = {}
    for j, o in enumerate(owner):
        by_voice.setdefault(o, []).append(j)
    pos = rng.uniform(0.0, 1.0)
    placed: list[tuple[int, int, np.ndarray]] = []  # speaker, start sample, clip
    last = -1
    while True:
        options = [s for s in range(n_spk) if s != last]
        # Everyone speaks early on, so that every conversation really has n_spk speakers.
        unseen = [s for s in range(n_spk) if all(p[0] != s for p in placed)]
        spk = unseen[0] if unseen and rng.random() < 0.7 else rng.choice(options)
        if spk == last:
            spk = options[0]
        clip = clips[rng.choice(by_voice[speakers[spk]])]
        start = int(pos * SAMPLE_RATE)
        if (start + len(clip)) / SAMPLE_RATE > max_s and len({p[0] for p in placed}) == n_spk:
            break
        placed.append((spk, start, clip))
        last = spk
        gap = -rng.uniform(0.1, 0.4) if rng.random() < 0.2 else rng.uniform(0.1, 0.9)
        pos = max(pos + len(clip) / SAMPLE_RATE + gap, start / SAMPLE_RATE + 0.3)
    total = max(s + len(c) for _, s, c in placed) + int(rng.uniform(0.0, 1.0) * SAMPLE_RATE)
    audio = np.zeros(total, np.float32)
    for _, s, c in placed:
        audio[s : s + len(c)] += c.astype(np.float32) / 32768.0
    # Speakers are numbered by first appearance, as Sortformer's arrival-time-sorted outputs are.
    order: list[int] = []
    for spk, _, _ in placed:
        if spk not in order:
            order.append(spk)
    turns = [Turn(order.index(spk), s / SAMPLE_RATE, (s + len(c)) / SAMPLE_RATE) for spk, s, c in placed]
    if with_personas:
        return np.clip(audio, -1, 1), turns, [speakers[spk] for spk in order]
    return np.clip(audio, -1, 1), turns


def save_pool(path: Path, clips: list[np.ndarray], owner: list[int], voices: list[Voice]) -> None:
    offsets = np.cumsum([0] + [len(c) for c in clips]).astype(np.int64)
    meta = {"owner": owner, "voices": [v.name + f" s{v.speed} p{v.pitch}" for v in voices],
            "voice_fields": [[v.engine, v.name, v.speed, v.pitch, v.tempo] for v in voices]}
    np.savez(path, samples=np.concatenate(clips), offsets=offsets, meta=np.array(json.dumps(meta)))


def load_pool(path: Path) -> tuple[list[np.ndarray], list[int], list[Voice]]:
    with np.load(path) as z:
        samples, offsets = z["samples"], z["offsets"]
        meta = json.loads(str(z["meta"]))
    clips = [samples[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]
    voices = [Voice(e, n, int(s), int(p), float(t)) for e, n, s, p, t in meta["voice_fields"]]
    return clips, list(meta["owner"]), voices


def labelled_conversations(
    count: int, seed: int, *, clips_per_voice: int, max_s: float
) -> list[tuple[np.ndarray, list[SpeakerTurn]]]:
    """Generated conversations of voices no model was trained on (new personas from ``seed``: one per
    voice variant, new pitch, speed and base voice, saying sentences of that seed), with their reference
    turns labelled as a diarizer labels speakers. For the tests and the benchmark."""
    voices = personas(random.Random(seed), 1)
    clips, owner = synth_pool(voices, clips_per_voice, seed=seed)
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        audio, turns = compose(clips, owner, voices, rng, max_s=max_s)
        out.append((audio, [SpeakerTurn(speaker_label(t.speaker), t.start_s, t.end_s) for t in turns]))
    return out


def heldout_conversations(pool: Path, count: int, seed: int) -> list[tuple[np.ndarray, list[Turn]]]:
    clips, owner, voices = load_pool(pool)
    rng = random.Random(seed)
    return [compose(clips, owner, voices, rng) for _ in range(count)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--per-variant", type=int, default=4, help="training personas per espeak variant")
    ap.add_argument("--per-voice", type=int, default=60, help="utterances per training persona")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    train_voices = personas(random.Random(TRAIN_SEED), args.per_variant)
    clips, owner = synth_pool(train_voices, args.per_voice, seed=TRAIN_SEED)
    save_pool(args.out / "diar-train.npz", clips, owner, train_voices)
    print(f"train pool: {len(clips)} clips at {time.monotonic() - started:.0f} s", flush=True)
    held_voices = personas(random.Random(HELDOUT_SEED), 1)
    hclips, howner = synth_pool(held_voices, 20, seed=HELDOUT_SEED)
    save_pool(args.out / "diar-heldout.npz", hclips, howner, held_voices)
    print(json.dumps({"train_clips": len(clips), "heldout_clips": len(hclips),
                      "seconds": round(time.monotonic() - started)}))


if __name__ == "__main__":
    main()
