# SPDX-License-Identifier: EUPL-1.2
"""Suggestions of a new repair place or a correction by the public: the place rules
(postcode, a point in the Netherlands, known categories, opening hours kept and
flagged), the honeypot, the limit per client address; approval by a coordinator
(a new place created, a correction applied to the filled-in fields only, all or
nothing, once), rejection with a note, who may decide, and no personal data in the
audit log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

import pytest
from auditlog.models import LogEntry

from cirkelregio.core import ratelimit
from cirkelregio.repair import services
from cirkelregio.repair.models import (
    RepairCategory,
    RepairPlace,
    RepairPlaceSuggestion,
)
from cirkelregio.repair.services import suggestions
from cirkelregio.repair.tests.conftest import Area

pytestmark = pytest.mark.django_db

CLIENT = "192.0.2.10"
# A moment well inside a window of the limit (one hour).
NOW = 1_800_000_000.0 + 600
NAME, EMAIL = "Jantje Privé", "jantje.prive@example.org"


@pytest.fixture(autouse=True)
def _fresh_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(ratelimit, "_now", lambda: NOW)
    cache.clear()
    yield
    cache.clear()


def _new(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "type": "new",
        "name": "Repair Café Oost",
        "kind": "repair_cafe",
        "street": "Oostweg 1",
        "postcode": "3600ab",
        "city": "Oostdorp",
        "categories": ["bicycle", "clothing"],
        "opening_hours": "Sa[1] 10:00-13:00",
        "website": "https://example.org/oost",
        "email": "info@example.org",
        "phone": "030 000 00 00",
        "repairs_nl": "Fietsen en kleding.",
        "submitter_name": NAME,
        "submitter_email": EMAIL,
    }
    values.update(overrides)
    return values


def _submit(client: str = CLIENT, **fields: Any) -> RepairPlaceSuggestion:
    return services.place_suggestion_submit(client=client, **fields)


def _place(area: Area, **fields: Any) -> RepairPlace:
    values: dict[str, Any] = {
        "name": "Fietsenmaker West",
        "kind": "bicycle_repair",
        "street": "Westweg 2",
        "postcode": "3511 AA",
        "city": "Weststad",
        "categories": ["bicycle"],
        "opening_hours": "Mo-Fr 09:00-17:00",
        "website": "https://example.org/west",
        "phone": "030 111 11 11",
        "repairs_nl": "Fietsen.",
        "owner": area.org_a,
    }
    values.update(fields)
    return services.place_create(actor=None, **values)


def _codes(place: RepairPlace) -> list[str]:
    return sorted(place.categories.values_list("code", flat=True))


# Submitting ---------------------------------------------------------------------------


def test_a_new_place_is_stored_as_pending_with_the_place_rules(area: Area) -> None:
    suggestion = _submit(**_new())
    suggestion.refresh_from_db()
    assert suggestion.status == "pending" and suggestion.type == "new"
    assert suggestion.place is None
    assert suggestion.postcode == "3600 AB"  # normalised as for a place
    assert suggestion.categories == ["bicycle", "clothing"]
    assert suggestion.opening_hours_unparsable is False
    assert (suggestion.submitter_name, suggestion.submitter_email) == (NAME, EMAIL)
    assert not RepairPlace.objects.filter(name="Repair Café Oost").exists()


def test_unreadable_opening_hours_are_kept_and_flagged(area: Area) -> None:
    suggestion = _submit(**_new(opening_hours="  elke eerste zaterdag  "))
    suggestion.refresh_from_db()
    assert suggestion.opening_hours == "elke eerste zaterdag"
    assert suggestion.opening_hours_unparsable is True


def test_a_correction_keeps_only_the_fields_given(area: Area) -> None:
    place = _place(area)
    suggestion = _submit(
        type="correction",
        place=place,
        phone="030 222 22 22",
        message="Het nummer is veranderd.",
    )
    suggestion.refresh_from_db()
    assert (suggestion.type, suggestion.place) == ("correction", place)
    assert suggestion.proposed() == {"phone": "030 222 22 22"}
    assert suggestion.message == "Het nummer is veranderd."


def test_a_correction_with_only_a_message_is_accepted(area: Area) -> None:
    place = _place(area)
    suggestion = _submit(type="correction", place=place, message="Gesloten.")
    assert suggestion.proposed() == {}


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"postcode": "35111"}, {"postcode"}),
        ({"postcode": "0123 AB"}, {"postcode"}),
        ({"postcode": "", "lat": 48.85, "lon": 2.35}, {"lat"}),  # Paris
        ({"postcode": "", "lat": 52.05}, {"lon"}),
        ({"postcode": ""}, {"postcode"}),  # no location at all
        ({"postcode": "1000"}, {"postcode"}),  # an unknown postcode area
        ({"categories": ["bicycle", "spaceships"]}, {"categories"}),
        ({"website": "geen website", "email": "geen-adres"}, {"website", "email"}),
        ({"submitter_email": "geen-adres"}, {"submitter_email"}),
        ({"name": "", "kind": ""}, {"name", "kind"}),
        ({"kind": "castle"}, {"kind"}),
        ({"owner": 1, "is_published": False}, {"owner", "is_published"}),
    ],
)
def test_invalid_fields_are_named_and_nothing_is_stored(
    area: Area, fields: dict[str, Any], errors: set[str]
) -> None:
    with pytest.raises(ValidationError) as exc:
        _submit(**_new(**fields))
    assert set(exc.value.message_dict) == errors
    assert not RepairPlaceSuggestion.objects.exists()


def test_the_messages_say_what_to_do(area: Area) -> None:
    with pytest.raises(ValidationError) as exc:
        _submit(**_new(postcode="35111", categories=["spaceships"], name=""))
    assert exc.value.message_dict == {
        "name": ["Give the name of the place."],
        "postcode": [
            "A Dutch postcode is four digits and two letters (1234 AB), or only "
            "the four digits of the postcode area."
        ],
        "categories": ["Unknown category: spaceships."],
    }
    with pytest.raises(ValidationError) as exc:
        _submit(**_new(postcode="", lat=48.85, lon=2.35))
    assert exc.value.message_dict == {"lat": ["The place must lie in the Netherlands."]}


def test_a_correction_must_say_something_and_name_a_published_place(
    area: Area,
) -> None:
    place = _place(area)
    with pytest.raises(ValidationError) as exc:
        _submit(type="correction", place=place, submitter_name=NAME)
    assert exc.value.messages == ["Change at least one detail, or say what is wrong."]
    hidden = _place(area, name="Verborgen", is_published=False)
    for target in (None, hidden):
        with pytest.raises(ValidationError) as exc:
            _submit(type="correction", place=target, message="Dicht.")
        assert set(exc.value.message_dict) == {"place"}
    with pytest.raises(ValidationError) as exc:
        _submit(type="upgrade", name="X")
    assert set(exc.value.message_dict) == {"type"}
    assert not RepairPlaceSuggestion.objects.exists()


def test_a_correction_checks_only_the_location_it_changes(area: Area) -> None:
    # A place with its own point may get a postcode of an area not known here.
    place = _place(area, lat=52.05, lon=5.05)
    suggestion = _submit(type="correction", place=place, postcode="9999 ZZ")
    assert suggestion.postcode == "9999 ZZ"
    derived = _place(area, name="Afgeleid")  # its point is the postcode area's
    with pytest.raises(ValidationError) as exc:
        _submit(type="correction", place=derived, postcode="1000 AA")
    assert set(exc.value.message_dict) == {"postcode"}


# Spam ---------------------------------------------------------------------------------


def test_the_honeypot_refuses_with_a_clear_message_and_stores_nothing(
    area: Area,
) -> None:
    with pytest.raises(services.SuggestionHoneypotError) as exc:
        _submit(honeypot="http://spam.example", **_new())
    assert "was not sent" in str(exc.value)
    assert not RepairPlaceSuggestion.objects.exists()


def test_suggestions_are_limited_per_client_address(
    area: Area, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = suggestions.SUGGESTIONS_PER_WINDOW
    for i in range(limit):
        assert services.place_suggestion_wait(client=CLIENT) == 0
        _submit(**_new(name=f"Plek {i}"))
    assert services.place_suggestion_wait(client=CLIENT) == 3600 - 600
    with pytest.raises(services.SuggestionRateLimitedError) as exc:
        _submit(**_new(name="Te veel"))
    assert exc.value.retry_after == 3000
    assert "50 minutes" in str(exc.value)
    assert not RepairPlaceSuggestion.objects.filter(name="Te veel").exists()
    # Another address is not affected, nor the initiatives' limit; the next window
    # starts afresh.
    assert _submit(client="198.51.100.7", **_new(name="Ander adres"))
    from cirkelregio.initiatives import services as initiative_services

    assert initiative_services.suggestion_wait(client=CLIENT) == 0
    monkeypatch.setattr(ratelimit, "_now", lambda: NOW + 3000)
    assert services.place_suggestion_wait(client=CLIENT) == 0


def test_invalid_suggestions_do_not_count_but_honeypot_hits_do(area: Area) -> None:
    limit = suggestions.SUGGESTIONS_PER_WINDOW
    for _ in range(limit + 2):
        with pytest.raises(ValidationError):
            _submit(**_new(postcode="x"))
    assert services.place_suggestion_wait(client=CLIENT) == 0
    for _ in range(limit):
        with pytest.raises(services.SuggestionHoneypotError):
            _submit(honeypot="x", **_new())
    assert services.place_suggestion_wait(client=CLIENT) > 0
    with pytest.raises(services.SuggestionRateLimitedError):
        _submit(honeypot="x", **_new())


# Approving and rejecting --------------------------------------------------------------


def test_approving_a_new_place_creates_it_with_its_categories(area: Area) -> None:
    suggestion = _submit(**_new())
    place = services.place_suggestion_approve(
        actor=area.coordinator, suggestion=suggestion, note="Gecontroleerd."
    )
    place.refresh_from_db()
    assert (place.name, place.kind, place.street, place.postcode, place.city) == (
        "Repair Café Oost",
        "repair_cafe",
        "Oostweg 1",
        "3600 AB",
        "Oostdorp",
    )
    assert _codes(place) == ["bicycle", "clothing"]
    # Located as every place: the postcode area's centroid, marked as derived.
    assert (place.lat, place.lon, place.coordinates_derived) == (52.05, 5.15, True)
    assert place.municipality == area.b
    assert place.owner is None and place.is_published
    assert place.repairs_nl == "Fietsen en kleding." and place.repairs_en == ""
    suggestion.refresh_from_db()
    assert suggestion.status == "approved" and suggestion.place == place
    assert suggestion.decided_by == area.coordinator
    assert suggestion.decided_at is not None
    assert suggestion.decision_note == "Gecontroleerd."


def test_unreadable_hours_stay_flagged_on_the_new_place(area: Area) -> None:
    suggestion = _submit(**_new(opening_hours="op afspraak"))
    place = services.place_suggestion_approve(
        actor=area.coordinator, suggestion=suggestion
    )
    assert (place.opening_hours, place.opening_hours_unparsable) == (
        "op afspraak",
        True,
    )


def test_approving_a_correction_changes_only_the_filled_fields(area: Area) -> None:
    place = _place(area)
    before = RepairPlace.objects.values().get(pk=place.pk)
    suggestion = _submit(
        type="correction",
        place=place,
        phone="030 222 22 22",
        opening_hours="Tu-Sa 10:00-17:00",
        message="Nieuwe tijden.",
    )
    services.place_suggestion_approve(actor=area.coordinator, suggestion=suggestion)
    after = RepairPlace.objects.values().get(pk=place.pk)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"phone", "opening_hours", "updated_at"}
    assert (after["phone"], after["opening_hours"]) == (
        "030 222 22 22",
        "Tu-Sa 10:00-17:00",
    )
    assert _codes(place) == ["bicycle"]  # not proposed: unchanged


def test_a_correction_of_the_categories_and_the_postcode(area: Area) -> None:
    place = _place(area)  # derived from 3511 (in A)
    suggestion = _submit(
        type="correction",
        place=place,
        categories=["electronics", "computer"],
        postcode="3600 AA",
    )
    services.place_suggestion_approve(actor=area.coordinator, suggestion=suggestion)
    place.refresh_from_db()
    assert _codes(place) == ["computer", "electronics"]
    # The derived point follows the new postcode, as in place_update.
    assert (place.postcode, place.municipality, place.coordinates_derived) == (
        "3600 AA",
        area.b,
        True,
    )
    assert place.name == "Fietsenmaker West"


def test_a_suggestion_is_decided_once(area: Area) -> None:
    suggestion = _submit(**_new())
    services.place_suggestion_approve(actor=area.coordinator, suggestion=suggestion)
    with pytest.raises(ValidationError) as exc:
        services.place_suggestion_approve(actor=area.coordinator, suggestion=suggestion)
    assert exc.value.messages == ["This suggestion has already been approved."]
    assert RepairPlace.objects.filter(name="Repair Café Oost").count() == 1
    with pytest.raises(ValidationError):
        services.place_suggestion_reject(
            actor=area.coordinator, suggestion=suggestion, note="Toch niet."
        )
    rejected = _submit(**_new(name="Nee"))
    services.place_suggestion_reject(
        actor=area.coordinator, suggestion=rejected, note="Bestaat niet."
    )
    with pytest.raises(ValidationError) as exc:
        services.place_suggestion_approve(actor=area.coordinator, suggestion=rejected)
    assert exc.value.messages == ["This suggestion has already been rejected."]
    assert not RepairPlace.objects.filter(name="Nee").exists()


def test_rejecting_needs_a_note_and_changes_nothing_on_the_map(area: Area) -> None:
    place = _place(area)
    suggestion = _submit(type="correction", place=place, name="Andere naam")
    with pytest.raises(ValidationError) as exc:
        services.place_suggestion_reject(
            actor=area.coordinator, suggestion=suggestion, note="  "
        )
    assert set(exc.value.message_dict) == {"decision_note"}
    services.place_suggestion_reject(
        actor=area.coordinator, suggestion=suggestion, note="Klopt niet."
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decision_note) == ("rejected", "Klopt niet.")
    assert suggestion.decided_by == area.coordinator
    place.refresh_from_db()
    assert place.name == "Fietsenmaker West"


def test_a_correction_that_fails_halfway_writes_nothing(area: Area) -> None:
    """``place_update`` saves the fields before it sets the categories; a category
    removed since the suggestion was sent makes it fail after that save."""
    place = _place(area)
    before = RepairPlace.objects.values().get(pk=place.pk)
    suggestion = _submit(
        type="correction", place=place, name="Nieuwe naam", categories=["toys"]
    )
    RepairCategory.objects.filter(code="toys").delete()
    with pytest.raises(ValidationError) as exc:
        services.place_suggestion_approve(actor=area.coordinator, suggestion=suggestion)
    assert set(exc.value.message_dict) == {"categories"}
    assert RepairPlace.objects.values().get(pk=place.pk) == before
    assert _codes(place) == ["bicycle"]
    suggestion.refresh_from_db()
    assert suggestion.status == "pending" and suggestion.decided_at is None


def test_a_new_place_is_not_kept_when_recording_the_decision_fails(
    area: Area, monkeypatch: pytest.MonkeyPatch
) -> None:
    suggestion = _submit(**_new())

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(suggestions, "_record", broken)
    with pytest.raises(RuntimeError):
        services.place_suggestion_approve(actor=area.coordinator, suggestion=suggestion)
    assert not RepairPlace.objects.filter(name="Repair Café Oost").exists()
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_a_correction_of_a_deleted_place_cannot_be_approved(area: Area) -> None:
    place = _place(area)
    suggestion = _submit(type="correction", place=place, phone="030 3")
    services.place_delete(actor=area.coordinator, place=place)
    with pytest.raises(ValidationError) as exc:
        services.place_suggestion_approve(actor=area.coordinator, suggestion=suggestion)
    assert exc.value.messages == ["The place of this correction no longer exists."]
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


@pytest.mark.parametrize("who", ["anonymous", "member", "editor_a", "editor_b"])
def test_only_coordinators_decide(area: Area, who: str) -> None:
    actor = AnonymousUser() if who == "anonymous" else getattr(area, who)
    # Even the editors of the organisation that owns the place.
    place = _place(area)
    correction = _submit(type="correction", place=place, name="Andere naam")
    new = _submit(**_new())
    for suggestion in (correction, new):
        with pytest.raises(PermissionDenied):
            services.place_suggestion_approve(actor=actor, suggestion=suggestion)
        with pytest.raises(PermissionDenied):
            services.place_suggestion_reject(
                actor=actor, suggestion=suggestion, note="Nee."
            )
    assert set(RepairPlaceSuggestion.objects.values_list("status", flat=True)) == {
        "pending"
    }
    place.refresh_from_db()
    assert place.name == "Fietsenmaker West"
    assert not RepairPlace.objects.filter(name="Repair Café Oost").exists()


def test_the_submitter_is_not_in_the_audit_log(area: Area) -> None:
    suggestion = _submit(**_new())
    services.place_suggestion_approve(actor=area.coordinator, suggestion=suggestion)
    entries = LogEntry.objects.get_for_object(suggestion)
    assert entries.count() == 2  # created, then approved
    approved = entries.latest("timestamp")
    assert approved.changes_dict["status"] == ["pending", "approved"]
    for entry in LogEntry.objects.all():
        text = json.dumps(
            [
                entry.changes,
                entry.object_repr,
                entry.serialized_data,
                entry.additional_data,
            ],
            ensure_ascii=False,
            default=str,
        )
        assert NAME not in text and EMAIL not in text
        assert "submitter" not in text
