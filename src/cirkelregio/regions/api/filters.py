# SPDX-License-Identifier: EUPL-1.2
import django_filters

from cirkelregio.regions.models import (
    AnnualPlan,
    Organisation,
    OrganisationKind,
    Participation,
    ParticipationRole,
    Phase,
    PlanStatus,
)


class ParticipationFilter(django_filters.FilterSet):
    action_line = django_filters.CharFilter(
        field_name="action_line__slug", help_text="Slug of the action line."
    )
    municipality = django_filters.CharFilter(
        field_name="organisation__municipality__cbs_code",
        help_text="CBS code of the municipality the organisation is or is based in.",
    )
    organisation = django_filters.CharFilter(field_name="organisation__slug")
    phase = django_filters.ChoiceFilter(choices=Phase.choices)
    role = django_filters.ChoiceFilter(choices=ParticipationRole.choices)

    class Meta:
        model = Participation
        fields = ["action_line", "municipality", "organisation", "phase", "role"]


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    municipality = django_filters.CharFilter(field_name="municipality__cbs_code")

    class Meta:
        model = Organisation
        fields = ["kind", "municipality"]


class AnnualPlanFilter(django_filters.FilterSet):
    action_line = django_filters.CharFilter(field_name="action_line__slug")
    year = django_filters.NumberFilter(min_value=2015, max_value=2100)
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = AnnualPlan
        fields = ["action_line", "year", "status"]
