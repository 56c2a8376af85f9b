# SPDX-License-Identifier: EUPL-1.2
"""From database records to the engine's input types
(``cirkelregio.engine.optimize.exchange``) and back.

Engine ids: ``S<pk>`` for a supply listing, ``D<pk>`` for a demand listing,
``K<pk>`` for a depot; materials by their catalogue code. A listing enters the
engine with its remaining (unreserved) quantity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cirkelregio.engine.optimize.exchange import (
    Demand,
    Depot,
    ExchangeProblem,
    Material,
    Parameters,
    Supply,
)
from cirkelregio.exchange.models import Depot as DepotModel
from cirkelregio.exchange.models import (
    Listing,
    ListingKind,
    ListingStatus,
)
from cirkelregio.exchange.selectors import NewMki, material_list, new_mki_by_material

PARAMETER_NAMES = tuple(f.name for f in fields(Parameters))


def parameters_of(raw: dict[str, Any] | None) -> Parameters:
    """Engine parameters from a mapping (missing names take the model defaults);
    ValidationError on unknown names or values that make no sense."""
    raw = dict(raw or {})
    unknown = sorted(set(raw) - set(PARAMETER_NAMES))
    if unknown:
        raise ValidationError({name: _("Unknown parameter.") for name in unknown})
    values: dict[str, float] = {}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors[name] = _("Must be a number.")
            continue
        values[name] = float(value)
    if errors:
        raise ValidationError(errors)
    parameters = Parameters(**values)
    problems = parameters.problems()
    if problems:
        flag_to_name = {"--" + n.replace("_", "-"): n for n in PARAMETER_NAMES}
        raise ValidationError(
            {flag_to_name.get(p.file, p.file): p.message for p in problems}
        )
    return parameters


def supply_id(pk: int) -> str:
    return f"S{pk}"


def demand_id(pk: int) -> str:
    return f"D{pk}"


def depot_id(pk: int) -> str:
    return f"K{pk}"


def pk_of(engine_id: str) -> int:
    return int(engine_id[1:])


@dataclass(frozen=True)
class LoadedProblem:
    problem: ExchangeProblem
    material_pk: dict[str, int]
    """Material code -> MaterialClass pk."""
    new_mki: dict[str, NewMki] = field(default_factory=dict)
    """Material code -> the new product MKI per unit used, and where it comes from."""


def open_listings() -> Any:
    """The listings a match run uses: open, with something left to match."""
    return Listing.objects.filter(status=ListingStatus.OPEN).order_by("id")


def load_problem(parameters: Parameters) -> LoadedProblem:
    """The open listings and active depots as one engine problem: one query per
    table, no per-row queries, except that the new product MKI of a class linked to
    an MKI profile is calculated from that profile (``selectors.material_new_mki``)."""
    classes = list(material_list().order_by("code"))
    new_mki = new_mki_by_material(classes)
    materials = [
        (
            m.pk,
            m.code,
            m.unit,
            m.tonnes_per_unit,
            m.new_cost_eur,
            new_mki[m.code].eur_per_unit,
            m.disposal_cost_eur,
        )
        for m in classes
    ]
    code_of = {pk: code for pk, code, *_rest in materials}
    rows = list(
        open_listings().values_list(
            "pk",
            "kind",
            "material_id",
            "quantity",
            "reserved_quantity",
            "lat",
            "lon",
            "window_from",
            "window_until",
        )
    )
    supplies: list[Supply] = []
    demands: list[Demand] = []
    for pk, kind, mat, qty, reserved, lat, lon, start, until in rows:
        remaining = qty - reserved
        if remaining <= 0 or math.isclose(remaining, 0.0, abs_tol=1e-9):
            continue
        if kind == ListingKind.SUPPLY:
            supplies.append(
                Supply(supply_id(pk), code_of[mat], remaining, lat, lon, start, until)
            )
        else:
            demands.append(
                Demand(demand_id(pk), code_of[mat], remaining, lat, lon, start, until)
            )
    depots = [
        Depot(depot_id(pk), lat, lon, cap, storage, handling)
        for pk, lat, lon, cap, storage, handling in DepotModel.objects.filter(
            is_active=True
        )
        .order_by("id")
        .values_list(
            "pk",
            "lat",
            "lon",
            "capacity_tonnes",
            "storage_eur_per_tonne_week",
            "handling_eur_per_tonne",
        )
    ]
    problem = ExchangeProblem(
        materials=tuple(Material(*m[1:]) for m in materials),
        supplies=tuple(supplies),
        demands=tuple(demands),
        depots=tuple(depots),
        parameters=parameters,
    )
    return LoadedProblem(problem, {code: pk for pk, code, *_rest in materials}, new_mki)
