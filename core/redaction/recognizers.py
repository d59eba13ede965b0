"""Rule-based recognizers, one small class per idea, each `find(text, view) -> list[Entity]`.

Each has a `name` and the `entities` it can find, so it can later be wrapped as a Presidio recognizer.
Patterns run on the `SpokenView` (spoken digits already written as digits) and report offsets in the
original text. Every regex is compiled once, in the constructor or at module level; nothing here loops a
regex per word over the whole text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache
from importlib import resources

from core.redaction.dates import SpokenDateRecognizer
from core.redaction.fast_patterns import Quick, form_for, guarded, quick
from core.redaction.spoken import _NUMBER_WORDS, SpokenView
from core.redaction.types import Entity

# Digit-run boundaries: not inside a longer number, word, email or decimal.
_B = r"(?<![\w@/.-])(?<!\d[.-])"
_E = r"(?![\w@]|[.-]\d|/\d)"

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
# French, Spanish, Italian, Portuguese, German and Dutch month names (only with a day and a year: "mai", "mars"
# and "mayo" are words too).
_FOREIGN_MONTH = (
    r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|enero|"
    r"febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|gennaio|"
    r"febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|mar[çc]o|maio|junho|"
    r"julho|setembro|outubro|novembro|dezembro|januar|februar|m[äa]e?rz|juni|juli|oktober|dezember|januari|"
    r"februari|maart|mei|augustus)"
)
_YEAR = r"(?:1[89]\d\d|20\d\d)"


def _entity(view: SpokenView, etype: str, start: int, end: int, score: float, detector: str) -> Entity:
    s, e = view.span(start, end)
    return Entity(etype, s, e, score, detector)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


#: A number said, then corrected ("... oh one two three, no sorry, oh one three two"): the correction is as
#: sensitive as the slip, so the span runs on over it.
CORRECTION = re.compile(
    r"[\s,.;?-]*(?:(?:no|sorry|wait|oops|actually|i mean|i meant|correction|scratch that|let me start again|"
    r"make that|rather|it's|its|that's|that is|um|uh|er|or maybe|maybe|or rather|the old (?:1|one)|"
    r"(?:i\s+)?changed it to|caller|agent|"
    # "New PIN, 7 7 1 2, confirm, 7 7 1 2": the number said again to confirm it.
    r"confirm|confirmed|confirming|to confirm|again|repeat|repeating)\b[\s,.;:-]*"
    # "Hotel Tango Kilo 4 4 9 1... HTK-4491": a pause, then the same read back.
    r"|(?<=\.\.\.)\s*|(?<=…)\s*)+"
    # "..., sorry, the last group is 1112": which part is corrected.
    r"(?:(?:the\s+)?(?:last|first|middle|end|final)\s+(?:group|part|bit|digits?|four|three|two|numbers?)"
    r"(?:\s+(?:is|was|are|were|should be|ends? in))?[\s,:]*)?"
    r"(?P<fix>\d(?:[\s.-]?\d){1,16}"
    # A plate or an ID with letters, written as one token ("ABC-1234, sorry, ABD-1234").
    r"|(?=[a-z]{1,4}-?\d)[a-z]{1,4}-?\d[\d-]*(?<=\d))"
    r"(?![\w@]|[.-]\d|/\d)",
    re.IGNORECASE,
)


class RegexRecognizer:
    """One or more patterns for one entity type, on the normalised view.

    `group` names the part of a match to report (so a cue such as "mrn" can anchor the pattern without
    being redacted); `validate` gets that part and may reject it; `context` must match in the
    `window` characters before the match, when given; `avoid` must not match in the `window` characters
    just before it (a veto: "firmware version 3.4.1.12" looks like an IP address but names a release);
    `corrections` runs the span on over a self-correction right after it ("4471 2209, sorry, 4471 2290").
    `anchor` (round 12), a word every match holds: the patterns are searched only within `reach` characters of
    it, for patterns that start with any word and would otherwise be tried at every one.
    """

    def __init__(
        self,
        name: str,
        entity: str,
        patterns: Iterable[str],
        *,
        score: float,
        group: str | int = 0,
        validate: Callable[[str], bool] | None = None,
        context: str | None = None,
        window: int = 40,
        avoid: str | None = None,
        flags: int = re.IGNORECASE,
        corrections: bool = False,
        anchor: str | None = None,
        reach: int = 80,
    ) -> None:
        self.name = name
        self.entities: frozenset[str] = frozenset({entity})
        self.entity = entity
        self._regexes = tuple(re.compile(p, flags) for p in patterns)
        self._score = score
        self._group = group
        self._validate = validate
        self._context = re.compile(context, re.IGNORECASE) if context else None
        self._window = window
        self._avoid = re.compile(avoid, re.IGNORECASE) if avoid else None
        self._corrections = corrections
        self._anchor = re.compile(anchor, re.IGNORECASE) if anchor else None
        self._reach = reach

    @cached_property
    def _quick(self) -> tuple[Quick, ...]:
        """The same patterns, searched quicker (`fast_patterns.quick`). Built at the first search, not with the
        recognizer: for every pattern of every recognizer that took a third of a second, which the detector's load
        (held to a second) would pay before any text comes."""
        return tuple(quick(r) for r in self._regexes)

    @cached_property
    def _quick_anchor(self) -> Quick | None:
        return quick(self._anchor) if self._anchor else None

    def _windows(self, view: SpokenView) -> list[tuple[int, int]]:
        """The stretches to search: the whole text, or those around the anchor's finds, merged."""
        norm = view.text
        if self._quick_anchor is None:
            return [(0, len(norm))]
        out: list[tuple[int, int]] = []
        anchor, haystack = form_for(self._quick_anchor, norm, view.folded)
        for a in anchor.finditer(haystack):
            lo, hi = max(0, a.start() - self._reach), min(len(norm), a.end() + self._reach)
            if out and lo <= out[-1][1]:
                out[-1] = (out[-1][0], hi)
            else:
                out.append((lo, hi))
        return out

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        out: list[Entity] = []
        norm = view.text
        windows = self._windows(view)
        searches = [form_for(q, norm, view.folded) for q in self._quick]
        for m in (m for lo, hi in windows for regex, haystack in searches for m in regex.finditer(haystack, lo, hi)):
            start, end = m.span(self._group)
            if start < 0 or start == end:
                continue
            if self._validate is not None and not self._validate(norm[start:end]):
                continue
            if self._context is not None and not self._context.search(
                norm, max(0, m.start() - self._window), m.start()
            ):
                continue
            if self._avoid is not None and self._avoid.search(norm, max(0, start - self._window), start):
                continue
            fix = CORRECTION.match(norm, end) if self._corrections else None
            if fix is not None:
                end = fix.end()
            out.append(_entity(view, self.entity, start, end, self._score, self.name))
        return out


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def ssn_ok(s: str) -> bool:
    d = _digits(s)
    # A 9xx area is an ITIN or a sample number read out as a social: as sensitive, so it is kept.
    return len(d) == 9 and d[:3] not in ("000", "666") and d[3:5] != "00" and d[5:] != "0000"


def _groups_ok(s: str) -> bool:
    """Nine digits in a social's groups, none of them all zeros (a placeholder, "000-00-0000")."""
    d = _digits(s)
    return len(d) == 9 and d[:3] != "000" and d[3:5] != "00" and d[5:] != "0000"


# What names a social security number: spoken ("social", "soc sec", "SS number") or an ITIN, which
# identifies a person the same way and is read out the same way.
_SSN_CUE = (
    r"\b(?:social security|social|soc sec|ssns?|ss number|ss#|ss no|itin|taxpayer id(?:entification number)?|"
    r"tax id(?:entification)? number|tax id)"
)


#: A speaker's label between a question and its answer ("Q. Just the last four. A. 2219", "... caller: 2219").
_TURN = r"(?:(?:q|a|caller|agent|patient|pt|doctor|dr|nurse|interviewer|speaker\s?\d{1,2})\b[.:]?\W*)?"


def ssn_recognizers() -> list[RegexRecognizer]:
    return [
        RegexRecognizer(
            "pattern:ssn", "SSN", [_B + r"\d{3}([- ])\d{2}\1\d{4}" + _E], score=0.85, validate=ssn_ok,
            corrections=True,
        ),
        # Written with its two dashes, in its groups, a social is one by its shape alone, whatever its area: a
        # phone has 3-3-4, a date 4-2-2 or 2-2-4, and a 666 or 9xx area is a sample or an ITIN the caller still
        # said ("666-18-4402"; digit by digit, "9 4 4 - 1 8 - 0 3 2 6").
        RegexRecognizer(
            "pattern:ssn_dashed", "SSN",
            # Round 19: or read digit by digit with a pause at each of its joins ("3 1 4, 5 5, 8 2 2 7"): the
            # recogniser's commas keep the groups a phone, a date or a card never has.
            [_B + r"(?:\d ?\d ?\d ?- ?\d ?\d ?- ?\d ?\d ?\d ?\d|(?<!\d, )\d \d \d, \d \d, \d \d \d \d(?!,? \d))" + _E],
            score=0.85, corrections=True, validate=_groups_ok,
        ),
        RegexRecognizer(
            "pattern:ssn_context", "SSN", [_B + r"\d{9}" + _E], score=0.9, validate=ssn_ok, corrections=True,
            # "SS# 912446190": no word boundary after "#", so none is asked for.
            context=r"\b(?:social security|social|ssn|ss number|ss#)(?!\w)",
        ),
        # Asked for and given, a social in its shape is the social even when its area was never issued
        # (666, 000): a misheard or invented number is still what the caller said.
        RegexRecognizer(
            # In its groups, as one run, or digit by digit ("3 1 4 5 5 8 2 2 7", "314-55-8227").
            "context:ssn_asked", "SSN", [_B + r"(?:\d{3}([- ]?)\d{2}\1\d{4}|\d(?:(?:,?\s|\s?-\s?)\d){8})" + _E],
            score=0.9, corrections=True, validate=lambda v: len(_digits(v)) == 9,
            # "Your social security number please? Sure, it's ...": the question and its answer.
            context=_SSN_CUE + r"(?!\w)", window=60,
        ),
        # "the last four of your social? ... 6789": the four digits alone, after an explicit cue.
        RegexRecognizer(
            # Written as one run or read out digit by digit ("the last four of my social are 6 6 1 2").
            # Above a card's code: "the last four digits of his social" names the social, not a card.
            "context:ssn_last4", "SSN", [_B + r"(?:\d{4}|\d \d \d \d)" + _E], score=0.95,
            # "the last four digits of the patient's social", "last 4 SSN", "the social, last four".
            context=r"\blast (?:four|4)(?: digits| numbers)?(?: (?:of|on|for|in|from))?(?: [a-z'’]+){0,2}? "
                    r"(?:social|ssn|ss number|social security)\b|"
                    r"\b(?:social security|social|ssn)(?: (?:number|no\.?|#))?(?:['’]s)?,? "
                    r"(?:the |just the |only the )?last (?:four|4)\b", window=60,
        ),
        # A social named right after its digits: "..., 4 4 1 9, that's my social", "078 05 1120 is his SSN".
        RegexRecognizer(
            "context:ssn_after", "SSN",
            # "she wrote 9 1 2, 4 4, 6 1 9 0 as her social": "as" too, and the digits in their comma-set groups.
            [_B + r"(?P<v>\d{3}([- ]?)\d{2}\2\d{4}|\d(?:,? \d){8}|\d{4}|\d \d \d \d)[\s,]+"
             r"(?:that's|that is|it's|is|was|being|as)\s+(?:my|the|his|her|their|our|your)\s+"
             r"(?:last (?:four|4) of (?:my|the|his|her|their|your) )?(?:social security|social|ssn|ss number)\b",
             # The start of a social, its area or its first five: "my social starts with 9 2 1", "SSN begins with
             # 93144".
             r"\b(?:social security|social|ssn)(?: (?:number|no\.?|#))?,? (?:(?:that|which) )?"
             r"(?:starts|started|starting|begins|began|beginning) with[\s:,]*"
             r"(?P<v>\d{3}|\d \d \d|\d{5}|\d{3} \d{2}|\d(?: \d){4})" + _E],
            score=0.95, group="v",
        ),
        # The middle group asked for again: "the middle two again? 0 2", "middle two digits, uh, 4 4".
        RegexRecognizer(
            "context:ssn_middle", "SSN",
            [r"\bmiddle (?:two|2)(?: digits| numbers)?\b(?:[\s,?.]+(?!\d)[a-z'’]+){0,3}?[\s,?.:]*(?P<v>\d{2}|\d \d)"
             + _E],
            score=0.9, group="v",
        ),
        # "a social security number ending in 3318" (not a card's code); "SSN ..., only the last four, 7083".
        RegexRecognizer(
            # Above a card's code (0.9): the cue names the social, whatever four digits look like.
            "context:ssn_ending", "SSN", [_B + r"(?:\d{4}|\d \d \d \d)" + _E], score=0.95,
            context=r"\b(?:social security|social|ssn|ss)(?: (?:number|no\.?|#))?,? (?:(?:is|was) )?(?:that )?"
                    r"(?:ending|ends|ended)(?: (?:in|with))?[\s:,]*$"
                    r"|\b(?:social security|social|ssn)\b.*\blast (?:four|4)\W+" + _TURN + "$",
            # Wide enough for a question, a turn or two of "the last four?" and the answer.
            window=120,
        ),
        # Round 17: the social named, then "it" ends in its four a turn or a sentence on ("... should I read it? Just
        # confirm it ends in ..."), no other thing with a number named between; not a year ("it ends in 2027").
        RegexRecognizer(
            "context:ssn_it_ends", "SSN", [_B + r"(?:(?!(?:19|20)\d\d\b)\d{4}|\d \d \d \d)" + _E], score=0.95,
            context=r"\b(?:social security|social|ssn)\b(?:(?!\b(?:(?<!security )card|account|acct|visa|plate|phone|"
                    r"policy|member|pin|passcode|licen[cs]e)\b).)*\b(?:it|that|this one|the number)\s+"
                    r"(?:ends|ending|ended)(?: (?:in|with))?[\s:,]*$",
            window=120, anchor=r"\b(?:ends|ending|ended)\b", reach=20,
        ),
    ]  # fmt: skip


class CardNumberRecognizer:
    name = "pattern:credit_card"
    entities = frozenset({"CREDIT_DEBIT_NUMBER"})
    # Any grouping of 13-19 digits with one separator throughout (4-4-4-4, 4-4-4-3, 4-6-5, 4-4-4-4-3, ...).
    # Round 16: or written digit by digit ("4 4 5 0 6 1 ..."), as a recogniser spaces a number read one digit at a
    # time; that form needs a card word near, since any long digit run read out passes Luhn one time in ten.
    _regex = re.compile(
        _B + r"(?:\d{13,19}|\d{2,6}(?:(?P<sep>[ -])\d{1,6})(?:(?P=sep)\d{1,6}){0,6}|(?P<one>\d(?:[ -]\d){12,18}))" + _E
    )

    _cue = re.compile(r"\b(?:card|visa|mastercard|amex|american express|discover|debit|credit)\b", re.IGNORECASE)

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        out = []
        norm = view.text
        for m in self._regex.finditer(norm):
            digits = _digits(m.group())
            if not 13 <= len(digits) <= 19:
                continue
            cued = self._cue.search(norm, max(0, m.start() - 80), m.start()) is not None
            # Grouped digits pass Luhn one time in ten: without a card word, a grouping must start as cards
            # do (four digits), so two identifiers read one after the other are not taken for a card.
            if m.group("sep") and not cued and not re.match(r"\d{4}\D", m.group()):
                continue
            if m.group("one") and not (cued and luhn_ok(digits)):
                continue
            # Speech recognition often gets one digit wrong, so a 15-16 digit number that fails Luhn is still
            # a card when a card word is near ("my visa is 4485 ..."), but not on its own.
            if luhn_ok(digits) or (len(digits) in (15, 16) and cued):
                fix = CORRECTION.match(norm, m.end())  # "..., sorry, 1112": the corrected digits too
                end = fix.end() if fix is not None else m.end()
                out.append(_entity(view, "CREDIT_DEBIT_NUMBER", m.start(), end, 0.95, self.name))
        return out


# A few words between a cue and its number ("my PIN, uh, the old one was 4471"): no digits, no sentence end.
# "one" is read as a digit by the spoken view, so "the old one was 4471" has a lone "1" before a word.
_GAP = r"(?:[\s,:?]+(?:(?!\d)[a-z'’]+|1(?=\s+[a-z]))){0,%d}?[\s:#,?]*"
# The same, across a full stop: a prompt ("Your PIN, please.") and its answer ("It's 0404.").
_GAP_STOP = r"(?:[\s,:?.]+(?:(?!\d)[a-z'’]+|1(?=\s+[a-z]))){0,%d}?[\s:#,?.]*"
# A short code read out digit by digit in writing ("7 3 0 5") or as one run ("7305").
_CODE = r"(?:\d{%d,%d}|\d(?: \d){%d,%d})"
_CARD_BRAND = r"(?:card|visa|mastercard|master card|amex|american express|discover|debit|credit)"


_PIN_NOUN = (
    r"(?:pin|passcode|pass code|personal identification number|(?:tele)?phone banking (?:code|number)"
    # A numeric password that unlocks a line or an account by phone: "my voicemail password is 4 4 9 0 1".
    r"|(?:voice ?mail|(?:tele)?phone banking|online banking|mobile banking) (?:password|passcode|code)"
    # "the access code for telephone banking".
    r"|(?:access |security |secret )?code for (?:the |my |your )?(?:tele)?phone banking)"
)
#: A code the holder chose is a PIN, whatever it is called: a card's printed code is never chosen ("What security
#: code did you choose?", "the access code I set up", "she picked a new verbal code").
CHOSEN_CODE = (
    r"(?:security|access|secret|verbal|telephone|phone|account) (?:code|number)s?,? (?:(?:that|which) )?"
    r"(?:(?:did|do|have|had|will|would) )?(?:you|i|he|she|they|we)(?: have| had| just)? "
    r"(?:chose|choose|chosen|picked|pick|set|set up|created|create|made up|changed it to)"
    r"|(?:chose|choose|chosen|picked|pick|set up|created|create|made up) (?:a|an|the|my|your|his|her|their|our) "
    r"(?:new )?(?:security|access|secret|verbal) code"
)
# Where a PIN is keyed in.
_PIN_MACHINE = r"(?:atm|atms|cash machine|cashpoint|keypad|key pad|pin ?pad|card reader)"
# Every PIN rule holds one of these words (a PIN's noun or machine): its patterns are tried only near one.
_PIN_ANCHOR = (
    r"\b(?:pin|passcode|pass code|personal identification|banking|voice ?mail|atm|cash machine|cashpoint|key ?pad|"
    r"card reader)"
)
# And every chosen code its kind of code.
_CHOSE = r"\b(?:security|access|secret|verbal|telephone|phone|account) (?:code|number)"
# "number" not of another thing ("the ATM's phone number is ...").
_OWN_NUMBER = r"(?<!phone )(?<!account )(?<!card )(?<!routing )(?<!serial )(?<!member )(?<!branch )numbers?"
# Keying a code in: "I keyed in", "she entered it as", "typed", "punched in", "tried".
_ENTERED = (
    r"\b(?:entered|enter|keyed|key|typed|type|punched|punch|tapped|put|tried|input|pressed|press)"
    r"(?:\s+(?:it|in|it in))?"
    r"(?:\s+(?:as|with))?[\s,:]+"
)
# What a number after a PIN cue counts, when it is not the PIN ("the PIN was wrong 3 times").
_NOT_PIN_UNIT = (
    r"(?!\s*(?:digits|numbers|characters|times|dollars|minutes|hours|days|am|pm|mg|mcg|ml|units?|percent|pounds?|kg)"
    r"\b)"
)


