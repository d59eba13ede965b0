"""A recording's encrypted PCM blob as the engine's AudioSource."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.types import RecordingId
from tests.core.audio_fixtures import best_correlation, encode, mono_16k
from tests.core.helpers import add_pcm_recording
from tests.session.test_session import Vault, make_vault


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path)


def test_reads_exactly_the_samples_written_across_chunk_boundaries(vault: Vault) -> None:
    samples = np.random.default_rng(7).standard_normal(5_000).astype(np.float32)
    rid = add_pcm_recording(vault.session, "r1", samples, chunk_size=1022)  # 255.5 samples a chunk
    with vault.session.audio.open_audio_source(rid) as source:
        assert source.num_samples == 5_000
        for start, count in ((0, 5_000), (0, 1), (255, 2), (1_000, 777), (4_990, 100), (5_000, 10)):
            got = source.read(start, count)
            assert got.dtype == np.float32 and got.flags.writeable
            np.testing.assert_array_equal(got, samples[start : start + count])
        with pytest.raises(ValueError):
            source.read(-1, 10)


def test_an_imported_file_reads_back_as_16k_mono(vault: Vault, tmp_path: Path) -> None:
    imported = vault.session.recordings.import_audio(
        encode(tmp_path / "talk.flac", "flac", "flac", 44_100, seconds=3.0)
    )
    with vault.session.audio.open_audio_source(RecordingId(imported.id)) as source:
        assert source.num_samples == round(imported.duration_s * 16_000)
        pcm = source.read(0, source.num_samples)
        # a window in the middle is the same as reading the whole and slicing
        np.testing.assert_array_equal(source.read(12_345, 4_000), pcm[12_345:16_345])
    assert best_correlation(mono_16k(3.0), pcm) >= 0.9
