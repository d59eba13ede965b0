"""Files the user asked for, outside the vault: exports of text and audio, and the audit export.

They may hold decrypted content, so writing one must neither leak nor destroy:

- it is created 0600 whatever the umask (``fchmod`` after the open), so another user cannot read it;
- it is written under a temporary name beside the target, opened with O_CREAT|O_EXCL|O_NOFOLLOW, so a
  link planted there is never followed (a planted name makes the export fail, not leak). The name
  carries random bytes, so it cannot be planted in advance. The file takes the target's name only
  once complete, and a partial file is removed however the writing ends (a full disk, a cancel);
- an existing file is never replaced unless the caller says so (``overwrite``: the CLI's ``--force``,
  the GUI after asking). Without it the finished file is hard-linked into place, which fails if a
  file appeared meanwhile, instead of checking first and replacing later;
- a target inside the vault folder is refused, links resolved and the same folder recognised under
  any name (a bind mount, another case), since writing there could replace the vault's own files.

What it does not stop: someone who can write the target folder, or a folder above it, can still move
the finished file, or swap a folder for a link between the check and the write. Export to folders
only you can write.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from core.errors import BadInput, StorageFull
from core.fsutil import NotRegularFile, fsync_dir, open_regular

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` (links resolved) is ``folder`` or lies anywhere under it."""
    try:
        wanted = os.stat(folder)
    except OSError:
        return False
    real = Path(os.path.realpath(path))
    for candidate in (real, *real.parents):
        with contextlib.suppress(OSError):
            if os.path.samestat(os.stat(candidate), wanted):
                return True
    return False


def check_target(out: Path, *, vault_root: Path, overwrite: bool) -> None:
    """Refuse, before any work, a target inside the vault, or one that exists when it may not be replaced."""
    if inside(out, vault_root) or inside(out.parent, vault_root):
        raise BadInput(f"{out} is inside the vault folder ({vault_root}): export somewhere else.")
    if not overwrite and os.path.lexists(out):
        raise _exists(out)


def _exists(out: Path) -> BadInput:
    return BadInput(f"{out} already exists: choose another name, or give --force to replace it.")


@contextlib.contextmanager
def user_file(out: Path, *, vault_root: Path, overwrite: bool, token: str) -> Iterator[IO[bytes]]:
    """Yield a binary file that becomes ``out`` once the block ends without an error.

    ``token`` (random hex from the session's injected source) names the temporary file. Errors are
    BadInput (StorageFull for a full disk) naming ``out``; nothing is left behind on any of them.
    """
    check_target(out, vault_root=vault_root, overwrite=overwrite)
    tmp = out.with_name(f".{out.name}.{token}.part")
    try:
        fd = open_regular(tmp, _CREATE, 0o600)
    except (NotRegularFile, FileExistsError):
        raise BadInput(f"Could not write {out}: something is in the way of its temporary file {tmp.name}.") from None
    except OSError as exc:
        raise BadInput(f"Could not write {out}: {exc.strerror}") from exc
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # the umask could have taken the owner's bits too
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _place(tmp, out, overwrite=overwrite)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise StorageFull(f"The disk is full: could not write {out}.") from exc
        raise BadInput(f"Could not write {out}: {exc.strerror}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):
        fsync_dir(out.parent)


def _place(tmp: Path, out: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, out)  # replaces a link at ``out`` itself, never what it points to
        return
    try:
        os.link(tmp, out)
    except FileExistsError:
        raise _exists(out) from None
    except OSError:  # no hard links here (FAT, some shares): claim the name exclusively, then rename over it
        try:
            os.close(open_regular(out, _CREATE, 0o600))
        except (FileExistsError, NotRegularFile):
            raise _exists(out) from None
        os.replace(tmp, out)
        return
    tmp.unlink()
