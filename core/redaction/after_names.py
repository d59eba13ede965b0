"""An age over 89, or a date of birth, said right after a name the detector found (issue 23, round 12).

`recognizers.AgeRecognizer` and `age_named.NamedAgeRecognizer` judge from the words alone whether what
stands before "is 93" or ", ninety-seven," is a person's name, through name lists and casing; an unlisted
surname in lowercase ("the patient cornelius vandermeer is ninety three"), or a place in a ward between the
name and the age ("Mr. Goldberg in bay four, ninety-seven, daughter ..."), escapes them. Once the finds
are resolved, a NAME found by any recognizer or tagger is a person, so the number after it is the person's
age when it is:
- after "is", "was", "turned", "turns" or "'s" (with "now", "only", "just" ... between): "Name is 90 today";
- set off after the name, or after where the person lies ("in bed 4", "in bay four"), and followed by a
  comma or the end of the sentence: "Name, ninety-seven, ...".
- (round 15) in lowercase text without punctuation, right after the name or where the person lies, then a
  word that starts no street and no further number ("terrence malloy ninety-one held on ...").
The number is 90 to 119, in digits or words, and no unit or measure follows it (`recognizers._AGE_END`).

A date said as numbers right after a name, set off as the age is, is the person's date of birth ("Eleanor
Fitzgibbon, four eleven thirty six, she's my mother"): the date grammar of `core.redaction.dates` with the
name as its cue, ended by a comma, a full stop or the end of the text, or by "he's"/"she's" in lowercase.

(round 15) A listed town said after the name, or after the age that follows it, and "in", "from" or "of", is
where the person is: "aoife gallagher in manchester", "agnes pritchard ninety six of bath"
(`core.redaction.towns.town_after_name`), a town that is also a name or a word in lowercase too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.redaction.dates import SpokenDateRecognizer
from core.redaction.recognizers import _AGE_END
from core.redaction.towns import town_after_name
from core.redaction.types import Entity

_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_AGE = (
    r"(?P<v>(?<![\w.,/-])(?:9\d|1[01]\d)(?![\d.,]\d)|\bninety(?:[\s-]" + _UNITS + r")?\b"
    r"|\b(?:a|one)\s+hundred(?:\s+and\s+(?:" + _UNITS + "|" + _TEENS + r"))?\b)"
)
_VERB = re.compile(
    r"(?:['’]s|\s+(?:is|was|turned|turns|just\s+turned|is\s+now))(?:\s+(?:now|only|just|already|nearly|almost|"
    r"still|actually))?\s+" + _AGE + _AGE_END,
    re.IGNORECASE,
)
_SET_OFF = re.compile(
    r"(?:\s+in\s+(?:bed|bay|room|ward|cubicle|chair)\s+\w+)?,\s+" + _AGE + _AGE_END + r"(?=\s*(?:[,;]|\.(?!\d)|$))",
    re.IGNORECASE,
)

# (round 15) Lowercase ASR drops the commas: the age right after the name, or after where the person lies, then
# any word ("terrence malloy ninety-one held on ...", "mr goldberg in bay four ninety-seven daughter ..."), not a
# house number (a street word within three words) nor the first of more numbers.
_BARE = re.compile(
    r"(?:\s+in\s+(?:bed|bay|room|ward|cubicle|chair)\s+\w+)?\s+"
    + _AGE
    + _AGE_END
    + r"(?=\s*$|\s+(?!(?:[\w'’-]+\s+){0,2}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|court|ct|place|"
    r"boulevard|blvd|close|crescent|terrace|parkway|highway|route|square|row|gardens|grove|hill|north|south|east|"
    r"west)\b)(?!(?:one|two|three|four|five|six|seven|eight|nine|ten|oh|zero|hundred|and)\b)[a-z])"
)

_PUNCTUATED = re.compile(r"[,;?!]|\.(?:\s|$)")


_DATE_START = re.compile(r",?\s+(?=[\w])")
_DATE_END = re.compile(r"\s*(?:[,;]|\.(?!\d)|$)|\s+(?:he|she)['’]s\b", re.IGNORECASE)


def after_names(found: Iterable[Entity], text: str) -> list[Entity]:
    """`found` (sorted by start, not overlapping) with the ages and dates said right after its names added."""
    kept = list(found)
    added: list[Entity] = []
    for e in kept:
        if e.type != "NAME":
            continue
        for span in (_age(text, e.end) or _date(text, e.end), _town(text, e.end)):
            if span is None:
                continue
            kind, start, end = span
            if not any(k.start < end and start < k.end for k in [*kept, *added]):
                added.append(Entity(kind, start, end, 0.8, "context:" + kind.lower() + "_of_name"))
    return sorted([*kept, *added], key=lambda e: e.start) if added else kept


def _age(text: str, at: int) -> tuple[str, int, int] | None:
    m = _VERB.match(text, at) or _SET_OFF.match(text, at)
    if m is None and text.islower() and _PUNCTUATED.search(text) is None:
        m = _BARE.match(text, at)
    return None if m is None else ("AGE", *m.span("v"))


def _town(text: str, at: int) -> tuple[str, int, int] | None:
    span = town_after_name(text, at)
    return None if span is None else ("ADDRESS", *span)


def _date(text: str, at: int) -> tuple[str, int, int] | None:
    gap = _DATE_START.match(text, at)
    if gap is None:
        return None
    end = SpokenDateRecognizer.date_at(text, gap.end())
    if end is None or _DATE_END.match(text, end) is None:
        return None
    return "DATE", gap.end(), end
