# SPDX-License-Identifier: EUPL-1.2
"""The computed indicators: one small function per indicator, registered under the
name an indicator's ``source_function`` gives.

Each function reads the other apps through their selectors only (never their models)
and returns ``{(municipality id or None, year): value}``; ``None`` is the region as a
whole. Figures that have no date in the modules (a repair place, an initiative, a
contact point, a craft centre, the current phase of a participation) are a snapshot:
they are stored for the year of ``Context.year``, the year the computation runs.
Only published records count: the values are public.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cirkelregio.agricycling import selectors as agricycling
from cirkelregio.biobased import selectors as biobased
from cirkelregio.craftcentres import selectors as craftcentres
from cirkelregio.events import selectors as events
from cirkelregio.exchange import selectors as exchange
from cirkelregio.initiatives import selectors as initiatives
from cirkelregio.mki import selectors as mki
from cirkelregio.regions import selectors as regions
from cirkelregio.repair import selectors as repair
from cirkelregio.roads import selectors as roads

Key = tuple[int | None, int]
Values = dict[Key, float]


@dataclass(frozen=True)
class Context:
    year: int
    """The year the computation runs in: the year of the snapshot figures."""


Source = Callable[[Context], Values]
SOURCES: dict[str, Source] = {}


def source(name: str) -> Callable[[Source], Source]:
    def register(function: Source) -> Source:
        if name in SOURCES:
            raise ValueError(f"Source {name} registered twice.")
        SOURCES[name] = function
        return function

    return register


def _with_total(values: dict[Key, float]) -> Values:
    """The values plus, per year, a region total: the sum over the municipalities."""
    totals: dict[int, float] = defaultdict(float)
    for (m_id, year), value in values.items():
        if m_id is not None:
            totals[year] += value
    out = dict(values)
    for year, total in totals.items():
        out.setdefault((None, year), total)
    return out


def _count(pairs: list[Key]) -> Values:
    return _with_total({k: float(n) for k, n in Counter(pairs).items()})


def _municipality_ids() -> list[int]:
    return list(regions.municipality_list().values_list("pk", flat=True))


def _presence(present: set[int], year: int) -> Values:
    """1 or 0 for every municipality of the region."""
    return {(m, year): 1.0 if m in present else 0.0 for m in _municipality_ids()}


def _coverage(present: set[int], year: int) -> Values:
    """The share (%) of the region's municipalities in ``present``."""
    ids = _municipality_ids()
    if not ids:
        return {}
    return {(None, year): 100.0 * len(present.intersection(ids)) / len(ids)}


# Registry: organisations and participations (all action lines) ------------------


@source("participating_organisations")
def participating_organisations(ctx: Context) -> Values:
    """Published organisations taking part in at least one action line by the end of
    each year (``since``), by the municipality they are based in."""
    first: dict[int, tuple[int | None, int]] = {}
    for org, m_id, since in regions.participation_list().values_list(
        "organisation_id", "organisation__municipality_id", "since"
    ):
        if org not in first or since.year < first[org][1]:
            first[org] = (m_id, since.year)
    if not first:
        return {}
    out: dict[Key, float] = defaultdict(float)
    start = min(y for _, y in first.values())
    for m_id, since_year in first.values():
        for year in range(max(since_year, start), ctx.year + 1):
            if m_id is not None:
                out[(m_id, year)] += 1
            out[(None, year)] += 1
    return dict(out)


def _participations_in(phase: str, ctx: Context) -> Values:
    rows = regions.participation_list().filter(phase=phase)
    out: dict[Key, float] = defaultdict(float)
    for (m_id,) in rows.values_list("organisation__municipality_id"):
        if m_id is not None:
            out[(m_id, ctx.year)] += 1
        out[(None, ctx.year)] += 1
    return dict(out)


@source("participations_connect")
def participations_connect(ctx: Context) -> Values:
    return _participations_in("connect", ctx)


@source("participations_explore")
def participations_explore(ctx: Context) -> Values:
    return _participations_in("explore", ctx)


@source("participations_realise")
def participations_realise(ctx: Context) -> Values:
    return _participations_in("realise", ctx)


# 1 Asphalt strategy and 3 MKI ----------------------------------------------------


@source("mki_gww_projects")
def mki_gww_projects(ctx: Context) -> Values:
    """MKI (euro, NMD A2 with module D) of the published GWW projects registered in
    a municipality, per project year: the reference variant's latest result."""
    out: dict[Key, float] = defaultdict(float)
    for _project, m_id, year, total in mki.monitor_results():
        out[(m_id, year)] += float(total)
    return _with_total(dict(out))


