# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio repair ords-stats FILE``: repair statistics of an ORDS file, on files
only (no database, no Django).

``--by`` takes one or more of ``country year group category``; the groups are their
combinations (``--by country year``: one group per country and year). The overall
figures are always included. The statistics and the fix-rate definition are those of
:mod:`cirkelregio.engine.repair.stats`.

Output (stdout, or ``--output FILE`` written through a temporary file and moved into
place):

- ``--format json`` (default): ``{"file", "ords_version", "by", "method", "overall",
  "groups"}``; each of ``overall`` and the ``groups`` has the ``by`` fields (groups
  only), ``records``, ``fixed``, ``repairable``, ``end_of_life``, ``unknown``,
  ``fix_rate`` (null when nothing has a known outcome), ``barriers`` (End-of-life
  records per barrier, and ``not recorded``), ``waste_prevented_kg``,
  ``co2e_averted_kg`` (rounded to 0.001 kg) and ``fixed_without_factor``;
- ``--format csv``: one row per group after an ``overall`` row; the column ``scope``
  is ``overall`` or ``group``, then the ``by`` fields (empty in the overall row), then
  the figures, with one ``barrier_...`` column per barrier.

Problems in the input are printed with file, line and field; the exit code is then 2
and nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from cirkelregio.engine.dataio import DataLoadError, emit_text
from cirkelregio.engine.repair.impact import load_impact_factors
from cirkelregio.engine.repair.ords import OrdsFile, read_ords
from cirkelregio.engine.repair.stats import (
    GROUP_KEYS,
    GroupStats,
    RepairStatistics,
    compute_statistics,
    describe_method,
)

__all__ = ["EXIT_INPUT", "build_parser", "main", "to_csv", "to_json"]

EXIT_INPUT = 2
KG_DECIMALS = 3


def build_parser(
    prog: str = "cirkelregio repair ords-stats",
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Repair statistics of an Open Repair Data Standard (ORDS 0.2.1 or "
        "0.3) file: records, outcomes, fix rate, barriers, and waste prevented and "
        "CO2e averted by the Restarters method.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="ORDS CSV file")
    parser.add_argument(
        "--by",
        nargs="+",
        choices=GROUP_KEYS,
        default=[],
        metavar="FIELD",
        help="group by one or more of: " + " ".join(GROUP_KEYS),
    )
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--output", type=Path, help="file to write (default: stdout)")
    return parser


def _figures(stats: GroupStats) -> dict[str, Any]:
    return {
        "records": stats.records,
        "fixed": stats.fixed,
        "repairable": stats.repairable,
        "end_of_life": stats.end_of_life,
        "unknown": stats.unknown,
        "fix_rate": stats.fix_rate,
        "barriers": dict(stats.barriers),
        "waste_prevented_kg": round(stats.waste_prevented_kg, KG_DECIMALS),
        "co2e_averted_kg": round(stats.co2e_averted_kg, KG_DECIMALS),
        "fixed_without_factor": stats.fixed_without_factor,
    }


def to_json(ords: OrdsFile, result: RepairStatistics) -> str:
    data = {
        "file": ords.name,
        "ords_version": ords.version,
        "by": list(result.by),
        "method": describe_method(load_impact_factors()),
        "overall": _figures(result.overall),
        "groups": [
            {**dict(zip(result.by, g.key, strict=True)), **_figures(g)}
            for g in result.groups
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def to_csv(result: RepairStatistics) -> str:
    barrier_names = list(result.overall.barriers)
    header = [
        "scope",
        *result.by,
        "records",
        "fixed",
        "repairable",
        "end_of_life",
        "unknown",
        "fix_rate",
        *[f"barrier_{_slug(b)}" for b in barrier_names],
        "waste_prevented_kg",
        "co2e_averted_kg",
        "fixed_without_factor",
    ]

    def row(scope: str, key: Sequence[Any], stats: GroupStats) -> list[Any]:
        f = _figures(stats)
        return [
            scope,
            *key,
            *(f[k] for k in ("records", "fixed", "repairable", "end_of_life")),
            f["unknown"],
            "" if f["fix_rate"] is None else f["fix_rate"],
            *(stats.barriers[b] for b in barrier_names),
            f["waste_prevented_kg"],
            f["co2e_averted_kg"],
            f["fixed_without_factor"],
        ]

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerow(row("overall", [""] * len(result.by), result.overall))
    writer.writerows(row("group", g.key, g) for g in result.groups)
    return buffer.getvalue()


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    if len(set(args.by)) != len(args.by):
        parser.error("--by: each field at most once")
    try:
        ords = read_ords(args.file)
    except DataLoadError as exc:
        print(
            f"Nothing was calculated or written: {len(exc.problems)} problem(s).\n"
            + exc.summary(),
            file=stderr,
        )
        return EXIT_INPUT
    assert ords is not None
    result = compute_statistics(ords.records, args.by)
    text = to_json(ords, result) if args.format == "json" else to_csv(result)
    emit_text(text, args.output, stdout)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
