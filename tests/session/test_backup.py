"""Backups that restore: a consistent encrypted snapshot taken while writes go on, restored on
"another machine" (a fresh HOME with its own real Secret Service) with the recovery code alone.

The source vault uses a fast in-memory keystore; the restore side uses a second, real
gnome-keyring, so nothing of the first machine's keyring can help it.
"""

from __future__ import annotations

import contextlib
import io
import os
import tarfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core import errors
from core.clock import FakeClock
from core.paths import VaultPaths
from core.security.kdf import TEST_PARAMS
from core.security.keystore import KeyringKeystore
from core.session import Session
from core.types import RecordingId, Transcript, TranscriptId
from core.vault import backup as backup_mod
from tests.conftest import KEYRING_PASSWORD
from tests.core.helpers import OTHER_PASSPHRASE, PASSPHRASE, add_pcm_recording, code_for, make_session
from tests.secret_service import environment, private_secret_service

pytestmark = pytest.mark.real_keyring

WORD = "Quetzalcoatlus"  # a transcript word that must never appear in the backup file


def samples_for(n: int) -> np.ndarray:
    rng = np.random.default_rng(n)
    return rng.uniform(-0.5, 0.5, 16_000 + 997 * n).astype("<f4")


def text_for(n: int) -> str:
    return f"interview {n} with {WORD} about the harbour"


def add(session: Session, n: int) -> RecordingId:
    rid = add_pcm_recording(session, f"rec-{n:04d}", samples_for(n))
    session.transcripts.save_transcript(
        Transcript(TranscriptId(f"tr-{n:04d}"), rid, 2_000 + n, "m", "tdt", text_for(n))
    )
    return rid


def blob_bytes(session: Session, rid: RecordingId) -> bytes:
    reader = session.audio.open_blob(rid)
    return reader.read_at(0, reader.size)


@contextlib.contextmanager
def fresh_keyring(home: Path) -> Iterator[None]:
    """A second real Secret Service under a new HOME, in force for the block (another machine)."""
    import keyring.core

    home.mkdir()
    with private_secret_service(home, KEYRING_PASSWORD, dict(os.environ)) as env:
        try:
            with environment(env):
                keyring.core.init_backend()
                yield
        finally:
            keyring.core.init_backend()  # back to the first machine's keyring


def restored_session(root: Path) -> tuple[Session, FakeClock]:
    clock = FakeClock(now_ms=1_800_000_000_000)
    return Session(VaultPaths(root), keystore=KeyringKeystore(), clock=clock, kdf_params=TEST_PARAMS), clock


def test_backup_during_writes_restores_on_another_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret_service: dict[str, str]
) -> None:
    source = make_session(tmp_path / "vault")
    enrolment = source.create(PASSPHRASE)
    committed_before = [add(source, n) for n in range(6)]
    source.recordings.delete_recording(committed_before.pop())  # a deletion before: not in the backup

    stop = threading.Event()
    written: list[RecordingId] = []
    deleted: list[RecordingId] = []

    def writer() -> None:
        n = 100
        while not stop.is_set():
            written.append(add(source, n))
            if n % 3 == 0:
                source.recordings.delete_recording(written[-1])
                deleted.append(written[-1])
            n += 1

    write_archive = backup_mod.write_archive

    def archive_once_the_writer_moved_on(*args: Any, **kwargs: Any) -> backup_mod.BackupInfo:
        # The snapshot is taken; the vault must take writes (and deletions) while the archive is written.
        seen = len(written)
        deadline = time.monotonic() + 30
        while len(written) < seen + 4:
            assert time.monotonic() < deadline, "the vault took no writes while the backup was being written"
            time.sleep(0.01)
        return write_archive(*args, **kwargs)

    monkeypatch.setattr(backup_mod, "write_archive", archive_once_the_writer_moved_on)
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 3:
            time.sleep(0.01)
        before_snapshot = set(committed_before) | set(written)
        info = source.backup.create(tmp_path / "backup.vsbak")
    finally:
        stop.set()
        thread.join()
    assert info.blobs >= len(committed_before)
    assert (tmp_path / "backup.vsbak").stat().st_mode & 0o777 == 0o600
    events = [e for e in source.audit.events("vault.backup")]
    assert [e.outcome for e in events] == ["success"]
    assert not list((tmp_path / "vault").glob(backup_mod.STAGING_PREFIX + "*"))
    data = (tmp_path / "backup.vsbak").read_bytes()
    assert WORD.encode() not in data and WORD.encode("utf-16-le") not in data
    assert samples_for(1).tobytes()[:4096] not in data
    expected_blobs = {rid: blob_bytes(source, rid) for rid in committed_before}
    source.lock()

    with fresh_keyring(tmp_path / "other-home"):
        target, clock = restored_session(tmp_path / "other-home" / "restored")
        new = target.backup.restore(tmp_path / "backup.vsbak", enrolment.recovery_code, OTHER_PASSPHRASE)
        assert new.recovery_code != enrolment.recovery_code
        target.lock()
        clock.advance(31)
        target.unlock(OTHER_PASSPHRASE, code_for(new.totp_secret, clock))
        present = {r.id for r in target.recordings.all()}
        # everything committed before the snapshot is there (bar what the writer deleted before it)
        assert (before_snapshot - set(deleted)) <= present
        # nothing that was never committed, and nothing deleted before the backup
        assert present <= set(committed_before) | set(written)
        for rid in present:
            n = int(rid.split("-")[1])
            assert blob_bytes(target, rid) == samples_for(n).tobytes()
            if rid in before_snapshot:  # a recording caught between its two commits has no transcript yet
                assert target.transcripts.current_transcript(rid).text == text_for(n)
        for rid, raw in expected_blobs.items():
            assert blob_bytes(target, rid) == raw
        assert target.audit.verify().ok
        assert [e.outcome for e in target.audit.events("vault.restore")] == ["success"]
        assert target.transcripts.search(WORD.lower())
        target.lock()


