# SPDX-License-Identifier: EUPL-1.2
"""Benchmark 5: the repair-map search API under load, on SQLite and on PostgreSQL.

``GET /api/v1/repair/places/?near=<PC4 | lat,lon>&radius_km=...`` with 20,000 places.
Issue target (printed, never asserted): p95 under 50 ms and at least 200 requests/s
with 20 concurrent clients, on SQLite and on PostgreSQL.

For each database the script:

1. generates 20,000 places (search_data.py: the 26 municipalities of
   ``data/regions/nl-utrecht``, a mix of kinds, categories and opening-hours rules,
   some unreadable, some without hours) and a list of searches;
2. makes a fresh database (a SQLite file in a temporary folder, or a throwaway
   PostgreSQL database that is dropped at the end), migrates it, loads the reference
   data (``cirkelregio regions load-reference data/regions/nl-utrecht``) and imports
   the places with ``cirkelregio repair import-places``; 2 % are then unpublished;
3. for each ``DATABASE_CONN_MAX_AGE`` asked for (0: a connection per request; 60,
   the default: one kept per worker), starts the server as bin/serve
   does (gunicorn ``cirkelregio.conf.wsgi``, the same options, ``--workers`` as
   WEB_CONCURRENCY, default 2) on a free loopback port;
4. runs locust headless with 20 users from search_locustfile.py: a warm-up (not
   reported), then "saturating" (no wait: the throughput 20 clients get, and the
   latencies at it) and "paced" (each user at most 10 requests/s: 200 requests/s
   offered, and the latencies at that load);
5. reports requests/s, median, p95, p99 and max (locust's figures: whole
   milliseconds below 100 ms, tens of ms above), failures, the CPU time of the
   server (gunicorn master and workers) per request, the CPU time of locust, the
   CPU time every other process on the machine used during the run (PostgreSQL
   included) with the load average, and the server's resident memory.

    .venv/bin/python benchmarks/repair/bench_search.py [--databases sqlite postgres]
        [--places 20000] [--users 20] [--run-time 60] [--warmup 15] [--workers 2]
        [--sqlite-conn-max-age 0 60] [--pg-conn-max-age 0 60]
        [--pythonpath OTHER_CHECKOUT/src] [--json FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE.parent / "mki"))  # common.py
sys.path.insert(0, str(HERE))

from common import machine_in_subprocess, print_machine, table  # noqa: E402
from search_data import (  # noqa: E402
    DEFAULT_SEED,
    generate_places,
    generate_queries,
    write_places_csv,
)

BIN = Path(sys.executable).parent
TARGET_P95_MS = 50.0
TARGET_RPS = 200.0
SEARCH = "/api/v1/repair/places/"


def _progress(message: str) -> None:
    print(f"  .. {message}", file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children (those alive and
    those it has waited for), from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, cutime, cstime are fields 14-17 (1-based) of the whole line.
        utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
        total += (utime + stime + (cutime + cstime if p == pid else 0)) / tick
    return total


def _machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used (non-idle jiffies)."""
    first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in first]
    idle = values[3] + values[4]  # idle + iowait
    busy = sum(values[:8]) - idle  # user nice system idle iowait irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


class LoadSampler:
    """The 1-minute load average every few seconds while a run lasts."""

    def __init__(self, every: float = 5.0) -> None:
        self.every = every
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# Database and server -------------------------------------------------------------


def _env(
    var_dir: Path, database_url: str, conn_max_age: int, pythonpath: Path | None
) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "DJANGO_", "CIRKELREGIO_", "PYTHONPATH"))
    }
    env.update(
        CIRKELREGIO_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE=str(conn_max_age),
        LOG_LEVEL="WARNING",
    )
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return env


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "cirkelregio"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"cirkelregio {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


UNPUBLISH = """
from cirkelregio.repair.models import RepairPlace
ids = list(RepairPlace.objects.order_by("pk").values_list("pk", flat=True))[::50]
RepairPlace.objects.filter(pk__in=ids).update(is_published=False)
print(len(ids))
"""


