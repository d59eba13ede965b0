"""No rule change may cost recall or precision silently: every evaluation set stays at or above the
figures recorded in bench/RESULTS.md (a little under them, so a fix that trades one sentence for
another is not blocked). The eval set must meet the issue's targets outright.

Accuracy is deterministic, so this is not a timed test; speed is printed by the benchmark only.
"""

from __future__ import annotations

import pytest

from bench.redaction_eval import (
    CHAR_PRECISION,
    NAME_PRECISION,
    NAME_RECALL,
    STRUCTURED_RECALL,
    _pool,
    false_spans,
    score,
)
from core.redaction.types import ENTITY_TYPES
from models.name_tagger import product_detector
from tests.data.redaction_eval import (
    BLIND_SETS,
    NEGATIVES_DEV,
    NEGATIVES_HELDOUT,
    NEGATIVES_HELDOUT2,
    NEGATIVES_HELDOUT3,
    NEGATIVES_HELDOUT5,
    SETS,
    load,
    negatives,
    sentences,
)

#: (set, version) -> (structured recall, structured precision, NAME recall, NAME precision) floors.
FLOORS: dict[tuple[str, str], tuple[float, float, float, float]] = {
    ("eval", "cased"): (STRUCTURED_RECALL, 0.95, NAME_RECALL, NAME_PRECISION),
    ("eval", "lower"): (STRUCTURED_RECALL, 0.95, NAME_RECALL, NAME_PRECISION),
    # Round 6 (lowercase names, tuned on heldout6): NAME 1.0 cased, 0.991 lower. Round 12 (names, tuned
    # figures): NAME lower 0.991 -> 1.0.
    ("heldout", "cased"): (0.98, 0.97, 0.98, 0.95),
    ("heldout", "lower"): (0.98, 0.97, 0.99, 0.95),
    # With the trained name tagger (issue 23): names found without a cue or a list raise these.
    # Measured after merging rule families and tagger: cased 0.975/1.0/0.963/0.963, lower 0.975/1.0/0.954/0.981.
    # Round 2 (towns, streets without numbers, dates): structured 0.992/1.0 on both versions.
    # Issue 23's second round (names): NAME cased 0.972/0.981, lower 0.963/0.981. Fourth round (names,
    # the tuned figures, bench/RESULTS.md): NAME 0.982/0.991 on both versions.
    # Round 6 (lowercase names): NAME 0.991/0.991 on both versions.
    ("heldout2", "cased"): (0.99, 0.99, 0.985, 0.985),
    ("heldout2", "lower"): (0.99, 0.99, 0.985, 0.985),
    # Blind in issue 23's first round (as "blind" and "blind2"), measured there with rules and tagger
    # (bench/RESULTS.md): heldout3 cased 0.905/0.963/0.967/0.936, lower 0.878/0.955/0.878/0.972;
    # heldout4 cased 0.845/0.972/0.914/0.913, lower 0.835/0.983/0.905/0.934. Tuned on from then on: after
    # round 2's structured families (tuned figures) heldout3 cased 0.986/0.986/0.967/0.936, lower
    # 0.973/0.979/0.878/0.981; heldout4 cased 0.958/0.982/0.914/0.935, lower 0.933/0.992/0.905/0.943.
    # After the second round's name work (tuned): NAME heldout3 0.967/0.992 cased, 0.902/0.991 lower;
    # heldout4 0.937/0.953 cased, 0.919/0.962 lower. Issue 23's fourth round (tuned figures): structured
    # families, heldout4 cased structured 0.958 -> 0.961 recall, 0.985 -> 0.993 precision; names, heldout3
    # 0.976/0.992 cased, 0.935/0.991 lower; heldout4 0.955/0.967 cased, 0.932/0.971 lower. Round 5 (names,
    # tuned): heldout3 lower 0.943/0.991; heldout4 0.964/0.986 cased, 0.946/0.976 lower. Round 6 (lowercase
    # names): heldout3 lower 0.959/0.991; heldout4 lower 0.946/0.981. Round 7 (structured): heldout3 lower
    # structured 0.973 -> 0.980. Round 12 (names, tuned figures): NAME heldout3 0.976 -> 0.992 cased, 0.959 ->
    # 0.984 lower; heldout4 0.964 -> 0.973 cased, 0.946 -> 0.968 lower (precision unchanged).
    ("heldout3", "cased"): (0.98, 0.98, 0.985, 0.99),
    ("heldout3", "lower"): (0.975, 0.975, 0.98, 0.99),
    # Round 10 (the address tagger, tuned figures): structured recall 0.972 -> 0.982 cased, 0.944 -> 0.954 lower.
    # Round 12 (addresses, tuned figures): structured recall 0.982 -> 0.989 cased, 0.954 -> 0.965 lower.
    ("heldout4", "cased"): (0.985, 0.985, 0.97, 0.98),
    # Round 15 (addresses, tuned): heldout4 lower structured 0.965 -> 0.975.
    ("heldout4", "lower"): (0.97, 0.99, 0.96, 0.975),
    # Sealed as "blind3" until round 4, measured after it: cased 0.896/0.975/0.932/0.934, lower
    # 0.865/0.970/0.900/0.963 (bench/RESULTS.md); tuned on from round 5. Round 5 (tuned figures): structured
    # cased 0.973/0.992, lower 0.950/0.988 (heldout4 structured 0.972 cased, 0.940 lower); NAME 0.980/0.979
    # cased, 0.972/0.991 lower. Round 8 (names, tuned figures): NAME lower 0.980/0.991.
    # Round 10 (the address tagger, tuned figures): structured recall 0.973 -> 0.977 cased, 0.950 -> 0.962 lower.
    # Round 12 (names, tuned figures): NAME lower 0.980 -> 0.992 (precision 0.991).
    # Round 12 (addresses, tuned figures): structured recall 0.977 -> 0.996 cased, 0.962 -> 0.981 lower.
    ("heldout5", "cased"): (0.99, 0.985, 0.97, 0.97),
    ("heldout5", "lower"): (0.975, 0.98, 0.985, 0.985),
    # Sealed as "blind4" until round 5, measured after it: cased 0.897/0.962/0.955/0.963, lower
    # 0.890/0.966/0.926/0.955 (bench/RESULTS.md); tuned on from round 6. Round 6 (lowercase names, tuned
    # figures): NAME 0.974/0.972 cased, 0.960/0.967 lower. Round 7 (names): 0.977/0.972 cased, 0.966/0.968 lower.
    # Round 8 (identifier, age and date families, tuned figures): structured 0.923/0.965 cased, 0.914/0.969 lower.
    # Round 8 (addresses, tuned figures): structured cased 0.899/0.962 -> 0.917/0.981, lower 0.892/0.966 ->
    # 0.908/0.969; both round 8 branches together: 0.941/0.984 cased, 0.930/0.972 lower. Round 8 (names, tuned
    # figures): NAME 0.986/0.972 cased, 0.977/0.968 lower.
    # Round 10 (the address tagger, tuned figures): structured 0.941/0.984 -> 0.958/0.989 cased, 0.930/0.972 ->
    # 0.945/0.986 lower.
    # Round 12 (addresses, tuned figures): structured recall 0.958 -> 0.980 cased, 0.945 -> 0.967 lower.
    ("heldout6", "cased"): (0.975, 0.98, 0.98, 0.965),
    ("heldout6", "lower"): (0.96, 0.98, 0.97, 0.96),
    # Sealed as "blind5" until round 6, measured after it: cased 0.886/0.972/0.971/0.941, lower
    # 0.840/0.965/0.901/0.945 (bench/RESULTS.md); tuned on from round 7. Round 7 (structured families, tuned
    # figures): structured cased 0.914/0.981, lower 0.868/0.974. Round 7 (names, tuned figures): NAME
    # 0.971/0.941 cased, 0.920/0.956 lower. Round 8 (addresses, tuned figures): structured cased 0.914/0.981 ->
    # 0.937/0.989, lower 0.868/0.974 -> 0.893/0.978. Round 8 (names): NAME 0.984/0.942 cased, 0.942/0.957 lower.
    # Round 10 (lowercase names, tuned figures): NAME lower 0.946/0.957. Round 10 (the address tagger, tuned
    # figures): structured 0.939/0.989 -> 0.947/0.989 cased, 0.896/0.978 -> 0.916/0.984 lower. Round 12 (names,
    # tuned figures): NAME lower 0.946 -> 0.958 (precision 0.961).
    # Round 12 (addresses, tuned figures): structured recall 0.947 -> 0.970 cased, 0.916 -> 0.954 lower.
    # Round 15 (addresses, tuned): heldout7 cased structured 0.977/0.997 -> 0.982/1.000. Round 15 (identifier
    # families, tuned figures): structured recall 0.977 -> 0.980 cased, 0.967 -> 0.970 lower.
    ("heldout7", "cased"): (0.975, 0.985, 0.98, 0.935),
    ("heldout7", "lower"): (0.96, 0.98, 0.95, 0.95),
    # Sealed as "blind6" in round 7, measured after it (bench/RESULTS.md): cased 0.912/0.962/0.950/0.947,
    # lower 0.859/0.975/0.913/0.974; tuned on from round 8. Round 8 (identifier, age and date families, tuned
    # figures): structured 0.934/0.974 cased, 0.898/0.982 lower. Round 8 (addresses, tuned figures): structured
    # cased 0.912/0.962 -> 0.950/0.986, lower 0.859/0.975 -> 0.909/0.985; both round 8 branches together:
    # 0.972/0.997 cased, 0.948/0.991 lower. Round 8 (names, tuned figures): NAME 0.997/0.949 cased, 0.987/0.979
    # lower. Round 8's identifier tagger, before the other round 8 branches: structured cased 0.923/0.963,
    # lower 0.873/0.975. Round 10 (lowercase names, tuned figures): NAME 1.0/0.965 cased, 0.990/0.983 lower.
    # Round 10 (the address tagger, tuned figures): structured recall 0.972 -> 0.978 cased, 0.948 -> 0.964 lower.
    # Round 12 (addresses, tuned figures): structured recall 0.978 -> 0.983 cased, 0.964 -> 0.978 lower.
    # Round 15 (addresses and ages, tuned): heldout8 structured 0.983 -> 0.986 cased, 0.981 -> 0.986 lower.
    ("heldout8", "cased"): (0.98, 0.99, 0.995, 0.945),
    ("heldout8", "lower"): (0.98, 0.985, 0.985, 0.975),
    # Sealed as "blind8" in round 10, measured after it (bench/RESULTS.md): cased 0.902/0.944/0.985/0.960, lower
    # 0.898/0.940/0.937/0.969; tuned on from round 12. Round 12, all four branches (tuned figures): structured
    # 0.988/0.996 cased, 0.988/0.988 lower; NAME 1.0/0.978 cased, 0.993/0.974 lower.
    ("heldout9", "cased"): (0.98, 0.985, 0.99, 0.97),
    ("heldout9", "lower"): (0.98, 0.98, 0.985, 0.965),
    # Sealed as "blind9" in round 12, measured after it (bench/RESULTS.md): cased 0.966/0.973/0.965/0.992, lower
    # 0.959/0.977/0.940/0.989; tuned on from round 14. Round 14 (names, tuned figures): NAME 0.965/0.992 -> 0.985/0.993
    # cased, 0.940/0.989 -> 0.975/0.990 lower.
    # Round 14, all three branches (tuned figures): structured 0.985/0.978 cased, 0.980/0.983 lower; NAME
    # 0.988/0.995 cased, 0.975/0.992 lower.
    # Round 15 (addresses, tuned): structured 0.985/0.978 -> 0.988/0.980 cased, 0.980 -> 0.983 lower. Round 15
    # (identifier families, tuned): structured 0.985/0.978 -> 0.988/0.980 cased, 0.981/0.983 -> 0.983/0.988 lower.
    # Round 15 (names): NAME recall 0.988 -> 0.993 cased, 0.978 -> 0.983 lower. All round 15: see below.
    ("heldout10", "cased"): (0.98, 0.975, 0.99, 0.985),
    ("heldout10", "lower"): (0.975, 0.98, 0.98, 0.98),
    # Sealed as "blind10" in round 14, measured after it (bench/RESULTS.md): cased 0.960/0.979/0.952/0.979, lower
    # 0.950/0.991/0.922/0.971; spent in round 15 (the taggers' go/no-go, and its misses fixed by cause).
    # Round 15 (addresses, dates and ages, tuned): structured recall 0.960 -> 0.983 cased, 0.950 -> 0.975 lower,
    # precision unchanged (0.979, 0.991). Round 15 (identifier families, tuned): structured 0.960/0.979 ->
    # 0.973/0.987 cased, 0.950/0.991 -> 0.965/0.998 lower. Round 15 (names, the decision rule's families): NAME
    # 0.952/0.979 -> 0.986/0.991 cased, 0.922/0.971 -> 0.977/0.984 lower (the shipped tagger).
    # Round 16 (names, tuned): NAME recall 0.986 -> 0.989 cased.
    ("heldout11", "cased"): (0.975, 0.98, 0.985, 0.97),
    ("heldout11", "lower"): (0.965, 0.99, 0.965, 0.965),
    # Sealed as "blind11" in round 15, measured after it (bench/RESULTS.md): cased 0.931/0.955/0.934/0.932, lower
    # 0.933/0.969/0.881/0.951; tuned on from round 16. Round 16 (identifier families, tuned): structured
    # 0.931/0.955 -> 0.940/0.957 cased, 0.933/0.969 -> 0.942/0.971 lower. Round 16 (addresses and dates, r16a):
    # structured 0.931/0.955 -> 0.956/0.962 cased, 0.933/0.969 -> 0.949/0.971 lower. Round 16 (names, the decision
    # rule's families, tuned): NAME 0.934/0.932 -> 0.957/0.940 cased, 0.881/0.951 -> 0.911/0.955 lower.
    ("heldout12", "cased"): (0.95, 0.955, 0.95, 0.935),
    ("heldout12", "lower"): (0.94, 0.965, 0.905, 0.95),
    # Sealed as "blind12" in round 16, measured after it (bench/RESULTS.md): cased 0.913/0.950/0.933/0.977, lower
    # 0.902/0.954/0.897/0.976; tuned on from round 17. Round 17 (identifiers read in scenes, r17c, tuned): structured
    # 0.913/0.950 -> 0.927/0.950 cased, 0.902/0.954 -> 0.913/0.954 lower (lines alone). Round 17 (addresses, dates
    # and ages, r17a): structured 0.913/0.950 -> 0.936/0.953 cased, 0.902/0.954 -> 0.927/0.957 lower. After the
    # round's four branches merged: cased 0.950/0.954/0.933/0.980, lower 0.938/0.958/0.897/0.979.
    ("heldout13", "cased"): (0.945, 0.95, 0.925, 0.975),
    ("heldout13", "lower"): (0.93, 0.955, 0.89, 0.975),
    # Sealed as "blind13" in round 17, measured before it (bench/RESULTS.md): cased 0.950/0.967/0.938/0.948, lower
    # 0.948/0.967/0.895/0.920; after rounds 17-18 (lines): cased 0.953/0.970/0.938/0.948, lower
    # 0.950/0.969/0.895/0.920; tuned on from round 19. After round 19 (names r19n, identifiers r19s): cased
    # 0.958/0.972/0.949/0.985, lower 0.955/0.972/0.907/0.981.
    ("heldout14", "cased"): (0.95, 0.965, 0.94, 0.975),
    ("heldout14", "lower"): (0.945, 0.965, 0.9, 0.97),
    # Sealed as "blind14" in round 19, measured before and after it (bench/RESULTS.md); after it: cased
    # 0.941/0.953/0.964/0.964, lower 0.938/0.956/0.958/0.978; its misses in scenes tuned on in round 20. After round
    # 20 (identifiers r20s, names r20n): cased 0.941/0.951/0.979/0.997, lower 0.938/0.956/0.961/0.994.
    ("heldout15", "cased"): (0.93, 0.94, 0.965, 0.985),
    ("heldout15", "lower"): (0.93, 0.945, 0.95, 0.985),
    # The sealed sets, a little under their figures (bench/RESULTS.md, blind figures; measured only, never tuned
    # on): a regression guard, not a target. blind7 after round 16: cased 0.955/0.976/0.974/0.989, lower
    # 0.940/0.976/0.963/0.970. blind15, before round 20 (the code of round 19 with its speed-ups, the same spans): cased
    # 0.900/0.930/0.968/0.919, lower 0.882/0.926/0.943/0.923; after it: cased 0.900/0.930/0.968/0.925, lower
    # 0.882/0.926/0.943/0.929. Only these figures are shown when one fails, never a sentence.
    ("blind15", "cased"): (0.89, 0.92, 0.955, 0.905),
    ("blind15", "lower"): (0.87, 0.915, 0.93, 0.91),
    ("blind7", "cased"): (0.945, 0.97, 0.965, 0.98),
    ("blind7", "lower"): (0.925, 0.975, 0.95, 0.965),
}

