# SPDX-License-Identifier: EUPL-1.2
"""Suggestions of a new repair place, or of a correction of one, by the public (the
forms on the Reparatiekaart), and their review by a coordinator.

A suggestion is checked with the rules of the place services before it is stored:
the postcode's form, a point in the Netherlands (or a known postcode area), known
categories; opening hours that cannot be read are kept as text and flagged, never
dropped. Against spam: a honeypot field, and a limit per client address
(``cirkelregio.core.ratelimit``) that counts what was stored and what the honeypot
caught (a request with invalid fields stores nothing and is not counted).

Approving a new place creates it through ``place_create``; approving a correction
changes only the fields that were filled in, through ``place_update``. The change
and the decision are one transaction: when the change is refused, nothing is
written and the suggestion stays pending. The submitter's name and e-mail address
are never logged (nor in the audit log).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.core.ratelimit import RateLimit, SuggestionRateLimitedError
from cirkelregio.repair import hours, rules
from cirkelregio.repair.models import (
    SUGGESTION_PLACE_FIELDS,
    RepairPlace,
    RepairPlaceSuggestion,
    SuggestionStatus,
    SuggestionType,
)
from cirkelregio.repair.services._common import full_clean, require, save
from cirkelregio.repair.services.location import normalise_postcode
from cirkelregio.repair.services.places import (
    _category_objects,
    place_create,
    place_location_check,
    place_update,
)

__all__ = [
    "SUGGESTIONS_PER_WINDOW",
    "SuggestionHoneypotError",
    "SuggestionRateLimitedError",
    "place_suggestion_approve",
    "place_suggestion_reject",
    "place_suggestion_submit",
    "place_suggestion_wait",
]

SUGGESTIONS_PER_WINDOW = 5
WINDOW_SECONDS = 3600
LIMIT = RateLimit("repair:suggestions", SUGGESTIONS_PER_WINDOW, WINDOW_SECONDS)

SUGGESTION_FIELDS = {
    *SUGGESTION_PLACE_FIELDS,
    "message",
    "submitter_name",
    "submitter_email",
}


class SuggestionHoneypotError(Exception):
    """The field that people do not see was filled in: taken for spam."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Your suggestion was not sent: the form was filled in as if by a "
                "computer program. Please send it again; if this keeps happening, "
                "turn off automatic form filling."
            )
        )


def place_suggestion_wait(*, client: str) -> int:
    """Seconds until ``client`` may suggest again; 0 when it may now."""
    return LIMIT.wait(client=client)


def _clean_text(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.strip() if isinstance(value, str) else value
        for name, value in fields.items()
    }


