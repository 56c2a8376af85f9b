# SPDX-License-Identifier: EUPL-1.2
"""The public pages render with the real reference data and demo data, in both
languages, and show what the registry holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client

import pytest

from cirkelregio.regions.models import Municipality, Participation

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/actielijnen/",
    "/actielijnen/heel-utrecht-repareert/",
    "/actielijnen/circulair-ondernemerschap/",
    "/gemeenten/",
    "/gemeenten/utrecht/",
    "/gemeenten/renswoude/",
    "/deelname/",
    "/organisaties/provincie-utrecht/",
    "/privacy/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pages_render(
    client: Client, demo_data: Any, path: str, prefix: str
) -> None:
    response = client.get(prefix + path)
    assert response.status_code == 200
    assert response["Content-Language"] == ("en" if prefix else "nl")
    html = response.content.decode()
    assert f'<html lang="{"en" if prefix else "nl"}"' in html


def test_home_shows_the_eight_lines_in_dutch(client: Client, demo_data: Any) -> None:
    html = client.get("/").content.decode()
    for name in [
        "Utrechtse Asfaltstrategie",
        "Stenen delen in de regio",
        "MKI onder de knie",
        "Agricycling",
        "Heel Utrecht Repareert",
        "Circulaire Ambachtscentra",
    ]:
        assert name in html
    assert "De acht actielijnen" in html
    assert "26 / 26" in html


def test_english_home_uses_english_names(client: Client, demo_data: Any) -> None:
    html = client.get("/en/").content.decode()
    assert "The eight action lines" in html
    assert "Utrecht Asphalt Strategy" in html


def test_matrix_has_every_municipality_and_the_phase(
    client: Client, demo_data: Any
) -> None:
    html = client.get("/deelname/").content.decode()
    for name in Municipality.objects.values_list("name", flat=True):
        assert f">{name}</a>" in html
    assert "Verwezenlijken" in html


def test_municipality_page_lists_its_participation(
    client: Client, demo_data: Any
) -> None:
    html = client.get("/gemeenten/amersfoort/").content.decode()
    lines = Participation.objects.filter(
        organisation__municipality__slug="amersfoort"
    ).values_list("action_line__name_nl", flat=True)
    assert lines
    for name in lines:
        assert name in html
    assert 'id="municipality-map-data"' in html
    assert '"type": "Polygon"' in html or '"type": "MultiPolygon"' in html


def test_unknown_pages_are_404(client: Client, reference_data: Any) -> None:
    assert client.get("/gemeenten/atlantis/").status_code == 404
    assert client.get("/actielijnen/geen/").status_code == 404
    assert client.post("/").status_code == 405


def test_security_headers(client: Client, reference_data: Any) -> None:
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


@pytest.fixture
def mki_demo(demo_data: Any) -> Any:
    from django.conf import settings

    from cirkelregio.mki.services import mki_demo_load

    return mki_demo_load(
        directory=Path(settings.DATA_DIR) / "demo" / "nl-utrecht" / "mki"
    )


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_mki_pages_render(client: Client, mki_demo: Any, prefix: str) -> None:
    from cirkelregio.mki.models import Project, Tender

    project = Project.objects.filter(name__startswith="Groot onderhoud").get()
    tender = Tender.objects.filter(project=project).first()
    for path in [
        "/mki/",
        "/mki/monitor/",
        f"/mki/projecten/{project.pk}/",
        f"/mki/aanbestedingen/{tender.pk}/",
        "/gemeenten/amersfoort/",
    ]:
        response = client.get(prefix + path)
        assert response.status_code == 200, path
    html = client.get(f"{prefix}/mki/projecten/{project.pk}/").content.decode()
    for variant in project.variants.values_list("name", flat=True):
        assert variant in html
    assert ("niet beschikbaar" if not prefix else "not available") in html


def test_mki_project_totals_match_the_selector(client: Client, mki_demo: Any) -> None:
    from django.template.defaultfilters import floatformat

    from cirkelregio.mki import selectors as mki_selectors
    from cirkelregio.mki.models import Project

    project = Project.objects.filter(name__startswith="Groot onderhoud").get()
    comparison = mki_selectors.variant_comparison(project=project, method="nmd-a2")
    html = client.get(f"/mki/projecten/{project.pk}/").content.decode()
    for total in comparison.totals.values():
        assert floatformat(total, "2g") in html


def test_unpublished_mki_project_is_not_found_for_the_public(
    client: Client, mki_demo: Any
) -> None:
    from cirkelregio.mki.models import Project

    project = Project.objects.first()
    Project.objects.filter(pk=project.pk).update(is_published=False)
    assert client.get(f"/mki/projecten/{project.pk}/").status_code == 404


@pytest.fixture
def exchange_demo(reference_data: Any) -> Any:
    from django.conf import settings

    from cirkelregio.exchange.services import exchange_demo_load, match_run_start
    from cirkelregio.mki.services import mki_demo_load

    demo = Path(settings.DATA_DIR) / "demo" / "nl-utrecht"
    mki_demo_load(directory=demo / "mki")
    exchange_demo_load(directory=demo / "exchange")
    return match_run_start(actor=None)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_exchange_page_lists_the_open_listings(
    client: Client, exchange_demo: Any, prefix: str
) -> None:
    from cirkelregio.exchange.models import Listing

    response = client.get(prefix + "/uitwisseling/")
    assert response.status_code == 200
    html = response.content.decode()
    open_count = Listing.objects.filter(status="open", is_published=True).count()
    assert html.count('<tr class="utrecht-table__row">') - 1 >= open_count  # + header
    assert 'id="exchange-map-data"' in html
    assert '"kind": "depot"' in html


def test_exchange_filters_by_kind_and_material(
    client: Client, exchange_demo: Any
) -> None:
    from cirkelregio.exchange.models import Listing

    listing = Listing.objects.filter(status="open", kind="supply").first()
    code = listing.material.code
    expected = Listing.objects.filter(
        status="open", is_published=True, kind="supply", material__code=code
    ).count()
    html = client.get(f"/uitwisseling/?kind=supply&material={code}").content.decode()
    assert f"{expected} " in html  # the count heading
    rows = html.split('id="listings-caption"')[1].split("</tbody>")[0]
    assert rows.count("<tr ") - 1 == expected


def test_exchange_page_shows_the_savings_of_the_latest_run(
    client: Client, exchange_demo: Any
) -> None:
    from django.template.defaultfilters import floatformat

    html = client.get("/uitwisseling/").content.decode()
    assert floatformat(exchange_demo.savings_eur, "0g") in html


def test_exchange_page_shows_transport_co2_only_with_a_configured_factor(
    client: Client, exchange_demo: Any, settings: Any
) -> None:
    """Without a factor the page says why no CO2 is shown; with one it shows
    tonne-km x factor and the factor's source."""
    from django.template.defaultfilters import floatformat

    html = client.get("/en/uitwisseling/").content.decode()
    assert "no verified emission factor per tonne-km has been configured" in html
    settings.EXCHANGE_TRANSPORT_CO2_KG_PER_TKM = 0.1
    settings.EXCHANGE_TRANSPORT_CO2_SOURCE = "Test table 1 (2026)"
    html = client.get("/en/uitwisseling/").content.decode()
    assert "no verified emission factor" not in html
    assert floatformat(exchange_demo.tonne_km * 0.1, "0g") in html
    assert "Test table 1 (2026)" in html


