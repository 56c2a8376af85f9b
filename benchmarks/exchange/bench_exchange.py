# SPDX-License-Identifier: EUPL-1.2
"""Benchmark 3: the materials-exchange optimiser (``engine/optimize/exchange.py``)
against PuLP/CBC and a greedy nearest-first matcher.

Instances from generate.py (province of Utrecht, 12 materials, seed 20270104). Issue
targets (printed, never asserted):

- regional, 500 supplies / 500 demands / 10 depots / 52 weeks: the engine builds and
  solves to optimality in under 2 s wall;
- large, 5,000 / 5,000 / 50 depots / 104 weeks: under 60 s, peak memory under 4 GB;
- the curve up to 20,000 / 20,000 with time and peak memory.

Every implementation runs in a fresh subprocess of its own (``--worker``) that
generates the instance (untimed), then runs once ("first") and ``--repeats`` more times
on the regional size (median, min, max), once on the larger sizes. A worker that runs
longer than ``--time-limit`` seconds (wall) is killed and reported as not finished;
PuLP's CBC gets the time that is left after its model build as its own time limit.
Peak memory is the worker's ``ru_maxrss`` (whole process: interpreter, imports,
instance, model, solver); for PuLP also the CBC child's, which on Linux includes the
memory of the forked Python parent.

Correctness (printed, and the script exits non-zero if it fails): the engine's plan
passes ``check_plan``; PuLP/CBC's optimum equals the engine's to 1e-6 relative and its
plan, too, passes ``check_plan``; the greedy plan passes ``check_plan`` (its objective,
computed by greedy.py, included).

Rows:

- "engine": the shipped ``build_model`` + ``solve``: the reduced LP (module docstring
  of engine/optimize/exchange.py), a starting basis from one LP per material, then
  HiGHS on the whole LP;
- "engine, cold start": the same LP solved by HiGHS from scratch
  (``warm_start=False``), to show what the per-material start is worth;
- "PuLP + CBC, model as written": the time-expanded model of exchange-model.md,
  written from the document with PuLP (pulp_peer.build), solved by CBC: what a
  modeller who writes down the document gets;
- "PuLP + CBC, reduced LP": the engine's own reduced LP handed to PuLP
  (pulp_peer.build_reduced): CBC and HiGHS on the same LP;
- "greedy nearest-first": greedy.py.

    .venv/bin/python benchmarks/exchange/bench_exchange.py [--repeats 5]
        [--sizes regional 2000 large 10000 20000] [--time-limit 300] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "mki"))  # common.py
sys.path.insert(0, str(HERE))  # generate.py of the exchange, ahead of mki's

from common import (  # noqa: E402
    launcher_rss_mib,
    machine_in_subprocess,
    median,
    print_machine,
    rel_diff,
    table,
)

SIZES: dict[str, tuple[int, int, int, int]] = {
    "regional": (500, 500, 10, 52),
    "2000": (2000, 2000, 20, 104),
    "large": (5000, 5000, 50, 104),
    "10000": (10000, 10000, 50, 104),
    "20000": (20000, 20000, 50, 104),
}
IMPLEMENTATIONS: dict[str, str] = {
    "engine": "engine (HiGHS, shipped)",
    "engine-cold": "engine, cold start (diagnostic)",
    "pulp": "PuLP 3.3.2 + CBC, model as written",
    "pulp-reduced": "PuLP 3.3.2 + CBC, reduced LP",
    "greedy": "greedy nearest-first",
}
TOLERANCE = 1e-6
LIMITS: dict[str, float] = {
    "regional": 300.0,
    "2000": 300.0,
    "large": 300.0,
    "10000": 300.0,
    "20000": 900.0,
}
"""Default wall limit per worker (seconds); ``--time-limit`` overrides."""
PLAN: dict[str, tuple[str, ...]] = {
    "regional": ("engine", "engine-cold", "pulp", "pulp-reduced", "greedy"),
    "2000": ("engine", "engine-cold", "pulp", "pulp-reduced", "greedy"),
    "large": ("engine", "engine-cold", "pulp", "pulp-reduced", "greedy"),
    "10000": ("engine", "greedy"),
    "20000": ("engine", "greedy"),
}
"""Default implementations per size (to keep the whole run under about 25 minutes);
``--only`` overrides."""
MEMORY_CAP_GIB = 16
"""Address-space limit of a worker, so that a size that does not fit fails with a
MemoryError instead of pushing a shared machine into swap or the OOM killer."""


# Worker ------------------------------------------------------------------------------


def _rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def _progress(msg: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def worker(impl: str, size: str, seed: int, runs: int, time_limit: float) -> None:
    t_start = time.perf_counter()
    from generate import generate

    from cirkelregio.engine.optimize.exchange import (
        ExchangeResult,
        build_model,
        check_plan,
        solve,
    )

    n_s, n_d, n_k, n_t = SIZES[size]
    problem = generate(n_s, n_d, n_k, n_t, seed)
    out: dict[str, Any] = {
        "impl": impl,
        "size": size,
        "weeks": problem.weeks,
        "times": [],
        "build": [],
        "solve": [],
    }
    rss_before = _rss_mib()
    result: Any = None
    for run in range(runs):
        if impl in ("engine", "engine-cold"):
            t0 = time.perf_counter()
            model = build_model(problem)
            t1 = time.perf_counter()
            _progress(f"{impl} {size} run {run}: built in {t1 - t0:.2f} s")
            result = solve(problem, model, warm_start=impl == "engine")
            t2 = time.perf_counter()
            _progress(f"{impl} {size} run {run}: solved in {t2 - t1:.2f} s")
            out["build"].append(t1 - t0)
            out["solve"].append(t2 - t1)
            out["times"].append(t2 - t0)
            out["variables"] = model.num_columns
            out["constraints"] = model.num_rows
            out["nonzeros"] = int(model.matrix.nnz)
            out["objective"] = result.objective_eur
            out["baseline"] = result.baseline_eur
            del model
        elif impl in ("pulp", "pulp-reduced"):
            import pulp_peer

            t0 = time.perf_counter()
            if impl == "pulp":
                model = pulp_peer.build(problem)
            else:
                model = pulp_peer.build_reduced(build_model(problem))
            t1 = time.perf_counter()
            _progress(f"{impl} {size} run {run}: built in {t1 - t0:.2f} s")
            left = time_limit - (t1 - t_start) - 15
            limit = None if runs > 1 else max(10.0, left)
            sol = pulp_peer.solve(problem, model, limit)
            t2 = time.perf_counter()
            _progress(f"{impl} {size} run {run}: CBC {sol.status} in {t2 - t1:.2f} s")
            out["build"].append(t1 - t0)
            out["solve"].append(t2 - t1)
            out["times"].append(t2 - t0)
            out["variables"] = model.num_variables
            out["constraints"] = model.num_constraints
            out["objective"] = sol.objective_eur
            out["status"] = sol.status
            out["cbc_limit"] = limit
            out["hit_time_limit"] = sol.hit_time_limit
            result = ExchangeResult(
                sol.objective_eur, 0.0, 0.0, {}, 0.0, 0.0, 0.0, sol.flows
            )
            del model
        elif impl == "greedy":
            from greedy import greedy

            t0 = time.perf_counter()
            result = greedy(problem)
            t1 = time.perf_counter()
            out["times"].append(t1 - t0)
            out["objective"] = result.objective_eur
        else:
            raise SystemExit(f"unknown implementation {impl}")
    out["rss_peak"] = _rss_mib()
    out["rss_growth"] = out["rss_peak"] - rss_before
    out["rss_children"] = _rss_mib(resource.RUSAGE_CHILDREN)
    if impl in ("pulp", "pulp-reduced"):
        from cirkelregio.engine.optimize.exchange import baseline

        result = ExchangeResult(
            result.objective_eur,
            baseline(problem),
            0.0,
            {},
            0.0,
            0.0,
            0.0,
            result.flows,
        )
    t0 = time.perf_counter()
    violations = check_plan(problem, result)
    out["check_seconds"] = time.perf_counter() - t0
    out["violations"] = len(violations)
    out["first_violations"] = violations[:3]
    out["flows"] = len(result.flows)
    if impl in ("greedy", "pulp", "pulp-reduced"):
        out["baseline"] = result.baseline_eur
    out["direct"] = sum(1 for f in result.flows if f.depot is None)
    out["via_depot"] = sum(1 for f in result.flows if f.supply is None)
    print(json.dumps(out))


# Launcher ----------------------------------------------------------------------------


def run_worker(
    impl: str, size: str, seed: int, runs: int, time_limit: float
) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        impl,
        "--size",
        size,
        "--seed",
        str(seed),
        "--runs",
        str(runs),
        "--time-limit",
        str(time_limit),
    ]
    t0 = time.perf_counter()
    # A session of its own, so that on the time limit the worker and its CBC child
    # (PuLP) are killed together.
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, _ = proc.communicate(timeout=time_limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {
            "impl": impl,
            "size": size,
            "finished": False,
            "wall": time.perf_counter() - t0,
        }
    if proc.returncode != 0:
        lines = stdout.strip().splitlines()
        why = f"exit {proc.returncode}"
        if proc.returncode == 3 and lines:
            why = json.loads(lines[-1])["error"]
        return {
            "impl": impl,
            "size": size,
            "finished": False,
            "error": why,
            "memory": proc.returncode == 3,
            "wall": time.perf_counter() - t0,
        }
    out = json.loads(stdout.strip().splitlines()[-1])
    out["finished"] = True
    out["wall"] = time.perf_counter() - t0
    return out


def _f(v: float, digits: int = 3) -> str:
    return f"{v:.{digits}f}"


def report(size: str, results: list[dict[str, Any]], time_limit: float) -> list[str]:
    """Prints the table of one size; returns the correctness failures."""
    n_s, n_d, n_k, n_t = SIZES[size]
    engine = next(
        (r for r in results if r["impl"] == "engine" and r["finished"]), None
    ) or next(
        (r for r in results if r["impl"] == "engine-cold" and r["finished"]), None
    )
    opt = engine["objective"] if engine else None
    info = next((r for r in results if r["finished"]), {})
    print(
        f"\n### {size}: {n_s:,} supplies, {n_d:,} demands, {n_k} depots, "
        f"{info.get('weeks', n_t)} weeks"
    )
    if engine:
        print(
            f"LP: {engine['variables']:,} variables, {engine['constraints']:,} "
            f"constraints, {engine.get('nonzeros', 0):,} nonzeros. Optimum EUR "
            f"{opt:,.2f}; baseline EUR {engine['baseline']:,.2f}; savings EUR "
            f"{engine['baseline'] - opt:,.2f}."
        )
    header = [
        "implementation",
        "N",
        "first s",
        "median s",
        "min / max s",
        "build s",
        "solve s",
        "RSS peak MiB",
        "objective EUR",
        "vs engine",
        "check_plan",
    ]
    rows = []
    failures: list[str] = []
    e_med = median(engine["times"][1:] or engine["times"]) if engine else None
    for r in results:
        name = IMPLEMENTATIONS[r["impl"]]
        if not r["finished"]:
            why = r.get("error") or f"killed at the {time_limit:.0f} s limit"
            if r.get("error") and not r.get("memory"):
                failures.append(f"{size} {name}: {why}")
            rows.append(
                [name, "0", f"not finished ({why})", "-", "-", "-", "-", "-"]
                + ["-", "-", "-"]
            )
            continue
        times = r["times"]
        rest = times[1:] or times
        med = median(rest)
        b = median(r["build"][1:] or r["build"]) if r["build"] else None
        s = median(r["solve"][1:] or r["solve"]) if r["solve"] else None
        rss = f"{r['rss_peak']:.0f}"
        pulp = r["impl"] in ("pulp", "pulp-reduced")
        if pulp:
            rss += f" (CBC {r['rss_children']:.0f})"
        obj = r["objective"]
        if opt is None:
            vs = "-"
        elif r["impl"] == "greedy":
            gap = (obj - opt) / abs(opt) * 100
            vs = f"gap {gap:+.2f} %"
        else:
            d = rel_diff(obj, opt)
            ok = d <= TOLERANCE and not r.get("hit_time_limit")
            vs = f"{d:.1e} {'ok' if ok else 'DIFFERS'}"
            if pulp and r.get("hit_time_limit"):
                vs = f"{d:.1e} (CBC stopped: {r['status']})"
            elif not ok:
                failures.append(f"{size} {name}: objective {obj} vs {opt}")
        check = "ok" if r["violations"] == 0 else f"{r['violations']} violations"
        if r["violations"] and not (pulp and r.get("hit_time_limit")):
            failures.append(f"{size} {name}: {r['first_violations']}")
        rows.append(
            [
                name,
                str(len(rest)),
                _f(times[0]),
                _f(med),
                f"{_f(min(rest))} / {_f(max(rest))}",
                _f(b) if b is not None else "-",
                _f(s) if s is not None else "-",
                rss,
                f"{obj:,.2f}",
                vs,
                check,
            ]
        )
    print(table(header, rows))
    for r in results:
        if not r["finished"]:
            continue
        name = IMPLEMENTATIONS[r["impl"]]
        extra = f"{name}: {r['flows']:,} flows ({r['direct']:,} direct, "
        extra += f"{r['via_depot']:,} out of depots); check_plan "
        extra += f"{r['check_seconds']:.1f} s"
        if r["impl"] in ("pulp", "pulp-reduced"):
            extra += f"; status {r['status']}; CBC time limit "
            extra += f"{r['cbc_limit']:.0f} s" if r["cbc_limit"] else "none"
            extra += f"; {r['variables']:,} variables, {r['constraints']:,} rows"
            if e_med:
                ratio = median(r["times"][1:] or r["times"]) / e_med
                extra += f"; time ratio to engine {ratio:.1f}"
        if r["impl"] == "greedy" and engine:
            share = (r["baseline"] - r["objective"]) / (engine["baseline"] - opt)
            extra += f"; captures {share * 100:.1f} % of the optimal savings"
        print(extra)
    if size in ("regional", "large"):
        limit_s = 2.0 if size == "regional" else 60.0
        e = next((r for r in results if r["impl"] == "engine"), None)
        if e and e["finished"] and engine:
            med = median(e["times"][1:] or e["times"])
            print(
                f"Target engine < {limit_s:g} s (build + solve): "
                f"{'MET' if med < limit_s else 'NOT MET'} (median {med:.3f} s, "
                f"first {e['times'][0]:.3f} s)."
            )
            if size == "large":
                gib = e["rss_peak"] / 1024
                print(
                    f"Target peak memory < 4 GB: {'MET' if gib < 4 else 'NOT MET'} "
                    f"(RSS peak {gib:.2f} GiB)."
                )
        elif e:
            print(
                f"Target engine < {limit_s:g} s: NOT MET (not finished within "
                f"{time_limit:.0f} s)."
            )
    return failures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--worker")
    ap.add_argument("--size", default="regional")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--seed", type=int, default=20270104)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--time-limit", type=float)
    ap.add_argument("--sizes", nargs="+", default=list(SIZES))
    ap.add_argument("--only", nargs="+")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    if a.worker:
        cap = MEMORY_CAP_GIB * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        try:
            worker(a.worker, a.size, a.seed, a.runs, a.time_limit or 300.0)
        except MemoryError:
            print(json.dumps({"error": f"MemoryError at {MEMORY_CAP_GIB} GiB"}))
            raise SystemExit(3) from None
        return
    print_machine(machine_in_subprocess())
    print(
        f"\nSeed {a.seed}; regional size: first run + {a.repeats} repeats per worker, "
        "larger sizes one run; worker wall limit "
        + ", ".join(f"{s} {a.time_limit or LIMITS[s]:.0f} s" for s in a.sizes)
        + f"; worker address space capped at {MEMORY_CAP_GIB} GiB."
    )
    all_results: dict[str, list[dict[str, Any]]] = {}
    failures: list[str] = []
    t_all = time.perf_counter()
    for size in a.sizes:
        runs = 1 + a.repeats if size == "regional" else 1
        results = []
        limit = a.time_limit or LIMITS[size]
        for impl in a.only or PLAN[size]:
            r = run_worker(impl, size, a.seed, runs, limit)
            results.append(r)
            status = "done" if r["finished"] else "NOT FINISHED"
            print(f"  ({impl} {size}: {status}, {r['wall']:.1f} s wall)", flush=True)
        all_results[size] = results
        failures += report(size, results, limit)
    print(f"\nTotal wall time {time.perf_counter() - t_all:.0f} s.")
    with_load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"Load average at the end: {with_load} ({os.cpu_count()} cores).")
    print(f"(RSS of the timing process itself: {launcher_rss_mib():.0f} MiB.)")
    if a.json:
        a.json.write_text(json.dumps(all_results, indent=1), encoding="utf-8")
    if failures:
        print("\nCORRECTNESS FAILURES:")
        for f in failures:
            print(" ", f)
        raise SystemExit(1)
    print("\nCorrectness: every finished plan passes check_plan; optima agree.")


if __name__ == "__main__":
    main()