#: The same four floors with every scene read as one transcript, as the product reads a recording
#: (`load(..., in_scene=True)`; bench/redaction_eval.py --scenes), for the sets measured so from issue 23's round
#: 17 on. After the round (bench/RESULTS.md): heldout13 cased 0.968/0.961/0.952/0.978, lower 0.945/0.963/0.911/0.976;
#: blind13 (heldout14 from round 19) cased 0.973/0.973/0.949/0.944, lower 0.970/0.975/0.904/0.909; blind7 cased
#: 0.966/0.973/0.978/0.978, lower 0.947/0.961/0.959/0.958 (its lowercase NAME precision was 0.806 in scenes
#: before the round: a word run on after a full name was carried through the whole transcript). After round 19:
#: heldout14 cased 0.975/0.978/0.963/0.980, lower 0.975/0.980/0.921/0.975; blind14 (heldout15 from round 20) cased
#: 0.965/0.965/0.976/0.958, lower 0.957/0.962/0.955/0.984. blind15 before round 20: cased 0.932/0.955/0.975/0.917,
#: lower 0.915/0.942/0.951/0.920; after it cased 0.935/0.952/0.975/0.923, lower 0.921/0.943/0.951/0.927. heldout15
#: after round 20: cased 0.968/0.970/0.991/0.994, lower 0.960/0.964/0.961/0.997.
SCENE_FLOORS: dict[tuple[str, str], tuple[float, float, float, float]] = {
    ("blind15", "cased"): (0.92, 0.945, 0.965, 0.905),
    ("blind15", "lower"): (0.905, 0.93, 0.94, 0.91),
    ("heldout13", "cased"): (0.96, 0.955, 0.945, 0.97),
    ("heldout13", "lower"): (0.94, 0.955, 0.905, 0.97),
    ("heldout14", "cased"): (0.965, 0.97, 0.955, 0.97),
    ("heldout14", "lower"): (0.965, 0.97, 0.91, 0.965),
    ("heldout15", "cased"): (0.96, 0.96, 0.98, 0.985),
    ("heldout15", "lower"): (0.95, 0.955, 0.95, 0.985),
    ("blind7", "cased"): (0.955, 0.965, 0.97, 0.97),
    ("blind7", "lower"): (0.94, 0.955, 0.95, 0.95),
}


