"""`vaultscribe redact --audio`, `review` and `export` end to end: speech with PII, transcribed by the
trained test model through NeMo, detected by the product's Presidio-based detector, stored for review
in a real vault opened with the real Secret Service; the redacted audio is checked against the words."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from models.loader import load_engine
from models.name_tagger import product_detector
from models.store import MODELS_ENV
from models.training.synth import Voice, speak, with_pauses, write_wav
from tests.asr.conftest import TEST_MODEL_ID
from tests.core.test_cli import PASS, Cli, _keep_pytests_core_limit, imported_ids, vs  # noqa: F401  (fixtures)

pytestmark = pytest.mark.real_keyring

SENTENCES = [
    "my name is helen wright",
    "my social security number is oh five zero dash six nine dash oh nine three three",
    "what back those know book follow drive red through",
]
VOICE = Voice("espeak", "en-us", 150, 50, 1.0)


def test_redact_review_and_export_a_spoken_transcript(
    vs: Cli,  # noqa: F811
    tmp_path: Path,
    models_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(MODELS_ENV, str(models_dir))
    vs.engine_factory = load_engine
    vs.detector_factory = product_detector  # what app.cli passes: the rules and the trained name tagger
    clips = [speak(s, VOICE).astype(np.float32) / 32768 for s in SENTENCES]
    wav = write_wav(tmp_path / "call.wav", with_pauses(clips, pause_s=0.8))
    rc, data, err = imported_ids(vs, wav, extra=("--transcribe", "--model", TEST_MODEL_ID, "--device", "cpu"))
    assert rc == 0, err
    (tr,) = data["transcripts"]
    rid = tr["id"]
    auth = ("--passphrase-stdin", "--json", "--totp")

    rc, rows, err = vs("redact", rid, "--audio", "--margin-ms", "50", *auth, vs.code(), stdin=PASS + "\n")

    assert rc == 0, err
    (row,) = rows
    kinds = {e["type"]: e for e in row["entities"]}
    assert {"NAME", "SSN"} <= set(kinds), row
    name, ssn = kinds["NAME"], kinds["SSN"]
    assert "[NAME]" in row["text"] and "[SSN]" in row["text"] and "wright" not in row["text"]
    assert name["state"] == ssn["state"] == "pending"
    assert "text" not in name and "wright" not in str(rows)  # redacted output stays redacted
    words = {w["word"]: w for w in tr["words"]}
    assert name["start_s"] <= words["wright"]["start_s"] < words["wright"]["end_s"] <= name["end_s"]
    assert ssn["end_s"] > ssn["start_s"] > name["end_s"]
    assert row["audio"]["intervals"] >= 2 and row["audio"]["untimed"] == 0

    # The redacted copy: a tone over the name's span, the third sentence untouched after the SSN.
    out_wav = tmp_path / "redacted.wav"
    rc, _, err = vs("export-audio", rid, "--redacted", "--out", str(out_wav), *auth, vs.code(), stdin=PASS + "\n")
    assert rc == 0, err
    with wave.open(str(out_wav)) as w:
        assert (w.getframerate(), w.getnchannels()) == (16_000, 1)
        redacted = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32767
    with wave.open(str(wav)) as w:
        original = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32767
    a, b = int(name["start_s"] * 16_000), int(name["end_s"] * 16_000)
    spectrum = np.abs(np.fft.rfft(redacted[a:b]))
    assert abs(np.argmax(spectrum) * 16_000 / (b - a) - 1000) < 10
    tail = int((ssn["end_s"] + 0.2) * 16_000)
    assert len(redacted) == len(original)
    assert np.max(np.abs(redacted[tail:] - original[tail:])) < 2e-3

    # Review: reject the name, add the word "red" as a span; the export follows.
    red_at = tr["text"].index("red")
    rc, reviewed, err = vs("review", rid, "--reject", str(name["id"]), "--add", f"{red_at}:{red_at + 3}:NAME",
                           "--show-text", *auth, vs.code(), stdin=PASS + "\n")  # fmt: skip
    assert rc == 0, err
    assert "helen wright" in reviewed["text"] and "[SSN]" in reviewed["text"] and " red " not in reviewed["text"]
    shown = {(e["type"], e["state"], e["text"]) for e in reviewed["entities"]}
    assert ("NAME", "rejected", "helen wright") in shown and ("NAME", "added", "red") in shown
    out = tmp_path / "call.srt"
    rc, done, err = vs("export", rid, "--format", "srt", "--out", str(out), *auth, vs.code(), stdin=PASS + "\n")
    assert rc == 0 and done["redacted"] is True, err
    srt = out.read_text()
    assert "helen wright" in srt and "[SSN]" in srt and "00:00:0" in srt
