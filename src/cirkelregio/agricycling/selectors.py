# SPDX-License-Identifier: EUPL-1.2
"""Reads of the Agricycling app: seasons, parcels, farms (without personal data for
the public), runs, the settlement table of a run with what the user may see, the map
of a run and the figures of a municipality."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cirkelregio.agricycling import rules
from cirkelregio.agricycling.models import (
    AllocationRun,
    CompostBatch,
    Farm,
    FarmCapacity,
    MowingParcel,
    Season,
    Tariffs,
)
from cirkelregio.agricycling.services.runs import run_settlement
from cirkelregio.regions import selectors as region_selectors

PUBLIC_DECIMALS = 2
"""Farm locations to 0.01 degree (about a kilometre) for the public."""


def season_list() -> QuerySet[Season]:
    return Season.objects.all()


def season_pick(label: str | None) -> Season | None:
    seasons = season_list()
    if label:
        return seasons.filter(label=label).first()
    return seasons.first()


def tariffs_of(season: Season) -> Tariffs | None:
    return Tariffs.objects.filter(season=season).first()


def tariffs_list() -> QuerySet[Tariffs]:
    return Tariffs.objects.select_related("season")


def parcel_list() -> QuerySet[MowingParcel]:
    return MowingParcel.objects.select_related("owner", "municipality")


def farm_list() -> QuerySet[Farm]:
    return Farm.objects.select_related("municipality", "organisation")


def capacity_list(season: Season | None = None) -> QuerySet[FarmCapacity]:
    qs = FarmCapacity.objects.select_related("farm", "season")
    return qs.filter(season=season) if season is not None else qs


def batch_list() -> QuerySet[CompostBatch]:
    return CompostBatch.objects.select_related("farm", "season")


def run_list(season: Season | None = None) -> QuerySet[AllocationRun]:
    qs = AllocationRun.objects.select_related("season", "started_by")
    return qs.filter(season=season) if season is not None else qs


def farm_label(farm: Farm | None, user: Any, name: str = "") -> str:
    """The farm's name for those who may see it; else 'a farm in <municipality>'."""
    if farm is not None and rules.can_view_farm_details(user, farm):
        return farm.name
    where = farm.municipality.name if farm and farm.municipality else "?"
    return _("Farm in %(municipality)s") % {"municipality": where}


def farm_point(farm: Farm, user: Any) -> tuple[float, float]:
    if rules.can_view_farm_details(user, farm):
        return farm.lat, farm.lon
    return round(farm.lat, PUBLIC_DECIMALS), round(farm.lon, PUBLIC_DECIMALS)


@dataclass
class PartyRow:
    role: str
    party: str
    name: str
    tonnes: Decimal
    eur: Decimal
    share: Decimal = Decimal(0)
    compost_value: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    may_download: bool = False


@dataclass
class SettlementTable:
    season: str
    owners: list[PartyRow]
    farms: list[PartyRow]
    fees: Decimal
    transport: Decimal
    composting: Decimal
    compost_value: Decimal
    result: Decimal
    compost_value_to: str
    full: bool
    """The user sees every party (a coordinator)."""
    error: str = ""
    farm_totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        """Owners' payments (+ compost value when the cooperative's) equal
        transport + composting + the members' shares, to the cent."""
        income = self.fees + (
            self.compost_value if self.compost_value_to == "cooperative" else 0
        )
        shares = sum((f.share for f in self.farms), Decimal(0))
        return (
            sum((o.eur for o in self.owners), Decimal(0)) == self.fees
            and income == self.transport + self.composting + shares
        )


def settlement_table(*, run: AllocationRun, user: Any) -> SettlementTable:
    """The run's settlement; parties the user may not see are left out of the
    rows (but never out of the totals). Raises ValidationError when the season has
    no tariffs."""
    s = run_settlement(run)
    owners = {o.slug: o for o in region_selectors.organisation_list()}
    farms = {f.name: f for f in farm_list()}
    owner_t: dict[str, Decimal] = {}
    for p in run.result.get("placements", []):
        owner_t[p["owner"]] = owner_t.get(p["owner"], Decimal(0)) + Decimal(
            repr(float(p["tonnes"]))
        )
    full = rules.is_coordinator(user)
    owner_rows = [
        PartyRow(
            "owner",
            o.party,
            owners[o.party].name if o.party in owners else o.party,
            owner_t.get(o.party, Decimal(0)),
            o.eur,
            total=o.eur,
            may_download=rules.can_view_owner_statement(user, owners.get(o.party)),
        )
        for o in s.owners
    ]
    loads = {f["farm"]: f for f in run.result.get("farms", [])}
    farm_rows = []
    for f, share, value in zip(s.farms, s.shares, s.farm_compost_value, strict=True):
        farm = farms.get(f.party)
        farm_rows.append(
            PartyRow(
                "farm",
                f.party,
                farm_label(farm, user) if farm else f.party,
                Decimal(repr(float(loads.get(f.party, {}).get("tonnes", 0)))),
                f.eur,
                share=share.eur,
                compost_value=value.eur,
                total=f.eur + share.eur,
                may_download=rules.can_view_farm_statement(user, farm),
            )
        )
    if not full:
        owner_rows = [r for r in owner_rows if r.may_download]
        farm_rows = [r for r in farm_rows if r.may_download]

    def eur(c: int) -> Decimal:
        return Decimal(c).scaleb(-2)

    return SettlementTable(
        season=s.season,
        owners=owner_rows,
        farms=farm_rows,
        fees=eur(s.fees_cents),
        transport=eur(s.transport_cents),
        composting=eur(s.composting_cents),
        compost_value=eur(s.compost_value_cents),
        result=eur(s.result_cents),
        compost_value_to=run.season.tariffs.compost_value_to,
        full=full,
    )


