"""The redaction evaluation set (tests/data/redaction_eval.txt), parsed into cases with gold spans.

Each sentence comes back twice:

- ``cased``: as written, the ``[TYPE|text]`` markup removed, gold spans as character offsets.
- ``lower``: what a speech recogniser without punctuation and casing would give. The rule: lowercase;
  split on whitespace; drop the characters ``, . ; : ! ? " ( )`` from both edges of every word
  (keep them, and ``@ - / .`` and anything else, inside a word); drop words left empty; join with
  single spaces. Gold offsets are remapped character by character, so ``text[start:end]`` of a lower
  case is ``normalise(marked text)``.

Never reads anything but the data file beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from core.redaction.types import ENTITY_TYPES

DATA = Path(__file__).with_name("redaction_eval.txt")
#: Written later, by someone who had not read the detector: it measures how the rules generalise.
HELDOUT = Path(__file__).with_name("redaction_heldout.txt")
#: Written blind to the rules and both sets' sentences after the rules were tuned on them; its misses
#: were then fixed by category in turn, so it is no longer blind either.
HELDOUT2 = Path(__file__).with_name("redaction_heldout2.txt")
#: Blind in issue 23's first round (as "blind" and "blind2"), then tuned on in its second: no longer blind.
HELDOUT3 = Path(__file__).with_name("redaction_heldout3.txt")
HELDOUT4 = Path(__file__).with_name("redaction_heldout4.txt")
#: Sealed as "blind3" from issue 23's second round to its fourth (bench/RESULTS.md), then its misses were
#: used to fix things in the fifth: no longer blind.
HELDOUT5 = Path(__file__).with_name("redaction_heldout5.txt")
#: Sealed as "blind4" in issue 23's fourth and fifth rounds, then its misses were used in the sixth.
HELDOUT6 = Path(__file__).with_name("redaction_heldout6.txt")
#: Sealed as "blind5" in issue 23's fifth and sixth rounds, then its misses were used in the seventh.
HELDOUT7 = Path(__file__).with_name("redaction_heldout7.txt")
#: Sealed as "blind6" in issue 23's seventh round (measured before and after it), then its misses were
#: used in the eighth.
HELDOUT8 = Path(__file__).with_name("redaction_heldout8.txt")
#: Sealed as "blind8" in issue 23's tenth round (measured before and after it), then its misses were
#: used in the twelfth.
HELDOUT9 = Path(__file__).with_name("redaction_heldout9.txt")
#: Sealed as "blind9" in issue 23's twelfth round (measured before and after it), then its misses were
#: used in the fourteenth.
HELDOUT10 = Path(__file__).with_name("redaction_heldout10.txt")
#: Sealed as "blind10" in issue 23's fourteenth round (measured before and after it), then spent in its
#: fifteenth: the go/no-go yardstick of the trained taggers' candidates, and its misses fixed by cause.
HELDOUT11 = Path(__file__).with_name("redaction_heldout11.txt")
#: Sealed as "blind11" in issue 23's fifteenth round (measured before and after it), then its misses were used
#: in the sixteenth.
HELDOUT12 = Path(__file__).with_name("redaction_heldout12.txt")
#: Sealed as "blind12" in issue 23's sixteenth round (measured before and after it, line by line and in scenes),
#: then its misses in scenes were used in the seventeenth.
HELDOUT13 = Path(__file__).with_name("redaction_heldout13.txt")
#: Sealed as "blind13" in issue 23's seventeenth round (measured before and after it and after the eighteenth, line by
#: line and in scenes), then its misses in scenes were used in the nineteenth.
HELDOUT14 = Path(__file__).with_name("redaction_heldout14.txt")
#: Sealed as "blind14" in issue 23's nineteenth round (measured before and after it, line by line and in scenes),
#: then its misses in scenes were used in the twentieth.
HELDOUT15 = Path(__file__).with_name("redaction_heldout15.txt")
#: The blind set: written last, without the rules or any other set's sentences. Never tune on it,
#: never read it while developing: only its figures, measured by whoever holds it sealed. When it has
#: been used to fix something, rename it to the next heldoutN and write the next blind set first.
#: "blind7" was written on 2026-12-07 before issue 23's eighth round, "blind15" during its twentieth, before any of
#: the round's changes was merged (by two writers, a part each, in scenes), each by writers shown no code and no other
#: set; neither has been used to fix anything.
BLIND = Path(__file__).with_name("redaction_blind15.txt")
BLIND7 = Path(__file__).with_name("redaction_blind7.txt")
BLIND_PATHS: dict[str, Path] = {"blind15": BLIND, "blind7": BLIND7}
#: Blind sets first, so that tables and JSON show the honest figures before the tuned ones.
SETS: dict[str, Path] = {name: path for name, path in BLIND_PATHS.items() if path.exists()} | {
    "eval": DATA,
    "heldout": HELDOUT,
    "heldout2": HELDOUT2,
    "heldout3": HELDOUT3,
    "heldout4": HELDOUT4,
    "heldout5": HELDOUT5,
    "heldout6": HELDOUT6,
    "heldout7": HELDOUT7,
    "heldout8": HELDOUT8,
    "heldout9": HELDOUT9,
    "heldout10": HELDOUT10,
    "heldout11": HELDOUT11,
    "heldout12": HELDOUT12,
    "heldout13": HELDOUT13,
    "heldout14": HELDOUT14,
    "heldout15": HELDOUT15,
}
BLIND_SETS: frozenset[str] = frozenset(BLIND_PATHS)

#: PII-free text, one utterance a line: every detection on it is a false one. "dev" is written for
#: tuning; "heldout" was blind in issue 23's first round and tuned on in its second, "heldout2",
#: "heldout3" and "heldout4" likewise in its fifth, sixth and seventh, "heldout5" in its eighth; "blind6" and
#: "blind7" are sealed like the blind sets.
NEGATIVES_DEV = Path(__file__).with_name("redaction_negatives_dev.txt")
NEGATIVES_HELDOUT = Path(__file__).with_name("redaction_negatives_heldout.txt")
#: Sealed as "blind2" until issue 23's fifth round, which tuned on it.
NEGATIVES_HELDOUT2 = Path(__file__).with_name("redaction_negatives_heldout2.txt")
#: Sealed as "blind3" until issue 23's sixth round, which tuned on it.
NEGATIVES_HELDOUT3 = Path(__file__).with_name("redaction_negatives_heldout3.txt")
#: Sealed as "blind4" until issue 23's seventh round, which tuned on it.
NEGATIVES_HELDOUT4 = Path(__file__).with_name("redaction_negatives_heldout4.txt")
#: Sealed as "blind5" until issue 23's eighth round, which tuned on it.
NEGATIVES_HELDOUT5 = Path(__file__).with_name("redaction_negatives_heldout5.txt")
#: Written blind (as "blind8") before issue 23's fifteenth round, and spent in it at once: the go/no-go
#: negatives of the taggers' candidates and the name thresholds.
NEGATIVES_HELDOUT6 = Path(__file__).with_name("redaction_negatives_heldout6.txt")
#: "blind6" was written with blind7, "blind7" with blind8, the same way.
NEGATIVES_BLIND = Path(__file__).with_name("redaction_negatives_blind7.txt")
NEGATIVES_BLIND6 = Path(__file__).with_name("redaction_negatives_blind6.txt")
BLIND_NEGATIVE_PATHS: dict[str, Path] = {"blind7": NEGATIVES_BLIND, "blind6": NEGATIVES_BLIND6}
NEGATIVE_SETS: dict[str, Path] = {
    name: path
    for name, path in (
        *BLIND_NEGATIVE_PATHS.items(),
        ("heldout", NEGATIVES_HELDOUT),
        ("heldout2", NEGATIVES_HELDOUT2),
        ("heldout3", NEGATIVES_HELDOUT3),
        ("heldout4", NEGATIVES_HELDOUT4),
        ("heldout5", NEGATIVES_HELDOUT5),
        ("heldout6", NEGATIVES_HELDOUT6),
        ("dev", NEGATIVES_DEV),
    )
    if path.exists()
}
BLIND_NEGATIVES: frozenset[str] = frozenset(BLIND_NEGATIVE_PATHS)
VERSIONS: tuple[str, ...] = ("cased", "lower")
EDGE_PUNCTUATION = frozenset(',.;:!?"()')

_MARK = re.compile(r"\[([A-Z_]+)\|([^\[\]|]+)\]")


@dataclass(frozen=True)
class GoldSpan:
    """A gold entity: [start, end) character offsets into its case's text."""

    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Case:
    text: str
    gold: tuple[GoldSpan, ...]
    version: str


