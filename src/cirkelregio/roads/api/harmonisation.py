# SPDX-License-Identifier: EUPL-1.2
"""Mixture harmonisation runs, the substitution catalogue and the asphalt MKI of
the maintenance plan:

- ``GET|POST /api/v1/roads/harmonisation-runs/``: road managers and coordinators
  start a run (``roads.services.harmonisation_run``); everyone reads the runs of
  published authorities' works (``roads.selectors.harmonisation_run_list``).
- ``GET /api/v1/roads/substitutions/``: which standard mixture may serve which
  required mixture, at what over-specification cost.
- ``GET /api/v1/roads/mki/``: the asphalt MKI of the plan per authority and year,
  as planned and in the variants (``roads.selectors.plan_mki_table``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cirkelregio.core.api.problems import problem_responses
from cirkelregio.core.api.viewsets import ID
from cirkelregio.core.services import require
from cirkelregio.jobs.api import accepted, prefers_async, start_schema
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.roads import rules, selectors, services
from cirkelregio.roads.models import (
    ASPHALT_FAMILIES,
    ROAD_AUTHORITY_KINDS,
    HarmonisationRun,
    HarmonisationStatus,
    MixtureSubstitution,
)


def check_authorities(slugs: list[str]) -> None:
    """A ValidationError naming each slug that is no road authority."""
    known = set(
        region_selectors.organisation_list()
        .filter(kind__in=ROAD_AUTHORITY_KINDS, slug__in=slugs)
        .values_list("slug", flat=True)
    )
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise exceptions.ValidationError(
            {"authority": [f"Unknown road authority {s!r}." for s in unknown]}
        )


# Serializers ------------------------------------------------------------------------


class RoadSubstitutionSerializer(serializers.ModelSerializer):
    required = serializers.SlugRelatedField(slug_field="code", read_only=True)
    serving = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = MixtureSubstitution
        fields = ["required", "serving", "over_spec_eur_per_tonne", "source", "is_demo"]
        read_only_fields = fields


class RoadHarmonisationStartSerializer(serializers.Serializer):
    year_from = serializers.IntegerField(
        min_value=1900, max_value=2200, help_text="First year of the horizon."
    )
    year_to = serializers.IntegerField(
        min_value=1900,
        max_value=2200,
        required=False,
        allow_null=True,
        help_text="Last year of the horizon (default: year_from).",
    )
    k = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text="At most k mixtures; absent or null: the fewest mixtures that "
        "serve every layer, and among those the least cost.",
    )
    authorities = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        help_text="Slugs of road authorities; all when absent.",
    )
    families = serializers.ListField(
        child=serializers.ChoiceField(choices=[str(f) for f in ASPHALT_FAMILIES]),
        required=False,
        help_text="Asphalt families whose layers are harmonised; all when absent.",
    )
    time_limit = serializers.FloatField(
        required=False,
        default=30.0,
        min_value=0.1,
        max_value=120.0,
        help_text="Seconds HiGHS may use.",
    )


class RoadHarmonisationRunSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=HarmonisationStatus.choices, read_only=True
    )
    chosen = serializers.ListField(child=serializers.CharField(), read_only=True)
    spread_before = serializers.JSONField(
        read_only=True,
        help_text="Distinct mixtures and tonnes per mixture, overall and per plant "
        "and period, as planned.",
    )
    spread_after = serializers.JSONField(
        read_only=True, help_text="The same after harmonisation."
    )
    assignments = serializers.JSONField(
        read_only=True,
        help_text="Per layer: the work, the required and the serving mixture, "
        "tonnes, over-specification cost, plant and period.",
    )
    parameters = serializers.JSONField(read_only=True)
    mki_difference_eur = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = HarmonisationRun
        fields = [
            "id",
            "started_at",
            "parameters",
            "status",
            "gap",
            "k",
            "minimum_mixtures",
            "chosen",
            "requirements",
            "tonnes",
            "mki_before_eur",
            "mki_after_eur",
            "mki_difference_eur",
            "over_spec_eur",
            "mki_note",
            "spread_before",
            "spread_after",
            "assignments",
            "seconds",
        ]
        read_only_fields = fields


class RoadMkiQuerySerializer(serializers.Serializer):
    authority = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        help_text="Slugs of road authorities (repeat the parameter); all when absent.",
    )
    year = serializers.IntegerField(
        required=False,
        min_value=1900,
        max_value=2200,
        help_text="Works whose window starts in this year; all years when absent.",
    )
    variant = serializers.ChoiceField(
        choices=list(selectors.SCENARIOS),
        required=False,
        help_text="Only this variant in 'mki_eur' (default: all three).",
    )
    pr_percent = serializers.FloatField(
        required=False,
        min_value=0,
        max_value=100,
        help_text="The PR share of the variant 'pr' (default 50).",
    )


class RoadMkiRowSerializer(serializers.Serializer):
    authority = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    works = serializers.IntegerField()
    mki_eur = serializers.DictField(
        child=serializers.FloatField(),
        help_text="Variant -> MKI in euro of the layers whose MKI is known.",
    )
    unknown_layers = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Variant -> asphalt layers whose MKI is unknown (no profile or "
        "no density): never guessed, left out of mki_eur.",
    )


class RoadMkiSerializer(serializers.Serializer):
    pr_percent = serializers.FloatField()
    variants = serializers.ListField(child=serializers.CharField())
    rows = RoadMkiRowSerializer(many=True)


# Views ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(responses={200: RoadSubstitutionSerializer}),
)
class SubstitutionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The substitution catalogue of mixture harmonisation: the standard mixture
    ``serving`` may be laid where ``required`` is asked for, at
    ``over_spec_eur_per_tonne`` on top of its MKI. A policy of the road
    authorities; demo rows are an example, not an agreed policy."""

    serializer_class = RoadSubstitutionSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[MixtureSubstitution]:
        return selectors.substitution_list()


