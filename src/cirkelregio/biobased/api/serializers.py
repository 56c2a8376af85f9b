# SPDX-License-Identifier: EUPL-1.2
"""Input and output shapes of the biobased-insulation API. No logic: writes go to
services, reads to selectors. Choice fields are named so that their OpenAPI enums do
not clash with other apps' (``source_channel``, ``basis``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rest_framework import serializers

from cirkelregio.biobased.models import (
    FIRST_YEAR,
    LAST_YEAR,
    Basis,
    InsulationMaterial,
    InsulationProject,
    SourceChannel,
)


class InsulationMaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = InsulationMaterial
        fields = (
            "code",
            "name_nl",
            "name_en",
            "biobased_share",
            "biobased_share_source",
            "biogenic_co2_per_kg",
            "biogenic_co2_source",
            "density_kg_m3",
            "density_source",
            "notes",
        )
        read_only_fields = fields


class InsulationProjectSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    material = serializers.SlugRelatedField(slug_field="code", read_only=True)
    source_channel = serializers.ChoiceField(
        choices=SourceChannel.choices, read_only=True
    )
    effective_biobased_share = serializers.FloatField(
        source="effective_share",
        read_only=True,
        allow_null=True,
        help_text="The reported share, else the material's typical share; null: "
        "unknown.",
    )
    effective_mass_kg = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="The reported mass, else area × thickness × density; null: unknown.",
    )

    class Meta:
        model = InsulationProject
        fields = (
            "id",
            "municipality",
            "year",
            "homes",
            "area_m2",
            "thickness_mm",
            "mass_kg",
            "material",
            "biobased_share",
            "effective_biobased_share",
            "effective_mass_kg",
            "source_channel",
            "source_reference",
            "is_demo",
        )
        read_only_fields = fields


class InsulationProjectWriteSerializer(serializers.Serializer):
    """The service checks the values and names the field of every problem (a
    negative number, a share outside 0-100 %, an unknown material)."""

    municipality = serializers.CharField(
        max_length=6, help_text="CBS code of the municipality, e.g. GM0344."
    )
    year = serializers.IntegerField(help_text=f"{FIRST_YEAR} to {LAST_YEAR}.")
    homes = serializers.IntegerField(help_text="Number of homes, 0 or more.")
    area_m2 = serializers.FloatField(help_text="Insulated area in m², 0 or more.")
    thickness_mm = serializers.FloatField(required=False, allow_null=True)
    mass_kg = serializers.FloatField(
        required=False, allow_null=True, help_text="Mass of material in kg, if known."
    )
    material = serializers.CharField(
        max_length=50, help_text="Code of the material (see materials/)."
    )
    biobased_share = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text="The product's own biobased share in %, 0 to 100, if reported.",
    )
    source_channel = serializers.ChoiceField(choices=SourceChannel.choices)
    source_reference = serializers.CharField(
        required=False, allow_blank=True, max_length=200
    )


class BiobasedProgressQuerySerializer(serializers.Serializer):
    municipality = serializers.RegexField(
        r"^GM\d{4}$",
        required=False,
        error_messages={"invalid": _("Give a CBS code: GM followed by four digits.")},
        help_text="CBS code of the municipality; the province when left out.",
    )
    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="The figures up to and including this year.",
    )
    basis = serializers.ChoiceField(
        choices=Basis.choices,
        required=False,
        help_text="What the share of the task is counted in; the site's default "
        "when left out.",
    )


class BiobasedTargetSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    share_percent = serializers.FloatField()
    threshold_percent = serializers.FloatField()
    source = serializers.CharField()
    quote = serializers.CharField()


class BiobasedProgressSerializer(serializers.Serializer):
    projects = serializers.IntegerField()
    homes = serializers.IntegerField()
    area_m2 = serializers.FloatField()
    known_projects = serializers.IntegerField()
    unknown_projects = serializers.IntegerField(
        help_text="Projects whose biobased share is unknown (left out of the shares)."
    )
    meeting_projects = serializers.IntegerField(
        help_text="Projects with at least the threshold share of biobased material."
    )
    meeting_homes = serializers.IntegerField()
    meeting_area_m2 = serializers.FloatField()
    meeting_share = serializers.FloatField(
        allow_null=True,
        help_text="Share (%) of the task, in the basis, carried out with at least the "
        "threshold share of biobased material.",
    )
    biobased_share_area = serializers.FloatField(allow_null=True)
    biobased_share_mass = serializers.FloatField(allow_null=True)
    co2_stored_kg = serializers.FloatField(
        help_text="Biogenic CO2 stored (kg), projects with a known mass and factor."
    )
    co2_unknown_projects = serializers.IntegerField()
    co2_unknown_area_m2 = serializers.FloatField()


class BiobasedYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    in_year = BiobasedProgressSerializer()
    cumulative = BiobasedProgressSerializer()


class BiobasedMunicipalityProgressSerializer(serializers.Serializer):
    municipality = serializers.CharField(
        source="municipality.cbs_code", help_text="CBS code."
    )
    name = serializers.CharField(source="municipality.name")
    progress = BiobasedProgressSerializer()


class BiobasedProgressReportSerializer(serializers.Serializer):
    target = BiobasedTargetSerializer()
    basis = serializers.ChoiceField(choices=Basis.choices)
    year = serializers.IntegerField(allow_null=True)
    municipality = serializers.CharField(
        source="municipality.cbs_code", allow_null=True, default=None
    )
    total = BiobasedProgressSerializer()
    years = BiobasedYearSerializer(many=True)
    municipalities = BiobasedMunicipalityProgressSerializer(many=True)