def card_extra_recognizers() -> list[RegexRecognizer]:
    # "the CVV's 3 1 2": the cue's "'s" is "is" (round 16).
    filler = r"(?:['’]s\b)?(?:\s*(?:number|code|no\.?|#))?(?:\s*(?:is|was|are|of|:))?[\s:#,]*"
    expiry_gap = (
        # Fillers too: "the expiry on that one is oh three slash thirty", "expires, uh, should be 04 30".
        r"(?:[\s?.,]+(?:(?:date|on|in|at|is|was|of|the|end|card|it|it's|its|this|that|my|your|says|reads|one|1|uh|um|"
        r"er|so|should|would|be)\b|:))*[\s:,?.]*"
    )
    return [
        RegexRecognizer(
            "context:cvv", "CREDIT_DEBIT_CVV",
            # "social security number" names a social, never a card's code.
            [r"\b(?:cvv2?|cvc2?|cvn|cid|csc|security code|(?<!social )security number|"
             r"card verification (?:code|value|number)|"
             r"verification (?:code|value|number)|(?:three|3|four|4)[- ]digits?(?: security)? (?:code|number)|"
             # Round 19: "numbers" as well as "digits" ("the three numbers on the back, ...").
             r"(?:three|3|four|4)[- ](?:digits?|numbers?) on the (?:back|front)|"
             # "the member number on the back of the card" is the member's, not the card's code.
             r"(?<!member )(?<!policy )(?<!group )(?<!\bid )(?<!account )(?<!phone )(?<!subscriber )(?<!plan )"
             r"(?<!customer service )(?<!rx )(?<!bin )(?<!pcn )(?<!toll free )(?<!toll-free )"
             r"(?:code|digits|numbers?) on the (?:back|front|reverse))\b"
             # Round 16: up to ten words between, a relative clause or whose card it is ("the code on the back
             # of her Visa, which she read to me twice, is 5 5 2").
             + filler + _GAP % 10 + r"(?P<v>" + _CODE % (3, 4, 2, 3) + ")" + _E],
            score=0.9, group="v", corrections=True,
        ),
        RegexRecognizer(
            # "my Mastercard is ... and the code is 616": a bare "code" is the card's when a card was just named.
            "context:cvv_after_card", "CREDIT_DEBIT_CVV",
            # Round 19: the cue's "'s" is "is" ("and the code's 4 1 2"); the card's back read out ("the back says
            # 2 8 1", "the back of it reads ...").
            [r"\b(?:the|its|it's|my)\s+code(?:['’]s\b|\s+(?:is|was|it's|:))[\s:,]*(?P<v>" + _CODE % (3, 4, 2, 3) + ")"
             + _E,
             r"\b(?:the|its)\s+back(?:\s+of\s+(?:it|the card))?\s+(?:says|reads|has|shows)[\s:,]*(?P<v>"
             + _CODE % (3, 4, 2, 3) + ")" + _E,
             # "exp 04/28, code 019", "and the three digits, five oh five": after a card, its own code
             # (not a zip, area, door or promo code).
             # (The words before "code" are tried only where "code" is, round 16.)
             r"\bcode"
             r"(?<!zip code)(?<!area code)(?<!postal code)(?<!post code)(?<!door code)(?<!access code)"
             r"(?<!promo code)(?<!discount code)(?<!gate code)(?<!alarm code)(?<!entry code)(?<!country code)"
             r"(?<!sort code)(?<!store code)(?<!lot code)(?<!batch code)(?<!product code)(?<!item code)"
             r"(?<!tracking code)[\s:,]+(?P<v>" + _CODE % (3, 4, 2, 3)
             + ")" + _E,
             r"\bthe\s+(?:3|4)\s+digits[\s:,]+(?:(?:is|are|it's)\s+)?(?P<v>" + _CODE % (3, 4, 2, 3) + ")" + _E],
            score=0.85, group="v", window=160, corrections=True,
            # A card named, not any card ("tap your key card, the door code is 4412").
            # Or a card read out with its number ("confirm the card, 4178 ...").
            context=r"\b(?:visa|mastercard|master card|amex|american express|discover|debit|credit|card number)\b"
            r"|\bcard,?\s+\d{4}"
            # Or its expiry just said ("you said expiry 01/28 and the code 753"); round 16: said any way a month
            # and year are ("expiration ten twenty seven", "expires oh four, twenty eight", "exp 04 29", "expiry
            # is March of 28").
            r"|\b(?:expiry|expiration|expires?|expiring|exp)\b[\s:,]*(?:date\s+)?(?:is\s+|on\s+|in\s+)?"
            r"(?:\d{1,2}\s?/\s?\d{2,4}|(?:0?[1-9]|1[0-2])[\s,]*(?:20)?\d\d\b|" + _MONTH + r"\.?,?\s+(?:of\s+)?\d\d)",
        ),
        RegexRecognizer(
            # Round 16: the code said first and named after it, "4 1 9, that's the security code on the back", "7 7 1
            # is the CVV", "five oh two, the three digits on the back".
            "context:cvv_before", "CREDIT_DEBIT_CVV",
            [r"(?<![\w.,/-])(?<!\d )(?<!\d, )(?P<v>" + _CODE % (3, 4, 2, 3) + r")[\s,]+"
             r"(?:(?:that's|that is|it's|is|was|are|being)\s+)?(?:my|the|his|her|their|our|your)\s+"
             r"(?:card's\s+|card\s+)?(?:cvv2?|cvc2?|cvn|csc|security code"
             r"|(?:three|four|3|4)[- ]digits?(?: code)?(?: on the (?:back|front))?|code on the (?:back|front))\b"],
            score=0.85, group="v", reach=60,
            anchor=r"\b(?:cvv|cvc|cvn|csc|security code|digits? on the|code on the|digits? code)",
        ),
        RegexRecognizer(
            # Round 16: the code given bare straight after the expiry, "expires 04 28, and 7 1 2": the card's month
            # and year, then "and" or "then" and three or four digits with nothing else named between.
            "context:cvv_after_expiry", "CREDIT_DEBIT_CVV",
            [r"\b(?:expiry|expiration|expires?|exp)\b[\s:,]*(?:date\s+)?(?:is\s+|on\s+)?"
             r"(?:\d{1,2}\s?/\s?\d{2,4}|(?:0?[1-9]|1[0-2])[\s,]*(?:20)?\d\d)[\s,]+(?:and|then)[\s,]+"
             r"(?:(?:uh|um|it's|its)[\s,]+)?(?P<v>" + _CODE % (3, 4, 2, 3) + ")" + _E + r"(?![\s,]*(?:[a-z]+\s+)?(?:"
             r"boxes|items|units|days|left|more|of|dollars|pounds|tablets|pills)\b)"],
            score=0.85, group="v", anchor=r"\bexp", reach=60, corrections=True,
        ),
        RegexRecognizer(
            "context:expiry", "CREDIT_DEBIT_EXPIRY",
            [r"\b(?:expir\w*|exp\.?|valid (?:thru|through|until)|good (?:thru|through))\b"
             + expiry_gap
             # The month and year said apart ("04 30") need the two-digit month.
             # "expiry nine thirty" (the view writes 930): a one-digit month before a year of this era.
             + r"(?P<v>(?:0?[1-9]|1[0-2])\s?[/-]\s?(?:20)?\d\d|(?:0[1-9]|1[0-2])\s?(?:20)?\d\d|[1-9][2-4]\d|"
             + _MONTH + r"\.?,?\s+(?:of\s+)?(?:20\s?)?\d\d)" + _E],
            score=0.9, group="v",
            # A licence's or a passport's expiry is a date, not a card's (`pattern:date_text` finds it).
            avoid=r"\b(?:licen[cs]e|passport|permit|visa status|green card|registration|id card)\b"
            r"(?![^.]*\bcard number\b)",
            window=60,
        ),
        RegexRecognizer(
            # A year after "in"/"since" is when, not what: "the pin was placed in 2019".
            "context:pin", "PIN",
            # "My PIN's 5 5 8 1": the cue's "'s" is "is".
            # "the PIN reset code they texted me": a one-time code to reset it, not the PIN.
            [r"\b" + _PIN_NOUN + r"(?!\s+(?:reset|verification|activation|confirmation|one-time|unlock)\b)"
             r"(?:['’]s\b)?(?:\s*(?:number|code|#))?" + _GAP_STOP % 6
             # "seven, two, seven, two, one": a recogniser's commas between the digits said one by one.
             + r"(?<!\bin )(?<!\bsince )(?<!\bfrom )(?<!\bby )(?<!\bof )(?P<v>" + _CODE % (4, 8, 3, 7)
             # Written in pairs ("my PIN is 44 12", "77 01 93").
             + r"|\d\d \d\d(?: \d\d)?(?! \d)"
             # Not the count said after them ("..., two, one, five digits").
             + r"|\d(?:, \d){3,7}(?!,? \d)|\d(?:, \d){3,7}(?=, [4-8]\s+(?:digits|numbers)\b)"
             # Lowercase ASR joins the count to the code ("7 2 7 2 1 5 digits" is "727215 digits").
             + r"|(?<![\w.-])\d{4,8}(?=[4-8]\s+(?:digits|numbers)\b))(?:" + _E + r"|(?=[4-8]\s+(?:digits|numbers)\b))"
             + _NOT_PIN_UNIT,
             # The end or the start of a PIN: "the PIN ends in 4 2", "her passcode starts with 9 0".
             r"\b" + _PIN_NOUN + r"(?:\s*(?:number|code))?\s+(?:that\s+|which\s+)?"
             r"(?:ends|ending|ended|starts|started|starting|begins|began|beginning)\s+(?:in|with)[\s:,]*"
             r"(?P<v>\d(?:,? \d){1,3}|\d{2,4})" + _E + _NOT_PIN_UNIT,
             # Part of a PIN: "the last two digits of my PIN are 4 7", "the first three of her passcode is 9 0 2".
             r"\b(?:last|first|1st|final)\s+(?:two|three|2|3)(?:\s+(?:digits|numbers))?\s+(?:of|in|on)\s+"
             r"(?:my|the|your|his|her|their|our)\s+" + _PIN_NOUN + r"(?:\s*(?:number|code))?\s+(?:is|are|was|were)"
             r"[\s:,]*(?P<v>\d(?:,? \d){1,2}|\d{2,3})" + _E + _NOT_PIN_UNIT,
             # The code chosen, then given: "What security code did you choose when you opened it? Um, 4 4 7 1 9".
             r"\b(?:" + CHOSEN_CODE + r")\b(?:(?!\b(?:card|member|social|ssn|zip|cvv|expir\w*)\b)[^.!\d]){0,80}?"
             r"(?<![\w-])(?P<v>" + _CODE % (4, 8, 3, 7) + r")" + _E + _NOT_PIN_UNIT,
             # A code keyed in where a PIN is asked for, the clause going on after it: "the passcode, I keyed in 3131,
             # and it said invalid"; "the ATM kept my card after I entered 1 9 7 7 three times"; "I punched 4 4 0 2
             # into the keypad". A PIN named or a PIN's machine (ATM, keypad, PIN pad) in the sentence says what the
             # code is: "I entered 1 1 2 2, then it asked for the expiry" (a card's last four) has neither.
             r"\b(?:" + _PIN_NOUN + r"|" + _PIN_MACHINE + r")\b(?:(?!\b(?:account number|card number|phone number|"
             r"member|social|ssn|zip|extension|order|claim|room|expir\w*)\b)[^.?!]){0,120}?" + _ENTERED
             + r"(?P<v>" + _CODE % (4, 8, 3, 7) + r")" + _E + _NOT_PIN_UNIT,
             # "the four digits I punch in at the ATM are 4 4 1 2", "my code for the ATM is 9 9 8 1": a code named
             # with the machine, then what it is (not "the ATM limit is 5000").
             r"\b(?:(?:code|digits|" + _OWN_NUMBER + r"|combination)\b[^.?!\d]{0,60}?\b" + _PIN_MACHINE + r"|"
             + _PIN_MACHINE + r"\b[^.?!\d]{0,40}?\b(?:code|digits|" + _OWN_NUMBER + r"|combination))\b[^.?!\d]{0,40}?"
             r"\b(?:is|are|was|were)[\s,:]+"
             r"(?P<v>" + _CODE % (4, 8, 3, 7) + r")" + _E + _NOT_PIN_UNIT,
             _ENTERED + r"(?P<v>" + _CODE % (4, 8, 3, 7) + r")" + _E + _NOT_PIN_UNIT
             + r"(?=[^.?!]{0,60}\b" + _PIN_MACHINE + r"\b)",
             # Round 19: a PIN named, then changed to a new code a clause or a sentence on ("He did, it was 4 4 0 7,
             # so I changed it last night to 9 1 3 6", "we've reset it for you to 4 0 1 9"): the code it became.
             r"\b(?:changed|change|reset|switched|switch|updated|update)\s+(?:it|that|mine|hers|his|theirs|them)"
             r"(?:\s+(?!to\b)[a-z'’]+){0,4}?\s+to[\s,:]+(?P<v>" + _CODE % (4, 8, 3, 7) + r")" + _E + _NOT_PIN_UNIT],
            # One recognizer for the PIN's cued forms (each one more recognizer costs Presidio a pass per text).
            score=0.9, group="v", corrections=True, anchor=_PIN_ANCHOR + "|" + _CHOSE, reach=240,
        ),
        RegexRecognizer(
            # The PIN named right after its code: "4 4 7 1, that's my PIN", "0912 is her passcode".
            "context:pin_after", "PIN",
            [r"(?<![\w.-])(?P<v>" + _CODE % (4, 8, 3, 7) + r")[\s,]+(?:that's|that is|it's|is|was|being)\s+"
             r"(?:my|the|his|her|their|our|your)\s+(?:[a-z'’-]+\s+)?" + _PIN_NOUN + r"\b",
             # Named after it with no verb: "3 9 0 0, the PIN I mean", "..., my passcode" (not a surgical pin's site).
             # Lowercase ASR writes no comma: a possessive then will do ("8 0 0 3 my passcode for the app").
             r"(?<![\w.-])(?P<v>" + _CODE % (4, 8, 3, 7) + r")(?:,\s*|\s+(?=(?:my|his|her|their|your)\s)"
             r"|\s+(?=the\s+" + _PIN_NOUN + r"\s+i\s+mean))(?:my|the|his|her|their|our|your)\s+" + _PIN_NOUN
             + r"\b(?!\s+(?:sites?|care|tracts?|placement|removal|pads?|was placed|in\b))"],
            score=0.9, group="v", anchor=_PIN_ANCHOR, reach=140,
        ),
        RegexRecognizer(
            # The PIN named, then, a sentence or a clause on, a code that ends the sentence as the answer or the
            # attempt: "Your PIN has been locked after 3 failed attempts; the last one entered was 4 4 0 0",
            # "I'll need your PIN, the one you set when you opened the account. 1 9 9 0."
            "context:pin_later", "PIN",
            # Another identifier named between the PIN and the code types it.
            # "over the phone" is how the PIN is given, not another number; a question between is the prompt ("Can I
            # choose the PIN now? ... Oh, too late, it's 1979.").
            # "the PIN on the card": the card the PIN is for, not the card's number.
            [r"\b" + _PIN_NOUN + r"\b(?:(?!\b(?:account number|(?<!on the )(?<!for the )(?<!to the )(?<!of the )"
             r"(?<!on my )(?<!for my )(?<!on her )(?<!on his )(?<!on your )(?<!debit )(?<!bank )card|"
             r"(?<!over the )(?<!on the )(?<!by )phone|member|"
             r"social|ssn|zip|code|year|extension|ext|order|claim|room)\b)[^!]){0,160}?"
             r"(?:(?:[.;:]|\b(?:was|were|is|entered|typed|keyed in|tried|punched in|it's))\s+)"
             # Round 16: or an afterthought of a few words closes it ("..., the new one is 2 7 2 7, he says.",
             # "..., it's 4 0 1 9, if I remember right.").
             r"(?P<v>" + _CODE % (4, 6, 3, 5) + r")(?=\s*(?:[.!?;]|$)|,\s+(?:(?!\d)[a-z'’]+\s*){1,4}(?:[.!?;]|$)"
             # Lowercase ASR drops the comma: then only who said or thought it ("... 2 7 2 7 he says").
             r"|\s+(?:he|she|they|i|you|we)\s+(?:says|said|thinks|thought|think|believes|believe|guess|reckons?|"
             r"told (?:me|us|him|her|them)|tells (?:me|us|him|her|them)|wrote|writes)"
             r"\s*(?:[.!?;]|$))"
             + _NOT_PIN_UNIT,
             # Round 20: a new PIN chosen a clause or a turn after the PIN is named, the code the object of the choice
             # ("let's set up a new one. Okay, make it ...", "the new four digits? Set it to ...", "... the PIN you'd
             # like, or say it. I'll say it, ..."): the code follows the verb, wherever the sentence ends.
             r"\b" + _PIN_NOUN + r"\b(?:(?!\b(?:account number|card number|phone number|member|social|ssn|zip|code|"
             r"year|extension|ext|order|claim|room|dose|time|appointment)\b)[^!]){0,160}?"
             r"\b(?:(?:make|set|change|switch)\s+it\s+(?:to\s+)?|(?:i['’]ll|let\s+me)\s+say\s+it)[\s,:]*"
             # Up to eight digits: lowercase ASR joins the code said twice ("make it 4 4 0 2 4 4 0 2").
             r"(?P<v>" + _CODE % (4, 8, 3, 7) + r")" + _E + _NOT_PIN_UNIT],
            score=0.85, group="v", corrections=True, anchor=_PIN_ANCHOR, reach=240,
        ),
        RegexRecognizer(
            # Partial card numbers are marked as the card: "Visa ending in 1881", "last four of the card are 0043".
            "context:card_last4", "CREDIT_DEBIT_NUMBER",
            [r"\b" + _CARD_BRAND + r"(?:\s+card)?(?:\s+(?:number|account))?"
             # Round 17: where or whose the card is, or what befell it, before its ending ("your card on file ends
             # in ...", "my card was stolen, the one ending ..."); the ending's first try may be three digits when a
             # correction follows ("ends in 3 0 7, uh, 7 9 2 1").
             r"(?:(?:\s+(?!(?:and|or|account|acct|social|ssn|pin|member|policy|ending|ends|ended)\b)[\w'’]+){1,4}?,?)?"
             r"(?:\s+(?:the (?:one|1)|that|which))?"
             r"\s+(?:ending|ends|ended)(?:\s+(?:in|with|on))?[\s:,]*(?P<v>" + _CODE % (4, 4, 3, 3) + r"|"
             + _CODE % (3, 3, 2, 2) + r"(?=" + CORRECTION.pattern + r"))" + _E,
             r"\blast (?:four|4)(?: digits)?(?: (?:of|on|for))?(?: (?:the|your|my|his|her|their|that))? "
             + _CARD_BRAND + r"(?:\s+card)?(?:\s+number)?"
             r"[\s:,?]*(?:(?:is|are|was|were|would be|it's|its|they're)\b)?[\s:,]*"
             r"(?P<v>" + _CODE % (4, 4, 3, 3) + ")" + _E,
             # "read me the last four and the expiry? 4626, expiry ...": asked with an expiry, the last four are a
             # card's.
             r"\blast (?:four|4)(?: digits)? and (?:the )?(?:expiry|expiration|exp)(?: date)?\b[\s:,?.]*"
             r"(?:(?:sure|ok|okay|yes|yeah|it's|its|they're|that's)\b[\s,]*)*(?P<v>" + _CODE % (4, 4, 3, 3) + ")" + _E],
            # "ending in 5352... I mean, 6352": the corrected last four are the card's too.
            score=0.98, group="v", corrections=True,
        ),
    ]  # fmt: skip


class PhoneRecognizer:
    """Phone shapes of 7-11 digits; FAX when the sentence says fax. Bare 7-digit runs need a cue. Each shape is
    searched behind a look-ahead for the characters it can start with (`guarded`)."""

    name = "pattern:phone"
    entities = frozenset({"PHONE", "FAX"})
    _shaped = guarded(
        re.compile(
            _B
            + r"(?:(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}|\d{3}[.-]\d{4}|\+\d{1,3}[\s.-]?\d{2,4}"
            r"(?:[\s.-]\d{2,4}){2,3})" + _E
        )
    )
    # Round 19: a local number written "555 0177" (not the end of a longer grouping, nor the digits after an
    # identifier's letter, "K 220 4417") is as bare as "5550177".
    # Round 20: not after the "s" of "it's" ("my number, it's 555 0177"): that letter ends a word.
    _bare = guarded(
        re.compile(
            _B + r"(?:1?\d{10}|0\d{10}|\d{7}|(?<!\d )(?<!\d, )(?<!(?<![\w'’])[a-zA-Z] )\d{3} \d{4}(?![ ,]+\d))" + _E
        )
    )
    # Round 20: groups set off by a recogniser's commas ("555, 0177", "917, 555, 0122"). Doses and counts are listed
    # so too ("250, 500, 1000"), so only after a phone cue.
    _comma_groups = guarded(re.compile(_B + r"(?:\d{3},\s)?\d{3},\s\d{4}" + _E))
    # International: "+31 6 1234 5678", "plus three one six ..." (the view writes "plus 31612345678"),
    # "double oh four four ..." ("0044...").
    _international = guarded(
        re.compile(
            r"(?:(?<![\w+])\+|\bplus\s?)\d{1,4}(?:[\s.-]?\d{1,5}){1,6}" + _E + r"|" + _B + r"00[1-9]\d{8,13}" + _E,
            re.IGNORECASE,
        )
    )
    # "order number 4471983": a reference number of a thing, not a phone, whatever "number" suggests.
    _reference = re.compile(
        r"\b(?:order|case|ticket|claim|confirmation|reference|ref|tracking|invoice|receipt|transaction|purchase order|"
        r"po|model|part|item|lot|batch|room|flight|seat|check|cheque|incident|request|job|booking|reservation)"
        r"(?:\s+(?:number|no\.?|#|id))?(?:\s+(?:is|was|:))?[\s:#]*$",
        re.IGNORECASE,
    )
    # Before a reference word: a phone named, then the place it is in ("the phone in his room is ...").
    _place_of = re.compile(
        r"\b(?:phone|telephone|line|extension)\s+(?:in|at|on)\s+(?:the|his|her|my|your|our|their|this|that)\s+$",
        re.IGNORECASE,
    )
    _cue = re.compile(
        r"\b(?:phone|number|call|calling|called|calls|phoned|cell|mobile|reach|text|texted|tel|telephone|fax|"
        r"contact|extension|dial|dialled|dialed|ring|rang|voicemail|callback|"
        # Slang and the past of "fax": "my digits are ...", "faxed to the pharmacy at ...".
        r"digits|faxed|pager|beeper|whatsapp|"
        # Round 19: a line named ("the billing line, five five five, ...", "the nurse line is ...") and a fax being
        # sent ("I've tried faxing it to ...").
        r"line|lines|hotline|helpline|faxing|faxes)\b",
        re.IGNORECASE,
    )
    # A phone word just after the number: "is 5550168 still the best number?", "..., is that your cell?".
    _cue_after = re.compile(
        r"[\s,?]+(?:(?:is|that|this|still|the|your|my|his|her|best|right|correct|good|main|home|work|same)[\s,]+){0,4}"
        r"(?:number|phone|cell|mobile|line|landline)\b",
        re.IGNORECASE,
    )
    _fax = re.compile(r"\bfax", re.IGNORECASE)
    # Papers that came from a number ("the outside records came in from (973) ..."): only a fax sends them.
    _papers = re.compile(
        r"\b(?:records|pages|documents|forms|results|reports|labs|referral|paperwork|orders|prescriptions?|scripts?|"
        r"notes|letter|copy|copies|authori[sz]ation|consent)\b",
        re.IGNORECASE,
    )
    _papers_from = re.compile(
        r"\b(?:came|come|comes|coming|arrived|arrives|received|sent|went|go|goes|got)(?:\s+(?:in|through|over|out))?"
        r"\s+(?:from|to|at)[\s:]*$",
        re.IGNORECASE,
    )
    # After "fax", a phone word hands the number back to PHONE ("fax it, or call me at ...").
    _voice = re.compile(
        r"\b(?:phone|call|calling|cell|mobile|telephone|tel|text|landline|main line|direct line|reach|voicemail|"
        r"ring)\b",
        re.IGNORECASE,
    )
    _fax_after = re.compile(
        r"\s*\(fax\)|\s+fax\b(?!\s*(?:\d|it|to|number|line|machine|is|:))"
        r"|[\s,]*(?:is|that's|that is|which is|being)\s+(?:the|our|my|his|her|their|a)\s+fax\b",
        re.IGNORECASE,
    )
    # Not after a title ("fax the order for Mrs. Huang to ..." is one sentence).
    _sentence_end = re.compile(r"(?<!\b[Mm]r)(?<!\b[Mm]rs)(?<!\b[Mm]s)(?<!\b[Dd]r)(?<!\b[Ss]t)[.!?]\s+(?=[A-Z])")

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        out = []
        for regex, base in (
            (self._shaped, 0.8),
            (self._international, 0.8),
            (self._bare, 0.5),
            (self._comma_groups, 0.5),
        ):
            for m in regex.finditer(norm):
                before = max(0, m.start() - 60)
                # A number written "+44 ..." or "(718) ..." is dialled: "for the booking +44 20 ..." is a phone.
                dialled = m.group()[0] in "+("
                ref = None if dialled else self._reference.search(norm, max(0, m.start() - 30), m.start())
                # "the phone in his room is 555-0143": a room the phone is in, not the number's label.
                if ref is not None and not self._place_of.search(norm, max(0, ref.start() - 30), ref.start()):
                    continue
                cued = (
                    self._cue.search(norm, before, m.start()) is not None
                    or self._cue_after.match(norm, m.end()) is not None
                )
                n = len(_digits(m.group()))
                bare = n == 7 or (n == 11 and m.group()[0] == "0") or regex is self._comma_groups
                if base < 0.8 and bare and not cued:
                    continue
                score = min(0.95, base + (0.15 if cued else 0.0))
                end = m.end()
                fix = CORRECTION.match(norm, end)
                if fix is not None:
                    end = fix.end()
                etype = "FAX" if self.is_fax(norm, m.start(), end) else "PHONE"
                out.append(_entity(view, etype, m.start(), end, score, self.name))
        return out

    def is_fax(self, norm: str, start: int, end: int) -> bool:
        """ "fax" earlier in the sentence (up to 160 characters back: "Fax the letter for <name>, MRN <number>, to
        the home at ...") with no phone word after it, or "(fax)" / "is the fax" right after the number. "Please
        fax a copy ... to the office at ..." is a fax."""
        if self._fax_after.match(norm, end):
            return True
        begin = max(0, start - 160)
        asked = -1  # where the sentence before this one starts, when it is a question
        for stop in self._sentence_end.finditer(norm, begin, start):
            asked = begin if norm[stop.start()] == "?" else -1
            begin = stop.end()
        # Round 15: a question about a fax and its answer ("Did you get my fax? I sent it from the library, their
        # number is ..."); papers that came in from a number came by fax ("the records came in from ...").
        faxes = [m.end() for m in self._fax.finditer(norm, begin if asked < 0 else asked, start)]
        if not faxes and self._papers_from.search(norm, max(0, start - 30), start):
            papers = self._papers.search(norm, begin, start) is not None
            return papers and self._voice.search(norm, begin, start) is None
        return bool(faxes) and self._voice.search(norm, faxes[-1], start) is None


