"""Quicker forms of the recognizers' patterns that find exactly what the patterns find (`quick`).

Recognizers search the whole transcript with a hundred and more patterns, and Python's `re` tries each at every
character: the patterns' own work is cheap, trying them everywhere is not. Two rewrites, each exact:

**A guard.** A pattern that starts with look-behinds ("not after 'score '") or a list of cue words is tried in full
at every character. Its first consumed character can only be one of a few (a digit; the first letters of its cue
words): a look-ahead for those characters, put first, fails at once everywhere else (a date pattern behind eight
look-behinds ran in a seventh of the time).

**Case folded once.** Most of those patterns are compiled with `re.IGNORECASE`, and `re` then compares every
character case-insensitively: compiled without the flag and searched in the lowercased text, the same patterns ran
in about 0.7 of the time on an hour's transcript (measured side by side, same finds). That is exact when both sides
keep to characters whose case is a simple pair (one lowercase, one uppercase, each the other's case): then
`re.IGNORECASE` matches a character where its lowercase matches, which is what the case-sensitive pattern sees in
the lowercased text, at the same offsets. The odd characters that fold to another letter (the long s, the dotless
i, the final sigma, the micro sign, the sharp s) are not simple, so a text that holds one is searched the slow way
(`folded_text` says None), and so is a pattern that names one, an uppercase letter, a class with an uppercase
letter but not its lowercase, or a case-sensitive group (`(?-i:...)`): `caseless` says None.

Both read a pattern's parsed form with the standard library's own parser; whatever they cannot read is searched as
it was written. `tests/redaction/test_fast_patterns.py` runs every product pattern both ways.
"""

from __future__ import annotations

import re
import re._constants as _c  # the standard library's own regex parser (private, as in Python 3.11 to 3.13): a tree
import re._parser as _parser  # of another shape falls back to the slow way, never to a wrong answer
from typing import Any, NamedTuple

#: A class range wider than this is not checked character by character: the slow way.
_RANGE_LIMIT = 0x3000


def _simple(c: str) -> bool:
    """One lowercase and one uppercase form, each the other's case (or no case at all)."""
    up, low = c.upper(), c.lower()
    return len(up) == 1 and len(low) == 1 and up.lower() == low and low.upper() == up


def folded_text(text: str) -> str | None:
    """`text` lowercased, character for character, when every character folds simply; else None."""
    low = text.lower()
    if len(low) != len(text) or not all(_simple(c) for c in set(low)):
        return None
    return low


def _class_ok(items: list[tuple[Any, Any]]) -> bool:
    chars: set[int] = set()
    for op, av in items:
        if op is _c.LITERAL:
            chars.add(av)
        elif op is _c.RANGE:
            if av[1] - av[0] > _RANGE_LIMIT:
                return False
            chars.update(range(av[0], av[1] + 1))
        elif op is not _c.NEGATE and op is not _c.CATEGORY:
            return False
    for code in chars:
        low = chr(code).lower()
        if len(low) != 1 or not _simple(low) or ord(low) not in chars:
            return False
    return True


def _seq_ok(seq: Any) -> bool:
    for op, av in seq:
        if op is _c.LITERAL or op is _c.NOT_LITERAL:
            ch = chr(av)
            if ch.lower() != ch or not _simple(ch):
                return False
        elif op is _c.IN:
            if not _class_ok(av):
                return False
        elif op is _c.SUBPATTERN:
            _group, _add, delete, sub = av
            if delete & re.IGNORECASE or not _seq_ok(sub):
                return False
        elif op is _c.BRANCH:
            if not all(_seq_ok(alt) for alt in av[1]):
                return False
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            if not _seq_ok(av[2]):
                return False
        elif op is _c.ASSERT or op is _c.ASSERT_NOT:
            if not _seq_ok(av[1]):
                return False
        elif op is _c.ATOMIC_GROUP:
            if not _seq_ok(av):
                return False
        elif op is _c.GROUPREF_EXISTS:
            _cond, yes, no = av
            if not _seq_ok(yes) or (no is not None and not _seq_ok(no)):
                return False
        elif op not in (_c.AT, _c.ANY, _c.GROUPREF, _c.CATEGORY):
            return False  # a node this check does not know: the slow way
    return True