def statement_of(*, run: AllocationRun, role: str, party: str, user: Any) -> Any:
    """(settlement, statement, display name) of one party, or None when there is
    no such party or the user may not see it."""
    s = run_settlement(run)
    for st in s.statements:
        if st.role != role or st.party != party:
            continue
        if role == "owner":
            owner = region_selectors.organisation_list().filter(slug=party).first()
            if not rules.can_view_owner_statement(user, owner):
                return None
            return s, st, owner.name if owner else party
        if role == "farm":
            farm = farm_list().filter(name=party).first()
            if not rules.can_view_farm_statement(user, farm):
                return None
            return s, st, party
        if not rules.is_coordinator(user):
            return None
        return s, st, "cooperative"
    return None


REASON_LABELS = {
    "no_farm_within_distance": gettext_lazy("no farm within the maximum distance"),
    "farms_full": gettext_lazy("every farm within the distance is full"),
    "alternative_cheaper": gettext_lazy(
        "the owner's alternative is cheaper than the transport"
    ),
    "solver_stopped": gettext_lazy("the solver stopped before placing it"),
}


def run_features(*, run: AllocationRun | None, user: Any) -> list[dict[str, Any]]:
    """GeoJSON features of the map: parcels (placed, partly or not, with the
    reason), farms (points; approximate and unnamed for the public) and a line
    from each parcel's centroid to each farm it goes to."""
    parcels = {p.engine_id: p for p in parcel_list()}
    farms = {f.name: f for f in farm_list()}
    placed: dict[str, list[dict[str, Any]]] = {}
    unplaced: dict[str, dict[str, Any]] = {}
    if run is not None:
        for p in run.result.get("placements", []):
            placed.setdefault(p["parcel"], []).append(p)
        for u in run.result.get("unplaced", []):
            unplaced[u["parcel"]] = u
    features: list[dict[str, Any]] = []
    for key, parcel in parcels.items():
        u = unplaced.get(key)
        state = (
            "unplaced" if u and key not in placed else ("partial" if u else "placed")
        )
        if run is None or (key not in placed and not u):
            state = "none"
        features.append(
            {
                "type": "Feature",
                "geometry": parcel.geometry,
                "properties": {
                    "kind": "parcel",
                    "state": state,
                    "reason": u["reason"] if u else "",
                    "name": f"{parcel.name} ({parcel.owner.name}), "
                    f"{parcel.expected_tonnes:g} t"
                    + (f": {REASON_LABELS.get(u['reason'], u['reason'])}" if u else ""),
                },
            }
        )
    for farm in farms.values():
        lat, lon = farm_point(farm, user)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"kind": "farm", "name": farm_label(farm, user)},
            }
        )
    for key, rows in placed.items():
        parcel = parcels.get(key)
        for p in rows:
            farm = farms.get(p["farm"])
            if parcel is None or farm is None:
                continue
            lat, lon = farm_point(farm, user)
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [
                            [parcel.centroid_lon, parcel.centroid_lat],
                            [lon, lat],
                        ],
                    },
                    "properties": {
                        "kind": "line",
                        "name": f"{parcel.name} → {farm_label(farm, user)}: "
                        f"{p['tonnes']:g} t, {p['distance_km']:g} km",
                    },
                }
            )
    return features


@dataclass
class MunicipalityFigures:
    parcels: int
    composted_t: float
    unplaced_t: float
    farms: int
    capacity_t: float
    season: str


def municipality_figures(*, municipality: Any) -> MunicipalityFigures | None:
    """For the municipality page and the regional monitoring: the mowings of
    parcels in the municipality composted in the latest run of the latest season,
    and the farms in the municipality with their capacity in that season."""
    season = season_pick(None)
    if season is None:
        return None
    parcels = {p.engine_id for p in parcel_list().filter(municipality=municipality)}
    farms = farm_list().filter(municipality=municipality)
    if not parcels and not farms.exists():
        return None
    run = run_list(season).first()
    composted = unplaced = 0.0
    if run is not None:
        composted = sum(
            float(p["tonnes"])
            for p in run.result.get("placements", [])
            if p["parcel"] in parcels
        )
        unplaced = sum(
            float(u["tonnes"])
            for u in run.result.get("unplaced", [])
            if u["parcel"] in parcels
        )
    capacity = sum(c.capacity_t for c in capacity_list(season).filter(farm__in=farms))
    return MunicipalityFigures(
        parcels=len(parcels),
        composted_t=round(composted, 3),
        unplaced_t=round(unplaced, 3),
        farms=farms.count(),
        capacity_t=capacity,
        season=season.label,
    )


def composted_by_municipality(*, run: AllocationRun) -> dict[str, float]:
    """Public aggregate: tonnes composted per municipality of the parcels."""
    where = {
        p.engine_id: (p.municipality.name if p.municipality else "?")
        for p in parcel_list()
    }
    out: dict[str, float] = {}
    for p in run.result.get("placements", []):
        m = where.get(p["parcel"], "?")
        out[m] = round(out.get(m, 0.0) + float(p["tonnes"]), 3)
    return dict(sorted(out.items()))