#: Just before a dotted number, a word that makes it a release, not an IP address ("firmware version 3.4.1.12").
VERSION_BEFORE = (
    r"\b(?:version|ver|release|build|firmware|software|patch|update|upgrade|revision|rev|v)\b\.?(?:['’]s)?"
    r"(?:\s+(?:number|no\.?|#))?"
    # "the version running was 10.4.2.17", "the firmware's on 4.1.0.27": how it is installed, then the number.
    r"(?:\s+(?:running|installed|deployed|currently|now|still|in use))?"
    r"(?:\s+(?:is|was|of|to|from|on|at))?[\s:#]*$"
)


def web_recognizers() -> list[RegexRecognizer]:
    octet = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    h = r"[0-9a-f]{1,4}"
    tlds = r"(?:com|org|net|edu|gov|io|co|us|uk|ca|info|biz|me|health|ai|app)"
    return [
        RegexRecognizer(
            "pattern:email", "EMAIL",
            [r"(?<![\w.+-])[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b"], score=0.95,
        ),
        RegexRecognizer(
            "pattern:url", "URL",
            [r"\b(?:https?://|www\.)[^\s<>\"']*[^\s<>\"'.,;:!?)\]]",
             r"(?<![@\w.-])(?:[a-z0-9-]+\.)+" + tlds + r"\b(?![@.-]\w)(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?"],
            score=0.85,
        ),
        RegexRecognizer(
            "pattern:ip", "IP_ADDRESS",
            [r"(?<![\w.])" + octet + r"(?:\." + octet + r"){3}(?![\w]|\.\d)",
             rf"(?<![\w:])(?:{h}:){{7}}{h}(?![\w:])",
             rf"(?<![\w:])(?:(?:{h}:){{1,6}}|:):(?:{h}(?::{h}){{0,6}})?(?![\w:])"],
            score=0.85, window=30,
            avoid=VERSION_BEFORE,
        ),
        RegexRecognizer(
            "pattern:mac", "DEVICE_ID", [r"(?<![\w:-])[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}(?![\w:-])"],
            score=0.8,
        ),
        RegexRecognizer(
            # "the router's MAC is A4 B2 C9 0F 11 7E": six hex pairs read with spaces, after a MAC cue.
            "context:mac_spaced", "DEVICE_ID", [r"(?<![\w:-])(?=[0-9a-f ]*\d)[0-9a-f]{2}(?: [0-9a-f]{2}){5}(?![\w:-])"],
            score=0.8, context=r"\b(?:mac|hardware address|mac address)\b", window=40,
            validate=lambda v: any(c in "abcdef" for c in v.lower()),
        ),
    ]  # fmt: skip


_FILLER = (
    # "my licence, number D 4 4 1 ...": the noun's "number" after a comma too.
    r"(?:,?\s*(?:numbers?|no\.?|num|#|id|i d|identifier))?(?:['’]s\b)?(?:\s+(?:again|then|here|now|on file))?"
    # "mortgage account, uh, M L 4470291": a hesitation between the cue and the identifier; "policy number,
    # let me see, P 9 9 1 ...": a pause said in words.
    r"(?:,?\s+(?:uh|um|er|erm|hmm|let me (?:see|check|look|find it|get it|grab it)|hold on|hang on|"
    r"one (?:second|sec|moment)|just a (?:second|sec|moment)|bear with me|okay|ok|right|yeah)\b)*"
    # "on the black sedan", "on the card": at most two words, the fewest that let an identifier follow.
    # "on the back of the card": two such phrases.
    # "per the carrier", "according to the chart": whose record it is.
    r"(?:\s+(?:on|for|of|in|off|from|per|according to)\s+(?:the|your|my|his|her|their|a|an|that|this)\s+[a-z]+"
    r"(?:\s+[a-z]+)??){0,2}"
    # "the member number for Ikaika Kahananui is ...", "your account number for reference is ...": whose it is or
    # what it is for, in up to three words, then the verb.
    # Round 16: with its article and up to four words ("the licence number for the controlled drug book is ...").
    r"(?:\s+for\s+(?:(?:the|your|my|his|her|their|a|an|that|this)\s+)?[a-z'’-]+(?:\s+[a-z'’-]+){0,3}?"
    r"(?=,?\s+(?:is|was)\b))?"
    # "the serial number, the laptop, PF-...": which thing, set off by commas.
    r"(?:,\s+(?:the|his|her|my|your|their)\s+[a-z]+,)?"
    # "your Medicaid ID, if you have it, ...": a hedge on the request.
    r"(?:,?\s+if (?:you|she|he|they) (?:have|know|can find) (?:it|that|one))?"
    r"(?:\s+(?:that\s+)?(?:ending|ends|ended)(?:\s+(?:in|with))?)?"
    # A question and its answer: "what's the member ID on the card? It's ...".
    # "can I get the member ID? Caller: It's XEB449201773": a speaker label before the answer.
    r"\??(?:,?\s*(?:(?:caller|agent|patient|member|customer)\s*:?\s*)?"
    # "the DEA registration, which is MB...": a relative clause before the verb.
    r"(?:(?:which|that)\s+(?=is|was|are|were|reads))?"
    r"(?:is|was|are|were|of|reads|read|it's|its|it is|that's|:))?"
    # "my license number is, uh, R N ...": a hesitation after the verb too.
    r"(?:,?\s+(?:uh|um|er|erm|hmm)\b)*"
    r"[\s:#,]*"
)
# An identifier read out in pieces: letters and digit groups one space apart ("P M X 7721149", "RN 448 190").
_ID_STOP = (
    r"(?!(?:and|the|for|is|was|on|in|at|of|to|or|it|my|his|her|are|but|so|an|as|by|we|he|she|if|no|yes|ok|um|uh|"
    r"has|had|not|you|can|did|get|got|off|out|our|too|who|yet|its|him|all|any|now|new|old|be|do|me|up|ago|one|"
    # Another identifier's label ends the run ("MR 0 0 9 2 3 4 1, DOB 7/19/1952"; "the account PIN 4 4 0 2").
    r"dob|ssn|mrn|age|exp|cvv|pin|zip|fax|nhs)\b"
    # Round 19: or spelled letter by letter ("hospital number K 4 4 1 0 9 2, N H S number ..."): the next label's
    # letters are not the run's.
    r"|(?:n h s|m r n|d o b|s s n|n p i|d e a|v i n|n h i|c h i)\b"
    # "A" and "I" are letters of a spelled identifier ("H A 20931") unless a word follows ("1234 a day"), or "I"
    # is the pronoun ("..., I'm Luca").
    r"|(?:a|i)\s+[a-z]{2}|i['’])"
)
# Four-letter words that are never a prefix or a group of an identifier ("from 2020", "then 4 more").
_NOT_ID_WORD = (
    r"(?!(?:from|with|this|that|were|will|also|just|then|here|have|been|same|last|only|over|like|what|when|"
    r"your|them|they|more|some|used|each|both|once|till|into|onto|upon|back|since|"
    # A verb that asks for a number, or a card's name: what follows is a phone or a card, never their letters
    # ("please call 800-555-0100", "Visa 4111 ...").
    r"call|dial|text|card|visa|amex)\b)"
)
_ID_TOKEN = (
    _ID_STOP
    # A group of letters, of digits, or both mixed ("G4E", "R58M"); four letters only before a digit group
    # ("R58M 21 ABCD 9").
    # A digit then a letter, as a transmitter's ID is read in pairs ("8G 4T 22").
    # Round 19: or letters hyphened to their digits before more groups ("serial KT-31 4408 L").
    + r"(?:[a-z]{1,3}(?:\d{0,3}|-\d{1,4}(?=\s\d))(?![a-z0-9])|\d[a-z](?![a-z0-9])|\d{1,30}"
    + r"|(?=[a-z]{0,3}\d)(?=\d*[a-z])[a-z0-9]{3,6}"
    + r"|"
    + _NOT_ID_WORD
    + r"[a-z]{4}(?=,?\s\d))"
)
# Between the pieces: a space, a comma and a space as a recogniser punctuates them ("K L M, 337"), "dash"
# said ("F R G dash 2 2 1 9") or a dash written between spaces ("D 4 4 1 - 7 7 2 0").
_ID_SEP = r"(?:,?\s(?:(?:dash|hyphen)\s)?|\s-\s)"
_ID = (
    # A digit soon: after up to three letters, or after letter groups read one by one ("AET W 2287").
    r"(?P<v>(?=[a-z]{0,4}\s?(?:(?:dash|hyphen)\s|-\s?)?\d|(?:[a-z]{1,3},?\s(?:(?:dash|hyphen)\s)?){1,5}\d)"
    + _ID_TOKEN
    + r"(?:"
    + _ID_SEP
    + _ID_TOKEN
    # Up to twenty pieces: a VIN (17) or an IMEI (15) read out character by character.
    + r"){1,19}(?![\w-])|"
    # A letter prefix before a hyphenated group ("SN 4471-AB-220", "IT-004471" after an asset cue).
    + r"(?:(?!(?:ssn|mrn|dob|vin|dea|npi|pin|ein|tin)\b)"
    + _ID_STOP
    # A prefix of up to four letters ("MAGR 4417 2290"), never a common word ("from 2020").
    + _NOT_ID_WORD
    + r"[a-z]{1,4}\s(?=\d))?(?=[a-z0-9-]*\d)[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){3,24}"
    # "MR 4471902" (not a preposition before a number: "medical records at 4155550129").
    + r"|(?!(?:at|on|to|in|of|by|or|is)\s)[a-z]{1,2}\s\d(?:\d|-(?=\d)){3,16})(?![\w-])"
)