def caseless(regex: re.Pattern[str]) -> re.Pattern[str] | None:
    """`regex` (compiled with IGNORECASE) compiled without it, to search `folded_text`; None where that could
    find otherwise."""
    if not regex.flags & re.IGNORECASE:
        return None
    try:
        ok = _seq_ok(_parser.parse(regex.pattern, regex.flags))
    except (re.error, TypeError, ValueError, AttributeError):  # a parser that changed shape
        return None
    return re.compile(regex.pattern, regex.flags & ~re.IGNORECASE) if ok else None


_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)


def _first(seq: Any) -> tuple[list[str], bool] | None:
    r"""What the first character a match consumes can be, as class items ("a", "0-9", r"\d"), and whether the
    sequence can match empty; None where that is not a short list of characters (any letter, any character)."""
    out: list[str] = []
    for op, av in seq:
        if op in _ZERO_WIDTH:
            continue
        if op is _c.LITERAL:
            return [*out, re.escape(chr(av))], False
        if op is _c.IN:
            items = _class_items(av)
            return None if items is None else ([*out, *items], False)
        if op is _c.SUBPATTERN:
            _group, add, delete, sub = av
            found = None if add or delete else _first(sub)  # flags of its own: not worth the care
            if found is None:
                return None
            out += found[0]
            if not found[1]:
                return out, False
        elif op is _c.BRANCH:
            empty = False
            for alt in av[1]:
                found = _first(alt)
                if found is None:
                    return None
                out += found[0]
                empty = empty or found[1]
            if not empty:
                return out, False
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            least, _most, sub = av
            found = _first(sub)
            if found is None:
                return None
            out += found[0]
            if least >= 1 and not found[1]:
                return out, False
        else:
            return None  # any character, a category, a back-reference...
    return out, True


def _class_items(items: list[tuple[Any, Any]]) -> list[str] | None:
    out: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is _c.RANGE:
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            out.append(r"\d")
        else:
            return None  # a negated class, letters by category: too many characters to guard
    return out


def first_chars(regex: re.Pattern[str]) -> str | None:
    r"""A class of the characters each match of `regex` starts with ("[cp]", r"[\d]"), read off its parsed form
    with its flags in mind; None where that is not a short list (any letter, an empty match, a verbose pattern)."""
    if regex.flags & re.VERBOSE:
        return None  # a comment at its end would swallow what `guarded` puts after it
    try:
        found = _first(_parser.parse(regex.pattern, regex.flags))
    except (re.error, TypeError, ValueError, AttributeError):  # a parser that changed shape
        return None
    if found is None or found[1] or not found[0]:
        return None
    return f"[{''.join(found[0])}]"


def guarded(regex: re.Pattern[str]) -> re.Pattern[str]:
    """`regex` behind a look-ahead for the characters its matches can start with (`first_chars`), where those are
    few; else `regex` itself. The same flags, groups and matches."""
    first = first_chars(regex)
    if first is None:
        return regex
    try:
        return re.compile(f"(?={first})(?:{regex.pattern})", regex.flags)
    except re.error:  # inline global flags, which must come first
        return regex


class Quick(NamedTuple):
    """A pattern's quickest exact forms: `on_folded` searches `folded_text` (None where it may not), `on_text`
    the text itself."""

    on_folded: re.Pattern[str] | None
    on_text: re.Pattern[str]


def quick(regex: re.Pattern[str]) -> Quick:
    """`regex`'s quicker forms: guarded, and case-folded where it may be."""
    folded = caseless(regex)
    return Quick(None if folded is None else guarded(folded), guarded(regex))


def form_for(q: Quick, text: str, folded: str | None) -> tuple[re.Pattern[str], str]:
    """The form of `q` to search and the string to search it in: `folded` (`folded_text` of `text`, or None) where
    both allow, else `text` itself."""
    if q.on_folded is not None and folded is not None:
        return q.on_folded, folded
    return q.on_text, text
