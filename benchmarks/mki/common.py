# SPDX-License-Identifier: EUPL-1.2
"""Helpers shared by the MKI benchmarks: machine description, statistics, tables."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> dict[str, str]:
    """CPU model, cores, memory, Python and numpy versions, BLAS, date."""
    info: dict[str, str] = {}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        models = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        ]
        flags = next(
            (line for line in cpuinfo.splitlines() if line.startswith("flags")), ""
        )
        info["cpu"] = models[0] if models else platform.processor()

        def first(key: str) -> str:
            return next(
                (
                    line.split(":", 1)[1].strip()
                    for line in cpuinfo.splitlines()
                    if line.split(":", 1)[0].strip() == key
                ),
                "?",
            )

        info["cpu detail"] = (
            f"family {first('cpu family')} model {first('model')} stepping "
            f"{first('stepping')}, {first('cpu MHz')} MHz, cache {first('cache size')}"
            + (", virtual machine" if " hypervisor" in flags else "")
        )
        info["avx512"] = "yes" if "avx512f" in flags else "no"
    except OSError:
        info["cpu"] = platform.processor() or "unknown"
    info["cores"] = str(os.cpu_count())
    try:
        meminfo = Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()
        kb = int(
            next(line for line in meminfo if line.startswith("MemTotal")).split()[1]
        )
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        info["memory"] = "unknown"
    info["os"] = platform.platform()
    info["python"] = sys.version.split()[0]
    try:
        import numpy

        info["numpy"] = numpy.__version__
        try:
            from threadpoolctl import threadpool_info

            pools = threadpool_info()
            info["blas"] = ", ".join(
                f"{p.get('internal_api')} {p.get('version')} "
                f"({p.get('architecture')}, {p.get('num_threads')} threads)"
                for p in pools
            )
        except ImportError:
            pass
    except ImportError:
        info["numpy"] = "not installed"
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS"):
        if name in os.environ:
            info[name] = os.environ[name]
    with contextlib.suppress(OSError):
        info["load average"] = " ".join(f"{v:.2f}" for v in os.getloadavg())
    info["date"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return info


def machine_in_subprocess() -> dict[str, str]:
    """``machine()`` run in a child process, so that the benchmark's own process does
    not import numpy and stays small: a child's ``ru_maxrss`` on Linux counts the
    memory its parent had when it forked, so a large launcher would inflate it."""
    done = subprocess.run(
        [sys.executable, __file__], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout)


def launcher_rss_mib() -> float:
    """This process's peak RSS: no child's RSS peak can read below it."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_machine(info: dict[str, str]) -> None:
    print("Machine:")
    for key, value in info.items():
        print(f"  {key}: {value}")


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table with aligned columns."""
    widths = [
        max(len(str(h)), *(len(str(r[k])) for r in rows)) if rows else len(str(h))
        for k, h in enumerate(header)
    ]

    def line(cells: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))
            + " |"
        )

    out = [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def rel_diff(a: float, b: float) -> float:
    """|a - b| relative to the larger magnitude (0 when both are 0)."""
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0 else abs(a - b) / scale


if __name__ == "__main__":
    print(json.dumps(machine()))
