"""A writer process for the kill -9 tests: unlocks, then commits forever.

Run as ``python -m tests.core.crash_writer VAULT NOW_MS CODE MODE [FILE]`` with
the passphrase on stdin. MODE is write, transcribe, import (FILE, again and
again), record or rotate. After each commit it prints what it committed, so
every id the parent has read was committed before the process died.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core.clock import FakeClock
from core.paths import VaultPaths
from core.security.kdf import TEST_PARAMS
from core.security.keystore import KeyringKeystore
from core.session import Session
from core.types import Recording, RecordingId, Transcript, TranscriptId, Word


def main() -> None:
    vault, now_ms, code, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    session = Session(
        VaultPaths(Path(vault)), keystore=KeyringKeystore(), clock=FakeClock(now_ms), kdf_params=TEST_PARAMS
    )
    session.unlock(sys.stdin.readline().rstrip("\n"), code)
    print("unlocked", flush=True)
    n = 0
    while True:
        n += 1
        if mode == "rotate":
            session.keys.rotate_data_key()
            print(f"rotated {n}", flush=True)
            continue
        if mode == "transcribe":
            _transcribe_once(session, n)
            continue
        if mode == "import":
            imported = session.recordings.import_audio(Path(sys.argv[5]), title=f"import {n}")
            print(f"imported {imported.id}", flush=True)
            continue
        if mode == "record":
            _record_once(session)
            continue
        rid = RecordingId(f"r-{os.getpid()}-{n}")
        session.recordings.add_recording(Recording(rid, f"take {n}", now_ms + n), audio_key=bytes([n % 256]) * 32)
        text = " ".join(f"word{n}x{i}" for i in range(200))
        words = tuple(Word(f"word{n}x{i}", i * 100, i * 100 + 90) for i in range(200))
        session.transcripts.save_transcript(
            Transcript(TranscriptId(f"t-{rid}"), rid, now_ms + n, "test", "m", text, words)
        )
        print(f"committed {rid}", flush=True)


def _transcribe_once(session: Session, n: int) -> None:
    """Queue and run a transcription of the recording "speech" with a slowed fake engine, so that
    the kill can land before, inside or after a job."""
    import time

    from tests.core.fake_asr import FakeEngine

    engine = FakeEngine()
    job = session.jobs.enqueue_transcription(RecordingId("speech"), model_id=engine.model_id)
    print(f"queued {job}", flush=True)
    transcript = session.jobs.run_job(job, engine, progress=lambda _f: time.sleep(0.01))
    print(f"transcribed {transcript.id} {n}", flush=True)


def _record_once(session: Session) -> None:
    """Capture about a second from a stand-in microphone (five times faster than real time), then finish:
    a kill lands while capturing, while sealing or while the 16 kHz copy is derived."""
    import time

    from core.audio.capture import CaptureFormat
    from tests.core.fake_audio import factory, tone

    make, _ = factory(tone(1.0, channels=2), realtime_factor=5)
    live = session.recordings.start_recording(capture=CaptureFormat(48_000, 2), stream_factory=make)
    print(f"started {live.id}", flush=True)
    while live.recorder.frames < 48_000:
        time.sleep(0.01)
    session.recordings.finish_recording(live)
    print(f"recorded {live.id}", flush=True)


if __name__ == "__main__":
    main()
