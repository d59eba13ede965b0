"""Vault benchmark: SQLCipher vault vs plain SQLite, and the cost of an unlock as the vault grows.

A benchmark, never a test: it prints ratios measured side by side in one run
(A/B alternated each round, medians taken) so that machine drift cancels out.

    .venv/bin/python bench/vault.py            # full run: 10,000 transcripts, 3 rounds; unlock at 10k and 100k
    .venv/bin/python bench/vault.py --quick    # smoke check: 1,000 transcripts, 1 round
    .venv/bin/python bench/vault.py --json     # one JSON object with every figure
    .venv/bin/python bench/vault.py --memory-security   # the vault as the policy's
                                                        # database_memory_security = true runs it
    .venv/bin/python bench/vault.py --vault-cache DIR   # keep the unlock vaults in DIR and reuse them

The unlock vaults hold fake text only; with ``--vault-cache`` their device secret and TOTP secret
are kept beside them in DIR (a bench's throwaway keys, never a real vault's).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.clock import FakeClock
from core.paths import VaultPaths
from core.policy import Policy
from core.security import keys as security_keys
from core.security.kdf import Argon2Params, argon2id
from core.security.keystore import MemoryKeystore
from core.security.secret import SecretKey
from core.security.totp import TotpSecret
from core.session import Session
from core.types import Recording, RecordingId, Transcript, TranscriptId
from core.vault import records, store
from core.vault.migrate import migrate
from core.vault.store import VaultDB

RATIO_TARGET = 1.2  # full run: the vault may be at most 1.2x slower than plain SQLite
QUICK_RATIO_TARGET = 1.5  # --quick: 1,000 transcripts, one round; noisier, so a looser bound
UNLOCK_TARGET_S = (0.5, 1.0)  # Argon2id strong enough, and no slower than 1 s at any size
BATCH = 100  # transcripts per transaction in the insert workload
TEXT_CHARS = 2000


def in_transaction(session: Session, fn: Callable[[Any], Any]) -> Any:
    """The bench's own reach past the facade: ``fn(conn)`` in one transaction of the open vault (bulk inserts
    that no user action makes; ``Session`` offers no raw transactions)."""
    return session._ctx.transaction(fn)

SEED = 20240601

#: The production pragmas of core/vault/store.py that are not SQLCipher-specific: all of them, the
#: 64 MiB page cache included, so that both sides run the same SQLite settings and the ratio is the
#: cost of the encryption. (Until 2026-12-07 the plain side kept stdlib's 2 MiB cache, which is
#: cheaper for inserts: SQLite's own cost of a large cache was charged to the vault. bench/RESULTS.md.)
PLAIN_PRAGMAS: tuple[str, ...] = tuple(p for p in store.PRAGMAS if "cipher" not in p)

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
    unlock_sizes: tuple[int, ...] = ()


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


def make_corpus(n: int, rng: random.Random) -> list[tuple[Recording, Transcript]]:
    weights = [1.0 / (rank + 1) for rank in range(len(WORDS))]
    return [make_row(rng, weights, i) for i in range(n)]


def make_row(rng: random.Random, weights: list[float], i: int) -> tuple[Recording, Transcript]:
    rid = RecordingId(uuid.UUID(int=rng.getrandbits(128)).hex)
    tid = TranscriptId(uuid.UUID(int=rng.getrandbits(128)).hex)
    created = 1_700_000_000_000 + i * 60_000
    rec = Recording(rid, f"Recording {i}", created, 600_000, "en", "transcribed")
    return rec, Transcript(tid, rid, created, "parakeet-tdt", "0.6b-v2", make_text(rng, weights))


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


#: set by --memory-security: the vault as the policy's database_memory_security = true opens it
MEMORY_SECURITY = False


def open_vault(path: Path) -> tuple[Any, Callable[[], None]]:
    # production pragmas + migrations
    db = VaultDB.open(path, SecretKey(os.urandom(32)), create=True, memory_security=MEMORY_SECURITY)
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


def insert_batch(conn: Any, batch: list[tuple[Recording, Transcript]]) -> None:
    for rec, tr in batch:
        records.add_recording(conn, rec)
        records.save_transcript(conn, tr)


def insert_all(conn: Any, corpus: list[tuple[Recording, Transcript]]) -> None:
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


PASSPHRASE = "correct horse battery staple"


@dataclass
class UnlockVault:
    """A vault of ``transcripts`` fake transcripts and what it takes to unlock it."""

    root: Path
    session: Session
    clock: FakeClock
    keystore: MemoryKeystore
    totp: TotpSecret

    def unlock(self) -> tuple[float, float]:
        """Seconds for the whole unlock, and for its Argon2id within it."""
        self.clock.advance(31)  # a new TOTP step, so the code is not a replay
        code = self.totp.code_at(self.clock.now_ms() // 1000)
        kdf_s: list[float] = []
        real = security_keys.primary_kek

        def timed_kek(*args: Any, **kwargs: Any) -> bytes:
            start = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                kdf_s.append(time.perf_counter() - start)

        security_keys.primary_kek = timed_kek  # type: ignore[assignment]
        try:
            seconds = timed(lambda: self.session.unlock(PASSPHRASE, code))
        finally:
            security_keys.primary_kek = real  # type: ignore[assignment]
        if not self.session.is_unlocked:
            raise RuntimeError("unlock did not unlock")
        return seconds, sum(kdf_s)

    def save(self) -> None:
        (vault_id, device), *_ = self.keystore._items.items()  # the bench's own throwaway keystore
        state = {"vault_id": vault_id, "device": device.hex(), "totp": self.totp.base32, "now_ms": self.clock.now_ms()}
        (self.root.parent / f"{self.root.name}.json").write_text(json.dumps(state))


def _session(root: Path, clock: FakeClock, keystore: MemoryKeystore) -> Session:
    policy = Policy(database_memory_security=True) if MEMORY_SECURITY else Policy()
    return Session(VaultPaths(root), keystore=keystore, clock=clock, os_user="bench", policy=policy)


def build_vault(root: Path, transcripts: int) -> UnlockVault:
    clock, keystore = FakeClock(), MemoryKeystore()
    session = _session(root, clock, keystore)
    enrolment = session.create(PASSPHRASE)  # default Argon2Params: no kdf_params
    secret = enrolment.totp_secret
    totp = TotpSecret(base64.b32decode(secret + "=" * (-len(secret) % 8)))
    session.confirm_totp(totp.code_at(clock.now_ms() // 1000))
    rng, weights = random.Random(7), [1.0 / (rank + 1) for rank in range(len(WORDS))]
    for first in range(0, transcripts, BATCH):  # made a batch at a time: 100k texts would not fit in memory twice
        batch = [make_row(rng, weights, i) for i in range(first, min(first + BATCH, transcripts))]
        in_transaction(session, lambda conn, b=batch: insert_batch(conn, b))
    session.lock()
    return UnlockVault(root, session, clock, keystore, totp)


def load_vault(root: Path) -> UnlockVault | None:
    saved = root.parent / f"{root.name}.json"
    if not saved.exists():
        return None
    state = json.loads(saved.read_text())
    clock, keystore = FakeClock(state["now_ms"]), MemoryKeystore()
    keystore.set(state["vault_id"], bytes.fromhex(state["device"]))
    totp = TotpSecret(base64.b32decode(state["totp"] + "=" * (-len(state["totp"]) % 8)))
    return UnlockVault(root, _session(root, clock, keystore), clock, keystore, totp)


@contextlib.contextmanager
def unlock_vault(transcripts: int, cache: Path | None) -> Iterator[tuple[UnlockVault, bool]]:
    """A vault of ``transcripts``: the one kept in ``cache`` if there is one, else a new one."""
    if cache is None:
        with tempfile.TemporaryDirectory(prefix="vs-bench-unlock-") as tmp:
            yield build_vault(Path(tmp) / "vault", transcripts), False
        return
    cache.mkdir(parents=True, exist_ok=True)
    root = cache / f"vault-{transcripts}"
    vault = load_vault(root)
    reused = vault is not None
    if vault is None:
        shutil.rmtree(root, ignore_errors=True)
        vault = build_vault(root, transcripts)
    try:
        yield vault, reused
    finally:
        vault.save()  # the clock moved on: the next run's codes must come after this run's


def run_unlock(attempts: int, transcripts: int, cache: Path | None) -> dict[str, float | int | bool]:
    """Unlock a vault of ``transcripts``: Argon2id is fixed, the rest must not grow with the vault."""
    built = time.perf_counter()
    with unlock_vault(transcripts, cache) as (vault, reused):
        built_s = time.perf_counter() - built
        db_mib = sum(p.stat().st_size for p in vault.root.glob("vault-*.db*")) / 2**20
        params = Argon2Params()
        vault.unlock()  # untimed warm-up: applies any migration a kept vault is due, as its first unlock would
        vault.session.lock()
        unlocks, inside, kdf = [], [], []
        for _ in range(attempts):  # unlock and Argon2id alone, alternated
            whole, in_unlock = vault.unlock()
            unlocks.append(whole)
            inside.append(whole - in_unlock)
            vault.session.lock()
            kdf.append(timed(lambda: argon2id(b"x" * 32, salt=os.urandom(16), params=params)))
        vault.unlock()  # the integrity check that left the unlock path, timed once, after it
        check_s = timed(vault.session.check_integrity)
        vault.session.lock()
    unlock_s, argon2_s = statistics.median(unlocks), statistics.median(kdf)
    return {
        "transcripts": transcripts,
        "unlock_s": unlock_s,
        "argon2_s": argon2_s,
        # everything but Argon2id, timed inside each unlock: what may grow with the vault
        "rest_s": statistics.median(inside),
        "rest_max_s": max(inside),
        "argon2_share": argon2_s / unlock_s,
        "unlock_min_s": min(unlocks),
        "unlock_max_s": max(unlocks),
        "integrity_check_s": check_s,
        "vault_mib": db_mib,
        "memory_kib": params.memory_kib,
        "time_cost": params.time_cost,
        "parallelism": params.parallelism,
        "reused_vault": reused,
        "build_s": built_s,
    }


# -- report --------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> int:
    global MEMORY_SECURITY
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke check: 1,000 transcripts, 100 queries, 1 round")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    parser.add_argument(
        "--memory-security", action="store_true", help="the vault with cipher_memory_security on, as the policy sets it"
    )
    parser.add_argument("--unlock-sizes", help="vault sizes to unlock, comma-separated (default 10000,100000)")
    parser.add_argument("--vault-cache", type=Path, metavar="DIR", help="keep the unlock vaults here and reuse them")
    args = parser.parse_args(argv)
    MEMORY_SECURITY = args.memory_security
    full = Sizes(10_000, 10_000, 1_000, 3, 5, (10_000, 100_000))
    sizes = Sizes(1_000, 1_000, 100, 1, 2, (1_000,)) if args.quick else full
    if args.unlock_sizes:
        sizes = Sizes(**{**vars(sizes), "unlock_sizes": tuple(int(n) for n in args.unlock_sizes.split(",") if n)})
    target = QUICK_RATIO_TARGET if args.quick else RATIO_TARGET

    started = time.perf_counter()
    db = run_db_workloads(sizes)
    unlocks = [run_unlock(sizes.unlocks, n, args.vault_cache) for n in sizes.unlock_sizes]
    workloads = {
        name: {**t, "ratio": t["vault"] / t["sqlite"], "pass": t["vault"] / t["sqlite"] <= target}
        for name, t in db.items()
    }
    low, high = UNLOCK_TARGET_S
    result = {
        "sizes": vars(sizes),
        "batch": BATCH,
        "memory_security": MEMORY_SECURITY,
        "sqlcipher_sqlite_version": str(sqlcipher.sqlite_version),
        "stdlib_sqlite_version": sqlite3.sqlite_version,
        "workloads": workloads,
        "ratio_target": target,
        "unlock": [{**u, "target_s": [low, high], "pass": low <= float(u["unlock_s"]) <= high} for u in unlocks],
        "total_s": time.perf_counter() - started,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0

    memsec = "ON (policy database_memory_security)" if MEMORY_SECURITY else "off (the default)"
    print(
        f"VaultScribe vault benchmark ({'quick' if args.quick else 'full'}): {sizes.transcripts:,} transcripts "
        f"of ~{TEXT_CHARS} chars, {BATCH} per transaction; {sizes.reads:,} point reads; {sizes.queries:,} FTS "
        f"queries; median of {sizes.rounds} round(s), A/B alternated; cipher_memory_security {memsec}"
    )
    print(f"SQLite in SQLCipher {result['sqlcipher_sqlite_version']}, stdlib sqlite3 {sqlite3.sqlite_version}")
    print()
    print(f"{'workload':<12} {'vault s':>9} {'sqlite s':>9} {'vault/sqlite':>13} {'target':>8}  result")
    for name, w in workloads.items():
        print(
            f"{name:<12} {w['vault']:>9.3f} {w['sqlite']:>9.3f} {w['ratio']:>12.2f}x "
            f"{'<= ' + format(target, '.1f') + 'x':>8}  {verdict(bool(w['pass']))}"
        )
    for u in result["unlock"]:
        print()
        kdf = f"Argon2id m={u['memory_kib'] // 1024} MiB t={u['time_cost']} p={u['parallelism']}"
        print(
            f"unlock, {u['transcripts']:,} transcripts ({u['vault_mib']:.0f} MiB), {kdf}, median of {sizes.unlocks}: "
            f"{u['unlock_s']:.3f} s (min {u['unlock_min_s']:.3f}, max {u['unlock_max_s']:.3f}); target {low}-{high} s: "
            f"{verdict(bool(u['pass']))}"
        )
        print(
            f"  Argon2id alone {u['argon2_s']:.3f} s; everything else in the unlock {u['rest_s']:.3f} s "
            f"(max {u['rest_max_s']:.3f})"
        )
        print(f"  integrity check after unlock (off the unlock path): {u['integrity_check_s']:.3f} s")
    print(f"\ntotal {result['total_s']:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
