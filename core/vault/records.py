"""Recordings, transcripts and jobs inside the vault: plain functions over a connection.

Called by the session's desks inside their transactions. The values they read and write are the domain
types of ``core.types`` (frozen dataclasses, states as StrEnums); import them from there. Text lives
only in the encrypted database.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

import sqlcipher3.dbapi2 as sqlite

from core.errors import BadInput
from core.types import (
    Job,
    JobId,
    Recording,
    RecordingId,
    Redaction,
    SearchHit,
    Segment,
    Transcript,
    TranscriptId,
    Word,
)

T = TypeVar("T", "Word", "Segment")

_SQLITE_ERROR = 1  # the generic result code; busy, I/O and corruption have their own


def add_recording(
    conn: Any,
    rec: Recording,
    *,
    audio_key_sealed: bytes | None = None,
    original_blob: str | None = None,
    audio_blob: str | None = None,
    sample_rate_hz: int | None = None,
    channels: int | None = None,
) -> None:
    conn.execute(
        "INSERT INTO recordings(id, title, created_ms, duration_ms, language, status, source_name,"
        " original_sha256, audio_key_wrapped, original_blob, audio_blob, sample_rate_hz, channels)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            rec.id,
            rec.title,
            rec.created_ms,
            rec.duration_ms,
            rec.language,
            rec.status,
            rec.source_name,
            rec.original_sha256,
            audio_key_sealed,
            original_blob,
            audio_blob,
            sample_rate_hz,
            channels,
        ),
    )


def set_audio(conn: Any, rid: RecordingId, *, audio_blob: str, duration_ms: int, status: str) -> None:
    """A recording's 16 kHz PCM is ready: attach it and move the recording on."""
    conn.execute(
        "UPDATE recordings SET audio_blob = ?, duration_ms = ?, status = ? WHERE id = ?",
        (audio_blob, duration_ms, status, rid),
    )


def set_status(conn: Any, rid: RecordingId, status: str) -> None:
    conn.execute("UPDATE recordings SET status = ? WHERE id = ?", (status, rid))


def capture_format(conn: Any, rid: RecordingId) -> tuple[int, int]:
    row = conn.execute("SELECT sample_rate_hz, channels FROM recordings WHERE id = ?", (rid,)).fetchone()
    return int(row[0]), int(row[1])


def ids_with_status(conn: Any, status: str) -> list[RecordingId]:
    rows = conn.execute("SELECT id FROM recordings WHERE status = ? ORDER BY created_ms", (status,)).fetchall()
    return [RecordingId(row[0]) for row in rows]


BLOB_ROLES = ("original", "audio", "redacted")


def blob_names(conn: Any, rid: RecordingId) -> dict[str, str]:
    """The blob files of one recording, by role ("original", "audio", "redacted")."""
    row = conn.execute(
        "SELECT original_blob, audio_blob, redacted_blob FROM recordings WHERE id = ?", (rid,)
    ).fetchone()
    if row is None:
        return {}
    return {role: name for role, name in zip(BLOB_ROLES, row, strict=True) if name}


def all_blob_names(conn: Any) -> set[str]:
    rows = conn.execute("SELECT original_blob, audio_blob, redacted_blob FROM recordings").fetchall()
    return {name for row in rows for name in row if name}


def set_redacted_blob(conn: Any, rid: RecordingId, name: str | None, *, made_from: str | None) -> str | None:
    """Point the recording at its new redacted audio and what it was made from (migration 7); returns
    the blob it replaces, for removal."""
    row = conn.execute("SELECT redacted_blob FROM recordings WHERE id = ?", (rid,)).fetchone()
    conn.execute("UPDATE recordings SET redacted_blob = ?, redacted_from = ? WHERE id = ?", (name, made_from, rid))
    return None if row is None else row[0]


def redacted_from(conn: Any, rid: RecordingId) -> str | None:
    """What the recording's redacted audio was made from, as ``set_redacted_blob`` stored it."""
    row = conn.execute("SELECT redacted_from FROM recordings WHERE id = ?", (rid,)).fetchone()
    return None if row is None else row[0]


