"""A card number, its expiry and its security code said in one breath (issue 23, round 14).

Payment calls read the whole card at once: "4539 1488 0343 6467, oh seven, twenty nine, three one two";
without commas "... 6467 oh seven twenty nine three one two". The identifier tagger takes it all as one card
number. `split_card_tails` cuts such a find after the sixteen written digits (four groups of four, passing
Luhn) when what follows, and nothing else, reads as a month (01-12), a year of this era (20-45) and a code of
three or four digits: the expiry and the CVV become finds of their own. Spoken numbers are parsed from the
words, not from the spoken view, since the view reads "thirty five five oh" as "35 50" where the caller said
the year "thirty" and the code "five five oh"; every split of the words is tried, and only one that leaves a
code of three or four digits is taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.redaction.recognizers import luhn_ok
from core.redaction.spoken import DIGIT_WORDS
from core.redaction.types import Entity

_CARD = re.compile(r"\d{4}([ -])\d{4}\1\d{4}\1\d{4}")
_TOKEN = re.compile(r"[A-Za-z]+|\d+")
_GAP = re.compile(r"[\s,.;:/-]*")
_MONTH_WORD = {"ten": 10, "eleven": 11, "twelve": 12}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40}


def split_card_tails(found: list[Entity], text: str) -> list[Entity]:
    """Each card-number find that runs on into an expiry and a code, as three finds."""
    out: list[Entity] = []
    for e in found:
        parts = _split(e, text) if e.type == "CREDIT_DEBIT_NUMBER" else None
        out.extend(parts if parts is not None else (e,))
    return out


def _split(e: Entity, text: str) -> list[Entity] | None:
    card = _CARD.match(text, e.start, e.end)
    if card is None or not luhn_ok(re.sub(r"\D", "", card.group())):
        return None
    toks = [(m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text, card.end(), e.end)]
    ends = [card.end(), *(t[2] for t in toks[:-1])]
    if not toks or any(_GAP.fullmatch(text, a, t[1]) is None for a, t in zip(ends, toks, strict=True)):
        return None
    for _month_end, year_end in _parses(toks):
        code = "".join(_digits(toks[year_end:]))
        if 3 <= len(code) <= 4 and all(_digits([t]) for t in toks[year_end:]):
            return [
                Entity(e.type, e.start, card.end(), e.score, e.detector),
                Entity("CREDIT_DEBIT_EXPIRY", toks[0][1], toks[year_end - 1][2], e.score, e.detector),
                Entity("CREDIT_DEBIT_CVV", toks[year_end][1], toks[-1][2], e.score, e.detector),
            ]
    return None


def _parses(toks: list[tuple[str, int, int]]) -> Iterator[tuple[int, int]]:
    """(end of the month, end of the year) for every reading of the words as a month then a year."""
    for m_end in _months(toks):
        for y_end in _years(toks, m_end):
            yield m_end, y_end


def _months(toks: list[tuple[str, int, int]]) -> Iterator[int]:
    w = toks[0][0]
    if w.isdigit():
        if len(w) in (1, 2) and 1 <= int(w) <= 12:
            yield 1
        return
    if w in _MONTH_WORD:
        yield 1
    elif w in ("oh", "o", "zero") and len(toks) > 1 and toks[1][0] in DIGIT_WORDS and DIGIT_WORDS[toks[1][0]] > 0:
        yield 2
    elif w in DIGIT_WORDS and DIGIT_WORDS[w] > 0:
        yield 1


def _years(toks: list[tuple[str, int, int]], i: int) -> Iterator[int]:
    if i >= len(toks):
        return
    w = toks[i][0]
    if w.isdigit():
        if len(w) == 2 and 20 <= int(w) <= 45:
            yield i + 1
        return
    if w in _TENS:
        if i + 1 < len(toks) and toks[i + 1][0] in DIGIT_WORDS and DIGIT_WORDS[toks[i + 1][0]] > 0:
            yield i + 2
        yield i + 1


def _digits(toks: list[tuple[str, int, int]]) -> list[str]:
    out: list[str] = []
    for w, _, _ in toks:
        if w.isdigit():
            out.append(w)
        elif w in DIGIT_WORDS:
            out.append(str(DIGIT_WORDS[w]))
        else:
            return []
    return out


_NUMBER_WORD = re.compile(
    r"\d+|oh|o|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty",
    re.IGNORECASE,
)


class CardTailRecognizer:
    """The same reading where no other rule took the card: a written card number, then only number words up
    to the first other word or sentence end, split as a month, a year and a code."""

    name = "pattern:card_tail"
    entities = frozenset({"CREDIT_DEBIT_NUMBER", "CREDIT_DEBIT_EXPIRY", "CREDIT_DEBIT_CVV"})

    def find(self, text: str, view: object) -> list[Entity]:
        out: list[Entity] = []
        for card in _CARD.finditer(text):
            if card.start() > 0 and (text[card.start() - 1].isalnum() or text[card.start() - 1] in "-/"):
                continue
            end = card.end()
            for m in _TOKEN.finditer(text, card.end()):
                if _GAP.fullmatch(text, end, m.start()) is None or _NUMBER_WORD.fullmatch(m.group()) is None:
                    break
                end = m.end()
            if end > card.end():
                parts = _split(Entity("CREDIT_DEBIT_NUMBER", card.start(), end, 0.95, self.name), text)
                out.extend(parts or ())
        return out
