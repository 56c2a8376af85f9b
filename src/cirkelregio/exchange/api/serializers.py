# SPDX-License-Identifier: EUPL-1.2
"""Input and output shapes of the exchange API. No logic: writes go to services,
reads to selectors. Choice fields are named so that their OpenAPI enums do not clash
with other apps' (``listing_kind``, ``listing_status``, ``run_status``,
``proposal_status``, ``quality_grade``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cirkelregio.core.uploads import upload_validator
from cirkelregio.engine.mki import BUILTIN_SETS
from cirkelregio.exchange.adapters import PARAMETER_NAMES
from cirkelregio.exchange.models import (
    ClosedReason,
    Depot,
    Listing,
    ListingKind,
    ListingPhoto,
    ListingStatus,
    MatchRun,
    MaterialClass,
    Proposal,
    ProposalStatus,
    Quality,
    RunStatus,
)
from cirkelregio.exchange.selectors import material_new_mki
from cirkelregio.mki.models import Profile
from cirkelregio.regions.models import Municipality, Organisation


class SlugReferenceField(serializers.SlugRelatedField):
    """A reference by slug or code; a value with a NUL character matches nothing."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


def _organisation(**kwargs: Any) -> SlugReferenceField:
    return SlugReferenceField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        help_text="Slug of the organisation.",
        **kwargs,
    )


def _municipality(**kwargs: Any) -> SlugReferenceField:
    return SlugReferenceField(
        slug_field="cbs_code",
        queryset=Municipality.objects.all(),
        help_text="CBS code of the municipality.",
        **kwargs,
    )


def _material(**kwargs: Any) -> SlugReferenceField:
    return SlugReferenceField(
        slug_field="code",
        queryset=MaterialClass.objects.all(),
        help_text="Code of the material class.",
        **kwargs,
    )


LAT = {"min_value": -90, "max_value": 90}
LON = {"min_value": -180, "max_value": 180}


# Catalogue ---------------------------------------------------------------------------


class MkiProfileRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Id of the profile in the MKI API.")
    code = serializers.CharField(source="profile_id")
    name = serializers.CharField()
    unit = serializers.CharField(help_text="The profile's functional unit.")
    library = serializers.CharField(source="library.name")


class NewMkiSerializer(serializers.Serializer):
    eur_per_unit = serializers.FloatField(
        help_text="The MKI per unit of new product that a match run uses now."
    )
    from_profile = serializers.BooleanField(
        help_text="Calculated from the linked MKI profile; false: the entered "
        "estimate (new_mki_eur)."
    )
    conversion = serializers.FloatField(
        allow_null=True,
        help_text="The profile's functional units per unit of the class, as used.",
    )
    method = serializers.CharField(
        help_text="The weighting set of the calculation (empty for an estimate)."
    )
    note = serializers.CharField(
        help_text="Why the estimate is used although a profile is linked."
    )


class MaterialClassSerializer(serializers.ModelSerializer):
    new_mki_profile = MkiProfileRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="The MKI profile of the new product the class replaces.",
    )
    new_mki_method = serializers.CharField(
        read_only=True,
        help_text="Weighting set for the profile's MKI: " + " or ".join(BUILTIN_SETS),
    )
    new_mki_used = serializers.SerializerMethodField(
        help_text="The new product MKI per unit a match run uses, and where it "
        "comes from."
    )

    class Meta:
        model = MaterialClass
        fields = [
            "id",
            "code",
            "name_nl",
            "name_en",
            "unit",
            "tonnes_per_unit",
            "new_cost_eur",
            "new_cost_source",
            "new_mki_eur",
            "new_mki_source",
            "new_mki_profile",
            "new_mki_conversion",
            "new_mki_method",
            "new_mki_used",
            "disposal_cost_eur",
            "disposal_cost_source",
            "is_demo",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(NewMkiSerializer)
    def get_new_mki_used(self, material: MaterialClass) -> dict[str, Any]:
        new = material_new_mki(material)
        return {
            "eur_per_unit": new.eur_per_unit,
            "from_profile": new.from_profile,
            "conversion": new.conversion,
            "method": new.method if new.from_profile else "",
            "note": new.note,
        }


class MaterialClassWriteSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=60)
    name_nl = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=20)
    tonnes_per_unit = serializers.FloatField(min_value=0)
    new_cost_eur = serializers.FloatField(min_value=0)
    new_cost_source = serializers.CharField()
    new_mki_eur = serializers.FloatField(
        min_value=0,
        help_text="Estimate, used when no MKI profile is linked (or it cannot be "
        "calculated).",
    )
    new_mki_source = serializers.CharField()
    new_mki_profile = serializers.PrimaryKeyRelatedField(
        queryset=Profile.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of an MKI profile (of a published library) of the new product "
        "the class replaces; null removes the link.",
    )
    new_mki_conversion = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text="How many of the profile's functional units make one unit of the "
        "class. Null: 1 for the same unit, tonnes_per_unit for a profile per tonne.",
    )
    new_mki_method = serializers.CharField(
        max_length=20,
        required=False,
        help_text="Weighting set for the profile's MKI: "
        + " or ".join(BUILTIN_SETS)
        + " (default nmd-a2).",
    )
    disposal_cost_eur = serializers.FloatField()
    disposal_cost_source = serializers.CharField()