def keep_only_redacted(
    conn: Any, rid: RecordingId, *, redacted_blob: str, made_from: str, audio_key_sealed: bytes
) -> list[str]:
    """Make the redacted copy, sealed under a new key, the recording's only audio.

    The old key is overwritten here, so every blob it sealed (the original, the 16 kHz PCM, an older
    redacted copy) is unreadable from this commit on; returns their names, for removal.
    """
    row = conn.execute(
        "SELECT original_blob, audio_blob, redacted_blob FROM recordings WHERE id = ?", (rid,)
    ).fetchone()
    conn.execute(
        "UPDATE recordings SET redacted_blob = ?, redacted_from = ?, audio_key_wrapped = ?, original_blob = NULL,"
        " audio_blob = NULL WHERE id = ?",
        (redacted_blob, made_from, audio_key_sealed, rid),
    )
    return [] if row is None else [name for name in row if name and name != redacted_blob]


def sealed_key(conn: Any, rid: RecordingId) -> bytes | None:
    row = conn.execute("SELECT audio_key_wrapped FROM recordings WHERE id = ?", (rid,)).fetchone()
    return None if row is None else row[0]


def delete_recording(conn: Any, rid: RecordingId) -> bool:
    """Destroy the recording's key, then its row (transcripts and redactions cascade)."""
    conn.execute("UPDATE recordings SET audio_key_wrapped = NULL WHERE id = ?", (rid,))
    return bool(conn.execute("DELETE FROM recordings WHERE id = ?", (rid,)).rowcount)


def get_recording(conn: Any, rid: RecordingId) -> Recording | None:
    row = conn.execute(
        "SELECT id, title, created_ms, duration_ms, language, status, source_name, original_sha256"
        " FROM recordings WHERE id = ?",
        (rid,),
    ).fetchone()
    return None if row is None else Recording(*row)


def list_recordings(conn: Any, *, status: str | None = None) -> list[Recording]:
    rows = conn.execute(
        "SELECT id, title, created_ms, duration_ms, language, status, source_name, original_sha256"
        " FROM recordings WHERE ?1 IS NULL OR status = ?1 ORDER BY created_ms DESC, id",
        (status,),
    ).fetchall()
    return [Recording(*row) for row in rows]


def set_title(conn: Any, rid: RecordingId, title: str) -> bool:
    return bool(conn.execute("UPDATE recordings SET title = ? WHERE id = ?", (title, rid)).rowcount)


def tags_of(conn: Any) -> dict[RecordingId, tuple[str, ...]]:
    """Every recording's tags, sorted; recordings without tags are absent."""
    rows = conn.execute(
        "SELECT rt.recording_id, t.name FROM recording_tags rt JOIN tags t ON t.id = rt.tag_id"
        " ORDER BY rt.recording_id, t.name COLLATE NOCASE"
    ).fetchall()
    out: dict[RecordingId, list[str]] = {}
    for rid, name in rows:
        out.setdefault(rid, []).append(name)
    return {rid: tuple(names) for rid, names in out.items()}


def set_tags(conn: Any, rid: RecordingId, tags: list[str]) -> None:
    """Replace a recording's tags; tags no recording uses any more are removed."""
    conn.execute("DELETE FROM recording_tags WHERE recording_id = ?", (rid,))
    for name in tags:
        conn.execute("INSERT INTO tags(name) VALUES (?) ON CONFLICT(name) DO NOTHING", (name,))
        conn.execute(
            "INSERT OR IGNORE INTO recording_tags(recording_id, tag_id) SELECT ?, id FROM tags WHERE name = ?",
            (rid, name),
        )
    conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM recording_tags)")


def count_recordings(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM recordings").fetchone()[0])


def _spans_json(spans: tuple[Word, ...] | tuple[Segment, ...], key: str) -> str:
    out = []
    for x in spans:
        item: dict[str, Any] = {key: x.text, "start_ms": x.start_ms, "end_ms": x.end_ms}
        if isinstance(x, Word) and x.speaker is not None:  # absent, not null: older rows read the same
            item["speaker"] = x.speaker
        out.append(item)
    return json.dumps(out)


def _spans(raw: str, key: str, kind: type[T]) -> tuple[T, ...]:
    items = json.loads(raw)
    if kind is Word:
        words = tuple(Word(x[key], int(x["start_ms"]), int(x["end_ms"]), x.get("speaker")) for x in items)
        return words  # type: ignore[return-value]  # T is Word here
    return tuple(kind(x[key], int(x["start_ms"]), int(x["end_ms"])) for x in items)


def save_transcript(conn: Any, tr: Transcript) -> None:
    """Store ``tr`` as the recording's current transcript; earlier ones are kept, no longer current."""
    conn.execute("UPDATE transcripts SET is_current = 0 WHERE recording_id = ?", (tr.recording_id,))
    conn.execute(
        "INSERT INTO transcripts(id, recording_id, created_ms, updated_ms, engine, model_id, language,"
        " text, words_json, segments_json, device) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            tr.id,
            tr.recording_id,
            tr.created_ms,
            tr.created_ms,
            tr.engine,
            tr.model_id,
            tr.language,
            tr.text,
            _spans_json(tr.words, "w"),
            _spans_json(tr.segments, "text"),
            tr.device,
        ),
    )


