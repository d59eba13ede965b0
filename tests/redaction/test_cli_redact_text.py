"""`vaultscribe redact-text`: stdin in, redacted text and entities out, no vault needed."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from app.cli import commands as cli

TEXT = "My name is Maria Gonzalez and my number is five five five one two one two.\n"


@pytest.fixture(autouse=True)
def _keep_pytests_core_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "disable_core_dumps", lambda: None)


def run(*args: str, stdin: str) -> tuple[int, str]:
    out = io.StringIO()
    rc = cli.main(["redact-text", *args], stdin=io.StringIO(stdin), stdout=out)
    return rc, out.getvalue()


def test_json_gives_the_redacted_text_and_offsets_into_the_input() -> None:
    rc, out = run("--json", stdin=TEXT)
    data: dict[str, Any] = json.loads(out)
    assert rc == 0
    assert data["text"] == "My name is [NAME] and my number is [PHONE].\n"
    for e in data["entities"]:
        assert TEXT[e["start"] : e["end"]] == e["text"] and 0 < e["score"] <= 1
    assert [e["type"] for e in data["entities"]] == ["NAME", "PHONE"]


def test_identify_only_keeps_the_text() -> None:
    rc, out = run("--json", "--identify-only", stdin=TEXT)
    assert rc == 0 and json.loads(out)["text"] == TEXT
    rc, human = run("--identify-only", stdin=TEXT)
    assert human.splitlines()[0] == "NAME\t11-25\tMaria Gonzalez"


def test_entities_filter_and_jsonl_one_document_per_line() -> None:
    rc, out = run("--jsonl", "--entities", "phone", stdin=TEXT + "no pii here\n")
    first, second = (json.loads(line) for line in out.splitlines())
    assert rc == 0
    assert first["text"] == "My name is Maria Gonzalez and my number is [PHONE]."
    assert second == {"text": "no pii here", "entities": []}


def test_unknown_entity_type_is_a_usage_error() -> None:
    rc, out = run("--entities", "NAME,SECRET_SAUCE", stdin=TEXT)
    assert rc == 2 and out == ""


def test_the_vaultscribe_command_redacts_with_the_trained_name_tagger(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`app.cli` (the installed entry point) hands the core the detector with the verified name tagger:
    an invented name with no cue, which the rules alone leave, is redacted."""
    from app import cli as app_cli

    # The wiring is what this test checks; a name right after a sentence-opening adverb ("Yesterday Ilmorra
    # Tavrunek brought...") has its own test below (the round-2 model missed it; round 4's corpus puts
    # openers before any template).
    text = "Ilmorra Tavrunek brought the signed consent form back yesterday.\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert app_cli.main(["redact-text", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["text"] == "[NAME] brought the signed consent form back yesterday.\n"
    assert run("--json", stdin=text)[1].count("[NAME]") == 0  # the core's fallback: the rules alone


def test_a_name_after_a_sentence_opening_adverb_is_redacted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app import cli as app_cli

    monkeypatch.setattr("sys.stdin", io.StringIO("Yesterday Ilmorra Tavrunek brought the signed consent form back.\n"))
    assert app_cli.main(["redact-text", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == "Yesterday [NAME] brought the signed consent form back.\n"
