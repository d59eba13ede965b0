"""Redaction: the terms detection redacts, detect PII in a transcript, the review of each span, and the
redacted copy of the audio that follows the review. Detection runs a Detector the caller gives."""

from __future__ import annotations

import wave
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from core import errors, vocabulary
from core.asr.source import BlobSource
from core.audio import importer
from core.progress import CancelToken, Progress, no_progress
from core.redaction import audio as audio_redaction
from core.redaction import forget_texts
from core.redaction.timing import WordMap, merge_intervals
from core.redaction.types import ENTITY_TYPES, Detector, DetectorFactory, Entity
from core.session.audio import AudioDesk, redacted_from
from core.session.context import VaultContext
from core.session.keys import KeysDesk
from core.session.transcripts import TranscriptsDesk
from core.types import RecordingId, Redaction, ReviewState
from core.vault import records


@dataclass(frozen=True)
class RedactedAudio:
    """What redact_audio did: spans masked, and redactions it could not place in time (no timed word)."""

    intervals: int
    masked_ms: int
    untimed: int
    duration_ms: int
    #: the original audio went with it (policy keep_original_audio_after_redaction = false)
    original_discarded: bool = False


def rules_detector(terms: Sequence[str]) -> Detector:
    """The rules inside Presidio, without the trained name tagger (imported on first use)."""
    from core.redaction.detect import load_detector

    return load_detector(terms)


def redact_text(text: str, found: Sequence[Entity]) -> str:
    """``text`` with each entity found replaced by its mark, for text that never enters the vault (the
    command line's ``redact-text``); a transcript is redacted by its review instead (``render_transcript``)."""
    from core.redaction.detect import redact

    return redact(text, found)


