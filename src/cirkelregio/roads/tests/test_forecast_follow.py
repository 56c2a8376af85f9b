# SPDX-License-Identifier: EUPL-1.2
"""The supply forecast follows the road manager's imports and changes at once
(``services.forecast_follow``), in the same transaction as the write.

Section W1 is a line of 1000 m2 centred on 52.05 N, 5.03 E. Its passport: 1 AC 11
surf 40 mm, 2 AC 16 bin 50 mm, both measured at 2.4 t/m3, on 3 AC 22 base 80 mm
with PAK 500 mg/kg (tar-containing). Section W2 (500 m2) has a tar-containing top
layer of 60 mm at 2.4 t/m3 (PAK 300).

- P1 mills 40 mm of W1: 1000 x 0.040 x 2.4 = 96 t tar-free, offered.
- P1 again, milling 90 mm: 1000 x (0.040 + 0.050) x 2.4 = 216 t.
- W1's top layer measured at 2.0 t/m3 instead: 1000 x 0.040 x 2.0 = 80 t.
- W1 with a paved area of 1500 m2: 1500 x 0.040 x 2.4 = 144 t.
- P2 mills 50 mm of W2: 500 x 0.050 x 2.4 = 60 t, all tar-containing: nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied

import pytest

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.exchange.models import Listing
from cirkelregio.exchange.tests.factories import MaterialClassFactory
from cirkelregio.roads import services
from cirkelregio.roads.models import MaintenanceWork, RoadSection, WorkStatus
from cirkelregio.roads.tests.conftest import Roads, write

SECTIONS = (
    "external_id,name,road_type,area_m2,geometry\n"
    'W1,Demo Dorpsstraat,residential_street,{area},"LINESTRING (5.02 52.05, '
    '5.04 52.05)"\n'
    'W2,Demo Kade,residential_street,500,"LINESTRING (5.06 52.07, 5.07 52.07)"\n'
)
PASSPORTS = (
    "section,valid_from,data_source,position,mixture,thickness_mm,pak_mg_per_kg,"
    "density_t_per_m3,density_source\n"
    "W1,2020-01-01,survey,1,AC 11 surf,40,,{top},cores 2024\n"
    "W1,2020-01-01,survey,2,AC 16 bin,50,,2.4,cores 2024\n"
    "W1,2020-01-01,survey,3,AC 22 base,80,500,,\n"
    "W2,2020-01-01,survey,1,AC 16 surf,60,300,2.4,cores 2024\n"
)
WORKS = (
    "external_id,section,window_start,window_end,work_type,removal_depth_mm\n"
    "P1,W1,{start},{end},milling_and_overlay,{depth}\n"
    "P2,W2,2027-04-01,2027-09-30,milling_and_overlay,50\n"
)


@pytest.fixture
def asphalt(roads: Roads) -> None:
    MaterialClassFactory(code="asfaltgranulaat", unit="t", tonnes_per_unit=1.0)


def _import(
    roads: Roads,
    tmp_path: Path,
    kind: str,
    text: str,
) -> services.ImportReport:
    run = {
        "sections": services.import_sections,
        "passports": services.import_passports,
        "works": services.import_works,
    }[kind]
    return run(
        write(tmp_path, f"{kind}.csv", text),
        authority=roads.town,
        actor=roads.town_editor,
    )


def _plan(
    roads: Roads,
    tmp_path: Path,
    *,
    depth: int = 40,
    start: str = "2027-04-01",
    end: str = "2027-09-30",
) -> services.ImportReport:
    _import(roads, tmp_path, "sections", SECTIONS.format(area=1000))
    _import(roads, tmp_path, "passports", PASSPORTS.format(top=2.4))
    return _works(roads, tmp_path, depth=depth, start=start, end=end)


def _works(
    roads: Roads,
    tmp_path: Path,
    *,
    depth: int = 40,
    start: str = "2027-04-01",
    end: str = "2027-09-30",
) -> services.ImportReport:
    return _import(
        roads, tmp_path, "works", WORKS.format(depth=depth, start=start, end=end)
    )


def _listing(external_id: str) -> Listing | None:
    work = MaintenanceWork.objects.get(external_id=external_id)
    return Listing.objects.filter(reference=f"roads-work-{work.pk}").first()


def _asphalt_listings() -> list[Listing]:
    return list(Listing.objects.filter(reference__startswith="roads-work-"))


def test_importing_works_offers_their_reclaimed_asphalt(
    roads: Roads, asphalt: None, tmp_path: Path
) -> None:
    report = _plan(roads, tmp_path)
    assert report.forecast is not None
    assert (report.forecast.created, report.forecast.withdrawn) == (1, 0)
    listing = _listing("P1")
    assert listing is not None
    assert (listing.kind, listing.status, listing.is_published) == (
        "supply",
        "open",
        True,
    )
    assert listing.owner == roads.town
    assert listing.material.code == "asfaltgranulaat"
    assert listing.quantity == pytest.approx(96.0)
    assert (listing.window_from, listing.window_until) == (
        dt.date(2027, 4, 1),
        dt.date(2027, 9, 30),
    )
    assert (listing.lat, listing.lon) == pytest.approx((52.05, 5.03))
    # P2 releases only tar-containing asphalt: never offered.
    assert _listing("P2") is None
    assert len(_asphalt_listings()) == 1
    assert "Supply forecast: 1 created" in str(report)


def test_importing_again_updates_the_listing(
    roads: Roads, asphalt: None, tmp_path: Path
) -> None:
    _plan(roads, tmp_path)
    before = _listing("P1")
    assert before is not None
    report = _works(roads, tmp_path, depth=90, start="2027-05-01", end="2027-10-31")
    assert report.forecast is not None and report.forecast.updated == 1
    listing = _listing("P1")
    assert listing is not None and listing.pk == before.pk
    assert listing.quantity == pytest.approx(216.0)
    assert (listing.window_from, listing.window_until) == (
        dt.date(2027, 5, 1),
        dt.date(2027, 10, 31),
    )
    # Unchanged when nothing changes.
    again = _works(roads, tmp_path, depth=90, start="2027-05-01", end="2027-10-31")
    assert again.forecast is not None
    assert (again.forecast.updated, again.forecast.unchanged) == (0, 1)


def test_a_changed_passport_or_section_changes_the_tonnes(
    roads: Roads, asphalt: None, tmp_path: Path
) -> None:
    _plan(roads, tmp_path)
    report = _import(roads, tmp_path, "passports", PASSPORTS.format(top=2.0))
    assert report.forecast is not None and report.forecast.updated == 1
    listing = _listing("P1")
    assert listing is not None and listing.quantity == pytest.approx(80.0)
    _import(roads, tmp_path, "passports", PASSPORTS.format(top=2.4))
    report = _import(roads, tmp_path, "sections", SECTIONS.format(area=1500))
    assert report.forecast is not None and report.forecast.updated == 1
    listing.refresh_from_db()
    assert listing.quantity == pytest.approx(144.0)


def test_removing_the_passport_withdraws(
    roads: Roads, asphalt: None, tmp_path: Path
) -> None:
    # Without a passport in force the work releases nothing known.
    _plan(roads, tmp_path)
    section = RoadSection.objects.get(external_id="W1")
    services.passport_delete(actor=roads.town_editor, passport=section.passports.get())
    listing = _listing("P1")
    assert listing is not None
    assert (listing.status, listing.closed_reason) == ("closed", "withdrawn")


def test_a_removed_or_done_work_is_withdrawn(
    roads: Roads, asphalt: None, tmp_path: Path
) -> None:
    _plan(roads, tmp_path)
    work = MaintenanceWork.objects.get(external_id="P1")
    listing = _listing("P1")
    assert listing is not None
    services.work_update(actor=roads.town_editor, work=work, removal_depth_mm=90)
    listing.refresh_from_db()
    assert listing.quantity == pytest.approx(216.0)
    services.work_update(actor=roads.town_editor, work=work, status=WorkStatus.DONE)
    listing.refresh_from_db()
    assert (listing.status, listing.closed_reason) == ("closed", "withdrawn")

    # A new work is offered at once; removing it withdraws its listing.
    section = RoadSection.objects.get(external_id="W1")
    new = services.work_create(
        actor=roads.town_editor,
        section=section,
        external_id="P3",
        window_start=dt.date(2028, 3, 1),
        window_end=dt.date(2028, 6, 30),
        work_type="milling_and_overlay",
        removal_depth_mm=40,
    )
    created = Listing.objects.get(reference=f"roads-work-{new.pk}")
    assert created.status == "open" and created.quantity == pytest.approx(96.0)
    services.work_delete(actor=roads.town_editor, work=new)
    created.refresh_from_db()
    assert (created.status, created.closed_reason) == ("closed", "withdrawn")
    # Removing the section withdraws nothing more (P1 is closed already) and
    # leaves no open listing of its works.
    services.section_delete(actor=roads.town_editor, section=section)
    assert not Listing.objects.filter(
        reference__startswith="roads-work-", status="open"
    ).exists()


def test_removing_a_section_withdraws_its_works_listings(
    roads: Roads, asphalt: None, tmp_path: Path
) -> None:
    _plan(roads, tmp_path)
    listing = _listing("P1")
    assert listing is not None
    services.section_delete(
        actor=roads.town_editor, section=RoadSection.objects.get(external_id="W1")
    )
    listing.refresh_from_db()
    assert (listing.status, listing.closed_reason) == ("closed", "withdrawn")


def test_a_refused_file_changes_nothing_on_the_exchange(
    roads: Roads, asphalt: None, tmp_path: Path
) -> None:
    _plan(roads, tmp_path)
    bad = WORKS.format(depth=90, start="2027-04-01", end="2027-09-30") + (
        "P4,W1,2027-04-01,2027-09-30,resurfacing,40\n"
    )
    with pytest.raises(DataLoadError):
        _import(roads, tmp_path, "works", bad)
    listing = _listing("P1")
    assert listing is not None and listing.quantity == pytest.approx(96.0)


def test_a_failing_forecast_undoes_the_import(
    roads: Roads, asphalt: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All or nothing: the forecast runs in the import's transaction."""
    _import(roads, tmp_path, "sections", SECTIONS.format(area=1000))
    _import(roads, tmp_path, "passports", PASSPORTS.format(top=2.4))

    def refuse(**kwargs: object) -> None:
        raise PermissionDenied

    monkeypatch.setattr(
        "cirkelregio.exchange.services.listing_create", refuse, raising=True
    )
    with pytest.raises(PermissionDenied):
        _works(roads, tmp_path)
    assert not MaintenanceWork.objects.exists()
    assert not _asphalt_listings()