def iban_ok(s: str) -> bool:
    """The IBAN check: the country and check digits moved to the end, letters as 10-35, mod 97 is 1."""
    raw = "".join(c for c in s if c.isalnum()).upper()
    if not 15 <= len(raw) <= 34 or not raw[:2].isalpha() or not raw[2:4].isdigit():
        return False
    moved = raw[4:] + raw[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


# Right before a number: another kind of reference names it ("order number AB1234567", "claim 88120943").
_OTHER_REFERENCE = (
    r"\b(?:order|claim|case|ticket|invoice|reference|ref|confirmation|tracking|room|phone|fax|extension|ext|"
    r"transaction|batch|lot|part|model|item|sku)\b(?:\s+(?:number|no\.?|#|id))?[\s:#,]*(?:is\s+|was\s+)?$"
)
# Health insurers and public plans, named with "ID", "number" or "card" before a member's identifier.
_INSURER = (
    r"(?:aetna|cigna|humana|kaiser(?: permanente)?|anthem|blue cross(?: blue shield)?|blue shield|bcbs|highmark|"
    r"united ?health ?care|united|uhc|molina|centene|ambetter|wellcare|carefirst|premera|regence|amerigroup|"
    r"caresource|health ?net|oscar|emblem(?: health)?|fidelis|geisinger|tufts|harvard pilgrim|medi-?cal|"
    r"masshealth|champva|chip|medicare advantage|medicaid|medicare|tricare|optum|wellpoint|elevance|"
    r"bright health|devoted|clover|scan|alignment|priority health|health first|ambetter)"
)
NOT_AMOUNT = r"(?!\s*(?:dollars?|bucks|percent|per cent|cents|mg|milligrams?|units?|pounds?)\b)"


def id_ok(ident: str) -> bool:
    """An identifier has a digit; one read out in pieces has two ("on the 3" is not a plate); an article and
    a number ("a 2019 Subaru": a year) is not one."""
    n = sum(c.isdigit() for c in ident)
    if re.fullmatch(r"(?:a|an)\s(?:19|20)\d\d", ident, re.IGNORECASE):
        return False
    return n >= (2 if " " in ident else 1)


def dea_ok(s: str) -> bool:
    """The DEA registration check: (d1+d3+d5) + 2*(d2+d4+d6) ends in d7."""
    d = [int(c) for c in s if c.isdigit()]
    return len(d) == 7 and (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


def _top_level_alternatives(pattern: str) -> list[str]:
    """The alternatives of `pattern` split at its top-level bars ("a(?:b|c)|d" -> ["a(?:b|c)", "d"])."""
    out: list[str] = []
    depth = 0
    start = 0
    escaped = in_class = False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


@lru_cache(maxsize=4)
def _id_tails(ident: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """What may follow an identifier cue, compiled once for every cue that shares the identifier's grammar.

    Compiled with each cue (two patterns for each of nine cue families), the filler and the grammar were most
    of the detector's load time; matched from the end of a cue they are compiled once."""
    # A list after one cue ("serial numbers HA 771 L and HA 772 R"): the second is found on its own.
    first = ident.replace("(?P<v>", "(?:", 1)
    # An amount is not an identifier ("the deductible on this policy is 1000 dollars").
    ident = ident + NOT_AMOUNT
    return (
        re.compile(_FILLER + ident, re.IGNORECASE),
        # A second after "and"/"or", or one written, then read back ("the transmitter ID is 8G3K7T, that's
        # 8 G as in golf 3 K ..."): one pattern for both.
        re.compile(
            _FILLER + first
            # "... R 4417 for the right and L 4418 for the left": what each one is for, between them.
            + r"(?:\s+(?:for|on|in)\s+(?:the\s+|my\s+|his\s+|her\s+)?[a-z]+(?:\s+(?:one|side|ear|arm|leg|eye))?"
            # "HA-L-66120 left and HA-R-66121 right": the side alone.
            + r"|\s+(?:left|right|upper|lower|front|back|top|bottom))?"
            # Not another thing's number named second ("..., and the group is 5520": a group number is no member's).
            + r"(?:,?\s+(?:and|or)\s+(?:the\s+(?!(?:group|claim|bin|pcn|copay|deductible|order|case|reference|"
            r"confirmation|ticket|phone|extension|room|zip)\b)[a-z]+(?:\s+(?:one|side))?\s+(?:is\s+)?)?"
            + r"|[\s,]+(?:that's|that is|so that's|i mean)[\s,]+)" + ident,
            re.IGNORECASE,
        ),
    )  # fmt: skip


class CuedIdRecognizer:
    """An identifier after its cue ("member ID", "serial", "plate"): the cue found first, then the filler and
    the identifier's grammar matched from its end (`_id_tails`); corrections run the span on, as for any ID."""

    def __init__(self, name: str, entity: str, cues: str, *, score: float, idents: tuple[str, ...] = (_ID,)) -> None:
        self.name = name
        self.entity = entity
        self.entities: frozenset[str] = frozenset({entity})
        # A cue in the plural too ("the hearing aid serials are ..."), tried only where a letter it starts with is
        # (`guarded`: three to five times faster than "\b" alone, measured).
        self._cue = guarded(re.compile(r"\b(?:" + cues + r")s?\b", re.IGNORECASE))
        # Each alternative alone, for when the first reading of a cue leaves no identifier after it ("policy"
        # in "policy holder ID, P H 7 7 ..."): as the one regex would backtrack into a longer alternative.
        self._alternatives = tuple(
            re.compile(r"(?:" + alt + r")s?\b", re.IGNORECASE) for alt in _top_level_alternatives(cues)
        )
        self._tails = tuple(tail for ident in idents for tail in _id_tails(ident))
        self._score = score

    def _match(self, tail: re.Pattern[str], norm: str, cue: re.Match[str]) -> re.Match[str] | None:
        m = tail.match(norm, cue.end())
        if m is not None:
            return m
        ends = {e for alt in self._alternatives if (a := alt.match(norm, cue.start())) and (e := a.end()) != cue.end()}
        for end in sorted(ends, reverse=True):
            if (m := tail.match(norm, end)) is not None:
                return m
        return None

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        out: list[Entity] = []
        cues = list(self._cue.finditer(norm))
        for tail in self._tails:
            resume = 0
            for cue in cues:
                if cue.start() < resume:
                    continue  # inside the identifier just found
                m = self._match(tail, norm, cue)
                if m is None:
                    continue
                start, end = m.span("v")
                if start == end or not id_ok(norm[start:end]):
                    continue
                resume = m.end()
                fix = CORRECTION.match(norm, end)
                if fix is not None:
                    end = fix.end()
                out.append(_entity(view, self.entity, start, end, self._score, self.name))
        return out


def context_id_recognizers() -> list[RegexRecognizer | CuedIdRecognizer | LicenseStateRecognizer]:
    # A cue outranks a bare pattern: an IMEI or a cued account number may also pass the Luhn check.
    def ctx(name: str, entity: str, cues: str, score: float = 0.97, *idents: str) -> CuedIdRecognizer:
        return CuedIdRecognizer(name, entity, cues, score=score, idents=idents or (_ID,))

    # A plate in one to three parts ("BD51 SMR", "7XYZ123"); a digit in the first two, no word as a part.
    plate = (
        # Not a measure or an amount ("the plates were 12 inches wide", "the tag was 12 dollars").
        r"(?!\d+(?:\.\d+)?\s*(?:inch(?:es)?|feet|foot|ft|cm|mm|dollars?|bucks|cents|percent|miles|pounds|lbs?|kg|"
        r"years?|months?|weeks?|days?|hours?|minutes?|x|by)\b)"
        r"(?P<v>(?!(?:were|reads?|said|says|showed|shows)\b)"
        + _ID_STOP
        # Round 19: or its letters spelled with hyphens before the digits ("plate B-R-T five one eight").
        + r"(?=[a-z]{0,4}[ -]?[a-z]{0,4}\d|[a-z](?:-[a-z]){1,3} \d)(?:[a-z](?:-[a-z]){1,3}(?= \d)|[a-z0-9]{1,4})(?:[ -]"
        + _ID_STOP
        + r")?[a-z0-9]{1,4}"
        r"(?:(?:[ -]" + _ID_STOP + r")?[a-z0-9]{1,3})?)(?![\w-])"
    )
    plate_cues = (
        # "plate Texas B K L 4491": the issuing state between the cue and the plate.
        r"(?:licen[cs]e plate|number plate|registration plate|plates?)(?:\s+(?:" + _STATE_NAMES + r"))?"
        r"|tag number|registration"
        # "the car has a paper tag, T 4 4 1 9 0 2": a dealer's temporary plate.
        r"|paper tags?|temp(?:orary)? tags?|dealer tags?"
        # "an Ohio tag", "the truck's tag reads 7ABC123": a tag is a plate after a state or a vehicle, or
        # before what it reads (not a price, name or asset tag: those take no such verb here).
        r"|(?:" + _STATE_NAMES + r"|out[- ]of[- ]state|vehicle|car|car's|truck|truck's|van|van's|vehicle's|"
        r"motorcycle|bike|license|licence|vanity|specialty) tags?"
        r"|tag(?<!price tag)(?<!name tag)(?<!asset tag)(?<!dog tag)(?<!gift tag)(?<!luggage tag)(?<!ear tag)"
        r"(?<!toe tag)s?(?= (?:reads?|says|said|number|was|is|showed|shows)\b)"
    )
    return [
        ctx("context:mrn", "MEDICAL_RECORD_NUMBER",
            r"mrn|m r n|medical record(?: number)?|med rec|chart(?: number)?|patient id|record number|hospital number"
            # Round 16: a national patient number (the NHS's, Scotland's CHI, New Zealand's NHI, Ireland's IHI), as
            # the sets mark them, said as a word or letter by letter.
            r"|(?:nhs|n h s|chi|c h i|nhi|n h i|ihi|i h i)(?: number| no\.?| #)|national health index(?: number)?"),
        ctx("context:health_plan", "HEALTH_PLAN_ID",
            r"member(?:['’]s)?(?: id| number)|policy(?: number)?|health plan(?: id| number)?|insurance(?: id| number)?"
            r"|subscriber(?: id| number)?|medicaid(?: id)?|medicare(?: id)?|beneficiary(?: id)?|mbi"
            r"|tricare(?: id| number)?"
            # Round 16: a province's health card ("health card number 4827 113 095 KT, Ontario", "OHIP number").
            r"|(?<!nhs )health card(?: number| no\.?)?|ohip(?: number| card)?"
            r"|(?:plan|policy ?holder|group member|enrollee|enrolment|enrollment)"
            r"(?: id| i d| number)"
            # An insurer named with what identifies the member: "my Aetna ID", "her Medi-Cal number".
            # "Blue Cross member ZGP 552 ...": the insurer's member, the ID right after (one reading of the insurers).
            r"|" + _INSURER + r"(?:\s+(?:member|subscriber|enrollee|beneficiary|insurance|health|plan))?"
            r"(?:\s+(?:id|i d|number|card|no\.?)|(?:(?<=member)|(?<=subscriber)|(?<=enrollee)|(?<=beneficiary))"
            r"(?!s?\s+(?:services?|portal|app|line)))"
            # "the ID on my Humana card", "the number on the back of her insurance card".
            # Not the group's, the claim's or the phone's number on the card: a number of the plan or a line, not the
            # member's ("the group number on the card is 70219").
            r"|(?<!group )(?<!claim )(?<!phone )(?<!bin )(?<!pcn )(?:id|i d|number)\s+on\s+"
            r"(?:the|my|your|his|her|their)(?:\s+[a-z-]+){0,2}?\s+(?:insurance\s+)?card"
            # "the number on your red, white and blue card": the Medicare card, read out.
            # Any number on the Medicare card is the beneficiary's. Not after "on the" for another card: "the group
            # number on the insurance card" names where the number is, and its label (a group's) says whose.
            r"|red,? white,? and blue card|medicare card"
            r"|(?<!on the )(?<!on your )(?<!on my )(?<!on his )(?<!on her )(?<!on their )"
            r"(?:insurance card|member card|benefits card)"
            # A pharmacy benefit card's holder ID ("Cardholder ID PBX-44127789-01, RX bin ...").
            r"|card ?holder(?: id| i d| number)|rx(?: member)? id"),
        ctx("context:account", "ACCOUNT_NUMBER",
            # "the PIN on the account is 7714": the account owns what is named before it.
            r"(?<!\bon the )(?<!\bon your )(?<!\bon my )(?<!\bon his )(?<!\bon her )account|acct|routing"
            r"|checking account|savings account|iban|bank account|checking|savings"
            # Other accounts a caller holds: a loan, a mortgage, a customer or billing number.
            r"|(?:loan|mortgage|customer|billing|utility|client)(?: account)?(?: number| no\.?| #| id)"
            # Round 19: a British bank's sort code, which the sets mark as the account's ("sort code 20-31-77").
            r"|sort[- ]code"),
        ctx("context:license", "LICENSE_NUMBER",
            r"driver'?s'? licen[cs]e|driving licen[cs]e|licen[cs]e(?! plate)|certificate|dea(?: registration)?|"
            r"npi|permit|d e a|n p i"
            # Round 17: a commercial driver's licence (CDL); a clinician's number on a national register (the UK's
            # GMC, NMC, HCPC, GPhC; Australia's AHPRA).
            r"|cdl|c d l|(?:gmc|nmc|hcpc|gphc|ahpra|g m c|n m c)(?: registration)?(?: number| no\.?| pin)?"),
        ctx("context:device", "DEVICE_ID",
            r"serial(?: number| no)?|device(?: id| number)?|imei|pacemaker serial|model and serial"
            r"|transmitter(?: id| i d| serial| number)?|sensor (?:id|i d|serial)"
            # Other names for a unit's own number: S/N, the phone's ESN/MEID/ICCID, a unique device identifier,
            # an asset or equipment tag.
            r"|s/n|sn|s n|esn|meid|iccid|sim(?: card)? number|udi|unique device identifier|device identifier"
            r"|asset(?: tag| number| id)|equipment(?: number| id| tag)|hardware id"
            # A pet's microchip: fifteen digits read in groups.
            r"|microchip(?: number| id)?|chip number"
            # A utility's meter and a patient's telemetry unit carry their own numbers.
            r"|(?:smart |electric |electricity |gas |water )?meter(?: number| id| serial)"
            r"|telemetry(?: box| unit| pack| monitor| transmitter)?(?: number| id)?"),
        # A plate in its parts, or read out letter by letter ("eight K Z T four four two"): the longer find
        # wins. One recognizer, so the cues are looked for once.
        ctx("context:plate", "VEHICLE_ID", plate_cues, 0.97, plate, _ID),
        ctx("context:vin", "VEHICLE_ID", r"vin|vehicle identification(?: number)?", score=0.95),
        # "it's for my dad's gas bill, 5589 0032 1": a utility bill is paid against its account. Six digits or more:
        # "the gas bill was 1400" is an amount.
        ctx("context:utility_bill", "ACCOUNT_NUMBER",
            r"(?:gas|electric|electricity|water|power|energy|cable|internet|broadband|utility|sewer) bill",
            0.9, r"(?=(?:[^\d\n]{0,3}\d){6})" + _ID),
        RegexRecognizer(
            # "part of the VIN off the dashboard, it ended in 48217": the tail of a plate or VIN, a few words on.
            "context:vehicle_ending", "VEHICLE_ID",
            # A car's registration as a witness half saw it ("did you get a registration? It started L D 7 1"); a
            # DEA registration is a licence's.
            [r"\b(?:vin|vehicle identification number|licen[cs]e plate|plates?|tag|(?<!dea )registration)\b" + _GAP % 8
             # "the plate started with K R 7": the part a witness saw, at either end.
             + r"(?:ending|ends|ended|finish(?:es|ed)?|start(?:s|ed|ing)?|begin(?:s|ning)?|began"
             # "VIN, partial, last six 004352".
             r"|last\s+(?:three|four|five|six|seven|eight|[3-8])(?:\s+(?:digits|characters))?(?:[\s,]+(?:are|were|is|was))?)"
             r"(?:\s+(?:in|with))?[\s:,]*"
             r"(?P<v>(?=[a-z]{0,3}\d)[a-z0-9]{3,8}|" + _CODE % (3, 8, 2, 7)
             # "partial plate ending in seven X R": single characters read out, a digit among them.
             + r"|(?=(?:[a-z] ){0,6}\d)[a-z0-9](?: [a-z0-9]){2,7}"
             # "the plate started with L D sixty-eight": letters, then the digits said as a number.
             r"|[a-z](?: [a-z]){1,3} \d{2,4})" + _E],
            score=0.95, group="v", corrections=True,
        ),
        RegexRecognizer(
            # "my driver's license to the account, it's S530-4127-8819": the number a few words after the cue.
            # Shaped as licences are (a letter or two, then six or more digits), so a count or a year stays out.
            "context:license_later", "LICENSE_NUMBER",
            [r"\b(?:driver'?s'?|driving)\s+licen[cs]e(?:\s+(?:number|no\.?|#))?" + _GAP % 6
             + r"(?P<v>[a-z]{0,2}[ -]?\d(?:[ -]?\d){5,15})" + _E,
             # Round 16: a British driving licence in its own shape, whatever names it ("his licence number is
             # ..."): five letters of the surname (9s pad a short one), six digits of the birth date, two
             # initials (or a 9), a digit and two check letters, run together or spaced at any of its joins.
             r"\blicen[cs]e(?! plate)(?:\s+(?:number|no\.?|#))?" + _GAP % 8
             + r"(?P<v>[a-z][a-z9]{4} ?\d{6} ?[a-z9] ?[a-z9] ?\d ?[a-z] ?[a-z])" + _E,
             # Round 19: a clinician's licence written after the credential it licenses, cue or no cue ("Next is
             # Dana Ruiz, RN 402 118", "sign it as LICSW 220 417"): a nurse's, a social worker's, a counsellor's, a
             # pharmacist's. Not MD, DO or PA: those are also states before a zip.
             r"(?=[a-z])\b(?P<v>(?:rn|lpn|lvn|aprn|cna|crna|lcsw|licsw|lisw|lmsw|lmft|lpc|lpcc|rph)[\s#:-]*"
             r"\d{2,}(?:[\s-]\d{2,}){0,3})" + _E],
            score=0.98, group="v", validate=lambda v: len(_digits(v)) >= 6,
        ),
        LicenseStateRecognizer(),
        RegexRecognizer(
            # "the account ending in three three nine": a partial number is marked as the whole, even short;
            # "the account at the credit union, the one ending in 0392": a few words (hyphens too) between.
            "context:account_ending", "ACCOUNT_NUMBER",
            # Round 16: or the account named by its kind ("the savings one, um, it ends in ...", "my checking ends
            # in ...").
            [r"\b(?:account|acct)(?:\s+number)?(?:[\s,:?]+(?:(?!\d)[a-z'’-]+|1(?=\s+[a-z]))){0,8}?[\s,]+"
             r"(?:ending|ends|ended)(?:\s+(?:in|with))?[\s:,]*(?P<v>" + _CODE % (3, 6, 2, 5) + ")" + _E,
             # (not a year: "the savings promo ends in 2027").
             r"\b(?:savings|checking|chequing)(?:[\s,:?]+(?:(?!\d)[a-z'’-]+|1(?=[\s,]+[a-z]))){0,6}?[\s,]+"
             r"(?:ending|ends|ended)(?:\s+(?:in|with))?[\s:,]*(?!(?:19|20)\d\d\b)"
             r"(?P<v>" + _CODE % (3, 6, 2, 5) + ")" + _E],
            score=0.97, group="v",
        ),
        RegexRecognizer(
            # "my account number with you guys is 883100247719": a long digit run a few words after the cue.
            "context:account_later", "ACCOUNT_NUMBER",
            # "my account number is, hold on, let me find it, 88102274": a pause of a few words.
            # Across a full stop: a request and its answer ("Please verify your account number. 7 7 2 ...").
            [r"\b(?:account|acct|routing)(?:\s+(?:number|no\.?|#))?" + _GAP_STOP % 9
             + r"(?P<v>\d{6,17}|\d(?: \d){5,16})" + _E + NOT_AMOUNT],
            score=0.95, group="v", corrections=True, window=30,
            # "on the account, order number 55120034": another reference's number is never the account's.
            avoid=_OTHER_REFERENCE + r"|\b(?:member|policy|group|card)\b(?:\s+(?:number|no\.?|#|id))?[\s:#,]*"
                  r"(?:is\s+|was\s+)?$",
        ),
        RegexRecognizer(
            # "Member Leticia Barrientos, ID DNT-5540-2281": the member named, then a bare "ID".
            "context:member_id_later", "HEALTH_PLAN_ID",
            [r"\b(?:member|subscriber|beneficiary|insured)\b" + _GAP % 4 + r",?\s*\b(?:id|i d)\b[\s:#,]*" + _ID
             + NOT_AMOUNT],
            score=0.95, group="v", validate=id_ok,
        ),
        RegexRecognizer(
            # A DEA number (two letters, seven digits) whose check digit holds: no cue needed.
            "pattern:dea", "LICENSE_NUMBER",
            [r"(?<![\w-])(?P<v>[abcdefghjklmprstux][a-z9]-?\d{7})(?![\w-])"],
            score=0.9, group="v", validate=dea_ok, avoid=_OTHER_REFERENCE, window=30,
        ),
        RegexRecognizer(
            # An IBAN in groups of four or in one run, letters anywhere after the check digits; the mod-97
            # check keeps everything else out, so it needs no cue.
            "pattern:iban", "ACCOUNT_NUMBER",
            [r"(?<![\w-])[a-z]{2}\d{2}(?:[ ]?[a-z0-9]{4}){2,7}(?:[ ]?[a-z0-9]{1,3})?(?![\w-])"],
            score=0.97, validate=iban_ok,
        ),
        RegexRecognizer(
            "pattern:vin", "VEHICLE_ID", [r"\b(?=[a-hj-npr-z0-9]*\d[a-hj-npr-z0-9]*\d)(?=\d*[a-hj-npr-z])"
                                          r"[a-hj-npr-z0-9]{17}\b"],
            score=0.8,
        ),
    ]  # fmt: skip


def _date_ok(s: str) -> bool:
    parts = re.split(r"[/.-]", s)
    if len(parts) != 3:
        return False
    a, b, c = (int(p) for p in parts)
    if len(parts[0]) == 4:  # ISO: year-month-day
        return 1 <= b <= 12 and 1 <= c <= 31
    return (1 <= a <= 12 and 1 <= b <= 31) or (1 <= b <= 12 and 1 <= a <= 31)


def date_recognizers() -> list[RegexRecognizer | SpokenDateRecognizer]:
    # A hesitation at a joint of a date ("the seventh, uh, of March, fifty two"; round 12).
    hes = r"(?:,?\s+(?:uh|um|er|erm)\b,?)?"
    year_tail = (
        r"(?:" + hes + r",?\s+(?:of\s+|in\s+)?(?:" + _YEAR + r"|'\d\d|\d\d(?!\s*(?:am|pm|years?|minutes?|mg)\b)))?"
    )
    month = r"(?<![\w'])" + _MONTH + r"\.?"
    weekday = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)day,?\s+)"
    ordinal = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)\b"
    # What may follow a day-of-month alone: "on the 3rd, I..." is a date; "the 3rd floor" is not.
    clause_end = (
        # "on the 3rd a no i was ...": "a" as a deposition's answer label.
        r"(?=\s*$|\s*[.,;:!?)]|\s+(?:at|and|or|but|that|when|if|so|then|in|of|is|was|will|we|i|he|she|they|a|"
        r"please|instead|as|from|to|for|with|because|which|works|after|before|around|by|until|about|still|had|has|"
        r"have|were|are|got|went|came|"
        # Round 12, unpunctuated lists of events: "discharged the 15th seen in clinic", "on the 2nd an iphone".
        r"an|seen|admitted|discharged|followed|next|"
        # (round 16) A filler before the date said again: "date of surgery the ninth uh ninth of may".
        r"uh|um|er|erm|"
        # (round 17) The first words of the next sentence, in a transcript read whole: a determiner, a pronoun, a
        # greeting or an answer never follows a day inside its own phrase ("since the 2nd the battery", "on the
        # first hi i'm calling", "on the 3rd her son", "effective the 1st our rates").
        r"the|this|these|those|there|it|it's|its|you|your|my|her|his|our|their|hi|hello|hey|yes|yeah|okay|ok|q|"
        # A hedge or a correction after the day ("since the 3rd maybe the 2nd", "on the 1st sorry the 2nd").
        r"maybe|perhaps|probably|actually|sorry|no)\b)"
    )
    not_counted = (
        r"(?!\s+(?:of|floor|times?|grade|place|row|round|inning|quarter|period|century|edition|amendment|street|"
        r"avenue|st|ave|one|ones|person|patient|dose|week|day|month|year|generation|largest|biggest|most|best|"
        r"worst|last|percentile|trimester|degree|line|attempt|try|visit|child|kid|baby|son|daughter|chapter|"
        r"page|step|level|stage|hole|precinct|district|ward|birthday|anniversary|cycle|session|shot|injection)s?\b)"
        r"(?!\s*[\w-]*\d)"
    )
    full_month = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
    short = r"(?:0?[1-9]|1[0-2])/(?:3[01]|[12]\d|0?[1-9])(?![\w/]|\.\d)"
    # What a short date or a range of them is not followed by: what a fraction measures.
    not_a_measure = (
        r"(?!\s*(?:of|tablets?|tabs?|pills?|caps?|cups?|teaspoons?|tsp|tbsp|inch|inches|miles?|doses?|mg|ml|"
        r"points?|marks?|stars?|strength|dilution)\b)"
    )
    short_range_end = r"\s*(?:to|through|thru|till|until|-|–)\s*" + short + not_a_measure
    # Without "may", a modal verb as often as a month ("admitted in April and may go home").
    named_month = r"(?:january|february|march|april|june|july|august|september|october|november|december)"
    return [
        RegexRecognizer(
            # "on the 21st", "for the twenty eighth": a day of the month alone, after a preposition.
            "pattern:date_day", "DATE",
            # (round 16) A deadline's comparison and a date's rough place too: "no later than the 14th", "sometime
            # around the 12th", "as of the 1st", "effective the 15th".
            [r"\b(?:on|by|for|until|till|til|since|from|before|after|through|starting|due|of|is|was|to|dated|than|"
             r"around|past|as\s+of|effective|circa)\s+"
             # "she was the first in her family": after "is"/"was", "the first" ranks a person (round 12).
             r"(?P<v>(?:(?<!\bis )(?<!\bwas )|(?!the\s+1st\s+(?:in|to|of|among|ever)\b)"
             # (round 17) Nor a rank before the clause it heads ("it was the first the team had heard of it").
             r"(?!the\s+(?:1st|2nd|3rd)\s+(?:the|this|these|those|there|it|its|you|your|my|her|his|our|their)\b))"
             + weekday + r"?the\s+"
             + ordinal + r")"
             r"(?!\s+of\s+" + _MONTH + r"\b)"
             # Unpunctuated ASR: whatever follows, unless it is what the ordinal counts ("on the 4th floor");
             # not "the first/second/third", ordinary words far more often than dates.
             + r"(?:" + clause_end + r"|(?<!\s1st|\s2nd|\s3rd)" + not_counted + ")",
             # Set off by commas in a heading ("Voice memo, the 3rd, parking garage").
             r"[,:;] (?P<v>the\s+" + ordinal + r")(?=\s*[,:;.])",
             # An answer or a correction ("maybe the 28th", "yes the 6th", "no, the 4th", "discharged the
             # 15th"): only where the day ends the clause.
             # (round 16) Or after the event a date heading names: "date of discharge the 20th", "deadline the 4th".
             r"\b(?:yes|no|maybe|perhaps|probably|say|discharged|admitted|seen|or|discharge|admission|surgery|"
             r"delivery|onset|deadline|date)[,.]?\s+(?P<v>the\s+" + ordinal
             # (round 17) From the 4th on, whatever follows but what the ordinal counts, as after a preposition
             # ("yes the 6th hr called back": the next sentence's first word).
             + r")(?!\s+of\s+" + _MONTH + r"\b)(?:" + clause_end + r"|(?<!\s1st|\s2nd|\s3rd)" + not_counted + ")",
             # (round 17) The second day of a pair or a range, after a day found ("on the 4th and the 11th", "the
             # 14th through the 17th"), and a day of this month ("the 11th of this month").
             r"\b(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)\s+(?:and|or|&|to|through|thru|till|until|then)\s+(?P<v>the\s+"
             + ordinal + r")(?!\s+of\s+" + _MONTH + r"\b)(?!\s+(?:floor|times?|grade|place|row|round|century|"
             r"edition|amendment|street|avenue|st|ave|ones?|person|patient|dose|week|day|month|year|page|step|level|"
             r"stage|birthday|anniversary)s?\b)(?!\s+of\s+(?!(?:this|that|last|next|the\s+month)\b))",
             r"\b(?P<v>the\s+" + ordinal + r")(?=\s+of\s+(?:this|that|last|next|the\s+(?:same|following|previous))"
             r"\s+month\b)",
             r"\b(?P<v>" + weekday + r"the\s+" + ordinal + r")"],
            score=0.7, group="v",
        ),
        RegexRecognizer(
            # "admitted in April", "come September": a month that points at a time.
            "pattern:date_month", "DATE",
            # "x-rays due December", "next visit January": when something falls.
            [r"\b(?:in|since|until|till|by|during|through|come|coming|early|late|mid|last|next|before|after|due|visit|"
             r"from|of|this|every|around|throughout|toward|towards)\s+"
             # (round 15) A hedge between the word and the month: "since about February", "until roughly June".
             r"(?:(?:about|roughly|approximately|maybe|perhaps|probably|sometime(?:\s+in)?|somewhere\s+around)\s+)?"
             r"(?:the\s+month\s+of\s+)?(?P<v>" + full_month
             + r")\b(?!\s+\d)(?!['’])",
             # "high for November", "booked for August": not the months that are also given names ("for April").
             # (round 17) "that September", "that june": a month pointed back at (not "that may", a modal verb).
             # "August" an adjective too ("that august body"): only before what a clause goes on with.
             r"\bthat\s+(?P<v>(?:january|february|april|june|july|september|october|november|december)\b|august\b"
             r"(?=\s*[,.;!?]|\s*$|\s+(?:on|in|at|when|we|i|he|she|they|it|and|was|is|the|of|before|after)\b))"
             r"(?!\s+\d)(?!['’])",
             r"\bfor\s+(?P<v>(?:january|february|march|july|august|september|october|november|december))\b"
             r"(?!\s+\d)(?!['’])(?!\s+(?:madness|of dimes)\b)",
             # "from April to September": the second month of a range.
             r"\b" + full_month + r"\s+(?:to|through|thru|till|until|and|or)\s+(?P<v>" + named_month + r")\b(?!['’])",
             # "the March appointment", "her June follow-up": a month naming when something is.
             r"\b(?:the|my|his|her|their|our|your|this|that|a|an)\s+(?P<v>" + named_month + r")\s+"
             r"(?:appointment|appt|visit|follow[- ]?up|check[- ]?up|meeting|deadline|session|clinic|surgery|"
             r"procedure|scan|mri|ultrasound|review|hearing|trial|court date|payment|bill|statement|infusion|"
             r"injection|labs?|bloodwork|admission|discharge|referral|consult|call|interview|e-?mail|letter|text|"
             # ...or an event it dates ("the July flooding").
             r"message|invoice|flood|flooding|storm|fire|election|incident|shooting|crash|accident|raid|outage|"
             r"photo|report)s?\b"],
            score=0.6, group="v",
        ),
        RegexRecognizer(
            "pattern:date_weekday", "DATE",
            # "Tuesday, June 10th", "Saturday, 11 May".
            [weekday + r"(?:" + month + r",?\s+(?:the\s+)?" + _DAY + r"(?!\d)(?!\w|:\d)|(?:the\s+)?" + _DAY
             + r"(?!\d)\s+(?:of\s+)?" + month + r"(?!\w))" + year_tail,
             # (round 17) A weekday counted in a month ("the second Sunday of May, 1889", "the last friday in march",
             # "the 3rd Thursday of November"), its year if said.
             r"\b(?:the\s+)?(?:[1-4](?:st|nd|rd|th)|first|second|third|fourth|last)\s+"
             r"(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+(?:of|in)\s+" + month + r"(?!\w)" + year_tail,
             # Round 14: a weekday and a numeric date, either order of day and month ("Saturday, 11/16",
             # "thursday 9-12-24"): the weekday is part of the date said, not left beside it.
             r"(?<![\w-])" + weekday + r"(?:the\s+)?(?:[0-3]?\d)([/-])(?:[0-3]?\d)(?:\1(?:\d{4}|\d\d))?"
             r"(?![\d/-])(?!\s+of\b)"],
            score=0.9,
        ),
        RegexRecognizer(
            "pattern:date_text", "DATE",
            # Round 12: the year may come first ("nineteen fifty one, March the tenth").
            [r"(?:(?<![\w.,/-])(?<!\bof )(?<!\bin )" + _YEAR + r",?\s+)?" + month + hes + r",?\s+(?:the\s+)?"
             + _DAY
             + r"(?!\d)(?!\w|:\d)(?!\s*(?:am|pm|percent|%|mg|pounds|years?)\b)" + year_tail,
             # "the first of may 2005", "the 23rd of june 19 90" (a spoken year the view left in two).
             # Covered whole, with its article: "the" is part of what was said as the date.
             # Not a month that starts the same date said again ("the 29th february 29th", unpunctuated).
             r"(?:\bthe\s+)?(?<!\w)" + _DAY + r"(?!\d)(?:,?\s+(?:uh|um|er|erm),?)?\s+(?:of\s+)?" + _MONTH
             + r"\b(?!\s+(?:the\s+)?(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)\b)"
             + r"(?:" + hes + r",?\s+(?:of\s+|in\s+)?(?:" + _YEAR + r"|(?:19|20) \d\d(?! \d)|'?\d\d(?![\d:])"
             + r"(?!\s*(?:am|pm|years?|minutes?|mg|percent|%|pounds|kg|times|dollars)\b))\b)?",
             month + r",?\s+(?:of\s+)?" + _YEAR + r"\b",
             # "April '42", "August of forty-one": a month and a two-digit year ("May of" stays a verb's).
             # Not a count of things ("in March of 45 patients").
             # (round 17) "January of '48": "of" and the apostrophe both.
             month + r"\s+(?:of\s+)?'\d\d\b(?!')|(?<![\w'])" + named_month + r"\s+of\s+\d\d\b" + _AGE_END
             + r"(?!\s+(?!(?:was|is|has|as|thus|this|his)\b)[a-z]+s\b)",
             # "the fourth of the seventh, eighty-eight": day and month as ordinals, then the year.
             r"(?:\bthe\s+)?(?<!\w)" + ordinal + r"\s+of\s+the\s+(?:1[0-2]|0?[1-9])(?:st|nd|rd|th),?\s+"
             r"(?:" + _YEAR + r"|'?\d\d)\b(?![\d:])"],
            score=0.85,
        ),
        RegexRecognizer(
            # Round 12: a day and a month named in another language, with the year ("born 5 mai 1975", "12 de
            # marzo de 1980"), and the holidays that fix a day ("New Year's Day", "Christmas Eve"); not a
            # holiday as a season ("over Christmas").
            "pattern:date_other", "DATE",
            [r"(?<![\w.,/-])(?:3[01]|[12]\d|0?[1-9])\.?\s+(?:de\s+)?" + _FOREIGN_MONTH + r"\s+(?:de\s+)?" + _YEAR
             + r"\b",
             r"\b(?:new\s+year['’]?s|christmas|xmas|valentine['’]?s|st\.?\s+patrick['’]?s|saint\s+patrick['’]?s|"
             r"boxing|independence|bastille|canada|australia|anzac|all\s+saints['’]?)\s+(?:day|eve)\b"
             r"|\bguy\s+fawkes\s+night\b"],
            score=0.7,
        ),
        RegexRecognizer(
            "pattern:date_numeric", "DATE",
            [_B + r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})" + _E],
            score=0.85, validate=_date_ok,
        ),
        RegexRecognizer(
            "pattern:date_short", "DATE",
            [_B + r"(?:0?[1-9]|1[0-2])/(?:3[01]|[12]\d|0?[1-9])(?![\w/]|\.\d)"], score=0.6,
            # "seen 12/01, 12/03 and 12/05": the later dates of a list.
            # Round 12: what is booked for a day ("next appointment 6/3 at two").
            context=r"\b(?:on|since|from|until|date|dated|born|dob|seen|visit|admitted|discharged|appointment|appt|"
            r"scheduled|booked|surgery|follow[- ]?up)\b"
            r"|\b(?:0?[1-9]|1[0-2])/(?:3[01]|[12]\d|0?[1-9]),?\s+(?:and\s+|or\s+)?$", window=20,
        ),
        RegexRecognizer(
            # (round 17) Two short dates as a range ("booked 2/11 to 2/15", "away 12/24 through 1/2", "from 6/3-6/9"):
            # each a date, with no cue, unless what follows is a measure ("1/2 to 3/4 cup").
            "pattern:date_short_range", "DATE",
            [r"(?<!scored )(?<!score )(?<!rated )(?<!rating )(?<!graded )(?<!from )(?<!between )(?<!got )"
             + _B + r"(?P<v>" + short + r")(?=" + short_range_end + ")",
             r"(?<!scored )(?<!score )(?<!rated )(?<!rating )(?<!graded )(?<!from )(?<!between )(?<!got )"
             + _B + short + r"\s*(?:to|through|thru|till|until|-|–)\s*(?P<v>" + short + r")" + not_a_measure],
            score=0.6, group="v",
        ),
        RegexRecognizer(
            # Round 12: "seen 12/01, 12/03 and 12/05, and the next infusion is 12/08": further on in a sentence
            # that gave a cued short date, another is one too; not a dose or a score ("1/2 tablet").
            "pattern:date_short_list", "DATE",
            [r"(?<!scored )(?<!score )(?<!score of )(?<!rated )(?<!rating )(?<!got )(?<!graded )(?<!grade )"
             + _B + r"(?:0?[1-9]|1[0-2])/(?:3[01]|[12]\d|0?[1-9])(?![\w/]|\.\d)"
             r"(?!\s*(?:of|tablets?|tabs?|pills?|caps?|cups?|teaspoons?|tsp|tbsp|inch|inches|miles?|doses?|mg|ml|"
             r"points?|marks?|stars?|strength|dilution)\b)"], score=0.6,
            context=r"\b(?:on|since|from|until|date|dated|seen|visit|visits|admitted|discharged)\s+"
            r"(?:0?[1-9]|1[0-2])/(?:3[01]|[12]\d|0?[1-9])\b[^.;!?]{0,60}$", window=90,
        ),
        RegexRecognizer(
            "context:dob", "DATE",
            [r"\b(?:dob|d\.?\s?o\.?\s?b|date of birth|birth ?date|birthday|born(?: on)?)\b\.?(?:\s+(?:is|was))?[\s:,]*"
             r"(?P<v>\d{6}|\d{8}|[1-9][0-3]\d{3})" + _E],
            score=0.85, group="v",
        ),
        SpokenDateRecognizer(),
    ]  # fmt: skip


