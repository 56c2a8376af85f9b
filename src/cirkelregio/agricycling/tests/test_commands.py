# SPDX-License-Identifier: EUPL-1.2
"""The commands: imports (nothing written on a problem), a run, the demo."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from cirkelregio.agricycling.models import AllocationRun, Farm, MowingParcel
from cirkelregio.agricycling.tests.conftest import set_tariffs, write


def test_import_and_run_commands(agri: Any, tmp_path: Path) -> None:
    parcels = write(
        tmp_path,
        "p.csv",
        "external_id,name,geometry,tonnes_per_season\n"
        'P1,a,"LINESTRING (5.010 52.010, 5.012 52.010)",10\n',
    )
    farms = write(tmp_path, "f.csv", "name,lat,lon,capacity_t\nF1,52.012,5.020,0\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("agricycling_import_farms", str(farms), season="2026")
    assert Farm.objects.count() == 0
    farms.write_text("name,lat,lon,capacity_t\nF1,52.012,5.020,8\n", encoding="utf-8")
    call_command(
        "agricycling_import_farms", str(farms), season="2026", stdout=StringIO()
    )
    call_command(
        "agricycling_import_parcels",
        str(parcels),
        owner="gemeente-a",
        stdout=StringIO(),
    )
    assert MowingParcel.objects.count() == 1
    with pytest.raises(CommandError, match="has no tariffs"):
        call_command("agricycling_run", season="2026")
    set_tariffs(agri.season)
    out = StringIO()
    call_command("agricycling_run", season="2026", mode="whole", stdout=out)
    run = AllocationRun.objects.get()
    # P1 (10 t) goes whole or not at all; F1 holds 8 t: nothing is placed.
    assert (run.placed_tonnes, run.unplaced_tonnes) == (0.0, 10.0)
    assert run.result["unplaced"][0]["reason"] == "farms_full"
    assert f"Run #{run.pk}: optimal, 0 t placed, 10 t not placed" in out.getvalue()
