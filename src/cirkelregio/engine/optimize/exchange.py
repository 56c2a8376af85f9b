# SPDX-License-Identifier: EUPL-1.2
"""The materials exchange ("Stenen delen", docs/exchange-model.md): reading the four
CSV files, building the LP as sparse matrices and solving it exactly with HiGHS
(highspy).

Conventions where exchange-model.md leaves a choice:

- Every flow is one movement within one week t, so ``week_out == week_in == t`` for
  all three kinds: a direct flow (supply -> demand, ``depot`` is None), a flow into a
  depot (``demand`` is None; t is the week the material enters the depot) and a flow
  out of a depot (``supply`` is None; t is the week it leaves the depot).
- "reused" counts units delivered to demands: ``direct`` = sum of x, ``via_depot`` =
  sum of z (a cross-dock w below counts as one z). Stock left at the end is charged
  disposal and is not counted as reused (the reduced LP below never leaves any).
- tonne-km use dist = haversine x detour factor (what is driven and paid for);
  transport MKI = tonne-km x transport MKI per tonne-km; new-product MKI avoided =
  units delivered from reuse x new_mki (not weighted by lambda).
- Flow quantities below 1e-9 are numerical noise and are left out of the result; the
  reported objective is the cost vector times the solver's solution.
- Beyond the errors of exchange-model.md the readers also refuse tonnes_per_unit <= 0
  and negative new cost, new MKI, depot capacity, storage or handling cost; dates that
  are not ISO; numbers that are not finite.

The reduced LP
--------------

The time-expanded model of exchange-model.md has a column y[s,k,t] for every week of a
supply's window and z[k,d,t] for every week of a demand's window: four million
columns for 5,000 supplies, 5,000 demands and 50 depots over two years. The LP solved
here has the same optimum with a few columns per pair instead, and every plan it
returns is a plan of the full model (each of its columns is a column of the full
model, or two of them). Why (ADR 0006 has the long form): take an optimal plan of the
full model and split its flow into paths, one material at a time. A path is either
direct (s -> d in week t), or s -> depot k in week t1, held, k -> d in week t2 >= t1,
or s -> k and held to the end. All costs but disposal are >= 0 and the triangle
inequality holds for dist, so:

- A path held to the end costs at least what disposing of s at once costs: drop it.
- If the windows of s and d share a week and dist(s, d) <= the maximum, the direct
  flow costs no more than any path through a depot and uses no capacity: direct.
- If they share a week but s and d are farther apart than the maximum, the path
  through k can go in and out in one shared week (no storage, no stock at the end of
  the week, so no capacity), through the depot within reach of both with the lowest
  dist(s,k) x c + handling(k) + dist(k,d) x c: the cross-dock column w[s,d].
- Otherwise d's window starts after s's ends. Entering k in the last week of s's
  window and leaving it in the first week of d's window is allowed, and holds the
  material for a sub-interval of [t1, t2): no more storage, and no more stock in any
  week, so every capacity row still holds.

Each step lowers no cost and raises no stock, so the reduced plan is feasible and at
least as cheap. Hence the columns: x[s,d] once per pair (at the first shared week);
w[s,d] for the far pairs (``crossdock="each"``: one per depot, for models in which a
depot may be closed); y[s,k] only in week until(s) and only when a demand of the
material within reach of k starts later; z[k,d] only in week from(d) and only when a
supply within reach of k ends earlier; I[k,m,t] from the first week anything enters
(k, m) to the week before the last week anything leaves it (so no stock is left at the
end, and its disposal term drops out); capacity rows only for depots that could
overflow (the supplies within reach together weigh more than the capacity). The
random cross-checks in the tests compare the optimum with the full model of
exchange-model.md solved independently.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import highspy
import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from numpy.typing import NDArray

from cirkelregio.engine.dataio import (
    Collector,
    FieldError,
    Problem,
    Row,
    date,
    number,
    read_csv,
    text,
)
from cirkelregio.engine.geo.distance import haversine_matrix_km

__all__ = [
    "DEMAND_COLUMNS",
    "DEPOT_COLUMNS",
    "MATERIAL_COLUMNS",
    "NOISE",
    "SUPPLY_COLUMNS",
    "Demand",
    "Depot",
    "ExchangeProblem",
    "ExchangeResult",
    "Flow",
    "LinearModel",
    "Material",
    "Parameters",
    "Reuse",
    "SolveError",
    "Supply",
    "build_model",
    "check_plan",
    "read_demand",
    "read_depots",
    "read_materials",
    "read_problem",
    "read_supply",
    "solve",
]

MATERIAL_COLUMNS = (
    "material",
    "unit",
    "tonnes_per_unit",
    "new_cost_eur",
    "new_mki_eur",
    "disposal_cost_eur",
)
SUPPLY_COLUMNS = (
    "id",
    "material",
    "quantity",
    "lat",
    "lon",
    "available_from",
    "available_until",
)
DEMAND_COLUMNS = (
    "id",
    "material",
    "quantity",
    "lat",
    "lon",
    "needed_from",
    "needed_until",
)
DEPOT_COLUMNS = (
    "id",
    "lat",
    "lon",
    "capacity_tonnes",
    "storage_eur_per_tonne_week",
    "handling_eur_per_tonne",
)

NOISE = 1e-9
"""Flow quantities below this are solver noise and are not reported."""

# Data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Material:
    name: str
    unit: str
    tonnes_per_unit: float
    new_cost_eur: float
    new_mki_eur: float
    disposal_cost_eur: float


@dataclass(frozen=True)
class Supply:
    id: str
    material: str
    quantity: float
    lat: float
    lon: float
    available_from: dt.date
    available_until: dt.date


@dataclass(frozen=True)
class Demand:
    id: str
    material: str
    quantity: float
    lat: float
    lon: float
    needed_from: dt.date
    needed_until: dt.date


@dataclass(frozen=True)
class Depot:
    id: str
    lat: float
    lon: float
    capacity_tonnes: float
    storage_eur_per_tonne_week: float
    handling_eur_per_tonne: float


@dataclass(frozen=True)
class Parameters:
    """The command-line parameters, with the defaults of exchange-model.md."""

    transport_eur_per_tkm: float = 0.20
    transport_mki_eur_per_tkm: float = 0.02
    detour_factor: float = 1.3
    max_distance_km: float = 50.0
    mki_weight: float = 1.0
    transport_co2_kg_per_tkm: float | None = None
    """Optional: kg CO2 per tonne-km, to report the CO2 of the transport planned. Not
    part of the objective, and no default: the project has no verified factor (see
    docs/exchange.md); whoever gives one keeps its source."""

    @property
    def cost_per_tkm(self) -> float:
        """c = transport cost + transport MKI, EUR per tonne-km."""
        return self.transport_eur_per_tkm + self.transport_mki_eur_per_tkm

    def problems(self) -> list[Problem]:
        """Parameter values that make no sense, named by their command-line flag."""
        out: list[Problem] = []
        checks: list[tuple[str, float, float, bool]] = [
            ("--transport-eur-per-tkm", self.transport_eur_per_tkm, 0.0, False),
            ("--transport-mki-eur-per-tkm", self.transport_mki_eur_per_tkm, 0.0, False),
            ("--detour-factor", self.detour_factor, 0.0, True),
            ("--max-distance-km", self.max_distance_km, 0.0, False),
            ("--mki-weight", self.mki_weight, 0.0, False),
        ]
        co2 = self.transport_co2_kg_per_tkm
        if co2 is not None:
            checks.append(("--transport-co2-kg-per-tkm", co2, 0.0, False))
        for flag, value, bound, strict in checks:
            if not math.isfinite(value):
                out.append(Problem(flag, "must be a finite number"))
            elif strict and value <= bound:
                out.append(Problem(flag, f"must be more than {bound:g}"))
            elif not strict and value < bound:
                out.append(Problem(flag, f"must be at least {bound:g}"))
        return out


@dataclass(frozen=True)
class ExchangeProblem:
    """One instance of the exchange. Materials are referred to by name."""

    materials: tuple[Material, ...]
    supplies: tuple[Supply, ...]
    demands: tuple[Demand, ...]
    depots: tuple[Depot, ...] = ()
    parameters: Parameters = field(default_factory=Parameters)

    def __post_init__(self) -> None:
        names = {m.name for m in self.materials}
        items: list[Supply | Demand] = [*self.supplies, *self.demands]
        for item in items:
            if item.material not in names:
                raise ValueError(f"{item.id}: unknown material {item.material!r}")
        for s in self.supplies:
            if s.available_until < s.available_from:
                raise ValueError(f"supply {s.id}: window ends before it starts")
        for d in self.demands:
            if d.needed_until < d.needed_from:
                raise ValueError(f"demand {d.id}: window ends before it starts")

    def material(self, name: str) -> Material:
        for m in self.materials:
            if m.name == name:
                return m
        raise KeyError(name)

    def _dates(self) -> list[dt.date]:
        return [
            *(d for s in self.supplies for d in (s.available_from, s.available_until)),
            *(x for d in self.demands for x in (d.needed_from, d.needed_until)),
        ]

    @cached_property
    def start(self) -> dt.date | None:
        """The Monday of the ISO week that holds the earliest date (None: no dates).
        Computed once: the instance is immutable, and the model builder asks for
        every supply's and demand's week."""
        dates = self._dates()
        if not dates:
            return None
        first = min(dates)
        return first - dt.timedelta(days=first.weekday())

    def week(self, day: dt.date) -> int:
        start = self.start
        assert start is not None
        return (day - start).days // 7

    @cached_property
    def weeks(self) -> int:
        """T = last week + 1 (0 when there are no dates)."""
        dates = self._dates()
        return self.week(max(dates)) + 1 if dates else 0


# Reading ----------------------------------------------------------------------------


def _positive(raw: Any) -> float:
    value = number()(raw)
    if value <= 0:
        raise FieldError("must be more than 0")
    return value


_TEXT = text(200)
_LAT = number(-90, 90)
_LON = number(-180, 180)
_NON_NEGATIVE = number(minimum=0)


class _Ids:
    """Duplicate-id detection within one file."""

    def __init__(self, field_name: str = "id") -> None:
        self.field_name = field_name
        self.seen: dict[str, int | None] = {}

    def check(self, row: Row, value: str | None) -> None:
        if value is None:
            return
        if value in self.seen:
            first = self.seen[value]
            where = f" (first on line {first})" if first is not None else ""
            row.problem(
                self.field_name, f"duplicate {self.field_name} {value!r}{where}"
            )
        else:
            self.seen[value] = row.line


def read_materials(path: Path, c: Collector) -> tuple[Material, ...] | None:
    """materials.csv; None when the file could not be read at all. Problems in single
    rows go to the collector (the names of such rows still count as known)."""
    before = len(c.problems)
    rows = list(read_csv(path, MATERIAL_COLUMNS, c))
    if not rows and len(c.problems) > before:
        return None
    out: list[Material] = []
    ids = _Ids("material")
    for row in rows:
        name = row.get("material", _TEXT)
        ids.check(row, name)
        unit = row.get("unit", _TEXT)
        tpu = row.get("tonnes_per_unit", _positive)
        new_cost = row.get("new_cost_eur", _NON_NEGATIVE)
        new_mki = row.get("new_mki_eur", _NON_NEGATIVE)
        disposal = row.get("disposal_cost_eur", number())
        if name is not None:
            # Kept even when other fields are bad, so that supply and demand rows
            # naming it do not also report an unknown material.
            out.append(
                Material(
                    name,
                    unit or "",
                    tpu if tpu is not None else math.nan,
                    new_cost if new_cost is not None else math.nan,
                    new_mki if new_mki is not None else math.nan,
                    disposal if disposal is not None else math.nan,
                )
            )
    return tuple(out)


def _read_points(
    path: Path,
    columns: Sequence[str],
    window: tuple[str, str],
    materials: Iterable[str] | None,
    materials_file: str,
    c: Collector,
) -> list[tuple[str, str, float, float, float, dt.date, dt.date]]:
    known = set(materials) if materials is not None else None
    ids = _Ids()
    out = []
    for row in read_csv(path, columns, c):
        before = len(c.problems)
        id_ = row.get("id", _TEXT)
        ids.check(row, id_)
        material = row.get("material", _TEXT)
        if material is not None and known is not None and material not in known:
            row.problem(
                "material", f"unknown material {material!r} (not in {materials_file})"
            )
        quantity = row.get("quantity", _NON_NEGATIVE)
        lat = row.get("lat", _LAT)
        lon = row.get("lon", _LON)
        start = row.get(window[0], date)
        until = row.get(window[1], date)
        if start is not None and until is not None and until < start:
            row.problem(window[1], f"lies before {window[0]} ({start.isoformat()})")
        if len(c.problems) == before:
            assert id_ is not None and material is not None and quantity is not None
            assert lat is not None and lon is not None
            assert start is not None and until is not None
            out.append((id_, material, quantity, lat, lon, start, until))
    return out


def read_supply(
    path: Path, materials: Iterable[str] | None, c: Collector, materials_file: str = ""
) -> tuple[Supply, ...]:
    rows = _read_points(
        path,
        SUPPLY_COLUMNS,
        ("available_from", "available_until"),
        materials,
        materials_file or "materials.csv",
        c,
    )
    return tuple(Supply(*r) for r in rows)


def read_demand(
    path: Path, materials: Iterable[str] | None, c: Collector, materials_file: str = ""
) -> tuple[Demand, ...]:
    rows = _read_points(
        path,
        DEMAND_COLUMNS,
        ("needed_from", "needed_until"),
        materials,
        materials_file or "materials.csv",
        c,
    )
    return tuple(Demand(*r) for r in rows)


def read_depots(path: Path, c: Collector) -> tuple[Depot, ...]:
    ids = _Ids()
    out: list[Depot] = []
    for row in read_csv(path, DEPOT_COLUMNS, c):
        before = len(c.problems)
        id_ = row.get("id", _TEXT)
        ids.check(row, id_)
        lat = row.get("lat", _LAT)
        lon = row.get("lon", _LON)
        capacity = row.get("capacity_tonnes", _NON_NEGATIVE)
        storage = row.get("storage_eur_per_tonne_week", _NON_NEGATIVE)
        handling = row.get("handling_eur_per_tonne", _NON_NEGATIVE)
        if len(c.problems) == before:
            assert id_ is not None and lat is not None and lon is not None
            assert capacity is not None and storage is not None
            assert handling is not None
            out.append(Depot(id_, lat, lon, capacity, storage, handling))
    return tuple(out)


def read_problem(
    materials: Path,
    supply: Path,
    demand: Path,
    depots: Path,
    parameters: Parameters | None = None,
    c: Collector | None = None,
) -> ExchangeProblem:
    """Read all four files; raises DataLoadError with every problem found."""
    c = c if c is not None else Collector()
    parameters = parameters or Parameters()
    for p in parameters.problems():
        c.add(p)
    mats = read_materials(materials, c)
    names = [m.name for m in mats] if mats is not None else None
    supplies = read_supply(supply, names, c, materials.name)
    demands = read_demand(demand, names, c, materials.name)
    depot_list = read_depots(depots, c)
    c.raise_if_any()
    assert mats is not None
    return ExchangeProblem(mats, supplies, demands, depot_list, parameters)


# Model ------------------------------------------------------------------------------

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

Crossdock = Literal["best", "each"]

_CHUNK = 1 << 21
"""Cells (pairs x depots) per block when choosing cross-dock depots: bounds memory."""


@dataclass(frozen=True, eq=False)
class LinearModel:
    """The LP ``min cost @ v  s.t.  row_lower <= A v <= row_upper, v >= 0`` with the
    index arrays that say what each column means.

    This is the reduced form of the module docstring ("The reduced LP"). Columns, in
    this order (``offsets`` gives where each block starts): x (supply -> demand),
    w (supply -> depot -> demand in one week), y (supply -> depot), z (depot ->
    demand), I (stock), u (disposed), v (bought new). Rows: supplies, demands, stock
    balance, capacity (``row_offsets``)."""

    matrix: Any
    """scipy.sparse CSC array, rows x columns."""
    cost: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    offsets: dict[str, int]
    row_offsets: dict[str, int]
    x_supply: IntArray
    x_demand: IntArray
    x_week: IntArray
    x_km: FloatArray
    w_supply: IntArray
    w_depot: IntArray
    w_demand: IntArray
    w_week: IntArray
    w_km: FloatArray
    """dist(supply, depot) + dist(depot, demand)."""
    y_supply: IntArray
    y_depot: IntArray
    y_week: IntArray
    y_km: FloatArray
    z_depot: IntArray
    z_demand: IntArray
    z_week: IntArray
    z_km: FloatArray
    stock_depot: IntArray
    stock_material: IntArray
    stock_week: IntArray
    capacity_depot: IntArray
    """The depot of each capacity row."""
    column_material: IntArray
    """The material of each column."""
    row_material: IntArray
    """The material of each row; -1 for the capacity rows, the only rows that join
    materials."""
    weeks: int
    supply_material: IntArray
    demand_material: IntArray
    tonnes_per_unit: FloatArray

    @property
    def num_columns(self) -> int:
        return int(self.matrix.shape[1])

    @property
    def num_rows(self) -> int:
        return int(self.matrix.shape[0])


def _week_arrays(
    problem: ExchangeProblem, windows: Sequence[tuple[dt.date, dt.date]]
) -> tuple[IntArray, IntArray]:
    lo = np.array([problem.week(a) for a, _ in windows], dtype=np.intp)
    hi = np.array([problem.week(b) for _, b in windows], dtype=np.intp)
    return lo, hi


def _ranges(lo: IntArray, hi: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """For ranges lo[i]..hi[i] (hi >= lo - 1): the range of each entry, the value of
    each entry, and where each range starts in the flat list."""
    n = (hi - lo + 1).astype(np.intp)
    start = np.cumsum(n) - n
    owner = np.repeat(np.arange(len(n), dtype=np.intp), n)
    value = lo[owner] + np.arange(int(n.sum()), dtype=np.intp) - start[owner]
    return owner, value.astype(np.intp), start.astype(np.intp)


@dataclass
class _Pairs:
    """Columns of one kind, collected per material."""

    parts: list[tuple[IntArray, ...]] = field(default_factory=list)
    km: list[FloatArray] = field(default_factory=list)

    def add(self, *arrays: IntArray, km: FloatArray) -> None:
        self.parts.append(arrays)
        self.km.append(km)

    def arrays(self, n: int) -> tuple[list[IntArray], FloatArray]:
        if not self.parts:
            return [np.zeros(0, dtype=np.intp) for _ in range(n)], np.zeros(0)
        cols = [np.concatenate([p[i] for p in self.parts]) for i in range(n)]
        return cols, np.concatenate(self.km)


def build_model(problem: ExchangeProblem, crossdock: Crossdock = "best") -> LinearModel:
    """Build the reduced LP of the module docstring as sparse matrices (vectorised;
    the supply x demand distances are computed one material at a time).

    ``crossdock="best"`` gives every (supply, demand) pair that needs a cross-dock one
    column, through its cheapest depot (the exchange: every depot is there).
    ``"each"`` gives it one column per depot that can serve it, for models in which
    depots may be closed (depot siting)."""
    par = problem.parameters
    c = par.cost_per_tkm
    mats = problem.materials
    index = {m.name: i for i, m in enumerate(mats)}
    sup, dem, dep = problem.supplies, problem.demands, problem.depots
    n_s, n_d, n_k, n_m = len(sup), len(dem), len(dep), len(mats)
    n_t = problem.weeks
    f = par.detour_factor
    dmax = par.max_distance_km

    tpu = np.array([m.tonnes_per_unit for m in mats], dtype=np.float64)
    disposal = np.array([m.disposal_cost_eur for m in mats], dtype=np.float64)
    new = np.array(
        [m.new_cost_eur + par.mki_weight * m.new_mki_eur for m in mats],
        dtype=np.float64,
    )
    sm = np.array([index[s.material] for s in sup], dtype=np.intp)
    dm = np.array([index[d.material] for d in dem], dtype=np.intp)
    sq = np.array([s.quantity for s in sup], dtype=np.float64)
    dq = np.array([d.quantity for d in dem], dtype=np.float64)
    s_lo, s_hi = _week_arrays(
        problem, [(s.available_from, s.available_until) for s in sup]
    )
    d_lo, d_hi = _week_arrays(problem, [(d.needed_from, d.needed_until) for d in dem])
    s_lat = np.array([s.lat for s in sup], dtype=np.float64)
    s_lon = np.array([s.lon for s in sup], dtype=np.float64)
    d_lat = np.array([d.lat for d in dem], dtype=np.float64)
    d_lon = np.array([d.lon for d in dem], dtype=np.float64)
    k_lat = np.array([k.lat for k in dep], dtype=np.float64)
    k_lon = np.array([k.lon for k in dep], dtype=np.float64)
    storage = np.array([k.storage_eur_per_tonne_week for k in dep], dtype=np.float64)
    handling = np.array([k.handling_eur_per_tonne for k in dep], dtype=np.float64)
    capacity = np.array([k.capacity_tonnes for k in dep], dtype=np.float64)

    dist_sk = haversine_matrix_km(s_lat, s_lon, k_lat, k_lon).reshape(n_s, n_k) * f
    dist_kd = haversine_matrix_km(k_lat, k_lon, d_lat, d_lon).reshape(n_k, n_d) * f
    reach_sk = dist_sk <= dmax
    reach_kd = dist_kd <= dmax

    # x (direct) and w (cross-dock), one material at a time: both need the pair's
    # windows to overlap; x needs dist(s, d) <= dmax, w is for the pairs farther apart
    # that a depot within reach of both can still join. Week: the first both hold.
    x_cols, w_cols = _Pairs(), _Pairs()
    for m in range(n_m):
        ss = np.nonzero(sm == m)[0]
        dd = np.nonzero(dm == m)[0]
        if not len(ss) or not len(dd):
            continue
        lo = np.maximum(s_lo[ss][:, None], d_lo[dd][None, :])
        overlap = lo <= np.minimum(s_hi[ss][:, None], d_hi[dd][None, :])
        dsd = haversine_matrix_km(s_lat[ss], s_lon[ss], d_lat[dd], d_lon[dd]) * f
        i, j = np.nonzero(overlap & (dsd <= dmax))
        x_cols.add(ss[i], dd[j], lo[i, j], km=dsd[i, j])
        if not n_k:
            continue
        i, j = np.nonzero(overlap & (dsd > dmax))
        step = max(1, _CHUNK // n_k)
        for a in range(0, len(i), step):
            ps, pd = ss[i[a : a + step]], dd[j[a : a + step]]
            pt = lo[i[a : a + step], j[a : a + step]]
            ok = reach_sk[ps] & reach_kd[:, pd].T
            km = dist_sk[ps] + dist_kd[:, pd].T
            if crossdock == "best":
                unit = np.where(ok, km * c + handling[None, :], np.inf)
                best = np.argmin(unit, axis=1)
                p = np.nonzero(ok[np.arange(len(ps)), best])[0]
                kk = best[p].astype(np.intp)
            else:
                p, kk = np.nonzero(ok)
                kk = kk.astype(np.intp)
            w_cols.add(ps[p], kk, pd[p], pt[p], km=km[p, kk])
    (xs, xd, xt), x_km = x_cols.arrays(3)
    (ws, wk, wd, wt), w_km = w_cols.arrays(4)

    # y: into a depot in the last week of the supply window, when a demand of the
    # material within reach of the depot starts later. z: out of a depot in the first
    # week of the demand window, when a supply within reach ends earlier.
    latest = np.full((n_k, n_m), -1, dtype=np.intp)
    kk, dd = np.nonzero(reach_kd)
    np.maximum.at(latest, (kk, dm[dd]), d_lo[dd])
    earliest = np.full((n_k, n_m), np.iinfo(np.intp).max, dtype=np.intp)
    ss, ks = np.nonzero(reach_sk)
    np.minimum.at(earliest, (ks, sm[ss]), s_hi[ss])
    keep = s_hi[ss] < latest[ks, sm[ss]]
    ys, yk = ss[keep].astype(np.intp), ks[keep].astype(np.intp)
    yt = s_hi[ys]
    keep = d_lo[dd] > earliest[kk, dm[dd]]
    zk, zd = kk[keep].astype(np.intp), dd[keep].astype(np.intp)
    zt = d_lo[zd]

    # Stock I[k,m,t] from the first week anything enters (k, m) to the week before the
    # last week anything leaves: before, it is 0; after, it could only be disposed.
    # Balance rows run one week further, to the last week anything leaves.
    first = np.full((n_k, n_m), np.iinfo(np.intp).max, dtype=np.intp)
    np.minimum.at(first, (yk, sm[ys]), yt)
    last = np.full((n_k, n_m), -1, dtype=np.intp)
    np.maximum.at(last, (zk, dm[zd]), zt)
    has_stock = last >= 0
    assert np.array_equal(has_stock, first <= last)
    stock_k, stock_m = np.nonzero(has_stock)
    n_p = len(stock_k)
    pair = np.full((n_k, n_m), -1, dtype=np.intp)
    pair[stock_k, stock_m] = np.arange(n_p, dtype=np.intp)
    p_lo, p_hi = first[stock_k, stock_m], last[stock_k, stock_m]
    i_p, i_t, i_start = _ranges(p_lo, p_hi - 1)
    _, _, row_start = _ranges(p_lo, p_hi)

    # Capacity rows for every depot with stock, over the weeks it can hold any; left
    # out where the depot could take every supply within reach at once.
    reachable = np.zeros(n_k, dtype=np.float64)
    np.add.at(reachable, yk, sq[ys] * tpu[sm[ys]])
    cap_needed = np.zeros(n_k, dtype=bool)
    cap_needed[stock_k] = True
    cap_needed &= reachable > capacity
    cap_depots = np.nonzero(cap_needed)[0].astype(np.intp)
    c_lo = np.full(n_k, np.iinfo(np.intp).max, dtype=np.intp)
    c_hi = np.full(n_k, -1, dtype=np.intp)
    np.minimum.at(c_lo, stock_k, p_lo)
    np.maximum.at(c_hi, stock_k, p_hi - 1)
    cap_owner, _, cap_start = _ranges(c_lo[cap_depots], c_hi[cap_depots])
    cap_index = np.full(n_k, -1, dtype=np.intp)
    cap_index[cap_depots] = np.arange(len(cap_depots), dtype=np.intp)

    nx, nw, ny, nz, ni = len(xs), len(ws), len(ys), len(zk), len(i_p)
    ox = 0
    ow = ox + nx
    oy = ow + nw
    oz = oy + ny
    oi = oz + nz
    ou = oi + ni
    ov = ou + n_s
    n_col = ov + n_d
    r_dem = n_s
    r_stock = n_s + n_d
    r_cap = r_stock + (int(row_start[-1] + p_hi[-1] - p_lo[-1] + 1) if n_p else 0)
    n_row = r_cap + len(cap_owner)

    def stock_row(k: IntArray, m: IntArray, t: IntArray) -> IntArray:
        p = pair[k, m]
        return (r_stock + row_start[p] + t - p_lo[p]).astype(np.intp)

    i_col = np.arange(oi, ou, dtype=np.intp)
    i_k, i_m = stock_k[i_p], stock_m[i_p]
    i_cap = cap_index[i_k]
    on_cap = i_cap >= 0
    rows = np.concatenate(
        [
            xs,
            r_dem + xd,
            ws,
            r_dem + wd,
            ys,
            stock_row(yk, sm[ys], yt),
            r_dem + zd,
            stock_row(zk, dm[zd], zt),
            stock_row(i_k, i_m, i_t),
            stock_row(i_k, i_m, i_t + 1),
            r_cap + cap_start[i_cap[on_cap]] + i_t[on_cap] - c_lo[i_k[on_cap]],
            np.arange(n_s, dtype=np.intp),
            r_dem + np.arange(n_d, dtype=np.intp),
        ]
    )
    x_col = np.arange(ox, ow, dtype=np.intp)
    w_col = np.arange(ow, oy, dtype=np.intp)
    y_col = np.arange(oy, oz, dtype=np.intp)
    z_col = np.arange(oz, oi, dtype=np.intp)
    cols = np.concatenate(
        [x_col, x_col, w_col, w_col, y_col, y_col, z_col, z_col, i_col, i_col]
        + [i_col[on_cap], np.arange(ou, n_col, dtype=np.intp)]
    )
    vals = np.concatenate(
        [
            np.ones(2 * (nx + nw) + ny),
            -np.ones(ny),
            np.ones(2 * nz + ni),
            -np.ones(ni),
            tpu[i_m[on_cap]],
            np.ones(n_s + n_d),
        ]
    )
    matrix = sp.coo_array((vals, (rows, cols)), shape=(n_row, n_col)).tocsc()
    matrix.sort_indices()

    cost = np.concatenate(
        [
            tpu[sm[xs]] * x_km * c,
            tpu[sm[ws]] * (w_km * c + handling[wk]),
            tpu[sm[ys]] * (dist_sk[ys, yk] * c + handling[yk]),
            tpu[dm[zd]] * dist_kd[zk, zd] * c,
            tpu[i_m] * storage[i_k],
            disposal[sm],
            new[dm],
        ]
    )
    n_stock_rows = r_cap - r_stock
    row_lower = np.concatenate(
        [sq, dq, np.zeros(n_stock_rows), np.full(len(cap_owner), -np.inf)]
    )
    row_upper = np.concatenate(
        [sq, dq, np.zeros(n_stock_rows), capacity[cap_depots[cap_owner]]]
    )
    return LinearModel(
        matrix=matrix,
        cost=cost,
        row_lower=row_lower,
        row_upper=row_upper,
        offsets={"x": ox, "w": ow, "y": oy, "z": oz, "I": oi, "u": ou, "v": ov},
        row_offsets={"supply": 0, "demand": r_dem, "stock": r_stock, "capacity": r_cap},
        x_supply=xs,
        x_demand=xd,
        x_week=xt,
        x_km=x_km,
        w_supply=ws,
        w_depot=wk,
        w_demand=wd,
        w_week=wt,
        w_km=w_km,
        y_supply=ys,
        y_depot=yk,
        y_week=yt,
        y_km=dist_sk[ys, yk],
        z_depot=zk,
        z_demand=zd,
        z_week=zt,
        z_km=dist_kd[zk, zd],
        stock_depot=i_k,
        stock_material=i_m,
        stock_week=i_t,
        capacity_depot=cap_depots[cap_owner],
        column_material=np.concatenate(
            [sm[xs], sm[ws], sm[ys], dm[zd], i_m, sm, dm]
        ).astype(np.intp),
        row_material=np.concatenate(
            [
                sm,
                dm,
                np.repeat(stock_m, p_hi - p_lo + 1),
                np.full(len(cap_owner), -1),
            ]
        ).astype(np.intp),
        weeks=n_t,
        supply_material=sm,
        demand_material=dm,
        tonnes_per_unit=tpu,
    )


# Solving ----------------------------------------------------------------------------


class SolveError(RuntimeError):
    """HiGHS did not report an optimal solution; no plan is returned."""


@dataclass(frozen=True)
class Flow:
    """One movement in one week (see the module docstring for the convention)."""

    supply: str | None
    demand: str | None
    depot: str | None
    week_out: int
    week_in: int
    quantity: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "supply": self.supply,
            "demand": self.demand,
            "depot": self.depot,
            "week_out": self.week_out,
            "week_in": self.week_in,
            "quantity": self.quantity,
        }


@dataclass(frozen=True)
class Reuse:
    direct: float
    via_depot: float


@dataclass(frozen=True)
class ExchangeResult:
    objective_eur: float
    baseline_eur: float
    savings_eur: float
    reused: dict[str, Reuse]
    tonne_km: float
    transport_mki_eur: float
    new_mki_avoided_eur: float
    flows: tuple[Flow, ...]
    start: dt.date | None = None
    """Monday of week 0."""
    num_variables: int = 0
    num_constraints: int = 0
    transport_co2_kg: float | None = None
    """tonne-km x the CO2 factor given in the parameters; None without one."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON output of ``cirkelregio exchange match``."""
        return {
            "objective_eur": self.objective_eur,
            "baseline_eur": self.baseline_eur,
            "savings_eur": self.savings_eur,
            "reused": {
                m: {"direct": r.direct, "via_depot": r.via_depot}
                for m, r in self.reused.items()
            },
            "tonne_km": self.tonne_km,
            "transport_mki_eur": self.transport_mki_eur,
            "new_mki_avoided_eur": self.new_mki_avoided_eur,
            "transport_co2_kg": self.transport_co2_kg,
            "flows": [f.to_dict() for f in self.flows],
        }


