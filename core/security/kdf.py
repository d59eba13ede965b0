"""Key derivation: Argon2id for human secrets, HKDF-SHA256 to combine and separate keys."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.security.secret import wipe_immutable

#: The floor the issue sets: never weaker than 64 MiB and t=3.
MIN_MEMORY_KIB = 64 * 1024
MIN_TIME_COST = 3


@dataclass(frozen=True)
class Argon2Params:
    memory_kib: int = 512 * 1024  # about 1 s on the 2-core reference machine
    time_cost: int = 3
    parallelism: int = 4

    def to_json(self) -> dict[str, object]:
        return {
            "alg": "argon2id",
            "m_kib": self.memory_kib,
            "t": self.time_cost,
            "p": self.parallelism,
        }

    @classmethod
    def from_json(cls, data: object) -> Argon2Params:
        if not isinstance(data, dict) or data.get("alg") != "argon2id":
            raise ValueError("unknown KDF")
        m, t, p = data.get("m_kib"), data.get("t"), data.get("p")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (m, t, p)):
            raise ValueError("bad KDF parameters")
        assert isinstance(m, int) and isinstance(t, int) and isinstance(p, int)
        # bounds keep a hostile header from asking for terabytes or years
        # and Argon2 itself needs 8 KiB per lane, or it raises its own HashingError at unlock
        if not (8 <= m <= 4 * 1024 * 1024 and 1 <= t <= 64 and 1 <= p <= 64 and m >= 8 * p):
            raise ValueError("KDF parameters out of range")
        return cls(memory_kib=m, time_cost=t, parallelism=p)

    @property
    def meets_floor(self) -> bool:
        return self.memory_kib >= MIN_MEMORY_KIB and self.time_cost >= MIN_TIME_COST


#: For tests only: fast and deliberately below the floor.
TEST_PARAMS = Argon2Params(memory_kib=8 * 1024, time_cost=1, parallelism=1)


def normalize_secret(text: str) -> bytearray:
    """The same passphrase typed on any keyboard gives the same bytes: in a buffer the caller zeroes once
    it is stretched (the encoded copy it was made from is zeroed here)."""
    encoded = unicodedata.normalize("NFKC", text).encode("utf-8")
    try:
        return bytearray(encoded)
    finally:
        wipe_immutable(encoded)


def argon2id(secret: bytes | bytearray, *, salt: bytes, params: Argon2Params) -> bytes:
    """argon2-cffi takes ``bytes``: a buffer's copy for it is zeroed afterwards (the buffer is the caller's)."""
    data = bytes(secret) if isinstance(secret, bytearray) else secret
    try:
        return hash_secret_raw(
            data,
            salt,
            time_cost=params.time_cost,
            memory_cost=params.memory_kib,
            parallelism=params.parallelism,
            hash_len=32,
            type=Type.ID,
        )
    finally:
        if data is not secret:
            wipe_immutable(data)


def hkdf(ikm: bytes | bytearray, *, info: bytes, salt: bytes | None = None) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)
