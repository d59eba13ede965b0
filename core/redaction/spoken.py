"""A normalised view of ASR text, with a map from every normalised character back to the original.

Speech recognisers write identifiers as words ("five five five one two one two", "john dot smith at
gmail dot com", "march third nineteen fifty eight"). `SpokenView` rewrites those into the written form
("5551212", "john.smith@gmail.com", "march 3 1958") so that detectors can run one set of regexes, and
then report offsets in the ORIGINAL text through `span()`. Text that is already written ("555-1212.")
passes through unchanged. One linear pass over the tokens; no regex runs per word over the whole text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.redaction.fast_patterns import folded_text

_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+|\s+|.", re.DOTALL)

#: A digit said as a word, and the words that repeat the next digit ("double seven"): shared with the
#: modules that read spoken digits themselves (`restated`, `card_tail`).
DIGIT_WORDS = {"zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9}  # fmt: skip
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
_UNIT_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9}  # fmt: skip
_TEEN_ORD = {"tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
             "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19}  # fmt: skip
_TENS_ORD = {"twentieth": 20, "thirtieth": 30}
#: The teens and the tens said as words: shared with `echoes`, which reads a month and year said again.
TEEN_WORDS, TENS_WORDS = _TEENS, _TENS
REPEAT_WORDS = {"double": 2, "triple": 3}
_NUMBER_WORDS = (
    frozenset(DIGIT_WORDS)
    | frozenset(_TEENS)
    | frozenset(_TENS)
    | frozenset(_UNIT_ORD)
    | frozenset(_TEEN_ORD)
    | frozenset(_TENS_ORD)
    | frozenset(REPEAT_WORDS)
)
_ZERO_ONLY_IN_RUN = frozenset({"oh", "o"})
_ZEROS = _ZERO_ONLY_IN_RUN | {"zero"}
#: "last four", "first three": a count of the digits said next, never the first of them.
_COUNTED = frozenset({"last", "first", "final"})
_COUNTS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"})
MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december"})  # fmt: skip
_SYMBOL_BETWEEN_NUMBERS = {"dash": "-", "hyphen": "-", "slash": "/", "point": ".", "dot": "."}
#: The NATO spelling alphabet: inside an identifier ("hotel seven seven two", "four kilo x-ray") a word is
#: its letter. "november" is a month first, so it is a letter only after another letter or digit.
NATO = {"alpha": "a", "alfa": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e", "foxtrot": "f",
        "golf": "g", "hotel": "h", "india": "i", "juliet": "j", "juliett": "j", "kilo": "k", "lima": "l",
        "mike": "m", "november": "n", "oscar": "o", "papa": "p", "quebec": "q", "romeo": "r", "sierra": "s",
        "tango": "t", "uniform": "u", "victor": "v", "whiskey": "w", "whisky": "w", "xray": "x", "x-ray": "x",
        "yankee": "y", "zulu": "z"}  # fmt: skip
#: Words before the digits of a mailbox name that are not part of it ("my email is 88 at ...").
_NOT_MAILBOX = frozenset({"is", "was", "it's", "its", "email", "e-mail", "address", "mail", "me", "to", "at", "be",
                          "that's", "thats", "um", "uh", "and", "or", "the", "a"})  # fmt: skip
#: Words the view may rewrite (with single letters, for "x as in xray"): every other token is copied as is.
_MAY_REWRITE = (
    _NUMBER_WORDS
    | frozenset(NATO)
    | frozenset(_SYMBOL_BETWEEN_NUMBERS)
    | frozenset({"dot", "dash", "hyphen", "underscore", "at"})
)
_TLDS = frozenset({"com", "org", "net", "edu", "gov", "io", "co", "us", "uk", "ca", "info", "biz", "me", "health"})


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ made tokenising the costliest step
class _Tok:
    text: str
    low: str
    start: int
    end: int
    kind: str  # "w" word, "d" digits, "s" space, "p" punctuation


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        t = m.group()
        c = t[0]
        kind = "w" if c.isalpha() else "d" if c.isdigit() else "s" if c.isspace() else "p"
        out.append(_Tok(t, t.lower(), m.start(), m.end(), kind))
    return out


class SpokenView:
    """`text` is the normalised string; `span(a, b)` maps a normalised [a, b) to original offsets."""

    def __init__(self, original: str) -> None:
        self.original = original
        self._chars: list[str] = []
        self._src_start: list[int] = []
        self._src_end: list[int] = []
        self._build(_tokens(original))
        self.text = "".join(self._chars)
        #: `text` lowercased for patterns compiled without IGNORECASE (`core.redaction.fast_patterns`), or None.
        self.folded = folded_text(self.text)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original [start, end) that the normalised [start, end) came from."""
        if end <= start:
            raise ValueError(f"empty span {start}:{end}")
        return self._src_start[start], self._src_end[end - 1]

    # -- building ---------------------------------------------------------------------------------------
    def _emit(self, s: str, start: int, end: int) -> None:
        self._chars.extend(s)
        self._src_start.extend([start] * len(s))
        self._src_end.extend([end] * len(s))

    def _emit_verbatim(self, tok: _Tok) -> None:
        self._chars.extend(tok.text)
        self._src_start.extend(range(tok.start, tok.end))
        self._src_end.extend(range(tok.start + 1, tok.end + 1))

    def _drop_trailing_space(self) -> None:
        while self._chars and self._chars[-1].isspace():
            self._chars.pop()
            self._src_start.pop()
            self._src_end.pop()

    def _flush(self, start: int, end: int) -> None:
        """Copy original[start:end] into the view unchanged, in one step."""
        if start < end:
            self._chars.extend(self.original[start:end])
            self._src_start.extend(range(start, end))
            self._src_end.extend(range(start + 1, end + 1))

    def _build(self, toks: list[_Tok]) -> None:
        i = 0
        n = len(toks)
        # Most tokens pass through unchanged: they are gathered into one pending stretch of the original and
        # copied at once when a word that may be rewritten comes (per token, copying was the view's cost).
        pend_start = pend_end = 0
        while i < n:
            tok = toks[i]
            if tok.kind != "w" or (len(tok.text) > 1 and tok.low not in _MAY_REWRITE):
                if tok.start != pend_end:
                    self._flush(pend_start, pend_end)
                    pend_start = tok.start
                pend_end = tok.end
                i += 1
                continue
            self._flush(pend_start, pend_end)
            pend_start = pend_end = tok.start
            if tok.kind == "w":
                low = tok.low
                spelled = _as_in(toks, i)
                if spelled:  # "h as in hotel": the letter, for the whole phrase
                    self._emit(tok.low, tok.start, toks[spelled - 1].end)
                    i = spelled
                    continue
                if (  # "X-ray" is three tokens: the letter x inside an identifier, like any NATO word
                    low == "x"
                    and i + 2 < n
                    and toks[i + 1].text == "-"
                    and toks[i + 2].low == "ray"
                    and self._nato_here(toks, i + 2)
                ):
                    self._emit("x", tok.start, toks[i + 2].end)
                    i += 3
                    continue
                if low in NATO and self._nato_here(toks, i):
                    self._emit(NATO[low], tok.start, tok.end)
                    i += 1
                    continue
                if low in _NUMBER_WORDS and self._can_start_run(toks, i):
                    after = self._number_run(toks, i)
                    if after > i:  # no group parsed ("double ninety"): the word stays a word
                        i = after
                        continue
                if low in _SYMBOL_BETWEEN_NUMBERS and self._between_numbers(toks, i):
                    self._drop_trailing_space()
                    self._emit(_SYMBOL_BETWEEN_NUMBERS[low], tok.start, tok.end)
                    i = _skip_space(toks, i + 1)
                    continue
                # Not after a contraction ("no, it's dot com": the correction of a domain, not "s.com").
                if (
                    low == "dot"
                    and self._prev_alnum()
                    and _next_word(toks, i) is not None
                    and not any(q in _prev_word_low(toks, i) for q in "'’")
                ):
                    self._drop_trailing_space()
                    self._emit(".", tok.start, tok.end)
                    i = _skip_space(toks, i + 1)
                    continue
                if low in ("dash", "hyphen") and self._prev_alnum() and _email_ahead(toks, i):
                    self._drop_trailing_space()  # "dana dash ruiz at example dot com": inside a mailbox name
                    self._emit("-", tok.start, tok.end)
                    i = _skip_space(toks, i + 1)
                    continue
                if low == "underscore" and self._prev_alnum() and _next_word(toks, i) is not None:
                    self._drop_trailing_space()
                    self._emit("_", tok.start, tok.end)
                    i = _skip_space(toks, i + 1)
                    continue
                if (
                    low == "at"
                    and self._prev_alnum()
                    and not _thing_before(toks, i)
                    and _looks_like_spoken_domain(toks, i + 1)
                ):
                    self._drop_trailing_space()
                    self._join_mailbox_digits()
                    self._emit("@", tok.start, tok.end)
                    i = _skip_space(toks, i + 1)
                    continue
            self._emit_verbatim(tok)
            i += 1
            pend_start = pend_end = tok.end
        self._flush(pend_start, pend_end)

    def _after_number_separator(self) -> bool:
        """The view ends in a digit and a separator the view wrote for a spoken "dot" or "dash" ("10.")."""
        j = len(self._chars) - 1
        while j >= 0 and self._chars[j] == " ":
            j -= 1
        return j >= 1 and self._chars[j] in ".-" and self._chars[j - 1].isdigit()

    def _join_mailbox_digits(self) -> None:
        """ "k_lee 88@": digits said after the mailbox's last word belong to it ("k_lee88@"); a mailbox
        spelled letter by letter ("a l i@") is one word ("ali@")."""
        self._join_spelled_mailbox()
        j = len(self._chars)
        while j > 0 and self._chars[j - 1].isdigit():
            j -= 1
        if j == len(self._chars) or j < 2 or self._chars[j - 1] != " " or not self._chars[j - 2].isalpha():
            return
        k = j - 1
        while k > 0 and not self._chars[k - 1].isspace():
            k -= 1
        if "".join(self._chars[k : j - 1]).lower() in _NOT_MAILBOX:
            return
        del self._chars[j - 1], self._src_start[j - 1], self._src_end[j - 1]

    def _join_spelled_mailbox(self) -> None:
        chars = self._chars
        letters: list[int] = []  # positions of "x y z", single letters one space apart, from the last back
        pos = len(chars) - 1
        while pos >= 0 and chars[pos].isalpha() and (pos == 0 or chars[pos - 1] == " "):
            letters.append(pos)
            pos -= 2
        for letter in letters[:-1]:  # the spaces before every letter but the first, from the end
            del chars[letter - 1], self._src_start[letter - 1], self._src_end[letter - 1]

    def _nato_here(self, toks: list[_Tok], i: int) -> bool:
        """A NATO word is a letter inside an identifier: after a digit or a single letter, or (except
        "november", a month) before one."""
        j = len(self._chars) - 1
        while j >= 0 and self._chars[j] == " ":
            j -= 1
        after_letter = j >= 0 and self._chars[j].isalpha() and (j == 0 or not self._chars[j - 1].isalnum())
        if toks[i].low == "november":  # "2 november" is a date: a letter only after a letter
            return after_letter
        if after_letter or (j >= 0 and self._chars[j].isdigit()):
            return True
        # In a chain set off by commas: after "t, " (a NATO word just made a letter) one more word will do.
        k = j - 1 if j >= 0 and self._chars[j] == "," else -1
        after_spelled = k >= 0 and self._chars[k].isalpha() and (k == 0 or not self._chars[k - 1].isalnum())
        if _nato_chain_to_digit(toks, i, 1 if after_spelled else 2):
            return True
        k = _skip_space(toks, i + 1)
        if k >= len(toks) or k == i + 1:
            return False
        nxt = toks[k]
        return nxt.kind == "d" or nxt.low in DIGIT_WORDS or nxt.low in NATO or (nxt.kind == "w" and len(nxt.text) == 1)

    def _prev_alnum(self) -> bool:
        j = len(self._chars) - 1
        while j >= 0 and self._chars[j].isspace():
            j -= 1
        return j >= 0 and self._chars[j].isalnum()

    def _between_numbers(self, toks: list[_Tok], i: int) -> bool:
        j = len(self._chars) - 1
        while j >= 0 and self._chars[j].isspace():
            j -= 1
        if j < 0 or not self._chars[j].isdigit():
            return False
        k = _skip_space(toks, i + 1)
        return k < len(toks) and (toks[k].kind == "d" or toks[k].low in _NUMBER_WORDS)

    def _between_digits(self, toks: list[_Tok], i: int) -> bool:
        """The view ends in a figure, one space before toks[i], and a figure follows it one space on."""
        j = len(self._chars) - 1
        if j < 1 or self._chars[j] != " " or not self._chars[j - 1].isdigit():
            return False
        return i + 2 < len(toks) and toks[i + 1].text == " " and toks[i + 2].kind == "d"

    def _can_start_run(self, toks: list[_Tok], i: int) -> bool:
        low = toks[i].low
        if low in _ZERO_ONLY_IN_RUN and self._after_number_separator():
            return True  # "ten dot oh dot twelve": a zero between separators of a number
        if low == "oh" and self._between_digits(toks, i):
            # Round 16: "3 oh 7 7", "5 5 oh 2": a zero said among digits written as figures (not a letter "O" in a
            # plate, "4 O 7").
            return True
        if low in _ZERO_ONLY_IN_RUN and _hyphened_digits(toks, i) > i:
            return True  # "oh-four": a zero first in digits joined by hyphens
        if low in _ZERO_ONLY_IN_RUN or low in REPEAT_WORDS:
            k = _skip_space(toks, i + 1)
            return k < len(toks) and toks[k].low in _NUMBER_WORDS and toks[k].low not in REPEAT_WORDS
        return True

    def _number_run(self, toks: list[_Tok], i: int) -> int:
        """Consume adjacent number words, emit their digits joined; return the next token index."""
        after_month = _prev_word_low(toks, i) in MONTHS
        # "the last four seven seven oh one": "four" counts the digits that follow, it is not one of them.
        counted = _prev_word_low(toks, i) in _COUNTED and toks[i].low in _COUNTS
        first = True
        emitted = 0
        hyphened = i
        while True:
            if i >= hyphened:
                hyphened = _hyphened_digits(toks, i)
            parsed = _group(toks, i)
            if parsed is None:
                break
            digits, j, ordinal = parsed
            # An ordinal keeps its suffix ("twenty first" -> "21st"): "on the 21st" is a date, "the 21" is not.
            self._emit(digits + (_ordinal_suffix(digits) if ordinal else ""), toks[i].start, toks[j - 1].end)
            emitted += len(digits)
            i = j
            # An ordinal ends a number; so does the day after a month name ("march three nineteen...").
            if ordinal or (first and (after_month or counted)):
                break
            first = False
            if i < hyphened and toks[i].text == "-":
                i += 1  # "one-two-three-four": the digits of one number, the hyphens only the writing's
                continue
            # Recognisers punctuate digit groups with commas ("five four two, six one, ..."): a run of
            # two or more digits goes on over ", " when digit words follow.
            if emitted >= 2 and _comma_then_digit_word(toks, i):
                i += 1
            k = _skip_space(toks, i)
            if k == i or k >= len(toks) or toks[k].kind != "w" or toks[k].low not in _NUMBER_WORDS:
                break
            if k - i > 1 or "\n" in toks[i].text:
                break
            i = k
        return i


