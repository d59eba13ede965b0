"""Text bound for a terminal, made inert: titles and file names come from users and other people's files.

A title or file name can hold ESC and OSC sequences (which move the cursor, retitle the window or write
a hyperlink), other C0 and C1 control characters, and bidirectional overrides that show "gnp.exe" as
"exe.png". Printed raw they act on the terminal. ``printable`` writes each such character as a visible
escape (``\\x1b``, ``\\u202e``) instead; only the line breaks and tabs the command itself lays out are
kept. The stored value is never changed: this is for output only. JSON output needs none of it: the
encoder escapes every control and non-ASCII character already.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # marks, embeddings, overrides, isolates
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character but line feed and tab, and every bidi control, escaped."""
    return _UNSAFE.sub(_escape, text)
