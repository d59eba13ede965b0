"""The recordings' audio, encrypted per recording: blob files and their keys, the engine's audio source,
playback, the export of the original, and whether the redacted copy follows the review."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from core import errors
from core.asr.source import BlobSource
from core.audio import blobs, importer, playback
from core.audio import pcm as pcm_mod
from core.redaction import audio as audio_redaction
from core.session.context import VaultContext
from core.session.keys import KeysDesk
from core.types import RecordingId, Redaction, Transcript
from core.vault import records


class AudioDesk:
    def __init__(self, ctx: VaultContext, keys: KeysDesk) -> None:
        self._ctx = ctx
        self._keys = keys

    def new_recording_key(self) -> bytes:
        return self._ctx.rng.bytes(32)

    def open_blob_writer(
        self, recording_id: RecordingId, key: bytes, *, sync: bool = False, chunk_size: int = blobs.DEFAULT_CHUNK
    ) -> blobs.BlobWriter:
        """A new blob under a random name in the vault's blob folder.

        An import seals it and then commits the recording row that points at it;
        a live recording commits the row first, so a crash leaves a blob to
        recover. A blob no row points at is removed by the check after the next unlock.
        """
        state = self._ctx.require_open()
        self._ctx.paths.ensure()
        path = self._ctx.paths.blobs / f"{self._ctx.rng.bytes(16).hex()}.vsb"
        state.fresh_blobs.add(path.name)  # before the file exists, for the sweep in check_integrity
        return blobs.BlobWriter(path, key, recording_id=recording_id, chunk_size=chunk_size, sync=sync)

    @contextlib.contextmanager
    def recording_key(self, recording_id: RecordingId) -> Iterator[bytes]:
        """The recording's own key, unwrapped for the block and zeroed after."""
        sealed = self._ctx.transaction(lambda conn: records.sealed_key(conn, recording_id))
        if sealed is None:
            raise errors.BadInput(f"There is no recording {recording_id} with audio.")
        key = self._keys.open_recording_key(recording_id, sealed)
        try:
            yield bytes(key)
        finally:
            key[:] = bytes(len(key))

    def open_blob(self, recording_id: RecordingId, role: str = "audio") -> blobs.BlobReader:
        """Decrypting, seekable view of a recording's blob; decoders read it in memory."""
        names = self._ctx.transaction(lambda conn: records.blob_names(conn, recording_id))
        name = names.get(role)
        if name is None:
            no_audio(recording_id, role, names)
        with self.recording_key(recording_id) as key:
            try:
                return blobs.BlobReader(self._ctx.paths.blobs / name, key, recording_id=recording_id)
            except FileNotFoundError:
                raise errors.VaultCorrupt(f"The audio file of recording {recording_id} is missing.") from None

    def audio_roles(self, recording_id: RecordingId) -> tuple[str, ...]:
        """Which audio the recording has, of "original", "audio" (its 16 kHz PCM) and "redacted".

        After redaction under ``keep_original_audio_after_redaction = false`` only "redacted" is left.
        """
        names = self._ctx.transaction(lambda conn: records.blob_names(conn, recording_id))
        return tuple(role for role in records.BLOB_ROLES if role in names)

    @contextlib.contextmanager
    def open_audio_source(self, recording_id: RecordingId) -> Iterator[BlobSource]:
        """A recording's 16 kHz PCM as an engine's AudioSource, decrypted a range at a time."""
        with self.open_blob(recording_id, "audio") as reader:
            yield BlobSource(reader)

    def open_player(
        self,
        recording_id: RecordingId,
        *,
        role: str = "audio",
        device: Any = None,
        stream_factory: playback.OutStreamFactory | None = None,
    ) -> playback.Player:
        """A player over the recording's decrypted audio; close it when done. A redacted copy that no
        longer follows the review is refused: ``ensure_redacted_audio`` (long work) makes it again."""
        if role == "redacted" and self.redacted_audio_outdated(recording_id):
            raise errors.BadInput("The redacted audio no longer follows the review: make it again to play it.")
        reader = self.open_blob(recording_id, role)
        try:
            return playback.Player(reader, device=device, stream_factory=stream_factory or playback.sounddevice_output)
        except errors.NoAudioOutput as exc:
            # the player still shows how long the recording is
            exc.duration_s = reader.size / (importer.BYTES_PER_SAMPLE * importer.SAMPLE_RATE_HZ)
            reader.close()
            raise
        except BaseException:
            reader.close()
            raise

    def export_original(self, recording_id: RecordingId, out: Path, *, overwrite: bool = False) -> int:
        """Decrypt a recording's original bytes to a file the user chose (see ``VaultContext.user_file``). Audited."""
        self._ctx.policy.check_export(redacted=False, audio=True)
        with self.open_blob(recording_id, "original") as reader:
            with self._ctx.user_file(out, overwrite=overwrite) as fh:
                while block := reader.read(importer.READ_CHUNK):
                    fh.write(block)
            size = reader.size
        self._ctx.audit("audio.export", "success", object_id=recording_id, detail={"bytes": size})
        return size

    def redacted_audio_current(self, recording_id: RecordingId) -> bool:
        """Whether the recording has a redacted copy that follows its review as it is now: made from the
        current transcript and the same spans in force, by the current masking rule. This is the one
        staleness rule; every reader of the copy (export, playback, both front ends) goes through it.

        A copy made before its source was recorded (schema 7) is stale, except when the original audio
        is gone (the policy discarded it): it cannot be made again, and it is what there is."""
        return self.redacted_copy(recording_id)[0]

    def redacted_audio_outdated(self, recording_id: RecordingId) -> bool:
        """Whether ``ensure_redacted_audio`` would make the copy (again): it is missing or stale, and the
        original audio is there to make it from. A stale copy whose original the policy discarded is not
        outdated in this sense: it can be played in the app, and is refused for export."""
        current, names, _ = self.redacted_copy(recording_id)
        return not current and "audio" in names

    def redacted_copy(self, recording_id: RecordingId) -> tuple[bool, dict[str, str], str | None]:
        """(whether the redacted copy is current, the recording's blobs by role, what the copy was made from)."""

        def op(conn: Any) -> tuple[dict[str, str], str | None, Transcript | None, list[Redaction]]:
            tr = records.current_transcript(conn, recording_id)
            reds = [] if tr is None else [r for r in records.list_redactions(conn, tr.id) if r.redacted]
            return records.blob_names(conn, recording_id), records.redacted_from(conn, recording_id), tr, reds

        names, made_from, tr, reds = self._ctx.transaction(op)
        if "redacted" not in names:
            return False, names, made_from
        if made_from is None or tr is None:
            return "audio" not in names, names, made_from
        mode, margin_ms = audio_redaction.how_made(made_from)
        return made_from == redacted_from(tr, reds, mode=mode, margin_ms=margin_ms), names, made_from

    def derive_pcm(self, rid: RecordingId, *, status: str) -> None:
        """The 16 kHz mono blob ASR and playback use, from the sealed capture."""
        samplerate, channels = self._ctx.transaction(lambda conn: records.capture_format(conn, rid))
        with (
            self.recording_key(rid) as key,
            self.open_blob(rid, "original") as source,
            self.open_blob_writer(rid, key) as pcm,
        ):
            samples = pcm_mod.to_asr_pcm(source.read, samplerate=samplerate, channels=channels, on_pcm=pcm.write)
        duration_ms = round(samples * 1000 / importer.SAMPLE_RATE_HZ)
        self._ctx.transaction(
            lambda conn: records.set_audio(conn, rid, audio_blob=pcm.path.name, duration_ms=duration_ms, status=status)
        )

    def remove_orphan_blobs(self) -> int:
        """Blobs no recording points at, left by a deletion or an import that died half-way before this
        unlock. It reads every recording's names, so it runs after unlock (``check_integrity``), while
        imports and recordings may be going on: the files this unlock made are never taken, and the
        names are read after the folder is listed. Returns how many went."""
        state = self._ctx.require_open()
        present = list(self._ctx.paths.blobs.glob("*.vsb")) if self._ctx.paths.blobs.is_dir() else []
        if not present:
            return 0
        known = self._ctx.read(records.all_blob_names)
        fresh = set(state.fresh_blobs)  # read after the listing: a file listed that this unlock made is in it
        gone = [p for p in present if p.name not in known and p.name not in fresh]
        for path in gone:
            path.unlink(missing_ok=True)
        return len(gone)


def no_audio(recording_id: RecordingId, role: str, names: dict[str, str]) -> NoReturn:
    if role in ("original", "audio") and set(names) == {"redacted"}:
        raise errors.BadInput(
            f"The original audio of recording {recording_id} was discarded after redaction, as your "
            "organization's policy requires: only the redacted copy remains."
        )
    raise errors.BadInput(f"Recording {recording_id} has no {role} audio.")


def redacted_from(tr: Transcript, in_force: list[Redaction], *, mode: str, margin_ms: int) -> str:
    """What a redacted copy of ``tr`` with these redactions in force is made from (audio_redaction.made_from)."""
    spans = [(r.type, r.start, r.end, r.start_ms, r.end_ms) for r in in_force]
    return audio_redaction.made_from(str(tr.id), spans, mode=mode, margin_ms=margin_ms)