@pytest.fixture()
def backed_up(tmp_path: Path) -> tuple[Path, str]:
    source = make_session(tmp_path / "vault")
    enrolment = source.create(PASSPHRASE)
    add(source, 1)
    source.backup.create(tmp_path / "b.vsbak")
    source.lock()
    return tmp_path / "b.vsbak", enrolment.recovery_code


def restore_into(root: Path, archive: Path, code: str) -> None:
    session, _ = restored_session(root)
    session.backup.restore(archive, code, OTHER_PASSPHRASE)
    session.lock()


def rewrite(archive: Path, out: Path, change: dict[str, bytes | None]) -> None:
    """Copy the tar member by member, replacing or (None) dropping the named members."""
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name in change:
                replacement = change[member.name]
                if replacement is None:
                    continue
                data = replacement
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def test_an_existing_file_is_never_overwritten(tmp_path: Path, backed_up: tuple[Path, str]) -> None:
    archive, _ = backed_up
    source = make_session(tmp_path / "vault2")
    source.create(PASSPHRASE)
    before = archive.read_bytes()
    with pytest.raises(errors.VaultExists):
        source.backup.create(archive)
    assert archive.read_bytes() == before
    assert not list(tmp_path.glob(".*.partial"))


def test_restore_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, backed_up: tuple[Path, str], secret_service: dict[str, str]
) -> None:
    archive, code = backed_up
    root = tmp_path / "busy"
    root.mkdir()
    (root / "keep.txt").write_text("mine")
    with pytest.raises(errors.VaultExists):
        restore_into(root, archive, code)
    assert [p.name for p in root.iterdir()] == ["keep.txt"]


def test_a_wrong_recovery_code_leaves_nothing_behind(
    tmp_path: Path, backed_up: tuple[Path, str], secret_service: dict[str, str]
) -> None:
    archive, code = backed_up
    wrong = ("Z" if code[0] != "Z" else "Y") + code[1:]
    with pytest.raises(errors.AuthFailed):
        restore_into(tmp_path / "r", archive, wrong)
    assert not (tmp_path / "r").exists()
    restore_into(tmp_path / "r", archive, code)  # the right one still works
    assert (tmp_path / "r" / "vault.header").exists()


@pytest.mark.parametrize(
    "damage",
    ["truncated", "flipped blob byte", "flipped db byte", "dropped blob", "extra member", "traversal", "not a tar"],
)
def test_a_damaged_backup_is_a_clear_error_and_restores_nothing(
    tmp_path: Path, backed_up: tuple[Path, str], damage: str, secret_service: dict[str, str]
) -> None:
    archive, code = backed_up
    bad = tmp_path / "bad.vsbak"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        blob = next(n for n in names if n.startswith("blobs/"))
        db = next(n for n in names if n.endswith(".db"))
        blob_data = tar.extractfile(blob).read()  # type: ignore[union-attr]
        db_data = tar.extractfile(db).read()  # type: ignore[union-attr]
    if damage == "truncated":
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif damage == "flipped blob byte":
        rewrite(archive, bad, {blob: blob_data[:100] + bytes([blob_data[100] ^ 1]) + blob_data[101:]})
    elif damage == "flipped db byte":
        rewrite(archive, bad, {db: db_data[:5000] + bytes([db_data[5000] ^ 1]) + db_data[5001:]})
    elif damage == "dropped blob":
        rewrite(archive, bad, {blob: None})
    elif damage in ("extra member", "traversal"):
        rewrite(archive, bad, {})
        name = "blobs/" + "0" * 32 + ".vsb" if damage == "extra member" else "../escaped.txt"
        with tarfile.open(bad, "a") as tar:
            info = tarfile.TarInfo(name)
            info.size = 3
            tar.addfile(info, io.BytesIO(b"abc"))
    else:
        bad.write_bytes(b"PK\x03\x04 not a tar at all" * 100)
    root = tmp_path / "r"
    with pytest.raises(errors.BadInput, match="not a usable VaultScribe backup"):
        restore_into(root, bad, code)
    assert not root.exists()
    assert not (tmp_path / "escaped.txt").exists()
    assert not list(tmp_path.glob(".r.restoring*"))


