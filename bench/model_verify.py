"""What verifying a model file at every load costs: SHA-256 of the file against plain reading it.

A benchmark, never a test. ``ModelStore.open_verified`` hashes the whole file each time a model is
loaded (issue 22: a cached verification record could be forged). This measures, side by side in one
run, reading a file through the page cache without hashing (a floor NeMo pays anyway when it
restores the model) and reading it through ``open_verified`` (read + SHA-256), plus SHA-256 of bytes
already in memory, and extrapolates each to the size of the largest model in the manifest.

    .venv/bin/python bench/model_verify.py            # a 512 MiB file, 3 rounds
    .venv/bin/python bench/model_verify.py --quick    # 64 MiB, 1 round
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.manifest import MANIFEST, ModelSpec
from models.store import CHUNK_BYTES, ModelStore


def _read_only(path: Path) -> None:
    with open(path, "rb") as fh:
        while fh.read(CHUNK_BYTES):
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    mib, rounds = (64, 1) if args.quick else (512, 3)
    largest = max(spec.size_bytes for spec in MANIFEST)
    with tempfile.TemporaryDirectory() as tmp:
        data = os.urandom(mib << 20)
        path = Path(tmp) / "bench.nemo"
        path.write_bytes(data)
        spec = ModelSpec(
            "bench/x", path.name, len(data), hashlib.sha256(data).hexdigest(), "-", ("en",), None, True, ""
        )
        store = ModelStore(Path(tmp), manifest=[spec])
        _read_only(path)  # warm the page cache: both variants then read from memory
        times: dict[str, list[float]] = {"read": [], "open_verified": [], "sha256 in memory": []}
        for _ in range(rounds):
            for name, fn in (
                ("read", lambda: _read_only(path)),
                ("open_verified", lambda: store.open_verified(spec.id).close()),
                ("sha256 in memory", lambda: hashlib.sha256(data).digest()),
            ):
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    print(f"file: {mib} MiB, {rounds} round(s), medians; extrapolated to {largest / 1e9:.2f} GB")
    base = statistics.median(times["read"])
    for name, values in times.items():
        median = statistics.median(values)
        rate = (mib << 20) / median
        print(f"  {name:18} {rate / 2**20:7.0f} MiB/s  {largest / rate:5.2f} s   x{median / base:.2f} of read")


if __name__ == "__main__":
    main()
