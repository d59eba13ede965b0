"""The managed .deb carries the policy marker that makes a missing policy fail closed (issue 22).

A stand-in bundle is enough here: the marker is the packaging's business, not the bundle's (the full
build and install is tests/packaging/test_linux_deb.py). The marker's effect is tested in
tests/core/test_policy_trust.py.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from core import __version__, policy

ROOT = Path(__file__).resolve().parents[2]
BUILD_DEB = ROOT / "packaging" / "linux" / "build-deb.sh"


def _build(tmp_path: Path, *flags: str) -> Path:
    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb is missing")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for exe in ("vaultscribe", "vaultscribe-gui"):
        (bundle / exe).write_text("#!/bin/sh\n")
        (bundle / exe).chmod(0o755)
    out = tmp_path / f"vaultscribe{'-'.join(flags)}.deb"
    done = subprocess.run(
        ["bash", str(BUILD_DEB), str(bundle), __version__, str(out), "--fast", *flags], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return out


def _contents(deb: Path) -> dict[str, str]:
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    rows = (line.split() for line in listing.splitlines())
    return {row[-1].lstrip("."): f"{row[0]} {row[1]}" for row in rows}


def test_a_managed_package_installs_the_marker_root_owned_and_read_only(tmp_path: Path) -> None:
    contents = _contents(_build(tmp_path, "--managed"))
    assert contents[str(policy.LINUX_MARKER)] == "-rw-r--r-- root/root"


def test_an_unmanaged_package_has_no_marker(tmp_path: Path) -> None:
    assert str(policy.LINUX_MARKER) not in _contents(_build(tmp_path))


def test_an_unknown_option_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        ["bash", str(BUILD_DEB), str(tmp_path), "0.0.1", str(tmp_path / "x.deb"), "--mangaed"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "unknown option --mangaed" in done.stderr
