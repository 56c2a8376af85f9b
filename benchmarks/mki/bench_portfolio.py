# SPDX-License-Identifier: EUPL-1.2
"""Benchmark 1: recompute the MKI of a whole portfolio, engine against its peers.

Default: 1,000 projects x 200 lines on a library of 1,000 profiles of 19 EN 15804+A2
indicators x 17 modules (generate.py, seed 20260101). Issue target: the engine's
``calculate_portfolio`` under 1 s and peak memory under 1 GB.

Every implementation runs in a fresh subprocess of its own, which generates the same
portfolio, prepares its input (untimed), calls the calculation once (reported as
"first"), then ``--repeats`` more times (median, min, max), then once more under
tracemalloc (untimed). Memory:

- RSS peak: ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of that subprocess at the
  end, so it includes the interpreter, the imports and the generated portfolio;
- RSS growth: the same high-water mark after the calculations minus before them;
- traced peak: ``tracemalloc`` peak during one calculation (Python and numpy
  allocations; not memory that MKL/PARDISO or BLAS allocate outside Python).

The totals of every implementation are checked against the engine's to 1e-9
relative per project (a correctness check; times are only printed).

    .venv/bin/python benchmarks/mki/bench_portfolio.py [--repeats 7] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    machine_in_subprocess,
    median,
    print_machine,
    rel_diff,
    table,
)
from generate import WEIGHTS, Portfolio, as_arrays, generate  # noqa: E402

IMPLEMENTATIONS: dict[str, str] = {
    "engine": "engine calculate_portfolio (numpy)",
    "plain-memo": "plain Python, per line, profile sum memoised",
    "plain-naive": "plain Python, per line, full double sum per line",
    "bw-lca": "Brightway bw2calc LCA, lcia(demand) per project",
    "bw-multilca": "Brightway bw2calc MultiLCA, 100 projects per object",
    "bw-fastscores": "Brightway bw2calc FastScoresOnlyMultiLCA, adjoint",
}
SLOW_SECONDS = 5.0
"""An implementation whose first run takes longer gets at most 3 timed repeats."""
TOLERANCE = 1e-9
STEPS: dict[str, list[float]] = {}
"""Seconds of the steps of the Brightway peer, one entry per run."""


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _prepare(impl: str, portfolio: Portfolio) -> Callable[[], Any]:
    """The untimed preparation of each implementation's natural input; returns the
    calculation to time."""
    if impl == "engine":
        import numpy as np

        from cirkelregio.engine.mki import (
            MODULES,
            Options,
            ProfileLibrary,
            WeightingSet,
            calculate_portfolio,
        )

        arrays = as_arrays(portfolio)
        indicators = portfolio.indicators
        weighting = WeightingSet(
            code="bench",
            indicators=indicators,
            units=tuple(WEIGHTS[i][0] for i in indicators),
            factors=np.asarray([WEIGHTS[i][1] for i in indicators]),
            weighted=np.asarray([WEIGHTS[i][2] for i in indicators], dtype=np.bool_),
            sources=tuple(WEIGHTS[i][3] for i in indicators),
        )
        axis = [MODULES.index(m) for m in portfolio.modules]
        n = len(portfolio.profiles)
        values = np.zeros((n, len(MODULES), len(indicators)))
        values[:, axis, :] = arrays["values"]
        present = np.zeros((n, len(MODULES)), dtype=np.bool_)
        present[:, axis] = True
        library = ProfileLibrary(
            ids=tuple(p.profile_id for p in portfolio.profiles),
            names=tuple(p.name for p in portfolio.profiles),
            units=tuple(p.unit for p in portfolio.profiles),
            data_categories=tuple(p.data_category for p in portfolio.profiles),
            indicators=indicators,
            values=values,
            present=present,
        )
        options = Options()

        def run_engine() -> list[float]:
            totals = calculate_portfolio(
                library,
                weighting,
                arrays["project"],
                arrays["profile"],
                arrays["quantity"],
                arrays["service_life"],
                options,
                n_projects=portfolio.projects,
            )
            return list(map(float, totals))

        return run_engine

    if impl.startswith("plain"):
        import plain

        profiles: dict[str, plain.PlainProfile] = {}
        for p in portfolio.profiles:
            prof = plain.PlainProfile(p.name, p.unit, p.data_category)
            for m, module in enumerate(portfolio.modules):
                prof.values[module] = dict(
                    zip(portfolio.indicators, p.values[m], strict=True)
                )
            profiles[p.profile_id] = prof
        weights = {
            i: (WEIGHTS[i][1] if WEIGHTS[i][2] else 0.0) for i in portfolio.indicators
        }
        lines = [
            (
                portfolio.line_project[k],
                portfolio.profiles[portfolio.line_profile[k]].profile_id,
                portfolio.quantity[k],
                portfolio.service_life[k],
            )
            for k in range(portfolio.lines)
        ]
        memo = impl == "plain-memo"

        def run_plain() -> list[float]:
            return plain.portfolio_totals(
                profiles, weights, lines, portfolio.projects, memo=memo
            )

        return run_plain

    if impl.startswith("bw-"):
        import brightway_peer

        arrays = as_arrays(portfolio)
        variant = impl.removeprefix("bw-")

        def run_bw() -> list[float]:
            steps: dict[str, float] = {}
            totals = brightway_peer.portfolio_totals(
                arrays, portfolio.modules, portfolio.projects, variant, timings=steps
            )
            for step, seconds in steps.items():
                STEPS.setdefault(step, []).append(seconds)
            return list(map(float, totals))

        return run_bw

    raise SystemExit(f"unknown implementation {impl}")


def worker(args: argparse.Namespace) -> None:
    portfolio = generate(args.seed, args.projects, args.lines, args.profiles)
    calc = _prepare(args.worker, portfolio)
    rss_before = _rss_mib()
    start = time.perf_counter()
    totals = calc()
    first = time.perf_counter() - start
    repeats = args.repeats if first < SLOW_SECONDS else min(args.repeats, 3)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        again = calc()
        times.append(time.perf_counter() - start)
        if again != totals:
            raise SystemExit(f"{args.worker}: a repeat gave other totals")
    rss_after = _rss_mib()
    steps = {step: median(seconds[1:]) for step, seconds in STEPS.items()}
    tracemalloc.start()
    calc()
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    Path(args.result).write_text(
        json.dumps(
            {
                "first": first,
                "times": times,
                "rss_peak_mib": rss_after,
                "rss_growth_mib": rss_after - rss_before,
                "traced_peak_mib": traced / 2**20,
                "totals": totals,
                "steps": steps,
            }
        ),
        encoding="utf-8",
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    info = machine_in_subprocess()
    print_machine(info)
    print(
        f"\nPortfolio: {args.projects} projects x {args.lines} lines = "
        f"{args.projects * args.lines:,} lines, {args.profiles} profiles of 19 "
        f"indicators x 17 modules, seed {args.seed}; R = 50 years, rule ceil, "
        f"module D included.\n"
    )
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for impl in args.only or IMPLEMENTATIONS:
            out = Path(tmp) / f"{impl}.json"
            command = [
                sys.executable,
                __file__,
                "--worker",
                impl,
                "--result",
                str(out),
                "--seed",
                str(args.seed),
                "--projects",
                str(args.projects),
                "--lines",
                str(args.lines),
                "--profiles",
                str(args.profiles),
                "--repeats",
                str(args.repeats),
            ]
            print(f"running {impl} ...", flush=True)
            done = subprocess.run(command, check=False)
            if done.returncode != 0:
                raise SystemExit(f"{impl} failed with exit code {done.returncode}")
            results[impl] = json.loads(out.read_text(encoding="utf-8"))

    engine = results.get("engine")
    rows = []
    failures = []
    for impl, r in results.items():
        med = median(r["times"])
        if engine is not None:
            diffs = [
                rel_diff(a, b)
                for a, b in zip(r["totals"], engine["totals"], strict=True)
            ]
            worst = max(diffs)
            ok = worst <= TOLERANCE and all(map(math.isfinite, r["totals"]))
            if not ok:
                failures.append(impl)
            ratio = med / median(engine["times"])
        else:
            worst, ok, ratio = math.nan, False, math.nan
        r["median"] = med
        r["ratio"] = ratio
        r["max_rel_diff"] = worst
        rows.append(
            [
                IMPLEMENTATIONS[impl],
                str(len(r["times"])),
                f"{r['first']:.4f}",
                f"{med:.4f}",
                f"{min(r['times']):.4f} / {max(r['times']):.4f}",
                f"{r['rss_peak_mib']:.0f}",
                f"{r['rss_growth_mib']:.0f}",
                f"{r['traced_peak_mib']:.1f}",
                f"{ratio:.1f}" if impl != "engine" else "1.0",
                f"{worst:.1e} {'ok' if ok else 'FAIL'}",
            ]
        )
    header = [
        "implementation",
        "N",
        "first s",
        "median s",
        "min / max s",
        "RSS peak MiB",
        "RSS growth MiB",
        "traced peak MiB",
        "ratio to engine",
        "max rel diff vs engine (<= 1e-9)",
    ]
    print()
    print(table(header, rows))
    for impl, r in results.items():
        if r.get("steps"):
            print(
                f"{IMPLEMENTATIONS[impl]}: median s per step: "
                + ", ".join(f"{k} {v:.4f}" for k, v in r["steps"].items())
            )
    if engine is not None:
        total = sum(engine["totals"])
        print(
            f"\nPortfolio MKI: EUR {total:,.2f}; project totals from "
            f"EUR {min(engine['totals']):,.2f} to EUR {max(engine['totals']):,.2f}."
        )
        met_time = median(engine["times"]) < 1.0
        met_memory = engine["rss_peak_mib"] < 1000.0
        print(
            f"Target engine recompute < 1 s: {'MET' if met_time else 'NOT MET'} "
            f"(median {median(engine['times']):.4f} s). "
            f"Target peak memory < 1 GB: {'MET' if met_memory else 'NOT MET'} "
            f"(RSS peak {engine['rss_peak_mib']:.0f} MiB of the whole process)."
        )
    print(
        "Load average at the end: "
        + " ".join(f"{v:.2f}" for v in os.getloadavg())
        + f" ({os.cpu_count()} cores)."
    )
    if failures:
        print(f"\nAGREEMENT CHECK FAILED for: {', '.join(failures)}")
    else:
        print(f"\nAgreement check: every implementation within {TOLERANCE:g} relative.")
    report = {"machine": info, "args": vars(args), "results": results}
    for r in results.values():
        r.pop("totals")
    if args.json:
        Path(args.json).write_text(
            json.dumps(report, indent=2, default=str), encoding="utf-8"
        )
    assert not failures, f"implementations disagree with the engine: {failures}"
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--only", nargs="+", choices=IMPLEMENTATIONS, help="run only these"
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--worker", choices=IMPLEMENTATIONS, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
