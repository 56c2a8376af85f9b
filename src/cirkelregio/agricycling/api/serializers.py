# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cirkelregio.agricycling import rules, selectors
from cirkelregio.agricycling.models import (
    AllocationMode,
    AllocationRun,
    CompostBatch,
    CompostValueTo,
    MowingParcel,
    Season,
    Tariffs,
)
from cirkelregio.core.uploads import upload_validator
from cirkelregio.engine.agricycling.allocation import (
    DEFAULT_DETOUR_FACTOR,
    DEFAULT_MAX_DISTANCE_KM,
)


class AgricyclingSeasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Season
        fields = ["id", "label", "starts_on", "ends_on", "is_demo"]
        read_only_fields = fields


class AgricyclingParcelSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    municipality = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    expected_tonnes = serializers.FloatField(read_only=True)
    geometry = serializers.JSONField(read_only=True, help_text="GeoJSON in WGS84.")

    class Meta:
        model = MowingParcel
        fields = [
            "id",
            "owner",
            "external_id",
            "name",
            "geometry",
            "centroid_lat",
            "centroid_lon",
            "municipality",
            "tonnes_per_round",
            "rounds_per_season",
            "tonnes_per_season",
            "expected_tonnes",
            "quality_notes",
            "alternative_eur_per_t",
            "is_demo",
        ]
        read_only_fields = fields


class AgricyclingFarmSerializer(serializers.Serializer):
    """A farm; its name, organisation and exact location only for coordinators
    and its own editors (the public gets the location to about a kilometre)."""

    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The name, or 'Farm in <municipality>'.")
    is_member = serializers.BooleanField()
    municipality = serializers.CharField(allow_null=True)
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    capacities = serializers.DictField(
        child=serializers.FloatField(), help_text="Season label -> capacity (t)."
    )
    is_demo = serializers.BooleanField()

    def to_representation(self, farm: Any) -> dict[str, Any]:
        user = self.context["request"].user
        lat, lon = selectors.farm_point(farm, user)
        return {
            "id": farm.pk,
            "name": selectors.farm_label(farm, user),
            "is_member": farm.is_member,
            "municipality": farm.municipality.slug if farm.municipality else None,
            "lat": lat,
            "lon": lon,
            "capacities": {c.season.label: c.capacity_t for c in farm.capacities.all()},
            "is_demo": farm.is_demo,
        }


class AgricyclingTariffsSerializer(serializers.ModelSerializer):
    season = serializers.SlugRelatedField(
        slug_field="label", queryset=Season.objects.all()
    )
    fee_eur_per_t = serializers.DecimalField(max_digits=12, decimal_places=4)
    transport_eur_per_tkm = serializers.DecimalField(max_digits=12, decimal_places=4)
    composting_eur_per_t = serializers.DecimalField(max_digits=12, decimal_places=4)
    compost_value_eur_per_t = serializers.DecimalField(max_digits=12, decimal_places=4)
    compost_value_to = serializers.ChoiceField(
        choices=CompostValueTo.choices, default=CompostValueTo.FARM
    )

    class Meta:
        model = Tariffs
        fields = [
            "season",
            "fee_eur_per_t",
            "transport_eur_per_tkm",
            "composting_eur_per_t",
            "compost_value_eur_per_t",
            "compost_yield",
            "compost_value_to",
            "source",
            "is_demo",
            "updated_at",
        ]
        read_only_fields = ["is_demo", "updated_at"]


class AgricyclingBatchSerializer(serializers.ModelSerializer):
    farm = serializers.SerializerMethodField()
    season = serializers.SlugRelatedField(slug_field="label", read_only=True)

    class Meta:
        model = CompostBatch
        fields = [
            "id",
            "farm",
            "season",
            "code",
            "tonnes",
            "status",
            "certifier",
            "certified_on",
            "organic_matter_pct_dm",
            "dry_matter_pct",
            "nitrogen_g_per_kg",
            "phosphate_g_per_kg",
            "potash_g_per_kg",
            "ph",
            "is_demo",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_farm(self, batch: CompostBatch) -> str:
        return selectors.farm_label(batch.farm, self.context["request"].user)


class AgricyclingRunStartSerializer(serializers.Serializer):
    season = serializers.SlugRelatedField(
        slug_field="label", queryset=Season.objects.all()
    )
    mode = serializers.ChoiceField(
        choices=AllocationMode.choices, default=AllocationMode.SPLIT
    )
    max_distance_km = serializers.FloatField(
        default=DEFAULT_MAX_DISTANCE_KM, min_value=0.1, max_value=100
    )
    detour_factor = serializers.FloatField(
        default=DEFAULT_DETOUR_FACTOR, min_value=1, max_value=3
    )
    time_limit = serializers.FloatField(
        default=20.0, min_value=0.1, max_value=120, help_text="Seconds for HiGHS."
    )


class AgricyclingRunSerializer(serializers.ModelSerializer):
    season = serializers.SlugRelatedField(slug_field="label", read_only=True)
    composted_by_municipality = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()

    class Meta:
        model = AllocationRun
        fields = [
            "id",
            "season",
            "mode",
            "max_distance_km",
            "detour_factor",
            "time_limit",
            "started_at",
            "seconds",
            "status",
            "gap",
            "placed_tonnes",
            "unplaced_tonnes",
            "composted_by_municipality",
            "result",
            "is_demo",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=serializers.FloatField()))
    def get_composted_by_municipality(self, run: AllocationRun) -> dict[str, float]:
        return selectors.composted_by_municipality(run=run)

    @extend_schema_field(
        serializers.JSONField(
            allow_null=True,
            help_text="The engine's result (docs/agricycling.md); coordinators only, "
            "as it names the farms.",
        )
    )
    def get_result(self, run: AllocationRun) -> Any:
        return (
            run.result if rules.is_coordinator(self.context["request"].user) else None
        )


