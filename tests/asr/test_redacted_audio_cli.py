"""Issue 21 §2 through the installed ``vaultscribe`` program: a PHONE span added in review after a
redacted copy was made is masked in what ``export-audio --redacted`` writes. The export once took the
last copy as it was; now the session makes it again whenever the review changed since (one rule for
the command line and the app), with the mode it was made with.

Real speech (espeak-ng), the trained test model in its sandboxed child, a real vault and the real
Secret Service. Four unlocks, so the test waits for two TOTP steps (about a minute)."""

from __future__ import annotations

import json
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from core.redaction.audio import DEFAULT_MARGIN_MS, MAX_GAP_FILL_MS
from models.training.synth import Voice, speak, write_wav
from tests.asr.conftest import TEST_MODEL_ID
from tests.asr.test_no_network import PASS, Flow

pytestmark = pytest.mark.real_keyring

VOICE = Voice("espeak", "en-us", 150, 50, 1.0)
RATE = 16_000


def _wav_samples(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32767


def _next_step() -> None:
    """Wait for the next 30 s TOTP step: a code is accepted once, and a step's is spent."""
    time.sleep(30 - time.time() % 30 + 0.5)


def test_export_audio_redacted_masks_a_span_added_after_the_copy_was_made(
    tmp_path: Path, models_dir: Path, secret_service: dict[str, str]
) -> None:
    parts = [speak(t, VOICE).astype(np.float32) / 32768 for t in ("please call me on", "five five five "
             "zero one four seven two two nine", "thanks a lot")]  # fmt: skip
    gap = np.zeros(RATE // 4, np.float32)
    audio = np.concatenate([parts[0], gap, parts[1], gap, parts[2]])
    number_ms = (
        (parts[0].size + gap.size) * 1000 // RATE,
        (parts[0].size + gap.size + parts[1].size) * 1000 // RATE,
    )
    wav = write_wav(tmp_path / "call.wav", audio)
    flow = Flow(tmp_path / "flow", models_dir, prefix=[])
    flow.init()

    done = flow.run("import", str(wav), "--transcribe", "--model", TEST_MODEL_ID, "--device", "cpu", "--json",
                    *flow.auth(), stdin=PASS + "\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    (tr,) = json.loads(done.stdout)["transcripts"]
    rid, text, words = tr["id"], tr["text"], tr["words"]
    # the words the model wrote over the spoken number, as a reviewer marks them
    over = [w for w in words if number_ms[0] <= (w["start_s"] + w["end_s"]) * 500 < number_ms[1]]
    assert len(over) >= 4, (text, number_ms)

    # a first redacted copy, in silence, before the number is marked
    made = flow.run("redact", rid, "--audio", "--audio-mode", "silence", "--json", *flow.auth(step=1),
                    stdin=PASS + "\n")  # fmt: skip
    assert made.returncode == 0, made.stderr

    start = sum(len(w["word"]) + 1 for w in words[: words.index(over[0])])
    end = start + len(" ".join(w["word"] for w in over))
    assert text[start:end] == " ".join(w["word"] for w in over)
    _next_step()
    reviewed = flow.run("review", rid, "--add", f"{start}:{end}:PHONE", "--json", *flow.auth(step=1),
                        stdin=PASS + "\n")  # fmt: skip
    assert reviewed.returncode == 0, reviewed.stderr

    out = tmp_path / "redacted.wav"
    _next_step()
    exported = flow.run("export-audio", rid, "--redacted", "--out", str(out), "--json", *flow.auth(step=1),
                        stdin=PASS + "\n")  # fmt: skip
    assert exported.returncode == 0, exported.stderr

    redacted, original = _wav_samples(out), _wav_samples(wav)
    assert len(redacted) == len(original)
    a = int(over[0]["start_s"] * RATE)
    b = int(over[-1]["end_s"] * RATE)
    assert not redacted[a:b].any(), "the added PHONE span is audible in the export"
    # what the model left untimed right after the number's last word is masked too, up to the number's end
    assert np.max(np.abs(redacted[b : number_ms[1] * RATE // 1000])) < 1e-3
    # everywhere else, beyond each span in force, its bound and margin, the audio is the original
    reach = (MAX_GAP_FILL_MS + DEFAULT_MARGIN_MS) * RATE // 1000
    untouched = np.ones(len(original), dtype=bool)
    for entity in json.loads(reviewed.stdout)["entities"]:
        if entity["state"] != "rejected" and entity["start_s"] is not None:
            untouched[max(0, int(entity["start_s"] * RATE) - reach) : int(entity["end_s"] * RATE) + reach] = False
    assert untouched.mean() > 0.2
    assert np.max(np.abs(redacted[untouched] - original[untouched])) < 2e-3  # 16-bit rounding both ways
