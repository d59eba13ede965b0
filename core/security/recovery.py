"""Recovery codes: 140 random bits in Crockford base32, in groups of four.

Easy to print and to type back: case does not matter, dashes and spaces are
ignored, and the letters O, I and L read as 0, 1 and 1.
"""

from __future__ import annotations

from core.clock import Random

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
GROUPS = 7
GROUP_LEN = 4
BITS = GROUPS * GROUP_LEN * 5  # 140
_READ_AS = {"O": "0", "I": "1", "L": "1"}


def generate(rng: Random) -> str:
    value = int.from_bytes(rng.bytes((BITS + 7) // 8), "big") >> ((8 - BITS % 8) % 8)
    chars = []
    for _ in range(GROUPS * GROUP_LEN):
        chars.append(ALPHABET[value & 31])
        value >>= 5
    text = "".join(reversed(chars))
    return "-".join(text[i : i + GROUP_LEN] for i in range(0, len(text), GROUP_LEN))


def normalize(code: str) -> str:
    """Canonical form used as the KDF input; raises ValueError if it cannot be a code."""
    cleaned = "".join(ch for ch in code.upper() if ch not in " -\t\r\n")
    cleaned = "".join(_READ_AS.get(ch, ch) for ch in cleaned)
    if len(cleaned) != GROUPS * GROUP_LEN or any(ch not in ALPHABET for ch in cleaned):
        raise ValueError("not a recovery code")
    return cleaned
