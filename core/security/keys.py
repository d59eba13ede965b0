"""The key hierarchy, in one place.

    passphrase --Argon2id--+
                           +--HKDF--> primary KEK --wraps--> VMK
    device secret (keyring)+
    recovery code --Argon2id--HKDF--> recovery KEK --wraps--> VMK
    VMK --wraps--> DEK (the SQLCipher raw key)
    VMK --HKDF--> header MAC key
    VMK --HKDF--> audit-chain MAC key (not the DEK: holding the database key is not enough to rewrite it)
    VMK + device secret --HKDF--> TOTP-secret key
    DEK --HKDF--> recording-key wrapping key

Nothing here touches the disk.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.clock import Random
from core.security.header import Header, Slot, UnwrapFailed, Wrapped, unwrap, wrap
from core.security.kdf import Argon2Params, argon2id, hkdf, normalize_secret
from core.security.secret import SecretKey, wipe_immutable

_INFO = b"vaultscribe/v1/"


def primary_kek(passphrase: str, device_secret: bytes, *, salt: bytes, params: Argon2Params, vault_id: str) -> bytes:
    secret = normalize_secret(passphrase)
    try:
        stretched = argon2id(secret, salt=salt, params=params)
    finally:
        secret[:] = bytes(len(secret))
    try:
        with _joined(stretched, device_secret) as material:
            return hkdf(material, info=_INFO + b"primary-kek/" + vault_id.encode())
    finally:
        wipe_immutable(stretched)


def recovery_kek(normalized_code: str, *, salt: bytes, params: Argon2Params, vault_id: str) -> bytes:
    stretched = argon2id(normalized_code.encode("ascii"), salt=salt, params=params)
    try:
        return hkdf(stretched, info=_INFO + b"recovery-kek/" + vault_id.encode())
    finally:
        wipe_immutable(stretched)


def header_mac_key(vmk: SecretKey) -> bytes:
    return hkdf(vmk.reveal(), info=_INFO + b"header-mac")


def audit_mac_key(vmk: SecretKey) -> bytes:
    return hkdf(vmk.reveal(), info=_INFO + b"audit-mac")


def totp_key(vmk: SecretKey, device_secret: bytes) -> bytes:
    with _joined(vmk.reveal(), device_secret) as material:
        return hkdf(material, info=_INFO + b"totp-secret")


def recording_wrap_key(dek: SecretKey) -> bytes:
    return hkdf(dek.reveal(), info=_INFO + b"recording-keys")


def make_slot(
    header: Header, kind: str, kek: bytes, vmk: SecretKey, *, salt: bytes, params: Argon2Params, rng: Random
) -> Slot:
    aad = header.slot_aad(kind, salt, params)
    return Slot(kind, salt, params, wrap(kek, vmk.reveal(), aad=aad, rng=rng))


def open_slot(header: Header, slot: Slot, kek: bytes) -> SecretKey:
    """Unwrap the VMK; raises header.UnwrapFailed on a wrong key or an altered header."""
    raw = unwrap(kek, slot.wrapped, aad=header.slot_aad(slot.kind, slot.salt, slot.kdf))
    try:
        return SecretKey(raw)
    finally:
        raw[:] = bytes(len(raw))


def wrap_dek(header: Header, vmk: SecretKey, dek: SecretKey, *, rng: Random) -> Wrapped:
    return wrap(vmk.reveal(), dek.reveal(), aad=header.dek_aad(), rng=rng)


def open_dek(header: Header, vmk: SecretKey) -> SecretKey:
    raw = unwrap(vmk.reveal(), header.dek, aad=header.dek_aad())
    try:
        return SecretKey(raw)
    finally:
        raw[:] = bytes(len(raw))


def seal_blob(key: bytes, plaintext: bytes, *, aad: bytes, rng: Random) -> bytes:
    """A small secret (a TOTP seed, a per-recording key) sealed for a database row: nonce || ct."""
    nonce = rng.bytes(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_blob(key: bytes, sealed: bytes, *, aad: bytes) -> bytearray:
    """Raises header.UnwrapFailed if the key is wrong or the row was altered."""
    try:
        plain = AESGCM(key).decrypt(sealed[:12], sealed[12:], aad)
    except (InvalidTag, ValueError) as exc:
        raise UnwrapFailed() from exc
    try:
        return bytearray(plain)
    finally:
        wipe_immutable(plain)


@contextlib.contextmanager
def _joined(*parts: bytes) -> Iterator[bytearray]:
    """Key material concatenated in a buffer that is zeroed after use (``a + b`` would leave a copy)."""
    material = bytearray().join(parts)
    try:
        yield material
    finally:
        material[:] = bytes(len(material))
