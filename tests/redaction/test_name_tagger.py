"""The trained name tagger (core/redaction/name_tagger.py, models/name_tagger.py): tokens and offsets,
features, the lexicon format, refusal of a tampered artefact, and names the rules cannot find."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import ModelError, ModelMismatch, ModelNotFound
from core.redaction.detect import load_detector
from core.redaction.name_tagger import (
    Lexicon,
    NameTagger,
    Token,
    is_cased,
    sentence_features,
    shape,
    spans_from_labels,
    tokenize,
)
from core.redaction.types import Detector
from models.manifest import NAME_TAGGER_LEXICON, NAME_TAGGER_MODEL
from models.name_tagger import ARTEFACTS_DIR, load_name_tagger, product_detector, read_verified

# Written for this test, not taken from any evaluation set: invented names on no list (checked below), in
# sentences with no cue the rules know ("my name is", a title, "this is", a relation).
NO_CUE = [
    ("Ilmorra Tavrunek arrived late for the eleven o'clock appointment.", "Ilmorra Tavrunek"),
    ("The referral letter for Yorrelin Paskuvet came through on Monday.", "Yorrelin Paskuvet"),
    ("We reviewed the scans with Zesquell Obrantivo before lunch.", "Zesquell Obrantivo"),
    ("Kelvashi Druminova reports that the knee pain is worse at night.", "Kelvashi Druminova"),
    ("Results went to Feshkarov, who will review them next week.", "Feshkarov"),
    ("Ulbrenta Vosquel agreed to start physiotherapy in March.", "Ulbrenta Vosquel"),
    ("Before discharge, Quennath Silbrovek asked about driving.", "Quennath Silbrovek"),
    ("The consent form was signed by Obrantha Meltravis at the desk.", "Obrantha Meltravis"),
]


def _lower(text: str) -> str:
    """What a recogniser without punctuation writes (the rule of tests/data/redaction_eval.py)."""
    return " ".join(w.strip(',.;:!?"()').lower() for w in text.split() if w.strip(',.;:!?"()'))


@pytest.fixture(scope="module")
def tagger() -> NameTagger:
    return load_name_tagger()


@pytest.fixture(scope="module")
def detector() -> Detector:
    return product_detector()


def test_tokens_are_exact_slices_of_the_text() -> None:
    text = "  Dr.  Ngozi   Okonkwo-Ellis's chart,\tO'Sullivan’s too; José 4.5mg at 10:30!\n"
    tokens = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    words = [t.text for t in tokens]
    assert "Okonkwo-Ellis" in words and "'s" in words  # the possessive is a token of its own
    assert "O'Sullivan" in words and "’s" in words and "José" in words and "10:30" in words


def test_shape_and_casing_features() -> None:
    assert shape("McDonald") == "XxXx" and shape("o'neil") == "x'x" and shape("4b") == "dx"
    assert is_cased(tokenize("He saw Anna today.")) and not is_cased(tokenize("he saw anna today"))
    lexicon = Lexicon({("g", "z3"): ["anna"]})
    cased = sentence_features(["He", "saw", "Anna"], cased=True, lexicon=lexicon)
    lower = sentence_features(["he", "saw", "anna"], cased=False, lexicon=lexicon)
    # The same word gives the same lexicon features, and its capital and the text's casing as features.
    assert {"w=anna", "g", "z3", "c=TC", "gCT"} <= set(cased[2])
    assert {"w=anna", "g", "z3", "c=lL", "gLl"} <= set(lower[2])
    assert "-1w=saw" in cased[2] and "+1w=$" in cased[2] and "-1w=^" in cased[0]
    assert "+1g" in cased[1] and "+2g" in cased[0]


def test_labels_to_character_spans() -> None:
    text = "so tomasz tomasz wojcik, and li"
    tokens = tokenize(text)
    labels = ["O", "B-NAME", "B-NAME", "I-NAME", "O", "O", "I-NAME"]
    spans = spans_from_labels(tokens, labels)
    # Two names a space apart are one span; an I with no B before it opens one.
    assert [text[s:e] for s, e in spans] == ["tomasz tomasz wojcik", "li"]
    assert spans_from_labels([Token("x", 0, 1)], ["O"]) == []


def test_lexicon_round_trip_is_byte_stable_and_refuses_other_files() -> None:
    groups = {("cf", "z4"): ["anna", "maria"], ("z7",): ["the"]}
    data = Lexicon.to_bytes(groups, header=["test"])
    assert data == Lexicon.to_bytes({("z7",): ["the"], ("cf", "z4"): ["maria", "anna"]}, header=["test"])
    lexicon = Lexicon.from_bytes(data)
    assert lexicon.features("anna") == ("cf", "z4") and lexicon.features("Ánna".lower()) == ("cf", "z4")
    assert lexicon.features("zzq") == Lexicon.UNKNOWN and lexicon.words_with("cf") == ["anna", "maria"]
    with pytest.raises(ModelError, match="gzip"):
        Lexicon.from_bytes(b"not gzip")
    import gzip

    with pytest.raises(ModelError, match="does not start"):
        Lexicon.from_bytes(gzip.compress(b"something else\n@z1\nword\n"))


def test_lexicon_format_2_reads_as_format_1_did() -> None:
    """Format 1 (text) is still read, and both give the same lookups: a word in two groups has the later
    group's features, and an entry of several words gives each word its features."""
    import gzip

    groups = {("cf", "z4"): ["anna", "maria", "jean luc"], ("z7",): ["the", "luc"], ("cl", "z2"): ["wojcik"]}
    v1 = "vaultscribe-name-lexicon 1\n# test\n@cf,z4\nanna jean luc maria\n@cl,z2\nwojcik\n@z7\nluc the\n"
    old = Lexicon.from_bytes(gzip.compress(v1.encode()))
    new = Lexicon.from_bytes(Lexicon.to_bytes(groups, header=["test"]))
    for lexicon in (old, new):
        assert len(lexicon) == 6 and "jean" in lexicon and "jean luc" not in lexicon
        assert [lexicon.features(w) for w in ("anna", "jean", "luc", "the", "wójcik", "x")] == [
            ("cf", "z4"), ("cf", "z4"), ("z7",), ("z7",), ("cl", "z2"), Lexicon.UNKNOWN
        ]  # fmt: skip
        assert lexicon.words_with("cf") == ["anna", "jean", "maria"] and lexicon.words_with("z7") == ["luc", "the"]


