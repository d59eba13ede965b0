"""Issue 22, item 5 on Windows: the policy's registry key counts only if Administrators or SYSTEM alone
can change it. These are the judgements on security descriptors as Windows writes them (SDDL); reading
a real key's descriptor (``core.sddl.key_sddl``) needs Windows and is not run here."""

from __future__ import annotations

import pytest

from core import sddl

#: HKLM\SOFTWARE\Policies on a fresh Windows 10/11: Users and app containers may read, CREATOR OWNER's
#: entry is inherit-only (it applies to subkeys an owner creates, not to this key).
DEFAULT = (
    "O:BAG:SYD:PAI(A;CIIO;KA;;;CO)(A;CI;KR;;;BU)(A;CI;KA;;;BA)(A;CI;KA;;;SY)(A;CI;KR;;;AC)"
    "(A;CI;KR;;;S-1-15-3-1024-1065365936-1281604716-3511738428-1654721687-432734479-3232135806-4053264122-3456934681)"
)


def test_the_default_permissions_are_trusted() -> None:
    assert sddl.why_untrusted(DEFAULT) is None
    assert sddl.why_untrusted("O:S-1-5-18D:(A;;0xF003F;;;S-1-5-32-544)") is None


@pytest.mark.parametrize(
    ("descriptor", "why"),
    [
        (DEFAULT.replace("(A;CI;KR;;;BU)", "(A;CI;KA;;;BU)"), "BU may change it"),  # Users: full control
        (DEFAULT.replace("(A;CI;KR;;;BU)", "(A;CI;KW;;;WD)"), "WD may change it"),  # Everyone: write
        (DEFAULT + "(A;;DC;;;S-1-5-21-1-2-3-1001)", "S-1-5-21-1-2-3-1001 may change it"),  # set value, as a letter
        (DEFAULT + "(A;;0x40000;;;AU)", "AU may change it"),  # write the access list itself
        (DEFAULT.replace("O:BA", "O:S-1-5-21-1-2-3-1001"), "owned by S-1-5-21-1-2-3-1001"),
        ("O:BAG:SY", "cannot be read"),
        ("O:BAD:(A;;ZZ;;;BA)", "unknown access right"),
    ],
    ids=["users-full", "everyone-write", "a-user-set-value", "write-dac", "owned-by-a-user", "no-dacl", "garbage"],
)
def test_a_key_someone_else_could_change_is_not_trusted(descriptor: str, why: str) -> None:
    found = sddl.why_untrusted(descriptor)
    assert found is not None and why in found


def test_deny_and_inherit_only_entries_grant_nothing_here() -> None:
    assert sddl.why_untrusted(DEFAULT + "(D;;KA;;;BU)(A;CIIO;KA;;;BU)") is None
