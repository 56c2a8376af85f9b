# SPDX-License-Identifier: EUPL-1.2
"""Reads of the craft-centres app: sites, bulky-waste figures, scenarios and their
stored networks, networks side by side, and the figures of one municipality.

``user`` is the reader: coordinators see every scenario, everyone else (also
``None``, the public) only the published ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from cirkelregio.accounts.selectors import is_coordinator
from cirkelregio.craftcentres.models import (
    BulkyWasteFigure,
    CentreSite,
    FigureSource,
    NetworkModel,
    NetworkScenario,
    ScenarioResult,
    SiteKind,
)
from cirkelregio.engine.craftcentres import DemandPoint
from cirkelregio.engine.craftcentres.network import (
    CBS_GROF_KG_PER_INHABITANT_2021,
    CBS_GROF_SOURCE_2021,
)
from cirkelregio.regions.models import Municipality, Postcode

__all__ = [
    "FigureSource",
    "KgRate",
    "NetworkModel",
    "SiteKind",
    "bulky_waste_rates",
    "current_scenario",
    "demand_points",
    "figure_list",
    "municipality_network",
    "municipality_networks",
    "network_rows",
    "result_for",
    "scenario_get",
    "scenario_list",
    "site_list",
]


def site_list() -> QuerySet[CentreSite]:
    return CentreSite.objects.select_related("municipality", "operator")


def figure_list() -> QuerySet[BulkyWasteFigure]:
    return BulkyWasteFigure.objects.select_related("municipality")


def scenario_list(*, user: Any = None) -> QuerySet[NetworkScenario]:
    qs = NetworkScenario.objects.prefetch_related(
        Prefetch("results", queryset=ScenarioResult.objects.order_by("p"))
    )
    if not is_coordinator(user):
        qs = qs.filter(is_published=True)
    return qs


def scenario_get(*, pk: int, user: Any = None) -> NetworkScenario | None:
    return scenario_list(user=user).filter(pk=pk).first()


def demand_points() -> list[DemandPoint]:
    """The PC4 areas of the region's municipalities with inhabitants, as demand
    points (centroid, population, municipality code), in postcode order."""
    rows = (
        Postcode.objects.filter(municipality__isnull=False, population__gt=0)
        .select_related("municipality")
        .order_by("code")
    )
    return [
        DemandPoint(
            id=pc.code,
            lat=pc.lat,
            lon=pc.lon,
            population=float(pc.population or 0),
            municipality=pc.municipality.cbs_code,  # type: ignore[union-attr]
        )
        for pc in rows
    ]


@dataclass(frozen=True)
class KgRate:
    """The bulky waste of one municipality in a year, with where it comes from."""

    kg_per_inhabitant: float
    tonnes: float
    source: str
    source_kind: str
    """``cbs``, ``entered`` or ``default`` (the engine's CBS 2021 figure)."""
    year: int | None


def _rate(
    municipality: Municipality,
    own: BulkyWasteFigure | None,
    default: BulkyWasteFigure | None,
) -> KgRate:
    population = float(municipality.population)
    if own is not None:
        if own.kg_per_inhabitant is not None:
            kg = own.kg_per_inhabitant
            tonnes = kg * population / 1000.0
        else:
            tonnes = float(own.tonnes or 0.0)
            kg = tonnes * 1000.0 / population if population else 0.0
        return KgRate(kg, tonnes, own.source, own.source_kind, own.year)
    if default is not None and default.kg_per_inhabitant is not None:
        kg = default.kg_per_inhabitant
        return KgRate(
            kg,
            kg * population / 1000.0,
            default.source,
            default.source_kind,
            default.year,
        )
    kg = CBS_GROF_KG_PER_INHABITANT_2021
    return KgRate(kg, kg * population / 1000.0, CBS_GROF_SOURCE_2021, "default", 2021)


def bulky_waste_rates(*, year: int) -> dict[str, KgRate]:
    """Per municipality (CBS code): its own figure for ``year``, else the
    province-wide default for ``year``, else the CBS 2021 figure of the engine
    (146 kg per inhabitant)."""
    figures = {f.municipality_id: f for f in BulkyWasteFigure.objects.filter(year=year)}
    default = figures.get(None)
    return {
        m.cbs_code: _rate(m, figures.get(m.pk), default)
        for m in Municipality.objects.order_by("cbs_code")
    }


def result_for(
    scenario: NetworkScenario, p: int | None = None
) -> ScenarioResult | None:
    """The stored network for ``p``; without p the one put forward (``chosen_p``),
    else the one with the most centres."""
    results = list(scenario.results.all())
    if not results:
        return None
    wanted = p if p is not None else scenario.chosen_p
    if wanted is not None:
        return next((r for r in results if r.p == wanted), None)
    return max(results, key=lambda r: r.p)


def current_scenario() -> NetworkScenario | None:
    """The most recent published scenario with at least one stored network."""
    return (
        scenario_list(user=None)
        .filter(results__isnull=False)
        .distinct()
        .order_by("-created_at", "-id")
        .first()
    )


def _site_names(scenario: NetworkScenario) -> dict[str, str]:
    return {str(s["id"]): str(s["name"]) for s in scenario.parameters.get("sites", [])}


def _municipality_names() -> dict[str, str]:
    return dict(Municipality.objects.values_list("cbs_code", "name"))


def network_rows(
    scenarios: list[NetworkScenario],
) -> list[dict[str, Any]]:
    """Networks side by side: one row per scenario and p, in the order given and
    then by p: coverage within the distance (% of the population), the
    population-weighted average and the largest distance, the bulky-waste and
    harvestable tonnes, and per centre its population, the municipalities it
    serves (names) and its tonnes. The figures are those of the engine's
    ``compare`` on the stored results."""
    names = _municipality_names()
    rows: list[dict[str, Any]] = []
    for scenario in scenarios:
        site_names = _site_names(scenario)
        for result in scenario.results.all():
            data = result.data
            share = data.get("coverage_share")
            centres = [
                {
                    "site": s["id"],
                    "name": site_names.get(str(s["id"]), s["name"]),
                    "existing": s["existing"],
                    "population_served": s["population_served"],
                    "municipalities": [names.get(c, c) for c in s["municipalities"]],
                    "bulky_waste_tonnes": s["bulky_waste_tonnes"],
                    "harvestable_tonnes": s["harvestable_tonnes"],
                    "average_distance_km": s["average_distance_km"],
                }
                for s in data["sites"]
            ]
            rows.append(
                {
                    "scenario": scenario.pk,
                    "scenario_name": scenario.name,
                    "model": data["model"],
                    "p": data["p"],
                    "status": data["status"],
                    "gap": data["gap"],
                    "coverage_km": data["coverage_km"],
                    "coverage_pct": None if share is None else 100.0 * share,
                    "average_distance_km": data["average_distance_km"],
                    "max_distance_km": data["max_distance_km"],
                    "bulky_waste_tonnes": data["bulky_waste_tonnes"],
                    "harvestable_tonnes": data["harvestable_tonnes"],
                    "harvestable_tonnes_per_centre": [
                        c["harvestable_tonnes"] for c in centres
                    ],
                    "municipalities_per_centre": [
                        len(c["municipalities"]) for c in centres
                    ],
                    "centres": centres,
                }
            )
    return rows


@dataclass(frozen=True)
class MunicipalityNetwork:
    """One municipality in the craft-centre planning: its bulky waste and, in the
    current scenario's network, the centre that serves it."""

    municipality: Municipality
    rate: KgRate
    year: int
    scenario: NetworkScenario | None
    p: int | None
    centre: dict[str, Any] | None
    """The serving centre's report (``name``, ``population_served``, the names of
    the ``municipalities`` it serves, its tonnes), or None."""
    harvestable_tonnes: float | None
    """The municipality's own bulky-waste tonnes x the scenario's reusable share."""


def municipality_networks(
    *, municipalities: list[Municipality] | None = None
) -> list[MunicipalityNetwork]:
    """Per municipality (default: all, by name) its bulky waste in the year of the
    current scenario (2021 without one) and the centre that serves it in that
    scenario's network put forward."""
    scenario = current_scenario()
    year = scenario.year if scenario is not None else 2021
    rates = bulky_waste_rates(year=year)
    result = result_for(scenario) if scenario is not None else None
    centres: dict[str, dict[str, Any]] = {}
    serving: dict[str, str] = {}
    if scenario is not None and result is not None:
        serving = result.data["municipality_site"]
        row = next(r for r in network_rows([scenario]) if r["p"] == result.p)
        centres = {c["site"]: c for c in row["centres"]}
    if municipalities is None:
        municipalities = list(Municipality.objects.order_by("name"))
    out = []
    for m in municipalities:
        rate = rates[m.cbs_code]
        harvest = None
        if scenario is not None and scenario.reusable_percent is not None:
            harvest = rate.tonnes * scenario.reusable_percent / 100.0
        site_id = serving.get(m.cbs_code)
        out.append(
            MunicipalityNetwork(
                municipality=m,
                rate=rate,
                year=year,
                scenario=scenario,
                p=result.p if result is not None else None,
                centre=centres.get(site_id) if site_id is not None else None,
                harvestable_tonnes=harvest,
            )
        )
    return out


def municipality_network(*, municipality: Municipality) -> MunicipalityNetwork:
    return municipality_networks(municipalities=[municipality])[0]
