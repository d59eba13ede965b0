"""`import nemo.collections.asr` takes 12-18 s: nothing on the GUI's or the CLI's start-up path may
pull in torch or NeMo. import-linter checks the import graph; this checks a real interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# zxcvbn is light (its word lists parse in about 30 ms) but is loaded at the first keystroke in a passphrase box,
# never at start-up.
# The redaction detector (Presidio, tldextract, CRFsuite; spaCy and thinc, which Presidio would bring) is loaded
# at the first redaction, never at start-up or by a command that does not redact.
HEAVY = ("torch", "nemo", "lightning", "pytorch_lightning", "omegaconf", "presidio_analyzer", "spacy", "thinc",
         "tldextract", "pycrfsuite", "zxcvbn")  # fmt: skip
DETECTOR_MODULES = ("core.redaction.presidio_engine", "core.redaction.presidio_detector", "models.name_tagger")

PROBE = """
import sys
import app.cli, app.cli.commands, core.session, core.asr.engine, models.store, models.loader
import core.nemo.asr, core.nemo.sortformer
import core.redaction.detect
import models.commands
app.cli.commands.build_parser([models.commands.add_parsers])
cli_only = sorted(m for m in sys.modules if m.split('.')[0] in {{'PySide6', 'shiboken6'}})
print(','.join(cli_only))
import app.main, app.shell
assert app.cli.main(["models", "list"]) == 0  # a command that does not redact, run as the user runs it
heavy = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r} or m in {detector!r})
print(','.join(heavy))
"""


def test_start_up_modules_do_not_import_torch_or_nemo(tmp_path: Path) -> None:
    probe = PROBE.format(heavy=set(HEAVY), detector=set(DETECTOR_MODULES))
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    lines = out.stdout.split("\n")
    qt_for_cli, heavy = lines[0], lines[-2]
    assert qt_for_cli == "", f"the command line imported Qt: {qt_for_cli}"
    assert heavy == "", f"imported at start-up: {heavy}"