@pytest.fixture(scope="module")
def detector():  # type: ignore[no-untyped-def]
    return product_detector()  # what the app and the command line use


#: False spans per 1,000 words of the dev negatives (PII-free text), any type. The rules alone measured 0.79
#: cased and 0.39 lower; the product with the name tagger 1.57 cased (an insurer and a virtue word at a
#: sentence start taken for names) and 0.79 lower. The tagger never saw this set. After issue 23's second
#: round (names): 0.79 cased (NAME 0.39), 0.39 lower (NAME 0.00).
DEV_FALSE_SPANS_PER_1000 = 0.8


@pytest.mark.parametrize("name", list(SETS))
def test_each_set_meets_its_floor(name: str, detector) -> None:  # type: ignore[no-untyped-def]
    if (name, "cased") not in FLOORS:
        pytest.skip(f"no floor recorded yet for {name!r}: its first figures go in bench/RESULTS.md and FLOORS")
    for version, result in score(load(SETS[name]), detector).items():
        s, n = result["structured"], result["name"]
        floor = FLOORS[(name, version)]
        got = (s["recall"], s["precision"], n["recall"], n["precision"])
        assert all(g >= f for g, f in zip(got, floor, strict=True)), (name, version, got, floor)
        if name not in BLIND_SETS:
            assert result["characters"]["precision"] >= CHAR_PRECISION, (name, version, result["characters"])