def update_transcript(conn: Any, tr: Transcript, *, before_text: str, now_ms: int) -> None:
    """Replace a transcript's text and timing in place, keeping the edit in its history."""
    conn.execute(
        "UPDATE transcripts SET text = ?, words_json = ?, segments_json = ?, updated_ms = ? WHERE id = ?",
        (tr.text, _spans_json(tr.words, "w"), _spans_json(tr.segments, "text"), now_ms, tr.id),
    )
    conn.execute(
        "INSERT INTO transcript_edits(transcript_id, at_ms, before_text, after_text) VALUES (?,?,?,?)",
        (tr.id, now_ms, before_text, tr.text),
    )


def get_transcript(conn: Any, tid: TranscriptId) -> Transcript | None:
    row = conn.execute(
        "SELECT id, recording_id, created_ms, engine, model_id, text, words_json, language, segments_json, device"
        " FROM transcripts WHERE id = ?",
        (tid,),
    ).fetchone()
    if row is None:
        return None
    words, segments = _spans(row[6], "w", Word), _spans(row[8], "text", Segment)
    return Transcript(row[0], row[1], row[2], row[3], row[4], row[5], words, row[7], segments, row[9])


def current_transcript(conn: Any, rid: RecordingId) -> Transcript | None:
    row = conn.execute(
        "SELECT id FROM transcripts WHERE recording_id = ? AND is_current = 1 ORDER BY created_ms DESC LIMIT 1",
        (rid,),
    ).fetchone()
    return None if row is None else get_transcript(conn, row[0])


def has_transcript(conn: Any, rid: RecordingId) -> bool:
    return conn.execute("SELECT 1 FROM transcripts WHERE recording_id = ? LIMIT 1", (rid,)).fetchone() is not None


# -- redactions ----------------------------------------------------------------

#: Review states; every one but "rejected" is redacted.
REVIEW_STATES = ("pending", "accepted", "rejected", "added")
_REDACTION_COLUMNS = (
    "id, transcript_id, entity_type, char_start, char_end, start_ms, end_ms, detector, score, review_state"
)


def list_redactions(conn: Any, tid: TranscriptId) -> list[Redaction]:
    rows = conn.execute(
        f"SELECT {_REDACTION_COLUMNS} FROM redactions WHERE transcript_id = ? ORDER BY char_start, char_end, id",
        (tid,),
    ).fetchall()
    return [Redaction(*row) for row in rows]


def get_redaction(conn: Any, redaction_id: int) -> Redaction | None:
    row = conn.execute(f"SELECT {_REDACTION_COLUMNS} FROM redactions WHERE id = ?", (redaction_id,)).fetchone()
    return None if row is None else Redaction(*row)


def insert_redaction(conn: Any, r: Redaction, *, now_ms: int) -> int:
    cur = conn.execute(
        "INSERT INTO redactions(transcript_id, entity_type, char_start, char_end, start_ms, end_ms, detector,"
        " score, review_state, updated_ms) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (r.transcript_id, r.type, r.start, r.end, r.start_ms, r.end_ms, r.detector, r.score, r.state, now_ms),
    )
    return int(cur.lastrowid)


def drop_pending_redactions(conn: Any, tid: TranscriptId) -> int:
    cur = conn.execute("DELETE FROM redactions WHERE transcript_id = ? AND review_state = 'pending'", (tid,))
    return int(cur.rowcount)


def set_review_state(conn: Any, redaction_id: int, state: str, *, now_ms: int) -> bool:
    if state not in REVIEW_STATES:
        raise ValueError(f"unknown review state {state!r}")
    cur = conn.execute(
        "UPDATE redactions SET review_state = ?, updated_ms = ? WHERE id = ?", (state, now_ms, redaction_id)
    )
    return bool(cur.rowcount)


