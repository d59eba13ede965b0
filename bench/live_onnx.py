"""Live text on the int8 ONNX engine: does it keep up on this CPU, and what do its chunk settings cost?

A benchmark, never a test: every setting runs side by side in one run, and the figures that matter are
ratios (compute seconds per audio second; WER against the offline pass of the same engine).

    .venv/bin/python bench/live_onnx.py                          # both parts, all settings
    .venv/bin/python bench/live_onnx.py --export-dir /tmp/big    # keep (or reuse) the full-size export
    .venv/bin/python bench/live_onnx.py --skip-speed --json      # WER part only (a minute or two)

Speed: the full-size Parakeet TDT 0.6B architecture (random weights, seed 0, as bench/asr.py builds
it) exported by core.asr.onnx_export (int8 encoder) and loaded by ``onnx_engine.load`` as the app
does. For each (chunk, left, right) setting, ``--seconds`` of espeak-ng speech arrive in 0.5 s blocks
on a simulated real-time clock (bench/live.py's ``simulate``: each call's real compute moves the
clock, so a setting slower than real time builds a backlog as it would while recording). ``rtf`` is
compute over audio (< 1 keeps up); ``chunk_rtf_*`` the same for each chunk's worth of audio, so a slow
step shows; ``offline_rtf`` the engine's offline pass of the same audio, measured in the same run.

Accuracy: the test model's ONNX export (models/test, exported here with the product's own
``export_onnx`` into a temporary models folder) on the 40 held-out sentences the accuracy tests use
(tests/asr/test_onnx_real.py: seed 4242, as one recording with pauses). Each setting's live final text
is scored against the reference and against the offline pass of the same engine (what is saved).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.live import simulate
from core.asr.engine import SAMPLE_RATE, ArraySource, TranscribeOptions
from core.asr.live import MODEL_CARD, StreamOptions
from core.progress import CancelToken, no_progress

#: (chunk, left context, right context) seconds: the issue's grid, the engine's defaults and Parakeet's
#: model-card settings (what NeMo's stream uses) for reference.
GRID = [(c, left, 0.5) for c in (0.5, 1.0, 2.0) for left in (2.0, 4.0, 8.0)]
BLOCK = SAMPLE_RATE // 2


def settings(args: argparse.Namespace) -> list[tuple[float, float, float]]:
    from core.asr.onnx_engine import STREAM_DEFAULTS

    out = [tuple(float(x) for x in s.split("/")) for s in args.setting] if args.setting else list(GRID)
    for extra in (STREAM_DEFAULTS, MODEL_CARD):
        if extra not in out:
            out.append(extra)
    return out  # type: ignore[return-value]


def full_size_export(export_dir: Path) -> tuple[dict[str, Path], float]:
    """The int8 export of the full-size architecture: made once into ``export_dir``, reused after."""
    from core.asr import onnx_export

    names = [onnx_export.ENCODER_INT8, onnx_export.DECODER_JOINT, onnx_export.FEATURES, onnx_export.META]
    if all((export_dir / n).is_file() for n in names):
        return {n: export_dir / n for n in names}, 0.0
    from bench.asr import engine_for, parakeet_sized_model

    export_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vs-bench-live-onnx-") as tmp:
        model = engine_for(parakeet_sized_model(Path(tmp), seed=0), "random", "cpu").nemo_model
        started = time.perf_counter()
        onnx_export.export(model, export_dir)
        spent = time.perf_counter() - started
    del model
    return {n: export_dir / n for n in names}, spent


def run_speed(args: argparse.Namespace) -> dict[str, Any]:
    from bench.asr import speech
    from core.asr import onnx_engine

    if args.export_dir:
        files, export_s = full_size_export(Path(args.export_dir))
    else:
        keep = tempfile.TemporaryDirectory(prefix="vs-bench-live-onnx-export-")
        files, export_s = full_size_export(Path(keep.name))
    engine = onnx_engine.load(files, model_id="parakeet-tdt-0.6b-architecture-random")
    simulate(engine, speech(4, seed=3)[0], StreamOptions(1.0, 2.0, 0.5))  # untimed: ONNX Runtime's set-up
    audio, _ = speech(args.seconds, seed=11)
    started = time.perf_counter()
    engine.transcribe(ArraySource(audio), TranscribeOptions(), progress=no_progress, cancel=CancelToken())
    offline_rtf = (time.perf_counter() - started) / (audio.size / SAMPLE_RATE)
    rows = []
    for chunk, left, right in settings(args):
        load_before = os.getloadavg()[0]
        sim = simulate(engine, audio, StreamOptions(chunk, left, right))
        sim.pop("text")
        row = {"chunk_s": chunk, "left_s": left, "right_s": right, **sim,
               "over_offline": round(sim["rtf"] / offline_rtf, 2), "load_avg": round(load_before, 1)}  # fmt: skip
        rows.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    return {"model": engine.model_id, "device": engine.device.name, "export_s": round(export_s, 1),
            "audio_s": round(audio.size / SAMPLE_RATE, 1), "offline_rtf": round(offline_rtf, 3),
            "rows": rows}  # fmt: skip


def run_accuracy(args: argparse.Namespace) -> dict[str, Any]:
    from models.loader import export_onnx, load_engine
    from models.store import MODELS_ENV, ModelStore
    from models.training import corpus, synth
    from models.training.data import TRAIN_SEED
    from models.training.wer import word_error_rate

    test_model = Path(__file__).resolve().parent.parent / "models" / "test" / "vaultscribe-test-tdt-en-small.nemo"
    model_id = "vaultscribe/test-tdt-en-small"
    pairs = synth.spoken_sentences(4242, 40, exclude=frozenset(corpus.sentences(TRAIN_SEED, 8000)))
    audio = synth.with_pauses([a for _, a in pairs])
    reference = " ".join(t for t, _ in pairs)
    with tempfile.TemporaryDirectory(prefix="vs-bench-live-onnx-models-") as tmp:
        root = Path(args.models_dir or tmp)
        os.environ[MODELS_ENV] = str(root)
        if not ModelStore(root).has_export(model_id):
            ModelStore(root).import_file(test_model)
            export_onnx(model_id, no_progress)
        engine = load_engine(model_id, "cpu:onnx", no_progress)
        offline = engine.transcribe(
            ArraySource(audio), TranscribeOptions(temp_dir=root), progress=no_progress, cancel=CancelToken()
        ).text
        rows = []
        for chunk, left, right in settings(args):
            stream = engine.open_stream(StreamOptions(chunk, left, right))  # type: ignore[attr-defined]
            words = [w for i in range(0, audio.size, BLOCK) for w in stream.feed(audio[i : i + BLOCK]).final]
            words += stream.finish().final
            stream.close()
            live = " ".join(w.text for w in words)
            row = {"chunk_s": chunk, "left_s": left, "right_s": right,
                   "wer_live_vs_reference": round(word_error_rate([reference], [live]), 4),
                   "wer_live_vs_offline": round(word_error_rate([offline], [live]), 4)}  # fmt: skip
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    return {"audio_s": round(audio.size / SAMPLE_RATE, 1), "sentences": len(pairs),
            "wer_offline_vs_reference": round(word_error_rate([reference], [offline]), 4), "rows": rows}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30, help="speech for each setting's timing run")
    parser.add_argument("--setting", action="append", help="CHUNK/LEFT/RIGHT seconds (repeatable); default: the grid")
    parser.add_argument("--export-dir", help="where the full-size int8 export is kept (made if missing)")
    parser.add_argument("--models-dir", help="a models folder for the test model's export (made if missing)")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-accuracy", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"cpus": os.cpu_count(), "load_avg_start": [round(x, 1) for x in os.getloadavg()]}
    if not args.skip_accuracy:
        report["accuracy"] = run_accuracy(args)
    if not args.skip_speed:
        report["speed"] = run_speed(args)
    report["load_avg_end"] = [round(x, 1) for x in os.getloadavg()]
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    wer = {(r["chunk_s"], r["left_s"], r["right_s"]): r for r in report.get("accuracy", {}).get("rows", [])}
    speed = {(r["chunk_s"], r["left_s"], r["right_s"]): r for r in report.get("speed", {}).get("rows", [])}
    if "accuracy" in report:
        print(f"test model offline WER {report['accuracy']['wer_offline_vs_reference']:.1%}")
    if "speed" in report:
        print(f"full-size int8 offline RTF {report['speed']['offline_rtf']}")
    print("chunk/left/right  rtf  chunk_rtf_p95  max  lag_at_end_s  latency_p50_s  WER_vs_ref  WER_vs_offline")
    for key in sorted(wer.keys() | speed.keys()):
        s, w = speed.get(key, {}), wer.get(key, {})
        print(f"{key}  {s.get('rtf')}  {s.get('chunk_rtf_p95')}  {s.get('chunk_rtf_max')}  {s.get('lag_at_end_s')}  "
              f"{s.get('latency_p50_s')}  {w.get('wer_live_vs_reference')}  {w.get('wer_live_vs_offline')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
