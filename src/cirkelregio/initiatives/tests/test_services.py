# SPDX-License-Identifier: EUPL-1.2
"""The services: validation of initiatives and contact points, who may create and
change them, the review of suggestions, and the one-active-contact-point rule (in the
service and in the database)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

import pytest

from cirkelregio.initiatives import services
from cirkelregio.initiatives.models import (
    ContactPoint,
    Initiative,
    InitiativeStatus,
    needs_join,
)
from cirkelregio.initiatives.tests.conftest import World
from cirkelregio.initiatives.tests.factories import ContactPointFactory

pytestmark = pytest.mark.django_db


def _fields(world: World, **overrides: object) -> dict[str, object]:
    return {
        "name": "Weggeefkast Twee",
        "type": "give_away_shop",
        "municipality": world.m2,
        "stage": "starting",
        "description_nl": "Een kast waar buren spullen weggeven.",
        **overrides,
    }


# Validation ---------------------------------------------------------------------------


def test_needs_are_stored_unique_in_their_own_order() -> None:
    assert needs_join(["volunteers", "space", "volunteers"]) == "space,volunteers"
    assert needs_join("funding,advice") == "funding,advice"
    assert needs_join([]) == ""
    with pytest.raises(ValidationError) as exc:
        needs_join(["space", "money", "fame"])
    assert "fame, money" in exc.value.messages[0]


def test_an_initiative_needs_a_description_in_one_language(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.initiative_create(
            actor=world.coordinator, **_fields(world, description_nl="  ")
        )
    assert set(exc.value.message_dict) == {"description_nl"}
    english_only = services.initiative_create(
        actor=world.coordinator,
        **_fields(world, description_nl="", description_en="A cupboard."),
    )
    assert english_only.description_en == "A cupboard."


def test_every_invalid_field_is_named(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.initiative_create(
            actor=world.coordinator,
            **_fields(
                world,
                type="casino",
                stage="huge",
                website="not a url",
                contact_email="nobody",
                contact_phone="call me",
                needs=["space", "glory"],
            ),
        )
    assert set(exc.value.message_dict) == {"needs"}  # needs are checked first
    with pytest.raises(ValidationError) as exc:
        services.initiative_create(
            actor=world.coordinator,
            **_fields(
                world,
                type="casino",
                stage="huge",
                website="not a url",
                contact_email="nobody",
                contact_phone="call me",
            ),
        )
    assert set(exc.value.message_dict) == {
        "type",
        "stage",
        "website",
        "contact_email",
        "contact_phone",
    }
    assert not Initiative.objects.filter(name="Weggeefkast Twee").exists()


def test_the_database_refuses_an_initiative_without_description(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.create(
            name="Leeg",
            type="other",
            municipality=world.m1,
            description_nl="",
            description_en="",
        )


# Who creates and changes --------------------------------------------------------------


def test_editor_creates_for_own_organisation_only_and_as_a_suggestion(
    world: World,
) -> None:
    own = services.initiative_create(
        actor=world.editor_a, owner=world.org_a, **_fields(world, needs=["space"])
    )
    assert own.status == InitiativeStatus.SUGGESTED and own.owner == world.org_a
    assert own.needs == "space"
    with pytest.raises(PermissionDenied):
        services.initiative_create(
            actor=world.editor_b, owner=world.org_a, **_fields(world, name="B")
        )
    with pytest.raises(PermissionDenied):
        services.initiative_create(actor=world.editor_a, **_fields(world, name="C"))
    with pytest.raises(PermissionDenied):
        services.initiative_create(
            actor=world.editor_a,
            owner=world.org_a,
            status="published",
            **_fields(world, name="D"),
        )
    published = services.initiative_create(
        actor=world.coordinator, status="published", **_fields(world, name="E")
    )
    assert published.is_published


def test_owner_edits_content_but_not_status_or_owner(world: World) -> None:
    item = services.initiative_update(
        actor=world.editor_a,
        initiative=world.published,
        stage="growing",
        needs=["advice"],
    )
    assert (item.stage, item.needs) == ("growing", "advice")
    for change in ({"status": "archived"}, {"owner": world.org_b}):
        with pytest.raises(PermissionDenied):
            services.initiative_update(
                actor=world.editor_a, initiative=world.published, **change
            )
    with pytest.raises(PermissionDenied):
        services.initiative_update(
            actor=world.editor_b, initiative=world.published, name="Overgenomen"
        )
    with pytest.raises(PermissionDenied):
        services.initiative_delete(actor=world.editor_b, initiative=world.published)
    world.published.refresh_from_db()
    assert world.published.name == "Repair Café Een"
    assert world.published.status == "published"
    services.initiative_update(
        actor=world.coordinator, initiative=world.published, status="archived"
    )
    world.published.refresh_from_db()
    assert world.published.status == "archived"


# Review -------------------------------------------------------------------------------


def test_coordinator_publishes_or_rejects_a_suggestion(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.initiative_approve(actor=world.editor_a, initiative=world.suggestion)
    published = services.initiative_approve(
        actor=world.coordinator, initiative=world.suggestion
    )
    assert published.status == InitiativeStatus.PUBLISHED
    with pytest.raises(ValidationError):
        services.initiative_approve(actor=world.coordinator, initiative=published)
    with pytest.raises(ValidationError):
        services.initiative_reject(actor=world.coordinator, initiative=published)

    other = services.initiative_create(
        actor=world.coordinator, **_fields(world, name="Twijfelgeval")
    )
    rejected = services.initiative_reject(actor=world.coordinator, initiative=other)
    assert rejected.status == InitiativeStatus.ARCHIVED


# Contact points -----------------------------------------------------------------------


def _contact_point(world: World, **overrides: object) -> dict[str, object]:
    return {
        "municipality": world.m1,
        "organisation": world.org_m1,
        "role_name": "Loket Initiatieven",
        "email": "loket@example.org",
        "last_verified": dt.date(2026, 3, 1),
        **overrides,
    }


def test_one_active_contact_point_per_municipality(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.contact_point_create(actor=world.coordinator, **_contact_point(world))
    assert set(exc.value.message_dict) == {"municipality"}
    second = services.contact_point_create(
        actor=world.coordinator, **_contact_point(world, is_active=False)
    )
    with pytest.raises(ValidationError) as exc:
        services.contact_point_update(
            actor=world.coordinator, contact_point=second, is_active=True
        )
    assert set(exc.value.message_dict) == {"municipality"}
    # Handing over: the old one steps aside, then the new one is activated.
    services.contact_point_update(
        actor=world.coordinator, contact_point=world.contact_point, is_active=False
    )
    services.contact_point_update(
        actor=world.coordinator, contact_point=second, is_active=True
    )
    active = ContactPoint.objects.filter(municipality=world.m1, is_active=True)
    assert list(active) == [second]


def test_the_database_allows_one_active_contact_point_per_municipality(
    world: World,
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactPointFactory(municipality=world.m1, organisation=world.org_m1)
    ContactPointFactory(
        municipality=world.m1, organisation=world.org_m1, is_active=False
    )
    ContactPointFactory(
        municipality=world.m1, organisation=world.org_m1, is_active=False
    )
    assert ContactPoint.objects.filter(municipality=world.m1).count() == 3


def test_a_contact_point_can_be_reached(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.contact_point_create(
            actor=world.coordinator,
            **_contact_point(world, municipality=world.m2, email=""),
        )
    assert set(exc.value.message_dict) == {"email"}
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactPointFactory(municipality=world.m2, email="", phone="", website="")


def test_who_manages_contact_points(world: World) -> None:
    # The municipality's own editors, for their municipality only.
    with pytest.raises(PermissionDenied):
        services.contact_point_create(
            actor=world.editor_m1,
            **_contact_point(world, municipality=world.m2),
        )
    # Editors of another organisation, not at all.
    with pytest.raises(PermissionDenied):
        services.contact_point_create(
            actor=world.editor_b,
            **_contact_point(world, organisation=world.org_b, is_active=False),
        )
    with pytest.raises(PermissionDenied):
        services.contact_point_update(
            actor=world.editor_b, contact_point=world.contact_point, phone="030 1"
        )
    changed = services.contact_point_update(
        actor=world.editor_m1,
        contact_point=world.contact_point,
        hours_nl="Woensdag",
        last_verified=dt.date(2026, 4, 1),
    )
    assert changed.hours_nl == "Woensdag"
    with pytest.raises(PermissionDenied):
        services.contact_point_update(
            actor=world.editor_m1,
            contact_point=world.contact_point,
            municipality=world.m2,
        )
    inactive = services.contact_point_create(
        actor=world.editor_m1, **_contact_point(world, is_active=False)
    )
    services.contact_point_delete(actor=world.editor_m1, contact_point=inactive)
    assert not ContactPoint.objects.filter(pk=inactive.pk).exists()