def _hyphened_digits(toks: list[_Tok], i: int) -> int:
    """Round 20: after digits said one by one and joined by hyphens ("one-two-three-four", "five-five-five",
    "oh-nine"), the next index; else i. Three digits at least, or two with a zero first: "one-two" may be a
    score or a range."""
    k = i
    count = 0
    while k < len(toks) and toks[k].low in DIGIT_WORDS:
        count += 1
        if k + 2 < len(toks) and toks[k + 1].text == "-" and toks[k + 2].low in DIGIT_WORDS:
            k += 2
        else:
            break
    if count >= 3 or (count == 2 and toks[i].low in _ZEROS):
        return k + 1
    return i


def _email_ahead(toks: list[_Tok], i: int) -> bool:
    """A spoken e-mail address goes on after token i: a few mailbox pieces, then "at" and a spoken domain."""
    k = i
    for _ in range(8):
        k = _skip_space(toks, k + 1)
        if k >= len(toks) or toks[k].kind not in "wd":
            return False
        if toks[k].low == "at":
            return _looks_like_spoken_domain(toks, k + 1)
    return False


def _as_in(toks: list[_Tok], i: int) -> int:
    """After "x as in xylophone" (a single letter, then a word starting with it), the next index; else 0."""
    if len(toks[i].text) != 1 or i + 6 >= len(toks):
        return 0
    if toks[i + 1].text != " " or toks[i + 2].low != "as" or toks[i + 3].text != " " or toks[i + 4].low != "in":
        return 0
    if toks[i + 5].text != " " or toks[i + 6].kind != "w" or toks[i + 6].low[0] != toks[i].low:
        return 0
    if i + 8 < len(toks) and toks[i + 7].text == "-" and toks[i + 8].kind == "w":
        return i + 9  # "x as in x-ray": the whole hyphenated word
    return i + 7


