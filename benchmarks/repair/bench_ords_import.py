# SPDX-License-Identifier: EUPL-1.2
"""Benchmark 5: importing an ORDS file into the database (``cirkelregio repair
import-ords``, the service ``cirkelregio.repair.services.ords_import``) on SQLite
and PostgreSQL, and the statistics computed from the stored records.

Default input: the 23,048-record Repair Café International file
(``data/ords/OpenRepairData_v0.2.1_RepairCafeInternational_202009.csv``). Issue
target (printed, never asserted): the import in under 10 s on both databases.

Each database is a fresh one: a SQLite file in a temporary folder, and a throwaway
PostgreSQL database created on ``--postgres`` (default
``postgres://postgres@127.0.0.1:5432/postgres``, as ``.ci/run`` does) and dropped at
the end. A worker subprocess per database migrates it (untimed) and then measures,
wall clock:

- "import, new dataset": the first ``ords_import`` of the file (read and check with
  the engine, checksum, bulk inserts in one transaction);
- "import again (replaces)": ``--repeats`` more imports of the same file, each
  deleting the dataset's records and inserting them again (median, min, max);
- "read_ords alone": the engine's reader, the part of the import without the
  database (median);
- "statistics API body": ``selectors.statistics_report`` over all stored records,
  by year (the records loaded from the database and handed to the engine; median);
- "command, fresh interpreter": ``cirkelregio repair import-ords FILE`` as a
  subprocess (Django start-up included), the figure that matters for ``bin/serve``;
  once, after the in-process runs.

The worker checks that the database holds exactly the file's records after every
import and exits non-zero otherwise. Queries per import are counted on the first
import (``CaptureQueriesContext``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEFAULT_FILE = (
    REPO / "data" / "ords" / "OpenRepairData_v0.2.1_RepairCafeInternational_202009.csv"
)
CLI = Path(sys.executable).with_name("cirkelregio")


def _machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


# The worker: one database -----------------------------------------------------------


def _worker(path: Path, repeats: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cirkelregio.conf.test")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cirkelregio.engine.repair import read_ords
    from cirkelregio.repair import selectors
    from cirkelregio.repair.services import ords_import

    call_command("migrate", verbosity=0)
    expected = len(read_ords(path).records)  # type: ignore[union-attr]

    def check() -> None:
        stored = selectors.record_list().count()
        if stored != expected:
            raise SystemExit(f"{stored} records stored, the file has {expected}")

    if connection.vendor == "postgresql":
        number = connection.cursor().connection.info.server_version
        server = f"{number // 10000}.{number % 10000}"
    else:
        import sqlite3

        server = sqlite3.sqlite_version
    out: dict[str, Any] = {
        "vendor": connection.vendor,
        "server": server,
        "records": expected,
    }
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        ords_import(path)
        out["first"] = time.perf_counter() - start
    out["queries"] = len(queries)
    check()
    again = []
    for _ in range(repeats):
        start = time.perf_counter()
        report = ords_import(path)
        again.append(time.perf_counter() - start)
        check()
        assert report.replaced, "a second import must replace the dataset"
    out["again"] = again
    reads = []
    for _ in range(repeats):
        start = time.perf_counter()
        read_ords(path)
        reads.append(time.perf_counter() - start)
    out["read"] = reads
    stats = []
    for _ in range(repeats):
        start = time.perf_counter()
        body = selectors.statistics_report(by=["year"])
        stats.append(time.perf_counter() - start)
    out["statistics"] = stats
    out["overall"] = body["overall"]
    connection.close()
    start = time.perf_counter()
    done = subprocess.run(
        [str(CLI), "repair", "import-ords", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    out["command"] = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the command failed: {done.stderr}")
    check()
    return out


# The runner -------------------------------------------------------------------------


def _psql(url: str, sql: str) -> None:
    subprocess.run(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
        check=True,
        capture_output=True,
    )


def _run_worker(url: str, path: Path, repeats: int) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": url, "CIRKELREGIO_SKIP_CHECKS": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "cirkelregio.conf.test"
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            "--file",
            str(path),
            "--repeats",
            str(repeats),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"worker on {url} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _ms(values: Sequence[float]) -> str:
    return f"{statistics.median(values) * 1000:,.0f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    lines = [
        "  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += [
        "  ".join(
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server to create the throwaway database on; 'none' skips "
        "PostgreSQL",
    )
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path: Path = args.file.resolve()
    if args.worker:
        print(json.dumps(_worker(path, args.repeats)))
        return 0

    print(f"file: {path.name} ({path.stat().st_size:,} bytes)")
    for key, value in _machine().items():
        print(f"{key}: {value}")
    print(f"repeats: {args.repeats}\n")
    results: dict[str, Any] = {}
    folder = Path(tempfile.mkdtemp(prefix="bench-ords-import-"))
    try:
        results["SQLite"] = _run_worker(
            f"sqlite:///{folder / 'bench.sqlite3'}", path, args.repeats
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.postgres != "none":
        database = f"cirkelregio_bench_{os.getpid()}"
        base = args.postgres.rsplit("/", 1)[0]
        _psql(args.postgres, f"DROP DATABASE IF EXISTS {database}")
        _psql(args.postgres, f"CREATE DATABASE {database}")
        try:
            results["PostgreSQL"] = _run_worker(
                f"{base}/{database}", path, args.repeats
            )
        finally:
            _psql(args.postgres, f"DROP DATABASE IF EXISTS {database}")

    rows = []
    for name, r in results.items():
        rows.append(
            [
                f"{name} {r['server']}",
                f"{r['records']:,}",
                f"{r['first'] * 1000:,.0f}",
                f"{r['queries']:,}",
                _ms(r["again"]),
                f"{min(r['again']) * 1000:,.0f}-{max(r['again']) * 1000:,.0f}",
                _ms(r["read"]),
                _ms(r["statistics"]),
                f"{r['command'] * 1000:,.0f}",
            ]
        )
    print(
        _table(
            [
                "database",
                "records",
                "import new ms",
                "queries",
                "again ms",
                "again min-max",
                "read_ords ms",
                "statistics ms",
                "command ms",
            ],
            rows,
        )
    )
    target = all(r["first"] < 10 and max(r["again"]) < 10 for r in results.values())
    print(
        f"\ntarget (import under 10 s on each database): "
        f"{'met' if target else 'NOT met'}"
    )
    overall = [r["overall"] for r in results.values()]
    same = all(o == overall[0] for o in overall)
    print(
        f"check: the statistics of the stored records are "
        f"{'the same' if same else 'DIFFERENT'} on "
        f"{' and '.join(results)} ({overall[0]['records']:,} records, "
        f"{overall[0]['fixed']:,} fixed, {overall[0]['waste_prevented_kg']:,} kg, "
        f"{overall[0]['co2e_averted_kg']:,} kg CO2e)"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
