"""Which vault pragma costs what: the workloads of bench/vault.py on variants of the vault.

A benchmark, never a test. Each variant runs in its own child process, because
``PRAGMA cipher_memory_security = ON`` switches SQLCipher's allocator for the
whole process and cannot be switched off again. Variants are rotated each round
and medians taken; ratios are against plain stdlib sqlite3.

    .venv/bin/python bench/vault_pragmas.py            # 10,000 transcripts, 3 rounds
    .venv/bin/python bench/vault_pragmas.py --quick    # 1,000 transcripts, 1 round
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import vault as bench

MEMSEC = "cipher_memory_security"
CACHE_64M = "PRAGMA cache_size = -65536"

#: name -> (production pragmas to drop, pragmas to add). None: not the vault.
VARIANTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]] | None] = {
    "sqlite3 (stdlib)": None,
    "sqlcipher, no key": None,
    "vault (production)": ((), ()),
    f"vault - {MEMSEC}": ((MEMSEC,), ()),
    f"vault - {MEMSEC} - secure_delete": ((MEMSEC, "secure_delete"), ()),
    f"vault - {MEMSEC} + cache 64 MiB": ((MEMSEC,), (CACHE_64M,)),
}
BASELINE = "sqlite3 (stdlib)"


def open_variant(name: str, path: Path) -> tuple[Any, Any]:
    if name == BASELINE:
        return bench.open_plain(path)
    if name == "sqlcipher, no key":  # same SQLite build as the vault, no encryption
        import sqlcipher3.dbapi2 as sqlcipher

        from core.vault.migrate import migrate

        conn = sqlcipher.connect(str(path), isolation_level=None)
        for pragma in bench.PLAIN_PRAGMAS:
            conn.execute(pragma)
        migrate(conn)
        return conn, conn.close
    from core.vault import store

    variant = VARIANTS[name]
    assert variant is not None
    drop, add = variant
    # Only this child process sees the change; core/ itself is untouched.
    store.PRAGMAS = tuple(p for p in store.PRAGMAS if not any(d in p for d in drop)) + add
    return bench.open_vault(path)


def child(name: str, sizes: bench.Sizes) -> dict[str, float]:
    """One round of the three workloads on a fresh database."""
    rng = random.Random(bench.SEED)
    corpus = bench.make_corpus(sizes.transcripts, rng)
    ids = [rng.choice(corpus)[1].id for _ in range(sizes.reads)]
    queries = bench.make_queries(sizes.queries, rng, [tr.text for _, tr in corpus])
    with tempfile.TemporaryDirectory(prefix="vs-bench-") as tmp:
        conn, close = open_variant(name, Path(tmp) / "db")
        out = {
            "insert": bench.timed(lambda: bench.insert_all(conn, corpus)),
            "point read": bench.timed(lambda: bench.read_all(conn, ids)),
            "fts search": bench.timed(lambda: bench.search_all(conn, queries)),
        }
        close()
        out["db_mib"] = sum(f.stat().st_size for f in Path(tmp).iterdir()) / 2**20
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 transcripts, 100 queries, 1 round")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = bench.Sizes(1_000, 1_000, 100, 1, 0) if args.quick else bench.Sizes(10_000, 10_000, 1_000, 3, 0)
    if args.child:
        print(json.dumps(child(args.child, sizes)))
        return 0

    names = list(VARIANTS)
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    for round_no in range(sizes.rounds):
        shift = round_no % len(names)
        for name in names[shift:] + names[:shift]:  # rotate the order to cancel drift
            cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, *(["--quick"] if args.quick else [])]
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
            runs[name].append(json.loads(done.stdout))
    medians = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()}
    if args.json:
        print(json.dumps({"sizes": vars(sizes), "medians": medians}, indent=2))
        return 0

    workloads = ("insert", "point read", "fts search")
    print(f"{sizes.transcripts:,} transcripts, {sizes.reads:,} point reads, {sizes.queries:,} FTS queries; "
          f"median of {sizes.rounds} round(s); seconds (ratio to {BASELINE})")
    print(f"{'variant':<48}" + "".join(f"{w:>19}" for w in workloads) + f"{'db MiB':>8}")
    base = medians[BASELINE]
    for name, m in medians.items():
        cells = "".join(f" {m[w]:>9.3f} ({m[w] / base[w]:>5.2f}x)" for w in workloads)
        print(f"{name:<48}{cells}{m['db_mib']:>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