def _ordinal_suffix(digits: str) -> str:
    if digits[-2:-1] == "1":
        return "th"
    return {"1": "st", "2": "nd", "3": "rd"}.get(digits[-1], "th")


def _comma_then_digit_word(toks: list[_Tok], i: int) -> bool:
    """toks[i:] is ", " and then a number word that is a digit or a tens word ("two, oh one")."""
    if i + 2 >= len(toks) or toks[i].text != "," or toks[i + 1].text != " ":
        return False
    low = toks[i + 2].low
    return low in DIGIT_WORDS or low in _TENS or low in _TEENS or low in REPEAT_WORDS


def _nato_chain_to_digit(toks: list[_Tok], i: int, need: int) -> bool:
    """NATO words set off by a recogniser's commas that run on to a digit ("Tango, X-ray, Uniform, five five oh"):
    letters of one identifier. Without the digit ("Victor, Oscar and Mike") they stay words (names)."""
    n = len(toks)
    words = 0
    while i < n:
        low = toks[i].low
        if low == "ray" and i >= 2 and toks[i - 1].text == "-" and toks[i - 2].low == "x":
            i += 1  # "X-ray" asked about at its last token
        elif low == "x" and i + 2 < n and toks[i + 1].text == "-" and toks[i + 2].low == "ray":
            i += 3
        elif low in NATO:
            i += 1
        else:
            return words >= need and (toks[i].kind == "d" or low in DIGIT_WORDS)
        words += 1
        if i < n and toks[i].text == ",":
            i += 1
        k = _skip_space(toks, i)
        if k == i:
            return False
        i = k
    return False


