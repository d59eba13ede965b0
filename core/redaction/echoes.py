"""A value said again later in the same recording takes the type of the find it repeats (issue 23, round 20).

`core.redaction.restated` reads a value said again right beside a find, with a marker between ("..., I repeat,
..."). A recording also says a value again a clause or a turn later, with other words between: read back ("the
IMEI is 35 ..., does that match your box? ... the box says 35..."), confirmed after a pause ("1 1 2 9, because she
was scared she'd forget it. So 1129"), checked ("it's 4471 0093 2658, let me check, yeah, 4471 0093 2658"), or
read back with the rest of the card ("..., expires 11/27, code 482. So ending 0521, eleven twenty-seven, four
eight two"). The same digits said again in the same recording are the same value whatever words stand between,
so they are as sensitive as the find.

After `restated`, each found identifier of a shaped type is a key: its digits, written or said ("six oh eight, five
five five, ..." and "(608) 555-..." are one key; a month and year "11/27" and "eleven twenty-seven" too). In
the `_REACH` characters after it, each run of numbers (digits or number words, with commas, spaces, hyphens,
brackets or a hesitation between) is read as the keys it holds, one after another, and as nothing else: a run
that is one key, or a read-back list of keys ("0521, eleven twenty-seven, four eight two"), gives each piece the
key's type. A card's or an account's last four digits are a key of their own only after "ending" or "last four".
A piece is marked where nothing was found, or, when a rule typed the key, where only a guess was (the identifier
tagger's type, the bare last digits' rule, a card's or a phone's shape); a piece that another rule typed keeps its
type, and a guess's key retypes nothing. A run with any part that is no key is left alone: an amount, a dose or a
time holds no found value's digits. Reads the original text; does work only after a find, in a bounded window.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable

from core.redaction.fast_patterns import folded_text, form_for, quick
from core.redaction.spoken import DIGIT_WORDS, REPEAT_WORDS, TEEN_WORDS, TENS_WORDS
from core.redaction.types import Entity

_TYPES = frozenset({
    "PHONE", "FAX", "SSN", "MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_ID", "ACCOUNT_NUMBER", "CREDIT_DEBIT_NUMBER",
    "CREDIT_DEBIT_CVV", "CREDIT_DEBIT_EXPIRY", "PIN", "LICENSE_NUMBER", "DEVICE_ID",
})  # fmt: skip
# A value this short is a key only for the types whose values are this short.
_SHORT_TYPES = frozenset({"CREDIT_DEBIT_CVV", "PIN"})
_TAIL_TYPES = frozenset({"CREDIT_DEBIT_NUMBER", "ACCOUNT_NUMBER"})
# Guesses another key may overrule: the identifier tagger's type, the bare last digits' rule, and a card's shape
# (an IMEI passes the card's checksum too).
_GUESSES = frozenset({"crf:id", "grammar:last_digits", "pattern:credit_card"})
# Keys that retype nothing: a card's shape is a rule's find, the tagger's type and the bare last digits' are not.
_UNSURE = frozenset({"crf:id", "grammar:last_digits"})
_REACH = 200  # characters after a find in which it may be said again: a question and its answer

_WORD = (
    r"zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|double|triple"
)
_NUM = r"(?:\d+|(?:" + _WORD + r")(?![\w'’]))"
_SEP = r"(?:[\s,()/-]+(?:(?:uh|um|er|erm)[\s,]+)?)"
_RUN_PATTERN = r"(?<![\w'’./-])" + _NUM + r"(?:" + _SEP + _NUM + r")*(?![\w'’]|[./-]\w)"
# Round 20 (speed): read on the lowercased text where that finds the same (`fast_patterns`), twice as fast as
# ignoring case.
_RUN = quick(re.compile(_RUN_PATTERN, re.IGNORECASE))
_TOKEN = re.compile(r"\d+|[a-z]+(?:-[a-z]+)?", re.IGNORECASE)
_TAIL_CUE = re.compile(r"\b(?:ending(?:\s+in)?|ends\s+in|last\s+(?:four|4)(?:\s+digits)?(?:\s+(?:is|are))?)[\s,:]*\Z",
                       re.IGNORECASE)  # fmt: skip
_HESITATIONS = frozenset({"uh", "um", "er", "erm"})
_NO_LETTER = re.compile(r"[^a-zA-Z]*")
_MONTH_YEAR = re.compile(r"(?:0?[1-9]|1[0-2])(?:20)?(?:2\d|3\d|4[0-5])")
# A key: its digits, its type, where its find ends, and whether a rule (not a guess) typed it.
_Key = tuple[str, str, int, bool]
_TENS_SAID = frozenset(str(v) for v in TENS_WORDS.values())


def _pieces(said: str, base: int = 0) -> list[tuple[str, int, int]] | None:
    """The digits of each number word or written number in `said` with its offsets ("twenty-seven" -> "27",
    "double one" -> "11"), a hesitation skipped; None when a word is no number."""
    out: list[tuple[str, int, int]] = []
    repeat = 1
    for m in _TOKEN.finditer(said):
        w = m.group().lower()
        start, end = base + m.start(), base + m.end()
        if w.isdigit():
            digits = w * repeat if repeat > 1 and len(w) == 1 else w
        elif w in REPEAT_WORDS:
            repeat = REPEAT_WORDS[w]
            continue
        elif w in _HESITATIONS:
            continue
        elif w in DIGIT_WORDS:
            digits = str(DIGIT_WORDS[w]) * repeat
        elif w in TEEN_WORDS:
            digits = str(TEEN_WORDS[w])
        elif w.split("-")[0] in TENS_WORDS:
            tens, _, unit = w.partition("-")
            digits = str(TENS_WORDS[tens] + (DIGIT_WORDS[unit] if unit else 0))
        else:
            return None
        # "twenty seven" said apart is one number, as "twenty-seven" is.
        if out and len(digits) == 1 and not w.isdigit() and out[-1][0] in _TENS_SAID:
            prev = out.pop()
            out.append((prev[0][0] + digits, prev[1], end))
        else:
            out.append((digits, start, end))
        repeat = 1
    return out


def _digits_only(said: str) -> str:
    return "".join(c for c in said if c.isdigit())


def digits_of(said: str) -> str | None:
    """All the digits of a value written or said, punctuation aside; None when a word is no number."""
    pieces = _pieces(said)
    return None if pieces is None else "".join(p[0] for p in pieces)


def echoes(found: Iterable[Entity], text: str) -> list[Entity]:
    """`found` (sorted by start, not overlapping) with the values said again after its finds typed as they are."""
    kept = sorted(found, key=lambda e: e.start)
    keys: list[_Key] = []
    tails: list[_Key] = []
    for e in kept:
        if e.type not in _TYPES:
            continue
        said = text[e.start : e.end]
        # Round 20 (speed): a written number's digits without reading its words.
        number = _digits_only(said) if _NO_LETTER.fullmatch(said) else digits_of(said)
        if number is None or len(number) < (3 if e.type in _SHORT_TYPES else 4):
            continue
        if e.type == "CREDIT_DEBIT_EXPIRY" and _MONTH_YEAR.fullmatch(number) is None:
            continue  # a guess's "88 14" is no month and year
        keys.append((number, e.type, e.end, e.detector not in _UNSURE))
        if e.type in _TAIL_TYPES and len(number) >= 8:
            tails.append((number[-4:], e.type, e.end, e.detector not in _UNSURE))
    if not keys:
        return kept
    changed = False
    starts = [e.start for e in kept]  # the finds do not overlap: their ends are sorted too
    first = len(kept)  # the marks appended after these overlap no later run
    dropped: set[int] = set()
    ends = [k[2] for k in keys]
    tail_ends = [k[2] for k in tails]
    # Every key and tail has three digits or more: a run that opens with no key's first three is read no further.
    opens = {k[0][:3] for k in keys} | {k[0][:3] for k in tails}
    runs, scanned = form_for(_RUN, text, folded_text(text))
    pos = 0
    for _, _, key_end, _ in keys:
        pos = max(pos, key_end)
        reach = min(len(text), key_end + _REACH)
        for cut in runs.finditer(scanned, pos, reach):
            # A run the window's end may have cut (before a separator and a word) is read whole.
            run = runs.match(scanned, cut.start()) if cut.end() > reach - 16 else cut
            if run is None:
                continue
            pos = run.end()
            said = text[run.start() : run.end()]
            if said.isalpha() or (len(said) < 3 and said.isdigit()):
                continue  # one word, or a number under three digits: shorter than any key
            if _NO_LETTER.fullmatch(said) and _digits_only(said)[:3] not in opens:
                continue
            pieces = _pieces(said, run.start())
            if pieces is None or "".join(p[0] for p in pieces)[:3] not in opens:
                continue
            live = keys[bisect.bisect_left(ends, run.start() - _REACH) : bisect.bisect_right(ends, run.start())]
            tail = tails[
                bisect.bisect_left(tail_ends, run.start() - _REACH) : bisect.bisect_right(tail_ends, run.start())
            ]
            if tail and _TAIL_CUE.search(text, max(0, run.start() - 30), run.start()) is None:
                tail = []
            parts = _split(pieces, live, tail)
            if parts is None:
                continue
            changed |= _split_guess(kept, starts, first, parts, dropped) or any(
                [_mark(kept, starts, first, (etype, start, end), sure=sure) for etype, start, end, sure in parts]
            )
    if not changed:
        return kept
    return sorted((e for i, e in enumerate(kept) if i not in dropped), key=lambda e: e.start)


def _split(
    pieces: list[tuple[str, int, int]], keys: list[_Key], tails: list[_Key]
) -> list[tuple[str, int, int, bool]] | None:
    """The run read as keys one after another, the longest first at each step (a tail only first); None when some
    part of it is no key."""
    out: list[tuple[str, int, int, bool]] = []
    i = 0
    while i < len(pieces):
        step = None
        for number, etype, _, sure in sorted((*keys, *(tails if i == 0 else ())), key=lambda k: -len(k[0])):
            got, j = "", i
            while j < len(pieces) and len(got) < len(number):
                got += pieces[j][0]
                j += 1
            if got == number:
                step = (etype, pieces[i][1], pieces[j - 1][2], sure, j)
                break
        if step is None:
            return None
        out.append(step[:4])
        i = step[4]
    return out


def _mark(kept: list[Entity], starts: list[int], first: int, part: tuple[str, int, int], *, sure: bool) -> bool:
    """Mark [start, end) as `etype` where nothing was found, or (when the key is no guess itself) retype a guess
    found on it; True if changed."""
    etype, start, end = part
    over = _overlapping(kept, starts, first, start, end)
    if not over:
        kept.append(Entity(etype, start, end, 0.85, "echo:" + etype.lower()))
        return True
    if len(over) != 1:
        return False
    k = kept[over[0]]
    if not sure or k.type == etype or k.start < start or k.end > end:
        return False
    if _guess(k):
        kept[over[0]] = Entity(etype, k.start, k.end, k.score, k.detector)
        return True
    return False


def _guess(e: Entity) -> bool:
    # A phone's shape is a guess too: the digits said before as a fax, a serial or an account are that again.
    return e.detector in _GUESSES or (e.type == "PHONE" and e.detector == "pattern:phone")


def _overlapping(kept: list[Entity], starts: list[int], first: int, start: int, end: int) -> list[int]:
    """The indices of the first `first` finds (sorted, not overlapping) that overlap [start, end)."""
    i = bisect.bisect_left(starts, end, 0, first)  # the finds before i start before `end`
    over = []
    while i > 0 and kept[i - 1].end > start:  # and those of them that end after `start` are the last ones
        i -= 1
        over.append(i)
    return over


def _split_guess(
    kept: list[Entity], starts: list[int], first: int, parts: list[tuple[str, int, int, bool]], dropped: set[int]
) -> bool:
    """A read-back list that one guess took whole ("0521, eleven twenty-seven, four eight two" as one code) becomes
    its keys' finds, when rules typed them all; True if so."""
    over = _overlapping(kept, starts, first, parts[0][1], parts[-1][2])
    if len(parts) < 2 or not over or not all(p[3] for p in parts):
        return False
    guesses = [kept[i] for i in over]
    if not all(_guess(k) and parts[0][1] <= k.start and k.end <= parts[-1][2] for k in guesses):
        return False
    score = max(k.score for k in guesses)
    marks = [Entity(etype, start, end, score, "echo:" + etype.lower()) for etype, start, end, _ in parts]
    # Where the guesses were: later runs start after them, so their starts need not be kept; those left over go.
    for i, mark in itertools.zip_longest(over, marks):
        if i is None:
            kept.append(mark)
        elif mark is None:
            dropped.add(i)
        else:
            kept[i] = mark
    return True
