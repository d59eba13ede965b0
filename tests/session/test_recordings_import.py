"""Importing audio into the vault: every supported format, content-based detection, bad input."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from core import errors
from core.audio.importer import ImportLimits
from core.progress import CancelToken
from core.types import RecordingId
from tests.core.audio_fixtures import FORMATS, best_correlation, encode, make_all, mono_16k, video_only
from tests.session.test_session import Vault, make_vault
from tests.vault_access import vault_context


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_all(tmp_path_factory.mktemp("sources"))


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path / "vault")


def pcm_of(vault: Vault, rid: str) -> np.ndarray:
    with vault.session.audio.open_blob(RecordingId(rid)) as reader:
        return np.frombuffer(reader.read_at(0, reader.size), dtype="<f4")


def assert_nothing_left(vault: Vault) -> None:
    assert vault.session.recordings.all() == []
    assert list(vault.paths.blobs.iterdir()) == []


@pytest.mark.parametrize("name", [f[0] for f in FORMATS])
def test_every_format_imports_as_16k_mono(vault: Vault, sources: dict[str, Path], name: str) -> None:
    source = sources[name]
    progress: list[float] = []
    imported = vault.session.recordings.import_audio(source, progress=progress.append)
    assert imported.file == name
    assert imported.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    assert abs(imported.duration_s - 3.0) < 0.1
    assert progress[-1] == 1.0 and progress == sorted(progress)
    (recording,) = vault.session.recordings.all()
    assert recording.original_sha256 == imported.sha256 and recording.status == "imported"
    with vault.session.audio.open_blob(RecordingId(imported.id), "original") as reader:
        assert reader.read() == source.read_bytes()  # the exact bytes the source gave
    # FFmpeg's own Vorbis encoder, which makes the .ogg fixture, is experimental and lossy
    assert best_correlation(mono_16k(3.0), pcm_of(vault, imported.id)) >= (0.8 if name == "speech.ogg" else 0.9)


@pytest.mark.parametrize("disguise", ["interview.wav", "notes.txt", "noextension"])
def test_the_container_is_recognised_by_content_not_name(
    vault: Vault, sources: dict[str, Path], tmp_path: Path, disguise: str
) -> None:
    fake = tmp_path / disguise
    shutil.copy(sources["speech.mp3"], fake)
    imported = vault.session.recordings.import_audio(fake)
    assert abs(imported.duration_s - 3.0) < 0.1


def bad_inputs(folder: Path, sources: dict[str, Path]) -> dict[str, tuple[Path, str]]:
    folder.mkdir(exist_ok=True)
    (folder / "empty.wav").write_bytes(b"")
    (folder / "noise.mp3").write_bytes(np.random.default_rng(1).bytes(20_000))
    (folder / "letter.m4a").write_text("Dear editor, this is not audio at all.\n" * 50)
    wav = sources["speech.wav"].read_bytes()
    (folder / "cut.wav").write_bytes(wav[: len(wav) // 3])
    (folder / "playlist.m3u8").write_text("#EXTM3U\n#EXTINF:10,\nhttp://127.0.0.1:9/a.ts\n#EXT-X-ENDLIST\n")
    return {
        "missing": (folder / "missing.wav", "does not exist"),
        "empty": (folder / "empty.wav", "empty"),
        "random bytes": (folder / "noise.mp3", "not an audio or video file"),
        "text": (folder / "letter.m4a", "not an audio or video file"),
        "truncated": (folder / "cut.wav", "truncated"),
        "no audio stream": (video_only(folder / "video.mp4"), "no audio stream"),
        "a playlist that would fetch a URL": (folder / "playlist.m3u8", "not an audio or video file"),
        "a folder": (folder, "not a file"),
    }


def test_bad_input_is_a_clear_error_that_leaves_nothing(vault: Vault, sources: dict[str, Path], tmp_path: Path) -> None:
    for case, (path, reason) in bad_inputs(tmp_path / "bad", sources).items():
        with pytest.raises(errors.BadInput) as info:
            vault.session.recordings.import_audio(path)
        message = str(info.value)
        assert message.startswith(f"{path.name}:"), case
        assert reason in message, (case, message)
        assert_nothing_left(vault)


def test_limits(vault: Vault, sources: dict[str, Path]) -> None:
    with pytest.raises(errors.BadInput, match="over the 0 GB limit"):
        vault.session.recordings.import_audio(sources["speech.flac"], limits=ImportLimits(max_bytes=1000))
    with pytest.raises(errors.BadInput, match=r"3\.0 s of audio, over the 1\.8 s limit"):
        vault.session.recordings.import_audio(sources["speech.flac"], limits=ImportLimits(max_duration_s=1.8))
    assert_nothing_left(vault)


def test_the_duration_cap_holds_while_decoding_when_the_header_understates(vault: Vault, tmp_path: Path) -> None:
    # a raw Ogg Vorbis stream from this encoder declares 0.2 s but holds 3 s
    with pytest.raises(errors.BadInput, match=r"more than 1\.0 s of audio, over the limit"):
        vault.session.recordings.import_audio(
            encode(tmp_path / "understated.ogg", "ogg", "vorbis", 44_100), limits=ImportLimits(max_duration_s=1.0)
        )
    assert_nothing_left(vault)


def test_cancel_leaves_nothing(vault: Vault, sources: dict[str, Path]) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(errors.Cancelled):
        vault.session.recordings.import_audio(sources["speech.wav"], cancel=token)
    assert_nothing_left(vault)


def test_export_is_the_exact_original_and_is_audited(vault: Vault, sources: dict[str, Path], tmp_path: Path) -> None:
    imported = vault.session.recordings.import_audio(sources["speech.m4a"])
    out = tmp_path / "exported.m4a"
    assert vault.session.audio.export_original(RecordingId(imported.id), out) == out.stat().st_size
    assert out.read_bytes() == sources["speech.m4a"].read_bytes()
    events = [
        (e.kind, e.object_id)
        for e in vault_context(vault.session).audit_log.events(vault_context(vault.session).require_db().conn)
    ]
    assert ("audio.export", imported.id) in events


def test_no_plaintext_audio_in_the_vault_or_temp_dir(
    vault: Vault, sources: dict[str, Path], private_tmpdir: Path
) -> None:
    source = sources["speech.wav"]
    imported = vault.session.recordings.import_audio(source)
    pcm = pcm_of(vault, imported.id).tobytes()
    keep = vault.session.recordings.import_audio(sources["speech.flac"])
    vault.session.recordings.delete_recording(RecordingId(imported.id))
    raw = source.read_bytes()
    needles = [raw[i : i + 64] for i in range(100, len(raw) - 64, len(raw) // 20)]
    needles += [pcm[i : i + 64] for i in range(4000, len(pcm) - 64, len(pcm) // 20)]
    flac = sources["speech.flac"].read_bytes()
    needles += [flac[i : i + 64] for i in range(100, len(flac) - 64, len(flac) // 10)]
    needles = [n for n in needles if len(set(n)) > 16]  # padding and silence prove nothing
    assert len(needles) > 40
    for root in (vault.root, private_tmpdir):
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                found = [n for n in needles if n in data]
                assert not found, (path, found[:1])
    assert [r.id for r in vault.session.recordings.all()] == [keep.id]


def test_stereo_is_down_mixed_as_the_channel_mean(vault: Vault, tmp_path: Path) -> None:
    import wave

    t = np.arange(32_000) / 16_000
    tone = (0.9 * np.sin(2 * np.pi * 250 * t) * 32767).astype("<i2")
    source = tmp_path / "loud.wav"
    with wave.open(str(source), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes(np.stack([tone, tone], axis=1).tobytes())
    pcm = pcm_of(vault, vault.session.recordings.import_audio(source).id)
    # the mean of two equal channels is the channel itself: no +3 dB, no clipping
    assert 0.88 < float(np.abs(pcm).max()) < 0.92


def test_the_limits_are_settings(tmp_path: Path, sources: dict[str, Path]) -> None:
    from core.config import Config

    vault = make_vault(tmp_path / "v", config=Config({"import_max_gb": 1, "import_max_hours": 1}))
    assert vault.session.recordings.import_limits() == ImportLimits(max_bytes=10**9, max_duration_s=3600.0)
    assert vault.session.recordings.import_audio(sources["speech.flac"]).duration_s > 2.9
