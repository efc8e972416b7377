"""``auxot serve-api`` under load: requests per second and p50/p99 latency of ``GET /healthz``
(the HTTP framework's floor on this machine) and ``POST /v1/keys/verify`` (the same server,
plus parsing the key, one indexed read and a digest compare), measured in one run, with the
in-process ``core.verify_key`` for the cost of the database part alone.

The server runs as ``auxot serve-api`` in its own process; the load generator keeps its
connections alive (an aiohttp session, ``--connections`` requests in flight).

``--frameworks aiohttp,starlette`` also starts the same service on Starlette and uvicorn
(benchmarks/api_frameworks.py) on the same database and keys, and measures the two in turn,
``--rounds`` times, each round in the other order, so that the machine's other work falls on
both alike. The table pools each framework's rounds and shows each round's rate beside it.

    .venv/bin/python benchmarks/api_bench.py [--seconds 5] [--connections 16]
        [--frameworks aiohttp,starlette] [--rounds 3]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from sqlalchemy import text

from core.db import create_engine_for, upgrade
from core.services import open_core
from core.settings import Settings

KEYS = 200
FRAMEWORKS = ("aiohttp", "starlette")


def _prepare(url: str, data_dir: Path) -> list[str]:
    core = open_core(url, settings=Settings(data_dir=data_dir))
    owner = core.init_workspace("Bench", "owner@bench.example.com", plan="business")
    core.create_team(owner, "Platform Engineering")
    plaintexts = [
        core.create_key(owner, "Platform Engineering", f"Service {n}").plaintext
        for n in range(KEYS)
    ]
    samples = []
    for key in plaintexts * 5:
        start = time.perf_counter_ns()
        core.verify_key(key, "127.0.0.1")
        samples.append((time.perf_counter_ns() - start) / 1e9)
    core.flush_key_uses()
    _print_row("in process", "core.verify_key (the floor)", samples, len(samples) / sum(samples))
    core.db.dispose()
    return plaintexts


async def _load(url: str, make: object, seconds: float, connections: int) -> tuple[list, float]:
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=connections, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        deadline = time.perf_counter() + seconds

        async def worker(n: int) -> None:
            i = n
            while time.perf_counter() < deadline:
                method, kwargs = make(i)  # type: ignore[operator]
                start = time.perf_counter()
                async with session.request(method, url, **kwargs) as response:
                    await response.read()
                    assert response.status == 200, response.status
                latencies.append(time.perf_counter() - start)
                i += connections

        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(connections)))
        elapsed = time.perf_counter() - began
    return latencies, len(latencies) / elapsed


def _print_row(
    framework: str, name: str, samples: list[float], per_second: float, rounds: str = ""
) -> None:
    ordered = sorted(samples)
    median = statistics.median(ordered) * 1000
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000
    print(
        f"| {framework} | {name} | {per_second:,.0f} | {median:.3f} | {p99:.3f} | {rounds} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--db-threads", help="passed to the servers")
    parser.add_argument(
        "--frameworks",
        default="aiohttp",
        help="comma-separated, from: " + ", ".join(FRAMEWORKS) + " (default aiohttp)",
    )
    parser.add_argument("--rounds", type=int, help="default 1, or 3 with several frameworks")
    args = parser.parse_args()
    args.frameworks = [name.strip() for name in args.frameworks.split(",") if name.strip()]
    unknown = [name for name in args.frameworks if name not in FRAMEWORKS]
    if unknown or not args.frameworks:
        parser.error(f"--frameworks: choose from {', '.join(FRAMEWORKS)}")
    if args.rounds is None:
        args.rounds = 3 if len(args.frameworks) > 1 else 1

    tmp = Path(tempfile.mkdtemp(prefix="auxot-api-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    schema = None
    if url.startswith("postgresql"):
        # A schema of its own, dropped at the end: the database may hold other work.
        schema = f"auxot_api_bench_{os.getpid()}"
        admin = create_engine_for(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
        upgrade(create_engine_for(url))
    try:
        _run(args, url, tmp)
    finally:
        if schema is not None:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def _server_command(framework: str, args: argparse.Namespace) -> list[str]:
    if framework == "aiohttp":
        command = [str(Path(sys.executable).parent / "auxot"), "serve-api"]
    else:
        command = [sys.executable, str(Path(__file__).resolve().parent / "api_frameworks.py")]
    command += ["--listen", "127.0.0.1:0"]
    if args.db_threads is not None:
        command += ["--db-threads", args.db_threads]
    return command


def _start(command: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    line = server.stderr.readline()
    found = re.search(r"127\.0\.0\.1:(\d+)", line)
    if found is None:
        server.kill()
        raise SystemExit(f"{command[1]} did not start: {line}")
    return server, f"http://127.0.0.1:{found.group(1)}"


def _load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def _run(args: argparse.Namespace, url: str, tmp: Path) -> None:
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"{backend}, {KEYS} keys, {args.connections} connections, {args.seconds:g} s each, "
        f"{args.rounds} round(s); load average (1/5/15 min) at start: {_load_average()}\n"
    )
    print("| framework | endpoint | requests/s | p50 ms | p99 ms | requests/s by round |")
    print("|---|---|---:|---:|---:|---|")
    plaintexts = _prepare(url, tmp)

    env = {k: v for k, v in os.environ.items() if not k.startswith("AUXOT_")}
    env.update(AUXOT_DATABASE_URL=url, AUXOT_DATA_DIR=str(tmp))

    def health(_i: int) -> tuple[str, dict]:
        return "GET", {}

    def verify(i: int) -> tuple[str, dict]:
        key = plaintexts[i % len(plaintexts)]
        return "POST", {"headers": {"Authorization": f"Bearer {key}"}}

    endpoints = (
        ("GET /healthz", "/healthz", health),
        ("POST /v1/keys/verify", "/v1/keys/verify", verify),
    )
    servers: dict[str, tuple[subprocess.Popen[str], str]] = {}
    try:
        for framework in args.frameworks:
            servers[framework] = _start(_server_command(framework, args), env)
        # (framework, endpoint) -> latencies, requests, seconds, each round's rate
        pooled: dict[tuple[str, str], tuple[list[float], list[float]]] = {
            (framework, name): ([], []) for framework in args.frameworks for name, *_ in endpoints
        }
        for round_number in range(args.rounds):
            shift = round_number % len(args.frameworks)
            order = args.frameworks[shift:] + args.frameworks[:shift]
            for name, path, make in endpoints:
                for framework in order:
                    address = servers[framework][1] + path
                    asyncio.run(_load(address, make, 0.5, args.connections))  # warm up
                    samples, per_second = asyncio.run(
                        _load(address, make, args.seconds, args.connections)
                    )
                    latencies, rates = pooled[framework, name]
                    latencies.extend(samples)
                    rates.append(per_second)

        ratios = []
        for framework in args.frameworks:
            rate = {}
            for name, *_ in endpoints:
                latencies, rates = pooled[framework, name]
                # Each round ran for the same time, so the pooled rate is the mean of the rounds.
                rate[name] = statistics.fmean(rates)
                by_round = ", ".join(f"{r:,.0f}" for r in rates) if len(rates) > 1 else ""
                _print_row(framework, name, latencies, rate[name], by_round)
            ratio = rate["POST /v1/keys/verify"] / rate["GET /healthz"]
            ratios.append(f"{framework} {ratio:.2f}")
        print(f"\nverify / healthz throughput: {', '.join(ratios)}")
        print(f"load average (1/5/15 min) at end: {_load_average()}")
    finally:
        for server, _base in servers.values():
            server.terminate()
        for server, _base in servers.values():
            server.wait(30)


if __name__ == "__main__":
    main()
