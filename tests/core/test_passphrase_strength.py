"""Weak passphrases are refused by zxcvbn's estimate, with its own advice, in the core and the command line;
the least score is 3 unless the machine's policy sets another."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core import errors
from core.config import Config
from core.paths import VaultPaths
from core.policy import Policy, parse
from core.security.keystore import MemoryKeystore
from core.security.strength import RATED_CHARS, rate
from tests.core.helpers import PASSPHRASE, make_session
from tests.session.test_session import make_vault

WEAK = ("password12", "aaaaaaaaaa", "1234567890", "aaaaaaaaaaaaaaaaaaaa", "passwordpassword1234")


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passphrases_score_below_the_default_minimum_with_advice(weak: str) -> None:
    rated = rate(weak)
    assert rated.score < 3
    assert rated.feedback()  # zxcvbn says why, or what to do


def test_the_estimators_own_warning_names_a_common_password() -> None:
    assert rate("password").warning.startswith("This is a top-")
    assert rate(PASSPHRASE).score >= 3 and rate("").score == 0


def test_a_passphrase_past_the_estimators_limit_is_rated_on_its_start() -> None:
    assert rate("a" * 500).score == 0  # no ValueError from zxcvbn's own length limit
    assert rate(PASSPHRASE * 10).score == 4 and len(PASSPHRASE * 10) > RATED_CHARS


@pytest.mark.parametrize("weak", WEAK)
def test_create_refuses_a_weak_passphrase_saying_why_and_writes_nothing(tmp_path: Path, weak: str) -> None:
    root, keystore = tmp_path / "v", MemoryKeystore()
    with pytest.raises(errors.BadInput, match="too easy to guess") as caught:
        make_session(root, keystore=keystore).create(weak)
    assert rate(weak).warning in str(caught.value) and weak not in str(caught.value)
    assert not VaultPaths(root).header.exists() and keystore._items == {}


def test_change_and_recover_check_the_strength_too(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)
    with pytest.raises(errors.BadInput, match="too easy to guess"):
        vault.session.keys.change_passphrase(PASSPHRASE, "passwordpassword1234")
    vault.session.lock()
    with pytest.raises(errors.BadInput, match="too easy to guess"):
        vault.session.recover(vault.enrolment.recovery_code, "1234567890")


def test_the_policy_sets_the_least_score_and_locks_it(tmp_path: Path) -> None:
    fair = "Tr0ub4dour&3x"  # zxcvbn: 3, safely unguessable
    assert rate(fair).score == 3
    make_session(tmp_path / "a").create(fair)  # the default minimum is 3

    strict = make_session(tmp_path / "b", policy=Policy(min_passphrase_score=4))
    assert strict.setting("min_passphrase_score") == 4
    with pytest.raises(errors.BadInput, match="too easy to guess"):
        strict.create(fair)
    with pytest.raises(errors.PolicyDenied):
        strict.update_config({"min_passphrase_score": 3})
    # the policy's value is the one in force, whatever the user's file says
    lenient = make_session(
        tmp_path / "c", config=Config({"min_passphrase_score": 4}), policy=Policy(min_passphrase_score=1)
    )
    lenient.create("password12!")
    assert rate("password12!").score == 1


def test_the_policy_key_takes_a_score_from_0_to_4() -> None:
    assert parse({"min_passphrase_score": 0}, source="t").min_passphrase_score == 0
    for bad in (5, -1, "3", True):
        with pytest.raises(errors.PolicyInvalid, match="min_passphrase_score"):
            parse({"min_passphrase_score": bad}, source="t")


def test_the_installed_command_refuses_a_weak_passphrase_at_init(
    tmp_path: Path, secret_service: dict[str, str]
) -> None:
    exe = str(Path(sys.executable).with_name("vaultscribe"))
    vault = tmp_path / "v"
    for weak in WEAK:
        done = subprocess.run(
            [exe, "--vault", str(vault), "init", "--passphrase-stdin"],
            input=weak + "\n",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 4, done.stderr
        assert "too easy to guess" in done.stderr and rate(weak).warning in done.stderr
        assert not VaultPaths(vault).header.exists()


def test_rating_makes_no_network_call_and_opens_no_file() -> None:
    probe = (
        "import sys\n"
        "events = []\n"
        "sys.addaudithook(lambda e, a: events.append(e) if e.startswith(('socket.', 'open')) else None)\n"
        "from core.security.strength import rate\n"
        "rate('passwordpassword1234')\n"
        "print(sorted(set(e for e in events if e.startswith('socket.'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]"
