"""Redaction benchmark: the product's detector (rules and name tagger) against a hand-written set, and its speed.

A benchmark, never a test: it prints figures and PASS/MISS against the targets, and exits 0 either way.

    .venv/bin/python bench/redaction_eval.py                   # table: both versions, then speed
    .venv/bin/python bench/redaction_eval.py --version lower   # only the lowercased, depunctuated version
    .venv/bin/python bench/redaction_eval.py --json            # one JSON object with every figure

The set is tests/data/redaction_eval.txt (see tests/data/redaction_eval.py for the two versions:
"cased" as written, "lower" as a recogniser without punctuation or casing would write it).

Matching rule. A detection is a true positive when it overlaps a gold span of the same type by at
least 50% of that gold span's characters; a gold span is found when at least one such detection
exists. Precision = true-positive detections / detections of the type (1.0 when there are none);
recall = found gold spans / gold spans of the type (1.0 when there are none); F2 weighs recall
twice as much as precision: F2 = 5PR / (4P + R). Coverage, type-agnostic: the share of gold spans of
which at least 90% of the characters lie under the union of all detections, whatever their types.

Targets, on both versions: recall >= 0.98 for the STRUCTURED types pooled (each structured type is
also shown against it), recall >= 0.95 at precision >= 0.90 for NAME, and >= 5,000 words/s of
`detect` on a ~9,000-word "1-hour transcript" built from the cased sentences (median of 3).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.redaction.types import ENTITY_TYPES, STRUCTURED, Detector
from tests.data.redaction_eval import SETS, Case, load

MATCH_SHARE = 0.5  # of the gold span's characters, same type
COVER_SHARE = 0.9  # of the gold span's characters, any type
STRUCTURED_RECALL = 0.98
NAME_RECALL = 0.95
NAME_PRECISION = 0.90
WORDS_PER_S_TARGET = 5000.0
HOUR_WORDS = 9000  # about an hour of speech at 150 words a minute
SPEED_ROUNDS = 3


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _covered(start: int, end: int, spans: Sequence[tuple[int, int]]) -> int:
    """Characters of [start, end) under the union of `spans`."""
    under = [False] * (end - start)
    for s, e in spans:
        for i in range(max(s, start), min(e, end)):
            under[i - start] = True
    return sum(under)


def _rates(gold: int, found: int, detected: int, tp: int) -> dict[str, Any]:
    precision = tp / detected if detected else 1.0
    recall = found / gold if gold else 1.0
    f2 = 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0
    return {"gold": gold, "found": found, "detected": detected, "tp": tp,
            "precision": precision, "recall": recall, "f2": f2}  # fmt: skip


def _pool(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    rows = list(rows)
    return _rates(*(sum(r[k] for r in rows) for k in ("gold", "found", "detected", "tp")))


def _score_version(cases: Sequence[Case], detector: Detector) -> dict[str, Any]:
    counts: dict[str, dict[str, int]] = {}

    def count(kind: str) -> dict[str, int]:
        return counts.setdefault(kind, {"gold": 0, "found": 0, "detected": 0, "tp": 0})

    for kind in ENTITY_TYPES:
        count(kind)
    covered = total = 0
    for case in cases:
        found = detector.detect(case.text)
        for d in found:
            c = count(d.type)
            c["detected"] += 1
            if any(g.type == d.type and _overlap(d.start, d.end, g.start, g.end) >= MATCH_SHARE * (g.end - g.start)
                   for g in case.gold):  # fmt: skip
                c["tp"] += 1
        spans = [(d.start, d.end) for d in found]
        for g in case.gold:
            c = count(g.type)
            c["gold"] += 1
            if any(d.type == g.type and _overlap(d.start, d.end, g.start, g.end) >= MATCH_SHARE * (g.end - g.start)
                   for d in found):  # fmt: skip
                c["found"] += 1
            total += 1
            covered += _covered(g.start, g.end, spans) >= COVER_SHARE * (g.end - g.start)
    types = {kind: _rates(**c) for kind, c in counts.items()}
    structured = _pool(types[k] for k in STRUCTURED)
    name = types["NAME"]
    return {
        "cases": len(cases),
        "types": types,
        "structured": structured,
        "name": name,
        "coverage": {"gold": total, "covered": covered, "share": covered / total if total else 1.0},
        "targets": {
            "structured_recall": structured["recall"] >= STRUCTURED_RECALL,
            "name": name["recall"] >= NAME_RECALL and name["precision"] >= NAME_PRECISION,
        },
    }


def score(cases: Sequence[Case], detector: Detector) -> dict[str, Any]:
    """Per version present in `cases`: per-type and pooled precision/recall/F2, coverage, targets met."""
    versions = sorted({c.version for c in cases}, key=lambda v: (v != "cased", v))
    return {v: _score_version([c for c in cases if c.version == v], detector) for v in versions}


def hour_transcript(cases: Sequence[Case], words: int = HOUR_WORDS) -> str:
    """About `words` words: the cased sentences in file order, cycled, joined by spaces."""
    sentences = [c.text for c in cases if c.version == "cased"]
    if not sentences:
        raise ValueError("no cased sentences to build a transcript from")
    out: list[str] = []
    n = 0
    while n < words:
        s = sentences[len(out) % len(sentences)]
        out.append(s)
        n += len(s.split())
    return " ".join(out)


def speed(cases: Sequence[Case], detector: Detector, *, rounds: int = SPEED_ROUNDS) -> dict[str, Any]:
    text = hour_transcript(cases)
    words = len(text.split())
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        detector.detect(text)
        times.append(time.perf_counter() - t0)
    median_s = statistics.median(times)
    wps = words / median_s if median_s > 0 else float("inf")
    return {"words": words, "median_s": median_s, "words_per_s": wps, "target": WORDS_PER_S_TARGET,
            "pass": wps >= WORDS_PER_S_TARGET}  # fmt: skip


def _row(label: str, r: dict[str, Any], note: str = "") -> str:
    return (f"{label:<22} {r['gold']:>5} {r['detected']:>5} {r['precision']:>6.3f} {r['recall']:>6.3f} "
            f"{r['f2']:>6.3f}  {note}").rstrip()  # fmt: skip


def print_table(result: dict[str, Any]) -> None:
    for version, v in result["scores"].items():
        print(f"== {version}: {v['cases']} sentences")
        print(f"{'type':<22} {'gold':>5} {'det':>5} {'prec':>6} {'recall':>6} {'F2':>6}")
        for kind, r in v["types"].items():
            ok = r["recall"] >= STRUCTURED_RECALL
            print(_row(kind, r, f"recall≥{STRUCTURED_RECALL}: {verdict(ok)}" if kind in STRUCTURED else ""))
        s, n = v["structured"], v["name"]
        ok = v["targets"]["structured_recall"]
        print(_row("STRUCTURED (pooled)", s, f"recall≥{STRUCTURED_RECALL}: {verdict(ok)}"))
        print(_row("NAME", n, f"recall≥{NAME_RECALL} at precision≥{NAME_PRECISION}: {verdict(v['targets']['name'])}"))
        c = v["coverage"]
        print(f"coverage (≥{COVER_SHARE:.0%} of a gold span under any redaction): "
              f"{c['covered']}/{c['gold']} = {c['share']:.3f}")  # fmt: skip
    sp = result["speed"]
    print(f"== speed: {sp['words']} words in {sp['median_s'] * 1000:.1f} ms (median of {SPEED_ROUNDS}): "
          f"{sp['words_per_s']:,.0f} words/s  ≥{WORDS_PER_S_TARGET:,.0f}: {verdict(sp['pass'])}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", choices=("cased", "lower", "both"), default="both")
    parser.add_argument(
        "--set",
        choices=sorted(SETS),
        default="eval",
        help="eval: the set the rules were developed on; heldout: written without them",
    )
    parser.add_argument(
        "--detector",
        choices=("presidio", "rules"),
        default="presidio",
        help="presidio: the product's detector; rules: the same recognizers without Presidio",
    )
    parser.add_argument(
        "--no-tagger", action="store_true", help="leave out the trained name tagger (the rules alone, as before it)"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from core.redaction.detect import load_detector  # lazily: the benchmark loads without it
    from models.name_tagger import load_name_tagger

    detector = load_detector(framework=args.detector, name_tagger=None if args.no_tagger else load_name_tagger())
    cases = load(SETS[args.set])
    chosen = [c for c in cases if args.version in ("both", c.version)]
    result = {"scores": score(chosen, detector), "speed": speed(cases, detector)}
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
