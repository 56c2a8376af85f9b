# SPDX-License-Identifier: EUPL-1.2
"""``GET /api/v1/roads/bundles/``: planned works of different road authorities that
are close in space and overlap in time, grouped into bundles (shared tender, shared
traffic measures). The rule is ``cirkelregio.engine.roads.bundling`` (planning
models, section 4); the works are ``roads.selectors.bundles``'."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cirkelregio.core.api.problems import problem_responses
from cirkelregio.engine.roads.bundling import DEFAULT_DISTANCE_M
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.roads import rules, selectors
from cirkelregio.roads.models import MaintenanceWork, WorkStatus, WorkType

MAX_DISTANCE_M = 10_000.0


class BundleQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=1900,
        max_value=2200,
        help_text="Works whose window meets this calendar year.",
    )
    date_from = serializers.DateField(
        required=False, help_text="Works whose window ends on or after this day."
    )
    date_to = serializers.DateField(
        required=False, help_text="Works whose window starts on or before this day."
    )
    distance_m = serializers.FloatField(
        required=False,
        default=DEFAULT_DISTANCE_M,
        min_value=0,
        max_value=MAX_DISTANCE_M,
        help_text="B: the largest distance between two compatible works, in metres "
        "(RD New, inclusive).",
    )
    authority = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        help_text="Slugs of road authorities (repeat the parameter); all when absent.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise exceptions.ValidationError(
                {"date_to": ["date_to lies before date_from."]}
            )
        return attrs


class BundleWorkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    authority = serializers.CharField(source="authority.slug")
    authority_name = serializers.CharField(source="authority.name")
    section = serializers.IntegerField(source="section_id")
    section_external_id = serializers.CharField(source="section.external_id")
    section_name = serializers.CharField(source="section.name")
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    work_type = serializers.ChoiceField(choices=WorkType.choices)
    work_status = serializers.ChoiceField(source="status", choices=WorkStatus.choices)
    url = serializers.SerializerMethodField()

    def get_url(self, work: MaintenanceWork) -> str:
        request = self.context.get("request")
        path = reverse("roads-work-detail", kwargs={"pk": work.pk})
        return request.build_absolute_uri(path) if request else path


class BundleWindowSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class BundlePairSerializer(serializers.Serializer):
    a = serializers.IntegerField(help_text="Work id.")
    b = serializers.IntegerField(help_text="Work id.")
    distance_m = serializers.FloatField()


class BundleSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    authorities = serializers.ListField(child=serializers.CharField())
    window = BundleWindowSerializer(
        allow_null=True,
        help_text="The common window of all works; null when they have no day in "
        "common (a chain whose windows overlap pair by pair).",
    )
    tonnes = serializers.DictField(
        child=serializers.FloatField(),
        help_text="Tonnes by mixture of the works' new layers, where the mixture "
        "has a verified density.",
    )
    works = BundleWorkSerializer(many=True)
    pairs = BundlePairSerializer(many=True)


class BundlingSerializer(serializers.Serializer):
    distance_m = serializers.FloatField()
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    works = serializers.IntegerField(help_text="Works considered.")
    bundled_works = serializers.IntegerField()
    bundles = BundleSerializer(many=True)
    unbundled = BundleWorkSerializer(many=True)


def bundling_body(found: selectors.Bundles) -> dict[str, Any]:
    """The selector's result in the shape of ``BundlingSerializer``."""
    works = found.works
    result = found.result
    return {
        "distance_m": result.distance_m,
        "date_from": found.date_from,
        "date_to": found.date_to,
        "works": len(works),
        "bundled_works": sum(len(b.works) for b in result.bundles),
        "bundles": [
            {
                "number": number,
                "authorities": list(bundle.authorities),
                "window": None
                if bundle.window is None
                else {"start": bundle.window[0], "end": bundle.window[1]},
                "tonnes": dict(bundle.tonnes),
                "works": [works[w.id] for w in bundle.works],
                "pairs": [
                    {"a": int(p.a), "b": int(p.b), "distance_m": round(p.distance_m, 1)}
                    for p in bundle.pairs
                ],
            }
            for number, bundle in enumerate(result.bundles, 1)
        ],
        "unbundled": [works[w.id] for w in result.unbundled],
    }


def check_authorities(slugs: list[str]) -> None:
    """A ValidationError naming each slug that is no road authority."""
    known = set(
        region_selectors.organisation_list()
        .filter(kind__in=rules.ROAD_AUTHORITY_KINDS, slug__in=slugs)
        .values_list("slug", flat=True)
    )
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise exceptions.ValidationError(
            {"authority": [f"Unknown road authority {s!r}." for s in unknown]}
        )


class BundleView(GenericAPIView):
    """Bundles of planned works (not done) across road authorities: two works are
    compatible when they belong to different authorities, lie within
    ``distance_m`` of each other (default 500 m) and their windows overlap; a
    bundle is a connected group of compatible works, with its authorities, common
    window and the tonnes of its new layers by mixture. Everyone reads the works of
    published authorities; road managers also their own, coordinators all."""

    serializer_class = BundlingSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[MaintenanceWork]:
        return selectors.work_list(user=self.request.user)

    @extend_schema(
        operation_id="roads_bundles",
        parameters=[BundleQuerySerializer],
        responses={200: BundlingSerializer, **problem_responses(400)},
    )
    def get(self, request: Request) -> Response:
        query = BundleQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = dict(query.validated_data)
        slugs = values.pop("authority", None) or []
        if slugs:
            check_authorities(slugs)
        found = selectors.bundles(authorities=slugs, user=request.user, **values)
        return Response(
            BundlingSerializer(bundling_body(found), context={"request": request}).data
        )
