"""ASR benchmark: our pipeline against NeMo's own `transcribe()`, long-audio speed, and what chunking costs.

A benchmark, never a test: it prints figures measured side by side in one run.

    .venv/bin/python bench/asr.py                       # Parakeet-size model, random weights: 60, 300, 1800 s
    .venv/bin/python bench/asr.py --lengths 60 --rounds 3
    .venv/bin/python bench/asr.py --lengths 3600        # on a GPU: the 1-hour run, with peak GPU memory
    .venv/bin/python bench/asr.py --lengths 3600 --nemo-max-s 3600 --nemo-attention local --time-load  # bench/gpu.sh
    .venv/bin/python bench/asr.py --accuracy --model models/test/vaultscribe-test-tdt-en-small.nemo
    .venv/bin/python bench/asr.py --engine onnx --lengths 60   # int8 ONNX Runtime beside NeMo, one run

Speed does not depend on the weights, so the speed runs build the full-size Parakeet TDT 0.6B
architecture (FastConformer, 24 layers, d_model 1024, TDT joint) with random weights: no download.
"Ours" is the whole pipeline from decoded audio to stored words: the PCM sits encrypted in a vault,
is read back by range, decoded in windows, stitched, and the words are written to the vault.
"NeMo" is a bare `model.transcribe([array])` on the same model and audio, under the same autocast as
ours (bfloat16 on a GPU that has it). NeMo's full attention is
quadratic in length, so it is skipped above --nemo-max-s (its time is then extrapolated by nobody), unless
--nemo-attention local gives it the limited-context attention NeMo documents for long audio. A NeMo call
that fails (out of GPU memory, say) is recorded in its row as `nemo_error`; ours still counts.
--time-load saves the model as a `.nemo` in the run's temporary folder and times `nemo_asr.load` of it
(restore and move to the device: what the app's model child does once).

Without espeak-ng and sox (the GPU machines), the audio is `bench.babble`'s numpy babble instead of
speech; the result's `audio` says which.

--engine onnx exports the same model (NeMo's export, int8 encoder; core.asr.onnx_export) and runs it
through the same vault pipeline: "ours" is then the ONNX engine, and each row also gives our pipeline
through NeMo (``nemo_engine_rtfx``), the fp32 export's speed, and the token agreement of fp32 and int8
with NeMo's greedy tokens on the same audio. Model-ready time (hash and load the export's files) and
peak RSS are measured in a fresh process that loads only ONNX Runtime (``onnx``).

--accuracy uses a real trained model on held-out espeak-ng speech (a few minutes, one long file) and
prints WER per utterance (the model's best case) against our windowed pipeline in several settings.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import json
import os
import random
import statistics
import string
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import babble
from bench.audio import new_session
from bench.vault import verdict
from core.asr.engine import SAMPLE_RATE, ArraySource, Engine, TranscribeOptions
from core.nemo import asr as nemo_asr
from core.nemo import runtime
from core.progress import CancelToken, no_progress
from core.types import Recording, RecordingId
from models.training import corpus, synth
from models.training.wer import word_error_rate

OVERHEAD_TARGET = 0.95  # ours / NeMo's RTFx
CPU_RTFX_TARGET = 6.0
GPU_RTFX_TARGET = 1000.0

#: parakeet-tdt-0.6b-v2's architecture, as its model_config.yaml gives it
PARAKEET = {"features": 128, "d_model": 1024, "n_layers": 24, "n_heads": 8, "conv_channels": 256,
            "xscaling": False, "pred_hidden": 640, "pred_layers": 2, "joint_hidden": 640, "vocab": 1024}


def _random_sentences() -> list[str]:
    """Text for a 1,024-piece tokenizer: the test corpus has too few distinct words for that many."""
    rng = random.Random(0)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(20000)]
    return [" ".join(rng.choices(words, k=12)) for _ in range(20000)]


def parakeet_sized_model(workdir: Path, seed: int) -> Any:
    """The 0.6B Parakeet TDT architecture with random weights (the test model's recipe, scaled up)."""
    from models.training.train import model_config, train_tokenizer

    runtime.go_offline()
    import torch
    from nemo.collections.asr.models import EncDecRNNTBPEModel
    from omegaconf import OmegaConf

    train_tokenizer(_random_sentences(), workdir, PARAKEET["vocab"], seed)
    # Seeded: the encoder's cost does not depend on the weights, but greedy decoding does. Some random
    # joints emit ten tokens a frame, which no trained model does; this seed emits about 3 words/s.
    torch.manual_seed(seed)
    cfg = model_config(workdir)
    p = PARAKEET
    cfg["preprocessor"]["features"] = cfg["encoder"]["feat_in"] = p["features"]
    cfg["encoder"].update(d_model=p["d_model"], n_layers=p["n_layers"], n_heads=p["n_heads"],
                          subsampling_conv_channels=p["conv_channels"], xscaling=p["xscaling"])
    cfg["model_defaults"].update(enc_hidden=p["d_model"], pred_hidden=p["pred_hidden"],
                                 joint_hidden=p["joint_hidden"])
    cfg["decoder"]["prednet"].update(pred_hidden=p["pred_hidden"], pred_rnn_layers=p["pred_layers"])
    cfg["joint"]["jointnet"]["joint_hidden"] = p["joint_hidden"]
    model = EncDecRNNTBPEModel(cfg=OmegaConf.create(cfg))
    return model.eval()


def engine_for(model: Any, model_id: str, device: str) -> nemo_asr.NemoEngine:
    import torch

    info = runtime.choose_device(device, torch)
    model.to(torch.device(info.kind))
    return nemo_asr.NemoEngine(model, model_id=model_id, device=info, torch=torch)


def speech(seconds: float, seed: int) -> tuple[np.ndarray, list[str]]:
    """Held-out espeak-ng sentences with short pauses, repeated to length (speech-like input); without
    espeak-ng, numpy babble of the same length (and no texts)."""
    if not babble.espeak_available():
        return tile(babble.babble(min(seconds, 120), seed=seed), seconds), []
    rng = random.Random(seed)
    texts, clips, total = [], [], 0
    while total < min(seconds, 120) * SAMPLE_RATE:
        text = corpus.sentence(rng)
        clip = synth.speak(text, synth.random_voice(rng, 0.0)).astype(np.float32) / 32768
        clip = np.concatenate([clip, np.zeros(int(rng.uniform(0.3, 0.8) * SAMPLE_RATE), np.float32)])
        texts.append(text)
        clips.append(clip)
        total += len(clip)
    block = np.concatenate(clips)
    return tile(block, seconds), texts


def tile(block: np.ndarray, seconds: float) -> np.ndarray:
    reps = int(np.ceil(seconds * SAMPLE_RATE / len(block)))
    return np.tile(block, reps)[: int(seconds * SAMPLE_RATE)]


class VaultPipeline:
    """Our whole path: PCM encrypted in a throwaway vault, read back by range, words stored."""

    def __init__(self, root: Path) -> None:
        self.session = new_session(root)

    def add(self, audio: np.ndarray) -> Any:
        """The 16 kHz float32 PCM sealed in the vault as an import leaves it (its "audio" blob), without
        the decode: nothing in plaintext on disk, and no PyAV (which the GPU machines lack). Untimed."""
        rid = RecordingId(uuid.uuid4().hex)
        key = self.session.audio.new_recording_key()
        with self.session.audio.open_blob_writer(rid, key) as pcm:
            pcm.write(np.ascontiguousarray(audio, dtype="<f4").data)
        recording = Recording(rid, "bench", 0, duration_ms=round(len(audio) * 1000 / SAMPLE_RATE),
                                      status="imported")
        self.session.recordings.add_recording(recording, audio_key=key, audio_blob=pcm.path.name)
        return rid

    def run(self, engine: Engine, rid: Any, options: TranscribeOptions) -> Any:
        job = self.session.jobs.enqueue_transcription(rid, model_id=engine.model_id)
        return self.session.jobs.run_job(job, engine, options=options)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def gpu_peak(reset: bool = False) -> float | None:
    import torch

    if not torch.cuda.is_available():
        return None
    if reset:
        torch.cuda.reset_peak_memory_stats()
        return None
    return float(torch.cuda.max_memory_allocated()) / 2**30


def same_precision(engine: nemo_asr.NemoEngine) -> Any:
    """NeMo's bare call under the autocast our engine decodes with (bfloat16 on a GPU that has it, as
    NeMo's own transcribe_speech.py does with amp), so the two sides differ in the pipeline alone."""
    import torch

    if engine.device.kind == "cuda" and engine.device.dtype == "bfloat16":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def release_gpu_memory(torch: Any) -> None:
    import gc

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def time_load(model: Any, engine: nemo_asr.NemoEngine, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The model saved as a `.nemo`, then `nemo_asr.load` of it timed: restore and move to the device."""
    import torch

    path = work / "model.nemo"
    try:
        save_s, _ = timed(lambda: model.save_to(str(path)))
        size = path.stat().st_size
        release_gpu_memory(torch)
        load_s, loaded = timed(lambda: nemo_asr.load(path, model_id="load-check", device=engine.device.kind,
                                                         attention=args.attention))
        if engine.device.kind == "cuda":
            torch.cuda.synchronize()
        del loaded
        release_gpu_memory(torch)
    except Exception as exc:  # noqa: BLE001 - a figure the run records, not one that stops it
        return {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    finally:
        path.unlink(missing_ok=True)
    return {"nemo_file_mib": round(size / 2**20, 1), "save_s": round(save_s, 2), "load_s": round(load_s, 2)}


def run_speed(args: argparse.Namespace) -> dict[str, Any]:
    import torch

    with tempfile.TemporaryDirectory(prefix="vs-bench-asr-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        if args.model:
            engine = nemo_asr.load(Path(args.model), model_id=Path(args.model).stem, device=args.device)
        else:
            model = parakeet_sized_model(work, args.seed)
            engine = engine_for(model, "parakeet-tdt-0.6b-architecture-random", args.device)
        model = engine.nemo_model
        build_s = time.perf_counter() - started

        def attention(kind: str) -> None:
            """Ours runs with --attention; NeMo's bare call always with the model's own full attention."""
            if kind == "local":
                model.change_attention_model("rel_pos_local_attn", [128, 128])
                model.change_subsampling_conv_chunking_factor(1)
            else:
                model.change_attention_model("rel_pos", [-1, -1])

        pipeline = VaultPipeline(work / "vault")
        options = TranscribeOptions(batch_size=args.batch, chunk_s=args.chunk_s, overlap_s=args.overlap_s,
                                    temp_dir=work / "vault" / "tmp")
        # Warm-up, untimed: the first call of either path pays for lazy set-up inside torch and NeMo.
        warm, _ = speech(5, seed=3)
        attention(args.attention)
        pipeline.run(engine, pipeline.add(warm), options)
        attention(args.nemo_attention)
        with torch.inference_mode(), same_precision(engine):
            model.transcribe([warm], batch_size=1, verbose=False)
        rows = []
        for length in args.lengths:
            audio, _ = speech(length, seed=11)
            rid = pipeline.add(audio)
            ours, nemo = [], []
            peak_ours = peak_nemo = None
            nemo_error: str | None = None
            for _ in range(args.rounds):
                gpu_peak(reset=True)
                attention(args.attention)
                t, result = timed(lambda: pipeline.run(engine, rid, options))  # noqa: B023
                ours.append(t)
                peak_ours = gpu_peak()
                if length <= args.nemo_max_s and nemo_error is None:
                    attention(args.nemo_attention)
                    gpu_peak(reset=True)
                    try:
                        with torch.inference_mode(), same_precision(engine):
                            t, _ = timed(lambda: model.transcribe([audio], batch_size=1, verbose=False))  # noqa: B023
                    except Exception as exc:  # noqa: BLE001 - recorded: CUDA out of memory is a figure too
                        nemo_error = f"{type(exc).__name__}: {str(exc)[:300]}"
                        peak_nemo = gpu_peak()
                        release_gpu_memory(torch)
                        continue
                    nemo.append(t)
                    peak_nemo = gpu_peak()
            row: dict[str, Any] = {"audio_s": length, "ours_s": statistics.median(ours),
                                   "ours_rtfx": length / statistics.median(ours), "words": len(result.words),
                                   "words_per_s": len(result.words) / length,
                                   "ours_gpu_peak_gib": peak_ours}
            if nemo:
                row.update(nemo_s=statistics.median(nemo), nemo_rtfx=length / statistics.median(nemo),
                           nemo_gpu_peak_gib=peak_nemo)
                row["ratio"] = row["ours_rtfx"] / row["nemo_rtfx"]
            if nemo_error is not None:
                row.update(nemo_error=nemo_error, nemo_gpu_peak_gib=peak_nemo)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        per_s = [r["ours_s"] / r["audio_s"] for r in rows]
        load = time_load(model, engine, work, args) if args.time_load else None
        return {
            "device": engine.device.__dict__,
            "model": engine.model_id,
            "audio": babble.speech_source(),
            "options": {"batch": args.batch, "chunk_s": args.chunk_s, "overlap_s": args.overlap_s,
                        "attention": args.attention, "nemo_attention": args.nemo_attention},
            "build_or_load_s": build_s,
            "load": load,
            "rows": rows,
            # seconds per audio second at the longest length over the shortest: > 1 means superlinear growth
            "growth": per_s[-1] / per_s[0],
            "threads": torch.get_num_threads(),
            "cpus": os.cpu_count(),
        }


def _tokens_as_words(tokens: list[int]) -> str:
    return " ".join(f"t{t}" for t in tokens)


def token_agreement(reference: list[int], hypothesis: list[int]) -> float:
    """1 - token error rate of ``hypothesis`` against ``reference`` (edit distance over tokens)."""
    return 1.0 - word_error_rate([_tokens_as_words(reference)], [_tokens_as_words(hypothesis)])


def run_onnx(args: argparse.Namespace) -> dict[str, Any]:
    """--engine onnx: the export's int8 engine through our pipeline, beside NeMo's, on one model."""
    import subprocess

    import torch

    from core.asr import onnx_engine, onnx_export

    with tempfile.TemporaryDirectory(prefix="vs-bench-onnx-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        if args.model:
            nemo = nemo_asr.load(Path(args.model), model_id=Path(args.model).stem, device="cpu")
        else:
            nemo = engine_for(parakeet_sized_model(work, args.seed), "parakeet-tdt-0.6b-architecture-random", "cpu")
            nemo.nemo_model.change_attention_model("rel_pos_local_attn", [128, 128])
            nemo.nemo_model.change_subsampling_conv_chunking_factor(1)
        nemo_build_s = time.perf_counter() - started
        model = nemo.nemo_model
        export_dir = work / "export"
        export_dir.mkdir()
        export_s, names = timed(functools.partial(onnx_export.export, model, export_dir, keep_fp32=True))
        sizes = {n: (export_dir / n).stat().st_size for n in names}
        print(json.dumps({"export_s": export_s, "sizes": sizes}), file=sys.stderr, flush=True)
        files = {n: export_dir / n for n in names}
        int8 = onnx_engine.load(files, model_id=nemo.model_id)
        fp32_session = _fp32_session(export_dir)
        fp32 = onnx_engine.OnnxTdtEngine(
            fp32_session, int8._decoder, json.loads(files[onnx_export.META].read_text()), int8._features.filterbank,
            np.load(export_dir / onnx_export.FEATURES)["window"], model_id=nemo.model_id, device=nemo.device,
        )
        pipeline = VaultPipeline(work / "vault")
        options = TranscribeOptions(batch_size=1, chunk_s=args.chunk_s, overlap_s=args.overlap_s,
                                    temp_dir=work / "vault" / "tmp")
        warm, _ = speech(5, seed=3)
        for engine in (int8, nemo):
            pipeline.run(engine, pipeline.add(warm), options)
        rows = []
        for length in args.lengths:
            audio, _ = speech(length, seed=11)
            rid = pipeline.add(audio)
            t_onnx, result = timed(functools.partial(pipeline.run, int8, rid, options))
            t_nemo, _ = timed(functools.partial(pipeline.run, nemo, rid, options))
            row: dict[str, Any] = {"audio_s": length, "ours_s": t_onnx, "ours_rtfx": length / t_onnx,
                                   "words": len(result.words), "words_per_s": len(result.words) / length,
                                   "nemo_engine_s": t_nemo, "nemo_engine_rtfx": length / t_nemo,
                                   "ratio_vs_nemo_engine": t_nemo / t_onnx}
            if length <= args.agreement_max_s:  # one window: the same frames reach both decoders
                window = audio[: int(min(length, args.chunk_s) * SAMPLE_RATE)]
                # NeMo with the attention the export has (full: core.asr.onnx_export says why)
                model.change_attention_model("rel_pos", [-1, -1])
                with torch.inference_mode():
                    (hyp,) = model.transcribe([window], batch_size=1, verbose=False, return_hypotheses=True)
                model.change_attention_model("rel_pos_local_attn", [128, 128])
                reference = [int(t) for t in hyp.y_sequence]
                t_fp32, fp32_tokens = timed(functools.partial(_window_tokens, fp32, window))
                int8_tokens = _window_tokens(int8, window)
                row.update(tokens=len(reference), fp32_agreement=token_agreement(reference, fp32_tokens),
                           int8_agreement=token_agreement(reference, int8_tokens),
                           fp32_rtfx=len(window) / SAMPLE_RATE / t_fp32)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        model_id = nemo.model_id
        # The product's model child loads beside a small GUI, not beside this benchmark's NeMo model and its
        # sessions: free them first. Held, they slowed the probe's ONNX Runtime sessions from about 2 s to
        # 4.9 s on a quiet machine (bench/RESULTS.md, 2026-12-07, third session).
        del files, int8, fp32, fp32_session, model, nemo, pipeline, result
        gc.collect()
        probe_audio = work / "probe.npy"
        np.save(probe_audio, speech(min(args.lengths), seed=11)[0])
        probe = subprocess.run(
            [sys.executable, __file__, "--probe-onnx", str(export_dir), str(probe_audio)],
            capture_output=True, text=True, check=True,
        )
        onnx = json.loads(probe.stdout.strip().splitlines()[-1])
        onnx.update(export_s=export_s, sizes_bytes=sizes)
        per_s = [r["ours_s"] / r["audio_s"] for r in rows]
        return {
            "engine": "onnx",
            "device": {"kind": "cpu", "name": f"CPU, {os.cpu_count()} threads", "dtype": "int8"},
            "model": model_id,
            "options": {"batch": 1, "chunk_s": args.chunk_s, "overlap_s": args.overlap_s, "attention": "local"},
            "build_or_load_s": onnx["ready_s"],
            "nemo_build_s": nemo_build_s,
            "onnx": onnx,
            "rows": rows,
            "growth": per_s[-1] / per_s[0],
            "threads": torch.get_num_threads(),
            "cpus": os.cpu_count(),
        }


def _window_tokens(engine: Any, window: np.ndarray) -> list[int]:
    return [t for t, _, _ in engine.decode(engine.encode(window))]


def _fp32_session(export_dir: Path) -> Any:
    import onnxruntime as ort

    from core.asr import onnx_export

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = os.cpu_count() or 1
    opts.log_severity_level = 3
    path = export_dir / onnx_export.FP32_DIR / "encoder-model.onnx"
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def probe_onnx(export_dir: Path, audio_file: Path) -> dict[str, Any]:
    """In a fresh process: hash and load the int8 export as the product does (through a store's
    ``open_export``: every file hashed through its descriptor, loaded by it), then transcribe once."""
    import resource

    from core.asr import onnx_engine, onnx_export
    from models.store import ModelStore

    audio = np.load(audio_file)
    names = [onnx_export.ENCODER_INT8, onnx_export.DECODER_JOINT, onnx_export.FEATURES, onnx_export.META]
    with tempfile.TemporaryDirectory(prefix="vs-probe-") as tmp:
        store = ModelStore(Path(tmp))
        model_id = store.manifest[0].id  # any: the record names the files, the manifest only the source
        store.install_export(model_id, export_dir, names)
        started = time.perf_counter()
        with store.open_export(model_id) as export:
            hashed_s = time.perf_counter() - started
            engine = onnx_engine.load({n: export.load_path(n) for n in names}, model_id="probe")
        ready_s = time.perf_counter() - started
    t, _ = timed(lambda: engine.transcribe(ArraySource(audio), TranscribeOptions(), progress=no_progress,
                                           cancel=CancelToken()))
    # VmHWM, not getrusage's ru_maxrss: that one keeps the high-water mark of the parent this process was
    # forked from (the benchmark, holding NeMo's model) across exec, and read 10.2 GiB here for that reason.
    status = Path("/proc/self/status").read_text() if Path("/proc/self/status").exists() else ""
    hwm = [int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmHWM:")]
    peak = hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"ready_s": ready_s, "hash_s": hashed_s, "sessions_s": ready_s - hashed_s,
            "audio_s": len(audio) / SAMPLE_RATE, "rtfx": len(audio) / SAMPLE_RATE / t, "peak_rss_gib": peak / 2**30}


def run_accuracy(args: argparse.Namespace) -> dict[str, Any]:
    """WER per utterance (no windows) against our pipeline on one long file, in several settings."""
    pairs = synth.spoken_sentences(5, args.utterances)
    texts, clips = [t for t, _ in pairs], [c for _, c in pairs]
    long = synth.with_pauses(clips)
    reference = " ".join(texts)
    out: dict[str, Any] = {"audio_s": len(long) / SAMPLE_RATE, "utterances": len(texts)}
    engine = nemo_asr.load(Path(args.model), model_id="test", device=args.device, attention="full")
    import torch

    with torch.inference_mode():
        hyps = engine.nemo_model.transcribe(clips, batch_size=16, verbose=False)
    out["per_utterance_wer"] = word_error_rate(texts, [h.text for h in hyps])
    local = nemo_asr.load(Path(args.model), model_id="test", device=args.device, attention="local")
    settings = [(engine, "full", 30.0, 4.0), (engine, "full", 20.0, 2.0), (engine, "full", 12.0, 1.0),
                (engine, "full", 8.0, 0.5), (local, "local", 300.0, 4.0), (local, "local", 120.0, 4.0),
                (local, "local", 60.0, 4.0), (local, "local", 30.0, 2.0)]
    for eng, attention, chunk, overlap in settings:
        opts = TranscribeOptions(chunk_s=chunk, overlap_s=overlap)
        r = eng.transcribe(ArraySource(long), opts, progress=no_progress, cancel=CancelToken())
        out[f"{attention}_{chunk:g}s_{overlap:g}s_wer"] = word_error_rate([reference], [r.text])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lengths", type=float, nargs="+", default=[60, 300, 1800])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0, help="initial weights of the random model")
    parser.add_argument("--model", help="a .nemo instead of the random-weight Parakeet-size model")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--batch", type=int, help="windows per batch (default: 8 on a GPU, 1 on the CPU)")
    parser.add_argument("--chunk-s", type=float, default=TranscribeOptions.chunk_s)
    parser.add_argument("--overlap-s", type=float, default=TranscribeOptions.overlap_s)
    parser.add_argument("--attention", default=nemo_asr.DEFAULT_ATTENTION, choices=["full", "local"])
    parser.add_argument("--nemo-max-s", type=float, default=300, help="longest audio NeMo's bare call gets")
    parser.add_argument("--nemo-attention", default="full", choices=["full", "local"],
                        help="the attention of NeMo's bare call (local: NeMo's own setting for long audio)")
    parser.add_argument("--time-load", action="store_true", help="save the model as a .nemo and time loading it")
    parser.add_argument("--accuracy", action="store_true", help="WER of the windowed pipeline (needs --model)")
    parser.add_argument("--utterances", type=int, default=60)
    parser.add_argument("--engine", default="nemo", choices=["nemo", "onnx"],
                        help="onnx: the int8 ONNX export through our pipeline, beside NeMo (CPU only)")
    parser.add_argument("--agreement-max-s", type=float, default=120,
                        help="longest audio whose tokens are compared with NeMo's (--engine onnx)")
    parser.add_argument("--probe-onnx", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.probe_onnx:
        print(json.dumps(probe_onnx(*args.probe_onnx)))
        return 0
    if args.engine == "onnx":
        result = run_onnx(args)
        print(json.dumps(result, indent=None if args.json else 2))
        return 0
    if args.accuracy:
        if not args.model:
            parser.error("--accuracy needs --model (a trained .nemo)")
        result = run_accuracy(args)
        print(json.dumps(result, indent=None if args.json else 2))
        return 0
    result = run_speed(args)
    if args.json:
        print(json.dumps(result))
        return 0
    gpu = result["device"]["kind"] == "cuda"
    target = GPU_RTFX_TARGET if gpu else CPU_RTFX_TARGET
    print(f"device: {result['device']['name']} ({result['device']['dtype']}); model {result['model']}")
    print(f"options: {result['options']}; model ready in {result['build_or_load_s']:.1f} s")
    print(f"{'audio':>8} {'ours s':>8} {'ours RTFx':>10} {'NeMo s':>8} {'NeMo RTFx':>10} {'ratio':>7}  verdicts")
    for r in result["rows"]:
        nemo = f"{r['nemo_s']:8.1f} {r['nemo_rtfx']:10.1f} {r['ratio']:7.2f}" if "ratio" in r else f"{'-':>8} " * 3
        checks = [f"RTFx≥{target:g}: {verdict(r['ours_rtfx'] >= target)}"]
        if "ratio" in r:
            checks.append(f"ratio≥{OVERHEAD_TARGET}: {verdict(r['ratio'] >= OVERHEAD_TARGET)}")
        if "nemo_error" in r:
            checks.append(f"NeMo failed: {r['nemo_error']}")
        if r.get("ours_gpu_peak_gib") is not None:
            checks.append(f"GPU peak {r['ours_gpu_peak_gib']:.1f} GiB")
        print(f"{r['audio_s']:8.0f} {r['ours_s']:8.1f} {r['ours_rtfx']:10.1f} {nemo}  {'; '.join(checks)}")
    print(f"growth (seconds per audio second, longest over shortest): {result['growth']:.2f} "
          f"{verdict(result['growth'] <= 1.25)}  (1.0 is linear, below 1 better than linear)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
