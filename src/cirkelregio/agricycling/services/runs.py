# SPDX-License-Identifier: EUPL-1.2
"""Seasons, tariffs, allocation runs and the settlement of a run.

An allocation run takes the season's parcels (expected tonnes per season; parcels
with 0 t are left out) and the farms with a capacity in the season, the transport
cost per tonne-km of the season's tariffs, and calls the engine
(``cirkelregio.engine.agricycling.allocation.allocate``); its result is stored as
it came. The settlement of a run is computed from the stored result and the
season's tariffs (``settlement.settle``), in whole cents; non-members get no share
of the cooperative's result (members share it pro rata to tonnes composted).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cirkelregio.agricycling import rules
from cirkelregio.agricycling.models import (
    DEMO_TIME_LIMIT,
    AllocationMode,
    AllocationRun,
    Farm,
    FarmCapacity,
    MowingParcel,
    Season,
    Tariffs,
)
from cirkelregio.core.services import full_clean, require
from cirkelregio.engine.agricycling import allocation as engine
from cirkelregio.engine.agricycling import settlement as money
from cirkelregio.engine.agricycling.cli import read_input

TARIFF_FIELDS = (
    "fee_eur_per_t",
    "transport_eur_per_tkm",
    "composting_eur_per_t",
    "compost_value_eur_per_t",
)


@transaction.atomic
def season_create(
    *,
    actor: Any,
    label: str,
    starts_on: dt.date,
    ends_on: dt.date,
    demo: bool = False,
) -> Season:
    require(rules.can_manage(actor))
    season = Season.objects.filter(label=label).first() or Season(label=label)
    season.starts_on, season.ends_on = starts_on, ends_on
    season.is_demo = season.is_demo if season.pk else demo
    full_clean(season)
    season.save()
    return season


@transaction.atomic
def tariffs_set(
    *,
    actor: Any,
    season: Season,
    fee_eur_per_t: Decimal | None,
    transport_eur_per_tkm: Decimal | None,
    composting_eur_per_t: Decimal | None,
    compost_value_eur_per_t: Decimal | None,
    source: str,
    compost_yield: Decimal | None = None,
    compost_value_to: str = "farm",
    demo: bool = False,
) -> Tariffs:
    """Set the season's tariffs; all four amounts and the source are needed."""
    require(rules.can_manage(actor))
    given = {
        "fee_eur_per_t": fee_eur_per_t,
        "transport_eur_per_tkm": transport_eur_per_tkm,
        "composting_eur_per_t": composting_eur_per_t,
        "compost_value_eur_per_t": compost_value_eur_per_t,
    }
    missing = {
        k: _("This tariff is missing: the settlement needs all four amounts.")
        for k, v in given.items()
        if v is None
    }
    if missing:
        raise ValidationError(missing)
    tariffs = Tariffs.objects.filter(season=season).first() or Tariffs(
        season=season, is_demo=demo
    )
    for name, value in given.items():
        setattr(tariffs, name, Decimal(str(value)))
    tariffs.compost_yield = None if compost_yield is None else Decimal(compost_yield)
    tariffs.compost_value_to = compost_value_to
    tariffs.source = source
    tariffs.updated_by = actor
    full_clean(tariffs)
    tariffs.save()
    return tariffs


def _tariffs_of(season: Season) -> Tariffs:
    tariffs = Tariffs.objects.filter(season=season).first()
    if tariffs is None:
        raise ValidationError(
            {
                "season": _(
                    "Season %(season)s has no tariffs: the cooperative's coordinator "
                    "sets them first (the transport cost is needed)."
                )
                % {"season": season.label}
            }
        )
    return tariffs


def engine_input(
    season: Season,
) -> tuple[list[engine.Parcel], list[engine.Farm]]:
    parcels = [
        engine.Parcel(
            id=p.engine_id,
            owner=p.owner.slug,
            lat=p.centroid_lat,
            lon=p.centroid_lon,
            tonnes=p.expected_tonnes,
            alternative_eur_per_t=p.alternative_eur_per_t,
        )
        for p in MowingParcel.objects.select_related("owner").order_by("pk")
        if p.expected_tonnes > 0
    ]
    farms = [
        engine.Farm(
            id=c.farm.name, lat=c.farm.lat, lon=c.farm.lon, capacity_t=c.capacity_t
        )
        for c in FarmCapacity.objects.filter(season=season)
        .select_related("farm")
        .order_by("farm__name")
    ]
    return parcels, farms


def _checked_input(
    season: Season, mode: str
) -> tuple[Tariffs, list[engine.Parcel], list[engine.Farm]]:
    if mode not in AllocationMode.values:
        raise ValidationError({"mode": _("Choose split or whole.")})
    tariffs = _tariffs_of(season)
    parcels, farms = engine_input(season)
    errors: dict[str, str] = {}
    if not parcels:
        errors["season"] = _("There are no parcels with mowings to allocate.")
    if not farms:
        errors["season"] = _(
            "No farm has a composting capacity in season %(season)s."
        ) % {"season": season.label}
    if errors:
        raise ValidationError(errors)
    return tariffs, parcels, farms


def allocation_check(
    *, actor: Any, season: Season, mode: str = AllocationMode.SPLIT
) -> None:
    """The checks ``allocation_run`` makes before it solves (PermissionDenied,
    ValidationError), to refuse a run before it is queued as a job."""
    require(rules.can_manage(actor))
    _checked_input(season, mode)


