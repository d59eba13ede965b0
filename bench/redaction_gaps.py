"""Untimed speech beside a redacted span: how far past a detected phone number its speech still runs,
and how much a gap-fill bound (``core.redaction.audio.speech_beside``) masks of it, and of its neighbours.

A benchmark, never a test: it prints figures measured in one run.

    .venv/bin/python bench/redaction_gaps.py              # 40 numbers, about 5 minutes on 2 cores
    .venv/bin/python bench/redaction_gaps.py --count 20 --json

Each recording is three espeak-ng clips spoken by one seeded voice, with 120 ms between them: a lead-in
("please call me on"), a phone number spoken digit by digit ("oh seven seven zero …", sometimes with
"double"), and a tail ("thanks a lot"). So where the number's speech really is is known: the voiced
frames of its own clip. The test model transcribes the whole recording (the offline path, as a job
does). The redacted span is what a reviewer marks with ``review --add`` (the test model mishears too
many digits for the detector to find most numbers): the words the model wrote over the number's
clip, from the first to the last; their times give the span, as ``session.review.add_redaction`` stores it.
Recordings where the model wrote no word over the number are counted apart. Then, for each bound:

- "number audible": voiced number frames outside the mask (span, speech beside it up to the bound,
  then the 120 ms margin) — speech the redacted copy would still play;
- "neighbours masked": voiced frames of the lead-in and tail inside the mask, beyond what the margin
  alone already masks — the cost of the bound.

A frame is "voiced" by the same rule the product uses (within 30 dB of the span's loudest frame,
above -50 dBFS).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from core.types import Word

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.asr.engine import SAMPLE_RATE, ArraySource, TranscribeOptions
from core.progress import CancelToken
from core.redaction import audio as audio_redaction
from core.redaction.timing import merge_intervals
from models.training.synth import random_voice, speak

TEST_MODEL = Path(__file__).resolve().parent.parent / "models" / "test" / "vaultscribe-test-tdt-en-small.nemo"
BOUNDS_MS = (0, 250, 500, 750, 1000, 1500)
DIGITS = ("oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
LEADS = ("please call me on", "my number is", "you can reach her at", "the ward phone is")
TAILS = ("thanks a lot", "after six", "any time tomorrow", "if I am out")
GAP_S = 0.12
FRAME = audio_redaction.GAP_FRAME_MS * SAMPLE_RATE // 1000


def spoken_number(rng: random.Random) -> str:
    return " ".join(DIGITS[rng.randrange(10)] for _ in range(rng.choice((7, 10, 11))))


def voiced_mask(samples: np.ndarray, threshold_dbfs: float) -> np.ndarray:
    """Per sample: inside a frame loud enough to be speech."""
    out = np.zeros(samples.size, dtype=bool)
    for i in range(0, samples.size, FRAME):
        frame = samples[i : i + FRAME].astype(np.float64)
        db = 20 * np.log10(max(float(np.sqrt(np.mean(frame * frame))), 1e-10))
        out[i : i + FRAME] = db >= threshold_dbfs
    return out


def one(engine: Any, rng: random.Random, tmp: Path) -> dict[str, Any] | None:
    voice = random_voice(rng, festival_share=0.0)
    lead, number, tail = rng.choice(LEADS), spoken_number(rng), rng.choice(TAILS)
    clips = [speak(text, voice).astype(np.float32) / 32768 for text in (lead, number, tail)]
    gap = np.zeros(int(GAP_S * SAMPLE_RATE), np.float32)
    audio = np.concatenate([clips[0], gap, clips[1], gap, clips[2]])
    number_at = clips[0].size + gap.size
    truth = np.zeros(audio.size, dtype=bool)
    truth[number_at : number_at + clips[1].size] = True

    result = engine.transcribe(
        ArraySource(audio), TranscribeOptions(temp_dir=tmp), progress=lambda _f: None, cancel=CancelToken()
    )
    words = [Word(w.text, round(w.start_s * 1000), round(w.end_s * 1000)) for w in result.words]
    first_ms, last_ms = number_at * 1000 // SAMPLE_RATE, (number_at + clips[1].size) * 1000 // SAMPLE_RATE
    over = [i for i, w in enumerate(words) if first_ms <= (w.start_ms + w.end_ms) // 2 < last_ms]
    if not over:
        return None
    spans = [(words[over[0]].start_ms, words[over[-1]].end_ms)]
    source = ArraySource(audio)
    loudest = max(
        audio_redaction._loudest_dbfs(source, a, b, SAMPLE_RATE) or audio_redaction.SPEECH_FLOOR_DBFS
        for a, b in spans
    )
    threshold = max(audio_redaction.SPEECH_FLOOR_DBFS, loudest - audio_redaction.SPEECH_BELOW_SPAN_DB)
    voiced = voiced_mask(audio, threshold)
    word_times = [(w.start_ms, w.end_ms) for w in words]

    def masked(bound: int) -> np.ndarray:
        beside = audio_redaction.speech_beside(source, spans, word_times, max_gap_ms=bound) if bound else []
        out = np.zeros(audio.size, dtype=bool)
        intervals = merge_intervals([*spans, *beside], margin_ms=audio_redaction.DEFAULT_MARGIN_MS,
                                    duration_ms=audio.size * 1000 // SAMPLE_RATE)  # fmt: skip
        for a, b in intervals:
            out[a * SAMPLE_RATE // 1000 : b * SAMPLE_RATE // 1000] = True
        return out

    base = masked(0)
    row: dict[str, Any] = {"text": result.text, "number": number, "span_ms": spans[0], "number_ms": (first_ms, last_ms)}
    for bound in BOUNDS_MS:
        m = masked(bound)
        audible = voiced & truth & ~m
        # how far the audible number speech runs from the nearest masked sample
        row[f"audible_ms@{bound}"] = int(audible.sum()) * 1000 // SAMPLE_RATE
        row[f"extra_neighbour_ms@{bound}"] = int((voiced & ~truth & m & ~base).sum()) * 1000 // SAMPLE_RATE
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2112)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from core.nemo import asr as nemo_asr

    engine = nemo_asr.load(TEST_MODEL, model_id="vaultscribe/test-tdt-en-small", device="cpu")
    rng = random.Random(args.seed)
    rows = []
    with tempfile.TemporaryDirectory(prefix="vs-gaps-") as tmp:
        for _ in range(args.count):
            row = one(engine, rng, Path(tmp))
            if row is not None:
                rows.append(row)
    summary = {
        "recordings": args.count,
        "number_heard": len(rows),
        "bounds": {
            bound: {
                "recordings_with_audible_number_speech": sum(r[f"audible_ms@{bound}"] > 0 for r in rows),
                "audible_number_ms_total": sum(r[f"audible_ms@{bound}"] for r in rows),
                "audible_number_ms_max": max((r[f"audible_ms@{bound}"] for r in rows), default=0),
                "extra_neighbour_ms_total": sum(r[f"extra_neighbour_ms@{bound}"] for r in rows),
                "extra_neighbour_ms_max": max((r[f"extra_neighbour_ms@{bound}"] for r in rows), default=0),
            }
            for bound in BOUNDS_MS
        },
    }
    if args.json:
        print(json.dumps({"summary": summary, "rows": rows}, indent=1))
        return
    print(f"{summary['number_heard']} of {args.count} recordings: the test model wrote words over the number")
    print("bound ms | recordings with number audible | audible number ms (total, max) | "
          "extra neighbour ms (total, max)")
    for bound, s in summary["bounds"].items():
        print(
            f"{bound:8} | {s['recordings_with_audible_number_speech']:30} | "
            f"{s['audible_number_ms_total']:6} {s['audible_number_ms_max']:6}             | "
            f"{s['extra_neighbour_ms_total']:6} {s['extra_neighbour_ms_max']:6}"
        )


if __name__ == "__main__":
    main()
