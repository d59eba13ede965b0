"""Recording logic with a stand-in stream: what is captured is encrypted, kept and recoverable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from core.audio.capture import CaptureFormat, Level
from core.types import RecordingId
from tests.core.audio_fixtures import best_correlation
from tests.core.fake_audio import factory, tone
from tests.core.helpers import wait_until
from tests.session.test_session import Vault, make_vault
from tests.vault_access import vault_context

FMT = CaptureFormat(48_000, 2)


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path / "vault")


def blob_f32(vault: Vault, rid: str, role: str) -> np.ndarray:
    with vault.session.audio.open_blob(RecordingId(rid), role) as reader:
        return np.frombuffer(reader.read_at(0, reader.size), dtype="<f4")


def test_record_then_finish_keeps_the_exact_capture_and_16k_pcm(vault: Vault) -> None:
    source = tone(3.0, channels=2)
    make, streams = factory(source)
    levels: list[Level] = []
    live = vault.session.recordings.start_recording(capture=FMT, stream_factory=make, on_level=levels.append)
    assert vault.session.recordings.all()[0].status == "recording"
    wait_until(lambda: streams[0].delivered >= len(source))
    result = vault.session.recordings.finish_recording(live)
    assert result.reason == "stopped" and result.frames >= len(source)
    captured = blob_f32(vault, live.id, "original").reshape(-1, 2)
    assert np.array_equal(captured[: len(source)], source)  # bit-exact, then silence
    (rec,) = vault.session.recordings.all()
    assert rec.status == "new" and rec.duration_ms == round(result.frames / 48)
    pcm = blob_f32(vault, live.id, "audio")
    assert best_correlation(tone(3.0, rate=16_000)[:, 0], pcm) > 0.95
    # about 20 level updates a second of audio; a 0.5 sine is -9 dBFS RMS, -6 dBFS peak
    assert len(levels) >= 40
    loud = [lv for lv in levels if lv.elapsed_s < 2.9]
    assert all(-10 < lv.rms_dbfs < -8 and -7 < lv.peak_dbfs < -5.9 for lv in loud[2:])


def test_pause_drops_audio_and_resume_continues(vault: Vault) -> None:
    make, streams = factory(tone(2.0, channels=2), realtime_factor=10)
    live = vault.session.recordings.start_recording(capture=FMT, stream_factory=make)
    wait_until(lambda: live.recorder.frames > 10_000)
    live.recorder.pause()
    paused_at = live.recorder.frames
    time.sleep(0.3)
    assert live.recorder.frames - paused_at <= 2048  # at most the block in flight
    live.recorder.resume()
    wait_until(lambda: live.recorder.frames > paused_at + 10_000)
    result = vault.session.recordings.finish_recording(live)
    assert result.frames < streams[0].delivered + 20_000


def test_maximum_duration_ends_the_recording(vault: Vault) -> None:
    make, _ = factory(tone(5.0, channels=2))
    live = vault.session.recordings.start_recording(capture=FMT, stream_factory=make, max_duration_s=1.0)
    assert live.recorder.wait(10)
    result = vault.session.recordings.finish_recording(live)
    assert (result.reason, result.frames) == ("max_duration", 48_000)


@pytest.mark.parametrize("report_finish", [True, False], ids=["device-says-so", "device-goes-silent"])
def test_a_vanished_device_stops_cleanly_and_keeps_the_audio(vault: Vault, report_finish: bool) -> None:
    make, _ = factory(tone(3.0, channels=2), vanish_after=48_000, report_finish=report_finish)
    live = vault.session.recordings.start_recording(capture=FMT, stream_factory=make)
    assert live.recorder.wait(10)
    result = vault.session.recordings.finish_recording(live)
    assert result.reason == "device_lost" and "kept" in result.message
    assert result.frames >= 48_000
    assert len(blob_f32(vault, live.id, "audio")) >= 16_000


CHILD = """
import sys, time
from pathlib import Path
from core.audio.capture import CaptureFormat
from tests.core.fake_audio import factory, tone
from tests.session.test_session import Vault
from tests.core.helpers import make_session
import pickle
state = pickle.loads(bytes.fromhex(sys.argv[1]))
from core.security.keystore import MemoryKeystore
keystore = MemoryKeystore(); keystore._items.update(state["keys"])
from core.clock import FakeClock
clock = FakeClock(state["now_ms"])
session = make_session(Path(state["root"]), keystore=keystore, clock=clock, seed=99)
session.unlock(state["passphrase"], state["code"])
make, streams = factory(tone(60.0, channels=2), realtime_factor=4)
live = session.recordings.start_recording(capture=CaptureFormat(48_000, 2), stream_factory=make)
while True:
    time.sleep(0.05)
    print(live.recorder.frames, flush=True)
