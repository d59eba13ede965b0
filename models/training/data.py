"""Generate the training and held-out speech: `python -m models.training.data OUTDIR`."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from models.training.corpus import sentences
from models.training.synth import write_shard

TRAIN_SEED, HELDOUT_SEED = 1, 2


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--train", type=int, default=8000)
    ap.add_argument("--heldout", type=int, default=150)
    ap.add_argument("--shard-size", type=int, default=1000)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    train = sentences(TRAIN_SEED, args.train)
    seen = set(train)
    heldout = [s for s in sentences(HELDOUT_SEED, args.heldout * 2) if s not in seen][: args.heldout]
    (args.out / "train.txt").write_text("\n".join(train) + "\n")
    for i in range(0, len(train), args.shard_size):
        write_shard(args.out / f"train-{i // args.shard_size:03d}.npz", train[i : i + args.shard_size], seed=100 + i)
        print(f"train shard {i // args.shard_size} done at {time.monotonic() - started:.0f} s", flush=True)
    # Held out: new sentences; espeak voices only for the headline WER, plus a festival-only set.
    write_shard(args.out / "heldout-espeak.npz", heldout, seed=HELDOUT_SEED, festival_share=0.0)
    write_shard(args.out / "heldout-festival.npz", heldout[:50], seed=HELDOUT_SEED + 1, festival_share=1.0)
    print(json.dumps({"train": len(train), "heldout": len(heldout), "seconds": round(time.monotonic() - started)}))


if __name__ == "__main__":
    main()