def move_redaction(conn: Any, redaction_id: int, start: int, end: int, *, now_ms: int) -> None:
    conn.execute(
        "UPDATE redactions SET char_start = ?, char_end = ?, updated_ms = ? WHERE id = ?",
        (start, end, now_ms, redaction_id),
    )


def delete_redaction(conn: Any, redaction_id: int) -> bool:
    return bool(conn.execute("DELETE FROM redactions WHERE id = ?", (redaction_id,)).rowcount)


# -- jobs ----------------------------------------------------------------------

_JOB_COLUMNS = (
    "id, kind, recording_id, state, progress, model_id, attempts, created_ms, updated_ms, error, options_json"
)


def add_job(conn: Any, job: Job) -> None:
    conn.execute(
        f"INSERT INTO jobs({_JOB_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            job.id,
            job.kind,
            job.recording_id,
            job.state,
            job.progress,
            job.model_id,
            job.attempts,
            job.created_ms,
            job.updated_ms,
            job.error,
            job.options_json,
        ),
    )


def get_job(conn: Any, jid: JobId) -> Job | None:
    row = conn.execute(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = ?", (jid,)).fetchone()
    return None if row is None else Job(*row)


def list_jobs(conn: Any, *, state: str | None = None) -> list[Job]:
    """Oldest first: the order the queue runs them in."""
    rows = conn.execute(
        f"SELECT {_JOB_COLUMNS} FROM jobs WHERE ?1 IS NULL OR state = ?1 ORDER BY created_ms, rowid", (state,)
    ).fetchall()
    return [Job(*row) for row in rows]


def next_queued_job(conn: Any) -> Job | None:
    jobs = list_jobs(conn, state="queued")
    return jobs[0] if jobs else None


def set_job_state(
    conn: Any, jid: JobId, state: str, *, now_ms: int, error: str | None = None, count_attempt: bool = False
) -> None:
    """Move a job on; starting it (``count_attempt``) counts an attempt, finishing it sets progress to 1."""
    conn.execute(
        "UPDATE jobs SET state = ?1, error = ?2, updated_ms = ?3, attempts = attempts + ?4,"
        " progress = CASE WHEN ?1 = 'done' THEN 1.0 WHEN ?4 THEN 0.0 ELSE progress END WHERE id = ?5",
        (state, error, now_ms, int(count_attempt), jid),
    )


def set_job_progress(conn: Any, jid: JobId, fraction: float, *, now_ms: int) -> None:
    conn.execute(
        "UPDATE jobs SET progress = ?, updated_ms = ? WHERE id = ?", (min(1.0, max(0.0, fraction)), now_ms, jid)
    )


def search(conn: Any, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Full-text search; a query FTS5 cannot parse raises BadInput."""
    try:
        rows = conn.execute(
            "SELECT t.id, t.recording_id, snippet(transcript_fts, 0, '[', ']', '…', 12)"
            " FROM transcript_fts JOIN transcripts t ON t.rowid = transcript_fts.rowid"
            " WHERE transcript_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        ).fetchall()
    except sqlite.OperationalError as exc:
        # The SQL is fixed, so a plain SQLITE_ERROR is about the query text. FTS5
        # words those several ways, not all starting "fts5:" ("unterminated
        # string" for a lone quote, "no such column: 19" for covid-19), so the
        # caller's translation by message would call them a vault error.
        if getattr(exc, "sqlite_errorcode", None) == _SQLITE_ERROR:
            raise BadInput("Invalid search: check quotes and operators in the search text.") from exc
        raise
    return [SearchHit(*row) for row in rows]


def speaker_names(conn: Any, recording_id: str) -> dict[str, str]:
    rows = conn.execute("SELECT label, name FROM speaker_names WHERE recording_id = ? ORDER BY label", (recording_id,))
    return {str(label): str(name) for label, name in rows.fetchall()}


def set_speaker_name(conn: Any, recording_id: str, label: str, name: str | None, *, now_ms: int) -> None:
    """Name a speaker of a recording, or (``name`` None) forget the name."""
    if name is None:
        conn.execute("DELETE FROM speaker_names WHERE recording_id = ? AND label = ?", (recording_id, label))
        return
    conn.execute(
        "INSERT INTO speaker_names(recording_id, label, name, updated_ms) VALUES (?,?,?,?)"
        " ON CONFLICT(recording_id, label) DO UPDATE SET name = excluded.name, updated_ms = excluded.updated_ms",
        (recording_id, label, name, now_ms),
    )