def test_a_damaged_lexicon_is_refused() -> None:
    import gzip

    raw = gzip.decompress(Lexicon.to_bytes({("z4",): ["anna", "maria"]}))
    with pytest.raises(ModelError, match="counts"):
        Lexicon.from_bytes(gzip.compress(raw[: -len(b"\nmaria")]))  # a word short
    with pytest.raises(ModelError, match="counts"):
        Lexicon.from_bytes(gzip.compress(raw.replace(b"\n2\n", b"\n3\n")))
    with pytest.raises(ModelError, match="header"):
        Lexicon.from_bytes(gzip.compress(raw.replace(b"\n2\n", b"\ntwo\n")))


@pytest.mark.parametrize("spec", [NAME_TAGGER_MODEL, NAME_TAGGER_LEXICON], ids=lambda s: s.file_name)
def test_a_tampered_artefact_is_refused(spec, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in (NAME_TAGGER_MODEL.file_name, NAME_TAGGER_LEXICON.file_name):
        shutil.copy(ARTEFACTS_DIR / name, tmp_path / name)
    target = tmp_path / spec.file_name
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, same size: only the hash can tell
    target.write_bytes(bytes(data))
    with pytest.raises(ModelMismatch, match=f"expected {spec.size_bytes:,} bytes, sha256 {spec.sha256}"):
        load_name_tagger(tmp_path)
    target.write_bytes(bytes(data) + b"x")  # a different size is refused before it is read
    with pytest.raises(ModelMismatch, match=r"\(not read\)"):
        read_verified(spec, tmp_path)
    target.unlink()
    with pytest.raises(ModelNotFound, match="missing"):
        read_verified(spec, tmp_path)


def test_the_shipped_artefacts_match_the_manifest() -> None:
    assert len(read_verified(NAME_TAGGER_MODEL)) == NAME_TAGGER_MODEL.size_bytes
    assert len(read_verified(NAME_TAGGER_LEXICON)) == NAME_TAGGER_LEXICON.size_bytes


def test_the_test_names_are_on_no_list(tagger: NameTagger) -> None:
    for _, name in NO_CUE:
        for word in name.lower().split():
            feats = tagger.lexicon.features(word)
            assert not set(feats) & {"cf", "cl", "pf", "pl", "g", "s", "a"}, (word, feats)


@pytest.mark.parametrize("version", ["cased", "lower"])
def test_finds_names_with_no_cue_and_on_no_list(version: str, detector: Detector) -> None:
    rules = load_detector()
    found = by_rules = 0
    for text, name in NO_CUE:
        if version == "lower":
            text, name = _lower(text), name.lower()
        at = text.index(name)
        names = [e for e in detector.detect(text) if e.type == "NAME"]
        # Offsets map back to the very characters of the name: no stray space or mark.
        for e in names:
            assert text[e.start : e.end].strip(" ,.") == text[e.start : e.end], (text, e)
        found += any(e.start <= at and at + len(name) <= e.end for e in names)
        by_rules += any(e.start < at + len(name) and at < e.end for e in rules.detect(text) if e.type == "NAME")
    assert found >= len(NO_CUE) - 1, (version, found)
    assert by_rules <= len(NO_CUE) // 2, "these sentences should need the tagger"


def test_hard_negatives_stay_unredacted(detector: Detector) -> None:
    texts = [
        "Signs consistent with Bell's palsy; continue prednisone and recheck the A1C in June.",
        "started on apixaban, insurance through aetna approved it, there is hope she improves",
        "Kaposi sarcoma was ruled out. The Foley catheter came out on Tuesday.",
        "please send it to mei dot chen at example dot com",
        "Mercy was not something the old landlord ever showed.",  # a virtue word opening a sentence
        "hope is fading for a quick fix to the billing system",
    ]
    for text in texts:
        names = [text[e.start : e.end] for e in detector.detect(text) if e.type == "NAME"]
        assert names == [], (text, names)


def test_the_product_never_loads_the_training_inputs() -> None:
    code = (
        "import sys; from models.name_tagger import product_detector; "
        "product_detector().detect('Ilmorra Tavrunek came in today.'); "
        "print(sorted(m for m in ('wordfreq', 'philter_lite', 'names', 'msgpack', 'models.training') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


class _FixedSpans:
    """Stands in for the CRF in `CrfNameRecognizer`: the spans it "tagged", and the real verified lexicon, so
    that these tests check the decision rule itself (spellings, phrases), not the model's whims."""

    def __init__(self, spans: list[tuple[str, float]], text: str) -> None:
        self.lexicon = load_name_tagger().lexicon
        self._spans = [(text.index(s), text.index(s) + len(s), p) for s, p in spans]
        self._cased = is_cased(tokenize(text))

    def tag(self, text: str, *, unknown: bool = False) -> tuple[list[tuple[int, int, float]], bool]:
        return self._spans, self._cased


def _kept(text: str, spans: list[tuple[str, float]]) -> list[str]:
    from core.redaction.name_tagger import CrfNameRecognizer
    from core.redaction.spoken import SpokenView

    recognizer = CrfNameRecognizer(_FixedSpans(spans, text))  # type: ignore[arg-type]
    return [text[e.start : e.end] for e in recognizer.find(text, SpokenView(text))]


def test_a_spelling_is_its_own_span_after_the_name() -> None:
    text = "okafor o k a f o r"
    tokens = tokenize(text)
    labels = ["B-NAME", "B-NAME", "I-NAME", "I-NAME", "I-NAME", "I-NAME", "I-NAME"]
    assert [text[a:b] for a, b in spans_from_labels(tokens, labels)] == ["okafor", "o k a f o r"]


def test_letters_count_as_a_name_only_as_a_spelling() -> None:
    # Written for this test: a spelling right after a kept name, or after "spell", is a name ...
    text = "the last name is Brandvik, that's B R A N D V I K."
    assert _kept(text, [("Brandvik", 0.9), ("B R A N D V I K", 0.8)]) == ["Brandvik", "B R A N D V I K"]
    text = "could you spell it for me? q u a r t e l"
    assert _kept(text, [("q u a r t e l", 0.8)]) == ["q u a r t e l"]
    # ... a code's letters, or letters with no name before them, are not.
    text = "patient Brandvik d o b march third"
    assert _kept(text, [("Brandvik", 0.9), ("d o b", 0.8)]) == ["Brandvik"]
    text = "the confirmation number is q x seven seven four"
    assert _kept(text, [("q x", 0.9)]) == []


def test_names_split_by_their_particles_are_joined() -> None:
    from core.redaction.name_tagger import _join_particles

    text = "the lawyer Joost van der Hoek called back"
    a, b = text.index("Joost"), text.index("Hoek")
    assert _join_particles([(a, a + 5, 0.9), (b, b + 4, 0.7)], text) == [(a, b + 4, 0.7)]
    text = "Joost and Hoek came"  # a word that is no particle keeps them apart
    assert len(_join_particles([(0, 5, 0.9), (10, 14, 0.9)], text)) == 2


def test_an_everyday_name_word_before_an_ordinary_word_is_a_phrase_not_a_name() -> None:
    # Sentence openings written for this test.
    assert _kept("Crystal clear skies are forecast for the weekend.", [("Crystal clear", 0.8)]) == []
    assert _kept("summer drought hit the valley farms hard", [("summer drought", 0.8)]) == []
    # A given name that is a word, before a surname, stays a name.
    assert _kept("Rose Brown signed the consent form.", [("Rose Brown", 0.8)]) == ["Rose Brown"]
    assert _kept("hope castellanos signed the consent form", [("hope castellanos", 0.8)]) == ["hope castellanos"]


def test_lowercase_words_the_lexicon_does_not_know_need_less() -> None:
    # Invented for this test, on no list: in lowercase ASR text such a word is most often a name.
    text = "the results went to dravoskin who will call back"
    assert _kept(text, [("dravoskin", 0.45)]) == ["dravoskin"]
    assert _kept("The results went to Dravoskin, who will call back.", [("Dravoskin", 0.45)]) == []
    assert _kept("no no ma'am i was only asking", [("ma'am", 0.45)]) == []  # a contraction, not a name


def test_letters_before_a_hyphen_and_a_trailing_article_are_no_name() -> None:
    assert _kept("repeat the chest x-ray in six weeks", [("x-ray", 0.9)]) == []
    text = "spoke with tamsin okoro a nurse at the home"
    assert _kept(text, [("tamsin okoro a", 0.9)]) == ["tamsin okoro"]
    assert _kept("Seen by Ravi K Sundaram today.", [("Ravi K Sundaram", 0.9)]) == ["Ravi K Sundaram"]
