"""The trained identifier tagger: a linear-chain CRF (python-crfsuite) that tags structured identifiers (social
security, record, member, account, card, CVV, expiry, PIN, licence, vehicle and device numbers) by the cue
family before them and the shape of the tokens (issue 23, round 8).

This module owns the tokenisation and the features, so that the training recipe
(`models/training/ids_train.py`) and the product compute exactly the same ones. It never reads a file: the
composition root hands it the model's bytes after checking them against the manifest
(`models.name_tagger.load_id_tagger`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from core.errors import ModelError
from core.redaction.name_tagger import Token, shape
from core.redaction.spoken import NATO, SpokenView
from core.redaction.types import Entity

ID_TYPES: tuple[str, ...] = (
    "SSN", "MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_ID", "ACCOUNT_NUMBER", "CREDIT_DEBIT_NUMBER",
    "CREDIT_DEBIT_CVV", "CREDIT_DEBIT_EXPIRY", "PIN", "LICENSE_NUMBER", "VEHICLE_ID", "DEVICE_ID",
)  # fmt: skip
LABELS: tuple[str, ...] = ("O", *(f"{p}-{t}" for t in ID_TYPES for p in ("B", "I")))
#: The detector name of the tagger's finds: `core.redaction.overlaps.combine` lets the rules' other types win.
ID_TAGGER = "crf:id"
#: A span counts when each of its tokens has at least this marginal probability of its label. Chosen in issue 23's
#: round 8 (bench/RESULTS.md): 0.5 and 0.7 found 1-2 more identifiers per set for 1-5 more false ones.
MIN_PROBABILITY = 0.85
#: How many words (not counting the identifier-shaped tokens between: a read-back follows a long value) the cue
#: window reaches back, and forward.
LEFT_WINDOW = 10
RIGHT_WINDOW = 5
#: How far before a sentence with an identifier-shaped run its tagging window starts, at most.
LOOKBACK_TOKENS = 24
_MAX_CHUNK_TOKENS = 120

#: Words ("x-ray" and "driver's" whole), runs of letters and digits ("XLW1"), single marks; digit groups joined
#: by dashes are tokens apart ("123", "-", "45"), so that any grouping reads alike.
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)+\b|[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")

#: Words that name an identifier's kind, by family. "neg" are the numbers that are no identifier of these
#: types (orders, claims, rooms, doses...); "gen" say only that a number follows.
CUE_FAMILIES: dict[str, tuple[str, ...]] = {
    "ssn": ("social", "ssn", "soc", "ss", "w-2", "taxpayer"),
    "mrn": ("mrn", "medical", "record", "records", "chart", "hospital", "patient", "patient's", "emr",
            "clinic", "med", "rec", "epic", "admitted", "encounter"),
    "plan": ("member", "insurance", "policy", "subscriber", "medicare", "medicaid", "mbi", "plan", "beneficiary",
             "recipient", "cross", "shield", "aetna", "cigna", "humana", "insurer", "carrier", "coverage",
             "supplement", "hmo", "ppo", "tricare", "enrollee", "medi-cal"),
    "acct": ("account", "acct", "checking", "savings", "iban", "loan", "billing", "bank", "brokerage", "mortgage",
             "routing", "autopay", "balance", "deposit", "transfer", "utility"),
    "card": ("card", "visa", "mastercard", "amex", "discover", "debit", "credit", "front", "sixteen", "hsa",
             "declined"),
    "cvv": ("cvv", "cvc", "cvv2", "back", "verification", "code", "cid", "signature"),
    "exp": ("expiration", "expiry", "expires", "expire", "exp", "valid", "thru", "through", "good"),
    "pin": ("pin", "passcode", "pins", "passcodes", "access", "chose", "chosen"),
    "sec": ("security",),
    "lic": ("license", "licence", "driver's", "drivers", "driving", "dl", "dea", "npi", "permit", "cdl", "nursing",
            "prescriber", "issued", "learner's"),
    "veh": ("vin", "vehicle", "plate", "plates", "tag", "car", "car's", "truck", "truck's", "registration", "sedan",
            "dashboard", "auto", "tags"),
    "dev": ("serial", "device", "imei", "pacemaker", "pump", "pump's", "implant", "asset", "cpap", "defibrillator",
            "meter", "monitor", "equipment", "hearing", "aid", "phone's", "interrogated", "sn"),
    # Not cues: "unit" (an address's "Unit 14", "4 units"), "charge" and "pay" (an amount follows them); nor is
    # "mr" (a title far more often than "MR number").
    "neg": ("order", "claim", "ticket", "case", "confirmation", "reference", "lot", "group", "invoice", "tracking",
            "authorization", "appointment", "batch", "model", "booking", "incident", "rma", "job", "queue", "request",
            "referral", "prescription", "rx", "flight", "room", "bed", "extension", "dose", "mg", "milligrams",
            "mcg", "units", "ml", "tablets", "pills", "dollars", "cents", "pounds", "percent", "over", "pulse",
            "temperature", "weight", "height", "age", "aged", "years", "year", "months", "days", "hours", "minutes",
            "am", "pm", "o'clock", "score", "out", "page", "version", "step", "grade", "level", "floor", "suite",
            "apartment", "street", "route", "highway", "zip", "unit", "charge", "charged", "pay", "phone", "call",
            "fax", "email", "born", "birth", "dob", "cpt", "icd", "ndc", "bin", "pcn", "billing", "superbill", "hcpcs",
            "loinc", "thousand", "excess", "deductible", "accession", "specimen", "limit", "copay", "owe", "owed",
            "due"),
    "gen": ("number", "numbers", "id", "no", "identifier", "digits", "last", "four", "ending", "ends", "ended",
            "on", "file", "is", "it's", "that's"),
}  # fmt: skip
CUE_FAMILY: dict[str, str] = {w: fam for fam, words in CUE_FAMILIES.items() for w in words}
#: Families that name no identifier type: a window with only these is not tagged.
_NOT_CUES = frozenset({None, "gen", "neg"})
#: The words a cue window shows by name as well as by family (the rest of the window is not shown).
_NAMED_CUES = frozenset(CUE_FAMILY) - set(CUE_FAMILIES["gen"])

_REPEATS = frozenset({"double", "triple"})
_NATO = frozenset(NATO)
_FILLERS = frozenset({"uh", "um", "er", "erm", "hmm", "mm", "ah"})
#: Words whose "." ends no sentence ("social security no. 123", "Dr. Okafor's patient ID").
_ABBREVIATIONS = frozenset({"no", "nr", "num", "dr", "mr", "mrs", "ms", "st", "jr", "sr", "acct", "dob", "ref",
                            "approx", "exp", "lic", "reg", "ser", "dept", "pt", "id"})  # fmt: skip
_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                     "sept", "oct", "nov", "dec"})  # fmt: skip
_TEEN_TENS = frozenset({"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                        "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                        "ninety", "hundred"})  # fmt: skip
_DIGIT_WORDS = _TEEN_TENS | {"zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
#: Between two identifier-shaped tokens, these keep a run going ("four two dash seven", "12/27", "b as in boy").
_JOINERS = frozenset({"-", "/", ",", ".", "dash", "hyphen", "slash", "as", "in"})


_UNITS = frozenset({"zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"})


def _one_digit(word: str) -> bool:
    return (len(word) == 1 and word.isdigit()) or word.lower() in _UNITS


def spoken_weight(word: str, following: str | None) -> int:
    """How many digits a digit word says: "forty" or "twenty-eight" two, unless a unit follows ("forty seven");
    "seven" one."""
    low = word.lower()
    return 2 if ("-" in low or low in _TEEN_TENS) and not (following and following.lower() in _UNITS) else 1


def tokenize(text: str) -> list[Token]:
    return list(_tokens(text))


@lru_cache(maxsize=2)
def _tokens(text: str) -> tuple[Token, ...]:
    """Round 17 (speed): the identifier and the address taggers both tokenise each transcript; now once."""
    return tuple(Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text))


@lru_cache(maxsize=65536)
def token_class(word: str) -> str:
    """D digits, S a digit word, R double/triple, N a NATO word, L a single letter, M letters and digits,
    F a filler, T a month, P a mark, W any other word."""
    low = word.lower()
    if word.isdigit():
        return "D"
    if low in _DIGIT_WORDS or ("-" in low and all(p in _DIGIT_WORDS for p in low.split("-"))):
        return "S"  # "twenty-eight" too
    if low in _REPEATS:
        return "R"
    if low in _NATO:
        return "N"
    if len(word) == 1 and word.isalpha():
        return "L"
    if any(c.isdigit() for c in word):
        return "M"
    if low in _FILLERS:
        return "F"
    if low in _MONTHS:
        return "T"
    if not word[0].isalnum():
        return "P"
    return "W"


def _length(word: str) -> str:
    n = len(word)
    return str(n) if n <= 4 else "5-8" if n <= 8 else "9-12" if n <= 12 else "13+"


def _bucket(n: int) -> str:
    return str(n) if n <= 6 else "7-8" if n <= 8 else "9" if n == 9 else "10-12" if n <= 12 else "13-14" if (
        n <= 14) else "15-16" if n <= 16 else "17" if n == 17 else "18+"  # fmt: skip


def runs(words: Sequence[str], classes: Sequence[str]) -> list[tuple[int, int, int, int, int]]:
    """Per token, the identifier-shaped run it belongs to (digits, digit words, letters, codes, joined by dashes,
    slashes, commas, "as in"): how many digits and letters the run holds, and the token's place in it
    (0 when it is in no run, -1 for a joiner), and the run's first and last token. A spoken card number is 16
    digits whatever its grouping; an SSN is 9."""
    n = len(words)
    out = [(0, 0, 0, 0, 0)] * n
    k = 0
    while k < n:
        if classes[k] not in "DSRNLM":
            k += 1
            continue
        j = k
        members = [k]
        while True:
            m = j + 1
            while m < n and (
                (words[m].lower() in _JOINERS and classes[m] not in "DSRNLM")
                # "seven, three and nine": "and" between single digits said apart
                or (words[m].lower() == "and" and _one_digit(words[m - 1]) and m + 1 < n and _one_digit(words[m + 1]))
            ):
                m += 1
                if m < n and m - j == 3 and words[m - 2].lower() == "as" and words[m - 1].lower() == "in":
                    m += 1  # "b as in boy": the word that spells the letter is part of the run
            if m < n and classes[m] in "DSRNLM" and m - j <= 4:
                members.append(m)
                j = m
            else:
                break
        digits = letters = 0
        for i in members:
            w, c = words[i].lower(), classes[i]
            if c == "D":
                digits += len(w)
            elif c == "S":
                digits += spoken_weight(w, words[i + 1] if i + 1 < n else None)
            elif c == "R":
                digits += 1 if w == "double" else 2
            elif c in "NL":
                letters += 1
            else:
                digits += sum(ch.isdigit() for ch in w)
                letters += sum(ch.isalpha() for ch in w)
        for place, i in enumerate(members, 1):
            out[i] = (digits, letters, place, k, j)
        for i in range(k, j + 1):
            if out[i][2] == 0:
                out[i] = (digits, letters, -1, k, j)  # a joiner inside the run
        k = j + 1
    return out


def sentence_features(tokens: Sequence[Token], text: str) -> list[list[str]]:
    """CRFsuite's feature strings per token."""
    words = [t.text for t in tokens]
    lows = [w.lower() for w in words]
    classes = [token_class(w) for w in words]
    in_run = runs(words, classes)
    gaps = [text[tokens[k - 1].end : tokens[k].start] if k else "^" for k in range(len(tokens))]
    fams = [CUE_FAMILY.get(low) for low in lows]
    window: list[int] = []  # the last LEFT_WINDOW words that are no part of an identifier
    out: list[list[str]] = []
    n = len(tokens)
    for k in range(n):
        w, low, c = words[k], lows[k], classes[k]
        f = [
            "b",
            f"c={c}",
            # a NATO word by its class alone: each is rare in the training data, and a rare word's own weight
            # broke a plate in two at "x-ray" (issue 23, round 9)
            f"sh={shape(w)}" if c in "DMLW" else "w=<nato>" if c == "N" else f"w={low}",
            f"len={_length(w)}|{c}",
            f"gap={'_' if not gaps[k] else 's' if gaps[k].isspace() else gaps[k].strip()[:2]}",
        ]
        if c in "WFRPT":
            f.append(f"w={low}")
        digits, letters, place, first, last = in_run[k]
        if place:
            f.append(f"run={_bucket(digits)}|{min(letters, 4)}")
            f.append(f"rund={_bucket(digits)}")
            f.append("run-first" if place == 1 else "run-in")
            # what stands right before and after the run: "$3,114", "20 mg", "#4471"
            f.append(f"pre={lows[first - 1] if first and classes[first - 1] in 'WPTF' else '^'}")
            f.append(f"post={lows[last + 1] if last + 1 < n and classes[last + 1] in 'WPTF' else '$'}")
        if _yearlike(w):
            f.append("yearlike")
        f.append(f"c-1={classes[k - 1] if k else '^'}|{c}")
        f.append(f"c+1={c}|{classes[k + 1] if k + 1 < n else '$'}")
        f.append(f"c-2={classes[k - 2] if k > 1 else '^'}|{classes[k - 1] if k else '^'}|{c}")
        f.append(f"c+2={c}|{classes[k + 1] if k + 1 < n else '$'}|{classes[k + 2] if k + 2 < n else '$'}")
        if k:
            f.append(f"w-1={lows[k - 1]}" if classes[k - 1] in "WFPR" else f"s-1={classes[k - 1]}")
        if k + 1 < n:
            f.append(f"w+1={lows[k + 1]}" if classes[k + 1] in "WFPR" else f"s+1={classes[k + 1]}")
        if k > 1 and classes[k - 2] in "WP":
            f.append(f"w-2={lows[k - 2]}")
        if low == "as" and k + 2 < n and lows[k + 1] == "in":
            f.append("as-in")
        if k > 1 and lows[k - 1] == "in" and lows[k - 2] == "as":
            f.append("after-as-in")
        # The cue window: the families (and named cue words) among the last LEFT_WINDOW words before it, the
        # nearest family first; the identifier-shaped tokens between count for nothing.
        nearest = ""
        seen: set[str] = set()
        for d, j in enumerate(reversed(window), 1):
            fam = fams[j]
            if fam is None:
                continue
            if not nearest and fam != "gen":
                nearest = fam
                f.append(f"near={fam}")
                f.append(f"near={fam}|{'1-3' if d <= 3 else '4-7' if d <= 7 else '8+'}")
                f.append(f"near={fam}|{c}")
            if fam not in seen:
                seen.add(fam)
                f.append(f"lf={fam}")
            if lows[j] in _NAMED_CUES:
                f.append(f"lw={lows[j]}")
        if not nearest:
            f.append(f"near=none|{c}")
        if c not in "DSRNLMP" and not place:
            window.append(k)
            if len(window) > LEFT_WINDOW:
                window.pop(0)
        for j in range(k + 1, min(n, k + 1 + RIGHT_WINDOW)):
            fam = fams[j]
            if fam is not None and fam != "gen":
                f.append(f"rf={fam}")
                f.append(f"rw={lows[j]}")
        out.append(f)
    return out


