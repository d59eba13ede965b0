"""Name tagger benchmark: the product's detector with and without the trained name tagger, side by side.

A benchmark, never a test: it prints figures, and exits 0 either way.

    .venv/bin/python bench/name_tagger.py            # dev sentences, PII-free text, load time, words/s
    .venv/bin/python bench/name_tagger.py --show 20  # and the first 20 false names on the PII-free text

Dev sentences come from the templates the recipe keeps out of training (models/training/names_corpus.py,
``held_out``), with names from the fifth of the census and project lists that never reach training, and
names on no list at all. The PII-free text is the held-out "negative" templates: dictation, calls and
interviews with drugs, eponyms, companies, places and everyday words, and no person. These are dev
figures (the templates were written by the same hand as the training ones), never blind ones.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.redaction_eval import speed
from core.redaction.types import Detector
from models.training.names_corpus import Example, NamePools, generate
from models.training.names_train import DevFigures, dev_figures
from tests.data.redaction_eval import DATA, load

SEED = 7
ROUNDS = 10
NEGATIVE_ROUNDS = 60
SPEED_ROUNDS = 5


def dev_examples() -> tuple[list[Example], list[Example]]:
    """(held-out sentences with names, held-out PII-free sentences), both versions."""
    from models.name_tagger import verified_lexicon

    lexicon = verified_lexicon()
    given = lexicon.words_with("cf") + lexicon.words_with("g")
    surnames = [w for w in lexicon.words_with("cl") if "cl1" in lexicon.features(w)] + lexicon.words_with("s")
    pools = NamePools.split(given, surnames)
    pools.everyday = [w for w in lexicon.words_with("z4") if "g" not in lexicon.features(w)]
    kinds = ("dictation", "referral", "interview", "call")
    named = generate(pools, seed=SEED, rounds=ROUNDS, dev=True, kinds=kinds)
    clean = generate(pools, seed=SEED + 1, rounds=NEGATIVE_ROUNDS, dev=True, kinds=("negative",))
    return named, clean


def figures(detector: Detector, named: list[Example], clean: list[Example]) -> dict[str, DevFigures]:
    def find(text: str) -> list[tuple[int, int]]:
        return [(e.start, e.end) for e in detector.detect(text, ["NAME"])]

    return dev_figures(named + clean, find)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", type=int, default=0, help="print this many false names from the PII-free text")
    parser.add_argument("--min-probability", type=float, nargs="*", default=[], help="also try these thresholds")
    parser.add_argument("--strong", type=float, nargs="*", default=[], help="also try these for doubtful lone words")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    from core.redaction.detect import load_detector

    rules = load_detector()
    t1 = time.perf_counter()
    from models.name_tagger import load_name_tagger

    tagger = load_name_tagger()
    t2 = time.perf_counter()
    both = load_detector(name_tagger=tagger)
    t3 = time.perf_counter()
    print(f"load: rules inside Presidio {t1 - t0:.2f} s (cold, with Presidio's import); name tagger "
          f"{t2 - t1:.2f} s (verify + lexicon + model); the detector with it {t3 - t2:.2f} s more")  # fmt: skip

    named, clean = dev_examples()
    variants: list[tuple[str, Detector]] = [("rules", rules), ("rules + tagger", both)]
    from core.redaction.detect import RuleDetector, builtin_recognizers
    from core.redaction.name_tagger import MIN_PROBABILITY, STRONG_PROBABILITY, CrfNameRecognizer

    tries = [(p, STRONG_PROBABILITY) for p in args.min_probability] + [(MIN_PROBABILITY, q) for q in args.strong]
    for p, q in tries:
        recognizers = [*builtin_recognizers(), CrfNameRecognizer(tagger, min_probability=p, strong=q)]
        variants.append((f"p>={p} lone>={q}", RuleDetector(recognizers)))
    for label, detector in variants:
        for version, f in figures(detector, named, clean).items():
            print(f"{label:<20} {version:<6} name recall {f.recall:.3f} precision {f.precision:.3f} "
                  f"({f.names} names); false names {f.false_per_1k_words:.2f} per 1k words of "
                  f"{f.negative_words} PII-free words")  # fmt: skip
            for line in f.false[: args.show]:
                print("    false:", line)
    cases = load(DATA)
    alone: list[float] = []
    tagged: list[float] = []
    for _ in range(SPEED_ROUNDS):  # interleaved, so a change in the machine's load hits both alike
        alone.append(speed(cases, rules)["words_per_s"])
        tagged.append(speed(cases, both)["words_per_s"])
    ratio = statistics.median(t / a for a, t in zip(alone, tagged, strict=True))
    print(f"speed on the eval set's ~9,000-word transcript, median of {SPEED_ROUNDS}: rules "
          f"{statistics.median(alone):,.0f} words/s, rules + tagger {statistics.median(tagged):,.0f} words/s "
          f"(ratio {ratio:.2f})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
