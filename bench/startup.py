"""GUI cold start: from spawning ``python -m app`` to the unlock window on screen.

A benchmark, never a test. It runs the real app (real Secret Service keyring,
real vault) under ``QT_QPA_PLATFORM=offscreen`` in a throwaway HOME with a
private D-Bus session and gnome-keyring, as the test suite does, and an
existing vault, so the first window is the unlock dialog. The app prints
wall-clock marks when ``VAULTSCRIBE_STARTUP_PROBE=1`` (see ``app.main``):
``main`` (interpreter up, ``app.main`` imported), ``session`` (keyring probed,
session built) and ``shown`` (the first dialog painted), then quits.

Side by side in the same run, alternated each round, it times a baseline:
a bare PySide6 program that shows an empty dialog. The ratio app/baseline is
what to compare between machines; the goal is a median under 1.5 s.

    .venv/bin/python bench/startup.py             # 5 rounds
    .venv/bin/python bench/startup.py --rounds 11
    .venv/bin/python bench/startup.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 1.5
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.secret_service import missing_tools, private_secret_service  # noqa: E402

KEYRING_PASSWORD = "throwaway-bench-keyring"  # a keyring that lives for this run only
PROBE = "VAULTSCRIBE_PROBE"

BASELINE = f"""
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout
print("{PROBE} main", f"{{time.time():.6f}}", flush=True)
app = QApplication([])
class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QDialog):
            print("{PROBE} shown:QDialog", f"{{time.time():.6f}}", flush=True)
            app.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False
probe = Probe()
app.installEventFilter(probe)
dialog = QDialog()
QVBoxLayout(dialog).addWidget(QLabel("Unlock"))
dialog.show()
app.exec()
"""

CREATE_VAULT = """
from core.paths import VaultPaths, default_vault_dir
from core.security.kdf import TEST_PARAMS
from core.security.keystore import KeyringKeystore
from core.session import Session
session = Session(VaultPaths(default_vault_dir()), keystore=KeyringKeystore(), kdf_params=TEST_PARAMS)
session.create("a throwaway bench passphrase")
session.lock()
print(KeyringKeystore().description)
"""


@contextmanager
def private_keyring(home: Path) -> Iterator[dict[str, str]]:
    """A private dbus-daemon and gnome-keyring-daemon (Secret Service) under ``home``; yields the environment."""
    if missing_tools():
        sys.exit(f"{', '.join(missing_tools())} not installed (see scripts/apt-packages.txt)")
    base = {k: v for k, v in os.environ.items() if k != "VAULTSCRIBE_HOME"}
    with private_secret_service(home, KEYRING_PASSWORD, base) as env:
        yield {**base, **env, "QT_QPA_PLATFORM": "offscreen"}


def create_vault(env: dict[str, str]) -> str:
    """Make a vault in the throwaway HOME (retrying while the keyring daemon comes up); returns the backend."""
    deadline = time.monotonic() + 20
    while True:
        done = subprocess.run(
            [sys.executable, "-c", CREATE_VAULT], env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        if done.returncode == 0:
            return done.stdout.strip()
        if time.monotonic() > deadline:
            sys.exit(f"could not create the bench vault:\n{done.stderr}")
        time.sleep(0.2)


def run_once(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Spawn, read the probe marks; seconds from spawn to each mark, and to the process's exit."""
    start = time.time()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    exited = time.time() - start
    marks: dict[str, float] = {}
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == PROBE:
            marks[parts[1].split(":")[0]] = float(parts[2]) - start
    if "shown" not in marks:
        raise RuntimeError(f"{argv[1:]} showed no window (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    marks["exit"] = exited
    return marks


def summary(values: list[float]) -> dict[str, float]:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    app_argv = [sys.executable, "-m", "app"]
    base_argv = [sys.executable, "-c", BASELINE]
    with tempfile.TemporaryDirectory(prefix="vaultscribe-startup-") as tmp, private_keyring(Path(tmp)) as env:
        backend = create_vault(env)
        env = {**env, "VAULTSCRIBE_STARTUP_PROBE": "1"}
        run_once(app_argv, env)  # one untimed run of each fills the OS file cache: "cold" is the app, not the disk
        run_once(base_argv, env)
        app_runs: list[dict[str, float]] = []
        base_runs: list[dict[str, float]] = []
        for i in range(args.rounds):
            order = [(app_argv, app_runs), (base_argv, base_runs)]
            for argv, runs in order if i % 2 == 0 else reversed(order):
                runs.append(run_once(argv, env))

    shown = [r["shown"] for r in app_runs]
    base = [r["shown"] for r in base_runs]
    result = {
        "rounds": args.rounds,
        "keyring": backend,
        "app_shown_s": summary(shown),
        "baseline_shown_s": summary(base),
        "ratio_median": statistics.median(shown) / statistics.median(base),
        "app_phases_median_s": {
            "interpreter_and_imports": statistics.median(r["main"] for r in app_runs),
            "keyring_and_session": statistics.median(r["session"] - r["main"] for r in app_runs),
            "first_window": statistics.median(r["shown"] - r["session"] for r in app_runs),
        },
        "goal_s": GOAL_S,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    s, b, p = result["app_shown_s"], result["baseline_shown_s"], result["app_phases_median_s"]
    print(f"GUI cold start to the unlock window, {args.rounds} rounds, offscreen, keyring {backend}")
    print(f"  app       min {s['min']:.3f}  median {s['median']:.3f}  max {s['max']:.3f} s")
    print(f"  baseline  min {b['min']:.3f}  median {b['median']:.3f}  max {b['max']:.3f} s  (bare PySide6 dialog)")
    print(f"  ratio app/baseline (medians): {result['ratio_median']:.2f}x")
    verdict = "meets" if s["median"] <= GOAL_S else "MISSES"
    print(f"  goal: median <= {GOAL_S:.1f} s -> {verdict} ({s['median']:.3f} s)")
    print(
        f"  app phases (medians): interpreter + imports {p['interpreter_and_imports']:.3f} s, "
        f"keyring + session {p['keyring_and_session']:.3f} s, first window {p['first_window']:.3f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