def _sentences(tokens: Sequence[Token], text: str) -> list[tuple[int, int]]:
    """[start, end) token ranges of sentences: cut after ".", "!", "?" (not after an abbreviation: "no.",
    "Dr."), at line breaks, and every
    `_MAX_CHUNK_TOKENS` tokens in text with no marks."""
    out: list[tuple[int, int]] = []
    start = 0
    for k, tok in enumerate(tokens):
        if k > start and ("\n" in text[tokens[k - 1].end : tok.start] or k - start >= _MAX_CHUNK_TOKENS):
            out.append((start, k))
            start = k
        if (
            tok.text in ".!?"
            and not (k + 1 < len(tokens) and tokens[k + 1].text in ".!?")  # "...": cut once, after the last
            and not (tok.text == "." and k and tokens[k - 1].text.lower() in _ABBREVIATIONS)
        ):
            out.append((start, k + 1))
            start = k + 1
    if start < len(tokens):
        out.append((start, len(tokens)))
    return out


def windows(tokens: Sequence[Token], text: str) -> list[tuple[int, int]]:
    """The token ranges worth tagging: each sentence that holds an identifier-shaped run (three digits or
    letters or more, a digit or a spelled letter among them) with the two sentences before it (a question's cue, a
    filler between; at most `LOOKBACK_TOKENS`), when a cue of an identifier's family is among them;
    adjacent ones merged while they stay under twice `_MAX_CHUNK_TOKENS`. Most sentences hold no such run: the CRF never
    sees them, which keeps the tagger's cost small."""
    words = [t.text for t in tokens]
    classes = [token_class(w) for w in words]
    in_run = runs(words, classes)
    sentences = _sentences(tokens, text)
    cue = [CUE_FAMILY.get(w.lower()) not in _NOT_CUES for w in words]
    out: list[tuple[int, int]] = []
    for s, (a, b) in enumerate(sentences):
        if not any(
            in_run[k][2] and in_run[k][0] + in_run[k][1] >= 3 and (in_run[k][0] or classes[k] in "NL")
            for k in range(a, b)
        ) and not any(_month_then_digits(words, classes, in_run, k) for k in range(a, b)):
            continue
        start = max(sentences[s - 2][0] if s > 1 else 0, a - LOOKBACK_TOKENS)
        if not any(cue[start : min(len(words), b + RIGHT_WINDOW)]):
            continue  # no identifier's cue near: the CRF would tag nothing (a date, a dose, a phone number)
        if out and start <= out[-1][1]:
            merged = b - out[-1][0] <= 2 * _MAX_CHUNK_TOKENS
            start = out.pop()[0] if merged else out[-1][1]
        out.append((start, b))
    return out


