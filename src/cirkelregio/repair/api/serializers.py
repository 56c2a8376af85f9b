# SPDX-License-Identifier: EUPL-1.2
"""Input and output shapes of the repair API. No logic: writes go to services,
reads to selectors. The kind is named ``place_kind`` so that its OpenAPI enum does
not clash with other apps' kinds."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cirkelregio.engine.repair import GROUP_KEYS, ORDS_PRODUCT_CATEGORIES
from cirkelregio.engine.repair.ords import iso_alpha3_codes
from cirkelregio.regions.models import Organisation
from cirkelregio.repair import hours, rules, selectors
from cirkelregio.repair.models import (
    CATEGORIES,
    DatasetKind,
    PlaceKind,
    RepairCategory,
    RepairPlace,
)

CATEGORY_CHOICES = [(code, en) for code, _nl, en in CATEGORIES]


class SlugReferenceField(serializers.SlugRelatedField):
    """A reference by slug; a value with a NUL character matches nothing."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)


class RepairCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = RepairCategory
        fields = ["code", "name_nl", "name_en"]
        read_only_fields = fields


PRIVATE = {
    "type": "string",
    "description": "Shown only to those who may change the place (its owner's "
    "editors and coordinators); empty for others.",
}


class RepairPlaceSerializer(serializers.ModelSerializer):
    place_kind = serializers.ChoiceField(
        source="kind", choices=PlaceKind.choices, read_only=True
    )
    municipality = serializers.SlugRelatedField(
        slug_field="cbs_code",
        read_only=True,
        allow_null=True,
        help_text="CBS code of the municipality, derived from the location.",
    )
    owner = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    categories = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    # Plain strings: empty when the place has none (no "uri"/"email" format).
    website = serializers.CharField(read_only=True, help_text="Empty when unknown.")
    email = serializers.CharField(read_only=True, help_text="Empty when unknown.")
    distance_km = serializers.SerializerMethodField()
    open = serializers.SerializerMethodField()
    internal_notes = serializers.SerializerMethodField()
    import_key = serializers.SerializerMethodField()

    class Meta:
        model = RepairPlace
        fields = [
            "id",
            "name",
            "place_kind",
            "street",
            "postcode",
            "city",
            "municipality",
            "lat",
            "lon",
            "coordinates_derived",
            "distance_km",
            "categories",
            "repairs_nl",
            "repairs_en",
            "not_repaired_nl",
            "not_repaired_en",
            "opening_hours",
            "opening_hours_unparsable",
            "open",
            "website",
            "email",
            "phone",
            "owner",
            "source",
            "last_verified",
            "is_published",
            "is_demo",
            "internal_notes",
            "import_key",
            "updated_at",
        ]
        read_only_fields = fields

    def _may_change(self, place: RepairPlace) -> bool:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return bool(
            user and user.is_authenticated and rules.can_change_place(user, place)
        )

    @extend_schema_field(
        {
            "type": "number",
            "format": "double",
            "nullable": True,
            "description": "Great-circle distance in km from the point of near; "
            "null without near.",
        }
    )
    def get_distance_km(self, place: RepairPlace) -> float | None:
        distance = getattr(place, "distance_km", None)
        return round(distance, 3) if distance is not None else None

    @extend_schema_field(
        {
            "type": "boolean",
            "nullable": True,
            "description": "Open at open_at (now when it is left out), by the "
            "opening hours in Amsterdam time with Dutch public holidays; null when "
            "the hours are missing, unreadable or do not tell.",
        }
    )
    def get_open(self, place: RepairPlace) -> bool | None:
        if hasattr(place, "open_state"):
            return place.open_state  # type: ignore[no-any-return]
        if place.opening_hours_unparsable:
            return None
        return hours.is_open(place.opening_hours, timezone.now())

    @extend_schema_field(PRIVATE)
    def get_internal_notes(self, place: RepairPlace) -> str:
        return place.internal_notes if self._may_change(place) else ""

    @extend_schema_field(PRIVATE)
    def get_import_key(self, place: RepairPlace) -> str:
        return place.import_key if self._may_change(place) else ""


class RepairPlaceUpdateSerializer(serializers.Serializer):
    owner = SlugReferenceField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        allow_null=True,
        required=False,
        help_text="Slug of the organisation whose editors keep the place; only "
        "coordinators change it.",
    )
    name = serializers.CharField(max_length=200)
    place_kind = serializers.ChoiceField(source="kind", choices=PlaceKind.choices)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text="1234 AB, or the four digits of the postcode area.",
    )
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    lat = serializers.FloatField(
        min_value=-90, max_value=90, required=False, allow_null=True
    )
    lon = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True
    )
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=CATEGORY_CHOICES),
        required=False,
        max_length=len(CATEGORY_CHOICES),
        help_text="Category codes.",
    )
    repairs_nl = serializers.CharField(required=False, allow_blank=True)
    repairs_en = serializers.CharField(required=False, allow_blank=True)
    not_repaired_nl = serializers.CharField(required=False, allow_blank=True)
    not_repaired_en = serializers.CharField(required=False, allow_blank=True)
    opening_hours = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="OpenStreetMap opening_hours syntax; text that cannot be read is "
        "kept and flagged.",
    )
    website = serializers.URLField(max_length=500, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True)
    last_verified = serializers.DateField(required=False, allow_null=True)
    internal_notes = serializers.CharField(required=False, allow_blank=True)
    is_published = serializers.BooleanField(required=False)


