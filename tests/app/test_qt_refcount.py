"""Guards the PySide6 pin in constraints.txt.

PySide6 6.12.0 under CPython 3.11 dropped a reference to None on every Qt call
that returns nothing, and the process aborted (none_dealloc) after a few
thousand calls: a GUI that ran for minutes would crash. This fails if an
upgrade brings that back.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(20000):
    label.setText("x")
    label.setEnabled(True)
print(sys.getrefcount(None) - before)
"""


def test_void_qt_calls_keep_none_alive() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr[-500:]
    assert abs(int(run.stdout.strip().splitlines()[-1])) < 100