def test_exchange_filters_by_window_and_distance(
    client: Client, exchange_demo: Any
) -> None:
    import datetime as dt

    from cirkelregio.engine.geo import haversine_km
    from cirkelregio.exchange.models import Listing
    from cirkelregio.regions.models import Postcode

    place = Postcode.objects.get(code="3511")
    start, end = dt.date(2026, 6, 1), dt.date(2026, 8, 31)
    expected = [
        item.pk
        for item in Listing.objects.filter(status="open", is_published=True)
        if item.window_until >= start
        and item.window_from <= end
        and haversine_km(place.lat, place.lon, item.lat, item.lon) <= 15
    ]
    assert expected, "the demo data should have listings in this window and radius"
    html = client.get(
        "/uitwisseling/?from=2026-06-01&until=2026-08-31&postcode=3511&radius=15"
    ).content.decode()
    rows = html.split('id="listings-caption"')[1].split("</tbody>")[0]
    assert rows.count("<tr ") - 1 == len(expected)


def test_exchange_filter_errors_are_shown_next_to_the_field(
    client: Client, exchange_demo: Any
) -> None:
    html = client.get("/uitwisseling/?from=gisteren&postcode=0000").content.decode()
    assert 'id="error-from"' in html and 'id="error-postcode"' in html
    assert 'aria-invalid="true"' in html


