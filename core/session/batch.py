"""A batch: files and folders imported, transcribed, optionally redacted and exported, as one call (the
command line's ``vaultscribe batch``). Files already in the vault (same SHA-256) are skipped, so running
it again does nothing new; one file that fails does not stop the others.

It orders the other desks' steps and owns none of them: it never reads or writes the vault itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from core import errors
from core.asr.engine import TranscribeOptions
from core.audio import importer
from core.progress import CancelToken, Progress, no_progress
from core.session.context import VaultContext
from core.session.jobs import JobsDesk, PhaseSink, Transcribed, no_phase
from core.session.recordings import RecordingsDesk
from core.session.review import ReviewDesk
from core.session.transcripts import TranscriptsDesk
from core.types import RecordingId


class BatchStatus(StrEnum):
    """How far one file of a batch got."""

    SKIPPED = "skipped"  # already in the vault
    FAILED = "failed"
    TRANSCRIBED = "transcribed"
    REDACTED = "redacted"


@dataclass
class BatchFile:
    """One file of a batch: its recording once imported, how far it got, why it stopped, what was written."""

    path: Path
    status: BatchStatus = BatchStatus.FAILED
    recording_id: RecordingId | None = None
    error: errors.VaultScribeError | None = None
    #: how many personal details were found, when they were looked for
    entities: int | None = None
    #: the files written, when exports were asked for
    exports: list[Path] | None = None


#: Told as each file starts: its index from 1, the count, the file, and whether it is skipped (already in).
FileSink = Callable[[int, int, Path, bool], None]


def no_file(_index: int, _count: int, _path: Path, _skipped: bool) -> None:
    return None


class BatchDesk:
    def __init__(
        self,
        ctx: VaultContext,
        recordings: RecordingsDesk,
        jobs: JobsDesk,
        review: ReviewDesk,
        transcripts: TranscriptsDesk,
    ) -> None:
        self._ctx = ctx
        self._recordings = recordings
        self._jobs = jobs
        self._review = review
        self._transcripts = transcripts

    def run(
        self,
        inputs: Sequence[Path],
        *,
        model: str | None,
        device: str,
        options: TranscribeOptions | None = None,
        redact: bool = False,
        formats: Sequence[str] = (),
        out: Path | None = None,
        overwrite: bool = False,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
        on_phase: PhaseSink = no_phase,
        on_file: FileSink = no_file,
    ) -> list[BatchFile]:
        """Every file of ``inputs`` (folders expanded to their audio and video, ``importer.expand_inputs``) not
        in the vault yet is imported, then all of them transcribed with the engine loaded once
        (``JobsDesk.transcribe_all``); then each transcript's personal details are found (``redact``, or
        always where the policy requires redaction) and it is exported, redacted, in each of ``formats``
        to ``out/<file stem>.<format>`` (``TranscriptsDesk.export_transcript``). One result per file."""
        if formats and out is None:
            raise errors.UsageError("Exporting needs a folder to write to.")
        files = importer.expand_inputs(inputs)
        known = {r.original_sha256 for r in self._recordings.all() if r.original_sha256}
        rows: list[BatchFile] = []
        new: list[tuple[BatchFile, RecordingId]] = []
        for i, path in enumerate(files, 1):
            row = BatchFile(path)
            rows.append(row)
            try:
                digest = _sha256(path)
            except OSError as exc:
                row.error = errors.BadInput(f"{path.name} cannot be read ({exc.strerror}).")
                continue
            if digest in known:
                row.status = BatchStatus.SKIPPED
                on_file(i, len(files), path, True)
                continue
            on_file(i, len(files), path, False)
            try:
                done = self._recordings.import_audio(path, cancel=cancel)
            except errors.BadInput as exc:
                row.error = exc
                continue
            known.add(done.sha256)
            row.recording_id = RecordingId(done.id)
            new.append((row, RecordingId(done.id)))
        if not new:
            return rows
        results = self._jobs.transcribe_all(
            [rid for _, rid in new],
            model=model,
            device=device,
            options=options,
            progress=progress,
            cancel=cancel,
            on_phase=on_phase,
        )
        by_id = {r.recording_id: r for r in results}
        for row, rid in new:
            self._finish(row, by_id[rid], redact=redact, formats=formats, out=out, overwrite=overwrite)
        return rows

    def _finish(
        self,
        row: BatchFile,
        result: Transcribed,
        *,
        redact: bool,
        formats: Sequence[str],
        out: Path | None,
        overwrite: bool,
    ) -> None:
        """Redact and export one transcribed file, as asked."""
        if result.error is not None:
            row.error = result.error
            return
        rid = result.recording_id
        row.status = BatchStatus.TRANSCRIBED
        if redact or self._ctx.policy.redaction_required:
            row.entities = len(self._review.detect_pii(rid))
            row.status = BatchStatus.REDACTED
        if not formats or out is None:
            return
        out.mkdir(parents=True, exist_ok=True)
        row.exports = []
        for fmt in formats:
            target = out / f"{row.path.stem}.{fmt}"
            try:
                self._transcripts.export_transcript(rid, target, fmt, overwrite=overwrite)
            except errors.BadInput as exc:  # a name taken (two inputs with one stem): the others go on
                row.status, row.error = BatchStatus.FAILED, exc
                continue
            row.exports.append(target)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
