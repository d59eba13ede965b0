"""The trained NAME tagger: a linear-chain CRF (python-crfsuite) over words, one more recognizer beside the rules.

This module owns the tokenisation, the features and the lexicon format, so that the training recipe
(`models/training/names_train.py`) and the product compute exactly the same features. It never reads a
file: the composition root hands it the model's and the lexicon's bytes after checking them against the
manifest (`models.name_tagger.load_name_tagger`), and the model is opened from those very bytes.

Features (one model serves cased and lowercase text): the word and its shape, whether the text as a whole
is cased, list membership (given names, surnames, places) and word frequency in ordinary English, both
precomputed into the lexicon, and the same for the words around it.
"""

from __future__ import annotations

import gzip
import re
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from core.errors import ModelError
from core.redaction.fast_patterns import first_chars, guarded
from core.redaction.name_cues import (
    ADDRESS_FORMS,
    ADDRESSED,
    AFTER_A_NAME,
    AFTER_A_VERB,
    AND,
    AND_BEFORE,
    ANSWERED_BEFORE,
    ASKED_ABOUT,
    ASKED_VERB,
    BOOKED_UNDER,
    CONTACTED,
    CORRECTION,
    DEPARTMENT_AFTER,
    DID_AFTER,
    DONE_AT,
    GREETED,
    HOLIDAYS,
    INTRODUCED,
    INTRODUCED_AFTER,
    KIN_HELD,
    KIND_NAMED,
    LIVES,
    NAMED_AS,
    NAMING,
    NOT_A_NAME_BEFORE,
    POSSESSED,
    RELATIONS,
    RENAMED_FROM,
    RENAMED_TO,
    REPORTING_ROLES,
    REPORTS,
    ROLES,
    SHOUTED,
    SPEAKING_AFTER,
    SPELLING_NOTE,
    VERB_NAMES,
    VOWELS,
    WITH_RELATION,
    WORD_SUFFIXES,
)
from core.redaction.name_grammar import WordNames
from core.redaction.recognizers import (
    _EPONYM_HEADS,
    _PAST_VERBS,
    _STOP,
    _TITLES,
    CAR_MAKES,
    MONTH_WORDS,
    NAME_PARTICLES,
    _sentence_start,
    _wordset,
    fold,
    load_places,
    not_person_head,
)
from core.redaction.spoken import _NUMBER_WORDS, NATO, SpokenView
from core.redaction.types import Entity

#: A letter with the combining marks after it: a decomposed accent ("ą" + U+0301) is no word character to
#: `re`, and splitting a name at it left the tagger half a word (a name cut at its first accent).
_LETTER = r"[^\W\d_][\u0300-\u036f]*"
#: Words (letters, inner apostrophes and hyphens), a possessive "'s" on its own, numbers, single marks.
_TOKEN = re.compile(
    rf"(?:{_LETTER})+(?:[-'’](?![sS]\b)(?:{_LETTER})+)*|['’][sS]\b|\d+(?:[.,:/-]\d+)*|[^\w\s\u0300-\u036f]"
)
_SENTENCE_END = frozenset(".!?")
#: Abbreviations a full stop follows inside a sentence, besides the titles ("St. Luke's", "Apt. 4", "approx. 5").
_ABBREVIATIONS = _wordset(
    "st jr sr no nos vs mt ft rd ave blvd apt ste dept approx est fig inc ltd co corp gen col gov sen rep hon "
    "messrs mme mlle bros univ"
)
#: What follows a sentence's closing mark: a space, a closing quote or bracket, or the end of the text.
_AFTER_SENTENCE = frozenset(("", " ", "\n", "\t", '"', "'", "”", "’", ")"))
_OPENERS = frozenset('.!?:;"(\n')
#: The lexicon's first line: the format, so an old or foreign file is refused clearly.
LEXICON_MAGIC = "vaultscribe-name-lexicon 2"
LEXICON_MAGIC_V1 = "vaultscribe-name-lexicon 1"
LABELS = ("O", "B-NAME", "I-NAME")
_MAX_CHUNK_TOKENS = 120
#: Round 17: a sentence of at most this many tokens, its closing mark included, is tagged with the one before it.
_FRAGMENT_TOKENS = 4
#: A tagged span counts only when each of its words is a name with at least this marginal probability:
#: the point where the dev figures (bench/name_tagger.py) meet the false-names target.
#: Checked again in issue 23's round 4 on the recipe's held-out templates (bench/RESULTS.md): 0.5 gains 0.6 /
#: 1.4 points of recall (cased / lower) for 0.6 / 0.2 more false names per 1,000 words, and gained nothing on
#: the tuned sets' lowercase text; 0.7 loses 0.8 / 1.0 points for 0.3 / 0.2 fewer.
MIN_PROBABILITY = 0.6
#: A given name and a surname, both on the census lists, need only this much (`CrfNameRecognizer._listed_pair`);
#: so do words in lowercase text that the lexicon does not know at all (`CrfNameRecognizer._unknown`).
LISTED_PROBABILITY = 0.4
#: A lone word that is doubtful as a name (`CrfNameRecognizer._doubtful`) needs this much.
STRONG_PROBABILITY = 0.9
_CACHE_WORDS = 50_000
#: The detector name of the tagger's finds: `core.redaction.overlaps.combine` lets other types win over them.
TAGGER = "crf:name"


@dataclass(frozen=True)
class Token:
    """[start, end) in the original text."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def is_cased(tokens: Sequence[Token]) -> bool:
    """Text written with capitals (as Parakeet writes) rather than lowercase ASR output: the rules' test."""
    words = [t.text for t in tokens if t.text[0].isalpha()]
    capitalised = sum(1 for w in words if w[0].isupper())
    return bool(words) and capitalised * 50 >= len(words)


def shape(word: str) -> str:
    """Runs of the same character class collapsed: "McDonald" -> "XxXx", "o'neil" -> "x'x", "4b" -> "dx"."""
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


class Lexicon:
    """Word -> its precomputed features: list membership and frequency, as feature strings ready to use.

    Held as every word in one sorted list and, beside it, the index of each word's feature group: built
    from the file in about a tenth of the time a dict of half a million words takes (bench/RESULTS.md),
    and looked up by bisection (the tagger memoises each word's features anyway).

    The file (gzip'd): the magic line; comment lines ("# ..."); one line per feature group, "@FEATS" (feature
    names joined by ","), in index order; an empty line; the word count N; then N little-endian uint16
    group indices, and the N words (lowercase, diacritic-folded, sorted, no two alike) joined by "\n".
    Version 1 files (text: each "@FEATS" line followed by lines of space-separated words) are still read.
    The words are split in slices, so no single step holds the interpreter long enough to stall the window
    (the app loads it on its jobs thread).
    """

    UNKNOWN: tuple[str, ...] = ("z0",)
    _SLICE_BYTES = 1 << 18

    def __init__(self, groups: Mapping[tuple[str, ...], Iterable[str]]) -> None:
        index: dict[str, int] = {}
        feats = sorted(groups)
        for k, group in enumerate(feats):
            index.update(dict.fromkeys(groups[group], k))  # a word in two groups: the later one, as ever
        self._feats: list[tuple[str, ...]] = feats
        self._words: list[str] = sorted(index)
        self._groups = array("H", (index[w] for w in self._words))

    @classmethod
    def from_bytes(cls, data: bytes) -> Lexicon:
        try:
            raw = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise ModelError("The name lexicon is not a gzip'd file.") from exc
        magic, _, rest = raw.partition(b"\n")
        if magic == LEXICON_MAGIC_V1.encode():
            return cls._from_text(rest)
        if magic != LEXICON_MAGIC.encode():
            raise ModelError(f"The name lexicon does not start with {LEXICON_MAGIC!r}.")
        head, sep, body = rest.partition(b"\n\n")
        try:
            lines = head.decode("utf-8").split("\n") if sep else []
            feats = [tuple(ln[1:].split(",")) for ln in lines if ln.startswith("@")]
            count_line, _, body = body.partition(b"\n")
            count = int(count_line)
        except (UnicodeDecodeError, ValueError) as exc:
            raise ModelError("The name lexicon's header is damaged.") from exc
        groups = array("H")
        groups.frombytes(body[: 2 * count])
        if sys.byteorder != "little":
            groups.byteswap()
        words: list[str] = []
        blob, pos = body[2 * count :], 0
        try:
            while pos < len(blob):
                cut = blob.find(b"\n", pos + cls._SLICE_BYTES)
                cut = len(blob) if cut < 0 else cut
                words += blob[pos:cut].decode("utf-8").split("\n")
                pos = cut + 1
        except UnicodeDecodeError as exc:
            raise ModelError("The name lexicon's words are not UTF-8.") from exc
        if not feats or len(groups) != count or len(words) != count or (count and max(groups) >= len(feats)):
            raise ModelError("The name lexicon is damaged: its counts do not match.")
        lexicon = cls({})
        lexicon._feats, lexicon._words, lexicon._groups = feats, words, groups
        return lexicon

    @classmethod
    def _from_text(cls, body: bytes) -> Lexicon:
        """A version 1 file: the groups as text."""
        groups: dict[tuple[str, ...], list[str]] = {}
        feats: tuple[str, ...] | None = None
        for raw_line in body.split(b"\n"):
            try:
                line = raw_line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ModelError("The name lexicon is not UTF-8 text.") from exc
            if not line or line.startswith("#"):
                continue
            if line.startswith("@"):
                feats = tuple(line[1:].split(","))
            elif feats is None:
                raise ModelError("The name lexicon has words before its first group line.")
            else:
                groups.setdefault(feats, []).extend(line.split(" "))
        return cls(groups)

    @classmethod
    def to_bytes(cls, groups: Mapping[tuple[str, ...], Iterable[str]], *, header: Sequence[str] = ()) -> bytes:
        """The file `from_bytes` reads; sorted and gzip'd without a timestamp, so the same input gives the
        same bytes (with the same zlib)."""
        # An entry of several words ("wordfreq" has a few) gives each word the entry's features, as the
        # space-separated version 1 file did: the same lookups from the same recipe.
        lexicon = cls({feats: [w for entry in words for w in entry.split(" ")] for feats, words in groups.items()})
        indices = array("H", lexicon._groups)
        if sys.byteorder != "little":
            indices.byteswap()
        head = [LEXICON_MAGIC, *(f"# {h}" for h in header), *("@" + ",".join(f) for f in lexicon._feats)]
        out = "\n".join(head).encode("utf-8") + b"\n\n" + f"{len(lexicon._words)}\n".encode()
        out += indices.tobytes() + "\n".join(lexicon._words).encode("utf-8")
        return gzip.compress(out, compresslevel=9, mtime=0)

    def __len__(self) -> int:
        return len(self._words)

    def words_with(self, feature: str) -> list[str]:
        """Every word that has `feature` ("cf": a census given name), sorted."""
        has = [feature in f for f in self._feats]
        return [w for w, g in zip(self._words, self._groups, strict=True) if has[g]]

    def __contains__(self, word: str) -> bool:
        return self._get(word) is not None

    def _get(self, word: str) -> tuple[str, ...] | None:
        words = self._words
        k = bisect_left(words, word)
        return self._feats[self._groups[k]] if k < len(words) and words[k] == word else None

    def features(self, low: str) -> tuple[str, ...]:
        """`low` is lowercase; looked up as is, then folded, then without a possessive."""
        f = self._get(low)
        if f is None:
            folded = fold(low)
            f = self._get(folded)
            if f is None and "-" in folded:  # "smith-jones": what its last part is
                f = self._get(folded.rsplit("-", 1)[1])
        return self.UNKNOWN if f is None else f

    def not_a_name(self, low: str) -> bool:
        """On philter-lite's list of words that are not names, and on no list of common names ("licence", "given"):
        a word that only its context could make a name."""
        feats = self.features(low)
        return "pn" in feats and not any(f in feats for f in ("cf1", "cl1", "g", "s"))

    def word_not_name(self, low: str) -> bool:
        """Round 19: an English word that is no name: on philter-lite's list of non-names and on no list of names
        at all ("licence", "helpline"), or an everyday one (Zipf 4 and up) on no list of common names ("given",
        "starts"); a surname of the census's long tail that philter-lite also lists ("mendelsohn") is a name."""
        feats = self.features(low)
        if not self.not_a_name(low):
            return False
        return not any(f in feats for f in _NAME_LISTS) or any(f in feats for f in _EVERYDAY_ZIPF)


#: The lexicon's name lists (census and philter-lite given names and surnames, the project's lists).
_NAME_LISTS = frozenset(("cf", "cf1", "cl", "cl1", "pf", "pl", "g", "s"))
_EVERYDAY_ZIPF = frozenset(f"z{k}" for k in range(4, 8))


def _word_class(tok: str) -> str:
    """What the token is, in one short string: a capitalised word, a lowercase one, a mark..."""
    ch = tok[0]
    if ch.isalpha():
        if tok.isupper() and len(tok) > 1:
            return "U"
        return "T" if ch.isupper() else "l"
    if ch.isdigit():
        return "d"
    return tok


