"""A card's expiry said as a month and a year some way off the word that asks for it (issue 23, round 12).

"Could you confirm your card's expiry, just the month and year? May twenty eight." / "The expiry on mine
is March of 2030" / "we need the expiry, it's two slash twenty seven, right? Yes, February twenty seven":
`context:expiry` (`core.redaction.recognizers`) takes the value only with a few fillers between the cue and
it; here the cue may stand up to two sentences before the value, or just after it ("April twenty nine is
the expiry"). The value is a month and a year of this era, never a day: a month named with a two-digit year
from 20 to 45, "of" and a year from 2000, or a numeric month and year ("04/29"). A licence's, passport's or
policy's expiry, a date of birth or a visit named in between make it some other date, left to the date
rules. A payment card, a CVV or a payment must be named near, since food, medicines and documents expire
too.
"""

from __future__ import annotations

import re

from core.redaction.fast_patterns import form_for, quick
from core.redaction.spoken import SpokenView
from core.redaction.types import Entity

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YY = r"(?:2\d|3\d|4[0-5])"
_VALUE = re.compile(
    r"(?<![\w'’/.-])(?:" + _MONTH + r"\.?,?\s+(?:of\s+)?(?:20\s?|['’])?" + _YY
    + r"|(?:0?[1-9]|1[0-2])\s?/\s?(?:20)?" + _YY + r")"
    # Not a day with its suffix, a time, a measure or a longer number.
    + r"(?![\w:/]|[.,]\d|\s*(?:am|pm|percent|%|mg|years?|minutes?|dollars?)\b)",
    re.IGNORECASE,
)  # fmt: skip
_CUE = re.compile(
    r"\b(?:expir\w*|exp\.|valid (?:thru|through|until|till|to)|good (?:thru|through|until|till))\b", re.IGNORECASE
)
# Something else's expiry, or another date asked for, between the cue and the value.
_NOT_CARD = (
    r"licen[cs]e|passport|permit|visa status|green card|registration|id card|policy|subscription|membership|"
    r"lease|warranty|contract|coupon|voucher|offer|prescription|medication"
)
_OTHER = re.compile(
    r"\b(?:" + _NOT_CARD + r"|born|birth|dob|birthday|appointment|visit|admitted|discharged|seen|due)\b", re.IGNORECASE
)
# Just before the cue: whose expiry it is ("the passport's expiry").
_NOT_CARD_BEFORE = re.compile(r"\b(?:" + _NOT_CARD + r")\b[\w\s'’,]{0,20}$", re.IGNORECASE)
_NOT_CARD_IN = re.compile(r"\b(?:" + _NOT_CARD + r")\b", re.IGNORECASE)
_DAY_BEFORE = re.compile(r"\b(?:on|the|by|before|after|since|from)\s+$", re.IGNORECASE)
# A payment card named near: food, a medicine or a document expires too ("the milk's expiration says May 29").
_CARD = re.compile(
    r"\b(?:card|cards|visa|mastercard|master card|amex|american express|discover|debit|credit|cvv2?|cvc2?|"
    r"security code|payment|payments|pay|billing|code on the (?:front|back))\b"
    # Or a card's number read out ("It's 3796 679118 75614, ..., and it's good until March twenty-nine").
    r"|(?<![\w.-])\d{4}[ -]?\d{4,6}[ -]?\d{4,5}(?:[ -]?\d{1,4})?(?![\w-])",
    re.IGNORECASE,
)
_CARD_BACK, _CARD_AHEAD = 150, 100
_BACK = 130  # characters before the value the cue may stand in: a question and a short preamble
_AHEAD = 30  # and after it ("April twenty nine is the expiry")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


class ExpiryMonthRecognizer:
    """A month and a year after (or just before) a card-expiry cue, up to two sentences away."""

    name = "context:expiry_far"
    entities = frozenset({"CREDIT_DEBIT_EXPIRY"})

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        if _CUE.search(norm) is None:  # most transcripts name no expiry: one scan, then nothing
            return []
        out: list[Entity] = []
        for m in _VALUE.finditer(norm):
            if self._cued(norm, m.start(), m.end()):
                start, end = view.span(m.start(), m.end())
                out.append(Entity("CREDIT_DEBIT_EXPIRY", start, end, 0.9, self.name))
        return out

    @staticmethod
    def _cued(norm: str, start: int, end: int) -> bool:
        if _DAY_BEFORE.search(norm, max(0, start - 8), start):
            return False  # "on May 28", "by June 30": a day of the month
        if _CARD.search(norm, max(0, start - _CARD_BACK), min(len(norm), end + _CARD_AHEAD)) is None:
            return False
        before = list(_CUE.finditer(norm, max(0, start - _BACK), start))
        if before:
            gap = norm[before[-1].end() : start]
            first = before[0].start()
            if (
                len(_SENTENCE_END.findall(gap)) <= 2
                and _OTHER.search(gap) is None
                and _NOT_CARD_BEFORE.search(norm, max(0, first - 30), first) is None
                and _NOT_CARD_IN.search(norm, first, start) is None
            ):
                return True
        after = _CUE.search(norm, end, min(len(norm), end + _AHEAD))
        if after is not None:
            gap = norm[end : after.start()]
            return _SENTENCE_END.search(gap) is None and _OTHER.search(gap) is None
        return False


