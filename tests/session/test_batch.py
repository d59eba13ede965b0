"""The batch desk (``session.batch.run``): files and folders imported, transcribed, redacted and exported in
one call, skipping what the vault has, one failure not stopping the others."""

from __future__ import annotations

from pathlib import Path

from core import errors
from core.session import BatchStatus
from tests.core.audio_fixtures import encode
from tests.session.test_jobs import not_audio, vault_counting_loads


def test_a_batch_imports_transcribes_redacts_and_exports_each_new_file(tmp_path: Path) -> None:
    vault, loads = vault_counting_loads(tmp_path / "v")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    a = encode(folder / "a.flac", "flac", "flac", 44_100, seconds=2.0)
    b = encode(folder / "sub" / "b.wav", "wav", "pcm_s16le", 16_000, seconds=1.0)
    bad = not_audio(folder / "c.wav")
    out = tmp_path / "out"
    told: list[tuple[int, int, str, bool]] = []

    files = vault.session.batch.run(
        [folder],
        model=None,
        device="cpu",
        redact=True,
        formats=["txt", "srt"],
        out=out,
        on_file=lambda i, n, path, skipped: told.append((i, n, path.name, skipped)),
    )

    assert [(f.path, f.status) for f in files] == [
        (a, BatchStatus.REDACTED),
        (bad, BatchStatus.FAILED),
        (b, BatchStatus.REDACTED),
    ]
    assert isinstance(files[1].error, errors.BadInput) and files[1].recording_id is None
    assert files[0].exports == [out / "a.txt", out / "a.srt"] and (out / "b.srt").exists()
    assert files[0].entities == 0 and loads == [None]  # the model loaded once, for both
    assert told == [(1, 3, "a.flac", False), (2, 3, "c.wav", False), (3, 3, "b.wav", False)]

    again = vault.session.batch.run([folder], model=None, device="cpu")
    assert [f.status for f in again] == [BatchStatus.SKIPPED, BatchStatus.FAILED, BatchStatus.SKIPPED]
    assert loads == [None]  # nothing new: no model loaded


def test_a_batch_without_redaction_or_exports_stops_at_the_transcript(tmp_path: Path) -> None:
    vault, _ = vault_counting_loads(tmp_path / "v")
    a = encode(tmp_path / "a.flac", "flac", "flac", 44_100, seconds=1.0)
    (only,) = vault.session.batch.run([a], model=None, device="cpu")
    assert (only.status, only.entities, only.exports) == (BatchStatus.TRANSCRIBED, None, None)
    assert only.recording_id is not None
    assert vault.session.transcripts.current_transcript(only.recording_id).text == "w0"