@pytest.mark.parametrize("name", sorted({n for n, _ in SCENE_FLOORS}))
def test_each_set_read_in_scenes_meets_its_floor(name: str, detector) -> None:  # type: ignore[no-untyped-def]
    if name not in SETS:
        pytest.skip(f"{name!r} is not in this checkout")
    for version, result in score(load(SETS[name], in_scene=True), detector).items():
        s, n = result["structured"], result["name"]
        floor = SCENE_FLOORS[(name, version)]
        got = (s["recall"], s["precision"], n["recall"], n["precision"])
        assert all(g >= f for g, f in zip(got, floor, strict=True)), (name, version, got, floor)


def test_dev_negatives_stay_clean(detector) -> None:  # type: ignore[no-untyped-def]
    """PII-free dictation, interviews and calls: hardly any detection, and NAME within the issue's target."""
    for version, result in false_spans(negatives(NEGATIVES_DEV), detector).items():
        assert result["per_1000_words"] <= DEV_FALSE_SPANS_PER_1000, (version, result)
        assert result["pass"], (version, result)


#: False spans per 1,000 words of the held-out negatives (blind in issue 23's first round), any type:
#: measured there with rules and tagger 3.02 cased (NAME 2.82) and 2.43 lower (NAME 2.24), over the
#: issue's NAME target of 2; a ceiling, to come down. After the second round's name work (tuned on it):
#: 1.17 cased (NAME 0.97) and 1.07 lower (NAME 0.88). After round 3's identifier families (an amount after
#: "policy" no longer taken for a member ID): 1.07 cased and 0.97 lower. After the fourth round's name work:
#: 0.58 cased (NAME 0.49) and 0.88 lower (NAME 0.78).
HELDOUT_FALSE_SPANS_PER_1000 = {"cased": 0.6, "lower": 0.9}


