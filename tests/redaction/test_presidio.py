"""The product's detector: VaultScribe's recognizers inside a real Presidio AnalyzerEngine, offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.redaction.detect import load_detector, redact
from tests.data.redaction_eval import load

PROBE = r"""
import socket, sys
attempts = []
def audit(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"):
        attempts.append(event)
sys.addaudithook(audit)
from core.redaction.detect import load_detector
detector = load_detector()
text = "patient jane dot doe at example dot co dot uk also mail j.doe@clinic.example.org or see www.example.com"
found = [(e.type, text[e.start:e.end], e.detector) for e in detector.detect(text)]
print(found)
print("presidio_analyzer" in sys.modules, "torch" in sys.modules, "transformers" in sys.modules)
print(attempts)
"""


def test_presidio_detector_never_touches_the_network_or_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True,
                         cwd=Path(__file__).resolve().parents[2])  # fmt: skip
    found, loaded, attempts = out.stdout.strip().split("\n")
    assert "'EMAIL', 'j.doe@clinic.example.org', 'presidio:email'" in found  # Presidio's own recognizer ran
    assert "'EMAIL', 'jane dot doe at example dot co dot uk'" in found  # and ours, inside it
    assert loaded == "True False False"  # Presidio loaded; torch and transformers kept out
    assert attempts == "[]"
    assert list(home.rglob("*")) == []  # no tldextract cache, no spaCy download


@pytest.fixture(scope="module")
def presidio():  # type: ignore[no-untyped-def]
    return load_detector()


def test_presidio_detector_is_at_least_as_good_as_the_rules_alone(presidio) -> None:  # type: ignore[no-untyped-def]
    rules = load_detector(framework="rules")
    cases = load()
    hit_p = hit_r = gold = 0
    for case in cases:
        p = {(e.type, e.start, e.end) for e in presidio.detect(case.text)}
        r = {(e.type, e.start, e.end) for e in rules.detect(case.text)}
        g = {(s.type, s.start, s.end) for s in case.gold}
        gold += len(g)
        hit_p += len(p & g)
        hit_r += len(r & g)
    assert hit_p >= hit_r
    assert hit_p / gold > 0.8


def test_presidio_detector_honours_the_entity_filter_and_redacts(presidio) -> None:  # type: ignore[no-untyped-def]
    text = "Call Dr. Amara Okafor at 555-867-5309 or amara@example.org."
    everything = presidio.detect(text)
    assert {e.type for e in everything} == {"NAME", "PHONE", "EMAIL"}
    only_phone = presidio.detect(text, ["PHONE"])
    assert [(e.type, text[e.start : e.end]) for e in only_phone] == [("PHONE", "555-867-5309")]
    assert redact(text, everything) == "Call Dr. [NAME] at [PHONE] or [EMAIL]."
    with pytest.raises(ValueError, match="unknown entity types"):
        presidio.detect(text, ["PASSPORT"])
    assert presidio.detect("", None) == []


def test_unknown_framework_is_refused() -> None:
    with pytest.raises(ValueError, match="framework"):
        load_detector(framework="spacy")
