"""How a detector's finds become one set of spans: overlaps resolved, the trained tagger's names giving way.

Shared by the rule detector (`core.redaction.detect.RuleDetector`) and the same rules inside Presidio
(`core.redaction.presidio_detector.PresidioDetector`), so both resolve alike.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from core.redaction.firms import firm_spans, not_a_person
from core.redaction.name_tagger import TAGGER, only_particles
from core.redaction.types import Entity


def combine(found: Iterable[Entity], text: str | None = None) -> list[Entity]:
    """The trained tagger's names give way to any other type's find they overlap (an address's street, an
    e-mail's user name); names that overlap each other become their union (round 8: "Ho Quang" and "Quang
    Minh" are one name); then `resolve_overlaps`. Given the `text`, two names with only particles between
    them, or a space alone (unless one is a spelling), become one ("Ines" de la "Fuente", "Chae" "Ji-hun":
    found by the tagger and the rules in halves), and a name inside a firm or a brand is dropped ("Goldman
    Sachs", "Venmo", "SmartTrack": `core.redaction.firms`). Then address parts
    said in a row become one (`join_address_pieces`)."""
    found = list(found)
    others = [(e.start, e.end) for e in found if e.type != "NAME"]
    kept = resolve_overlaps(
        _name_unions(
            [e for e in found if not (e.detector == TAGGER and any(s < e.end and e.start < t for s, t in others))]
        )
    )
    return kept if text is None else join_address_pieces(text, _join_names(kept, text))


def _name_unions(found: list[Entity]) -> list[Entity]:
    """Names that overlap become their union (round 8): the tagger's "Ho Quang" and the rules' "Quang Minh" are
    halves of one name, and the longer half alone would leave the rest readable."""
    names = sorted((e for e in found if e.type == "NAME"), key=lambda e: (e.start, -e.end))
    out: list[Entity] = [e for e in found if e.type != "NAME"]
    current: Entity | None = None
    for e in names:
        if current is not None and e.start < current.end:
            if e.end > current.end:
                current = Entity("NAME", current.start, e.end, max(current.score, e.score), current.detector)
            continue
        if current is not None:
            out.append(current)
        current = e
    if current is not None:
        out.append(current)
    return out


def _join_names(kept: list[Entity], text: str) -> list[Entity]:
    out: list[Entity] = []
    firms = firm_spans(text) if any(e.type == "NAME" for e in kept) else []
    for e in kept:
        if e.type == "NAME" and not_a_person(text, e.start, e.end, firms):
            continue
        if (
            out
            and out[-1].type == e.type == "NAME"
            and (
                (text[out[-1].end : e.start] == " " and not _spelled(text, out[-1]) and not _spelled(text, e))
                or only_particles(text, out[-1].end, e.start)
            )
        ):
            last = out.pop()
            e = Entity("NAME", last.start, e.end, max(last.score, e.score), last.detector)
        out.append(e)
    return out


_ADDRESS_GAP = re.compile(r"[\s,]{1,3}")


def join_address_pieces(text: str, found: list[Entity]) -> list[Entity]:
    """Address parts found one by one and said in a row, set off only by a comma or a space, are one address
    ("Rural Route 3, Box 42" then "Chinle, Arizona 86503"): each part alone covers too little of it.
    `found` is sorted by start and free of overlaps, as `resolve_overlaps` returns it."""
    out: list[Entity] = []
    for e in found:
        last = out[-1] if out else None
        if (
            last is not None
            and e.type == last.type == "ADDRESS"
            and _ADDRESS_GAP.fullmatch(text, last.end, e.start) is not None
        ):
            out[-1] = Entity("ADDRESS", last.start, e.end, max(last.score, e.score), last.detector)
        else:
            out.append(e)
    return out


def resolve_overlaps(found: Iterable[Entity]) -> list[Entity]:
    """Greedy: longest first, then highest score, then earliest; sorted by start, none overlapping."""
    ranked = sorted(found, key=lambda e: (-(e.end - e.start), -e.score, e.start, e.type))
    starts: list[int] = []
    kept: list[Entity] = []  # sorted by start, parallel to `starts`
    for e in ranked:
        if e.end <= e.start:
            continue
        k = bisect.bisect_left(starts, e.start)
        if k > 0 and kept[k - 1].end > e.start:
            continue
        if k < len(kept) and kept[k].start < e.end:
            continue
        starts.insert(k, e.start)
        kept.insert(k, e)
    return kept


def _spelled(text: str, e: Entity) -> bool:
    """A name spelled letter by letter ("D A G N Y"): a span of its own beside the name it spells."""
    return all(len(w) == 1 for w in text[e.start : e.end].split())