def _check(suggestion: RepairPlaceSuggestion) -> None:
    """The place rules, for the fields that were filled in; all errors at once."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    is_new = suggestion.type == SuggestionType.NEW
    if is_new:
        if not suggestion.name:
            add("name", _("Give the name of the place."))
        if not suggestion.kind:
            add("kind", _("Choose the kind of place."))
    elif suggestion.type == SuggestionType.CORRECTION:
        if suggestion.place is None or not suggestion.place.is_published:
            add("place", _("Choose a place on the repair map to correct."))
        elif not (suggestion.proposed() or suggestion.message):
            add(
                NON_FIELD_ERRORS,
                _("Change at least one detail, or say what is wrong."),
            )
    try:
        suggestion.postcode = normalise_postcode(suggestion.postcode or "")
    except ValueError as exc:
        add("postcode", _(str(exc)))
    lat, lon = suggestion.lat, suggestion.lon
    point_given = lat is not None or lon is not None
    place = suggestion.place if not is_new else None
    if place is not None and not point_given and not place.coordinates_derived:
        lat, lon = place.lat, place.lon  # a new postcode keeps the given point
    if "postcode" not in errors and (is_new or suggestion.postcode or point_given):
        try:
            place_location_check(postcode=suggestion.postcode, lat=lat, lon=lon)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    add(field, message)
    try:
        _category_objects(suggestion.categories)
    except ValidationError as exc:
        for message in exc.message_dict["categories"]:
            add("categories", message)
    suggestion.opening_hours_unparsable = (
        hours.parse_problem(suggestion.opening_hours) is not None
    )
    try:
        full_clean(suggestion, exclude=set(errors))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                add(field, message)
    if errors:
        raise ValidationError(errors)


def place_suggestion_submit(
    *,
    client: str,
    type: str,
    place: RepairPlace | None = None,
    categories: Iterable[str] = (),
    honeypot: str = "",
    **fields: Any,
) -> RepairPlaceSuggestion:
    """Store a suggestion from the public as pending: a ``new`` place, or a
    ``correction`` of ``place`` (only the fields given are proposed changes).

    Raises ``SuggestionRateLimitedError`` when the client has sent too many,
    ``SuggestionHoneypotError`` when the honeypot is filled in (nothing is stored;
    it counts towards the limit), and a ValidationError naming the fields."""
    LIMIT.check(client=client)
    if honeypot:
        LIMIT.count(client=client)
        raise SuggestionHoneypotError()
    unknown = set(fields) - SUGGESTION_FIELDS
    if unknown:
        raise ValidationError(
            {n: _("This field cannot be changed here.") for n in sorted(unknown)}
        )
    if type not in SuggestionType.values:
        raise ValidationError({"type": _("Choose a new place or a correction.")})
    suggestion = RepairPlaceSuggestion(
        type=type,
        place=place if type == SuggestionType.CORRECTION else None,
        categories=list(dict.fromkeys(categories)),
        **_clean_text(fields),
    )
    _check(suggestion)
    with transaction.atomic():
        save(suggestion)
    LIMIT.count(client=client)
    return suggestion


def _decide(
    actor: User | None, suggestion: RepairPlaceSuggestion
) -> RepairPlaceSuggestion:
    """The suggestion, locked, if it is still pending."""
    require(rules.can_review_place_suggestions(actor))
    locked = RepairPlaceSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status == SuggestionStatus.APPROVED:
        raise ValidationError(_("This suggestion has already been approved."))
    if locked.status == SuggestionStatus.REJECTED:
        raise ValidationError(_("This suggestion has already been rejected."))
    return locked


def _record(
    suggestion: RepairPlaceSuggestion,
    actor: User | None,
    status: str,
    note: str,
) -> None:
    suggestion.status = status
    suggestion.decided_by = actor if isinstance(actor, User) else None
    suggestion.decided_at = timezone.now()
    suggestion.decision_note = note
    suggestion.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "place"]
    )


@transaction.atomic
def place_suggestion_approve(
    *, actor: User | None, suggestion: RepairPlaceSuggestion, note: str = ""
) -> RepairPlace:
    """Create the place (``new``) or apply the filled-in fields (``correction``),
    and mark the suggestion approved; all or nothing. Returns the place."""
    suggestion = _decide(actor, suggestion)
    proposed = suggestion.proposed()
    categories = proposed.pop("categories", None)
    if suggestion.type == SuggestionType.NEW:
        place = place_create(actor=actor, categories=categories or (), **proposed)
    else:
        if suggestion.place is None:
            raise ValidationError(_("The place of this correction no longer exists."))
        place = place_update(
            actor=actor, place=suggestion.place, categories=categories, **proposed
        )
    suggestion.place = place
    _record(suggestion, actor, SuggestionStatus.APPROVED, note.strip())
    return place


@transaction.atomic
def place_suggestion_reject(
    *, actor: User | None, suggestion: RepairPlaceSuggestion, note: str
) -> RepairPlaceSuggestion:
    """Mark the suggestion rejected, with a note that says why."""
    suggestion = _decide(actor, suggestion)
    if not note.strip():
        raise ValidationError(
            {"decision_note": _("Say why the suggestion is rejected.")}
        )
    _record(suggestion, actor, SuggestionStatus.REJECTED, note.strip())
    return suggestion
