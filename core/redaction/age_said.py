"""Ages over 89 as people say them in conversation (issue 23, round 7).

The context rules in `recognizers.AgeRecognizer` want the number right after its cue. Speech puts words
in between and says the age again:
- fillers and hedges between the person and the age: "she's, uh, ninety-four", "that makes you, what,
  ninety-two?", "he's, what, ninety-nine", "that's ninety-two", "and is now 95";
- a chain of guesses, corrections and repeats after an age: "ninety years old, no, sorry, ninety-one",
  "ninety-four or ninety-five", "ninety-two? Ninety-two, yes", "she was ninety, no, ninety exactly".

Vitals, doses and counts stay out through the same `_AGE_END` units as the other age rules.
"""

from __future__ import annotations

import re

from core.redaction.fast_patterns import guarded
from core.redaction.recognizers import _AGE_END, _AGE_SUBJECT
from core.redaction.spoken import SpokenView
from core.redaction.types import Entity

_NUM = r"(?:9\d|1[01]\d)"
_FILL = r"(?:uh|um|er|erm|ah|what|like|oh|well|now|about|around|maybe|probably|nearly|almost|just|only|exactly)"
_SEP = r"[\s,?!.;-]+"
_START = guarded(
    re.compile(
        r"(?:\b(?:" + _AGE_SUBJECT + r"(?:'s|’s|'m|’m|'re|’re|\s+is|\s+was|\s+am|\s+are|\s+were)"
        r"|(?:makes?|made|making)\s+(?:you|him|her|me|them)|\bthat(?:'s|’s|\s+is)|\band\s+is\s+now"
        # "born the 19th of May, 1931, so 95": what the birth date makes the person.
        r"|\bso)"
        r"(?:"
        + _SEP
        + _FILL
        + r")*"
        + _SEP
        + r"(?P<v>"
        + _NUM
        + r")(?:[\s-]*(?:years?|yrs?)[\s-]*old\b)?"
        + _AGE_END
        + r"|(?<![\w.])(?P<y>"
        + _NUM
        + r")(?:\s*|-)(?:years?|yrs?)(?:\s*|-)old\b)",
        re.IGNORECASE,
    )
)
# After an age: "or", "no", "sorry", "I mean", a repeat, then the next guess.
# (round 17) A hedge ("well"), the time of the age ("now", "this year") and a question asked back ("is that
# right?") between an age and the one said after it: "I'm ninety, uh, well, ninety two in June", "you're ninety
# nine now, is that right? A hundred in October".
_NEXT = re.compile(
    _SEP + r"(?:(?:or|no|sorry|i\s+mean|rather|actually|yes|yeah|wait|maybe|uh|um|er|well|now|this\s+year|"
    r"is\s+that\s+(?:right|correct)|right|correct)" + _SEP + r")*"
    r"(?P<v>" + _NUM + r"|(?:a|one)\s+hundred(?:\s+and\s+(?:one|two|three|four|five|\d))?)" + _AGE_END,
    re.IGNORECASE,
)
# "so 95" is an age only after a birth date.
_BORN = re.compile(r"\b(?:born|dob|date of birth|birthday)\b", re.IGNORECASE)
# "that's 92" is an age only when the sentence is about someone's age or birth.
_ABOUT_AGE = re.compile(r"\b(?:born|birth|age|aged|old|years|birthday|turn|turned|turning)\b", re.IGNORECASE)


class SaidAgeRecognizer:
    name = "context:age_said"
    entities = frozenset({"AGE"})

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        out: list[Entity] = []
        for m in _START.finditer(norm):
            group = "v" if m.group("v") else "y"
            if (
                group == "v"
                and m.group().lower().startswith(("that", "so"))
                and not (_BORN if m.group().lower().startswith("so") else _ABOUT_AGE).search(
                    norm, max(0, m.start() - 80), m.start()
                )
            ):
                continue
            spans = [(m.start(group), m.end(group))]
            at = m.end()
            while (nxt := _NEXT.match(norm, at)) is not None:
                spans.append((nxt.start("v"), nxt.end("v")))
                at = nxt.end()
            for s, e in spans:
                start, end = view.span(s, e)
                out.append(Entity("AGE", start, end, 0.8, self.name))
        return out
