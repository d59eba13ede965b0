"""Recipe: the address tagger's CRF, trained on seeded synthetic sentences (issue 23, round 10).

    PYTHONPATH=. .venv/bin/python -m models.training.address_train

writes ``models/names/address-tagger.crfsuite``, prints its size and SHA-256 (copy them into
``models/manifest.py``), the training time and the dev figures on the held-out templates. Its features read the
name tagger's verified lexicon (English word frequency), as the product does. Needs python-crfsuite; about a
minute of one CPU core. ``--seed`` trains another seed for the seed-spread comparison (HELPERS.md): the shipped
model is the one at ``SEED``. See models/training/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections.abc import Sequence
from pathlib import Path

from core.redaction.address_tagger import AddressTagger, Features, sentence_features
from core.redaction.id_tagger import tokenize
from core.redaction.name_tagger import Lexicon
from models.name_tagger import verified_lexicon
from models.training.address_corpus import generate
from models.training.ids_corpus import Example
from models.training.ids_train import dev_figures, labels_for
from models.training.names_train import train

SEED = 20261210
TRAIN_ROUNDS = 40
DEV_ROUNDS = 30
TRAINER_PARAMS: dict[str, object] = {
    "c1": 0.05,
    "c2": 0.05,
    "max_iterations": 120,
    "feature.possible_transitions": True,
    "feature.minfreq": 2,
}
OUT_DIR = Path(__file__).resolve().parent.parent / "names"
MODEL_FILE = "address-tagger.crfsuite"


def featurise(examples: Sequence[Example], lexicon: Lexicon) -> list[tuple[list[list[str]], list[str]]]:
    features = Features(lexicon)
    out = []
    for ex in examples:
        tokens = tokenize(ex.text)
        if tokens:
            out.append((sentence_features(tokens, ex.text, features), labels_for(tokens, ex.spans)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--rounds", type=int, default=TRAIN_ROUNDS)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    lexicon = verified_lexicon()
    train_examples = generate(seed=args.seed, rounds=args.rounds, dev=False)
    dev_examples = generate(seed=args.seed + 1, rounds=DEV_ROUNDS, dev=True)
    data = featurise(train_examples, lexicon)
    t1 = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    train(data, args.out / MODEL_FILE, TRAINER_PARAMS)
    t2 = time.perf_counter()
    print(f"data: {len(data)} sequences, {sum(len(f) for f, _ in data)} tokens in {t1 - t0:.1f} s; "
          f"training {t2 - t1:.1f} s")  # fmt: skip
    blob = (args.out / MODEL_FILE).read_bytes()
    print(f"{MODEL_FILE}: {len(blob)} bytes, sha256 {hashlib.sha256(blob).hexdigest()}")
    tagger = AddressTagger(model=blob, lexicon=lexicon)
    figures = dev_figures(dev_examples, lambda t: [(a, b, "ADDRESS") for a, b, _ in tagger.spans(t)])
    for version, fig in figures.items():
        print(f"dev (held-out templates) {version}: recall {fig['recall']:.3f}, precision {fig['precision']:.3f} "
              f"of {fig['gold']:.0f} addresses, false spans {fig['false_per_1k_words']:.2f} per 1k words "
              f"of address-free sentences")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
