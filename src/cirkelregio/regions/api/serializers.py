# SPDX-License-Identifier: EUPL-1.2
"""Input and output shapes of the registry API. No logic: writes go to services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cirkelregio.accounts import rules
from cirkelregio.regions.models import (
    ActionLine,
    ActivityStatus,
    AnnualPlan,
    Municipality,
    Organisation,
    OrganisationKind,
    Participation,
    ParticipationRole,
    Phase,
    PlannedActivity,
    PlanStatus,
)


class SlugReferenceField(serializers.SlugRelatedField):
    """A reference to a record by its slug or code. A value with a NUL character
    matches no record; it is refused before the query, which PostgreSQL would fail."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class GeoJSONGeometryField(serializers.JSONField):
    pass


@extend_schema_field(
    {
        "type": "object",
        "description": "GeoJSON geometry (RFC 7946), WGS84, longitude first.",
        "properties": {
            "type": {"type": "string", "enum": ["Polygon", "MultiPolygon"]},
            "coordinates": {"type": "array", "items": {}},
        },
        "required": ["type", "coordinates"],
    }
)
class BoundaryField(GeoJSONGeometryField):
    pass


class MunicipalitySerializer(serializers.ModelSerializer):
    boundary = BoundaryField(read_only=True)
    bbox = serializers.ListField(
        child=serializers.FloatField(),
        read_only=True,
        help_text="[west, south, east, north] in degrees.",
    )

    class Meta:
        model = Municipality
        fields = [
            "cbs_code",
            "name",
            "slug",
            "population",
            "population_year",
            "area_km2",
            "centroid_lat",
            "centroid_lon",
            "bbox",
            "boundary",
        ]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    municipality = SlugReferenceField(
        slug_field="cbs_code",
        queryset=Municipality.objects.all(),
        allow_null=True,
        required=False,
        help_text="CBS code of the municipality.",
    )

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "name",
            "kind",
            "municipality",
            "website",
            "is_published",
            "is_demo",
        ]
        read_only_fields = ["slug", "is_demo"]


class SubGoalSerializer(serializers.Serializer):
    text_nl = serializers.CharField()
    text_en = serializers.CharField()


class LineActivitySerializer(serializers.Serializer):
    title_nl = serializers.CharField()
    text_nl = serializers.CharField()


class ActionLineSerializer(serializers.ModelSerializer):
    subgoals = SubGoalSerializer(many=True, read_only=True)
    activities = LineActivitySerializer(many=True, read_only=True)
    r_strategies = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    participant_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ActionLine
        fields = [
            "number",
            "slug",
            "domain",
            "name_nl",
            "name_en",
            "quote_nl",
            "quote_en",
            "summary_nl",
            "summary_en",
            "main_goal_nl",
            "main_goal_en",
            "subgoals",
            "activities",
            "r_strategies",
            "participant_count",
        ]
        read_only_fields = fields


class PhaseChangeSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Phase.choices)
    changed_on = serializers.DateField()


class ParticipationSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    action_line = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    municipality = serializers.SerializerMethodField()
    phase_history = serializers.SerializerMethodField()
    contact_name = serializers.SerializerMethodField()
    contact_email = serializers.SerializerMethodField()

    class Meta:
        model = Participation
        fields = [
            "id",
            "organisation",
            "action_line",
            "municipality",
            "phase",
            "role",
            "since",
            "contact_name",
            "contact_email",
            "note_nl",
            "source",
            "is_demo",
            "phase_history",
        ]
        read_only_fields = fields

    def _may_see_contact(self, obj: Participation) -> bool:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return bool(
            user and user.is_authenticated and rules.can_change_participation(user, obj)
        )

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "description": "CBS code of the municipality the organisation is or is "
            "based in; null when it has none.",
        }
    )
    def get_municipality(self, obj: Participation) -> str | None:
        m = obj.organisation.municipality
        return m.cbs_code if m else None

    @extend_schema_field(PhaseChangeSerializer(many=True))
    def get_phase_history(self, obj: Participation) -> list[dict[str, Any]]:
        return [
            {"phase": c.phase, "changed_on": c.changed_on}
            for c in obj.phase_changes.all()
        ]

    @extend_schema_field(
        {"type": "string", "description": "Shown only to those who may edit it."}
    )
    def get_contact_name(self, obj: Participation) -> str:
        return obj.contact_name if self._may_see_contact(obj) else ""

    @extend_schema_field(
        {"type": "string", "description": "Shown only to those who may edit it."}
    )
    def get_contact_email(self, obj: Participation) -> str:
        return obj.contact_email if self._may_see_contact(obj) else ""


