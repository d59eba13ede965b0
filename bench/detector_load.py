"""The detector's load time in fresh processes, trees side by side: the product's detector (Presidio, rules,
the verified name tagger) as `bench/redaction_eval.py` times it, imports included.

A benchmark, never a test. Each run is a new interpreter (the app's first redaction pays the whole load);
the trees take turns, run by run, so that a busy machine weighs on them alike; medians are printed, and
the fastest run (the least disturbed by other work on a shared machine).

    .venv/bin/python bench/detector_load.py --runs 7 . /work/main     # this tree against main's
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

PROBE = r"""
import json, time
t0 = time.perf_counter()
from core.redaction.detect import load_detector
from models.name_tagger import load_name_tagger
from core.redaction import presidio_engine
presidio_engine.import_presidio()
t1 = time.perf_counter()
detector = load_detector(name_tagger=load_name_tagger())
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t0, "import_s": t1 - t0, "build_s": t2 - t1}))
"""


def run_once(tree: Path) -> dict[str, float]:
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=tree, env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs="+", type=Path, help="repository roots to compare")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    trees = [t.resolve() for t in args.trees]
    runs: dict[Path, list[dict[str, float]]] = {t: [] for t in trees}
    for _ in range(args.runs):
        for tree in trees:
            runs[tree].append(run_once(tree))
    for tree in trees:
        got = runs[tree]
        med = {k: statistics.median(r[k] for r in got) for k in ("seconds", "import_s", "build_s")}
        spread = ", ".join(f"{r['seconds']:.2f}" for r in got)
        fastest = min(r["seconds"] for r in got)
        print(
            f"{tree}: load {med['seconds']:.3f} s (imports {med['import_s']:.3f} s, building {med['build_s']:.3f} s), "
            f"median of {len(got)}; fastest {fastest:.3f} s; runs: {spread}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
