# SPDX-License-Identifier: EUPL-1.2
"""Benchmark 2: ``cirkelregio mki calculate`` on a 500-line bill, start-up included.

Issue target: the command answers in under 1 s. Generated files (generate.py, seed
20260101): one bill of 500 lines, a weighting file that gives all 19 A2 indicators,
and two profile files (19 indicators x 17 modules per profile):

- "bill's profiles": only the profiles that the bill uses;
- "full library": the whole library of 1,000 profiles (323,000 rows, 26 MB).

Every command runs as a subprocess, each ``--repeats`` times after a first run that is
reported apart; the commands take turns (round robin) so that the machine's noise
falls on all of them alike. Time: wall clock from start to exit of the subprocess.
Memory: the subprocess's own ``ru_maxrss`` (from ``os.wait4``).

Rows: the interpreter alone (``python -c pass``), the command's start-up alone
(``--help``: interpreter, imports, argument parser), the command itself, and the
plain Python script ``plain.py`` on the same files (the peer, start-up included). The
JSON outputs of the command and of plain.py are compared: total, every line, and the
breakdowns by element, module and indicator, to 1e-9 relative.

    .venv/bin/python benchmarks/mki/bench_cli.py [--repeats 7] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    HERE,
    launcher_rss_mib,
    machine_in_subprocess,
    median,
    print_machine,
    rel_diff,
    table,
)

TOLERANCE = 1e-9


def _cirkelregio() -> str:
    """The console script beside this interpreter (the venv's ``cirkelregio``)."""
    script = Path(sys.executable).with_name("cirkelregio")
    if not script.exists():
        raise SystemExit(f"{script} not found: pip install -e . into this venv first")
    return str(script)


def timed(command: list[str]) -> tuple[float, float]:
    """Wall time in seconds and peak RSS in MiB of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command} failed ({process.returncode}):\n{err}")
    return wall, usage.ru_maxrss / 1024


def compare(engine: dict[str, Any], peer: dict[str, Any]) -> float:
    """Largest relative difference between two JSON results; raises if they differ
    in structure."""
    diffs = [rel_diff(engine["total_eur"], peer["total_eur"])]
    e_lines = {line["line_id"]: line for line in engine["by_line"]}
    p_lines = {line["line_id"]: line for line in peer["by_line"]}
    if e_lines.keys() != p_lines.keys():
        raise AssertionError("the outputs have other lines")
    for key, e in e_lines.items():
        p = p_lines[key]
        if (e["placements"], e["uplift"], e["profile_id"]) != (
            p["placements"],
            p["uplift"],
            p["profile_id"],
        ):
            raise AssertionError(f"line {key}: placements, uplift or profile differ")
        diffs.append(rel_diff(e["mki_eur"], p["mki_eur"]))
    for name in ("by_element", "by_module", "by_indicator"):
        if engine[name].keys() != peer[name].keys():
            raise AssertionError(f"{name}: other keys")
        diffs += [rel_diff(v, peer[name][k]) for k, v in engine[name].items()]
    return max(diffs)


def scenario(
    label: str, files: dict[str, Path], tmp: Path, repeats: int
) -> dict[str, Any]:
    engine_out = tmp / f"engine-{label}.json"
    plain_out = tmp / f"plain-{label}.json"
    common_args = [
        "--profiles",
        str(files["profiles"]),
        "--bill",
        str(files["bill"]),
        "--weights",
        str(files["weights"]),
    ]
    commands = {
        "python -c pass (interpreter start-up)": [sys.executable, "-c", "pass"],
        "cirkelregio mki calculate --help (start-up, imports)": [
            _cirkelregio(),
            "mki",
            "calculate",
            "--help",
        ],
        "cirkelregio mki calculate (engine)": [
            _cirkelregio(),
            "mki",
            "calculate",
            *common_args,
            "--format",
            "json",
            "--output",
            str(engine_out),
        ],
        "plain.py (plain Python peer)": [
            sys.executable,
            str(HERE / "plain.py"),
            *common_args,
            "--output",
            str(plain_out),
        ],
    }
    first: dict[str, tuple[float, float]] = {}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for name, command in commands.items():
        first[name] = timed(command)
    for _ in range(repeats):
        for name, command in commands.items():
            runs[name].append(timed(command))
    engine = json.loads(engine_out.read_text(encoding="utf-8"))
    peer = json.loads(plain_out.read_text(encoding="utf-8"))
    worst = compare(engine, peer)
    engine_name = "cirkelregio mki calculate (engine)"
    engine_median = median([t for t, _ in runs[engine_name]])
    results = {}
    for name in commands:
        times = [t for t, _ in runs[name]]
        results[name] = {
            "first": first[name][0],
            "times": times,
            "median": median(times),
            "max": max(times),
            "rss_mib": max(m for _, m in runs[name]),
            "ratio": median(times) / engine_median,
        }
    return {
        "total_eur": engine["total_eur"],
        "lines": len(engine["by_line"]),
        "max_rel_diff": worst,
        "results": results,
    }


def write_files(args: argparse.Namespace) -> None:
    """Child process: write weights.csv, bill.csv, profiles-used.csv and
    profiles-full.csv into ``args.write`` and print the profile counts as JSON.
    (Generating in a child keeps the timing process small; see common.py.)"""
    from generate import generate, write_bill, write_profiles, write_weights

    portfolio = generate(args.seed, 1, args.lines, args.profiles)
    out = Path(args.write)
    write_weights(out / "weights.csv")
    write_bill(out / "bill.csv", portfolio)
    used = write_profiles(out / "profiles-used.csv", portfolio, used_only=True)
    full = write_profiles(out / "profiles-full.csv", portfolio)
    print(json.dumps({"used": used, "full": full}))


PHASES = ("weights", "read_profiles", "read_bill", "calculate", "to_json + write")


def phases(args: argparse.Namespace) -> None:
    """Child process: the engine's phases in-process on the files of ``args.phases``
    (profiles path; weights.csv and bill.csv beside it), median of ``args.repeats``
    runs after a first; prints seconds per phase as JSON."""
    from cirkelregio.engine.dataio import Collector
    from cirkelregio.engine.mki import Options, calculate, read_bill, read_profiles
    from cirkelregio.engine.mki.cli import to_json
    from cirkelregio.engine.mki.weighting import read_weighting_set

    profiles = Path(args.phases)
    directory = profiles.parent
    out = directory / "phases-out.json"
    runs: dict[str, list[float]] = {name: [] for name in PHASES}
    for _ in range(args.repeats + 1):
        c = Collector()
        t0 = time.perf_counter()
        weighting = read_weighting_set(directory / "weights.csv", "weights", c)
        t1 = time.perf_counter()
        library = read_profiles(profiles, weighting, c)  # type: ignore[arg-type]
        t2 = time.perf_counter()
        bill = read_bill(directory / "bill.csv", library, c)  # type: ignore[arg-type]
        t3 = time.perf_counter()
        result = calculate(library, bill, weighting, Options())  # type: ignore[arg-type]
        t4 = time.perf_counter()
        out.write_text(to_json(result), encoding="utf-8")
        t5 = time.perf_counter()
        assert not c.problems
        for name, a, b in zip(
            PHASES, (t0, t1, t2, t3, t4), (t1, t2, t3, t4, t5), strict=True
        ):
            runs[name].append(b - a)
    print(json.dumps({name: median(times[1:]) for name, times in runs.items()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--write", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--phases", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        write_files(args)
        return
    if args.phases:
        phases(args)
        return

    info = machine_in_subprocess()
    print_machine(info)
    report: dict[str, Any] = {"machine": info, "args": vars(args), "scenarios": {}}
    failures = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        written = subprocess.run(
            [
                sys.executable,
                __file__,
                "--write",
                str(tmp),
                "--seed",
                str(args.seed),
                "--lines",
                str(args.lines),
                "--profiles",
                str(args.profiles),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        counts = json.loads(written.stdout)
        n_used, n_full = counts["used"], counts["full"]
        weights = tmp / "weights.csv"
        bill = tmp / "bill.csv"
        used = tmp / "profiles-used.csv"
        full = tmp / "profiles-full.csv"
        scenarios = {
            f"bill's profiles ({n_used} profiles, {n_used * 323:,} rows)": used,
            f"full library ({n_full} profiles, {n_full * 323:,} rows)": full,
        }
        for label, path in scenarios.items():
            size = path.stat().st_size / 2**20
            print(
                f"\n{args.lines}-line bill, {label}, {size:.1f} MB; "
                f"{args.repeats} runs after a first run.",
                flush=True,
            )
            files = {"profiles": path, "bill": bill, "weights": weights}
            short = "used" if path == used else "full"
            outcome = scenario(short, files, tmp, args.repeats)
            report["scenarios"][label] = outcome
            rows = []
            for impl, r in outcome["results"].items():
                rows.append(
                    [
                        impl,
                        f"{r['first']:.3f}",
                        f"{r['median']:.3f}",
                        f"{r['max']:.3f}",
                        f"{r['rss_mib']:.0f}",
                        f"{r['ratio']:.2f}",
                    ]
                )
            print(
                table(
                    [
                        "command",
                        "first s",
                        "median s",
                        "max s",
                        "RSS peak MiB",
                        "ratio to engine",
                    ],
                    rows,
                )
            )
            split = json.loads(
                subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--phases",
                        str(path),
                        "--repeats",
                        str(args.repeats),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            outcome["engine_phases"] = split
            print(
                "Engine phases in-process (median s): "
                + ", ".join(f"{k} {v:.4f}" for k, v in split.items())
            )
            engine = outcome["results"]["cirkelregio mki calculate (engine)"]
            ok = outcome["max_rel_diff"] <= TOLERANCE
            if not ok:
                failures.append(label)
            print(
                f"MKI EUR {outcome['total_eur']:,.2f} over {outcome['lines']} lines. "
                "Agreement engine vs plain.py (total, lines, breakdowns): "
                f"max rel diff "
                f"{outcome['max_rel_diff']:.1e} {'ok' if ok else 'FAIL'}.\n"
                f"Target < 1 s including start-up: "
                f"{'MET' if engine['median'] < 1.0 else 'NOT MET'} "
                f"(median {engine['median']:.3f} s, max {engine['max']:.3f} s)."
            )
    print(
        "Load average at the end: "
        + " ".join(f"{v:.2f}" for v in os.getloadavg())
        + f" ({os.cpu_count()} cores)."
    )
    launcher = launcher_rss_mib()
    report["launcher_rss_mib"] = launcher
    print(
        f"\n(RSS of the timing process itself: {launcher:.0f} MiB; a child's RSS peak "
        f"cannot read below it, see common.py.)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str), "utf-8")
    assert not failures, f"engine and plain.py disagree: {failures}"


if __name__ == "__main__":
    main()
