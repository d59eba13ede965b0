"""Numeric dates said as a run of numbers: a grammar over spoken and written parts, not a phrase list.

"eleven four nineteen sixty", "oh four oh nine nineteen ninety", "twelve thirty one twenty twenty two",
"03 13 1956", "seven slash four slash two thousand one": three parts, month and day (either order, each
checked against the calendar) and a year. A year with its century ("nineteen sixty", "twenty twenty
two", "two thousand three", "1956") makes the run a date on its own; a two-digit year ("six fifteen oh
two") needs a date cue just before it. A run with more numbers on either side is a phone number or an
identifier, never a date. Works on the original text's words, so offsets need no mapping.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.redaction.fast_patterns import guarded
from core.redaction.types import Entity

_ATOM = re.compile(r"[A-Za-z]+|\d+|[/,.-]")

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}  # fmt: skip
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
        "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
        "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
        "twentieth": 20, "thirtieth": 30}  # fmt: skip
_ZERO = frozenset({"oh", "o", "zero"})
_SEPARATORS = frozenset({"/", "-", ",", ".", "slash", "dash"})
_NUMBERISH = frozenset(_UNITS) | frozenset(_TEENS) | frozenset(_TENS) | frozenset(_ORD) | _ZERO | {
    "hundred", "thousand", "double", "triple"}  # fmt: skip
_CUE = re.compile(
    r"\b(?:born|birth|dob|d\s?o\s?b|birthday|date|dated|dos|on|since|seen|admitted|discharged|died|deceased|"
    # A question and its answer: "your date of birth? Caller: seven fourteen sixty two".
    r"visit|appointment|effective|issued)\b[\w\s,:'?]{0,12}$"
    # The event a date heading names, and what it is of ("date of admission ...", "onset of symptoms ...").
    r"|\b(?:admission|admit|discharge|surgery|procedure|injury|onset|service|incident|accident|loss|delivery)"
    r"\b[\w\s,:']{0,22}$",
    re.IGNORECASE,
)

# Round 12: a date of birth asked for, then the answer after a name or a "please" ("date of birth, Ana Ruiz,
# twelve fifteen eighty eight"; "your date of birth, please. Five, twenty one, eighty two"): a birth cue in
# the 70 characters before, with no number and no other thing asked for between; or the same date just said
# in words ("date of birth? April 2nd, 1979, oh four oh two seventy-nine").
_BIRTH_CUE = re.compile(r"\b(?:born|birth|dob|d\.?\s?o\.?\s?b|birthday|birth\s?date)\b", re.IGNORECASE)
_NOT_BIRTH_GAP = re.compile(
    r"\d|\b(?:phone|number|code|id|account|policy|member|ssn|social|zip|postcode|pin|card|extension|room|time|at)\b",
    re.IGNORECASE,
)
_SAID_DATE = re.compile(
    r"^[\s,:?.]*(?:[a-z]+\s+){0,2}(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:st|nd|rd|th)?,?\s+\d{4}[\s,.]*(?:(?:or|so|that's|i mean)[\s,]+)?$",
    re.IGNORECASE,
)
_BIRTH_BACK = 70

_NUMBER_ALTERNATION = "|".join(sorted(_NUMBERISH, key=len, reverse=True))
_NUM = r"(?:\d+|(?:" + _NUMBER_ALTERNATION + r")\b)"
#: Three or more number atoms in a row, with the separators and the "and" a date may hold between them.
#: A hesitation between the numbers ("twelve, uh, four sixty") is skipped, as a separator is (round 12).
_FILLERS = frozenset({"uh", "um", "er", "erm", "ah"})
_RUN = guarded(
    re.compile(
        r"(?<![\w])"
        + _NUM
        + r"(?:(?:[\s,/.-]+|\s+(?:slash|dash|and)\s+|[\s,]+(?:uh|um|er|erm|ah)[\s,]+)"
        + _NUM
        + r"){2,}",
        re.IGNORECASE,
    )
)

Parse = tuple[int, int]  # (value, next atom index)


class SpokenDateRecognizer:
    """Month, day and year said as numbers, in words or digits, in one run."""

    name = "grammar:numeric_date"
    entities = frozenset({"DATE"})

    def find(self, text: str, view: object) -> list[Entity]:
        # Only runs of three or more number atoms can hold a date: tokenising just those, instead of every
        # word of the transcript, made this recognizer several times faster (profiled).
        out: list[Entity] = []
        for run in _RUN.finditer(text):
            out += self._find_in(text, run.start(), run.end())
        return out

    def _find_in(self, text: str, begin: int, end_: int) -> list[Entity]:
        atoms = _atoms(text, begin, end_)
        words = [a[0] for a in atoms]
        out: list[Entity] = []
        i = 0
        while i < len(atoms):
            if not _numberish(words[i]) or (i > 0 and _numberish(_before(words, i)) and not _new_run(words, i)):
                i += 1
                continue
            best = max(self._dates(words, i, text, atoms), default=None)
            if best is None:
                i += 1
                continue
            end = best
            out.append(Entity("DATE", atoms[i][1], atoms[end - 1][2], 0.85, self.name))
            i = end
        return out

    @staticmethod
    def date_at(text: str, start: int) -> int | None:
        """Where a date said as numbers that begins at `start` ends, cued or not (the caller knows the cue:
        a name just before it, `core.redaction.after_names`); None when none begins there."""
        run = _RUN.match(text, start)
        if run is None:
            return None
        atoms = _atoms(text, run.start(), run.end())
        words = [a[0] for a in atoms]
        end = max(SpokenDateRecognizer._dates(words, 0, text, atoms, cued=True), default=None)
        return None if end is None else atoms[end - 1][2]

    @staticmethod
    def _dates(
        words: list[str], i: int, text: str, atoms: list[tuple[str, int, int]], *, cued: bool = False
    ) -> Iterator[int]:
        for a, j in _day(words, i):
            j = _skip_separator(words, j)
            for b, k in _day(words, j):
                if not ((a <= 12 and b <= 31) or (b <= 12 and a <= 31)):
                    continue
                k = _skip_separator(words, k)
                # (round 15) A month or day said with its zero ("oh seven, twelve, thirty-one") is a written
                # date read aloud: a date with a two-digit year too, as a century makes one.
                zero = words[i] in _ZERO or words[j] in _ZERO
                for strong, end in _year(words, k):
                    if end < len(words) and _numberish(words[end]) and words[end] not in _ORD:
                        # More numbers follow: a phone number or an identifier. (Round 17) Not an ordinal word: no
                        # phone number is read with one, it opens the next sentence ("... fifty four first name").
                        continue
                    if end + 1 < len(words) and words[end] == "/" and _numberish(words[end + 1]):
                        continue  # "12/01, 12/03": the "year" is the next date's month
                    if (
                        strong
                        or zero
                        or cued
                        or _CUE.search(text, max(0, atoms[i][1] - 40), atoms[i][1])
                        or _birth(text, atoms[i][1])
                    ):
                        yield end


def _atoms(text: str, begin: int, end: int) -> list[tuple[str, int, int]]:
    """The numbers and separators between `begin` and `end`, lowercased, with their offsets; hesitations left out."""
    out: list[tuple[str, int, int]] = []
    for m in _ATOM.finditer(text, begin, end):
        word = m.group().lower()
        # "eleven, um, four": the hesitation and the second comma go, one separator stays.
        if word not in _FILLERS and not (word in _SEPARATORS and out and out[-1][0] in _SEPARATORS):
            out.append((word, m.start(), m.end()))
    return out


def _birth(text: str, start: int) -> bool:
    """A birth cue some words before `start`, with nothing between that another number could answer."""
    cues = list(_BIRTH_CUE.finditer(text, max(0, start - _BIRTH_BACK), start))
    if not cues:
        return False
    gap = text[cues[-1].end() : start]
    return _NOT_BIRTH_GAP.search(gap) is None or _SAID_DATE.match(gap) is not None


def _new_run(words: list[str], i: int) -> bool:
    """Numbers said in words right after a year written in digits ("april 2nd 1979 oh four oh two
    seventy-nine", unpunctuated): the date said again, not one number."""
    return not words[i].isdigit() and len(words[i - 1]) == 4 and words[i - 1].isdigit()


def _numberish(w: str) -> bool:
    return w.isdigit() or w in _NUMBERISH


def _before(words: list[str], i: int) -> str:
    """The atom before i, looking past one separator."""
    j = i - 1
    if j > 0 and words[j] in _SEPARATORS - {",", "."}:
        j -= 1
    return words[j]


def _skip_separator(words: list[str], j: int) -> int:
    return j + 1 if j < len(words) and words[j] in _SEPARATORS else j


def _day(words: list[str], i: int) -> list[Parse]:
    """1-31 (a month is one of these too): "4", "04", "oh four", "four", "twelve", "thirty one", "first"."""
    if i >= len(words):
        return []
    w = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w.isdigit():
        return [(int(w), i + 1)] if len(w) <= 2 and 1 <= int(w) <= 31 else []
    if w in _ZERO:
        return [(_UNITS[nxt], i + 2)] if nxt in _UNITS else []
    if w in _UNITS:
        # (round 15) Said digit by digit: "one four" is 14, "three oh" 30 ("zero three one four nineteen
        # sixty-two"); the single digit stays a reading too.
        out = [(_UNITS[w], i + 1)]
        if _UNITS[w] <= 3 and (nxt in _UNITS or nxt in _ZERO) and 10 * _UNITS[w] + _UNITS.get(nxt, 0) <= 31:
            out.append((10 * _UNITS[w] + _UNITS.get(nxt, 0), i + 2))
        return out
    if w in _TEENS:
        return [(_TEENS[w], i + 1)]
    if w in _ORD:
        return [(_ORD[w], i + 1)]
    if w in ("twenty", "thirty"):
        out = [(_TENS[w], i + 1)]
        # (round 15) Written with a hyphen too ("twenty-two"), as `_two_digits` reads a year's "seventy-nine".
        k = i + 2 if nxt == "-" and i + 2 < len(words) else i + 1
        after = words[k] if k < len(words) else ""
        extra = _UNITS.get(after) or _ORD.get(after, 0)
        if extra and _TENS[w] + extra <= 31 and extra < 10:
            out.append((_TENS[w] + extra, k + 1))
        return out
    return []


def _two_digits(words: list[str], i: int) -> list[Parse]:
    """00-99 as said inside a year: "sixty", "eighty five", "oh two", "fifteen"."""
    if i >= len(words):
        return []
    w = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w in _ZERO and nxt in _UNITS:
        return [(_UNITS[nxt], i + 2)]
    if w in _TEENS:
        return [(_TEENS[w], i + 1)]
    if w in _TENS:
        out = [(_TENS[w], i + 1)]
        if nxt in _UNITS:
            out.append((_TENS[w] + _UNITS[nxt], i + 2))
        elif nxt == "-" and i + 2 < len(words) and words[i + 2] in _UNITS:  # "seventy-nine"
            out.append((_TENS[w] + _UNITS[words[i + 2]], i + 3))
        return out
    if w.isdigit() and len(w) == 2:
        return [(int(w), i + 1)]
    return []


def _year(words: list[str], i: int) -> list[tuple[bool, int]]:
    """(has its century, next index) for each way a year can start at i."""
    if i >= len(words):
        return []
    w = words[i]
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w.isdigit():
        if len(w) == 4 and 1900 <= int(w) <= 2099:
            return [(True, i + 1)]
        return [(False, i + 1)] if len(w) == 2 else []
    if w in ("nineteen", "twenty") and (_two_digits(words, i + 1) or nxt == "hundred"):
        if nxt == "hundred":  # "nineteen hundred": also a time ("nineteen hundred hours"), so weak
            return [(False, i + 2)]
        return [(True, j) for _, j in _two_digits(words, i + 1)]
    if w == "two" and nxt == "thousand":
        j = i + 2
        if j < len(words) and words[j] == "and":
            j += 1
        rest = [(True, k) for _, k in _two_digits(words, j) if words[j] not in _ZERO]
        if j < len(words) and words[j] in _UNITS:
            rest.append((True, j + 1))
        return rest or [(False, i + 2)]  # a bare "two thousand" is as often a count ("two thousand steps")
    return [(False, j) for _, j in _two_digits(words, i)]
