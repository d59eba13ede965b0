"""Number families that need no identifier cue right before them (issue 23, rounds 7 and 12).

- The last digits of a thing named earlier ("a charge on my debit card, the one ending in 3012"; "the
  last four digits of the card, please? Nine seven four oh"; "the phone number ending in 0147"): four
  digits after "ending in" / "last four" belong to the nearest card, phone or account word before them,
  however many words stand between. With no such word ("the lease ended in 2019") nothing is marked.
- A phone number in national format with a trunk zero ("07700 900 418", "0161 496 0327",
  "020 7946 0933", "08 5550 1176"): a leading zero, two to four groups, ten or eleven digits in all. No
  date, time, dose or count is written that way, so no phone word is needed before it.

And an area code said on its own (round 12): "area code nine oh two".

And part of a number whose owner goes unsaid (round 15): "the last four as 0291", "the first five are 9 1 8, 2 2".
Callers are asked for the last four or the first five of a social far more often than of anything else, and
answer without naming it; a card, phone or account named before them is the owner above instead. Only the
count said and the digits given, with nothing but a verb or a filler between ("the last four hours, 1200 ml"
is no social).

All read the spoken view, so numbers said as words ("nine seven four oh") count as written ones.
"""

from __future__ import annotations

import re

from core.redaction.fast_patterns import guarded
from core.redaction.recognizers import PhoneRecognizer
from core.redaction.spoken import SpokenView
from core.redaction.types import Entity

_TAIL = guarded(
    re.compile(
        r"\b(?:(?:(?:ending|ends|ended|finishing|finishes)\s+(?:in|with|on)|last\s+(?:4|four)(?:\s+(?:digits|numbers))?)\b"
        r"(?P<gap>[^\d]{0,45}?)"
        # "the one ending 3199": with no "in", the digits right after the verb.
        r"|(?:ending|ends)[\s:,]+(?=\d))"
        # Written as one run, or read out digit by digit ("ends in 9 0 9 0").
        r"(?<![\w-])(?P<v>\d{4}|\d \d \d \d)(?![\w/:]|[.,-]\d| \d)",
        re.IGNORECASE,
    )
)
# What the digits end: the last of these words in the 80 characters before the cue ("a text to the number
# ending ...": a number texted is a phone's, round 12).
_OWNER = re.compile(
    r"\b(?:(?P<card>cards?|visa|mastercard|amex|discover|debit|credit)|(?P<phone>phones?|mobile|cell|landline|"
    r"telephone|texts?|texted|texting|sms|callback)|(?P<account>accounts?|acct|loan|mortgage)"
    r"|(?P<ssn>ssn|social(?: security)?))\b",
    re.IGNORECASE,
)
# A written year, and what may stand between a social and "ends"/"ending" when the social is what ends: "my social
# ends in", "the SSN, the one ending in", "social security number that ends in", "social's last four".
_YEAR = re.compile(r"(?:19|20)\d\d")
_ITSELF = re.compile(
    r"(?:\s+number|\s+no\.?|\s*#)?(?:['’]s)?"
    r"(?:\s+(?:(?:on|in)\s+(?:file|record|the\s+system)|(?:you|we|i)\s+(?:have|gave|had)))?"
    r"[\s,:-]*(?:(?:that|which|the one|one)\s+)?(?:(?:is|was|that's)\s+)?"
    r"(?:(?:uh|um|just)[\s,]+)?",
    re.IGNORECASE,
)
_TYPES = {"card": "CREDIT_DEBIT_NUMBER", "phone": "PHONE", "account": "ACCOUNT_NUMBER", "ssn": "SSN"}
# A second sentence in the gap ends the cue's reach, unless it is the question the digits answer.
_GAP_STOP = re.compile(r"[.!;]\s")

# The last group has three or four digits, as a phone's does; "HZ9 0044 1872 03" is a member ID.
# (round 16) The last group may hold six digits: a British mobile is said and written 5-6 ("07700 900123").
_NATIONAL = re.compile(r"(?<![\w.+/:-])0\d{1,4}(?:[ -]\d{2,4}){0,2}[ -]\d{3,6}(?![\w/:]|[.,-]\d)")
# Just before: a code with a digit in it ("A1 020 7946 0933" reads as one identifier, not a phone).
_ID_BEFORE = re.compile(r"\b[a-z]*\d[\w-]*\s+$", re.IGNORECASE)


