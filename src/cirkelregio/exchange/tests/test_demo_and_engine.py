# SPDX-License-Identifier: EUPL-1.2
"""The demo data (idempotent, all or nothing) and the web match run against the
engine's command line on the same data: the same optimum."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

from django.core.management import call_command

import pytest

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.engine.optimize.exchange_cli import main as cli_main
from cirkelregio.exchange import services
from cirkelregio.exchange.models import (
    Depot,
    Listing,
    ListingStatus,
    MaterialClass,
    RunStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange_dir(demo_dir: Path) -> Path:
    return demo_dir / "exchange"


@pytest.fixture
def loaded(mki_demo: Any, exchange_dir: Path) -> services.ExchangeDemoReport:
    return services.exchange_demo_load(directory=exchange_dir)


def test_demo_load(loaded: services.ExchangeDemoReport, exchange_dir: Path) -> None:
    assert (loaded.materials, loaded.depots) == (12, 3)
    assert loaded.supplies == 40 and loaded.demands == 40
    assert MaterialClass.objects.filter(is_demo=True).count() == 12
    for m in MaterialClass.objects.all():
        for source in (m.new_cost_source, m.new_mki_source, m.disposal_cost_source):
            assert "demo estimate" in source
    assert Listing.objects.filter(is_demo=True).count() == 80
    owners = set(Listing.objects.values_list("owner__slug", flat=True))
    assert all(slug.startswith("gemeente-") for slug in owners)
    dates = Listing.objects.values_list("window_from", "window_until")
    assert all(2026 <= a.year <= 2027 and 2026 <= b.year <= 2027 for a, b in dates)
    assert Depot.objects.filter(name__icontains="Trechterweide").exists()
    # Idempotent: loading again creates and changes nothing.
    again = services.exchange_demo_load(directory=exchange_dir)
    assert (again.created, again.updated) == (0, 0)
    assert Listing.objects.count() == 80


def test_demo_classes_linked_to_mki_demo_profiles(
    loaded: services.ExchangeDemoReport,
) -> None:
    """The links of materials.csv to the synthetic MKI demo profiles. The figures
    were worked out from data/demo/nl-utrecht/mki/profiles.csv and the nmd-a2
    factors by hand (value x factor per module and indicator, summed): DEMO-BETONBAND
    1.95230960 per m, x 1.3 (category 3) = 2.53800248; DEMO-GRANULAAT 2.6956029 per
    tonne (category 2)."""
    from cirkelregio.exchange.selectors import new_mki_by_material

    used = new_mki_by_material()
    linked = {code for code, new in used.items() if new.from_profile}
    assert linked == {"asfaltgranulaat", "betonband-100x250", "betonband-130x150"}
    assert used["asfaltgranulaat"].conversion == 1.0
    assert used["asfaltgranulaat"].eur_per_unit == pytest.approx(2.6956029, abs=1e-9)
    assert used["betonband-100x250"].eur_per_unit == pytest.approx(
        1.25 * 2.53800248, abs=1e-9
    )
    assert used["betonband-130x150"].eur_per_unit == pytest.approx(
        0.975 * 2.53800248, abs=1e-9
    )
    assert all("synthetische" in used[c].library for c in linked)
    # The others keep their demo estimate.
    assert used["tegel-30x30"].eur_per_unit == 0.9
    assert not used["tegel-30x30"].from_profile


def test_demo_load_needs_the_mki_demo_profiles(
    reference_data: Any, exchange_dir: Path
) -> None:
    with pytest.raises(DataLoadError) as info:
        services.exchange_demo_load(directory=exchange_dir)
    message = str(info.value)
    assert "materials.csv, line 13, field 'new_mki_profile'" in message
    assert "unknown profile DEMO-GRANULAAT" in message
    assert not MaterialClass.objects.exists()


def test_demo_load_checks_the_mki_links(
    mki_demo: Any, exchange_dir: Path, tmp_path: Path
) -> None:
    for name in ("materials.csv", "depots.csv", "listings.csv"):
        shutil.copy(exchange_dir / name, tmp_path / name)
    path = tmp_path / "materials.csv"
    text = path.read_text(encoding="utf-8")
    # asfaltgranulaat (t, 1 t per unit) with a conversion that contradicts it.
    text = text.replace("DEMO-GRANULAAT,,nmd-a2", "DEMO-GRANULAAT,0.5,nmd-a2")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataLoadError) as info:
        services.exchange_demo_load(directory=tmp_path)
    message = str(info.value)
    assert "materials.csv, line 13, field 'new_mki_conversion'" in message
    assert "The profile is per tonne and one t is 1 t" in message
    assert not MaterialClass.objects.exists()


def test_demo_load_is_all_or_nothing(
    mki_demo: Any, exchange_dir: Path, tmp_path: Path
) -> None:
    for name in ("materials.csv", "depots.csv", "listings.csv"):
        shutil.copy(exchange_dir / name, tmp_path / name)
    text = (tmp_path / "listings.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines[-1] = lines[-1].replace("gemeente-", "gemeente-onbekend-", 1)
    (tmp_path / "listings.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataLoadError) as info:
        services.exchange_demo_load(directory=tmp_path)
    assert "listings.csv, line 81, field 'owner'" in str(info.value)
    assert not MaterialClass.objects.exists()
    assert not Listing.objects.exists()


def test_command(mki_demo: Any, exchange_dir: Path) -> None:
    out = io.StringIO()
    call_command("exchange_load_demo", str(exchange_dir), stdout=out)
    assert "40 supply and 40 demand listings" in out.getvalue()


def _export(directory: Path, new_mki: dict[str, Any]) -> list[str]:
    """The open listings and active depots as the engine's four CSV files, written
    here from the database independently of the app's adapter; the new product MKI
    as the run recorded it (``new_mki``: per material code)."""
    with (directory / "materials.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "material",
                "unit",
                "tonnes_per_unit",
                "new_cost_eur",
                "new_mki_eur",
                "disposal_cost_eur",
            ]
        )
        for m in MaterialClass.objects.all():
            w.writerow(
                [
                    m.code,
                    m.unit,
                    repr(m.tonnes_per_unit),
                    repr(m.new_cost_eur),
                    repr(new_mki[m.code]["eur_per_unit"]),
                    repr(m.disposal_cost_eur),
                ]
            )
    for kind, name, cols in (
        ("supply", "supply.csv", ("available_from", "available_until")),
        ("demand", "demand.csv", ("needed_from", "needed_until")),
    ):
        with (directory / name).open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "material", "quantity", "lat", "lon", *cols])
            for x in Listing.objects.filter(kind=kind, status=ListingStatus.OPEN):
                w.writerow(
                    [
                        f"L{x.pk}",
                        x.material.code,
                        repr(x.quantity - x.reserved_quantity),
                        repr(x.lat),
                        repr(x.lon),
                        x.window_from.isoformat(),
                        x.window_until.isoformat(),
                    ]
                )
    with (directory / "depots.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "id",
                "lat",
                "lon",
                "capacity_tonnes",
                "storage_eur_per_tonne_week",
                "handling_eur_per_tonne",
            ]
        )
        for k in Depot.objects.filter(is_active=True):
            w.writerow(
                [
                    f"depot{k.pk}",
                    repr(k.lat),
                    repr(k.lon),
                    repr(k.capacity_tonnes),
                    repr(k.storage_eur_per_tonne_week),
                    repr(k.handling_eur_per_tonne),
                ]
            )
    return [
        f"--{n}={directory / (n + '.csv')}"
        for n in ("materials", "supply", "demand", "depots")
    ]


@pytest.mark.slow
def test_web_run_and_engine_cli_give_the_same_optimum(
    loaded: services.ExchangeDemoReport, tmp_path: Path
) -> None:
    run = services.match_run_start(actor=None, parameters={"max_distance_km": 40.0})
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.proposals.exists()
    out, err = io.StringIO(), io.StringIO()
    code = cli_main(
        [*_export(tmp_path, run.new_mki), "--max-distance-km", "40"],
        stdout=out,
        stderr=err,
    )
    assert code == 0, err.getvalue()
    cli = json.loads(out.getvalue())
    assert cli["objective_eur"] == pytest.approx(run.objective_eur, rel=1e-6, abs=1e-6)
    assert cli["baseline_eur"] == pytest.approx(run.baseline_eur, rel=1e-9)
    assert run.savings_eur > 0
    # The same run started through the API, by a coordinator: the same optimum.
    from rest_framework.test import APIClient

    from cirkelregio.accounts.tests.factories import CoordinatorFactory

    client = APIClient()
    client.force_authenticate(CoordinatorFactory())
    r = client.post(
        "/api/v1/exchange/match-runs/", {"max_distance_km": 40.0}, format="json"
    )
    assert r.status_code == 201, r.content
    api = r.json()
    assert api["run_status"] == "succeeded"
    assert api["objective_eur"] == pytest.approx(cli["objective_eur"], rel=1e-6)
    assert api["baseline_eur"] == pytest.approx(cli["baseline_eur"], rel=1e-9)
