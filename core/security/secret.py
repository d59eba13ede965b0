"""Key material held in a bytearray, so it can be zeroed when the vault locks.

Python may still have copied the bytes (``bytes(...)`` for a C call); zeroing
what we own shrinks the window, it does not close it. SECURITY.md says so.
"""

from __future__ import annotations


class SecretKey:
    __slots__ = ("_buf",)

    def __init__(self, material: bytes | bytearray) -> None:
        if len(material) != 32:
            raise ValueError("keys are 32 bytes")
        self._buf = bytearray(material)

    def reveal(self) -> bytes:
        if not any(self._buf):
            raise ValueError("key was wiped")
        return bytes(self._buf)

    def hex(self) -> str:
        return self.reveal().hex()

    def wipe(self) -> None:
        for i in range(len(self._buf)):
            self._buf[i] = 0

    @property
    def wiped(self) -> bool:
        return not any(self._buf)

    def __repr__(self) -> str:  # never print key bytes
        return "SecretKey(<redacted>)"
