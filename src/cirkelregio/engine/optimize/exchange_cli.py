# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio exchange match``: the materials exchange of docs/exchange-model.md on
files only (no database, no Django).

Output (stdout, or ``--output FILE`` written through a temporary file and moved into
place):

- ``--format json`` (default): ``{"objective_eur", "baseline_eur", "savings_eur",
  "reused": {material: {"direct", "via_depot"}}, "tonne_km", "transport_mki_eur",
  "new_mki_avoided_eur", "transport_co2_kg", "flows": [{"supply", "demand", "depot",
  "week_out", "week_in", "quantity"}]}``. ``transport_co2_kg`` is tonne-km x
  ``--transport-co2-kg-per-tkm``, null when that flag is not given (it has no
  default: the project has no verified factor). A flow into a depot has ``demand``
  null, a flow out of a depot has ``supply`` null; every flow happens within one
  week, so ``week_out == week_in`` (weeks count from the Monday of the ISO week of
  the earliest date in the input, week 0).
- ``--format csv``: one table with the columns
  ``record,key,supply,demand,depot,week_out,week_in,quantity,value``. Summary rows
  have ``record`` = ``summary`` and ``key`` one of ``week0_monday``, ``objective_eur``,
  ``baseline_eur``, ``savings_eur``, ``tonne_km``, ``transport_mki_eur``,
  ``new_mki_avoided_eur``, ``transport_co2_kg`` (empty without a factor) with the
  number in ``value``; per material two rows with
  ``record`` = ``reused_direct`` / ``reused_via_depot``, ``key`` = material, ``value``
  = units; then one ``flow`` row per flow (supply, demand, depot, weeks, quantity;
  empty where not applicable).

Problems in the input are printed with file, line and field (parameters are named by
their flag); the exit code is then 2 and nothing is written. A solver that does not
reach an optimal plan gives exit code 3 and nothing written.
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

from cirkelregio.engine.dataio import DataLoadError, emit_text
from cirkelregio.engine.optimize.exchange import (
    ExchangeResult,
    Parameters,
    SolveError,
    read_problem,
    solve,
)

__all__ = ["EXIT_INPUT", "EXIT_SOLVER", "build_parser", "main", "to_csv", "to_json"]

EXIT_INPUT = 2
EXIT_SOLVER = 3


def add_listing_arguments(parser: argparse.ArgumentParser) -> None:
    """The three listing files, shared with ``exchange site-depots``."""
    parser.add_argument(
        "--materials",
        type=Path,
        required=True,
        help="material,unit,tonnes_per_unit,new_cost_eur,new_mki_eur,disposal_cost_eur",
    )
    parser.add_argument(
        "--supply",
        type=Path,
        required=True,
        help="id,material,quantity,lat,lon,available_from,available_until",
    )
    parser.add_argument(
        "--demand",
        type=Path,
        required=True,
        help="id,material,quantity,lat,lon,needed_from,needed_until",
    )


def add_parameter_arguments(parser: argparse.ArgumentParser) -> None:
    """The model's parameters with the defaults of the model document."""
    defaults = Parameters()
    parser.add_argument(
        "--transport-eur-per-tkm", type=float, default=defaults.transport_eur_per_tkm
    )
    parser.add_argument(
        "--transport-mki-eur-per-tkm",
        type=float,
        default=defaults.transport_mki_eur_per_tkm,
    )
    parser.add_argument("--detour-factor", type=float, default=defaults.detour_factor)
    parser.add_argument(
        "--max-distance-km", type=float, default=defaults.max_distance_km
    )
    parser.add_argument("--mki-weight", type=float, default=defaults.mki_weight)


def build_parser(prog: str = "cirkelregio exchange match") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Match released materials to demand, directly or through depots, "
        "over time, at minimum cost (docs/exchange-model.md).",
    )
    add_listing_arguments(parser)
    parser.add_argument(
        "--depots",
        type=Path,
        required=True,
        help="id,lat,lon,capacity_tonnes,storage_eur_per_tonne_week,"
        "handling_eur_per_tonne",
    )
    add_parameter_arguments(parser)
    parser.add_argument(
        "--transport-co2-kg-per-tkm",
        type=float,
        help="kg CO2 per tonne-km, to report the CO2 of the transport (keep its "
        "source; there is no default)",
    )
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--output", type=Path, help="file to write (default: stdout)")
    return parser


def to_json(result: ExchangeResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def to_csv(result: ExchangeResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "record",
            "key",
            "supply",
            "demand",
            "depot",
            "week_out",
            "week_in",
            "quantity",
            "value",
        ]
    )
    empty = [""] * 6

    def summary(key: str, value: object) -> None:
        writer.writerow(["summary", key, *empty, value])

    summary("week0_monday", result.start.isoformat() if result.start else "")
    for key in (
        "objective_eur",
        "baseline_eur",
        "savings_eur",
        "tonne_km",
        "transport_mki_eur",
        "new_mki_avoided_eur",
    ):
        summary(key, getattr(result, key))
    co2 = result.transport_co2_kg
    summary("transport_co2_kg", "" if co2 is None else co2)
    for material, reuse in result.reused.items():
        writer.writerow(["reused_direct", material, *empty, reuse.direct])
        writer.writerow(["reused_via_depot", material, *empty, reuse.via_depot])
    for f in result.flows:
        writer.writerow(
            [
                "flow",
                "",
                f.supply or "",
                f.demand or "",
                f.depot or "",
                f.week_out,
                f.week_in,
                f.quantity,
                "",
            ]
        )
    return buffer.getvalue()


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
        transport_co2_kg_per_tkm=args.transport_co2_kg_per_tkm,
    )
    try:
        problem = read_problem(
            args.materials, args.supply, args.demand, args.depots, parameters
        )
    except DataLoadError as exc:
        print("Nothing was calculated or written.\n" + exc.summary(), file=stderr)
        return EXIT_INPUT
    try:
        result = solve(problem)
    except SolveError as exc:
        print(f"Nothing was written.\n{exc}", file=stderr)
        return EXIT_SOLVER
    text = to_json(result) if args.format == "json" else to_csv(result)
    emit_text(text, args.output, stdout)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
