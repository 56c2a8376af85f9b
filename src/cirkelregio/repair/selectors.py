# SPDX-License-Identifier: EUPL-1.2
"""Reads of the repair map for the API, the admin, pages and other apps. Lists leave
out what the reader may not see (unpublished places of others).

The search near a point is built for many places (a national map holds tens of
thousands): the database narrows the candidates with a bounding box on the indexed
latitude and longitude, numpy computes the exact great-circle distances (the
engine's haversine) of those candidates only, and the opening state is worked out
only for the page of results that is returned. The public map's search
(``place_search``) near a point uses the in-process index of ``search``, as the
API's list does, so that both find the same places in the same order; it needs the
state of every place found, to filter on it, and evaluates each distinct
opening-hours text once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet

import numpy as np

from cirkelregio.accounts.selectors import edited_organisation_id, is_coordinator
from cirkelregio.engine.geo.distance import haversine_km
from cirkelregio.engine.repair import (
    ORDS_PRODUCT_CATEGORIES,
    GroupStats,
    OrdsRecord,
    RepairStatistics,
    compute_statistics,
    load_impact_factors,
)
from cirkelregio.engine.repair.cli import KG_DECIMALS
from cirkelregio.engine.repair.stats import describe_method
from cirkelregio.repair import hours, hours_text, rules, search
from cirkelregio.repair.models import (
    ORDS_CATEGORY_LABELS,
    DatasetKind,
    OrdsDataset,
    PlaceKind,
    RepairBarrier,
    RepairCategory,
    RepairPlace,
    RepairRecord,
    RepairStatus,
)
from cirkelregio.repair.search import bounding_box


def category_list() -> QuerySet[RepairCategory]:
    return RepairCategory.objects.all()


def place_list(*, user: Any = None) -> QuerySet[RepairPlace]:
    """Published places for everyone; unpublished ones for their owner's editors
    and coordinators."""
    qs = (
        RepairPlace.objects.select_related("owner", "municipality")
        # Not the municipal boundaries: large GeoJSON, decoded for every row.
        .defer("municipality__boundary", "municipality__bbox")
        .prefetch_related("categories")
    )
    if is_coordinator(user):
        return qs
    org = edited_organisation_id(user)
    if org is None:
        return qs.filter(is_published=True)
    return qs.filter(Q(is_published=True) | Q(owner_id=org))


def _rows_within(
    qs: QuerySet[RepairPlace],
    fields: tuple[str, ...],
    *,
    lat: float,
    lon: float,
    radius_km: float,
) -> list[tuple[tuple[Any, ...], float]]:
    """(row of ``fields``, distance in km) of the places in ``qs`` within
    ``radius_km`` great-circle km of the point, nearest first (ties by id). The
    first field must be "pk"; the database reads the rows in the bounding box only,
    numpy computes their distances."""
    south, north, west, east = bounding_box(lat, lon, radius_km)
    candidates = qs.filter(lat__gte=south, lat__lte=north)
    if west is not None and east is not None:
        candidates = candidates.filter(lon__gte=west, lon__lte=east)
    rows = list(candidates.order_by().values_list(*fields, "lat", "lon"))
    if not rows:
        return []
    n = len(fields)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    lats = np.fromiter((r[n] for r in rows), dtype=np.float64, count=len(rows))
    lons = np.fromiter((r[n + 1] for r in rows), dtype=np.float64, count=len(rows))
    distance = haversine_km(lat, lon, lats, lons)
    inside = np.flatnonzero(distance <= radius_km)
    order = inside[np.lexsort((ids[inside], distance[inside]))]
    return [(rows[i][:n], float(distance[i])) for i in order]


def places_by_distance(
    qs: QuerySet[RepairPlace], *, lat: float, lon: float, radius_km: float
) -> list[tuple[int, float]]:
    """(id, distance in km) of the places in ``qs`` within ``radius_km``
    great-circle km of the point, nearest first (ties by id)."""
    return [
        (int(row[0]), distance)
        for row, distance in _rows_within(
            qs, ("pk",), lat=lat, lon=lon, radius_km=radius_km
        )
    ]


def place_open_states(
    places: Iterable[RepairPlace], *, at: dt.datetime
) -> dict[int, bool | None]:
    """Whether each place is open at ``at`` (None: unknown, unreadable or no
    hours). Meant for one page of results."""
    return {
        p.pk: None if p.opening_hours_unparsable else hours.is_open(p.opening_hours, at)
        for p in places
    }


# Repair impact -----------------------------------------------------------------------

# Where the numbers and the method come from, for outputs (the API, the page).
METHOD_SOURCES: list[dict[str, str]] = [
    {
        "name": "The Restart Project, Restarters.net (Fixometer)",
        "url": "https://github.com/TheRestartProject/restarters.net",
        "used_for": "category weights (kg) and footprints (kg CO2e), revision 2, and "
        "the displacement factor; only the numbers are taken, no code",
    },
    {
        "name": "Open Repair Data Standard (ORDS) 0.3, Open Repair Alliance",
        "url": "https://github.com/openrepair/datastandard",
        "used_for": "the record fields, repair statuses, barriers and the 40 product "
        "categories",
    },
    {
        "name": "Open Repair Alliance, open repair data",
        "url": "https://openrepair.org/open-data/",
        "used_for": "the imported datasets; each names its licence and attribution",
    },
]

# The columns the statistics need: the engine's OrdsRecord without the free texts
# (problem, partner product category), which no statistic reads.
_STAT_FIELDS = (
    "ords_id",
    "data_provider",
    "country",
    "product_category",
    "product_category_id",
    "brand",
    "year_of_manufacture",
    "product_age",
    "repair_status",
    "repair_barrier_if_end_of_life",
    "group_identifier",
    "event_date",
)


def dataset_list() -> QuerySet[OrdsDataset]:
    """Every repair dataset (imported files and own records); all are public."""
    return OrdsDataset.objects.select_related("organisation")


def dataset_get(*, pk: int) -> OrdsDataset | None:
    return dataset_list().filter(pk=pk).first()


def record_list(
    *,
    country: str | None = None,
    year: int | None = None,
    category: str | None = None,
    group: str | None = None,
    dataset: OrdsDataset | None = None,
) -> QuerySet[RepairRecord]:
    """The repair records, filtered: ``country`` (ISO alpha-3), ``year`` of the
    event, ``category`` (ORDS product category name), ``group``
    (group_identifier), ``dataset``."""
    qs = RepairRecord.objects.all()
    if country is not None:
        qs = qs.filter(country=country)
    if year is not None:
        qs = qs.filter(
            event_date__gte=dt.date(year, 1, 1), event_date__lte=dt.date(year, 12, 31)
        )
    if category is not None:
        qs = qs.filter(product_category=category)
    if group is not None:
        qs = qs.filter(group_identifier=group)
    if dataset is not None:
        qs = qs.filter(dataset=dataset)
    return qs


def engine_records(qs: QuerySet[RepairRecord]) -> list[OrdsRecord]:
    """The records as the engine's OrdsRecord (line 0: not from a file; empty
    problem and partner category: not loaded, the statistics do not use them)."""
    return [
        OrdsRecord(
            line=0,
            id=ords_id,
            data_provider=provider,
            country=country,
            partner_product_category="",
            product_category=category,
            product_category_id=category_id,
            brand=brand or None,
            year_of_manufacture=year,
            product_age=age,
            repair_status=status,
            repair_barrier=barrier,
            group_identifier=group,
            event_date=date,
            problem="",
        )
        for (
            ords_id,
            provider,
            country,
            category,
            category_id,
            brand,
            year,
            age,
            status,
            barrier,
            group,
            date,
        ) in qs.order_by().values_list(*_STAT_FIELDS).iterator(chunk_size=5000)
    ]


def repair_statistics(*, by: Iterable[str] = (), **filters: Any) -> RepairStatistics:
    """The engine's statistics (``cirkelregio.engine.repair.compute_statistics``)
    of the records ``record_list(**filters)`` selects, grouped ``by`` any of
    country, year, group, category."""
    return compute_statistics(engine_records(record_list(**filters)), by)


def repair_statistics_sets(
    *, bys: Sequence[Sequence[str]], **filters: Any
) -> list[RepairStatistics]:
    """``repair_statistics`` for each grouping in ``bys``, from one read of the
    records (a page with several charts)."""
    records = engine_records(record_list(**filters))
    return [compute_statistics(records, by) for by in bys]


def statistics_figures(stats: GroupStats) -> dict[str, Any]:
    """The figures of one group as ``cirkelregio repair ords-stats`` writes them
    (kg rounded to 0.001)."""
    return {
        "records": stats.records,
        "fixed": stats.fixed,
        "repairable": stats.repairable,
        "end_of_life": stats.end_of_life,
        "unknown": stats.unknown,
        "fix_rate": stats.fix_rate,
        "barriers": dict(stats.barriers),
        "waste_prevented_kg": round(stats.waste_prevented_kg, KG_DECIMALS),
        "co2e_averted_kg": round(stats.co2e_averted_kg, KG_DECIMALS),
        "fixed_without_factor": stats.fixed_without_factor,
    }


def statistics_report(*, by: Iterable[str] = (), **filters: Any) -> dict[str, Any]:
    """The statistics of the selected records with the filters, the method and
    the datasets to credit: the body of the statistics API."""
    result = repair_statistics(by=by, **filters)
    dataset = filters.get("dataset")
    return {
        "filters": {
            **{k: v for k, v in filters.items() if k != "dataset"},
            **({"dataset": dataset.pk} if dataset is not None else {}),
        },
        "by": list(result.by),
        "overall": statistics_figures(result.overall),
        "groups": [
            {**dict(zip(result.by, g.key, strict=True)), **statistics_figures(g)}
            for g in result.groups
        ],
        "method": statistics_method(),
        "datasets": statistics_datasets(**filters),
    }


def statistics_method() -> dict[str, Any]:
    """The engine's description of the method, with its sources."""
    return {**describe_method(load_impact_factors()), "sources": METHOD_SOURCES}


