# SPDX-License-Identifier: EUPL-1.2
"""Repair-place services: the postcode, the location (given or derived from the
postcode area and marked), the municipality, opening hours kept and flagged, the
categories, and who may do what."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from cirkelregio.repair import services
from cirkelregio.repair.models import RepairPlace
from cirkelregio.repair.tests.conftest import Area

pytestmark = pytest.mark.django_db


def _create(actor: Any = None, **fields: Any) -> RepairPlace:
    values: dict[str, Any] = {"name": "Repair Café Test", "kind": "repair_cafe"}
    values.update(fields)
    return services.place_create(actor=actor, **values)


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_given_point_sets_municipality_from_the_boundary(area: Area) -> None:
    place = _create(lat=52.03, lon=5.17, postcode="3511 ab", categories=["bicycle"])
    assert place.municipality == area.b  # the point wins over the postcode (in A)
    assert place.coordinates_derived is False
    assert place.postcode == "3511 AB"
    assert list(place.categories.values_list("code", flat=True)) == ["bicycle"]


def test_without_coordinates_the_postcode_area_centroid_is_used_and_marked(
    area: Area,
) -> None:
    place = _create(postcode="3600AB")
    assert (place.lat, place.lon) == (52.05, 5.15)
    assert place.coordinates_derived is True
    assert place.municipality == area.b
    assert place.postcode == "3600 AB"


def test_a_point_outside_every_boundary_takes_the_postcode_municipality(
    area: Area,
) -> None:
    place = _create(lat=52.5, lon=5.05, postcode="3511")
    assert place.municipality == area.a
    assert _create(name="Elders", lat=52.5, lon=5.05).municipality is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"postcode": "35111"}, "postcode"),
        ({"postcode": "0123 AB"}, "postcode"),
        ({"postcode": "3511 A"}, "postcode"),
        ({"postcode": ""}, "postcode"),  # no location at all
        ({"postcode": "1000"}, "postcode"),  # unknown postcode area
        ({"lat": 52.05}, "lon"),
        ({"lon": 5.05}, "lat"),
        ({"lat": 48.85, "lon": 2.35}, "lat"),  # Paris
        ({"lat": 52.05, "lon": 5.05, "website": "ftp://x"}, "website"),
        ({"lat": 52.05, "lon": 5.05, "kind": "bakery"}, "kind"),
        ({"lat": 52.05, "lon": 5.05, "categories": ["bicycle", "cars"]}, "categories"),
    ],
)
def test_invalid_places_are_refused_on_the_field(
    area: Area, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(**fields)
    assert field in _errors(exc), _errors(exc)
    assert not RepairPlace.objects.exists()


def test_unreadable_opening_hours_are_kept_and_flagged(area: Area) -> None:
    place = _create(postcode="3511", opening_hours=" op afspraak ")
    assert place.opening_hours == "op afspraak"
    assert place.opening_hours_unparsable is True
    place = services.place_update(
        actor=None, place=place, opening_hours="Sa[2] 10:00-13:00"
    )
    assert place.opening_hours_unparsable is False


def test_a_derived_point_follows_the_postcode(area: Area) -> None:
    place = _create(postcode="3511")
    place = services.place_update(actor=None, place=place, name="Nieuwe naam")
    assert place.coordinates_derived is True
    place = services.place_update(actor=None, place=place, postcode="3600")
    assert (place.lat, place.lon, place.municipality) == (52.05, 5.15, area.b)
    assert place.coordinates_derived is True
    place = services.place_update(actor=None, place=place, lat=52.02, lon=5.02)
    assert place.coordinates_derived is False
    assert place.municipality == area.a
    # A given point stays when the postcode changes.
    place = services.place_update(actor=None, place=place, postcode="3600")
    assert (place.lat, place.lon) == (52.02, 5.02)
    # Clearing the point derives it again.
    place = services.place_update(actor=None, place=place, lat=None, lon=None)
    assert (place.lat, place.lon, place.coordinates_derived) == (52.05, 5.15, True)


def test_categories_are_replaced_on_update(area: Area) -> None:
    place = _create(postcode="3511", categories=["bicycle", "clothing"])
    services.place_update(actor=None, place=place, categories=["shoes"])
    assert list(place.categories.values_list("code", flat=True)) == ["shoes"]
    with pytest.raises(ValidationError) as exc:
        services.place_update(actor=None, place=place, categories=["boats"])
    assert "categories" in _errors(exc)


def test_fields_that_are_worked_out_cannot_be_set(area: Area) -> None:
    place = _create(postcode="3511")
    with pytest.raises(ValidationError) as exc:
        services.place_update(actor=None, place=place, municipality=area.b)
    assert "municipality" in _errors(exc)


# Permissions ------------------------------------------------------------------------


def test_editors_create_only_for_their_own_organisation(area: Area) -> None:
    place = _create(actor=area.editor_a, owner=area.org_a, postcode="3511")
    assert place.owner == area.org_a
    with pytest.raises(PermissionDenied):
        _create(actor=area.editor_b, owner=area.org_a, postcode="3511")
    with pytest.raises(PermissionDenied):
        _create(actor=area.editor_a, owner=None, postcode="3511")
    with pytest.raises(PermissionDenied):
        _create(actor=area.member, owner=area.org_a, postcode="3511")
    assert _create(actor=area.coordinator, owner=None, postcode="3511").owner is None


def test_owner_editors_and_coordinators_change_a_place(area: Area) -> None:
    place = _create(owner=area.org_a, postcode="3511")
    with pytest.raises(PermissionDenied):
        services.place_update(actor=area.editor_b, place=place, name="Overgenomen")
    with pytest.raises(PermissionDenied):
        services.place_delete(actor=area.editor_b, place=place)
    services.place_update(actor=area.editor_a, place=place, name="Door eigenaar")
    services.place_update(actor=area.coordinator, place=place, name="Door coördinator")
    place.refresh_from_db()
    assert place.name == "Door coördinator"


def test_only_coordinators_change_the_owner(area: Area) -> None:
    place = _create(owner=area.org_a, postcode="3511")
    with pytest.raises(PermissionDenied):
        services.place_update(actor=area.editor_a, place=place, owner=area.org_b)
    services.place_update(actor=area.coordinator, place=place, owner=area.org_b)
    place.refresh_from_db()
    assert place.owner == area.org_b


def test_the_owner_removes_a_place(area: Area) -> None:
    place = _create(owner=area.org_a, postcode="3511")
    services.place_delete(actor=area.editor_a, place=place)
    assert not RepairPlace.objects.exists()
