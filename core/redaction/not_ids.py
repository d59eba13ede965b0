"""Numbers that are no identifier's value, whatever cue stands before them (issue 23, round 18).

Read as a whole transcript, an identifier cue from an earlier sentence reaches numbers said later, and lowercase
ASR text shows no sentence's end: "... wired to her savings a 90-year-old man ...", "... the account number.
Handover, bed six, eighty-four, son visiting ...". A number that says what it is by the words around it is not
the cue's value:

- an age: followed by "years old", "-year-old", "year old", "yrs old", "yo", "y/o" ("a 90-year-old", "she's
  seventy-two years old", "81 yo");
- a dose, an amount or a time: followed by its unit ("40 mg", "twelve units", "300 dollars", "four thirty p.m.");
- a bed, a bay, a room, a ward or a cubicle: right after that word ("bay four", "bed 12", "room three oh two").

`not_identifiers` cuts such a number off an identifier find at its edge (the bed's number at its start, the age or
the amount at its end) and drops the find if what remains holds fewer than three digits. The age's own rules then
mark it (`pattern:age`, `core.redaction.after_names`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.redaction.id_tagger import ID_TYPES
from core.redaction.restated import digit_count
from core.redaction.types import Entity

# One number, written or said, maybe hyphenated ("90", "ninety-seven", "twenty one", "three oh two").
_WORD = (
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
)
_NUM = r"(?:\d+(?:\.\d+)?|" + _WORD + r"(?:[\s-]+" + _WORD + r")*)"
# What a number ends with when it is an age, a dose, an amount or a time.
_UNIT = (
    r"[\s-]*(?:(?:years?|yrs?)[\s-]*(?:old|of age)|y/?o|y\.o\.|mg|mcg|milligrams?|micrograms?|ml|millilit(?:er|re)s?|"
    r"units?|tablets?|capsules?|puffs?|doses?|dollars?|bucks|cents|percent|per cent|pounds?"
    # A time of day.
    r"|o['’]clock|[ap]\.m\.|pm|am(?!\s+i\b))(?![\w'’])"
)
# An identifier find ending in such a number, the unit inside the find or right after it.
_ENDS_IN_MEASURE = re.compile(r"(?<![\w.-])(" + _NUM + r")(?=" + _UNIT + r")", re.IGNORECASE)
_UNIT_AT = re.compile(_UNIT, re.IGNORECASE)
# A first look for any unit near a find (most finds have none: no number is then read for them).
_UNIT_SEEN = re.compile(
    r"old|\bage\b|\by/?o\b|y\.o\.|\bmc?g\b|gram|\bml\b|lit[er]|unit|tablet|capsule|puff|dose|dollar|buck|cent|pound|"
    r"o['’]clock|\b[ap]m\b|[ap]\.m\.",
    re.IGNORECASE,
)
# A place in a ward or a building, right before the find, its number the find's first.
_PLACE_BEFORE = re.compile(
    r"\b(?:bed|bay|room|rm|ward|cubicle|cot|side room|bed space|stall)(?:\s+(?:number|no\.?|#))?\s*$", re.IGNORECASE
)
_FIRST_NUMBER = re.compile(r"\s*" + _NUM + r"[\s,;:]*", re.IGNORECASE)


def not_identifiers(found: Sequence[Entity], text: str) -> list[Entity]:
    """`found` with every identifier find cut clear of an age, a dose, an amount, a time or a bed's number at its edges,
    and dropped when fewer than three digits remain."""
    out: list[Entity] = []
    for e in found:
        if e.type not in ID_TYPES:
            out.append(e)
            continue
        start, end = e.start, e.end
        if _PLACE_BEFORE.search(text, max(0, start - 20), start) and (m := _FIRST_NUMBER.match(text, start, end)):
            start = m.end()
        # "500 mg, 180 tablets": each measure at the end in turn.
        while start < end and (cut := _measure_at_end(text, start, end)) is not None:
            end = cut
        if (start, end) == (e.start, e.end):
            out.append(e)
        elif digit_count(text[start:end]) >= 3:
            out.append(Entity(e.type, start, end, e.score, e.detector))
    return out


def _measure_at_end(text: str, start: int, end: int) -> int | None:
    """Where the find ends before the age, dose or amount that closes it, if one does."""
    if _UNIT_SEEN.search(text, start, min(len(text), end + 30)) is None:
        return None
    # The unit may stand after the find: searched past its end, for numbers that start inside it.
    for m in _ENDS_IN_MEASURE.finditer(text, start, min(len(text), end + 30)):
        if m.start(1) >= end:
            break
        number_end = m.end(1)
        unit = _UNIT_AT.match(text, number_end)
        # The unit closes the find: inside it up to its end, or right after it.
        if unit is not None and (unit.end() >= end or number_end == end):
            return len(text[start : m.start(1)].rstrip(" ,.;:-")) + start
    return None
