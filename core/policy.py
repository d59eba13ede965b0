"""The administrator's machine-wide policy: read-only to users, checked in the core, failing closed.

Where it lives:
- Linux: ``/etc/vaultscribe/policy.toml``
- Windows: the values under ``HKLM\\SOFTWARE\\Policies\\VaultScribe`` (Group Policy; see packaging/)
- macOS: the managed preferences of ``org.vaultscribe.app`` (a configuration profile), read from
  ``/Library/Managed Preferences/org.vaultscribe.app.plist``

No environment variable or user file can move or override it: the composition roots read the system
location, and tests pass a ``Policy`` in. A policy that cannot be read, has a key VaultScribe does not
know, or a value of the wrong type or range stops the app with ``PolicyInvalid``, naming the source
and the key: a policy is never half-applied or silently ignored.

Only what an administrator alone could have written counts (issue 22): on Linux and macOS the file
and every folder above it must be owned by root and writable by no one else (a root-owned sticky
folder such as ``/tmp`` excepted), with no symbolic link on the way, and ``audit_export_path`` must
lie in such a folder; anything else stops the app. No policy at all means no limits, unless the
installer left its marker (``LINUX_MARKER``, ``MACOS_MARKER``, the registry value ``PolicyRequired``
under ``HKLM\\SOFTWARE\\VaultScribe``): on a managed install a missing policy stops the app too.

A setting the policy sets cannot be changed by the user (``locks``); the GUI shows it as "Managed by
your organization". Numbers are limits where that is what they mean: ``min_passphrase_length`` raises
the user's minimum, ``auto_lock_minutes`` caps the user's idle time (and forbids "never");
``min_passphrase_score`` is the strength in force, whatever the user's file says.
"""

from __future__ import annotations

import base64
import os
import plistlib
import stat
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from core import sddl, vocabulary
from core.errors import BadInput, PolicyDenied, PolicyInvalid
from core.redaction.types import ENTITY_TYPES

LINUX_PATH = Path("/etc/vaultscribe/policy.toml")
MACOS_PATH = Path("/Library/Managed Preferences/org.vaultscribe.app.plist")
WINDOWS_KEY = r"SOFTWARE\Policies\VaultScribe"
#: Written by a managed install (packaging/): with it, a missing policy stops the app.
LINUX_MARKER = Path("/usr/share/vaultscribe/policy-required")
MACOS_MARKER = Path("/Library/Application Support/VaultScribe/policy-required")
WINDOWS_MARKER_KEY, WINDOWS_MARKER_VALUE = r"SOFTWARE\VaultScribe", "PolicyRequired"
#: The inode of the initial user namespace (PROC_USER_INIT_INO): elsewhere "root" may be the user.
_INITIAL_USER_NS = 0xEFFFFFFD
_STOP = "VaultScribe will not start until IT corrects it."