class AgricyclingPartySerializer(serializers.Serializer):
    role = serializers.CharField()
    party = serializers.CharField()
    name = serializers.CharField()
    tonnes = serializers.DecimalField(max_digits=14, decimal_places=3)
    eur = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Pays (owner) or composting fee."
    )
    share = serializers.DecimalField(max_digits=14, decimal_places=2)
    compost_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class AgricyclingSettlementSerializer(serializers.Serializer):
    season = serializers.CharField()
    full = serializers.BooleanField(
        help_text="False: only the parties the user may see are listed."
    )
    balanced = serializers.BooleanField()
    fees = serializers.DecimalField(max_digits=14, decimal_places=2)
    transport = serializers.DecimalField(max_digits=14, decimal_places=2)
    composting = serializers.DecimalField(max_digits=14, decimal_places=2)
    compost_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    compost_value_to = serializers.CharField()
    result = serializers.DecimalField(max_digits=14, decimal_places=2)
    owners = AgricyclingPartySerializer(many=True)
    farms = AgricyclingPartySerializer(many=True)


class AgricyclingStatementLineSerializer(serializers.Serializer):
    description = serializers.CharField()
    quantity = serializers.CharField()
    unit = serializers.CharField()
    eur = serializers.DecimalField(max_digits=14, decimal_places=2)


class AgricyclingStatementSerializer(serializers.Serializer):
    season = serializers.CharField()
    role = serializers.CharField()
    party = serializers.CharField()
    name = serializers.CharField()
    total_eur = serializers.DecimalField(max_digits=14, decimal_places=2)
    lines = AgricyclingStatementLineSerializer(many=True)


class AgricyclingUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The file (formats: docs/agricycling.md).",
        validators=[upload_validator("geo")],
    )


class AgricyclingParcelUploadSerializer(AgricyclingUploadSerializer):
    owner = serializers.SlugField(
        required=False, help_text="Slug of the owner; otherwise the file's owner."
    )
    crs = serializers.ChoiceField(
        choices=["EPSG:4326", "EPSG:28992"], default="EPSG:4326"
    )


class AgricyclingFarmUploadSerializer(AgricyclingUploadSerializer):
    season = serializers.SlugRelatedField(
        slug_field="label", queryset=Season.objects.all()
    )


class AgricyclingImportReportSerializer(serializers.Serializer):
    file = serializers.CharField()
    kind = serializers.CharField()
    records = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class AgricyclingAllocateFileSerializer(AgricyclingUploadSerializer):
    mode = serializers.ChoiceField(
        choices=AllocationMode.choices, default=AllocationMode.SPLIT
    )
    max_distance_km = serializers.FloatField(required=False, min_value=0.1)
    detour_factor = serializers.FloatField(required=False, min_value=1)
    transport_eur_per_tkm = serializers.FloatField(required=False, min_value=0)
    time_limit = serializers.FloatField(default=20.0, min_value=0.1, max_value=60)


class AgricyclingAllocationResultSerializer(serializers.Serializer):
    mode = serializers.CharField()
    status = serializers.CharField()
    gap = serializers.FloatField(allow_null=True)
    parameters = serializers.DictField()
    transport_eur = serializers.FloatField()
    alternative_eur = serializers.FloatField()
    total_eur = serializers.FloatField()
    placed_tonnes = serializers.FloatField()
    unplaced_tonnes = serializers.FloatField()
    placements = serializers.ListField(child=serializers.DictField())
    unplaced = serializers.ListField(child=serializers.DictField())
    farms = serializers.ListField(child=serializers.DictField())
    stats = serializers.DictField()
