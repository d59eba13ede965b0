"""A social security number read out digit by digit with no cue (issue 23, round 5).

Nine digits said one by one ("nine one two, four four, seven eight one zero") have the shape of a social
and of nothing else a caller reads out that way: a phone number has ten, a card thirteen or more, a ZIP five
or nine written. The spoken view joins them into one run of nine; this finds that run when the original
words were spoken digits and no other identifier's cue stands just before it (a cued identifier of the same
span wins anyway: its score is higher).
"""

from __future__ import annotations

import re

from core.redaction.recognizers import ssn_ok
from core.redaction.spoken import SpokenView
from core.redaction.types import Entity

_RUN = re.compile(r"(?<![\w@/.-])(?<!\d[.-])\d{9}(?![\w@]|[.-]\d|/\d)")
_DIGIT_WORDS = re.compile(r"\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b", re.IGNORECASE)
# Another identifier named just before: its own recognizer decides ("routing number nine one two ...").
_OTHER_CUE = re.compile(
    r"\b(?:zip|routing|aba|phone|cell|call|fax|account|acct|member|policy|group|mrn|record|chart|claim|case|"
    r"order|confirmation|tracking|reference|ref|invoice|serial|license|licence|permit|passport|plate|vin|npi|"
    r"dea|medicare|medicaid|id)\b",
    re.IGNORECASE,
)


_DIGIT_WORD_RUN = re.compile(r"[a-z]+", re.IGNORECASE)


def _said_as_social(said: str) -> bool:
    """Nine digit words and nothing else, in the social's groups when a recogniser punctuates them ("six six six,
    one nine, eight eight zero two") or in one run as lowercase ASR writes them."""
    groups = [g for g in said.split(",") if g.strip()]
    words = [len(_DIGIT_WORD_RUN.findall(g)) for g in groups]
    if sum(words) != 9 or len(_DIGIT_WORDS.findall(said)) != 9:
        return False
    return len(groups) == 1 or words == [3, 2, 4]


class SpokenSsnRecognizer:
    name = "grammar:ssn_spoken"
    entities = frozenset({"SSN"})

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        out: list[Entity] = []
        for m in _RUN.finditer(view.text):
            start, end = view.span(m.start(), m.end())
            # Read out in its groups (3, 2, 4: "nine three one, oh oh, two eight seven five"), or all nine digits
            # said one by one, it is a social even when never issued (000, 666, a 00 group): what the caller said.
            if not ssn_ok(m.group()) and not _said_as_social(text[start:end]):
                continue
            if len(_DIGIT_WORDS.findall(text, start, end)) < 5:  # written, or mostly written: not read out
                continue
            if _OTHER_CUE.search(text, max(0, start - 50), start):
                continue
            out.append(Entity("SSN", start, end, 0.6, self.name))
        return out
