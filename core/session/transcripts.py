"""Transcripts: the current one, edits, search, speakers' names, and render and export (redacted by
the review by default)."""

from __future__ import annotations

import locale
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from core import errors, export
from core.edits import Edit
from core.session.context import VaultContext
from core.session.recordings import RecordingsDesk
from core.types import RecordingId, Redaction, SearchHit, Transcript, TranscriptId
from core.vault import records


class TranscriptsDesk:
    def __init__(self, ctx: VaultContext, recordings: RecordingsDesk) -> None:
        self._ctx = ctx
        self._recordings = recordings

    def edit_transcript(self, recording_id: RecordingId, text: str) -> Transcript:
        """Replace the current transcript's text with the user's correction.

        Words the edit leaves alone keep their timing, rewritten words share the time of
        the words they replace, and redaction spans move with their words (see core.edits).
        The text before the edit is kept in the vault's edit history. Audited without text.
        """
        if "\x00" in text:
            raise errors.BadInput("The text contains a NUL character.")

        def op(conn: Any) -> Transcript:
            before = current_in(conn, recording_id)
            if text == before.text:
                return before
            edit = Edit(before.text, text)
            after = replace(before, text=text, words=edit.words(before.words), segments=edit.segments(before.segments))
            now = self._ctx.clock.now_ms()
            records.update_transcript(conn, after, before_text=before.text, now_ms=now)
            dropped = 0
            for red in records.list_redactions(conn, before.id):
                span = edit.map_span(red.start, red.end)
                if span is None:
                    records.delete_redaction(conn, red.id)
                    dropped += 1
                elif span != (red.start, red.end):
                    records.move_redaction(conn, red.id, *span, now_ms=now)
            detail = {"chars_before": len(before.text), "chars_after": len(text), "redactions_dropped": dropped}
            self._ctx.audit_in(conn, "transcript.edit", "success", object_id=before.id, detail=detail)
            return after

        return self._ctx.transaction(op)

    def save_transcript(self, transcript: Transcript) -> None:
        def op(conn: Any) -> None:
            records.save_transcript(conn, transcript)
            self._ctx.audit_in(conn, "transcript.save", "success", object_id=transcript.id)

        self._ctx.transaction(op)

    def get(self, transcript_id: TranscriptId) -> Transcript | None:
        return self._ctx.transaction(lambda conn: records.get_transcript(conn, transcript_id))

    def current_transcript(self, recording_id: RecordingId) -> Transcript:
        return self._ctx.transaction(lambda conn: current_in(conn, recording_id))

    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        if not query.strip():
            return []
        return self._ctx.transaction(lambda conn: records.search(conn, query, limit=limit))

    def speaker_names(self, recording_id: RecordingId) -> dict[str, str]:
        """The names given to a recording's speakers: diarizer label ("speaker_1") -> name."""
        return self._ctx.read(lambda conn: records.speaker_names(conn, recording_id))

    def rename_speaker(self, recording_id: RecordingId, label: str, name: str | None) -> None:
        """Give a speaker of the recording's transcript a name (None or blank takes it back to its label).

        The name shows in the transcript view and in every export that is not redacted, and it joins
        the recording's ``detection_terms``: a speaker's real name is redacted as NAME like any other.
        Audited without the name.
        """
        cleaned = " ".join((name or "").split())
        if len(cleaned) > 100:
            raise errors.BadInput("A speaker's name can be at most 100 characters.")

        def op(conn: Any) -> None:
            tr = current_in(conn, recording_id)
            if label not in {w.speaker for w in tr.words if w.speaker is not None}:
                raise errors.BadInput(f"The transcript of {recording_id} has no speaker {label!r}.")
            records.set_speaker_name(conn, recording_id, label, cleaned or None, now_ms=self._ctx.clock.now_ms())
            detail = {"label": label, "named": bool(cleaned)}
            self._ctx.audit_in(conn, "speaker.rename", "success", object_id=recording_id, detail=detail)

        self._ctx.transaction(op)

    def render_transcript(self, recording_id: RecordingId, fmt: str = "txt", *, redacted: bool = True) -> str:
        """The current transcript in an export format, redacted by its reviewed state by default."""
        self._ctx.policy.check_export(redacted=redacted)
        tr, reds = self.reviewed(recording_id)
        try:
            return export.render(fmt, tr, reds, redacted=redacted, speakers=self.speaker_names(recording_id))
        except ValueError as exc:
            raise errors.BadInput(str(exc)) from None

    def export_transcript(
        self, recording_id: RecordingId, out: Path, fmt: str, *, redacted: bool = True, overwrite: bool = False
    ) -> int:
        """Write the transcript to a file the user chose (``VaultContext.user_file``); audited with format
        and redaction.

        Any of `export.FORMATS`. An unredacted DOCX is headed by the recording's title; a redacted one
        is not, since a title (often a file name) may name someone. A DOCX is dated by the session's
        clock and laid out on the ``paper_size`` setting (auto: the locale's paper).
        """
        self._ctx.policy.check_export(redacted=redacted)
        tr, reds = self.reviewed(recording_id)
        rec = self._recordings.get(recording_id) if fmt == "docx" else None
        try:
            title = rec.title if rec is not None and not redacted else None
            names = self.speaker_names(recording_id)
            info = None
            if rec is not None:
                paper = self._ctx.setting("paper_size")
                if paper == "auto":
                    paper = export.paper_for_locale(os.environ, locale.getlocale()[0])
                info = export.DocumentInfo(
                    exported_ms=self._ctx.clock.now_ms(), recorded_ms=rec.created_ms, duration_ms=rec.duration_ms,
                    paper=paper,
                )  # fmt: skip
            data = export.render_bytes(fmt, tr, reds, redacted=redacted, title=title, speakers=names, document=info)
        except ValueError as exc:
            raise errors.BadInput(str(exc)) from None
        with self._ctx.user_file(out, overwrite=overwrite) as fh:
            fh.write(data)
        detail = {"format": fmt, "redacted": redacted, "bytes": len(data)}
        self._ctx.audit("transcript.export", "success", object_id=recording_id, detail=detail)
        return len(data)

    def reviewed(self, recording_id: RecordingId) -> tuple[Transcript, list[Redaction]]:
        """The current transcript and its redactions, read in one transaction."""

        def op(conn: Any) -> tuple[Transcript, list[Redaction]]:
            tr = current_in(conn, recording_id)
            return tr, records.list_redactions(conn, tr.id)

        return self._ctx.transaction(op)


def current_in(conn: Any, recording_id: RecordingId) -> Transcript:
    found = records.current_transcript(conn, recording_id)
    if found is None:
        raise errors.BadInput(f"Recording {recording_id} has no transcript yet.")
    return found
