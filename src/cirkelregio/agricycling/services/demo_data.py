# SPDX-License-Identifier: EUPL-1.2
"""Load the Agricycling demo (``data/demo/<region>/agricycling/``): a season with
invented tariffs (``season.json``), fictitious farms with their capacity
(``farms.csv``), fictitious mowing parcels of municipalities, the province and a
water board (``parcels.geojson``; the region's reference and registry demo data
must be loaded first, they hold the owners), invented compost batches, and one
split allocation run when the season has none. Everything is marked ``is_demo``.
Loading again changes nothing but what the files change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from cirkelregio.agricycling.models import AllocationRun, CompostBatch, Farm
from cirkelregio.agricycling.services.imports import (
    ImportReport,
    import_farms,
    import_parcels,
)
from cirkelregio.agricycling.services.runs import (
    allocation_run,
    season_create,
    tariffs_set,
)
from cirkelregio.engine.dataio import Collector, DataLoadError, Problem, read_json


@dataclass
class DemoReport:
    season: str
    farms: ImportReport
    parcels: ImportReport
    batches: int
    run: int | None

    def __str__(self) -> str:
        run = f"run #{self.run}" if self.run else "no new run"
        return (
            f"Agricycling demo season {self.season}\n{self.farms}\n{self.parcels}\n"
            f"{self.batches} compost batches; {run}"
        )


@transaction.atomic
def agricycling_demo_load(*, directory: Path) -> DemoReport:
    directory = Path(directory)
    c = Collector()
    data = read_json(directory / "season.json", c)
    c.raise_if_any()
    if not isinstance(data, dict) or not isinstance(data.get("season"), dict):
        raise DataLoadError([Problem("season.json", "needs a season object")])
    s = data["season"]
    season = season_create(
        actor=None,
        label=str(s["label"]),
        starts_on=dt.date.fromisoformat(s["starts_on"]),
        ends_on=dt.date.fromisoformat(s["ends_on"]),
        demo=True,
    )
    t = data.get("tariffs") or {}

    def dec(name: str) -> Decimal | None:
        return None if t.get(name) is None else Decimal(str(t[name]))

    tariffs_set(
        actor=None,
        season=season,
        fee_eur_per_t=dec("fee_eur_per_t"),
        transport_eur_per_tkm=dec("transport_eur_per_tkm"),
        composting_eur_per_t=dec("composting_eur_per_t"),
        compost_value_eur_per_t=dec("compost_value_eur_per_t"),
        compost_yield=dec("compost_yield"),
        compost_value_to=str(t.get("compost_value_to", "farm")),
        source=str(t.get("source", "")),
        demo=True,
    )
    farms = import_farms(directory / "farms.csv", season=season, demo=True)
    parcels = import_parcels(directory / "parcels.geojson", demo=True)
    batches = 0
    for i, b in enumerate(data.get("batches") or []):
        farm = Farm.objects.filter(name=b.get("farm")).first()
        if farm is None:
            raise DataLoadError(
                [
                    Problem(
                        "season.json",
                        "unknown farm",
                        record=f"batches[{i}]",
                        field="farm",
                    )
                ]
            )
        values = {k: v for k, v in b.items() if k not in ("farm", "code")}
        if values.get("certified_on"):
            values["certified_on"] = dt.date.fromisoformat(values["certified_on"])
        CompostBatch.objects.update_or_create(
            farm=farm,
            code=b["code"],
            defaults={**values, "season": season, "is_demo": True},
        )
        batches += 1
    run_id = None
    spec = data.get("run")
    if spec and not AllocationRun.objects.filter(season=season).exists():
        run = allocation_run(
            actor=None,
            season=season,
            mode=spec.get("mode", "split"),
            time_limit=float(spec.get("time_limit", 20)),
            demo=True,
        )
        run_id = run.pk
    return DemoReport(season.label, farms, parcels, batches, run_id)
