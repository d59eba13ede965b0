"""Live transcription benchmark: partial-text latency, real-time factor, and live-vs-offline WER.

A benchmark, never a test: it prints figures measured in one run.

    .venv/bin/python bench/live.py                      # both parts, about 10 minutes on 2 cores
    .venv/bin/python bench/live.py --skip-parakeet      # the test model only
    .venv/bin/python bench/live.py --seconds 30 --json
    python3 bench/live.py --device cuda --skip-test-model      # on a GPU (bench/gpu.sh)

How latency is measured: audio "arrives" in 0.5 s blocks on a simulated real-time clock, as the
recorder's tap delivers it; the live thread takes every block waiting (at least one), feeds it to
the stream and the text is shown when that call returns. Each call's real compute time moves the
clock, so a model slower than real time builds a backlog exactly as it would while recording. A
word's latency is the time from the end of its audio (its final time stamp) to the moment it is
first shown, partial or final. RTF is compute seconds per audio second (< 1 keeps up); the
`chunk_rtf_*` figures are the same over each chunk's worth (`--chunk-s`) of fed audio (p50, p95,
worst), so one slow chunk shows.

Accuracy: recordings of held-out espeak-ng sentences with pauses, decoded by the live stream (final
words only) and by the offline pipeline (`NemoEngine.transcribe`, what the job queue stores), with
the test model. "live vs offline" is the WER of the live text with the offline text as reference:
how much the live text differs from the transcript that replaces it.

Speed of the full-size architecture: Parakeet TDT 0.6B's FastConformer-TDT (24 layers, d_model
1024) with random weights, seed 0 (see bench/asr.py: it emits about 3.5 words a second, like a
trained model); its words are noise, its timing is not.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.asr.engine import SAMPLE_RATE, ArraySource, AsrWord, TranscribeOptions
from core.asr.live import CHUNK_S, LEFT_CONTEXT_S, MODEL_CARD, RIGHT_CONTEXT_S, StreamOptions
from core.nemo import asr as nemo_asr
from core.progress import CancelToken

BLOCK_S = 0.5
TEST_MODEL = Path(__file__).resolve().parent.parent / "models" / "test" / "vaultscribe-test-tdt-en-small.nemo"


def simulate(engine: Any, audio: np.ndarray, options: StreamOptions) -> dict[str, Any]:
    """Feed ``audio`` as if it arrived in real time; return latencies, RTF and the final words."""
    stream = engine.open_stream(options)
    block = int(BLOCK_S * SAMPLE_RATE)
    arrivals = [(min(i + block, audio.size) / SAMPLE_RATE, i) for i in range(0, audio.size, block)]
    clock = 0.0
    compute = 0.0
    shown_at: list[float] = []  # wall time each word index was first shown
    finals: list[AsrWord] = []
    feeds: list[tuple[float, float]] = []  # (audio seconds, compute seconds) of each feed call
    k = 0
    while k < len(arrivals):
        clock = max(clock, arrivals[k][0])  # wait for the next block
        j = k
        while j + 1 < len(arrivals) and arrivals[j + 1][0] <= clock:  # and take all that are waiting
            j += 1
        start, end = arrivals[k][1], min(arrivals[j][1] + block, audio.size)
        t0 = time.perf_counter()
        update = stream.feed(audio[start:end])
        spent = time.perf_counter() - t0
        compute += spent
        feeds.append(((end - start) / SAMPLE_RATE, spent))
        clock += spent
        finals += update.final
        shown = len(finals) + len(update.partial)
        shown_at += [clock] * max(0, shown - len(shown_at))
        k = j + 1
    t0 = time.perf_counter()
    finals += stream.finish().final
    spent = time.perf_counter() - t0
    compute += spent
    clock += spent
    shown_at += [clock] * max(0, len(finals) - len(shown_at))
    stream.close()
    duration = audio.size / SAMPLE_RATE
    chunk_rtf = per_chunk_rtf(feeds, options.seconds(MODEL_CARD)[0])
    latencies = [max(0.0, shown_at[i] - w.end_s) for i, w in enumerate(finals)]
    return {
        "audio_s": round(duration, 1),
        "rtf": round(compute / duration, 3),
        "keeps_up": compute / duration < 1.0,
        "lag_at_end_s": round(clock - duration, 2),
        "chunks": len(chunk_rtf),
        "chunk_rtf_p50": round(float(np.percentile(chunk_rtf, 50)), 3),
        "chunk_rtf_p95": round(float(np.percentile(chunk_rtf, 95)), 3),
        "chunk_rtf_max": round(max(chunk_rtf), 3),
        "latency_p50_s": round(float(np.percentile(latencies, 50)), 2) if latencies else None,
        "latency_p95_s": round(float(np.percentile(latencies, 95)), 2) if latencies else None,
        "words": len(finals),
        "text": " ".join(w.text for w in finals),
    }


def per_chunk_rtf(feeds: list[tuple[float, float]], chunk_s: float) -> list[float]:
    """Compute over audio for each stretch of about ``chunk_s`` of fed audio: the stream buffers most
    blocks and decodes once a chunk (and its right context) is in, so single feed calls say little."""
    out, audio_s, spent_s = [], 0.0, 0.0
    for fed, spent in feeds:
        audio_s += fed
        spent_s += spent
        if audio_s >= chunk_s - 1e-9:
            out.append(spent_s / audio_s)
            audio_s = spent_s = 0.0
    if audio_s > 0:
        out.append(spent_s / audio_s)
    return out


def recordings(count: int, per: int, seed: int) -> list[tuple[str, np.ndarray]]:
    from models.training import corpus, synth
    from models.training.data import TRAIN_SEED

    # held-out: sentences the model never trained on (as tests/asr/conftest.py's heldout)
    pairs = synth.spoken_sentences(seed, count * per, exclude=frozenset(corpus.sentences(TRAIN_SEED, 8000)))
    out = []
    for r in range(count):
        part = pairs[r * per : (r + 1) * per]
        out.append((" ".join(t for t, _ in part), synth.with_pauses([a for _, a in part], pause_s=0.4)))
    return out


def run_test_model(args: argparse.Namespace) -> dict[str, Any]:
    from models.training.wer import word_error_rate

    engine = nemo_asr.load(TEST_MODEL, model_id="vaultscribe/test-tdt-en-small", device=args.device)
    options = StreamOptions(chunk_s=args.chunk_s, left_context_s=args.left_s, right_context_s=args.right_s)
    refs, offline, live, sims = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="vs-bench-live-") as tmp:
        for text, audio in recordings(args.recordings, args.sentences, seed=5150):
            result = engine.transcribe(
                ArraySource(audio), TranscribeOptions(temp_dir=Path(tmp)), progress=lambda _f: None,
                cancel=CancelToken(),
            )
            sim = simulate(engine, audio, options)
            refs.append(text)
            offline.append(result.text)
            live.append(sim["text"])
            sims.append(sim)
    return {
        "recordings": len(refs),
        "audio_s": round(sum(s["audio_s"] for s in sims), 1),
        "wer_offline_vs_reference": round(word_error_rate(refs, offline), 4),
        "wer_live_vs_reference": round(word_error_rate(refs, live), 4),
        "wer_live_vs_offline": round(word_error_rate(offline, live), 4),
        "rtf": round(statistics.median(s["rtf"] for s in sims), 3),
        "latency_p50_s": statistics.median(s["latency_p50_s"] for s in sims),
        "latency_p95_s": max(s["latency_p95_s"] for s in sims),
    }


def run_parakeet(args: argparse.Namespace) -> dict[str, Any]:
    from bench import babble
    from bench.asr import engine_for, parakeet_sized_model, speech

    if args.model:  # a small run of the same code (bench/gpu.sh --cpu-smoke)
        engine = nemo_asr.load(Path(args.model), model_id=Path(args.model).stem, device=args.device)
    else:
        with tempfile.TemporaryDirectory(prefix="vs-bench-live-") as tmp:
            model = parakeet_sized_model(Path(tmp), seed=0)
        model.change_attention_model("rel_pos_local_attn", [128, 128])  # as nemo_asr.load sets it up
        model.change_subsampling_conv_chunking_factor(1)
        engine = engine_for(model, "parakeet-tdt-0.6b-architecture-random", args.device)
    options = StreamOptions(chunk_s=args.chunk_s, left_context_s=args.left_s, right_context_s=args.right_s)
    warm, _ = speech(6, seed=3)
    simulate(engine, warm, options)  # untimed: torch's and NeMo's lazy set-up
    audio, _ = speech(args.seconds, seed=11)
    out = simulate(engine, audio, options)
    out.pop("text")
    out.update(model=engine.model_id, device=engine.device.name, audio=babble.speech_source())
    # side by side on the same audio: the offline pass (what the job queue runs), so the ratio holds
    # even when this shared machine is slower or faster than usual
    t0 = time.perf_counter()
    engine.transcribe(ArraySource(audio), TranscribeOptions(), progress=lambda _f: None, cancel=CancelToken())
    offline_s = time.perf_counter() - t0
    out["offline_rtf"] = round(offline_s / (audio.size / SAMPLE_RATE), 3)
    out["live_over_offline"] = round(out["rtf"] / out["offline_rtf"], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="audio for the full-size timing run")
    parser.add_argument("--recordings", type=int, default=5, help="test-model recordings for WER and latency")
    parser.add_argument("--sentences", type=int, default=6, help="held-out sentences per recording")
    parser.add_argument("--chunk-s", type=float, default=CHUNK_S)
    parser.add_argument("--left-s", type=float, default=LEFT_CONTEXT_S)
    parser.add_argument("--right-s", type=float, default=RIGHT_CONTEXT_S)
    parser.add_argument("--skip-parakeet", action="store_true")
    parser.add_argument("--model", help="a .nemo for the timing part instead of the random full-size model")
    parser.add_argument("--device", default="cpu", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--skip-test-model", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(2)  # this shared machine's share; on a GPU the threads barely matter
    report: dict[str, Any] = {
        "settings": {"chunk_s": args.chunk_s, "left_context_s": args.left_s, "right_context_s": args.right_s,
                     "block_s": BLOCK_S, "threads": torch.get_num_threads()},
    }
    if not args.skip_test_model:
        report["test_model"] = run_test_model(args)
    if not args.skip_parakeet:
        report["parakeet_size"] = run_parakeet(args)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"settings: {report['settings']}")
    t = report.get("test_model")
    if t:
        print(f"test model, {t['recordings']} recordings, {t['audio_s']} s: "
              f"WER offline {t['wer_offline_vs_reference']:.1%}, "
              f"live {t['wer_live_vs_reference']:.1%}, live vs offline {t['wer_live_vs_offline']:.1%}; "
              f"RTF {t['rtf']}, latency p50 {t['latency_p50_s']} s, p95 {t['latency_p95_s']} s")
    if "parakeet_size" in report:
        p = report["parakeet_size"]
        print(f"Parakeet-size, {p['audio_s']} s: RTF {p['rtf']} ({'keeps up' if p['keeps_up'] else 'falls behind'}), "
              f"lag at end {p['lag_at_end_s']} s, latency p50 {p['latency_p50_s']} s, p95 {p['latency_p95_s']} s; "
              f"offline RTF {p['offline_rtf']} (live costs {p['live_over_offline']}x the offline pass)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
