# SPDX-License-Identifier: EUPL-1.2
"""The Reparatieweek pages render with the real reference data and the demo data
(registry, repair places, events), in both languages, and show the edition's
activities by municipality with the links to the calendar feeds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.test import Client

import pytest

from cirkelregio.accounts.tests.factories import CoordinatorFactory
from cirkelregio.events.models import RepairEvent, ReparatieweekEdition
from cirkelregio.events.tests.factories import EditionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events_demo(demo_data: Any, demo_dir: Path) -> ReparatieweekEdition:
    from cirkelregio.events.services import events_demo_load
    from cirkelregio.repair.services import repair_demo_load

    repair_demo_load(directory=demo_dir / "repair")
    events_demo_load(directory=demo_dir / "events")
    return ReparatieweekEdition.objects.get(name="Reparatieweek voorjaar 2027 (demo)")


def _html(client: Client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, path
    return response.content.decode()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_reparatieweek_pages_render(
    client: Client, events_demo: ReparatieweekEdition, prefix: str
) -> None:
    for path in ["/reparatieweek/", f"/reparatieweek/{events_demo.pk}/"]:
        response = client.get(prefix + path)
        assert response.status_code == 200
        assert response["Content-Language"] == ("en" if prefix else "nl")
        html = response.content.decode()
        assert f'<html lang="{"en" if prefix else "nl"}"' in html
        assert events_demo.name in html


def test_edition_page_lists_the_activities_by_municipality(
    client: Client, events_demo: ReparatieweekEdition
) -> None:
    html = _html(client, f"/en/reparatieweek/{events_demo.pk}/")
    assert "Clothing" in html
    activities = RepairEvent.objects.filter(edition=events_demo)
    headings = re.findall(
        r'<h3 class="utrecht-heading-3" id="gemeente-([a-z-]+)">', html
    )
    expected = sorted({(e.municipality.name, e.municipality.slug) for e in activities})
    assert headings == [slug for _name, slug in expected]
    assert (
        f"{activities.count()} activities in {len(expected)} of the 26 "
        "municipalities." in html
    )
    for event in activities:
        assert event.title_en in html
        assert f'href="/en/agenda/activiteit/{event.pk}.ics"' in html
    for _name, slug in expected:
        assert f'href="/en/agenda/gemeente/{slug}.ics"' in html
    feed = f"/en/agenda/reparatieweek/{events_demo.pk}.ics"
    assert f'href="{feed}"' in html
    assert f'href="webcal://testserver{feed}"' in html
    # The daily clothing repair hour in Woerden: five sessions listed.
    title = '<span lang="en">Clothing repair hour Woerden (demo)</span>'
    assert html.count(title) == 5
    # The monthly Repair Café sessions are not activities of the edition.
    assert "Repair Café Baarn (demo)" not in html


def test_dutch_page_links_the_dutch_feeds(
    client: Client, events_demo: ReparatieweekEdition
) -> None:
    html = _html(client, f"/reparatieweek/{events_demo.pk}/")
    assert f'href="/agenda/reparatieweek/{events_demo.pk}.ics"' in html
    assert "Kledingruilmiddag Amersfoort (demo)" in html
    assert 'href="/agenda/gemeente/amersfoort.ics"' in html


def test_the_overview_links_the_edition_and_the_earlier_ones(
    client: Client, events_demo: ReparatieweekEdition
) -> None:
    earlier = EditionFactory(
        name="Reparatieweek najaar 2025",
        start_date=dt.date(2025, 10, 6),
        end_date=dt.date(2025, 10, 12),
    )
    html = _html(client, "/en/reparatieweek/")
    assert f'href="/en/reparatieweek/{events_demo.pk}/"' in html
    assert f'href="/en/reparatieweek/{earlier.pk}/"' in html
    assert "Earlier editions" in html


def test_without_editions_the_overview_says_so(client: Client, db: Any) -> None:
    html = _html(client, "/en/reparatieweek/")
    assert "No Reparatieweek has been announced yet." in html
    assert "There are no earlier editions on this site yet." in html


def test_a_draft_edition_is_for_coordinators_only(client: Client, db: Any) -> None:
    draft = EditionFactory(is_published=False)
    _html(client, f"/reparatieweek/{draft.pk}/", status=404)
    _html(client, "/reparatieweek/999999/", status=404)
    client.force_login(CoordinatorFactory())
    html = _html(client, f"/en/reparatieweek/{draft.pk}/")
    assert "No activities have been announced for this edition yet." in html