# After an age said on its own ("she's 94"), a unit or a measurement word means it is not an age.
_AGE_END = (
    r"(?![\w%/°]|[.,]\d|\s*(?:%|percent|per ?cent|mg|milligrams?|mcg|kg|kilos?|kilograms?|pounds?|lbs?|degrees?|"
    r"over|out of|beats|bpm|mm|cm|ml|units?|dollars?|bucks|cents|minutes?|mins?|seconds?|hours?|days?|weeks?|"
    r"months?|miles?|km|times?|points?|feet|foot|inches|on room air|percentile|sats?|saturation|yards?|meters?|"
    r"metres?|laps?|mph|reps?|steps?|pages?|calories)\b)"
)
# People an age is said of ("my grandmother is 96", "he's 94", "she'll be 92").
_AGE_SUBJECT = (
    r"(?:he|she|i|you|they|who|patient|grandmother|grandfather|grandma|grandpa|granny|gran|nan|nana|mother|"
    r"father|mom|mum|dad|husband|wife|partner|aunt|uncle|brother|sister|son|daughter|neighbou?r|friend|"
    r"widow|widower|gentleman|lady|woman|man|member|passenger|resident|client|veteran|customer|caller|"
    r"insured|beneficiary|narrator|interviewee|decedent|deceased|subject|participant)"
)
# An age after a name, set off by commas ("Yusuf Abdi, 96, came in"); lowercase: before a clinical verb.
_AGE_APPOSITIVE_VERB = (
    r"(?:presents|presented|presenting|who|living|lives|lived|came|comes|arrived|died|passed|was admitted|"
    r"is admitted|admitted|seen|with a history|reports|reported|complains|complained|states|stated|denies|"
    r"describes|described|recalls|recalled|remembers|remembered|tells|told|talks|talked|says|said)"
)
# Words before a number that make it a measurement or a reference, not an age ("room 94 presents").
_NOT_AGE_WORD = (
    r"(?!(?:room|bed|bay|ward|unit|floor|page|line|number|no|extension|ext|score|rate|pressure|level|sats?|"
    r"glucose|sugar|pulse|temp|temperature|weight|oxygen|count|total|bp|hr|rr|dose|code|lot|order|claim|case|"
    r"ticket|box|suite|apartment|apt|route|highway|chapter|step|grade)\b)"
)


_AGE_PERSON_BEFORE = re.compile(r"\b" + _AGE_SUBJECT + r"\s+$", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"(?<![\w'’-])([^\W\d_][\w'’-]*)\s+$")
_AGE_TITLE = re.compile(r"\b(?:mr|mrs|ms|miss|mister|missus|dr|doctor|mx)\.?\s+$", re.IGNORECASE)


class AgeRecognizer:
    """Ages over 89 said without "years old": after a cue ("turned 91", "age is 93", "she'll be 92"),
    after a person word with "is"/"'s" ("my grandmother is 96"), or as an appositive after a name.

    HIPAA marks only the number, and only over 89; vitals and doses ("sats 95 percent", "150 over 95")
    stay out through `_AGE_END` and the person or name that must come before.
    """

    name = "context:age"
    entities = frozenset({"AGE"})
    # 90-119 as digits (the spoken view writes "ninety-four" as 94), or "a hundred (and two)", which it leaves.
    _num = r"(?:(?:9\d|1[01]\d)(?:-?(?:something|ish|odd)\b|\+)?|a\s+hundred(?:\s+and\s+(?:1\d|[1-9])(?!\d))?)"
    _regex = re.compile(
        r"(?:\b(?:turned|turns|turning|turn)\s+(?:only\s+|just\s+)?"
        # Reaching an age: "going on 95", "lived to be 101", "made it to 99", "died at 93", "passed away at 96".
        # ("hit", "reached", "pushing" only after a person: "her temperature reached 102" is a fever.)
        r"|\b(?:going\s+on|lived\s+to(?:\s+be)?|live\s+to(?:\s+be)?|made\s+it\s+to|"
        r"(?:died|passed|passed\s+away|retired|remarried|widowed)\s+at(?:\s+the\s+age\s+of)?)\s+"
        # Round 19: when first, then the age ("passed away on the 9th of May at 97", "died last spring at 94"); an
        # age that opens a clause about the person ("at 91 he has earned the right", "at 96, she still drives").
        r"|\b(?:died|passed\s+away|passed\s+on)(?:[\s,]+(?!at\b)[\w'’]+){1,5}?[\s,]+at(?:\s+the\s+age\s+of)?\s+"
        r"|\bat\s+(?=(?:9\d|1[01]\d),?\s+(?:he|she|i|they|we|you)\s)"
        r"|\b"
        + _AGE_SUBJECT
        + r"(?:\s+(?:just\s+|finally\s+|has\s+)?(?:hit|hits|reached|reaches)|(?:'s|’s|\s+is|\s+was)\s+pushing)\s+"
        # "when she was 94", "until he was 101": a person's age at a time.
        r"|\b(?:when|until|till|since|by\s+the\s+time|after|before)\s+(?:he|she|i|they|we|you|mom|dad|"
        r"grandma|grandpa|mother|father)\s+(?:was|were|is|turned|hit|reached)\s+"
        # "born in 1931, which makes him 93".
        r"|\b(?:makes|made|making)\s+(?:him|her|me|them|you)\s+(?:now\s+|only\s+|just\s+|nearly\s+|almost\s+)?"
        r"|\b(?:age|aged)(?:\s+at\s+(?:the\s+time\s+of\s+)?(?:death|admission|diagnosis|onset|discharge|interview))?"
        r"(?:\s+(?:is|was|now|of|being|:))*[\s:,]+(?:only\s+|just\s+)?"
        r"|\b" + _AGE_SUBJECT + r"(?:'s|’s|'m|’m|'re|’re|\s+is|\s+was|\s+am|\s+are|\s+were|\s+turned)"
        r"(?:\s+been)?"
        r"(?:\s+(?:now|only|just|already|nearly|almost|still|actually|over))?\s+"
        r"|\b" + _AGE_SUBJECT + r"(?:'ll|’ll|\s+will|\s+would|\s+is going to|\s+was going to|'s going to)"
        r"\s+be\s+"
        r"|(?-i:[A-Z][a-z'’-]+),\s+(?:is|was)\s+"
        r")(?P<v1>"
        + _num
        + ")"
        + _AGE_END
        + r"|(?:(?-i:[A-Z][a-z'’-]+)|"
        + _AGE_SUBJECT
        + r"),\s+(?P<v2>"
        + _num
        + r"),\s+(?-i:[a-z])"
        # "henryk zieliński 93 admitted": a name in any alphabet.
        + r"|(?<![\w.,-])"
        + _NOT_AGE_WORD
        + r"[^\W\d_][\w'’-]*\s+(?P<v3>"
        + _num
        + r")\s+"
        + _AGE_APPOSITIVE_VERB
        + r"\b"
        # "her husband ninety-three is her caregiver": a person word, the number, and the rest of the clause.
        + r"|\b"
        + _AGE_SUBJECT
        + r",?\s+(?P<v6>"
        + _num
        + r"),?\s+(?:is|was|has|had|and|who|still|lives|lived|"
        r"died|passed)\b"
        # "At 97, she still drives" / "at ninety seven she still drives": an age opening a clause about a person.
         + r"|(?:^|(?<=[.!?;:]\s)|(?<=\bbut\s)|(?<=\band\s))at\s+(?:the\s+age\s+of\s+)?(?P<v4>" + _num + r")"
        r"(?=,|\s+(?:he|she|i|they|we|you|my|his|her|the\s+patient|grandma|grandpa|mom|dad)\b)",
        re.IGNORECASE,
    )
    # "Mrs. Olsen is 96", "hamid is ninety": a name, then "is", right before a candidate number (looked for
    # backwards from it, not tried at every word of the window); the name is checked in `_person`.
    _who = re.compile(
        r"(?<![\w'’-])(?P<who>[a-z][a-z'’-]+)\s+(?:is|was|turned|turns|just\s+turned|is\s+now|'s|’s)"
        r"(?:\s+(?:now|only|just|already|nearly|almost|still|actually))?\s+$",
        re.IGNORECASE,
    )
    _who_age = re.compile(r"(?P<v>" + _num + ")" + _AGE_END, re.IGNORECASE)

    # Every alternative holds a number from 90 to 119: the pattern runs only in windows around those, since
    # scanning its word-level alternatives over the whole text made it the slowest recognizer (profiled).
    _candidate = re.compile(r"(?=[19h])(?:(?<![\w.])(?:9\d|1[01]\d)(?!\d)|\bhundred\b)", re.IGNORECASE)
    _and_another = re.compile(
        # "91 and 94", "he's 91, 92 in August".
        r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)(?P<v>" + _num + r")" + _AGE_END,
        re.IGNORECASE,
    )
    _BACK = 100  # characters before the number: the longest cue ("she's going to be only", "Name, is")
    _AHEAD = 60  # and after it: what may not follow an age ("percent on room air", ", presents")

    def __init__(self) -> None:
        self._given, self._surnames = load_names()
        ambiguous, common = load_name_words()
        self._everyday = AMBIGUOUS_NAMES | ambiguous | common

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        windows: list[list[int]] = []
        for c in self._candidate.finditer(norm):
            a, b = max(0, c.start() - self._BACK), min(len(norm), c.end() + self._AHEAD)
            if windows and a <= windows[-1][1]:
                windows[-1][1] = b
            else:
                windows.append([a, b])
        out: list[Entity] = []
        seen: set[tuple[int, int]] = set()
        for c in self._candidate.finditer(norm):
            who = self._who.search(norm, max(0, c.start() - 40), c.start())
            age = self._who_age.match(norm, c.start()) if who is not None else None
            if who is not None and age is not None and self._person(norm, who.start("who"), who.group("who")):
                seen.add(age.span("v"))
                out.append(_entity(view, "AGE", *age.span("v"), 0.8, self.name))
        for a, b in windows:
            for m in self._regex.finditer(norm, a, b):
                span = self._value(m)
                # "They are 91 and 94", "aged 92, 95 and 97": more ages after the first, in a list.
                spans = [span]
                while (more := self._and_another.match(norm, spans[-1][1])) is not None:
                    spans.append(more.span("v"))
                for span in spans:
                    if span not in seen:
                        seen.add(span)
                        out.append(_entity(view, "AGE", span[0], span[1], 0.8, self.name))
        return out

    def _person(self, text: str, start: int, word: str) -> bool:
        """A name before "is 96": after a title ("Mrs. Olsen"), or a listed name that is no everyday word
        ("hamid"); capitalised too in cased text. "Pulse is 96" and "the score was 94" stay out."""
        if _AGE_TITLE.search(text, max(0, start - 12), start):
            return True
        low = fold(word.lower().removesuffix("'s").removesuffix("’s"))
        cased = _is_cased(text)
        if cased and not word[0].isupper():
            return False
        # "the patient Kateryna is 94", "his wife Claudette is 91": a person word before an unlisted name.
        if low not in self._everyday and _AGE_PERSON_BEFORE.search(text, max(0, start - 30), start):
            return True
        # "Gladys Oyelowo is 90": a listed given name before an unlisted surname.
        given = _WORD_BEFORE.search(text, max(0, start - 30), start)
        if given is not None and low not in self._everyday and self._listed_given(given.group(1), cased=cased):
            return True
        return low not in self._everyday and (low in self._given or low in self._surnames)

    def _listed_given(self, word: str, *, cased: bool) -> bool:
        low = fold(word.lower())
        return low in self._given and low not in self._everyday and (word[0].isupper() or not cased)

    @staticmethod
    def _value(m: re.Match[str]) -> tuple[int, int]:
        """The span of whichever alternative's number matched."""
        for name, index in m.re.groupindex.items():
            if name.startswith("v") and m.start(index) >= 0:
                return m.span(index)
        raise ValueError("age match without a number")


def age_recognizers() -> list[RegexRecognizer | AgeRecognizer]:
    over89 = r"(?P<v>9\d|1[01]\d)"
    return [
        RegexRecognizer(
            "pattern:age", "AGE",
            [r"(?<![\w.])" + over89 + r"(?:\s*|-)(?:years?|yrs?|y/o|yo)(?:\s*|-)(?:old|of age)\b",
             r"(?<![\w.])" + over89 + r"(?:\s*|-)(?:year|yr)(?:\s*|-)old\b",
             r"(?<![\w.])" + over89 + r"\s*(?:y/o|yo|y\.\s?o\.?)(?!\w)",
             r"\b(?:aged?|age of|at age)\s+" + over89 + r"(?![\w.])",
             r"(?<![\w.])" + over89 + r"(?:st|nd|rd|th)\s+birthday\b",
             # "in his ninety-fifth year" (the number first: a pattern that starts with a digit is scanned fast).
             r"(?=[19])(?:(?<=in his )|(?<=in her )|(?<=in my )|(?<=in their )|(?<=in your ))" + over89
             + r"(?:st|nd|rd|th)\s+year\b",
             # "her hundred and third birthday", "his hundredth birthday" (the view leaves "hundred" a word).
             r"(?=[aoh])\b(?P<v>(?:(?:a|one)\s+)?hundred(?:th|\s+and\s+(?:1\d|[1-9])(?:st|nd|rd|th)))\s+birthday\b",
             # "a 90, sorry, 91 year old": the slip is as telling as the correction.
             r"(?<![\w.])" + over89 + r"(?=[\s,]+(?:(?:sorry|no|i mean|uh|um|er|rather)[\s,]+)+"
             r"(?:9\d|1[01]\d)(?:\s*|-)(?:years?|yrs?)(?:\s*|-)old\b)"],
            score=0.85, group="v",
        ),
        AgeRecognizer(),
    ]  # fmt: skip


@lru_cache(maxsize=1)
def load_street_suffixes() -> tuple[frozenset[str], frozenset[str]]:
    """(street types, street types that are also everyday words), every USPS form, from
    core/redaction/data/street_suffixes.txt (USPS Publication 28, Appendix C1)."""
    street, word = _read_sections("data/street_suffixes.txt", ("street", "word"))
    return frozenset(street), frozenset(word)


