"""bench/redaction_eval.py's scorer, against hand-made detections (no real detector needed)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import pytest

from bench.redaction_eval import hour_transcript, score, speed
from core.redaction.types import Entity
from tests.data.redaction_eval import Case, GoldSpan, load, parse_line


class Fixed:
    """A detector that returns, for each text, the spans it was given (type, start, end)."""

    def __init__(self, answers: dict[str, Sequence[tuple[str, int, int]]]) -> None:
        self.answers = answers

    def detect(self, text: str, entities: Collection[str] | None = None) -> list[Entity]:
        return [Entity(t, s, e, 1.0, "test:fixed") for t, s, e in self.answers.get(text, ())]


class DigitsAsPhone:
    """A trivial regex detector: every run of digits and dashes is a PHONE."""

    def detect(self, text: str, entities: Collection[str] | None = None) -> list[Entity]:
        return [Entity("PHONE", m.start(), m.end(), 0.5, "test:regex") for m in re.finditer(r"\d[\d-]*\d", text)]


TEXT = "Call Maria Gonzalez at 555-1212 today."
#            5            19   23      31


@pytest.fixture
def case() -> Case:
    text, gold = parse_line("Call [NAME|Maria Gonzalez] at [PHONE|555-1212] today.")
    assert text == TEXT
    return Case(text, gold, "cased")


def test_perfect_detections(case: Case) -> None:
    v = score([case], Fixed({TEXT: [("NAME", 5, 19), ("PHONE", 23, 31)]}))["cased"]
    for kind in ("NAME", "PHONE"):
        assert (v["types"][kind]["precision"], v["types"][kind]["recall"], v["types"][kind]["f2"]) == (1.0, 1.0, 1.0)
    assert v["coverage"]["share"] == 1.0
    assert v["characters"]["precision"] == 1.0
    assert v["targets"] == {"structured_recall": True, "name": True, "char_precision": True}


def test_missing_detection(case: Case) -> None:
    v = score([case], Fixed({TEXT: [("NAME", 5, 19)]}))["cased"]
    assert v["types"]["PHONE"]["recall"] == 0.0
    assert v["types"]["PHONE"]["precision"] == 1.0  # nothing detected, nothing wrong said
    assert v["types"]["PHONE"]["f2"] == 0.0
    assert v["structured"]["recall"] == 0.0
    assert v["coverage"] == {"gold": 2, "covered": 1, "share": 0.5}
    assert v["targets"] == {"structured_recall": False, "name": True, "char_precision": True}


def test_wrong_type_is_a_false_positive_but_still_covers(case: Case) -> None:
    v = score([case], Fixed({TEXT: [("NAME", 5, 19), ("ACCOUNT_NUMBER", 23, 31)]}))["cased"]
    assert v["types"]["PHONE"]["recall"] == 0.0
    acct = v["types"]["ACCOUNT_NUMBER"]
    assert (acct["detected"], acct["tp"], acct["precision"]) == (1, 0, 0.0)
    assert v["coverage"]["share"] == 1.0  # coverage does not care about the type


def test_partial_overlap_below_half_misses(case: Case) -> None:
    # 6 of "Maria Gonzalez"'s 14 characters: under 50%
    v = score([case], Fixed({TEXT: [("NAME", 5, 11), ("PHONE", 23, 31)]}))["cased"]
    name = v["types"]["NAME"]
    assert (name["found"], name["tp"], name["precision"], name["recall"]) == (0, 0, 0.0, 0.0)
    assert v["coverage"]["covered"] == 1


def test_partial_overlap_at_or_above_half_counts(case: Case) -> None:
    # "Maria G" is 7 of 14 (exactly half); "555-12" 6 of 8; neither is 90% covered
    v = score([case], Fixed({TEXT: [("NAME", 5, 12), ("PHONE", 23, 29)]}))["cased"]
    assert v["types"]["NAME"]["recall"] == 1.0
    assert v["types"]["PHONE"]["recall"] == 1.0
    assert v["coverage"]["covered"] == 0


def test_overreach_still_matches_but_coverage_needs_ninety_percent(case: Case) -> None:
    # a detection spilling over the gold span covers all of it
    v = score([case], Fixed({TEXT: [("NAME", 0, 22), ("PHONE", 22, 38)]}))["cased"]
    assert v["types"]["NAME"]["recall"] == v["types"]["PHONE"]["recall"] == 1.0
    assert v["coverage"]["share"] == 1.0
    # two adjacent detections of other types together cover the phone number (union, type-agnostic)
    v = score([case], Fixed({TEXT: [("PIN", 23, 27), ("ACCOUNT_NUMBER", 27, 31)]}))["cased"]
    assert v["coverage"]["covered"] == 1
    assert v["types"]["PHONE"]["recall"] == 0.0


def test_precision_counts_every_detection(case: Case) -> None:
    v = score([case], Fixed({TEXT: [("NAME", 0, 4), ("NAME", 5, 19)]}))["cased"]
    name = v["types"]["NAME"]
    assert (name["detected"], name["tp"], name["precision"], name["recall"]) == (2, 1, 0.5, 1.0)
    assert name["f2"] == pytest.approx(5 * 0.5 * 1.0 / (4 * 0.5 + 1.0))
    assert v["targets"]["name"] is False  # recall is fine, precision is not


def test_versions_are_scored_apart() -> None:
    text, gold = "a 555-1212", (GoldSpan("PHONE", 2, 10),)
    cases = [Case(text, gold, "cased"), Case(text, gold, "lower"), Case("nothing here", (), "lower")]
    result = score(cases, DigitsAsPhone())
    assert list(result) == ["cased", "lower"]
    assert result["cased"]["cases"] == 1 and result["lower"]["cases"] == 2
    assert result["lower"]["types"]["PHONE"]["recall"] == 1.0


def test_the_whole_set_scores_with_a_regex_detector() -> None:
    result = score(load(), DigitsAsPhone())
    for v in result.values():
        phone = v["types"]["PHONE"]
        assert 0 < phone["recall"] < 1 and 0 < phone["precision"] < 1
        assert v["structured"]["gold"] > 0 and v["name"]["gold"] > 0


def test_speed_uses_about_an_hour_of_words() -> None:
    cases = load()
    text = hour_transcript(cases)
    assert 9000 <= len(text.split()) < 9100
    assert text == hour_transcript(cases)  # deterministic
    s = speed(cases, DigitsAsPhone(), rounds=1)
    assert s["words"] == len(text.split()) and s["words_per_s"] > 0


def test_character_precision_counts_redacted_characters_outside_gold(case: Case) -> None:
    """Over-redaction costs character precision, not recall: "Call" (4 characters) redacted with the name."""
    v = score([case], Fixed({TEXT: [("NAME", 0, 19), ("PHONE", 23, 31)]}))["cased"]
    assert v["types"]["NAME"]["recall"] == 1.0
    assert v["characters"]["redacted"] == 19 + 8
    assert v["characters"]["in_gold"] == 14 + 8
    assert v["characters"]["precision"] == pytest.approx(22 / 27)
    assert v["targets"]["char_precision"] is False


def test_false_spans_per_thousand_words_on_negatives(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bench.redaction_eval import false_spans
    from tests.data.redaction_eval import negatives

    path = tmp_path / "neg.txt"
    path.write_text("# a comment\nTake 20 mg twice a day.\n\nThe room is 12 and the bed is 3.\n", encoding="utf-8")
    cases = negatives(path)
    assert [c.version for c in cases] == ["cased", "cased", "lower", "lower"]
    assert cases[2].text == "take 20 mg twice a day"
    result = false_spans(cases, DigitsAsPhone())
    words = 6 + 9
    assert result["cased"]["words"] == words
    assert result["cased"]["false_spans"] == 2 and result["cased"]["by_type"] == {"PHONE": 2}  # "20", "12"
    assert result["cased"]["per_1000_words"] == pytest.approx(2000 / words)
    assert result["cased"]["name_per_1000_words"] == 0.0 and result["cased"]["pass"]


def test_a_negatives_file_with_markup_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.data.redaction_eval import negatives

    path = tmp_path / "neg.txt"
    path.write_text("Call [NAME|Maria] today.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="gold span"):
        negatives(path)


def test_blind_sets_come_first_and_are_only_registered_when_present() -> None:
    """Reads no set: only the registry's order and the paths it names (the blind files are never opened)."""
    from tests.data import redaction_eval as data

    names = list(data.SETS)
    blind = [n for n in names if n in data.BLIND_SETS]
    assert names[: len(blind)] == blind
    assert names[len(blind) :] == ["eval", "heldout", *(f"heldout{n}" for n in range(2, 16))]
    for name, path in data.BLIND_PATHS.items():
        assert (name in data.SETS) == path.exists()
    assert "dev" in data.NEGATIVE_SETS
    for name, path in data.BLIND_NEGATIVE_PATHS.items():
        assert (name in data.NEGATIVE_SETS) == path.exists()