def _month_then_digits(
    words: Sequence[str], classes: Sequence[str], in_run: Sequence[tuple[int, int, int, int, int]], k: int
) -> bool:
    """A month name, then ("of", "'" between) a run of two digits or more: an expiry's shape ("April of
    twenty-eight", "Jan 27")."""
    if classes[k] != "T":
        return False
    j = k + 1
    while j < len(words) and j - k <= 2 and words[j].lower() in ("of", "'", "’", ","):
        j += 1
    return j < len(words) and in_run[j][2] > 0 and in_run[j][0] >= 2


#: Words of an amount or a quantity: identifiers are read digit by digit, never in hundreds ("four hundred
#: eighty seven dollars", "carbidopa levodopa twenty five one hundred").
_QUANTITY_WORDS = frozenset({"hundred", "thousand", "million", "billion", "dollars", "cents", "pounds", "percent"})


#: What follows an age, not an identifier ("a 74-year-old", "42 years").
_AGE = re.compile(r"(?:- )?(?:year|years|yr|yrs|year-old|years-old|month-old)\b")


def _veto(span: Sequence[Token], kind: str) -> bool:
    """Spans no identifier looks like, whatever their cue: letters spelled one by one with no digit (a name
    spelled, "that's W O J C I K"), an amount said in hundreds, a model year ("a 2023", "a 2014 F-150"), or an
    expiry written with a slash whose month is no month (a dose's strength, "49/51").
    The article is "a" in lowercase: in cased text a spelled letter A is a capital."""
    classes = [token_class(t.text) for t in span]
    if kind == "CREDIT_DEBIT_EXPIRY" and len(span) == 3 and span[1].text == "/" and span[0].text.isdigit():
        return not 1 <= int(span[0].text) <= 12
    if all(c in "LP" for c in classes) or any(t.text.lower() in _QUANTITY_WORDS for t in span):
        return True
    words = [t.text for t, c in zip(span, classes, strict=True) if c != "P"]
    if len(words) > 1 and words[0] in ("a", "an"):  # "a 2014 F-150", "a nineteen eighty six": a model year
        if _yearlike(words[1]) or words[1].lower() in ("nineteen", "twenty", "two"):
            return True
        words = words[1:]
    return len(words) == 1 and _yearlike(words[0])


