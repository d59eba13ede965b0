"""The vault header: a small versioned JSON file beside the database.

It holds keyslots that each wrap the vault master key (VMK) with AES-256-GCM,
and the data key (DEK, the SQLCipher key) wrapped by the VMK. Each GCM tag
binds the header's identity and that slot's own fields as associated data, and
an HMAC under a key derived from the VMK covers every byte of the header, so
changing any byte makes unlock fail. Slots wrap the VMK rather than the DEK so
the data key can rotate without the recovery code, and each slot can be
re-wrapped without the other slot's secret.

This module never sees a plaintext key on disk: it parses, serialises and
wraps; the caller holds the keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, field, replace
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.clock import Random
from core.security.kdf import Argon2Params
from core.security.secret import wipe_immutable

MAGIC = "VaultScribe-header"
VERSION = 1
SLOT_KINDS = ("primary", "recovery")
MAX_HEADER_BYTES = 64 * 1024
#: ``Header.audit`` of a vault whose audit chain is MAC'd and sealed (core.audit). Headers written before
#: that have no such field; the MAC covers it, so a vault cannot be made to look unkeyed again.
AUDIT_KEYED = "hmac-sha256-sealed"


class HeaderInvalid(Exception):
    """Internal: the header cannot be parsed. Callers turn it into AuthFailed/VaultCorrupt."""


class UnwrapFailed(Exception):
    """Internal: a GCM tag did not verify (wrong key or altered header)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _canonical(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


def _hmac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def _unb64(value: object, *, size: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise HeaderInvalid("expected base64 text")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise HeaderInvalid("bad base64") from exc
    if size is not None and len(raw) != size:
        raise HeaderInvalid("wrong field length")
    return raw


@dataclass(frozen=True)
class Wrapped:
    nonce: bytes
    ciphertext: bytes  # the 32-byte key plus the 16-byte tag

    def to_json(self) -> dict[str, str]:
        return {"nonce": _b64(self.nonce), "ct": _b64(self.ciphertext)}

    @classmethod
    def from_json(cls, data: object) -> Wrapped:
        if not isinstance(data, dict):
            raise HeaderInvalid("wrapped key must be an object")
        return cls(_unb64(data.get("nonce"), size=12), _unb64(data.get("ct"), size=48))


@dataclass(frozen=True)
class Slot:
    kind: str
    salt: bytes
    kdf: Argon2Params
    wrapped: Wrapped

    def public_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "salt": _b64(self.salt), "kdf": self.kdf.to_json()}


@dataclass(frozen=True)
class Header:
    vault_id: str
    created_ms: int
    db_file: str
    dek: Wrapped
    slots: tuple[Slot, ...] = field(default_factory=tuple)
    mac: bytes = b""
    #: AUDIT_KEYED once the audit chain is keyed; "" in headers written before (see core.audit)
    audit: str = ""

    def slot(self, kind: str) -> Slot:
        for slot in self.slots:
            if slot.kind == kind:
                return slot
        raise HeaderInvalid(f"no {kind} slot")

    def _identity(self) -> dict[str, Any]:
        return {
            "magic": MAGIC,
            "version": VERSION,
            "vault_id": self.vault_id,
            "created_ms": self.created_ms,
        }

    def slot_aad(self, slot_kind: str, salt: bytes, kdf: Argon2Params) -> bytes:
        """What a slot's tag binds: the header identity and the slot's own fields."""
        public = {**self._identity(), "slot": {"kind": slot_kind, "salt": _b64(salt), "kdf": kdf.to_json()}}
        return _canonical(public)

    def dek_aad(self) -> bytes:
        return _canonical({**self._identity(), "db_file": self.db_file, "purpose": "dek"})

    def _mac_input(self) -> bytes:
        return _canonical(self._doc(include_mac=False))

    def sealed(self, mac_key: bytes) -> Header:
        """The same header with its whole-file HMAC set."""
        return replace(self, mac=_hmac(mac_key, self._mac_input()))

    def verify_mac(self, mac_key: bytes) -> None:
        if not hmac.compare_digest(_hmac(mac_key, self._mac_input()), self.mac):
            raise UnwrapFailed()

    # -- (de)serialisation -------------------------------------------------

    def _doc(self, *, include_mac: bool) -> dict[str, Any]:
        doc = {
            **self._identity(),
            "db_file": self.db_file,
            "dek": self.dek.to_json(),
            "slots": [{**s.public_json(), **s.wrapped.to_json()} for s in self.slots],
        }
        if self.audit:
            doc["audit"] = self.audit
        if include_mac:
            doc["mac"] = _b64(self.mac)
        return doc

    def to_bytes(self) -> bytes:
        if not self.mac:
            raise ValueError("seal the header before writing it")
        return json.dumps(self._doc(include_mac=True), sort_keys=True, indent=1).encode() + b"\n"

    @classmethod
    def from_bytes(cls, raw: bytes) -> Header:
        if len(raw) > MAX_HEADER_BYTES:
            raise HeaderInvalid("header too large")
        # ValueError, not only JSONDecodeError: an integer of more than 4300
        # digits raises a plain ValueError from inside the JSON decoder.
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise HeaderInvalid("not JSON") from exc
        if not isinstance(doc, dict) or doc.get("magic") != MAGIC:
            raise HeaderInvalid("not a VaultScribe header")
        if doc.get("version") != VERSION:
            raise HeaderInvalid(f"unsupported header version {doc.get('version')!r}")
        expected = {"magic", "version", "vault_id", "created_ms", "db_file", "dek", "slots", "mac"}
        audit = doc.get("audit", "")
        if set(doc) - {"audit"} != expected or audit not in ("", AUDIT_KEYED):
            raise HeaderInvalid("unexpected header fields")
        vault_id, created_ms, db_file = doc["vault_id"], doc["created_ms"], doc["db_file"]
        if not isinstance(vault_id, str) or not 8 <= len(vault_id) <= 64:
            raise HeaderInvalid("bad vault id")
        if not isinstance(created_ms, int) or isinstance(created_ms, bool):
            raise HeaderInvalid("bad creation time")
        if (
            not isinstance(db_file, str)
            or not db_file.startswith("vault-")
            or not db_file.endswith(".db")
            or "/" in db_file
            or "\\" in db_file
        ):
            raise HeaderInvalid("bad database name")
        slots_doc = doc["slots"]
        if not isinstance(slots_doc, list) or len(slots_doc) != len(SLOT_KINDS):
            raise HeaderInvalid("a header holds exactly two slots: primary and recovery")
        slots: list[Slot] = []
        for s in slots_doc:
            if not isinstance(s, dict) or set(s) != {"kind", "salt", "kdf", "nonce", "ct"}:
                raise HeaderInvalid("bad slot")
            if s["kind"] not in SLOT_KINDS or any(x.kind == s["kind"] for x in slots):
                raise HeaderInvalid("bad slot kind")
            try:
                kdf = Argon2Params.from_json(s["kdf"])
            except ValueError as exc:
                raise HeaderInvalid(str(exc)) from exc
            slots.append(Slot(s["kind"], _unb64(s["salt"], size=16), kdf, Wrapped.from_json(s)))
        mac = _unb64(doc["mac"], size=32)
        header = cls(vault_id, created_ms, db_file, Wrapped.from_json(doc["dek"]), tuple(slots), mac, audit)
        # Only the canonical form is accepted, so every byte of the file is
        # covered by the MAC, whitespace included.
        if header.to_bytes() != raw:
            raise HeaderInvalid("header is not in canonical form")
        return header

    # -- wrapping ----------------------------------------------------------

    def with_slot(self, slot: Slot) -> Header:
        others = tuple(s for s in self.slots if s.kind != slot.kind)
        order = {k: i for i, k in enumerate(SLOT_KINDS)}
        slots = tuple(sorted((*others, slot), key=lambda s: order[s.kind]))
        return replace(self, slots=slots, mac=b"")


def wrap(key: bytes, secret: bytes, *, aad: bytes, rng: Random) -> Wrapped:
    nonce = rng.bytes(12)
    return Wrapped(nonce, AESGCM(key).encrypt(nonce, secret, aad))


def unwrap(key: bytes, wrapped: Wrapped, *, aad: bytes) -> bytearray:
    try:
        plain = AESGCM(key).decrypt(wrapped.nonce, wrapped.ciphertext, aad)
    except InvalidTag as exc:
        raise UnwrapFailed() from exc
    try:
        return bytearray(plain)
    finally:
        wipe_immutable(plain)