def statistics_datasets(**filters: Any) -> list[OrdsDataset]:
    """The datasets that have records among those ``record_list(**filters)``
    selects (to credit them), with ``selected_records``: how many."""
    counts = dict(
        record_list(**filters)
        .order_by()
        .values_list("dataset")
        .annotate(n=Count("id"))
        .values_list("dataset", "n")
    )
    datasets = list(dataset_list().filter(pk__in=counts).order_by("kind", "id"))
    for d in datasets:
        d.selected_records = counts[d.pk]  # type: ignore[attr-defined]
    return datasets


def statistics_countries() -> list[str]:
    """The countries that have records, as ISO alpha-3 codes."""
    return list(
        RepairRecord.objects.order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )


def statistics_years() -> list[int]:
    """The years that have records (of the event date), oldest first."""
    dates = RepairRecord.objects.order_by().aggregate(
        first=Min("event_date"), last=Max("event_date")
    )
    if dates["first"] is None:
        return []
    return list(range(dates["first"].year, dates["last"].year + 1))


def ords_category_choices() -> list[tuple[int, Any]]:
    """(id, label in the active language) of the 40 ORDS product categories."""
    return list(ORDS_CATEGORY_LABELS.items())


def ords_category_labels_by_name() -> dict[str, Any]:
    """The label in the active language of each ORDS category, by its ORDS name."""
    return {
        ORDS_PRODUCT_CATEGORIES[category_id]: label
        for category_id, label in ORDS_CATEGORY_LABELS.items()
    }


