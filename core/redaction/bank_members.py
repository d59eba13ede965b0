"""A member number at a bank or a credit union is an account number (issue 23, round 14).

"Member number" and "member ID" name a health plan's member almost everywhere (`context:health_plan`), but a
credit union's members are its account holders: "thank you for calling Lakeside Credit Union, please say your
member number ..." gives an account number. `bank_members` retypes a HEALTH_PLAN_ID find as ACCOUNT_NUMBER
when the words just before it ask for a member number or ID, the text names a bank, a credit union or a
savings or checking account before it, and nothing before it names health cover (an insurer, a plan, a
policy, a patient, a pharmacy).
"""

from __future__ import annotations

import re

from core.redaction.recognizers import _INSURER
from core.redaction.types import Entity

_MEMBER = re.compile(
    r"\bmember(?:['’]s)?\s+(?:number|id|i d|no\.?|#)\b[^.?!\d]{0,30}(?:[.?!][^.?!\d]{0,20})?$", re.IGNORECASE
)
_BANK = re.compile(
    r"\b(?:credit union|bank|banking|savings|checking|building society|federal credit|cu)\b", re.IGNORECASE
)
_HEALTH = re.compile(
    r"\b(?:insurance|insurer|health|medical|plan|policy|coverage|patient|pharmacy|prescription|dental|vision|"
    r"clinic|hospital|doctor|claim|copay|" + _INSURER + r")\b",
    re.IGNORECASE,
)
_BACK = 300


def bank_members(found: list[Entity], text: str) -> list[Entity]:
    """HEALTH_PLAN_ID finds asked for as a bank's or credit union's member number, as ACCOUNT_NUMBER."""
    out: list[Entity] = []
    for e in found:
        if e.type == "HEALTH_PLAN_ID":
            before = text[max(0, e.start - _BACK) : e.start]
            if _MEMBER.search(before) and _BANK.search(before) and not _HEALTH.search(before):
                e = Entity("ACCOUNT_NUMBER", e.start, e.end, e.score, e.detector)
        out.append(e)
    return out