def test_the_benchmark_prints_every_figure_for_the_sets_asked(capsys) -> None:  # type: ignore[no-untyped-def]
    """End to end through `main`, on the tuned eval set and the dev negatives only (never a blind set)."""
    import json

    from bench.redaction_eval import main

    assert main(["--set", "eval", "--negatives", "dev", "--detector", "rules", "--version", "lower", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result["sets"]) == ["eval"] and result["sets"]["eval"]["blind"] is False
    scores = result["sets"]["eval"]["scores"]
    assert list(scores) == ["lower"] and 0.9 <= scores["lower"]["characters"]["precision"] <= 1.0
    assert list(result["negatives"]) == ["dev"] and result["negatives"]["dev"]["lower"]["words"] > 2000
    assert result["speed"]["words"] >= 9000 and result["speed"]["target"] == 10_000
    assert set(result["load"]) == {"seconds", "import_s", "build_s", "target", "pass"}

    assert main(["--set", "eval", "--negatives", "dev", "--detector", "rules", "--version", "cased"]) == 0
    table = capsys.readouterr().out
    assert "== eval (tuned) / cased" in table and "character precision" in table
    assert "== negatives dev (tuned) / cased" in table and "per 1,000 words" in table and "== load:" in table


class PinAfterCue:
    """Digits are a PIN only when the word "PIN" comes somewhere before them in the text."""

    def detect(self, text: str, entities: Collection[str] | None = None) -> list[Entity]:
        cue = text.lower().find("pin")
        return [Entity("PIN", m.start(), m.end(), 0.9, "test:cue") for m in re.finditer(r"\d+", text)
                if 0 <= cue < m.start()]  # fmt: skip


def test_scenes_are_runs_of_lines_joined_as_one_transcript(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.data.redaction_eval import join_scene, scenes

    path = tmp_path / "set.txt"
    path.write_text(
        "# header\nWhat's your PIN?\nIt's [PIN|4471].\n\nHi [NAME|Ann].\n# Part B\nBye.\n", encoding="utf-8"
    )
    runs = scenes(path)
    assert [[t for t, _ in run] for run in runs] == [["What's your PIN?", "It's 4471."], ["Hi Ann."], ["Bye."]]
    text, gold = join_scene(runs[0])
    assert text == "What's your PIN? It's 4471." and [text[g.start : g.end] for g in gold] == ["4471"]
    cases = load(path, in_scene=True)
    assert [(c.version, c.text) for c in cases] == [
        ("cased", "What's your PIN? It's 4471."), ("cased", "Hi Ann."), ("cased", "Bye."),
        ("lower", "what's your pin it's 4471"), ("lower", "hi ann"), ("lower", "bye"),
    ]  # fmt: skip
    assert [c.text[g.start : g.end] for c in cases for g in c.gold] == ["4471", "Ann", "4471", "ann"]
    assert sum(len(c.gold) for c in load(path)) == 4  # the same spans, line by line


def test_a_bare_answer_is_found_in_its_scene_and_missed_alone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "set.txt"
    path.write_text("What's your PIN?\nIt's [PIN|4471].\n", encoding="utf-8")
    alone = score([c for c in load(path) if c.version == "cased"], PinAfterCue())["cased"]
    scene = score([c for c in load(path, in_scene=True) if c.version == "cased"], PinAfterCue())["cased"]
    assert alone["types"]["PIN"]["recall"] == 0.0 and alone["cases"] == 2
    assert scene["types"]["PIN"]["recall"] == 1.0 and scene["types"]["PIN"]["gold"] == 1 and scene["cases"] == 1


def test_the_benchmark_scores_scenes_beside_lines_when_asked(capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from bench.redaction_eval import main

    args = ["--set", "eval", "--negatives", "dev", "--detector", "rules", "--version", "lower", "--scenes"]
    assert main([*args, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    lines, scenes = result["sets"]["eval"]["scores"]["lower"], result["sets"]["eval"]["scene_scores"]["lower"]
    assert scenes["cases"] < lines["cases"]
    assert scenes["coverage"]["gold"] == lines["coverage"]["gold"]  # every gold span counted once either way
    neg, scene_neg = result["negatives"]["dev"]["lower"], result["scene_negatives"]["dev"]["lower"]
    assert scene_neg["words"] == neg["words"] and scene_neg["utterances"] < neg["utterances"]
    assert main(args) == 0
    table = capsys.readouterr().out
    assert "== eval (tuned, in scenes) / lower" in table and "== negatives dev (tuned, in scenes) / lower" in table
