"""The long actions more than one view starts: import, transcribe, find personal details.

Each returns a ``Task`` on the jobs thread (see ``app.tasks``); views connect
``on_done`` to refresh themselves. The phases name what the user waits for:
loading the speech model takes seconds, and the bar shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.context import AppContext
from app.i18n import tr
from app.tasks import Task
from core.jobs import CancelToken
from core.session import Session
from core.types import RecordingId
from core.vault import records


def import_file(ctx: AppContext, path: Path, *, then_transcribe: bool = False) -> Task[Any]:
    def work(s: Session, report: Callable[..., None], cancel: CancelToken) -> Any:
        report(0.0, tr("Importing"))
        imported = s.import_audio(path, cancel=cancel, progress=report)
        if then_transcribe:
            _transcribe(ctx, s, RecordingId(imported.id), report, cancel)
        return imported

    return ctx.worker.task(tr("Import {name}").format(name=path.name), work)


def transcribe(ctx: AppContext, recording_id: RecordingId, title: str) -> Task[records.Transcript]:
    def work(s: Session, report: Callable[..., None], cancel: CancelToken) -> records.Transcript:
        return _transcribe(ctx, s, recording_id, report, cancel)

    return ctx.worker.task(tr("Transcribe {title}").format(title=title), work)


def detect(ctx: AppContext, recording_id: RecordingId, title: str) -> Task[list[records.Redaction]]:
    def work(s: Session, report: Callable[..., None], cancel: CancelToken) -> list[records.Redaction]:
        return _detect(ctx, s, recording_id, report)

    return ctx.worker.task(tr("Find personal details in {title}").format(title=title), work)


def _transcribe(
    ctx: AppContext, s: Session, rid: RecordingId, report: Callable[..., None], cancel: CancelToken
) -> records.Transcript:
    model = str(ctx.config.get("model")) or None
    device = str(ctx.config.get("asr_device"))
    report(0.0, tr("Loading the speech model"))
    engine = ctx.engines.get(model, device, report)
    job_id = s.enqueue_transcription(rid, model_id=engine.model_id)
    report(0.0, tr("Transcribing on {device}").format(device=engine.device.name))
    transcript = s.run_job(job_id, engine, progress=report, cancel=cancel)
    _detect(ctx, s, rid, report)
    return transcript


def _detect(ctx: AppContext, s: Session, rid: RecordingId, report: Callable[..., None]) -> list[records.Redaction]:
    report(0.0, tr("Finding personal details"))
    found = s.detect_pii(rid, ctx.detector(s.detection_terms(rid)))
    report(1.0)
    return found