def test_heldout_negatives_do_not_get_worse(detector) -> None:  # type: ignore[no-untyped-def]
    for version, result in false_spans(negatives(NEGATIVES_HELDOUT), detector).items():
        assert result["per_1000_words"] <= HELDOUT_FALSE_SPANS_PER_1000[version], (version, result)


#: False NAME spans per 1,000 words of the negatives heldout2 (sealed as "blind2" until round 4, measured
#: after it: 2.37 cased, 1.87 lower). Tuned on in round 5 (names): 0.99 cased, 1.08 lower; a ceiling.
HELDOUT2_FALSE_NAMES_PER_1000 = {"cased": 1.0, "lower": 1.1}


def test_heldout2_negatives_names_do_not_get_worse(detector) -> None:  # type: ignore[no-untyped-def]
    for version, result in false_spans(negatives(NEGATIVES_HELDOUT2), detector).items():
        assert result["name_per_1000_words"] <= HELDOUT2_FALSE_NAMES_PER_1000[version], (version, result)


#: False NAME spans per 1,000 words of the negatives heldout3 (sealed as "blind3" until round 5, measured
#: after it: 0.65 cased, 0.43 lower; round 6 left them there); a ceiling.
HELDOUT3_FALSE_NAMES_PER_1000 = {"cased": 0.7, "lower": 0.5}