def test_a_crashed_backups_staging_folder_goes_at_the_next_unlock(tmp_path: Path) -> None:
    clock = FakeClock()
    source = make_session(tmp_path / "vault", clock=clock)
    enrolment = source.create(PASSPHRASE)
    stale = tmp_path / "vault" / f"{backup_mod.STAGING_PREFIX}0011"
    (stale / "blobs").mkdir(parents=True)
    source.lock()
    assert stale.exists()
    clock.advance(31)
    source.unlock(PASSPHRASE, code_for(enrolment.totp_secret, clock))
    assert not stale.exists()


def test_recordings_deleted_after_the_snapshot_keep_their_audio_in_the_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret_service: dict[str, str]
) -> None:
    source = make_session(tmp_path / "vault")
    enrolment = source.create(PASSPHRASE)
    rids = [add(source, n) for n in range(3)]
    write_archive = backup_mod.write_archive

    def delete_everything_first(*args: object, **kwargs: object) -> backup_mod.BackupInfo:
        # the lock is released by now: a deletion here is one that raced the archive step
        for rid in rids:
            source.recordings.delete_recording(rid)
        assert not list((tmp_path / "vault" / "blobs").iterdir())
        return write_archive(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backup_mod, "write_archive", delete_everything_first)
    source.backup.create(tmp_path / "b.vsbak")
    source.lock()
    with fresh_keyring(tmp_path / "other-home"):
        target, _ = restored_session(tmp_path / "restored")
        target.backup.restore(tmp_path / "b.vsbak", enrolment.recovery_code, OTHER_PASSPHRASE)
        assert sorted(r.id for r in target.recordings.all()) == rids
        for n, rid in enumerate(rids):
            assert blob_bytes(target, rid) == samples_for(n).tobytes()
        target.lock()


def test_the_cli_backs_up_and_restores(
    tmp_path: Path, secret_service: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.cli import commands as cli
    from tests.core.test_cli import PASS, Cli, secret_of

    monkeypatch.setattr(cli, "disable_core_dumps", lambda: None)  # main() must not lower pytest's own limit
    vs = Cli(tmp_path / "vault")
    rc, data, _ = vs("init", "--passphrase-stdin", "--json", stdin=PASS + "\n")
    assert rc == 0
    vs.totp, code = secret_of(data["totp_uri"]), data["recovery_code"]
    auth = ("--passphrase-stdin", "--totp")
    rc, data, err = vs("backup", "--out", str(tmp_path / "b.vsbak"), *auth, vs.code(), "--json", stdin=PASS + "\n")
    assert rc == 0, err
    assert data["file"] == str(tmp_path / "b.vsbak") and data["bytes"] > 0
    rc, _, err = vs("backup", "--out", str(tmp_path / "b.vsbak"), *auth, vs.code(), stdin=PASS + "\n")
    assert rc != 0 and "already exists" in err

    other = Cli(tmp_path / "restored")
    rc, _, err = other("restore", str(tmp_path / "b.vsbak"))
    assert rc == 2 and "--recovery-stdin" in err
    stdin = f"{code}\n{OTHER_PASSPHRASE}\n"
    rc, data, err = other("restore", str(tmp_path / "b.vsbak"), "--recovery-stdin", "--json", stdin=stdin)
    assert rc == 0, err
    assert data["vault"] == str(tmp_path / "restored") and data["recovery_code"] != code
    other.totp = secret_of(data["totp_uri"])
    rc, data, err = other("status", *auth, other.code(), "--json", stdin=OTHER_PASSPHRASE + "\n")
    assert rc == 0, err
    assert data["unlocked"] is True
