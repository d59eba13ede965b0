"""Brute force through the command line: a script firing wrong passphrases and wrong TOTP codes as
fast as it can is throttled (1 s, 2 s, 4 s … between tries), every attempt and every refusal is
audited, and at the failure limit (here lowered by the administrator's policy, as a clinic might)
only the recovery code opens the vault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import policy
from tests.core.helpers import on_disk
from tests.core.test_cli import PASS, Cli, _keep_pytests_core_limit, secret_of  # noqa: F401  (fixture)

pytestmark = pytest.mark.real_keyring

STEP_S = 0.25  # four attempts a second
LIMIT = 6  # max_failed_unlocks, from the policy (the default is 10)


def test_a_scripted_guesser_is_throttled_audited_and_locked_out(tmp_path: Path, secret_service: dict[str, str]) -> None:
    vs = Cli(tmp_path / "vault")
    vs.policy = lambda: policy.parse({"max_failed_unlocks": LIMIT}, source="test policy")
    rc, data, _ = vs("init", "--passphrase-stdin", "--json", stdin=PASS + "\n")
    assert rc == 0
    vs.totp, recovery_code = secret_of(data["totp_uri"]), data["recovery_code"]

    tried = refused = 0
    messages = set()
    while True:
        vs.clock.advance(STEP_S)  # a tight loop
        assert vs.totp is not None
        now_code = vs.totp.code_at(vs.clock.now_ms() // 1000)
        wrong_code = f"{(int(now_code) + 1) % 1_000_000:06d}"
        guess_code = tried % 2 == 1  # alternate: a wrong passphrase, then the right one with a wrong code
        passphrase, code = (PASS, wrong_code) if guess_code else (f"guess {tried}", now_code)
        rc, _, err = vs("status", "--passphrase-stdin", "--totp", code, stdin=passphrase + "\n")
        assert rc == 3
        if "try again in" in err:
            refused += 1
        else:
            tried += 1
            messages.add(err)
        rc, state, _ = vs("status", "--json")
        assert state["failed_attempts"] == tried
        if state["recovery_only"]:
            break
        assert refused < 100_000
    assert tried == LIMIT
    assert len(messages) == 1, "a wrong passphrase and a wrong code fail with the same words"
    waits_s = sum(2**i for i in range(LIMIT - 1))  # 1 + 2 + 4 + … between the tries
    assert refused >= 0.9 * waits_s / STEP_S, "every attempt inside a back-off is refused without being tried"
    assert vs.clock.now_ms() - 1_700_000_000_000 >= waits_s * 1000, "the run took the whole back-off schedule"

    # now even the right passphrase and code are refused
    vs.clock.advance(3600)
    rc, _, err = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 3 and "recovery code" in err

    # recovery opens it, resets the count, and the log holds every attempt
    rc, data, err = vs("recover", "--recovery-stdin", "--json", stdin=f"{recovery_code}\nnew passphrase here\n")
    assert rc == 0, err
    vs.totp = secret_of(data["totp_uri"])
    out = tmp_path / "audit.jsonl"
    rc, _, err = vs(
        "audit", "export", "--output", str(out), "--passphrase-stdin", "--totp", vs.code(),
        stdin="new passphrase here\n",
    )  # fmt: skip
    assert rc == 0, err
    events = [json.loads(line) for line in out.read_text().splitlines()]
    unlocks = [e for e in events if e["kind"] == "preauth.unlock"]
    failures = [e["detail"]["reason"] for e in unlocks if e["outcome"] == "failure"]
    # one opaque reason each: the log, readable before unlock, never says the passphrase was right
    assert failures == [on_disk("primary_slot_rejected"), on_disk("totp_wrong")] * (LIMIT // 2)
    assert failures == ["credentials_rejected"] * LIMIT
    refusals = [e["detail"]["reason"] for e in unlocks if e["outcome"] == "refused"]
    assert refusals.count("backoff") == refused and refusals.count("recovery_required") >= 1
    rc, state, _ = vs("status", "--json")
    assert state["failed_attempts"] == 0 and not state["recovery_only"]
