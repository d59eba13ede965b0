"""An identifier given as the answer to the question that names it (issue 23, round 8).

The cued rules want the value right after its cue, with a filler at most ("member ID, uh, ..."). In a call
or a deposition the cue is in a question and the value is the answer, after the question mark, a speaker's
label and a "yes, it's":
- "Your medical licence number, Doctor? A. ...", "And your DEA registration? A. ...";
- "can I have the member's ID? ...", "the patient's MRN? Yes, it's ...", "your Medicaid ID, if you have
  it? ...", "the IMEI of the phone you're reporting lost? ...";
- "the first and last digits of your passcode? Caller: 3 and 7", "passcode, digits one, three and five
  please? Uh, 2, 9, 4": a PIN's digits given apart;
- a request that ends in a full stop, answered by a label or "it's": "Please read me the plate. It's ...",
  "Please enter your PIN. The caller says, ...".
The question's last identifier noun types the answer; the answer must have the identifier's shape (the
cued rules' grammar, `recognizers._ID`, or digits for a PIN), so "What's your account? The old one." and
"Your licence number? I don't have it." mark nothing.
"""

from __future__ import annotations

import re

from core.redaction.fast_patterns import guarded
from core.redaction.recognizers import _ID, _STATE_NAMES, CORRECTION, NOT_AMOUNT, id_ok
from core.redaction.spoken import SpokenView
from core.redaction.types import Entity

# The last of these in the question types the answer.
_NOUN = re.compile(
    r"\b(?:(?P<LICENSE_NUMBER>(?:driver'?s'?\s+|driving\s+|medical\s+|nursing\s+)?licen[cs]e(?!\s+plate)"
    r"|dea(?:\s+(?:number|registration))?|npi|permit\s+number)"
    r"|(?P<MEDICAL_RECORD_NUMBER>mrn|m r n|medical record(?: number)?|chart number|hospital number|patient id)"
    r"|(?P<HEALTH_PLAN_ID>member(?:['’]s)?\s+(?:id|i d|number)|medicaid|medicare|subscriber|policy number"
    r"|insurance (?:id|number)|plan id)"
    r"|(?P<ACCOUNT_NUMBER>account(?:\s+number)?|acct)"
    r"|(?P<DEVICE_ID>serial(?:\s+number)?|imei|device id|meid|esn)"
    r"|(?P<VEHICLE_ID>(?:licen[cs]e\s+)?plates?|tag number|vin)"
    r"|(?P<PIN>pin|passcode|pass code))\b",
    re.IGNORECASE,
)
_MODIFIER = re.compile(
    r"\b(?:on|for|from|with|under)\s+(?:the|your|my|his|her|their|this|that|a|an)\s+(?:[a-z-]+\s+)?$",
    re.IGNORECASE,
)
# The question: from its noun to its end, within one sentence ("?" or a request's full stop).
_END = re.compile(r"[?.](?=\s)|\?$")
_REQUEST = re.compile(
    r"\b(?:please|can (?:i|you)|could (?:i|you)|may i|what(?:'s| is)|read me|give me|tell me|enter|confirm)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?]\s")
# Things asked for that are no identifier.
_ASKED_OTHER = re.compile(
    r"\b(?:date of birth|birth ?date|birthday|dob|d o b|name|address|zip(?: code)?|postcode|phone number|"
    r"callback number|email|e-mail|age)\b",
    re.IGNORECASE,
)
# Who answers, and how: "A.", "Caller:", "The caller says,", "Yes, it's", "Uh,", "Oh, sure,".
_LABEL = r"(?:(?:q|a|caller|agent|patient|member|customer|client|witness|the caller says|the caller said)\s*[.:,]\s*)"
_OPENER = (
    r"[\s,]*" + _LABEL + r"?"
    r"(?:(?:yes|yeah|yep|sure|okay|ok|right|uh|um|er|erm|oh|so|well)\b[,.]?\s*)*"
    # Round 19: the value read off the thing itself, "It says ...", "the sticker reads ...".
    r"(?:(?:it's|it is|its|that's|that is|that'd be|mine is|mine's|(?:it|the \w+) (?:says|reads|shows))\b[,]?\s*)?"
    r"(?:(?:uh|um|er)\b,?\s*)*"
)
# Where an answer starts in text with no question mark (lowercase ASR): after a speaker's label, "the
# caller says", a request's "please", or "yes" before "it's". "a" is the answer's label only after a "q".
_BREAK = guarded(
    re.compile(
        r"\b(?:(?P<label>caller|agent|patient|customer|client|witness|the caller says|the caller said)\b:?"
        r"|(?P<a>a)\b(?=[.:]?\s)|please\b|(?:yes|yeah|yep)\b(?=,?\s+(?:it'?s|it is|that's)\b))",
        re.IGNORECASE,
    )
)
# "... plate is KRT 4471, and the other driver's was, uh, ...": a second one of the same kind, someone else's.
_THEIRS = re.compile(
    r"\band\s+(?:the\s+other\s+|my\s+|his\s+|her\s+|their\s+|your\s+)?[a-z]+['’]s\s+(?:is|was)\b",
    re.IGNORECASE,
)
_Q = re.compile(r"\bq\b", re.IGNORECASE)
# Round 12: "your policy number is on the card, but I'll need your date of birth, please": a date asked for
# after the identifier's noun is what the answer gives.
_ANSWERED = re.compile(r"\s*(?:" + _LABEL + r"|it'?s\b|it is\b)", re.IGNORECASE)
# Said before a plate: its state ("Texas, D K R ...").
_STATE = r"(?:" + _STATE_NAMES + r",?\s+)?"
# A PIN's digits given apart ("2, 9, 4", "3 and 7", "4, 0, 8, 8, 1, 3", "6 and, uh, 0") or in one run.
_FILLER = r"(?:,?\s*(?:uh|um|er|erm)\b)?"
_PIN = r"(?P<v>\d(?:(?:,\s*|\s+|\s+and\b|,\s+and\b)" + _FILLER + r",?\s*\d){1,7}|\d{3,8})(?![\w-]|[.,]\d)"
_PIN_WORD = re.compile(r"\b(?:pin|passcode|pass code)\b", re.IGNORECASE)
_ORDINAL = re.compile(r"\b\d(?:st|nd|rd|th)\b", re.IGNORECASE)
_ORD = r"(?:the\s+)?\d(?:st|nd|rd|th)(?:\s+(?:one|digit|number))?"
# The places asked: "the 2nd and 3rd", "1st, 3rd and 5th digits", then the question's end if written.
_ASKED_PLACES = re.compile(
    _ORD + r"(?:(?:,\s*|\s+)(?:and\s+)?" + _ORD + r")+(?:\s+(?:digits|ones|numbers))?(?:\s+(?:please|of it))?[?.,]?",
    re.IGNORECASE,
)
# Round 17: a PIN's digits given by their places, as asked ("first is 4 and third is 9", "the 2nd one's 6, the
# 3rd 0", "last digit: 7"). The spoken view writes the ordinals as "1st", "3rd".
_PLACE = re.compile(
    r"(?:,?\s*(?:and\s+)?(?:then\s+)?)(?:the\s+)?(?:\d(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|last|"
    r"middle)(?:\s+(?:one|digit|number))?(?:['’]s|\s+(?:is|was|would be|should be)|:)?[\s,]*"
    + _FILLER
    + r"\s*(?P<d>\d)(?![\w-]|[.,]\d)",
    re.IGNORECASE,
)