def _suffix_alternation(forms: Iterable[str]) -> str:
    """One group matching any of `forms` (plain words), factored into a trie ("st(?:r(?:eet|t)?|a)..."): a flat
    alternation of every USPS form, in several street patterns, made compiling them most of the load time."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}
    return "(?:" + _trie_regex(trie) + ")"


def _trie_regex(node: dict) -> str:  # type: ignore[type-arg]
    ends = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Greedy: the longer form first ("streets" before "street"); the caller's \b decides where a word ends.
    return "(?:" + body + ")?" if ends else body


# A unit after the street ("Apt 3", "unit 9", "#12", "lot 42"), or before the house number ("Suite 400,").
_UNIT = r"(?:apt|apartment|unit|suite|ste|room|rm|flat|lot|space|spc|trailer|bldg|building|#)"
_UNIT_TAIL = r"(?:,?\s+" + _UNIT + r"\.?\s*(?:number\s+|no\.?\s*)?#?\s*(?!(?:and|or|in|on|at|the)\b)[a-z0-9-]+)"
# (round 16) The floor, block or building said first too ("Level 12, 400 George Street", "Block D, 27 Fore Street").
_UNIT_HEAD = (
    r"\b(?:apt|apartment|unit|suite|ste|flat|level|lvl|floor|block|blk|building|bldg|tower)\.?"
    r"\s*#?\s*[a-z0-9-]{1,6},?\s+"
)
_STATES = (
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
    r"ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC)"
)
_STATE_NAMES = (
    r"(?:alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|"
    r"idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|"
    r"mississippi|missouri|montana|nebraska|nevada|new hampshire|new jersey|new mexico|new york|"
    r"north carolina|north dakota|ohio|oklahoma|oregon|pennsylvania|rhode island|south carolina|south dakota|"
    r"tennessee|texas|utah|vermont|virginia|washington|west virginia|wisconsin|wyoming)"
)


class LicenseStateRecognizer:
    """Round 16: a US licence needs no cue when its state is said with it, "D 4 4 1 8 2 7 0 9, California", "W 221
    048 871, it's from Ohio": one letter, then seven to thirteen digits (as states issue them), then the state
    within a few words. A plate (fewer digits) or a phone (no letter) is no match. The digits are looked for
    first, so the letter and the state are tried only beside a long run of them (a pattern that starts at any
    letter would be tried at every word)."""

    name = "context:license_state"
    entities = frozenset({"LICENSE_NUMBER"})
    _digits = re.compile(r"\d(?:(?:[ -]|, | - )?\d){6,12}(?![\w-])")
    _letter = re.compile(r"(?:^|(?<=[^\w-]))[a-z](?:[ -]|, )?\Z", re.IGNORECASE)
    _state = re.compile(
        r"[\s,.]+(?:(?:it's|its|it is|that's|from|issued in|in|state of|the state is|uh|um)[\s,]+){0,2}"
        + _STATE_NAMES
        + r"\b",
        re.IGNORECASE,
    )

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        norm = view.text
        out = []
        for m in self._digits.finditer(norm):
            if m.start() and norm[m.start() - 1].isdigit():
                continue
            letter = self._letter.search(norm, max(0, m.start() - 3), m.start())
            if letter is None or self._state.match(norm, m.end()) is None:
                continue
            out.append(_entity(view, "LICENSE_NUMBER", letter.start(), m.end(), 0.95, self.name))
        return out


# Spoken short forms of states ("Gloucester, Mass").
# Canadian provinces, and the postcodes that follow a city ("Montreal, Quebec H3G 1K4", "Bristol BS6 5AB").
_PROVINCES = r"(?:QC|ON|BC|AB|MB|SK|NS|NB|NL|PE|YT|NT|NU)"
_PROVINCE_NAMES = (
    r"(?:quebec|ontario|british columbia|alberta|manitoba|saskatchewan|nova scotia|new brunswick|"
    r"newfoundland(?: and labrador)?|prince edward island|yukon)"
)
_POSTCODE = r"(?i:[a-z]\d[a-z]\s?\d[a-z]\d|[a-z]{1,2}\d[a-z\d]?\s\d[a-z]{2})\b"
# Words after which a house number and a street follow: "lives at", "moved to", "the address is".
_ADDRESS_CUE = (
    r"(?:(?:lives?|living|lived|resides?|residing|staying|stays|stayed|located|moved|moving|relocated|"
    r"rents?|rented|owns?|bought|sold|deliver(?:ed)?|send|sent|mail(?:ed)?|ship(?:ped)?|went|go)\s+"
    r"(?:(?:a|the)\s+(?:room|place|house|home|unit|flat|apartment)\s+)?(?:at|to|on|into|from)|"
    r"(?:home|mailing|street|billing|shipping|new|old|current|last|previous|forwarding)?\s*address(?:\s+(?:is|was|of|at))?"
    r"|(?:house|home|place|apartment|flat)\s+(?:is|was)(?:\s+(?:at|on))?)[\s:,]+"
)
# German, Dutch and Nordic street names end in their street type ("Hauptstraße", "Keizersgracht", "Storgatan").
# Not endings English words share ("expiring", "brigade", "arcade").
_COMPOUND_ENDINGS = (
    "straße", "strasse", "gasse", "weg", "allee", "platz", "damm", "ufer", "straat", "laan", "gracht", "plein",
    "gatan", "vägen", "vagen", "gata", "vej", "veien", "vegen", "gränd", "torget", "torv",
    # (round 12) Danish and Finnish ("Nørrebrogade", "Aleksanterinkatu"); no English word ends so.
    "gade", "stræde", "straede", "plads", "katu",
)  # fmt: skip
_COMPOUND_STREET = "(?:" + "|".join(f"(?<={ending})" for ending in _COMPOUND_ENDINGS) + ")"
_STATE_SHORT = r"(?:mass|calif|cali|penn|fla|ill|tex|ariz|colo|conn|mich|minn|wis|wash|ore|okla|tenn|ky|ga|ala|miss)\.?"
_NOT_STREET_WORD = (
    r"(?!(?:the|a|an|to|down|up|of|and|or|on|in|my|his|her|our|their|at|for|from|by|with|is|was|miles?|"
    r"minutes?|hours?|blocks?|times?|kids?|people|years?|days?|mg|milligrams?|over|i|you|we|they|it|"
    # (round 12) "twenty-five he lives pretty close", "ten circles each way", "option 3 then extension".
    r"he|she|each|every|then|that|this|circles?|reps?|sets?|laps?|rounds?|tablets?|pills?|doses?|"
    # (round 15) An identifier's cue after its number starts the next one: "transmitter 8g 4t 22 receiver serial pl
    # 550 ..." (PL is a street type).
    r"receivers?|transmitters?|serials?|sensors?|imei|account|routing|vin|mrn|"
    r"extension)\b)"
    # A bare run of three or more digits names no street: "713 555 0116 extension 230" is a phone number
    # and its extension (EXT is a street type), "12 Mile Road" and "4th Street" stay streets.
    r"(?!\d{3,}(?![\w'’]))"
)


# Street types said before the name ("Calle del Sol", "Rue Saint Denis", "Via Roma"); "via" only when no
# route of a drug or a channel follows ("1 via IV", "sent via email").
_STREET_FIRST = (
    # Welsh, Irish, Malay and Thai street types before the name too ("Heol y Castell", "Sráid an Mhuilinn").
    r"(?:rue|calle|avenida|avda\.?|rua|chemin|carrer|viale|piazza|strada|heol|ffordd|stryd|sr[áa]id|b[óo]thar|"
    r"jalan|jln|via(?!\s+(?:iv|i\.v\.|mouth|the|a|an|"
    r"e-?mail|mail|post|text|phone|fax|zoom|video|portal|nebuli[sz]er|ng|peg|tube|injection|infusion|drip|pump|"
    r"port|line|courier|fedex|ups|usps)\b))"
)
_STREET_PARTICLE = (
    r"(?:\s+(?:de los|de las|de la|della|delle|dei|degli|del|des|dos|das|de|du|la|le|les|los|las|el|di|da|do|y|yr|"
    r"an|na))?"
)
_STOP_RE = (
    r"(?:and|or|but|so|then|is|was|in|on|at|to|for|with|from|the|a|an|calling|called|please|near|next|by|"
    r"apartment|apt|flat|floor|i|we|he|she|they|it)"
)


_FILLER_WORD = re.compile(r"\b(?:uh|um|erm|er|ah)\b", re.IGNORECASE)


def _no_filler(span: str) -> bool:
    return _FILLER_WORD.search(span) is None


def address_recognizers() -> list[RegexRecognizer | PlaceRecognizer]:
    street_types, word_types = load_street_suffixes()
    # No optional group before the house number: a pattern that starts with a digit is scanned fast.
    house = r"\d(?<![\w.-]\d)\d{0,5}(?:-?[a-z])?\s+(?:(?:north|south|east|west|n|s|e|w)\.?\s+)?"
    # A direction after the street type ("1405 Sherbrooke Street West", "500 Pine St NE").
    post_direction = r"(?:\s+(?:north|south|east|west|ne|nw|se|sw|n\.e\.|n\.w\.|s\.e\.|s\.w\.)(?![\w'’-]))?"
    street = (
        house + r"(?:" + _NOT_STREET_WORD + r"[a-z0-9'’]+\s+){1,3}?" + _suffix_alternation(street_types) + r"\b"
        + post_direction + _UNIT_TAIL + "?"
    )  # fmt: skip
    # A street type that is also a word ("Bend", "Vista", "Falls"): capitalised with its name, or with a tail.
    cased_word_street = (
        "(?i:"
        + house
        + r")(?:"
        + _NOT_STREET_WORD
        + r"(?:[A-Z][a-z'’]+|\d+(?:st|nd|rd|th))\s+){1,3}?"
        + _suffix_alternation({f.capitalize() for f in word_types} | {f.upper() for f in word_types})
        + r"\b(?i:"
        + _UNIT_TAIL
        + "?)"
    )
    word_street = house + r"(?:" + _NOT_STREET_WORD + r"[a-z0-9'’]+\s+){1,3}?" + _suffix_alternation(word_types) + r"\b"
    state_tail = (
        r",?\s+(?:[a-z]+,?\s+){1,3}?(?:"
        + _STATES
        + "|"
        + _STATE_NAMES
        + "|"
        + _STATE_SHORT
        + r")(?:,?\s+\d{5}(?:-\d{4})?)?"
    )
    # A city after the street, set off by a comma, outside the US too ("88 Harbour Street, Toronto").
    city_after = (
        r"(?:,\s+(?!(?:But|And|So|Then|Please|Thanks|Thank|Yes|No|Okay|Ok|Which|That|It|I)\b)"
        # ... and its postcode ("17 Kingsley Road, Bristol BS6 5AB", "14 Marsh Wall, London E14 9SH").
        r"[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}(?:\s+" + _POSTCODE + r")?(?=\s*[,.;!?]|\s*$))?"
    )
    city_state = (
        r"(?:,?\s+[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2},?\s+(?:"
        + _STATES
        + r"|"
        + _PROVINCES
        + r"|(?i:"
        + _STATE_NAMES
        + r"|"
        + _PROVINCE_NAMES
        + r"))(?:\s+"
        + _POSTCODE
        + r")?"
    )
    # Outside the US: a district after the street, then a city ("..., District 1, Ho Chi Minh City").
    district = r"(?i:,?\s+(?:district|ward|sector|arrondissement)\s+\d{1,3}(?:,?\s+(?:[a-z]+\s+){1,3}city\b)?)"
    word = r"[^\W\d_][\w'’-]*"
    # Street type before the name ("3 Rue des Lilas, 75011 Paris"; "ulica Długa 7, Gdańsk").
    particle = _STREET_PARTICLE
    prefix_street = (
        r"(?i:(?<![\w.-])\d{1,5}[a-z]?,?\s+"
        + _STREET_FIRST
        + particle
        + r"\s+"
        + _NOT_STREET_WORD
        + word
        # A second word of the name ("Rue Saint Denis"), unless it starts the rest of the sentence.
        + r"(?:\s+(?!"
        + _STOP_RE
        + r"\b)"
        + word
        + r")?"
        + r"(?:,?\s+\d{4,5}\s+"
        + word
        + r")?)"
    )
    number_after = (
        # (round 16) Polish, Ukrainian and Russian types said first too ("vulytsia Shevchenka 21", "prospekt Mira 44").
        r"(?i:\b(?:ulica|ul\.|aleja|aleje|al\.|plac|osiedle|os\.|vulytsia|vulitsa|vul\.|ulitsa|prospekt|"
        r"calle|rua|strasse|straße|rue|avenida|avda\.?|viale|piazza|corso|carrer|(?-i:Via))\s+"
        + _NOT_STREET_WORD
        + word
        + r"(?:\s+"
        + word
        + r")?"
        + r"\s+\d{1,4}[a-z]?\b"
        # A Spanish floor and door, then a postcode and its town ("Calle Mayor 22, 3º izquierda, 28013 Madrid").
        + r"(?:,?\s+\d{1,2}\s?[º°ª](?:\s*(?:izquierda|derecha|izda\.?|dcha\.?|centro|[a-z]\b))?)?"
        # (round 16) A flat after the house number, as each language writes it ("Kwiatowa 7 m. 12", "3/5", "Shevchenka
        # 21, kvartyra 9", "Hauptstr. 5, Whg. 3"), then a postcode of any of Europe's forms ("60-123", "110 00",
        # "1052", "28013") and its town.
        + r"(?:/\d{1,4}[a-z]?\b|,?\s+(?:m\.|mieszk\.|lok\.|kv\.|kvartyra|kvartira|whg\.|wohnung|apt\.?|flat)\s*"
        r"\d{1,4}[a-z]?\b)?"
        # The postcode and its town, or the town alone: never a word more after the postcode's town.
        + r"(?:,?\s+(?:\d{5}|\d{2}-\d{3}|\d{3}\s\d{2}|\d{4})\s+(?-i:[A-Z])?[^\W\d_]+(?=[\s,.;?!]|$)|"
        + r",?\s+(?!"
        + _STOP_RE
        + r"\b)"
        + word
        + r")?)"
    )
    return [
        RegexRecognizer(
            "pattern:address", "ADDRESS",
            ["(?i:" + street + ")" + city_state + r"(?:\s+\d{5}(?:-\d{4})?)?)?" + city_after,
             "(?i:" + _UNIT_HEAD + street + ")" + city_after,
             # (round 12) A lot or a unit whose number is the house's ("Lot 9 Gidgee Road", "unit 4 mulga drive").
             r"(?i:\b(?:lot|plot|unit|flat)\s*#?\s*" + street + ")" + city_after,
             # A unit first makes any street type one ("Apartment 6, 33 Elm Grove").
             "(?i:" + _UNIT_HEAD + word_street + ")" + city_after,
             # "the 2300 block of Euclid Avenue": a street said by its hundred block.
             r"(?i:\b(?:the\s+)?\d{1,3}00\s+block\s+of\s+(?:(?:north|south|east|west|n|s|e|w)\.?\s+)?"
             r"(?:" + _NOT_STREET_WORD + r"[a-z0-9'’]+\s+){1,3}?" + _suffix_alternation(street_types | word_types)
             + r"\b)",
             # Compound street names with their number, postcode and town ("Hauptstraße 5, 10115 Berlin",
             # "Keizersgracht 123, 1015 CJ Amsterdam", "Storgatan 12").
             # The word taken whole (possessive), then its ending checked backwards: no backtracking per letter.
             r"(?i:\b[^\W\d_]{4,}+(?=\s+\d)" + _COMPOUND_STREET
             + r"\s+\d{1,4}[a-z]?\b(?:,?\s+\d{4,5}(?:\s?[a-z]{2})?\s+[^\W\d_]+"
             r"(?:[ -](?!" + _STOP_RE + r"\b)[^\W\d_]+)?)?)",
             cased_word_street + city_state + r"(?:\s+\d{5}(?:-\d{4})?)?)?" + city_after,
             "(?i:" + word_street + "(?:" + _UNIT_TAIL + "(?:" + state_tail + ")?|" + state_tail + "))" + _E,
             "(?i:" + street + r"(?:,?\s+[a-z]+(?:\s[a-z]+)?,?\s+" + _STATE_NAMES + r"(?:\s+\d{5}(?:-\d{4})?)?)?)",
             "(?i:" + street + r",?\s+(?:[a-z]+,?\s+){1,3}?(?:" + _STATES + "|" + _STATE_NAMES + "|" + _STATE_SHORT
             + r"),?\s+\d{5}(?:-\d{4})?)" + _E,
             # A box with its town and state ("PO Box 118, Laramie, Wyoming 82073") is one address.
             r"(?i:\b(?:p\.?\s?o\.?\s*box|post office box)\s+\d{1,6}\b(?:,?\s+(?:[a-z]+\s+){0,2}?[a-z]+,?\s+"
             + _STATE_NAMES + r"(?:,?\s+\d{5}(?:-\d{4})?)?" + _E + ")?)",
             "(?i:" + street + ")" + district, prefix_street, number_after],
            score=0.85, flags=0,
            # "aged 94 he still drives": a number after an age cue is an age, not a house number.
            avoid=r"\b(?:aged?|age of|at age|turned|turns)\s*$", window=12,
            # A filler is no part of a street's name ("twelve oh three twenty six uh attending dr halvorsen"):
            # checked on the find, not in every street word's look-ahead (that lengthened each pattern to compile).
            validate=_no_filler,
        ),
        RegexRecognizer(
            # After an address cue a house number, a name and any street type are a street, also in lowercase
            # ("she moved to 88 juniper hollow", "the address is 12 aspen bend").
            # The street first (a pattern that starts with a digit is scanned fast), the cue checked before it.
            "context:address_cued", "ADDRESS", ["(?i:" + street + "|" + word_street + ")" + city_after],
            score=0.85, context=r"\b" + _ADDRESS_CUE + "$", window=60, flags=0,
        ),
        RegexRecognizer(
            "pattern:city_state_zip", "ADDRESS",
            [r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2},?\s+(?:" + _STATES + r"|(?i:" + _STATE_NAMES + r"))"
             + r"\s+\d{5}(?:-\d{4})?" + _E,
             r"(?i:\b[a-z]+\s+" + _STATE_NAMES + r"\s+\d{5}(?:-\d{4})?)" + _E],
            score=0.8, flags=0,
        ),
        RegexRecognizer(
            # Roads known by a number: rural routes with their box, county roads, state highways, and lots
            # in a park of mobile homes. "RR 18" alone is a respiratory rate, so "rr" needs its box.
            "pattern:numbered_road", "ADDRESS",
            # A highway contract route ("HC 62 Box 14") as a rural one.
            [r"(?<![\w.-])(?:\d{1,6}\s+)?"
             r"(?:rural route|rural delivery|star route|highway contract(?: route)?|hc(?=\s*#?\s*\d+,?\s+box)|"
             r"r\.\s?r\.?(?=\s*#?\s*\d)|"
             r"rr(?=\s*#?\s*\d+,?\s+box))"
             r"\s*(?:number\s+|no\.?\s*)?#?\s*\d{1,4}(?:,?\s+(?:box|bx)\s*#?\s*\d{1,5}[a-z]?)?(?![\w-])",
             # The box first ("Box 19, Rural Route 1").
             r"\bbox\s*#?\s*\d{1,5}[a-z]?,?\s+(?:rural route|rural delivery|star route|highway contract(?: route)?|"
             r"r\.\s?r\.?|rr|hc)\s*(?:number\s+|no\.?\s*)?#?\s*\d{1,4}(?![\w-])",
             r"(?<![\w.-])(?:\d{1,6}\s+)?(?:county|state|farm to market|ranch to market|forest service|township|"
             r"parish|us|u\.s\.)\s+(?:road|rd|highway|hwy|route|rte|line)\s*#?\s*\d{1,4}[a-z]?(?![\w-])",
             r"(?<![\w.-])(?:\d{1,6}\s+)?(?:cr|sr|fm|hwy|highway|interstate|i-|route|rte)\s*-?\s*\d{1,4}"
             r"(?=,?\s+(?:in|near|outside|north|south|east|west|past|by|at)\b)(?<=\d)(?![\w-])",
             r"\blot\s*(?:number\s+|no\.?\s*|#\s*)?\d{1,4}[a-z]?(?=[,\s]+(?:(?:in|at|of|on)\s+)?(?:the\s+)?"
             r"(?:[\w'’]+\s+){0,3}(?:trailer|mobile home|rv|caravan|manufactured home)s?\s+(?:park|court|community|"
             r"estates|village))",
             # With its park when the park has a name, as one address ("Lot 7, Pine Haven Mobile Home Park");
             # "lot 42 in the trailer park" is the lot alone.
             r"\blot\s*(?:number\s+|no\.?\s*|#\s*)?\d{1,4}[a-z]?[,\s]+(?:(?:in|at|of|on)\s+)?(?:the\s+)?"
             r"(?!(?:the|a|an|our|my|his|her|their|same|local|old|big|little|in|at|of|on)\b)(?:[\w'’]+\s+){1,3}"
             r"(?:trailer|mobile home|rv|caravan|manufactured home)s?\s+(?:park|court|community|estates|village)\b",
             # A mile marker on its road ("mile marker 44 on Highway 287").
             r"\bmile\s+marker\s+\d{1,4}(?:\.\d)?(?:\s+(?:on|of|along|off)\s+(?:(?:state|us|county)\s+)?"
             r"(?:route|rte|highway|hwy|interstate|i-|road|rd)\s*-?\s*\d{1,4}[a-z]?)?(?![\w-])"],
            score=0.85,
        ),
        RegexRecognizer(
            "context:lot", "ADDRESS",
            [r"\b(?:trailer|mobile home|rv|caravan)\s+(?:park|court|community)\b[^.?!]{0,40}?"
             r"\b(?P<v>(?:lot|space|site|pad)\s*#?\s*\d{1,4}[a-z]?)(?![\w-])",
             r"\b(?P<v>(?:space|site|pad)\s*(?:number\s+|no\.?\s*|#\s*)?\d{1,4}[a-z]?)(?=[,\s]+(?:(?:in|at|of|on)\s+)?"
             r"(?:the\s+)?(?:[\w'’]+\s+){0,3}(?:trailer|mobile home|rv|caravan|manufactured home)s?\s+"
             r"(?:park|court|community|estates|village))"],
            score=0.85, group="v",
        ),
        RegexRecognizer(
            "context:zip", "ADDRESS",
            # Asked, then answered: "Can I have the ZIP? Caller: 11215".
            [r"\b(?:zip(?:\s*code)?|postal code|zipcode)\b" + _GAP_STOP % 4 + r"(?P<v>\d{5}(?:-\d{4})?)" + _E],
            score=0.85, group="v",
        ),
        RegexRecognizer(
            "context:zip_of", "ADDRESS",
            # (round 14) The ZIP of a named place or service, then a verb: "the zip for home health routing
            # is 60629", "the zip code of the old depot on main was 48207". Up to eight words of one clause.
            [r"\b(?:zip(?:\s*code)?|postal code|zipcode)\s+(?:for|of|at|on|we\s+use\s+for)\s+"
             r"(?:[\w'’-]+\s+){1,8}?(?:is|was|'s|’s|are|were|would\s+be|should\s+be|will\s+be)[\s:,]+"
             r"(?:(?:still|just|now|actually|always)\s+)?(?P<v>\d{5}(?:-\d{4})?)" + _E],
            # Above an account's cue said inside the place ("routing", "billing"): the ZIP is said of it.
            score=0.98, group="v",
        ),
        RegexRecognizer(
            # UK ("SW1A 1AA") and Canadian ("M5V 2T6") postcodes: in capitals alone, in lowercase after a cue
            # ("b12 2mg" in lowercase text is a dose, not a place).
            "pattern:postcode", "ADDRESS",
            [r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b"], score=0.8, flags=0,
        ),
        RegexRecognizer(
            "context:postcode", "ADDRESS",
            [r"\b(?:post\s?code|postal code)\b(?:\s+(?:is|was))?[\s:]*"
             r"(?P<v>[a-z]{1,2}\d[a-z\d]?\s\d[a-z]{2}|[a-z]\d[a-z]\s?\d[a-z]\d)\b",
             # (round 17) Asked, then answered: a UK postcode read out letter by letter and number by number ("the
             # postcode? L S six, four J B", "post code is b one one two a x"), and the four-digit postcodes of
             # Australia, New Zealand, South Africa, Switzerland, Austria, Belgium, Denmark, Norway ("... is 2196").
             r"\b(?:post\s?code|postal code)\b(?:\s+(?:is|was))?[\s:?,.]*"
             r"(?P<v>[a-z](?:\s?[a-z])?(?:[,\s]*\d){1,2}(?:[,\s]*[a-z])?[,\s]*\d[,\s]*[a-z][,\s]*[a-z]"
             r"(?![\w'’])|\d{4}(?![\w'’]|[.,]\d|\s*\d)(?!\s*(?:m|km|metres|meters|miles|feet|yards|steps|people|"
             r"dollars|pounds|euros|rand)\b))"],
            # (round 17) Above an earlier identifier's cue reaching on past it ("national insurance number ..., and
            # the postcode L S six, four J B"): the postcode's cue is the nearer.
            score=0.98, group="v",
        ),
        *street_name_recognizers(),
        PlaceRecognizer(),
    ]  # fmt: skip


_FOLD_EXTRA = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "æ": "a", "Æ": "A",
                             "ß": "s", "ı": "i", "ð": "d", "Ð": "D", "þ": "t", "Þ": "T"})  # fmt: skip


@lru_cache(maxsize=2)  # the place and the town gazetteers fold the same transcript
def fold_text(text: str) -> str:
    """`text` without diacritics, one character for one ("Kraków" -> "Krakow"), so offsets still hold."""
    if text.isascii():
        return text
    # One mapping for the few distinct non-ASCII characters, then one translate (a loop per character of
    # the whole transcript cost more than every place regex together).
    table = {ord(c): _fold_char(c) for c in set(text) if not c.isascii()}
    return text.translate(table)


@lru_cache(maxsize=1024)
def _fold_char(c: str) -> str:
    folded = c.translate(_FOLD_EXTRA)[:1]  # one character for one, whatever the table maps to
    base = folded if folded.isascii() else unicodedata.normalize("NFKD", folded)[0]
    return base if base.isascii() else c


@lru_cache(maxsize=2)
def load_places(districts: bool = True) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(places, ambiguous places, regions), lowercased, from core/redaction/data/places.txt and, for the rules,
    the city districts of data/districts.txt (round 12). The trained address tagger reads places.txt alone
    (``districts=False``): it is one of its feature lists and a source of its training towns, so the tagger
    sees at work the lists it was trained with, and its recipe rebuilds the shipped bytes.

    An ambiguous place (also a name or an everyday word) is never in `places`; a region (state, country)
    is in neither: on its own it is not an identifier.
    """
    sections: dict[str, set[str]] = {"@place": set(), "@ambiguous": set(), "@region": set()}
    files = ("data/places.txt", "data/districts.txt") if districts else ("data/places.txt",)
    text = "\n".join(resources.files("core.redaction").joinpath(f).read_text(encoding="utf-8") for f in files)
    target = sections["@place"]
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line in sections:
            target = sections[line]
        elif line and target is not sections["@place"]:
            target.update(line.split())
        elif line:
            target.add(" ".join(line.split()))
    region = frozenset(sections["@region"])
    ambiguous = frozenset(sections["@ambiguous"] - region)
    return frozenset(sections["@place"] - ambiguous - region), ambiguous, region


# Words after which a place name is a location: "lives in", "moved from ... to", "near", "outside".
_PLACE_CUE = r"(?:in|from|to|near|outside|around|at|of|towards?|via|visiting|into|through)\s+(?:the\s+)?"
# Ambiguous places ("Austin", "Mobile") need a cue that rarely precedes a person.
# (round 14) Or a journey's verb before "to" ("came to Columbus in 2006", "never been to Mobile"): a person is
# talked to or gone to ("went to Jackson and asked"), not come to, moved to or flown to.
_PLACE_CUE_STRICT = (
    r"(?:in|from|near|outside|around|visiting|(?:came|come|comes|coming|moved|moving|flew|drove|been|gone|"
    r"headed|heading|returned|relocated|emigrated|immigrated)\s+(?:back\s+)?to)\s+(?:the\s+)?"
)
# Residence cues strong enough to take an unknown capitalised place ("I grew up in Wickford").
# (round 15) And where people are displaced to or cross at ("fled to Dadaab", "interned at Manzanar",
# "crossed the border at Sasabe"), places whatever their name.
_HOME_CUE = (
    r"(?:(?:lives?|living|lived|resides?|residing|born|raised|grew up|based|located|settled|home)\s+in|"
    # (round 16) With an adverb of the move between: "moved out to", "moving back from", "relocated down to".
    r"(?:moved|moving|relocated)\s+(?:(?:out|back|over|away|down|up)\s+)?(?:to|from)|"
    r"(?:i'm|i am|is|was|comes?|came)\s+from|"
    r"(?:fled|escaped|deported|evacuated|repatriated|exiled)\s+(?:back\s+)?(?:to|into)|interned\s+(?:at|in)|"
    r"resettled\s+in|crossed(?:\s+the\s+border)?\s+(?:at|into))\s+"
)
_REGION_PHRASES = frozenset({"new york", "new jersey", "new mexico", "new hampshire", "north carolina",
                             "south carolina", "north dakota", "south dakota", "west virginia", "rhode island",
                             "new zealand", "south africa", "saudi arabia", "sri lanka", "united states",
                             "united kingdom", "costa rica", "puerto rico", "el salvador", "new brunswick",
                             "nova scotia", "british columbia"})  # fmt: skip


def _alternation(phrases: Iterable[str]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in p.split()) for p in ordered)


# (round 15) Runs of capitalised words, the first not after another capitalised word; listed places of several
# words that a saint, a feast or Congress also names are left to the cues.
_CAPITAL_RUN = re.compile(r"(?<![\w'’.-])(?<![A-Z][a-z] )[A-Z][\w'’]*(?:[ -][A-Z][\w'’]*)+")
_CAPITAL_WORD = re.compile(r"[A-Z][\w'’]*")
_NOT_ALONE = re.compile(r"(?:st\.?|saint|corpus|capitol)\s")


class PlaceRecognizer:
    """Cities, towns and neighbourhoods, from a gazetteer after a locative cue ("in", "from", "near").

    HIPAA counts every geographic subdivision smaller than a state, so "moved to Leeds" is an ADDRESS.
    A gazetteer place needs the cue (a bare "Buffalo" may be the animal); an ambiguous one ("Austin",
    "Mobile") also needs a capital in cased text and a cue that seldom precedes a person. After a
    residence cue ("lives in", "grew up in") an unknown capitalised place is taken too, unless it is a
    state, a country or a month. Matching ignores diacritics ("Tromsø", "Kraków").
    """

    name = "gazetteer:place"
    entities = frozenset({"ADDRESS"})
    _tail = r"(?![\w'’-])"

    def __init__(self) -> None:
        places, ambiguous, self._regions = load_places()
        self._place = re.compile(
            r"(?<![\w-])" + _PLACE_CUE + r"(?P<v>" + _alternation(places) + r")" + self._tail, re.IGNORECASE
        )
        self._ambiguous = re.compile(
            r"(?<![\w-])" + _PLACE_CUE_STRICT + r"(?P<v>" + _alternation(ambiguous) + r")" + self._tail,
            re.IGNORECASE,
        )
        # (round 15) Not a title: "the referral came from Dr. Imran Siddiqui" names a person.
        self._home = re.compile(
            r"(?i:\b" + _HOME_CUE + r")(?!(?:Dr|Mr|Mrs|Ms|Mx|Prof|Rev|Fr|Sr|Sgt|Capt|Lt|Det|Officer|Doctor|Mister|Miss|"
            r"Nurse|Father|Sister|Brother|Uncle|Aunt|Auntie|Grandma|Grandpa|Mom|Mum|Dad)\b)"
            r"(?P<v>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2})" + self._tail
        )
        # (round 15) A well-known place of several words, each capitalised, is one without a cue ("the card says
        # Fall River", "technically View Park"); not a saint's, a feast's or Congress's name.
        self._several = frozenset(p for p in places if (" " in p or "-" in p) and not _NOT_ALONE.match(p))

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        folded = fold_text(text)
        cased = _is_cased(text)
        out: list[Entity] = []
        for m in self._place.finditer(folded):
            start, end = m.span("v")
            if org_word_follows(folded, end):
                continue
            if not cased or (folded[start].isupper() and not _org_follows(folded, end)):
                out.append(Entity("ADDRESS", start, end, 0.75, self.name))
        if cased:
            out += self._capitalised(folded)
            for regex in (self._ambiguous, self._home):
                for m in regex.finditer(folded):
                    start, end = m.span("v")
                    if folded[start].isupper() and not self._region(m.group("v").lower()):
                        out.append(Entity("ADDRESS", start, end, 0.7, self.name))
        return out

    def _capitalised(self, text: str) -> list[Entity]:
        """The listed places of several capitalised words, the longest reading of each run of such words that
        starts one, unless a capitalised word or a firm's word goes on from it."""
        out: list[Entity] = []
        for m in _CAPITAL_RUN.finditer(text):
            words = list(_CAPITAL_WORD.finditer(text, m.start(), m.end()))
            for n in range(min(4, len(words)), 1, -1):
                end = words[n - 1].end()
                if text[m.start() : end].lower() in self._several:
                    if not _org_follows(text, end) and not org_word_follows(text, end):
                        out.append(Entity("ADDRESS", m.start(), end, 0.7, self.name))
                    break
        return out

    def _region(self, words: str) -> bool:
        """A state, country, month or weekday anywhere in the phrase ("moved to New Mexico", "in March")."""
        parts = words.replace("-", " ").split()
        return words in _REGION_PHRASES or any(p in self._regions or p in MONTH_WORDS for p in parts)


