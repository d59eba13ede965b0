"""Key material held in a bytearray, so it can be zeroed when the vault locks.

C APIs (OpenSSL through cryptography, SQLCipher through its SQL) take immutable
``bytes`` and ``str``. Each key therefore hands out one immutable copy of
itself, and one hex copy, made on first use and zeroed in place with it: a
freed Python object keeps its bytes until the allocator reuses the memory, so
dropping a copy is not enough. Transient copies (an unwrapped key, a key clause
of SQL) go through ``wipe_immutable`` as soon as they are spent.

This is best effort: a library may still make copies of its own. The test in
tests/core/test_memory_hygiene.py reads a locked process's memory to show what
is left; SECURITY.md says what is covered.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
from collections.abc import Iterator
from typing import Protocol

_CPYTHON = sys.implementation.name == "cpython"
_BYTES_DATA = bytes.__basicsize__ - 1  # offset of ob_sval in a PyBytesObject
_ASCII_DATA = sys.getsizeof("") - 1  # offset of the data of a compact ASCII str


class _Random(Protocol):
    def bytes(self, n: int) -> bytes: ...


def wipe_immutable(value: bytes | str) -> None:
    """Zero the contents of a ``bytes`` or ASCII ``str`` object in place.

    Only for objects this code created and no one else shares (CPython caches
    the empty and one-character ones; those are left alone). After the call the
    object reads as zeros. A no-op on other Python implementations.
    """
    if not _CPYTHON or len(value) < 2:
        return
    if isinstance(value, bytes):
        ctypes.memset(id(value) + _BYTES_DATA, 0, len(value))
    elif value.isascii():
        ctypes.memset(id(value) + _ASCII_DATA, 0, len(value))
    else:
        raise ValueError("only ASCII text can be wiped in place")


class SecretKey:
    __slots__ = ("_buf", "_hex", "_plain")

    def __init__(self, material: bytes | bytearray) -> None:
        if len(material) != 32:
            raise ValueError("keys are 32 bytes")
        self._buf = bytearray(material)
        self._plain: bytes | None = None
        self._hex: str | None = None

    @classmethod
    def generate(cls, rng: _Random) -> SecretKey:
        return cls.take(rng.bytes(32))

    @classmethod
    def take(cls, material: bytes) -> SecretKey:
        """Own ``material`` (a fresh, unshared ``bytes``, e.g. just unwrapped) and zero the original."""
        key = cls(material)
        wipe_immutable(material)
        return key

    def reveal(self) -> bytes:
        """The key as ``bytes``: the same object every time, zeroed by ``wipe``."""
        if self.wiped:
            raise ValueError("key was wiped")
        if self._plain is None:
            self._plain = bytes(self._buf)
        return self._plain

    def hex(self) -> str:
        if self._hex is None:
            self._hex = self.reveal().hex()
        return self._hex

    def wipe(self) -> None:
        for i in range(len(self._buf)):
            self._buf[i] = 0
        for copy in (self._plain, self._hex):
            if copy is not None:
                wipe_immutable(copy)
        self._plain = self._hex = None

    @property
    def wiped(self) -> bool:
        return not any(self._buf)

    def __repr__(self) -> str:  # never print key bytes
        return "SecretKey(<redacted>)"


@contextlib.contextmanager
def raw_key(key: SecretKey) -> Iterator[bytearray]:
    """``x'<hex>'``, SQLCipher's spelling of a raw key, in a ``bytearray`` zeroed after use.

    For ``Connection.set_key`` (``sqlite3_key``), which reads it in place: SQLCipher copies it into
    memory it wipes itself. A ``PRAGMA key`` statement would leave the hex in SQLite's own freed
    memory (the statement's text, the pragma's argument), which only ``cipher_memory_security``
    wipes, and that is off unless the policy turns it on.
    """
    hexed = key.hex()  # the key's own hex copy, zeroed with it
    clause = bytearray(len(hexed) + 3)
    clause[:2], clause[-1:] = b"x'", b"'"
    for i, digit in enumerate(hexed):  # one byte at a time: no immutable copy of the whole
        clause[2 + i] = ord(digit)
    try:
        yield clause
    finally:
        clause[:] = bytes(len(clause))


@contextlib.contextmanager
def key_clause(template: str, key: SecretKey) -> Iterator[str]:
    """SQL with the key's hex in place of ``{key}`` (e.g. ``PRAGMA key = "x'{key}'"``), wiped after use.

    sqlite3 keeps the statement's text in its statement cache, so the text is
    zeroed in place rather than merely dropped.
    """
    before, _, after = template.partition("{key}")
    sql = "".join((before, key.hex(), after))
    try:
        yield sql
    finally:
        wipe_immutable(sql)
