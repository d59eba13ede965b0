"""The vault header and its keyslots, shared by the unlock and key desks: reading and writing the header
(and its copy), wrapping the data key, making the passphrase and recovery slots, the escrow blob, the
pre-unlock log and the back-off, and the opaque failure every rejected factor becomes."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any, NoReturn, TypeVar

from core import errors
from core.audit import CHAIN_BROKEN
from core.fsutil import atomic_write
from core.security import escrow, keys, recovery, strength
from core.security.backoff import BackoffState
from core.security.header import AUDIT_KEYED, Header, HeaderInvalid, UnwrapFailed
from core.security.secret import SecretKey, wipe_immutable
from core.session.context import Unlocked, VaultContext
from core.types import VaultId
from core.vault.store import VaultDB

T = TypeVar("T")

_PREAUTH_IMPORTED = "audit.preauth_imported_hash"
_RECOVERY_FAILED = "Could not open the vault with that recovery code: check it against the copy you stored."
#: What the pre-unlock log (plain JSON, readable by whoever reads the folder) says of a failed attempt
#: that a secret decided: one word, so that it never tells which factor was wrong (a wrong TOTP code
#: after a right passphrase would say the passphrase was right). Reasons decided before any secret is
#: tried are no oracle and stay as they are, to help the user: these below.
OPAQUE_REASON = "credentials_rejected"
_REASONS_BEFORE_ANY_SECRET = frozenset({"header_malformed", "device_secret_missing", "recovery_code_malformed"})


class Keyslots:
    def __init__(self, ctx: VaultContext) -> None:
        self._ctx = ctx

    def check_passphrase(self, passphrase: str) -> None:
        minimum = int(self._ctx.setting("min_passphrase_length"))
        if len(passphrase) < minimum:
            raise errors.BadInput(f"The passphrase must be at least {minimum} characters long.")
        rated = strength.rate(passphrase)
        if rated.score < int(self._ctx.setting("min_passphrase_score")):
            advice = rated.feedback() or "Add another word or two. Uncommon words are better."
            raise errors.BadInput(f"The passphrase is too easy to guess. {advice}")

    def read_header(self, *, action: str) -> Header:
        """The header. For recovery, if it is damaged (unparseable or gone), its copy, which the same MAC
        then checks: the recovery code must not be lost with one file. Recovery rewrites both."""
        if not self._ctx.exists():
            raise errors.VaultNotFound(f"No vault in {self._ctx.paths.root}: run 'vaultscribe init' first.")
        copies = (
            (self._ctx.paths.header, self._ctx.paths.header_copy) if action == "recover" else (self._ctx.paths.header,)
        )
        for path in copies:
            try:
                return Header.from_bytes(path.read_bytes())
            except (HeaderInvalid, OSError):
                continue
        self.fail(action, "header_malformed")

    def write_header(self, header: Header) -> None:
        vmk = self._ctx.require_open().vmk
        raw = header.sealed(keys.header_mac_key(vmk)).to_bytes()
        atomic_write(self._ctx.paths.header, raw)
        with contextlib.suppress(OSError):  # the header is in force either way; the next unlock rewrites the copy
            atomic_write(self._ctx.paths.header_copy, raw)

    def sync_header_copy(self, header: Header) -> None:
        """After the header's MAC verified: make both files hold this header (vaults from before the copy
        get one). Best effort: the vault is open either way."""
        raw = header.to_bytes()
        for path in (self._ctx.paths.header, self._ctx.paths.header_copy):
            with contextlib.suppress(OSError):
                if not path.exists() or path.read_bytes() != raw:
                    atomic_write(path, raw)

    def with_dek(self, header: Header, vmk: SecretKey, dek: SecretKey) -> Header:
        return replace(header, dek=keys.wrap_dek(header, vmk, dek, rng=self._ctx.rng), mac=b"")

    def with_primary(self, header: Header, vmk: SecretKey, passphrase: str, device: SecretKey) -> Header:
        salt = self._ctx.rng.bytes(16)
        kek = keys.primary_kek(passphrase, device.reveal(), salt=salt, params=self._ctx.kdf, vault_id=header.vault_id)
        try:
            slot = keys.make_slot(header, "primary", kek, vmk, salt=salt, params=self._ctx.kdf, rng=self._ctx.rng)
        finally:
            wipe_immutable(kek)
        return header.with_slot(slot)

    def with_recovery(self, header: Header, vmk: SecretKey, code: str) -> Header:
        salt = self._ctx.rng.bytes(16)
        kek = keys.recovery_kek(recovery.normalize(code), salt=salt, params=self._ctx.kdf, vault_id=header.vault_id)
        try:
            slot = keys.make_slot(header, "recovery", kek, vmk, salt=salt, params=self._ctx.kdf, rng=self._ctx.rng)
        finally:
            wipe_immutable(kek)
        return header.with_slot(slot)

    def escrow_state(self) -> str | None:
        """Whether IT can recover this vault with the policy's escrow key; needs no unlock.

        None: the policy sets no key. "sealed": the current recovery code is sealed to it. "missing":
        it is not (a vault made before the key was set; a recovery seals the new code). "other_key":
        sealed to another key than the policy's (the key changed; a recovery re-seals). "unreadable":
        the header or the escrow file cannot be read.
        """
        key = self._ctx.policy.recovery_escrow_public_key
        if key is None or not self._ctx.paths.header.exists():
            return None
        try:
            blob = self.current_escrow(Header.from_bytes(self._ctx.paths.header.read_bytes()))
            wanted = escrow.EscrowPublicKey.from_base64(key).fingerprint
        except (HeaderInvalid, OSError, errors.VaultScribeError):
            return "unreadable"
        if blob is None:
            return "missing"
        return "sealed" if blob.key_fingerprint == wanted else "other_key"

    def current_escrow(self, header: Header) -> escrow.EscrowBlob | None:
        """The blob of the recovery code in force: in the escrow file, or in the pending one that a
        recovery wrote before its header switched. Raises EscrowRejected for a file that is no blob."""
        salt = header.slot("recovery").salt
        for path in (self._ctx.paths.escrow, self._ctx.paths.escrow_pending):
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                continue
            blob = escrow.EscrowBlob.from_bytes(raw)
            if blob.recovery_salt == salt and blob.vault_id == header.vault_id:
                return blob
        return None

    def seal_escrow(self, header: Header, code: str) -> escrow.EscrowBlob | None:
        """The recovery code sealed to the policy's escrow key, or None when the policy sets none."""
        key = self._ctx.policy.recovery_escrow_public_key
        if key is None:
            return None
        try:
            public = escrow.EscrowPublicKey.from_base64(key)
            return escrow.seal(code, public_key=public, vault_id=header.vault_id,
                               recovery_salt=header.slot("recovery").salt, now_ms=self._ctx.clock.now_ms(),
                               rng=self._ctx.rng)  # fmt: skip
        except (errors.BadInput, ValueError):  # ValueError: a low-order point, which no real key is
            raise errors.PolicyInvalid(
                f"The administrator's policy {self._ctx.policy.source} is not valid: recovery_escrow_public_key "
                "is not a usable X25519 public key. VaultScribe will not start."
            ) from None

    def audit_escrow(self, conn: Any, sealed: escrow.EscrowBlob | None) -> None:
        if sealed is not None:
            self._ctx.audit_in(conn, "escrow.seal", "success", detail={"key": sealed.key_fingerprint[:16]})

    def write_escrow(self, sealed: escrow.EscrowBlob | None) -> None:
        """The blob of the code now in force; with none, the files go (a spent code, a key the policy dropped)."""
        if sealed is not None:
            atomic_write(self._ctx.paths.escrow, sealed.to_bytes())
        else:
            self._ctx.paths.escrow.unlink(missing_ok=True)
        self._ctx.paths.escrow_pending.unlink(missing_ok=True)

    def open_with(self, header: Header, vmk: SecretKey, device: SecretKey, *, action: str) -> None:
        """Check the whole-header MAC, unwrap the DEK and open the database."""
        try:
            header.verify_mac(keys.header_mac_key(vmk))
            dek = keys.open_dek(header, vmk)
        except UnwrapFailed:
            vmk.wipe()
            device.wipe()
            self.fail(action, "header_mac_mismatch")
        try:
            db = VaultDB.open(self._ctx.paths.db(header.db_file), dek, memory_security=self._ctx.memory_security)
        except BaseException:
            for key in (vmk, dek, device):
                key.wipe()
            raise
        self._ctx.open = Unlocked(header, vmk, dek, device, db)
        self.remove_stray_databases(header)
        self.sync_header_copy(header)
        if header.audit != AUDIT_KEYED:
            try:
                self.key_audit_chain()
            except BaseException:
                self._ctx.drop()  # never left open by an unlock that did not finish
                raise

    def key_audit_chain(self) -> None:
        """Once per vault from before the keyed chain: re-link its events by MAC, seal the head, then mark
        the header. A crash between the two leaves a keyed chain under an old header; that is found and
        only the header written. A chain that did not verify as it was is re-linked as found, and an
        ``audit.chain_broken`` event keeps it failing verification."""
        state = self._ctx.require_open()
        log = self._ctx.audit_log
        with state.db.transaction() as conn:
            if not log.verify(conn).ok:
                legacy = log.rekey(conn)
                if not legacy.ok:
                    detail = {"reason": "unkeyed_chain_broken", "seq": legacy.first_bad_seq}
                    self._ctx.audit_in(conn, CHAIN_BROKEN, "failure", detail=detail)
                self._ctx.audit_in(conn, "audit.keyed", "success", detail={"events": legacy.events})
        header = replace(state.header, audit=AUDIT_KEYED, mac=b"")
        self.write_header(header)
        state.header = header

    def remove_stray_databases(self, header: Header) -> None:
        # Left by a key rotation that crashed before the header switched.
        for path in self._ctx.paths.root.glob("vault-*.db"):
            if path.name != header.db_file:
                remove_db_files(path)

    def keyring_label(self) -> str:
        """The device secret's name in the keyring's own app (Seahorse, KWallet): one a person recognises."""
        return f"VaultScribe device key (vault at {self._ctx.paths.root})"

    def fail(self, action: str, reason: str) -> NoReturn:
        """Record a failed attempt, then raise the opaque error. The log, readable before unlock, gets the
        real reason only where no secret decided it (``_REASONS_BEFORE_ANY_SECRET``), else one opaque word."""
        shown = reason if reason in _REASONS_BEFORE_ANY_SECRET else OPAQUE_REASON
        self.preauth_event(action, "failure", reason=shown)
        state = self.backoff()
        message = _RECOVERY_FAILED if action == "recover" else None
        raise errors.AuthFailed(message, retry_after_s=state.retry_after_s(self._ctx.clock.now_ms()))

    def preauth_event(self, kind: str, outcome: str, *, reason: str) -> None:
        self._ctx.preauth.append(
            at_ms=self._ctx.clock.now_ms(),
            os_user=self._ctx.os_user,
            kind=kind,
            outcome=outcome,
            detail={"reason": reason},
        )

    def absorb_preauth(self, conn: Any) -> None:
        """Copy the pre-unlock events into the vault's chain, once each."""
        events, report = self._ctx.preauth.read()
        done = self._ctx.vault_setting_in(conn, _PREAUTH_IMPORTED, None)
        if done is not None:
            hashes = [e.hash for e in events]
            events = events[hashes.index(done) + 1 :] if done in hashes else events
        if not report.ok:
            self._ctx.audit_in(conn, "preauth.verify", "failure", detail={"reason": "chain_broken"})
        for event in events:
            self._ctx.audit_in(
                conn,
                f"preauth.{event.kind}",
                event.outcome,
                detail={**event.detail, "at_ms": event.at_ms, "preauth_hash": event.hash[:16]},
            )
        if events:
            self._ctx.set_vault_setting(conn, _PREAUTH_IMPORTED, events[-1].hash)

    def backoff(self) -> BackoffState:
        events, _ = self._ctx.preauth.read()
        failures = [e for e in events if e.outcome == "failure"]
        return BackoffState(
            failures=len(failures),
            last_failure_ms=failures[-1].at_ms if failures else None,
            limit=int(self._ctx.setting("max_failed_unlocks")),
        )

    def new_identity(self, header: Header, vmk: SecretKey, dek: SecretKey) -> Header:
        """The header of a restored copy: a vault id of its own, so its keyring item is its own too and a
        live vault with the backup's id (this account's, often) keeps its item. The id is bound into every
        keyslot, the data key's wrapping and the escrow, so each is made afresh; the keys stay the same."""
        fresh = Header(VaultId(self._ctx.new_id()), header.created_ms, header.db_file, header.dek)
        return self.with_dek(fresh, vmk, dek)


def remove_db_files(path: Any) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            (path.parent / (path.name + suffix)).unlink()
