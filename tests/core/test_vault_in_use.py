"""Two VaultScribe processes on one vault (issue 22, item 1).

The attack: while one process imports a file, a second process unlocks the same vault. Its unlock used
to remove every blob no row pointed at yet, the import's among them: the import then crashed with a
traceback, or reported success over audio that was gone. Now the vault is held by one process at a
time (``core.vault.lock``): the second one is refused at once with a clear line, counted as no failed
attempt, and the import finishes with its audio intact.

The importing process is the installed ``vaultscribe`` program with the real keyring and SQLCipher. To
make "the second unlock lands in the middle of the import" certain rather than a race, a
``sitecustomize`` in that process only pauses the import after its original audio is sealed on disk
(before its row is committed), until the test has run the second process.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from core.errors import VaultBusy, VaultError
from core.paths import VaultPaths
from core.vault.lock import VaultLock
from tests.core.audio_fixtures import encode
from tests.core.entry_point import Program, hold_vault_in_another_process
from tests.core.test_cli import PASS, Cli, _keep_pytests_core_limit, secret_of, vs  # noqa: F401  (fixtures)

pytestmark = pytest.mark.real_keyring

PAUSE = """
import os, time
if os.environ.get("VS_TEST_REACHED"):
    from core.audio import importer

    _copy = importer.copy_and_hash

    def _paused(*args, **kwargs):
        digest = _copy(*args, **kwargs)
        open(os.environ["VS_TEST_REACHED"], "w").close()
        deadline = time.monotonic() + 120
        while not os.path.exists(os.environ["VS_TEST_GO"]) and time.monotonic() < deadline:
            time.sleep(0.05)
        return digest

    importer.copy_and_hash = _paused
"""


def wait_for(path: Path, proc: subprocess.Popen[str], timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"the importing process ended early ({proc.returncode}): {err}")
        assert time.monotonic() < deadline, "the import never reached its pause"
        time.sleep(0.05)


def test_an_unlock_in_another_process_is_refused_while_an_import_runs(vs: Cli, tmp_path: Path) -> None:  # noqa: F811
    audio = encode(tmp_path / "long.flac", "flac", "flac", 44_100, seconds=20.0)
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(PAUSE)
    assert vs.totp is not None
    program = Program(vs.vault, vs.totp, PASS, site=site)
    reached, go = tmp_path / "reached", tmp_path / "go"

    importing = program.start(
        "import", str(audio), "--json", env={"VS_TEST_REACHED": str(reached), "VS_TEST_GO": str(go)}
    )
    try:
        wait_for(reached, importing)
        sealed = list((vs.vault / "blobs").glob("*.vsb"))
        assert len(sealed) == 1, "the import's original audio is on disk, its row not yet committed"

        other = program.run("status", "--json")

        assert other.returncode == VaultBusy.exit_code, other.stderr
        assert other.stderr == (
            f"vaultscribe: The vault in {vs.vault} is in use by another VaultScribe process. "
            "Close or lock VaultScribe there, then try again.\n"
        )
        assert sealed[0].exists(), "the other process touched nothing"
        program.step_unused()  # refused before its code was looked at
    finally:
        go.touch()
        out, err = importing.communicate(timeout=300)
    assert importing.returncode == 0, err
    (row,) = json.loads(out)["recordings"]

    exported = tmp_path / "exported.flac"
    done = program.run("export-audio", row["id"], "--out", str(exported))
    assert done.returncode == 0, done.stderr
    assert exported.read_bytes() == audio.read_bytes(), "the audio survived, byte for byte"
    rc, state, _ = vs("status", "--json")
    assert rc == 0 and state["failed_attempts"] == 0, "a refusal for being in use is no failed attempt"


def test_the_lock_is_one_process_at_a_time_and_goes_with_the_process(tmp_path: Path) -> None:
    paths = VaultPaths(tmp_path / "vault")
    paths.ensure()
    holder = hold_vault_in_another_process(paths.root)
    try:
        with pytest.raises(VaultBusy, match="in use by another VaultScribe process"):
            VaultLock.acquire(paths)
    finally:
        holder.kill()  # not a clean release: the OS drops the lock with the process
        holder.wait()
    lock = VaultLock.acquire(paths)
    with pytest.raises(VaultBusy):
        VaultLock.acquire(paths)  # a second holder in the same process is refused too
    lock.release()
    VaultLock.acquire(paths).release()


def test_a_link_in_place_of_the_lock_file_is_refused(tmp_path: Path) -> None:
    paths = VaultPaths(tmp_path / "vault")
    paths.ensure()
    target = tmp_path / "elsewhere"
    target.write_text("not the vault's")
    paths.lock.symlink_to(target)
    with pytest.raises(VaultError, match="not a regular file"):
        VaultLock.acquire(paths)
    assert target.read_text() == "not the vault's"
