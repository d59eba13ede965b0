"""An identifier known by its shape, typed by the nearest identifier noun before it (issue 23, round 7).

The cued identifier rules want their cue right before the value ("member ID MBR..."). Speech puts more
between them ("his ID is EGH447129-01, and I'm the dependent, EGH447129-02"; "supplemental plan member
AARP 0413 9928 1, Part D RXM 44 1902 7"; "the VIN ends in, what, 4471B2?"). Two shapes are identifiers
whatever is said around them:
- one token of letters and digits (dashes allowed) with at least four digits and one letter:
  "EGH447129-01", "OC5-22918-K", "4471B2";
- a short letter prefix and two to four digit groups, six digits or more, maybe a check letter:
  "QW 77 41 902 K", "AARP 0413 9928 1", "LN 6620 4419 07".
Such a value is marked only when identifier nouns of one type stand within 70 characters before it; that
type is its type. No noun, or nouns of two types ("add my licence to the account, it's S530-..."), or a
noun of another thing's number (claim, order, policy...): nothing is marked, and the cued rules decide.
"""

from __future__ import annotations

import re

from core.redaction.spoken import SpokenView
from core.redaction.types import Entity

_TOKEN = re.compile(r"(?<![\w@./:-])(?=[\w-]*\d)(?=[\w-]*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*(?![\w@]|[.-]\w)", re.IGNORECASE)
# Words said before a number that are no identifier's letters.
_NOT_PREFIX = (
    r"(?!(?:on|at|in|is|by|to|of|was|the|and|or|from|for|since|till|until|about|around|it's|its|"
    r"number|no|id|room|bed|page|line|step|part|dose|level|grade|stage|type|class|age|aged|from|"
    r"are|be|my|me|we|us|it|he|she|his|her|our|you|your|that|this|has|had|have|were|will|say|says|said|call|"
    r"than|then|just|only|over|into|with|like|plus|less|more|was|got|get|now|yes|ok|so|if|as|an|up|do|did|"
    r"am|pm|apt|ext|dob|exp|ssn|mrn|cvv|pin|"
    # A card's name before its number ("Card 4111 1111 ...", "a Visa 4012 ..."): a card, not a prefixed code.
    r"card|visa|amex|mastercard|discover|debit|credit)\b)"
)
_PREFIXED = re.compile(
    r"(?<![\w@./:-])" + _NOT_PREFIX + r"[a-z]{1,4}(?:\s+\d{1,5}){2,4}(?:\s+[a-z](?![\w'’]))?(?![\w@]|[.:/-]\d)",
    re.IGNORECASE,
)
# Identifier nouns and the type each gives; the last one before the value wins.
_NOUN = re.compile(
    r"\b(?:(?P<HEALTH_PLAN_ID>member|subscriber|plan|medicaid|medicare|dependent|beneficiary|hmo|ppo)|(?P<DEVICE_ID>serial|device|imei|transmitter|receiver|pump|pacemaker|"
    r"concentrator|monitor|sensor|implant)|(?P<VEHICLE_ID>vin|plate|vehicle|truck|car|van)|"
    r"(?P<ACCOUNT_NUMBER>account|acct|loan|mortgage|bill|utility)|(?P<MEDICAL_RECORD_NUMBER>mrn|chart|"
    r"medical\s+record)|(?P<LICENSE_NUMBER>licen[cs]e|permit)|"
    # Numbers of other things: what follows them is none of the types above.
    r"(?P<other>claim|case|order|reference|ticket|confirmation|tracking|invoice|dea|npi|policy|registration))\b",
    re.IGNORECASE,
)


# Round 12: the same shape read out, on the spoken view: letters spelled one by one or a prefix, maybe "dash",
# then digits in groups or one by one ("E G H, 44712902", "TL dash 4 4 8 0 9 1 7", "C V P 0 0 4 8 1 9 2 7").
_SPELLED = re.compile(
    # Spelled letters, or a prefix with "dash" said after it (a word before a number is no prefix: "down, 4 4 1 9").
    # (round 17) Nor a date's cue spelled ("d o b oh four twelve ..."): a date follows, not a code.
    r"(?<![\w@./:'’-])(?!(?:a|i)\s)(?!d,?\s(?:o|0),?\s?b\b|e,?\sx,?\sp\b)"
    + _NOT_PREFIX
    + r"(?:[a-z](?:,?\s[a-z]){1,3}(?:,?\s(?:dash\s)?|-)|[a-z]{2,4}\s(?:dash|hyphen)\s)"
    r"\d(?:\d|,?\s(?=\d))*\d(?![\w@]|[.:/-]\d)",
    re.IGNORECASE,
)
# Said after the value, in its sentence ("..., and I'm calling about my son, he's a dependent on the plan";
# "..., I want to know why my escrow went up"): what the caller goes on to talk about types it.
_NOUN_AFTER = re.compile(
    # A child the caller calls for ("..., for my daughter", "..., the baby's"), or a denial or a cover: a plan's
    # dependant or what a plan decides.
    r"\b(?:(?P<HEALTH_PLAN_ID>member|subscriber|plan|medicaid|medicare|dependent|dependant|beneficiary|coverage|"
    r"covered|copays?|deductible|insurance|denied|denial|prior auth\w*|pre-?auth\w*|daughter|son|child|kids?|baby|"
    r"newborn|stepson|stepdaughter)|(?P<ACCOUNT_NUMBER>account|acct|loan|mortgage|bill|billing|escrow|balance|statement|"
    r"payment)|(?P<DEVICE_ID>serial|device|imei)|(?P<VEHICLE_ID>vin|plate|registered)|"
    r"(?P<other>claim|case|order|reference|ticket|confirmation|tracking|invoice|policy|phone|number))\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_LABEL_BEFORE = re.compile(r"\b(?:number|no|id|code|group|bin|pcn|#)\b[\s:#,]*(?:(?:is|was)\s+)?$", re.IGNORECASE)


class TypedCodeRecognizer:
    name = "shape:typed_code"
    entities = frozenset(
        {"HEALTH_PLAN_ID", "DEVICE_ID", "VEHICLE_ID", "ACCOUNT_NUMBER", "MEDICAL_RECORD_NUMBER", "LICENSE_NUMBER"}
    )

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        out: list[Entity] = []
        for regex in (_TOKEN, _PREFIXED, _SPELLED):
            said = view.text if regex is _SPELLED else text
            for m in regex.finditer(said):
                value = m.group()
                digits = sum(c.isdigit() for c in value)
                if digits < (4 if regex is _TOKEN else 6) or len(value) < 6:
                    continue
                start, end = view.span(m.start(), m.end()) if regex is _SPELLED else m.span()
                kinds = {n.lastgroup for n in _NOUN.finditer(text, max(0, start - 70), start)}
                # Said after it only when nothing labels it ("Group number 7741-A, and the subscriber is ...").
                if not kinds and not _LABEL_BEFORE.search(text, max(0, start - 30), start):
                    kinds = _kinds_after(text, end)
                # None, or two types named (license and account): the cued rules decide, or nothing does.
                if len(kinds) != 1 or _NOUN.match(value) is not None:
                    continue
                kind = kinds.pop()
                if kind is None or kind == "other":
                    continue
                out.append(Entity(kind, start, end, 0.6, self.name))
        return out


def _kinds_after(text: str, end: int) -> set[str | None]:
    """The types named after the value, up to its sentence's end (100 characters at most)."""
    stop = min(len(text), end + 100)
    if (m := _SENTENCE_END.search(text, end, stop)) is not None:
        stop = m.start()
    return {n.lastgroup for n in _NOUN_AFTER.finditer(text, end, stop)}
