# SPDX-License-Identifier: EUPL-1.2
"""Input and output shapes of the MKI API. No logic: writes go to services, reads and
calculations to selectors.

Choice fields are named so that their OpenAPI enums do not clash with the registry's
(``project_phase``, ``criterion_kind``, ``outcome``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cirkelregio.core.uploads import upload_validator
from cirkelregio.engine.mki import BUILTIN_SETS, DATA_CATEGORIES
from cirkelregio.mki.models import (
    Bid,
    BillLine,
    CalculationResult,
    CriterionKind,
    Element,
    Outcome,
    Profile,
    ProfileLibrary,
    Project,
    ProjectPhase,
    ReplacementRule,
    Tender,
    Variant,
)
from cirkelregio.regions.models import Municipality, Organisation


class SlugReferenceField(serializers.SlugRelatedField):
    """A reference by slug or code; a value with a NUL character matches nothing
    (refused before the query, which PostgreSQL would fail)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


def _organisation_field(**kwargs: Any) -> SlugReferenceField:
    return SlugReferenceField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        help_text="Slug of the organisation.",
        **kwargs,
    )


def _municipality_field(**kwargs: Any) -> SlugReferenceField:
    return SlugReferenceField(
        slug_field="cbs_code",
        queryset=Municipality.objects.all(),
        help_text="CBS code of the municipality.",
        **kwargs,
    )


# Libraries and profiles ------------------------------------------------------------


class ProfileLibrarySerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Slug of the owning organisation; null for a shared library.",
    )
    profile_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProfileLibrary
        fields = [
            "id",
            "name",
            "owner",
            "description",
            "is_synthetic",
            "source",
            "licence",
            "is_published",
            "is_demo",
            "revision",
            "profile_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProfileLibraryWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    owner = _organisation_field(allow_null=True, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    is_synthetic = serializers.BooleanField(
        required=False, help_text="Synthetic demonstration numbers, never NMD data."
    )
    source = serializers.CharField(required=False, allow_blank=True)
    licence = serializers.CharField(required=False, allow_blank=True, max_length=200)
    is_published = serializers.BooleanField(required=False)


class ProfileCsvUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="Profile CSV: profile_id,name,unit,data_category,module,indicator,"
        "value (UTF-8). Replaces the library's profiles.",
        validators=[upload_validator("csv")],
    )


class EpdUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="One EPD in the ILCD+EPD XML format.",
        validators=[upload_validator("xml")],
    )
    profile_id = serializers.CharField(
        required=False,
        max_length=100,
        help_text="Profile code; default the UUID of the EPD data set.",
    )
    data_category = serializers.ChoiceField(
        choices=list(DATA_CATEGORIES),
        default="3",
        help_text="NMD data category; data not verified for the NMD is 3 (30 % "
        "uplift).",
    )
    unit = serializers.CharField(
        required=False,
        max_length=50,
        help_text="Declared unit, when the reference flow does not name it.",
    )


class ImportReportSerializer(serializers.Serializer):
    profiles_created = serializers.IntegerField()
    profiles_updated = serializers.IntegerField()
    profiles_removed = serializers.IntegerField()
    values = serializers.IntegerField()
    skipped_indicators = serializers.ListField(
        child=serializers.CharField(),
        help_text="LCIA results of an EPD that are not EN 15804+A2 indicators.",
    )
    revision = serializers.IntegerField(help_text="The library's new revision.")


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = [
            "id",
            "library",
            "profile_id",
            "name",
            "unit",
            "data_category",
            "indicator_set",
        ]
        read_only_fields = fields


class ProfileValueSerializer(serializers.Serializer):
    module = serializers.CharField()
    indicator = serializers.CharField()
    value = serializers.FloatField()


class ProfileDetailSerializer(ProfileSerializer):
    values = serializers.SerializerMethodField()

    class Meta(ProfileSerializer.Meta):
        fields = [*ProfileSerializer.Meta.fields, "values"]
        read_only_fields = fields

    @extend_schema_field(ProfileValueSerializer(many=True))
    def get_values(self, obj: Profile) -> list[dict[str, Any]]:
        return [
            {"module": m, "indicator": i, "value": v}
            for m, i, v in obj.values.order_by("module", "indicator").values_list(
                "module", "indicator", "value"
            )
        ]


# Projects --------------------------------------------------------------------------


class ProjectSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    municipality = serializers.SlugRelatedField(
        slug_field="cbs_code", read_only=True, allow_null=True
    )
    project_phase = serializers.ChoiceField(
        source="phase", choices=ProjectPhase.choices, read_only=True
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "owner",
            "municipality",
            "year",
            "project_phase",
            "description",
            "reference_period",
            "replacement_rule",
            "is_published",
            "is_demo",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProjectWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    owner = _organisation_field()
    municipality = _municipality_field(allow_null=True, required=False)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    project_phase = serializers.ChoiceField(
        choices=ProjectPhase.choices,
        required=False,
        help_text="design, tender or as_built.",
    )
    description = serializers.CharField(required=False, allow_blank=True)
    reference_period = serializers.FloatField(
        required=False, min_value=1, max_value=1000, help_text="Years (default 50)."
    )
    replacement_rule = serializers.ChoiceField(
        choices=ReplacementRule.choices, required=False
    )
    is_published = serializers.BooleanField(required=False)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        values = super().to_internal_value(data)
        if "project_phase" in values:
            values["phase"] = values.pop("project_phase")
        return values


class VariantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Variant
        fields = ["id", "project", "name", "is_reference", "notes", "updated_at"]
        read_only_fields = fields


class VariantCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    name = serializers.CharField(max_length=200)
    is_reference = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Default: true for a project's first variant.",
    )
    notes = serializers.CharField(required=False, allow_blank=True)


class VariantUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    is_reference = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class ElementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Element
        fields = ["id", "variant", "name", "order"]
        read_only_fields = fields


class ElementCreateSerializer(serializers.Serializer):
    variant = serializers.PrimaryKeyRelatedField(queryset=Variant.objects.all())
    name = serializers.CharField(max_length=200)
    order = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)


class ElementUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    order = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)


class BillLineSerializer(serializers.ModelSerializer):
    profile_code = serializers.CharField(source="profile.profile_id", read_only=True)

    class Meta:
        model = BillLine
        fields = [
            "id",
            "element",
            "line_id",
            "profile",
            "profile_code",
            "quantity",
            "service_life_years",
        ]
        read_only_fields = fields


class BillLineCreateSerializer(serializers.Serializer):
    element = serializers.PrimaryKeyRelatedField(queryset=Element.objects.all())
    line_id = serializers.CharField(max_length=100)
    profile = serializers.PrimaryKeyRelatedField(queryset=Profile.objects.all())
    quantity = serializers.FloatField(min_value=0)
    service_life_years = serializers.FloatField(
        required=False, allow_null=True, min_value=0.001
    )


class BillLineUpdateSerializer(serializers.Serializer):
    element = serializers.PrimaryKeyRelatedField(
        queryset=Element.objects.all(), required=False
    )
    line_id = serializers.CharField(max_length=100, required=False)
    profile = serializers.PrimaryKeyRelatedField(
        queryset=Profile.objects.all(), required=False
    )
    quantity = serializers.FloatField(min_value=0, required=False)
    service_life_years = serializers.FloatField(
        required=False, allow_null=True, min_value=0.001
    )


class BillUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="Bill of quantities, CSV (UTF-8) or XLSX (first sheet): line_id,"
        "element,profile_id,quantity,service_life_years. Replaces the variant's bill.",
        validators=[upload_validator("table")],
    )
    library = serializers.PrimaryKeyRelatedField(
        queryset=ProfileLibrary.objects.all(),
        help_text="The library whose profile codes the bill names.",
    )
    file_format = serializers.ChoiceField(
        choices=["csv", "xlsx"],
        required=False,
        help_text="Default: from the file name (.xlsx), else csv.",
    )


class BillImportReportSerializer(serializers.Serializer):
    elements = serializers.IntegerField()
    lines = serializers.IntegerField()


class BillExportQuerySerializer(serializers.Serializer):
    file_format = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv")


# Calculation -----------------------------------------------------------------------


class CalculateSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=list(BUILTIN_SETS), default="nmd-a2", help_text="Weighting set."
    )
    include_module_d = serializers.BooleanField(default=True)


class LineResultSerializer(serializers.Serializer):
    line_id = serializers.CharField()
    element = serializers.CharField()
    profile_id = serializers.CharField()
    quantity = serializers.FloatField()
    placements = serializers.FloatField()
    uplift = serializers.FloatField()
    mki_eur = serializers.FloatField()


class BreakdownSerializer(serializers.Serializer):
    by_line = LineResultSerializer(many=True)
    by_element = serializers.DictField(child=serializers.FloatField())
    by_module = serializers.DictField(child=serializers.FloatField())
    by_indicator = serializers.DictField(child=serializers.FloatField())


class CalculationResultSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices, read_only=True)
    breakdown = serializers.SerializerMethodField()
    options = serializers.DictField(read_only=True)
    missing_indicators = serializers.ListField(
        child=serializers.CharField(), read_only=True
    )
    is_stale = serializers.SerializerMethodField(
        help_text="The bill, a library it uses or the project's options changed "
        "since this calculation."
    )

    class Meta:
        model = CalculationResult
        fields = [
            "id",
            "variant",
            "method",
            "include_module_d",
            "outcome",
            "total_eur",
            "breakdown",
            "error",
            "missing_indicators",
            "options",
            "calculated_at",
            "is_stale",
        ]
        read_only_fields = fields

    @extend_schema_field(BreakdownSerializer(allow_null=True))
    def get_breakdown(self, obj: CalculationResult) -> dict[str, Any] | None:
        return obj.breakdown or None

    def get_is_stale(self, obj: CalculationResult) -> bool:
        stale = self.context.get("stale")
        return bool(stale is not None and obj.pk in stale)


class ComparisonQuerySerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=list(BUILTIN_SETS), default="nmd-a2")
    include_module_d = serializers.BooleanField(default=True)


class ComparisonSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="The reference variant (first).")
    variants = serializers.ListField(child=serializers.CharField())
    total_eur = serializers.DictField(child=serializers.FloatField())
    difference_eur = serializers.DictField(
        child=serializers.FloatField(),
        help_text="Total of each variant minus the reference total.",
    )
    by_element = serializers.DictField(
        child=serializers.DictField(child=serializers.FloatField())
    )
    by_module = serializers.DictField(
        child=serializers.DictField(child=serializers.FloatField())
    )
    by_indicator = serializers.DictField(
        child=serializers.DictField(child=serializers.FloatField())
    )


class OverviewCellSerializer(serializers.Serializer):
    variant = serializers.CharField()
    variant_id = serializers.IntegerField()
    method = serializers.CharField()
    include_module_d = serializers.BooleanField()
    available = serializers.BooleanField()
    total_eur = serializers.FloatField(allow_null=True)
    reason = serializers.CharField(help_text="Why it cannot be calculated.")


# Tenders ---------------------------------------------------------------------------


class TenderSerializer(serializers.ModelSerializer):
    criterion_kind = serializers.ChoiceField(
        source="kind", choices=CriterionKind.choices, read_only=True
    )

    class Meta:
        model = Tender
        fields = [
            "id",
            "project",
            "name",
            "criterion_kind",
            "upper_bound",
            "lower_bound",
            "max_discount",
            "k",
            "penalty_factor",
            "created_at",
        ]
        read_only_fields = fields


class TenderWriteSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    name = serializers.CharField(max_length=200)
    criterion_kind = serializers.ChoiceField(choices=CriterionKind.choices)
    upper_bound = serializers.FloatField(required=False)
    lower_bound = serializers.FloatField(required=False)
    max_discount = serializers.FloatField(required=False, min_value=0)
    k = serializers.FloatField(required=False, min_value=0)
    penalty_factor = serializers.FloatField(required=False, min_value=0)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        values = super().to_internal_value(data)
        if "criterion_kind" in values:
            values["kind"] = values.pop("criterion_kind")
        return values


class TenderUpdateSerializer(TenderWriteSerializer):
    project = None  # type: ignore[assignment]


class BidSerializer(serializers.ModelSerializer):
    bidder_organisation = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    bidder = serializers.CharField(read_only=True)
    price = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False, read_only=True
    )
    penalty_eur = serializers.SerializerMethodField(
        help_text="What the bidder pays when the as-built MKI exceeds the promise; "
        "null while the as-built MKI is unknown."
    )

    class Meta:
        model = Bid
        fields = [
            "id",
            "tender",
            "bidder",
            "bidder_organisation",
            "bidder_name",
            "price",
            "promised_mki",
            "as_built_mki",
            "penalty_eur",
        ]
        read_only_fields = fields

    def get_penalty_eur(self, obj: Bid) -> float | None:
        from cirkelregio.mki.selectors import bid_penalty

        return bid_penalty(bid=obj)


class BidWriteSerializer(serializers.Serializer):
    tender = serializers.PrimaryKeyRelatedField(queryset=Tender.objects.all())
    bidder_organisation = _organisation_field(allow_null=True, required=False)
    bidder_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200
    )
    price = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, coerce_to_string=False
    )
    promised_mki = serializers.FloatField()
    as_built_mki = serializers.FloatField(required=False, allow_null=True)


class BidUpdateSerializer(BidWriteSerializer):
    tender = None  # type: ignore[assignment]
    price = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        coerce_to_string=False,
        required=False,
    )
    promised_mki = serializers.FloatField(required=False)


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    bid_id = serializers.IntegerField()
    bidder = serializers.CharField()
    price = serializers.FloatField()
    promised_mki = serializers.FloatField()
    advantage = serializers.FloatField(
        help_text="How much the MKI lowers the fictitious price (euro)."
    )
    fictitious_price = serializers.FloatField()
    as_built_mki = serializers.FloatField(allow_null=True)
    penalty_eur = serializers.FloatField(allow_null=True)


# Monitor ---------------------------------------------------------------------------


class MonitorQuerySerializer(serializers.Serializer):
    municipality = serializers.RegexField(
        r"^GM\d{4}$", required=False, help_text="CBS code of the municipality."
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    method = serializers.ChoiceField(choices=list(BUILTIN_SETS), default="nmd-a2")
    include_module_d = serializers.BooleanField(default=True)


class MonitorYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    projects = serializers.IntegerField()
    total_eur = serializers.FloatField()
    change_eur = serializers.FloatField(
        help_text="Total minus the zero measurement's total."
    )
    change_percent = serializers.FloatField(allow_null=True)


class MonitorMunicipalitySerializer(serializers.Serializer):
    cbs_code = serializers.CharField()
    name = serializers.CharField()
    zero_measurement_year = serializers.IntegerField(
        help_text="Nulmeting: the first year with data."
    )
    zero_measurement_eur = serializers.FloatField()
    trend_eur_per_year = serializers.FloatField(
        allow_null=True,
        help_text="Least-squares slope of the yearly totals; null with one year.",
    )
    years = MonitorYearSerializer(many=True)