def test_without_the_exchange_catalogue_imports_still_work(
    roads: Roads, tmp_path: Path
) -> None:
    report = _plan(roads, tmp_path)
    assert report.created == 2 and report.forecast is None
    assert not _asphalt_listings()


def test_another_authoritys_listing_is_not_touched(
    roads: Roads, asphalt: None, tmp_path: Path
) -> None:
    """Following works only changes their own listings: a listing of another
    work stays as it is when the town imports."""
    from cirkelregio.roads.tests import plan as plan_module

    plan = plan_module.build(roads.town, roads.province)
    services.forecast_publish()
    (earlier,) = _asphalt_listings()
    assert earlier.reference == f"roads-work-{plan.w1.pk}"
    _plan(roads, tmp_path)
    earlier.refresh_from_db()
    assert earlier.status == "open" and earlier.quantity == pytest.approx(192.0)
    assert len(_asphalt_listings()) == 2


def test_removing_a_work_in_the_admin_withdraws(
    roads: Roads, asphalt: None, tmp_path: Path
) -> None:
    from django.test import Client

    _plan(roads, tmp_path)
    work = MaintenanceWork.objects.get(external_id="P1")
    client = Client()
    client.force_login(roads.town_editor)
    response = client.post(
        f"/admin/roads/maintenancework/{work.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not MaintenanceWork.objects.filter(pk=work.pk).exists()
    listing = Listing.objects.get(reference=f"roads-work-{work.pk}")
    assert (listing.status, listing.closed_reason) == ("closed", "withdrawn")
