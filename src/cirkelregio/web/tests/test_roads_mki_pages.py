# SPDX-License-Identifier: EUPL-1.2
"""The pages of mixture harmonisation (/wegen/harmonisatie/) and the asphalt MKI
(/wegen/mki/) with the region's reference data, the synthetic MKI demo profiles and
the roads demo data (its substitutions and MKI variants): who may start a run, what
the result shows and how bad input is answered. The figures themselves are pinned
in the roads app's tests.

In the demo, the municipality's work DEMO-U-2027-01 lays AC 11 surf (197.4 t) and
AC 16 bin (329 t); the demo substitutions let AC 11 surf serve AC 16 bin, so the
fewest mixtures is one."""

from __future__ import annotations

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
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.regions.tests.factories import OrganisationFactory

DEMO = Path(settings.DATA_DIR) / "demo" / "nl-utrecht"
PAGE = "/en/wegen/harmonisatie/"


@pytest.fixture
def users(reference_data: Any) -> dict[str, Any]:
    from cirkelregio.mki.services import mki_demo_load
    from cirkelregio.roads.services import roads_demo_load

    mki_demo_load(directory=DEMO / "mki")
    roads_demo_load(directory=DEMO / "roads")
    town = region_selectors.organisation_list().get(slug="gemeente-utrecht")
    company = OrganisationFactory(slug="aannemer", name="Aannemer", kind="company")
    return {
        "anonymous": None,
        "member": UserFactory(organisation=town),
        "company": EditorFactory(organisation=company),
        "manager": EditorFactory(organisation=town),
        "coordinator": CoordinatorFactory(),
    }


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_everyone_reads_road_managers_start(users: dict[str, Any]) -> None:
    page = _client(None).get(PAGE)
    assert page.status_code == 200
    assert b'name="year_from"' not in page.content
    assert b"No harmonisation has been run yet." in page.content
    for who in ("manager", "coordinator"):
        page = _client(users[who]).get(PAGE)
        assert b'name="year_from"' in page.content


@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("member", 403), ("company", 403)]
)
def test_others_may_not_start(users: dict[str, Any], who: str, status: int) -> None:
    response = _client(users[who]).post(PAGE, {"year_from": "2027", "families": "ac"})
    assert response.status_code == status
    if status == 302:
        assert "/login/" in response["Location"] or "login" in response["Location"]


def test_the_demo_harmonised_to_one_mixture(users: dict[str, Any]) -> None:
    response = _client(users["manager"]).post(
        PAGE,
        {"year_from": "2027", "year_to": "2027", "families": ["ac", "sma"]},
        follow=True,
    )
    # Run as a job (the immediate backend): the page of its run follows.
    assert response.redirect_chain[0][0].startswith(PAGE + "?run=")
    assert response.status_code == 200
    text = response.content.decode()
    assert "2 as planned, 1 harmonised" in text
    assert "AC 11 surf" in text and "DEMO-U-2027-01" in text
    assert 'id="chart-harmonisation-title"' in text
    # Read again later, by anyone.
    again = _client(None).get(PAGE).content.decode()
    assert "2 as planned, 1 harmonised" in again


@pytest.mark.parametrize(
    "data, text",
    [
        ({"year_from": "twenty", "families": "ac"}, "Enter a whole number."),
        ({"year_from": "2027", "families": "ac", "k": "0"}, "at least 1"),
        ({"year_from": "2027"}, "Choose at least one family of mixtures."),
        # Porous asphalt has no MKI profile in the demo: the work and layer are named.
        (
            {"year_from": "2027", "families": ["ac", "pa"]},
            "Work DEMO-P-2027-01 of provincie-utrecht, layer 1 (PA 16)",
        ),
    ],
)
def test_bad_input_is_shown(
    users: dict[str, Any], data: dict[str, Any], text: str
) -> None:
    response = _client(users["coordinator"]).post(PAGE, data)
    assert response.status_code == 400
    content = response.content.decode()
    assert text in content and "Nothing was harmonised" in content


def test_mki_page(users: dict[str, Any]) -> None:
    response = _client(None).get("/en/wegen/mki/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Gemeente Utrecht" in text and 'id="chart-road-mki-title"' in text
    assert "At least 50 % PR" in text
    response = _client(None).get("/en/wegen/mki/", {"pr": "abc"})
    assert "Enter a PR share from 0 to 100 %." in response.content.decode()
    one = _client(None).get(
        "/en/wegen/mki/", {"authority": "provincie-utrecht", "pr": "30"}
    )
    table = one.content.decode().split('id="mki-caption"')[-1]
    assert "Provincie Utrecht" in table and "Gemeente Utrecht" not in table


def test_the_regional_mki_monitor_shows_the_planned_asphalt(
    users: dict[str, Any],
) -> None:
    """The MKI monitor carries the asphalt of the maintenance plans as planned, per
    authority and year: the same euros as the roads app's plan table."""
    from cirkelregio.roads import selectors as roads_selectors

    rows = roads_selectors.plan_mki_table()
    assert rows, "the roads demo has planned works with asphalt layers"
    page = _client(None).get("/en/mki/monitor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Asphalt in the maintenance plans" in html
    table = html.split('id="asphalt-caption"', 1)[1].split("</table>", 1)[0]
    for row in rows:
        assert row.name in table
        assert f"{round(row.mki_eur['planned']):,}" in table
