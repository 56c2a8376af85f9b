# SPDX-License-Identifier: EUPL-1.2
"""The MKI demo data: synthetic and labelled as such, idempotent, all or nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command

import pytest

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.mki import selectors
from cirkelregio.mki.models import (
    Bid,
    BillLine,
    CalculationResult,
    ProfileLibrary,
    ProfileValue,
    Project,
    Variant,
)
from cirkelregio.mki.services import mki_demo_load


@pytest.fixture
def mki_dir(demo_dir: Path) -> Path:
    return demo_dir / "mki"


def _counts() -> tuple[int, ...]:
    return (
        ProfileLibrary.objects.count(),
        ProfileValue.objects.count(),
        Project.objects.count(),
        Variant.objects.count(),
        BillLine.objects.count(),
        CalculationResult.objects.count(),
        Bid.objects.count(),
    )


def test_demo_load_is_synthetic_and_idempotent(
    reference_data: Any, mki_dir: Path
) -> None:
    report = mki_demo_load(directory=mki_dir)
    assert (report.profiles, report.projects, report.variants) == (8, 5, 9)
    library = ProfileLibrary.objects.get()
    assert library.is_synthetic and library.is_demo and library.is_published
    assert "synthetisch" in library.name and "geen NMD" in library.name
    assert library.owner is None
    # Only A2 indicators whose nmd-a2 factor is verified.
    assert set(ProfileValue.objects.values_list("indicator", flat=True)) <= {
        "GWP-total",
        "ODP",
        "AP",
        "EP-freshwater",
        "EP-marine",
        "EP-terrestrial",
        "POCP",
        "ADP-minerals-metals",
        "ADP-fossil",
        "WDP",
    }
    road = Project.objects.get(name="Groot onderhoud Hogeweg (demo)")
    assert road.owner.slug == "gemeente-amersfoort"
    assert road.is_demo and road.is_published
    assert list(road.variants.values_list("name", "is_reference")) == [
        ("Standaard asfalt", True),
        ("30 % PR", False),
        ("50 % PR", False),
        ("Laagtemperatuurasfalt", False),
    ]
    assert not CalculationResult.objects.filter(outcome="failed").exists()
    comparison = selectors.variant_comparison(project=road)
    totals = comparison.totals
    assert totals["50 % PR"] < totals["30 % PR"] < totals["Standaard asfalt"]
    assert totals["Laagtemperatuurasfalt"] < totals["Standaard asfalt"]
    monitor = {m.cbs_code: m for m in selectors.mki_monitor()}
    assert set(monitor) == {"GM0307", "GM0344"}
    assert monitor["GM0307"].zero_measurement_year == 2024
    assert [y.year for y in monitor["GM0307"].years] == [2024, 2025, 2026]

    before = _counts()
    revision = library.revision
    again = mki_demo_load(directory=mki_dir)
    assert again.results_calculated == 0
    assert _counts() == before
    library.refresh_from_db()
    assert library.revision == revision


def test_a_broken_demo_file_loads_nothing(
    reference_data: Any, mki_dir: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "mki"
    shutil.copytree(mki_dir, broken)
    data = json.loads((broken / "projects.json").read_text())
    data["projects"][0]["owner"] = "gemeente-nergens"
    data["projects"][1]["variants"][0]["lines"][0]["profile_id"] = "ONBEKEND"
    (broken / "projects.json").write_text(json.dumps(data))
    before = _counts()
    with pytest.raises(DataLoadError) as exc:
        mki_demo_load(directory=broken)
    assert [str(p) for p in exc.value.problems] == [
        "projects.json, projects[0], field 'owner': unknown organisation "
        "gemeente-nergens",
        "projects.json, projects[1].variants[0].lines[0], field 'profile_id': "
        "unknown profile 'ONBEKEND'",
    ]
    assert _counts() == before
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("mki_load_demo", str(broken))
