"""A code used twice (two commands inside one 30 s step): the failure stays opaque and counts, but says that
each code works once; ``--wait-for-next-code`` waits for the next step and reads the next code."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import errors
from core.security.totp import STEP_S
from tests.core.helpers import PASSPHRASE
from tests.core.test_cli import PASS, Cli, _keep_pytests_core_limit, secret_of, vs  # noqa: F401 - fixtures
from tests.session.test_session import make_vault

pytestmark = pytest.mark.real_keyring


def test_a_reused_code_is_the_opaque_failure_that_says_codes_work_once(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    vault.session.lock()
    vault.next_step()
    code = vault.code()
    vault.session.unlock(PASSPHRASE, code)
    vault.session.lock()
    with pytest.raises(errors.AuthFailed) as reused:
        vault.session.unlock(PASSPHRASE, code)
    vault.wait_out()  # past the back-off that failure started
    with pytest.raises(errors.AuthFailed) as wrong:
        vault.session.unlock("not the passphrase at all", vault.code())
    assert type(reused.value) is type(wrong.value) is errors.AuthFailed
    assert str(reused.value) == str(wrong.value)  # nothing tells the two apart
    assert "works only once" in str(reused.value) and "next code" in str(reused.value)
    assert vault.session.backoff().failures == 2


def test_wait_for_next_code_waits_on_the_injected_clock_then_reads_the_next_code(vs: Cli) -> None:  # noqa: F811
    code = vs.code()
    rc, _, _ = vs("status", "--passphrase-stdin", "--totp", code, stdin=PASS + "\n")
    assert rc == 0
    now_s = vs.clock.now_ms() / 1000
    next_step_s = (int(now_s) // STEP_S + 1) * STEP_S
    assert vs.totp is not None
    next_code = vs.totp.code_at(next_step_s)

    rc, data, err = vs(
        "status", "--passphrase-stdin", "--totp", code, "--wait-for-next-code", "--json",
        stdin=f"{PASS}\n{next_code}\n",
    )  # fmt: skip
    assert rc == 0, err
    assert data["unlocked"] is True
    assert "already used" in err and "works only once" in err
    assert vs.clock.now_ms() / 1000 == pytest.approx(next_step_s, abs=0.01)  # waited exactly to the next step
    rc, data, _ = vs("status", "--json")
    assert data["failed_attempts"] == 0  # the reuse, with every factor right, counted no failure

    # without the flag the same reuse is the opaque failure, and it counts
    rc, _, err = vs("status", "--passphrase-stdin", "--totp", next_code, stdin=PASS + "\n")
    assert rc == 3 and "works only once" in err and "already used" not in err
    rc, data, _ = vs("status", "--json")
    assert data["failed_attempts"] == 1


def test_wait_for_next_code_does_not_help_a_wrong_passphrase(vs: Cli) -> None:  # noqa: F811
    code = vs.code()
    assert vs("status", "--passphrase-stdin", "--totp", code, stdin=PASS + "\n")[0] == 0
    before = vs.clock.now_ms()
    rc, _, err = vs(
        "status", "--passphrase-stdin", "--totp", code, "--wait-for-next-code", stdin="not the passphrase\n123456\n"
    )
    assert rc == 3 and "already used" not in err and vs.clock.now_ms() == before  # no wait, no hint


def test_the_installed_command_waits_for_the_next_code(tmp_path: Path, secret_service: dict[str, str]) -> None:
    """The real entry point and the real clock: a second command inside the same step, then the next code."""
    exe = str(Path(sys.executable).with_name("vaultscribe"))
    vault = str(tmp_path / "v")

    def run(*args: str, stdin: str = PASS + "\n") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [exe, "--vault", vault, *args], input=stdin, capture_output=True, text=True, check=False, timeout=90
        )

    done = run("init", "--passphrase-stdin", "--json")
    assert done.returncode == 0, done.stderr
    totp = secret_of(json.loads(done.stdout)["totp_uri"])
    if time.time() % STEP_S > STEP_S - 8:  # too near the step's end for two unlocks inside it
        time.sleep(STEP_S - time.time() % STEP_S + 0.5)
    step = int(time.time()) // STEP_S
    code = totp.code_at(step * STEP_S)
    assert run("status", "--passphrase-stdin", "--totp", code).returncode == 0

    done = run("status", "--passphrase-stdin", "--totp", code)
    assert done.returncode == 3 and "works only once" in done.stderr and done.stderr.count("\n") == 1
    # that failure counted: a user waits out its back-off before trying again
    time.sleep(json.loads(run("status", "--json").stdout)["retry_after_s"] + 0.2)

    next_code = totp.code_at((step + 1) * STEP_S)
    done = run(
        "status", "--passphrase-stdin", "--totp", code, "--wait-for-next-code", "--json",
        stdin=f"{PASS}\n{next_code}\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["unlocked"] is True and "already used" in done.stderr
    assert time.time() >= (step + 1) * STEP_S
