# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio exchange site-depots``: which candidate depot sites to open (the
capacitated facility-location MILP of :mod:`cirkelregio.engine.optimize.depots`), on
files only (no database, no Django).

Output (stdout, or ``--output FILE`` written through a temporary file and moved into
place):

- ``--format json`` (default): ``{"open_sites", "total_cost_eur", "site_cost_eur",
  "baseline_eur", "savings_eur", "gap", "years", "alternatives": [{"sites",
  "total_cost_eur", "site_cost_eur", "reused_direct", "reused_via_depot",
  "savings_eur"}]}``; ``gap`` is null when the optimum was proven (within
  ``--mip-gap``), else the relative MIP gap when ``--time-limit`` stopped the search;
  ``reused_*`` are tonnes.
- ``--format csv``: one table with the columns ``record,key,sites,total_cost_eur,
  site_cost_eur,reused_direct,reused_via_depot,savings_eur,value``. Summary rows have
  ``record`` = ``summary`` and ``key`` one of ``open_sites`` (ids joined by ``;``),
  ``total_cost_eur``, ``site_cost_eur``, ``baseline_eur``, ``savings_eur``, ``gap``
  (empty when optimal), ``years`` with the value in ``value``; then one
  ``alternative`` row per alternative (``sites`` joined by ``;``, empty for none).

Problems in the input are printed with file, line and field (parameters are named by
their flag); the exit code is then 2 and nothing is written. A solver failure gives
exit code 3 and nothing written.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from cirkelregio.engine.dataio import Collector, DataLoadError, Problem, emit_text
from cirkelregio.engine.optimize.depots import (
    DEFAULT_MIP_GAP,
    DEFAULT_TIME_LIMIT,
    SitingResult,
    read_siting_problem,
    site_depots,
)
from cirkelregio.engine.optimize.exchange import Parameters, SolveError
from cirkelregio.engine.optimize.exchange_cli import (
    add_listing_arguments,
    add_parameter_arguments,
)

__all__ = ["EXIT_INPUT", "EXIT_SOLVER", "build_parser", "main", "to_csv", "to_json"]

EXIT_INPUT = 2
EXIT_SOLVER = 3


def build_parser(
    prog: str = "cirkelregio exchange site-depots",
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Choose which candidate depot sites to open for the materials "
        "exchange (capacitated facility location, HiGHS MILP), with the cost and "
        "reuse of each choice beside the others.",
    )
    add_listing_arguments(parser)
    parser.add_argument(
        "--candidates",
        type=Path,
        required=True,
        help="id,lat,lon,capacity_tonnes,yearly_cost_eur,storage_eur_per_tonne_week,"
        "handling_eur_per_tonne[,existing]",
    )
    add_parameter_arguments(parser)
    parser.add_argument(
        "--max-sites", type=int, help="at most this many sites open (existing too)"
    )
    parser.add_argument(
        "--years",
        type=float,
        help="years the listings span (default: from the dates, whole years, >= 1)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        help="seconds for HiGHS (default %(default)s)",
    )
    parser.add_argument(
        "--mip-gap",
        type=float,
        default=DEFAULT_MIP_GAP,
        help="relative MIP gap at which HiGHS stops (default %(default)s)",
    )
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--output", type=Path, help="file to write (default: stdout)")
    return parser


def to_json(result: SitingResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def to_csv(result: SitingResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "record",
            "key",
            "sites",
            "total_cost_eur",
            "site_cost_eur",
            "reused_direct",
            "reused_via_depot",
            "savings_eur",
            "value",
        ]
    )
    empty = [""] * 6
    writer.writerow(["summary", "open_sites", *empty, ";".join(result.open_sites)])
    for key in (
        "total_cost_eur",
        "site_cost_eur",
        "baseline_eur",
        "savings_eur",
        "gap",
        "years",
    ):
        value = getattr(result, key)
        writer.writerow(["summary", key, *empty, "" if value is None else value])
    for a in result.alternatives:
        writer.writerow(
            [
                "alternative",
                "",
                ";".join(a.sites),
                a.total_cost_eur,
                a.site_cost_eur,
                a.reused_direct,
                a.reused_via_depot,
                a.savings_eur,
                "",
            ]
        )
    return buffer.getvalue()


def _solver_flag_problems(time_limit: float, mip_gap: float) -> list[Problem]:
    out: list[Problem] = []
    if not (time_limit > 0 and time_limit != float("inf")):
        out.append(Problem("--time-limit", "must be a finite number more than 0"))
    if not (0 <= mip_gap < float("inf")):
        out.append(Problem("--mip-gap", "must be a finite number at least 0"))
    return out


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    parameters = Parameters(
        transport_eur_per_tkm=args.transport_eur_per_tkm,
        transport_mki_eur_per_tkm=args.transport_mki_eur_per_tkm,
        detour_factor=args.detour_factor,
        max_distance_km=args.max_distance_km,
        mki_weight=args.mki_weight,
    )
    collector = Collector(_solver_flag_problems(args.time_limit, args.mip_gap))
    try:
        problem = read_siting_problem(
            args.materials,
            args.supply,
            args.demand,
            args.candidates,
            parameters,
            max_sites=args.max_sites,
            years=args.years,
            c=collector,
        )
    except DataLoadError as exc:
        print("Nothing was calculated or written.\n" + exc.summary(), file=stderr)
        return EXIT_INPUT
    try:
        result = site_depots(problem, time_limit=args.time_limit, mip_gap=args.mip_gap)
    except SolveError as exc:
        print(f"Nothing was written.\n{exc}", file=stderr)
        return EXIT_SOLVER
    text = to_json(result) if args.format == "json" else to_csv(result)
    emit_text(text, args.output, stdout)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