def _org_follows(text: str, end: int) -> bool:
    """A capitalised word right after a place makes it part of a name ("the Riverside Ledger")."""
    return end + 1 < len(text) and text[end] == " " and text[end + 1].isupper()


# (round 12) What a business or a service named after its town is, said after the town in any casing ("from
# riverside vet", "meridian recovery services", "sunnyside care home"): the town is the firm's name there.
_ORG_WORD_AFTER = re.compile(
    r" (?:pharmacy|pharmacies|vets?|veterinary|clinic|medical|medicine|family\s+(?:medicine|practice|health|"
    r"dental|care)|ledger|gazette|herald|tribune|courier|bank|mobile|wireless|recovery|services|dental|health|"
    r"healthcare|labs?|laboratories|insurance|credit|motors|realty|logistics|financial|savings|electric|energy|"
    r"telecom|surgery|surgical|orthopa?edics|pediatrics|paediatrics|imaging|radiology|urgent\s+care|rehab|"
    r"rehabilitation|nursing|hospice|care\s+(?:home|centre|center|services)|general\s+hospital|"
    r"regional\s+(?:medical|hospital|health))\b",
    re.IGNORECASE,
)


def org_word_follows(text: str, end: int) -> bool:
    """A firm's or a service's word right after a place makes it the firm's name ("from riverside vet")."""
    return _ORG_WORD_AFTER.match(text, end) is not None


@lru_cache(maxsize=2)  # round 17 (speed): a town after each name asks it again of the whole transcript
def _is_cased(text: str) -> bool:
    """Whether `text` was written with capitals (one word in 50 capitalised), not an all-lowercase ASR."""
    words = text.split()
    return sum(1 for w in words if w[:1].isupper()) * 50 >= len(words) > 0


# (round 16) Names of things, not streets, said like one ("saved to Google Drive", "Memory Lane", "Sesame Street");
# round 20: after "on" too ("the logs are kept on Google Drive").
_NOT_SET_OFF = r"(?!(?:Google|Test|Memory|Sesame|Flash|Hard|Thumb|Disk|Shared|Network|Easy|Lovers|Fast|Slow)\b)"
# (round 16) The same in lowercase, where a drive one saves to, a lane one drives in and a drive one gives to read like
# streets ("to google drive", "in the bus lane", "the food drive"); round 20: after "on", "off" and "from" too ("kept
# on google drive").
_THING_NOT_STREET = (
    r"(?!(?:google|hard|flash|thumb|usb|shared|network|external|test|disk|memory|fast|slow|bus|cycle|bike|express|"
    r"inside|outside|passing|turning|easy|charity|food|blood|toy|coat|book|fund|sesame|shopping)\s)"
)


def street_name_recognizers() -> list[RegexRecognizer]:
    """A street named without a house number, after a locative cue ("lives on Elmhurst Avenue").

    Only long street types: "on the way", "at first place" and "in court" must stay out.
    """
    suffix = (
        r"(?:street|avenue|road|lane|drive|boulevard|parkway|highway|terrace|crescent|trail|pike|plaza|"
        r"alley|ave|blvd|walk|mews|wynd|esplanade|promenade|quay|wharf)"
    )
    # (round 16) Where one heads or passes: "towards Old Street", "just past Harrow Road".
    cue = r"(?i:\b(?:on|off|at|from|along|onto|near|of|down|up|to|in|into|towards|toward|past|behind|via)\s+)"
    # A corner said as two streets ("on Fourth and Alder", "at 5th and Main"): the first a numbered street.
    corner = (
        r"\b(?:on|at|of|off)\s+(?P<v>\d{1,2}(?:st|nd|rd|th)(?:\s+(?:street|st|avenue|ave))?\s+(?:and|&)\s+"
        + _NOT_STREET_WORD
        + r"(?!(?:then|now|so|again|also|later|after|before|that|this|long|short)\b)"
        r"[a-z][a-z'’-]+(?:\s+(?:street|st|avenue|ave|road|rd|boulevard|blvd))?)\b"
    )
    # (round 12) The numbered street second ("at Grand and 12th"), not a rank or a floor after it.
    corner_second = (
        r"\b(?:on|at|of|off)\s+(?P<v>"
        + _NOT_STREET_WORD
        + r"(?!(?:then|now|so|again|also|later|after|before|that|this|long|short|between|"
        r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d{1,2}(?:st|nd|rd|th))\b)"
        r"[a-z][a-z'’-]+(?:\s+(?:street|st|avenue|ave|road|rd|boulevard|blvd))?\s+(?:and|&)\s+"
        r"\d{1,2}(?:st|nd|rd|th)(?:\s+(?:street|st|avenue|ave))?)\b(?![\w'’-])"
        r"(?!\s+(?:grade|floor|place|quarter|year|period|century|day|time|round|base|row|week|month|trimester|"
        r"generation|edition|class|level|storey|story|tier|division|draft|degree|cousins?|child|time)\b)"
    )
    cased_word = r"(?!(?:The|A|An|This|That|My|His|Her|Our|Their|Your)\b)[A-Z][\w'’-]*"
    lower_word = (
        _NOT_STREET_WORD + r"(?!(?:this|that|same|wrong|right|left|open|dirt|back|side|long|country|"
        r"main road|one|two|your|every|each|toll|private)\b)[a-z][\w'’-]*"
    )
    foreign = (
        r"(?i:(?:rue|calle|avenida|rua|via|viale|chemin|carrer|ulica|strada)"
        r"(?:\s+(?:de la|de|des|du|la|le|del|di|da|dos|das|della))?\s+)"
    )
    street_types, word_types = load_street_suffixes()
    long_types = {t for t in street_types | word_types if len(t) >= 4}
    # Every USPS type capitalised with its name in cased text ("on Linden Isle", "on Fjord View Loop").
    cased_any = _suffix_alternation({t.capitalize() for t in long_types})
    # In lowercase only those that are no everyday word ("on juniper isle"; not "on the open plain").
    lower_any = _suffix_alternation({t for t in street_types if len(t) >= 4})
    # A numbered road after a locative cue, and the road it crosses ("at Route 30 and Bell Road").
    route = r"(?:(?:state|us|u\.s\.|county)\s+)?(?:route|rte|highway|hwy|interstate)\s*-?\s*\d{1,4}[a-z]?(?![\w-])"
    crossing = r"(?:\s+(?:and|&)\s+(?:" + lower_word + r"\s+){1,2}?(?:" + lower_any + "|" + suffix + r")\b)?"
    # Two streets at a corner, named alone ("the corner of Division and Ashland").
    # (round 12) A numbered street is one too: the spoken view writes "Third" and "fifth" as "3rd", "5th".
    ordinal = r"\d{1,3}(?:st|nd|rd|th)"
    corner_word = "(?:" + ordinal + "|" + lower_word + r")(?:\s+(?:" + lower_any + "|" + suffix + r"))?"
    corner_cased = r"(?:" + ordinal + r"|[A-Z][a-z'’-]+)(?:\s+[A-Z][a-z'’-]+)?"
    # A district named by its kind ("in Crescent Heights", "near Boyle Heights"); in lowercase only kinds
    # that are seldom anything else.
    district_cased = (
        r"(?:Heights|Hills|Village|Gardens|Springs|Falls|Beach|Valley|Harbou?r|Landing|Junction|Estates|Ridge)"
    )
    district_lower = r"(?:heights|hills|springs|junction|estates)"
    return [
        RegexRecognizer(
            "pattern:street_name_any", "ADDRESS",
            # Not after "of": "a member of Navy Federal Credit Union" names a bank.
            # "on Linden Isle"; "stays near Pioneer Square", "behind Harbor Plaza".
            # Round 20: not a thing said like a street ("kept on Google Drive": `_NOT_SET_OFF`).
            [r"\b(?i:on|off|along|onto|near|behind|outside|past|across from)\s+(?P<v>" + _NOT_SET_OFF + r"(?:"
             + cased_word + r"\s+){1,3}" + cased_any + r")\b(?![\w'’-])(?!\s+(?-i:[A-Z]))",
             r"\b(?i:in|near|from|outside)\s+(?P<v>" + cased_word + r"\s+" + district_cased + r")\b(?![\w'’-])",
             # (round 12) "the Eastgate area", "the Millbrook district": capitalised, any name.
             r"\b(?i:the)\s+(?P<v>" + corner_cased + r")\s+(?:neighbou?rhood|area|district)\b",
             # "the old neighbourhood, Five Points, ...": the district's name set off after the word.
             # (A number word is a digit in the spoken view: "Five Points" reads "5 Points".)
             r"\bneighbou?rhood,\s+(?P<v>(?:[A-Z][a-z'’-]+|\d{1,3})(?:\s+[A-Z][a-z'’-]+){0,2}),",
             r"\b(?i:corner|intersection)\s+of\s+(?P<v>" + corner_cased + r"\s+(?:and|&)\s+" + corner_cased + r")\b",
             # (round 16) A numbered road capitalised is one wherever it is said ("broke down on the verge of
             # Highway 61").
             r"(?<![\w'’-])(?P<v>(?:(?:State|US|U\.S\.|County)\s+)?(?:Route|Highway|Interstate)\s*-?\s*\d{1,4}[A-Za-z]?)"
             r"(?![\w'’-])"],
            score=0.8, group="v", flags=0,
        ),
        RegexRecognizer(
            "pattern:street_name_any_lower", "ADDRESS",
            [r"\b(?:on|off|along|onto|into)\s+(?P<v>" + _THING_NOT_STREET + r"(?:" + lower_word + r"\s+){1,2}"
             + lower_any + r")\b(?![\w'’-])",
             r"\b(?:in|near|from|outside)\s+(?P<v>" + lower_word + r"\s+" + district_lower + r")\b(?![\w'’-])",
             # (round 16) After a move or a home, a town named by its kind ("moving from oak beach", "born in cedar
             # falls", "lives in foster city"), not a kind of place ("lives in a big city", "moved to the inner city").
             r"\b(?:(?:moved|moving|relocated|relocating)\s+(?:(?:back|out|down|up|away|over)\s+)?(?:to|from)|"
             r"(?:lives?|living|lived|born|raised|grew\s+up|based|settled)\s+in|(?:is|was|came|comes)\s+from)\s+"
             r"(?P<v>(?!(?:big|small|inner|capital|old|new|nearby|next|another|other|different|home|major|large|"
             r"little|coastal|seaside|border|mining|mill|port|college|university|sister|host)\b)" + lower_word
             + r"\s+(?:beach|city|creek|bay|falls|valley|harbou?r|springs|heights|hills|village))\b"
             r"(?![\w'’-])",
             # "lives in the kensington neighborhood"; not "the old neighborhood", "the whole neighbourhood".
             r"\bthe\s+(?P<v>" + lower_word + r"(?!(?:old|new|whole|same|entire|local|nice|quiet|poor|rough|bad|"
             r"good|safe|next|other|surrounding|immediate|wider|former|current|little|big|black|white|latino|"
             r"italian|irish|jewish|polish|chinese|mexican)\b)[a-z'’-]{3,})\s+neighbou?rhood\b",
             # (round 16) "the verge of highway 61", "a crash by route 30", "heading toward route 66".
             r"\b(?:on|off|at|along|onto|from|near|down|up|via|past|exit|take|took|of|to|toward|towards|by|across|"
             r"crossing)\s+(?P<v>" + route + crossing + ")",
             r"\b(?:corner|intersection)\s+of\s+(?P<v>" + corner_word + r"\s+(?:and|&)\s+" + corner_word + r")\b"],
            score=0.7, group="v",
        ),
        RegexRecognizer(
            "pattern:street_name", "ADDRESS",
            [cue + r"(?P<v>" + _NOT_SET_OFF + r"(?:" + cased_word + r"\s+){1,3}(?i:" + suffix + r")\b)",
             cue + r"(?P<v>" + foreign + cased_word + r"(?:\s+" + cased_word + r")?)",
             # (round 16) Set off by commas, as an answer or after a pause ("we lived on, let me think, Kelvin
             # Road, ..."; "Which street? Harrow Road."): its long type capitalised, the clause ending after it.
             r"(?<=[,:;?])\s+(?P<v>" + _NOT_SET_OFF + r"(?:" + cased_word + r"\s+){1,2}"
             r"(?:Street|Road|Avenue|Lane|Drive|Boulevard|Parkway|Terrace|Crescent))(?=\s*[,.;:?!]|\s*$)"],
            # Above a cue-word name ("lives on Ashby Avenue" is a street, not Mr. Ashby).
            score=0.85, group="v", flags=0,
        ),
        RegexRecognizer(
            "pattern:street_corner", "ADDRESS", [corner, corner_second], score=0.75, group="v",
            anchor=r"\d(?:st|nd|rd|th)\b",
        ),
        RegexRecognizer(
            "pattern:street_name_lower", "ADDRESS",
            # "on a brisk morning walk" is an outing, not a street.
            [r"\b(?:on|off|from|along|onto)\s+(?!(?:[a-z]+\s+)?(?:morning|evening|daily|nightly|short|long|brisk|"
             r"nature|little|quick|slow|night|dog|sponsored|charity)\s+walk\b)"
             r"(?P<v>" + _THING_NOT_STREET + r"(?:" + lower_word + r"\s+){1,2}" + suffix + r")\b"
             r"(?!\s+(?:trip|rage|test|map|sign|work|crew|closure|safety)\b)",
             # (round 16) Where one is headed, near or at, its type a long one that is no everyday thing there:
             # "near alameda street", "heading towards carnaby street", "got off at kentish road"; not a drive one
             # saves to ("to google drive", "a usb drive") or a lane one drives in.
             r"\b(?:near|to|towards|toward|at|past|behind|via)\s+(?P<v>" + _THING_NOT_STREET + r"(?:" + lower_word
             + r"\s+){1,2}(?:street|road|avenue|lane|drive|boulevard|parkway|terrace|crescent))\b(?![\w'’-])"
             r"(?!\s+(?:trip|rage|test|map|sign|work|crew|closure|safety|runner|race)\b)",
             r"\b(?:on|off|at|from|along|onto|near|in|to)\s+(?P<v>(?:" + _STREET_FIRST + r"|ulica)"
             + _STREET_PARTICLE + r"\s+" + lower_word + r")\b"],
            score=0.65, group="v", flags=0,
        ),
    ]  # fmt: skip


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# -- names ------------------------------------------------------------------------------------------------

#: Names that are also everyday words: never a NAME on a gazetteer hit alone, only after a cue.
AMBIGUOUS_NAMES = _wordset(
    "will may mark bill grace hope rose jordan april june august faith joy summer dawn chase hunter miles "
    "frank ray guy pat sue art max drew dean gene sandy rich cliff brown green white black young king wood "
    "long hill cook baker hall ward bell lane price page wells mills banks stone fox rice park gray grey west "
    "north day cash love little short sharp strong he do an ye ma du yu ho ly le long ng can lee sun song "
    "hung bo tao han lam nam hai mai bao tam dung guy reed ross cole ford grant hunt hart dunn knight james "
    "thomas henry murray kelly ryan russell marshall mason nelson turner carter parker cooper rogers jack "
    "major august joy ivy amber crystal lily daisy holly iris ruby pearl jade sky storm victoria austin "
    "charlotte virginia georgia madison florence"
)

# Words that end a name span in lowercase text, and are never taken as a name after a cue.
_STOP = _wordset(
    "a an the and or but if so to of in on at by for from with about as into over after before than then i me "
    "my we us our you your he him his she her they them their it its this that these those is am are was were "
    "be been being have has had do does did will would shall should can could may might must not no yes ok "
    "okay um uh hmm well just very really here there now today tomorrow yesterday again also calling call "
    "called speaking talking going coming doing feeling fine good great sure sorry thanks thank please hello "
    "hi hey bye sir madam doctor dr nurse patient who what when where why how which one two three four five "
    "six seven eight nine ten all any some every each other another more most back up down out off still "
    "already always never sometimes about because since while until"
)

_CUE_STRONG = (
    r"(?:maiden|middle|nick) ?name (?:is|was)|name was|my name is|my name's|name is|named|"
    r"doctor|dr\.?|mr\.?|mrs\.?|ms\.?|miss|mister|nurse|prof\.?|professor|"
    r"patient name is|patient's name is|name of|last name|first name|surname|full name|your name|"
    r"last name is|first name is|surname is|full name is|maiden name|middle name|nickname|"
    r"goes by|go by|calls me|call me|known as|registered as|under the name|"
    r"detective|det\.|officer|agent|sergeant|sgt\.?|lieutenant|lt\.|captain|capt\.|inspector|constable|"
    r"judge|senator|councillor|councilman|councilwoman|pastor|reverend|rev\.|rabbi|imam"
)
_CUE_WEAK = (
    r"this is|is this|i'm|i am|it's|he's|she's|patient|spoke with|spoke to|speaking with|talked to|talking to|called|"
    r"son|daughter|wife|husband|mother|father|mom|dad|brother|sister|grandson|granddaughter|grandmother|"
    r"grandfather|partner|friend|fiance|fiancee|cousin|aunt|uncle|niece|nephew|colleague|"
    r"ask for|asked for|dear|hi|hello|hey|thanks|thank you|calling for|call|"
    r"the caller is|caller|reporter|editor|source|paramedic|landlord|neighbou?r|boss|manager|supervisor|"
    r"coworker|co-worker|roommate|tenant|client|producer|lawyer|attorney|teacher|coach|counsel?lor"
)

#: Round 20: a cue that says what one is or what it is ("I'm X", "it's X", "he's X"), not what one is called.
_SELF_CUE_BEFORE = re.compile(r"\b(?:i['’]m|i\s+am|it['’]s|it\s+is|this\s+is|he['’]s|she['’]s)[\s,]*$", re.IGNORECASE)

#: Round 19: an honorific right before a word: it ends no sentence, so the word after it is its name.
_HONORIFIC_BEFORE = re.compile(r"\b(?:mr|mrs|ms|mx|miss|mister|dr|prof)\.?\s+$", re.IGNORECASE)

#: Roles that label a speaker's turn in a transcript ("Agent: ...", "caller yeah ...").
_SPEAKER_ROLES = frozenset({"agent", "caller"})

#: Words that introduce a name but are never one ("Mrs." after "his wife,", "Officer" after "thank you").
_TITLES = _wordset(
    "mr mrs ms mx miss mister dr doctor nurse prof professor detective det officer agent sergeant sgt "
    "lieutenant lt captain capt inspector constable judge senator councillor councilman councilwoman pastor "
    "reverend rev rabbi imam sir madam"
)

#: Spoken/written verbs after a bare name ("Mark asked", "will said"): evidence that an everyday word
#: at that spot is a person.
_SPEECH_VERBS = _wordset(
    "says said asked asks told tells wants wanted thinks thought mentioned explained reported confirmed "
    "agreed replied texted emailed called calls insisted admitted denied recalled added noted"
)

#: Irregular past tenses (the regular ones end in "-ed"), never a name right after a cue in lowercase text:
#: "the doctor gave", "the nurse took", "her son brought".
_PAST_VERBS = _wordset(
    "sent went gave took came saw told made left put kept felt brought bought got ran wrote spoke drew drove "
    "threw found held lost paid read said sat stood heard meant met led fed fell forgot began broke chose "
    "caught taught thought sold slept spent won wore woke understood "
    # round 19: irregular pasts that are given names too ("his wife hung up", "my mother sang")
    "hung sang rang"
)

#: Nouns after an eponym ("Foley catheter", "Babinski sign", "Parkinson disease"): the name is a thing.
_EPONYM_HEADS = _wordset(
    "disease diseases syndrome sign signs catheter catheters reflex test tests scale score maneuver manoeuvre "
    "procedure law effect tube palsy classification criteria fracture operation repair stain node nodes body "
    "bodies cell cells cyst ulcer hernia technique method index equation formula curve valve clamp forceps "
    "needle retractor incision approach position splint collar drain mask phenomenon triad lesion lesions "
    "disorder anomaly malformation dressing bandage boot frame graft shunt stocking stockings sarcoma lymphoma tumor "
    "tumour carcinoma esophagus oesophagus contracture thyroiditis point monitor smear inventory chorea dementia "
    "ataxia dystrophy anemia anaemia aneurysm diet negative positive bilaterally equivocal grade stage"
)

#: Round 20: car makes that are no person's name: a dealer's head ("Lakeshore Honda") or a car's first word ("a grey
#: Nissan Altima").
CAR_MAKES = _wordset("toyota honda nissan hyundai kia subaru mazda volkswagen chevrolet lexus")
#: Words that make a name before them an organisation or a place ("Brannock Logistics", "Ashby Heights",
#: "the Daily Tribune"): a person's name is not followed by them.
_NOT_PERSON_HEADS = (
    _wordset(
        "group inc llc ltd corp corporation company co logistics holdings industries associates partners foundation "
        "insurance bank university college school academy institute hospital clinic medical health healthcare "
        "pharmacy pharmaceuticals labs laboratories motors airlines post times journal tribune herald gazette "
        "heights isle vista points village springs falls beach hills valley junction harbor harbour estates "
        "county township parish street avenue boulevard "
        # round 15: the people of a place or a firm ("said Grant Park staff", "Lakeview Terrace residents")
        "staff employees personnel officials residents "
        # round 16: a town named by its kind ("lives in Foster City", "near Cedar Creek")
        "city creek "
        # round 20: a business named by its trade ("Bluestone Energy", "Norvale Telecom", "Redcliff Credit Union"), a
        # dealer by its make ("Lakeshore Honda"), a funeral home or a care home ("Dunmore Memorial Chapel", "Ashgrove
        # Court"), a hospital by its kind ("St. Agnes General"): a person's name is followed by none of them
        "energy electric gas telecom telecoms wireless communications airways air couriers courier freight shipping "
        "express credit union federal financial capital chapel mortuary memorial cemetery general court life water"
    )
    | CAR_MAKES
)
#: Of those, the ones that are also everyday verbs or nouns ("maria falls at night"): heads only when capitalised.
# (round 16) "city" a form's label in lowercase too ("name jurgen albrecht city leipzig").
_HEADS_IF_CAPITALISED = _wordset(
    "falls springs times post points school health medical co city "
    # round 20: the trades' heads that are everyday words ("her mother's life", "a gas leak", "federal court")
    "gas air express credit union federal capital memorial general court life water"
)


