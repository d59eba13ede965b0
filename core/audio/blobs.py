"""Encrypted audio blobs: fixed-size chunks of AES-256-GCM, appended and read at random.

    file   = header || chunk 0 || chunk 1 || … || final chunk
    header = b"VSBLOB\\x00\\x01" || chunk_size (u32 BE) || 4 zero bytes
    chunk  = AES-256-GCM(blob key, nonce, plaintext, aad) — ciphertext || 16-byte tag
    nonce  = index (u64 BE) || final (u8) || 3 zero bytes
    aad    = header || recording id || index (u64 BE) || final (u8)

Every chunk but the last holds exactly ``chunk_size`` plaintext bytes, so chunk
``i`` starts at ``16 + i * (chunk_size + 16)`` and playback and ASR can seek
without decrypting anything before it. The last chunk is flagged final and may
be shorter, even empty. Binding the index and the final flag detects
reordering and truncation; binding the recording id and deriving a key per
blob (HKDF of the recording's key and the blob's random file name) detects
chunks swapped between recordings or blobs. Nonces are never reused: chunks
are only appended, each (key, index, final) is encrypted once.

A writer that dies leaves whole chunks and at most one torn one;
``recover_unfinished`` cuts the torn tail and seals the blob with an empty
final chunk. Nothing here ever writes plaintext to disk.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.errors import StorageFull, VaultCorrupt, VaultError
from core.fsutil import fsync_dir
from core.security.kdf import hkdf

MAGIC = b"VSBLOB\x00\x01"
HEADER = struct.Struct(">8sII")
HEADER_SIZE = HEADER.size  # 16
TAG = 16
DEFAULT_CHUNK = 1 << 20  # 1 MiB of plaintext per chunk
MAX_CHUNK = 64 << 20


class BlobCorrupt(VaultCorrupt):
    """A blob failed its integrity check: altered, truncated, reordered or swapped."""


def blob_key(recording_key: bytes, blob_name: str) -> bytes:
    """Each blob of a recording (original bytes, PCM, redacted copy) gets its own key."""
    return hkdf(recording_key, info=b"vaultscribe/v1/blob/" + blob_name.encode())


def _nonce(index: int, final: bool) -> bytes:
    return struct.pack(">QB3x", index, final)


def _aad(header: bytes, recording_id: str, index: int, final: bool) -> bytes:
    return header + recording_id.encode() + struct.pack(">QB", index, final)


def _io_error(exc: OSError, path: Path) -> VaultError:
    if exc.errno == errno.ENOSPC:
        return StorageFull(f"The disk is full: could not write audio to {path.name}.")
    return VaultError(f"Could not write {path.name}: {exc.strerror}")


class BlobWriter:
    """Appends plaintext; encrypts and writes each chunk as soon as it is full.

    ``sync=True`` fsyncs after every chunk (recording: a chunk of at most 2 s
    of audio, so a crash loses at most that). ``close()`` writes the final
    chunk and fsyncs; ``abort()`` removes the file.
    """

    def __init__(
        self,
        path: Path,
        recording_key: bytes,
        *,
        recording_id: str,
        chunk_size: int = DEFAULT_CHUNK,
        sync: bool = False,
    ) -> None:
        if not 1 <= chunk_size <= MAX_CHUNK:
            raise ValueError("chunk size out of range")
        self.path = path
        self._aead = AESGCM(blob_key(recording_key, path.name))
        self._recording_id = recording_id
        self._chunk_size = chunk_size
        self._sync = sync
        self._header = HEADER.pack(MAGIC, chunk_size, 0)
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        self.plaintext_bytes = 0
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            self._write(self._header)
            if sync:  # a live recording: its name must survive a power cut too, not only its chunks
                os.fsync(self._fd)
                fsync_dir(path.parent)
        except OSError as exc:
            raise _io_error(exc, path) from exc

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._closed:
            raise ValueError("blob is closed")
        view = memoryview(data).cast("B")
        self.plaintext_bytes += len(view)
        # Encrypt straight from the caller's memory where whole chunks allow it: copying
        # 1 MiB chunks through fresh buffers cost 5x the encryption itself.
        if self._buffer:
            fill = min(len(view), self._chunk_size - len(self._buffer))
            self._buffer += view[:fill]
            view = view[fill:]
            if len(self._buffer) == self._chunk_size:
                self._emit(self._buffer, final=False)
                self._buffer = bytearray()
        while len(view) >= self._chunk_size:
            self._emit(view[: self._chunk_size], final=False)
            view = view[self._chunk_size :]
        self._buffer += view

    def close(self) -> None:
        """Seal the blob: the rest of the buffer becomes the final chunk."""
        if self._closed:
            return
        self._emit(bytes(self._buffer), final=True)
        self._buffer.clear()
        try:
            os.fsync(self._fd)
        except OSError as exc:
            raise _io_error(exc, self.path) from exc
        finally:
            os.close(self._fd)
            self._closed = True
        fsync_dir(self.path.parent)

    def abort(self) -> None:
        """Throw the blob away (a failed import leaves nothing behind)."""
        if not self._closed:
            os.close(self._fd)
            self._closed = True
        self._buffer[:] = bytes(len(self._buffer))
        self.path.unlink(missing_ok=True)

    def _emit(self, plaintext: bytes | bytearray | memoryview, *, final: bool) -> None:
        ct = self._aead.encrypt(
            _nonce(self._index, final), plaintext, _aad(self._header, self._recording_id, self._index, final)
        )
        try:
            self._write(ct)
            if self._sync and not final:
                os.fsync(self._fd)
        except OSError as exc:
            raise _io_error(exc, self.path) from exc
        self._index += 1

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]

    def __enter__(self) -> BlobWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class BlobReader(io.RawIOBase):
    """Random-access, read-only view of a sealed blob's plaintext; a file-like object for PyAV.

    Holds one decrypted chunk in memory at a time.
    """

    def __init__(self, path: Path, recording_key: bytes, *, recording_id: str) -> None:
        super().__init__()
        self.path = path
        self._aead = AESGCM(blob_key(recording_key, path.name))
        self._recording_id = recording_id
        self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        try:
            self._header = self._file.read(HEADER_SIZE)
            self._chunk_size = _parse_header(self._header, path)
            body = os.fstat(self._file.fileno()).st_size - HEADER_SIZE
            stride = self._chunk_size + TAG
            self._chunks = max(1, -(-body // stride))
            last = body - (self._chunks - 1) * stride
            if body < TAG or last < TAG:
                raise self._corrupt("it is truncated: the file was cut short")
            self._size = (self._chunks - 1) * self._chunk_size + last - TAG
            self._pos = 0
            self._cached: tuple[int, bytes] | None = None
            self._check_end()  # the final flag proves nothing was cut off
        except BaseException:
            self._file.close()
            raise

    @property
    def size(self) -> int:
        return self._size

    def _corrupt(self, why: str) -> BlobCorrupt:
        return BlobCorrupt(f"The audio file {self.path.name} failed its integrity check: {why}.")

    def _check_end(self) -> None:
        """Open the final chunk, and if it fails, say which of the usual causes it is (issue 22): the
        file cut at a chunk's edge, another blob put in its place, or bytes changed (or cut) at its end."""
        last = self._chunks - 1
        if self._decrypt(last, final=True) is not None:
            return
        if self._decrypt(last, final=False) is not None:
            raise self._corrupt(f"the end is missing: the file was cut short after chunk {last}")
        if last > 0 and self._decrypt(0, final=False) is None:
            raise self._corrupt("it is not this recording's audio: another file was put in its place")
        raise self._corrupt(
            "its last chunk was altered (bytes were changed) or cut short"
            if last
            else "its bytes were changed or cut short, or it is another recording's audio"
        )

    def _decrypt(self, index: int, *, final: bool) -> bytes | None:
        stride = self._chunk_size + TAG
        self._file.seek(HEADER_SIZE + index * stride)
        ct = self._file.read(stride)
        try:
            return self._aead.decrypt(_nonce(index, final), ct, _aad(self._header, self._recording_id, index, final))
        except InvalidTag:
            return None

    def _chunk(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        plain = self._decrypt(index, final=index == self._chunks - 1)
        if plain is None:  # the final chunk opened when the reader did: this is this recording's blob
            raise self._corrupt(f"chunk {index} was altered (bytes were changed) or moved within the file")
        self._cached = (index, plain)
        return plain

    def read_at(self, offset: int, size: int) -> bytes:
        out = bytearray()
        end = min(self._size, offset + size)
        while offset < end:
            index, within = divmod(offset, self._chunk_size)
            piece = self._chunk(index)[within : within + end - offset]
            out += piece
            offset += len(piece)
        return bytes(out)

    # -- io.RawIOBase -------------------------------------------------------

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read_at(self._pos, len(buffer))
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        with contextlib.suppress(AttributeError):
            self._file.close()
        self._cached = None
        super().close()


def _parse_header(header: bytes, path: Path) -> int:
    if len(header) != HEADER_SIZE:
        raise BlobCorrupt(f"The audio file {path.name} failed its integrity check: it is truncated.")
    magic, chunk_size, reserved = HEADER.unpack(header)
    if magic != MAGIC or reserved != 0 or not 1 <= chunk_size <= MAX_CHUNK:
        raise BlobCorrupt(f"The audio file {path.name} is not a VaultScribe audio blob.")
    return int(chunk_size)


def recover_unfinished(path: Path, recording_key: bytes, *, recording_id: str) -> int:
    """Seal a blob whose writer died: keep every whole chunk, drop a torn tail.

    Returns the plaintext bytes kept. A blob that is already sealed is left as it is.
    """
    with contextlib.suppress(BlobCorrupt), BlobReader(path, recording_key, recording_id=recording_id) as reader:
        return reader.size
    aead = AESGCM(blob_key(recording_key, path.name))
    with open(path, "r+b") as fh:
        header = fh.read(HEADER_SIZE)
        chunk_size = _parse_header(header, path)
        stride = chunk_size + TAG
        index = 0
        while True:
            ct = fh.read(stride)
            if len(ct) < stride:
                break
            try:
                aead.decrypt(_nonce(index, False), ct, _aad(header, recording_id, index, False))
            except InvalidTag:
                break
            index += 1
        fh.seek(HEADER_SIZE + index * stride)
        fh.truncate()
        fh.write(aead.encrypt(_nonce(index, True), b"", _aad(header, recording_id, index, True)))
        fh.flush()
        os.fsync(fh.fileno())
    return index * chunk_size
