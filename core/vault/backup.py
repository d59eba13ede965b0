"""Backups: one file holding a consistent, still-encrypted copy of a vault.

A backup is an uncompressed tar (ciphertext does not compress) of:

    vaultscribe-backup.json   the manifest: format, vault id, time, and every other member's size and SHA-256
    vault.header              the keyslots, as on disk
    vault-<hex>.db            a snapshot of the SQLCipher database, under the same data key
    blobs/<hex>.vsb           every audio blob a row of the snapshot points at
    escrow.json               the escrowed recovery code, when there is one
    config.toml               the user's settings

Nothing in it is plaintext: the database is SQLCipher pages, the blobs are AES-GCM chunks, the
header holds only wrapped keys. It opens with the recovery code, on any machine.

Consistency, without taking the vault offline. Under the database's lock, which every write
takes, and only for as long as that takes:

1. SQLite's online backup API copies every page into a new database keyed with the same data key
   (``snapshot``). A database of transcripts is small; this takes milliseconds to seconds.
2. The blobs the snapshot's rows name are hard-linked into a staging folder beside them. A link is
   a name, not a copy, so this costs nothing, and a recording deleted afterwards only loses the
   vault's name for the file: the backup's name keeps the bytes until the archive is written.

Writes resume as soon as the lock is released. The slow part, writing the archive, reads only the
staging folder. A blob still being recorded is copied as far as it got; the snapshot marks that
recording as still recording, so the restored vault recovers it at its first unlock, as after a
crash. The staging folder is removed afterwards; one left by a crash is removed at the next unlock
(``remove_stale_staging``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from core.errors import BadInput, StorageFull, VaultError, VaultExists
from core.fsutil import fsync_dir
from core.paths import VaultPaths
from core.security.secret import SecretKey, raw_key
from core.vault.store import VaultDB, translate

FORMAT = "vaultscribe-backup"
VERSION = 1
MANIFEST = "vaultscribe-backup.json"
STAGING_PREFIX = ".backup-staging-"
_DB_NAME = re.compile(r"vault-[0-9a-f]{8,64}\.db")
_BLOB_NAME = re.compile(r"blobs/[0-9a-f]{16,64}\.vsb")
_PLAIN_MEMBERS = ("vault.header", "escrow.json", "config.toml")
_MAX_MANIFEST = 16 * 1024 * 1024
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds (its manifest): no content, only counts and sizes."""

    vault_id: str
    created_ms: int
    db_file: str
    blobs: int
    bytes: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def snapshot(db: VaultDB, target: Path, key: SecretKey) -> None:
    """Copy the open database into ``target`` (a new file) with the online backup API.

    The caller holds ``db.lock``, so the copy is of one committed state. The target is keyed with
    the same data key, so its pages are ciphertext from the first byte written.
    """
    import sqlcipher3.dbapi2 as sqlite

    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        dest = sqlite.connect(str(target), isolation_level=None)
        try:
            with raw_key(key) as clause:
                dest.set_key(clause)  # as VaultDB.open: no key text left in SQLite's freed memory
            dest.execute("PRAGMA cipher_log_level = NONE")
            db.conn.backup(dest)
            # The copy keeps the source's WAL mode; a lone file is simpler to archive and restore.
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
    except sqlite.Error as exc:
        _remove_db(target)
        raise translate(exc, where=target.name) from exc
    except BaseException:
        _remove_db(target)
        raise


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        (path.parent / (path.name + suffix)).unlink(missing_ok=True)


def blob_names_in(snapshot_path: Path, key: SecretKey) -> set[str]:
    from core.vault import records

    db = VaultDB.open(snapshot_path, key)
    try:
        with db.reading() as conn:
            return records.all_blob_names(conn)
    finally:
        db.close()


