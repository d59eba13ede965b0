"""The models folder: importing, downloading and handing out model files, each verified.

A file enters the folder only after its size and SHA-256 match the manifest, and
``open_verified`` hands a file out only after hashing it again, through the descriptor it hands
out, so that what is loaded is what was checked. Nothing caches a verification: a record that
spared the hash could be forged by whoever can write this folder (issue 22; the cost of hashing
at every load is measured in bench/RESULTS.md).
Never loads a model, never imports torch or nemo,
and never leaves a partial file under a model's name: copies and downloads are
written beside it and renamed into place once verified. Not thread-safe: one caller
(the model worker) at a time.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from http.client import HTTPException
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import urlsplit

from core.errors import (
    ModelDownloadFailed,
    ModelError,
    ModelMismatch,
    ModelNotFound,
    StorageFull,
    UsageError,
)
from core.fsutil import fsync_dir
from core.paths import default_vault_dir
from core.policy import NO_POLICY, Policy, load_system_policy
from core.progress import CancelToken, Progress, no_progress
from models.manifest import MANIFEST, ModelSpec, find

MODELS_ENV = "VAULTSCRIBE_MODELS"
#: The ONNX exports of verified models (core.asr.onnx_export): one folder per source file, named by the
#: source's SHA-256, so that a changed source has no export until it is exported again.
EXPORTS_DIR = "onnx"
EXPORT_RECORD = "export.json"
CHUNK_BYTES = 1 << 20
DOWNLOAD_TIMEOUT_S = 60.0
# Plain http is allowed only to this computer, so tests can serve a file without certificates.
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def default_models_dir(environ: dict[str, str] | None = None) -> Path:
    """``$VAULTSCRIBE_MODELS`` if set, else a ``models`` folder beside the default vault."""
    env = os.environ if environ is None else environ
    if env.get(MODELS_ENV):
        return Path(env[MODELS_ENV]).expanduser()
    return default_vault_dir(environ) / "models"


class _Meter:
    """Turns bytes done into the fraction a Progress sink takes, and is where cancel is checked."""

    def __init__(self, total: int, progress: Progress | None, cancel: CancelToken | None) -> None:
        self.total, self.done = max(total, 1), 0
        self._progress = progress or no_progress
        self._cancel = cancel

    def advance(self, n: int) -> None:
        self.done += n
        self._progress(min(self.done / self.total, 1.0))
        if self._cancel is not None:
            self._cancel.raise_if_cancelled()


class _Hasher(Protocol):
    def update(self, data: bytes, /) -> None: ...


def _pump(src: IO[bytes], dst: IO[bytes] | None, hasher: _Hasher, meter: _Meter, limit: int) -> int:
    """Hash (and copy) src in 1 MiB chunks; stops once past ``limit`` so a runaway source cannot fill the disk."""
    count = 0
    while count <= limit and (chunk := src.read(CHUNK_BYTES)):
        count += len(chunk)
        hasher.update(chunk)
        if dst is not None:
            dst.write(chunk)
        meter.advance(len(chunk))
    return count


def _hash_file(path: Path, meter: _Meter, limit: int, *, fd: int | None = None) -> str:
    """SHA-256 of the file, read through ``fd`` (from its start) when given, else opened by name."""
    hasher = hashlib.sha256()
    with _io_errors(f"read {path}"), open(path, "rb") if fd is None else os.fdopen(os.dup(fd), "rb") as fh:
        fh.seek(0)
        _pump(fh, None, hasher, meter, limit)
    return hasher.hexdigest()


class VerifiedModel:
    """A model file held open after its bytes, read through this very descriptor, matched the manifest.

    Load it through ``load_path``: on Linux that names the open file itself, so a file renamed over the
    verified one in the meantime is not the one loaded. Close it (or use it as a context manager) once
    loaded.
    """

    def __init__(self, spec: ModelSpec, path: Path, fd: int) -> None:
        self.spec, self.path, self.fd = spec, path, fd

    @property
    def load_path(self) -> Path:
        by_fd = Path(f"/proc/self/fd/{self.fd}")
        return by_fd if by_fd.exists() else self.path

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> VerifiedModel:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class VerifiedExport:
    """An ONNX export's files, held open after each one's bytes, read through its descriptor, matched the
    export's record (``ModelStore.open_export``). Load them through ``load_path``, as a ``VerifiedModel``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.fds: dict[str, int] = {}

    @property
    def names(self) -> list[str]:
        return list(self.fds)

    def load_path(self, name: str) -> Path:
        by_fd = Path(f"/proc/self/fd/{self.fds[name]}")
        return by_fd if by_fd.exists() else self.folder / name

    def close(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds = {}

    def __enter__(self) -> VerifiedExport:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


@contextlib.contextmanager
def _io_errors(what: str) -> Iterator[None]:
    """Translate OSError where it is raised; a full disk is StorageFull, as everywhere else."""
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise StorageFull(f"The disk is full: could not {what}.") from exc
        raise ModelError(f"Could not {what}: {exc.strerror or exc}") from exc


@contextlib.contextmanager
def _scratch(dest: Path) -> Iterator[Path]:
    """A temp file beside ``dest`` (same filesystem, so the rename is atomic), removed unless renamed into place."""
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def _mismatch(what: Path | str, spec: ModelSpec, size: int, sha256: str | None) -> ModelMismatch:
    got = f"{size:,} bytes" + (f", sha256 {sha256}" if sha256 else "")
    return ModelMismatch(
        f"{what} is not the file of {spec.id}: expected {spec.size_bytes:,} bytes, sha256 {spec.sha256}; "
        f"got {got}. It was not used."
    )


def _require_secure(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        return
    raise UsageError(f"Refusing to download from {url}: models are downloaded over https only.")


def _why(exc: OSError | HTTPException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"the server answered {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def system_store(root: Path | None = None) -> ModelStore:
    """The store as this machine's administrator's policy shapes it (see core.policy)."""
    return ModelStore(root or default_models_dir(), policy=load_system_policy())


class ModelStore:
    """The folder the app owns for model files (0700), plus read-only folders an administrator provisions."""

    def __init__(
        self,
        root: Path,
        *,
        manifest: Sequence[ModelSpec] = MANIFEST,
        extra_dirs: Sequence[Path] = (),
        policy: Policy = NO_POLICY,
    ) -> None:
        """``policy``: its ``model_paths`` are read-only extra folders (still verified against the
        manifest), and ``allow_model_download = false`` refuses every download."""
        self.root = root
        self.manifest = tuple(manifest)
        self.extra_dirs = (*extra_dirs, *(Path(p) for p in policy.model_paths or ()))
        self.policy = policy
        with _io_errors(f"create {root}"):
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(root, 0o700)
        # Verification records of earlier versions: never read now (they could be forged), so not kept.
        shutil.rmtree(root / ".verified", ignore_errors=True)

    # -- reading -------------------------------------------------------------------

    def installed(self) -> list[tuple[ModelSpec, Path]]:
        """Model files present, ours first, then the extra folders. Present is not verified: see verified_path."""
        found: list[tuple[ModelSpec, Path]] = []
        for spec in self.manifest:
            path = self._locate(spec)
            if path is not None:
                found.append((spec, path))
        return found

    def verified_path(
        self, model_id: str, *, progress: Progress | None = None, cancel: CancelToken | None = None
    ) -> Path:
        """The path to load, once its size and SHA-256 match.
        What loads a model should use ``open_verified``: a path can be swapped before it is opened again."""
        with self.open_verified(model_id, progress=progress, cancel=cancel) as model:
            return model.path

    def open_verified(
        self, model_id: str, *, progress: Progress | None = None, cancel: CancelToken | None = None
    ) -> VerifiedModel:
        """The model file, open, once the size and SHA-256 of what this descriptor reads match the manifest.

        A wrong size is refused before any byte is read; any other file is hashed at every call.
        """
        spec = find(model_id, self.manifest)
        path = self._locate(spec)
        if path is None:
            raise ModelNotFound(f"The model {spec.id} is not installed: import {spec.file_name} or download it.")
        with _io_errors(f"read {path}"):
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            self._verify(path, fd, spec, _Meter(spec.size_bytes, progress, cancel))
        except BaseException:
            os.close(fd)
            raise
        return VerifiedModel(spec, path, fd)

    def _locate(self, spec: ModelSpec) -> Path | None:
        for folder in (self.root, *self.extra_dirs):
            path = folder / spec.file_name
            if path.is_file():
                return path
        return None

    def _verify(self, path: Path, fd: int, spec: ModelSpec, meter: _Meter) -> None:
        with _io_errors(f"read {path}"):
            size = os.fstat(fd).st_size
        if size != spec.size_bytes:
            raise _mismatch(path, spec, size, None)
        digest = _hash_file(path, meter, spec.size_bytes, fd=fd)
        if digest != spec.sha256:
            raise _mismatch(path, spec, size, digest)

    # -- ONNX exports -------------------------------------------------------------------

    def export_dir(self, model_id: str) -> Path:
        """Where the ONNX export of ``model_id`` lives: under this store's own folder, by source hash."""
        return self.root / EXPORTS_DIR / find(model_id, self.manifest).sha256

    def has_export(self, model_id: str) -> bool:
        """Whether an export of this very source is recorded (present, not verified: see open_export)."""
        try:
            return self._export_record(model_id) is not None
        except ModelError:
            return False

    def open_export(
        self, model_id: str, *, progress: Progress | None = None, cancel: CancelToken | None = None
    ) -> VerifiedExport:
        """The export's files, held open once the size and SHA-256 of what each descriptor reads match the
        record beside them, and the record names this model's manifest SHA-256 as its source: the same
        check as ``open_verified``, and the same ``load_path`` through the descriptor. A missing or stale
        export is ``ModelNotFound``; a file that does not match is ``ModelMismatch`` and is not used."""
        record = self._export_record(model_id)
        if record is None:
            raise ModelNotFound(f"The model {model_id} has no ONNX export yet: export it first.")
        folder = self.export_dir(model_id)
        files: dict[str, Any] = record["files"]
        meter = _Meter(sum(int(f["size"]) for f in files.values()), progress, cancel)
        export = VerifiedExport(folder)
        try:
            for name, want in files.items():
                path = folder / name
                with _io_errors(f"read {path}"):
                    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0))
                    export.fds[name] = fd
                    size = os.fstat(fd).st_size
                digest = _hash_file(path, meter, size, fd=fd) if size == int(want["size"]) else None
                if digest != want["sha256"]:
                    got = f"{size:,} bytes" + (f", sha256 {digest}" if digest else "")
                    raise ModelMismatch(
                        f"{path} is not the file the ONNX export of {model_id} recorded ({got}). It was not "
                        "used: export the model again."
                    )
        except BaseException:
            export.close()
            raise
        return export

    def install_export(self, model_id: str, built: Path, names: Sequence[str]) -> Path:
        """Hash the files ``names`` of a finished export in ``built`` (any folder), record them with the
        source's manifest SHA-256, and move them into ``export_dir`` whole, replacing an older export."""
        spec = find(model_id, self.manifest)
        dest = self.export_dir(model_id)
        with _io_errors(f"install the ONNX export into {dest.parent}"):
            dest.parent.mkdir(mode=0o700, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}."))
            try:
                files = {}
                for name in names:
                    if "/" in name or name.startswith(".") or name == EXPORT_RECORD:
                        raise ValueError(f"not a plain export file name: {name!r}")
                    hasher = hashlib.sha256()
                    with open(built / name, "rb") as fin, open(staging / name, "wb") as fout:
                        size = _pump(fin, fout, hasher, _Meter(1, None, None), 1 << 62)
                        fout.flush()
                        os.fsync(fout.fileno())
                    files[name] = {"size": size, "sha256": hasher.hexdigest()}
                record = {"model_id": spec.id, "source_sha256": spec.sha256, "files": files}
                (staging / EXPORT_RECORD).write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
                old = dest.with_name(f".{dest.name}.old")
                shutil.rmtree(old, ignore_errors=True)
                if dest.exists():
                    os.replace(dest, old)
                os.replace(staging, dest)
                fsync_dir(dest.parent)
                shutil.rmtree(old, ignore_errors=True)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        return dest

    def _export_record(self, model_id: str) -> dict[str, Any] | None:
        spec = find(model_id, self.manifest)
        path = self.export_dir(model_id) / EXPORT_RECORD
        if not path.is_file():
            return None
        with _io_errors(f"read {path}"):
            text = path.read_text(encoding="utf-8")
        try:
            record = json.loads(text)
            ok = record["source_sha256"] == spec.sha256 and all(
                isinstance(n, str) and "/" not in n and not n.startswith(".") and {"size", "sha256"} <= set(f)
                for n, f in record["files"].items()
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            ok = False
        if not ok:
            raise ModelMismatch(f"The record of the ONNX export of {model_id} is damaged: export the model again.")
        return dict(record)

    @staticmethod
    def _install(tmp: Path, dest: Path) -> None:
        os.replace(tmp, dest)
        fsync_dir(dest.parent)

    # -- import ----------------------------------------------------------------------

    def import_file(
        self, path: Path, *, progress: Progress | None = None, cancel: CancelToken | None = None
    ) -> list[ModelSpec]:
        """Import a model file, or every ``*.nemo`` in a folder; returns one spec per file imported.

        Every file is identified by its size and SHA-256 before any is copied, so a folder with one
        unknown or damaged file imports nothing. Progress covers checking and copying.
        """
        sources = self._sources(path)
        with _io_errors(f"read {path}"):
            total = 2 * sum(src.stat().st_size for src in sources)
        meter = _Meter(total, progress, cancel)
        plan = [(src, self._identify(src, meter)) for src in sources]
        for src, spec in plan:
            self._copy_in(src, spec, meter)
        return [spec for _, spec in plan]

    @staticmethod
    def _sources(path: Path) -> list[Path]:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix == ".nemo" and p.is_file())
            if not found:
                raise ModelNotFound(f"There is no .nemo model file in {path}.")
            return found
        if not path.is_file():
            raise ModelNotFound(f"There is no file {path}.")
        return [path]

    def _identify(self, src: Path, meter: _Meter) -> ModelSpec:
        """The manifest entry with this file's size and SHA-256; a wrong size is refused without hashing."""
        with _io_errors(f"read {src}"):
            size = src.stat().st_size
        named = next((spec for spec in self.manifest if spec.file_name == src.name), None)
        if any(spec.size_bytes == size for spec in self.manifest):
            digest = _hash_file(src, meter, size)
            for spec in self.manifest:
                if (spec.size_bytes, spec.sha256) == (size, digest):
                    return spec
        else:
            digest = None
        if named is not None:
            raise _mismatch(src, named, size, digest)
        found = f"{size:,} bytes" + (f", sha256 {digest}" if digest else "")
        raise ModelNotFound(f"{src} is not a model VaultScribe knows ({found}): nothing was imported.")

    def _copy_in(self, src: Path, spec: ModelSpec, meter: _Meter) -> None:
        """Copy and re-hash what is written (the source may change after it was checked), then rename."""
        dest = self.root / spec.file_name
        hasher = hashlib.sha256()
        with _io_errors(f"copy {src} into {self.root}"), _scratch(dest) as tmp:
            with open(src, "rb") as fin, open(tmp, "wb") as fout:
                size = _pump(fin, fout, hasher, meter, spec.size_bytes)
                fout.flush()
                os.fsync(fout.fileno())
            if (size, hasher.hexdigest()) != (spec.size_bytes, spec.sha256):
                raise _mismatch(src, spec, size, hasher.hexdigest())
            self._install(tmp, dest)

    # -- download -----------------------------------------------------------------------

    def download(
        self,
        spec: ModelSpec,
        *,
        consent: bool,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        opener: urllib.request.OpenerDirector | None = None,
        timeout_s: float = DOWNLOAD_TIMEOUT_S,
    ) -> Path:
        """Download ``spec`` into the folder, resuming ``<file>.part`` if an earlier attempt stopped.

        Needs the user's explicit consent: VaultScribe is offline and this is its only network use.
        Progress is bytes over size. Cancel or a dropped connection keeps the .part for next time;
        a SHA-256 mismatch deletes it. The file is renamed into place only once verified.
        """
        self.policy.check_download()
        if not consent:
            raise UsageError(f"Downloading {spec.id} ({spec.size_bytes:,} bytes) needs the user's consent.")
        if spec.url is None:
            raise UsageError(f"{spec.id} cannot be downloaded: import its file instead.")
        _require_secure(spec.url)
        dest = self.root / spec.file_name
        part = self.root / f"{spec.file_name}.part"
        if opener is None:
            # A proxy from the environment is honoured, but never for this computer's own address.
            loopback = urlsplit(spec.url).hostname in _LOOPBACK
            handlers = [urllib.request.ProxyHandler({})] if loopback else []
            opener = urllib.request.build_opener(*handlers)
        meter = _Meter(spec.size_bytes, progress, cancel)
        try:
            size, digest = self._fetch(spec.url, part, spec, meter, opener, timeout_s)
        except (OSError, HTTPException) as exc:
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                raise StorageFull(f"The disk is full: could not download {spec.file_name}.") from exc
            raise ModelDownloadFailed(f"Downloading {spec.id} stopped: {_why(exc)}. Try again to resume.") from exc
        if size < spec.size_bytes:
            raise ModelDownloadFailed(
                f"Downloading {spec.id} stopped after {size:,} of {spec.size_bytes:,} bytes. Try again to resume."
            )
        if (size, digest) != (spec.size_bytes, spec.sha256):
            part.unlink(missing_ok=True)
            raise _mismatch(f"The download from {spec.url}", spec, size, digest)
        with _io_errors(f"install {dest}"):
            self._install(part, dest)
        return dest

    def _fetch(
        self,
        url: str,
        part: Path,
        spec: ModelSpec,
        meter: _Meter,
        opener: urllib.request.OpenerDirector,
        timeout_s: float,
    ) -> tuple[int, str]:
        """Extend ``part`` towards the spec's size; returns its size and the SHA-256 of all of it."""
        hasher = hashlib.sha256()
        offset = part.stat().st_size if part.exists() else 0
        if offset > spec.size_bytes:
            part.unlink()
            offset = 0
        if offset:
            with open(part, "rb") as fh:  # the bytes already here count, so hash them first
                _pump(fh, None, hasher, meter, offset)
        if offset == spec.size_bytes:
            return offset, hasher.hexdigest()
        headers = {"User-Agent": "VaultScribe"} | ({"Range": f"bytes={offset}-"} if offset else {})
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the scheme was checked by _require_secure
        with opener.open(request, timeout=timeout_s) as response:
            _require_secure(response.geturl())  # a redirect must not downgrade to plain http
            if offset and response.status != 206:  # the server ignored Range: start again from byte 0
                offset, hasher, meter.done = 0, hashlib.sha256(), 0
            with open(part, "ab" if offset else "wb") as fh:
                received = _pump(response, fh, hasher, meter, spec.size_bytes - offset)
                fh.flush()
                os.fsync(fh.fileno())
        return offset + received, hasher.hexdigest()
