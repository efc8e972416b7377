"""Team API key verification: latency and throughput on SQLite with 10,000 keys, beside a
floor measured in the same run (a bare sqlite3 primary-key lookup plus one SHA-256), and one
Argon2id verify with OWASP's parameters for contrast.

    .venv/bin/python benchmarks/keys_bench.py [--keys 10000] [--calls 20000]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from core import keys
from core.models import TeamApiKey
from core.services import open_core
from core.settings import Settings


def _timed(fn, inputs: list) -> list[float]:
    out = []
    for value in inputs:
        start = time.perf_counter_ns()
        fn(value)
        out.append((time.perf_counter_ns() - start) / 1000)
    return out


def _row(name: str, samples: list[float]) -> str:
    samples = sorted(samples)
    median = statistics.median(samples)
    p99 = samples[int(len(samples) * 0.99) - 1]
    per_second = 1e6 / statistics.mean(samples)
    return f"| {name} | {median:,.1f} | {p99:,.1f} | {per_second:,.0f} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=20_000)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="auxot-keys-bench-"))
    core = open_core(f"sqlite:///{tmp / 'bench.db'}", settings=Settings(data_dir=tmp))
    owner = core.init_workspace("Bench", "owner@bench.example.com")
    core.create_team(owner, "Platform Engineering")
    plaintexts: list[str] = []
    rows = []
    for i in range(args.keys):
        new = keys.generate()
        plaintexts.append(new.plaintext)
        rows.append(
            {
                "team_id": 1,
                "name": f"key {i}",
                "key_id": new.key_id,
                "secret_hash": keys.digest(new.secret),
                "created_by": owner.user_id,
                "created_at": core.clock(),
            }
        )
    with core.db.session() as session:
        session.execute(insert(TeamApiKey), rows)

    rng = random.Random(7)
    presented = [rng.choice(plaintexts) for _ in range(args.calls)]
    ids = [rng.randint(1, args.keys) for _ in range(args.calls)]
    # Warm up: the statement compiled, pages cached, and every key's last-used time set, so
    # the run measures the steady state (a key's first use in a minute adds one write).
    first_use = _timed(core.verify_key, plaintexts)

    floor_db = sqlite3.connect(tmp / "bench.db", isolation_level=None)

    def floor(pk: int) -> None:
        row = floor_db.execute(
            "SELECT secret_hash FROM team_api_keys WHERE id = ?", (pk,)
        ).fetchone()
        hashlib.sha256(row[0].encode()).hexdigest()

    # Interleaved in blocks of 250, so a slow spell of the machine falls on both alike.
    floor_samples: list[float] = []
    verify_samples: list[float] = []
    for start in range(0, args.calls, 250):
        floor_samples += _timed(floor, ids[start : start + 250])
        verify_samples += _timed(core.verify_key, presented[start : start + 250])

    print(f"SQLite, {args.keys:,} keys, {args.calls:,} verifications, one thread\n")
    print("| measure | median µs | p99 µs | per second |")
    print("|---|---|---|---|")
    print(_row("floor: sqlite3 primary-key lookup + SHA-256", floor_samples))
    print(_row("core.verify_key (parse, indexed read, compare)", verify_samples))
    print(_row("core.verify_key, a key's first use in a minute (+1 write)", first_use))
    ratio = statistics.median(verify_samples) / statistics.median(floor_samples)
    try:
        from argon2 import PasswordHasher
    except ImportError:
        argon = None
    else:
        hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
        stored = hasher.hash("secret")
        argon = _timed(lambda _: hasher.verify(stored, "secret"), list(range(20)))
        print(_row("Argon2id verify (m=19 MiB, t=2, p=1)", argon))
    print(f"\nverify / floor (medians): {ratio:.2f}x")
    if argon is None:
        print("(install argon2-cffi for the Argon2id contrast)")


if __name__ == "__main__":
    main()
