"""Firms and brands said like people's names: a NAME found inside one is the firm, not a person.

`data/firms.txt` lists firms named after people ("Goldman Sachs", "Procter and Gamble", two words or more)
and, under "@brands", single brand words that are no person's name ("Venmo"); a word written with a capital
inside it after four letters or more ("SmartTrack", "PowerPoint") is a brand's spelling, where names keep a
short prefix ("McKenzie", "DeShawn", "LaToya", "MacArthur"). Round 20: a name said where a business's is said
("Feeney and Sons", "Hi, Brightline customer service", "thank you for calling Brightwick") is the business's too.
The detector's last step
(`core.redaction.overlaps.combine`) asks `not_a_person` of each name it keeps.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from core.redaction.recognizers import fold_text

#: A word with an inner capital after four letters or more: "SmartTrack", "PowerPoint"; "FitzGerald" is a name.
_CAMEL = re.compile(r"\b(?!Fitz)[A-Z][a-z]{3,}[A-Z][a-z]")
#: Round 20: a partnership's tail after its founders' names ("Feeney and Sons", "Ashcombe, Rudd and Partners",
#: "Mull & Co"): the names are the firm's.
_PARTNERS_AFTER = re.compile(
    r"(?:['’]s)?(?:,?\s+[^\W\d_]+)?,?\s+(?:and|&)\s+(?:sons|partners|associates|company|co)\b", re.IGNORECASE
)
#: Round 20: the tail's word alone, which the tagger takes for a surname after "and" ("Feeney and Sons").
_PARTNERS = frozenset(("sons", "partners", "associates"))
#: Round 20: a service's desk after the name that answers the phone ("Hi, Brightline customer service", "Harbour
#: Mutual claims line"): a business's, never a person's.
_DESK_AFTER = re.compile(
    r",?\s+(?:(?:customer|member|client|guest)\s+(?:service|services|care|support|relations)|"
    r"(?:benefits|support|claims|billing|help|reservations)\s+(?:line|desk|team))\b",
    re.IGNORECASE,
)
#: Round 20: an agent's opening that names the business called ("thank you for calling Brightwick", "welcome to
#: Ferngate"): the name said right after it is the firm's; the agent's own comes later ("..., I'm Kai").
_CALLED_BEFORE = re.compile(r"\b(?:for\s+(?:calling|contacting|choosing)|welcome\s+to)\s+$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    text = resources.files("core.redaction").joinpath("data/firms.txt").read_text(encoding="utf-8")
    lines = [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
    brands = lines.index("@brands") if "@brands" in lines else len(lines)
    names = [ln for ln in lines[:brands] if ln]
    names += [w for ln in lines[brands + 1 :] for w in ln.split()]
    alternatives = []
    for name in sorted(names, key=len, reverse=True):
        words = [re.escape(w) for w in name.split()]
        alternatives.append(r"\W+".join(w if w != "and" else r"(?:and|&)" for w in words))
    return re.compile(r"(?<![\w'’])(?:" + "|".join(alternatives) + r")(?:['’]s)?(?![\w'’-])", re.IGNORECASE)


def firm_spans(text: str) -> list[tuple[int, int]]:
    """Where the listed firms and brands are said in `text`, [start, end), diacritics ignored."""
    return [(m.start(), m.end()) for m in _pattern().finditer(fold_text(text))]


def not_a_person(text: str, start: int, end: int, firms: list[tuple[int, int]]) -> bool:
    """Whether the name [start, end) of `text` lies inside a listed firm, holds a brand's camel-case word, or is said
    where a business's name is (round 20): before a partnership's tail or a service's desk, right after an agent's
    opening, or the partnership's tail itself."""
    return (
        any(a <= start and end <= b for a, b in firms)
        or _CAMEL.search(text, start, end) is not None
        or _PARTNERS_AFTER.match(text, end) is not None
        or _DESK_AFTER.match(text, end) is not None
        or _CALLED_BEFORE.search(text, max(0, start - 30), start) is not None
        or text[start:end].lower() in _PARTNERS
    )
