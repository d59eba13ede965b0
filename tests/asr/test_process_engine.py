"""The speech engine in a child process: the same Engine contract across a pipe.

Fake engines (tests/asr/process_fakes.py) run in a real spawned child; the real
model through the same class is in tests/app/test_responsiveness.py.
"""

from __future__ import annotations

import itertools
import os
import pickle
import signal
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from core import errors
from core.asr.engine import ArraySource, TranscribeOptions
from core.asr.holder import EngineHolder
from core.asr.process import ProcessEngine
from core.progress import CancelToken
from core.security import sandbox
from tests.asr import process_fakes
from tests.signals import spawned_with_default_sigint

SECONDS = 6
AUDIO = ArraySource(np.full(16_000 * SECONDS, 0.1, dtype=np.float32))


def _steps(reported: list[float]) -> list[float]:
    """The progress figures a child sent, without the heartbeats that repeat the last one while it is silent."""
    return [f for f, _ in itertools.groupby(reported) if f]


def test_load_reports_progress_and_transcribe_reads_audio_through_the_pipe() -> None:
    seen: list[float] = []
    engine = ProcessEngine(process_fakes.fake, "m/1", "cpu", seen.append)
    try:
        # A slow child start (a loaded machine) adds heartbeats: the last figure again, 0.0 before the first.
        assert _steps(seen) == [0.25, 0.5, 1.0]
        assert engine.model_id == "m/1" and engine.device.kind == "cpu"
        progress: list[float] = []
        result = engine.transcribe(AUDIO, TranscribeOptions(), progress=progress.append, cancel=CancelToken())
        assert result.text == "w0 w1 w2 w3. w4 w5"
        assert progress[-1] == 1.0 and len(_steps(progress)) == SECONDS
        # the child stays up for the next recording
        again = engine.transcribe(AUDIO, TranscribeOptions(), progress=lambda f: None, cancel=CancelToken())
        assert again.text == result.text
    finally:
        engine.close()
    assert not engine.alive


def test_cancel_stops_the_child_at_its_next_batch_and_keeps_it() -> None:
    engine = ProcessEngine(process_fakes.slow, None, "cpu", lambda f: None)
    try:
        cancel = CancelToken()
        threading.Timer(0.5, cancel.cancel).start()
        started = time.monotonic()
        with pytest.raises(errors.Cancelled):
            engine.transcribe(AUDIO, TranscribeOptions(), progress=lambda f: None, cancel=cancel)
        assert time.monotonic() - started < 1.5
        assert engine.alive
    finally:
        engine.close()


def test_a_child_that_ignores_cancel_is_killed() -> None:
    engine = ProcessEngine(process_fakes.deaf, None, "cpu", lambda f: None)
    cancel = CancelToken()
    threading.Timer(0.2, cancel.cancel).start()
    started = time.monotonic()
    with pytest.raises(errors.Cancelled):
        engine.transcribe(AUDIO, TranscribeOptions(), progress=lambda f: None, cancel=cancel)
    assert time.monotonic() - started < 5
    assert not engine.alive


def test_a_crash_in_the_child_is_a_readable_error_and_the_holder_loads_a_new_one() -> None:
    loads: list[int] = []

    def factory(model, device, progress):
        loads.append(1)
        return ProcessEngine(process_fakes.crashing, model, device, progress)

    holder = EngineHolder(factory)
    engine = holder.get(None, "cpu")
    with pytest.raises(errors.TranscriptionFailed, match="exit code 3"):
        engine.transcribe(AUDIO, TranscribeOptions(), progress=lambda f: None, cancel=CancelToken())
    assert not engine.alive
    holder.get(None, "cpu")
    assert len(loads) == 2
    holder.release()


