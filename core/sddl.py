"""Who may change a Windows registry key, read from its security descriptor in SDDL form.

The policy's registry key counts only if Administrators, SYSTEM or TrustedInstaller own it and no one
else is allowed to write it (issue 22). Parsing and judging the SDDL string is plain Python, tested on
any platform; fetching it (``key_sddl``) needs Windows and was not run here. Only allow entries matter:
a deny entry can only take rights away, and inherit-only entries apply to subkeys, not the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: SIDs that may own and write the policy: Administrators, SYSTEM, TrustedInstaller (by alias or SID).
TRUSTED = frozenset(
    {
        "BA",
        "SY",
        "S-1-5-32-544",
        "S-1-5-18",
        "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
    }
)

# Access rights, as ConvertSecurityDescriptorToStringSecurityDescriptor writes them for a registry key.
_RIGHTS = {
    "GA": 0x10000000, "GX": 0x20000000, "GW": 0x40000000, "GR": 0x80000000,
    "SD": 0x00010000, "RC": 0x00020000, "WD": 0x00040000, "WO": 0x00080000,
    "KA": 0x000F003F, "KR": 0x00020019, "KW": 0x00020006, "KX": 0x00020019,
    "CC": 0x1, "DC": 0x2, "LC": 0x4, "SW": 0x8, "RP": 0x10, "WP": 0x20, "DT": 0x40, "LO": 0x80, "CR": 0x100,
    "FA": 0x001F01FF, "FR": 0x00120089, "FW": 0x00120116, "FX": 0x001200A0,
}  # fmt: skip
#: KEY_SET_VALUE, KEY_CREATE_SUB_KEY, KEY_CREATE_LINK, DELETE, WRITE_DAC, WRITE_OWNER, GENERIC_ALL/WRITE
WRITE_MASK = 0x2 | 0x4 | 0x20 | 0x00010000 | 0x00040000 | 0x00080000 | 0x10000000 | 0x40000000
_ACE = re.compile(r"\(([^()]*)\)")
#: Allow entries: plain, object, callback and callback-object ones.
_ALLOW = frozenset({"A", "OA", "XA", "ZA"})


class SddlInvalid(ValueError):
    """The descriptor could not be parsed: treated as untrusted by the caller."""


@dataclass(frozen=True)
class Ace:
    kind: str
    flags: str
    rights: int
    sid: str


def _rights(text: str) -> int:
    if text.lower().startswith("0x"):
        try:
            return int(text, 16)
        except ValueError:
            raise SddlInvalid(f"bad access mask {text!r}") from None
    if len(text) % 2:
        raise SddlInvalid(f"bad access rights {text!r}")
    mask = 0
    for i in range(0, len(text), 2):
        code = text[i : i + 2]
        if code not in _RIGHTS:
            raise SddlInvalid(f"unknown access right {code!r}")
        mask |= _RIGHTS[code]
    return mask


def parse(sddl: str) -> tuple[str, list[Ace]]:
    """The owner SID and the DACL's entries of an SDDL string such as ``O:BAG:SYD:PAI(A;CI;KA;;;BA)``."""
    owner = re.match(r"O:([A-Z]{2}|S-\d+(?:-\d+)+)", sddl)
    dacl_at = sddl.find("D:")
    if owner is None or dacl_at < 0:
        raise SddlInvalid("no owner or no access list")
    dacl = sddl[dacl_at + 2 :]
    dacl = dacl.split("S:", 1)[0]  # the audit list (SACL), if any, follows
    aces = []
    for body in _ACE.findall(dacl):
        parts = body.split(";")
        if len(parts) < 6:
            raise SddlInvalid(f"bad access entry ({body})")
        aces.append(Ace(parts[0], parts[1], _rights(parts[2]), parts[5]))
    return owner.group(1), aces


def why_untrusted(sddl: str) -> str | None:
    """Why someone other than Administrators, SYSTEM or TrustedInstaller could change the object; None if
    no one else can."""
    try:
        owner, aces = parse(sddl)
    except SddlInvalid as exc:
        return f"its permissions cannot be read ({exc})"
    if owner not in TRUSTED:
        return f"it is owned by {owner}, not by Administrators or SYSTEM"
    for ace in aces:
        if ace.kind not in _ALLOW or "IO" in ace.flags:
            continue
        if ace.rights & WRITE_MASK and ace.sid not in TRUSTED:
            return f"{ace.sid} may change it"
    return None


def key_sddl(hive: int, path: str) -> str:  # pragma: no cover - Windows only
    """The owner and access list of a registry key, as SDDL (advapi32 through ctypes)."""
    import ctypes
    from ctypes import wintypes

    advapi = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    owner_and_dacl = 0x1 | 0x4  # OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION
    key = wintypes.HKEY()
    if advapi.RegOpenKeyExW(wintypes.HKEY(hive), path, 0, 0x20019, ctypes.byref(key)):  # KEY_READ
        raise OSError(f"cannot open {path}")
    try:
        size = wintypes.DWORD(0)
        advapi.RegGetKeySecurity(key, owner_and_dacl, None, ctypes.byref(size))
        buffer = ctypes.create_string_buffer(size.value)
        if advapi.RegGetKeySecurity(key, owner_and_dacl, buffer, ctypes.byref(size)):
            raise OSError(f"cannot read the permissions of {path}")
        text = wintypes.LPWSTR()
        if not advapi.ConvertSecurityDescriptorToStringSecurityDescriptorW(
            buffer, 1, owner_and_dacl, ctypes.byref(text), None
        ):
            raise OSError(f"cannot convert the permissions of {path}")
        try:
            return str(text.value)
        finally:
            ctypes.windll.kernel32.LocalFree(text)  # type: ignore[attr-defined,unused-ignore]
    finally:
        advapi.RegCloseKey(key)
