# SPDX-License-Identifier: EUPL-1.2
"""The craft-centres demo (``data/demo/<region>/craftcentres``): the bulky-waste
default with its CBS source (``bulky_waste.csv``), invented candidate sites
(``sites.csv``, every name ends in "(demo)") and demo scenarios
(``scenarios.json``, with a reusable share marked as an assumption for the demo),
solved and published so that the pages show them at once. All or nothing for the
files; safe to run again (a scenario that exists with every network stored is kept).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from cirkelregio.craftcentres.models import NetworkScenario
from cirkelregio.craftcentres.services.scenarios import (
    remaining_p,
    scenario_choose,
    scenario_create,
    scenario_publish,
    scenario_run,
)
from cirkelregio.craftcentres.services.sites import figure_set, sites_import
from cirkelregio.engine.dataio import DataLoadError, Problem
from cirkelregio.regions.models import Municipality


@dataclass
class CraftCentresDemoReport:
    sites: str = ""
    figures: int = 0
    scenarios: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.sites} {self.figures} bulky-waste figures; scenarios solved: "
            f"{', '.join(self.scenarios) or 'none'}."
        )


def _figures(path: Path) -> list[dict[str, Any]]:
    problems: list[Problem] = []
    out: list[dict[str, Any]] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataLoadError(
            [Problem(path.name, f"cannot be read ({exc.strerror})")]
        ) from None
    reader = csv.DictReader(text.splitlines())
    for row in reader:
        line = reader.line_num
        code = (row.get("municipality") or "").strip()
        municipality = None
        if code:
            municipality = Municipality.objects.filter(cbs_code=code).first()
            if municipality is None:
                problems.append(
                    Problem(
                        path.name, "unknown municipality", line, field="municipality"
                    )
                )
        try:
            kg = (
                float(row["kg_per_inhabitant"])
                if row.get("kg_per_inhabitant")
                else None
            )
            tonnes = float(row["tonnes"]) if row.get("tonnes") else None
            year = int(row["year"])
        except (KeyError, TypeError, ValueError):
            problems.append(Problem(path.name, "not a number", line))
            continue
        out.append(
            {
                "municipality": municipality,
                "year": year,
                "kg_per_inhabitant": kg,
                "tonnes": tonnes,
                "source_kind": (row.get("source_kind") or "").strip(),
                "source": (row.get("source") or "").strip(),
            }
        )
    if problems:
        raise DataLoadError(problems)
    return out


def craftcentres_demo_load(*, directory: Path) -> CraftCentresDemoReport:
    directory = Path(directory)
    report = CraftCentresDemoReport()
    figures = _figures(directory / "bulky_waste.csv")
    try:
        content = (directory / "sites.csv").read_bytes()
        spec = json.loads((directory / "scenarios.json").read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataLoadError(
            [Problem(Path(exc.filename or "").name, f"cannot be read ({exc.strerror})")]
        ) from None
    with transaction.atomic():
        for values in figures:
            figure_set(actor=None, **values)
        report.figures = len(figures)
        report.sites = str(
            sites_import(
                actor=None, content=content, file_name="sites.csv", is_demo=True
            )
        )
        created = []
        for item in spec["scenarios"]:
            item = dict(item)
            chosen_p = item.pop("chosen_p", None)
            scenario = NetworkScenario.objects.filter(name=item["name"]).first()
            if scenario is None:
                scenario = scenario_create(actor=None, is_demo=True, **item)
            created.append((scenario, chosen_p))
    for scenario, chosen_p in created:
        if remaining_p(scenario):
            scenario_run(actor=None, scenario=scenario)
            report.scenarios.append(scenario.name)
        scenario_choose(actor=None, scenario=scenario, p=chosen_p)
        scenario_publish(actor=None, scenario=scenario, published=True)
    return report
