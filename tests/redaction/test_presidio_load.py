"""How the detector loads: Presidio without spaCy, and the stand-ins for spaCy never leaking out.

Each probe is a fresh interpreter, as the app's first redaction is: what a module imports is only visible
in a process that has not imported it yet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WITHOUT_SPACY = r"""
import sys
from core.redaction import presidio_engine
presidio_engine.import_presidio()
loaded = sorted({m.split('.')[0] for m in sys.modules} & {"spacy", "thinc", "numpy", "torch", "transformers"})
import spacy, thinc.api  # the real packages, once Presidio is imported: nothing of the stand-ins is left
print(loaded, spacy.__file__ is not None, callable(spacy.blank), thinc.api.__file__ is not None)
"""

DETECTIONS = r"""
import json, sys
if sys.argv[1] == "spacy-first":
    import spacy  # loaded before Presidio: then nothing is stubbed and Presidio imports the real one
from core.redaction.detect import load_detector
from tests.data.redaction_eval import load, DATA
detector = load_detector()
spans = [[(e.type, e.start, e.end, e.score) for e in detector.detect(case.text)] for case in load(DATA)]
doc = sys.modules["presidio_analyzer.nlp_engine.nlp_artifacts"].Doc
print(json.dumps(["spacy" in sys.modules, doc.__module__, spans]))
"""


IMPORT_ONLY = r"""
import json, os, sys
import core.redaction.types, threading  # what it imports of the project and the standard library
env, modules = dict(os.environ), dict(sys.modules)
from core.redaction import presidio_engine
added = sorted(set(sys.modules) - set(modules))
changed = sorted(name for name, module in modules.items() if sys.modules.get(name) is not module)
print(json.dumps([added, changed, dict(os.environ) == env]))
presidio_engine.import_presidio()  # the loader does the set-up, and leaves only the environment switch
print(json.dumps([os.environ.get("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"), "presidio_analyzer" in sys.modules,
                  sorted({m.split('.')[0] for m in sys.modules} & {"spacy", "thinc", "torch", "transformers"})]))
"""


def _run(probe: str, *args: str) -> str:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env, check=True,
                         cwd=ROOT)  # fmt: skip
    return out.stdout.strip()


def test_importing_the_module_sets_nothing_up_the_loader_does() -> None:
    """Nothing happens at import time: no environment variable, no ``sys.modules`` entry but its own."""
    import_only, loaded = (json.loads(line) for line in _run(IMPORT_ONLY).split("\n"))
    assert import_only == [["core.redaction.presidio_engine"], [], True]
    assert loaded == ["", True, []]


def test_presidio_loads_without_spacy_and_the_stand_ins_do_not_leak() -> None:
    assert _run(WITHOUT_SPACY) == "[] True True True"


def test_the_stand_ins_change_no_detection() -> None:
    """The same spans on the eval set (cased and lower) whether Presidio got the stand-ins or the real spaCy.

    The detector's name of a find is left out: between recognizers that find the same span with the same
    score, which one is named depends on Presidio's order, which varies from run to run on main too."""
    stubbed, stub_doc, stubbed_spans = json.loads(_run(DETECTIONS, "stubbed"))
    real, real_doc, real_spans = json.loads(_run(DETECTIONS, "spacy-first"))
    assert (stubbed, real) == (False, True)
    assert (stub_doc, real_doc) == ("core.redaction.presidio_engine", "spacy.tokens.doc")
    assert sum(map(len, stubbed_spans)) > 500  # the eval set has hundreds of finds: the comparison means something
    assert stubbed_spans == real_spans


def test_a_stand_in_refuses_to_be_used() -> None:
    from core.redaction import presidio_engine

    with pytest.raises(ImportError, match="spaCy is not loaded"):
        presidio_engine._SPACY_STUBS["spacy.tokens"]["Doc"]()
    with pytest.raises(ImportError, match="spaCy is not loaded"):
        presidio_engine._SPACY_STUBS["spacy"]["blank"]("en")


def test_once_loaded_nothing_is_hidden_or_stubbed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hiding torch or standing in for spaCy while another thread imports them would break that import:
    after the first load, the loader leaves ``sys.modules`` alone."""
    from core.redaction import presidio_engine

    presidio_engine.import_presidio()

    def never(*_args: object) -> None:
        raise AssertionError("set up again")

    monkeypatch.setattr(presidio_engine, "_hidden", never)
    monkeypatch.setattr(presidio_engine, "_stubbed", never)
    presidio_engine.import_presidio()
    assert presidio_engine.load([]).detect("mail j.doe@clinic.example.org")[0].type == "EMAIL"
