# SPDX-License-Identifier: EUPL-1.2
"""Bundling across road authorities on the demo data: ``selectors.bundles`` builds
the engine's works from the maintenance works (section geometry, authority, window,
tonnes of the new layers) and ``GET /api/v1/roads/bundles/`` shows them to whoever
may read the works.

Hand-checked on ``data/demo/nl-utrecht/roads``: in 2027 the municipality's work
DEMO-U-2027-01 (1 June - 31 October) lies 147.9 m from the province's DEMO-P-2027-01
(1 April - 30 September) and 137.5 m from DEMO-P-2027-02 (the whole year); the two
province works are of one authority, so never compatible themselves. At 500 m the
three form one bundle with the common window 1 June - 30 September 2027 and 450 t of
PA 16 (4500 m² x 50 mm x 2.0 t/m³ of the catalogue); with a design density of
2.4 t/m³ set here, the municipality's new layers over 2800 m² need 201.6 t of
AC 11 surf (30 mm) and 336 t of AC 16 bin (50 mm). At 140 m only DEMO-U-2027-01 and
DEMO-P-2027-02 remain (window 1 June - 31 October); at 100 m nothing bundles.
DEMO-U-2028-01 is in 2028 alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

import pytest
from rest_framework.test import APIClient

from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)
from cirkelregio.regions.models import Organisation
from cirkelregio.regions.tests.factories import OrganisationFactory
from cirkelregio.roads import selectors, services
from cirkelregio.roads.models import MaintenanceWork, WorkLayer, WorkStatus

API = "/api/v1/roads/bundles/"
DEMO = Path(settings.DATA_DIR) / "demo" / "nl-utrecht" / "roads"


@dataclass
class Demo:
    town: Organisation
    province: Organisation
    town_editor: User
    province_editor: User
    coordinator: User

    def work(self, external_id: str) -> MaintenanceWork:
        return MaintenanceWork.objects.get(external_id=external_id)


@pytest.fixture
def demo(db: Any) -> Demo:
    town = OrganisationFactory(
        slug="gemeente-utrecht", name="Gemeente Utrecht", kind="municipality"
    )
    province = OrganisationFactory(
        slug="provincie-utrecht", name="Provincie Utrecht", kind="province"
    )
    services.roads_demo_load(directory=DEMO)
    # A design density of our own for the municipality's new layers, so that the
    # tonnes do not depend on the demo file's figures.
    WorkLayer.objects.filter(work__external_id="DEMO-U-2027-01").update(
        density_t_per_m3=2.4, density_source="test"
    )
    return Demo(
        town=town,
        province=province,
        town_editor=EditorFactory(organisation=town),
        province_editor=EditorFactory(organisation=province),
        coordinator=CoordinatorFactory(),
    )


def _external(found: selectors.Bundles, ids: Any) -> list[str]:
    return [found.works[i].external_id for i in ids]


def test_the_demo_works_of_2027_form_one_bundle_across_two_authorities(
    demo: Demo,
) -> None:
    found = selectors.bundles(year=2027)
    assert len(found.result.bundles) == 1
    bundle = found.result.bundles[0]
    # Input order: by window start (P-02 on 1 January, P-01 on 1 April, U on 1 June).
    assert _external(found, bundle.members) == [
        "DEMO-P-2027-02",
        "DEMO-P-2027-01",
        "DEMO-U-2027-01",
    ]
    assert bundle.authorities == ("gemeente-utrecht", "provincie-utrecht")
    assert bundle.window == (dt.date(2027, 6, 1), dt.date(2027, 9, 30))
    assert bundle.tonnes == pytest.approx(
        {"AC 11 surf": 201.6, "AC 16 bin": 336.0, "PA 16": 450.0}
    )
    pairs = [
        (found.works[p.a].external_id, found.works[p.b].external_id, p.distance_m)
        for p in bundle.pairs
    ]
    assert [(a, b) for a, b, _ in pairs] == [
        ("DEMO-P-2027-02", "DEMO-U-2027-01"),
        ("DEMO-P-2027-01", "DEMO-U-2027-01"),
    ]
    assert [d for _, _, d in pairs] == pytest.approx([137.5, 147.9], abs=0.1)
    assert found.result.unbundled == ()
    assert (found.date_from, found.date_to) == (
        dt.date(2027, 1, 1),
        dt.date(2027, 12, 31),
    )


def test_a_smaller_distance_leaves_a_smaller_bundle_and_then_none(demo: Demo) -> None:
    found = selectors.bundles(year=2027, distance_m=140)
    (bundle,) = found.result.bundles
    assert _external(found, bundle.members) == ["DEMO-P-2027-02", "DEMO-U-2027-01"]
    assert bundle.window == (dt.date(2027, 6, 1), dt.date(2027, 10, 31))
    assert bundle.tonnes == pytest.approx({"AC 11 surf": 201.6, "AC 16 bin": 336.0})
    assert _external(found, [w.id for w in found.result.unbundled]) == [
        "DEMO-P-2027-01"
    ]
    assert selectors.bundles(year=2027, distance_m=100).result.bundles == ()


def test_other_years_authorities_and_done_works_are_left_out(demo: Demo) -> None:
    found = selectors.bundles(year=2028)
    assert found.result.bundles == ()
    assert _external(found, [w.id for w in found.result.unbundled]) == [
        "DEMO-U-2028-01"
    ]
    only_province = selectors.bundles(year=2027, authorities=["provincie-utrecht"])
    assert only_province.result.bundles == ()
    assert len(only_province.works) == 2
    MaintenanceWork.objects.filter(external_id="DEMO-U-2027-01").update(
        status=WorkStatus.DONE
    )
    assert selectors.bundles(year=2027).result.bundles == ()


def test_a_period_selects_the_works_whose_window_meets_it(demo: Demo) -> None:
    # 1-15 April 2027: the province's works only (the municipality's starts in June).
    found = selectors.bundles(
        date_from=dt.date(2027, 4, 1), date_to=dt.date(2027, 4, 15)
    )
    assert sorted(w.external_id for w in found.works.values()) == [
        "DEMO-P-2027-01",
        "DEMO-P-2027-02",
    ]
    assert found.result.bundles == ()


def _get(user: User | None, **params: Any) -> Any:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client.get(API, params)


def test_the_api_lists_the_bundle_with_its_works_and_window(demo: Demo) -> None:
    response = _get(None, year=2027, distance_m=500)
    assert response.status_code == 200
    body = response.json()
    assert (body["works"], body["bundled_works"], body["distance_m"]) == (3, 3, 500.0)
    (bundle,) = body["bundles"]
    assert bundle["number"] == 1
    assert bundle["authorities"] == ["gemeente-utrecht", "provincie-utrecht"]
    assert bundle["window"] == {"start": "2027-06-01", "end": "2027-09-30"}
    assert bundle["tonnes"] == pytest.approx(
        {"AC 11 surf": 201.6, "AC 16 bin": 336.0, "PA 16": 450.0}
    )
    assert [w["external_id"] for w in bundle["works"]] == [
        "DEMO-P-2027-02",
        "DEMO-P-2027-01",
        "DEMO-U-2027-01",
    ]
    u = demo.work("DEMO-U-2027-01")
    first = bundle["works"][2]
    assert first["id"] == u.pk and first["authority"] == "gemeente-utrecht"
    assert first["section_external_id"] == "DEMO-U-001"
    assert first["url"].endswith(f"/api/v1/roads/works/{u.pk}/")
    assert [p["distance_m"] for p in bundle["pairs"]] == [137.5, 147.9]
    assert {p["b"] for p in bundle["pairs"]} == {u.pk}
    assert body["unbundled"] == []


def test_the_api_filters_by_authority(demo: Demo) -> None:
    response = _get(None, year=2027, authority="gemeente-utrecht")
    assert response.json()["bundles"] == []
    assert response.json()["works"] == 1
    both = APIClient().get(
        API + "?year=2027&authority=gemeente-utrecht&authority=provincie-utrecht"
    )
    assert len(both.json()["bundles"]) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "twenty"}, "year"),
        ({"distance_m": "-1"}, "distance_m"),
        ({"distance_m": "far"}, "distance_m"),
        ({"distance_m": "100000"}, "distance_m"),
        ({"authority": "nergens"}, "authority"),
        ({"date_from": "2027-05-01", "date_to": "2027-04-01"}, "date_to"),
    ],
)
def test_bad_parameters_are_answered_with_problem_details(
    demo: Demo, params: dict[str, str], field: str
) -> None:
    response = _get(None, **params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    names = [p["name"] for p in response.json()["invalid_params"]]
    assert any(n.startswith(field) for n in names), names


def test_works_of_an_unpublished_authority_only_for_its_managers_and_coordinators(
    demo: Demo,
) -> None:
    demo.province.is_published = False
    demo.province.save()
    seen = {
        "anonymous": _get(None, year=2027),
        "member": _get(UserFactory(), year=2027),
        "town editor": _get(demo.town_editor, year=2027),
        "province editor": _get(demo.province_editor, year=2027),
        "coordinator": _get(demo.coordinator, year=2027),
    }
    counts = {who: len(r.json()["bundles"]) for who, r in seen.items()}
    assert counts == {
        "anonymous": 0,
        "member": 0,
        "town editor": 0,
        "province editor": 1,
        "coordinator": 1,
    }
    assert seen["anonymous"].json()["works"] == 1


def test_only_get(demo: Demo) -> None:
    client = APIClient()
    client.force_authenticate(demo.coordinator)
    assert client.post(API, {}).status_code == 405
