"""TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s steps).

Verification accepts the current step and one either side, and never accepts
a step at or before the last one accepted, so a code cannot be replayed. Time
is an argument, never read here.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP

DIGITS = 6
STEP_S = 30
ISSUER = "VaultScribe"


class TotpRejected(Exception):
    """Internal: the code is wrong or replayed. Unlock turns it into AuthFailed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class TotpSecret:
    key: bytes  # 20 random bytes, as authenticator apps expect

    def _totp(self) -> TOTP:
        # RFC 6238 and every authenticator app use HMAC-SHA1 here; it is not a collision use.
        return TOTP(self.key, DIGITS, SHA1(), STEP_S, enforce_key_length=True)  # noqa: S303

    @property
    def base32(self) -> str:
        return base64.b32encode(self.key).decode("ascii").rstrip("=")

    def uri(self, account: str) -> str:
        return self._totp().get_provisioning_uri(account, ISSUER)

    def code_at(self, unix_s: int) -> str:
        return self._totp().generate(unix_s).decode("ascii")

    def verify(self, code: str, *, now_s: int, last_step: int) -> int:
        """Return the accepted time step, or raise TotpRejected."""
        code = code.strip().replace(" ", "")
        # isascii(): str.isdigit() is also true for fullwidth, Arabic-Indic and
        # superscript digits, which would fail the ASCII encoding below.
        if len(code) != DIGITS or not code.isascii() or not code.isdigit():
            raise TotpRejected("totp_malformed")
        totp = self._totp()
        current = now_s // STEP_S
        matched = None
        for step in (current - 1, current, current + 1):
            try:
                totp.verify(code.encode("ascii"), step * STEP_S)
            except InvalidToken:
                continue
            matched = step
            break
        if matched is None:
            raise TotpRejected("totp_wrong")
        if matched <= last_step:
            raise TotpRejected("totp_replayed")
        return matched


def qr_png(uri: str, *, scale: int = 6) -> bytes:
    """The enrolment QR code as PNG bytes, in memory: never written to disk."""
    import segno

    buf = io.BytesIO()
    segno.make(uri, error="m").save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()


def qr_text(uri: str) -> str:
    """The QR code drawn with block characters, for a terminal."""
    import segno

    buf = io.StringIO()
    segno.make(uri, error="m").terminal(out=buf, compact=True)
    return buf.getvalue()
