"""Custom vocabulary on the CPU engine, the way a user gets it: `vaultscribe vocab import`, then
`import --transcribe --engine onnx` and `transcribe --engine onnx`, with the real vault and keyring, the
test model's verified int8 ONNX export in the sandboxed model child, and espeak-ng speech the model
never heard. Boosting (core.asr.boosting, NeMo's tree in numpy) must bring in words the model never
writes unboosted (`corpus.BOOST_WORDS`) and leave other speech as it was, as tests/asr/test_vocab_real.py
asks of the NeMo engine, on the same speech. The weight's choice and figures at scale:
bench/vocab.py --engine nemo onnx.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from models.loader import load_engine_in_child
from models.store import MODELS_ENV
from models.training import corpus, synth
from models.training.wer import word_error_rate
from tests.asr.conftest import TEST_MODEL_ID, heldout
from tests.asr.test_vocab_real import PHRASE_SEED, PLAIN_SEED, recall
from tests.core.test_cli import PASS, Cli, _keep_pytests_core_limit, imported_ids, vs  # noqa: F401  (fixtures)

pytestmark = pytest.mark.real_keyring
ONNX = ("--model", TEST_MODEL_ID, "--device", "cpu", "--engine", "onnx")


def by_id(rows: list[dict[str, Any]], ids: list[str]) -> list[str]:
    texts = {row["id"]: row["text"] for row in rows}
    return [texts[i] for i in ids]


@pytest.mark.timeout(900)  # speech synthesis and four child transcriptions on 2 shared cores
def test_the_onnx_engine_boosts_the_users_vocabulary_through_the_model_child(
    vs: Cli, tmp_path: Path, onnx_models: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    models = tmp_path / "models"
    shutil.copytree(onnx_models, models)
    monkeypatch.setenv(MODELS_ENV, str(models))
    vs.engine_factory = load_engine_in_child
    spoken_pairs = synth.spoken_phrase_sentences(PHRASE_SEED, list(corpus.BOOST_WORDS), per_phrase=3)
    spoken = [p for p, _, _ in spoken_pairs]
    plain = heldout(30, seed=PLAIN_SEED)
    reference = " ".join(t for t, _ in plain)
    assert recall(list(corpus.BOOST_WORDS), reference) == 0
    phrase_wav = synth.write_wav(tmp_path / "phrases.wav", synth.with_pauses([a for _, _, a in spoken_pairs]))
    plain_wav = synth.write_wav(tmp_path / "plain.wav", synth.with_pauses([a for _, a in plain]))

    rc, data, err = imported_ids(vs, phrase_wav, plain_wav, extra=("--transcribe", *ONNX))
    assert rc == 0, err
    assert "ONNX Runtime" in err, err
    names: dict[str, Any] = {Path(r["file"]).stem: r["id"] for r in data["recordings"]}
    ids = [names["phrases"], names["plain"]]
    phrases_before, plain_before = by_id(data["transcripts"], ids)

    words = tmp_path / "words.txt"
    words.write_text("\n".join(w.capitalize() for w in corpus.BOOST_WORDS) + "\n")  # as typed: the model is lowercase
    rc, _, err = vs("vocab", "import", str(words), "--passphrase-stdin", "--totp", vs.code(), stdin=PASS + "\n")
    assert rc == 0, err
    rc, data, err = vs("transcribe", *ids, *ONNX, "--passphrase-stdin", "--json", "--totp", vs.code(),
                       stdin=PASS + "\n")  # fmt: skip
    assert rc == 0, err
    phrases_after, plain_after = by_id(data, ids)

    r_before, r_after = recall(spoken, phrases_before), recall(spoken, phrases_after)
    wer_before, wer_after = (word_error_rate([reference], [t]) for t in (plain_before, plain_after))
    print(f"recall {r_before:.1%} -> {r_after:.1%}; WER without the phrases {wer_before:.1%} -> {wer_after:.1%}")
    # The NeMo test's speech and bar: 0 of 45 unboosted; 5 or 6 boosted in runs when this was written
    # (int8 kernels on 2 threads are not bit-for-bit repeatable; NeMo: 6).
    # At least 3 more, or boosting did not work.
    assert r_after - r_before >= 3 / len(spoken), f"phrase recall {r_before:.0%} -> {r_after:.0%} with boosting"
    assert wer_after <= wer_before + 0.01, f"WER without the phrases {wer_before:.1%} -> {wer_after:.1%}"
