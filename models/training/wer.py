"""Word error rate: word-level edit distance over reference words, summed over a corpus."""

from __future__ import annotations

import re


def normalise(text: str) -> list[str]:
    return re.sub(r"[^\w' ]+", " ", text.lower()).split()


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def word_error_rate(refs: list[str], hyps: list[str]) -> float:
    """Corpus WER in [0, ∞): total edits divided by total reference words."""
    if len(refs) != len(hyps):
        raise ValueError("references and hypotheses differ in number")
    words = sum(len(normalise(r)) for r in refs)
    edits = sum(edit_distance(normalise(r), normalise(h)) for r, h in zip(refs, hyps, strict=True))
    return edits / max(1, words)