def load_database(env: dict[str, str], places_csv: Path) -> dict[str, float]:
    times = {}
    start = time.perf_counter()
    _cli(env, "migrate", "--noinput")
    times["migrate_s"] = time.perf_counter() - start
    start = time.perf_counter()
    _cli(env, "regions", "load-reference", str(REPO / "data/regions/nl-utrecht"))
    times["reference_s"] = time.perf_counter() - start
    start = time.perf_counter()
    out = _cli(env, "repair", "import-places", str(places_csv), "--source", "bench")
    times["import_s"] = time.perf_counter() - start
    _progress(out.strip().splitlines()[-1])
    # Benchmark set-up only: a few unpublished places, which the public search leaves
    # out (a plain update; the services have no bulk unpublish).
    _cli(env, "shell", "-c", UNPUBLISH)
    return times


@contextlib.contextmanager
def postgres_database(
    base_url: str, *, prefix: str = "cirkelregio_bench", keep: bool = False
) -> Iterator[str]:
    """A new database named ``<prefix>_<pid>``, dropped at the end unless ``keep``."""
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{base_url}/{name}"
    finally:
        if keep:
            print(f"kept the database {base_url}/{name}", file=sys.stderr)
        else:
            with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def server(env: dict[str, str], workers: int) -> Iterator[tuple[str, int]]:
    """gunicorn as bin/serve starts it; yields (base URL, master pid)."""
    port = _free_port()
    command = [
        str(BIN / "gunicorn"),
        "cirkelregio.conf.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--no-control-socket",
    ]
    with serve(command, env, f"http://127.0.0.1:{port}", f"{SEARCH}?limit=1") as pid:
        yield f"http://127.0.0.1:{port}", pid


@contextlib.contextmanager
def serve(
    command: list[str], env: dict[str, str], base: str, ready_path: str
) -> Iterator[int]:
    """Run a server (output to gunicorn.log in CIRKELREGIO_VAR_DIR) until
    ``base + ready_path`` answers 200; yield its pid, stop it at the end."""
    log = open(Path(env["CIRKELREGIO_VAR_DIR"]) / "gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        command, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + ready_path, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start; see gunicorn.log")
            time.sleep(0.3)
        yield process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# Locust ------------------------------------------------------------------------------


def _number(text: str) -> float:
    """A figure of locust's CSV; "N/A" (no requests of that name) is NaN."""
    return float("nan") if text == "N/A" else float(text)