class RepairPlaceCreateSerializer(RepairPlaceUpdateSerializer):
    """Without lat and lon the place is put at its postcode area's centroid."""


# Repair impact -----------------------------------------------------------------------


class StatisticsQuerySerializer(serializers.Serializer):
    """The filters of the repair statistics; ``by`` may be given more than once."""

    country = serializers.RegexField(
        r"^[A-Z]{3}$",
        required=False,
        error_messages={
            "invalid": _("Give an ISO 3166-1 alpha-3 code in capitals, e.g. NLD.")
        },
        help_text="ISO 3166-1 alpha-3 country code of the records, e.g. NLD.",
    )
    year = serializers.IntegerField(
        required=False,
        min_value=1900,
        max_value=2100,
        help_text="Year of the repair event.",
    )
    category = serializers.ChoiceField(
        choices=list(ORDS_PRODUCT_CATEGORIES.values()),
        required=False,
        help_text="ORDS product category.",
    )
    group = serializers.CharField(
        required=False,
        max_length=200,
        help_text="group_identifier of the records (a repair group or café).",
    )
    dataset = serializers.IntegerField(
        required=False, min_value=1, help_text="Id of one dataset."
    )
    by = serializers.ListField(
        child=serializers.ChoiceField(choices=list(GROUP_KEYS)),
        required=False,
        max_length=len(GROUP_KEYS),
        help_text="Group by these fields (repeat the parameter for several, "
        "e.g. by=country&by=year): one group per combination that occurs.",
    )

    def validate_country(self, value: str) -> str:
        if value not in iso_alpha3_codes():
            raise serializers.ValidationError(
                _("Unknown country code %(code)s.") % {"code": value}
            )
        return value

    def validate_group(self, value: str) -> str:
        if "\x00" in value:
            raise serializers.ValidationError(_("Null characters are not allowed."))
        return value

    def validate_by(self, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError(_("Give each field at most once."))
        return value

    def validate_dataset(self, value: int) -> Any:
        dataset = selectors.dataset_get(pk=value)
        if dataset is None:
            raise serializers.ValidationError(
                _("Unknown dataset %(id)s.") % {"id": value}
            )
        return dataset


class StatisticsFiguresSerializer(serializers.Serializer):
    records = serializers.IntegerField()
    fixed = serializers.IntegerField()
    repairable = serializers.IntegerField()
    end_of_life = serializers.IntegerField()
    unknown = serializers.IntegerField()
    fix_rate = serializers.FloatField(
        allow_null=True,
        help_text="fixed / (fixed + repairable + end_of_life); records with an "
        "unknown outcome are left out; null when none has a known outcome.",
    )
    barriers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="End-of-life records per repair barrier, and 'not recorded'.",
    )
    waste_prevented_kg = serializers.FloatField(
        help_text="Restarters category weight of every Fixed record (kg, rounded "
        "to 0.001)."
    )
    co2e_averted_kg = serializers.FloatField(
        help_text="Restarters category footprint x displacement of every Fixed "
        "record (kg CO2e, rounded to 0.001)."
    )
    fixed_without_factor = serializers.IntegerField(
        help_text="Fixed records of a category without a verified weight: not in "
        "the kg and CO2e."
    )


class StatisticsGroupSerializer(StatisticsFiguresSerializer):
    """One group: the ``by`` fields it is grouped by, then its figures."""

    country = serializers.CharField(required=False)
    year = serializers.IntegerField(required=False)
    group = serializers.CharField(required=False)
    category = serializers.CharField(required=False)


class MethodSourceSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField()
    used_for = serializers.CharField()


class StatisticsMethodSerializer(serializers.Serializer):
    fix_rate = serializers.CharField()
    waste_prevented_kg = serializers.CharField()
    co2e_averted_kg = serializers.CharField()
    displacement = serializers.FloatField(
        help_text="Share of a new product a repair is assumed to displace "
        "(Restarters DISPLACEMENT_VALUE)."
    )
    source = serializers.CharField()
    sources = MethodSourceSerializer(many=True)
    categories_without_weight = serializers.ListField(
        child=serializers.CharField(),
        help_text="ORDS categories without a verified Restarters weight: their "
        "Fixed records count in fixed_without_factor, not in kg or CO2e.",
    )


class RepairDatasetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dataset_kind = serializers.ChoiceField(
        source="kind",
        choices=DatasetKind.choices,
        help_text="An imported ORDS file, or the own records of an organisation.",
    )
    file_name = serializers.CharField()
    ords_version = serializers.CharField()
    data_provider = serializers.CharField()
    licence = serializers.CharField()
    licence_url = serializers.CharField()
    attribution = serializers.CharField()
    source_url = serializers.CharField()
    imported_at = serializers.DateTimeField()
    record_count = serializers.IntegerField()
    selected_records = serializers.IntegerField(
        help_text="Records of this dataset among those the filters select."
    )


class RepairStatisticsSerializer(serializers.Serializer):
    filters = serializers.DictField(
        help_text="The filters applied (country, year, category, group, dataset)."
    )
    by = serializers.ListField(child=serializers.CharField())
    overall = StatisticsFiguresSerializer()
    groups = StatisticsGroupSerializer(many=True)
    method = StatisticsMethodSerializer()
    datasets = RepairDatasetSerializer(
        many=True, help_text="The datasets the records come from, to be credited."
    )
