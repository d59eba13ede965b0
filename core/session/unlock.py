"""The vault's life cycle behind the facade: create, unlock, recover (by code or by IT's escrow key), the
TOTP enrolment and check, and lock. ``Session`` delegates to it; the header and keyslot work it shares
with the key desk is in keyslots.py.

It never writes a plaintext key, passphrase, code or content to disk, and it never says which unlock
factor was wrong: that goes to the audit log alone.
"""

from __future__ import annotations

import base64
import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

from core import errors
from core.fsutil import atomic_write
from core.security import escrow, keys, recovery
from core.security.header import AUDIT_KEYED, Header, UnwrapFailed, Wrapped
from core.security.secret import SecretKey, wipe_immutable
from core.security.totp import STEP_S as TOTP_STEP_S
from core.security.totp import TotpRejected, TotpSecret
from core.session.context import Unlocked, VaultContext
from core.session.keyslots import OPAQUE_REASON, Keyslots
from core.types import VaultId
from core.vault.store import VaultDB

T = TypeVar("T")
P = ParamSpec("P")

_TOTP_SECRET = "totp.secret"  # noqa: S105 - a settings key, not a secret
_TOTP_LAST_STEP = "totp.last_step"
TOTP_CONFIRMED = "totp.confirmed"


@dataclass(frozen=True)
class Enrolment:
    """What the user must see once: shown at set-up and after recovery, never stored in plaintext."""

    vault_dir: str
    totp_uri: str
    totp_secret: str
    recovery_code: str


def _holding_vault(
    *, eager: bool = True
) -> Callable[[Callable[Concatenate[UnlockDesk, P], T]], Callable[Concatenate[UnlockDesk, P], T]]:
    """Run the method holding the vault's process lock (core.vault.lock), kept if the vault is open after.

    ``eager``: taken before the method starts; else the method takes it itself (``take_vault_lock``, once
    the folder exists) and this only gives it back if the method fails."""

    def decorate(method: Callable[Concatenate[UnlockDesk, P], T]) -> Callable[Concatenate[UnlockDesk, P], T]:
        def held(self: UnlockDesk, /, *args: P.args, **kwargs: P.kwargs) -> T:
            with self._ctx.claimed(eager=eager):
                return method(self, *args, **kwargs)

        functools.update_wrapper(held, method)
        return held

    return decorate