def stage(
    paths: VaultPaths, db: VaultDB, key: SecretKey, *, staging: Path, header_check: Callable[[bytes], None]
) -> None:
    """Steps 1 and 2 of the module's docstring, into ``staging`` (a new folder). The caller holds ``db.lock``.

    ``header_check`` is given the header file's bytes and raises if they do not belong to ``db``
    (a key rotation that switched files between the caller's look and the lock).
    """
    staging.mkdir(mode=0o700)
    (staging / "blobs").mkdir(mode=0o700)
    header = paths.header.read_bytes()
    header_check(header)
    (staging / "vault.header").write_bytes(header)
    for name, source in (("escrow.json", paths.escrow), ("config.toml", paths.config)):
        with contextlib.suppress(FileNotFoundError):
            shutil.copyfile(source, staging / name)
    snapshot(db, staging / db.path.name, key)
    for name in sorted(blob_names_in(staging / db.path.name, key)):
        try:
            os.link(paths.blobs / name, staging / "blobs" / name)
        except FileNotFoundError:
            raise VaultError(f"The audio file {name} of a recording is missing; run a check of the vault.") from None
        except OSError:  # a filesystem without hard links: copy, still under the lock
            shutil.copyfile(paths.blobs / name, staging / "blobs" / name)


def write_archive(staging: Path, out: Path, *, vault_id: str, created_ms: int, db_file: str) -> BackupInfo:
    """Pack ``staging`` into ``out`` atomically: a hidden file beside it, fsync, rename. Never overwrites."""
    members = [p for p in sorted(staging.rglob("*")) if p.is_file()]
    files = {p.relative_to(staging).as_posix(): {"size": p.stat().st_size, "sha256": _sha256_file(p)} for p in members}
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "vault_id": vault_id,
        "created_ms": created_ms,
        "db_file": db_file,
        "files": files,
    }
    manifest_bytes = json.dumps(manifest, sort_keys=True, indent=1).encode()
    if out.exists():
        raise VaultExists(f"{out} already exists; choose a new file name for the backup.")
    tmp = out.with_name(f".{out.name}.partial")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                _add_bytes(tar, MANIFEST, manifest_bytes)
                for path in members:
                    info = tarfile.TarInfo(path.relative_to(staging).as_posix())
                    info.size, info.mode, info.mtime = path.stat().st_size, 0o600, created_ms // 1000
                    with path.open("rb") as f:
                        tar.addfile(info, f)
            raw.flush()
            os.fsync(raw.fileno())
        try:
            os.link(tmp, out)  # fails if ``out`` appeared meanwhile: never overwrite
        finally:
            tmp.unlink()
        fsync_dir(out.parent)
    except FileExistsError:
        raise VaultExists(f"{out} already exists; choose a new file name for the backup.") from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise StorageFull(f"The disk is full: could not write the backup {out}.") from exc
        raise VaultError(f"Could not write the backup {out}: {exc.strerror}") from exc
    blobs = sum(1 for name in files if name.startswith("blobs/"))
    return BackupInfo(vault_id, created_ms, db_file, blobs, out.stat().st_size)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    tar.addfile(info, io.BytesIO(data))


def remove_stale_staging(paths: VaultPaths) -> None:
    """Staging folders a crashed backup left: links and ciphertext only, but clutter."""
    if paths.root.is_dir():
        for folder in paths.root.glob(STAGING_PREFIX + "*"):
            shutil.rmtree(folder, ignore_errors=True)


# -- restore ------------------------------------------------------------------------------------


def _bad(archive: Path, why: str) -> BadInput:
    return BadInput(f"{archive} is not a usable VaultScribe backup: {why}.")