#: Pharmacological name stems (USAN/INN): a word ending so is a drug far more often than a person.
DRUG_STEMS = (
    "pril", "olol", "statin", "mab", "azole", "dipine", "tide", "vir", "cillin", "mycin", "oxetine", "afil",
    "gliflozin", "sartan", "azepam", "prazole", "tinib", "parin", "floxacin", "cycline", "sone", "triptan",
    "caine", "profen", "setron", "lukast", "tidine", "dronate", "glitazone", "gliptin", "semide", "thiazide",
    "pramine", "triptyline", "barbital", "azosin", "terol", "olone", "asone", "oxacin", "conazole", "kinra",
)  # fmt: skip

_Word = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], str]


def _word_features(tok: str, doc: str, lexicon: Lexicon) -> _Word:
    """What one token contributes: its own features, and those it gives the words 2 and 1 before it
    and 1 and 2 after it; plus its lowercase form. Depends on the token and the text's casing only."""
    w = tok.lower()
    c = _word_class(tok)
    lex = lexicon.features(w) if c in "TlU" else ()
    own = ["w=" + w, "c=" + c + doc, "sh=" + shape(tok), "s3=" + w[-3:], "s2=" + w[-2:], "p2=" + w[:2], *lex]
    own.extend(x + doc + c for x in lex)
    if c in "TlU" and len(w) > 5 and w.endswith(DRUG_STEMS):
        own.append("dx")
    before1 = ("-1w=" + w, "-1c=" + c + doc, *("-1" + x for x in lex))
    before2 = ("-2w=" + w, *("-2" + x for x in lex))
    after1 = ("+1w=" + w, "+1c=" + c + doc, *("+1" + x for x in lex))
    after2 = ("+2w=" + w, *("+2" + x for x in lex))
    return tuple(own), before2, before1, after1, after2, w


def sentence_features(
    tokens: Sequence[str], *, cased: bool, lexicon: Lexicon, cache: dict[tuple[str, str], _Word] | None = None
) -> list[list[str]]:
    """One feature list per token of one chunk; `cased` says whether the whole text is cased. `cache`
    (token and casing -> its features) saves recomputing the words a text repeats."""
    doc = "C" if cased else "L"
    memo: dict[tuple[str, str], _Word] = {} if cache is None else cache
    words: list[_Word] = []
    for tok in tokens:
        key = (tok, doc)
        got = memo.get(key)
        if got is None:
            got = memo[key] = _word_features(tok, doc, lexicon)
        words.append(got)
    n = len(tokens)
    out: list[list[str]] = []
    for i in range(n):
        start = i == 0 or tokens[i - 1][0] in _OPENERS
        own = words[i][0]
        f = ["b", *own, "cs=" + own[1][2:] + ("S" if start else "M")]
        if i > 0:
            f.extend(words[i - 1][2])
            if i > 1:
                f.extend(words[i - 2][1])
                f.append("-21=" + words[i - 2][5] + "|" + words[i - 1][5])
            else:
                f.append("-2w=^")
        else:
            f.append("-1w=^")
        if i + 1 < n:
            f.extend(words[i + 1][3])
            if i + 2 < n:
                f.extend(words[i + 2][4])
                f.append("+12=" + words[i + 1][5] + "|" + words[i + 2][5])  # "... says the", "... speaking ,"
        else:
            f.append("+1w=$")
        out.append(f)
    return out


def chunks(tokens: Sequence[Token], text: str) -> list[list[Token]]:
    """Sentences, each a chunk the CRF tags on its own: cut at line breaks, at a sentence's closing mark
    (`_ends_sentence`: "Dr. Lee", "J. Okafor" and "example.com" go on), and at `_MAX_CHUNK_TOKENS`.

    Round 17: every sentence alone, as the model was trained (one sentence, its first word after "^"). Sentences
    joined in one chunk gave a sentence's first word the end of the one before as context: in a whole transcript
    ("... in a pot. Autumn packages ...") the tagger then took an opening word for a name it left alone in the
    sentence read by itself. A fragment of up to `_FRAGMENT_TOKENS` tokens ("Will Ashworth.", "Yes, Okafor.") stays
    with the sentence before it, whose cue it answers ("My name's Will. Will Ashworth.")."""
    ends = [k for k in range(len(tokens)) if _ends_sentence(tokens, k, text)]
    cut = {k for k, nxt in zip(ends, [*ends[1:], len(tokens) - 1], strict=False) if nxt - k > _FRAGMENT_TOKENS}
    out: list[list[Token]] = []
    current: list[Token] = []
    for k, tok in enumerate(tokens):
        if current and "\n" in text[current[-1].end : tok.start]:
            out.append(current)
            current = []
        current.append(tok)
        if k in cut or len(current) >= _MAX_CHUNK_TOKENS:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _ends_sentence(tokens: Sequence[Token], k: int, text: str) -> bool:
    """Whether token `k` closes a sentence: "!" or "?", or a full stop that ends no initial ("J."), title or
    abbreviation ("Mrs.", "St.", "approx."), before a space or the end and then no lowercase word."""
    tok = tokens[k]
    if tok.text not in _SENTENCE_END or k == 0 or text[tok.end : tok.end + 1] not in _AFTER_SENTENCE:
        return False
    if tok.text != ".":
        return True
    prev = tokens[k - 1].text
    if len(prev) == 1 or prev.lower() in _TITLES or prev.lower() in _ABBREVIATIONS:
        return False
    return k + 1 == len(tokens) or not tokens[k + 1].text[:1].islower()


def is_letter(tok: str) -> bool:
    """One letter alone: a piece of a name or a code spelled out ("w o j c i k")."""
    return len(tok) == 1 and tok.isalpha()


def spans_from_labels(tokens: Sequence[Token], labels: Sequence[str]) -> list[tuple[int, int]]:
    """[start, end) character spans of the B/I runs; an I with no B before it opens a span too. A spelling
    right after a name ("okafor o k a f o r") is a span of its own, as the evaluation sets mark it."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    end = 0
    prev = ""
    for tok, label in zip(tokens, labels, strict=True):
        if label == "B-NAME" and open_at is not None and is_letter(tok.text) == is_letter(prev):
            label = "I-NAME"  # two names in a row, a space apart, are one span ("tomasz tomasz wojcik")
        if label == "B-NAME" or (label == "I-NAME" and open_at is None):
            if open_at is not None:
                spans.append((open_at, end))
            open_at, end = tok.start, tok.end
        elif label == "I-NAME":
            end = tok.end
        elif open_at is not None:
            spans.append((open_at, end))
            open_at = None
        prev = tok.text
    if open_at is not None:
        spans.append((open_at, end))
    return spans


class NameTagger:
    """The CRF and its lexicon, loaded from bytes that the caller has verified. Not thread-safe: one
    detector (and so one tagger) per thread, as the detectors are used today."""

    def __init__(self, *, model: bytes, lexicon: Lexicon) -> None:
        import pycrfsuite  # a C extension: fast to import; only the product's detector needs it

        self.lexicon = lexicon
        self._cache: dict[tuple[str, str], _Word] = {}
        self._tagger = pycrfsuite.Tagger()
        # CRFsuite reads the model from this buffer for as long as the tagger lives: keep it alive here.
        self._model = bytes(model)
        try:
            self._tagger.open_inmemory(self._model)
        except (ValueError, OSError) as exc:
            raise ModelError("The name tagger's model could not be opened.") from exc
        if set(self._tagger.labels()) - set(LABELS):
            raise ModelError("The name tagger's model has labels this version does not know.")

    def spans(self, text: str) -> list[tuple[int, int, float]]:
        """Each NAME span the CRF tags, [start, end) in `text`, with its confidence: the lowest, over its
        tokens, of the marginal probability that the token is part of a name."""
        return self.tag(text)[0]

    def tag(self, text: str, *, unknown: bool = False) -> tuple[list[tuple[int, int, float]], bool]:
        """`spans`, and whether the text is cased. With `unknown`, in lowercase text, also each word the lexicon
        does not know at all whose marginal probability of being a name is at least `LISTED_PROBABILITY` though
        the best labelling left it out: the recognizer decides on those (`CrfNameRecognizer._unknown`)."""
        tokens = tokenize(text)
        if not tokens:
            return [], False
        cased = is_cased(tokens)
        out: list[tuple[int, int, float]] = []
        for chunk in chunks(tokens, text):
            words = [t.text for t in chunk]
            if len(self._cache) > _CACHE_WORDS:
                self._cache.clear()
            labels = self._tagger.tag(sentence_features(words, cased=cased, lexicon=self.lexicon, cache=self._cache))
            if unknown and not cased:
                for k, word in enumerate(words):
                    if labels[k] == "O" and word.isalpha() and self.lexicon.features(word.lower()) == Lexicon.UNKNOWN:
                        p = 1.0 - self._tagger.marginal("O", k)
                        if p >= LISTED_PROBABILITY:
                            out.append((chunk[k].start, chunk[k].end, p))
            if "B-NAME" not in labels and "I-NAME" not in labels:
                continue
            k = 0
            for start, end in spans_from_labels(chunk, labels):
                while chunk[k].start < start:
                    k += 1
                p = 1.0
                while k < len(chunk) and chunk[k].end <= end:
                    p = min(p, 1.0 - self._tagger.marginal("O", k))
                    k += 1
                out.append((start, end, p))
        return _join_particles(sorted(out), text), cased


def _join_particles(spans: list[tuple[int, int, float]], text: str) -> list[tuple[int, int, float]]:
    """Two names with only particles between them are one ("Pieter" van der "Berg"): the CRF often leaves the
    particles out, and the halves alone would leave the name readable."""
    out: list[tuple[int, int, float]] = []
    for s, e, p in spans:
        if out:
            ps, pe, pp = out[-1]
            if only_particles(text, pe, s):
                out[-1] = (ps, e, min(p, pp))
                continue
        out.append((s, e, p))
    return out


def _adjoin(kept: list[Entity], added: list[Entity], text: str) -> list[Entity]:
    """`kept` and `added` by start; a word added right beside a kept name (a space between) joins it: "Chae" and
    the tagger's "Ji-hun" are one name, not two halves."""
    out: list[Entity] = []
    new = set(added)
    for x in sorted(kept + added, key=lambda x: x.start):
        if out and (x in new or out[-1] in new) and text[out[-1].end : x.start] == " ":
            last = out.pop()
            x = Entity("NAME", last.start, x.end, max(last.score, x.score), last.detector)
        out.append(x)
    return out