@extend_schema_view(
    list=extend_schema(responses={200: RoadHarmonisationRunSerializer}),
    retrieve=extend_schema(
        responses={200: RoadHarmonisationRunSerializer, **problem_responses(404)}
    ),
    create=start_schema(
        RoadHarmonisationStartSerializer,
        RoadHarmonisationRunSerializer,
        problem_responses(400, 403),
    ),
)
class HarmonisationRunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Mixture harmonisation runs: which few standard mixtures serve every new
    asphalt layer of the works in a horizon at least MKI plus over-specification
    cost (an exact HiGHS MILP), with the spread of mixtures before and after and
    the MKI difference. Road managers and coordinators start one; a requirement
    that no mixture may serve is refused with problem details naming the work
    and layer. Everyone reads the runs of published road authorities' works; a
    run that includes works of an unpublished authority only its road managers
    and the coordinators. ``parameters.works_of`` lists the authorities whose
    works the run harmonised. With ``Prefer: respond-async`` the run is queued
    as a background job (202) after the same checks of input and permission."""

    serializer_class = RoadHarmonisationRunSerializer
    filter_backends: list[Any] = []
    lookup_value_regex = ID

    def get_queryset(self) -> QuerySet[HarmonisationRun]:
        return selectors.harmonisation_run_list(user=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = RoadHarmonisationStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.get("authorities"):
            check_authorities(values["authorities"])
        if prefers_async(request):
            require(rules.can_start_harmonisation(request.user))
            return accepted(
                request,
                "roads.harmonisation",
                services.harmonisation_parameters(**values),
            )
        run = services.harmonisation_run(actor=request.user, **values)
        return Response(RoadHarmonisationRunSerializer(run).data, status=201)


class MkiView(GenericAPIView):
    """The asphalt MKI of the maintenance plan (the works that are not done) per
    road authority and year: as planned, with every layer at least ``pr_percent``
    reclaimed asphalt (``pr``) and with every layer laid at low temperature
    (``low_temperature``). Each layer takes the MKI profile of its mixture's
    variant (same temperature, highest PR share not above its own), else the
    mixture's profile; the euro amounts are the MKI app's calculation of those
    profiles. Layers without a profile or density are counted, never guessed."""

    serializer_class = RoadMkiSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.work_list(user=self.request.user)

    @extend_schema(
        operation_id="roads_mki",
        parameters=[RoadMkiQuerySerializer],
        responses={200: RoadMkiSerializer, **problem_responses(400)},
    )
    def get(self, request: Request) -> Response:
        query = RoadMkiQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        slugs = values.get("authority") or []
        if slugs:
            check_authorities(slugs)
        year = values.get("year")
        pr = values.get("pr_percent")
        try:
            rows = selectors.plan_mki_table(
                user=request.user,
                authorities=slugs,
                year_from=year,
                year_to=year,
                pr_percent=pr,
            )
        except ValueError as exc:  # pragma: no cover - the serializer checks
            raise exceptions.ValidationError({"pr_percent": [str(exc)]}) from exc
        variants = [values["variant"]] if values.get("variant") else selectors.SCENARIOS
        body = {
            "pr_percent": selectors.scenario("pr", pr).pr_percent,
            "variants": list(variants),
            "rows": [
                {
                    "authority": r.authority,
                    "name": r.name,
                    "year": r.year,
                    "works": r.works,
                    "mki_eur": {v: r.mki_eur[v] for v in variants},
                    "unknown_layers": {v: r.unknown_layers[v] for v in variants},
                }
                for r in rows
            ],
        }
        return Response(RoadMkiSerializer(body).data)
