"""Vault benchmark: SQLCipher vault vs plain SQLite, and the cost of an unlock.

A benchmark, never a test: it prints ratios measured side by side in one run
(A/B alternated each round, medians taken) so that machine drift cancels out.

    .venv/bin/python bench/vault.py            # full run: 10,000 transcripts, 3 rounds
    .venv/bin/python bench/vault.py --quick    # smoke check: 1,000 transcripts, 1 round
    .venv/bin/python bench/vault.py --json     # one JSON object with every figure
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.clock import FakeClock
from core.paths import VaultPaths
from core.security.kdf import Argon2Params, argon2id
from core.security.keystore import MemoryKeystore
from core.security.secret import SecretKey
from core.security.totp import TotpSecret
from core.session import Session
from core.types import RecordingId, TranscriptId
from core.vault import records
from core.vault.migrate import migrate
from core.vault.store import VaultDB

RATIO_TARGET = 1.5  # vault may be at most 1.5x slower than plain SQLite
UNLOCK_TARGET_S = (0.5, 1.5)
BATCH = 100  # transcripts per transaction in the insert workload
TEXT_CHARS = 2000
SEED = 20240601

#: The production pragmas of core/vault/store.py that are not SQLCipher-specific.
PLAIN_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
)

_WORD_TEXT = """
the of and to in is was for on that with as it at by from this be have are not but they you we
his her their our all there when which about would what so can one out more will up other time
people year new day make like just know take into some could them see than then now look only
come think also back after use two how work first well way even want because any these give most
meeting project budget quarter customer report team patient doctor contract deadline review
decision proposal schedule office client manager policy market sales revenue product release
issue question answer problem solution research study result data analysis system process plan
strategy approach support service account invoice payment order delivery shipping warehouse
morning afternoon evening monday tuesday wednesday thursday friday january february march april
agreed discussed mentioned suggested explained confirmed requested approved rejected delayed
important urgent final initial quarterly annual monthly weekly daily external internal legal
medical financial technical personal private confidential secure encrypted offline recording
transcript interview hearing session lecture conversation call note summary follow action item
"""
WORDS = _WORD_TEXT.split()


@dataclass(frozen=True)
class Sizes:
    transcripts: int
    reads: int
    queries: int
    rounds: int
    unlocks: int


def make_text(rng: random.Random, weights: list[float]) -> str:
    """Deterministic English-like text of about TEXT_CHARS characters (Zipf-ish word frequencies)."""
    sentences: list[str] = []
    size = 0
    while size < TEXT_CHARS:
        words = rng.choices(WORDS, weights=weights, k=rng.randint(6, 18))
        sentence = " ".join(words).capitalize() + rng.choice((".", ".", ".", "?", "!"))
        sentences.append(sentence)
        size += len(sentence) + 1
    return " ".join(sentences)


def make_corpus(n: int, rng: random.Random) -> list[tuple[records.Recording, records.Transcript]]:
    weights = [1.0 / (rank + 1) for rank in range(len(WORDS))]
    out = []
    for i in range(n):
        rid = RecordingId(uuid.UUID(int=rng.getrandbits(128)).hex)
        tid = TranscriptId(uuid.UUID(int=rng.getrandbits(128)).hex)
        created = 1_700_000_000_000 + i * 60_000
        rec = records.Recording(rid, f"Recording {i}", created, 600_000, "en", "transcribed")
        out.append((rec, records.Transcript(tid, rid, created, "parakeet-tdt", "0.6b-v2", make_text(rng, weights))))
    return out


def make_queries(n: int, rng: random.Random, texts: list[str]) -> list[str]:
    """Single words, two-word AND, a phrase taken from a real transcript, a prefix query."""
    queries = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            queries.append(rng.choice(WORDS))
        elif kind == 1:
            queries.append(f"{rng.choice(WORDS)} AND {rng.choice(WORDS)}")
        elif kind == 2:
            words = [w.strip(".?!").lower() for w in rng.choice(texts).split()]
            start = rng.randrange(len(words) - 3)
            queries.append('"' + " ".join(words[start : start + 3]) + '"')
        else:
            queries.append(rng.choice([w for w in WORDS if len(w) >= 4])[:3] + "*")
    return queries


# -- the two databases ---------------------------------------------------------------


def open_vault(path: Path) -> tuple[Any, Callable[[], None]]:
    db = VaultDB.open(path, SecretKey(os.urandom(32)), create=True)  # production pragmas + migrations
    return db.conn, db.close


def open_plain(path: Path) -> tuple[Any, Callable[[], None]]:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    for pragma in PLAIN_PRAGMAS:
        conn.execute(pragma)
    migrate(conn)

    def close() -> None:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()

    return conn, close


OPENERS = {"vault": open_vault, "sqlite": open_plain}


# -- workloads -----------------------------------------------------------------------


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def insert_batch(conn: Any, batch: list[tuple[records.Recording, records.Transcript]]) -> None:
    for rec, tr in batch:
        records.add_recording(conn, rec)
        records.save_transcript(conn, tr)


def insert_all(conn: Any, corpus: list[tuple[records.Recording, records.Transcript]]) -> None:
    for first in range(0, len(corpus), BATCH):
        conn.execute("BEGIN IMMEDIATE")
        insert_batch(conn, corpus[first : first + BATCH])
        conn.execute("COMMIT")


def read_all(conn: Any, ids: list[TranscriptId]) -> None:
    for tid in ids:
        if records.get_transcript(conn, tid) is None:
            raise RuntimeError(f"transcript {tid} missing")


def search_all(conn: Any, queries: list[str]) -> None:
    for query in queries:
        records.search(conn, query)


def run_db_workloads(sizes: Sizes) -> dict[str, dict[str, float]]:
    rng = random.Random(SEED)
    corpus = make_corpus(sizes.transcripts, rng)
    ids = [rng.choice(corpus)[1].id for _ in range(sizes.reads)]
    queries = make_queries(sizes.queries, rng, [tr.text for _, tr in corpus])
    times: dict[str, dict[str, list[float]]] = {
        w: {"vault": [], "sqlite": []} for w in ("insert", "point read", "fts search")
    }
    for round_no in range(sizes.rounds):
        order = ["vault", "sqlite"] if round_no % 2 == 0 else ["sqlite", "vault"]
        with tempfile.TemporaryDirectory(prefix="vs-bench-") as tmp:  # fresh files every round
            conns = {name: OPENERS[name](Path(tmp) / f"{name}.db") for name in order}
            for name in order:
                times["insert"][name].append(timed(lambda c=conns[name][0]: insert_all(c, corpus)))
            for name in order:
                times["point read"][name].append(timed(lambda c=conns[name][0]: read_all(c, ids)))
            for name in order:
                times["fts search"][name].append(timed(lambda c=conns[name][0]: search_all(c, queries)))
            for name in order:
                conns[name][1]()
    return {w: {name: statistics.median(ts) for name, ts in by_db.items()} for w, by_db in times.items()}


# -- unlock --------------------------------------------------------------------------


def run_unlock(attempts: int, corpus: list[tuple[records.Recording, records.Transcript]]) -> dict[str, float]:
    """Unlock a vault that holds ``corpus``: the integrity check at open grows with the vault."""
    passphrase = "correct horse battery staple"
    with tempfile.TemporaryDirectory(prefix="vs-bench-unlock-") as tmp:
        clock = FakeClock()
        session = Session(VaultPaths(Path(tmp) / "vault"), keystore=MemoryKeystore(), clock=clock, os_user="bench")
        enrolment = session.create(passphrase)  # default Argon2Params: no kdf_params
        secret = enrolment.totp_secret
        totp = TotpSecret(base64.b32decode(secret + "=" * (-len(secret) % 8)))
        session.confirm_totp(totp.code_at(clock.now_ms() // 1000))
        for first in range(0, len(corpus), BATCH):
            session.run_in_transaction(lambda conn, f=first: insert_batch(conn, corpus[f : f + BATCH]))
        session.lock()
        db_mib = sum(p.stat().st_size for p in (Path(tmp) / "vault").glob("vault-*.db*")) / 2**20
        params = Argon2Params()
        unlocks, kdf = [], []
        for _ in range(attempts):  # unlock and Argon2id alone, alternated
            clock.advance(31)  # a new TOTP step, so the code is not a replay
            code = totp.code_at(clock.now_ms() // 1000)
            unlocks.append(timed(lambda c=code: session.unlock(passphrase, c)))
            if not session.is_unlocked:
                raise RuntimeError("unlock did not unlock")
            session.lock()
            kdf.append(timed(lambda: argon2id(b"x" * 32, salt=os.urandom(16), params=params)))
    unlock_s, argon2_s = statistics.median(unlocks), statistics.median(kdf)
    return {
        "unlock_s": unlock_s,
        "argon2_s": argon2_s,
        "argon2_share": argon2_s / unlock_s,
        "unlock_min_s": min(unlocks),
        "unlock_max_s": max(unlocks),
        "vault_transcripts": len(corpus),
        "vault_mib": db_mib,
        "memory_kib": params.memory_kib,
        "time_cost": params.time_cost,
        "parallelism": params.parallelism,
    }


# -- report --------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke check: 1,000 transcripts, 100 queries, 1 round")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    args = parser.parse_args(argv)
    sizes = Sizes(1_000, 1_000, 100, 1, 2) if args.quick else Sizes(10_000, 10_000, 1_000, 3, 5)

    started = time.perf_counter()
    db = run_db_workloads(sizes)
    unlock = run_unlock(sizes.unlocks, make_corpus(sizes.transcripts, random.Random(7)))
    workloads = {
        name: {**t, "ratio": t["vault"] / t["sqlite"], "pass": t["vault"] / t["sqlite"] <= RATIO_TARGET}
        for name, t in db.items()
    }
    low, high = UNLOCK_TARGET_S
    result = {
        "sizes": vars(sizes),
        "batch": BATCH,
        "sqlcipher_sqlite_version": str(sqlcipher.sqlite_version),
        "stdlib_sqlite_version": sqlite3.sqlite_version,
        "workloads": workloads,
        "ratio_target": RATIO_TARGET,
        "unlock": {**unlock, "target_s": [low, high], "pass": low <= unlock["unlock_s"] <= high},
        "total_s": time.perf_counter() - started,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0

    print(f"VaultScribe vault benchmark ({'quick' if args.quick else 'full'}): {sizes.transcripts:,} transcripts "
          f"of ~{TEXT_CHARS} chars, {BATCH} per transaction; {sizes.reads:,} point reads; {sizes.queries:,} FTS "
          f"queries; median of {sizes.rounds} round(s), A/B alternated")
    print(f"SQLite in SQLCipher {result['sqlcipher_sqlite_version']}, stdlib sqlite3 {sqlite3.sqlite_version}")
    print()
    print(f"{'workload':<12} {'vault s':>9} {'sqlite s':>9} {'vault/sqlite':>13} {'target':>8}  result")
    for name, w in workloads.items():
        print(f"{name:<12} {w['vault']:>9.3f} {w['sqlite']:>9.3f} {w['ratio']:>12.2f}x "
              f"{'<= ' + format(RATIO_TARGET, '.1f') + 'x':>8}  {verdict(bool(w['pass']))}")
    print()
    print(f"unlock (Argon2id m={unlock['memory_kib'] // 1024} MiB t={unlock['time_cost']} p={unlock['parallelism']}, "
          f"median of {sizes.unlocks}): {unlock['unlock_s']:.3f} s (min {unlock['unlock_min_s']:.3f}, "
          f"max {unlock['unlock_max_s']:.3f})")
    print(f"(the vault held {unlock['vault_transcripts']:,} transcripts, {unlock['vault_mib']:.0f} MiB)")
    print(f"Argon2id alone: {unlock['argon2_s']:.3f} s = {unlock['argon2_share']:.0%} of the unlock")
    print(f"target {low}-{high} s: {verdict(bool(result['unlock']['pass']))}")
    print(f"\ntotal {result['total_s']:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
