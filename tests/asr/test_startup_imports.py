"""`import nemo.collections.asr` takes 12-18 s: nothing on the GUI's or the CLI's start-up path may
pull in torch or NeMo. import-linter checks the import graph; this checks a real interpreter."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("torch", "nemo", "lightning", "pytorch_lightning", "omegaconf")

PROBE = """
import sys
import app.main, app.shell, core.cli, core.session, core.asr.engine, core.asr.nemo_engine, models.store
core.cli.build_parser()
heavy = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})
print(','.join(heavy))
"""


def test_start_up_modules_do_not_import_torch_or_nemo() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE.format(heavy=set(HEAVY))], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "", f"imported at start-up: {out.stdout.strip()}"