def test_withdrawn_listing_leaves_the_exchange_page(
    client: Client, exchange_demo: Any
) -> None:
    from cirkelregio.exchange.models import Listing
    from cirkelregio.exchange.services import listing_withdraw

    listing = Listing.objects.filter(status="open", is_published=True).first()
    marker = f"{listing.quantity:g} {listing.material.unit} ({listing.project_name})"
    html = client.get("/uitwisseling/").content.decode()
    assert marker in html  # in the map's data
    assert listing.project_name in html
    listing_withdraw(actor=None, listing=listing)
    html = client.get("/uitwisseling/").content.decode()
    assert marker not in html
    assert listing.project_name not in html


def test_municipality_page_brings_repair_and_initiatives_together(
    client: Client, reference_data: Any
) -> None:
    """Action lines 6 and 7 on the municipality page: the contact point, published
    repair places, the repair sessions of the coming weeks (a monthly session: the
    next ones listed in order), published initiatives; nothing unpublished and nothing
    of another municipality."""
    import datetime as dt

    from django.utils import timezone

    from cirkelregio.events.tests.factories import RepairEventFactory
    from cirkelregio.initiatives.models import InitiativeStatus
    from cirkelregio.initiatives.tests.factories import (
        ContactPointFactory,
        InitiativeFactory,
    )
    from cirkelregio.repair.tests.factories import RepairPlaceFactory

    home = Municipality.objects.get(slug="amersfoort")
    other = Municipality.objects.get(slug="utrecht")
    RepairPlaceFactory(name="Repair Café Zonnehof", municipality=home)
    RepairPlaceFactory(name="Verborgen plek", municipality=home, is_published=False)
    RepairPlaceFactory(name="Elders Repair Café", municipality=other)
    InitiativeFactory(name="Weggeefwinkel De Kei", municipality=home)
    InitiativeFactory(
        name="Nog niet goedgekeurd",
        municipality=home,
        status=InitiativeStatus.SUGGESTED,
    )
    from cirkelregio.regions.models import Organisation

    ContactPointFactory(
        municipality=home,
        organisation=Organisation.objects.get(municipality=home, kind="municipality"),
        role_name="Team Circulair Amersfoort",
    )
    start = timezone.localtime().replace(microsecond=0) + dt.timedelta(days=3)
    RepairEventFactory(
        title_nl="Maandelijkse reparatieochtend",
        municipality=home,
        start=start,
        end=start + dt.timedelta(hours=3),
        recurrence="FREQ=WEEKLY;INTERVAL=4;COUNT=6",
        last_end=start + dt.timedelta(weeks=20, hours=3),
    )
    html = client.get("/gemeenten/amersfoort/").content.decode()
    section = html.split('id="repair-and-initiatives"')[1]
    assert "Team Circulair Amersfoort" in section
    assert "Repair Café Zonnehof" in section
    assert "Verborgen plek" not in section
    assert "Elders Repair Café" not in section
    assert "Weggeefwinkel De Kei" in section
    assert "Nog niet goedgekeurd" not in section
    # Sessions 0, 4 and 8 weeks ahead fall in the 13 weeks shown; 12 weeks too.
    assert section.count("Maandelijkse reparatieochtend") == 4
    assert "/agenda/gemeente/amersfoort.ics" in section
    empty = client.get("/gemeenten/utrecht/").content.decode()
    assert "Elders Repair Café" in empty.split('id="repair-and-initiatives"')[1]


def test_privacy_statement_is_linked_and_states_what_is_processed(
    client: Client,
) -> None:
    home = client.get("/en/").content.decode()
    assert 'href="/en/privacy/"' in home
    html = client.get("/en/privacy/").content.decode()
    assert "<title>Privacy statement" in html
    for text in (
        "Accounts of coordinators and editors",
        "Only coordinators",
        "no tracking",
        "public interest (article 6(1)(e) GDPR)",
        "a sign-in session ends after 8 hours",
        "The operator of this site sets the retention periods",
        "inspection",
        "correction",
        "erasure",
        "The address (IP) of the request is not stored",
    ):
        assert text in html, text
    assert client.get("/privacy/").status_code == 200
