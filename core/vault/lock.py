"""One VaultScribe process at a time has a vault open: an OS lock on ``vault.lock`` in the vault folder.

Why one at a time, rather than writers safe together: what an unlock does first assumes nobody else
has the vault open. It removes blobs no row points at (an import or recording in progress in another
process has written its blob and not yet its row), wipes the vault's temp dir (another process's job
uses it), marks recordings still "recording" as interrupted and re-queues "running" jobs, removes a
database file the header does not name (another process's key rotation writes one before switching)
and backup staging folders. Key operations rewrite the header and the keyring item. Every one of those
would destroy another live process's work. So the session takes this lock before it reads the header
to unlock, create, or recover, and keeps it until it locks (``core.session.Session``); whoever comes
second is refused at once with ``VaultBusy`` and a message that says why. Nothing waits: the GUI must
not hang on a CLI run, nor a script on a GUI left open.

The lock is ``flock`` on POSIX and ``msvcrt.locking`` on Windows. Both belong to the open file (not
the process, unlike ``fcntl`` record locks, which closing any descriptor of the file would drop), both
conflict within one process too, and the OS releases both when the process dies, however it dies: a
crash or ``kill -9`` never leaves a vault locked. The file is never removed (removing a lock file lets
two processes lock two different files of the same name); it holds nothing. Opening it never follows
a link (``core.fsutil.open_regular``). Locks on network file systems may not work: keep a vault on a
local disk, where a failure to lock is an error, never ignored.
"""

from __future__ import annotations

import errno
import os
import sys

from core.errors import VaultBusy, VaultError
from core.fsutil import NotRegularFile, open_regular
from core.paths import VaultPaths

_BUSY = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


def busy_message(paths: VaultPaths) -> str:
    return (
        f"The vault in {paths.root} is in use by another VaultScribe process. "
        "Close or lock VaultScribe there, then try again."
    )


class VaultLock:
    """Held from ``acquire`` to ``release``; ``acquire`` never waits."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, paths: VaultPaths) -> VaultLock:
        """Lock ``paths.lock`` (made 0600 if missing) or raise VaultBusy when another holds it.

        The vault folder must exist. A link or anything but a regular file at the lock's name, or a
        file system that cannot lock, is a VaultError naming the file.
        """
        path = paths.lock
        try:
            fd = open_regular(path, os.O_RDWR | os.O_CREAT, 0o600)
        except NotRegularFile:
            raise VaultError(
                f"The vault's lock file {path} is not a regular file: something replaced it. Move it away and "
                "try again."
            ) from None
        except OSError as exc:
            raise VaultError(f"Could not open the vault's lock file {path}: {exc.strerror}") from None
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            if exc.errno in _BUSY:
                raise VaultBusy(busy_message(paths)) from None
            raise VaultError(
                f"Could not lock {path} ({exc.strerror}): keep the vault on a local disk, where files can be locked."
            ) from None
        return cls(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Unlock and close; a second call does nothing."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        except OSError:
            pass  # closing the file releases it anyway
        finally:
            os.close(fd)


if sys.platform == "win32":  # pragma: no cover - Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # one byte, exclusive, fails at once when held

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