def _skip_space(toks: list[_Tok], i: int) -> int:
    while i < len(toks) and toks[i].kind == "s":
        i += 1
    return i


def _next_word(toks: list[_Tok], i: int) -> _Tok | None:
    k = _skip_space(toks, i + 1)
    if k < len(toks) and toks[k].kind in "wd":
        return toks[k]
    return None


def _prev_word_low(toks: list[_Tok], i: int) -> str:
    j = i - 1
    while j >= 0 and toks[j].kind == "s":
        j -= 1
    return toks[j].low if j >= 0 else ""


# Before "<word> at <domain>", these make the word a thing found at a web address ("the portal at
# mychart.example.org", "our website at ..."), not the user name of an email address.
_DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "our",
        "your",
        "my",
        "his",
        "her",
        "their",
        "its",
        "this",
        "that",
        "new",
        "online",
        "web",
        "main",
    }
)


# Before "at <domain>", a verb's particle or object: "log in at portal.example.com", "find us at ...", "sign up at".
_NOT_USER = frozenset(
    {"in", "on", "up", "out", "us", "me", "them", "him", "it", "online", "here", "there", "back", "off"}
)


def _thing_before(toks: list[_Tok], i: int) -> bool:
    """True when the word before `at` (token i) follows a determiner (a noun), or is a verb's particle or
    object: not a mailbox name."""
    j = i - 1
    while j >= 0 and toks[j].kind == "s":
        j -= 1
    if j < 0 or toks[j].kind != "w":
        return False
    return toks[j].low in _NOT_USER or _prev_word_low(toks, j) in _DETERMINERS


