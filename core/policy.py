"""The administrator's machine-wide policy: read-only to users, checked in the core, failing closed.

Where it lives:
- Linux: ``/etc/vaultscribe/policy.toml``
- Windows: the values under ``HKLM\\SOFTWARE\\Policies\\VaultScribe`` (Group Policy; see packaging/)
- macOS: the managed preferences of ``org.vaultscribe.app`` (a configuration profile), read from
  ``/Library/Managed Preferences/org.vaultscribe.app.plist``

No environment variable or user file can move or override it: the composition roots read the system
location, and tests pass a ``Policy`` in. A policy that cannot be read, has a key VaultScribe does not
know, or a value of the wrong type or range stops the app with ``PolicyInvalid``, naming the source
and the key: a policy is never half-applied or silently ignored. No policy at all means no limits.

A setting the policy sets cannot be changed by the user (``locks``); the GUI shows it as "Managed by
your organization". Numbers are limits where that is what they mean: ``min_passphrase_length`` raises
the user's minimum, ``auto_lock_minutes`` caps the user's idle time (and forbids "never").
"""

from __future__ import annotations

import base64
import plistlib
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from core import vocabulary
from core.errors import BadInput, PolicyDenied, PolicyInvalid
from core.redaction.types import ENTITY_TYPES

LINUX_PATH = Path("/etc/vaultscribe/policy.toml")
MACOS_PATH = Path("/Library/Managed Preferences/org.vaultscribe.app.plist")
WINDOWS_KEY = r"SOFTWARE\Policies\VaultScribe"
_STOP = "VaultScribe will not start until IT corrects it."


@dataclass(frozen=True)
class Policy:
    """Every key is optional; None means the policy does not set it."""

    require_totp: bool | None = None
    min_passphrase_length: int | None = None
    auto_lock_minutes: int | None = None
    max_failed_unlocks: int | None = None
    retention_days: int | None = None
    redaction_required: bool | None = None
    redaction_entities: tuple[str, ...] | None = None
    allow_unredacted_export: bool | None = None
    keep_original_audio_after_redaction: bool | None = None
    allow_audio_export: bool | None = None
    allow_model_download: bool | None = None
    model_paths: tuple[str, ...] | None = None
    audit_export_path: str | None = None
    recovery_escrow_public_key: str | None = None
    #: the organisation's vocabulary (a formulary, staff names): read-only to users, applied to every
    #: transcription after the user's own lists
    vocabulary: tuple[str, ...] | None = None
    #: the boost weight every transcription uses; the user's setting is then locked
    vocabulary_boost_weight: float | None = None
    #: true: SQLCipher wipes and mlocks its own buffers (``cipher_memory_security``), at a measured cost
    #: of several times the vault's speed; off by default (SECURITY.md, "Memory and swap")
    database_memory_security: bool | None = None
    source: str = field(default="", compare=False)  # where it was read, for messages

    # -- what it means -----------------------------------------------------------------

    def is_set(self, key: str) -> bool:
        return getattr(self, key, None) is not None

    def effective(self, key: str, user_value: Any) -> Any:
        """The value in force for a user setting this policy may constrain."""
        if key == "min_passphrase_length" and self.min_passphrase_length is not None:
            return max(int(user_value), self.min_passphrase_length)
        if key == "auto_lock_minutes" and self.auto_lock_minutes is not None:
            user = int(user_value)
            return self.auto_lock_minutes if user == 0 else min(user, self.auto_lock_minutes)
        if key == "max_failed_unlocks" and self.max_failed_unlocks is not None:
            return self.max_failed_unlocks
        if key == "vocabulary_boost_weight" and self.vocabulary_boost_weight is not None:
            return self.vocabulary_boost_weight
        return user_value

    def locks(self, key: str) -> bool:
        """Whether the user may not change the setting ``key`` (a config key or ``redaction.*``)."""
        if key in ("min_passphrase_length", "auto_lock_minutes", "max_failed_unlocks", "vocabulary_boost_weight"):
            return self.is_set(key)
        if key == "redaction.entities":
            return bool(self.redaction_required) and self.redaction_entities is not None
        return False

    def entities(self, user_entities: list[str] | None) -> list[str] | None:
        """The entity types detection looks for: the user's choice plus every type policy requires."""
        if not self.redaction_required or self.redaction_entities is None:
            return user_entities
        chosen = list(ENTITY_TYPES) if user_entities is None else list(user_entities)
        return chosen + [t for t in self.redaction_entities if t not in chosen]

    def check_export(self, *, redacted: bool, audio: bool = False) -> None:
        """Raise PolicyDenied for an export the policy forbids."""
        if not redacted and (self.allow_unredacted_export is False or self.redaction_required):
            raise PolicyDenied("Your organization's policy does not allow unredacted exports.")
        if audio and self.allow_audio_export is False:
            raise PolicyDenied("Your organization's policy does not allow exporting audio.")

    def check_download(self) -> None:
        if self.allow_model_download is False:
            raise PolicyDenied(
                "Your organization's policy does not allow downloading models: ask IT for a pre-provisioned one."
            )