@dataclass(frozen=True)
class Policy:
    """Every key is optional; None means the policy does not set it."""

    require_totp: bool | None = None
    min_passphrase_length: int | None = None
    #: the least zxcvbn score (0-4) a new passphrase must reach; in force as set, the user cannot change it
    min_passphrase_score: int | None = None
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
        if key == "min_passphrase_score" and self.min_passphrase_score is not None:
            return self.min_passphrase_score
        if key == "vocabulary_boost_weight" and self.vocabulary_boost_weight is not None:
            return self.vocabulary_boost_weight
        return user_value

    def locks(self, key: str) -> bool:
        """Whether the user may not change the setting ``key`` (a config key or ``redaction.*``)."""
        if key in (
            "min_passphrase_length",
            "min_passphrase_score",
            "auto_lock_minutes",
            "max_failed_unlocks",
            "vocabulary_boost_weight",
        ):
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
    "min_passphrase_score": _INT,
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
}
_RANGES = {
    "min_passphrase_length": (8, 256),
    "min_passphrase_score": (0, 4),
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


def _read_file(path: Path) -> bytes | None:
    """The policy file's bytes, None if absent. Never follows a symbolic link, never blocks on a pipe,
    and names anything but a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if os.path.islink(path):
            raise PolicyInvalid(f"The administrator's policy {path} is a symbolic link. {_STOP}") from None
        raise PolicyInvalid(
            f"The administrator's policy {path} cannot be read ({type(exc).__name__}). {_STOP}"
        ) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PolicyInvalid(f"The administrator's policy {path} cannot be read: it is not a regular file. {_STOP}")
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise PolicyInvalid(
            f"The administrator's policy {path} cannot be read ({type(exc).__name__}). {_STOP}"
        ) from None
    finally:
        os.close(fd)


def parse_toml_text(text: str, *, source: str) -> Policy:
    """A policy from TOML text; malformed or deeply nested TOML is a PolicyInvalid naming ``source``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyInvalid(
            f"The administrator's policy {source} is not valid TOML: {exc}. VaultScribe will not start."
        ) from None
    except RecursionError:  # tomllib recurses once per level of nested arrays and tables
        raise PolicyInvalid(
            f"The administrator's policy {source} is not valid TOML: it is nested too deeply. {_STOP}"
        ) from None
    return parse(data, source=source)


def read_toml(path: Path) -> Policy:
    """The Linux policy file; absent means no policy, unreadable or invalid stops the app. Who owns it is
    checked by ``load_system_policy``, which reads the system location."""
    raw = _read_file(path)
    if raw is None:
        return NO_POLICY
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyInvalid(
            f"The administrator's policy {path} cannot be read ({type(exc).__name__}). {_STOP}"
        ) from None
    return parse_toml_text(text, source=str(path))


def read_plist(path: Path) -> Policy:
    """The macOS managed preferences; only the policy keys are read (macOS adds its own PayloadUUID etc.)."""
    raw = _read_file(path)
    if raw is None:
        return NO_POLICY
    try:
        data = plistlib.loads(raw)
    except RecursionError:
        raise PolicyInvalid(f"The administrator's policy {path} is nested too deeply. {_STOP}") from None
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
        # Group Policy's key is writable by Administrators and SYSTEM only, unless someone loosened it.
        for path in (WINDOWS_KEY.rsplit("\\", 1)[0], WINDOWS_KEY):
            try:
                why = sddl.why_untrusted(sddl.key_sddl(winreg.HKEY_LOCAL_MACHINE, path))  # type: ignore[attr-defined,unused-ignore]
            except OSError as exc:
                why = f"its permissions cannot be read ({exc})"
            if why is not None:
                raise PolicyInvalid(
                    f"The administrator's policy {source} is not trusted: HKLM\\{path}: {why}. Only Administrators "
                    f"and SYSTEM may be able to change it. {_STOP}"
                )
        index = 0
        while True:
            try:
                values.append(winreg.EnumValue(key, index))  # type: ignore[attr-defined,unused-ignore]
            except OSError:
                break
            index += 1
    return from_registry([(n, t, v) for n, v, t in values], source=source)


# -- who may have written it -----------------------------------------------------------------------


def _why_not_root_only(path: Path) -> tuple[Path, str] | None:
    """The first of ``path`` and the folders above it (from ``/`` down) that someone other than root
    could change, and why; None if only root can. A root-owned sticky folder (``/tmp``) is allowed:
    others may add entries to it, but not rename or replace root's."""
    for component in (*reversed(path.parents), path):
        try:
            st = os.lstat(component)
        except FileNotFoundError:
            return None  # nothing further down exists to be trusted or not
        except OSError as exc:
            return component, f"cannot be checked ({type(exc).__name__})"
        sticky_dir = stat.S_ISDIR(st.st_mode) and bool(st.st_mode & stat.S_ISVTX)
        if stat.S_ISLNK(st.st_mode):
            return component, "is a symbolic link"
        if st.st_uid != 0:
            return component, f"is owned by uid {st.st_uid}, not by root"
        if st.st_mode & stat.S_IWOTH and not sticky_dir:
            return component, "is writable by others"
        if st.st_mode & stat.S_IWGRP and not sticky_dir:
            return component, "is writable by its group"
    return None


def _outside_initial_user_namespace() -> bool:
    """In a user namespace a user made, "root" may be that user: no owner there can be trusted."""
    try:
        return os.stat("/proc/self/ns/user").st_ino != _INITIAL_USER_NS
    except OSError:
        return False  # no /proc (macOS): there are no user namespaces to be in


def _check_root_only(path: Path) -> None:
    """Refuse a policy someone other than root could have written or swapped (POSIX)."""
    if sys.platform.startswith("linux") and _outside_initial_user_namespace() and os.path.lexists(path):
        raise PolicyInvalid(
            f"The administrator's policy {path} cannot be trusted inside a user namespace, where root may be "
            f"any user. {_STOP}"
        )
    found = _why_not_root_only(path)
    if found is not None:
        component, why = found
        raise PolicyInvalid(
            f"The administrator's policy {path} is not trusted: {component} {why}. The policy and every folder "
            f"above it must be owned by root and writable only by root. {_STOP}"
        )


def _check_audit_export_path(policy: Policy) -> None:
    """The SIEM copy goes only into a folder only root controls: a policy cannot aim it at a user's file."""
    if policy.audit_export_path is None:
        return
    target = Path(policy.audit_export_path)
    found = _why_not_root_only(target.parent)
    if found is None and not target.parent.is_dir():
        found = (target.parent, "does not exist")
    if found is not None:
        component, why = found
        raise PolicyInvalid(
            f"The administrator's policy {policy.source} is not valid: audit_export_path {target} must be in a "
            f"folder that only root can change, but {component} {why}. {_STOP}"
        )


def _read_system_file(path: Path, marker: Path, reader: Callable[[Path], Policy]) -> Policy:
    """The policy at a POSIX system location, once only root could have written it; a missing policy
    where the installer's marker says there must be one stops the app."""
    if not os.path.lexists(path):
        if os.path.lexists(marker):
            raise PolicyInvalid(
                f"This is a managed installation ({marker}), but the administrator's policy {path} is missing. {_STOP}"
            )
        return NO_POLICY
    _check_root_only(path)
    policy = reader(path)
    _check_audit_export_path(policy)
    return policy


def load_system_policy() -> Policy:
    """The policy of this machine, from where this platform keeps it."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        policy = read_windows_registry()
        if policy == NO_POLICY and _windows_marker():
            raise PolicyInvalid(
                f"This is a managed installation (HKLM\\{WINDOWS_MARKER_KEY}\\{WINDOWS_MARKER_VALUE}), but the "
                f"administrator's policy HKLM\\{WINDOWS_KEY} is missing. {_STOP}"
            )
        return policy
    if sys.platform == "darwin":  # pragma: no cover - macOS only
        return _read_system_file(MACOS_PATH, MACOS_MARKER, read_plist)
    return _read_system_file(LINUX_PATH, LINUX_MARKER, read_toml)


def _windows_marker() -> bool:  # pragma: no cover - Windows only
    import winreg  # type: ignore[import-not-found,unused-ignore]

    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, WINDOWS_MARKER_KEY) as key:  # type: ignore[attr-defined,unused-ignore]
            value, _kind = winreg.QueryValueEx(key, WINDOWS_MARKER_VALUE)  # type: ignore[attr-defined,unused-ignore]
    except OSError:
        return False
    return str(value).strip() not in ("", "0")  # the MSI writes "[MANAGED]": empty unless MANAGED=1
