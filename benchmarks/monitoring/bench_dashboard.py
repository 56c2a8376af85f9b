# SPDX-License-Identifier: EUPL-1.2
"""Benchmark 11: the region dashboard with 10 years x 26 municipalities x 50
indicators (issue 8 target: under 300 ms server time, printed, never asserted).

A throwaway SQLite database in a temporary folder (or ``--database-url``) is migrated
and loaded with the region's reference data (26 municipalities, the action lines);
then ``--indicators`` synthetic indicators spread over the action lines (every fifth
cross-cutting) get a value per municipality and year and a region total for each of
``--years`` years, bulk-inserted. Measured, wall clock, median (min, max) of
``--repeats`` runs after one warm-up:

- ``region_overview()``: the selector alone (its query count is pinned in the
  tests, constant in the number of municipalities, years and indicators);
- the selector plus a template that prints every figure (a stand-in for a page);
- ``municipality_overview()`` for one municipality;
- ``GET /monitor/`` through Django's test client, when the page exists (the
  Regiomonitor of the web app): the full server time of the region dashboard.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TARGET_MS = 300.0


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
        "load average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _time(fn: Callable[[], Any], repeats: int) -> tuple[float, float, float]:
    fn()  # warm-up
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(runs), min(runs), max(runs)


PAGE = """{% for line in overview.lines %}<h2>{{ line.action_line.name|default:"-" }}
{{ line.phase }}</h2><table>{% for f in line.figures %}<tr><td>{{ f.indicator.name }}
</td><td>{{ f.value|floatformat:f.indicator.decimals }} {{ f.indicator.unit }}</td>
<td>{{ f.previous_value }}</td><td>{{ f.trend }} {{ f.assessment }}</td>
<td>{{ f.target_value|default:"" }} {{ f.target_year|default:"" }}</td></tr>
{% endfor %}</table>{% endfor %}"""


def run(args: argparse.Namespace, folder: Path) -> None:
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{folder / 'b.db'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cirkelregio.conf.test")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.template import Context, Template
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from cirkelregio.monitoring import selectors
    from cirkelregio.monitoring.models import Indicator, IndicatorValue
    from cirkelregio.regions import selectors as regions
    from cirkelregio.regions.services import reference_data_load

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    reference_data_load(directory=Path(settings.DATA_DIR) / "regions" / "nl-utrecht")
    municipalities = list(regions.municipality_list())
    lines = list(regions.action_line_list())
    units = ["count", "t", "EUR", "%", "kg CO2e"]
    directions = ["higher_better", "lower_better", "neutral"]
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                code=f"bench-{i:03d}",
                name_nl=f"Indicator {i}",
                definition_nl="Synthetisch.",
                unit=units[i % len(units)],
                decimals=i % 3,
                direction=directions[i % len(directions)],
                action_line=None if i % 5 == 4 else lines[i % len(lines)],
                source_kind="manual",
                source_nl="Benchmark",
                target_value=30.0 if i % 4 == 0 else None,
                target_year=2030 if i % 4 == 0 else None,
                target_source="Benchmark" if i % 4 == 0 else "",
                order=i,
            )
            for i in range(args.indicators)
        ]
    )
    first_year = 2026 - args.years
    rows = []
    for n, ind in enumerate(indicators):
        for y in range(first_year, first_year + args.years):
            places = [None, *municipalities]
            rows += [
                IndicatorValue(
                    indicator=ind,
                    municipality=m,
                    year=y,
                    value=float((n * 7 + y * 3 + (m.pk if m else 0)) % 97),
                    source="Benchmark",
                )
                for m in places
            ]
    IndicatorValue.objects.bulk_create(rows, batch_size=2000)
    print(
        f"Data: {len(municipalities)} municipalities, {len(lines)} action lines, "
        f"{len(indicators)} indicators, {args.years} years, {len(rows):,} values "
        f"(set-up {time.perf_counter() - start:.1f} s, {connection.vendor})"
    )
    for key, value in _machine().items():
        print(f"  {key}: {value}")
    template = Template(PAGE)
    one = municipalities[len(municipalities) // 2]
    results = [
        ("region_overview()", _time(selectors.region_overview, args.repeats)),
        (
            "region_overview() + template of every figure",
            _time(
                lambda: template.render(
                    Context({"overview": selectors.region_overview()})
                ),
                args.repeats,
            ),
        ),
        (
            f"municipality_overview({one.name})",
            _time(lambda: selectors.municipality_overview(one), args.repeats),
        ),
    ]
    try:
        url = reverse("web:monitor")
    except NoReverseMatch:
        url = None
    if url:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()

        def page() -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"GET {url}: {response.status_code}")

        results.append(
            (f"GET {url} (test client, whole page)", _time(page, args.repeats))
        )
    if not url:
        print("The page /monitor/ is not present: selectors only.")
    print(f"\n| measured | median ms | min | max | target < {TARGET_MS:.0f} ms |")
    print("|---|---:|---:|---:|---|")
    for name, (med, lo, hi) in results:
        ok = "met" if med < TARGET_MS else "NOT met"
        print(f"| {name} | {med:.1f} | {lo:.1f} | {hi:.1f} | {ok} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--database-url", help="an empty throwaway database")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-monitoring-"))
    try:
        run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
