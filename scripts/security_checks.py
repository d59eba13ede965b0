"""Security checks run by scripts/test.sh: pinned dependencies, bandit, pip-audit.

1. Every Python distribution installed in the venv is pinned, at that exact
   version, in constraints.txt, and every line of constraints.txt is an exact pin
   (pyproject.toml names packages; constraints.txt fixes every version installed).
2. bandit over app/ core/ models/ reports no high-severity finding.
3. pip-audit checks the locked versions against PyPI's vulnerability data. It
   needs the network; when the data cannot be reached for any package, the check
   is reported as SKIPPED rather than failed. Known vulnerabilities fail it.

Exit status: 0 when every check that ran passed, 1 otherwise.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!_-]+)$")
# This project itself, and pip, the installer that the venv brings (pip-api names it too).
NOT_LOCKED = {"vaultscribe", "pip"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> tuple[dict[str, str], list[str]]:
    pins: dict[str, str] = {}
    bad: list[str] = []
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        if match is None:
            bad.append(f"constraints.txt:{number}: not an exact pin: {line}")
        else:
            pins[canonical(match[1])] = match[2]
    return pins, bad


def check_pins(dists: list[metadata.Distribution] | None = None) -> list[str]:
    pins, problems = read_pins(ROOT / "constraints.txt")
    for dist in metadata.distributions() if dists is None else dists:
        name = canonical(dist.metadata["Name"])
        if name in NOT_LOCKED:
            continue
        if name not in pins:
            problems.append(f"{name}=={dist.version} is installed but not pinned in constraints.txt")
        elif pins[name] != dist.version.split("+", 1)[0]:  # torch 2.13.0+cpu is the 2.13.0 pin
            problems.append(f"{name} is {dist.version} in the venv but pinned to {pins[name]}")
    return problems


def check_bandit() -> list[str]:
    run = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", "app", "core", "models", "--severity-level", "high"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode == 0:
        return []
    return [f"bandit found high-severity issues:\n{run.stdout}{run.stderr}"]


# The pins are the whole locked set, so pip need not resolve anything.
AUDIT_FLAGS = ["--no-deps", "--disable-pip", "--progress-spinner", "off", "--format", "json", "--timeout", "30"]


def check_audit() -> tuple[str, list[str]]:
    """Returns ("ran"|"skipped", problems)."""
    pins, _ = read_pins(ROOT / "constraints.txt")
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as req:
        req.write("".join(f"{name}=={version}\n" for name, version in sorted(pins.items())))
        req.flush()
        run = subprocess.run(
            [sys.executable, "-m", "pip_audit", "-r", req.name, *AUDIT_FLAGS],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        return "skipped", []  # no report at all: the service could not be reached
    return summarize_audit(report)


def summarize_audit(report: dict[str, Any]) -> tuple[str, list[str]]:
    """A package PyPI could not answer for has a skip_reason; none answered means skipped."""
    deps = report.get("dependencies", [])
    audited = [dep for dep in deps if "skip_reason" not in dep]
    if not audited:
        return "skipped", []
    problems = [
        f"{dep['name']}=={dep['version']}: {', '.join(v['id'] for v in dep['vulns'])}"
        for dep in audited
        if dep.get("vulns")
    ]
    return f"ran on {len(audited)} of {len(deps)} packages", problems


def main() -> int:
    failed = False
    for title, problems in (("pinned dependencies", check_pins()), ("bandit", check_bandit())):
        print(f"{title}: {'FAILED' if problems else 'ok'}")
        for problem in problems:
            print(f"  {problem}")
        failed |= bool(problems)
    state, problems = check_audit()
    if state == "skipped":
        print("pip-audit: SKIPPED (PyPI's vulnerability data could not be reached)")
    else:
        print(f"pip-audit: {'FAILED' if problems else 'ok'} ({state})")
        for problem in problems:
            print(f"  known vulnerability: {problem}")
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