# Depots ------------------------------------------------------------------------------


class StockSerializer(serializers.Serializer):
    material = serializers.CharField()
    quantity = serializers.FloatField()
    tonnes = serializers.FloatField()


class DepotSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    municipality = serializers.SlugRelatedField(
        slug_field="cbs_code", read_only=True, allow_null=True
    )

    class Meta:
        model = Depot
        fields = [
            "id",
            "owner",
            "name",
            "lat",
            "lon",
            "municipality",
            "capacity_tonnes",
            "storage_eur_per_tonne_week",
            "handling_eur_per_tonne",
            "is_active",
            "notes",
            "is_demo",
            "updated_at",
        ]
        read_only_fields = fields


class DepotWriteSerializer(serializers.Serializer):
    owner = _organisation()
    name = serializers.CharField(max_length=200)
    lat = serializers.FloatField(**LAT)
    lon = serializers.FloatField(**LON)
    municipality = _municipality(required=False, allow_null=True)
    capacity_tonnes = serializers.FloatField(min_value=0)
    storage_eur_per_tonne_week = serializers.FloatField(min_value=0)
    handling_eur_per_tonne = serializers.FloatField(min_value=0)
    is_active = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class DepotUpdateSerializer(DepotWriteSerializer):
    owner = None  # type: ignore[assignment]


# Listings ----------------------------------------------------------------------------


class ListingPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="Where the image is served (only to readers of the listing)."
    )
    image_format = serializers.CharField(read_only=True)

    class Meta:
        model = ListingPhoto
        fields = ["id", "url", "alt", "image_format", "width", "height", "order"]
        read_only_fields = fields

    def get_url(self, photo: ListingPhoto) -> str:
        return reverse("exchange-photo-file", args=[photo.pk])


class ListingPhotoUploadSerializer(serializers.Serializer):
    image = serializers.FileField(
        help_text="A JPEG, PNG or WebP image of at most 5 MB and 6000x6000 pixels."
    )
    alt = serializers.CharField(
        max_length=300, help_text="What the photo shows, for people who cannot see it."
    )


class ListingSerializer(serializers.ModelSerializer):
    listing_kind = serializers.ChoiceField(
        source="kind", choices=ListingKind.choices, read_only=True
    )
    listing_status = serializers.ChoiceField(
        source="status", choices=ListingStatus.choices, read_only=True
    )
    quality_grade = serializers.ChoiceField(
        source="quality", choices=Quality.choices, read_only=True
    )
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    material = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality = serializers.SlugRelatedField(
        slug_field="cbs_code", read_only=True, allow_null=True
    )
    remaining_quantity = serializers.FloatField(read_only=True)
    photos = ListingPhotoSerializer(many=True, read_only=True)
    closed_reason = serializers.ChoiceField(
        choices=ClosedReason.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Listing
        fields = [
            "id",
            "listing_kind",
            "owner",
            "reference",
            "project_name",
            "material",
            "quantity",
            "reserved_quantity",
            "remaining_quantity",
            "quality_grade",
            "lat",
            "lon",
            "country",
            "municipality",
            "window_from",
            "window_until",
            "listing_status",
            "closed_reason",
            "closed_at",
            "notes",
            "is_published",
            "is_demo",
            "photos",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ListingUpdateSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    project_name = serializers.CharField(max_length=200)
    material = _material()
    quantity = serializers.FloatField(min_value=0)
    quality_grade = serializers.ChoiceField(
        source="quality", choices=Quality.choices, required=False
    )
    lat = serializers.FloatField(**LAT)
    lon = serializers.FloatField(**LON)
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False)
    municipality = _municipality(required=False, allow_null=True)
    window_from = serializers.DateField()
    window_until = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True)
    is_published = serializers.BooleanField(required=False)
    listing_status = serializers.ChoiceField(
        source="status", choices=ListingStatus.choices, required=False
    )


class ListingWriteSerializer(ListingUpdateSerializer):
    listing_kind = serializers.ChoiceField(source="kind", choices=ListingKind.choices)
    owner = _organisation()
    listing_status = None  # type: ignore[assignment]


class ListingImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A CSV (UTF-8) or XLSX file of listings; its columns are in "
        "docs/exchange.md (listing import).",
        validators=[upload_validator("table")],
    )
    owner = SlugReferenceField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Slug of the owner of every listing in the file; without it "
        "(coordinators only) each row's owner column.",
    )


class ListingImportReportSerializer(serializers.Serializer):
    file = serializers.CharField()
    records = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    supplies = serializers.IntegerField()
    demands = serializers.IntegerField()


# Match runs and proposals ------------------------------------------------------------


class ProposalSerializer(serializers.ModelSerializer):
    proposal_status = serializers.ChoiceField(
        source="status", choices=ProposalStatus.choices, read_only=True
    )
    material = serializers.SlugRelatedField(slug_field="code", read_only=True)
    flow_kind = serializers.ChoiceField(
        choices=["direct", "to_depot", "from_depot"], read_only=True
    )
    released_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Proposal
        fields = [
            "id",
            "match_run",
            "flow_kind",
            "supply",
            "demand",
            "depot",
            "material",
            "week",
            "week_out",
            "week_in",
            "quantity",
            "tonnes",
            "distance_km",
            "tonne_km",
            "cost_share_eur",
            "transport_mki_eur",
            "proposal_status",
            "supply_accepted",
            "demand_accepted",
            "released_by",
            "released_at",
            "release_reason",
            "updated_at",
        ]
        read_only_fields = fields


class MatchRunSerializer(serializers.ModelSerializer):
    run_status = serializers.ChoiceField(
        source="status", choices=RunStatus.choices, read_only=True
    )
    started_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "run_status",
            "started_by",
            "parameters",
            "counts",
            "week0",
            "objective_eur",
            "baseline_eur",
            "savings_eur",
            "tonne_km",
            "transport_mki_eur",
            "new_mki_avoided_eur",
            "reused",
            "new_mki",
            "message",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class MatchRunDetailSerializer(MatchRunSerializer):
    flows = serializers.SerializerMethodField(
        help_text="The run's proposals the reader is involved in (coordinators: all)."
    )

    class Meta(MatchRunSerializer.Meta):
        fields = [*MatchRunSerializer.Meta.fields, "flows"]
        read_only_fields = fields

    @extend_schema_field(ProposalSerializer(many=True))
    def get_flows(self, run: MatchRun) -> list[dict[str, Any]]:
        visible = self.context.get("visible_proposals")
        qs = visible.filter(match_run=run) if visible is not None else []
        return ProposalSerializer(qs, many=True).data  # type: ignore[return-value]


class MatchRunStartSerializer(serializers.Serializer):
    """Engine parameters (docs/exchange-model.md); missing ones take the defaults."""

    transport_eur_per_tkm = serializers.FloatField(min_value=0, required=False)
    transport_mki_eur_per_tkm = serializers.FloatField(min_value=0, required=False)
    detour_factor = serializers.FloatField(min_value=0.01, required=False)
    max_distance_km = serializers.FloatField(min_value=0, required=False)
    mki_weight = serializers.FloatField(min_value=0, required=False)
    transport_co2_kg_per_tkm = serializers.FloatField(
        min_value=0,
        required=False,
        help_text="kg CO2 per tonne-km, only to report transport CO2 (no default).",
    )


assert set(MatchRunStartSerializer().fields) == set(PARAMETER_NAMES)


class SavingsSerializer(serializers.Serializer):
    municipality = serializers.CharField(allow_null=True, help_text="CBS code.")
    municipality_name = serializers.CharField()
    tonnes_reused = serializers.FloatField()
    tonnes_released = serializers.FloatField()
    new_cost_avoided_eur = serializers.FloatField()
    new_mki_avoided_eur = serializers.FloatField()
    disposal_avoided_eur = serializers.FloatField()
    transport_cost_eur = serializers.FloatField()
    tonne_km = serializers.FloatField()
    transport_mki_eur = serializers.FloatField()
    proposals = serializers.IntegerField()


class SavingsTotalsSerializer(serializers.Serializer):
    savings_eur = serializers.FloatField()
    objective_eur = serializers.FloatField()
    baseline_eur = serializers.FloatField()
    tonnes_reused = serializers.FloatField()
    new_mki_avoided_eur = serializers.FloatField()
    tonne_km = serializers.FloatField()
    transport_mki_eur = serializers.FloatField()


class RunSavingsSerializer(serializers.Serializer):
    totals = SavingsTotalsSerializer()
    municipalities = SavingsSerializer(many=True)
    co2_note = serializers.CharField(
        help_text="Why transport CO2 is not shown (no verified factor)."
    )


class ReleaseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, help_text="Why the reservation is released."
    )


class AnswerSerializer(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=["supply", "demand"],
        required=False,
        help_text="Answer for one side only (when one may answer for both).",
    )
