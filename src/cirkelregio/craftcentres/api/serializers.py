# SPDX-License-Identifier: EUPL-1.2
"""Input and output shapes of the craft-centres API. No logic: writes go to
services, reads to selectors. A site's ``kind`` is plain text (``existing`` or
``candidate``), so that its OpenAPI enum does not clash with other apps' ``kind``."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cirkelregio.craftcentres.models import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_P,
    CentreSite,
    NetworkModel,
    NetworkScenario,
)

MAX_ID = 2**31 - 1


class CentreSiteSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text="existing (always open) or candidate."
    )
    municipality = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    operator = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = CentreSite
        fields = (
            "id",
            "name",
            "kind",
            "municipality",
            "operator",
            "lat",
            "lon",
            "postcode",
            "location_from_postcode",
            "address",
            "notes",
            "source",
            "is_demo",
        )
        read_only_fields = fields


class CentreSiteWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.CharField(
        required=False,
        max_length=10,
        help_text="existing (always open; needs source) or candidate (default).",
    )
    municipality = serializers.CharField(
        max_length=6, help_text="CBS code of the municipality, e.g. GM0344."
    )
    lat = serializers.FloatField(required=False, allow_null=True)
    lon = serializers.FloatField(required=False, allow_null=True)
    postcode = serializers.CharField(
        max_length=4,
        required=False,
        allow_blank=True,
        help_text="A PC4 area; its centre is the position when lat/lon are not given.",
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    operator = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="Slug of the operating organisation.",
    )
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    source = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text="Required for an existing centre: where it is documented.",
    )


class NetworkScenarioSerializer(serializers.ModelSerializer):
    model = serializers.ChoiceField(choices=NetworkModel.choices, read_only=True)
    p_values = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    sites = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    kg_source = serializers.SerializerMethodField(
        help_text="The sources of the kg of bulky waste per inhabitant used."
    )
    solved_p = serializers.SerializerMethodField(
        help_text="The values of p whose network is stored."
    )

    class Meta:
        model = NetworkScenario
        fields = (
            "id",
            "name",
            "description",
            "model",
            "p_values",
            "coverage_km",
            "detour_factor",
            "reusable_percent",
            "reusable_source",
            "year",
            "kg_source",
            "sites",
            "solved_p",
            "chosen_p",
            "is_published",
            "is_demo",
            "error",
            "created_at",
            "finished_at",
        )
        read_only_fields = fields

    def get_kg_source(self, obj: NetworkScenario) -> str:
        return str(obj.parameters.get("kg_source", ""))

    def get_solved_p(self, obj: NetworkScenario) -> list[int]:
        return [r.p for r in obj.results.all()]


class NetworkScenarioCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    model = serializers.ChoiceField(choices=NetworkModel.choices)
    p_values = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_P),
        min_length=1,
        max_length=10,
        help_text="The numbers of centres to plan for, e.g. [1, 2, 3].",
    )
    coverage_km = serializers.FloatField(required=False, default=10.0)
    detour_factor = serializers.FloatField(required=False, default=1.3)
    reusable_percent = serializers.FloatField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Reusable share of bulky waste, 0-100 %; needs reusable_source.",
    )
    reusable_source = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The source of the share, or the statement that it is an assumption.",
    )
    year = serializers.IntegerField(
        min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False, default=2021
    )
    sites = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        help_text="Ids of the sites to choose from; default every site.",
    )
    is_published = serializers.BooleanField(required=False, default=False)


class CentreReportSerializer(serializers.Serializer):
    site = serializers.CharField(help_text="Id of the site.")
    name = serializers.CharField()
    existing = serializers.BooleanField()
    population_served = serializers.FloatField()
    municipalities = serializers.ListField(
        child=serializers.CharField(), help_text="Names of the municipalities served."
    )
    bulky_waste_tonnes = serializers.FloatField()
    harvestable_tonnes = serializers.FloatField(allow_null=True)
    average_distance_km = serializers.FloatField(allow_null=True)


class NetworkRowSerializer(serializers.Serializer):
    scenario = serializers.IntegerField()
    scenario_name = serializers.CharField()
    model = serializers.ChoiceField(choices=NetworkModel.choices)
    p = serializers.IntegerField()
    status = serializers.CharField()
    gap = serializers.FloatField(allow_null=True)
    coverage_km = serializers.FloatField()
    coverage_pct = serializers.FloatField(allow_null=True)
    average_distance_km = serializers.FloatField(allow_null=True)
    max_distance_km = serializers.FloatField()
    bulky_waste_tonnes = serializers.FloatField()
    harvestable_tonnes = serializers.FloatField(allow_null=True)
    harvestable_tonnes_per_centre = serializers.ListField(
        child=serializers.FloatField(allow_null=True)
    )
    municipalities_per_centre = serializers.ListField(child=serializers.IntegerField())
    centres = CentreReportSerializer(many=True)


class ScenarioResultSerializer(serializers.Serializer):
    p = serializers.IntegerField()
    seconds = serializers.FloatField()
    result = serializers.JSONField(
        source="data",
        help_text="The engine's network (NetworkResult.to_dict(), "
        "docs/craftcentres.md): open sites, per site the population, "
        "municipalities and tonnes, and per demand point its site and distance.",
    )


class ComparisonQuerySerializer(serializers.Serializer):
    scenario = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        help_text="Scenario ids (repeat the parameter); default every scenario you "
        "may read.",
    )


class MunicipalityNetworkSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="municipality.cbs_code")
    name = serializers.CharField(source="municipality.name")
    year = serializers.IntegerField()
    kg_per_inhabitant = serializers.FloatField(source="rate.kg_per_inhabitant")
    bulky_waste_tonnes = serializers.FloatField(source="rate.tonnes")
    source = serializers.CharField(source="rate.source")
    harvestable_tonnes = serializers.FloatField(allow_null=True)
    scenario = serializers.SerializerMethodField()
    p = serializers.IntegerField(allow_null=True)
    centre = serializers.SerializerMethodField()

    def get_scenario(self, obj: Any) -> int | None:
        return obj.scenario.pk if obj.scenario is not None else None

    def get_centre(self, obj: Any) -> str | None:
        return obj.centre["name"] if obj.centre else None
