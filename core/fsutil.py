"""Durable file writes: write beside, fsync, rename, fsync the folder.

A crash at any instant leaves either the old file or the new one, never half.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from core.errors import StorageFull, VaultError


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    tmp = path.with_name(f".{path.name}.new")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise StorageFull(f"The disk is full: could not write {path.name}.") from exc
        raise VaultError(f"Could not write {path}: {exc.strerror}") from exc


def append_line(path: Path, line: bytes) -> None:
    """Append one line and fsync it; creates the file with mode 0600."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.rstrip(b"\n") + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise StorageFull(f"The disk is full: could not write {path.name}.") from exc
        raise VaultError(f"Could not write {path}: {exc.strerror}") from exc
