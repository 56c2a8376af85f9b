# SPDX-License-Identifier: EUPL-1.2
"""Reads of exchange records for the API, the admin, pages and other apps. Lists
leave out what the reader may not see.

Savings are reported in euros, tonnes, new-product MKI avoided, tonne-km and
transport MKI. Transport CO2 is NOT shown: the research notes
(research/exchange.md, "Transport emission factors") hold no verified per-tonne-km
factor for Dutch road freight (the STREAM 2020 table was not retrieved; the platform
default there is marked unverified), so a CO2 figure would be a guess.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

import numpy as np

from cirkelregio.accounts.selectors import edited_organisation_id, is_coordinator
from cirkelregio.engine.geo.distance import haversine_km
from cirkelregio.exchange.models import (
    Depot,
    DepotStockMovement,
    Listing,
    ListingPhoto,
    ListingStatus,
    MatchRun,
    MaterialClass,
    Proposal,
    ProposalStatus,
)
from cirkelregio.mki import selectors as mki_selectors


def material_list() -> QuerySet[MaterialClass]:
    return MaterialClass.objects.select_related("new_mki_profile__library")


TONNE_UNITS = frozenset({"t", "ton", "tonne", "tonnes"})


def _unit(unit: str) -> str:
    return unit.strip().lower()


def is_tonne_unit(unit: str) -> bool:
    return _unit(unit) in TONNE_UNITS


def default_conversion(
    *, unit: str, tonnes_per_unit: float, profile_unit: str
) -> float | None:
    """How many of a profile's functional units make one unit of a material class
    when no conversion is entered: 1 for the same unit, the tonnes per unit for a
    profile per tonne; None when it cannot be known."""
    if _unit(unit) == _unit(profile_unit):
        return 1.0
    if is_tonne_unit(profile_unit):
        return float(tonnes_per_unit)
    return None


@dataclass(frozen=True)
class NewMki:
    """The MKI of one unit of the new product a material class replaces, as a match
    run uses it: calculated from the linked MKI profile (``from_profile``), or the
    entered estimate. ``note`` says why the estimate is used although a profile is
    linked."""

    eur_per_unit: float
    from_profile: bool
    estimate_eur: float
    profile: int | None = None
    profile_code: str = ""
    profile_name: str = ""
    profile_unit: str = ""
    library: str = ""
    conversion: float | None = None
    method: str = ""
    weighting_sha256: str = ""
    note: str = ""

    def as_record(self) -> dict[str, Any]:
        return asdict(self)


def material_new_mki(material: MaterialClass) -> NewMki:
    """The new product's MKI per unit of the class: with a linked profile, the MKI
    app's calculation of ``conversion`` functional units of it with the class's
    weighting set; otherwise (or when that cannot be calculated) the estimate."""
    estimate = float(material.new_mki_eur)
    profile = material.new_mki_profile
    if profile is None:
        return NewMki(eur_per_unit=estimate, from_profile=False, estimate_eur=estimate)
    conversion = material.new_mki_conversion
    if conversion is None:
        conversion = default_conversion(
            unit=material.unit,
            tonnes_per_unit=material.tonnes_per_unit,
            profile_unit=profile.unit,
        )
    linked = {
        "estimate_eur": estimate,
        "profile": profile.pk,
        "profile_code": profile.profile_id,
        "profile_name": profile.name,
        "profile_unit": profile.unit,
        "library": profile.library.name,
        "conversion": conversion,
        "method": material.new_mki_method,
    }
    if conversion is None:
        return NewMki(
            eur_per_unit=estimate,
            from_profile=False,
            note=_(
                "No conversion from the profile's unit (%(profile_unit)s) to the "
                "class's unit (%(unit)s)."
            )
            % {"profile_unit": profile.unit, "unit": material.unit},
            **linked,
        )
    result = mki_selectors.profile_mki(
        profile=profile.pk, quantity=conversion, method=material.new_mki_method
    )
    if result.total_eur is None:
        return NewMki(
            eur_per_unit=estimate, from_profile=False, note=result.error, **linked
        )
    return NewMki(
        eur_per_unit=result.total_eur,
        from_profile=True,
        weighting_sha256=result.weighting_sha256,
        **linked,
    )


def new_mki_by_material(
    materials: Iterable[MaterialClass] | None = None,
) -> dict[str, NewMki]:
    """``material_new_mki`` per material code (all classes by default)."""
    return {
        m.code: material_new_mki(m)
        for m in (material_list() if materials is None else materials)
    }


def depot_list(*, user: Any = None) -> QuerySet[Depot]:
    """Active depots for everyone; inactive ones for their owner and coordinators."""
    qs = Depot.objects.select_related("owner", "municipality")
    if is_coordinator(user):
        return qs
    org = edited_organisation_id(user)
    return qs.filter(Q(is_active=True) | Q(owner_id=org))


def public_listing_list() -> QuerySet[Listing]:
    """What everyone sees: open, published listings."""
    return Listing.objects.filter(
        status=ListingStatus.OPEN, is_published=True
    ).prefetch_related("photos")


def listing_list(*, user: Any = None) -> QuerySet[Listing]:
    qs = Listing.objects.select_related(
        "owner", "material", "municipality"
    ).prefetch_related("photos")
    if is_coordinator(user):
        return qs
    org = edited_organisation_id(user)
    return qs.filter(Q(status=ListingStatus.OPEN, is_published=True) | Q(owner_id=org))


def listings_by_reference(
    *, reference_prefix: str, owner_id: int | None = None
) -> QuerySet[Listing]:
    """All listings (any status) whose reference starts with ``reference_prefix``,
    of one owner when given: for services that keep listings in step with another
    app's records (the roads app's supply forecast)."""
    qs = Listing.objects.select_related("owner", "material").filter(
        reference__startswith=reference_prefix
    )
    return qs if owner_id is None else qs.filter(owner_id=owner_id)


def listing_photo_list(*, user: Any = None) -> QuerySet[ListingPhoto]:
    """The photos of the listings the reader may see."""
    return ListingPhoto.objects.filter(
        listing__in=listing_list(user=user).values("pk")
    ).select_related("listing")


def listings_near(
    qs: QuerySet[Listing], *, lat: float, lon: float, radius_km: float
) -> QuerySet[Listing]:
    """The listings within ``radius_km`` great-circle km (the engine's haversine) of
    a point. A bounding box narrows the query first."""
    dlat = radius_km / 111.0 + 1e-6
    cos = max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-6)
    dlon = min(radius_km / (111.0 * cos) + 1e-6, 360.0)
    box = qs.filter(lat__gte=lat - dlat, lat__lte=lat + dlat)
    if lon - dlon >= -180 and lon + dlon <= 180:
        # (near the antimeridian the longitude is left to the exact test below)
        box = box.filter(lon__gte=lon - dlon, lon__lte=lon + dlon)
    rows = list(box.values_list("pk", "lat", "lon"))
    if not rows:
        return qs.none()
    ids = np.array([r[0] for r in rows])
    dist = haversine_km(lat, lon, [r[1] for r in rows], [r[2] for r in rows])
    return qs.filter(pk__in=ids[dist <= radius_km].tolist())


def match_run_list() -> QuerySet[MatchRun]:
    return MatchRun.objects.select_related("started_by")


def proposal_list(*, user: Any = None) -> QuerySet[Proposal]:
    """The proposals the user is involved in (a listing or the depot of theirs);
    coordinators see all."""
    qs = Proposal.objects.select_related(
        "supply", "demand", "depot", "material", "match_run"
    )
    if is_coordinator(user):
        return qs
    org = edited_organisation_id(user)
    if org is None:
        return qs.none()
    return qs.filter(
        Q(supply__owner_id=org) | Q(demand__owner_id=org) | Q(depot__owner_id=org)
    )


def depot_stock(*, depot: Depot) -> list[dict[str, Any]]:
    """Units and tonnes per material class held in the depot, from its ledger."""
    rows = (
        DepotStockMovement.objects.filter(depot=depot)
        .values("material__code")
        .annotate(quantity=Sum("quantity"), tonnes=Sum("tonnes"))
        .order_by("material__code")
    )
    return [
        {
            "material": r["material__code"],
            "quantity": float(r["quantity"]),
            "tonnes": float(r["tonnes"]),
        }
        for r in rows
        if abs(r["quantity"]) > 1e-9
    ]


@dataclass
class Savings:
    """What a set of proposals reuses and saves. ``new_cost_avoided_eur`` and
    ``new_mki_avoided_eur``: units delivered to demands x new cost / new MKI;
    ``disposal_avoided_eur``: units released from supplies x disposal cost;
    ``transport_cost_eur``: the flows' cost shares (transport cost and MKI,
    handling). Transport CO2 is not shown (module docstring)."""

    municipality: str | None = None
    municipality_name: str = ""
    tonnes_reused: float = 0.0
    tonnes_released: float = 0.0
    new_cost_avoided_eur: float = 0.0
    new_mki_avoided_eur: float = 0.0
    disposal_avoided_eur: float = 0.0
    transport_cost_eur: float = 0.0
    tonne_km: float = 0.0
    transport_mki_eur: float = 0.0
    proposals: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def savings_by_municipality(*, run: MatchRun) -> list[Savings]:
    """The run's proposals (rejected and released ones left out) per
    municipality. A delivery to
    a demand counts for the demand's municipality, a release from a supply for the
    supply's; a flow's transport counts where it arrives, except a flow into a
    depot, which counts for the supplying municipality. Listings without a
    municipality are grouped under ``None``."""
    rows = (
        Proposal.objects.filter(match_run=run)
        .exclude(status__in=(ProposalStatus.REJECTED, ProposalStatus.RELEASED))
        .values_list(
            "quantity",
            "tonnes",
            "tonne_km",
            "cost_share_eur",
            "transport_mki_eur",
            "supply_id",
            "demand_id",
            "supply__municipality__cbs_code",
            "supply__municipality__name",
            "demand__municipality__cbs_code",
            "demand__municipality__name",
            "material__new_cost_eur",
            "material__new_mki_eur",
            "material__disposal_cost_eur",
            "material__code",
        )
    )
    # The new product MKI the run used (older runs did not record it: the estimate).
    used_mki = {
        code: float(record["eur_per_unit"])
        for code, record in (run.new_mki or {}).items()
        if isinstance(record, dict) and "eur_per_unit" in record
    }
    out: dict[str | None, Savings] = {}

    def get(code: str | None, name: str | None) -> Savings:
        if code not in out:
            out[code] = Savings(municipality=code, municipality_name=name or "")
        return out[code]

    for (
        q,
        t,
        tkm,
        cost,
        mki,
        sup,
        dem,
        s_code,
        s_name,
        d_code,
        d_name,
        new_cost,
        new_mki,
        disposal,
        code,
    ) in rows:
        new_mki = used_mki.get(code, new_mki)
        if sup is not None:
            s = get(s_code, s_name)
            s.tonnes_released += t
            s.disposal_avoided_eur += q * disposal
        if dem is not None:
            d = get(d_code, d_name)
            d.tonnes_reused += t
            d.new_cost_avoided_eur += q * new_cost
            d.new_mki_avoided_eur += q * new_mki
        where = get(d_code, d_name) if dem is not None else get(s_code, s_name)
        where.transport_cost_eur += cost
        where.tonne_km += tkm
        where.transport_mki_eur += mki
        where.proposals += 1
    return sorted(
        out.values(), key=lambda s: (s.municipality is None, s.municipality or "")
    )


def savings_totals(*, run: MatchRun) -> dict[str, float]:
    """The run's totals as the engine reported them, plus tonnes reused."""
    delivered = (
        Proposal.objects.filter(match_run=run, demand__isnull=False).aggregate(
            t=Sum("tonnes")
        )["t"]
        or 0.0
    )
    return {
        "savings_eur": run.savings_eur or 0.0,
        "objective_eur": run.objective_eur or 0.0,
        "baseline_eur": run.baseline_eur or 0.0,
        "tonnes_reused": float(delivered),
        "new_mki_avoided_eur": run.new_mki_avoided_eur or 0.0,
        "tonne_km": run.tonne_km or 0.0,
        "transport_mki_eur": run.transport_mki_eur or 0.0,
    }


def transport_co2(*, tonne_km: float) -> dict[str, Any] | None:
    """The CO2 of transport for this many tonne-km with the configured factor and its
    source (settings EXCHANGE_TRANSPORT_CO2_*); None when no factor is configured."""
    factor = getattr(settings, "EXCHANGE_TRANSPORT_CO2_KG_PER_TKM", None)
    if factor is None:
        return None
    return {
        "kg": tonne_km * factor,
        "kg_per_tkm": factor,
        "source": settings.EXCHANGE_TRANSPORT_CO2_SOURCE,
    }


__all__ = [
    "NewMki",
    "Savings",
    "default_conversion",
    "depot_list",
    "depot_stock",
    "listing_list",
    "listings_near",
    "match_run_list",
    "material_list",
    "material_new_mki",
    "new_mki_by_material",
    "proposal_list",
    "public_listing_list",
    "savings_by_municipality",
    "savings_totals",
    "transport_co2",
]
