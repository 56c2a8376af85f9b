# SPDX-License-Identifier: EUPL-1.2
"""A small world for the events tests: two municipalities, a published repair place
in the first, organisation A (the organiser) with its editor, organisation B with
its editor, a coordinator, and a published Reparatieweek (15-20 March 2027).

Events: a published monthly Repair Café session on the second Saturday at the
place, 10:00-13:00 from 9 January 2027 to the end of 2027, organised by A; a draft
of A; a published one-off workshop in the second municipality that is an activity
of the Reparatieweek; and a published event of a draft edition."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import translation

import pytest

from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.events.models import RepairEvent, ReparatieweekEdition
from cirkelregio.events.recurrence import AMSTERDAM
from cirkelregio.events.tests.factories import EditionFactory, RepairEventFactory
from cirkelregio.regions.models import Municipality, Organisation
from cirkelregio.regions.tests.factories import MunicipalityFactory, OrganisationFactory
from cirkelregio.repair.models import RepairPlace
from cirkelregio.repair.tests.factories import RepairPlaceFactory

SECOND_SATURDAY = "FREQ=MONTHLY;BYDAY=2SA;UNTIL=20271231T225959Z"


def at(day: str, time: str) -> dt.datetime:
    """An Amsterdam time: ``at("2027-01-09", "10:00")``."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@dataclass
class World:
    m1: Municipality
    m2: Municipality
    org_a: Organisation
    org_b: Organisation
    editor_a: User
    editor_b: User
    coordinator: User
    place: RepairPlace
    edition: ReparatieweekEdition
    draft_edition: ReparatieweekEdition
    monthly: RepairEvent
    draft: RepairEvent
    workshop: RepairEvent
    hidden: RepairEvent

    def users(self) -> dict[str, Any]:
        return {
            "anonymous": None,
            "editor_b": self.editor_b,
            "editor_a": self.editor_a,
            "coordinator": self.coordinator,
        }


@pytest.fixture
def world(db: Any) -> World:
    m1 = MunicipalityFactory(cbs_code="GM9101", name="Gemeente Een", slug="een")
    m2 = MunicipalityFactory(cbs_code="GM9102", name="Gemeente Twee", slug="twee")
    org_a = OrganisationFactory(slug="org-a", name="Org A")
    org_b = OrganisationFactory(slug="org-b", name="Org B")
    place = RepairPlaceFactory(
        name="Repair Café Centrum",
        street="Kerkstraat 1",
        postcode="3511 AA",
        city="Een",
        municipality=m1,
        lat=52.05,
        lon=5.05,
    )
    edition = EditionFactory(name="Reparatieweek voorjaar 2027")
    draft_edition = EditionFactory(
        name="Reparatieweek najaar 2027",
        start_date=dt.date(2027, 10, 4),
        end_date=dt.date(2027, 10, 9),
        is_published=False,
    )
    monthly = RepairEventFactory(
        title_nl="Repair Café Centrum",
        title_en="Repair Café Centre",
        description_nl="Elke tweede zaterdag.",
        description_en="Every second Saturday.",
        place=place,
        address="",
        municipality=m1,
        start=at("2027-01-09", "10:00"),
        end=at("2027-01-09", "13:00"),
        recurrence=SECOND_SATURDAY,
        organiser=org_a,
        website="https://example.org/repair-cafe-centrum",
    )
    draft = RepairEventFactory(
        title_nl="Concept", municipality=m1, organiser=org_a, status="draft"
    )
    workshop = RepairEventFactory(
        title_nl="Kleding repareren",
        kind="workshop",
        municipality=m2,
        address="Dorpsstraat 2, 3600 Twee",
        start=at("2027-03-17", "19:00"),
        end=at("2027-03-17", "21:30"),
        edition=edition,
    )
    hidden = RepairEventFactory(
        title_nl="Nog geheim",
        municipality=m2,
        start=at("2027-10-05", "19:00"),
        end=at("2027-10-05", "21:00"),
        edition=draft_edition,
    )
    return World(
        m1=m1,
        m2=m2,
        org_a=org_a,
        org_b=org_b,
        editor_a=EditorFactory(organisation=org_a),
        editor_b=EditorFactory(organisation=org_b),
        coordinator=CoordinatorFactory(),
        place=place,
        edition=edition,
        draft_edition=draft_edition,
        monthly=monthly,
        draft=draft,
        workshop=workshop,
        hidden=hidden,
    )
