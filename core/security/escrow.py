"""Recovery escrow: a vault's recovery code sealed to the administrator's X25519 public key.

Sealed-box style, so only the holder of the private key can open it and the vault needs no
secret to write it:

    ephemeral X25519 key pair (from the injected Random), ECDH with the escrow public key
    HKDF-SHA256(shared, salt = ephemeral public || escrow public,
                info = "vaultscribe/v1/escrow/" + vault id)          -> AES-256-GCM key
    AES-256-GCM(recovery code), AAD = every other field of the blob  -> ct

The blob is a small canonical JSON document, versioned and self-describing (magic, version, suite).
Its AAD binds the vault id, the escrow key's fingerprint and the salt of the recovery slot the code
opens, so a blob moved to another vault, re-labelled for another key or an older code does not
open. Anyone with the public key could seal a blob of their own, but what it holds is only ever
used as a recovery code, which must still open the vault's recovery slot.

Failures to parse or open raise ``EscrowRejected`` with a reason for the audit log; the session
turns it into the same opaque ``AuthFailed`` as a wrong recovery code. Nothing here touches the
disk except ``save_private_key``, which writes the file ``vaultscribe escrow keygen`` asks for.
"""

from __future__ import annotations

import base64
import binascii
import errno
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.clock import Random
from core.errors import AuthFailed, BadInput
from core.security import recovery
from core.security.kdf import hkdf

MAGIC = "VaultScribe-escrow"
VERSION = 1
SUITE = "X25519-HKDF-SHA256-AES-256-GCM"
MAX_BLOB_BYTES = 8 * 1024
_INFO = b"vaultscribe/v1/escrow/"
_FIELDS = {
    "magic",
    "version",
    "suite",
    "vault_id",
    "recovery_salt",
    "key_fingerprint",
    "sealed_ms",
    "epk",
    "nonce",
    "ct",
}


class EscrowRejected(AuthFailed):
    """The blob cannot be parsed or opened with this key. ``reason`` is for the audit log only."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, *, size: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise EscrowRejected("escrow_malformed")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise EscrowRejected("escrow_malformed") from None
    if size is not None and len(raw) != size:
        raise EscrowRejected("escrow_malformed")
    return raw


def _canonical(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class EscrowPublicKey:
    """The key the policy names (``recovery_escrow_public_key``): 32 raw bytes, shown as base64."""

    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != 32:
            raise ValueError("an X25519 public key is 32 bytes")

    @classmethod
    def from_base64(cls, text: str) -> EscrowPublicKey:
        try:
            return cls(base64.b64decode(text, validate=True))
        except (ValueError, binascii.Error):
            raise BadInput("The escrow public key is not a base64 X25519 key (32 bytes).") from None

    def to_base64(self) -> str:
        return _b64(self.raw)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the raw key, in hex: names the key in the blob, in status and in the audit log."""
        return hashlib.sha256(self.raw).hexdigest()


class EscrowPrivateKey:
    """IT's private key. Generated from injected randomness; loaded from PEM (PKCS#8) or raw base64."""

    __slots__ = ("_key",)

    def __init__(self, key: X25519PrivateKey) -> None:
        self._key = key

    @classmethod
    def generate(cls, rng: Random) -> EscrowPrivateKey:
        return cls(X25519PrivateKey.from_private_bytes(rng.bytes(32)))

    @classmethod
    def load(cls, data: bytes) -> EscrowPrivateKey:
        """The contents of a key file; raises BadInput if they are not an unencrypted X25519 private key."""
        text = data.strip()
        try:
            if text.startswith(b"-----BEGIN"):
                key = serialization.load_pem_private_key(text, password=None)
                if isinstance(key, X25519PrivateKey):
                    return cls(key)
            else:
                raw = base64.b64decode(text, validate=True)
                if len(raw) == 32:
                    return cls(X25519PrivateKey.from_private_bytes(raw))
        except (ValueError, TypeError, UnsupportedAlgorithm, binascii.Error):
            pass
        raise BadInput("That file is not an unencrypted X25519 private key (PEM or base64).")

    def public_key(self) -> EscrowPublicKey:
        return EscrowPublicKey(self._key.public_key().public_bytes_raw())

    def to_pem(self) -> bytes:
        return self._key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def exchange(self, peer: bytes) -> bytes:
        try:
            return self._key.exchange(X25519PublicKey.from_public_bytes(peer))
        except ValueError:  # a low-order point gives an all-zero secret, which cryptography refuses
            raise EscrowRejected("escrow_malformed") from None

    def __repr__(self) -> str:  # never print key bytes
        return "EscrowPrivateKey(<redacted>)"