"""


def test_kill_9_while_recording_loses_at_most_two_seconds(vault: Vault) -> None:
    import pickle

    from tests.core.helpers import PASSPHRASE

    vault.session.lock()
    vault.next_step()
    state = {
        "root": str(vault.root),
        "keys": dict(vault.keystore._items),
        "now_ms": vault.clock.now_ms(),
        "passphrase": PASSPHRASE,
        "code": vault.code(),
    }
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, pickle.dumps(state).hex()], stdout=subprocess.PIPE, text=True, cwd=repo
    )
    assert proc.stdout is not None
    seen = 0
    while seen < 5 * 48_000:  # five seconds of audio written
        seen = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    vault.unlock()  # recovers the cut-off recording
    (rec,) = vault.session.recordings.interrupted_recordings()
    assert rec.duration_ms is not None and rec.duration_ms >= seen / 48 - 2_000
    pcm = blob_f32(vault, rec.id, "audio")
    assert abs(len(pcm) / 16 - rec.duration_ms) < 50
    vault.session.recordings.keep_recovered(rec.id)
    assert vault.session.recordings.interrupted_recordings() == []


def test_no_plaintext_after_record_play_and_delete(vault: Vault, private_tmpdir: Path) -> None:
    from tests.core.test_playback import Outs

    source = tone(2.0, channels=2) + np.float32(0.01) * np.random.default_rng(3).standard_normal((96_000, 2)).astype(
        np.float32
    )
    make, streams = factory(source)
    live = vault.session.recordings.start_recording(capture=FMT, stream_factory=make)
    wait_until(lambda: streams[0].delivered >= len(source))
    vault.session.recordings.finish_recording(live)
    pcm = blob_f32(vault, live.id, "audio").tobytes()
    player = vault.session.audio.open_player(RecordingId(live.id), stream_factory=Outs())
    player.play()
    wait_until(lambda: not player.playing)
    player.close()
    kept = vault.session.recordings.start_recording(capture=FMT, stream_factory=factory(source)[0])
    vault.session.recordings.finish_recording(kept)
    vault.session.recordings.delete_recording(RecordingId(live.id))
    raw = source.tobytes()
    needles = [raw[i : i + 64] for i in range(0, len(raw) - 64, len(raw) // 30)]
    needles += [pcm[i : i + 64] for i in range(0, len(pcm) // 2, len(pcm) // 60)]
    needles = [n for n in needles if len(set(n)) > 16]
    assert len(needles) > 30
    for root in (vault.root, private_tmpdir):
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert not [n for n in needles if n in data], path


def test_an_unrecoverable_recording_is_marked_failed_and_unlock_goes_on(vault: Vault) -> None:
    make, _ = factory(tone(1.0, channels=2))
    live = vault.session.recordings.start_recording(capture=FMT, stream_factory=make)
    live.recorder.stop()  # the process "dies" here: no finish_recording
    live.writer.path.unlink()  # and its capture file is lost as well
    vault.session.lock()
    vault.unlock()
    (rec,) = vault.session.recordings.all()
    assert rec.status == "failed"
    ctx = vault_context(vault.session)
    kinds = [(e.kind, e.outcome) for e in ctx.audit_log.events(ctx.require_db().conn)]
    assert ("recording.recover", "failure") in kinds