@source("asphalt_plan_mki")
def asphalt_plan_mki(ctx: Context) -> Values:
    """MKI (euro) of the asphalt in the road authorities' maintenance plans as
    planned, per year the work's window starts. A municipality's own plan counts for
    it; the region total holds every authority (also province and water boards)."""
    municipality_of = dict(
        regions.organisation_list()
        .filter(kind="municipality", municipality__isnull=False)
        .values_list("slug", "municipality_id")
    )
    out: dict[Key, float] = defaultdict(float)
    for row in roads.plan_mki_table():
        value = float(row.mki_eur.get("planned", 0.0))
        m_id = municipality_of.get(row.authority)
        if m_id is not None:
            out[(m_id, row.year)] += value
        out[(None, row.year)] += value
    return dict(out)


# 2 Sharing stones: the materials exchange ----------------------------------------


def _exchange(field: Callable[[Any], float]) -> Values:
    """Per year, the latest succeeded matching run that started in it: the figure of
    its proposals (rejected and released ones left out) per municipality; the region
    total includes listings without a municipality."""
    latest: dict[int, Any] = {}
    for run in exchange.match_run_list().filter(status="succeeded"):
        latest.setdefault(run.started_at.year, run)  # newest first
    codes = dict(regions.municipality_list().values_list("cbs_code", "pk"))
    out: dict[Key, float] = {}
    for year, run in latest.items():
        total = 0.0
        for s in exchange.savings_by_municipality(run=run):
            value = float(field(s))
            total += value
            m_id = codes.get(s.municipality) if s.municipality else None
            if m_id is not None:
                out[(m_id, year)] = out.get((m_id, year), 0.0) + value
        out[(None, year)] = total
    return out


@source("exchange_tonnes_reused")
def exchange_tonnes_reused(ctx: Context) -> Values:
    return _exchange(lambda s: s.tonnes_reused)


@source("exchange_savings_eur")
def exchange_savings_eur(ctx: Context) -> Values:
    return _exchange(
        lambda s: s.new_cost_avoided_eur + s.disposal_avoided_eur - s.transport_cost_eur
    )


@source("exchange_mki_avoided_eur")
def exchange_mki_avoided_eur(ctx: Context) -> Values:
    return _exchange(lambda s: s.new_mki_avoided_eur - s.transport_mki_eur)


# 4 Biobased insulation ----------------------------------------------------------


def _biobased_groups() -> dict[Key, list[Any]]:
    groups: dict[Key, list[Any]] = defaultdict(list)
    for project in biobased.project_list().order_by("year", "id"):
        fact = biobased.fact_of(project)
        groups[(project.municipality_id, project.year)].append(fact)
        groups[(None, project.year)].append(fact)
    return groups


@source("biobased_share")
def biobased_share(ctx: Context) -> Values:
    """Share (%) of the insulation task of the year carried out with at least 30 %
    biobased material (the biobased module's progress figure, its default basis)."""
    basis = biobased.default_basis()
    out: Values = {}
    for key, facts in _biobased_groups().items():
        share = biobased.summarise(facts, basis=basis).meeting_share
        if share is not None:
            out[key] = share
    return out


@source("biobased_co2_stored")
def biobased_co2_stored(ctx: Context) -> Values:
    basis = biobased.default_basis()
    return {
        key: biobased.summarise(facts, basis=basis).co2_stored_kg
        for key, facts in _biobased_groups().items()
    }


# 5 Agricycling ------------------------------------------------------------------


@source("agricycling_composted_t")
def agricycling_composted_t(ctx: Context) -> Values:
    """Tonnes of mowings placed for composting in the latest allocation run of each
    season, by the municipality of the parcel, in the year the season starts."""
    where = {p.engine_id: p.municipality_id for p in agricycling.parcel_list()}
    out: dict[Key, float] = defaultdict(float)
    for season in agricycling.season_list():
        run = agricycling.run_list(season).first()
        if run is None:
            continue
        year = season.starts_on.year
        out[(None, year)] += 0.0
        for placement in (run.result or {}).get("placements", []):
            tonnes = float(placement["tonnes"])
            m_id = where.get(placement["parcel"])
            if m_id is not None:
                out[(m_id, year)] += tonnes
            out[(None, year)] += tonnes
    return dict(out)


# 6 Heel Utrecht Repareert -------------------------------------------------------


