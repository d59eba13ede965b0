"""Permissions: the vault folder is 0700 and everything in it 0600 (folders 0700), whatever the umask,
after a flow that writes every kind of file; and another OS user can neither list nor read it.

The second-user check needs root, to create a throwaway user; it is skipped, saying so, elsewhere.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.clock import FakeClock
from core.errors import AuthFailed
from core.session import Session
from core.types import Transcript, TranscriptId
from tests.core.audio_fixtures import encode
from tests.core.helpers import PASSPHRASE, code_for, make_session, wrong_code


def full_flow(root: Path, outside: Path) -> Session:
    """Create, import, transcript, redact audio, back up, rotate the key, fail once, unlock, lock."""
    clock = FakeClock()
    session = make_session(root, clock=clock)
    enrolment = session.create(PASSPHRASE)
    done = session.recordings.import_audio(encode(outside / "in.flac", "flac", "flac", 16_000, seconds=2.0))
    rid = done.id
    session.transcripts.save_transcript(Transcript(TranscriptId("t1"), rid, 1, "m", "tdt", "hello there"))
    session.review.redact_audio(rid)  # a second blob: the redacted copy
    session.backup.create(outside / "backup.vsbak")
    session.keys.rotate_data_key()
    session.lock()
    clock.advance(31)
    with pytest.raises(AuthFailed):
        session.unlock(PASSPHRASE, wrong_code(enrolment.totp_secret, clock))
    clock.advance(31 + 2)
    session.unlock(PASSPHRASE, code_for(enrolment.totp_secret, clock))
    session.lock()
    return session


def modes(root: Path) -> dict[str, int]:
    found = {str(root): stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


@pytest.fixture()
def open_umask() -> Iterator[None]:
    old = os.umask(0)  # the most permissive umask: every mode below is the code's own doing
    try:
        yield
    finally:
        os.umask(old)


def test_every_file_is_private_whatever_the_umask(tmp_path: Path, open_umask: None) -> None:
    root = tmp_path / "vault"
    full_flow(root, tmp_path)
    found = modes(root)
    kinds = {Path(name).suffix for name in found}
    assert {".header", ".db", ".vsb", ".jsonl"} <= kinds, sorted(found)
    loose = {
        name: oct(mode)
        for name, mode in found.items()
        if mode != (0o700 if (root / name).is_dir() or name == str(root) else 0o600)
    }
    assert loose == {}
    assert stat.S_IMODE((tmp_path / "backup.vsbak").stat().st_mode) == 0o600


@pytest.fixture()
def other_user() -> Iterator[str]:
    if os.geteuid() != 0:
        pytest.skip("needs root to create a throwaway second OS user")
    if shutil.which("useradd") is None or shutil.which("runuser") is None:
        pytest.skip("useradd and runuser are not installed")
    name = "vstest" + uuid.uuid4().hex[:8]
    subprocess.run(["useradd", "--no-create-home", "--shell", "/bin/sh", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], check=False)


def as_user(user: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["runuser", "-u", user, "--", *argv], capture_output=True, text=True, check=False)


def test_another_os_user_can_neither_list_nor_read_the_vault(other_user: str, open_umask: None) -> None:
    # Not under pytest's tmp dir, which is itself 0700: only the vault's own modes may stop the other user.
    base = Path(tempfile.mkdtemp(prefix="vs-perm-", dir="/tmp"))
    try:
        os.chmod(base, 0o755)  # noqa: S103 - on purpose: only the vault may refuse
        root = base / "vault"
        session = full_flow(root, base)
        control = base / "control.txt"
        control.write_text("readable by anyone")
        os.chmod(control, 0o644)
        # the control shows the user and the tools work: a readable file is read
        assert as_user(other_user, "cat", str(control)).stdout == "readable by anyone"

        listing = as_user(other_user, "ls", str(root))
        assert listing.returncode != 0 and "Permission denied" in listing.stderr
        for target in (session.paths.header, *root.glob("vault-*.db"), *session.paths.blobs.glob("*.vsb")):
            read = as_user(other_user, "cat", str(target))
            assert read.returncode != 0 and "Permission denied" in read.stderr, target
        # even knowing the names, with the folder's modes loosened the files themselves refuse
        os.chmod(root, 0o711)  # noqa: S103 - on purpose
        os.chmod(session.paths.blobs, 0o711)  # noqa: S103 - on purpose
        for target in (session.paths.header, *root.glob("vault-*.db"), *session.paths.blobs.glob("*.vsb")):
            read = as_user(other_user, "cat", str(target))
            assert read.returncode != 0 and "Permission denied" in read.stderr, target
    finally:
        shutil.rmtree(base, ignore_errors=True)
