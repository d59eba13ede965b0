"""Audio benchmark: AES-GCM blob throughput, decode speed, and the peak memory of a long import.

A benchmark, never a test: it prints figures measured side by side in one run.

    .venv/bin/python bench/audio.py            # full run: 512 MiB of crypto x 3 rounds, 1 h files, a 3 h import
    .venv/bin/python bench/audio.py --quick    # smoke check: 64 MiB of crypto, 2 min files
    .venv/bin/python bench/audio.py --json     # one JSON object with every figure

Test audio (a repeated 10 s block of tones and noise, 44.1 kHz stereo) is made in a temporary folder
for this run only. Peak memory: the work runs alone in a child process, VmHWM against RSS just before.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.vault import timed, verdict
from core.audio import blobs, importer
from core.clock import FakeClock
from core.paths import VaultPaths
from core.security.kdf import TEST_PARAMS
from core.security.keystore import MemoryKeystore
from core.security.totp import TotpSecret
from core.session import Session

CRYPTO_TARGET_MBPS = 500.0  # MB = 10^6 bytes
MEMORY_TARGET_MB = 300.0  # above the child's RSS right before the import
RATE = 44_100
CHUNK = 1 << 20
#: name -> (container, codec, options); LAME's fastest setting only shortens generation: decoding is the same
FORMATS = {"mp3": ("mp3", "libmp3lame", {"compression_level": "9"}), "flac": ("flac", "flac", {})}
JUDGED = ("raw_encrypt", "blob_write", "blob_read")  # the rows held to the crypto target


@dataclass(frozen=True)
class Sizes:
    crypto_mib: int
    rounds: int
    hour_s: float  # the "1 hour" files
    long_s: float  # the "3 hour" file of the memory check


def encode(path: Path, fmt: str, seconds: float) -> float:
    """Encode ``seconds`` of audio one second at a time (never the whole signal in memory); returns seconds taken."""
    import av

    t = np.arange(10 * RATE) / RATE  # a 10 s block, repeated
    tones = np.sin(2 * np.pi * np.stack([(220 + 30 * np.sin(2 * np.pi * 0.1 * t)) * t, 440 * t]))  # L: vibrato
    noise = 0.05 * np.random.default_rng(20240601).standard_normal((2, t.size))
    data = (0.5 * tones * (0.5 + 0.4 * np.sin(2 * np.pi * 0.7 * t)) + noise).astype(np.float32)
    container, codec, options = FORMATS[fmt]
    started = time.perf_counter()
    with av.open(str(path), "w", format=container) as out:
        stream: Any = out.add_stream(codec, rate=RATE, layout="stereo", options=options)
        total, done = int(seconds * RATE), 0
        while done < total:
            offset = done % t.size
            count = min(RATE, total - done, t.size - offset)
            frame = av.AudioFrame.from_ndarray(data[:, offset : offset + count].copy(), format="fltp", layout="stereo")
            frame.rate, frame.pts = RATE, done
            for packet in stream.encode(frame):
                out.mux(packet)
            done += count
        for packet in stream.encode(None):
            out.mux(packet)
    return time.perf_counter() - started


def new_session(root: Path) -> Session:
    """An unlocked, confirmed vault with fast Argon2 (the import path does not depend on it)."""
    clock = FakeClock()
    session = Session(VaultPaths(root), keystore=MemoryKeystore(), clock=clock, kdf_params=TEST_PARAMS, os_user="bench")
    secret = session.create("correct horse battery staple").totp_secret
    totp = TotpSecret(base64.b32decode(secret + "=" * (-len(secret) % 8)))
    session.confirm_totp(totp.code_at(clock.now_ms() // 1000))
    return session


# -- 1. AES-GCM throughput -------------------------------------------------------------


def run_crypto(mib: int, rounds: int, folder: Path) -> dict[str, dict[str, Any]]:
    """Raw AES-GCM, os.write (the disk's ceiling) and the blob classes on the same bytes; steps return fsync s."""
    data, key, nonce, view = os.urandom(CHUNK), os.urandom(32), os.urandom(12), memoryview(bytearray(CHUNK))
    aead = AESGCM(key)  # one plaintext buffer, reused; one nonce, reused: harmless, nothing is kept
    ct = aead.encrypt(nonce, data, None)

    def repeat(fn: Callable[[], object]) -> Callable[[Path], float]:
        def run(_path: Path) -> float:
            for _ in range(mib):
                fn()
            return 0.0
        return run

    def plain_write(path: Path) -> float:
        fd = os.open(path.with_suffix(".raw"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        for _ in range(mib):
            os.write(fd, data)
        sync_s = timed(lambda: os.fsync(fd))
        os.close(fd)
        return sync_s

    def blob_write(path: Path) -> float:
        writer = blobs.BlobWriter(path, key, recording_id="bench")
        for _ in range(mib):
            writer.write(data)
        return timed(writer.close)  # the final chunk, then fsync of the file and its folder

    def blob_read(path: Path) -> float:
        with blobs.BlobReader(path, key, recording_id="bench") as reader:
            while reader.readinto(view):
                pass
        return 0.0

    steps: dict[str, tuple[str, Callable[[Path], float]]] = {
        "raw_encrypt": ("AESGCM.encrypt, no I/O", repeat(lambda: aead.encrypt(nonce, data, None))),
        "plain_write": ("os.write, no crypto (disk ceiling)", plain_write),
        "blob_write": ("BlobWriter.write", blob_write),
        "raw_decrypt": ("AESGCM.decrypt, no I/O", repeat(lambda: aead.decrypt(nonce, ct, None))),
        "blob_read": ("BlobReader.readinto (page cache)", blob_read),
    }
    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in steps}
    for r in range(rounds):
        path = folder / f"crypto{r}.vsb"
        for group in (["raw_encrypt", "plain_write", "blob_write"], ["raw_decrypt", "blob_read"]):
            for name in group[r % len(group) :] + group[: r % len(group)]:
                faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                started = time.perf_counter()
                sync_s = steps[name][1](path)
                total = time.perf_counter() - started
                runs[name].append((total - sync_s, sync_s, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults))
        path.unlink()
        path.with_suffix(".raw").unlink()
    mb, out = mib * CHUNK / 1e6, {}
    for name, figures in runs.items():
        work, sync, faults = (statistics.median(column) for column in zip(*figures, strict=True))
        out[name] = {"label": steps[name][0], "mbps": mb / work, "mbps_with_fsync": mb / (work + sync),
                     "fsync_s": sync, "minor_faults_per_mib": faults / mib}
    return out


# -- 2. decode speed -------------------------------------------------------------------


def decode_plain(path: Path) -> importer.DecodeResult:
    with open(path, "rb") as fh:
        return importer.decode(fh, name=path.name, on_pcm=lambda _pcm: None, limits=importer.ImportLimits())


def import_timed(session: Session, path: Path) -> tuple[float, float]:
    """Seconds for the whole import, and until its copy phase (copy + hash + encrypt the original) is done."""
    started, copied = time.perf_counter(), [float("nan")]

    def progress(fraction: float) -> None:  # copy_and_hash reports 0-0.2, decoding 0.2-1
        if fraction >= 0.2 and copied[0] != copied[0]:
            copied[0] = time.perf_counter() - started

    session.recordings.import_audio(path, progress=progress)
    return time.perf_counter() - started, copied[0]


def run_decode(files: dict[str, Path], seconds: float, folder: Path) -> dict[str, dict[str, float]]:
    session, out = new_session(folder / "vault"), {}
    for i, (fmt, path) in enumerate(files.items()):
        times: dict[str, float] = {}
        for step in ("decode", "import")[:: 1 if i % 2 == 0 else -1]:  # A/B alternated
            if step == "decode":
                times["decode_s"] = timed(lambda p=path: decode_plain(p))  # type: ignore[misc]
            else:
                times["import_s"], times["copy_s"] = import_timed(session, path)
        out[fmt] = {**times, "mb": path.stat().st_size / 1e6, "decode_x": seconds / times["decode_s"],
                    "import_x": seconds / times["import_s"], "ratio": times["import_s"] / times["decode_s"]}
    session.lock()
    return out


# -- 3. peak memory of a long import (child process) -----------------------------------


def proc_status_kib(field: str) -> int:
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(status[field].split()[0])


def child(mode: str, path: Path) -> None:
    """Run one decode or import alone; print its memory figures as JSON."""
    import av  # noqa: F401 - loaded before the baseline, as in the app

    with tempfile.TemporaryDirectory(prefix="vs-bench-mem-") as tmp:
        session = new_session(Path(tmp) / "vault") if mode == "import" else None
        work: Callable[[Path], object] = decode_plain if session is None else session.recordings.import_audio
        baseline = proc_status_kib("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := current RSS (Linux >= 4.0): setup peaks don't count
        seconds = timed(lambda: work(path))
        figures = {"baseline_kib": baseline, "peak_kib": proc_status_kib("VmHWM"), "seconds": seconds,
                   "after_kib": proc_status_kib("VmRSS")}
    print(json.dumps(figures))


def run_memory(path: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for mode in ("decode", "import"):
        cmd = [sys.executable, __file__, "--child", mode, str(path)]
        figures = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()[-1])
        out[mode] = {**figures, "above_mb": (figures["peak_kib"] - figures["baseline_kib"]) * 1024 / 1e6}
    return out


def span(seconds: float) -> str:
    return f"{seconds / 3600:g} h" if seconds >= 3600 else f"{seconds / 60:g} min"


def report(result: dict[str, Any], sizes: Sizes, quick: bool) -> None:
    rows, decode, mem = result["crypto"]["rows"], result["decode"], result["memory"]
    print(f"VaultScribe audio benchmark ({'quick' if quick else 'full'}): {sizes.crypto_mib} MiB of crypto in 1 MiB "
          f"chunks, median of {sizes.rounds} rotated round(s); {span(sizes.hour_s)} files for decode speed; "
          f"a {span(sizes.long_s)} import for memory")
    print(f"\nAES-256-GCM on {sizes.crypto_mib * CHUNK / 1e6:.0f} MB (MB = 10^6 bytes); "
          f"target >= {CRYPTO_TARGET_MBPS:.0f} MB/s without fsync")
    print(f"  {'workload':<34} {'MB/s':>7} {'with fsync':>11} {'fsync s':>8} {'page faults/MiB':>16}")
    for name, c in rows.items():
        synced = f"{c['mbps_with_fsync']:>11.0f} {c['fsync_s']:>8.2f}" if c["fsync_s"] else f"{'-':>11} {'-':>8}"
        mark = verdict(c["mbps"] >= CRYPTO_TARGET_MBPS) if name in JUDGED else ""
        print(f"  {c['label']:<34} {c['mbps']:>7.0f} {synced} {c['minor_faults_per_mib']:>16.0f}  {mark}")
    print(f"  BlobWriter.write runs at {rows['blob_write']['mbps'] / rows['raw_encrypt']['mbps']:.2f}x the speed of "
          f"raw encryption, {rows['blob_write']['mbps'] / rows['plain_write']['mbps']:.2f}x that of plain os.write")
    print("\ngeneration of the test files: " + ", ".join(f"{k} {v:.1f} s" for k, v in result["generation_s"].items()))
    print(f"\ndecode to 16 kHz mono float32, {span(sizes.hour_s)} of 44.1 kHz stereo; x real time, higher is faster")
    print(f"  {'format':<7} {'MB':>6} {'decode s':>9} {'decode x':>9} {'import s':>9} {'import x':>9} "
          f"{'import/decode':>14} {'copy phase s':>13}")
    for fmt, d in decode.items():
        print(f"  {fmt:<7} {d['mb']:>6.1f} {d['decode_s']:>9.2f} {d['decode_x']:>8.0f}x {d['import_s']:>9.2f} "
              f"{d['import_x']:>8.0f}x {d['ratio']:>13.2f}x {d['copy_s']:>13.2f}")
    print(
        "  decode: importer.decode on a plain file, PCM discarded. import: recordings.import_audio = copy, hash and "
        "encrypt\n  the original (the copy phase), then decode it through BlobReader and encrypt the PCM."
    )
    print(
        f"\npeak memory, {span(sizes.long_s)} {mem['format']} ({mem['file_mb']:.0f} MB, the faster decode above), "
        "each alone in a child process; MB above its RSS right before the work starts"
    )
    for mode in ("decode", "import"):
        m = mem[mode]
        print(
            f"  {mode:<7} baseline {m['baseline_kib'] / 1024:>5.0f} MiB  peak {m['peak_kib'] / 1024:>5.0f} MiB  "
            f"+{m['above_mb']:>6.1f} MB  RSS after {m['after_kib'] / 1024:>5.0f} MiB  {m['seconds']:.1f} s"
        )
    print(f"  import target <= {MEMORY_TARGET_MB:.0f} MB above baseline: {verdict(bool(mem['pass']))}")
    print(f"\ntotal {result['total_s']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke check: 64 MiB of crypto, 2 min files")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0
    sizes = Sizes(64, 1, 120.0, 120.0) if args.quick else Sizes(512, 3, 3600.0, 3 * 3600.0)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="vs-bench-audio-") as tmp:
        folder = Path(tmp)
        crypto = run_crypto(sizes.crypto_mib, sizes.rounds, folder)
        files = {fmt: folder / f"hour.{fmt}" for fmt in FORMATS}
        generation = {f"{span(sizes.hour_s)} {fmt}": encode(path, fmt, sizes.hour_s) for fmt, path in files.items()}
        decode = run_decode(files, sizes.hour_s, folder)
        long_fmt = max(decode, key=lambda fmt: decode[fmt]["decode_x"])  # the fastest decode keeps the run short
        long_path = folder / f"long.{long_fmt}"
        generation[f"{span(sizes.long_s)} {long_fmt} (memory)"] = encode(long_path, long_fmt, sizes.long_s)
        memory: dict[str, Any] = {"format": long_fmt, "file_mb": long_path.stat().st_size / 1e6}
        memory.update(run_memory(long_path), target_mb=MEMORY_TARGET_MB)
    memory["pass"] = memory["import"]["above_mb"] <= MEMORY_TARGET_MB
    crypto_pass = all(crypto[name]["mbps"] >= CRYPTO_TARGET_MBPS for name in JUDGED)
    result = {
        "sizes": vars(sizes),
        "crypto": {"rows": crypto, "target_mbps": CRYPTO_TARGET_MBPS, "pass": crypto_pass},
        "generation_s": generation,
        "decode": decode,
        "memory": memory,
        "total_s": time.perf_counter() - started,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        report(result, sizes, args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
