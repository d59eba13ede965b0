"""The ``secret_service`` fixture survives a keyring daemon that dies part way through a run.

A CI run once lost the test session's gnome-keyring-daemon at about 41 % of the suite, and every later
test that used the keyring failed or errored. The fixture now checks the daemon before each test and
brings it back. Shown here in a test run of its own (a fresh pytest process with its own private
daemons, in a fixed order): one test kills the daemon, and the next one that asks for the fixture gets a
real Secret Service that works, through the ``keyring`` package's SecretService backend, holding what
was stored before; the restart is reported naming both tests. A test that kills the daemon and then
uses the keyring still fails: the fixture does not hide that.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.real_keyring

REPO = Path(__file__).resolve().parents[1]

CONFTEST = "from tests.conftest import secret_service, secret_service_daemons  # noqa: F401\n"

TESTS = '''
import os
import signal

import keyring
import pytest


def kill(daemons):
    os.kill(daemons.daemon.pid, signal.SIGKILL)
    daemons.daemon.wait()


def round_trip(name):
    backend = keyring.get_keyring()
    assert f"{type(backend).__module__}.{type(backend).__qualname__}" == "keyring.backends.SecretService.Keyring"
    backend.set_password("vaultscribe-recovery", name, f"secret {name}")
    assert backend.get_password("vaultscribe-recovery", name) == f"secret {name}"


def test_1_stores_then_kills_the_daemon(secret_service_daemons, secret_service):
    round_trip("before")
    kill(secret_service_daemons)


def test_2_gets_a_working_secret_service(secret_service):
    round_trip("after")
    assert keyring.get_keyring().get_password("vaultscribe-recovery", "before") == "secret before"


def test_3_kills_the_daemon_then_uses_the_keyring(secret_service_daemons, secret_service):
    kill(secret_service_daemons)
    round_trip("during")  # must fail: nothing brings the keyring back in the middle of a test


def test_4_gets_a_working_secret_service_again(secret_service):
    round_trip("again")
'''


def test_the_next_test_gets_a_working_keyring_after_one_kills_the_daemon(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "conftest.py").write_text(CONFTEST)
    (suite / "test_inner.py").write_text(TESTS)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider", "-rA",
         f"--rootdir={suite}", "--basetemp", str(tmp_path / "basetemp"), str(suite / "test_inner.py")],
        cwd=suite, env=env, capture_output=True, text=True, timeout=240, check=False,
    )
    out = run.stdout + run.stderr
    outcomes = {line.split()[1].split("::")[-1]: line.split()[0] for line in out.splitlines()
                if line.startswith(("PASSED ", "FAILED ", "ERROR "))}
    assert outcomes == {
        "test_1_stores_then_kills_the_daemon": "PASSED",
        "test_2_gets_a_working_secret_service": "PASSED",
        "test_3_kills_the_daemon_then_uses_the_keyring": "FAILED",
        "test_4_gets_a_working_secret_service_again": "PASSED",
    }, out
    warned = [line for line in out.splitlines() if "SecretServiceRestarted: " in line]
    assert len(warned) == 2, out
    # each warning names the test that found the daemon gone and the last one that had it working
    assert "when test_inner.py::test_2_gets_a_working_secret_service asked" in warned[0], warned
    assert "handed a working one was test_inner.py::test_1_stores_then_kills_the_daemon" in warned[0], warned
    assert "killed by SIGKILL" in warned[0], warned
    assert "when test_inner.py::test_4_gets_a_working_secret_service_again asked" in warned[1], warned
    assert "handed a working one was test_inner.py::test_3_kills_the_daemon_then_uses_the_keyring" in warned[1], warned