def test_heldout3_negatives_names_do_not_get_worse(detector) -> None:  # type: ignore[no-untyped-def]
    for version, result in false_spans(negatives(NEGATIVES_HELDOUT3), detector).items():
        assert result["name_per_1000_words"] <= HELDOUT3_FALSE_NAMES_PER_1000[version], (version, result)


#: False NAME spans per 1,000 words of the negatives heldout5 (sealed as "blind5" until round 8, measured
#: after round 7: 0.32 cased, 0.43 lower); a ceiling.
HELDOUT5_FALSE_NAMES_PER_1000 = {"cased": 0.35, "lower": 0.45}


def test_heldout5_negatives_names_do_not_get_worse(detector) -> None:  # type: ignore[no-untyped-def]
    for version, result in false_spans(negatives(NEGATIVES_HELDOUT5), detector).items():
        assert result["name_per_1000_words"] <= HELDOUT5_FALSE_NAMES_PER_1000[version], (version, result)


@pytest.mark.parametrize("name", [n for n in SETS if n != "eval"])
def test_the_later_sets_are_sound(name: str) -> None:
    parsed = sentences(SETS[name])
    assert len(parsed) >= 200
    counts = {kind: sum(g.type == kind for _, gold in parsed for g in gold) for kind in ENTITY_TYPES}
    assert min(counts.values()) >= 5, counts
    header = SETS[name].read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "written for this project" in header.replace("\n#", "").replace("  ", " ") or "without" in header


