"""Durable file writes: write beside, fsync, rename, fsync the folder.

A crash at any instant leaves either the old file or the new one, never half. Files are opened
without following a link at their name (``O_NOFOLLOW``), and what is opened must be a regular file:
someone who can write a folder must not turn a write into one through a link, nor a read into a wait
on a FIFO.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from core.errors import StorageFull, VaultError

#: 0 where the OS has no such flag (Windows): there, ``open_regular`` checks the name with lstat first.
O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


class NotRegularFile(OSError):
    """The name holds a link, a folder, a FIFO or a device, not a regular file."""


def open_regular(path: Path, flags: int, mode: int = 0o600) -> int:
    """``os.open`` that never follows a link at ``path`` and returns only a regular file's descriptor.

    Raises NotRegularFile for anything else there (a link, a folder, a FIFO: O_NONBLOCK keeps the open of
    a FIFO from waiting), else the OSError of the open (FileNotFoundError, FileExistsError, …).
    """
    if not O_NOFOLLOW and os.path.islink(path):  # pragma: no cover - Windows only
        raise NotRegularFile(errno.ELOOP, "not a regular file", str(path))
    try:
        fd = os.open(path, flags | O_NOFOLLOW | _O_NONBLOCK | _O_BINARY, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO) or (
            exc.errno == errno.EMLINK and O_NOFOLLOW  # FreeBSD's answer to O_NOFOLLOW on a link
        ):
            raise NotRegularFile(exc.errno, "not a regular file", str(path)) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
    if _O_NONBLOCK:
        os.set_blocking(fd, True)
    return fd


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    tmp = path.with_name(f".{path.name}.new")
    try:
        tmp.unlink(missing_ok=True)  # a crash's leftover, or a planted link: the link goes, not its target
        fd = open_regular(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            write_all(fd, data)
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
    """Append one line and fsync it; creates the file with mode 0600. Raises NotRegularFile for a link,
    a folder or anything else that is not a regular file at ``path``."""
    try:
        fd = open_regular(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            write_all(fd, line.rstrip(b"\n") + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
    except NotRegularFile:
        raise
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise StorageFull(f"The disk is full: could not write {path.name}.") from exc
        raise VaultError(f"Could not write {path}: {exc.strerror}") from exc
