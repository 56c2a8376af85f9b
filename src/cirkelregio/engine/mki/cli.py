# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio mki calculate``: the MKI of bills of quantities, on files only.

Runs without the web application (no database, no Django), so it starts fast and can
be used by anyone with the files. Problems in the input are printed with file, line and
field; the exit code is then 2 and nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from cirkelregio.engine.dataio import (
    Collector,
    DataLoadError,
    Problem,
    emit_text,
    write_atomically,
)
from cirkelregio.engine.mki.calculate import (
    MissingFactorError,
    Options,
    Result,
    calculate,
)
from cirkelregio.engine.mki.compare import Comparison, compare
from cirkelregio.engine.mki.inputs import read_bill, read_profiles
from cirkelregio.engine.mki.weighting import BUILTIN_SETS, load_weighting_set

EXIT_INPUT = 2


def build_parser(prog: str = "cirkelregio mki calculate") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Calculate the MKI (environmental cost indicator, in euros) of a "
        "bill of quantities, or compare variants side by side.",
    )
    parser.add_argument(
        "--profiles",
        type=Path,
        required=True,
        help="profiles CSV: profile_id,name,unit,data_category,module,indicator,value",
    )
    bills = parser.add_mutually_exclusive_group(required=True)
    bills.add_argument(
        "--bill",
        type=Path,
        help="bill CSV: line_id,element,profile_id,quantity,service_life_years",
    )
    bills.add_argument(
        "--compare",
        type=Path,
        nargs="+",
        metavar="BILL",
        help="two or more bills (variants); the first is the reference",
    )
    parser.add_argument(
        "--method",
        default="nmd-a1",
        choices=BUILTIN_SETS,
        help="weighting set (default nmd-a1)",
    )
    parser.add_argument(
        "--weights",
        type=Path,
        help="weighting CSV indicator,unit,eur_per_unit; replaces --method",
    )
    parser.add_argument(
        "--reference-period",
        type=float,
        default=50.0,
        help="reference period in years (default 50)",
    )
    parser.add_argument(
        "--replacement-rule", choices=("ceil", "fractional"), default="ceil"
    )
    parser.add_argument(
        "--exclude-module-d",
        action="store_true",
        help="leave module D (benefits beyond the system) out",
    )
    parser.add_argument("--format", choices=("json", "csv", "xlsx"), default="json")
    parser.add_argument("--output", type=Path, help="file to write (default: stdout)")
    return parser


def run(args: argparse.Namespace) -> Result | Comparison:
    """Read, check and calculate; raises DataLoadError or MissingFactorError."""
    c = Collector()
    if not args.reference_period > 0:
        c.add(Problem("--reference-period", "must be more than 0 years"))
    weighting = load_weighting_set(args.method, c, args.weights)
    c.raise_if_any()
    assert weighting is not None
    library = read_profiles(args.profiles, weighting, c)
    c.raise_if_any()
    assert library is not None
    paths = [args.bill] if args.bill else list(args.compare)
    if args.compare is not None and len(paths) < 2:
        c.add(Problem("--compare", "needs two or more bills"))
    names = [p.stem for p in paths]
    if len(set(names)) != len(names):
        c.add(Problem("--compare", "the bills need different file names"))
    bills = [read_bill(p, library, c) for p in paths]
    c.raise_if_any()
    options = Options(
        args.reference_period, args.replacement_rule, not args.exclude_module_d
    )
    results = {
        name: calculate(library, bill, weighting, options)
        for name, bill in zip(names, bills, strict=True)
        if bill is not None
    }
    if args.bill:
        result = results[names[0]]
        return Result(
            **{
                **vars(result),
                "method": args.method if args.weights is None else weighting.code,
            }
        )
    return compare(results)


def to_json(outcome: Result | Comparison) -> str:
    data: dict[str, Any] = outcome.to_dict()
    if isinstance(outcome, Result):
        data = {
            k: data[k]
            for k in (
                "method",
                "reference_period",
                "replacement_rule",
                "include_module_d",
                "total_eur",
                "by_line",
                "by_element",
                "by_module",
                "by_indicator",
            )
        }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _rows(outcome: Result | Comparison) -> tuple[list[str], list[list[Any]]]:
    if isinstance(outcome, Result):
        header = ["breakdown", "key", "mki_eur"]
        rows: list[list[Any]] = [["total", "", outcome.total_eur]]
        rows += [["line", line.line_id, line.mki_eur] for line in outcome.by_line]
        for name in ("element", "module", "indicator"):
            rows += [[name, k, v] for k, v in getattr(outcome, f"by_{name}").items()]
        return header, rows
    header = [
        "breakdown",
        "key",
        *outcome.variants,
        *[f"difference {v}" for v in outcome.variants[1:]],
    ]
    ref = outcome.variants[0]
    rows = [
        [
            "total",
            "",
            *outcome.totals.values(),
            *[outcome.differences[v] for v in outcome.variants[1:]],
        ]
    ]
    for name in ("element", "module", "indicator"):
        for key, per in getattr(outcome, f"by_{name}").items():
            rows.append(
                [
                    name,
                    key,
                    *per.values(),
                    *[per[v] - per[ref] for v in outcome.variants[1:]],
                ]
            )
    return header, rows


def to_csv(outcome: Result | Comparison) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header, rows = _rows(outcome)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_xlsx(outcome: Result | Comparison, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "MKI"
    header, rows = _rows(outcome)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if isinstance(outcome, Result):
        lines = book.create_sheet("Lines")
        lines.append(
            [
                "line_id",
                "element",
                "profile_id",
                "quantity",
                "placements",
                "uplift",
                "mki_eur",
            ]
        )
        for line in outcome.by_line:
            lines.append(list(vars(line).values()))
    book.save(path)


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.format == "xlsx" and args.output is None:
        parser.error("--format xlsx needs --output FILE")
    try:
        outcome = run(args)
    except DataLoadError as exc:
        print("Nothing was calculated or written.\n" + exc.summary(), file=stderr)
        return EXIT_INPUT
    except MissingFactorError as exc:
        print(f"Nothing was calculated or written.\n{exc}", file=stderr)
        return EXIT_INPUT
    if args.format == "xlsx":
        write_atomically(args.output, lambda p: write_xlsx(outcome, p))
        return 0
    text = to_json(outcome) if args.format == "json" else to_csv(outcome)
    emit_text(text, args.output, stdout)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