NO_POLICY = Policy()

# -- parsing ------------------------------------------------------------------------------------------

_BOOL, _INT, _STRS, _STR, _NUM = "bool", "int", "strings", "string", "number"
_KINDS: dict[str, str] = {
    "require_totp": _BOOL,
    "min_passphrase_length": _INT,
    "auto_lock_minutes": _INT,
    "max_failed_unlocks": _INT,
    "retention_days": _INT,
    "redaction_required": _BOOL,
    "redaction_entities": _STRS,
    "allow_unredacted_export": _BOOL,
    "keep_original_audio_after_redaction": _BOOL,
    "allow_audio_export": _BOOL,
    "allow_model_download": _BOOL,
    "model_paths": _STRS,
    "audit_export_path": _STR,
    "recovery_escrow_public_key": _STR,
    "vocabulary": _STRS,
    "vocabulary_boost_weight": _NUM,
    "database_memory_security": _BOOL,
}
_RANGES = {
    "min_passphrase_length": (8, 256),
    "auto_lock_minutes": (1, 1440),
    "max_failed_unlocks": (1, 100),
    "retention_days": (1, 36500),
}
_NUM_RANGES = {"vocabulary_boost_weight": (0.1, 20.0)}
KEYS = tuple(_KINDS)
assert set(KEYS) == {f.name for f in fields(Policy)} - {"source"}


def parse(data: Mapping[str, Any], *, source: str) -> Policy:
    """Validate a mapping of policy keys; raises PolicyInvalid naming ``source`` and the key."""

    def bad(key: str, why: str) -> PolicyInvalid:
        return PolicyInvalid(
            f"The administrator's policy {source} is not valid: {key} {why}. VaultScribe will not start."
        )

    values: dict[str, Any] = {}
    for key, value in data.items():
        kind = _KINDS.get(key)
        if kind is None:
            raise bad(repr(key), "is not a policy key VaultScribe knows")
        if kind == _BOOL:
            if not isinstance(value, bool):
                raise bad(key, "must be true or false")
        elif kind == _INT:
            if isinstance(value, bool) or not isinstance(value, int):
                raise bad(key, "must be a whole number")
            lo, hi = _RANGES[key]
            if not lo <= value <= hi:
                raise bad(key, f"must be between {lo} and {hi}")
        elif kind == _NUM:
            if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
                raise bad(key, "must be a number")
            low, high = _NUM_RANGES[key]
            if not low <= value <= high:
                raise bad(key, f"must be between {low} and {high}")
            value = float(value)
        elif kind == _STR:
            if not isinstance(value, str) or not value.strip():
                raise bad(key, "must be a non-empty string")
        else:
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v.strip() for v in value):
                raise bad(key, "must be a list of non-empty strings")
            value = tuple(value)
        values[key] = value
    _check_meaning(values, bad)
    return Policy(**values, source=source)


def _check_meaning(values: dict[str, Any], bad: Callable[[str, str], PolicyInvalid]) -> None:
    for entity in values.get("redaction_entities") or ():
        if entity not in ENTITY_TYPES:
            raise bad("redaction_entities", f"names an unknown type {entity!r} (known: {', '.join(ENTITY_TYPES)})")
    for key in ("model_paths", "audit_export_path"):
        paths = values.get(key)
        for raw in (paths,) if isinstance(paths, str) else paths or ():
            if not (PurePosixPath(raw).is_absolute() or PureWindowsPath(raw).is_absolute()):
                raise bad(key, f"must hold absolute paths, not {raw!r}")
    phrases = values.get("vocabulary") or ()
    for number, raw in enumerate(phrases, start=1):
        try:
            vocabulary.clean(raw)
        except BadInput as exc:
            raise bad("vocabulary", f"entry {number}: {exc}") from None
    if len(phrases) > vocabulary.MAX_PER_LIST:
        raise bad("vocabulary", f"has {len(phrases)} phrases; at most {vocabulary.MAX_PER_LIST}")
    escrow = values.get("recovery_escrow_public_key")
    if escrow is not None:
        try:
            raw_key = base64.b64decode(escrow, validate=True)
        except ValueError:
            raw_key = b""
        if len(raw_key) != 32:
            raise bad("recovery_escrow_public_key", "must be a base64 X25519 public key (32 bytes)")


