"""The real trained test model, loaded once per test session through the same path Parakeet takes:
imported into a model store, verified against the manifest, restored by NeMo."""

from __future__ import annotations

import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from core.asr.engine import SAMPLE_RATE, Engine
from models.training import corpus, synth
from models.training.data import TRAIN_SEED

TEST_MODEL_ID = "vaultscribe/test-tdt-en-small"
TEST_MODEL = Path(__file__).resolve().parents[2] / "models" / "test" / "vaultscribe-test-tdt-en-small.nemo"


@cache
def _training_sentences() -> frozenset[str]:
    return frozenset(corpus.sentences(TRAIN_SEED, 8000))


def heldout(count: int, seed: int) -> list[tuple[str, np.ndarray]]:
    """New sentences the model never heard, spoken by espeak-ng voices, as 16 kHz float32."""
    rng, seen, out = random.Random(seed), _training_sentences(), []
    while len(out) < count:
        text = corpus.sentence(rng)
        if text in seen:
            continue
        pcm = synth.speak(text, synth.random_voice(rng, festival_share=0.0))
        out.append((text, pcm.astype(np.float32) / 32768))
    return out


def with_pauses(clips: list[np.ndarray], pause_s: float = 0.5) -> np.ndarray:
    pause = np.zeros(int(pause_s * SAMPLE_RATE), np.float32)
    return np.concatenate([np.concatenate([c, pause]) for c in clips])


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.store import ModelStore

    root = tmp_path_factory.mktemp("models")
    ModelStore(root).import_file(TEST_MODEL)
    return root


@pytest.fixture(scope="session")
def test_engine(models_dir: Path) -> Iterator[Engine]:
    from core.asr import nemo_engine
    from models.store import ModelStore

    path = ModelStore(models_dir).verified_path(TEST_MODEL_ID)
    yield nemo_engine.load(path, model_id=TEST_MODEL_ID, device="cpu")
