"""The recordings: import a file, capture from a microphone (and recover what a crash cut short), the
library (list, rename, tag), delete (crypto-shred) and retention. Their audio is the audio desk's."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import errors
from core.asr import live as live_mod
from core.asr.engine import Engine
from core.audio import blobs, importer
from core.audio import capture as capture_mod
from core.progress import CancelToken, Progress, no_progress, part_of
from core.session.audio import AudioDesk
from core.session.context import VaultContext
from core.session.keys import KeysDesk
from core.types import Recording, RecordingId, RecordingStatus
from core.vault import records

_MAX_TITLE, _MAX_TAG = 200, 40


@dataclass(frozen=True)
class LiveRecording:
    """A recording in progress: pause and resume through ``recorder``."""

    id: RecordingId
    recorder: capture_mod.Recorder
    writer: blobs.BlobWriter
    #: Live text while recording (None when not asked for). Display only: the stored transcript
    #: comes from the offline job queued after the recording stops.
    transcriber: live_mod.LiveTranscriber | None = None

    def live_text(self) -> live_mod.LiveText | None:
        """The latest live text; cheap, safe to poll from the GUI thread."""
        return None if self.transcriber is None else self.transcriber.text()


@dataclass(frozen=True)
class FileImport:
    """How one file of ``RecordingsDesk.import_all`` ended: its recording, or why it was refused."""

    path: Path
    recording: importer.ImportedRecording | None = None
    error: errors.BadInput | None = None


class RecordingsDesk:
    def __init__(self, ctx: VaultContext, audio: AudioDesk, keys: KeysDesk) -> None:
        self._ctx = ctx
        self._audio = audio
        self._keys = keys

    def add_recording(
        self,
        recording: Recording,
        *,
        audio_key: bytes | None = None,
        original_blob: str | None = None,
        audio_blob: str | None = None,
        capture: capture_mod.CaptureFormat | None = None,
    ) -> None:
        """Commit a recording whose blobs (if any) are already sealed on disk."""
        sealed = None if audio_key is None else self._keys.seal_recording_key(recording.id, audio_key)

        def op(conn: Any) -> None:
            records.add_recording(
                conn,
                recording,
                audio_key_sealed=sealed,
                original_blob=original_blob,
                audio_blob=audio_blob,
                sample_rate_hz=capture.samplerate if capture else None,
                channels=capture.channels if capture else None,
            )
            self._ctx.audit_in(conn, "recording.add", "success", object_id=recording.id)

        self._ctx.transaction(op)

    def delete_recording(self, recording_id: RecordingId, *, reason: str = "user") -> None:
        """Crypto-shred: the key is destroyed in the database first, then the files go.

        A crash between the two leaves blob files nobody can decrypt; the next
        unlock removes them.
        """
        state = self._ctx.require_open()
        names: dict[str, str] = {}

        def op(conn: Any) -> None:
            names.update(records.blob_names(conn, recording_id))
            if not records.delete_recording(conn, recording_id):
                raise errors.BadInput(f"There is no recording {recording_id}.")
            detail = {"blobs": len(names), "reason": reason}
            self._ctx.audit_in(conn, "recording.delete", "success", object_id=recording_id, detail=detail)

        self._ctx.transaction(op)
        # Push the freed pages (holding the wrapped key) out of the WAL into the
        # main file, where secure_delete has zeroed them.
        state.db.query("PRAGMA wal_checkpoint(TRUNCATE)")
        for name in names.values():
            (self._ctx.paths.blobs / name).unlink(missing_ok=True)

    def import_audio(
        self,
        path: Path,
        *,
        title: str | None = None,
        limits: importer.ImportLimits | None = None,
        cancel: CancelToken | None = None,
        progress: Progress = no_progress,
    ) -> importer.ImportedRecording:
        """Import one file: its original bytes and its 16 kHz mono PCM, both encrypted.

        Bad input raises BadInput naming the file and the reason, and leaves
        nothing behind: no row, no blob.
        """
        self._ctx.require_open()
        limits = limits or self.import_limits()
        importer.check_source(path, limits)
        rid = RecordingId(self._ctx.new_id())
        key = self._audio.new_recording_key()
        written: list[blobs.BlobWriter] = []
        try:
            with self._audio.open_blob_writer(rid, key) as original:
                written.append(original)
                sha256 = importer.copy_and_hash(
                    path, original.write, cancel=cancel, progress=lambda f: progress(0.2 * f)
                )
            with (
                self._audio.open_blob_writer(rid, key) as pcm,
                blobs.BlobReader(original.path, key, recording_id=rid) as stored,
            ):
                written.append(pcm)
                result = importer.decode(
                    io.BufferedReader(stored, importer.READ_CHUNK),
                    name=path.name,
                    on_pcm=pcm.write,
                    limits=limits,
                    cancel=cancel,
                    progress=lambda f: progress(0.2 + 0.8 * f),
                )
            recording = Recording(
                rid,
                title or path.stem,
                self._ctx.clock.now_ms(),
                duration_ms=round(result.duration_s * 1000),
                status=RecordingStatus.IMPORTED,
                source_name=path.name,
                original_sha256=sha256,
            )
            self.add_recording(recording, audio_key=key, original_blob=original.path.name, audio_blob=pcm.path.name)
        except BaseException as exc:
            for writer in written:
                writer.abort()
            reason = type(exc).__name__
            with contextlib.suppress(errors.VaultScribeError):
                self._ctx.audit("recording.import", "failure", detail={"reason": reason})
            raise
        progress(1.0)
        return importer.ImportedRecording(rid, path.name, result.duration_s, sha256)

    def import_all(
        self, paths: Sequence[Path], *, cancel: CancelToken | None = None, progress: Progress = no_progress
    ) -> list[FileImport]:
        """Import each file in the order given (``import_audio``); a file refused as bad input does not stop
        the others, and its result says why. ``progress`` runs from 0 to 1 over all of them."""
        results: list[FileImport] = []
        for i, path in enumerate(paths):
            try:
                done = self.import_audio(path, cancel=cancel, progress=part_of(progress, i, len(paths)))
            except errors.BadInput as exc:
                results.append(FileImport(path, error=exc))
            else:
                results.append(FileImport(path, done))
        return results

    def start_recording(
        self,
        *,
        title: str | None = None,
        device: Any = None,
        capture: capture_mod.CaptureFormat | None = None,
        on_level: Callable[[capture_mod.Level], None] | None = None,
        stream_factory: capture_mod.StreamFactory | None = None,
        max_duration_s: float | None = None,
        live_engine: Callable[[], Engine] | None = None,
        live_options: live_mod.StreamOptions | None = None,
    ) -> LiveRecording:
        """Start capturing into a new encrypted recording; its row exists from the first moment,
        so a crash leaves a recording that the next unlock recovers.

        ``live_engine`` (called on the live thread, where loading a model may take a while) turns on
        live text: a tap on the recorder feeds its stream without ever making capture wait."""
        self._ctx.require_open()
        fmt = capture or capture_mod.negotiate(device)
        rid = RecordingId(self._ctx.new_id())
        key = self._audio.new_recording_key()
        writer = self._audio.open_blob_writer(rid, key, sync=True, chunk_size=fmt.chunk_bytes)
        tap = None
        if live_engine is not None:
            backlog_s = (live_options or live_mod.StreamOptions()).max_backlog_s
            tap = live_mod.LiveTap(samplerate=fmt.samplerate, channels=fmt.channels, max_backlog_s=backlog_s)
        recorder = capture_mod.Recorder(
            writer,
            fmt,
            device=device,
            max_duration_s=max_duration_s or self.import_limits().max_duration_s,
            on_level=on_level,
            stream_factory=stream_factory or capture_mod.sounddevice_stream,
            tap=None if tap is None else tap.put,
        )
        try:
            self.add_recording(
                Recording(rid, title or "Dictation", self._ctx.clock.now_ms(), status=RecordingStatus.RECORDING),
                audio_key=key,
                original_blob=writer.path.name,
                capture=fmt,
            )
            recorder.start()
        except BaseException:
            writer.abort()
            with contextlib.suppress(errors.VaultScribeError):
                self._ctx.transaction(lambda conn: records.delete_recording(conn, rid))
            raise
        transcriber = None
        if tap is not None and live_engine is not None:
            transcriber = live_mod.LiveTranscriber(tap, live_engine, options=live_options)
            transcriber.start()
        return LiveRecording(rid, recorder, writer, transcriber)

    def finish_recording(self, live: LiveRecording) -> capture_mod.CaptureResult:
        """Stop, seal the capture and derive the 16 kHz PCM. What was captured is kept,
        whatever ended the recording."""
        try:
            result = live.recorder.stop()
        finally:
            live.writer.close()
            if live.transcriber is not None:  # no waiting for it to catch up: the offline pass will
                live.transcriber.stop(timeout_s=1.0)
        self._audio.derive_pcm(live.id, status=RecordingStatus.NEW)
        self._ctx.audit("recording.finish", "success", object_id=live.id, detail={"reason": result.reason})
        return result

    def interrupted_recordings(self) -> list[Recording]:
        """Recordings a crash cut short and the last unlock recovered: the GUI offers them."""
        return self._ctx.transaction(lambda conn: records.list_recordings(conn, status=RecordingStatus.INTERRUPTED))

    def keep_recovered(self, recording_id: RecordingId) -> None:
        self._set_status(recording_id, RecordingStatus.NEW)

    def _set_status(self, recording_id: RecordingId, status: str) -> None:
        self._ctx.transaction(lambda conn: records.set_status(conn, recording_id, status))

    def recover_interrupted(self) -> None:
        """Seal the recordings a crash cut off and derive their audio. One that cannot be
        recovered is marked failed and audited; it never stops the unlock."""
        for rid in self._ctx.transaction(lambda conn: records.ids_with_status(conn, RecordingStatus.RECORDING)):
            try:
                self._recover_one(rid)
            except (errors.VaultScribeError, OSError) as exc:
                self._set_status(rid, RecordingStatus.FAILED)
                self._ctx.audit("recording.recover", "failure", object_id=rid, detail={"reason": type(exc).__name__})
            else:
                self._ctx.audit("recording.recover", "success", object_id=rid)

    def _recover_one(self, rid: RecordingId) -> None:
        name = self._ctx.transaction(lambda conn: records.blob_names(conn, rid).get("original"))
        if name is None:
            raise errors.VaultCorrupt(f"Recording {rid} has no captured audio to recover.")
        with self._audio.recording_key(rid) as key:
            blobs.recover_unfinished(self._ctx.paths.blobs / name, key, recording_id=rid)
        self._audio.derive_pcm(rid, status=RecordingStatus.INTERRUPTED)

    def import_limits(self) -> importer.ImportLimits:
        return importer.ImportLimits(
            max_bytes=int(self._ctx.config.get("import_max_gb")) * 1000**3,
            max_duration_s=int(self._ctx.config.get("import_max_hours")) * 3600.0,
        )

    def all(self) -> list[Recording]:
        return self._ctx.transaction(records.list_recordings)

    def get(self, recording_id: RecordingId) -> Recording | None:
        return self._ctx.transaction(lambda conn: records.get_recording(conn, recording_id))

    def recording_tags(self) -> dict[RecordingId, tuple[str, ...]]:
        """Every recording's tags, for the library."""
        return self._ctx.read(records.tags_of)

    def rename_recording(self, recording_id: RecordingId, title: str) -> None:
        title = " ".join(title.split())
        if not title or len(title) > _MAX_TITLE:
            raise errors.BadInput(f"A title needs 1 to {_MAX_TITLE} characters.")

        def op(conn: Any) -> None:
            if not records.set_title(conn, recording_id, title):
                raise errors.BadInput(f"There is no recording {recording_id}.")
            self._ctx.audit_in(conn, "recording.rename", "success", object_id=recording_id)

        self._ctx.transaction(op)

    def set_recording_tags(self, recording_id: RecordingId, tags: Sequence[str]) -> tuple[str, ...]:
        """Replace a recording's tags (trimmed, case-insensitively unique); returns them as stored."""
        kept: dict[str, str] = {}
        for tag in tags:
            tag = " ".join(tag.split())
            if len(tag) > _MAX_TAG:
                raise errors.BadInput(f"A tag may have at most {_MAX_TAG} characters.")
            if tag:
                kept.setdefault(tag.casefold(), tag)

        def op(conn: Any) -> None:
            if records.get_recording(conn, recording_id) is None:
                raise errors.BadInput(f"There is no recording {recording_id}.")
            records.set_tags(conn, recording_id, list(kept.values()))
            self._ctx.audit_in(conn, "recording.tag", "success", object_id=recording_id, detail={"tags": len(kept)})

        self._ctx.transaction(op)
        return tuple(sorted(kept.values(), key=str.casefold))

    def purge_expired(self) -> int:
        """Crypto-shred recordings older than the policy's ``retention_days`` (at unlock, and daily while
        open); each purge is audited. Returns how many went."""
        days = self._ctx.policy.retention_days
        if days is None:
            return 0
        cutoff = self._ctx.clock.now_ms() - days * 86_400_000
        expired = [r.id for r in self.all() if r.created_ms < cutoff and r.status != RecordingStatus.RECORDING]
        for rid in expired:
            self.delete_recording(rid, reason="retention")
        if expired:
            self._ctx.audit("retention.purge", "success", detail={"recordings": len(expired), "days": days})
        return len(expired)