# "the last four as 0291", "the first five are 9 1 8, 2 2", "and last four? Caller: 2 2 1 9": how many, then the digits.
_UNNAMED_PART = re.compile(
    r"\b(?:(?P<last>last)\s+(?:4|four)|(?:first|1st)\s+(?P<first>3|5|three|five))(?:\s+(?:digits|numbers))?"
    r"(?:[\s,:?.]+(?:is|are|was|were|as|being|reads?|would be|should be|it's|they're|that's|sure|yes|yeah|okay|ok|"
    r"um|uh|caller|patient|a|anyway|at least|i think|i guess|i believe"
    # Who gave them: "the last four, and I told her 7 3 0 5".
    r"|(?:and\s+)?(?:i|he|she|they|we)\s+(?:told|gave|said|read)(?:\s+(?:her|him|them|you|it|out))?)\b\.?)*[\s,:?.]*"
    r"(?<![\w-])(?P<v>\d(?:,?\s?\d){2,4})(?![\w/:]|[.,-]\d|,? \d)",
    re.IGNORECASE,
)
_PART_COUNT = {"last": 4, "3": 3, "three": 3, "5": 5, "five": 5}


class UnnamedPartRecognizer:
    """The last four or first five of a number no word before them names: a social's."""

    name = "grammar:unnamed_part"
    entities = frozenset({"SSN"})

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        out: list[Entity] = []
        for m in _UNNAMED_PART.finditer(norm):
            count = _PART_COUNT[m.group("first") or "last"]
            if sum(c.isdigit() for c in m.group("v")) != count:
                continue
            owners = list(_OWNER.finditer(norm, max(0, m.start() - 80), m.start()))
            # A social named before ("my social, the first three are 918") makes it one; any other owner or thing
            # with digits leaves it to its own rules.
            if owners and owners[-1].lastgroup != "ssn":
                continue
            if not owners and _OTHER_NAMED.search(norm, max(0, m.start() - 80), m.start()):
                continue
            out.append(Entity("SSN", *view.span(*m.span("v")), 0.8, self.name))
        return out


# Another thing with digits named before the part: its own rules decide ("the plate, the last four ...").
_OTHER_NAMED = re.compile(
    r"\b(?:plates?|vin|tag|registration|member|policy|licen[cs]e|serial|imei|routing|pin|passcode|code|zip|order|"
    r"claim|confirmation|tracking|reference|case|cvv|mrn|chart|record|ticket|invoice|number)\b",
    re.IGNORECASE,
)


# "area code nine oh two", "the area code's 617": the first part of a phone number, marked as the whole is.
# Round 20: with the local number said right after it, the whole number ("area code 312, 555 0147", "area code
# 602, then 555-0110").
_AREA_CODE = re.compile(
    r"\barea\s+code(?:['’]s|\s+(?:is|was|of|it's))?[\s:,]+(?:uh\s+|um\s+)?(?P<v>(?:\d{3}|\d \d \d)"
    r"(?:(?:,\s*|\s+)(?:(?:and\s+)?then\s+|the\s+(?:rest|number)\s+(?:is\s+)?)?\d{3}[\s.-]?\d{4})?)"
    r"(?![\w/:-]|[.,]\d| \d)",
    re.IGNORECASE,
)


class AreaCodeRecognizer:
    name = "context:area_code"
    entities = frozenset({"PHONE", "FAX"})

    def __init__(self) -> None:
        self._phone = PhoneRecognizer()  # whether the number is a fax, as for any number

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        return [
            Entity(
                "FAX" if self._phone.is_fax(norm, *m.span("v")) else "PHONE", *view.span(*m.span("v")), 0.8, self.name
            )
            for m in _AREA_CODE.finditer(norm)
        ]


class LastDigitsRecognizer:
    name = "grammar:last_digits"
    entities = frozenset(_TYPES.values())

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        out: list[Entity] = []
        for m in _TAIL.finditer(norm):
            if _GAP_STOP.search(m.group("gap") or ""):
                continue
            owners = list(_OWNER.finditer(norm, max(0, m.start() - 80), m.start("v")))
            if not owners:
                continue
            kind = owners[-1].lastgroup
            assert kind is not None
            # Round 18: a written year ("it ends in 2027", "the lease ended in 2019") is no social's last four
            # unless the social is what ends ("my social ends in 2019", "the SSN ending in 1987").
            if (
                kind == "ssn"
                and _YEAR.fullmatch(m.group("v"))
                and not _ITSELF.fullmatch(norm, owners[-1].end(), m.start())
            ):
                continue
            start, end = view.span(m.start("v"), m.end("v"))
            out.append(Entity(_TYPES[kind], start, end, 0.9, self.name))
        return out


class NationalPhoneRecognizer:
    name = "pattern:phone_national"
    entities = frozenset({"PHONE", "FAX"})

    def __init__(self) -> None:
        self._phone = PhoneRecognizer()

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        out: list[Entity] = []
        for m in _NATIONAL.finditer(view.text):
            if sum(c.isdigit() for c in m.group()) not in (10, 11):
                continue
            if _ID_BEFORE.search(view.text, max(0, m.start() - 20), m.start()):
                continue
            # "The form says fax to 01632 960 455": typed as any phone number is.
            kind = "FAX" if self._phone.is_fax(view.text, m.start(), m.end()) else "PHONE"
            start, end = view.span(m.start(), m.end())
            out.append(Entity(kind, start, end, 0.75, self.name))
        return out
