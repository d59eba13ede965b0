"""Train the small Sortformer diarization test model on the CPU:
`python -m models.training.diar_train DATA OUT.nemo --minutes 22`.

The model is an ordinary NeMo `SortformerEncLabelModel` (FastConformer pre-encoder, transformer
encoder, four sigmoid speaker outputs sorted by arrival time), so it loads and runs through exactly the
code path `diar_sortformer_4spk-v1` uses. Training is a plain PyTorch loop over conversations composed
on the fly (`diar_data.compose`) with NeMo's own loss pieces: arrival-time-sorted (ATS) and
permutation-invariant (PIL) targets, and its BCE loss. The learning rate follows a cosine over the
wall-clock budget, so the schedule ends when the time does on any machine.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from core.diarization.der import diarization_error_rate
from core.diarization.frames import turns_from_probabilities
from core.diarization.types import SpeakerTurn, speaker_label
from models.training import Tensor
from models.training.configs import conformer_config, preprocessor_config
from models.training.diar_data import HELDOUT_SEED, Turn, compose, heldout_conversations, load_pool

NUM_SPEAKERS = 4
FRAME_S = 0.08  # 10 ms features, 8x subsampling


def model_config(d_model: int = 96) -> dict[str, Any]:
    return {
        "sample_rate": 16000,
        "max_num_of_spks": NUM_SPEAKERS,
        "pil_weight": 0.5,
        "ats_weight": 0.5,
        "streaming_mode": False,
        # Trained on conversations of at most 14 s: longer audio is diarized in windows this long.
        "session_len_sec": 20.0,
        "model_defaults": {"fc_d_model": d_model, "tf_d_model": d_model},
        "preprocessor": preprocessor_config(),
        "spec_augment": {
            "_target_": "nemo.collections.asr.modules.SpectrogramAugmentation",
            "freq_masks": 2, "time_masks": 0, "freq_width": 10, "time_width": 0.0,
        },
        "encoder": conformer_config(d_model, n_layers=4),
        "sortformer_modules": {
            "_target_": "nemo.collections.asr.modules.sortformer_modules.SortformerModules",
            "num_spks": NUM_SPEAKERS, "dropout_rate": 0.1, "fc_d_model": d_model, "tf_d_model": d_model,
            "subsampling_factor": 8,
        },
        "transformer_encoder": {
            "_target_": "nemo.collections.asr.modules.transformer.transformer_encoders.TransformerEncoder",
            "num_layers": 2, "hidden_size": d_model, "inner_size": 4 * d_model, "num_attention_heads": 4,
            "attn_score_dropout": 0.1, "attn_layer_dropout": 0.1, "ffn_dropout": 0.1, "hidden_act": "relu",
            "pre_ln": False, "pre_ln_final_layer_norm": True,
        },
        "loss": {"_target_": "nemo.collections.asr.losses.bce_loss.BCELoss", "weight": None, "reduction": "mean"},
        "optim": {"name": "adamw", "lr": 2e-3, "betas": [0.9, 0.98], "weight_decay": 1e-3},
    }


def build_model(d_model: int) -> Any:
    from nemo.collections.asr.models import SortformerEncLabelModel
    from omegaconf import OmegaConf

    return SortformerEncLabelModel(cfg=OmegaConf.create(model_config(d_model)))


def augment(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = x * 10 ** (rng.uniform(-10, 4) / 20)
    if rng.random() < 0.5:
        power = float(np.mean(x**2)) + 1e-10
        x = x + rng.normal(0, math.sqrt(power / 10 ** (rng.uniform(15, 40) / 10)), x.shape).astype(np.float32)
    return np.asarray(np.clip(x, -1, 1), dtype=np.float32)


def targets(turns: list[Turn], frames: int) -> Tensor:
    """(frames, NUM_SPEAKERS): 1 where the speaker talks at the frame's centre."""
    import torch
    t = torch.zeros(frames, NUM_SPEAKERS)
    centres = (np.arange(frames) + 0.5) * FRAME_S
    for turn in turns:
        on = (centres >= turn.start_s) & (centres < turn.end_s)
        t[torch.from_numpy(on), turn.speaker] = 1.0
    return t


