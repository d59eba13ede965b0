"""The custom vocabulary: the personal list, each recording's, and the policy's; what transcription is
biased towards, and the entries marked "always redact"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from core import errors, vocabulary
from core.session.context import VaultContext
from core.types import RecordingId
from core.vault import records
from core.vocabulary import VocabChange, VocabEntry


class VocabularyDesk:
    def __init__(self, ctx: VaultContext) -> None:
        self._ctx = ctx

    def entries(self, recording_id: RecordingId | None = None) -> list[VocabEntry]:
        """The personal list followed by the policy's entries (read-only, ``source="policy"``), or the list
        of ``recording_id``. Each in the order it was added."""
        if recording_id is not None:
            self._require_recording(recording_id)
            return self._ctx.read(lambda conn: vocabulary.entries(conn, recording_id))
        own = self._ctx.read(lambda conn: vocabulary.entries(conn, None))
        taken = {vocabulary.fold(e.phrase) for e in own}
        policy = [VocabEntry(p, source=vocabulary.POLICY) for p in self._policy_phrases()]
        return own + [e for e in policy if vocabulary.fold(e.phrase) not in taken]

    def add_vocabulary(
        self, phrases: Sequence[str], *, recording_id: RecordingId | None = None, redact: bool = False
    ) -> VocabChange:
        """Add phrases to the personal list or ``recording_id``'s. Each is checked first (BadInput says which
        and why; nothing is added then); one already there, ignoring case, is merged (and marked "always
        redact" when ``redact``). Audited with counts only."""
        cleaned = [vocabulary.clean(p) for p in phrases]
        if not cleaned:
            raise errors.BadInput("Give at least one phrase to add.")
        return self._add_vocabulary(cleaned, recording_id=recording_id, redact=redact, kind="vocabulary.add")

    def import_vocabulary(
        self, path: Path, *, recording_id: RecordingId | None = None, redact: bool = False
    ) -> VocabChange:
        """Add the phrases of a UTF-8 text file, one per line (``#`` comments and blank lines skipped). A file
        too large, binary or not UTF-8 is refused whole; lines that are not valid phrases are counted and
        named by number in the result. Nothing of the file is written anywhere but the vault."""
        try:
            with open(path, "rb") as fh:
                data = fh.read(vocabulary.MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            raise errors.BadInput(f"Could not read {path}: {exc.strerror}") from None
        return self.import_vocabulary_text(data, name=path.name, recording_id=recording_id, redact=redact)

    def import_vocabulary_text(
        self, data: bytes, *, name: str, recording_id: RecordingId | None = None, redact: bool = False
    ) -> VocabChange:
        """``import_vocabulary`` of a file's bytes already read (the CLI's stdin); ``name`` is for messages."""
        parsed = vocabulary.parse_phrase_file(data, name=name)
        change = self._add_vocabulary(
            list(parsed.phrases),
            recording_id=recording_id,
            redact=redact,
            kind="vocabulary.import",
            extra={"skipped": parsed.skipped, "invalid": parsed.invalid},
        )
        return replace(change, skipped=parsed.skipped, invalid_lines=parsed.invalid_lines, invalid=parsed.invalid)

    def _add_vocabulary(
        self,
        phrases: list[str],
        *,
        recording_id: RecordingId | None,
        redact: bool,
        kind: str,
        extra: dict[str, Any] | None = None,
    ) -> VocabChange:
        if recording_id is not None:
            self._require_recording(recording_id)
        now = self._ctx.clock.now_ms()

        def op(conn: Any) -> VocabChange:
            change = vocabulary.add(conn, recording_id, phrases, redact=redact, now_ms=now)
            detail = {
                "list": vocabulary.RECORDING if recording_id else vocabulary.PERSONAL,
                "added": change.added,
                "merged": change.merged,
                "redact": redact,
                "total": change.total,
                **(extra or {}),
            }
            self._ctx.audit_in(conn, kind, "success", object_id=recording_id, detail=detail)
            return change

        return self._ctx.transaction(op)

    def remove_vocabulary(self, phrases: Sequence[str], *, recording_id: RecordingId | None = None) -> list[VocabEntry]:
        """Remove phrases (ignoring case) from the personal list or ``recording_id``'s; returns the entries
        removed, so that adding them back (with their "always redact" mark) undoes it. A phrase only the
        policy provides is refused (PolicyDenied); one in no list is BadInput."""
        wanted = [" ".join(p.split()) for p in phrases if p.strip()]
        if not wanted:
            raise errors.BadInput("Give at least one phrase to remove.")
        if recording_id is not None:
            self._require_recording(recording_id)
        policy = {vocabulary.fold(p) for p in self._policy_phrases()} if recording_id is None else set()

        def op(conn: Any) -> list[VocabEntry]:
            gone = vocabulary.remove(conn, recording_id, wanted)
            removed = {vocabulary.fold(e.phrase) for e in gone}
            missing = [p for p in wanted if vocabulary.fold(p) not in removed]
            if any(vocabulary.fold(p) in policy for p in missing):
                raise errors.PolicyDenied(
                    "That phrase is in your organization's vocabulary: only IT can remove it (nothing was removed)."
                )
            if missing:
                where = f"the vocabulary of recording {recording_id}" if recording_id else "your vocabulary"
                raise errors.BadInput(f"{missing[0]!r} is not in {where} (nothing was removed).")
            detail = {"list": vocabulary.RECORDING if recording_id else vocabulary.PERSONAL, "removed": len(gone)}
            self._ctx.audit_in(conn, "vocabulary.remove", "success", object_id=recording_id, detail=detail)
            return gone

        return self._ctx.transaction(op)

    def restore_vocabulary(self, entries: Sequence[VocabEntry]) -> None:
        """Put back entries ``remove_vocabulary`` returned (an undo), each in its own list, in one commit."""
        now = self._ctx.clock.now_ms()

        def op(conn: Any) -> None:
            for entry in entries:
                if entry.read_only:
                    continue
                vocabulary.add(conn, entry.recording_id, [entry.phrase], redact=entry.redact, now_ms=now)
            self._ctx.audit_in(conn, "vocabulary.restore", "success", detail={"restored": len(entries)})

        self._ctx.transaction(op)

    def set_vocabulary_redact(self, phrase: str, redact: bool, *, recording_id: RecordingId | None = None) -> None:
        """Mark an entry "always redact" (its phrase joins ``detection_terms``) or not."""

        def op(conn: Any) -> None:
            if not vocabulary.set_redact(conn, recording_id, phrase, redact):
                raise errors.BadInput(f"{phrase!r} is not in that vocabulary list.")
            detail = {"list": vocabulary.RECORDING if recording_id else vocabulary.PERSONAL, "redact": redact}
            self._ctx.audit_in(conn, "vocabulary.redact", "success", object_id=recording_id, detail=detail)

        self._ctx.transaction(op)

    def transcription_phrases(self, recording_id: RecordingId) -> tuple[str, ...]:
        """What transcription of ``recording_id`` is biased towards: the personal list, the recording's,
        then the policy's, each phrase once (first spelling wins), in that stable order."""

        def read(conn: Any) -> tuple[list[VocabEntry], list[VocabEntry]]:
            return vocabulary.entries(conn, None), vocabulary.entries(conn, recording_id)

        own, theirs = self._ctx.read(read)
        return vocabulary.merge((e.phrase for e in own), (e.phrase for e in theirs), self._policy_phrases())

    def boost_weight(self) -> float | None:
        """The boost weight in force (the policy's, else the user's); None leaves it to the engine."""
        value = self._ctx.setting("vocabulary_boost_weight")
        return None if value is None else float(value)

    def _policy_phrases(self) -> tuple[str, ...]:
        return vocabulary.merge(vocabulary.clean(p) for p in self._ctx.policy.vocabulary or ())

    def _require_recording(self, recording_id: RecordingId) -> None:
        if self._ctx.read(lambda conn: records.get_recording(conn, recording_id)) is None:
            raise errors.BadInput(f"There is no recording {recording_id}.")
