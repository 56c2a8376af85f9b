# SPDX-License-Identifier: EUPL-1.2
"""Benchmark 4: reading an ORDS file and computing its repair statistics
(``src/cirkelregio/engine/repair/``).

Default input: the 23,048-record Repair Café International file
(``data/ords/OpenRepairData_v0.2.1_RepairCafeInternational_202009.csv``, 3.6 MB, ORDS
0.2.1). Issue target (printed, never asserted): reading + statistics well under 10 s,
aim under 1 s.

Rows, each timed in this process ``--repeats`` times after one untimed warm-up run
(median, min, max of the wall clock):

- "read": ``read_ords`` (csv streaming, every row checked, records built);
- "statistics, overall" and "statistics, by ...": ``compute_statistics`` on the records
  read once;
- "read + statistics by country": the two together, the figure of the issue target;
- "plain csv + Counter": ``csv.DictReader`` and ``collections.Counter`` counting records
  per status and country, with no checks: a floor for any reader of the file;
- "command, fresh interpreter": ``python -m cirkelregio.engine.repair.cli FILE --by
  country`` in a subprocess (interpreter start-up and imports included), wall clock
  and its own peak RSS (``ru_maxrss`` from ``os.wait4``).

Memory: ``tracemalloc`` peak of one "read + statistics by country" (Python allocations,
the records included), and the peak RSS of the command's process.

The script checks that the engine's counts equal the plain count (records per status
and per country) and exits non-zero if they differ.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cirkelregio.engine.repair import compute_statistics, read_ords

REPO = Path(__file__).resolve().parents[2]

DEFAULT_FILE = (
    REPO / "data" / "ords" / "OpenRepairData_v0.2.1_RepairCafeInternational_202009.csv"
)


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


def _time(function: Callable[[], object], repeats: int) -> list[float]:
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def _plain(path: Path) -> tuple[int, Counter[str], Counter[str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    return (
        len(rows),
        Counter(r["repair_status"] for r in rows),
        Counter(r["country"] for r in rows),
    )


def _command(path: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the command in a fresh interpreter."""
    args = [
        sys.executable,
        "-m",
        "cirkelregio.engine.repair.cli",
        str(path),
        "--by",
        "country",
    ]
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read() if process.stderr else b""
    if process.stderr:
        process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"the command failed: {error!r}")
    return wall, usage.ru_maxrss / 1024


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    columns = zip(header, *rows, strict=False)
    widths = [max(len(str(x)) for x in column) for column in columns]
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
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    args = parser.parse_args(argv)
    path: Path = args.file

    ords = read_ords(path)
    assert ords is not None
    records = ords.records
    print(
        f"file: {path.name} (ORDS {ords.version}, {len(records):,} records, "
        f"{path.stat().st_size:,} bytes)"
    )
    for key, value in _machine().items():
        print(f"{key}: {value}")
    print(f"repeats: {args.repeats} (after one warm-up run)\n")

    def read_and_stats() -> object:
        o = read_ords(path)
        assert o is not None
        return compute_statistics(o.records, ["country"])

    cases: list[tuple[str, Callable[[], object]]] = [
        ("read", lambda: read_ords(path)),
        ("statistics, overall", lambda: compute_statistics(records)),
        ("statistics, by country", lambda: compute_statistics(records, ["country"])),
        ("statistics, by year", lambda: compute_statistics(records, ["year"])),
        ("statistics, by group", lambda: compute_statistics(records, ["group"])),
        ("statistics, by category", lambda: compute_statistics(records, ["category"])),
        (
            "statistics, by country year group category",
            lambda: compute_statistics(
                records, ["country", "year", "group", "category"]
            ),
        ),
        ("read + statistics by country", read_and_stats),
        ("plain csv + Counter (no checks)", lambda: _plain(path)),
    ]
    results: dict[str, Any] = {"file": path.name, "records": len(records), "rows": {}}
    rows = []
    for name, function in cases:
        times = _time(function, args.repeats)
        results["rows"][name] = times
        rows.append(
            [
                name,
                f"{statistics.median(times) * 1000:.1f}",
                f"{min(times) * 1000:.1f}",
                f"{max(times) * 1000:.1f}",
            ]
        )
    command = [_command(path) for _ in range(args.repeats)]
    walls = [w for w, _ in command]
    results["rows"]["command, fresh interpreter"] = walls
    rows.append(
        [
            "command, fresh interpreter",
            f"{statistics.median(walls) * 1000:.1f}",
            f"{min(walls) * 1000:.1f}",
            f"{max(walls) * 1000:.1f}",
        ]
    )
    print(_table(["what", "median ms", "min ms", "max ms"], rows))

    tracemalloc.start()
    read_and_stats()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = max(r for _, r in command)
    results["traced_peak_mib"] = peak / 2**20
    results["command_peak_rss_mib"] = rss
    print(
        f"\nmemory: read + statistics by country, tracemalloc peak "
        f"{peak / 2**20:.1f} MiB; the command's peak RSS {rss:.1f} MiB"
    )

    total, status, country = _plain(path)
    result = compute_statistics(records, ["country"])
    o = result.overall
    engine_status = {
        "Fixed": o.fixed,
        "Repairable": o.repairable,
        "End of life": o.end_of_life,
        "Unknown": o.unknown,
    }
    agree = (
        o.records == total
        and {k: v for k, v in engine_status.items() if v} == dict(status)
        and {g.key[0]: g.records for g in result.groups} == dict(country)
    )
    print(
        f"check: engine counts {'equal' if agree else 'DIFFER FROM'} the plain count "
        f"({o.records:,} records; fixed {o.fixed:,}, repairable {o.repairable:,}, "
        f"end of life {o.end_of_life:,}, unknown {o.unknown:,}; "
        f"{o.waste_prevented_kg:,.1f} kg, {o.co2e_averted_kg:,.1f} kg CO2e)"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