def test_errors_cross_without_their_text_unless_they_are_ours() -> None:
    engine = ProcessEngine(process_fakes.failing, None, "cpu", lambda f: None)
    try:
        with pytest.raises(errors.TranscriptionFailed) as caught:
            engine.transcribe(AUDIO, TranscribeOptions(), progress=lambda f: None, cancel=CancelToken())
        assert "RuntimeError" in str(caught.value) and "secret" not in str(caught.value)
    finally:
        engine.close()
    with pytest.raises(errors.ModelError, match="is not installed"):
        ProcessEngine(process_fakes.no_model, None, "cpu", lambda f: None)
    with pytest.raises(errors.ModelError) as caught:
        ProcessEngine(process_fakes.broken_load, None, "cpu", lambda f: None)
    assert "RuntimeError" in str(caught.value) and "secret" not in str(caught.value)


def test_the_child_is_sandboxed_before_it_sees_audio_and_cannot_read_the_vault(tmp_path: Path) -> None:
    vault_file = tmp_path / "vault" / "recording.bin"
    vault_file.parent.mkdir()
    vault_file.write_text("plaintext")
    engine = ProcessEngine(process_fakes.snooping, str(vault_file), "cpu", lambda f: None, temp_root=tmp_path)
    (private,) = tmp_path.glob("vaultscribe-asr-*")
    try:
        if sandbox.landlock_abi() > 0:
            assert {"no_new_privs", "landlock", "seccomp"} <= set(engine.sandbox.active), engine.sandbox.summary()
        result = engine.transcribe(AUDIO, TranscribeOptions(), progress=lambda f: None, cancel=CancelToken())
    finally:
        engine.close()
    assert result.text == ("refused" if "landlock" in engine.sandbox.active else "read plaintext")
    assert not private.exists()  # the child's private temp dir goes with it


def test_the_parent_never_unpickles_what_the_child_sends(tmp_path: Path) -> None:
    marker = tmp_path / "ran-in-the-parent"
    control = tmp_path / "control"
    pickle.loads(pickle.dumps(process_fakes._Marker(str(control))))  # noqa: S301 - the payload is live
    assert control.exists()
    started = time.monotonic()
    with pytest.raises(errors.ModelError, match="should not send"):
        ProcessEngine(process_fakes.hostile, str(marker), "cpu", lambda f: None)
    assert not marker.exists()
    assert time.monotonic() - started < 20  # killed, not waited for


@pytest.mark.skipif(sys.platform != "linux", reason="the child forks to be single-threaded on Linux only")
def test_ctrl_c_to_the_process_that_waits_for_the_sandboxed_fork_leaves_the_engine_working() -> None:
    with spawned_with_default_sigint():  # else a suite started in the background tests an ignored SIGINT
        engine = ProcessEngine(process_fakes.fake, None, "cpu", lambda f: None)
    try:
        assert engine._process.pid is not None
        os.kill(engine._process.pid, signal.SIGINT)
        time.sleep(0.5)
        assert engine.alive
        result = engine.transcribe(AUDIO, TranscribeOptions(), progress=lambda f: None, cancel=CancelToken())
        assert result.text == "w0 w1 w2 w3. w4 w5"
    finally:
        engine.close()


def test_a_live_stream_is_decoded_in_the_child_and_waits_for_a_running_job() -> None:
    from core.asr.live import StreamOptions

    engine = ProcessEngine(process_fakes.slow, None, "cpu", lambda f: None)
    try:
        stream = engine.open_stream(StreamOptions(right_context_s=2.0))
        update = stream.feed(np.zeros(16_000 * 3, np.float32))
        assert [w.text for w in update.final] == ["w0"] and update.decoded_s == 3.0
        assert [w.text for w in update.partial] == ["w1", "w2"]

        def run_job() -> None:
            engine.transcribe(AUDIO, TranscribeOptions(), progress=lambda f: None, cancel=CancelToken())

        job = threading.Thread(target=run_job)
        job.start()
        time.sleep(0.3)
        started = time.monotonic()
        update = stream.feed(np.zeros(16_000, np.float32))  # shares the pipe: waits for the job's turn
        waited = time.monotonic() - started
        job.join()
        assert waited > 0.5  # the slow job takes 1.2 s; the stream did not cut into it
        assert [w.text for w in update.final] == ["w1"]
        assert [w.text for w in stream.finish().final] == ["w2", "w3"]
        stream.close()
    finally:
        engine.close()
