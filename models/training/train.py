"""Train the small FastConformer-TDT test model on the CPU: `python -m models.training.train DATA OUT.nemo`.

The model is an ordinary NeMo `EncDecRNNTBPEModel` with a TDT joint and TDT decoding, so it loads and
transcribes through exactly the code path Parakeet uses. Training is a plain PyTorch loop because NeMo's
TDT loss (and hence Lightning's `fit`) runs on CUDA only; `tdt_loss.py` is the CPU loss.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.training import Tensor
from models.training.configs import conformer_config, preprocessor_config
from models.training.synth import read_shard
from models.training.wer import word_error_rate

DURATIONS = [0, 1, 2, 3, 4]
SIGMA = 0.02


def train_tokenizer(texts: list[str], out: Path, vocab_size: int, seed: int) -> None:
    import sentencepiece as spm

    corpus = out / "corpus.txt"
    corpus.write_text("\n".join(texts) + "\n")
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(out / "tokenizer"), vocab_size=vocab_size, model_type="bpe",
        character_coverage=1.0, bos_id=-1, eos_id=-1, unk_id=0, num_threads=1,
        minloglevel=2,
    )
    pieces = [line.split("\t")[0] for line in (out / "tokenizer.vocab").read_text().splitlines()]
    (out / "vocab.txt").write_text("\n".join(pieces) + "\n")
    corpus.unlink()


def model_config(tokenizer_dir: Path) -> dict[str, Any]:
    d_model, hidden = 96, 160
    return {
        "sample_rate": 16000,
        "compute_eval_loss": False,
        "log_prediction": False,
        "rnnt_reduction": "mean_volume",
        "skip_nan_grad": False,
        "model_defaults": {"enc_hidden": d_model, "pred_hidden": hidden, "joint_hidden": hidden,
                           "tdt_durations": DURATIONS, "num_tdt_durations": len(DURATIONS)},
        # transcribe() reads validation_ds; no manifest is ever given (the app feeds arrays).
        "validation_ds": {"manifest_filepath": None, "sample_rate": 16000, "batch_size": 16, "shuffle": False},
        "tokenizer": {"dir": str(tokenizer_dir), "type": "bpe"},
        "preprocessor": preprocessor_config(),
        "spec_augment": {
            "_target_": "nemo.collections.asr.modules.SpectrogramAugmentation",
            "freq_masks": 2, "time_masks": 5, "freq_width": 15, "time_width": 0.05,
        },
        "encoder": conformer_config(d_model, n_layers=6),
        "decoder": {
            "_target_": "nemo.collections.asr.modules.RNNTDecoder",
            "normalization_mode": None, "random_state_sampling": False, "blank_as_pad": True,
            "prednet": {"pred_hidden": hidden, "pred_rnn_layers": 1, "t_max": None, "dropout": 0.1},
        },
        "joint": {
            "_target_": "nemo.collections.asr.modules.RNNTJoint",
            "log_softmax": None, "preserve_memory": False, "fuse_loss_wer": False,
            "num_extra_outputs": len(DURATIONS),
            "jointnet": {"joint_hidden": hidden, "activation": "relu", "dropout": 0.1},
        },
        "decoding": {"strategy": "greedy_batch", "model_type": "tdt", "durations": DURATIONS,
                     "greedy": {"max_symbols": 10}},
        "loss": {"loss_name": "tdt", "tdt_kwargs": {"fastemit_lambda": 0.0, "clamp": -1.0,
                                                    "durations": DURATIONS, "sigma": SIGMA, "omega": 0.0}},
        "optim": {"name": "adamw", "lr": 2e-3, "betas": [0.9, 0.98], "weight_decay": 1e-3},
    }


def build_model(tokenizer_dir: Path) -> Any:
    from nemo.collections.asr.models import EncDecRNNTBPEModel
    from omegaconf import OmegaConf

    return EncDecRNNTBPEModel(cfg=OmegaConf.create(model_config(tokenizer_dir)))


def augment(clip: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = clip.astype(np.float32) / 32768.0
    x *= 10 ** (rng.uniform(-10, 4) / 20)
    if rng.random() < 0.5:
        power = float(np.mean(x**2)) + 1e-10
        snr_db = rng.uniform(20, 40)
        x = x + rng.normal(0, math.sqrt(power / 10 ** (snr_db / 10)), x.shape).astype(np.float32)
    return np.asarray(np.clip(x, -1, 1), dtype=np.float32)


@dataclass(frozen=True)
class Example:
    """One training input: one to three utterances with pauses between them and silence around them.

    Real recordings have silences and several sentences per window; a model that never heard them
    fails on them (per-feature normalisation shifts, and it hallucinates words in silence).
    """

    parts: tuple[int, ...]
    pauses_s: tuple[float, ...]  # before the first part, between parts, after the last
    samples: int


def compose_epoch(lengths: list[int], rng: random.Random, *, compose: bool, max_s: float = 12.0) -> list[Example]:
    """Stage 1 (compose=False): every utterance alone, as synthesised. Stage 2: composed examples."""
    if not compose:
        return [Example((j,), (0.0, 0.0), n) for j, n in enumerate(lengths)]
    order = list(range(len(lengths)))
    rng.shuffle(order)
    out, i = [], 0
    while i < len(order):
        want = rng.choices([1, 2, 3], weights=[5, 3, 2])[0]
        parts = order[i : i + want]
        if sum(lengths[j] for j in parts) > max_s * 16000:
            parts = parts[:1]
        i += len(parts)
        edges = [rng.uniform(0, 2.5) if rng.random() < 0.6 else 0.0 for _ in range(2)]
        pauses = (edges[0], *(rng.uniform(0.15, 1.2) for _ in parts[1:]), edges[1])
        out.append(Example(tuple(parts), pauses, sum(lengths[j] for j in parts) + int(sum(pauses) * 16000)))
    return out


def render(example: Example, clips: list[np.ndarray]) -> np.ndarray:
    pieces = [np.zeros(int(example.pauses_s[0] * 16000), np.int16)]
    for k, j in enumerate(example.parts):
        pieces += [clips[j], np.zeros(int(example.pauses_s[k + 1] * 16000), np.int16)]
    return np.concatenate(pieces)


def batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length, so that little padding is computed."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    out: list[list[int]] = []
    pool = batch_size * 50
    for i in range(0, len(order), pool):
        chunk = sorted(order[i : i + pool], key=lambda j: lengths[j])
        out += [chunk[k : k + batch_size] for k in range(0, len(chunk), batch_size)]
    rng.shuffle(out)
    return out


def step_loss(model: Any, audio: Tensor, audio_len: Tensor, labels: Tensor,
              label_len: Tensor) -> Tensor:
    from models.training.tdt_loss import tdt_loss
    spec, spec_len = model.preprocessor(input_signal=audio, length=audio_len)
    spec = model.spec_augmentation(input_spec=spec, length=spec_len)
    enc, enc_len = model.encoder(audio_signal=spec, length=spec_len)
    dec, _, _ = model.decoder(targets=labels, target_length=label_len)
    f = model.joint.project_encoder(enc.transpose(1, 2))
    g = model.joint.project_prednet(dec.transpose(1, 2))
    logits = model.joint.joint_net(f.unsqueeze(2) + g.unsqueeze(1))
    nll = tdt_loss(logits, labels, enc_len, label_len, blank=model.decoder.blank_idx, durations=DURATIONS,
                   sigma=SIGMA)
    return nll.sum() / label_len.sum()


def evaluate(model: Any, clips: list[np.ndarray], texts: list[str], pad_s: float = 0.0) -> float:
    """Held-out WER; with pad_s, each clip sits between pad_s and pad_s/2 seconds of silence."""
    import torch
    pad = [np.zeros(int(pad_s * 16000), np.float32), np.zeros(int(pad_s * 8000), np.float32)]
    audio = [np.concatenate([pad[0], c.astype(np.float32) / 32768.0, pad[1]]) for c in clips]
    model.eval()
    with torch.inference_mode():
        hyps = model.transcribe(audio, batch_size=32, verbose=False)
    model.train()
    return word_error_rate(texts, [h.text for h in hyps])


def main() -> None:
    import torch
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--steps", type=int, default=3300)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--compose", action=argparse.BooleanOptionalAction, default=True,
                    help="stage 2: several utterances per example, with pauses and silence around them")
    ap.add_argument("--init", type=Path, help="start from this .nemo (stage 1's output) and keep its tokenizer")
    ap.add_argument("--stop-after", type=int, help="stop at this step, keeping the schedule of --steps")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng, nrng = random.Random(args.seed), np.random.default_rng(args.seed)

    clips: list[np.ndarray] = []
    texts: list[str] = []
    for shard in sorted(args.data.glob("train-*.npz")):
        c, meta = read_shard(shard)
        clips += c
        texts += [m["text"] for m in meta]
    held_clips, held_meta = read_shard(args.data / "heldout-espeak.npz")
    held_texts = [m["text"] for m in held_meta]
    print(f"{len(clips)} training clips, {sum(map(len, clips)) / 16000 / 3600:.1f} h", flush=True)

    with tempfile.TemporaryDirectory(prefix="vs-tok-") as tok_dir:
        if args.init:
            from nemo.collections.asr.models import ASRModel

            model = ASRModel.restore_from(str(args.init), map_location="cpu")
        else:
            train_tokenizer(texts, Path(tok_dir), 128, args.seed)
            model = build_model(Path(tok_dir))
        model.train()
        params = sum(p.numel() for p in model.parameters())
        print(f"model: {params / 1e6:.2f} M parameters", flush=True)

        opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=1e-3)

        peak: float = args.lr

        def lr_at(step: int) -> float:
            if step < args.warmup:
                return peak * (step + 1) / int(args.warmup)
            p = float((step - args.warmup) / max(1, args.steps - args.warmup))
            return 1e-5 + (peak - 1e-5) * 0.5 * (1 + math.cos(math.pi * min(1.0, p)))

        started, step, log = time.monotonic(), 0, []
        clip_lengths = [len(c) for c in clips]
        last: int = args.stop_after or args.steps
        while step < last:
            epoch = compose_epoch(clip_lengths, rng, compose=args.compose)
            for batch in batches([e.samples for e in epoch], args.batch, rng):
                if step >= last:
                    break
                audio = [augment(render(epoch[i], clips), nrng) for i in batch]
                ids = {i: model.tokenizer.text_to_ids(" ".join(texts[j] for j in epoch[i].parts)) for i in batch}
                a_len = torch.tensor([len(a) for a in audio])
                a = torch.zeros(len(batch), int(a_len.max()))
                for k, x in enumerate(audio):
                    a[k, : len(x)] = torch.from_numpy(x)
                l_len = torch.tensor([len(ids[i]) for i in batch])
                lab = torch.zeros(len(batch), int(l_len.max()), dtype=torch.long)
                for k, i in enumerate(batch):
                    lab[k, : len(ids[i])] = torch.tensor(ids[i])
                for group in opt.param_groups:
                    group["lr"] = lr_at(step)
                loss = step_loss(model, a, a_len, lab, l_len)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                step += 1
                if step % 50 == 0:
                    el = time.monotonic() - started
                    print(f"step {step} loss {loss.item():.3f} lr {lr_at(step):.2e} {el / step:.2f} s/step "
                          f"{el / 60:.1f} min", flush=True)
                if step % args.eval_every == 0 or step == last:
                    wer = evaluate(model, held_clips, held_texts)
                    padded = evaluate(model, held_clips, held_texts, pad_s=2.0)
                    log.append({"step": step, "minutes": round((time.monotonic() - started) / 60, 1), "wer": wer,
                                "wer_padded_2s": padded})
                    print(json.dumps(log[-1]), flush=True)
                    model.save_to(str(args.out))
        model.eval()
        model.save_to(str(args.out))
    print(json.dumps({"done": True, "log": log}), flush=True)


if __name__ == "__main__":
    main()