class UnlockDesk:
    def __init__(self, ctx: VaultContext, slots: Keyslots) -> None:
        self._ctx = ctx
        self._slots = slots
        #: run once the vault is open and the code verified (set by Session: repairs and retention)
        self.after_unlock: Callable[[], None] = lambda: None

    @_holding_vault(eager=False)
    def create(self, passphrase: str, *, account: str | None = None) -> Enrolment:
        """Make a new vault and leave it unlocked. Confirm the TOTP with ``confirm_totp``."""
        if self._ctx.exists():
            raise errors.VaultExists(f"A vault already exists in {self._ctx.paths.root}.")
        self._slots.check_passphrase(passphrase)
        self._ctx.paths.ensure()
        self._ctx.take_vault_lock()
        strays = sorted(self._ctx.paths.root.glob("vault-*.db"))
        if strays:
            raise errors.VaultExists(
                f"{self._ctx.paths.root} holds vault data ({strays[0].name}) but no header; "
                "choose an empty folder or restore the header."
            )
        vault_id = VaultId(self._ctx.new_id())
        vmk, dek, device = (SecretKey.generate(self._ctx.rng) for _ in range(3))
        header = Header(
            vault_id=vault_id,
            created_ms=self._ctx.clock.now_ms(),
            db_file=f"vault-{self._ctx.rng.bytes(8).hex()}.db",
            dek=Wrapped(b"\0" * 12, b"\0" * 48),
            audit=AUDIT_KEYED,
        )
        header = self._slots.with_dek(header, vmk, dek)
        code = recovery.generate(self._ctx.rng)
        header = self._slots.with_primary(header, vmk, passphrase, device)
        header = self._slots.with_recovery(header, vmk, code)
        self._ctx.keystore.set(vault_id, device.reveal(), label=self._slots.keyring_label())
        db = VaultDB.open(
            self._ctx.paths.db(header.db_file), dek, create=True, memory_security=self._ctx.memory_security
        )
        self._ctx.open = Unlocked(header, vmk, dek, device, db)
        try:
            with db.transaction() as conn:
                self._ctx.audit_log.start(conn)
            totp = self._enrol_totp()
            sealed = self._slots.seal_escrow(header, code)
            with db.transaction() as conn:
                self._ctx.audit_in(conn, "vault.create", "success", object_id=vault_id)
                self._slots.audit_escrow(conn, sealed)
            self._slots.write_escrow(sealed)
            self._slots.write_header(header)
        except BaseException:
            self._ctx.drop()
            raise
        self._ctx.touch()
        return Enrolment(str(self._ctx.paths.root), totp.uri(account or self._ctx.os_user), totp.base32, code)

    def confirm_totp(self, code: str) -> None:
        """Finish enrolment: one valid code proves the authenticator was set up."""
        state = self._ctx.require_open()
        try:
            self._verify_totp(state, code)
        except TotpRejected as exc:
            with state.db.transaction() as conn:
                self._ctx.audit_in(conn, "totp.confirm", "failure", detail={"reason": exc.reason})
            raise errors.AuthFailed("That code is not right. Check the clock of the device showing it.") from None
        with state.db.transaction() as conn:
            self._ctx.set_vault_setting(conn, TOTP_CONFIRMED, True)
            self._ctx.audit_in(conn, "totp.confirm", "success")

    @_holding_vault()
    def unlock(self, passphrase: str, totp_code: str, *, say_if_code_used: bool = False) -> None:
        """Open the vault with all three factors; any failure is the opaque AuthFailed, and counts.

        ``say_if_code_used``: when the passphrase and keyring are right and the code is genuine but was
        used before, raise CodeAlreadyUsed with the wait for the next code instead, and count no failure
        (only someone holding every factor can get that far).
        """
        if self._ctx.open is not None:
            return
        header = self._slots.read_header(action="unlock")
        state = self._slots.backoff()
        if state.recovery_only:
            self._slots.preauth_event("unlock", "refused", reason="recovery_required")
            raise errors.RecoveryRequired()
        wait = state.retry_after_s(self._ctx.clock.now_ms())
        if wait > 0:
            self._slots.preauth_event("unlock", "refused", reason="backoff")
            raise errors.BackoffActive(wait)

        device_raw = self._ctx.keystore.get(header.vault_id)
        if device_raw is None:
            self._slots.fail("unlock", "device_secret_missing")
        device = SecretKey.take(device_raw)
        slot = header.slot("primary")
        kek = keys.primary_kek(passphrase, device.reveal(), salt=slot.salt, params=slot.kdf, vault_id=header.vault_id)
        try:
            vmk = keys.open_slot(header, slot, kek)
        except UnwrapFailed:
            device.wipe()
            self._slots.fail("unlock", "primary_slot_rejected")  # wrong passphrase or wrong keyring secret
        finally:
            wipe_immutable(kek)
        self._slots.open_with(header, vmk, device, action="unlock")
        state_open = self._ctx.require_open()
        try:
            self._verify_totp(state_open, totp_code)
        except TotpRejected as exc:
            used = say_if_code_used and exc.reason == "totp_replayed"
            try:
                next_code_in_s = self._next_code_in_s() if used else 0.0  # read while the vault is still open
            finally:
                self._ctx.drop()
            if used:
                self._slots.preauth_event("unlock", "refused", reason=OPAQUE_REASON)
                raise errors.CodeAlreadyUsed(next_code_in_s) from None
            self._slots.fail("unlock", exc.reason)
        except BaseException:
            self._ctx.drop()  # never leave the vault open without a verified code
            raise
        with state_open.db.transaction() as conn:
            self._ctx.set_vault_setting(conn, TOTP_CONFIRMED, True)
            self._slots.absorb_preauth(conn)
            self._ctx.audit_in(conn, "unlock", "success")
        self._ctx.preauth.clear()
        self._ctx.mirror_audit()
        self.after_unlock()

    @_holding_vault()
    def recover(self, recovery_code: str, new_passphrase: str, *, account: str | None = None) -> Enrolment:
        """Open with the recovery code alone, then replace every other factor.

        A new passphrase, a new device secret in this account's keyring, a new
        TOTP secret and a new recovery code: the old code is spent.
        """
        self._slots.check_passphrase(new_passphrase)
        header = self._slots.read_header(action="recover")
        self._check_recover_backoff()
        return self._recover(header, recovery_code, new_passphrase, account=account, via="code")

    @_holding_vault()
    def recover_with_escrow(
        self, private_key: escrow.EscrowPrivateKey, new_passphrase: str, *, account: str | None = None
    ) -> Enrolment:
        """IT's recovery: open the escrowed recovery code with the escrow private key, then ``recover``.

        A wrong key or an altered blob is the opaque AuthFailed of a wrong recovery code, recorded in
        the pre-unlock log with its real reason. A vault with no blob for its current recovery code
        (made before the policy set the key) raises BadInput saying so: that is no secret.
        """
        self._slots.check_passphrase(new_passphrase)
        header = self._slots.read_header(action="recover")
        self._check_recover_backoff()
        try:
            blob = self._slots.current_escrow(header)
            if blob is None:
                self._slots.preauth_event("recover", "refused", reason="escrow_missing")
                raise errors.BadInput(
                    f"The vault in {self._ctx.paths.root} has no escrowed copy of its current recovery code: it was "
                    "made before the policy set recovery_escrow_public_key, or recovered without it."
                )
            code = blob.open(private_key, vault_id=header.vault_id)
        except escrow.EscrowRejected as exc:
            self._slots.fail("recover", exc.reason)  # a wrong private key, or an altered blob
        except OSError as exc:
            raise errors.VaultError(f"Could not read {self._ctx.paths.escrow}: {exc.strerror}") from None
        return self._recover(header, code, new_passphrase, account=account, via="escrow")

    def _check_recover_backoff(self) -> None:
        wait = self._slots.backoff().retry_after_s(self._ctx.clock.now_ms())
        if wait > 0:
            self._slots.preauth_event("recover", "refused", reason="backoff")
            raise errors.BackoffActive(wait)

    def _recover(
        self,
        header: Header,
        recovery_code: str,
        new_passphrase: str,
        *,
        account: str | None,
        via: str,
        new_identity: bool = False,
    ) -> Enrolment:
        try:
            normalized = recovery.normalize(recovery_code)
        except ValueError:
            self._slots.fail("recover", "recovery_code_malformed")
        slot = header.slot("recovery")
        kek = keys.recovery_kek(normalized, salt=slot.salt, params=slot.kdf, vault_id=header.vault_id)
        try:
            vmk = keys.open_slot(header, slot, kek)
        except UnwrapFailed:
            self._slots.fail("recover", "recovery_slot_rejected")
        finally:
            wipe_immutable(kek)
        self.close()
        new_device = SecretKey.generate(self._ctx.rng)
        self._slots.open_with(header, vmk, new_device, action="recover")
        state = self._ctx.require_open()
        try:
            new_code = recovery.generate(self._ctx.rng)
            new_header = self._slots.new_identity(header, vmk, state.dek) if new_identity else header
            new_header = self._slots.with_primary(new_header, vmk, new_passphrase, new_device)
            new_header = self._slots.with_recovery(new_header, vmk, new_code)
            # Keyring first: until the header is replaced the old recovery code
            # still works, so a crash at any point leaves a way in.
            self._ctx.keystore.set(new_header.vault_id, new_device.reveal(), label=self._slots.keyring_label())
            totp = self._enrol_totp()
            sealed = self._slots.seal_escrow(new_header, new_code)
            detail = {"via": via} | ({"restored_from": header.vault_id} if new_identity else {})
            with state.db.transaction() as conn:
                self._slots.absorb_preauth(conn)
                self._ctx.audit_in(conn, "recover", "success", detail=detail)
                self._slots.audit_escrow(conn, sealed)
            if sealed is not None:
                # Beside the old code's blob until the header switches: a crash in between leaves the
                # blob of whichever code is in force, and each names the recovery slot it opens.
                atomic_write(self._ctx.paths.escrow_pending, sealed.to_bytes())
            self._slots.write_header(new_header)
            state.header = new_header
        except BaseException:
            self._ctx.drop()
            raise
        # The old code is spent, so is its blob. Best effort: the user must see the new enrolment, and a
        # blob left behind names a slot no longer in the header, so nothing uses it.
        with contextlib.suppress(errors.VaultScribeError, OSError):
            self._slots.write_escrow(sealed)
        self._ctx.preauth.clear()
        self._ctx.touch()
        return Enrolment(str(self._ctx.paths.root), totp.uri(account or self._ctx.os_user), totp.base32, new_code)

    @_holding_vault()
    def open_restored(self, recovery_code: str, new_passphrase: str, *, account: str | None) -> Enrolment:
        header = self._slots.read_header(action="recover")
        self._check_recover_backoff()
        return self._recover(header, recovery_code, new_passphrase, account=account, via="restore", new_identity=True)

    def _enrol_totp(self) -> TotpSecret:
        state = self._ctx.require_open()
        secret = TotpSecret(self._ctx.rng.bytes(20))
        sealed = keys.seal_blob(
            keys.totp_key(state.vmk, state.device_secret.reveal()), secret.key, aad=b"totp", rng=self._ctx.rng
        )
        with state.db.transaction() as conn:
            self._ctx.set_vault_setting(conn, _TOTP_SECRET, base64.b64encode(sealed).decode("ascii"))
            self._ctx.set_vault_setting(conn, TOTP_CONFIRMED, False)
            # A new secret has no accepted codes yet; the old secret's steps do not apply.
            self._ctx.set_vault_setting(conn, _TOTP_LAST_STEP, -1)
            self._ctx.audit_in(conn, "totp.enrol", "success")
        return secret

    def _verify_totp(self, state: Unlocked, code: str) -> int:
        sealed_b64 = self._ctx.vault_setting(_TOTP_SECRET, None)
        if not isinstance(sealed_b64, str):
            raise TotpRejected("totp_not_enrolled")
        try:
            raw = keys.open_blob(
                keys.totp_key(state.vmk, state.device_secret.reveal()), base64.b64decode(sealed_b64), aad=b"totp"
            )
        except (UnwrapFailed, ValueError):
            raise TotpRejected("totp_secret_unreadable") from None
        secret = TotpSecret(bytes(raw))
        raw[:] = bytes(len(raw))
        last_step = int(self._ctx.vault_setting(_TOTP_LAST_STEP, -1))
        step = secret.verify(code, now_s=self._ctx.clock.now_ms() // 1000, last_step=last_step)
        with state.db.transaction() as conn:
            self._ctx.set_vault_setting(conn, _TOTP_LAST_STEP, step)
        return step

    def _next_code_in_s(self) -> float:
        """Seconds until the step after the last accepted one begins: when a new code will work."""
        last_step = int(self._ctx.vault_setting(_TOTP_LAST_STEP, -1))
        return max(0.0, (last_step + 1) * TOTP_STEP_S - self._ctx.clock.now_ms() / 1000)

    def close(self) -> None:
        """Lock, but keep the vault's process lock (recovery opens the vault again at once)."""
        if self._ctx.open is not None:
            with contextlib.suppress(errors.VaultScribeError), self._ctx.open.db.transaction() as conn:
                self._ctx.audit_in(conn, "lock", "success")
            with contextlib.suppress(errors.VaultScribeError):
                self._ctx.mirror_audit()
            self._ctx.drop()