def locust_measured(
    args: list[str], *, env: dict[str, str], cwd: Path, prefix: Path, server_pid: int
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Run locust (its whole command line, with ``--csv prefix``) and measure around it:
    the CPU the server used, locust's own, the busy time of the whole machine and its
    load. Returns locust's statistics by request name ("Aggregated" for all) and the
    measurements. Shared by this benchmark and ``benchmarks/load``."""
    server_cpu = _cpu_seconds(server_pid)
    busy = _machine_busy_seconds()
    load_before = os.getloadavg()[0]
    with LoadSampler() as load:
        process = subprocess.Popen(
            args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        stderr = process.stderr.read().decode() if process.stderr else ""
    if status != 0:
        raise RuntimeError(f"locust failed ({status}):\n{stderr}")
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": _number(row["Requests/s"]),
                "p50_ms": _number(row["50%"]),
                "p95_ms": _number(row["95%"]),
                "p99_ms": _number(row["99%"]),
                "max_ms": _number(row["Max Response Time"]),
                "mean_ms": _number(row["Average Response Time"]),
                "bytes_mean": _number(row["Average Content Size"]),
            }
    return stats, {
        "server_cpu_s": _cpu_seconds(server_pid) - server_cpu,
        "locust_cpu_s": usage.ru_utime + usage.ru_stime,
        "machine_busy_s": _machine_busy_seconds() - busy,
        "load_before": load_before,
        "load_during": load.samples,
    }


def run_locust(
    base: str,
    server_pid: int,
    user_class: str,
    *,
    users: int,
    seconds: int,
    queries: Path,
    rate: float,
    out: Path,
) -> dict[str, Any]:
    prefix = out / f"locust_{user_class}_{time.monotonic_ns()}"
    env = dict(os.environ)
    env.update(BENCH_SEARCH_QUERIES=str(queries), BENCH_SEARCH_RATE=str(rate))
    args = [
        str(BIN / "locust"),
        "-f",
        str(HERE / "search_locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--reset-stats",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
        user_class,
    ]
    stats, measured = locust_measured(
        args, env=env, cwd=out, prefix=prefix, server_pid=server_pid
    )
    row = stats["Aggregated"]
    requests = int(row["requests"])
    return {
        "users": users,
        "seconds": seconds,
        **row,
        **measured,
        "server_cpu_ms_per_request": 1000 * measured["server_cpu_s"] / max(requests, 1),
        "other_cpu_cores": max(
            measured["machine_busy_s"]
            - measured["server_cpu_s"]
            - measured["locust_cpu_s"],
            0.0,
        )
        / seconds,
        "load_after": os.getloadavg()[0],
    }


def _rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (MiB)."""
    pids = [pid]
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    total = 0
    for p in pids:
        with contextlib.suppress(OSError, StopIteration):
            status = Path(f"/proc/{p}/status").read_text().splitlines()
            total += int(next(x for x in status if x.startswith("VmRSS")).split()[1])
    return total / 1024


def bench_database(
    kind: str, a: argparse.Namespace, places_csv: Path, queries: Path, work: Path
) -> dict[str, dict[str, Any]]:
    """Set the database up once, then serve and load it with each connection age
    (``DATABASE_CONN_MAX_AGE``) asked for; one result per age."""
    var_dir = work / f"var-{kind}"
    (var_dir / "static").mkdir(parents=True)  # no collectstatic: the API only
    results: dict[str, dict[str, Any]] = {}
    with contextlib.ExitStack() as stack:
        if kind == "sqlite":
            url = f"sqlite:///{var_dir / 'cirkelregio.sqlite3'}"
            ages = a.sqlite_conn_max_age
        else:
            url = stack.enter_context(postgres_database(a.pg_url))
            ages = a.pg_conn_max_age
        _progress(f"{kind}: migrate, reference data, import {a.places} places")
        setup = load_database(_env(var_dir, url, 0, a.pythonpath), places_csv)
        for age in ages:
            label = f"{kind}, CONN_MAX_AGE {age}"
            env = _env(var_dir, url, age, a.pythonpath)
            result: dict[str, Any] = {
                "database": kind,
                "setup": setup,
                "conn_max_age": age,
                "workers": a.workers,
            }
            with server(env, a.workers) as (base, pid):
                runs = [("warm-up", "Saturating", a.warmup)] + [
                    (name.lower(), name, a.run_time) for name in ("Saturating", "Paced")
                ]
                for name, user_class, seconds in runs:
                    _progress(f"{label}: {name} {seconds} s")
                    result[name] = run_locust(
                        base,
                        pid,
                        user_class,
                        users=a.users,
                        seconds=seconds,
                        queries=queries,
                        rate=a.rate,
                        out=work,
                    )
                result["server_rss_mib"] = _rss_mib(pid)
            results[label] = result
    return results


# Report ------------------------------------------------------------------------------


def _mean(values: list[float]) -> str:
    return f"{sum(values) / len(values):.2f}" if values else "-"


def report(results: dict[str, dict[str, Any]], a: argparse.Namespace) -> None:
    rows = []
    for kind, result in results.items():
        for run in ("saturating", "paced"):
            r = result[run]
            rows.append(
                [
                    kind,
                    run,
                    str(r["users"]),
                    f"{r['requests']:,}",
                    str(r["failures"]),
                    f"{r['rps']:.0f}",
                    f"{r['p50_ms']:.0f}",
                    f"{r['p95_ms']:.0f}",
                    f"{r['p99_ms']:.0f}",
                    f"{r['max_ms']:.0f}",
                    f"{r['server_cpu_ms_per_request']:.1f}",
                    f"{r['locust_cpu_s'] / r['seconds']:.2f}",
                    f"{r['other_cpu_cores']:.2f}",
                    f"{r['load_before']:.2f} / {_mean(r['load_during'])}",
                ]
            )
    print()
    print(
        table(
            [
                "database, connection age",
                "run",
                "users",
                "requests",
                "failures",
                "req/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "max ms",
                "server CPU ms/req",
                "locust cores",
                "other cores",
                "load 1 min before / during",
            ],
            rows,
        )
    )
    print()
    print(
        f"Target: p95 < {TARGET_P95_MS:g} ms and >= {TARGET_RPS:g} requests/s with "
        f"{a.users} concurrent clients."
    )
    for kind, result in results.items():
        sat, paced = result["saturating"], result["paced"]
        throughput = sat["rps"] >= TARGET_RPS
        at_load = paced["p95_ms"] < TARGET_P95_MS and paced["rps"] >= 0.97 * (
            a.users * a.rate
        )
        at_max = sat["p95_ms"] < TARGET_P95_MS
        print(
            f"  {kind}: throughput {sat['rps']:.0f}/s "
            f"({'met' if throughput else 'NOT met'}); "
            f"p95 at {a.users * a.rate:g}/s offered {paced['p95_ms']:.0f} ms "
            f"({'met' if at_load else 'NOT met'}); "
            f"p95 at saturation {sat['p95_ms']:.0f} ms "
            f"({'also under' if at_max else 'over'} {TARGET_P95_MS:g} ms); "
            f"failures {sat['failures'] + paced['failures']}"
        )
    for kind, result in results.items():
        s = result["setup"]
        print(
            f"  {kind}: gunicorn {result['workers']} workers, "
            f"{result['server_rss_mib']:.0f} MiB resident at the end (master and "
            f"workers); set-up: migrate {s['migrate_s']:.1f} s, reference data "
            f"{s['reference_s']:.1f} s, import {s['import_s']:.1f} s"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--databases",
        nargs="+",
        default=["sqlite", "postgres"],
        choices=["sqlite", "postgres"],
    )
    ap.add_argument("--places", type=int, default=20000)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--run-time", type=int, default=60, help="seconds per run")
    ap.add_argument("--warmup", type=int, default=15, help="seconds, not reported")
    ap.add_argument(
        "--rate", type=float, default=10.0, help="requests/s per user, paced run"
    )
    ap.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "2")),
        help="gunicorn workers (bin/serve: WEB_CONCURRENCY, default 2)",
    )
    ap.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    ap.add_argument(
        "--sqlite-conn-max-age",
        type=int,
        nargs="+",
        default=[0, 60],
        help="DATABASE_CONN_MAX_AGE values to serve SQLite with (default 0 60)",
    )
    ap.add_argument(
        "--pg-conn-max-age",
        type=int,
        nargs="+",
        default=[0, 60],
        help="the same for PostgreSQL (default 0 60)",
    )
    ap.add_argument(
        "--pythonpath",
        type=Path,
        help="serve the code of another checkout (its src folder), e.g. the commit "
        "before an optimisation, for a baseline",
    )
    ap.add_argument("--queries", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--label", default="", help="kept in the JSON, e.g. before/after")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()

    machine = machine_in_subprocess()
    print_machine(machine)
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        places_csv = work / "places.csv"
        write_places_csv(generate_places(a.places, a.seed), places_csv)
        queries = work / "queries.txt"
        queries.write_text(
            "\n".join(generate_queries(a.queries, a.seed)) + "\n", encoding="utf-8"
        )
        results: dict[str, dict[str, Any]] = {}
        for kind in a.databases:
            results.update(bench_database(kind, a, places_csv, queries, work))
    finally:
        if a.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    report(results, a)
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(
            json.dumps(
                {
                    "label": a.label,
                    "machine": machine,
                    "arguments": {
                        k: str(v) if isinstance(v, Path) else v
                        for k, v in vars(a).items()
                    },
                    "results": results,
                },
                indent=1,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
