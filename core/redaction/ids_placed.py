"""Identifiers whose cue is not right before them (issue 23, round 5): the kind said after the number, an
answer given after an explanation, and a partial plate of letters only.

- "it's 44017732198, checking", "7 7 2 0 1 9 4 4, that's my savings": the account's kind after its number;
- "your member ID is on the front of your card, starts with three letters. Okay, it's Y L Q 81447720": an
  answer ("it's ...") a sentence or two after the cue;
- "partial plate BKL", "she was only sure of B K L" after a plate was named: letters alone are the plate's.
"""

from __future__ import annotations

from core.redaction.recognizers import NOT_AMOUNT, RegexRecognizer, id_ok

_ACCOUNT_KIND_AFTER = (
    r"[\s,]+(?:(?:that's|that is|it's|it is|is|for|on)\s+)?(?:(?:my|the|our|his|her|their|your)\s+)?"
    r"(?:checking|savings|chequing)(?!\s+(?:in|on|up|out|back|with|if|whether|that|to|for|it|the)\b)"
)
_LETTERS = r"[a-z](?:\s[a-z]){1,6}"
# The answer's shape, smaller than the cued grammar (`_ID`, costly to compile): letters read one by one or as a
# prefix, then digits ("Y L Q 81447720", "XEB 449201773"), or one token with a digit ("W2X-44817").
_ANSWER = (
    r"(?P<v>(?:[a-z]\s){0,4}[a-z]{0,3}\s?\d[\d\s-]{3,24}\d|(?=[a-z0-9-]*\d)[a-z0-9]{2,6}(?:-[a-z0-9]{2,10}){1,3})"
    r"(?![\w-])"
)
# The cue of a plate named before ("the plate", "partial plate", "tag").
_PLATE_NAMED = r"\b(?:licen[cs]e plate|plates?|tag number|vehicle|car|truck|pickup|sedan|van|suv)\b"


def placed_id_recognizers() -> list[RegexRecognizer]:
    return [
        RegexRecognizer(
            "context:account_kind_after", "ACCOUNT_NUMBER",
            [r"(?<![\w.-])(?P<v>\d{8,17}|\d(?: \d){7,16})(?![\w-])" + _ACCOUNT_KIND_AFTER],
            score=0.9, group="v",
        ),
        RegexRecognizer(
            "context:member_id_answer", "HEALTH_PLAN_ID",
            # The answer after an explanation: "... starts with three letters. Okay, it's Y L Q 81447720."
            [r"\b(?:member|subscriber|policy|insurance|medicare|medicaid)\s+(?:id|i d|number)\b[^?!]{0,100}?"
             r"\b(?:okay,?\s+|ok,?\s+|so,?\s+|yes,?\s+)?(?:it's|it is|that's|its)\s+" + _ANSWER + NOT_AMOUNT],
            score=0.9, group="v", validate=id_ok,
        ),
        RegexRecognizer(
            "context:partial_plate_letters", "VEHICLE_ID",
            [r"\bpartial\s+(?:plate|tag)\b[\s:,]*(?:(?:is|was|of|reads|read)\s+)?"
             r"(?P<v>" + _LETTERS + r"|[a-z]{2,4}(?=[\s,.;]|$))(?![\w-])"],
            score=0.85, group="v",
        ),
        RegexRecognizer(
            "context:plate_letters_seen", "VEHICLE_ID",
            # After a plate was named: "only sure of B K L", "she got the first three, B K L".
            [r"\b(?:sure of|got|caught|saw|remembers?|remembered|recalls?|recalled)\s+(?:the\s+)?(?:first\s+)?"
             r"(?:(?:two|three|four)\s+)?(?:letters?\s+|characters?\s+)?,?\s*(?P<v>" + _LETTERS + r")(?![\w-])"],
            score=0.85, group="v", context=_PLATE_NAMED, window=160,
        ),
    ]  # fmt: skip