def save_private_key(path: Path, key: EscrowPrivateKey) -> None:
    """Write a new private key file, 0600; never over an existing file (raises BadInput)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BadInput(f"{path} already exists: VaultScribe never overwrites a key file.") from None
    except OSError as exc:
        raise BadInput(f"Could not create {path}: {exc.strerror}") from None
    try:
        os.write(fd, key.to_pem())
        os.fsync(fd)
    except OSError as exc:
        os.close(fd)
        path.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise BadInput(f"The disk is full: could not write {path}.") from None
        raise BadInput(f"Could not write {path}: {exc.strerror}") from None
    os.close(fd)


def _key_material(shared: bytes, epk: bytes, recipient: bytes, vault_id: str) -> bytes:
    return hkdf(shared, salt=epk + recipient, info=_INFO + vault_id.encode())


@dataclass(frozen=True)
class EscrowBlob:
    """One sealed recovery code; its public fields can be read without the private key."""

    vault_id: str
    recovery_salt: bytes  # of the recovery slot this code opens: which code of the vault it is
    key_fingerprint: str
    sealed_ms: int
    epk: bytes
    nonce: bytes
    ct: bytes

    def _public(self) -> dict[str, Any]:
        return {
            "magic": MAGIC,
            "version": VERSION,
            "suite": SUITE,
            "vault_id": self.vault_id,
            "recovery_salt": _b64(self.recovery_salt),
            "key_fingerprint": self.key_fingerprint,
            "sealed_ms": self.sealed_ms,
            "epk": _b64(self.epk),
            "nonce": _b64(self.nonce),
        }

    def aad(self) -> bytes:
        return _canonical(self._public())

    def to_bytes(self) -> bytes:
        return json.dumps({**self._public(), "ct": _b64(self.ct)}, sort_keys=True, indent=1).encode() + b"\n"

    @classmethod
    def from_bytes(cls, raw: bytes) -> EscrowBlob:
        if len(raw) > MAX_BLOB_BYTES:
            raise EscrowRejected("escrow_malformed")
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise EscrowRejected("escrow_malformed") from None
        if not isinstance(doc, dict) or set(doc) != _FIELDS or doc["magic"] != MAGIC:
            raise EscrowRejected("escrow_malformed")
        if doc["version"] != VERSION or doc["suite"] != SUITE:
            raise EscrowRejected("escrow_unsupported")
        vault_id, fingerprint, sealed_ms = doc["vault_id"], doc["key_fingerprint"], doc["sealed_ms"]
        if not isinstance(vault_id, str) or not 8 <= len(vault_id) <= 64:
            raise EscrowRejected("escrow_malformed")
        if not isinstance(fingerprint, str) or len(fingerprint) != 64:
            raise EscrowRejected("escrow_malformed")
        if not isinstance(sealed_ms, int) or isinstance(sealed_ms, bool):
            raise EscrowRejected("escrow_malformed")
        ct = _unb64(doc["ct"])
        if not 16 < len(ct) <= 256:
            raise EscrowRejected("escrow_malformed")
        return cls(
            vault_id,
            _unb64(doc["recovery_salt"], size=16),
            fingerprint,
            sealed_ms,
            _unb64(doc["epk"], size=32),
            _unb64(doc["nonce"], size=12),
            ct,
        )

    def open(self, private_key: EscrowPrivateKey, *, vault_id: str) -> str:
        """The recovery code, in its printed form; raises EscrowRejected (reason for the audit log)."""
        if self.vault_id != vault_id:
            raise EscrowRejected("escrow_other_vault")
        public = private_key.public_key()
        if self.key_fingerprint != public.fingerprint:
            raise EscrowRejected("escrow_key_mismatch")
        key = _key_material(private_key.exchange(self.epk), self.epk, public.raw, vault_id)
        try:
            plain = AESGCM(key).decrypt(self.nonce, self.ct, self.aad())
        except InvalidTag:
            raise EscrowRejected("escrow_rejected") from None
        try:
            code = plain.decode("ascii")
            recovery.normalize(code)
        except (UnicodeDecodeError, ValueError):
            raise EscrowRejected("escrow_malformed") from None
        return code


def seal(
    code: str, *, public_key: EscrowPublicKey, vault_id: str, recovery_salt: bytes, now_ms: int, rng: Random
) -> EscrowBlob:
    """Seal a recovery code (as printed to the user) for the holder of ``public_key``'s private key."""
    recovery.normalize(code)  # raises ValueError: only a recovery code is ever sealed
    ephemeral = X25519PrivateKey.from_private_bytes(rng.bytes(32))
    epk = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key.raw))
    blob = EscrowBlob(vault_id, recovery_salt, public_key.fingerprint, now_ms, epk, rng.bytes(12), b"")
    key = _key_material(shared, epk, public_key.raw, vault_id)
    ct = AESGCM(key).encrypt(blob.nonce, code.encode("ascii"), blob.aad())
    return EscrowBlob(vault_id, recovery_salt, public_key.fingerprint, now_ms, epk, blob.nonce, ct)
