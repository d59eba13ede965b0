"""`import nemo.collections.asr` takes 12-18 s: nothing on the GUI's or the CLI's start-up path may
pull in torch or NeMo. import-linter checks the import graph; this checks a real interpreter."""

from __future__ import annotations

import subprocess
import sys

# zxcvbn is light (its word lists parse in about 30 ms) but is loaded at the first keystroke in a passphrase box,
# never at start-up.
HEAVY = ("torch", "nemo", "lightning", "pytorch_lightning", "omegaconf", "presidio_analyzer", "spacy", "zxcvbn")

PROBE = """
import sys
import app.cli, core.cli, core.session, core.asr.engine, core.asr.nemo_engine, models.store, models.loader
import core.redaction.detect
import models.commands
core.cli.build_parser([models.commands.add_parsers])
cli_only = sorted(m for m in sys.modules if m.split('.')[0] in {{'PySide6', 'shiboken6'}})
print(','.join(cli_only))
import app.main, app.shell
heavy = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})
print(','.join(heavy))
"""


def test_start_up_modules_do_not_import_torch_or_nemo() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE.format(heavy=set(HEAVY))], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    qt_for_cli, heavy = out.stdout.split("\n")[:2]
    assert qt_for_cli == "", f"the command line imported Qt: {qt_for_cli}"
    assert heavy == "", f"imported at start-up: {heavy}"