def predict(model: Any, audio: list[np.ndarray], *, with_embeddings: bool = False) -> Any:
    """Sigmoid outputs (B, frames, speakers) and each item's frame count (and the encoder's output)."""
    import torch
    lengths = torch.tensor([len(a) for a in audio])
    batch = torch.zeros(len(audio), int(lengths.max()))
    for k, a in enumerate(audio):
        batch[k, : len(a)] = torch.from_numpy(a)
    spec, spec_len = model.process_signal(audio_signal=batch, audio_signal_length=lengths)
    spec = spec[:, :, : spec_len.max()]
    emb, emb_len = model.frontend_encoder(processed_signal=spec, processed_signal_length=spec_len)
    if with_embeddings:
        return model.forward_infer(emb, emb_len), emb_len, emb
    return model.forward_infer(emb, emb_len), emb_len


def persona_targets(turns: list[Turn], personas: list[int], frames: int) -> Tensor:
    """(frames,): the training persona speaking alone at each frame's centre; -100 (ignored) for
    silence and overlap."""
    import torch
    t = torch.full((frames,), -100, dtype=torch.long)
    count = torch.zeros(frames, dtype=torch.long)
    centres = (np.arange(frames) + 0.5) * FRAME_S
    for turn in turns:
        on = torch.from_numpy((centres >= turn.start_s) & (centres < turn.end_s))
        t[on] = personas[turn.speaker]
        count[on] += 1
    t[count > 1] = -100
    return t


def step_loss(model: Any, audio: list[np.ndarray], convo_turns: list[list[Turn]], personas: list[list[int]],
              speaker_head: Any, aux_weight: float) -> Tensor:
    """NeMo's ATS + PIL loss, plus an auxiliary persona classification on the encoder's output.

    Why the auxiliary loss: trained from scratch on the CPU, Sortformer alone first learns speech
    activity and, in the first 20 minutes, never learned to tell voices apart (held-out DER stuck at
    49%, every output active at once). Asking the encoder to name the training personas frame by
    frame gives it speaker-discriminative features early; the head is thrown away after training, so
    the saved model is a plain SortformerEncLabelModel.
    """
    import torch
    from nemo.collections.asr.parts.utils.asr_multispeaker_utils import get_ats_targets, get_pil_targets

    preds, lens, emb = predict(model, audio, with_embeddings=True)
    tgt = torch.stack([targets(t, preds.shape[1]) for t in convo_turns])
    ats = get_ats_targets(tgt.clone(), preds, speaker_permutations=model.speaker_permutations)
    pil = get_pil_targets(tgt.clone(), preds, speaker_permutations=model.speaker_permutations)
    loss_ats = model.loss(probs=preds, labels=ats, target_lens=lens)
    loss_pil = model.loss(probs=preds, labels=pil, target_lens=lens)
    ids = torch.stack([persona_targets(t, p, preds.shape[1]) for t, p in zip(convo_turns, personas, strict=True)])
    aux = torch.nn.functional.cross_entropy(speaker_head(emb).transpose(1, 2), ids, ignore_index=-100)
    return torch.as_tensor(model.ats_weight * loss_ats + model.pil_weight * loss_pil + aux_weight * aux)


def reference(turns: list[Turn]) -> list[SpeakerTurn]:
    return [SpeakerTurn(speaker_label(t.speaker), t.start_s, t.end_s) for t in turns]


def evaluate(model: Any, conversations: list[tuple[np.ndarray, list[Turn]]]) -> dict[str, float]:
    """Mean DER over the held-out conversations (no collar, and md-eval's usual 0.25 s collar),
    and the share of conversations whose speaker count came out right."""
    import torch
    model.eval()
    ders, ders_c, count_ok = [], [], 0
    with torch.inference_mode():
        for audio, turns in conversations:
            preds, lens = predict(model, [audio])
            hyp = turns_from_probabilities(preds[0, : int(lens[0])].numpy(), frame_s=FRAME_S)
            ref = reference(turns)
            ders.append(diarization_error_rate(ref, hyp))
            ders_c.append(diarization_error_rate(ref, hyp, collar_s=0.25))
            count_ok += len({t.speaker for t in hyp}) == len({t.speaker for t in ref})
    model.train()
    return {"der": float(np.mean(ders)), "der_collar_0.25": float(np.mean(ders_c)),
            "speaker_count_ok": count_ok / len(conversations)}