def not_person_head(word: str) -> bool:
    """Whether `word` after a name makes it an organisation or a place (`_NOT_PERSON_HEADS`)."""
    low = fold(word)
    return low in _NOT_PERSON_HEADS and (word[:1].isupper() or low not in _HEADS_IF_CAPITALISED)


#: Surname endings that mark a family name across cultures (Icelandic -sson/-dóttir, Slavic -ovich,
#: Ukrainian -enko, Romanian -escu, Greek -opoulos/-akis, Turkish -oğlu, Persian -zadeh, Polish -wicz,
#: Georgian -shvili, Armenian -yan): unknown surnames still carry these.
_SURNAME_SUFFIXES = (
    "sson", "dottir", "ovich", "evich", "ovna", "evna", "enko", "escu", "opoulos", "akis", "oglu", "zadeh",
    "wicz", "czyk", "shvili", "idze", "adze", "yan", "ski", "dóttir",
)  # fmt: skip


#: Particles inside a name ("Mohammed al Rashid", "Tran Van Minh", "Tomás Ó Néill"): taken only between two
#: name tokens.
NAME_PARTICLES = _wordset("al el bin ibn bint abu van von der den de del della da di du le la ó o mac mc ap ter")
#: Particles that are no everyday word in any language likely to be dictated: after a known name they carry
#: an unknown one ("tomás ó ceallaigh", "ahmed bin khalfan").
_STRONG_PARTICLES = _wordset("ó ibn bin bint abu von mac ap")

#: Letters NFKD does not decompose ("Sigurðsson", "Aydın", "Łukasz", "Søren").
_FOLD_EXTRA = str.maketrans(
    {"ð": "d", "þ": "th", "æ": "ae", "ø": "o", "ł": "l", "ı": "i", "đ": "d", "ß": "ss", "œ": "oe"}
)


@lru_cache(maxsize=4096)
def fold(word: str) -> str:
    """`word` lowercased, without diacritics ("Hernández" -> "hernandez"), for gazetteer look-ups."""
    low = word.lower()
    if low.isascii():
        return low
    low = low.translate(_FOLD_EXTRA)
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


def _read_sections(path: str, sections: tuple[str, ...]) -> list[set[str]]:
    """Whitespace-separated words of a data file, one set per "@section" header, in `sections` order."""
    out: list[set[str]] = [set() for _ in sections]
    target = out[0]
    text = resources.files("core.redaction").joinpath(path).read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("@") and line[1:] in sections:
            target = out[sections.index(line[1:])]
        elif line:
            target.update(w.lower() for w in line.split())
    return out


@lru_cache(maxsize=1)
def load_names() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames), lowercased, from core/redaction/data/names.txt."""
    given, surnames = _read_sections("data/names.txt", ("given", "surname"))
    return frozenset(given), frozenset(surnames)


@lru_cache(maxsize=1)
def load_name_words() -> tuple[frozenset[str], frozenset[str]]:
    """(names that are everyday words, common English words), from core/redaction/data/name_words.txt."""
    ambiguous, common = _read_sections("data/name_words.txt", ("ambiguous", "common"))
    return frozenset(ambiguous), frozenset(common)


class NameRecognizer:
    """Names from context cues ("my name is", "dr") and from given/surname gazetteers.

    A gazetteer hit alone needs a capitalised token in cased text, or in lowercase text a known given name
    that is not an everyday word (or a second name token after it); names that are everyday words need a
    cue, a known surname right after them, or a speech verb ("Mark asked"). Look-ups ignore diacritics
    ("José" is "jose"); particles ("al", "van", "Ó") are taken between two name tokens. A name spelled
    letter by letter after "spelled" / "it's" / "that's" is a NAME too.
    """

    name = "context:name"
    entities = frozenset({"NAME"})
    _word = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
    _cue = guarded(
        re.compile(
            r"(?<![\w'])(?:(?P<strong>" + _CUE_STRONG + r")|(?P<weak>" + _CUE_WEAK + r"))(?!\w)\s*[,:?]?\s+",
            re.IGNORECASE,
        )
    )
    _joint = re.compile(r"['’-]")
    # Four or more single letters ("S A N D B E R G", "s-a-n-d"), after a cue that introduces a spelling.
    # A letter may be said "as in" a word ("W as in William, O J C I K"); a recogniser may put commas between.
    _letter = r"[^\W\d_](?: as in [^\W\d_][\w'’-]*)?"
    _spelled = re.compile(
        r"(?<![\w'’-])(?:" + _letter + r"(?:,? |-| (?:dash|hyphen) )){3,}" + _letter + r"(?![\w-])", re.IGNORECASE
    )
    # Two or three letters ("Wu, W U", "Eze E Z E"): a spelling only when they spell a name just found.
    _short_spelled = re.compile(r"(?<![\w'’-])[^\W\d_](?:,? [^\W\d_]){1,2}(?![\w'’-])")
    _spell_cue = re.compile(
        r"(?:spell(?:ed|s|ing)?(?: (?:it|that|them|this|out))?(?: for (?:you|me))?|spelt|name|name is|that's|"
        r"that is|it's|it is|as in)[\s,:?.]*$",
        re.IGNORECASE,
    )
    _spelled_thing = re.compile(
        r"\b(?:drug|medication|medicine|pill|street|road|avenue|city|town|e-?mail|password|username|code|plate|"
        r"word|company|business|hospital|clinic|pharmacy|website|site)\b",
        re.IGNORECASE,
    )
    _number_after = re.compile(
        r"[\s,:]*(?:\d|(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)\b)", re.IGNORECASE
    )
    _determiners = _wordset("the a an his her my your our their this that its no any some every")

    def __init__(self, *, word_not_name: Callable[[str], bool] | None = None) -> None:
        """`word_not_name` (round 19, the name tagger's lexicon when the product has it): whether a lowercase word is an
        English word and no name ("licence", "helpline", "given"). Lowercase text has no sentence ends, so a role
        that closes one sentence ("... signed by the registered nurse") read the next sentence's first word as its
        name ("nurse licence number ...", "no surname given says ..."); the project's short list of common words
        (`load_name_words`) cannot name every such word. An honorific ("mrs", "dr") ends no sentence: after it any
        word is still taken."""
        self._word_not_name = word_not_name
        self._given, self._surnames = load_names()
        self._regions = load_places()[2]
        self._all = self._given | self._surnames
        extra, self._common = load_name_words()
        # A name that is also a common English word is gated like "will" and "grace".
        self._ambiguous = AMBIGUOUS_NAMES | extra | (self._all & self._common)

    def _known(self, low: str) -> bool:
        """In a gazetteer, whole or as a compound ("al-hassan", "o'malley", "smith-jones"), or a surname by
        its ending ("Sigurðsson", "Kovalenko")."""
        if low in self._all or self._suffix_surname(low):
            return True
        if low.endswith(("'s", "’s")):  # possessive: "Rahimi's call"
            # round 20: not a pronoun's contraction ("He's Bartholomew ...": "he" is a surname too, "he's" is not)
            return low[:-2] not in _STOP and self._known(low[:-2])
        if "-" in low or "'" in low or "’" in low:
            parts = self._joint.split(low)
            last = parts[-1]
            known_last = last in self._all or self._suffix_surname(last)
            return known_last and all(p in self._all or p in NAME_PARTICLES for p in parts[:-1])
        return False

    def _no_name(self, low: str) -> bool:
        """Round 19: an English word and no name, by the tagger's lexicon when the detector has one."""
        return self._word_not_name is not None and self._word_not_name(low)

    @staticmethod
    def _suffix_surname(low: str) -> bool:
        """A family name by its ending; seven letters at least, so "lesson" is not "-sson"."""
        return len(low) >= 7 and low.endswith(_SURNAME_SUFFIXES)

    def _is_surname(self, low: str) -> bool:
        return low in self._surnames or self._suffix_surname(low)

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        words = [(m.start(), m.end(), m.group()) for m in self._word.finditer(text)]
        if not words:
            return []
        capitalised = sum(1 for _, _, w in words if w[0].isupper())
        cased = capitalised * 50 >= len(words)
        # One pass for every cue; a cue applies to the word that starts where it ends.
        cues = {
            m.end(): "strong" if m.group("strong") else "weak"
            for m in self._cue.finditer(text)
            if not self._speaker_label(text, m, cased=cased) and not self._asked_across(m)
        }
        out: list[Entity] = []
        i = 0
        n = len(words)
        while i < n:
            start, _end, w = words[i]
            low = fold(w)
            cue = cues.get(start)
            taken = 0
            score = 0.0
            if cue is not None:
                taken = self._take_after_cue(text, words, i, cued=cue, cased=cased)
                score = 0.85 if cue == "strong" else 0.75
            if not taken and self._known(low):
                if low not in self._ambiguous:
                    taken, score = self._take_gazetteer(text, words, i, cased=cased)
                elif low in self._given and (
                    self._surname_follows(text, words, i, cased=cased)
                    or self._verb_follows(text, words, i, cased=cased)
                ):
                    # "Grace O'Malley", "Mark asked": an everyday word as a given name, proven by what follows.
                    taken, score = 1 + self._continue(text, words, i, cased=cased, strong=False), 0.7
            elif not taken and cased and self._unknown_before_surname(text, words, i):
                taken, score = 1 + self._continue(text, words, i, cased=True, strong=False), 0.7
            # After a strong cue ("Dr.") the words are a person's; after a weak one ("this is") they may be a
            # firm's or a place's ("this is Brookfield Pharmacy").
            if taken and cue != "strong" and self._not_a_person(text, words, i, i + taken):
                taken = 0
            if taken:
                out.append(Entity("NAME", start, words[i + taken - 1][1], score, self.name))
                i += taken
            else:
                i += 1
        return out + self._find_spelled(text, view, out)

    @staticmethod
    def _asked_across(cue: re.Match[str]) -> bool:
        """Round 17: a cue that ends a question ("send it to my sister? Absolutely.", "a better time to call? Early
        morning"): the words after the question mark answer it and open the next turn, no name the cue gives. Only
        the kind of name asked for is answered by one ("Your surname? Okafor.")."""
        return "?" in cue.group() and "name" not in cue.group().lower()

    def _speaker_label(self, text: str, cue: re.Match[str], *, cased: bool) -> bool:
        """ "Agent:" / "Caller:" opening a line or a sentence names who speaks, not the word after it; a
        form's "Name:" still introduces a name. Lowercase text has lost the colon: there a speaker's role
        word opening the utterance is a label unless a known name follows ("agent let me check")."""
        said = cue.group().rstrip()
        if not _sentence_start(text, cue.start()):
            return False
        if said.endswith(":"):
            return "name" not in said.lower()
        if cased or said.lower() not in _SPEAKER_ROLES:
            return False
        nxt = self._word.match(text, cue.end())
        return nxt is not None and not self._known(fold(nxt.group()))

    def _find_spelled(self, text: str, view: SpokenView, found: list[Entity]) -> list[Entity]:
        """Letter-by-letter spellings after a cue ("that's S A N D B E R G") or right after a name found
        ("Mr. Kaczmarek, k a c z m a r e k"); not before digits, which make it an ID."""
        out: list[Entity] = []
        for m in self._spelled.finditer(text):
            after_name = any(0 <= m.start() - e.end <= 4 for e in found)  # "Wojcik, W O J ..." / "Wojcik w o j"
            if not after_name and not self._spell_cue.search(text, max(0, m.start() - 20), m.start()):
                continue
            if self._spelled_thing.search(text, max(0, m.start() - 80), m.start()):
                continue  # "spell the drug name": a thing, not a person
            # A name found inside the spelling ("W as in William") gives way to it; one around it does not.
            inside = " as in " in m.group().lower()
            overlaps = [e for e in found if e.start < m.end() and m.start() < e.end]
            if self._number_after.match(text, m.end()) or any(
                not (inside and m.start() <= e.start and e.end <= m.end()) for e in overlaps
            ):
                continue
            out.append(Entity("NAME", m.start(), m.end(), 0.8, self.name))
        return out + self._find_short_spelled(text, [*found, *out])

    def _find_short_spelled(self, text: str, found: list[Entity]) -> list[Entity]:
        """ "Eze, E Z E", "Wu Lan, that's W U": two or three letters that spell a word of a name found
        just before (within a few words), and overlap nothing found."""
        out: list[Entity] = []
        for m in self._short_spelled.finditer(text):
            letters = "".join(ch for ch in m.group() if ch.isalpha()).lower()
            if any(e.start < m.end() and m.start() < e.end for e in found):
                continue
            before = [e for e in found if 0 <= m.start() - e.end <= 30]
            if any(letters == fold(w) for e in before for w in self._word.findall(text, e.start, e.end)):
                out.append(Entity("NAME", m.start(), m.end(), 0.8, self.name))
        return out

    def _not_a_person(self, text: str, words: list[tuple[int, int, str]], i: int, j: int) -> bool:
        """A gazetteer hit that is an eponym ("Foley catheter", "Babinski sign"), part of an e-mail
        address ("mei dot chen at example dot com", "mei.chen@"), or follows "Saint"/"St.": a place or a
        church ("Saint Mary's", "St. Thomas' Hospital"), not a person; nor is one before or holding an
        organisation's or a place's head ("Brannock Logistics"), or a capitalised word after an article
        ("the Hickman came out")."""
        if j < len(words) and (fold(words[j][2]) in _EPONYM_HEADS or not_person_head(words[j][2])):
            return True
        if any(not_person_head(w) for _, _, w in words[i + 1 : j]):
            return True  # "Brannock Medical Group" taken whole
        if i > 0 and fold(words[i - 1][2]) in ("saint", "st") and text[words[i - 1][1] : words[i][0]] in (" ", ". "):
            return True
        if i > 0 and words[i - 1][2] in ("the", "a", "an", "The", "A", "An") and words[i][2][0].isupper():
            return True  # "the Hickman came out", "a Dyson fan": a thing named after someone
        if (j < len(words) and words[j][2].lower() == "dot") or (i > 0 and words[i - 1][2].lower() == "dot"):
            return True
        after = text[words[j - 1][1] : words[j - 1][1] + 2]
        return after[:1] == "@" or (after[:1] == "." and after[1:].isalpha())

    def _unknown_before_surname(self, text: str, words: list[tuple[int, int, str]], i: int) -> bool:
        """Cased "Chidinma Okafor": an unknown capitalised word directly before a known surname."""
        w = words[i][2]
        low = w.lower()
        if i + 1 >= len(words) or not w[0].isupper() or w.isupper() or len(w) < 3:
            return False
        if low in _STOP or low in _TITLES or low in self._common or low in MONTH_WORDS:
            return False
        nxt = words[i + 1][2]
        nlow = fold(nxt)
        if text[words[i][1] : words[i + 1][0]] != " " or not nxt[0].isupper() or nlow in self._ambiguous:
            return False
        return self._is_surname(nlow)

    def _verb_follows(self, text: str, words: list[tuple[int, int, str]], i: int, *, cased: bool) -> bool:
        """ "Mark asked me", "will said": a speech verb right after, and no determiner before ("the rose")."""
        if i + 1 >= len(words) or text[words[i][1] : words[i + 1][0]] != " ":
            return False
        if cased and not words[i][2][0].isupper():
            return False
        if i > 0 and words[i - 1][2].lower() in self._determiners:
            return False
        return words[i][2].lower() not in _STOP and words[i + 1][2].lower() in _SPEECH_VERBS

    def _surname_follows(self, text: str, words: list[tuple[int, int, str]], i: int, *, cased: bool) -> bool:
        if i + 1 >= len(words) or text[words[i][1] : words[i + 1][0]] != " ":
            return False
        w = words[i + 1][2]
        low = fold(w)
        if cased and not (words[i][2][0].isupper() and w[0].isupper()):
            return False
        return low not in self._ambiguous and low not in _STOP and self._known(low) and self._is_surname(low)

    def _name_like(self, w: str, *, cased: bool) -> bool:
        low = w.lower()
        if low in _STOP or low in _TITLES or len(w) < 2 or (low in MONTH_WORDS and low.endswith("day")):
            return False
        if _number_word(low):  # "a nurse twenty two years": a number after the cue, never a name
            return False
        if not cased and low in _PAST_VERBS:  # "the doctor gave her a sling": the cue's own verb
            return False
        if self._joint.split(low, maxsplit=1)[0] in _STOP:  # "I'm", "it's", "you're": contractions
            return False
        return w[0].isupper() if cased else True

    def _take_after_cue(self, text: str, words: list[tuple[int, int, str]], i: int, *, cued: str, cased: bool) -> int:
        w = words[i][2]
        if cued == "strong" and self._initial_and_surname(text, words, i, cased=cased):
            return 2
        if not self._name_like(w, cased=cased):
            return 0
        low = fold(w)
        known = self._known(low)
        if cued == "weak":
            # A weak cue ("this is", "son") needs the gazetteer, or a capital letter in cased text.
            if cased and low in self._ambiguous and low not in self._given:
                return 0
            if not cased and (not known or low in self._ambiguous):
                return 0
            if cased and not known and w.isupper():
                return 0
            if (
                cased
                and not known
                and (self._no_name(low) or low in MONTH_WORDS or low in self._regions)
                and _SELF_CUE_BEFORE.search(text, max(0, words[i][0] - 12), words[i][0]) is not None
            ):
                # round 20: "I'm Finnish", "it's November 3rd", "it's Ohio": a nationality, a month or a region is
                # capitalised too, and saying what one is or what it is gives it no name's use; the lexicon and the
                # lists say what the capital does not (a nickname given is still one: "we called him Stretch")
                return 0
        elif not cased and not known:
            # round 20: a word's possessive or contraction is read by its word ("the doctor number's 555-...")
            stem = low[:-2] if low.endswith(("'s", "’s")) else low
            if (
                stem.endswith(("ing", "ed", "ly"))
                or len(stem) < 3
                or stem in self._common
                or (self._no_name(stem) and not _HONORIFIC_BEFORE.search(text, max(0, words[i][0] - 10), words[i][0]))
            ):
                return 0
        return 1 + self._continue(text, words, i, cased=cased, strong=cued == "strong")

    def _initial_and_surname(self, text: str, words: list[tuple[int, int, str]], i: int, *, cased: bool) -> bool:
        """Round 19: an initial and a surname of the lists after a strong cue ("in the name of J. Ortega", "surname
        is k lindahl"): one letter is no name by itself (`_name_like`), so the surname was lost with it. In lowercase
        no "a" or "i", an article's or a pronoun's letter ("the name of a fund")."""
        w = words[i][2]
        if len(w) != 1 or not w.isalpha() or i + 1 >= len(words):
            return False
        if text[words[i][1] : words[i + 1][0]] not in (" ", ". "):
            return False
        nxt = words[i + 1][2]
        low = fold(nxt)
        if cased and not (w.isupper() and nxt[:1].isupper() and not nxt.isupper()):
            return False
        if not cased and w in ("a", "i"):
            return False
        return self._is_surname(low) and low not in self._ambiguous and low not in _STOP

    def _take_gazetteer(
        self, text: str, words: list[tuple[int, int, str]], i: int, *, cased: bool
    ) -> tuple[int, float]:
        w = words[i][2]
        low = fold(w)
        if cased:
            if not w[0].isupper() or (w.isupper() and len(w) > 1):  # "AMA", "ASA": acronyms
                return 0, 0.0
            more = self._continue(text, words, i, cased=True, strong=False)
            if more:
                return 1 + more, 0.8
            if low in self._given:
                return 1, 0.6
            # A lone surname that opens a sentence is too often a word; elsewhere a capital is evidence.
            if not _sentence_start(text, words[i][0]):
                return 1, 0.5
            return 0, 0.0
        more = self._continue(text, words, i, cased=False, strong=False)
        if more and low in self._given:
            return 1 + more, 0.7
        # Family name first ("tran van minh", "zhang wei"): a surname, then a known given name.
        if more and self._is_surname(low) and low not in self._given:
            nxt = fold(words[i + more][2])
            if nxt in self._given and nxt not in self._ambiguous:
                return 1 + more, 0.65
        # A lone given name that is no everyday word ("call tariq", "granddaughter sunniva").
        if low in self._given and len(low) >= 3:
            return 1, 0.55
        return 0, 0.0

    def _continue(self, text: str, words: list[tuple[int, int, str]], i: int, *, cased: bool, strong: bool) -> int:
        """How many name tokens directly follow words[i] (at most 2, plus particles), one space apart."""
        taken = 0
        j = i + 1
        names = 0
        while names < 2 and j < len(words):
            gap = text[words[j - 1][1] : words[j][0]]
            if gap not in (" ", ". ") or (gap == ". " and len(words[j - 1][2]) != 1):
                break
            w = words[j][2]
            low = fold(w)
            if low in NAME_PARTICLES and j + 1 < len(words) and text[words[j][1] : words[j + 1][0]] == " ":
                # A particle counts only when a name token follows it.
                nxt = words[j + 1][2]
                nlow = fold(nxt)
                carried = w.lower() in _STRONG_PARTICLES and self._known(fold(words[j - 1][2]))
                lower_ok = self._known(nlow) or strong or carried
                ok = nlow not in _STOP and (nxt[0].isupper() if cased else lower_ok)
                if ok and len(nlow) >= 2 and nlow not in NAME_PARTICLES:
                    taken += 2
                    names += 1
                    j += 2
                    continue
            if low in _STOP or low in _TITLES or _number_word(low):  # "mrs okafor ninety-six": an age
                break
            if ("'" in low or "’" in low) and self._joint.split(low, maxsplit=1)[0] in _STOP:
                break  # "agent pruitt i'm denise pruitt": a contraction starts a new clause (round 8)
            if cased and (not w[0].isupper() or low in MONTH_WORDS):
                break
            if len(w) == 1 and j + 1 < len(words) and len(words[j + 1][2]) == 1:
                break  # "Dagny D A G N Y": a spelling starts, not a middle initial
            weak_lower = not self._known(low) or (low in self._ambiguous and not self._is_surname(low))
            unknown_ok = strong and not names and not low.endswith(("ing", "ed", "ly")) and len(low) >= 3
            if not cased and weak_lower and (not unknown_ok or low in self._common or self._no_name(low)):
                break  # round 19: "dr mwangi starts in ten minutes": the next clause's verb, no second name
            taken += 1
            names += 1
            j += 1
        return taken


def _number_word(low: str) -> bool:
    """A number said as a word, hyphenated or not ("twenty", "ninety-six")."""
    return low in _NUMBER_WORDS or low.partition("-")[0] in _NUMBER_WORDS


MONTH_WORDS = _wordset(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday"
)


def _sentence_start(text: str, start: int) -> bool:
    j = start - 1
    while j >= 0 and text[j] in " \t\"'(":
        j -= 1
    return j < 0 or text[j] in ".!?\n:"


class TermList:
    """User terms, matched case- and spacing-insensitively on the original text."""

    def __init__(self, terms: Iterable[str], entity_type: str = "NAME", *, name: str = "terms:user") -> None:
        cleaned = sorted({" ".join(t.split()).lower() for t in terms if t.strip()}, key=len, reverse=True)
        self.name = name
        self.entity_type = entity_type
        self.entities = frozenset({entity_type})
        alternatives = [r"\s+".join(re.escape(part) for part in t.split(" ")) for t in cleaned]
        self._regex = (
            re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE) if alternatives else None
        )

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        if self._regex is None:
            return []
        return [Entity(self.entity_type, m.start(), m.end(), 1.0, self.name) for m in self._regex.finditer(text)]
