"""SQLCipher's memory security (``cipher_memory_security``): off by default, on by the administrator's
policy key ``database_memory_security``, as SQLCipher itself reports it on a real vault.

Each case runs in a fresh interpreter (tests/core/memory_security_child.py): the setting is
process-wide and, once on, stays on, so it must never be switched on inside the test run itself.
"""

from __future__ import annotations

import json
import plistlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.real_keyring

REPO = Path(__file__).resolve().parents[2]


def run_child(vault: Path, policy_file: Path | None, env: dict[str, str]) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "tests.core.memory_security_child", str(vault)]
    done = subprocess.run(
        [*cmd, *([str(policy_file)] if policy_file else [])],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize(
    ("policy_text", "on"),
    [(None, False), ("database_memory_security = false\n", False), ("database_memory_security = true\n", True)],
    ids=["no policy", "policy false", "policy true"],
)
def test_the_linux_policy_file_decides(
    tmp_path: Path, secret_service: dict[str, str], policy_text: str | None, on: bool
) -> None:
    policy = None
    if policy_text is not None:
        policy = tmp_path / "policy.toml"
        policy.write_text(policy_text)
    result = run_child(tmp_path / "vault", policy, secret_service)
    assert result["pragma"] == ("1" if on else "0")
    assert result["status"]["memory_security"] is on


def test_on_by_the_macos_profile(tmp_path: Path, secret_service: dict[str, str]) -> None:
    """The managed preferences macOS writes from a profile whose payload sets the key."""
    managed = tmp_path / "org.vaultscribe.app.plist"
    managed.write_bytes(plistlib.dumps({"PayloadUUID": "x", "database_memory_security": True}, fmt=plistlib.FMT_BINARY))
    result = run_child(tmp_path / "vault", managed, secret_service)
    assert result["pragma"] == "1"
    assert result["status"]["memory_security"] is True
