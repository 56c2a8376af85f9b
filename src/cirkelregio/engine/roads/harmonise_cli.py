# SPDX-License-Identifier: EUPL-1.2
"""``cirkelregio roads harmonise FILE [--k K] [--time-limit S] [--mip-gap G]
[--output OUT.json]``: which few standard asphalt mixtures serve every planned layer
(:mod:`cirkelregio.engine.roads.harmonise`), on a JSON file only (no database, no
Django).

Input (UTF-8 JSON; the full description is in docs/roads.md, "Mixture harmonisation —
file format")::

    {
      "mixtures": [{"id": "AC 16 surf", "mki_eur_per_tonne": 9.10}, ...],
      "substitutions": [
        {"required": "AC 11 surf", "serving": "AC 16 surf",
         "over_spec_eur_per_tonne": 1.50}, ...],
      "requirements": [
        {"id": "W001-deklaag", "mixture": "AC 11 surf", "tonnes": 180,
         "plant": "Plant A", "period": "2027"}, ...]
    }

``mixtures`` are the candidates (MKI in EUR per tonne, at least 0); a candidate always
serves its own class at no over-specification cost. ``substitutions`` (optional) say
that mixture ``serving`` (a candidate) may serve requirements of class ``required`` at
``over_spec_eur_per_tonne`` (at least 0). ``requirements``: ``id`` unique, ``mixture``
the required mixture class, ``tonnes`` at least 0, ``plant`` and ``period`` optional
(text or a whole number; null or absent when unknown); ``work``, ``authority``,
``layer`` and ``note`` may be given and are ignored. Unknown fields are errors.

Without ``--k``: the fewest mixtures that admit every requirement, and among those the
least cost. With ``--k K``: at most K mixtures, least cost.

Output (stdout, or ``--output FILE`` written through a temporary file and moved into
place): the JSON of :meth:`HarmonisationResult.to_dict`, ``{"status", "gap", "k",
"minimum_mixtures", "chosen", "total_cost_eur", "mki_eur", "over_spec_eur",
"mki_before_eur", "tonnes_without_candidate_before", "spread_before", "spread_after",
"assignments"}`` (docs/roads.md).

Problems in the input are printed with the file and the JSON path of the field (``k``
is named by its flag); the exit code is then 2 and nothing is written. That includes a
``--k`` below the fewest mixtures that admit every requirement (the message gives that
minimum). A solver failure gives exit code 3 and nothing written.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from cirkelregio.engine.dataio import Collector, DataLoadError, Problem, emit_text
from cirkelregio.engine.dataio import read_json as _read_json
from cirkelregio.engine.roads.harmonise import (
    DEFAULT_MIP_GAP,
    DEFAULT_TIME_LIMIT,
    HarmonisationInputError,
    HarmonisationProblem,
    InputIssue,
    SolveError,
    problem_from_dict,
    solve,
)

__all__ = ["EXIT_INPUT", "EXIT_SOLVER", "build_parser", "main", "read_problem"]

EXIT_INPUT = 2
EXIT_SOLVER = 3


def build_parser(prog: str = "cirkelregio roads harmonise") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Harmonise asphalt mixtures: choose at most K standard mixtures "
        "(or the fewest that serve every layer) and assign every planned layer to "
        "one, at least MKI plus over-specification cost (HiGHS MILP).",
    )
    parser.add_argument("file", type=Path, help="the JSON input (docs/roads.md)")
    parser.add_argument(
        "--k",
        type=int,
        help="at most this many mixtures (default: the fewest that serve every "
        "layer, then the least cost)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_TIME_LIMIT,
        help="seconds for HiGHS, all stages together (default %(default)s)",
    )
    parser.add_argument(
        "--mip-gap",
        type=float,
        default=DEFAULT_MIP_GAP,
        help="relative MIP gap at which HiGHS stops (default %(default)s)",
    )
    parser.add_argument("--output", type=Path, help="file to write (default: stdout)")
    return parser


def _problem(file: str, issue: InputIssue) -> Problem:
    if issue.path == "k":
        return Problem("--k", issue.message)
    return Problem(
        file, issue.message, record="$" + ("." if issue.path else "") + issue.path
    )


def read_problem(path: Path, c: Collector | None = None) -> HarmonisationProblem:
    """Read and check the JSON file; raises DataLoadError with every problem found,
    each named by the file and the JSON path (``$.requirements[3].tonnes``)."""
    c = c if c is not None else Collector()
    data = _read_json(path, c)
    if c.problems:
        c.raise_if_any()
    try:
        problem = problem_from_dict(data)
    except HarmonisationInputError as exc:
        for issue in exc.issues:
            c.add(_problem(path.name, issue))
    c.raise_if_any()
    return problem


def _flag_problems(k: int | None, time_limit: float, mip_gap: float) -> list[Problem]:
    out: list[Problem] = []
    if k is not None and k < 1:
        out.append(Problem("--k", "must be at least 1"))
    if not (math.isfinite(time_limit) and time_limit > 0):
        out.append(Problem("--time-limit", "must be a finite number more than 0"))
    if not (math.isfinite(mip_gap) and mip_gap >= 0):
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
    collector = Collector(_flag_problems(args.k, args.time_limit, args.mip_gap))
    try:
        problem = read_problem(args.file, collector)
    except DataLoadError as exc:
        print("Nothing was calculated or written.\n" + exc.summary(), file=stderr)
        return EXIT_INPUT
    try:
        result = solve(
            problem, k=args.k, time_limit=args.time_limit, mip_gap=args.mip_gap
        )
    except HarmonisationInputError as exc:
        problems = [_problem(args.file.name, i) for i in exc.issues]
        print("Nothing was written.\n" + DataLoadError(problems).summary(), file=stderr)
        return EXIT_INPUT
    except SolveError as exc:
        print(f"Nothing was written.\n{exc}", file=stderr)
        return EXIT_SOLVER
    text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    emit_text(text, args.output, stdout)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
