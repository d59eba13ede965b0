"""The real trained test model, loaded once per test session through the same path Parakeet takes:
imported into a model store, verified against the manifest, restored by NeMo."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from core.asr.engine import Engine
from core.diarization.types import Diarizer, SpeakerTurn
from models.training import corpus, synth
from models.training.data import TRAIN_SEED

TEST_MODEL_ID = "vaultscribe/test-tdt-en-small"
TEST_MODEL = Path(__file__).resolve().parents[2] / "models" / "test" / "vaultscribe-test-tdt-en-small.nemo"
TEST_DIARIZER_ID = "vaultscribe/test-sortformer-diar-small"
TEST_DIARIZER = Path(__file__).resolve().parents[2] / "models" / "test" / "vaultscribe-test-sortformer-diar-small.nemo"


@cache
def _training_sentences() -> frozenset[str]:
    return frozenset(corpus.sentences(TRAIN_SEED, 8000))


def heldout(count: int, seed: int) -> list[tuple[str, np.ndarray]]:
    """New sentences the model never heard, spoken by espeak-ng voices, as 16 kHz float32."""
    return synth.spoken_sentences(seed, count, exclude=_training_sentences())


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.store import ModelStore

    root = tmp_path_factory.mktemp("models")
    ModelStore(root).import_file(TEST_MODEL)
    ModelStore(root).import_file(TEST_DIARIZER)
    return root


@pytest.fixture(scope="session")
def test_engine(models_dir: Path) -> Iterator[Engine]:
    from core.nemo import asr as nemo_asr
    from models.store import ModelStore

    path = ModelStore(models_dir).verified_path(TEST_MODEL_ID)
    yield nemo_asr.load(path, model_id=TEST_MODEL_ID, device="cpu")


@pytest.fixture(scope="session")
def test_diarizer(models_dir: Path) -> Diarizer:
    from core.nemo import sortformer
    from models.store import ModelStore

    path = ModelStore(models_dir).verified_path(TEST_DIARIZER_ID)
    return sortformer.load_diarizer(path, model_id=TEST_DIARIZER_ID, device="cpu")


def conversations(count: int, seed: int, *, max_s: float = 20.0) -> list[tuple[np.ndarray, list[SpeakerTurn]]]:
    """Generated conversations the diarizer never heard: two or three espeak-ng personas it was not
    trained on (one per voice variant, new pitch, speed and base voice), saying sentences of a new seed."""
    from models.training import diar_data

    return diar_data.labelled_conversations(count, seed, clips_per_voice=4, max_s=max_s)