def parse_line(line: str) -> tuple[str, tuple[GoldSpan, ...]]:
    """One marked-up line to its plain text and gold spans (raises ValueError on bad markup)."""
    parts: list[str] = []
    gold: list[GoldSpan] = []
    pos = 0
    length = 0
    for m in _MARK.finditer(line):
        kind, inner = m.group(1), m.group(2)
        if kind not in ENTITY_TYPES:
            raise ValueError(f"unknown entity type {kind!r} in {line!r}")
        if inner != inner.strip():
            raise ValueError(f"span {inner!r} is not tight in {line!r}")
        before = line[pos : m.start()]
        parts += [before, inner]
        length += len(before)
        gold.append(GoldSpan(kind, length, length + len(inner)))
        length += len(inner)
        pos = m.end()
    parts.append(line[pos:])
    text = "".join(parts)
    if "[" in text or "]" in text:
        raise ValueError(f"unbalanced markup in {line!r}")
    return text, tuple(gold)


def _lower_map(text: str) -> tuple[str, list[int]]:
    """The lower version of `text`, and for each character of `text` its offset there (-1: dropped)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lowercase is longer would break the offsets
        raise ValueError(f"lowercasing changes the length of {text!r}")
    out: list[str] = []
    where = [-1] * len(text)
    for m in re.finditer(r"\S+", lowered):
        start, end = m.start(), m.end()
        while start < end and lowered[start] in EDGE_PUNCTUATION:
            start += 1
        while end > start and lowered[end - 1] in EDGE_PUNCTUATION:
            end -= 1
        if start == end:
            continue
        if out:
            out.append(" ")
        base = sum(len(s) for s in out)
        for i in range(start, end):
            where[i] = base + i - start
        out.append(lowered[start:end])
    return "".join(out), where


def normalise(text: str) -> str:
    """The lower-version rule applied to a whole string."""
    return _lower_map(text)[0]


def lower_case(text: str, gold: tuple[GoldSpan, ...]) -> Case:
    """The lower version of a cased sentence, its gold spans remapped."""
    lowered, where = _lower_map(text)
    spans = []
    for g in gold:
        kept = [where[i] for i in range(g.start, g.end) if where[i] >= 0]
        if not kept:
            raise ValueError(f"span {text[g.start : g.end]!r} vanishes in the lower version")
        spans.append(GoldSpan(g.type, kept[0], kept[-1] + 1))
    return Case(lowered, tuple(spans), "lower")


def sentences(path: Path = DATA) -> list[tuple[str, tuple[GoldSpan, ...]]]:
    """Every sentence of the set, cased, with its gold spans, in file order."""
    return [s for scene in scenes(path) for s in scene]


def scenes(path: Path = DATA) -> list[list[tuple[str, tuple[GoldSpan, ...]]]]:
    """The set's sentences in scenes: runs of lines that one blank line or comment line ends. From blind13 on,
    writers separate scenes (one recording each: a call, a dictation, an interview) by a blank line; an older
    set is one scene per part, or a few runs split by its comment lines."""
    out: list[list[tuple[str, tuple[GoldSpan, ...]]]] = [[]]
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            out[-1].append(parse_line(line))
        elif out[-1]:
            out.append([])
    return [scene for scene in out if scene]


def join_scene(scene: list[tuple[str, tuple[GoldSpan, ...]]]) -> tuple[str, tuple[GoldSpan, ...]]:
    """A scene as one transcript: its sentences joined by single spaces (as the product joins a recording's
    words), gold spans shifted to their place in it."""
    parts: list[str] = []
    gold: list[GoldSpan] = []
    offset = 0
    for text, spans in scene:
        gold += [GoldSpan(g.type, g.start + offset, g.end + offset) for g in spans]
        parts.append(text)
        offset += len(text) + 1
    return " ".join(parts), tuple(gold)


def negatives(path: Path = NEGATIVES_DEV, *, in_scene: bool = False) -> list[Case]:
    """Every utterance of a negatives file twice (cased, then lower), with no gold span; ``in_scene``: every
    scene (see `scenes`) twice instead, its utterances joined as one transcript.

    Lines starting with # are comments; a line holding markup is refused: nothing in it may be PII.
    """
    runs = scenes(path)
    for run in runs:
        for _, gold in run:
            if gold:
                raise ValueError(f"a negatives line holds a gold span: {run!r}")
    kept = [join_scene(run)[0] for run in runs] if in_scene else [text for run in runs for text, _ in run]
    return [Case(t, (), "cased") for t in kept] + [Case(normalise(t), (), "lower") for t in kept]


def load(path: Path = DATA, *, in_scene: bool = False) -> list[Case]:
    """Every sentence twice: all the cased cases first, then all the lower ones, both in file order.

    ``in_scene``: every scene twice instead, as one transcript (`join_scene`), so that a line is read with the
    lines around it, as the product reads a whole recording; a gold span still counts once, on its own line."""
    parsed = [join_scene(scene) for scene in scenes(path)] if in_scene else sentences(path)
    cased = [Case(text, gold, "cased") for text, gold in parsed]
    return cased + [lower_case(text, gold) for text, gold in parsed]