def baseline(problem: ExchangeProblem) -> float:
    """Nothing reused: every supply disposed, every demand bought new."""
    lam = problem.parameters.mki_weight
    total = math.fsum(
        s.quantity * problem.material(s.material).disposal_cost_eur
        for s in problem.supplies
    )
    return total + math.fsum(
        d.quantity
        * (
            problem.material(d.material).new_cost_eur
            + lam * problem.material(d.material).new_mki_eur
        )
        for d in problem.demands
    )


def _highs(
    matrix: Any,
    cost: FloatArray,
    row_lower: FloatArray,
    row_upper: FloatArray,
    threads: int | None = None,
) -> Any:
    """A Highs instance holding ``min cost @ v, row_lower <= matrix v <= row_upper,
    v >= 0`` (``matrix`` a scipy CSC array)."""
    n_row, n_col = matrix.shape
    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = n_row
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(n_col)
    lp.col_upper_ = np.full(n_col, highspy.kHighsInf)
    lp.row_lower_ = np.where(np.isneginf(row_lower), -highspy.kHighsInf, row_lower)
    lp.row_upper_ = row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n_col
    lp.a_matrix_.num_row_ = n_row
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(np.float64)
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    if threads is not None:
        h.setOptionValue("threads", threads)
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise SolveError("HiGHS refused the model")
    return h