class AnswerIdRecognizer:
    name = "context:answer_id"
    entities = frozenset(_NOUN.groupindex)

    def __init__(self) -> None:
        self._id = re.compile(_OPENER + _STATE + _ID + NOT_AMOUNT, re.IGNORECASE)
        self._pin = re.compile(_OPENER + _PIN, re.IGNORECASE)
        self._opener = re.compile(_OPENER, re.IGNORECASE)

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        out: list[Entity] = []
        out.extend(Entity("PIN", *view.span(a, b), 0.9, self.name) for a, b in self._places(norm))
        for end in (*_END.finditer(norm), *_BREAK.finditer(norm), *_THEIRS.finditer(norm)):
            question = self._question(norm, end.start())
            if question is None:
                continue
            kind, asked = question
            # A request that ends in a full stop is answered only after a label or "it's".
            if end.group() == "." and not (_REQUEST.search(asked) and _ANSWERED.match(norm, end.end())):
                continue
            if end.lastgroup == "a" and not _Q.search(asked):
                continue
            regex = self._pin if kind == "PIN" else self._id
            m = regex.match(norm, end.end())
            if m is None:
                continue
            start, stop = m.span("v")
            if start == stop or (kind != "PIN" and not id_ok(norm[start:stop])):
                continue
            fix = CORRECTION.match(norm, stop)
            if fix is not None:
                stop = fix.end()
            a, b = view.span(start, stop)
            out.append(Entity(kind, a, b, 0.9, self.name))
        return out

    def _places(self, norm: str) -> list[tuple[int, int]]:
        """A PIN's digits given by their places, with a PIN's noun said in the 160 characters before and no other
        identifier's after it: "1st is 4 and 3rd is 9" (at least two), or the places asked and the digits said
        ("the 2nd and 3rd? 6 and, uh, 0"). Anchored on the ordinals the spoken view writes."""
        spans: list[tuple[int, int]] = []
        reach = 0
        for o in _ORDINAL.finditer(norm):
            if o.start() < reach:
                continue
            if _PIN_WORD.search(norm, max(0, o.start() - 160), o.start()) is None:
                continue
            nouns = list(_NOUN.finditer(norm, max(0, o.start() - 160), o.start()))
            if not nouns or nouns[-1].lastgroup != "PIN":
                continue
            found: list[tuple[int, int]] = []
            pos = o.start()
            while (m := _PLACE.match(norm, pos)) is not None:
                found.append(m.span("d"))
                pos = m.end()
            if len(found) < 2:
                found = []
                asked = _ASKED_PLACES.match(norm, o.start())
                digits = self._pin.match(norm, asked.end()) if asked is not None else None
                if asked is not None and digits is not None:
                    count = len(_ORDINAL.findall(asked.group()))
                    if len(re.findall(r"\d", digits.group("v"))) == count:
                        found = [digits.span("v")]
                        pos = digits.end()
            if found:
                spans.extend(found)
                reach = pos
        return spans

    @staticmethod
    def _question(norm: str, end: int) -> tuple[str, str] | None:
        """The type the question asks for (its last identifier noun, at most 70 characters before its end)
        and the question itself; None when it names none."""
        begin = max(0, end - 160)
        for stop in _SENTENCE_END.finditer(norm, begin, end):
            begin = stop.end()
        # "the PIN on the account?", "your account PIN for the wireless account": a noun after "on the"
        # names whose identifier it is, not what is asked, when another noun is asked for.
        found = list(_NOUN.finditer(norm, begin, end))
        nouns = [n for n in found if not _MODIFIER.search(norm, begin, n.start())] or found
        if not nouns or end - nouns[-1].end() > 70:
            return None
        # Asked for something else after it ("your policy number is on the card, but I'll need your date of birth
        # please"): the answer is that, not the identifier (round 12).
        if _ASKED_OTHER.search(norm, nouns[-1].end(), end):
            return None
        kind = nouns[-1].lastgroup
        assert kind is not None
        return kind, norm[begin:end]