class ParticipationCreateSerializer(serializers.Serializer):
    organisation = SlugReferenceField(
        slug_field="slug", queryset=Organisation.objects.all()
    )
    action_line = SlugReferenceField(
        slug_field="slug", queryset=ActionLine.objects.all()
    )
    phase = serializers.ChoiceField(choices=Phase.choices)
    role = serializers.ChoiceField(choices=ParticipationRole.choices)
    since = serializers.DateField(required=False)
    contact_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200
    )
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    note_nl = serializers.CharField(required=False, allow_blank=True)


class ParticipationUpdateSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Phase.choices, required=False)
    role = serializers.ChoiceField(choices=ParticipationRole.choices, required=False)
    since = serializers.DateField(required=False)
    contact_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200
    )
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    note_nl = serializers.CharField(required=False, allow_blank=True)
    changed_on = serializers.DateField(
        required=False, help_text="Date of a phase change (default today)."
    )


class OrganisationWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    municipality = SlugReferenceField(
        slug_field="cbs_code",
        queryset=Municipality.objects.all(),
        allow_null=True,
        required=False,
    )
    website = serializers.URLField(required=False, allow_blank=True)
    is_published = serializers.BooleanField(required=False)


#: What was achieved, read-only in the API.
PROGRESS_FIELDS = [
    "status_changed_on",
    "achievement_nl",
    "achievement_en",
    "achievement_figure",
    "achievement_url",
]


class PlannedActivitySerializer(serializers.ModelSerializer):
    lead = SlugReferenceField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        allow_null=True,
        required=False,
    )
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    # Not format "uri": empty when there is none.
    achievement_url = serializers.CharField(
        read_only=True, help_text="A URL; empty when there is none."
    )

    class Meta:
        model = PlannedActivity
        fields = [
            "id",
            "order",
            "title_nl",
            "description_nl",
            "status",
            "lead",
            "quarter",
            *PROGRESS_FIELDS,
        ]
        # The progress is recorded on its own page (annual_plan_progress_update),
        # with its rules; the API shows it.
        read_only_fields = ["id", "order", *PROGRESS_FIELDS]


class AnnualPlanSerializer(serializers.ModelSerializer):
    action_line = SlugReferenceField(
        slug_field="slug", queryset=ActionLine.objects.all()
    )
    activities = PlannedActivitySerializer(many=True, required=False)
    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "action_line",
            "year",
            "title_nl",
            "title_en",
            "summary_nl",
            "status",
            "is_demo",
            "activities",
        ]
        read_only_fields = ["id", "is_demo"]
        # One plan per line and year: checked by the service, which reports it on
        # the field ``year`` rather than on the whole request.
        validators: list[Any] = []


class AnnualPlanUpdateSerializer(serializers.Serializer):
    title_nl = serializers.CharField(max_length=300, required=False)
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    summary_nl = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)


class PlannedActivityUpdateSerializer(serializers.Serializer):
    """What may change on a planned activity. Editors of the lead organisation may
    change the status and description; coordinators everything listed here."""

    title_nl = serializers.CharField(max_length=300, required=False)
    description_nl = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    lead = SlugReferenceField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        allow_null=True,
        required=False,
    )
    quarter = serializers.IntegerField(
        min_value=1, max_value=4, allow_null=True, required=False
    )


class PlannedActivityDetailSerializer(PlannedActivitySerializer):
    plan = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(PlannedActivitySerializer.Meta):
        fields = ["plan", *PlannedActivitySerializer.Meta.fields]
        read_only_fields = fields
