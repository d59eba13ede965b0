"""Every detection of the product's detector on the tuned evaluation sets, one JSON line per case.

A check for changes that must not change detection (load mechanics, formats): run it on two trees and
compare the outputs byte for byte. Each find is its type, span and score: the name of the detector that
found it is left out, because between recognizers that find the same span with the same score, which one is
named depends on Presidio's order, which varies from run to run on main too. It reads the tuned sets only
(eval, heldout*, the dev and held-out negatives), never a blind one.

    PYTHONPATH=$PWD .venv/bin/python bench/detection_dump.py > after.jsonl
    PYTHONPATH=/path/to/main .venv/bin/python /path/to/detection_dump.py > before.jsonl && cmp before.jsonl after.jsonl
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

from tests.data.redaction_eval import BLIND_NEGATIVES, BLIND_SETS, NEGATIVE_SETS, SETS, load, negatives


def dump() -> Iterator[str]:
    from models.name_tagger import product_detector

    detector = product_detector()
    cases = [(name, load(path)) for name, path in SETS.items() if name not in BLIND_SETS]
    cases += [
        (f"negatives:{name}", negatives(path)) for name, path in NEGATIVE_SETS.items() if name not in BLIND_NEGATIVES
    ]
    for name, group in cases:
        for k, case in enumerate(group):
            found = [[e.type, e.start, e.end, e.score] for e in detector.detect(case.text)]
            yield json.dumps([name, case.version, k, found])


def main() -> int:
    for line in dump():
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