def read_manifest(archive: Path) -> tuple[BackupInfo, dict[str, dict[str, Any]]]:
    try:
        with tarfile.open(archive, mode="r:") as tar:
            member = tar.next()
            if member is None or member.name != MANIFEST or not member.isfile() or member.size > _MAX_MANIFEST:
                raise _bad(archive, "it does not start with a backup manifest")
            f = tar.extractfile(member)
            assert f is not None  # a regular file
            doc = json.loads(f.read())
    except (tarfile.TarError, OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise BadInput(f"There is no file {archive}.") from None
        raise _bad(archive, "it is damaged or not a backup") from None
    return _parse_manifest(archive, doc)


def _parse_manifest(archive: Path, doc: Any) -> tuple[BackupInfo, dict[str, dict[str, Any]]]:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _bad(archive, "its manifest is not a VaultScribe backup manifest")
    if doc.get("version") != VERSION:
        raise _bad(archive, f"it is format version {doc.get('version')!r}; this VaultScribe reads version {VERSION}")
    files, db_file = doc.get("files"), doc.get("db_file")
    if not isinstance(files, dict) or not isinstance(db_file, str) or not _DB_NAME.fullmatch(db_file):
        raise _bad(archive, "its manifest is malformed")
    for name, entry in files.items():
        allowed = name in _PLAIN_MEMBERS or name == db_file or _BLOB_NAME.fullmatch(name)
        ok_entry = (
            isinstance(entry, dict)
            and isinstance(entry.get("size"), int)
            and entry["size"] >= 0
            and isinstance(entry.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]) is not None
        )
        if not allowed or not ok_entry:
            raise _bad(archive, "its manifest names an unexpected file")
    if "vault.header" not in files or db_file not in files:
        raise _bad(archive, "it lacks the vault's header or database")
    vault_id, created_ms = doc.get("vault_id"), doc.get("created_ms")
    if not isinstance(vault_id, str) or not isinstance(created_ms, int):
        raise _bad(archive, "its manifest is malformed")
    size = archive.stat().st_size
    if sum(entry["size"] for entry in files.values()) > size:
        # Plain tar members hold their bytes: a manifest promising more than the archive holds names sparse
        # members or lies, and would have restore write gigabytes from a few kilobytes before the checksum.
        raise _bad(archive, "its manifest declares more data than the archive holds")
    blobs = sum(1 for name in files if name.startswith("blobs/"))
    return BackupInfo(vault_id, created_ms, db_file, blobs, size), files


def unpack(archive: Path, paths: VaultPaths) -> BackupInfo:
    """Unpack into ``paths.root``, which must not hold a vault. All or nothing.

    Every member is checked against the manifest (name, size, SHA-256) in a staging folder beside
    the target; only a complete, verified set is renamed into place.
    """
    root = paths.root
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise VaultExists(f"{root} is not empty; restore into a new folder.")
    info, files = read_manifest(archive)
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = root.with_name(f".{root.name}.restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o700)
    try:
        _extract_verified(archive, staging, files)
        (staging / "blobs").mkdir(mode=0o700, exist_ok=True)
        (staging / "tmp").mkdir(mode=0o700)
        if root.exists():
            root.rmdir()
        os.replace(staging, root)
        fsync_dir(root.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return info


def _extract_verified(archive: Path, staging: Path, files: dict[str, dict[str, Any]]) -> None:
    seen: set[str] = set()
    archive_size = archive.stat().st_size
    try:
        with tarfile.open(archive, mode="r:") as tar:
            for member in _members(tar):
                if member.name == MANIFEST:
                    continue
                entry = files.get(member.name)
                if entry is None or member.name in seen or not member.isfile() or member.size != entry["size"]:
                    raise _bad(archive, f"it holds an unexpected or altered file ({member.name[:80]!r})")
                if member.issparse() or member.offset_data + member.size > archive_size:
                    raise _bad(archive, f"{member.name[:80]!r} holds less data than it declares (a sparse or cut file)")
                seen.add(member.name)
                source = tar.extractfile(member)
                assert source is not None
                _copy_checked(archive, source, staging / member.name, entry)
    except (tarfile.TarError, EOFError):
        raise _bad(archive, "it is truncated or damaged") from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise StorageFull("The disk is full: the backup could not be restored.") from exc
        raise VaultError(f"Could not restore the backup: {exc.strerror}") from exc
    missing = set(files) - seen
    if missing:
        raise _bad(archive, f"it is truncated: {len(missing)} file(s) are missing")


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    while (member := tar.next()) is not None:
        yield member


def _copy_checked(archive: Path, source: IO[bytes], target: Path, entry: dict[str, Any]) -> None:
    target.parent.mkdir(mode=0o700, exist_ok=True)
    digest = hashlib.sha256()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != entry["sha256"]:
        raise _bad(archive, f"{target.name} does not match its checksum (the file was altered or damaged)")