def own_dataset_get(*, organisation: Any) -> OrdsDataset | None:
    """The organisation's dataset of own records, if it has recorded any."""
    return (
        dataset_list().filter(kind=DatasetKind.OWN, organisation=organisation).first()
    )


def repair_status_choices() -> list[tuple[int, Any]]:
    return list(RepairStatus.choices)


def repair_barrier_choices() -> list[tuple[int, Any]]:
    return list(RepairBarrier.choices)


def may_record_repairs(*, user: Any, organisation: Any) -> bool:
    """Whether ``user`` may enter repair records for ``organisation``."""
    return bool(
        getattr(user, "is_authenticated", False)
        and rules.can_record_repairs(user, organisation)
    )


def own_record_list(*, organisation: Any) -> QuerySet[RepairRecord]:
    """The organisation's own records, latest event first."""
    return RepairRecord.objects.filter(
        dataset__kind=DatasetKind.OWN, dataset__organisation=organisation
    ).order_by("-event_date", "-id")


def _open_states(
    places: Iterable[tuple[int, str, bool]], *, at: dt.datetime
) -> dict[int, bool | None]:
    """Whether each (id, opening hours, unparsable) is open at ``at``; each
    distinct expression is evaluated once (many places share their hours)."""
    by_expression: dict[str, bool | None] = {}
    states: dict[int, bool | None] = {}
    for pk, expression, unparsable in places:
        if unparsable:
            states[pk] = None
            continue
        if expression not in by_expression:
            by_expression[expression] = hours.is_open(expression, at)
        states[pk] = by_expression[expression]
    return states


def kind_choices() -> list[tuple[str, str]]:
    """(code, label) of the kinds of repair place, in their order."""
    return list(PlaceKind.choices)


# The search of the public map finds the open state of every place within the
# radius (to filter on it), so the radius is capped.
SEARCH_MAX_RADIUS_KM = 50.0


@dataclass(frozen=True)
class PlaceHit:
    """A place found by ``place_search``: what a map marker and a result line
    need, its distance from the search point and whether it is open."""

    id: int
    name: str
    kind: str
    lat: float
    lon: float
    coordinates_derived: bool
    is_demo: bool
    distance_km: float | None
    open: bool | None


_HIT_FIELDS = (
    "pk",
    "name",
    "kind",
    "coordinates_derived",
    "is_demo",
    "opening_hours",
    "opening_hours_unparsable",
    "lat",
    "lon",
)
# Where ``_HIT_FIELDS`` stand in a place's row of the search index.
_SHOWN_AT = [search.PAGE_COLUMNS.index(name) for name in _HIT_FIELDS]