def read_toml(path: Path) -> Policy:
    """The Linux policy file; absent means no policy, unreadable or invalid stops the app."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return NO_POLICY
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyInvalid(
            f"The administrator's policy {path} cannot be read ({type(exc).__name__}). {_STOP}"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyInvalid(
            f"The administrator's policy {path} is not valid TOML: {exc}. VaultScribe will not start."
        ) from None
    return parse(data, source=str(path))


def read_plist(path: Path) -> Policy:
    """The macOS managed preferences; only the policy keys are read (macOS adds its own PayloadUUID etc.)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return NO_POLICY
    except OSError as exc:
        raise PolicyInvalid(
            f"The administrator's policy {path} cannot be read ({type(exc).__name__}). {_STOP}"
        ) from None
    try:
        data = plistlib.loads(raw)
    except (plistlib.InvalidFileException, ValueError) as exc:
        raise PolicyInvalid(f"The administrator's policy {path} is not a valid property list: {exc}. {_STOP}") from None
    if not isinstance(data, dict):
        raise PolicyInvalid(f"The administrator's policy {path} is not a dictionary of keys. {_STOP}")
    ours = {k: v for k, v in data.items() if not k.startswith("Payload")}  # a profile's own keys
    return parse(ours, source=str(path))


#: Registry value types, as in ``winreg``.
REG_SZ, REG_EXPAND_SZ, REG_DWORD, REG_MULTI_SZ = 1, 2, 4, 7


def from_registry(values: list[tuple[str, int, Any]], *, source: str) -> Policy:
    """Group Policy values: booleans and whole numbers are DWORDs, lists REG_MULTI_SZ, strings and
    decimals REG_SZ."""
    data: dict[str, Any] = {}
    for name, kind, value in values:
        expected = _KINDS.get(name)
        if expected == _BOOL and kind == REG_DWORD and value in (0, 1):
            data[name] = bool(value)
        elif expected == _INT and kind == REG_DWORD:
            data[name] = int(value)
        elif expected == _STRS and kind == REG_MULTI_SZ:
            data[name] = list(value)
        elif expected == _STR and kind in (REG_SZ, REG_EXPAND_SZ):
            data[name] = str(value)
        elif expected == _NUM and kind == REG_SZ:
            # the registry has no decimal type: Group Policy writes the number as text ("2.5")
            try:
                data[name] = float(str(value).strip())
            except ValueError:
                raise PolicyInvalid(
                    f"The administrator's policy {source} is not valid: {name} must be a number. {_STOP}"
                ) from None
        elif expected is None:
            data[name] = value  # parse() names it as unknown
        else:
            raise PolicyInvalid(
                f"The administrator's policy {source} is not valid: {name} has the wrong registry type. {_STOP}"
            )
    return parse(data, source=source)


def read_windows_registry() -> Policy:  # pragma: no cover - Windows only
    import winreg  # type: ignore[import-not-found,unused-ignore]

    source = "HKLM\\" + WINDOWS_KEY
    try:
        key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, WINDOWS_KEY)  # type: ignore[attr-defined,unused-ignore]
    except FileNotFoundError:
        return NO_POLICY
    except OSError as exc:
        raise PolicyInvalid(
            f"The administrator's policy {source} cannot be read ({type(exc).__name__}). {_STOP}"
        ) from None
    values = []
    with key:
        index = 0
        while True:
            try:
                values.append(winreg.EnumValue(key, index))  # type: ignore[attr-defined,unused-ignore]
            except OSError:
                break
            index += 1
    return from_registry([(n, t, v) for n, v, t in values], source=source)


def load_system_policy() -> Policy:
    """The policy of this machine, from where this platform keeps it."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return read_windows_registry()
    if sys.platform == "darwin":  # pragma: no cover - macOS only
        return read_plist(MACOS_PATH)
    return read_toml(LINUX_PATH)
