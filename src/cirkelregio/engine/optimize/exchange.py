# SPDX-License-Identifier: EUPL-1.2
"""The materials exchange ("Stenen delen", docs/exchange-model.md): reading the four
CSV files, building the time-expanded LP as sparse matrices and solving it exactly with
HiGHS (highspy).

Conventions where exchange-model.md leaves a choice:

- Every flow is one movement within one week t, so ``week_out == week_in == t`` for
  all three kinds: a direct flow (supply -> demand, ``depot`` is None), a flow into a
  depot (``demand`` is None; t is the week the material enters the depot) and a flow
  out of a depot (``supply`` is None; t is the week it leaves the depot).
- Stock variables I[k,m,t] exist for every depot k and material m that some supply can
  bring to k (allowed distance), for every week 0..T-1. A flow z[k,d,t] exists only
  where such a stock exists for the demand's material: without it z would be forced
  to 0 by the stock balance anyway, so the optimum is unchanged.
- "reused" counts units delivered to demands: ``direct`` = sum of x, ``via_depot`` =
  sum of z. Stock left at the end is charged disposal and is not counted as reused.
- tonne-km use dist = haversine x detour factor (what is driven and paid for);
  transport MKI = tonne-km x transport MKI per tonne-km; new-product MKI avoided =
  units delivered from reuse x new_mki (not weighted by lambda).
- Flow quantities below 1e-9 are numerical noise and are left out of the result; the
  reported objective is the cost vector times the solver's solution.
- Beyond the errors of exchange-model.md the readers also refuse tonnes_per_unit <= 0
  and negative new cost, new MKI, depot capacity, storage or handling cost; dates that
  are not ISO; numbers that are not finite.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

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

    @property
    def cost_per_tkm(self) -> float:
        """c = transport cost + transport MKI, EUR per tonne-km."""
        return self.transport_eur_per_tkm + self.transport_mki_eur_per_tkm

    def problems(self) -> list[Problem]:
        """Parameter values that make no sense, named by their command-line flag."""
        out: list[Problem] = []
        checks = (
            ("--transport-eur-per-tkm", self.transport_eur_per_tkm, 0.0, False),
            ("--transport-mki-eur-per-tkm", self.transport_mki_eur_per_tkm, 0.0, False),
            ("--detour-factor", self.detour_factor, 0.0, True),
            ("--max-distance-km", self.max_distance_km, 0.0, False),
            ("--mki-weight", self.mki_weight, 0.0, False),
        )
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


def _expand(
    a: IntArray, b: IntArray, lo: IntArray, hi: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """One entry per pair (a, b) and week lo..hi, pairs in order, weeks ascending."""
    n = (hi - lo + 1).astype(np.intp)
    total = int(n.sum())
    first = np.cumsum(n) - n
    t = np.repeat(lo - first, n) + np.arange(total, dtype=np.intp)
    return np.repeat(a, n), np.repeat(b, n), t.astype(np.intp)


@dataclass(frozen=True, eq=False)
class LinearModel:
    """The LP ``min cost @ v  s.t.  row_lower <= A v <= row_upper, v >= 0`` with the
    index arrays that say what each column means. Columns: x, y, z, I, u, v in that
    order (``offsets`` gives where each block starts)."""

    matrix: Any
    """scipy.sparse CSC array, rows x columns."""
    cost: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    offsets: dict[str, int]
    x_supply: IntArray
    x_demand: IntArray
    x_week: IntArray
    y_supply: IntArray
    y_depot: IntArray
    y_week: IntArray
    z_depot: IntArray
    z_demand: IntArray
    z_week: IntArray
    stock_depot: IntArray
    stock_material: IntArray
    weeks: int
    supply_material: IntArray
    demand_material: IntArray
    tonnes_per_unit: FloatArray
    dist_sd: FloatArray
    dist_sk: FloatArray
    dist_kd: FloatArray

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


def build_model(problem: ExchangeProblem) -> LinearModel:
    """Build the LP of exchange-model.md as sparse matrices (vectorised)."""
    par = problem.parameters
    c = par.cost_per_tkm
    mats = problem.materials
    index = {m.name: i for i, m in enumerate(mats)}
    sup, dem, dep = problem.supplies, problem.demands, problem.depots
    n_s, n_d, n_k, n_m = len(sup), len(dem), len(dep), len(mats)
    n_t = problem.weeks

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

    def coords(items: Sequence[Supply | Demand | Depot]) -> tuple[FloatArray, ...]:
        return (
            np.array([i.lat for i in items], dtype=np.float64),
            np.array([i.lon for i in items], dtype=np.float64),
        )

    s_xy, d_xy, k_xy = coords(sup), coords(dem), coords(dep)
    f = par.detour_factor
    dist_sd = haversine_matrix_km(*s_xy, *d_xy).reshape(n_s, n_d) * f
    dist_sk = haversine_matrix_km(*s_xy, *k_xy).reshape(n_s, n_k) * f
    dist_kd = haversine_matrix_km(*k_xy, *d_xy).reshape(n_k, n_d) * f
    dmax = par.max_distance_km

    # x[s,d,t]: same material, allowed distance, t in both windows. A direct flow
    # touches no stock, so its columns for the different weeks of one pair are
    # identical (same cost, same two balance rows): one column per pair, at the first
    # week both windows hold, gives the same optimum with far fewer columns.
    lo = np.maximum(s_lo[:, None], d_lo[None, :])
    hi = np.minimum(s_hi[:, None], d_hi[None, :])
    ok = (sm[:, None] == dm[None, :]) & (dist_sd <= dmax) & (hi >= lo)
    ps, pd = np.nonzero(ok)
    xs, xd, xt = ps.astype(np.intp), pd.astype(np.intp), lo[ps, pd].astype(np.intp)

    # y[s,k,t]: t in the supply window, allowed distance. Weeks after the last week
    # in which a demand of the material within reach of the depot still runs are left
    # out: material stored then can only be disposed at the end, which costs at least
    # what disposing of it straight away costs (all costs here are >= 0), so those
    # columns never lower the optimum.
    kd_k, kd_d = np.nonzero(dist_kd <= dmax)
    latest = np.full((n_k, n_m), -1, dtype=np.intp)
    np.maximum.at(latest, (kd_k, dm[kd_d]), d_hi[kd_d])
    ps, pk = np.nonzero(dist_sk <= dmax)
    y_hi = np.minimum(s_hi[ps], latest[pk, sm[ps]])
    keep = y_hi >= s_lo[ps]
    ps, pk, y_hi = ps[keep], pk[keep], y_hi[keep]
    ys, yk, yt = _expand(ps, pk, s_lo[ps], y_hi)

    # I[k,m,t] for every (depot, material) some supply can bring there.
    has_stock = np.zeros((n_k, n_m), dtype=bool)
    has_stock[pk, sm[ps]] = True
    stock_k, stock_m = np.nonzero(has_stock)
    n_p = len(stock_k)
    pair = np.full((n_k, n_m), -1, dtype=np.intp)
    pair[stock_k, stock_m] = np.arange(n_p, dtype=np.intp)

    # z[k,d,t]: t in the demand window, allowed distance, a stock to take from. Weeks
    # before the first week any supply can bring the material to the depot are left
    # out: the stock is 0 then.
    earliest = np.full((n_k, n_m), np.iinfo(np.intp).max, dtype=np.intp)
    np.minimum.at(earliest, (pk, sm[ps]), s_lo[ps])
    pk, pd = np.nonzero((dist_kd <= dmax) & has_stock[:, dm])
    z_lo = np.maximum(d_lo[pd], earliest[pk, dm[pd]])
    keep = z_lo <= d_hi[pd]
    pk, pd, z_lo = pk[keep], pd[keep], z_lo[keep]
    zk, zd, zt = _expand(pk, pd, z_lo, d_hi[pd])

    nx, ny, nz, ni = len(xs), len(ys), len(zk), n_p * n_t
    ox, oy = 0, nx
    oz = oy + ny
    oi = oz + nz
    ou = oi + ni
    ov = ou + n_s
    n_col = ov + n_d

    # Rows: supplies, demands, stock balance (p, t), capacity (depot with stock, t).
    r_dem = n_s
    r_stock = n_s + n_d
    cap_depots = np.nonzero(has_stock.any(axis=1))[0]
    cap_row = np.full(n_k, -1, dtype=np.intp)
    cap_row[cap_depots] = np.arange(len(cap_depots), dtype=np.intp)
    r_cap = r_stock + ni
    n_row = r_cap + len(cap_depots) * n_t

    x_col = np.arange(ox, oy, dtype=np.intp)
    y_col = np.arange(oy, oz, dtype=np.intp)
    z_col = np.arange(oz, oi, dtype=np.intp)
    i_col = np.arange(oi, ou, dtype=np.intp)
    i_p = np.repeat(np.arange(n_p, dtype=np.intp), n_t)
    i_t = np.tile(np.arange(n_t, dtype=np.intp), n_p)
    u_col = np.arange(ou, ov, dtype=np.intp)
    v_col = np.arange(ov, n_col, dtype=np.intp)
    later = i_t < n_t - 1
    y_row = r_stock + pair[yk, sm[ys]] * n_t + yt
    z_row = r_stock + pair[zk, dm[zd]] * n_t + zt

    rows = np.concatenate(
        [
            xs,
            r_dem + xd,
            ys,
            y_row,
            r_dem + zd,
            z_row,
            r_stock + i_p * n_t + i_t,
            r_stock + i_p[later] * n_t + i_t[later] + 1,
            r_cap + cap_row[stock_k[i_p]] * n_t + i_t,
            np.arange(n_s, dtype=np.intp),
            r_dem + np.arange(n_d, dtype=np.intp),
        ]
    )
    cols = np.concatenate(
        [x_col, x_col, y_col, y_col, z_col, z_col, i_col, i_col[later], i_col]
        + [u_col, v_col]
    )
    vals = np.concatenate(
        [
            np.ones(2 * nx),
            np.ones(ny),
            -np.ones(ny),
            np.ones(nz),
            np.ones(nz),
            np.ones(ni),
            -np.ones(int(later.sum())),
            tpu[stock_m[i_p]],
            np.ones(n_s + n_d),
        ]
    )
    matrix = sp.coo_array((vals, (rows, cols)), shape=(n_row, n_col)).tocsc()
    matrix.sort_indices()

    storage = np.array([k.storage_eur_per_tonne_week for k in dep], dtype=np.float64)
    handling = np.array([k.handling_eur_per_tonne for k in dep], dtype=np.float64)
    i_cost = tpu[stock_m[i_p]] * storage[stock_k[i_p]] + np.where(
        i_t == n_t - 1, disposal[stock_m[i_p]], 0.0
    )
    cost = np.concatenate(
        [
            tpu[sm[xs]] * dist_sd[xs, xd] * c,
            tpu[sm[ys]] * (dist_sk[ys, yk] * c + handling[yk]),
            tpu[dm[zd]] * dist_kd[zk, zd] * c,
            i_cost,
            disposal[sm],
            new[dm],
        ]
    )
    capacity = np.array([k.capacity_tonnes for k in dep], dtype=np.float64)
    row_lower = np.concatenate(
        [sq, dq, np.zeros(ni), np.full(len(cap_depots) * n_t, -np.inf)]
    )
    row_upper = np.concatenate(
        [sq, dq, np.zeros(ni), np.repeat(capacity[cap_depots], n_t)]
    )
    return LinearModel(
        matrix=matrix,
        cost=cost,
        row_lower=row_lower,
        row_upper=row_upper,
        offsets={"x": ox, "y": oy, "z": oz, "I": oi, "u": ou, "v": ov},
        x_supply=xs,
        x_demand=xd,
        x_week=xt,
        y_supply=ys,
        y_depot=yk,
        y_week=yt,
        z_depot=zk,
        z_demand=zd,
        z_week=zt,
        stock_depot=stock_k,
        stock_material=stock_m,
        weeks=n_t,
        supply_material=sm,
        demand_material=dm,
        tonnes_per_unit=tpu,
        dist_sd=dist_sd,
        dist_sk=dist_sk,
        dist_kd=dist_kd,
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


def _run_highs(model: LinearModel) -> FloatArray:
    lp = highspy.HighsLp()
    lp.num_col_ = model.num_columns
    lp.num_row_ = model.num_rows
    lp.col_cost_ = model.cost
    lp.col_lower_ = np.zeros(model.num_columns)
    lp.col_upper_ = np.full(model.num_columns, highspy.kHighsInf)
    lp.row_lower_ = np.where(
        np.isneginf(model.row_lower), -highspy.kHighsInf, model.row_lower
    )
    lp.row_upper_ = model.row_upper
    a = model.matrix
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = model.num_columns
    lp.a_matrix_.num_row_ = model.num_rows
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(np.float64)
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    status = h.passModel(lp)
    if status == highspy.HighsStatus.kError:
        raise SolveError("HiGHS refused the model")
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


def solve(problem: ExchangeProblem, model: LinearModel | None = None) -> ExchangeResult:
    """Build (unless given) and solve the model; raises SolveError unless optimal."""
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
        )
    values = _run_highs(model)
    objective = float(model.cost @ values)
    o = model.offsets
    xv = values[o["x"] : o["y"]]
    yv = values[o["y"] : o["z"]]
    zv = values[o["z"] : o["I"]]
    xv = np.where(xv >= NOISE, xv, 0.0)
    yv = np.where(yv >= NOISE, yv, 0.0)
    zv = np.where(zv >= NOISE, zv, 0.0)
    n_m = len(mats)
    tpu = model.tonnes_per_unit
    x_mat = model.supply_material[model.x_supply]
    z_mat = model.demand_material[model.z_demand]
    y_mat = model.supply_material[model.y_supply]
    direct = np.bincount(x_mat, weights=xv, minlength=n_m)
    via = np.bincount(z_mat, weights=zv, minlength=n_m)
    tkm = (
        math.fsum(xv * tpu[x_mat] * model.dist_sd[model.x_supply, model.x_demand])
        + math.fsum(yv * tpu[y_mat] * model.dist_sk[model.y_supply, model.y_depot])
        + math.fsum(zv * tpu[z_mat] * model.dist_kd[model.z_depot, model.z_demand])
    )
    new_mki = np.array([m.new_mki_eur for m in mats], dtype=np.float64)
    avoided = float(direct @ new_mki + via @ new_mki)

    sid = [s.id for s in problem.supplies]
    did = [d.id for d in problem.demands]
    kid = [k.id for k in problem.depots]
    flows: list[Flow] = []
    for i in np.nonzero(xv)[0]:
        t = int(model.x_week[i])
        flows.append(
            Flow(
                sid[model.x_supply[i]], did[model.x_demand[i]], None, t, t, float(xv[i])
            )
        )
    for i in np.nonzero(yv)[0]:
        t = int(model.y_week[i])
        flows.append(
            Flow(
                sid[model.y_supply[i]], None, kid[model.y_depot[i]], t, t, float(yv[i])
            )
        )
    for i in np.nonzero(zv)[0]:
        t = int(model.z_week[i])
        flows.append(
            Flow(
                None, did[model.z_demand[i]], kid[model.z_depot[i]], t, t, float(zv[i])
            )
        )
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
