# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from rest_framework import serializers

from cirkelregio.monitoring.models import Indicator, IndicatorValue


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    action_line = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    action_line_number = serializers.IntegerField(
        source="action_line.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_nl",
            "name_en",
            "definition_nl",
            "definition_en",
            "unit",
            "min_value",
            "max_value",
            "decimals",
            "direction",
            "action_line",
            "action_line_number",
            "scope",
            "source_kind",
            "source_nl",
            "target_value",
            "target_year",
            "target_source",
            "is_published",
            "order",
        ]


class IndicatorValueSerializer(serializers.ModelSerializer[IndicatorValue]):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality = serializers.SlugRelatedField(
        slug_field="cbs_code", read_only=True, allow_null=True
    )
    municipality_name = serializers.CharField(
        source="municipality.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "municipality",
            "municipality_name",
            "year",
            "value",
            "source",
            "is_computed",
            "computed_at",
            "updated_at",
            "note",
        ]


class ValueEntrySerializer(serializers.Serializer[dict[str, object]]):
    """A value entered by hand (coordinators)."""

    indicator = serializers.CharField(help_text="Indicator code.")
    municipality = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="CBS code or slug; empty for the region.",
    )
    year = serializers.IntegerField()
    value = serializers.FloatField()
    source = serializers.CharField(allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
