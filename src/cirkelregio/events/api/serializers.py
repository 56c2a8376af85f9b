# SPDX-License-Identifier: EUPL-1.2
"""Input and output shapes of the repair-events API. No logic: writes go to
services, reads to selectors. Choice fields are named so that their OpenAPI enums do
not clash with other apps' (``event_kind``, ``event_status``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cirkelregio.events import ical, selectors
from cirkelregio.events.models import (
    EventKind,
    EventStatus,
    RepairEvent,
    ReparatieweekEdition,
)
from cirkelregio.regions.models import Municipality, Organisation
from cirkelregio.repair.models import RepairPlace


class SlugReferenceField(serializers.SlugRelatedField):
    """A reference by slug or code; a value with a NUL character matches nothing."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class OccurrenceSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


RECURRENCE_HELP = (
    "An iCalendar recurrence rule (RFC 5545 RRULE), e.g. "
    "FREQ=MONTHLY;BYDAY=2SA;UNTIL=20271231 for every second Saturday until the end "
    "of 2027. It must end (COUNT or UNTIL), within 5 years and 260 sessions, and "
    "the start must be one of its dates. Daily and weekly rules filter on BYDAY and "
    "BYMONTH only; the time of day comes from start. Stored with UNTIL in UTC. "
    "Empty for a single session."
)


# Events ------------------------------------------------------------------------------


class RepairEventSerializer(serializers.ModelSerializer):
    event_kind = serializers.ChoiceField(
        source="kind", choices=EventKind.choices, read_only=True
    )
    event_status = serializers.ChoiceField(
        source="status", choices=EventStatus.choices, read_only=True
    )
    place = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the repair place."
    )
    municipality = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    edition = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="Id of the Reparatieweek edition the event is an activity of.",
    )
    organiser = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    location = serializers.SerializerMethodField()
    website = serializers.CharField(
        read_only=True, help_text="A URL; empty when there is none."
    )
    recurrence = serializers.CharField(read_only=True, help_text=RECURRENCE_HELP)
    occurrences = serializers.SerializerMethodField()

    class Meta:
        model = RepairEvent
        fields = [
            "id",
            "title_nl",
            "title_en",
            "description_nl",
            "description_en",
            "event_kind",
            "place",
            "address",
            "location",
            "municipality",
            "start",
            "end",
            "recurrence",
            "last_end",
            "occurrences",
            "edition",
            "organiser",
            "website",
            "event_status",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "string",
            "description": "The repair place's name and address, or the address.",
        }
    )
    def get_location(self, obj: RepairEvent) -> str:
        return ical.location(obj)

    @extend_schema_field(OccurrenceSerializer(many=True))
    def get_occurrences(self, obj: RepairEvent) -> list[dict[str, Any]]:
        """The sessions in the period of from and until (all when neither is
        given), in order, each with its start and end."""
        sessions = getattr(obj, "sessions", None)
        if sessions is None:
            sessions = selectors.event_occurrences(obj)
        return OccurrenceSerializer(sessions, many=True).data  # type: ignore[return-value]


class RepairEventWriteSerializer(serializers.Serializer):
    """A new event or a change. Give a repair place (its municipality is taken) or
    an address and a municipality. Times without an offset are Amsterdam time."""

    title_nl = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_nl = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)
    event_kind = serializers.ChoiceField(source="kind", choices=EventKind.choices)
    place = serializers.PrimaryKeyRelatedField(
        queryset=RepairPlace.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of a published repair place (or one of your own).",
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    municipality = SlugReferenceField(
        slug_field="cbs_code",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text="CBS code of the municipality; that of the repair place when the "
        "event is held at one.",
    )
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    recurrence = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text=RECURRENCE_HELP
    )
    edition = serializers.PrimaryKeyRelatedField(
        queryset=ReparatieweekEdition.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of a published Reparatieweek edition; the event must have a "
        "session during it.",
    )
    organiser = SlugReferenceField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of the organiser: its editors may change the event. An "
        "editor gives their own organisation; only coordinators change it later.",
    )
    website = serializers.URLField(required=False, allow_blank=True, max_length=500)
    event_status = serializers.ChoiceField(
        source="status", choices=EventStatus.choices, required=False
    )


# Editions ----------------------------------------------------------------------------


class ReparatieweekEditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReparatieweekEdition
        fields = [
            "id",
            "name",
            "start_date",
            "end_date",
            "theme_nl",
            "theme_en",
            "description_nl",
            "description_en",
            "is_published",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ReparatieweekEditionWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    theme_nl = serializers.CharField(max_length=200, required=False, allow_blank=True)
    theme_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_nl = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)
    is_published = serializers.BooleanField(required=False)
