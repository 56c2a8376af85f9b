# SPDX-License-Identifier: EUPL-1.2
"""The events services: validation (times, recurrence, place or address, the
edition's days), what they derive, who may do what, and the selectors' view of
periods and editions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from cirkelregio.events import selectors, services
from cirkelregio.events.models import RepairEvent, ReparatieweekEdition
from cirkelregio.events.tests.conftest import World, at
from cirkelregio.events.tests.factories import EditionFactory, RepairEventFactory
from cirkelregio.repair.tests.factories import RepairPlaceFactory

pytestmark = pytest.mark.django_db


def _event(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "title_nl": "Reparatiemiddag",
        "kind": "repair_cafe",
        "address": "Markt 1, 3511 Een",
        "municipality": world.m1,
        "start": at("2027-02-06", "13:00"),
        "end": at("2027-02-06", "16:00"),
        **overrides,
    }


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# Validation ---------------------------------------------------------------------------


@pytest.mark.parametrize("end", ["12:00", "13:00"])
def test_the_end_must_be_after_the_start(world: World, end: str) -> None:
    before = RepairEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.event_create(
            actor=world.coordinator, **_event(world, end=at("2027-02-06", end))
        )
    assert _errors(caught) == {"end": ["The end must be after the start."]}
    assert RepairEvent.objects.count() == before


def test_a_bad_recurrence_rule_is_refused_on_its_field(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.event_create(
            actor=world.coordinator,
            **_event(world, recurrence="FREQ=MONTHLY;BYDAY=1SA"),
        )
    assert _errors(caught) == {
        "recurrence": [
            "The recurrence must end: give COUNT (the number of sessions) or UNTIL "
            "(the last date), not both."
        ]
    }
    with pytest.raises(ValidationError) as caught:
        services.event_create(
            actor=world.coordinator,
            **_event(world, recurrence="FREQ=MONTHLY;BYDAY=2SA;COUNT=5"),
        )
    assert _errors(caught) == {
        "recurrence": [
            "The start must be one of the rule's dates; the first date after it is "
            "2027-02-13 13:00."
        ]
    }


def test_a_recurring_event_is_stored_with_its_rule_and_last_end(world: World) -> None:
    event = services.event_create(
        actor=world.coordinator,
        **_event(world, recurrence="freq=monthly;byday=1sa;until=20270605"),
    )
    event.refresh_from_db()
    assert event.recurrence == "FREQ=MONTHLY;BYDAY=1SA;UNTIL=20270605T215959Z"
    assert event.last_end == at("2027-06-05", "16:00")
    assert event.is_recurring and not event.is_demo


def test_the_place_gives_the_municipality(world: World) -> None:
    event = services.event_create(
        actor=world.coordinator,
        **_event(world, place=world.place, address="", municipality=world.m2),
    )
    assert event.municipality == world.m1


def test_a_place_or_an_address_and_a_municipality_are_needed(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.event_create(
            actor=world.coordinator, **_event(world, address="  ", municipality=None)
        )
    assert _errors(caught) == {
        "address": ["Give a repair place or an address."],
        "municipality": ["Give the municipality."],
    }


def test_an_unpublished_place_of_another_organisation_cannot_be_chosen(
    world: World,
) -> None:
    hidden = RepairPlaceFactory(municipality=world.m1, is_published=False)
    with pytest.raises(ValidationError) as caught:
        services.event_create(
            actor=world.editor_a,
            organiser=world.org_a,
            **_event(world, place=hidden),
        )
    assert _errors(caught) == {"place": ["Choose a published repair place."]}
    own = RepairPlaceFactory(
        municipality=world.m1, is_published=False, owner=world.org_a
    )
    event = services.event_create(
        actor=world.editor_a, organiser=world.org_a, **_event(world, place=own)
    )
    assert event.place == own


def test_an_activity_of_an_edition_needs_a_session_during_it(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.event_create(
            actor=world.coordinator, **_event(world, edition=world.edition)
        )
    assert _errors(caught) == {
        "edition": [
            "The event has no session during this edition (2027-03-15 to 2027-03-20)."
        ]
    }
    # A monthly session on the third Saturday falls on 20 March.
    event = services.event_create(
        actor=world.coordinator,
        **_event(
            world,
            start=at("2027-01-16", "10:00"),
            end=at("2027-01-16", "12:00"),
            recurrence="FREQ=MONTHLY;BYDAY=3SA;COUNT=6",
            edition=world.edition,
        ),
    )
    assert event.edition == world.edition


def test_editors_link_only_published_editions(world: World) -> None:
    fields = _event(
        world,
        start=at("2027-10-05", "10:00"),
        end=at("2027-10-05", "12:00"),
        edition=world.draft_edition,
    )
    with pytest.raises(ValidationError) as caught:
        services.event_create(actor=world.editor_a, organiser=world.org_a, **fields)
    assert _errors(caught) == {"edition": ["Choose a published Reparatieweek edition."]}
    assert services.event_create(actor=world.coordinator, **fields).pk


def test_times_without_an_offset_are_amsterdam_time(world: World) -> None:
    event = services.event_create(
        actor=None,
        **_event(
            world,
            start=dt.datetime(2027, 7, 3, 10, 0),  # noqa: DTZ001
            end=dt.datetime(2027, 7, 3, 12, 0),  # noqa: DTZ001
        ),
    )
    event.refresh_from_db()
    assert event.start == dt.datetime(2027, 7, 3, 8, 0, tzinfo=dt.UTC)


def test_unknown_fields_are_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.event_create(
            actor=None, **_event(world, last_end=at("2030-01-01", "00:00"))
        )
    assert "last_end" in _errors(caught)


# Permissions --------------------------------------------------------------------------


def test_editors_create_events_only_for_their_own_organisation(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.event_create(
            actor=world.editor_b, organiser=world.org_a, **_event(world)
        )
    with pytest.raises(PermissionDenied):
        services.event_create(actor=world.editor_a, **_event(world))
    event = services.event_create(
        actor=world.editor_a, organiser=world.org_a, status="published", **_event(world)
    )
    assert event.is_published and event.organiser == world.org_a


def test_editors_change_their_own_events_but_not_the_organiser(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.event_update(actor=world.editor_b, event=world.monthly, title_nl="X")
    changed = services.event_update(
        actor=world.editor_a, event=world.monthly, title_nl="Repair Café Noord"
    )
    assert changed.title_nl == "Repair Café Noord"
    with pytest.raises(PermissionDenied):
        services.event_update(
            actor=world.editor_a, event=world.monthly, organiser=world.org_b
        )
    services.event_update(
        actor=world.coordinator, event=world.monthly, organiser=world.org_b
    )
    world.monthly.refresh_from_db()
    assert world.monthly.organiser == world.org_b
    with pytest.raises(PermissionDenied):
        services.event_delete(actor=world.editor_a, event=world.monthly)


def test_an_update_that_breaks_the_rule_changes_nothing(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.event_update(
            actor=world.editor_a,
            event=world.monthly,
            start=at("2027-01-10", "10:00"),
            end=at("2027-01-10", "13:00"),
        )
    assert list(_errors(caught)) == ["recurrence"]
    world.monthly.refresh_from_db()
    assert world.monthly.start == at("2027-01-09", "10:00")


def test_only_coordinators_manage_editions(world: World) -> None:
    fields = {
        "name": "Reparatieweek najaar 2028",
        "start_date": dt.date(2028, 10, 2),
        "end_date": dt.date(2028, 10, 7),
    }
    with pytest.raises(PermissionDenied):
        services.edition_create(actor=world.editor_a, **fields)
    edition = services.edition_create(actor=world.coordinator, **fields)
    assert not edition.is_published
    with pytest.raises(PermissionDenied):
        services.edition_update(actor=world.editor_a, edition=edition, name="X")
    with pytest.raises(PermissionDenied):
        services.edition_delete(actor=world.editor_a, edition=edition)
    services.edition_delete(actor=world.coordinator, edition=edition)
    assert not ReparatieweekEdition.objects.filter(pk=edition.pk).exists()


def test_edition_dates_are_checked(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.edition_create(
            actor=None,
            name="Omgekeerd",
            start_date=dt.date(2028, 3, 20),
            end_date=dt.date(2028, 3, 15),
        )
    assert _errors(caught) == {
        "end_date": ["The last day cannot be before the first day."]
    }
    with pytest.raises(ValidationError) as caught:
        services.edition_create(
            actor=None,
            name="Ver weg",
            start_date=dt.date(9999, 12, 30),
            end_date=dt.date(9999, 12, 31),
        )
    assert set(_errors(caught)) == {"start_date", "end_date"}
    # Moving the edition would leave its workshop (17 March) without a session.
    with pytest.raises(ValidationError) as caught:
        services.edition_update(
            actor=None, edition=world.edition, start_date=dt.date(2027, 3, 18)
        )
    assert _errors(caught) == {
        "start_date": [
            "These activities would have no session during the new dates: "
            "Kleding repareren."
        ]
    }


def test_an_edition_with_activities_cannot_be_removed(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.edition_delete(actor=None, edition=world.edition)
    assert "still has activities" in caught.value.messages[0]
    assert ReparatieweekEdition.objects.filter(pk=world.edition.pk).exists()


# Selectors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("anonymous", {"monthly", "workshop"}),
        ("editor_b", {"monthly", "workshop"}),
        ("editor_a", {"monthly", "workshop", "draft"}),
        ("coordinator", {"monthly", "workshop", "draft", "hidden"}),
    ],
)
def test_who_sees_which_events(world: World, who: str, sees: set[str]) -> None:
    ids = set(
        selectors.event_list(user=world.users()[who]).values_list("pk", flat=True)
    )
    assert ids == {getattr(world, name).pk for name in sees}


def test_a_period_holds_the_events_with_a_session_in_it(world: World) -> None:
    public = selectors.public_event_list()

    def titles(first: str, last: str) -> set[str]:
        after, before = selectors.period(
            dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        )
        qs = selectors.events_in_period(public, after=after, before=before)
        return set(qs.values_list("title_nl", flat=True))

    assert titles("2027-03-13", "2027-03-17") == {
        "Repair Café Centrum",
        "Kleding repareren",
    }
    # Between two second Saturdays: the monthly event has no session.
    assert titles("2027-03-14", "2027-04-09") == {"Kleding repareren"}
    assert titles("2027-04-10", "2027-04-10") == {"Repair Café Centrum"}
    assert titles("2028-01-01", "2028-12-31") == set()


def test_edition_activities_are_grouped_by_municipality(world: World) -> None:
    extra = RepairEventFactory(
        title_nl="Ruilmarkt",
        municipality=world.m1,
        start=at("2027-03-19", "10:00"),
        end=at("2027-03-19", "12:00"),
        recurrence="FREQ=DAILY;COUNT=2",
        edition=world.edition,
    )
    groups = selectors.edition_activities(world.edition)
    assert [g.municipality for g in groups] == [world.m1, world.m2]
    assert [(o.start, e) for o, e in groups[0].sessions] == [
        (at("2027-03-19", "10:00"), extra),
        (at("2027-03-20", "10:00"), extra),
    ]
    assert [e for _o, e in groups[1].sessions] == [world.workshop]


def test_the_overview_finds_the_current_next_and_earlier_editions(
    world: World,
) -> None:
    earlier = EditionFactory(
        name="Reparatieweek najaar 2026",
        start_date=dt.date(2026, 10, 5),
        end_date=dt.date(2026, 10, 10),
    )
    later = EditionFactory(
        name="Reparatieweek voorjaar 2028",
        start_date=dt.date(2028, 3, 13),
        end_date=dt.date(2028, 3, 18),
    )
    before = selectors.edition_overview(today=dt.date(2026, 11, 28))
    assert (before.current, before.running) == (world.edition, False)
    assert list(before.later) == [later]  # the draft edition is not public
    assert list(before.earlier) == [earlier]
    during = selectors.edition_overview(today=dt.date(2027, 3, 20))
    assert (during.current, during.running) == (world.edition, True)
    after = selectors.edition_overview(today=dt.date(2027, 3, 21))
    assert after.current == later
    assert list(after.earlier) == [world.edition, earlier]
    coordinator = selectors.edition_overview(
        user=world.coordinator, today=dt.date(2027, 3, 21)
    )
    assert coordinator.current == world.draft_edition