def allocation_run(
    *,
    actor: Any,
    season: Season,
    mode: str = AllocationMode.SPLIT,
    max_distance_km: float = engine.DEFAULT_MAX_DISTANCE_KM,
    detour_factor: float = engine.DEFAULT_DETOUR_FACTOR,
    time_limit: float = DEMO_TIME_LIMIT,
    demo: bool = False,
    progress: Callable[[float, str], None] | None = None,
    on_created: Callable[[AllocationRun], None] | None = None,
) -> AllocationRun:
    """Allocate the season's mowings (module docstring); raises ValidationError
    for bad input and PermissionDenied for anyone but the coordinators.
    ``progress(percent, message)`` hears of the phases; the run is stored in one
    transaction with whatever ``on_created`` writes (a job's checkpoint)."""
    report = progress or (lambda percent, message: None)
    require(rules.can_manage(actor))
    report(5, _("Reading the parcels and farms"))
    tariffs, parcels, farms = _checked_input(season, mode)
    params = engine.Parameters(
        transport_eur_per_tkm=float(tariffs.transport_eur_per_tkm),
        max_distance_km=max_distance_km,
        detour_factor=detour_factor,
    )
    started = time.perf_counter()
    report(20, _("Allocating %(n)s parcels") % {"n": len(parcels)})
    try:
        result = engine.allocate(
            parcels, farms, params, mode=mode, time_limit=time_limit
        )
    except engine.AllocationInputError as exc:
        raise ValidationError(
            {"parameters": [f"{i.path}: {i.message}" for i in exc.issues]}
        ) from None
    except engine.SolveError as exc:
        raise ValidationError({"time_limit": str(exc)}) from None
    run = AllocationRun(
        season=season,
        mode=mode,
        max_distance_km=max_distance_km,
        detour_factor=detour_factor,
        time_limit=time_limit,
        started_by=actor,
        seconds=round(time.perf_counter() - started, 3),
        status=result.status,
        gap=result.gap,
        placed_tonnes=result.placed_tonnes,
        unplaced_tonnes=result.unplaced_tonnes,
        result=result.to_dict(),
        is_demo=demo,
    )
    full_clean(run)
    report(95, _("Storing the allocation"))
    with transaction.atomic():
        run.save()
        if on_created is not None:
            on_created(run)
    return run


def engine_tariffs(
    tariffs: Tariffs, share_key: dict[str, Decimal] | None = None
) -> money.Tariffs:
    return money.Tariffs(
        season=tariffs.season.label,
        fee_eur_per_t=tariffs.fee_eur_per_t,
        transport_eur_per_tkm=tariffs.transport_eur_per_tkm,
        composting_eur_per_t=tariffs.composting_eur_per_t,
        compost_value_eur_per_t=tariffs.compost_value_eur_per_t,
        compost_yield=(
            money.FRYSLAN_COMPOST_YIELD
            if tariffs.compost_yield is None
            else tariffs.compost_yield
        ),
        compost_value_to=tariffs.compost_value_to,
        share_key=share_key,
    )


def _member_key(run: AllocationRun) -> dict[str, Decimal] | None:
    """Members' weights: tonnes composted; None when every farm is a member."""
    names = [f["farm"] for f in run.result.get("farms", [])]
    members = dict(Farm.objects.filter(name__in=names).values_list("name", "is_member"))
    if all(members.get(n, True) for n in names):
        return None
    key = {
        f["farm"]: Decimal(repr(float(f["tonnes"])))
        if members.get(f["farm"], True)
        else Decimal(0)
        for f in run.result.get("farms", [])
    }
    if sum(key.values(), Decimal(0)) == 0:
        return None
    return key


def run_settlement(run: AllocationRun) -> money.Settlement:
    """The settlement of a stored run under its season's tariffs (ValidationError
    when the season has no tariffs)."""
    tariffs = _tariffs_of(run.season)
    return money.settle(run.result, engine_tariffs(tariffs, _member_key(run)))


def statement_csv(
    settlement: money.Settlement, statement: money.Statement, name: str
) -> str:
    """One party's statement as CSV, with the columns of the ``settle`` command."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["season", "party", "role", "description", "quantity", "unit", "eur"])
    for d, q, u, v in statement.lines:
        w.writerow([settlement.season, name, statement.role, d, q, u, str(v)])
    w.writerow(
        [
            settlement.season,
            name,
            statement.role,
            "total",
            "",
            "",
            str(statement.total_eur),
        ]
    )
    return out.getvalue()


def allocate_file(
    content: bytes,
    *,
    file_name: str,
    mode: str = "split",
    overrides: dict[str, float | None] | None = None,
    time_limit: float = DEMO_TIME_LIMIT,
    mip_gap: float = engine.DEFAULT_MIP_GAP,
) -> dict[str, Any]:
    """The engine's allocation of a file in the command's format
    (docs/agricycling.md), nothing stored; raises DataLoadError naming file, JSON
    path and field, and ValidationError when the solver finds no solution."""
    name = Path(file_name or "upload.json").name or "upload.json"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        parcels, farms, params = read_input(path, dict(overrides or {}))
    try:
        result = engine.allocate(
            parcels, farms, params, mode=mode, time_limit=time_limit, mip_gap=mip_gap
        )
    except engine.SolveError as exc:
        raise ValidationError({"time_limit": str(exc)}) from None
    return result.to_dict()
