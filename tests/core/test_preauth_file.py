"""The pre-unlock log cannot be turned off or turned into an oracle (issue 22, item 7).

The attacks: ``preauth.jsonl`` replaced by a link to ``/dev/null`` swallowed every failed attempt, so
the back-off and the failure limit never started; a folder (or a FIFO) in its place crashed status
and unlock with a traceback (or hung them); and its reasons said in plain text whether the passphrase
or the TOTP code was wrong, so whoever could read the folder learnt when a guessed passphrase was
right. Now anything but a regular file there stops unlock and status with a clear error (fail
closed), and every failed attempt decided by a secret records the same opaque reason.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from core import errors
from core.audit import PreauthLog
from core.clock import FakeClock
from core.security.keystore import MemoryKeystore
from tests.core.helpers import PASSPHRASE, code_for, make_session, wrong_code
from tests.core.test_cli import PASS, Cli, _keep_pytests_core_limit, vs  # noqa: F401  (fixtures)

NOT_A_FILE = "is not a regular file"


@pytest.fixture()
def vault(tmp_path: Path) -> tuple[object, FakeClock, str]:
    clock, keystore = FakeClock(), MemoryKeystore()
    session = make_session(tmp_path / "vault", clock=clock, keystore=keystore)
    enrolment = session.create(PASSPHRASE)
    session.lock()
    clock.advance(31)
    return session, clock, enrolment.totp_secret


def test_a_link_to_dev_null_does_not_switch_the_backoff_off(vault, tmp_path: Path) -> None:
    session, clock, secret = vault
    session.paths.preauth_log.symlink_to(os.devnull)
    for _ in range(3):
        with pytest.raises(errors.VaultError, match=NOT_A_FILE) as caught:
            session.unlock("not the passphrase", code_for(secret, clock))
        assert not isinstance(caught.value, errors.AuthFailed)
        clock.advance(0.1)
    with pytest.raises(errors.VaultError, match=NOT_A_FILE):
        session.unlock(PASSPHRASE, code_for(secret, clock))  # fail closed: not even the right factors
    assert not session.is_unlocked
    with pytest.raises(errors.VaultError, match=NOT_A_FILE):
        session.status()


@pytest.mark.parametrize("kind", ["folder", "fifo", "link to a file"])
def test_anything_but_a_regular_file_is_a_clear_error(vault, tmp_path: Path, kind: str) -> None:
    session, clock, secret = vault
    path = session.paths.preauth_log
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)  # opening it to read would wait for a writer for ever
    else:
        (tmp_path / "real.jsonl").write_text("")
        path.symlink_to(tmp_path / "real.jsonl")
    message = f"The pre-unlock log {path} {NOT_A_FILE}"
    with pytest.raises(errors.VaultError, match=message):
        session.status()
    with pytest.raises(errors.VaultError, match=message):
        session.unlock(PASSPHRASE, code_for(secret, clock))
    if kind == "folder":
        path.rmdir()
    else:
        path.unlink()
    session.unlock(PASSPHRASE, code_for(secret, clock))  # once it is gone, the vault opens again


def test_a_wrong_passphrase_and_a_wrong_code_look_the_same_on_disk(vault) -> None:
    session, clock, secret = vault
    with pytest.raises(errors.AuthFailed):
        session.unlock("not the passphrase", code_for(secret, clock))
    clock.advance(2)
    with pytest.raises(errors.AuthFailed):
        session.unlock(PASSPHRASE, wrong_code(secret, clock))
    lines = [json.loads(line) for line in session.paths.preauth_log.read_bytes().splitlines()]
    assert [(e["outcome"], e["detail"]) for e in lines] == [("failure", {"reason": "credentials_rejected"})] * 2
    raw = session.paths.preauth_log.read_bytes()
    assert b"totp" not in raw and b"primary" not in raw and b"passphrase" not in raw


def test_the_log_is_created_private_and_never_through_a_planted_temp_link(vault, tmp_path: Path) -> None:
    session, clock, secret = vault
    with pytest.raises(errors.AuthFailed):
        session.unlock("not the passphrase", code_for(secret, clock))
    assert session.paths.preauth_log.stat().st_mode & 0o777 == 0o600
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file")
    (session.paths.root / ".preauth.jsonl.new").symlink_to(victim)  # where clearing writes first
    clock.advance(2)
    session.unlock(PASSPHRASE, code_for(secret, clock))  # a success clears the log
    assert victim.read_text() == "the user's own file"
    assert session.paths.preauth_log.read_bytes() == b"" and not session.paths.preauth_log.is_symlink()


def test_a_directory_in_place_of_the_log_is_one_line_from_the_command_line(vs: Cli) -> None:  # noqa: F811
    (vs.vault / "preauth.jsonl").mkdir()
    rc, _, err = vs("status")
    assert rc == errors.VaultError.exit_code
    assert err == (
        f"vaultscribe: The pre-unlock log {vs.vault / 'preauth.jsonl'} {NOT_A_FILE}: something replaced it. "
        "Move it away (it holds no secret) and try again; until then the vault does not unlock.\n"
    )
    rc, _, err = vs("status", "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == errors.VaultError.exit_code and NOT_A_FILE in err


def test_reading_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "preauth.jsonl"
    path.symlink_to(os.devnull)
    log = PreauthLog(path)
    with pytest.raises(errors.VaultError, match=NOT_A_FILE):
        log.read()
    with pytest.raises(errors.VaultError, match=NOT_A_FILE):
        log.append(at_ms=1, os_user="u", kind="unlock", outcome="failure", detail={"reason": "x"})
