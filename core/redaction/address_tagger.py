"""The trained address tagger: a linear-chain CRF (python-crfsuite) that tags ADDRESS spans (a street address with
its unit, town, state and ZIP; a rural route or a PO box; a street, town or neighbourhood named alone) from
the words' shapes, the project's gazetteers (towns, street types, regions) and English word frequency as
features, and the words around them (issue 23, round 10).

This module owns the features, so that the training recipe (`models/training/address_train.py`) and the product
compute exactly the same ones; the tokens, the sentences and the word classes are the identifier tagger's
(`core.redaction.id_tagger`). It never reads a model file: the composition root hands it the model's bytes after
checking them against the manifest (`models.name_tagger.load_address_tagger`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from core.errors import ModelError
from core.redaction.id_tagger import _sentences, token_class, tokenize
from core.redaction.name_tagger import Lexicon, Token, shape
from core.redaction.recognizers import (
    _REGION_PHRASES,
    _STATE_NAMES,
    _is_cased,
    fold,
    load_name_words,
    load_places,
    load_street_suffixes,
)
from core.redaction.spoken import SpokenView
from core.redaction.towns import load_towns
from core.redaction.types import Entity

LABELS: tuple[str, ...] = ("O", "B-ADDRESS", "I-ADDRESS")
#: The detector name of the tagger's finds: `core.redaction.overlaps.combine` lets the rules' other types win.
ADDRESS_TAGGER = "crf:address"
#: A span counts when each of its tokens has at least this marginal probability of being part of an address.
MIN_PROBABILITY = 0.6
#: The longest town name looked up whole ("san juan capistrano").
_MAX_TOWN_WORDS = 4

#: Words of an address that the tagger sees by name (the rest only by their features).
_UNIT_WORDS = frozenset({"apartment", "apt", "unit", "suite", "ste", "lot", "space", "building", "bldg", "flat",
                         "trailer", "floor", "fl", "room", "rm", "bed", "bay", "box", "po", "p", "o", "route", "rr",
                         "rural", "hc", "star", "county", "highway", "hwy", "interstate", "township", "parish",
                         "co", "zip", "postcode", "number", "no"})  # fmt: skip
_DIRECTIONS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "n",
                         "s", "e", "w", "ne", "nw", "se", "sw"})  # fmt: skip
_PARTICLES = frozenset({"de", "del", "la", "le", "du", "des", "dei", "della", "di", "da", "do", "dos", "das", "van",
                        "von", "der", "den", "y", "el", "los", "las", "saint", "st", "san", "santa", "fort", "ft",
                        "mount", "mt", "port", "new", "lake", "upper", "lower", "old", "the", "of", "on", "upon",
                        "calle", "rue", "via", "avenida", "rua", "ul", "strasse"})  # fmt: skip
_ORDINAL_WORDS = frozenset(
    {
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
        "thirtieth",
        "fortieth",
    }
)
#: German, Dutch, Nordic street types written into the name (as `core.redaction.streets` reads them).
_WORD_ENDINGS = ("strasse", "straße", "gasse", "allee", "platz", "gracht", "straat", "gatan", "vagen", "veien")


@lru_cache(maxsize=1)
def _gazetteers() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], frozenset[str],
                           frozenset[str]]:  # fmt: skip
    """(towns and sure places, towns that are also everyday words, regions, street types, street types that are
    words, common English words), lowercased and folded."""
    towns, ambiguous = load_towns()
    places, ambiguous_places, regions = load_places(districts=False)  # the lists it was trained with
    street, word = load_street_suffixes()
    # places.txt lists regions word by word; the phrases ("new mexico") come from the state names
    states = frozenset(_STATE_NAMES.removeprefix("(?:").removesuffix(")").split("|"))
    regions = regions | states | _REGION_PHRASES
    return (towns | places, ambiguous | ambiguous_places, regions, street, word, load_name_words()[1])


@lru_cache(maxsize=1)
def _town_prefixes() -> frozenset[str]:
    """Every proper prefix of a town of several words ("san", "san juan"), to stop a lookup early."""
    towns, ambiguous, regions, *_ = _gazetteers()
    out: set[str] = set()
    for t in towns | ambiguous | regions:
        parts = t.split(" ")
        for k in range(1, len(parts)):
            out.add(" ".join(parts[:k]))
    return frozenset(out)


#: Words whose "." ends no sentence inside an address ("P.O. Box", "Mt. Vernon", "123 Elm Ave. Apt. 4"), beside the
#: identifier tagger's abbreviations; a single letter too ("N. Main").
_ADDRESS_ABBREVIATIONS = frozenset(
    {
        "p",
        "o",
        "mt",
        "ft",
        "ave",
        "rd",
        "blvd",
        "apt",
        "ste",
        "ln",
        "ct",
        "hwy",
        "co",
        "pl",
        "sq",
        "cres",
        "ter",
        "pkwy",
        "bldg",
        "fl",
        "rte",
        "jct",
        "hts",
        "twp",
    }
)


#: (round 17) Words that open a new sentence of speech: a subject pronoun, a possessive, a greeting, a deposition's
#: "Q", a speaker's label. In a transcript read whole, lowercase ASR text marks no sentence's end; without a cut
#: the CRF reads the next sentence's first words as the words after a town that ended the last one ("i was in
#: croydon q can anyone", "a room in temescal her licence"), and the town it tags at a sentence's end is lost.
_CLAUSE_STARTS = frozenset({"i", "i'm", "i've", "i'd", "i'll", "we", "we're", "we've", "we'd", "we'll", "he", "he's",
                            "he'd", "she", "she's", "she'd", "they", "they're", "they've", "they'd", "my", "her",
                            "his", "our", "their", "hi", "hello", "hey", "okay", "ok", "yes", "yeah", "q",
                            "interviewer"})  # fmt: skip
#: Words after which such a word goes on with the same sentence: a preposition, a conjunction, an article, a verb
#: that takes a person ("to her", "because she's", "and i", "told his").
_CLAUSE_GOES_ON = frozenset({"to", "at", "in", "on", "of", "for", "with", "from", "by", "about", "into", "onto",
                             "near", "than", "like", "after", "before", "over", "under", "without", "through",
                             "behind", "beside", "past", "towards", "toward", "and", "but", "or", "so", "because",
                             "cause", "that", "if", "when", "while", "as", "where", "who", "whom", "which",
                             "whether", "since", "until", "though", "although", "then", "the", "a", "an", "is",
                             "was", "are", "were", "be", "been", "am", "told", "tell", "asked", "ask", "gave",
                             "give", "saw", "see", "met", "meet", "called", "call", "let", "help", "helped",
                             "thank", "love", "heard", "hear", "did", "do", "does", "have", "has", "had", "got",
                             "get", "take", "took", "make", "made", "brought", "bring", "sent", "send", "visit",
                             "visited", "what", "how", "why", "said", "says", "think", "thought", "know", "knew",
                             "guess", "mean", "hope", "wish", "believe", "sure", "can", "could", "would", "will",
                             "should", "must", "may", "might", "shall", "all", "both", "reports", "reported",
                             "states", "stated", "notes", "noted", "explains", "explained", "admits", "admitted",
                             "denies", "denied", "feels", "felt", "thinks", "believes", "claims", "claimed",
                             "tells", "asks", "remembers", "remembered", "recalls", "recalled", "confirms",
                             "confirmed", "agrees", "agreed", "insists", "insisted", "whose"})  # fmt: skip

_POSSESSIVES = frozenset({"my", "her", "his", "our", "their"})
#: Words a spoken sentence opens with before its subject ("well i was born", "oh we moved"), a speaker's label or
#: a heading among them ("interview i enlisted", "caller we never got it").
_OPENERS = frozenset({"well", "so", "oh", "uh", "um", "er", "erm", "yeah", "yes", "okay", "ok", "now", "anyway",
                      "actually", "see", "look", "no", "interview", "interviewer", "caller", "agent", "respondent",
                      "witness", "transcript", "speaker"})  # fmt: skip


def _clause_cuts(
    tokens: Sequence[Token], a: int, b: int, *, cased: bool, everyday: Callable[[str], bool] | None
) -> list[int]:
    """Where, inside the sentence [a, b), a new one visibly opens though no mark ends the last: a word of
    `_CLAUSE_STARTS` (capitalised in cased text, lowercase in lowercase text) after a word that does not carry on
    into it, and before no number ("I 95" is a road). A possessive follows a verb as often ("turned her away"):
    only after a word that is no `everyday` one (a town's name: "a room in temescal her licence"), and never
    without that test."""
    out: list[int] = []
    for k in range(a + 1, b):
        w = tokens[k].text
        low = w.lower()
        if low not in _CLAUSE_STARTS or w[:1].isupper() != cased:
            continue
        if low in _POSSESSIVES and (everyday is None or everyday(tokens[k - 1].text)):
            continue
        if k + 1 < b and tokens[k + 1].text[:1].isdigit():
            continue
        while k - 1 > a and tokens[k - 1].text.lower() in _OPENERS:
            k -= 1  # "in duluth well i was born": the sentence opens with "well"
        before = tokens[k - 1].text
        # Not after a letter said alone ("upper G I bleed": spelled letters).
        if not before.isalpha() or len(before) < 2 or before.lower() in _CLAUSE_GOES_ON or before.lower() in _OPENERS:
            continue
        if not out or out[-1] < k:
            out.append(k)
    return out


def sentences(
    tokens: Sequence[Token], text: str, *, everyday: Callable[[str], bool] | None = None
) -> list[tuple[int, int]]:
    """The identifier tagger's sentences (`core.redaction.id_tagger`), joined again where one was cut at an
    address's abbreviation or a single letter and the next goes on on the same line ("P.O. Box 12", "Mt. Vernon");
    then cut again where a new sentence visibly opens with no mark before it (round 17, `_clause_cuts`)."""
    joined = _joined_sentences(tokens, text)
    cased = _is_cased(text)
    out: list[tuple[int, int]] = []
    for a, b in joined:
        for k in _clause_cuts(tokens, a, b, cased=cased, everyday=everyday):
            out.append((a, k))
            a = k
        out.append((a, b))
    return out


def _joined_sentences(tokens: Sequence[Token], text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in _sentences(tokens, text):
        if (
            out
            and b > a
            and out[-1][1] - out[-1][0] >= 2
            and tokens[out[-1][1] - 1].text == "."
            and (
                tokens[out[-1][1] - 2].text.lower() in _ADDRESS_ABBREVIATIONS
                or (len(tokens[out[-1][1] - 2].text) == 1 and tokens[out[-1][1] - 2].text.isalpha())
            )
            and "\n" not in text[tokens[out[-1][1] - 1].end : tokens[a].start]
        ):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


class Features:
    """Each word's features that do not depend on its neighbours, memoised; the lexicon adds English word
    frequency (and name and place list membership) when given."""

    def __init__(self, lexicon: Lexicon | None) -> None:
        self._lexicon = lexicon
        self._towns, self._ambiguous, self._regions, self._street, self._word_types, self._common = _gazetteers()
        self._any_town = self._towns | self._ambiguous | self._regions
        self.word = lru_cache(maxsize=65536)(self._word)
        self.near = lru_cache(maxsize=65536)(self._near)

    def _word(self, word: str) -> tuple[str, ...]:
        low = word.lower().rstrip(".")
        c = token_class(word)
        f = [f"c={c}", f"sh={shape(word)}"]
        if word[:1].isupper():
            f.append("cap")
        if c in "DM":
            f.append(f"nd={min(sum(ch.isdigit() for ch in word), 6)}")
        elif c == "W" and len(low) > 4:
            f.append(f"suf={low[-3:]}")  # "-ation", "-itis" are no town's ending; "-ville", "-ton" are
        key = fold(low)
        tags = []
        if key in self._towns:
            tags.append("town")
        if key in self._ambiguous:
            tags.append("town?")
        if key in self._regions:
            tags.append("region")
        if key in self._street:
            tags.append("st")
        if key in self._word_types:
            tags.append("st?")
        if key in self._common:
            tags.append("common")
        if key in _UNIT_WORDS:
            tags.append("unit")
        if key in _DIRECTIONS:
            tags.append("dir")
        if key in _PARTICLES:
            tags.append("part")
        if key in _ORDINAL_WORDS or (c == "M" and key[-2:] in ("st", "nd", "rd", "th") and key[:-2].isdigit()):
            tags.append("ord")
        if key.endswith(_WORD_ENDINGS):
            tags.append("st-end")
        f += [f"g={t}" for t in tags]
        if self._lexicon is not None and c == "W":
            f += [f"x={x}" for x in self._lexicon.features(low) if (x[0] == "z" and x[1] != "h") or x in ("pc", "pp")]
        # The word itself only where it is a word of the language's frame (a cue, a unit, a type): a town's or a
        # street's own name would teach the list, not the context.
        if c in "WFRPT" and (tags or self._lexicon is None or len(low) <= 3 or self._frequent(low)):
            f.append(f"w={low}")
        else:
            f.append("w=<rare>")
        return tuple(f)

    def _near(self, word: str) -> tuple[tuple[str, ...], ...]:
        """Round 17 (speed): the word's features as its neighbours see them, two before and two after it (`_SIDES`):
        its own without its shape, each with its side's prefix; made once per word, not once per neighbour."""
        own = [x for x in self.word(word) if not x.startswith("sh=")]
        return tuple(tuple(f"{d}:{x}" for x in own) for d in _SIDES)

    def _frequent(self, low: str) -> bool:
        assert self._lexicon is not None
        return any(x[0] == "z" and x[1:].isdigit() and int(x[1:]) >= 4 for x in self._lexicon.features(low))

    def everyday(self, word: str) -> bool:
        """A word of the address's frame or of everyday English (a determiner, a street type, "village"),
        no name: alone, such words are no address."""
        low = word.lower().rstrip(".")
        tags = self.word(word)
        return (self._frequent(low) if self._lexicon is not None else "g=common" in tags) or any(
            t in tags for t in ("g=st", "g=st?", "g=unit", "g=dir", "g=part", "g=common")
        )

    def towns_at(self, lows: Sequence[str]) -> list[str]:
        """Per token: "B"/"I" of the longest gazetteer town (or region) of several words that starts there or
        covers it, "" otherwise."""
        n = len(lows)
        out = [""] * n
        prefixes = _town_prefixes()
        towns = self._any_town
        k = 0
        while k < n:
            best = 0
            phrase = fold(lows[k])
            for j in range(k + 1, min(n, k + _MAX_TOWN_WORDS)):
                if phrase not in prefixes:
                    break
                phrase = f"{phrase} {fold(lows[j])}"
                if phrase in towns:
                    best = j - k + 1
            if best:
                out[k] = "B"
                for j in range(k + 1, k + best):
                    out[j] = "I"
                k += best
            else:
                k += 1
        return out


#: The neighbours whose features a word's own carry: two before it and two after it.
_SIDES = (-2, -1, 1, 2)


def sentence_features(tokens: Sequence[Token], text: str, features: Features) -> list[list[str]]:
    """CRFsuite's feature strings per token: its own, its neighbours' (two each side), the sentence's casing."""
    words = [t.text for t in tokens]
    lows = [w.lower() for w in words]
    own = [features.word(w) for w in words]
    near = [features.near(w) for w in words]
    multi = features.towns_at(lows)
    cased = any(ch.isupper() for w in words[1:] for ch in w[:1])
    n = len(tokens)
    out: list[list[str]] = []
    for k in range(n):
        f = ["b", f"cased={cased}", *own[k]]
        if multi[k]:
            f.append(f"mt={multi[k]}")
        if k == 0 or words[k - 1] in ".?!":
            f.append("first")
        gap = text[tokens[k - 1].end : tokens[k].start] if k else "^"
        if gap and not gap.isspace():
            f.append(f"gap={gap.strip()[:2]}")
        for side, d in enumerate(_SIDES):
            j = k + d
            if not 0 <= j < n:
                f.append(f"{d}:edge")
                continue
            f += near[j][side]
            if multi[j]:
                f.append(f"{d}:mt={multi[j]}")
        if k:
            f.append(f"w-1|w={lows[k - 1]}|{own[k][0]}")
        if k > 1:
            f.append(f"w-2,-1={lows[k - 2]}|{lows[k - 1]}")
        out.append(f)
    return out


#: Words that name an identifier and never a street ("Bank Street" and "Meter Road" are streets).
_ID_WORDS = frozenset({"serial", "id", "member", "mrn", "ssn", "acct", "policy", "vin", "claim", "clm", "confirmation",
                       "invoice", "tracking", "imei", "npi", "dea", "cvv", "pin", "iban", "subscriber", "docket",
                       "pcn", "bin", "rxgroup", "ticket", "accession", "reference", "ref", "order"})  # fmt: skip
#: Quantities and measures: no address holds them ("thirty five thousand points", "twenty-three kilos").
_MEASURES = frozenset({"thousand", "million", "billion", "dollars", "cents", "pounds", "percent", "kilos", "kilograms",
                       "grams", "milligrams", "micrograms", "mg", "mcg", "ml", "units", "points", "km", "inches",
                       "degrees", "tablets", "pills", "minutes", "hours", "days", "weeks", "months", "years", "times",
                       "refills", "doses", "puffs", "liters", "litres"})  # fmt: skip
#: Where a span ends with one of these, it names a facility or a business, not its address ("Elm Street Pharmacy").
_FACILITY_HEADS = frozenset({"pharmacy", "clinic", "hospital", "school", "church", "center", "centre", "bank",
                             "office", "store", "shop", "library", "hall", "cafe", "diner", "restaurant", "hotel",
                             "motel", "academy", "college", "university", "practice", "surgery", "mall", "market",
                             "station", "precinct", "courthouse", "jail", "prison", "home"})  # fmt: skip
_ARTICLES = frozenset({"a", "an", "the"})
#: An address's unit and box words: each takes a number or a letter after it ("Box 12", "Flat 3", "Building C").
_UNIT_HEADS = frozenset({"box", "flat", "unit", "suite", "apartment", "apt", "lot", "space", "trailer", "building"})
#: Road types that take a number after them ("highway 64"): other street types need a name before them.
_NUMBERED_ROADS = frozenset({"highway", "hwy", "route", "rte", "road", "rd", "interstate", "i", "sr", "us", "cr",
                             "fm", "box"})  # fmt: skip
_ZIP_CUES = frozenset({"zip", "zipcode", "postal", "postcode"})
#: Tokens that may end or begin an address span only inside it.
_EDGE_CLASSES = "PF"


class AddressTagger:
    """The CRF, loaded from bytes that the caller has verified. Not thread-safe: one per detector."""

    def __init__(self, *, model: bytes, lexicon: Lexicon | None = None) -> None:
        import pycrfsuite

        self._tagger = pycrfsuite.Tagger()
        self._model = bytes(model)  # CRFsuite reads from this buffer for as long as the tagger lives
        try:
            self._tagger.open_inmemory(self._model)
        except (ValueError, OSError) as exc:
            raise ModelError("The address tagger's model could not be opened.") from exc
        if set(self._tagger.labels()) - set(LABELS):
            raise ModelError("The address tagger's model has labels this version does not know.")
        self._features = Features(lexicon)

    def spans(self, text: str, *, min_probability: float | None = None) -> list[tuple[int, int, float]]:
        """Each address span: [start, end) and the lowest marginal probability among its tokens (marks aside) of
        being part of an address."""
        floor = MIN_PROBABILITY if min_probability is None else min_probability
        tokens = tokenize(text)
        out: list[tuple[int, int, float]] = []
        for a, b in sentences(tokens, text, everyday=self._features.everyday):
            chunk = tokens[a:b]
            labels = self._tagger.tag(sentence_features(chunk, text, self._features))
            k = 0
            while k < len(chunk):
                if labels[k] == "O":
                    k += 1
                    continue
                j = k + 1
                while j < len(chunk) and labels[j] == "I-ADDRESS":
                    j += 1
                lo, hi = k, j
                while lo < hi and token_class(chunk[lo].text) in _EDGE_CLASSES:
                    lo += 1
                while hi > lo and token_class(chunk[hi - 1].text) in _EDGE_CLASSES:
                    hi -= 1
                p = min(
                    (
                        self._tagger.marginal("B-ADDRESS", i) + self._tagger.marginal("I-ADDRESS", i)
                        for i in range(lo, hi)
                        if token_class(chunk[i].text) != "P"
                    ),
                    default=0.0,
                )
                if lo < hi and p >= floor and not self._veto(chunk[lo:hi], chunk[:lo]):
                    out.append((chunk[lo].start, chunk[hi - 1].end, p))
                k = j
        return out

    def _no_name(self, words: Sequence[str], classes: Sequence[str]) -> bool:
        """Numbers and everyday words only, with no name among them, no street type after a name ("Fifth
        Avenue": "fifth" then "avenue") and no numbered road ("highway 64"): a count and its noun ("14 falls"), a
        seat ("row 22"), a reference ("ticket number 30441")."""
        if not any(c in "DSM" for c in classes) or not any(c in "WT" for c in classes):
            return False
        if any(c == "M" and not w[0].isdigit() for w, c in zip(words, classes, strict=True)):
            return False  # a postcode ("LN4")
        for k, (w, c) in enumerate(zip(words, classes, strict=True)):
            if c not in "WT":
                continue
            tags = self._features.word(w)
            if not self._features.everyday(w) or _road_number(words, k):
                return False
            if ("g=st" in tags or "g=st?" in tags) and k and classes[k - 1] in "WT":
                return False
        return True

    def _veto(self, span: Sequence[Token], before: Sequence[Token]) -> bool:
        """Spans that no address looks like, whatever the context (an article before them aside): a quantity
        ("twenty-three kilos"); a facility or a business named after its street ("Elm Street Pharmacy"); a state or
        a country alone (the annotation rules); everyday words alone, with no number ("the street", "a row"); a word
        spelled letter by letter ("P I K E"); a unit's word with no number after it ("the glove box"); an
        identifier's cue inside ("serial number ...", "docket ..."); a date or a decimal inside ("October 14th",
        "four point two"); numbers alone (digits or digit words: a phone number, a time, a code), unless five or
        nine digits after a ZIP cue."""
        words = [t.text for t in span if token_class(t.text) != "P"]
        while words and words[0].lower() in _ARTICLES:
            words = words[1:]  # "a row", "the street": what follows decides
        if not words or any(w.lower() in _MEASURES for w in words):
            return True
        if len(words) > 1 and words[-1].lower() in _FACILITY_HEADS and not any(token_class(w) == "D" for w in words):
            return True
        phrase = fold(" ".join(words).lower().rstrip("."))
        regions = self._features._regions
        if phrase in regions or all(fold(w.lower()) in regions or w.lower() == "and" for w in words):
            return True  # "Kenya, Uganda"
        classes = [token_class(w) for w in words]
        if any(c == "T" and k + 1 < len(words) and classes[k + 1] in "DSM" for k, c in enumerate(classes)):
            return True  # a date inside: "on October 14th"
        if any(
            w.lower() == "point" and 0 < k < len(words) - 1 and classes[k - 1] in "DS" and classes[k + 1] in "DS"
            for k, w in enumerate(words)
        ):
            return True  # a decimal: "four point two", a lab value
        if any(w.lower() in _UNIT_HEADS and not _numbered(words, classes, k) for k, w in enumerate(words)):
            return True  # a unit's word with no number after it is a thing: "the glove box", "flat screen TVs"
        if "LLL" in "".join(classes) or any(w.lower() in _ID_WORDS for w in words):
            return True
        if all(c in "WT" for c in classes) and all(self._features.everyday(w) for w in words):
            return True
        if self._no_name(words, classes):
            return True  # a count and its noun, a seat, a ticket: "14 falls", "row 22", "ticket number 30441"
        if any(c in "WT" or (c == "M" and not w[0].isdigit()) for w, c in zip(words, classes, strict=True)):
            return False
        digits = sum(len(w) if token_class(w) == "D" else 1 for w in words)  # numbers alone
        return not (digits in (5, 9) and any(t.text.lower() in _ZIP_CUES for t in before[-4:]))


def _numbered(words: Sequence[str], classes: Sequence[str], k: int) -> bool:
    """A number or a letter after the word at `k`, "number" or "no" between ("unit number 4", "Box 12")."""
    j = k + 1 + (k + 2 < len(words) and words[k + 1].lower() in ("number", "no"))
    return j < len(words) and classes[j] in "DSML"


def _road_number(words: Sequence[str], k: int) -> bool:
    """ "highway 64", "route 9", "county road 17": a numbered road's type, then its number."""
    return words[k].lower() in _NUMBERED_ROADS and k + 1 < len(words) and token_class(words[k + 1]) in "DS"


class CrfAddressRecognizer:
    """The address tagger as one more recognizer beside the rules and the gazetteer."""

    def __init__(self, tagger: AddressTagger) -> None:
        self._tagger = tagger

    @property
    def name(self) -> str:
        return ADDRESS_TAGGER

    @property
    def entities(self) -> frozenset[str]:
        return frozenset({"ADDRESS"})

    def find(self, text: str, view: SpokenView) -> list[Entity]:
        del view  # the tagger reads spoken numbers itself
        # Scores under every address rule's (0.65 and up): on the same span the rule's find is the one kept (Presidio
        # keeps the higher score of two alike), so that `core.redaction.overlaps` sees whose find it is.
        return [Entity("ADDRESS", a, b, round(0.4 + p / 5, 4), ADDRESS_TAGGER) for a, b, p in self._tagger.spans(text)]