class ReviewDesk:
    def __init__(
        self,
        ctx: VaultContext,
        transcripts: TranscriptsDesk,
        audio: AudioDesk,
        keys: KeysDesk,
        *,
        detector_factory: DetectorFactory | None = None,
    ) -> None:
        self._ctx = ctx
        self._transcripts = transcripts
        self._audio = audio
        self._keys = keys
        #: injected by the composition root (the product's, with its verified name tagger); else the rules
        self._detector_factory = detector_factory or rules_detector
        #: one detector per set of terms while unlocked: loading Presidio again would cost seconds for nothing
        self._detectors: dict[tuple[str, ...], Detector] = {}

    def detector(self, recording_id: RecordingId | None = None) -> Detector:
        """The detector for ``recording_id``: built with its ``detection_terms``, once per set of terms."""
        terms = tuple(self.detection_terms(recording_id))
        if terms not in self._detectors:
            self._detectors[terms] = self._detector_factory(terms)
        return self._detectors[terms]

    def forget_detectors(self) -> None:
        """At lock: the detectors hold the terms, which name people, and the detection caches the last transcripts."""
        self._detectors.clear()
        forget_texts()

    def redaction_terms(self) -> list[str]:
        """The user's own terms to redact as NAME: sources, patients, staff."""
        return [str(t) for t in self._ctx.vault_setting("redaction.terms", [])]

    def set_redaction_terms(self, terms: Sequence[str]) -> None:
        cleaned = sorted({" ".join(t.split()) for t in terms if t.strip()}, key=str.casefold)

        def op(conn: Any) -> None:
            self._ctx.set_vault_setting(conn, "redaction.terms", cleaned)
            self._ctx.audit_in(conn, "settings.redaction_terms", "success", detail={"terms": len(cleaned)})

        self._ctx.transaction(op)

    def detection_terms(self, recording_id: RecordingId | None = None) -> list[str]:
        """Every term detection redacts as NAME: the user's own terms, then the vocabulary entries marked
        "always redact" (the personal list's, and ``recording_id``'s), each once. Detectors are built with
        this, so a source's name added to the vocabulary is redacted without a second list to keep."""
        own = self.redaction_terms()
        marked = self._ctx.read(lambda conn: vocabulary.redact_phrases(conn, recording_id))
        speakers = tuple(self._transcripts.speaker_names(recording_id).values()) if recording_id is not None else ()
        return list(vocabulary.merge(own, marked, speakers))

    def redaction_entities(self) -> list[str] | None:
        """The entity types detected by default; None is every type."""
        value = self._ctx.vault_setting("redaction.entities", None)
        return None if value is None else [str(t) for t in value]

    def set_redaction_entities(self, entities: Sequence[str] | None) -> None:
        chosen = None if entities is None else [t for t in ENTITY_TYPES if t in set(entities)]
        unknown = set(entities or ()) - set(ENTITY_TYPES)
        if unknown:
            raise errors.BadInput(f"Unknown entity types: {', '.join(sorted(unknown))}.")
        self._ctx.transaction(lambda conn: self._ctx.set_vault_setting(conn, "redaction.entities", chosen))

    def detect_pii(
        self, recording_id: RecordingId, detector: Detector | None = None, *, entities: Collection[str] | None = None
    ) -> list[Redaction]:
        """Detect PII in the current transcript: new finds are pending, every reviewed span is kept.

        ``detector``: by default the session's own (``detector``), built with the recording's terms."""
        if detector is None:
            detector = self.detector(recording_id)
        tr = self._transcripts.current_transcript(recording_id)
        wanted = self._ctx.policy.entities(self.redaction_entities() if entities is None else list(entities))
        found = detector.detect(tr.text, wanted)
        timing = WordMap.build(tr.text, tr.words)
        now = self._ctx.clock.now_ms()

        def op(conn: Any) -> list[Redaction]:
            records.drop_pending_redactions(conn, tr.id)
            reviewed = {(r.type, r.start, r.end) for r in records.list_redactions(conn, tr.id)}
            new = [e for e in found if (e.type, e.start, e.end) not in reviewed]
            for e in new:
                t0, t1 = timing.time_span(e.start, e.end) or (None, None)
                row = Redaction(0, tr.id, e.type, e.start, e.end, t0, t1, e.detector, e.score, ReviewState.PENDING)
                records.insert_redaction(conn, row, now_ms=now)
            detail = {"found": len(found), "new": len(new), "reviewed": len(reviewed)}
            self._ctx.audit_in(conn, "redaction.detect", "success", object_id=recording_id, detail=detail)
            return records.list_redactions(conn, tr.id)

        return self._ctx.transaction(op)

    def redactions(self, recording_id: RecordingId) -> list[Redaction]:
        """The current transcript's redactions, sorted by position, with their review state."""
        return self._transcripts.reviewed(recording_id)[1]

    def review_redaction(self, redaction_id: int, state: str) -> Redaction:
        """Accept or reject a detection, or put it back to pending (undo). Audited without content."""
        if state not in (ReviewState.ACCEPTED, ReviewState.REJECTED, ReviewState.PENDING):
            raise errors.BadInput(f"A redaction can be accepted, rejected or pending, not {state!r}.")
        new_state = ReviewState(state)

        def op(conn: Any) -> Redaction:
            before = records.get_redaction(conn, redaction_id)
            if before is None:
                raise errors.BadInput(f"There is no redaction {redaction_id}.")
            if before.state == ReviewState.ADDED:
                raise errors.BadInput("A span you added is removed, not reviewed.")
            records.set_review_state(conn, redaction_id, new_state, now_ms=self._ctx.clock.now_ms())
            detail = {"type": before.type, "from": str(before.state), "to": str(new_state)}
            self._ctx.audit_in(conn, "redaction.review", "success", object_id=str(redaction_id), detail=detail)
            return replace(before, state=new_state)

        return self._ctx.transaction(op)

    def add_redaction(self, recording_id: RecordingId, start: int, end: int, entity_type: str) -> Redaction:
        """A span the detector missed, marked by the user; its time span comes from the word timestamps."""
        if entity_type not in ENTITY_TYPES:
            raise errors.BadInput(f"Unknown entity type {entity_type!r}.")
        tr = self._transcripts.current_transcript(recording_id)
        if not 0 <= start < end <= len(tr.text):
            raise errors.BadInput(f"The span {start}-{end} is not inside the transcript (0-{len(tr.text)}).")
        t0, t1 = WordMap.build(tr.text, tr.words).time_span(start, end) or (None, None)

        def op(conn: Any) -> Redaction:
            row = Redaction(0, tr.id, entity_type, start, end, t0, t1, "user", None, ReviewState.ADDED)
            rid = records.insert_redaction(conn, row, now_ms=self._ctx.clock.now_ms())
            detail = {"type": entity_type}
            self._ctx.audit_in(conn, "redaction.add", "success", object_id=recording_id, detail=detail)
            return replace(row, id=rid)

        return self._ctx.transaction(op)

    def remove_redaction(self, redaction_id: int) -> None:
        """Remove a span the user added (undo of add_redaction); detections are rejected instead."""

        def op(conn: Any) -> None:
            before = records.get_redaction(conn, redaction_id)
            if before is None or before.state != ReviewState.ADDED:
                raise errors.BadInput(f"There is no added redaction {redaction_id}.")
            records.delete_redaction(conn, redaction_id)
            detail = {"type": before.type}
            self._ctx.audit_in(conn, "redaction.remove", "success", object_id=str(redaction_id), detail=detail)

        self._ctx.transaction(op)

    def redact_audio(
        self,
        recording_id: RecordingId,
        *,
        mode: str = "tone",
        margin_ms: int = audio_redaction.DEFAULT_MARGIN_MS,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> RedactedAudio:
        """A redacted copy of the recording's audio, encrypted under its key like any audio.

        Every redaction in force with a time span becomes a tone (or silence), with the speech right
        beside it that the model left without a word (``audio_redaction.speech_beside``), widened by
        the margin. What it was made from is stored with it (``redacted_audio_current``). The copy
        replaces any earlier one only once it is complete; a cancel or a failure leaves the earlier
        copy and no partial blob.

        The original audio is kept unless the policy sets ``keep_original_audio_after_redaction =
        false``. Then the copy is sealed under a new recording key, and one commit makes it the
        recording's only audio and overwrites the old key: the imported original, the 16 kHz PCM and
        any earlier copy are crypto-shredded (as ``delete_recording`` does), and their files go. The
        recording always has audio: until that commit the original, after it the redacted copy.
        Re-transcription, playback and export of the original, and redacting again, are then refused.
        """
        if mode not in audio_redaction.MODES:
            raise errors.BadInput(f"Audio is redacted with a tone or silence, not {mode!r}.")
        discard = self._ctx.policy.keep_original_audio_after_redaction is False
        tr, in_force = self._transcripts.reviewed(recording_id)
        reds = [r for r in in_force if r.redacted]
        timed = [(r.start_ms, r.end_ms) for r in reds if r.start_ms is not None and r.end_ms is not None]
        made_from = redacted_from(tr, reds, mode=mode, margin_ms=margin_ms)
        with self._audio.open_blob(recording_id, "audio") as reader, self._audio.recording_key(recording_id) as key:
            source = BlobSource(reader)
            duration_ms = source.num_samples * 1000 // importer.SAMPLE_RATE_HZ
            words = [(w.start_ms, w.end_ms) for w in tr.words]
            beside = audio_redaction.speech_beside(source, timed, words)
            intervals = merge_intervals([*timed, *beside], margin_ms=margin_ms, duration_ms=duration_ms)
            out_key = self._audio.new_recording_key() if discard else key
            with self._audio.open_blob_writer(recording_id, out_key) as writer:
                audio_redaction.mask(source, writer.write, intervals, mode=mode, progress=progress, cancel=cancel)
        new_key_sealed = self._keys.seal_recording_key(recording_id, out_key) if discard else None

        def op(conn: Any) -> list[str]:
            if new_key_sealed is None:
                old = records.set_redacted_blob(conn, recording_id, writer.path.name, made_from=made_from)
                gone = [old] if old and old != writer.path.name else []
            else:
                gone = records.keep_only_redacted(
                    conn,
                    recording_id,
                    redacted_blob=writer.path.name,
                    made_from=made_from,
                    audio_key_sealed=new_key_sealed,
                )
            untimed = len(reds) - len(timed)
            detail = {
                "mode": mode, "margin_ms": margin_ms, "intervals": len(intervals), "untimed": untimed,
                "speech_beside": len(beside),
            }  # fmt: skip
            self._ctx.audit_in(conn, "audio.redact", "success", object_id=recording_id, detail=detail)
            if new_key_sealed is not None:
                detail = {"blobs": len(gone), "reason": "policy"}
                self._ctx.audit_in(conn, "audio.original_discarded", "success", object_id=recording_id, detail=detail)
            return gone

        try:
            gone = self._ctx.transaction(op)
        except BaseException:
            writer.path.unlink(missing_ok=True)
            raise
        if new_key_sealed is not None:
            # As in delete_recording: the pages that held the old wrapped key leave the WAL for the
            # main file, where secure_delete zeroed them. A crash before the unlinks leaves files
            # nobody can decrypt; the next unlock removes them.
            self._ctx.require_db().query("PRAGMA wal_checkpoint(TRUNCATE)")
        for name in gone:
            (self._ctx.paths.blobs / name).unlink(missing_ok=True)
        masked_ms = sum(b - a for a, b in intervals)
        return RedactedAudio(len(intervals), masked_ms, len(reds) - len(timed), duration_ms, discard)

    def ensure_redacted_audio(
        self, recording_id: RecordingId, *, progress: Progress = no_progress, cancel: CancelToken | None = None
    ) -> RedactedAudio | None:
        """Make the redacted copy again, with the mode and margin it was made with, unless it follows the
        review already (``redacted_audio_current``); None when it did. With the original discarded
        (policy), a stale copy cannot be made again: that is refused rather than exporting it."""
        current, names, made_from = self._audio.redacted_copy(recording_id)
        if current:
            progress(1.0)
            return None
        if "audio" not in names and "redacted" in names:
            raise errors.BadInput(
                "The review changed after the redacted audio was made, and the original audio was discarded "
                "as your organization's policy requires, so the redacted audio cannot be made again."
            )
        mode, margin_ms = audio_redaction.how_made(made_from)
        return self.redact_audio(recording_id, mode=mode, margin_ms=margin_ms, progress=progress, cancel=cancel)

    def export_redacted_audio(
        self,
        recording_id: RecordingId,
        out: Path,
        *,
        overwrite: bool = False,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> int:
        """Write the redacted copy as a 16 kHz mono 16-bit WAV the user chose (see ``VaultContext.user_file``), made
        again first when the review changed since it was made (``ensure_redacted_audio``; ``progress``
        and ``cancel`` are for that). Audited."""
        self._ctx.policy.check_export(redacted=True, audio=True)
        self.ensure_redacted_audio(recording_id, progress=progress, cancel=cancel)
        with (
            self._audio.open_blob(recording_id, "redacted") as reader,
            self._ctx.user_file(out, overwrite=overwrite) as fh,
            wave.open(fh, "wb") as wav,
        ):
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(importer.SAMPLE_RATE_HZ)
            rest = b""
            while block := reader.read(importer.READ_CHUNK):
                block, cut = rest + block, (len(rest) + len(block)) // 4 * 4
                block, rest = block[:cut], block[cut:]
                samples = np.frombuffer(block, dtype="<f4")
                wav.writeframes((np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes())
        size = out.stat().st_size
        self._ctx.audit("audio.export", "success", object_id=recording_id, detail={"bytes": size, "redacted": True})
        return size