def only_particles(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] holds one to three name particles and nothing else ("van der", "de la")."""
    between = text[a:b].split()
    return bool(between) and len(between) <= 3 and all(w.lower() in NAME_PARTICLES for w in between)


class CrfNameRecognizer:
    """The tagger as a recognizer, with the rules' hard negatives as vetoes.

    A span is dropped when it is an eponym ("Babinski sign"), part of an e-mail address ("mei dot chen at
    ..."), made only of function words, titles or months, or, in lowercase text, made only of everyday
    English words (Zipf >= 4) that are no common given name: lowercase ASR text gives the model nothing
    but context there, and the rules' cues already take "my name is hope". Spans that overlap an entity of
    another type lose to it (`core.redaction.overlaps.combine`).
    """

    name = TAGGER
    entities = frozenset({"NAME"})
    _after = re.compile(r"\s*(?:@|\.[^\W\d_])|\s+dot\b|(?:['’]s)?\s+(?P<head>[^\W\d_]+)", re.IGNORECASE)
    #: The rules' eponym heads: the diseases and things named after people ("Kaposi sarcoma").
    _heads = _EPONYM_HEADS
    _before_dot = re.compile(r"\bdot\s+$", re.IGNORECASE)
    _common = frozenset(f"z{k}" for k in range(4, 8))
    _middling = frozenset(f"z{k}" for k in range(3, 8))

    def __init__(
        self, tagger: NameTagger, *, min_probability: float = MIN_PROBABILITY, strong: float = STRONG_PROBABILITY
    ) -> None:
        self._tagger = tagger
        self._min_probability = min_probability
        self._strong = strong
        self._word_names = WordNames(tagger.lexicon.features)
        self._regions = load_places()[2]

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        out: list[Entity] = []
        spans, cased = self._tagger.tag(text, unknown=True)
        named_end = -1  # where the last name the tagger kept ends
        for s, e, p in spans:
            said = _WORDS.findall(text, s, e)
            while len(said) > 1 and is_letter(said[-1]) and not is_letter(said[-2]):
                # "rosa quispe mamani a": a letter after the names is an article or a slip, not a middle initial
                said.pop()
                e = text.rindex(said[-1], s, e) + len(said[-1])
            s, e, said = _trimmed(text, s, e, self._word_names.given)
            s, e, said = self._cut_tail(text, s, e, said)
            if not said:
                continue
            if len(said) > 2 and is_letter(said[0]) and is_letter(said[1]) and not is_letter(said[-1]):
                letters = "".join(w for w in said if is_letter(w)).lower()
                if letters in _LETTER_CODES:
                    continue  # "h t t p s colon ...": a web address read out
            if said and all(is_letter(w) for w in said):
                # Letters alone are a name only as the spelling of one just said, or after "spell".
                if len(said) >= 2 and self._spelling(text, s, said, named_end) and p >= LISTED_PROBABILITY:
                    out.append(Entity("NAME", s, e, round(0.5 + 0.45 * p, 4), self.name))
                    if (
                        len(said) >= 3
                    ):  # round 15: a double surname spelled half by half ("... R, hyphen, B A L O G U N ...");
                        named_end = e  # not two letters ("is it O U or U O?": letters compared)
                continue
            enough = p >= self._min_probability or (
                p >= LISTED_PROBABILITY
                and (
                    self._listed_pair(text, s, e)
                    or self._unknown(said, cased=cased)
                    or self._person_slot(text, s, e)
                    or (cased and self._rare_capital(text, s, said))
                )
            )
            if enough and not self._vetoed(text, s, e, p, cased=cased):
                out.append(Entity("NAME", s, e, round(0.5 + 0.45 * p, 4), self.name))
                named_end = e
        return self._beside_people(text, out, cased=cased)

    def _rare_capital(self, text: str, s: int, said: Sequence[str]) -> bool:
        """Round 15, cased text: one capitalised word mid-sentence, on a given-name or surname list and rarer than
        Zipf 3 in English, that no list calls a word, a place or no name, after a word and a space ("to reach Leota",
        "then Ramanathan sent it"): the capital and the lists say what the tagger's middling weight does not."""
        if len(said) != 1 or _sentence_start(text, s) or not said[0][:1].isupper() or said[0].isupper():
            return False
        if text[s + len(said[0]) : s + len(said[0]) + 2] in ("'s", "’s"):
            return False  # a possessive is a disease's as often ("suspect Hashimoto's"): `_person_slot` reads its head
        low = fold(said[0])
        feats = self._tagger.lexicon.features(low)
        if any(f in ("a", "m", "pn", "pc", "pp") for f in feats) or len(low) < 3 or low.endswith(DRUG_STEMS):
            return False
        # not a place's: after a preposition of place or in a list ("a stall on Ferncroft", "to Ardfinnan, Clogheen")
        prev = _PREVIOUS_WORD.search(text, max(0, s - 30), s)
        if prev is None or prev.group(1).lower() in ("on", "of", "and", "or") or _PLACE_PREPOSITION.search(text, 0, s):
            return False
        return self._listed(low) and self._rare(low)

    def _cut_tail(self, text: str, s: int, e: int, said: list[str]) -> tuple[int, int, list[str]]:
        """Round 15: the tagged span without what the tagger ran on into after the name: a number word and all after it
        ("teodoro arambula seventy-four born ...": an age the name would otherwise lose to, and hide), and a very common
        word philter-lite lists as no name that is on no given-name or common surname list ("fonoti born in ...")."""
        found = list(_WORDS.finditer(text, s, e))
        if len(found) < 2 or all(is_letter(m.group()) for m in found):
            return s, e, said
        for k in range(1, len(found)):
            parts = found[k].group().lower().split("-")
            if len(found[k].group()) >= 3 and all(part in _NUMBER_WORDS for part in parts):
                # what follows the number is no part of a name ("... seventy-four born"; not "Ruth Two Rivers")
                if all(self._common_tail(m.group()) or m.group().lower() in _NUMBER_WORDS for m in found[k + 1 :]):
                    found = found[:k]
                break
        while len(found) > 1 and (
            self._common_tail(found[-1].group())
            or fold(found[-1].group()) in _LETTER_CODES
            or found[-1].group() in _PRONOUNS
        ):
            # round 17: nor a code's cue ("... wen-li zhou dea f z 9 1 ..."), nor a clause's subject in lowercase ("his
            # wife yvette he passed away"): carried as a name, they made every other one in the transcript a name
            found.pop()
        if len(found) == len(said):
            return s, e, said
        return found[0].start(), found[-1].end(), [m.group() for m in found]

    def _common_tail(self, word: str) -> bool:
        """An everyday word of Zipf 5 and over that philter-lite lists as no name and no list as a given name or a
        common surname ("born", "came"): no part of the name before it."""
        feats = self._tagger.lexicon.features(fold(word))
        if len(word) < 3:
            return False  # a letter of a spelling after the name ("moss m o s s")
        common = any(f in ("z5", "z6", "z7") for f in feats)
        return common and "pn" in feats and not any(f in ("cf", "g", "cl1", "s") for f in feats)

    def _person_slot(self, text: str, s: int, e: int) -> bool:
        """Whether [s, e) sits where a person is spoken of: right after a relation or role ("her ex-boyfriend
        X", "wife X"), before a possessive of one ("X's mom", "X's sons", "X's birthday"), or where a booking
        is held ("the table is under X")."""
        return (
            self._after_relation(text, s)
            or POSSESSED.match(text, e) is not None
            or BOOKED_UNDER.search(text, max(0, s - 60), s) is not None
        )

    @staticmethod
    def _after_relation(text: str, s: int) -> bool:
        before = _WORDS.findall(text, max(0, s - 34), s)
        while before and before[-1].lower() in _HESITATIONS:
            before.pop()  # round 16: "her neighbour, um, X"
        if not before:
            return False
        # "her ex-husband X", "great-aunt X"; round 15: "my brother-in-law X", "his sisters-in-law X and Y"
        said = _IN_LAW.sub("", before[-1].lower())
        # round 19 (speed): the mark looked for in the few characters before, not in a copy of all the text before
        return said.rsplit("-", 1)[-1] in RELATIONS and text[max(0, s - 40) : s].rstrip()[-1:] not in ".!?"

    def _beside_people(self, text: str, kept: list[Entity], *, cased: bool) -> list[Entity]:
        """Words the tagger gave little weight that the company they keep makes people: a name coordinated with a
        name it kept ("X and Teodor Vasquez-Lind", "faith and bogdana"), or with a relation ("X and her mother", "X,
        that's her granddaughter", "X and Y, my cousins"), a name word right after a relation ("his wife
        grace"), a rare word before a relation's possessive ("X's mom"), a booking ("under X"), a word the
        speaker corrected to a name ("X no, sorry, Y Z"), and a word of a full name the tagger kept said again
        elsewhere ("It's Blessing. ... Blessing Adeyemi-Cole"). Each must still look like a name (`_person_word`) and
        pass the vetoes; one right beside a kept name joins it."""
        words = [(m.start(), m.end(), m.group()) for m in _WORDS.finditer(text)]
        kept = self._with_initials(text, kept, words, cased=cased)
        covered = bytearray(len(text))
        for x in kept:
            covered[x.start : x.end] = b"\x01" * (x.end - x.start)
        # A name the tagger is sure of vouches for any partner; a doubtful one only for a rare word ("Ozren and
        # Bogdana"), not for a known word ("Regent and Hyatt"), and only when it is on
        # a name list itself: two unknown drug names side by side are not people.
        sure = self._partners(text, [x for x in kept if x.score >= 0.5 + 0.45 * self._strong])
        listed = self._partners(
            text, [x for x in kept if any(self._listed(w) for w in _WORDS.findall(text, x.start, x.end))]
        )
        full = {
            fold(w)
            for x in kept
            for w in (lambda ws: [ws[0], ws[-1]] if len(ws) > 1 else [])(_WORDS.findall(text, x.start, x.end))
            if w not in _PRONOUNS  # round 17: "... kirkpatrick he had": no pronoun is carried as a name
        }
        added: list[Entity] = self._spelled_back(text, covered, cased=cased)
        heads = {x.start: x for x in kept}
        cues = _Cues.of(text)
        roll = self._roll(text, words) if _ATTENDANCE.search(text) else set()
        for k, (s, e, w) in enumerate(words):
            if w[-2:].lower() in ("'s", "’s"):  # "Lucan's mom": the name without its possessive
                w, e = w[:-2], e - 2
            if covered.find(1, s, e) >= 0:
                continue
            if k in roll and not self._vetoed(text, s, e, 1.0, cased=True, slot=True):
                added.append(Entity("NAME", s, e, 0.7, self.name))
                covered[s:e] = b"\x01" * (e - s)
                continue
            slot = self._speaker_slot(text, s, e, w, cues, cased=cased) or self._word_names.name_use(
                text, s, e, w, cased=cased, full=full
            )
            if slot and not self._vetoed(text, s, e, 1.0, cased=True, slot=True):
                added.append(Entity("NAME", s, e, 0.7, self.name))
                covered[s:e] = b"\x01" * (e - s)
                continue
            if (
                k + 1 < len(words)
                and self._given_before(text, (s, e, w), words[k + 1][0], heads, cased=cased)
                and not self._vetoed(text, s, heads[words[k + 1][0]].end, 1.0, cased=cased, slot=True)
            ):
                added.append(Entity("NAME", s, e, 0.7, self.name))
                covered[s:e] = b"\x01" * (e - s)
                # a full name now: its given name said again later is the person too ("i'm penny okafor-lund ...
                # it's penny with the referral")
                head = heads[words[k + 1][0]]
                full.update((fold(w), fold(_WORDS.findall(text, head.start, head.end)[-1])))
                continue
            if (
                k
                and s in cues.kin
                and self._kin_named(text, s, e, w, cased=cased)
                and not self._vetoed(text, s, e, 1.0, cased=True, slot=True)
            ):
                added.append(Entity("NAME", s, e, 0.7, self.name))
                covered[s:e] = b"\x01" * (e - s)
                continue
            if not self._person_word(w, cased=cased):
                continue
            before = words[k - 1][2] if k else ""
            coordinated = (s in sure or e in sure or (self._rare(w) and (s in listed or e in listed))) and not (
                # a title before a name of its own ("with alderwoman brisco and alderwoman quennell")
                k + 1 < len(words)
                and text[e : words[k + 1][0]] == " "
                and self._person_word(words[k + 1][2], cased=cased)
            )
            # After a relation or role ("her ex-husband duarte") the slot speaks for a person: an everyday
            # word there needs a given-name list, not the lowercase vetoes' silence; but no verb's "-s" form in
            # lowercase text ("her husband walks the dog").
            cue = (
                bool(before)
                and self._after_relation(text, s)
                # round 14: a letter's or a fax's "attention X": a name no list has, English hardly knows, will do
                and (self._given_like(w) or self._rare_after_role(w, before))
                # round 15: after a role, no word philter-lite lists as no name unless a census or project given
                # name ("the landlord story is that ...")
                and (
                    before.lower() not in ROLES
                    or "pn" not in self._tagger.lexicon.features(fold(w))
                    or self._word_names.given(fold(w))
                )
                and not _sentence_start(text, s)
                and (cased or not self._verb_s(w))
                and (cased or not self._relation_did(text, s, e, w))
            )
            related = (
                cue
                or WITH_RELATION.match(text, e) is not None
                # not after "of": "history of menkhaus's father" is a disease's possessive
                or (
                    POSSESSED.match(text, e) is not None
                    # round 14: after "of" a given name of the census's or the project's lists ("a friend of X's
                    # brother"), not a rare word ("history of menkhaus's father")
                    and (before.lower() != "of" or (self._word_names.given(fold(w)) and not self._everyday(fold(w))))
                    # round 14: no noun's possessive after a determiner ("the tipster's email")
                    and before.lower() not in _DETERMINERS
                    # round 12: a given name that is no everyday word before a relation's possessive ("ruth's son"),
                    # not a noun's ("the bill's ...")
                    and (self._rare(w) or self._possessor(w, before, _CLINICAL_OWNED.match(text, e) is None))
                )
                or (
                    "under" in text[max(0, s - 20) : s].lower()
                    and BOOKED_UNDER.search(text, max(0, s - 60), s) is not None
                    and self._listed(w)
                )
                or self._corrected(text, e, before, covered)
            )
            again = fold(w) in full and (cased or "a" not in self._tagger.lexicon.features(fold(w)))
            if (coordinated or related or again) and not self._vetoed(text, s, e, 1.0, cased=cased or cue):
                added.append(Entity("NAME", s, e, 0.7, self.name))
                covered[s:e] = b"\x01" * (e - s)
                continue
            initials = self._initials(text, words, k, cased=cased)
            if (
                initials is not None
                and covered.find(1, initials, e) < 0
                and not self._vetoed(text, initials, e, 1.0, cased=cased, slot=True)
            ):
                added.append(Entity("NAME", initials, e, 0.7, self.name))
                covered[initials:e] = b"\x01" * (e - initials)
                continue
            named = k > 0 and covered[words[k - 1][0]] == 1
            if k and (
                self._surname_after_given(text, words[k - 1], w, s, cased=cased, named=named)
                or (not cased and self._common_surname_after_rare(text, words[k - 1], w, s))
                or (not cased and self._rare_pair(text, words[k - 1], w, s))
            ):
                # round 7: "client edda przybylska", "for ottilie vandersloot": a given name and the rare word after it
                start = s if covered[s - 1] else words[k - 1][0]
                if not self._vetoed(text, start, e, 1.0, cased=cased):
                    added.append(Entity("NAME", start, e, 0.7, self.name))
                    covered[start:e] = b"\x01" * (e - start)
        added += self._said_again(text, words, kept, added, covered, cased=cased)
        return _adjoin(kept, added, text)

    def _said_again(
        self,
        text: str,
        words: Sequence[tuple[int, int, str]],
        kept: Sequence[Entity],
        added: Sequence[Entity],
        covered: bytearray,
        *,
        cased: bool,
    ) -> list[Entity]:
        """Round 17: a name found once in the transcript said again there bare ("your brother troy ... troy lives in
        ...", "my sister liesl ... liesl's number is ...", "her father was ole, just ole"). The name: one word the
        tagger is sure of and no doubtful word, or one a person's slot gave (`added`), or the first or last word of a
        full name. Said again, it is the person where a name is said: before a possessive, a report's, a life's or a
        deed's verb or what follows a name and never a verb ("troy lives", "X who", "X is"), after "just", "oh",
        "or" or a greeting; never a function word, month or modal ("may", "will"), nor a verb or a noun by the word
        before it, and the vetoes apply."""
        seeds: set[str] = set()
        sure = 0.5 + 0.45 * self._strong
        for given, found in ((False, kept), (True, added)):
            for x in found:
                said = _WORDS.findall(text, x.start, x.end)
                if len(said) > 1:
                    seeds.update(fold(w) for w in (said[0], said[-1]) if not is_letter(w))
                    # round 20: a double surname's halves, each said again alone ("Quintanilla-Reyes ... Quintanilla
                    # with a Q, then hyphen Reyes")
                    if "-" in said[-1]:
                        seeds.update(fold(said[-1]).split("-"))
                elif said and (given or (x.score >= sure and not self._doubtful(said[0], cased=cased))):
                    seeds.add(fold(said[0]))
        features = self._tagger.lexicon.features
        seeds = {  # no function word, month or code's cue, nor a word English says all the time ("he", "she")
            w
            for w in seeds
            if len(w) >= 3
            and w not in _STOP
            and w not in MONTH_WORDS
            and w not in _LETTER_CODES
            and not any(f in ("z6", "z7") for f in features(w))
        }
        out: list[Entity] = []
        for s, e, w in words:
            if w[-2:].lower() in ("'s", "’s"):
                w, e = w[:-2], e - 2
            low = fold(w)
            if low not in seeds or covered.find(1, s, e) >= 0 or not self._person_word(w, cased=cased):
                continue
            if not WordNames.as_a_name(text, s, e):
                continue  # "to mark", "the rose", "mark the chart"
            if not cased and _DETERMINED_BEFORE.search(text, max(0, s - 30), s):
                continue  # "the other X", "her X": a noun phrase in lowercase
            nxt = _NEXT_WORD.match(text, e)
            after = nxt.group(1).lower() if nxt else ""
            prev = _PREVIOUS_WORD.search(text, max(0, s - 30), s)
            before = prev.group(1).lower() if prev else ""
            # a name that is also a word ("justice", "gold", "wood") only where a person's deed, report, people or
            # things follow, not where any subject or possessor does ("Justice is slow", "Wood's lamp")
            plain = not ("a" in features(low) or self._everyday(low))
            slot = (
                (plain and (text[e : e + 2] in ("'s", "’s") or after in AFTER_A_NAME))
                or POSSESSED.match(text, e) is not None
                or REPORTS.match(text, e) is not None
                or LIVES.match(text, e) is not None
                or DID_AFTER.match(text, e) is not None
                or NAMED_AS.match(text, e) is not None
                # round 20: a spelling's note or its joiner ("X with a Q", "hyphen X")
                or SPELLING_NOTE.match(text, e) is not None
                or before in _SAID_AGAIN_BEFORE
                or GREETED.search(text, max(0, s - 30), s) is not None
            )
            if slot and not self._vetoed(text, s, e, 1.0, cased=True, slot=True):
                out.append(Entity("NAME", s, e, 0.7, self.name))
                covered[s:e] = b"\x01" * (e - s)
        return out

    def _given_before(
        self, text: str, word: tuple[int, int, str], nxt: int, heads: Mapping[int, Entity], *, cased: bool
    ) -> bool:
        """Round 15: the given name the tagger cut off a full name it kept ("wairimu" kamau, "charity" mbeki, "Charity"
        Mbeki, "ka'iulani" mahoe): one space before the kept name, a word on the census's or the project's given-name
        list, or one English hardly knows (Zipf < 3, on a name list or on none) that no list calls a word or a place,
        and not after a preposition of place; no function word, title, month, role, relation or verb said as a name
        ("nurse", "sister", "call"). An ambiguous name or an everyday word ("charity", "grace") not as a verb or a
        noun by the word before it ("to", "the"), and only before a name the tagger is sure of or, in cased text,
        capitalised mid-sentence ("Interviewing Charity Mbeki"); a word philter-lite lists as no name only so."""
        s, e, w = word
        head = heads.get(nxt)
        if head is None or text[e:nxt] != " ":
            return False
        low = fold(w)
        if len(low) < 2 or low in _STOP or low in _TITLES or low in MONTH_WORDS or low in _NUMBER_WORDS:
            return False
        if any(low in words for words in (RELATIONS, REPORTING_ROLES, VERB_NAMES, _PLACE_HEADS_BEFORE, HOLIDAYS)):
            return False
        if cased and (not w[:1].isupper() or w.isupper()):
            return False
        feats = self._tagger.lexicon.features(low)
        if any(f in ("m", "pc", "pp") for f in feats) or low.endswith(WORD_SUFFIXES):
            return False
        if "'" in low or "’" in low:
            # an okina or a glottal stop said inside a name ("ka'iulani"), not a contraction ("it's", "ma'am")
            parts = re.split(r"['’]", low)
            return feats == Lexicon.UNKNOWN and all(len(p) >= 2 and p not in _STOP for p in parts)
        mid_capital = cased and not _sentence_start(text, s)
        if "pn" in feats and not (mid_capital and self._word_names.given(low)):
            return False
        if "a" in feats and head.score < 0.5 + 0.45 * self._strong and not mid_capital:
            return False
        if ("a" in feats or self._everyday(low)) and not WordNames.as_a_name(text, s, e, after=False):
            return False  # "to bill", "the grace": a verb or a noun by the word before it
        if self._word_names.given(low):
            return True
        # a word no list knows as a given name: not after a preposition of place ("at Bahcelik Mahallesi")
        rare = feats == Lexicon.UNKNOWN or (self._listed(low) and any(f in ("z0", "z1", "z2") for f in feats))
        return rare and _PLACE_PREPOSITION.search(text, max(0, s - 12), s) is None

    def _roll(self, text: str, words: Sequence[tuple[int, int, str]]) -> set[int]:
        """Round 16: the given names in a roll of those present ("present were X, Y and Z", "attendees X, Y, and Z",
        "in attendance: X and me, Y"): after the cue, the roll runs while each word is a name, a title, a
        conjunction, "me" or a hesitation; each word in it on a given-name list (philter-lite's too), or one English
        hardly knows, and no function word, role, relation, month or everyday word, is a person (their indexes)."""
        found: set[int] = set()
        starts = {s: k for k, (s, _, _) in enumerate(words)}
        for cue in _ATTENDANCE.finditer(text):
            k = starts.get(_past_hesitation(text, cue.end()))
            while k is not None and k < len(words):
                _, e, w = words[k]
                low = fold(w)
                if low in _ROLL_LINKS or low in _TITLES:
                    pass
                elif self._roll_name(w, cased=text != text.lower()):
                    found.add(k)
                elif not (found and self._person_word(w, cased=False)):
                    break  # the roll ends ("... and pita. we went through ..."); a surname after a name goes on
                if k + 1 < len(words) and re.search(r"[.;:?!]", text[e : words[k + 1][0]]):
                    break
                k += 1
        return found

    def _roll_name(self, word: str, *, cased: bool) -> bool:
        low = fold(word)
        if len(low) < 3 or any(low in ws for ws in (_STOP, MONTH_WORDS, RELATIONS, REPORTING_ROLES, _NUMBER_WORDS)):
            return False
        if cased and (not word[:1].isupper() or word.isupper()):
            return False
        feats = self._tagger.lexicon.features(low)
        if any(f in ("m", "pc", "pp") for f in feats) or (not cased and ("a" in feats or self._everyday(low))):
            return False
        return self._given_like(low) or feats == Lexicon.UNKNOWN or self._rare(low)

    def _kin_named(self, text: str, s: int, e: int, word: str, *, cased: bool) -> bool:
        """Round 16: a given name that is also a modal, a month or an everyday word ("will", "may", "june", "joy"),
        which the caller has seen comes right after a person's relation said with its possessive ("his son Will", "my
        wife, May,", "her neighbour, um, joy"): in cased text capitalised mid-sentence; in lowercase text, where "his
        son will say" is a modal, only before what follows a name and never a modal (a relative, a conjunction, "is",
        "says") or at the end."""
        low = fold(word)
        if len(low) < 3 or low in _TITLES or low in RELATIONS or low in REPORTING_ROLES or not self._given_name(low):
            return False
        if (
            low not in _STOP
            and low not in MONTH_WORDS
            and not self._everyday(low)
            and "a" not in self._tagger.lexicon.features(low)
        ):
            return False  # a plain given name: the relation's rule already reads it
        if cased and (not word[:1].isupper() or word.isupper() or _sentence_start(text, s)):
            return False
        # the capital mid-sentence says the name
        return cased or text[e : e + 1] in (",", ".", "?", "!", ";") or WordNames.followed_as_a_name(text, e)

    def _rare_after_role(self, word: str, before: str) -> bool:
        """A word English hardly knows (Zipf < 3) right after a relation or role: a letter's "attention X" (round 14);
        round 15, any relation or role but a patient's ("the grandmother X", "interpreter X", "the postman, X"), the
        word on no list of words, places or no-names, and no verb's or adverb's form ("the patient desaturated")."""
        low = fold(word)
        if not self._rare(low) or len(low) < 3 or low.endswith(("ed", "ing", "ly")):
            return False
        if any(f in ("m", "pn", "a", "pc", "pp") for f in self._tagger.lexicon.features(low)):
            return False
        return before.lower() not in ("patient", "patients")

    def _spelled_back(self, text: str, covered: bytearray, *, cased: bool) -> list[Entity]:
        """Round 14: a name spelled out letter by letter right after it was said ("so that's haldane, h a l d a n e",
        "Feinstein with E I? Yes, F E I N S T E I N"): a run of three or more single letters that spells a word said
        at most a few sentences before, that word a name of a list or one English hardly knows (no everyday word, no
        word of the project's or philter-lite's lists of non-names); the word and its letters are both the name.

        Round 19: the letters are one span, not a span each: letters joined by hyphens ("a-c-h-t-e-r-b-e-r-g") are
        one word to `_adjoin`, which joins only what a space parts, so each letter stood alone, a dozen false
        one-letter names and the spelling itself missed. A double name's halves spelled with "dash" or "hyphen"
        between ("a-l dash h-a-m-d-a-n-i", "j i hyphen w o o") are one run, and a name with its particle ("van wyk",
        "de luca") is spelled as the two words run together."""
        out: list[Entity] = []
        for run in _LETTER_RUN.finditer(text):
            rs, re_ = run.span()
            letters = "".join(m.group() for m in _A_LETTER.finditer(_JOINER.sub(" ", run.group())))
            if len(letters) < 3 or fold(letters) in _LETTER_CODES:
                continue
            said: tuple[int, int, str] | None = None
            particle: re.Match[str] | None = None
            for m in _WORDS.finditer(text, max(0, rs - 120), rs):
                word = fold(m.group()).replace("-", "")
                if word == fold(letters):
                    said = (m.start(), m.end(), m.group())
                elif particle is not None and fold(particle.group()) + word == fold(letters):
                    said = (particle.start(), m.end(), m.group())  # the particle goes with the name it spells
                particle = m if fold(m.group()) in NAME_PARTICLES else None
            if said is None:
                continue
            said_start, said_end, said_word = said
            low = fold(said_word)
            feats = self._tagger.lexicon.features(low)
            if any(f in ("m", "a") for f in feats) or self._everyday(low) or low in _STOP:
                continue
            if "pn" in feats and not (self._rare(low) and any(f in ("cl", "s", "cf", "g") for f in feats)):
                continue  # round 15: a census name English hardly knows that philter-lite lists as a word ("nystrom")
            if not (feats == Lexicon.UNKNOWN or self._rare(low) or self._listed(low)):
                continue
            if cased and not any(part[:1].isupper() for part in said_word.split("-")):
                continue  # a capital on one half will do ("al-Hamdani")
            if covered.find(1, said_start, said_end) < 0:
                out.append(Entity("NAME", said_start, said_end, 0.7, self.name))
                covered[said_start:said_end] = b"\x01" * (said_end - said_start)
            # the letters the tagger left out, each stretch of them one span (`_adjoin` joins one beside a kept name);
            # "dash" or "hyphen" between two letters left out is inside the stretch
            stretches: list[list[int]] = []
            for m in _RUN_LETTER.finditer(text, rs, re_):
                a, b = m.span()
                if covered[a]:
                    stretches.append([])
                elif stretches and stretches[-1]:
                    stretches[-1][1] = b
                else:
                    stretches.append([a, b])
            for a, b in (x for x in stretches if x):
                out.append(Entity("NAME", a, b, 0.7, self.name))
                covered[a:b] = b"\x01" * (b - a)
        return out

    def _surname_after_given(
        self, text: str, before: tuple[int, int, str], word: str, s: int, *, cased: bool, named: bool = False
    ) -> bool:
        """A full name the tagger left out or cut after its given name (round 7): a word on a given-name list that is
        neither an everyday word nor one of the ambiguous names ("grace", "chester"), then, one space on, a word rare
        in English (Zipf < 3) or unknown to it that can be a name: "edda przybylska", "ottilie vandersloot". An
        everyday word after a name ("rose garden"), a word philter-lite lists as no name, and a model after a brand
        that only philter-lite lists as a given name ("nissan sentra") fail here; the vetoes still apply. Round 8: a
        given name already `named` by its slot may be an everyday word ("his sister hope delacroix")."""
        bs, be, first = before
        low = fold(first)
        if text[be:s] != " " or low in _STOP or low in _TITLES or low in MONTH_WORDS:
            return False
        hyphened = self._hyphened_given(low)
        if not hyphened and not self._given_like(low):
            return False
        feats = self._tagger.lexicon.features(low.split("-", 1)[0] if hyphened else low)
        if cased and not first[:1].isupper():
            return False
        said = fold(word)
        known = self._tagger.lexicon.features(said)
        if hyphened and ("cl" in known or "s" in known) and self._person_word(word, cased=cased):
            return "m" not in known and not self._verb_s(said)  # round 12: a hyphenated given name, then "park"
        if cased and word[:1].isupper() and _QUOTED_BY.search(text, max(0, bs - 20), bs):
            # round 14: a quote's speaker after its verb ("..., said Terrence Fulton, the shift lead"): a census or
            # project given name and a census or project surname, both capitalised, neither an everyday word
            plain = not any(f in ("a", "m", "pn") for f in feats + known)
            return plain and any(f in ("cf", "g") for f in feats) and any(f in ("cl", "s") for f in known)
        if self._double_surname(said) and (not cased or word[:1].isupper()):
            # round 12: a given name, then a double surname one of whose halves English hardly knows ("florence
            # adeyemi-brooks", "marc tillingham-roy"): the lexicon reads the pair by its last half, a word or a name
            placed = "pc" in feats and _PLACE_PREPOSITION.search(text, max(0, bs - 12), bs) is not None
            given = any(f in ("cf", "g") for f in feats)
            return given and not placed and WordNames.as_a_name(text, bs, be, after=False)
        if (
            named
            and ("cl1" in known or "s" in known)
            and not any(f in ("m", "pc", "pp") for f in known)
            and said not in _STOP
            and self._person_word(word, cased=cased)
            and not self._verb_s(said)
        ):
            return True  # round 15: a slot's given name, then a common surname philter-lite lists as a word ("lee")
        if not self._person_word(word, cased=cased) or "pn" in known or self._verb_s(said):
            return False  # "kemal forklift": philter-lite's list of words that are no names
        # round 12: a census surname said less often than Zipf 3.5 ("harcourt", "keating") is as good as a rare one
        mid_surname = ("cl" in known or "s" in known) and "zh6" in known and "m" not in known
        if not named and ("a" in feats or self._everyday(low)):
            # round 12: a given name that is also a word ("hope", "devon", "bill") before a surname-like word that is
            # no word of English: "for hope abernathy", "told florence oduya"; not as a verb, a modal or a noun by the
            # word before it ("i hope ...", "to bill ...", "the patient's bill ...")
            strong = mid_surname or known == Lexicon.UNKNOWN or (self._rare(said) and "m" not in known)
            # a place's name after a preposition of place is the place ("through chester quennevault")
            placed = "pc" in feats and _PLACE_PREPOSITION.search(text, max(0, bs - 12), bs) is not None
            return (
                strong
                and not placed
                and any(f in ("cf", "g") for f in feats)
                and said not in _STOP
                and WordNames.as_a_name(text, bs, be, after=False)
            )
        surname = any(f in ("cl", "s", "pl") for f in known)
        if named and ("cl1" in known or "s" in known) and "m" not in known and said not in _STOP:
            return True  # round 8: "the witness X wilson": a slot's given name and a common surname after it
        if surname:  # "ottilie vandersloot"; after a given name only philter-lite lists, a census or project surname
            given = any(f in ("cf", "g") for f in feats)
            # a census surname of Zipf 3 to 3.5 only after a census or project given name ("toyota corolla")
            return (self._rare(said) and (given or "cl" in known or "s" in known)) or (mid_surname and given)
        # on no list: rarer than Zipf 2 ("dictating" is Zipf 2), after a census or project given name ("nissan sentra")
        return (known == Lexicon.UNKNOWN or "z0" in known or "z1" in known) and any(f in ("cf", "g") for f in feats)

    def _common_surname_after_rare(self, text: str, before: tuple[int, int, str], word: str, s: int) -> bool:
        """Round 12, lowercase text: a word English hardly knows that is no everyday word, no drug and no word of
        philter-lite's non-names, then, one space on, a surname of the project's list or the census's top ones
        ("yevgenia orlova", "iolanthe brady", "alistair ferguson"): a full name, where the tagger gives both words
        little weight after an ordinary context word ("reading back", "a caregiver for"). The first word may be on a
        given-name list but must be said less often than Zipf 3.5; a determiner or a pronoun before it makes it a noun
        or a verb ("the bibasal ..."), and a surname philter-lite lists as no name must be no common word ("washington",
        Zipf 5)."""
        bs, be, first = before
        low, said = fold(first), fold(word)
        if text[be:s] != " " or len(low) < 4 or not low.isalpha() or not VOWELS.intersection(low):
            return False
        feats = self._tagger.lexicon.features(low)
        rare = feats == Lexicon.UNKNOWN or "zh6" in feats or any(f in ("z0", "z1", "z2") for f in feats)
        if not rare or any(f in ("a", "m", "pn", "pc", "pp") for f in feats) or self._everyday(low):
            return False
        if low.endswith((*DRUG_STEMS, *WORD_SUFFIXES)) or not WordNames.as_a_name(text, bs, be, after=False):
            return False
        if self._compound(low):
            return False  # "councilmember bauer": a title made of two everyday words
        known = self._tagger.lexicon.features(said)
        if not ("s" in known or "cl1" in known) or "m" in known or said in _STOP or self._verb_s(said):
            return False
        return "pn" not in known or not any(f in self._common for f in known)

    def _with_initials(
        self, text: str, kept: list[Entity], words: Sequence[tuple[int, int, str]], *, cased: bool
    ) -> list[Entity]:
        """Round 15: the names the tagger kept, each with the initials said before it ("T. K." Pettigrew)."""
        index = {w[0]: k for k, w in enumerate(words)}
        out = []
        for x in kept:
            k = index.get(x.start)
            start = self._initials_start(text, words, k, cased=cased) if k else None
            out.append(x if start is None else Entity("NAME", start, x.end, x.score, x.detector))
        return out

    def _initials(self, text: str, words: Sequence[tuple[int, int, str]], k: int, *, cased: bool) -> int | None:
        """Round 15: where a surname's initials start ("signed by T. K. Pettigrew", "made out to J. Oduya",
        lowercase "m l pettigrew"), the surname on a list and English hardly knowing it (Zipf < 3), or a word no list
        has (`_initials_start`)."""
        if k == 0 or len(words[k - 1][2]) != 1:
            return None  # no initial right before (the common case, tested first)
        word = words[k][2]
        low = fold(word)
        if len(low) < 3 or not low.isalpha() or (cased and (not word[:1].isupper() or word.isupper())):
            return None
        feats = self._tagger.lexicon.features(low)
        if any(f in ("m", "a", "pc", "pp") for f in feats) or low in _STOP or low.endswith(WORD_SUFFIXES):
            return None
        if not (feats == Lexicon.UNKNOWN or (self._rare(low) and any(f in ("cl", "s", "pl") for f in feats))):
            return None
        return self._initials_start(text, words, k, cased=cased)

    @staticmethod
    def _initials_start(text: str, words: Sequence[tuple[int, int, str]], k: int, *, cased: bool) -> int | None:
        """Where the initials before the word `k` start: one or two, in cased text capitals (a lone "A" or "I" only
        with its full stop), in lowercase two letters and neither "a" nor "i"; not inside a spelling (no letter before
        the first initial)."""
        start, count, at = words[k][0], 0, k
        while at > 0 and count < 2:
            ls, le, letter = words[at - 1]
            gap = text[le:start]
            if not is_letter(letter) or gap.strip(". ") != "" or "\n" in gap or len(gap) > 2:
                break
            dotted = gap.startswith(".")
            if cased and not (letter.isupper() and (dotted or letter not in ("A", "I"))):
                break
            if not cased and letter in ("a", "i"):
                break
            start, count, at = ls, count + 1, at - 1
        if count == 0 or (not cased and count < 2):
            return None
        if at > 0 and is_letter(words[at - 1][2]) and len(text[words[at - 1][1] : start]) <= 2:
            return None  # a spelling's letters run on before them
        return start

    def _rare_pair(self, text: str, before: tuple[int, int, str], word: str, s: int) -> bool:
        """Round 15, lowercase text: two words English hardly knows (Zipf < 3), one space apart, the first a given name
        of a list or on no list, the second a surname of a list or on none, one of them on a name list ("nkemelu
        ramanathan", "ifeoma fonoti", "bogdana wisniewska"): a full name from abroad that the tagger, after an ordinary
        context word, weighs little. No word of the lists of words, places or no-names, no ambiguous name, drug,
        derived or compound word; a given name before a surname of the project's list even when that is a word
        ("obadiah washington")."""
        bs, be, first = before
        low, said = fold(first), fold(word)
        if text[be:s] != " " or low in _STOP or said in _STOP:
            return False
        if not WordNames.as_a_name(text, bs, be, after=False):
            return False
        f1, f2 = self._tagger.lexicon.features(low), self._tagger.lexicon.features(said)
        given = self._given_like(low) and self._rare(low)
        if given and "s" in f2 and not any(f in ("pc", "pp", "a", "m") for f in f1) and self._plain_word(low):
            return not any(f in ("m", "a") for f in f2) and not self._verb_s(said)
        if not (self._plain_word(low) and self._plain_word(said)):
            return False
        if any(f in ("a", "m", "pn", "pc", "pp") for f in f1 + f2):
            return False
        first_ok = f1 == Lexicon.UNKNOWN or given
        second_ok = f2 == Lexicon.UNKNOWN or (self._rare(said) and any(f in ("cl", "s", "pl") for f in f2))
        return first_ok and second_ok and not f1 == f2 == Lexicon.UNKNOWN

    def _plain_word(self, low: str) -> bool:
        """Letters alone with a vowel, three or more, no drug's stem, English suffix or two words run together."""
        return (
            len(low) >= 3
            and low.isalpha()
            and bool(VOWELS.intersection(low))
            and not low.endswith((*DRUG_STEMS, *WORD_SUFFIXES))
            and not self._compound(low)
        )

    def _speaker_slot(self, text: str, s: int, e: int, word: str, cues: _Cues, *, cased: bool) -> bool:
        """A lone word whose slot makes it a person even when it is an everyday word (round 6, lowercase): a
        caller introducing themself ("this is X from ...", "i'm X who am i speaking with"), a name given ("i'll
        call her X", "goes by X"), the subject of a report at a sentence's start ("X called from the lab", "X
        later told us"), or a rare word addressed to the listener there ("X, you grew up ..."); or after the kind of
        name said ("his surname was X") or a thing done at a person ("shouted at X", round 10). The word must be a
        given name (the first two), a name and no English word (the last two), on a name list and no role (reports),
        or rare (addressed)."""
        low = fold(word)
        if len(low) < 2 or low in _TITLES or low in MONTH_WORDS or low in _NUMBER_WORDS or "'" in low or "’" in low:
            return False
        if e in cues.shortened and self._short_form(text, s, word, cased=cased):
            return True
        before = text[max(0, s - _BEHIND_REACH) : s]
        near = cues.behind.near(text, s)  # round 17 (speed): whether any cue searched in `before` can hold there
        if near and (
            (INTRODUCED.search(before) and INTRODUCED_AFTER.match(text, e))
            or (ANSWERED_BEFORE.search(before) and SPEAKING_AFTER.match(text, e))
        ):
            return all(self._given_like(part) for part in low.split("-"))
        if s in cues.named and low not in _STOP:
            # round 14: a nickname English hardly knows ("everybody called him iffy"), not a common word ("lazy"), an
            # acronym ("INR") or the subject of a clause ("the clinic called, her inr is ...")
            plain = (
                len(low) >= 3
                and bool(VOWELS.intersection(low))
                and not word.isupper()
                and "m" not in self._tagger.lexicon.features(low)
                and _CLAUSE_VERB_AFTER.match(text, e) is None
            )
            if _PREFERRED.search(text, max(0, s - 16), s):
                # round 16: "she prefers X": a given name of the census's or the project's lists, not a language
                # English hardly knows ("prefers Tagalog") nor a thing
                return self._word_names.given(low)
            # round 16, cased text: a nickname capitalised mid-sentence ("everybody called him Red"), an everyday word
            # the capital makes a name, though no list has it as one
            # (not a preference's object: "she prefers Spanish")
            nickname = (
                cased
                and plain
                and word[:1].isupper()
                and not _sentence_start(text, s)
                and _CALLED_BY.search(text, max(0, s - 40), s) is not None
                and low not in RELATIONS  # "everybody called her Auntie": what she was to them
                and low not in ADDRESS_FORMS
            )
            return all(self._given_like(part) for part in low.split("-")) or (plain and self._rare(low)) or nickname
        if s in cues.renamed:
            # round 12: "changed our name from X to Y": a given name or a word English hardly knows (not "draft")
            feats = self._tagger.lexicon.features(low)
            plain = "m" not in feats and "pn" not in feats and low not in _STOP
            return plain and (self._given_like(low) or self._rare(low))
        if s in cues.asked and ASKED_VERB.match(text, e):
            # round 12: "did X respond", "has X signed": a census or project given name, no role, relation or verb
            return (
                self._word_names.given(low)
                and "m" not in self._tagger.lexicon.features(low)
                and all(low not in words for words in (_STOP, RELATIONS, REPORTING_ROLES, VERB_NAMES))
            )
        if DEPARTMENT_AFTER.match(text, e):
            # round 12: "X from payroll", "ask X in finance": a given name of the census's or the project's lists, not
            # a verb or a noun by the word before it ("rose from the chair" has no department)
            prev = _WORDS.findall(text, max(0, s - 20), s)
            contact = bool(prev) and prev[-1].lower() in _CONTACT_BEFORE
            # a name that is also a word only after a contact verb or a conjunction ("costs rose in finance")
            also_a_word = "a" in self._tagger.lexicon.features(low) or self._everyday(low)
            return (
                self._word_names.given(low)
                and all(low not in words for words in (_STOP, RELATIONS, REPORTING_ROLES))
                and (contact or (not also_a_word and WordNames.as_a_name(text, s, e, after=False)))
            )
        if s in cues.received and self._rare_given(low) and text[e : e + 1] not in "-":
            # round 16: "a refund for X", "thanks X", "belonging to X", "little X, three years old": a given name
            # English hardly knows where a person is thanked, handed something or named as a child; no noun's
            # modifier ("for camry repairs"): the clause or the sentence goes on after it, or an age
            nxt = _NEXT_WORD.match(text, e)
            after = nxt.group(1).lower() if nxt else ""
            ends_here = not after or after in _STOP or after in _NUMBER_WORDS or after in ("age", "aged")
            # a clause said next ("for X, it's ...", "thanks X she's ..."), its subject contracted
            clause = "'" in after or "’" in after
            # after "to" the cue itself says the word is no verb ("paid to X", "belonging to X")
            handed = text[max(0, s - 3) : s].lower() == "to "
            return (ends_here or clause) and (handed or WordNames.as_a_name(text, s, e, after=False))
        did = DID_AFTER.match(text, e) is not None or REPORTS.match(text, e) is not None
        if did and s in cues.clause and self._plain_given(low):
            # round 12: "because X had already left", "and X was the only witness": a clause's subject after its
            # conjunction, a given name of the census's or the project's lists that is no word of English
            return True
        if did and self._rare_given(low):
            # round 12: "at three kalinda took her tablets", "continued X states that": a given name English hardly
            # knows, mid-sentence, before a deed in the past or a report; not after a determiner ("the ... took");
            # round 15: at a sentence's start too ("X was absent on monday", "X came in late")
            return WordNames.as_a_name(text, s, e, after=False) and not _DETERMINED_BEFORE.search(
                text, max(0, s - 30), s
            )
        if s in cues.contacted and self._rare_given(low):
            # round 15: "calling about X", "to reach X", "ask for X": a given name English hardly knows, no verb's
            # object ("call for backup", "asked about lisinopril")
            return WordNames.as_a_name(text, s, e, after=False)
        if near and (KIND_NAMED.search(before) or DONE_AT.search(before) or SHOUTED.search(before)):
            # "his surname was hughes", "shouted at marisa": a name of a list (philter-lite's only when rare) and no
            # word of English ("his surname is unknown", "laughed at everything"), or a word English does not know
            feats = self._tagger.lexicon.features(low)
            wide = self._rare(low) and any(f in ("pf", "pl") for f in feats)
            return feats == Lexicon.UNKNOWN or ((self._listed(low) or wide) and "pn" not in feats and "m" not in feats)
        if not _sentence_start(text, s) or low in _STOP or low in RELATIONS or low in REPORTING_ROLES:
            return False
        feats = self._tagger.lexicon.features(low)
        if "m" in feats:
            return False
        if REPORTS.match(text, e):
            return self._listed(low) or self._rare(low)
        if LIVES.match(text, e):
            return self._word_names.given(low)  # round 8: "Ray worked at the mill", "X moved to ..."
        return ADDRESSED.match(text, e) is not None and (feats == Lexicon.UNKNOWN or self._rare(low))

    def _short_form(self, text: str, s: int, word: str, *, cased: bool) -> bool:
        """Round 20: a word said "for short" is a person's short name ("Oluwatoyin Bakare, Toyin for short"), unless
        it is an acronym ("DMV for short"), a noun after a determiner ("the rehab for short") or, in lowercase text,
        a word English says every day or that the project lists as a common word."""
        low = fold(word)
        if len(low) < 2 or word.isupper() or not VOWELS.intersection(low) or low in _STOP:
            return False
        if _DETERMINED_BEFORE.search(text, max(0, s - 30), s) is not None:
            return False
        if cased:
            return word[:1].isupper()
        feats = self._tagger.lexicon.features(low)
        return not self._everyday(low) and "m" not in feats and not self._tagger.lexicon.word_not_name(low)

    @staticmethod
    def _partners(text: str, names: list[Entity]) -> set[int]:
        """Where a word coordinated with one of `names` would start ("X and W") or end ("W and X")."""
        out: set[int] = set()
        for x in names:
            after = AND.match(text, x.end)
            if after:
                out.add(after.end())
            before = AND_BEFORE.search(text, max(0, x.start - 12), x.start)
            if before:
                out.add(before.start())
        return out

    @staticmethod
    def _corrected(text: str, e: int, before: str, covered: bytearray) -> bool:
        """A word the speaker corrects to a name ("patient name X no, sorry, Y Z", "auntie X no auntie Y"): it
        was said in the name's slot, so it is a name too (`covered`: the names' characters)."""
        m = CORRECTION.match(text, e)
        if m is None:
            return False
        at = m.end()
        if before and text[at : at + len(before) + 1].lower() == before.lower() + " ":
            at += len(before) + 1  # the slot's word said again
        return at < len(covered) and covered[at] == 1 and (at == 0 or covered[at - 1] == 0)

    def _verb_s(self, word: str) -> bool:
        """An "-s" word whose stem is an everyday English word: a verb or a plural ("walks", "roses")."""
        low = fold(word)
        return low.endswith("s") and any(f in self._common for f in self._tagger.lexicon.features(low[:-1]))

    def _listed(self, word: str) -> bool:
        """On a name list: a given name or a surname, of any source."""
        return any(f in ("cf", "g", "pf", "cl", "s") for f in self._tagger.lexicon.features(fold(word)))

    def _possessor(self, word: str, before: str, personal: bool = True) -> bool:
        """Round 12: a given name that is no everyday word ("ruth"), not after a word that makes it a noun or a verb
        ("the bill's", "to mark's") or a place's ("saint luke's room"): before a relation's possessive ("ruth's son") a
        person."""
        low = fold(word)
        given = self._given_name(low) or self._hyphened_given(low) or (personal and self._plain_surname(low))
        prev = before.lower()
        return given and not self._everyday(low) and prev not in NOT_A_NAME_BEFORE and prev not in _PLACE_HEADS_BEFORE

    def _plain_surname(self, low: str) -> bool:
        """Round 15: a surname of the census's or the project's list that no list calls an everyday word, an ambiguous
        name, a place or no name ("kowalski", "darnell"): before a person's possessive ("kowalski's van") a person; not
        before a clinical one (`personal` False: "Addison's medications", a disease's)."""
        feats = self._tagger.lexicon.features(low)
        plain = not any(f in ("a", "m", "pn", "pc", "pp") for f in feats) and low not in _STOP and len(low) >= 3
        if low.endswith("er") and any(self._everyday(stem) for stem in (low[:-2], low[:-1])):
            return False  # "the sender's phone", "caller's number": a noun of an everyday verb
        return plain and ("cl" in feats or "s" in feats)

    def _double_surname(self, said: str) -> bool:
        """Round 12: two halves joined by a hyphen, each a surname of a list or rare in English, neither an everyday
        word of the project's list nor one philter-lite lists as no name, and one of them rare or unknown."""
        parts = said.split("-")
        if len(parts) != 2 or not all(len(p) > 2 and p.isalpha() for p in parts):
            return False
        features = self._tagger.lexicon.features
        feats = [features(p) for p in parts]
        if any(
            "m" in f or "pn" in f or not (self._rare(p) or any(x in ("cl", "s", "pl") for x in f))
            for p, f in zip(parts, feats, strict=True)
        ):
            return False
        return any(f == Lexicon.UNKNOWN or self._rare(p) for p, f in zip(parts, feats, strict=True))

    def _rare_given(self, low: str) -> bool:
        """Round 12: on a given-name list (philter-lite's too) and rarer than Zipf 3 in English, or unknown to it and
        on no other list: no drug, no everyday word, no word philter-lite lists as no name."""
        feats = self._tagger.lexicon.features(low)
        if any(f in ("m", "pn", "a", "pc", "pp") for f in feats) or low.endswith(DRUG_STEMS) or len(low) < 4:
            return False
        return self._given_like(low) and any(f in ("z0", "z1", "z2") for f in feats)

    def _plain_given(self, low: str) -> bool:
        """Round 12: on the census's or the project's given-name list, and no ambiguous name, everyday word, word
        philter-lite lists as no name, month, role or relation ("reggie", not "grace", "will", "may", "nurse")."""
        feats = self._tagger.lexicon.features(low)
        if any(f in ("a", "m", "pn") for f in feats) or self._everyday(low) or len(low) < 3:
            return False
        lists = (_STOP, MONTH_WORDS, RELATIONS, REPORTING_ROLES, VERB_NAMES)
        return self._word_names.given(low) and all(low not in words for words in lists)

    def _hyphened_given(self, low: str) -> bool:
        """Round 12: a given name of two parts joined by a hyphen ("mei-ling", "soo-ah", "jean-luc"): the first on a
        census or project given-name list, the second a given name too or a syllable of up to three letters, and no
        part of four letters or more an ambiguous name or an everyday word that is no common name ("rose-gold"). The
        lexicon reads a hyphenated word by its last part, as it does a double surname."""
        parts = low.split("-")
        if len(parts) != 2 or not all(p.isalpha() for p in parts):
            return False
        first, second = parts
        features = self._tagger.lexicon.features

        def plain(part: str) -> bool:  # no ambiguous name ("rose-gold"), and no everyday word unless a common name
            feats = features(part)
            return len(part) <= 3 or (
                "a" not in feats and ("cf1" in feats or not any(f in self._common for f in feats))
            )

        return (
            self._word_names.given(first)
            and plain(first)
            and plain(second)
            and (self._given_like(second) or 2 <= len(second) <= 3)
        )

    def _given_like(self, word: str) -> bool:
        """On a given-name list: the census's, the project's or philter-lite's ("mercy", "duarte")."""
        return any(f in ("cf", "g", "pf") for f in self._tagger.lexicon.features(fold(word)))

    def _rare(self, word: str) -> bool:
        """Unknown to the lexicon, or rarer than Zipf 3 in English: most such words said as a partner of a name are
        names themselves."""
        return any(f in ("z0", "z1", "z2") for f in self._tagger.lexicon.features(fold(word)))

    def _person_word(self, word: str, *, cased: bool) -> bool:
        """A word that can be a person's name: on a name list or unknown to English, no function word, title,
        month, number or common word of the project's list, and capitalised (no acronym) in cased text."""
        low = fold(word)
        if len(low) < 2 or low in _STOP or low in _TITLES or low in MONTH_WORDS or low in _NUMBER_WORDS:
            return False
        if cased and (not word[:1].isupper() or word.isupper()):
            return False
        feats = self._tagger.lexicon.features(low)
        if "m" in feats or "'" in low or "’" in low:
            return False
        return feats == Lexicon.UNKNOWN or self._listed(low) or self._rare(low)

    @staticmethod
    def _spelling(text: str, s: int, letters: Sequence[str], named_end: int) -> bool:
        """Whether the letters at `s` spell a name: right after a kept name (a few words between at most, "...
        that's") or after "spell", and not a code's letters ("d o b", "m r n", "p o box")."""
        if "".join(letters).lower() in _LETTER_CODES:
            return False
        if named_end >= 0 and s - named_end <= 24 and len(_WORDS.findall(text, named_end, s)) <= 3:
            return True
        return _SPELL.search(text, max(0, s - 40), s) is not None

    def _vetoed(self, text: str, s: int, e: int, p: float, *, cased: bool, slot: bool = False) -> bool:
        """Whether the rules' hard negatives rule out the span [s, e) the tagger found with confidence `p`
        (`slot`: a person's slot vouches for it, so no vetoes of lowercase or everyday words)."""
        said = _WORDS.findall(text, s, e)
        words = [w.lower() for w in said]
        if (
            not words
            or "dot" in words
            or all(
                ((w in _STOP or w in MONTH_WORDS) and not (slot and self._given_name(w)))
                or w in _TITLES
                or w in HOLIDAYS
                for w in words
            )
        ):
            return True  # "for Ramadan", "over Easter": a feast is said like a name; "this is will from" is one
        if any(w.endswith(WORD_SUFFIXES) and not self._listed(w) for w in words):
            return True  # "recertification", "cardiology": a word built by English suffixes, on no name list
        if any(ch.isdigit() for ch in text[s:e]):
            return True  # "Lipase 0.4", an ID: no person's name holds a digit
        if all(w in ADDRESS_FORMS for w in words):
            return True  # "ma'am, your balance is ...": a form of address, no name
        if len(words) == 1 and self._compound(words[0]):
            return True  # "autopay", "hellofresh": two everyday words run together, on no name list
        if any(len(w) > 2 and w[1] == "-" for w in words):
            return True  # "x-ray", "t-shirt", "g-tube": a letter and a word, never a name
        if sum(w in NATO for w in words) >= 2:
            return True  # "Papa Sierra Echo", "hotel whiskey": a code read in the spelling alphabet
        if any(len(w) > 2 and not VOWELS.intersection(fold(w)) and not self._listed(w) for w in words):
            return True  # "npdb", "xkr": an acronym or a plate's letters said as a word, no name's sound
        if any(not_person_head(w) or fold(w) in self._heads for w in said[1:]):
            return True  # "Cedar Isle", "Brannock Freight Logistics", "wilms tumor": a place, a firm, a thing
        if words[0] in _STOP and not self._given_name(words[0]):
            return True  # "I see you wrote": a name opens with no pronoun or function word
        if fold(words[0]) in CAR_MAKES:
            return True  # round 20: "a grey Nissan Altima": a car's make and model
        m = self._after.match(text, e)
        head = m.group("head") if m else None
        # round 12: not before a head that names an identifier ("for jolene pettibone hospital number ..."), no place
        if (
            m
            and (head is None or fold(head) in self._heads or not_person_head(head))
            and (head is None or _IDENTIFIER_AFTER.match(text, m.end()) is None)
        ):
            return True
        if self._before_dot.search(text, max(0, s - 6), s):
            return True
        if (
            len(words) == 1
            and head is not None
            and fold(head) in _LEDGER_HEADS
            and text[e : e + 2] not in ("'s", "’s")
            and "a" in self._tagger.lexicon.features(words[0])
        ):
            return True  # round 15: "Loan account 7730", "loan number please": an everyday word naming a ledger's kind
        if slot:
            return False
        if not cased and len(words) == 1 and self._relation_did(text, s, e, words[0]):
            return True
        if not cased and len(words) == 1 and (self._inflected(words[0]) or self._determined_noun(text, s, words[0])):
            return True
        if len(words) == 1 and self._region(words[0]) and not self._person_slot(text, s, e):
            return True
        if not cased or _sentence_start(text, s):
            if _sentence_start(text, s) and len(words) == 1 and "a" in self._tagger.lexicon.features(words[0]):
                nxt = _WORDS.match(text, e + 1) if text[e : e + 1] == " " else None
                if nxt and nxt.group().lower() in AFTER_A_VERB:
                    return True  # "Chase down the results", "Mark off the box": a verb opening the sentence
            if all(self._everyday(w) for w in words):
                return True  # lowercase "winter storage"; "Late fee is $25." opening a sentence
            if len(words) > 1 and self._phrase(words):
                return True  # "crystal clear from the audit", "Summer drought conditions": a word and its noun
            if all(self._not_a_name(w) for w in words):
                return True  # lowercase "a nurse aide at the home", "orthopnea", "no haldol please"
        if len(words) == 1 and p < self._strong and self._doubtful(words[0], cased=cased):
            # "her son chase is the proxy": right after a relation, the word is a name when the tagger says so; so
            # it is before a relation's possessive (round 12: "the guarantor is ruth's daughter").
            return not (self._after_relation(text, s) or POSSESSED.match(text, e) is not None)
        return False

    def _relation_did(self, text: str, s: int, e: int, word: str) -> bool:
        """Round 19, lowercase text: an irregular past that is a given name too, right after a relation, is what the
        relation did ("his wife hung up on me", "my mother sang for us"), unless a clause's verb follows and makes
        it the relation's name ("my son hung is ...")."""
        return fold(word) in _PAST_VERBS and self._after_relation(text, s) and _CLAUSE_VERB_AFTER.match(text, e) is None

    def _region(self, word: str) -> bool:
        """Round 20: a state's, a country's or a region's word alone ("plate NMK 4471, Florida", "Canada and Mexico",
        "South Korea"), on no list of common given names or surnames: "Jordan", "Virginia" and "Washington" stay
        names; so does any after a relation or before a relation's possessive."""
        low = fold(word)
        if low not in self._regions:
            return False
        return not any(f in ("cf1", "g", "cl1", "s") for f in self._tagger.lexicon.features(low))

    def _inflected(self, word: str) -> bool:
        """Round 20, lowercase text: a word on no name list that is an English word with its plural's, past's or
        participle's ending ("alpacas", "auths", "garaged"): the stem is a word that philter-lite lists as no name
        or that English says every day, and no list of names holds the inflected form (where "summers", "banks" and
        "hastings" are surnames)."""
        low = fold(word)
        feats = self._tagger.lexicon.features(low)
        if len(low) < 5 or any(f in _NAME_LISTS for f in feats):
            return False
        for ending in _INFLECTIONS:
            if low.endswith(ending) and len(low) - len(ending) >= 3:
                stem = self._tagger.lexicon.features(low[: len(low) - len(ending)])
                if "pn" in stem or (any(f in self._common for f in stem) and "cf1" not in stem and "g" not in stem):
                    return True
        return False

    def _determined_noun(self, text: str, s: int, word: str) -> bool:
        """Round 20, lowercase text: a word English knows (Zipf 3 and over) after a determiner and at most one word
        that is no relation, role or title ("my car loan", "the loading dock", "the patient rose", "was a
        fisherman"): a noun phrase's head or its verb. After a relation or a role a person's name stands there ("my
        wife leyla", "the nurse faith"); a bare "her" may be a pronoun before a name ("told her bill called")."""
        m = _NOUN_PHRASE_BEFORE.search(text, max(0, s - 30), s)
        if m is None:
            return False
        said = m.group().lower().split()
        if len(said) == 1 and said[0] == "her":
            return False
        if len(said) == 2 and (
            _IN_LAW.sub("", said[1]).rsplit("-", 1)[-1] in RELATIONS
            or said[1] in REPORTING_ROLES
            or said[1] in _TITLES
            or said[1] in _STOP
            or said[1] in _HESITATIONS
            or said[1] in _INTERJECTIONS
            or said[1] in ADDRESS_FORMS
        ):
            return False  # "my wife leyla", "the nurse faith"; "a yeah X": an answer's "A", then its filler
        feats = self._tagger.lexicon.features(fold(word))
        # an everyday word that is a name too ("loan", "bill"), or a word on no given-name list nor the project's
        # surname list ("dock", "carpenter"); not "the delaney case", "a deli sol and ida"
        named = any(f in ("cf", "cf1", "g", "s") for f in feats)
        return any(f in self._middling for f in feats) and ("a" in feats or not named)

    def _compound(self, word: str) -> bool:
        """A word on no name list made of two everyday English words of three letters or more ("autopay",
        "squarespace"): a product's or a firm's coinage. Surnames built the same way ("goodwin", "blackwell")
        are on the lists."""
        low = fold(word)
        if len(low) < 7 or self._listed(low) or not low.isalpha():
            return False
        features = self._tagger.lexicon.features
        return any(
            any(f in self._common for f in features(low[:k])) and any(f in self._common for f in features(low[k:]))
            for k in range(3, len(low) - 2)
        )

    def _doubtful(self, word: str, *, cased: bool) -> bool:
        """A lone word that needs a confident tagger: a name that is also an everyday word ("grace", the
        rules' ambiguous list), or, in lowercase text, a word of ordinary frequency (Zipf >= 3)."""
        feats = self._tagger.lexicon.features(word)
        if "a" in feats:
            return True
        if not cased and self._middling_name(word, feats):
            return False  # round 15: "greta", "loretta": a given name said about as often as a word
        return not cased and any(f in self._middling for f in feats)

    def _middling_name(self, word: str, feats: tuple[str, ...]) -> bool:
        """Round 15: a name English says about as often as a middling word (Zipf 3 to 3.5: "greta", "loretta";
        "hyun-jin" by its parts) and nothing else: on the census's or the project's given-name list, and no everyday
        word, ambiguous name, month, role or word the project's or philter-lite's lists call no name. The tagger's
        own weight then decides, as it does for a rarer name. Philter-lite's lists alone are too wide here (a pier's
        and a field's words)."""
        low = fold(word)
        if "-" in low:
            return self._hyphened_given(low)
        if any(f in ("a", "m", "pn", "pc", "pp") for f in feats) or "zh6" not in feats or len(low) < 3:
            return False
        if low in _STOP or low in MONTH_WORDS or low in RELATIONS or low in REPORTING_ROLES or low in VERB_NAMES:
            return False
        if low.endswith("y") and any(f in self._common for f in self._tagger.lexicon.features(low[:-1])):
            return False  # "frosty", "rusty": an adjective of an everyday noun
        return self._word_names.given(low)

    def _listed_pair(self, text: str, s: int, e: int) -> bool:
        """A census surname that is no everyday word after a common census given name, or after one that is no
        everyday word either ("edith vogel")."""
        words = [w.lower() for w in _WORDS.findall(text, s, e)]
        if len(words) != 2:
            return False
        first, last = (self._tagger.lexicon.features(w) for w in words)
        if "cl" not in last or any(f in self._common for f in last):
            return False
        return "cf1" in first or ("cf" in first and not any(f in self._common for f in first))

    def _phrase(self, words: Sequence[str]) -> bool:
        """A name that is also an everyday word ("crystal", "summer") followed only by ordinary words that are
        no common surname ("clear", "drought"): a phrase, where "Rose Brown" or "Hope Castellanos" is a name."""
        lexicon = self._tagger.lexicon
        if "a" not in lexicon.features(words[0]):
            return False
        rest = [lexicon.features(w) for w in words[1:]]
        return all(
            "cl1" not in f
            and any(x in self._middling for x in f)
            # round 12: a census surname said less often than Zipf 3.5 ("devon harcourt"), no word philter-lite lists
            # as no name: a surname, where "summer drought" (Zipf 3.5 and over) stays a phrase
            and not (("cl" in f or "s" in f) and "zh6" in f and "pn" not in f and "m" not in f)
            for f in rest
        )

    def _unknown(self, said: Sequence[str], *, cased: bool) -> bool:
        """In lowercase text, words the lexicon does not know at all (no list, no English frequency): an
        out-of-vocabulary word in ASR output is most often a name, and there the model's marginals run low
        ("results went to feshkarov": 0.43)."""
        lexicon = self._tagger.lexicon
        plain = all("'" not in w and "’" not in w for w in said)  # "ma'am", "y'all": contractions
        return not cased and plain and all(lexicon.features(w.lower()) == Lexicon.UNKNOWN for w in said)

    def _not_a_name(self, word: str) -> bool:
        """A word the model took for a name from its context alone (`Lexicon.not_a_name`)."""
        return self._tagger.lexicon.not_a_name(word)

    def _given_name(self, word: str) -> bool:
        """On a given-name list ("will", "may"): a function word that can still be a name."""
        feats = self._tagger.lexicon.features(word)
        return "cf" in feats or "g" in feats

    def _everyday(self, word: str) -> bool:
        if "-" in word and self._hyphened_given(fold(word)):
            return False  # round 12: "jae-won" is read by "won", a word; its parts make it a given name
        feats = self._tagger.lexicon.features(word)
        return any(f in self._common for f in feats) and "cf1" not in feats and "g" not in feats


_WORDS = re.compile(rf"(?:{_LETTER})+(?:['’-](?:{_LETTER})+)*")


def _trimmed(text: str, s: int, e: int, given: Callable[[str], bool]) -> tuple[int, int, list[str]]:
    """The tagged span [s, e) without what the tagger took in with the name (round 8), and its words: an article or
    an answer's "A" said before a given name, and what precedes it ("a colette colette marchand", "nurse a colette
    ..."; not "a la niña"), or an e-mail's user name said after it ("copy dana dana dot whitfield at ...": the first
    "dana" is the name, "dana dot whitfield" the address's)."""
    found = list(_WORDS.finditer(text, s, e))
    cut = [
        k
        for k in range(len(found) - 1)
        if found[k].group().lower() == "a"
        and given(fold(found[k + 1].group()))
        and not is_letter(found[k + 1].group())
        and (k == 0 or not is_letter(found[k - 1].group()))
    ]
    if cut:  # "clerk a delphine ...": the answer starts after the "A" ("j a smith" is a spelling's initials)
        found = found[cut[-1] + 1 :]
    dots = [k for k, m in enumerate(found) if m.group().lower() == "dot"]
    if dots:
        found = found[: max(0, dots[0] - 1)]
    while len(found) > 1 and _contracted_stop(found[0].group()):
        found = found[1:]  # round 20: "He's Bartholomew Achterkamp": the pronoun's contraction before the name
    if not found:
        return s, e, []
    return found[0].start(), found[-1].end(), [m.group() for m in found]


#: Round 20: a word and a contraction's ending ("he's", "i'm", "they're").
_CONTRACTED = re.compile(r"([^\W\d_]+)['’](?:s|m|re|ve|ll|d)", re.IGNORECASE)


def _contracted_stop(word: str) -> bool:
    """Whether the contraction's word is a function word ("he's", "it's"; not "O'Neill", "D'Souza")."""
    m = _CONTRACTED.fullmatch(word)
    return m is not None and m.group(1).lower() in _STOP


_SPELL = re.compile(r"\bspell", re.IGNORECASE)
_IN_LAW = re.compile(r"s?-in-laws?$")
#: Round 15: the word right before another, one space between.
_PREVIOUS_WORD = re.compile(r"([^\W\d_]+) $")
#: Round 15: a possessive's clinical head, which a disease's eponym has as well as a person ("Addison's medications").
_CLINICAL_OWNED = re.compile(
    r"['’]s\s+(?:medications?|prescriptions?|results|scan|bloods|x-ray|referral|discharge|appointment|notes|chart|"
    r"records?|file|treatment|symptoms|patients|clinic|ward|diet)\b",
    re.IGNORECASE,
)
#: Round 14: a clause's verb right after a word ("her inr is 3.8"): the word is that clause's subject, no nickname.
#: Round 14: a quote's verb before its speaker ("..., said X Y", "..., added X Y").
_QUOTED_BY = re.compile(
    r"(?:^|[,.;:!?\"”])\s*(?:said|says|added|adds|explained|recalled|remembered|wrote|told\s+(?:us|me|them)|"
    r"according\s+to)\s+$",
    re.IGNORECASE,
)
#: Round 20: a determiner or a possessive, and at most one word, before a noun phrase's head ("my car X", "the X");
#: not "this" or "that", which introduce a speaker ("this is X").
_NOUN_PHRASE_BEFORE = re.compile(
    r"\b(?:the|a|an|my|your|his|her|their|our|its)\s+(?:[^\W\d_]+\s+){0,1}$", re.IGNORECASE
)
#: Round 20: a speaker's interjections ("a yeah X", "the, well, X").
_INTERJECTIONS = _wordset("yeah yes yep no nope well okay ok oh right sure so")
#: Round 20: the endings of an English word's plural, past and participle ("alpacas", "garaged", "boxes").
_INFLECTIONS = ("es", "s", "ed", "d", "ing")
_DETERMINERS = _wordset("the a an this that these those my your his her their our its no any some every each another")
_CLAUSE_VERB_AFTER = re.compile(r"\s+(?:is|was|are|were|has|had|looks|looked|seems|seemed)\b", re.IGNORECASE)
#: Round 14: single letters said one by one ("f e i n s t e i n", "H-A-L-D-A-N-E"), a name's spelling.
_A_LETTER = re.compile(r"[^\W\d_]")
#: Round 19: "dash" or "hyphen" said between a double name's spelled halves ("a-l dash h-a-m-d-a-n-i").
_JOINER = re.compile(r"\b(?:dash|hyphen)\b", re.IGNORECASE)
_LETTER_RUN = re.compile(
    r"(?<![\w'’-])[^\W\d_](?:(?:\s+|-|,?\s+(?:dash|hyphen),?\s+)[^\W\d_]){2,}(?![\w'’-])", re.IGNORECASE
)
#: A letter of a run: a single letter between separators (not the letters of "dash" or "hyphen").
_RUN_LETTER = re.compile(r"(?<![^\W\d_])[^\W\d_](?![^\W\d_])")
#: Round 12: a determiner or possessive up to two words before ("the new X took", "her X was").
_DETERMINED_BEFORE = re.compile(
    r"\b(?:the|a|an|this|that|my|your|his|her|their|our|its)\s+(?:[^\W\d_]+\s+){0,1}$", re.IGNORECASE
)
#: Round 12: words before a colleague named by department ("ask X in accounts", "and X from payroll"): a given name
#: that is also a word ("rose", "bill") is a person there, not a verb ("costs rose in finance").
_CONTACT_BEFORE = _wordset(
    "ask asked tell told call called email emailed phone phoned ring rang text texted message messaged contact "
    "contacted cc with to and or there thank thanks hi hello hey saw see meet met"
)
#: Round 12: a conjunction that opens a clause, its subject next ("because X had left", "and X was the witness").
_CONJUNCTION_BEFORE = re.compile(
    r"\b(?:because|cos|and|but|so|when|while|until|since|then|after|before)\s+", re.IGNORECASE
)


@dataclass(frozen=True)
class _Cues:
    """Round 12: where the words after each slot's cue start in one text, found once for the whole text."""

    named: frozenset[int]
    renamed: frozenset[int]
    asked: frozenset[int]
    clause: frozenset[int]
    contacted: frozenset[int]
    received: frozenset[int]
    kin: frozenset[int]
    behind: _Behind
    shortened: frozenset[int] = frozenset()

    @classmethod
    def of(cls, text: str) -> _Cues:
        def ends(*patterns: re.Pattern[str]) -> frozenset[int]:
            # round 16: a slot's cue holds over a speaker's hesitation ("a therapist called, um, X")
            return frozenset(_past_hesitation(text, m.end()) for p in patterns for m in _SCANS.get(p, p).finditer(text))

        return cls(
            ends(NAMING),
            ends(RENAMED_FROM, RENAMED_TO),
            ends(ASKED_ABOUT),
            ends(_CONJUNCTION_BEFORE),
            ends(CONTACTED),
            ends(RECEIVED),
            ends(KIN_HELD),
            _Behind.of(text, _BEHIND_SCAN),
            # round 20: where a word ends that a short form's note follows ("Oluwatoyin Bakare, Toyin for short")
            frozenset(m.start() for m in _FOR_SHORT.finditer(text)),
        )


#: Round 20: a short form's note right after it ("Toyin for short", "deb for short").
_FOR_SHORT = re.compile(r",?\s+for\s+short\b", re.IGNORECASE)
#: How far before a word `_speaker_slot` reads the cues that must end right before it ("this is X").
_BEHIND_REACH = 24


class _Behind:
    """Round 17 (speed): where, in one text, a cue that `_speaker_slot` searches in the `_BEHIND_REACH` characters
    before a word ("this is X", "his surname was X", "shouted at X": patterns "\\b...$") can hold, found in one pass
    over the text instead of five searches behind every word.

    Only a filter: the search itself still decides. It holds wherever such a search could match: a match in the
    characters before the word starts at a word boundary there (found by `scan`), or at the first of them cut out
    of a longer word (`at_cut`, tried there). `scan` is None where a pattern is not of the form this reasoning needs
    (`behind_scan`): then every word passes the filter."""

    __slots__ = ("_at_cut", "_starts")

    def __init__(self, starts: Sequence[int] | None, at_cut: re.Pattern[str] | None) -> None:
        self._starts = starts
        self._at_cut = at_cut

    @classmethod
    def of(cls, text: str, scan: tuple[re.Pattern[str], re.Pattern[str]] | None) -> _Behind:
        if scan is None:
            return cls(None, None)
        return cls([m.start() for m in scan[0].finditer(text)], scan[1])

    def near(self, text: str, s: int) -> bool:
        """Whether a cue may end right before the word at `s`."""
        if self._starts is None or self._at_cut is None:
            return True
        lo = s - _BEHIND_REACH
        k = bisect_left(self._starts, max(0, lo))
        if k < len(self._starts) and self._starts[k] < s:
            return True
        return lo > 0 and self._at_cut.match(text, lo) is not None


#: Zero-width or context-bound constructs: a pattern holding one may match in a slice where the text around it would
#: not let it (a lookaround, an anchor, a boundary, a back-reference), so `behind_scan` leaves such patterns alone.
_CONTEXT_BOUND = re.compile(r"\\[bBAZ1-9]|\(\?(?:[=!<]|P=|\()|[\^$]")


def behind_scan(patterns: Sequence[re.Pattern[str]]) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """For `_Behind`: a scan for where any of `patterns` may start at a word boundary, and a pattern to try where a
    slice's first characters are cut out of a word; or None unless every pattern is "\\b" X "$" with flags alike, X
    free of context-bound constructs and never empty. Then a match of X in a slice of the text also starts a match
    of X in the whole text, whatever follows."""
    cores = []
    for p in patterns:
        core = p.pattern[2:-1]
        ok = p.pattern.startswith("\\b") and p.pattern.endswith("$") and not p.pattern.endswith("\\$")
        if not ok or _CONTEXT_BOUND.search(core) or p.flags != patterns[0].flags or re.fullmatch(core, "", p.flags):
            return None
        cores.append(f"(?:{core})")
    union = "|".join(cores)
    at_cut = re.compile(union, patterns[0].flags)
    first = first_chars(at_cut)
    letter = "" if first is None else f"(?={first})"  # as `guarded`
    return re.compile(rf"{letter}\b(?=(?:{union}))", patterns[0].flags), at_cut


_BEHIND_SCAN = behind_scan((INTRODUCED, ANSWERED_BEFORE, KIND_NAMED, DONE_AT, SHOUTED))


#: Round 16: a speaker's hesitation between a cue and the name it leads to ("my neighbour, um, X").
_HESITATION = re.compile(r"(?:[\s,]*\b(?:um+|uh+|ugh|er+m?|ah+|hmm+)\b[\s,]*)*")
#: Round 16: the cues that give the name a person is called by, before a nickname no list has.
_CALLED_BY = re.compile(
    r"\b(?:call(?:ed|s)?\s+(?:her|him|them|me)|nicknamed|go(?:es)?\s+by|(?:known|referred\s+to)\s+"
    r"(?:only\s+|just\s+|simply\s+)?as)\s+$",
    re.IGNORECASE,
)
#: Round 16: the cue of a roll of those present ("present were", "attendees", "in attendance", "joining us are").
_ATTENDANCE = guarded(
    re.compile(
        r"\b(?:(?:present|attending|joining\s+(?:us|me)|on\s+the\s+call|in\s+the\s+room)"
        r"(?:\s+(?:today|tonight|this\s+morning))?\s+(?:are|were|is|was)|(?:also\s+present|attendees|in\s+attendance|"
        r"participants)(?:\s+(?:today|tonight|this\s+morning))?(?:\s+(?:are|were))?)[\s:,]+",
        re.IGNORECASE,
    )
)
_ROLL_LINKS = _wordset("and plus me myself um uh ugh er erm also with")
_PREFERRED = re.compile(r"\bprefer(?:s|red)?\s+$", re.IGNORECASE)
_NEXT_WORD = re.compile(r" ([^\W\d_]+(?:['’][^\W\d_]+)*)")
_HESITATIONS = _wordset("um umm uh uhh ugh er erm ah hmm")
#: Round 17: pronouns, as written in lowercase (a capitalised "He" may be a surname).
_PRONOUNS = frozenset(["i", "he", "she", "it", "we", "they", "you", "him", "her", "them", "us", "me"])
#: Round 17: words after which a name said again stands alone ("just X", "oh X", "X or Y"); round 20: a spelling's
#: joiner and an answer's yes or okay ("then hyphen X", "yep X his fax is ...", "okay X where were you born").
_SAID_AGAIN_BEFORE = _wordset("just oh or hyphen dash okay ok yep yeah yes")


def _past_hesitation(text: str, at: int) -> int:
    """Where the words after `at` start past any hesitation said there."""
    held = _HESITATION.match(text, at)
    return at if held is None or held.end() == held.start() else held.end()


#: Round 16: words that hand something to a person or thank one ("for X", "thanks X", "belonging to X"), or that
#: say a child before a name ("little X", "the child X"): a slot a given name English hardly knows fills.
RECEIVED = re.compile(
    r"\b(?:thanks|thank\s+you|cheers|for|belong(?:s|ed|ing)?\s+to|(?:refund|payment|cheque|check|paid|sent|given|"
    r"gave|handed|owed|addressed|made\s+out)\s+to|on\s+behalf\s+of|family\s+of|parents\s+of|mother\s+of|"
    r"father\s+of|(?:little|the\s+child|the\s+baby|the\s+toddler|the\s+boy|the\s+girl|baby|toddler|infant|"
    r"child|kid))\s+",
    re.IGNORECASE,
)
#: Round 17 (speed): the slot cues that cost most to find, each tried only where a letter it starts with is
#: (`guarded`).
_SCANS = {p: guarded(p) for p in (NAMING, CONTACTED, RECEIVED)}

#: Round 12: words that make a given name after them a place's ("saint luke's", "port elizabeth's").
_PLACE_HEADS_BEFORE = _wordset("saint st san santa sao mount mt fort ft port lake cape")
#: Round 12: prepositions of place and motion, after which a given name that is also a town is the town.
_PLACE_PREPOSITION = re.compile(
    r"\b(?:in|at|near|through|via|past|around|outside|inside|into|from|to|toward|towards|across|round)\s+$",
    re.IGNORECASE,
)
#: Round 12: what makes a place's head before it the label of an identifier ("hospital number", "clinic id").
#: Nouns of a ledger: an everyday word right before one is the ledger's kind, not a person ("loan account").
_LEDGER_HEADS = _wordset("account accounts number payment payments balance payoff application statement officer")
_IDENTIFIER_AFTER = re.compile(r"\s+(?:number|no\b|id\b|identifier|record|reference)", re.IGNORECASE)
#: Letters said one by one that are a code or a cue, never a name.
_LETTER_CODES = _wordset(
    "dob mrn ssn po id dl vin npi dea ein pin cvv usa icu er ed iv im mri ct ekg ecg cbc bmp bp hr rn np md do "
    "pa ok am pm tv llc inc ny nj la dc uk eu http https www com org net"
)