def _yearlike(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and word[:2] in ("19", "20")


#: What may stand between two groups of one value that the CRF tagged apart: a comma or a dash, no word.
_GROUP_GAP = re.compile(r"\s*[,-]\s*")


class IdTagger:
    """The CRF, loaded from bytes that the caller has verified. Not thread-safe: one per detector."""

    def __init__(self, *, model: bytes) -> None:
        import pycrfsuite

        self._tagger = pycrfsuite.Tagger()
        self._model = bytes(model)  # CRFsuite reads from this buffer for as long as the tagger lives
        try:
            self._tagger.open_inmemory(self._model)
        except (ValueError, OSError) as exc:
            raise ModelError("The identifier tagger's model could not be opened.") from exc
        self._labels = frozenset(self._tagger.labels())
        if self._labels - set(LABELS):
            raise ModelError("The identifier tagger's model has labels this version does not know.")

    def _inside(self, kind: str, i: int) -> float:
        return float(sum(self._tagger.marginal(f"{p}-{kind}", i) for p in "BI" if f"{p}-{kind}" in self._labels))

    def spans(self, text: str, *, min_probability: float | None = None) -> list[tuple[int, int, str, float]]:
        """Each identifier span: [start, end), its type, and the lowest marginal probability among its tokens (marks
        aside) of being part of an identifier of that type."""
        floor = MIN_PROBABILITY if min_probability is None else min_probability
        tokens = tokenize(text)
        out: list[tuple[int, int, str, float]] = []
        for a, b in windows(tokens, text):
            chunk = tokens[a:b]
            labels = self._tagger.tag(sentence_features(chunk, text))
            k = 0
            while k < len(chunk):
                if labels[k] == "O":
                    k += 1
                    continue
                kind = labels[k][2:]
                j = k + 1
                while j < len(chunk) and labels[j] == f"I-{kind}":
                    j += 1
                # Each token's probability of being part of an identifier of this type, begun here or before
                # (B or I: "kilo lima nine one, x-ray bravo mike" is one plate or two, a plate either way); a mark
                # between two groups decides nothing.
                p = min(
                    (self._inside(kind, i) for i in range(k, j) if token_class(chunk[i].text) != "P"),
                    default=0.0,
                )
                lo, hi = k, j
                # A word at either edge is no part of the value ("CID 7713"): only inside it ("b as in boy").
                while lo < hi and token_class(chunk[lo].text) in "PFW":
                    lo += 1
                while hi > lo and token_class(chunk[hi - 1].text) in "PFW":
                    hi -= 1
                after = " ".join(t.text.lower() for t in chunk[hi : hi + 2])
                held = (
                    sum(len(t.text) for t in chunk[lo:hi] if token_class(t.text) in "DM")
                    + sum(1 for t in chunk[lo:hi] if token_class(t.text) in "NL")
                    + sum(  # "fifty eleven" holds four digits
                        spoken_weight(t.text, chunk[i + 1].text if i + 1 < len(chunk) else None)
                        for i, t in enumerate(chunk[lo:hi], lo)
                        if token_class(t.text) == "S"
                    )
                )
                if kind == "CREDIT_DEBIT_EXPIRY":  # "April of twenty-eight": the month holds a value's worth
                    held += sum(2 for t in chunk[lo:hi] if token_class(t.text) == "T")
                if lo < hi and p >= floor and held >= 3 and not _veto(chunk[lo:hi], kind) and not _AGE.match(after):
                    start, end = chunk[lo].start, chunk[hi - 1].end
                    if out and out[-1][2] == kind and _GROUP_GAP.fullmatch(text[out[-1][1] : start]):
                        start, p = out[-1][0], min(p, out[-1][3])  # two groups of one value, cut at a comma
                        out.pop()
                    out.append((start, end, kind, p))
                k = j
        return out


class CrfIdRecognizer:
    """The identifier tagger as one more recognizer beside the rules."""

    def __init__(self, tagger: IdTagger) -> None:
        self._tagger = tagger

    @property
    def name(self) -> str:
        return ID_TAGGER

    @property
    def entities(self) -> frozenset[str]:
        return frozenset(ID_TYPES)

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        del view  # the tagger reads spoken digits itself
        return [
            Entity(kind, a, b, round(0.5 + p / 4, 4), ID_TAGGER)
            for a, b, kind, p in self._tagger.spans(text)
            if not _OTHER_NUMBER.search(text, max(0, a - 80), a)
        ]


#: Round 12: right before a number, the label of a number that identifies no one (a claim, a police report, a
#: citation, an employee's badge): the tagger took these for the identifiers its cues resemble.
_OTHER_NUMBER = re.compile(
    r"\b(?:claim|case|ticket|citation|report|employee|staff|badge|invoice|order|confirmation|tracking|reference|"
    r"incident|transaction|docket|receipt|booking|reservation|flight|group)"
    r"(?:\s+(?:number|no\.?|#|id))?"
    r"(?:\s+for\s+(?:the\s+|this\s+|that\s+|your\s+|my\s+)?[a-z]+(?:\s+[a-z]+)?)?"
    r"[\s:#,]*(?:(?:is|was|reads|of)\b)?[\s:#,]*$",
    re.IGNORECASE,
)