def _material_basis(model: LinearModel) -> Any | None:
    """A starting basis for the whole LP: every material's LP solved on its own
    (without the capacity rows, the only rows that join materials, the LP falls
    apart into one independent LP per material), their optimal bases put together,
    the capacity rows basic. HiGHS then only has to repair the capacity rows those
    plans overfill. Much faster than one cold solve of the whole (at 5,000 supplies,
    5,000 demands and 50 depots: 12 LPs of 60-70 thousand columns, solved two at a
    time, against one of 800 thousand); the optimum is HiGHS's for the whole LP
    either way. None when there is nothing to split (or a part is not optimal, which
    cannot happen: each part is feasible and bounded by construction)."""
    materials = np.unique(model.column_material)
    if len(materials) < 2:
        return None
    by_row = model.matrix.tocsr()
    parts = []
    for m in materials:
        cols = np.nonzero(model.column_material == m)[0]
        rows = np.nonzero(model.row_material == m)[0]
        sub = by_row[rows][:, cols].tocsc()
        parts.append((cols, rows, sub))

    def run(part: tuple[IntArray, IntArray, Any]) -> tuple[Any, Any] | None:
        cols, rows, sub = part
        h = _highs(
            sub,
            model.cost[cols],
            model.row_lower[rows],
            model.row_upper[rows],
            threads=1,
        )
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        basis = h.getBasis()
        return list(basis.col_status), list(basis.row_status)

    workers = max(1, min(len(parts), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        found = list(pool.map(run, parts))
    col_status = np.full(model.num_columns, highspy.HighsBasisStatus.kBasic)
    row_status = np.full(model.num_rows, highspy.HighsBasisStatus.kBasic)
    for (cols, rows, _), statuses in zip(parts, found, strict=True):
        if statuses is None:
            return None
        col_status[cols] = statuses[0]
        row_status[rows] = statuses[1]
    basis = highspy.HighsBasis()
    basis.col_status = col_status.tolist()
    basis.row_status = row_status.tolist()
    basis.valid = True
    return basis


def _run_highs(model: LinearModel, warm_start: bool = True) -> FloatArray:
    h = _highs(model.matrix, model.cost, model.row_lower, model.row_upper)
    basis = _material_basis(model) if warm_start else None
    if basis is not None and h.setBasis(basis) == highspy.HighsStatus.kError:
        h.clearSolver()
    h.run()
    model_status = h.getModelStatus()
    if model_status != highspy.HighsModelStatus.kOptimal:
        raise SolveError(
            "HiGHS found no optimal plan (status: "
            f"{h.modelStatusToString(model_status)}); nothing is returned"
        )
    values = np.asarray(h.getSolution().col_value, dtype=np.float64)
    if values.shape != (model.num_columns,) or not np.all(np.isfinite(values)):
        raise SolveError("HiGHS returned no complete solution")
    return values


def _co2(problem: ExchangeProblem, tonne_km: float) -> float | None:
    factor = problem.parameters.transport_co2_kg_per_tkm
    return None if factor is None else tonne_km * factor


def solve(
    problem: ExchangeProblem,
    model: LinearModel | None = None,
    warm_start: bool = True,
) -> ExchangeResult:
    """Build (unless given) and solve the model; raises SolveError unless optimal.
    ``warm_start=False`` skips the per-material starting basis (``_material_basis``):
    the same optimum, found by one cold solve of the whole LP (slower; for
    comparison)."""
    model = model if model is not None else build_model(problem)
    base = baseline(problem)
    mats = problem.materials
    if model.num_columns == 0:
        return ExchangeResult(
            0.0,
            base,
            base,
            {m.name: Reuse(0.0, 0.0) for m in mats},
            0.0,
            0.0,
            0.0,
            (),
            problem.start,
            transport_co2_kg=_co2(problem, 0.0),
        )
    values = _run_highs(model, warm_start)
    objective = float(model.cost @ values)
    o = model.offsets

    def block(name: str, end: str) -> FloatArray:
        v = values[o[name] : o[end]]
        return np.where(v >= NOISE, v, 0.0)

    xv, wv, yv, zv = block("x", "w"), block("w", "y"), block("y", "z"), block("z", "I")
    n_m = len(mats)
    tpu = model.tonnes_per_unit
    x_mat = model.supply_material[model.x_supply]
    w_mat = model.supply_material[model.w_supply]
    y_mat = model.supply_material[model.y_supply]
    z_mat = model.demand_material[model.z_demand]
    direct = np.bincount(x_mat, weights=xv, minlength=n_m)
    via = np.bincount(z_mat, weights=zv, minlength=n_m) + np.bincount(
        w_mat, weights=wv, minlength=n_m
    )
    tkm = (
        math.fsum(xv * tpu[x_mat] * model.x_km)
        + math.fsum(wv * tpu[w_mat] * model.w_km)
        + math.fsum(yv * tpu[y_mat] * model.y_km)
        + math.fsum(zv * tpu[z_mat] * model.z_km)
    )
    new_mki = np.array([m.new_mki_eur for m in mats], dtype=np.float64)
    avoided = float(direct @ new_mki + via @ new_mki)

    sid = [s.id for s in problem.supplies]
    did = [d.id for d in problem.demands]
    kid = [k.id for k in problem.depots]
    # (supply, depot, demand, week) -> quantity; a cross-dock is a flow into the depot
    # and one out of it in the same week, merged with y and z flows of the same key.
    moved: dict[tuple[str | None, str | None, str | None, int], float] = defaultdict(
        float
    )
    for i in np.nonzero(xv)[0]:
        key = (sid[model.x_supply[i]], None, did[model.x_demand[i]])
        moved[(*key, int(model.x_week[i]))] += float(xv[i])
    for i in np.nonzero(wv)[0]:
        t, k = int(model.w_week[i]), kid[model.w_depot[i]]
        moved[(sid[model.w_supply[i]], k, None, t)] += float(wv[i])
        moved[(None, k, did[model.w_demand[i]], t)] += float(wv[i])
    for i in np.nonzero(yv)[0]:
        key = (sid[model.y_supply[i]], kid[model.y_depot[i]], None)
        moved[(*key, int(model.y_week[i]))] += float(yv[i])
    for i in np.nonzero(zv)[0]:
        key = (None, kid[model.z_depot[i]], did[model.z_demand[i]])
        moved[(*key, int(model.z_week[i]))] += float(zv[i])
    flows = [Flow(s, d, k, t, t, q) for (s, k, d, t), q in moved.items()]
    flows.sort(
        key=lambda f: (f.week_out, f.supply or "", f.depot or "", f.demand or "")
    )
    return ExchangeResult(
        objective_eur=objective,
        baseline_eur=base,
        savings_eur=base - objective,
        reused={
            m.name: Reuse(float(direct[i]), float(via[i])) for i, m in enumerate(mats)
        },
        tonne_km=tkm,
        transport_mki_eur=tkm * problem.parameters.transport_mki_eur_per_tkm,
        new_mki_avoided_eur=avoided,
        flows=tuple(flows),
        start=problem.start,
        num_variables=model.num_columns,
        num_constraints=model.num_rows,
        transport_co2_kg=_co2(problem, tkm),
    )


# Checking ---------------------------------------------------------------------------

REL_TOL = 1e-6


def _close_le(a: float, b: float) -> bool:
    return a <= b + REL_TOL * max(1.0, abs(a), abs(b))


def check_plan(problem: ExchangeProblem, result: ExchangeResult) -> list[str]:
    """Re-verify a plan from its flows alone: every constraint of exchange-model.md to
    1e-6 relative, and the reported objective and baseline. Returns the violations
    (an empty list: the plan is valid)."""
    from cirkelregio.engine.geo.distance import haversine_km

    par = problem.parameters
    c = par.cost_per_tkm
    out: list[str] = []
    sup = {s.id: s for s in problem.supplies}
    dem = {d.id: d for d in problem.demands}
    dep = {k.id: k for k in problem.depots}
    week = problem.week

    def dist(a: Supply | Demand | Depot, b: Supply | Demand | Depot) -> float:
        return float(haversine_km(a.lat, a.lon, b.lat, b.lon)) * par.detour_factor

    sent: dict[str, float] = defaultdict(float)
    received: dict[str, float] = defaultdict(float)
    moves: dict[tuple[str, str], dict[int, float]] = defaultdict(
        lambda: defaultdict(float)
    )
    cost = 0.0
    n_t = problem.weeks
    for n, f in enumerate(result.flows, 1):
        label = f"flow {n} ({f.supply or '-'} -> {f.depot or '-'} -> {f.demand or '-'})"
        if not (f.quantity >= 0 and math.isfinite(f.quantity)):
            out.append(f"{label}: quantity {f.quantity} is not a non-negative number")
            continue
        if f.week_out != f.week_in or not 0 <= f.week_out < n_t:
            out.append(
                f"{label}: weeks {f.week_out}/{f.week_in} are not one valid week"
            )
            continue
        t = f.week_out
        s = sup.get(f.supply) if f.supply is not None else None
        d = dem.get(f.demand) if f.demand is not None else None
        k = dep.get(f.depot) if f.depot is not None else None
        kind = (f.supply is not None, f.depot is not None, f.demand is not None)
        if kind not in ((True, False, True), (True, True, False), (False, True, True)):
            out.append(f"{label}: not a supply->demand, supply->depot or depot->demand")
            continue
        if (f.supply is not None and s is None) or (f.demand is not None and d is None):
            out.append(f"{label}: unknown supply or demand")
            continue
        if f.depot is not None and k is None:
            out.append(f"{label}: unknown depot")
            continue
        q = f.quantity
        if s is not None:
            if not week(s.available_from) <= t <= week(s.available_until):
                out.append(f"{label}: week {t} outside the supply window")
            sent[s.id] += q
        if d is not None:
            if not week(d.needed_from) <= t <= week(d.needed_until):
                out.append(f"{label}: week {t} outside the demand window")
            received[d.id] += q
        if s is not None and d is not None:
            if s.material != d.material:
                out.append(f"{label}: materials differ")
            km = dist(s, d)
            cost += q * problem.material(s.material).tonnes_per_unit * km * c
        elif s is not None and k is not None:
            km = dist(s, k)
            tpu = problem.material(s.material).tonnes_per_unit
            cost += q * tpu * (km * c + k.handling_eur_per_tonne)
            moves[(k.id, s.material)][t] += q
        else:
            assert d is not None and k is not None
            km = dist(k, d)
            cost += q * problem.material(d.material).tonnes_per_unit * km * c
            moves[(k.id, d.material)][t] -= q
        if km > par.max_distance_km * (1 + 1e-12):
            out.append(f"{label}: {km:.3f} km exceeds {par.max_distance_km:g} km")

    for s in problem.supplies:
        if not _close_le(sent[s.id], s.quantity):
            out.append(f"supply {s.id}: {sent[s.id]} sent of {s.quantity}")
        u = max(s.quantity - sent[s.id], 0.0)
        cost += u * problem.material(s.material).disposal_cost_eur
    lam = par.mki_weight
    for d in problem.demands:
        if not _close_le(received[d.id], d.quantity):
            out.append(f"demand {d.id}: {received[d.id]} received of {d.quantity}")
        m = problem.material(d.material)
        v = max(d.quantity - received[d.id], 0.0)
        cost += v * (m.new_cost_eur + lam * m.new_mki_eur)

    for k in problem.depots:
        held = [(key, per) for key, per in moves.items() if key[0] == k.id]
        stock = dict.fromkeys((key[1] for key, _ in held), 0.0)
        for t in range(n_t):
            tonnes = 0.0
            for (_, mat), per in held:
                stock[mat] += per.get(t, 0.0)
                level = stock[mat]
                tpu = problem.material(mat).tonnes_per_unit
                scale = max(1.0, max(abs(v) for v in per.values()))
                if level < -REL_TOL * scale:
                    out.append(f"depot {k.id}: stock of {mat} is {level} in week {t}")
                level = max(level, 0.0)
                tonnes += tpu * level
                cost += level * tpu * k.storage_eur_per_tonne_week
                if t == n_t - 1:
                    cost += level * problem.material(mat).disposal_cost_eur
            if not _close_le(tonnes, k.capacity_tonnes):
                out.append(
                    f"depot {k.id}: {tonnes} t held in week {t}, "
                    f"capacity {k.capacity_tonnes}"
                )

    scale = max(1.0, abs(result.baseline_eur), abs(result.objective_eur))
    if abs(cost - result.objective_eur) > REL_TOL * scale:
        out.append(f"objective {result.objective_eur} but the flows cost {cost}")
    base = baseline(problem)
    if abs(base - result.baseline_eur) > REL_TOL * max(1.0, abs(base)):
        out.append(f"baseline {result.baseline_eur} but it is {base}")
    return out