def place_search(
    *,
    user: Any = None,
    at: dt.datetime,
    near: tuple[float, float] | None = None,
    radius_km: float = 10.0,
    category: str = "",
    kind: str = "",
    open_only: bool = False,
) -> list[PlaceHit]:
    """The places the user may see, of ``category`` and ``kind`` when given: with
    ``near`` (latitude, longitude) those within ``radius_km`` of it (at most
    ``SEARCH_MAX_RADIUS_KM``), nearest first (ties by id); without it all, by name
    (ties by id). Each says whether it is open at ``at``; ``open_only`` keeps only
    the open ones.

    The same places in the same order as the API's list with the same filters:
    near a point both use the in-process index of ``search`` (which keeps the
    places' columns once read), without one both read the database by name. Each
    distinct opening-hours expression is evaluated once."""
    rows: list[tuple[tuple[Any, ...], float | None]]
    if near is None:
        qs = place_list(user=user)
        if category:
            qs = qs.filter(categories__code=category)
        if kind:
            qs = qs.filter(kind=kind)
        rows = [
            (row, None) for row in qs.order_by("name", "id").values_list(*_HIT_FIELDS)
        ]
    else:
        index = search.place_index()
        found = search.search(
            index,
            user=user,
            lat=near[0],
            lon=near[1],
            radius_km=min(float(radius_km), SEARCH_MAX_RADIUS_KM),
            category=category or None,
            kind=kind or None,
        )[:]
        distances = dict(found)
        rows = [
            (tuple(shown.row[i] for i in _SHOWN_AT), distances[shown.row[0]])
            for shown in search.shown_places(index, [pk for pk, _d in found])
        ]
    states = _open_states(((r[0], r[5], r[6]) for r, _d in rows), at=at)
    hits = [
        PlaceHit(
            id=r[0],
            name=r[1],
            kind=r[2],
            coordinates_derived=r[3],
            is_demo=r[4],
            lat=r[7],
            lon=r[8],
            distance_km=distance,
            open=states[r[0]],
        )
        for r, distance in rows
    ]
    if open_only:
        hits = [hit for hit in hits if hit.open is True]
    return hits


def places_in_order(*, ids: Iterable[int], user: Any = None) -> list[RepairPlace]:
    """The places with these ids that the user may see (with their categories and
    municipality), in the order of ``ids``."""
    wanted = list(ids)
    found = place_list(user=user).in_bulk(wanted)
    return [found[pk] for pk in wanted if pk in found]


def place_get(*, pk: int, user: Any = None) -> RepairPlace | None:
    """The place if the user may see it: published, or theirs to edit."""
    return place_list(user=user).filter(pk=pk).first()


@dataclass(frozen=True)
class PlaceHours:
    """A place's opening hours for a page: the rule as written, in words when they
    can be put in words (else None), and its state at a moment: open (True),
    closed (False) or unknown (None), with when it closes (if open) or next opens
    (if closed), where the hours tell."""

    expression: str
    unparsable: bool
    words: list[str] | None
    open: bool | None
    closes: dt.datetime | None
    opens: dt.datetime | None


def place_hours(place: RepairPlace, *, at: dt.datetime, language: str) -> PlaceHours:
    expression = place.opening_hours
    if place.opening_hours_unparsable or not expression.strip():
        return PlaceHours(
            expression, place.opening_hours_unparsable, None, None, None, None
        )
    state = hours.is_open(expression, at)
    return PlaceHours(
        expression=expression,
        unparsable=False,
        words=hours_text.describe(expression, language),
        open=state,
        closes=hours.next_change(expression, at) if state else None,
        opens=hours.next_opening(expression, at) if state is False else None,
    )


__all__ = [
    "METHOD_SOURCES",
    "SEARCH_MAX_RADIUS_KM",
    "PlaceHit",
    "PlaceHours",
    "bounding_box",
    "category_list",
    "dataset_get",
    "dataset_list",
    "engine_records",
    "kind_choices",
    "may_record_repairs",
    "ords_category_choices",
    "ords_category_labels_by_name",
    "own_dataset_get",
    "own_record_list",
    "place_get",
    "place_hours",
    "place_list",
    "place_open_states",
    "place_search",
    "places_by_distance",
    "places_in_order",
    "record_list",
    "repair_barrier_choices",
    "repair_statistics",
    "repair_statistics_sets",
    "repair_status_choices",
    "statistics_countries",
    "statistics_datasets",
    "statistics_figures",
    "statistics_method",
    "statistics_report",
    "statistics_years",
]