def _places() -> list[tuple[int, str]]:
    return list(
        repair.place_list()
        .filter(municipality__isnull=False)
        .values_list("municipality_id", "kind")
    )


@source("repair_places")
def repair_places(ctx: Context) -> Values:
    return _count([(m, ctx.year) for m, _kind in _places()])


@source("repair_cafes")
def repair_cafes(ctx: Context) -> Values:
    return _count([(m, ctx.year) for m, kind in _places() if kind == "repair_cafe"])


def _networks() -> set[int]:
    """Municipalities with a local repair network: at least one Repair Café and at
    least one other repair place (a business, tailor, ...)."""
    cafes = {m for m, kind in _places() if kind == "repair_cafe"}
    others = {m for m, kind in _places() if kind != "repair_cafe"}
    return cafes & others


@source("repair_network_present")
def repair_network_present(ctx: Context) -> Values:
    return _presence(_networks(), ctx.year)


@source("repair_network_coverage")
def repair_network_coverage(ctx: Context) -> Values:
    return _coverage(_networks(), ctx.year)


def _ords(figure: Callable[[Any], float]) -> Values:
    stats = repair.repair_statistics(by=("year",), country="NLD")
    return {(None, int(g.key[0])): float(figure(g)) for g in stats.groups}


@source("ords_repairs")
def ords_repairs(ctx: Context) -> Values:
    return _ords(lambda g: g.records)


@source("ords_fixed")
def ords_fixed(ctx: Context) -> Values:
    return _ords(lambda g: g.fixed)


@source("ords_waste_prevented_kg")
def ords_waste_prevented_kg(ctx: Context) -> Values:
    return _ords(lambda g: g.waste_prevented_kg)


@source("ords_co2e_averted_kg")
def ords_co2e_averted_kg(ctx: Context) -> Values:
    return _ords(lambda g: g.co2e_averted_kg)


@source("reparatieweek_activities")
def reparatieweek_activities(ctx: Context) -> Values:
    """Published repair events taking part in a published Reparatieweek, by their
    municipality and the year of the edition."""
    rows = (
        events.public_event_list()
        .filter(edition__is_published=True)
        .values_list("municipality_id", "edition__start_date")
    )
    return _count([(m, start.year) for m, start in rows])


@source("reparatieweken")
def reparatieweken(ctx: Context) -> Values:
    years = [e.start_date.year for e in events.public_edition_list()]
    return {(None, y): float(n) for y, n in Counter(years).items()}


# 7 Resident initiatives --------------------------------------------------------


@source("initiatives")
def initiatives_count(ctx: Context) -> Values:
    rows = initiatives.public_initiative_list().values_list(
        "municipality_id", flat=True
    )
    return _count([(m, ctx.year) for m in rows if m is not None])


def _contact_points() -> set[int]:
    return set(
        initiatives.contact_point_list()
        .filter(municipality__isnull=False)
        .values_list("municipality_id", flat=True)
    )


@source("contact_point_present")
def contact_point_present(ctx: Context) -> Values:
    return _presence(_contact_points(), ctx.year)


@source("contact_point_coverage")
def contact_point_coverage(ctx: Context) -> Values:
    return _coverage(_contact_points(), ctx.year)


# 8 Circular craft centres -------------------------------------------------------


def _centres() -> list[int]:
    return list(
        craftcentres.site_list()
        .filter(kind="existing", municipality__isnull=False)
        .values_list("municipality_id", flat=True)
    )


@source("craftcentres_existing")
def craftcentres_existing(ctx: Context) -> Values:
    return _count([(m, ctx.year) for m in _centres()])


@source("craftcentres_population_coverage")
def craftcentres_population_coverage(ctx: Context) -> Values:
    """Share (%) of the region's inhabitants living in a municipality with an
    existing circular craft centre."""
    with_centre = set(_centres())
    population = dict(regions.municipality_list().values_list("pk", "population"))
    total = math.fsum(population.values())
    if not total:
        return {}
    covered = math.fsum(p for m, p in population.items() if m in with_centre)
    return {(None, ctx.year): 100.0 * covered / total}


@source("craftcentres_bulky_waste_t")
def craftcentres_bulky_waste_t(ctx: Context) -> Values:
    """Bulky household waste (grof afval, tonnes) per municipality in the year of
    the current network scenario (its own CBS or entered figure, else the default)."""
    out: Values = {}
    for row in craftcentres.municipality_networks():
        out[(row.municipality.pk, row.year)] = float(row.rate.tonnes)
    return _with_total(out)