def _looks_like_spoken_domain(toks: list[_Tok], i: int) -> bool:
    """`at` is `@` only before "<word> dot <word> [dot <word>]" ending in a known top-level domain."""
    k = _skip_space(toks, i)
    if k >= len(toks) or toks[k].kind != "w":
        return False
    seen_dot = False
    last = ""
    end = k
    for _ in range(6):
        k = _skip_space(toks, k + 1)
        if k >= len(toks) or toks[k].low not in ("dot", "."):
            break
        if toks[k].text == "." and k + 1 < len(toks) and toks[k + 1].kind == "s":
            break  # "at example dot com. The card...": a full stop and the next sentence, not a domain's dot
        k = _skip_space(toks, k + 1)
        if k >= len(toks) or toks[k].kind != "w":
            break  # a sentence's full stop, not part of the domain
        seen_dot = True
        last = toks[k].low
        end = k
    k = _skip_space(toks, end + 1)
    if k < len(toks) and toks[k].low in ("slash", "/"):
        return False  # "posted at site dot com slash ..." is a web address, not an email
    return seen_dot and last in _TLDS


def _peek(toks: list[_Tok], i: int, allow_hyphen: bool = False) -> int:
    """Index of the next word after exactly one space (or a hyphen when allowed), else -1."""
    if i + 1 >= len(toks) or toks[i + 1].kind != "w":
        return -1
    gap = toks[i]
    if (gap.kind == "s" and "\n" not in gap.text) or (allow_hyphen and gap.text == "-"):
        return i + 1
    return -1