def main() -> None:
    import torch
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--minutes", type=float, default=22.0, help="wall-clock training budget")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--d-model", type=int, default=96)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--eval-every", type=int, default=100)
    ap.add_argument("--aux-weight", type=float, default=0.5, help="weight of the persona classification loss")
    ap.add_argument("--init", type=Path, help="start from this .nemo instead of random weights")
    ap.add_argument("--heldout", type=int, default=40, help="held-out conversations")
    # One thread: on a shared 2-core machine, two OpenMP threads spin against other jobs and ran a step
    # 3-4x slower than one.
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--max-s", type=float, default=14.0, help="longest training conversation")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng, nrng = random.Random(args.seed), np.random.default_rng(args.seed)

    clips, owner, voices = load_pool(args.data / "diar-train.npz")
    held = heldout_conversations(args.data / "diar-heldout.npz", args.heldout, seed=HELDOUT_SEED)
    print(f"{len(clips)} training clips from {len(voices)} personas; {len(held)} held-out conversations",
          flush=True)
    if args.init:  # continue from an earlier run's .nemo (the auxiliary head starts afresh)
        from nemo.collections.asr.models import SortformerEncLabelModel
        from omegaconf import open_dict

        model = SortformerEncLabelModel.restore_from(str(args.init), map_location="cpu")
        with open_dict(model.cfg):
            model.cfg.session_len_sec = model_config()["session_len_sec"]
    else:
        model = build_model(args.d_model)
    model.train()
    print(f"model: {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M parameters", flush=True)
    speaker_head = torch.nn.Linear(args.d_model, len(voices))
    params = [*model.parameters(), *speaker_head.parameters()]
    opt = torch.optim.AdamW(params, lr=args.lr, betas=(0.9, 0.98), weight_decay=1e-3)
    budget_s = args.minutes * 60

    def lr_at(step: int, elapsed_s: float) -> float:
        if step < args.warmup:
            return float(args.lr * (step + 1) / args.warmup)
        p = min(1.0, elapsed_s / budget_s)
        return float(1e-5 + (args.lr - 1e-5) * 0.5 * (1 + math.cos(math.pi * p)))

    started, step, log = time.monotonic(), 0, list[dict[str, float]]()
    best = (math.inf, 0)  # the best held-out DER so far and its step
    while time.monotonic() - started < budget_s:
        convos = [compose(clips, owner, voices, rng, max_s=args.max_s, with_personas=True)
                  for _ in range(args.batch)]
        audio = [augment(a, nrng) for a, _, _ in convos]
        for group in opt.param_groups:
            group["lr"] = lr_at(step, time.monotonic() - started)
        loss = step_loss(model, audio, [t for _, t, _ in convos], [p for _, _, p in convos], speaker_head,
                         args.aux_weight)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        if step % 25 == 0:
            el = time.monotonic() - started
            print(f"step {step} loss {loss.item():.4f} lr {lr_at(step, el):.2e} {el / step:.2f} s/step "
                  f"{el / 60:.1f} min", flush=True)
        if step % args.eval_every == 0:
            best = checkpoint(model, held, args.out, step, started, log, best)
    best = checkpoint(model, held, args.out, step, started, log, best)
    print(json.dumps({"done": True, "kept_step": best[1], "log": log}), flush=True)


def checkpoint(model: Any, held: list[tuple[np.ndarray, list[Turn]]], out: Path, step: int, started: float,
               log: list[dict[str, float]], best: tuple[float, int]) -> tuple[float, int]:
    """Evaluate on the recipe's own held-out conversations and keep the model (as `out`) only when its
    no-collar DER is the best so far: with a long budget the last step need not be the best one."""
    log.append({"step": step, "minutes": round((time.monotonic() - started) / 60, 1), **evaluate(model, held)})
    print(json.dumps(log[-1]), flush=True)
    if log[-1]["der"] >= best[0]:
        return best
    model.eval()
    model.save_to(str(out))
    model.train()
    print(f"kept step {step} as {out}", flush=True)
    return log[-1]["der"], step


if __name__ == "__main__":
    main()
