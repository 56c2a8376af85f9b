# SPDX-License-Identifier: EUPL-1.2
import django_filters

from cirkelregio.engine.mki import DATA_CATEGORIES
from cirkelregio.mki.models import (
    Bid,
    BillLine,
    CalculationResult,
    Element,
    Outcome,
    Profile,
    ProfileLibrary,
    Project,
    ProjectPhase,
    Tender,
    Variant,
)

MAX_ID = 2**63 - 1


class LibraryFilter(django_filters.FilterSet):
    owner = django_filters.CharFilter(field_name="owner__slug")
    is_synthetic = django_filters.BooleanFilter()

    class Meta:
        model = ProfileLibrary
        fields = ["owner", "is_synthetic"]


class ProfileFilter(django_filters.FilterSet):
    library = django_filters.NumberFilter(
        field_name="library_id", min_value=1, max_value=MAX_ID
    )
    profile_id = django_filters.CharFilter()
    data_category = django_filters.ChoiceFilter(
        choices=[(c, c) for c in DATA_CATEGORIES]
    )

    class Meta:
        model = Profile
        fields = ["library", "profile_id", "data_category"]


class ProjectFilter(django_filters.FilterSet):
    owner = django_filters.CharFilter(field_name="owner__slug")
    municipality = django_filters.CharFilter(field_name="municipality__cbs_code")
    year = django_filters.NumberFilter(min_value=2000, max_value=2100)
    project_phase = django_filters.ChoiceFilter(
        field_name="phase", choices=ProjectPhase.choices
    )

    class Meta:
        model = Project
        fields = ["owner", "municipality", "year", "project_phase"]


class VariantFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(
        field_name="project_id", min_value=1, max_value=MAX_ID
    )

    class Meta:
        model = Variant
        fields = ["project"]


class ElementFilter(django_filters.FilterSet):
    variant = django_filters.NumberFilter(
        field_name="variant_id", min_value=1, max_value=MAX_ID
    )

    class Meta:
        model = Element
        fields = ["variant"]


class BillLineFilter(django_filters.FilterSet):
    variant = django_filters.NumberFilter(
        field_name="element__variant_id", min_value=1, max_value=MAX_ID
    )
    element = django_filters.NumberFilter(
        field_name="element_id", min_value=1, max_value=MAX_ID
    )

    class Meta:
        model = BillLine
        fields = ["variant", "element"]


class ResultFilter(django_filters.FilterSet):
    variant = django_filters.NumberFilter(
        field_name="variant_id", min_value=1, max_value=MAX_ID
    )
    method = django_filters.CharFilter()
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)

    class Meta:
        model = CalculationResult
        fields = ["variant", "method", "outcome"]


class TenderFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(
        field_name="project_id", min_value=1, max_value=MAX_ID
    )

    class Meta:
        model = Tender
        fields = ["project"]


class BidFilter(django_filters.FilterSet):
    tender = django_filters.NumberFilter(
        field_name="tender_id", min_value=1, max_value=MAX_ID
    )

    class Meta:
        model = Bid
        fields = ["tender"]
