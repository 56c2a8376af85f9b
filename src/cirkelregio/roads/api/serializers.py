# SPDX-License-Identifier: EUPL-1.2
"""Input and output shapes of the roads API. No logic: reads come from selectors,
imports go to services. Choice fields carry app-specific names so that their
OpenAPI enums do not clash with other apps'."""

from __future__ import annotations

from rest_framework import serializers

from cirkelregio.core.uploads import upload_validator
from cirkelregio.roads.models import (
    AsphaltMixture,
    Binder,
    DataSource,
    LayerRole,
    MaintenanceWork,
    MixtureFamily,
    Passport,
    PassportLayer,
    RoadSection,
    RoadType,
    WorkLayer,
    WorkStatus,
    WorkType,
)


class AsphaltMixtureSerializer(serializers.ModelSerializer):
    mixture_family = serializers.ChoiceField(
        source="family", choices=MixtureFamily.choices, read_only=True
    )
    layer_role = serializers.ChoiceField(choices=LayerRole.choices, read_only=True)
    is_asphalt = serializers.BooleanField(read_only=True)

    class Meta:
        model = AsphaltMixture
        fields = [
            "code",
            "name_nl",
            "name_en",
            "mixture_family",
            "layer_role",
            "max_aggregate_mm",
            "density_t_per_m3",
            "density_source",
            "source",
            "note",
            "is_standard",
            "is_asphalt",
        ]
        read_only_fields = fields


class RoadSectionSerializer(serializers.ModelSerializer):
    authority = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    municipality = serializers.SlugRelatedField(
        slug_field="cbs_code", read_only=True, allow_null=True
    )
    road_type = serializers.ChoiceField(choices=RoadType.choices, read_only=True)
    geometry = serializers.JSONField(
        read_only=True, help_text="GeoJSON geometry in WGS84 (RFC 7946)."
    )
    bbox = serializers.ListField(
        child=serializers.FloatField(),
        read_only=True,
        help_text="[west, south, east, north] in degrees.",
    )

    class Meta:
        model = RoadSection
        fields = [
            "id",
            "authority",
            "external_id",
            "name",
            "street",
            "road_type",
            "geometry",
            "bbox",
            "area_m2",
            "area_computed",
            "length_m",
            "municipality",
            "is_demo",
            "updated_at",
        ]
        read_only_fields = fields


class RoadPassportLayerSerializer(serializers.ModelSerializer):
    mixture = serializers.SlugRelatedField(slug_field="code", read_only=True)
    binder = serializers.ChoiceField(choices=Binder.choices, read_only=True)

    class Meta:
        model = PassportLayer
        fields = [
            "position",
            "mixture",
            "thickness_mm",
            "year_laid",
            "pr_percent",
            "binder",
            "pak_mg_per_kg",
            "tar_containing",
            "offered_for_reuse",
            "density_t_per_m3",
            "density_source",
        ]
        read_only_fields = fields


class RoadPassportSerializer(serializers.ModelSerializer):
    data_source = serializers.ChoiceField(choices=DataSource.choices, read_only=True)
    layers = RoadPassportLayerSerializer(many=True, read_only=True)

    class Meta:
        model = Passport
        fields = ["id", "valid_from", "valid_to", "data_source", "note", "layers"]
        read_only_fields = fields


class RoadWorkLayerSerializer(serializers.ModelSerializer):
    mixture = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = WorkLayer
        fields = [
            "position",
            "mixture",
            "thickness_mm",
            "pr_percent",
            "low_temperature",
            "density_t_per_m3",
            "density_source",
        ]
        read_only_fields = fields


class RoadWorkSerializer(serializers.ModelSerializer):
    authority = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    section = serializers.PrimaryKeyRelatedField(read_only=True)
    section_external_id = serializers.CharField(
        source="section.external_id", read_only=True
    )
    work_type = serializers.ChoiceField(choices=WorkType.choices, read_only=True)
    work_status = serializers.ChoiceField(
        source="status", choices=WorkStatus.choices, read_only=True
    )
    new_layers = RoadWorkLayerSerializer(many=True, read_only=True)

    class Meta:
        model = MaintenanceWork
        fields = [
            "id",
            "authority",
            "external_id",
            "section",
            "section_external_id",
            "window_start",
            "window_end",
            "work_type",
            "removal_depth_mm",
            "layers_removed",
            "work_status",
            "note",
            "plant",
            "new_layers",
            "is_demo",
        ]
        read_only_fields = fields


class RoadMaterialLineSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    mixture = serializers.CharField()
    thickness_mm = serializers.FloatField(help_text="Removed or laid thickness.")
    area_m2 = serializers.FloatField()
    tonnes = serializers.FloatField(
        allow_null=True, help_text="Null when the mixture has no verified density."
    )
    is_asphalt = serializers.BooleanField()
    tar_containing = serializers.BooleanField()
    hazardous = serializers.BooleanField()
    eural = serializers.CharField(help_text="17 03 01* (tar-containing) or 17 03 02.")
    offered = serializers.BooleanField(
        help_text="Offered for reuse: tar-free asphalt the authority offers."
    )
    pr_percent = serializers.FloatField()
    reclaimed_tonnes = serializers.FloatField(allow_null=True)
    error = serializers.CharField()


class RoadWorkMaterialsSerializer(serializers.Serializer):
    work = serializers.IntegerField(source="work.pk")
    passport = serializers.IntegerField(source="passport.pk", allow_null=True)
    complete = serializers.BooleanField(
        help_text="False when some tonnes are unknown; the totals are then null."
    )
    released = RoadMaterialLineSerializer(many=True)
    needed = RoadMaterialLineSerializer(many=True)
    released_tonnes = serializers.FloatField(allow_null=True)
    offered_tonnes = serializers.FloatField(allow_null=True)
    hazardous_tonnes = serializers.FloatField(allow_null=True)
    needed_tonnes = serializers.FloatField(allow_null=True)
    needed_reclaimed_tonnes = serializers.FloatField(allow_null=True)
    error = serializers.CharField()


class RoadUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The file (formats: docs/roads.md).",
        validators=[upload_validator("geo")],
    )
    authority = serializers.SlugField(
        required=False,
        help_text="Slug of the road authority; otherwise the file's authority column.",
    )


class RoadSectionUploadSerializer(RoadUploadSerializer):
    crs = serializers.ChoiceField(
        choices=["EPSG:4326", "EPSG:28992"],
        default="EPSG:4326",
        help_text="Coordinates where the file does not say.",
    )


class RoadImportReportSerializer(serializers.Serializer):
    file = serializers.CharField()
    records = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
