"""The security checks in scripts/security_checks.py (run by the README's test command) can fail."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def checks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("security_checks", ROOT / "scripts" / "security_checks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dist(name: str, version: str) -> Any:
    return SimpleNamespace(metadata={"Name": name}, version=version)


def test_the_venv_is_fully_pinned(checks: ModuleType) -> None:
    assert checks.check_pins() == []


def test_an_unpinned_or_drifted_package_fails(checks: ModuleType) -> None:
    problems = checks.check_pins(
        [dist("Not_A_Real.Package", "1.0"), dist("numpy", "0.0.1"), dist("torch", "2.13.0+cpu")]
    )
    assert len(problems) == 2
    assert "not-a-real-package==1.0 is installed but not pinned" in problems[0]
    assert "numpy is 0.0.1 in the venv but pinned to" in problems[1]


def test_a_range_in_constraints_is_not_a_pin(checks: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "constraints.txt"
    path.write_text("# comment\nsix==1.16.0  # why\nrequests>=2\ntorch\n")
    pins, bad = checks.read_pins(path)
    assert pins == {"six": "1.16.0"}
    assert [line.split(": ")[-1] for line in bad] == ["requests>=2", "torch"]


def test_audit_report_is_skipped_only_when_nothing_was_audited(checks: ModuleType) -> None:
    unreachable = {"dependencies": [{"name": "six", "version": "1.16.0", "skip_reason": "not found"}]}
    assert checks.summarize_audit(unreachable) == ("skipped", [])
    report = {
        "dependencies": [
            {"name": "six", "version": "1.16.0", "vulns": []},
            {"name": "jinja2", "version": "2.0", "vulns": [{"id": "PYSEC-1"}, {"id": "GHSA-2"}]},
            {"name": "x", "version": "1", "skip_reason": "not found"},
        ]
    }
    assert checks.summarize_audit(report) == ("ran on 2 of 3 packages", ["jinja2==2.0: PYSEC-1, GHSA-2"])


def test_bandit_flags_a_high_severity_finding(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import subprocess\n\ndef f(cmd):\n    subprocess.call(cmd, shell=True)\n    eval(cmd)\n")
    run = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "--severity-level", "high", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stdout