def _small(toks: list[_Tok], i: int) -> tuple[int, int, bool] | None:
    """0-99 starting at toks[i]: (value, next index, is ordinal)."""
    low = toks[i].low
    if low in _TENS:
        value = _TENS[low]
        k = _peek(toks, i + 1, allow_hyphen=True)
        if k >= 0 and toks[k].low in DIGIT_WORDS and toks[k].low not in _ZERO_ONLY_IN_RUN and toks[k].low != "zero":
            return value + DIGIT_WORDS[toks[k].low], k + 1, False
        if k >= 0 and toks[k].low in _UNIT_ORD:
            return value + _UNIT_ORD[toks[k].low], k + 1, True
        return value, i + 1, False
    if low in _TEENS:
        return _TEENS[low], i + 1, False
    if low in DIGIT_WORDS:
        return DIGIT_WORDS[low], i + 1, False
    if low in _UNIT_ORD:
        return _UNIT_ORD[low], i + 1, True
    if low in _TEEN_ORD:
        return _TEEN_ORD[low], i + 1, True
    if low in _TENS_ORD:
        return _TENS_ORD[low], i + 1, True
    return None


def _group(toks: list[_Tok], i: int) -> tuple[str, int, bool] | None:
    """One number group: a repeat ("double four"), a digit, or a cardinal up to the thousands."""
    if i >= len(toks) or toks[i].kind != "w":
        return None
    low = toks[i].low
    if low in REPEAT_WORDS:
        k = _peek(toks, i + 1)
        if k >= 0 and toks[k].low in DIGIT_WORDS:
            return str(DIGIT_WORDS[toks[k].low]) * REPEAT_WORDS[low], k + 1, False
        return None
    if low in DIGIT_WORDS and low in ("oh", "o", "zero"):
        return "0", i + 1, False
    small = _small(toks, i)
    if small is None:
        return None
    value, j, ordinal = small
    if ordinal:
        return str(value), j, True
    # hundreds / thousands: "three hundred (and) twenty", "two thousand nineteen", "nineteen hundred"
    for word, scale in (("hundred", 100), ("thousand", 1000)):
        k = _peek(toks, j)
        if k >= 0 and toks[k].low == word and value > 0:
            value *= scale
            j = k + 1
            k = _peek(toks, j)
            if k >= 0 and toks[k].low == "and":
                k2 = _peek(toks, k + 1)
                if k2 >= 0 and _small(toks, k2) is not None:
                    k = k2
            if k >= 0 and toks[k].low not in _ZERO_ONLY_IN_RUN and toks[k].low not in REPEAT_WORDS:
                if scale == 1000:
                    rest = _small(toks, k)
                    if rest is not None:
                        sub, k3, ordinal = rest
                        k4 = _peek(toks, k3)
                        if not ordinal and k4 >= 0 and toks[k4].low == "hundred":
                            sub *= 100
                            k3 = k4 + 1
                            k5 = _peek(toks, k3)
                            more = _small(toks, k5) if k5 >= 0 else None
                            if more is not None:
                                sub += more[0]
                                k3, ordinal = more[1], more[2]
                        return str(value + sub), k3, ordinal
                else:
                    rest = _small(toks, k)
                    # "eight hundred five five five oh one ...": a toll-free prefix, then digits one by one.
                    after = _peek(toks, rest[1]) if rest is not None else -1
                    if (
                        rest is not None
                        and toks[k].low in DIGIT_WORDS
                        and after >= 0
                        and toks[after].low in DIGIT_WORDS
                    ):
                        return str(value), j, False
                    if rest is not None and rest[0] < 100:
                        return str(value + rest[0]), rest[1], rest[2]
    return str(value), j, False
