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


def test_presidios_own_recognizers_find_the_same_in_the_words_that_may_hold_a_find() -> None:
    """Each wrapped Presidio recognizer runs only on the words that hold what its finds need (speed); it must
    find exactly what it finds on the whole text, at the same offsets."""
    from core.redaction.presidio_engine import import_presidio

    import_presidio()
    from core.redaction import presidio_detector

    edges = (
        "mail j.doe@clinic.example.org, or (k_lee88@example.net). see https://portal.example.org/a/b?x=1 and "
        "www.example.com/path. 'example.co.uk' \"http://example.org\" host 192.0.2.14/24, ::ffff:192.0.2.1 "
        "fe80::1%eth0 2001:db8::8a2e:370:7334. :: version 3.4.1.12 then 10.0.0.1 mac 00:1A:2b:3C:4d:5E "
        "0A-1b-2C-3d-4E-5f 001a.2b3c.4d5e mbi 1EG4-TE5-MK73 and 1eg4te5mk73. e.g. Dr.Smith 3.5mg a@b"
    )
    texts = [edges, "\n".join(c.text for c in load()[:400]), "@ . : 1a", ""]
    for rec in presidio_detector._predefined():
        rec.load()
        for text in texts:
            whole = [
                (r.start, r.end, r.score)
                for r in rec._inner.analyze(text=text, entities=rec._theirs, nlp_artifacts=None) or []
                if r.score >= rec._min_score
                and not (rec._avoid and rec._avoid.search(text, max(0, r.start - 40), r.start))
            ]
            got = [(r.start, r.end, r.score) for r in rec.analyze(text, rec.supported_entities, None)]  # type: ignore[arg-type]
            assert sorted(got) == sorted(whole), rec.name
            if text is edges:
                assert got, rec.name  # each finds something here, so the comparison means something
