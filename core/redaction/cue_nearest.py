"""Which identifier a number is, when rules give the same digits two types (issue 23, round 12).

Each cued rule reads its own cue, some of them many words back ("on the account, his social ends in 3019":
the account's "ending" rule and the social's both fire; "the phone-banking passcode is 818144, 6 digits": a
phone's shape and the PIN's cue). The cue nearest the digits names them, before them or just after them
("4471, that's my PIN"). A bare noun that is the object of a verb or a preposition says what the number is for
or whose it is, and names nothing ("... your social security number so I can pull up the policy? 951 27 4430";
"the one you set up when you opened the account. 1 9 9 0"; "he is also on the account").

A cue said right after the number names it even against its one rule ("A 4471902... sorry, that's the
hospital MRN"; "4 4 7 1, that's my social").

`prefer_nearest_cue` gives every find of a group of overlapping identifier finds the type with the nearest cue;
`core.redaction.overlaps.resolve_overlaps` then keeps the longest of them, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.redaction.id_tagger import ID_TAGGER
from core.redaction.recognizers import _INSURER, CHOSEN_CODE
from core.redaction.restated import digit_count
from core.redaction.types import Entity

# Per type: (cues that name the identifier, bare nouns that may only say what it is for).
_CUES: dict[str, tuple[str, str]] = {
    "SSN": (r"social security|social|soc sec|ssns?|ss number|itin|tax id", r"(?!)"),
    # A carrier's port-out PIN: "I want to port my number", "the transfer PIN".
    "PIN": (
        r"pins?|passcodes?|pass codes?|personal identification number|banking code|port(?:ing)? (?:my|the|his|her|our|"
        r"your|their) (?:number|line)|port[- ]out|number transfer|(?:tele)?phone banking|voice ?mail (?:password|code)|"
        + CHOSEN_CODE,
        r"(?!)",
    ),
    "ACCOUNT_NUMBER": (r"account (?:number|no|#)|acct|routing", r"accounts?|checking|savings"),
    "HEALTH_PLAN_ID": (
        r"member (?:id|number)|subscriber|policy (?:number|id)|medicaid|medicare|insurance (?:id|number)|plan id|"
        # "Blue Cross member ...": an insurer's member.
        + _INSURER
        + r" member",
        r"policy|plan|insurance",
    ),
    "MEDICAL_RECORD_NUMBER": (r"mrn|m r n|medical record number|chart number|record number|hospital number", r"chart"),
    # Round 20: not a phone's "area code".
    "CREDIT_DEBIT_CVV": (r"cvv2?|cvc2?|cid|cvn|csc|security code|code on the back", r"(?<!area )code"),
    "CREDIT_DEBIT_NUMBER": (r"card number|visa|mastercard|amex|discover|debit card|credit card", r"card"),
    # Round 17: "can be reached on", "her contact number", "the line ending in".
    "PHONE": (
        r"phone|cell|mobile|telephone number|callback|call back|reach (?:me|him|her|us)|reached (?:on|at)|"
        r"contact number|line (?:ending|ends)|area code",
        r"(?!)",
    ),
    "FAX": (r"fax", r"(?!)"),
    # A commercial driver's licence (CDL) is one, and a clinician's number on a national register (GMC, NMC, ...).
    "LICENSE_NUMBER": (r"licen[cs]e(?! plate)|dea|npi|permit|cdl|gmc|nmc|hcpc|gphc|ahpra", r"(?!)"),
    "DEVICE_ID": (r"serial|imei|device id|transmitter|meter (?:number|id)|telemetry", r"device"),
    # Not "registration" alone: a DEA registration is a licence's.
    "VEHICLE_ID": (r"plates?|vin|tag number|vehicle registration", r"car|vehicle"),
}
_STRONG = {t: re.compile(r"\b(?:" + s + r")\b", re.IGNORECASE) for t, (s, _) in _CUES.items()}
_WEAK = {t: re.compile(r"\b(?:" + w + r")\b", re.IGNORECASE) for t, (_, w) in _CUES.items()}
_PHONE_WRITTEN = re.compile(r"\(\d{3}\)|\b\d{3}[\s.-]\d{3}[\s.-]\d{4}\b|\b\d{3}-\d{4}\b")
_BEFORE = 160
_AFTER = 40
_SENTENCE_AFTER = 100


# Before a bare noun: a verb or a preposition whose object it is, the noun maybe qualified ("the PIN on the brokerage
# account is ...", "the passcode for my joint checking account").
_OBJECT_OF = re.compile(
    r"\b(?:open|opened|opening|pull up|pulled up|look up|looked up|find|found|access|check|checked|verify|locate|"
    r"update|close|closed|set up|on|in|under|to|into|from|with|about|for)\s+(?:the|your|my|his|her|their|a|an|this|"
    r"that|our)\s+(?:(?!(?:is|was|are|were|number|no)\b)[a-z'’-]+\s+){0,2}$",
    re.IGNORECASE,
)


def _distance(
    text: str, etype: str, start: int, end: int, after_window: int = _AFTER, *, bare: bool = True
) -> int | None:
    """How far the nearest cue of `etype` stands from the span: before it (within `_BEFORE` characters, with no
    other number said between, `_spent`) or right after it (within `_AFTER`, said of it, `_said_of`). None: no
    cue."""
    best: int | None = None
    for regex, is_bare in ((_STRONG[etype], False), (_WEAK[etype], True)) if bare else ((_STRONG[etype], False),):
        for m in regex.finditer(text, max(0, start - _BEFORE), start):
            if is_bare and (
                _OBJECT_OF.search(text, max(0, m.start() - 30), m.start()) or _modifies(text, etype, m.end())
            ):
                continue
            if _spent(text, m.end(), start):
                continue
            d = start - m.end()
            best = d if best is None else min(best, d)
        after = regex.search(text, end, min(len(text), end + after_window))
        if (
            after is not None
            and not (is_bare and _OBJECT_OF.search(text, max(0, after.start() - 30), after.start()))
            and _said_of(text, end, after, bare=is_bare)
        ):
            d = after.start() - end
            best = d if best is None else min(best, d)
    return best


# Round 17, scenes: a cue names the numbers said after it until another thing is named with its own number ("the
# record number is 7 7 3 0 0 9 1 2, contact number is 5 5 5 ..."): a list ("... for example A, B and C"), a
# restatement ("... so 3939", "let me confirm ..."), a correction ("..., not ..."), a pronoun's ("mine is 88 14 and
# hers is 07 63") or another one's ("the old one from Oregon was ...") is still the cue's.
_DIGIT = r"(?:\d+|zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)"
_NUMBER = re.compile(r"\b" + _DIGIT + r"(?:[\s,./-]+" + _DIGIT + r"){2,}\b|\b\d{3,}\b", re.IGNORECASE)
_NEW_SUBJECT = re.compile(
    r"\b(?!(?:mine|hers|his|theirs|yours|ours|it|that|this|one|which|what|who|there|here|sorry|no|yes|yeah|so|"
    r"well|or|and|but|then|now|also|just|actually|wait)\b)[^\W\d_]+\s+(?:is|was|are|were)\b",
    re.IGNORECASE,
)

_ONE = re.compile(r"\bones?\b", re.IGNORECASE)


def _spent(text: str, cue_end: int, start: int) -> bool:
    """Between a cue and the span, after another number, another thing is named ("contact number is")."""
    numbers = list(_NUMBER.finditer(text, cue_end, start))
    if not numbers:
        return False
    last = numbers[-1]
    # "the old one from Oregon was ...": still the cue's kind.
    return any(
        _ONE.search(text, max(last.end(), m.start() - 30), m.start()) is None
        for m in _NEW_SUBJECT.finditer(text, last.end(), start)
    )


# After a number, a cue names it only when said of it ("4471, that's my PIN", "5 5 1 7 is her social", "... sorry,
# that's the MRN"): not across a sentence's end ("... 0 1 5 8. Medicaid ID on the card ...") nor when the cue
# heads a value of its own ("... 0 1 5 8 medicaid id on the card is 4471", "... policy form is HO-3").
_SENTENCE_BREAK = re.compile(r"[.?!]\s+[A-Z]")
_HEADS_VALUE = re.compile(
    r"(?:(?:\s+(?!is\b|was\b)[\w'’-]+){0,4}?\s*(?:\s(?:is|was|are)\b|:)|(?:\s+(?:number|no|id|#))?[\s,]*)\s*"
    r"(?:" + _DIGIT + r"\b|[a-z]{1,3}[\s-]?\d)",
    re.IGNORECASE,
)


def _said_of(text: str, end: int, cue: re.Match[str], *, bare: bool) -> bool:
    """The cue right after a number is said of it; a bare noun only as "..., that's the card" (not "..., the card is
    in her name")."""
    if _THATS.fullmatch(text, end, cue.start()):
        return True
    if bare:
        return False
    if _SENTENCE_BREAK.search(text, end, cue.start() + 1):
        return False
    return _HEADS_VALUE.match(text, cue.end(), min(len(text), cue.end() + 60)) is None


def _modifies(text: str, etype: str, end: int) -> bool:
    """A bare noun right before another type's cue qualifies it ("your account PIN", "the savings account's
    routing"), or heads another thing ("the plan of care"): it names nothing itself."""
    rest = text[end : end + 40]
    if not rest.startswith(" "):
        return False
    # Round 17: a noun of something else ("the updated plan of care", "the policy of the clinic").
    if rest.startswith((" of ", " for ")):
        return True
    return any(regex.match(rest, 1) for t, regex in _STRONG.items() if t != etype)


# Right after a number, what it is: "..., that's my social", "H 2 2 0 4 1 7 7... sorry, that's the hospital MRN".
_THATS = re.compile(
    r"[\s,.…]*(?:(?:no|sorry|wait|oh|uh|um)[\s,.]+)*(?:that's|that is|which is|it's|that was)\s+"
    r"(?:the|my|his|her|their|our|your|a)\s+(?:[a-z'’-]+\s+)?",
    re.IGNORECASE,
)


def _named_after(text: str, e: Entity) -> str | None:
    """The type a "that's my <cue>" right after the find names, if another."""
    m = _THATS.match(text, e.end)
    if m is None:
        return None
    for etype, regex in _STRONG.items():
        if etype != e.type and regex.match(text, m.end()):
            return etype
    return None


def _retype_guess(out: list[Entity], group: list[int], text: str) -> None:
    """The trained tagger's guess, with no cue of its type near and another type's cue in its sentence ("It's 5151,
    and ..., I want to port my number": a port-out PIN, not a card's code), takes that type. Only a cue that names an
    identifier retypes it: a bare "card" or "account" says too little."""
    own = out[group[0]].type
    start = min(out[i].start for i in group)
    end = max(out[i].end for i in group)
    if _distance(text, own, start, end, _SENTENCE_AFTER) is not None:
        return
    ranked = sorted(
        (d, t)
        for t in _CUES
        if t != own and (d := _distance(text, t, start, end, _SENTENCE_AFTER, bare=False)) is not None
    )
    if ranked and (len(ranked) == 1 or ranked[0][0] < ranked[1][0]):
        for i in group:
            e = out[i]
            out[i] = Entity(ranked[0][1], e.start, e.end, e.score, e.detector)


def prefer_nearest_cue(found: Sequence[Entity], text: str) -> list[Entity]:
    """`found` with each group of overlapping identifier finds of two or more types given the nearest-cued type."""
    out = list(found)
    idx = sorted((i for i, e in enumerate(out) if e.type in _CUES), key=lambda i: (out[i].start, out[i].end))
    groups: list[list[int]] = []
    reach = -1
    for i in idx:
        if groups and out[i].start < reach:
            groups[-1].append(i)
            reach = max(reach, out[i].end)
        else:
            groups.append([i])
            reach = out[i].end
    for group in groups:
        types = {out[i].type for i in group}
        if len(types) == 1 and (named := _named_after(text, out[group[-1]])) is not None:
            for i in group:
                e = out[i]
                out[i] = Entity(named, e.start, e.end, e.score, e.detector)
            continue
        if len(types) == 1 and all(out[i].detector == ID_TAGGER for i in group):
            _retype_guess(out, group, text)
            continue
        if len(types) < 2:
            continue
        # A number written as a phone's ("(713) 555-0115", "555-0147") is one by its shape: "the account holder's
        # number is ..." names no account.
        if any(
            e.type in ("PHONE", "FAX") and _PHONE_WRITTEN.search(text, e.start, e.end)
            for e in map(out.__getitem__, group)
        ):
            continue
        start = min(out[i].start for i in group)
        end = max(out[i].end for i in group)
        # Round 17: a card's code has three or four digits; a longer number read back near its cue is no code.
        if "CREDIT_DEBIT_CVV" in types and all(
            digit_count(text[out[i].start : out[i].end]) > 4 for i in group if out[i].type == "CREDIT_DEBIT_CVV"
        ):
            types.discard("CREDIT_DEBIT_CVV")
            if len(types) == 1:
                _retype(out, group, types.pop())
                continue
        ranked = sorted((d, t) for t in types if (d := _distance(text, t, start, end)) is not None)
        if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
            continue
        _retype(out, group, ranked[0][1])
    return out


def _retype(out: list[Entity], group: list[int], winner: str) -> None:
    for i in group:
        e = out[i]
        if e.type != winner:
            out[i] = Entity(winner, e.start, e.end, e.score, e.detector)