# Round 20: the expiry and the code asked for together ("Expiry and the three digits on the back?", "confirm the
# expiration and security code for me", "the card's expiry and CVV, please", "the expiration date, the security
# code, and ..."). The view writes the digit words ("three digits" -> "3 digits"), so the cue reads the view.
_PAIR_CUE = (
    r"\b(?:expir[a-z]*|exp)(?:\s+date)?,?\s+(?:and\s+|&\s+)?(?:the\s+|its\s+|your\s+|the\s+card['’]s\s+)?"
    r"(?:[34]\s+digits?(?:\s+(?:security\s+)?(?:code|number))?(?:\s+on\s+the\s+(?:back|front))?|cvv2?|cvc2?|cvn|csc|"
    r"security\s+(?:code|number)|code(?:\s+on\s+the\s+(?:back|front))?)\b"
)
# The answer, the first number after the ask: a month and a year of this era said as one run ("oh nine
# twenty-six" -> 0926, "ten twenty-six" -> 1026, "eight twenty-seven" -> 827, "02/27"), then, after "and", a comma
# or nothing (the view joins "nine twenty nine, two one two" into 929212), three or four digits: the code. The
# view may join the two runs, so the year ends where the month says it does.
_YEAR = r"(?:2\d|3\d|4[0-5])"
_PAIR_VALUE = (
    r"(?P<exp>(?:0?[1-9]|1[0-2])\s?/\s?(?:20)?" + _YEAR + r"|(?:0[1-9]|1[0-2])" + _YEAR + r"|[1-9]" + _YEAR + r")"
    # The code may be named after the expiry ("..., and the code is one four four").
    r"(?:(?:[\s,]+(?:and|then)?[\s,]*(?:(?:the\s+)?(?:code|cvv2?|cvc2?|security\s+code)(?:\s+is|['’]s)?[\s,]*)?|)"
    r"(?P<code>\d(?:\s?\d){2,3}))?(?![\d/]|[.,]\d)"
)
# Between the ask and the answer no number but a count ("..., and the last four of your social? ...").
# Searched on the view's folded text where that finds the same (`fast_patterns.quick`).
_PAIR = quick(re.compile(_PAIR_CUE + r"(?:[^\d]|(?<=last )4){0,80}?(?<![\w.-])" + _PAIR_VALUE, re.IGNORECASE))
_PAIR_NAME = "context:expiry_pair"


class ExpiryCodePairRecognizer:
    """The answer to an ask for the expiry and the code together: its month and year, and the code said next."""

    name = _PAIR_NAME
    entities = frozenset({"CREDIT_DEBIT_EXPIRY", "CREDIT_DEBIT_CVV"})

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        # Most transcripts ask for no expiry: a substring test, then nothing.
        if "exp" not in (view.text.lower() if view.folded is None else view.folded):
            return []
        regex, haystack = form_for(_PAIR, view.text, view.folded)
        out: list[Entity] = []
        for m in regex.finditer(haystack):
            start, end = view.span(m.start("exp"), m.end("exp"))
            out.append(Entity("CREDIT_DEBIT_EXPIRY", start, end, 0.95, self.name))
            if m.group("code") is not None:
                start, end = view.span(m.start("code"), m.end("code"))
                out.append(Entity("CREDIT_DEBIT_CVV", start, end, 0.95, self.name))
        return out


def pairs_over_tagger(found: list[Entity], tagger: str) -> list[Entity]:
    """Round 20: the identifier tagger's finds that overlap an expiry-and-code answer give way to it (the tagger
    reads "zero eight twenty seven one one five" as one number of any type)."""
    pairs = [(e.start, e.end) for e in found if e.detector == _PAIR_NAME]
    if not pairs:
        return found
    return [e for e in found if e.detector != tagger or not any(s < e.end and e.start < t for s, t in pairs)]
