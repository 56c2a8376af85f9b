# SPDX-License-Identifier: EUPL-1.2
"""The Agricycling pages (/agricycling/) with the region's reference and demo data
and the Agricycling demo: who sees what, the run form and its messages, the
settlement that balances with a totals row, the CSV statement per party and the
municipality section. The figures themselves are pinned in the app's tests."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

import pytest

from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)
from cirkelregio.agricycling import selectors, services
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.regions.tests.factories import OrganisationFactory

DEMO = Path(settings.DATA_DIR) / "demo" / "nl-utrecht" / "agricycling"
FARM = "Hoeve De Demo-Weide (demo)"


@pytest.fixture
def users(demo_data: Any) -> dict[str, Any]:
    services.agricycling_demo_load(directory=DEMO)
    lopik = region_selectors.organisation_list().get(slug="gemeente-lopik")
    farm_org = OrganisationFactory(slug="demo-weide", name="Demo-Weide", kind="company")
    farm = selectors.farm_list().get(name=FARM)
    farm.organisation = farm_org  # the farm's own organisation, for its statement
    farm.save()
    return {
        "anonymous": None,
        "member": UserFactory(organisation=lopik),
        "owner": EditorFactory(organisation=lopik),
        "farmer": EditorFactory(organisation=farm_org),
        "coordinator": CoordinatorFactory(),
    }


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "who", ["anonymous", "member", "owner", "farmer", "coordinator"]
)
@pytest.mark.parametrize(
    "path",
    ["/en/agricycling/", "/en/agricycling/allocatie/", "/en/agricycling/afrekening/"],
)
def test_every_page_opens_for_everyone(
    users: dict[str, Any], who: str, path: str
) -> None:
    page = _client(users[who]).get(path)
    assert page.status_code == 200
    text = page.content.decode()
    form = path.endswith("allocatie/") and who == "coordinator"
    assert ('name="time_limit"' in text) is form
    if path == "/en/agricycling/":
        assert "Berm N229 Wijk bij Duurstede (demo)" in text
        assert "no farm within the maximum distance" in text
        # The public sees farms without name.
        assert (FARM in text) is (who in ("farmer", "coordinator"))


def test_the_settlement_balances_with_totals_for_coordinators(
    users: dict[str, Any],
) -> None:
    run = selectors.run_list().first()
    text = (
        _client(users["coordinator"])
        .get("/en/agricycling/afrekening/")
        .content.decode()
    )
    assert "The settlement balances" in text
    table = selectors.settlement_table(run=run, user=users["coordinator"])
    assert sum((o.eur for o in table.owners), Decimal(0)) == table.fees
    assert "Total" in text and "CSV for the cooperative" in text
    assert "CSV for Gemeente Lopik" in text and "CSV for Provincie Utrecht" in text


def test_owners_and_farms_see_only_their_own_statement(users: dict[str, Any]) -> None:
    run = selectors.run_list().first()
    owner = _client(users["owner"]).get("/en/agricycling/afrekening/").content.decode()
    assert "CSV for Gemeente Lopik" in owner and "Provincie Utrecht" not in owner
    farmer = (
        _client(users["farmer"]).get("/en/agricycling/afrekening/").content.decode()
    )
    assert f"CSV for {FARM}" in farmer and "Gemeente Lopik" not in farmer
    base = f"/en/agricycling/afrekening/{run.pk}/"
    answer = _client(users["owner"]).get(base + "owner/gemeente-lopik.csv")
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0] == [
        "season",
        "party",
        "role",
        "description",
        "quantity",
        "unit",
        "eur",
    ]
    assert rows[-1][:4] == ["2026", "Gemeente Lopik", "owner", "total"]
    s = services.run_settlement(run)
    pays = {o.party: str(o.eur) for o in s.owners}
    assert rows[-1][-1] == pays["gemeente-lopik"]
    assert (
        _client(users["owner"]).get(base + "owner/provincie-utrecht.csv").status_code
        == 404
    )
    assert (
        _client(users["member"]).get(base + "owner/gemeente-lopik.csv").status_code
        == 404
    )
    assert _client(None).get(base + "owner/gemeente-lopik.csv").status_code == 302
    farm = _client(users["farmer"]).get(base + f"farm/{FARM}.csv")
    assert farm.status_code == 200
    assert (
        _client(users["farmer"]).get(base + "cooperative/cooperative.csv").status_code
        == 404
    )
    assert (
        _client(users["coordinator"])
        .get(base + "cooperative/cooperative.csv")
        .status_code
        == 200
    )


def test_only_coordinators_run_and_bad_input_is_named(users: dict[str, Any]) -> None:
    url = "/en/agricycling/allocatie/"
    body = {
        "season": "2026",
        "mode": "whole",
        "max_distance_km": "5",
        "detour_factor": "1.3",
        "time_limit": "10",
    }
    assert _client(None).post(url, body).status_code == 302
    assert _client(users["owner"]).post(url, body).status_code == 403
    bad = _client(users["coordinator"]).post(
        url, {**body, "max_distance_km": "-1", "time_limit": "x"}
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Nothing was allocated: 2 problems" in text
    assert "Enter a number from 0.1 to 100." in text and "Enter a number." in text
    before = selectors.run_list().count()
    ok = _client(users["coordinator"]).post(url, body)
    assert ok.status_code == 302
    assert selectors.run_list().count() == before + 1
    run = selectors.run_list().first()
    assert run.mode == "whole" and ok["Location"].endswith(f"run={run.pk}")
    page = _client(None).get(ok["Location"]).content.decode()
    assert f"Run #{run.pk}" in page


def test_a_season_without_tariffs_is_a_clear_message(users: dict[str, Any]) -> None:
    import datetime as dt

    services.season_create(
        actor=None,
        label="2027",
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 11, 30),
    )
    answer = _client(users["coordinator"]).post(
        "/en/agricycling/allocatie/",
        {
            "season": "2027",
            "mode": "split",
            "max_distance_km": "5",
            "detour_factor": "1.3",
            "time_limit": "5",
        },
    )
    assert answer.status_code == 400
    assert "Season 2027 has no tariffs" in answer.content.decode()


def test_unknown_season_or_run_is_not_found(users: dict[str, Any]) -> None:
    assert _client(None).get("/en/agricycling/?seizoen=1999").status_code == 404
    assert _client(None).get("/en/agricycling/afrekening/?run=99999").status_code == 404


def test_the_municipality_page_has_the_agricycling_section(
    users: dict[str, Any],
) -> None:
    text = _client(None).get("/en/gemeenten/lopik/").content.decode()
    assert "Agricycling in Lopik" in text
    figures = selectors.municipality_figures(
        municipality=region_selectors.municipality_get(slug="lopik")
    )
    assert figures is not None and figures.parcels == 3 and figures.farms == 1
    # Lopik's demo parcels: 40 t, 2 x 12 t and the water board's 28 t; what is
    # composted and what is not placed add up to them.
    assert figures.composted_t + figures.unplaced_t == pytest.approx(92.0)
