"""The name tagger's lexicon, precomputed from pinned inputs: which lists a word is on, and how common it is.

Inputs, each checked against its SHA-256 below before it is read (``pip download --no-deps
--require-hashes -r models/training/requirements-names.txt -d DIR`` fetches exactly these files):

- ``wordfreq`` 3.1.1 (code MIT; its word-frequency data CC-BY-SA 4.0, see ATTRIBUTION): how common each word
  is in ordinary English, read from ``wordfreq/data/large_en.msgpack.gz`` inside the wheel;
- ``philter-lite`` 0.6.0 (BSD-3-Clause): its first-name, last-name and "not a name" lists
  (``philter_lite/filters/set.toml``);
- ``names`` 0.3.0 (MIT; the US Census 1990 name lists it ships are public domain): ``dist.*.first`` and
  ``dist.all.last``;
- VaultScribe's own lists in ``core/redaction/data/``.

The archives are read as archives: nothing from them is installed or imported (philter-lite would pull in
nltk), so the recipe needs only the standard library and ``msgpack``. The product reads the result alone
(`core.redaction.name_tagger.Lexicon`) and never these packages.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import math
import re
import tarfile
import tomllib
import zipfile
from pathlib import Path

from core.redaction.name_tagger import Lexicon
from core.redaction.recognizers import AMBIGUOUS_NAMES, fold, load_name_words, load_names

#: The pinned inputs: file name -> SHA-256 (the same hashes as requirements-names.txt).
INPUTS: dict[str, str] = {
    "wordfreq-3.1.1-py3-none-any.whl": "4b1c6ecffc6198be3396d5cf871c4423ca71c907c231348d352dd54d62b97473",
    "philter_lite-0.6.0-py3-none-any.whl": "39f667c73699ea0e67046f2b4272894a148bfb50d8cff2bcabe898652e389879",
    "names-0.3.0.tar.gz": "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671",
}

ATTRIBUTION = (
    "Word frequencies: wordfreq 3.1.1 by Robyn Speer (Luminoso), data licensed CC-BY-SA 4.0",
    "  (https://creativecommons.org/licenses/by-sa/4.0/); it includes data from Google Books Ngrams,",
    "  Wikipedia, OpenSubtitles, SUBTLEX, NewsCrawl, GlobalVoices, Reddit and Twitter; see wordfreq's README.",
    "  Here the frequencies are reduced to whole Zipf buckets per word: an adaptation, under the same licence.",
    "Name lists: philter-lite 0.6.0 (BSD-3-Clause, Copyright The Regents of the University of California);",
    "  US Census Bureau 1990 name frequency lists as shipped in names 0.3.0 (MIT, Trey Hunner; data public domain);",
    "  VaultScribe's own lists (core/redaction/data/).",
)

#: Words with a Zipf frequency under this and on no list are left out: to the model they are unknown words.
MIN_ZIPF = 1.5
#: The top of the census lists by rank: common names, a stronger signal than the long tail.
TOP_FIRST_RANK = 300
TOP_LAST_RANK = 2000
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _read_verified(inputs: Path, name: str) -> bytes:
    data = (inputs / name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != INPUTS[name]:
        raise SystemExit(f"{name}: SHA-256 {digest} is not the pinned {INPUTS[name]}")
    return data


def _wordfreq(inputs: Path) -> dict[str, float]:
    """word -> Zipf frequency (log10 of per-billion frequency), from wordfreq's own cBpack file."""
    import msgpack

    with zipfile.ZipFile(io.BytesIO(_read_verified(inputs, "wordfreq-3.1.1-py3-none-any.whl"))) as wheel:
        packed = gzip.decompress(wheel.read("wordfreq/data/large_en.msgpack.gz"))
    header, *buckets = msgpack.unpackb(packed, raw=False)
    if header.get("format") != "cB" or header.get("version") != 1:
        raise SystemExit(f"unexpected wordfreq data header {header!r}")
    out: dict[str, float] = {}
    for centibels, words in enumerate(buckets):
        zipf = 9.0 - centibels / 100.0  # bucket i holds words of frequency 10 ** (-i / 100)
        for word in words:
            if _WORD.fullmatch(word):
                key = fold(word)
                out[key] = max(out.get(key, 0.0), zipf)
    return out


def _philter(inputs: Path) -> dict[str, set[str]]:
    with zipfile.ZipFile(io.BytesIO(_read_verified(inputs, "philter_lite-0.6.0-py3-none-any.whl"))) as wheel:
        sets = tomllib.loads(wheel.read("philter_lite/filters/set.toml").decode("utf-8"))
    return {key: {fold(w) for w in sets[key] if _WORD.fullmatch(w)} for key in ("firstnames", "lastnames", "nonames")}


def _census(inputs: Path) -> dict[str, dict[str, int]]:
    """ "first" and "last": name -> its rank in the census list."""
    out: dict[str, dict[str, int]] = {"first": {}, "last": {}}
    with tarfile.open(fileobj=io.BytesIO(_read_verified(inputs, "names-0.3.0.tar.gz")), mode="r:gz") as tar:
        for member, kind in (
            ("names-0.3.0/names/dist.male.first", "first"),
            ("names-0.3.0/names/dist.female.first", "first"),
            ("names-0.3.0/names/dist.all.last", "last"),
        ):
            fh = tar.extractfile(member)
            assert fh is not None, member
            for line in fh.read().decode("ascii").splitlines():
                parts = line.split()
                if len(parts) == 4:
                    name, rank = fold(parts[0]), int(parts[3])
                    out[kind][name] = min(out[kind].get(name, rank), rank)
    return out


def _places() -> tuple[set[str], set[str]]:
    """(single-word places, words of multi-word places), from core/redaction/data/places.txt."""
    from importlib import resources

    text = resources.files("core.redaction").joinpath("data/places.txt").read_text(encoding="utf-8")
    single: set[str] = set()
    parts: set[str] = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("@"):
            continue
        words = [fold(w) for w in line.split()]
        (single if len(words) == 1 else parts).update(words)
    return single, parts


def build(inputs: Path) -> bytes:
    """The lexicon's bytes: every word on a list, or common enough, with its feature strings."""
    zipf = _wordfreq(inputs)
    philter = _philter(inputs)
    census = _census(inputs)
    given, surnames = load_names()
    ambiguous, common = load_name_words()
    places, place_parts = _places()
    lists: dict[str, set[str]] = {
        "cf": set(census["first"]),
        "cf1": {w for w, r in census["first"].items() if r <= TOP_FIRST_RANK},
        "cl": set(census["last"]),
        "cl1": {w for w, r in census["last"].items() if r <= TOP_LAST_RANK},
        "pf": philter["firstnames"],
        "pl": philter["lastnames"],
        "pn": philter["nonames"],
        "g": set(given),
        "s": set(surnames),
        "a": set(ambiguous) | set(AMBIGUOUS_NAMES),
        "m": set(common),
        "pc": places,
        "pp": place_parts,
    }
    universe = set().union(*lists.values()) | {w for w, z in zipf.items() if z >= MIN_ZIPF}
    groups: dict[tuple[str, ...], list[str]] = {}
    for word in universe:
        if not word:
            continue
        z = zipf.get(word, 0.0)
        feats = [k for k, members in lists.items() if word in members]
        feats.append(f"z{min(7, math.floor(z))}")
        if z >= 3.0:  # finer where common words and common names meet
            feats.append(f"zh{math.floor(z * 2)}")
        groups.setdefault(tuple(sorted(feats)), []).append(word)
    return Lexicon.to_bytes(groups, header=ATTRIBUTION)
