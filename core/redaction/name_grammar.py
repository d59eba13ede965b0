"""Where a word that is both a given name and an everyday word ("summer", "will", "ruby", "penny") is used as a
name: the slots of issue 23's round 8, for the name tagger's decision rule (`core.redaction.name_tagger`).

The tagger gives such a word little weight in lowercase text, and the decision rule's vetoes of everyday words
drop it when it does. The grammar here says, from the words around it alone, that it is a person: the same word
said as part of a full name elsewhere in the text (and not as a verb or a noun: "mark the chart", "the patient's
bill"), a role or a relation in apposition ("X the physio saw her", "X and Y are my kids", "X is my nickname"), a
bed or a bay ("bed six, X is ..."), a greeting ("thank you X"), an agent's introduction after a call's opening, a
cased subject mid-sentence ("so X wants ..."), a spelling note ("X without an e"), and a family's plural ("the
Feldmans"). Each slot still needs the word on a given-name list (a plural family: a surname list), and the
decision rule's vetoes still apply. Reads no file; the lexicon's features come from the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.redaction.name_cues import (
    AFTER_A_NAME,
    APPOSED_ROLE,
    ARE_KIN,
    CALL_OPENING,
    FAMILY_HEAD_AFTER,
    GREETED,
    IN_WARD_AFTER,
    IN_WARD_BEFORE,
    INTRODUCED,
    KIN_BEFORE,
    KIN_WORD_BEFORE,
    LIVES,
    NAMED_AS,
    NAMING_CUE,
    NOT_A_NAME_AFTER,
    NOT_A_NAME_BEFORE,
    OBJECT_AFTER,
    PLURAL_FAMILY_BEFORE,
    RELATIONS,
    REPORTS,
    SPELLING_NOTE,
    VERB_NAMES,
    WAKE_WORDS,
)
from core.redaction.recognizers import _STOP, _TITLES, MONTH_WORDS, _sentence_start, _wordset, fold
from core.redaction.spoken import _NUMBER_WORDS

#: A determiner up to three words before: "the young X was my nephew", "my blood pressure X" are noun phrases.
_DETERMINED = re.compile(r"\b(?:the|a|an|this|that|my|your|his|her|their|our)\s+(?:[^\W\d_]+\s+){0,2}$", re.IGNORECASE)
_IS_CONTRACTED = _wordset("it that he she there what who here where let how")
_PREPOSITIONS = _wordset("at in on by with for from of into over under about after before until during through without")
_NUMBER_AFTER = re.compile(
    r"\s*,?\s+(?:the\s+)?(?:\d|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"\w+(?:teenth|tieth)\b|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty)",
    re.IGNORECASE,
)
_CLAUSE_AFTER = re.compile(r"\s+(?:is|was)\s+that\b", re.IGNORECASE)
_PREVIOUS = re.compile(r"([^\W\d_]+(?:['’][^\W\d_]+)*)[ ]+$")
_NEXT = re.compile(r" ([^\W\d_]+(?:['’][^\W\d_]+)*)")
_COMMON = frozenset(f"z{k}" for k in range(4, 8))
_RARE = frozenset(("z0", "z1", "z2"))


class WordNames:
    """The round-8 slots over a lexicon's features (`Lexicon.features`: a lowercase word -> its feature strings)."""

    def __init__(self, features: Callable[[str], tuple[str, ...]]) -> None:
        self._features = features

    def given(self, low: str) -> bool:
        """On the census's or the project's given-name list ("summer", "bo"): philter-lite's alone is too wide."""
        feats = self._features(low)
        return "cf" in feats or "g" in feats

    def name_use(self, text: str, s: int, e: int, word: str, *, cased: bool, full: set[str]) -> bool:
        """Whether `word` at [s, e) is used as a person's name by its slot; `full`: the words of the full names
        already found in the text (folded)."""
        low = fold(word)
        if len(low) < 2 or low in _TITLES or low in _NUMBER_WORDS or "'" in low or "’" in low:
            return False
        if cased and (not word[:1].isupper() or word.isupper()):
            return False
        if self._plural_family(text, s, low):
            return True
        if self._family_named(text, s, e, low):
            return True
        if not self.given(low):
            return False
        if (low in _STOP or low in MONTH_WORDS) and NAMING_CUE.search(text, max(0, s - 20), s):
            return self._said_apart(text, e, low, cased)  # "My name's Will.", "call me may, may robertson"
        if low in MONTH_WORDS:  # "grandma june", "Sunday is his first name", "sunday okafor ... sunday came in"
            if low in _STOP and not cased and not self._followed_as_a_name(text, e):
                return False  # round 16: "his friend may have it": the modal, unless what follows is a name's
            return _NUMBER_AFTER.match(text, e) is None and (
                KIN_WORD_BEFORE.search(text, max(0, s - 16), s) is not None
                or NAMED_AS.match(text, e) is not None
                or (low in full and self._as_a_name(text, s, e))
            )
        if (
            low in full
            and self._as_a_name(text, s, e)
            and (cased or not self._after_a_phrase(text, s, low))
            # round 17, lowercase: a modal said again ("dr ayesha chowdhury will ... neurology will see her") only
            # set apart or before what follows a name and never a modal ("... will will go", "will who ...")
            and (
                cased or low not in _STOP or self._said_apart(text, e, low, cased) or self._followed_as_a_name(text, e)
            )
        ):
            return True  # "Will Ashby ... Will, that's his name", "mark hollister ... mark is very particular"
        if NAMED_AS.match(text, e) or SPELLING_NOTE.match(text, e):
            return True  # "X is my nickname", "X, that's his name", "X without an e"
        if GREETED.search(text, max(0, s - 30), s) and low not in WAKE_WORDS and self._addressed(text, e, low, cased):
            return True  # "thank you X, i see ...", "hi will will you ...": the modal follows the name said to
        if low in _STOP or "m" in self._features(low) or not self._as_a_name(text, s, e, after=False):
            return False  # "m": the project's list of common words ("man", "page")
        if APPOSED_ROLE.match(text, e):
            # "bill the patient", "Mark the nurse as ...": an order, unless the capital says it is the name
            return low not in VERB_NAMES or (cased and not _sentence_start(text, s))
        before = text[max(0, s - 24) : s]
        if INTRODUCED.search(before) and CALL_OPENING.search(text, max(0, s - 120), s):
            return True  # "thanks for calling ..., i'm X, your account ..."
        if not self._as_a_name(text, s, e):
            return False
        if (ARE_KIN.match(text, e) and not _DETERMINED.search(text, max(0, s - 40), s)) or KIN_BEFORE.search(
            text, max(0, s - 60), s
        ):
            return True  # "X and Y are my kids", "my kids, X and Y"; not "the young X was my nephew"
        if IN_WARD_BEFORE.search(text, max(0, s - 40), s) or IN_WARD_AFTER.match(text, e):
            return True  # "bed six, X is twenty-two", "X in bay four"
        # "so X wants her walked again": a capital mid-sentence and the verb of its subject
        return cased and not _sentence_start(text, s) and (REPORTS.match(text, e) or LIVES.match(text, e)) is not None

    def _plural_family(self, text: str, s: int, low: str) -> bool:
        """ "the Feldmans", "the kowalskis": "the" and the plural of a surname that is no everyday word, the plural
        itself rare in English ("the parks", "the nurses" are words)."""
        if not low.endswith("s") or len(low) < 5 or not PLURAL_FAMILY_BEFORE.search(text, max(0, s - 5), s):
            return False
        stem, plural = self._features(low[:-1]), self._features(low)
        unknown = stem == plural == ("z0",)  # "the brennigans": a name no list has, and no English word
        # a census surname that is no everyday word and no word philter-lite lists as no name ("the pallets")
        listed = ("cl" in stem or "s" in stem) and "pn" not in stem
        surname = unknown or (listed and not any(f in _COMMON for f in stem))
        if low.endswith("ers") and any(f in _COMMON for f in self._features(low[:-3]) + self._features(low[:-2])):
            return False  # "the Niners", "the Raiders": a team or a trade, an everyday word and "-er"
        return surname and "m" not in plural and "pn" not in plural and (plural == ("z0",) or bool(_RARE & set(plural)))

    def _family_named(self, text: str, s: int, e: int, low: str) -> bool:
        """Round 14: "the Sobczak family", "the haugen household", "the rahman house": "the", a surname of the census's
        or the project's list (or a word no list has and English hardly knows), then a family's or a home's head
        noun. No everyday word, ambiguous name or word philter-lite lists as no name ("the host family", "the white
        house", "the nuclear family"); a surname English knows as a word (Zipf 3 and over) only when on the project's
        list or a common census surname ("the rahman house", not "the Waffle House"), and when as common as an everyday
        word, no given name too ("the kennedy family", not "the foster family" or "the royal family")."""
        if len(low) < 3 or not FAMILY_HEAD_AFTER.match(text, e):
            return False
        if not PLURAL_FAMILY_BEFORE.search(text, max(0, s - 5), s):
            return False
        feats = self._features(low)
        if any(f in ("m", "pn", "a") for f in feats) or low in _STOP:
            return False
        if feats == ("z0",) or feats == ("z1",):
            return True
        if _RARE & set(feats) and ("cl" in feats or "s" in feats or "pl" in feats):
            return (
                True  # round 15: a surname only philter-lite lists, if English hardly knows it ("the mataafa family")
            )
        if not ("cl" in feats or "s" in feats):
            return False
        # said as often as a word of English ("the Waffle House"): only a surname of the project's list or the census's
        # common ones, and no given name if it is as common as an everyday word ("the foster family")
        if not any(f in _COMMON for f in feats):
            return "s" in feats or "cl1" in feats
        return "cl1" in feats and "cf" not in feats

    def _after_a_phrase(self, text: str, s: int, low: str) -> bool:
        """Lowercase "at dawn", "with hope", "in summer": after a preposition an everyday word is the word; after a
        noun phrase ("her temperature rose") it is the phrase's verb, unless the noun is a relation ("her sister
        rose")."""
        prev = _PREVIOUS.search(text, max(0, s - 30), s)
        if prev is None:
            return False
        p = prev.group(1).lower()
        if p in _PREPOSITIONS and "a" in self._features(low):
            return True
        return _DETERMINED.search(text, max(0, s - 40), s) is not None and p not in RELATIONS

    @staticmethod
    def _followed_as_a_name(text: str, e: int) -> bool:
        """Round 16: what follows a name and never a modal ("his son will who says"), or the text's end."""
        nxt = _NEXT.match(text, e)
        return nxt.group(1).lower() in AFTER_A_NAME if nxt else not text[e:].strip(" ,")

    #: Public for the decision rule's relations (round 16).
    followed_as_a_name = _followed_as_a_name

    @staticmethod
    def _as_a_name(text: str, s: int, e: int, *, after: bool = True) -> bool:
        """Not a verb, a modal or a noun by the word just before it ("to mark", "not bill", "the rose", "the patient's
        bill") or, with `after`, just after it ("mark the chart", "will you")."""
        prev = _PREVIOUS.search(text, max(0, s - 30), s)
        if prev:
            p = prev.group(1).lower()
            if p in NOT_A_NAME_BEFORE or (p.endswith(("'s", "’s")) and p[:-2] not in _IS_CONTRACTED):
                return False  # a possessive ("the patient's bill"), not "it's X", "that's X"
        if _CLAUSE_AFTER.match(text, e):
            return False  # "hope is that the swelling goes down": a noun and its content clause
        nxt = _NEXT.match(text, e) if after else None
        return nxt is None or nxt.group(1).lower() not in NOT_A_NAME_AFTER

    #: Public for the decision rule's full names (round 12): "i hope X", "to bill X" are no given name.
    as_a_name = _as_a_name

    @classmethod
    def _addressed(cls, text: str, e: int, low: str, cased: bool) -> bool:
        """A word said to someone after a greeting, not a verb with its object ("hey, love the show"); a function
        word only when set apart (`_said_apart`)."""
        if low in _STOP:
            return cls._said_apart(text, e, low, cased)
        nxt = _NEXT.match(text, e)
        return (nxt.group(1).lower() if nxt else "") not in OBJECT_AFTER

    @staticmethod
    def _said_apart(text: str, e: int, low: str, cased: bool) -> bool:
        """A function word said as a name: a mark after it in cased text ("Hi Will, will you", "My name's Will.")
        or the word said again ("hi will will you")."""
        nxt = _NEXT.match(text, e)
        return (cased and text[e : e + 1] in (",", ".", "?", "!")) or (nxt is not None and nxt.group(1).lower() == low)
