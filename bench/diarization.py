"""Diarization benchmark: DER and speed of the Sortformer adapter on generated conversations.

A benchmark, never a test: it prints figures measured in one run.

    .venv/bin/python bench/diarization.py                                   # the committed test model
    .venv/bin/python bench/diarization.py --model path/to/diar_sortformer_4spk-v1.nemo --count 50
    .venv/bin/python bench/diarization.py --streaming        # the test model through the streaming loop
    .venv/bin/python bench/diarization.py --full-size --count 0 --long 2   # speed of a v2.1-sized model
    python3 bench/diarization.py --full-size --count 0 --long 3 --device cuda  # on a GPU (bench/gpu.sh)

The conversations are held out: espeak-ng personas (a new pitch, speed and base voice for each of the
ten voice variants) and sentences the test model never trained on, two or three speakers each, with
pauses and one turn change in five overlapped. DER is frame-based with the best speaker mapping
(core.diarization.der), shown with no collar and with md-eval's usual 0.25 s collar. Speed is the
real-time factor of `NemoDiarizer.diarize` (wall time / audio time; lower is faster) after one
warm-up, on in-memory audio; `rtfx` is its inverse, the throughput. Without espeak-ng (the GPU
machines) the conversations are `bench.babble`'s, for speed only. The long run joins windows
(`core.diarization.stitch`), or with ``--streaming`` runs NeMo's streaming loop with its speaker cache instead.

``--full-size`` measures speed only: a Sortformer of NVIDIA's streaming v2.1 size (17-layer, 512-wide
FastConformer, 18-layer transformer of 192, 128 mel features, about 117 M parameters) with random
weights, as no real weights can be downloaded here; its DER means nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import babble
from core.asr.engine import SAMPLE_RATE, ArraySource
from core.diarization.der import diarization_error_rate
from core.diarization.types import SpeakerTurn
from core.nemo import runtime, sortformer
from core.progress import CancelToken
from models.training import diar_data

TEST_DIARIZER = Path(__file__).resolve().parent.parent / "models/test/vaultscribe-test-sortformer-diar-small.nemo"


def conversations(count: int, seed: int, max_s: float) -> list[tuple[np.ndarray, list[SpeakerTurn]]]:
    if not count:
        return []  # before the generator: it would still voice its whole pool of clips
    if not babble.espeak_available():  # speed only: babble's DER means nothing
        return [babble.conversation(max_s, seed + i, speakers=2 + i % 2) for i in range(count)]
    return diar_data.labelled_conversations(count, seed, clips_per_voice=12, max_s=max_s)


def measure(diarizer: sortformer.NemoDiarizer, convs: list[tuple[np.ndarray, list[SpeakerTurn]]]) -> dict[str, float]:
    ders, ders_c, count_ok, wall, audio_s = [], [], 0, 0.0, 0.0
    for audio, reference in convs:
        started = time.perf_counter()
        result = diarizer.diarize(ArraySource(audio), progress=lambda _f: None, cancel=CancelToken())
        wall += time.perf_counter() - started
        audio_s += len(audio) / SAMPLE_RATE
        ders.append(diarization_error_rate(reference, result.turns))
        ders_c.append(diarization_error_rate(reference, result.turns, collar_s=0.25))
        count_ok += len(result.speakers) == len({t.speaker for t in reference})
    return {
        "conversations": len(convs),
        "audio_s": round(audio_s, 1),
        "der": round(statistics.mean(ders), 4),
        "der_median": round(statistics.median(ders), 4),
        "der_collar_0.25": round(statistics.mean(ders_c), 4),
        "speaker_count_right": round(count_ok / len(convs), 3),
        "rtf": round(wall / audio_s, 4),
        "rtfx": round(audio_s / wall, 1),  # throughput: audio seconds per wall second
    }


def full_size_diarizer(device: str) -> sortformer.NemoDiarizer:
    """NVIDIA's streaming Sortformer v2.1 architecture (its model card), random weights, streaming on."""
    runtime.go_offline()
    import torch
    from nemo.collections.asr.models import SortformerEncLabelModel
    from omegaconf import OmegaConf

    from models.training.diar_train import model_config

    cfg = model_config(512)
    cfg["streaming_mode"] = True
    cfg["model_defaults"] = {"fc_d_model": 512, "tf_d_model": 192}
    cfg["preprocessor"] |= {"features": 128, "normalize": "NA"}
    cfg["encoder"] |= {"feat_in": 128, "n_layers": 17, "n_heads": 8, "subsampling_conv_channels": 256}
    cfg["sortformer_modules"] |= {"fc_d_model": 512, "tf_d_model": 192}
    cfg["transformer_encoder"] |= {"num_layers": 18, "hidden_size": 192, "inner_size": 768, "num_attention_heads": 8}
    model = SortformerEncLabelModel(cfg=OmegaConf.create(cfg)).eval()
    info = runtime.choose_device(device, torch)
    model.to(torch.device(info.kind))
    return sortformer.NemoDiarizer(model, model_id="v2.1-size-random", device=info, torch=torch)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=TEST_DIARIZER)
    ap.add_argument("--count", type=int, default=40, help="short held-out conversations (up to 20 s)")
    ap.add_argument("--long", type=int, default=3, help="long conversations (about 2 minutes, several windows)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--streaming", action="store_true", help="run the model through NeMo's streaming loop")
    ap.add_argument("--full-size", action="store_true", help="speed of a v2.1-sized model (random weights)")
    ap.add_argument("--device", default="cpu", choices=["auto", "cpu", "cuda"])
    args = ap.parse_args(argv)
    started = time.perf_counter()
    if args.full_size:
        diarizer = full_size_diarizer(args.device)
    else:
        streaming = True if args.streaming else None
        diarizer = sortformer.load_diarizer(args.model, model_id=args.model.stem, device=args.device,
                                            streaming=streaming)
    import torch

    torch.set_num_threads(args.threads)  # choose_device takes every core; a shared machine gets its share
    load_s = time.perf_counter() - started
    short = conversations(args.count, args.seed, 20.0)
    long = conversations(args.long, args.seed + 1, 120.0)
    warm = (short or long)[0][0]
    diarizer.diarize(ArraySource(warm), progress=lambda _f: None, cancel=CancelToken())  # warm-up
    params = sum(p.numel() for p in diarizer._model.parameters())
    print(json.dumps({"model": "v2.1-size, random weights" if args.full_size else args.model.name,
                      "device": diarizer.device.name, "audio": babble.speech_source(),
                      "parameters": params, "streaming": diarizer.streaming, "threads": args.threads,
                      "import_and_load_s": round(load_s, 1),
                      "window_s": None if diarizer.streaming else diarizer.window_s,
                      "short": measure(diarizer, short) if short else None,
                      "long": measure(diarizer, long) if long else None}, indent=1))


if __name__ == "__main__":
    main()
