"""Custom vocabulary: the phrases transcription is biased towards, kept inside the vault.

Three kinds of list: the personal one, one per recording (an interview's participants), and the one
the administrator's policy provides (read-only). An entry may also be marked "always redact": it then
joins the terms redaction looks for. This module owns what a valid phrase is, how lists merge, how a
phrase file is read, and the SQL over the ``vocabulary`` table (schema 5).

Never writes a phrase anywhere but the encrypted database: the engine gets them in memory, and audit
events carry counts, never phrases.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from core.errors import BadInput
from core.types import RecordingId

#: A phrase is a name or a term, not a sentence: longer ones help the decoder no more and cost memory.
MAX_PHRASE_CHARS = 100
#: Entries in one list (personal, or one recording's). Boosting many thousands of phrases slows
#: decoding and dilutes the bias; a formulary or a staff list fits well inside it.
MAX_PER_LIST = 5000
#: An import file larger than this is not a phrase list (5,000 phrases of 100 characters is ~0.5 MB).
MAX_IMPORT_BYTES = 1024 * 1024

PERSONAL, RECORDING, POLICY = "personal", "recording", "policy"


@dataclass(frozen=True)
class VocabEntry:
    phrase: str
    #: also redacted as a name wherever it is found (policy entries never are)
    redact: bool = False
    #: ``personal``, ``recording`` or ``policy`` (read-only)
    source: str = PERSONAL
    recording_id: RecordingId | None = None

    @property
    def read_only(self) -> bool:
        return self.source == POLICY


@dataclass(frozen=True)
class VocabChange:
    """What an add or an import did. ``merged`` were already in the list (compared ignoring case)."""

    added: int
    merged: int = 0
    #: comment and blank lines of an imported file
    skipped: int = 0
    #: line numbers (1-based) of an imported file's lines that are not valid phrases, first ones only
    invalid_lines: tuple[int, ...] = ()
    invalid: int = 0
    total: int = 0


def clean(raw: str) -> str:
    """The phrase as stored: Unicode NFC, runs of white space made one space. Raises BadInput why not."""
    if not isinstance(raw, str):
        raise BadInput("A vocabulary phrase must be text.")
    phrase = " ".join(unicodedata.normalize("NFC", raw).split())
    if not phrase:
        raise BadInput("A vocabulary phrase cannot be empty.")
    if len(phrase) > MAX_PHRASE_CHARS:
        raise BadInput(
            f"A vocabulary phrase can be at most {MAX_PHRASE_CHARS} characters (this one has {len(phrase)})."
        )
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in phrase):
        raise BadInput("A vocabulary phrase cannot hold control or invisible characters.")
    return phrase


def fold(phrase: str) -> str:
    """The key duplicates are merged on: case-insensitive in every script, white space and Unicode
    composition normalised, so that what a user types to remove finds what was stored."""
    return unicodedata.normalize("NFC", " ".join(phrase.split())).casefold()


def merge(*lists: Iterable[str]) -> tuple[str, ...]:
    """The phrases of ``lists`` in order, each once (the first spelling wins)."""
    seen: set[str] = set()
    out: list[str] = []
    for phrases in lists:
        for phrase in phrases:
            key = fold(phrase)
            if key not in seen:
                seen.add(key)
                out.append(phrase)
    return tuple(out)


@dataclass(frozen=True)
class PhraseFile:
    phrases: tuple[str, ...]
    skipped: int
    invalid_lines: tuple[int, ...]
    invalid: int


def parse_phrase_file(data: bytes, *, name: str = "the file") -> PhraseFile:
    """A UTF-8 text file, one phrase per line; ``#`` comments and blank lines are skipped.

    Raises BadInput for a file that is too large, binary or not UTF-8, naming ``name`` only.
    Lines that are not valid phrases are counted (with their numbers), not fatal.
    """
    if len(data) > MAX_IMPORT_BYTES:
        raise BadInput(
            f"{name} is too large for a phrase list ({len(data) // 1024} KiB; at most {MAX_IMPORT_BYTES // 1024} KiB)."
        )
    if b"\x00" in data:
        raise BadInput(f"{name} is not a text file (it holds binary data): use a UTF-8 text file, one phrase per line.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"{name} is not UTF-8 text (a bad byte at offset {exc.start}): save it as UTF-8, one phrase per line."
        ) from None
    phrases: list[str] = []
    skipped, invalid = 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            skipped += 1
            continue
        try:
            phrases.append(clean(stripped))
        except BadInput:
            invalid.append(number)
    return PhraseFile(tuple(phrases), skipped, tuple(invalid[:10]), len(invalid))


# -- the vocabulary table -------------------------------------------------------------------------


def entries(conn: Any, recording_id: RecordingId | None) -> list[VocabEntry]:
    """One list, in the order its entries were added."""
    if recording_id is None:
        rows = conn.execute("SELECT phrase, redact FROM vocabulary WHERE recording_id IS NULL ORDER BY id").fetchall()
        return [VocabEntry(str(p), bool(r)) for p, r in rows]
    rows = conn.execute(
        "SELECT phrase, redact FROM vocabulary WHERE recording_id = ? ORDER BY id", (recording_id,)
    ).fetchall()
    return [VocabEntry(str(p), bool(r), RECORDING, recording_id) for p, r in rows]


def redact_phrases(conn: Any, recording_id: RecordingId | None) -> list[str]:
    """The personal list's "always redact" entries, and the recording's when one is named."""
    rows = conn.execute(
        "SELECT phrase FROM vocabulary WHERE redact = 1 AND (recording_id IS NULL OR recording_id IS ?) "
        "ORDER BY recording_id IS NOT NULL, id",
        (recording_id,),
    ).fetchall()
    return [str(r[0]) for r in rows]


def add(
    conn: Any, recording_id: RecordingId | None, phrases: Sequence[str], *, redact: bool, now_ms: int
) -> VocabChange:
    """Add cleaned ``phrases``; one already in the list (ignoring case) is merged, and marked "always
    redact" if ``redact``. Refuses, changing nothing, a batch that would take the list past the limit."""
    existing = {fold(e.phrase): e for e in entries(conn, recording_id)}
    new = [p for p in merge(phrases) if fold(p) not in existing]
    merged = len(phrases) - len(new)  # already listed, or a repeat within ``phrases``
    if len(existing) + len(new) > MAX_PER_LIST:
        raise BadInput(
            f"A vocabulary list can hold at most {MAX_PER_LIST} phrases: this one has {len(existing)}, "
            f"and {len(new)} more would not fit. Nothing was added."
        )
    for phrase in new:
        conn.execute(
            "INSERT INTO vocabulary(recording_id, phrase, folded, redact, added_ms) VALUES (?, ?, ?, ?, ?)",
            (recording_id, phrase, fold(phrase), int(redact), now_ms),
        )
    if redact:
        for phrase in phrases:
            _set_redact(conn, recording_id, phrase, True)
    return VocabChange(added=len(new), merged=merged, total=len(existing) + len(new))


def remove(conn: Any, recording_id: RecordingId | None, phrases: Sequence[str]) -> list[VocabEntry]:
    """Remove ``phrases`` (ignoring case); returns the entries removed, for an undo."""
    wanted = {fold(p) for p in phrases}
    gone = [e for e in entries(conn, recording_id) if fold(e.phrase) in wanted]
    for entry in gone:
        conn.execute(
            "DELETE FROM vocabulary WHERE recording_id IS ? AND folded = ?", (recording_id, fold(entry.phrase))
        )
    return gone


def set_redact(conn: Any, recording_id: RecordingId | None, phrase: str, redact: bool) -> bool:
    return _set_redact(conn, recording_id, phrase, redact)


def _set_redact(conn: Any, recording_id: RecordingId | None, phrase: str, redact: bool) -> bool:
    cur = conn.execute(
        "UPDATE vocabulary SET redact = ? WHERE recording_id IS ? AND folded = ?",
        (int(redact), recording_id, fold(phrase)),
    )
    return bool(cur.rowcount)