#: The identifier families of issue 23's third round, pooled: SSN, member IDs, account, card, CVV, PIN,
#: licence, vehicle and device identifiers and ages over 89. (set, version) -> (recall, precision) floors,
#: a little under what round 3 measured (bench/RESULTS.md, "round 3: identifier families"): heldout2
#: 0.986/1.0 cased, 0.971/1.0 lower; heldout3 0.987/1.0 both; heldout4 1.0/1.0 cased, 0.991/1.0 lower
#: (before the round: heldout3 0.855/0.970 and 0.868/0.971, heldout4 0.879/0.990 and 0.862/0.990).
#: Round 4 (structured families) took heldout from 0.985 cased and 0.969 lower to 1.0/1.0 on both (a second
#: serial after "for the left and", a name then "is ninety"). Round 8 (identifier, age and date families, tuned
#: figures, bench/RESULTS.md) took heldout2 lower from 0.971 to 0.986 and adds the later sets, measured after
#: it: heldout5 0.992/0.983 on both versions (lower 0.983 before); heldout6 0.959/0.989 cased, 0.954/0.989
#: lower (0.887/0.977 both before); heldout7 0.924/0.980 cased, 0.899/0.979 lower (0.905/0.979, 0.867/0.978);
#: heldout8 0.951/1.0 cased, 0.940/1.0 lower (0.813/0.993, 0.791/0.986).
IDENTIFIER_FAMILIES = (
    "SSN", "HEALTH_PLAN_ID", "ACCOUNT_NUMBER", "CREDIT_DEBIT_NUMBER", "CREDIT_DEBIT_CVV", "PIN",
    "LICENSE_NUMBER", "VEHICLE_ID", "DEVICE_ID", "AGE",
)  # fmt: skip
#: Round 8's identifier tagger (bench/RESULTS.md, "Issue 23 round 8: identifier tagger"), rules alone -> with it:
#: heldout6 0.887/0.977 -> 0.928/0.989 cased, 0.887/0.977 -> 0.933/0.989 lower; heldout7 0.905/0.979 ->
#: 0.930/0.986 cased, 0.867/0.978 -> 0.892/0.986 lower; heldout8 0.813/0.993 -> 0.896/0.988 cased, 0.791/0.986
#: -> 0.857/0.987 lower. Heldout3's precision went from 1.0 to 0.986 (both versions): the tagger marks a
#: licence number read back a second time ("I'll read it again, oh four four seven one nine"), which that set's
#: gold leaves unmarked; the floor of 0.99 there became 0.985 (the coordinator may prefer to mark the gold).
#: Round 9 (the tagger's training widened for PIN, expiry, plates, SSN, member IDs and CVV; bench/RESULTS.md, "Issue 23
#: round 9"): heldout6 cased 0.974 -> 0.979 and heldout8 lower 0.951 -> 0.967, precision unchanged; floors raised.
#: Round 15 (identifier families by form, rules only; bench/RESULTS.md): heldout6 lower 0.969 -> 0.974; heldout7
#: 0.962/0.994 -> 0.975/0.994 cased, 0.943/0.993 -> 0.962/0.994 lower; heldout8 0.962/0.994 cased (unchanged);
#: heldout9 0.966/1.0 cased, 0.961/1.0 lower (unchanged); heldout10 0.955/0.987 -> 0.971/0.987 cased,
#: 0.946/0.987 -> 0.967/0.987 lower; heldout11 0.948/0.966 -> 0.993/0.982 cased, 0.937/0.959 -> 0.989/0.982 lower.
IDENTIFIER_FLOORS: dict[tuple[str, str], tuple[float, float]] = {
    ("heldout", "cased"): (0.99, 0.99),
    ("heldout", "lower"): (0.99, 0.99),
    ("heldout2", "cased"): (0.98, 0.99),
    ("heldout2", "lower"): (0.98, 0.99),
    ("heldout3", "cased"): (0.985, 0.99),
    ("heldout3", "lower"): (0.985, 0.99),
    ("heldout4", "cased"): (0.99, 0.99),
    ("heldout4", "lower"): (0.99, 0.99),
    ("heldout5", "cased"): (0.985, 0.975),
    ("heldout5", "lower"): (0.985, 0.975),
    ("heldout6", "cased"): (0.97, 0.98),
    ("heldout6", "lower"): (0.965, 0.98),
    ("heldout7", "cased"): (0.965, 0.985),
    ("heldout7", "lower"): (0.955, 0.985),
    ("heldout8", "cased"): (0.955, 0.99),
    ("heldout8", "lower"): (0.96, 0.99),
    ("heldout9", "cased"): (0.96, 0.995),
    ("heldout9", "lower"): (0.955, 0.995),
    ("heldout10", "cased"): (0.965, 0.98),
    ("heldout10", "lower"): (0.96, 0.98),
    ("heldout11", "cased"): (0.985, 0.975),
    ("heldout11", "lower"): (0.98, 0.975),
    # Round 16 (identifier families, tuned): heldout12 0.814/0.977 -> 0.853/0.978 cased, 0.810/0.977 -> 0.849/0.982
    # lower.
    ("heldout12", "cased"): (0.85, 0.975),
    ("heldout12", "lower"): (0.845, 0.975),
}


@pytest.mark.parametrize("name", sorted({n for n, _ in IDENTIFIER_FLOORS}))
def test_identifier_families_meet_their_floor(name: str, detector) -> None:  # type: ignore[no-untyped-def]
    for version, result in score(load(SETS[name]), detector).items():
        pooled = _pool(result["types"][kind] for kind in IDENTIFIER_FAMILIES)
        got = (pooled["recall"], pooled["precision"])
        floor = IDENTIFIER_FLOORS[(name, version)]
        assert all(g >= f for g, f in zip(got, floor, strict=True)), (name, version, got, floor)
