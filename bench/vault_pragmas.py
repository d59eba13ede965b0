"""Where the vault's time goes: the workloads of bench/vault.py on variants of the vault, one
setting changed at a time.

A benchmark, never a test. Each variant runs in its own child process, because
``PRAGMA cipher_memory_security = ON`` switches SQLCipher's allocator for the whole process and
cannot be switched off again. Variants are rotated each round and medians taken; ratios are
against plain stdlib sqlite3. Besides wall time each child reports its own CPU time (steadier on a
shared machine) and the bytes it wrote (``wchar`` in /proc/self/io: the write amplification, which
is the same from run to run).

    .venv/bin/python bench/vault_pragmas.py                   # 10,000 transcripts, 3 rounds
    .venv/bin/python bench/vault_pragmas.py --quick           # 1,000 transcripts, 1 round
    .venv/bin/python bench/vault_pragmas.py --only insert     # the insert workload alone
    .venv/bin/python bench/vault_pragmas.py --variant cache   # only the variants named "...cache..."
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import vault as bench

#: name -> (production pragmas to drop, pragmas to add, cipher settings given right after the key).
#: None: not the vault. The plain sides run the vault's own pragmas (bench.PLAIN_PRAGMAS, the 64 MiB
#: page cache included) unless the name says otherwise. Debian's sqlite3 builds with
#: SQLITE_SECURE_DELETE and SQLCipher's wheel does not; both sides set it ON, so a variant that drops
#: it must say "OFF".
VARIANTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None] = {
    "sqlite3 (stdlib)": None,
    "sqlite3 (stdlib), its default 2 MiB cache": None,
    "sqlcipher, no key": None,
    "sqlcipher, no key, its default 8 MiB cache": None,
    "vault (production: memory security off)": ((), (), ()),
    "vault + cipher_memory_security (policy on)": ((), ("PRAGMA cipher_memory_security = ON",), ()),
    "vault, secure_delete = FAST": (("secure_delete",), ("PRAGMA secure_delete = FAST",), ()),
    "vault, secure_delete = OFF": (("secure_delete",), ("PRAGMA secure_delete = OFF",), ()),
    "vault, 16 MiB cache": (("cache_size",), ("PRAGMA cache_size = -16384",), ()),
    "vault, 8 MiB cache": (("cache_size",), ("PRAGMA cache_size = -8192",), ()),
    "vault, 2 MiB cache": (("cache_size",), ("PRAGMA cache_size = -2000",), ()),
    "vault, synchronous = NORMAL": (("synchronous",), ("PRAGMA synchronous = NORMAL",), ()),
    "vault, no WAL checkpoint in the run": ((), ("PRAGMA wal_autocheckpoint = 0",), ()),
    "vault, HMAC-SHA256 (file format change)": ((), (), ("PRAGMA cipher_hmac_algorithm = HMAC_SHA256",)),
    "vault, 16 KiB pages (file format change)": ((), (), ("PRAGMA cipher_page_size = 16384",)),
    "vault, 8 KiB pages (file format change)": ((), (), ("PRAGMA cipher_page_size = 8192",)),
    "vault, HMAC-SHA256 + 8 KiB pages (file format change)": (
        (),
        (),
        ("PRAGMA cipher_hmac_algorithm = HMAC_SHA256", "PRAGMA cipher_page_size = 8192"),
    ),
    "sqlite3 (stdlib), 8 KiB pages": None,
}
BASELINE = "sqlite3 (stdlib)"
WORKLOADS = ("insert", "point read", "fts search")


def open_variant(name: str, path: Path) -> tuple[Any, Callable[[], None]]:
    from core.vault.migrate import migrate

    if "default" in name:  # the library's own page cache size: the vault's cache_size left out
        bench.PLAIN_PRAGMAS = tuple(p for p in bench.PLAIN_PRAGMAS if "cache_size" not in p)
    if name.startswith("sqlite3"):
        if "8 KiB" in name:
            bench.PLAIN_PRAGMAS = ("PRAGMA page_size = 8192", *bench.PLAIN_PRAGMAS)
        return bench.open_plain(path)
    import sqlcipher3.dbapi2 as sqlcipher

    if name.startswith("sqlcipher, no key"):  # same SQLite build as the vault, no encryption
        conn = sqlcipher.connect(str(path), isolation_level=None)
        for pragma in bench.PLAIN_PRAGMAS:
            conn.execute(pragma)
        migrate(conn)
        return conn, conn.close
    from core.vault import store

    variant = VARIANTS[name]
    assert variant is not None
    drop, add, cipher = variant
    # Only this child process sees the change; core/ itself is untouched.
    pragmas = tuple(p for p in store.PRAGMAS if not any(d in p for d in drop)) + add
    if not cipher:
        store.PRAGMAS = pragmas
        return bench.open_vault(path)
    conn = sqlcipher.connect(str(path), isolation_level=None)  # as VaultDB.open, with settings after the key
    conn.execute(f"PRAGMA key = \"x'{os.urandom(32).hex()}'\"")
    for setting in cipher:
        conn.execute(setting)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    for pragma in pragmas:
        conn.execute(pragma)
    migrate(conn)
    return conn, conn.close


def _written() -> int:
    with open("/proc/self/io", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("wchar:"))


def child(name: str, sizes: bench.Sizes, only: tuple[str, ...]) -> dict[str, float]:
    """One round of the workloads on a fresh database."""
    rng = random.Random(bench.SEED)
    corpus = bench.make_corpus(sizes.transcripts, rng)
    ids = [rng.choice(corpus)[1].id for _ in range(sizes.reads)]
    queries = bench.make_queries(sizes.queries, rng, [tr.text for _, tr in corpus])
    work: dict[str, Callable[[Any], None]] = {
        "insert": lambda c: bench.insert_all(c, corpus),
        "point read": lambda c: bench.read_all(c, ids),
        "fts search": lambda c: bench.search_all(c, queries),
    }
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="vs-bench-") as tmp:
        conn, close = open_variant(name, Path(tmp) / "db")
        for workload in only:
            cpu, written = time.process_time(), _written()
            out[workload] = bench.timed(lambda w=workload: work[w](conn))
            out[f"{workload} cpu"] = time.process_time() - cpu
            out[f"{workload} MiB written"] = (_written() - written) / 2**20
        close()
        out["db_mib"] = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 transcripts, 100 queries, 1 round")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--only", choices=WORKLOADS, action="append", help="run only this workload (repeatable)")
    parser.add_argument(
        "--variant",
        action="append",
        metavar="TEXT",
        help=f"run only the variants whose name holds TEXT (repeatable; {BASELINE!r} always runs)",
    )
    parser.add_argument("--rounds", type=int, help="rounds (default 3, or 1 with --quick)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = bench.Sizes(1_000, 1_000, 100, 1, 0) if args.quick else bench.Sizes(10_000, 10_000, 1_000, 3, 0)
    if args.rounds:
        sizes = dataclasses.replace(sizes, rounds=args.rounds)
    only = tuple(w for w in WORKLOADS if w in (args.only or WORKLOADS))
    if args.child:
        print(json.dumps(child(args.child, sizes, only)))
        return 0

    names = [n for n in VARIANTS if n == BASELINE or not args.variant or any(t in n for t in args.variant)]
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    flags = [*(["--quick"] if args.quick else []), *(f"--only={w}" for w in only)]
    for round_no in range(sizes.rounds):
        shift = round_no % len(names)
        for name in names[shift:] + names[:shift]:  # rotate the order to cancel drift
            cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, *flags]
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
            runs[name].append(json.loads(done.stdout))
    medians = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()}
    if args.json:
        print(json.dumps({"sizes": vars(sizes), "medians": medians}, indent=2))
        return 0

    print(
        f"{sizes.transcripts:,} transcripts, {sizes.reads:,} point reads, {sizes.queries:,} FTS queries; "
        f"median of {sizes.rounds} rotated round(s); wall s (ratio) | CPU s (ratio) | MiB written; ratios to {BASELINE}"
    )
    base = medians[BASELINE]
    for workload in only:
        print(f"\n{workload}")
        for name, m in medians.items():
            cpu = f"{workload} cpu"
            print(
                f"  {name:<44} {m[workload]:>8.3f} ({m[workload] / base[workload]:>5.2f}x) | "
                f"{m[cpu]:>8.3f} ({m[cpu] / base[cpu]:>5.2f}x) | {m[f'{workload} MiB written']:>7.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
