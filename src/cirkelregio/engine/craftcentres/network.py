# SPDX-License-Identifier: EUPL-1.2
"""Craft-centre network planning (Circulaire Ambachtscentra, issue 7, part 3): the
exact models of docs/planning-models.md section 2, solved with HiGHS (highspy).

Demand points i (PC4 centroids) carry a weight h_i = population; candidate sites j
are points, and existing centres are forced open. Distances d_ij are the haversine
great-circle distance (Earth radius 6371.0088 km, :mod:`cirkelregio.engine.geo`)
times the detour factor (default 1.3), as the preamble of the planning models says.

- **p-median** (:func:`p_median`): open exactly p sites (the existing ones included)
  and assign every point to one open site; minimise sum_i h_i d_{i j(i)}::

      min   sum_ij h_i d_ij x_ij
      s.t.  sum_j x_ij = 1           for every point i
            x_ij <= y_j              for every pair (the disaggregated, tight form)
            sum_j y_j = p
            y_j = 1                  for existing sites
            y_j in {0, 1}, 0 <= x_ij <= 1

- **Maximal coverage** (:func:`max_coverage`): open exactly p sites; point i is
  covered when an open site lies within S km (detoured; default 10 km); maximise the
  covered population::

      max   sum_i h_i z_i
      s.t.  z_i <= sum_{j: d_ij <= S} y_j   for every point i
            sum_j y_j = p,  y_j = 1 for existing sites
            y_j in {0, 1}, 0 <= z_i <= 1

:func:`plan` builds one model and solves it for several p by changing the bounds of
the cardinality row only. The open set is read from y; every point is then assigned
to its nearest open site (ties: the first site in input order), which is exactly
optimal for that set, and every figure is computed from that assignment, so figures
do not carry HiGHS's tolerances. A point counts as covered when its distance is at
most S + 1e-9 km.

Report per open site (:class:`SiteReport`): the population served; the
municipalities served, by the majority rule (a municipality is served by the site
that serves most of its population; ties: more of its points, then the first site in
input order); the bulky-waste (grof afval) tonnes in its catchment, population x kg
per inhabitant per year of each point's municipality / 1000; the harvestable tonnes,
bulky-waste tonnes x the reusable fraction. Network figures: the population share
within S, the population-weighted average distance and the largest distance of any
point with population to its site.

The kg per inhabitant default is CBS 2021 (:data:`CBS_GROF_KG_PER_INHABITANT_2021`).
The reusable fraction has no default: no sourced figure exists
(``../research/exchange.md`` section 4 marks it unverified), so a caller who wants
harvestable tonnes gives one and says where it comes from.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import highspy
import numpy as np
from numpy.typing import NDArray

from cirkelregio.engine.geo.distance import haversine_matrix_km
from cirkelregio.engine.inputs import InputError, InputIssue, SolveError

__all__ = [
    "CBS_GROF_KG_PER_INHABITANT_2021",
    "CBS_GROF_SOURCE_2021",
    "COVERAGE_TOLERANCE_KM",
    "DEFAULT_COVERAGE_KM",
    "DEFAULT_DETOUR_FACTOR",
    "DEFAULT_TIME_LIMIT",
    "MODELS",
    "UTRECHT_BOX",
    "Comparison",
    "DemandPoint",
    "InputIssue",
    "Model",
    "NetworkInputError",
    "NetworkResult",
    "Parameters",
    "Site",
    "SiteReport",
    "SolveError",
    "check",
    "compare",
    "distance_matrix",
    "evaluate",
    "max_coverage",
    "p_median",
    "plan",
]

Model = Literal["p-median", "coverage"]
MODELS: tuple[Model, ...] = ("p-median", "coverage")

DEFAULT_DETOUR_FACTOR = 1.3
"""Road distance over great-circle distance (docs/planning-models.md, preamble)."""
DEFAULT_COVERAGE_KM = 10.0
"""S of the maximal-coverage model (docs/planning-models.md section 2)."""
DEFAULT_TIME_LIMIT = 60.0
COVERAGE_TOLERANCE_KM = 1e-9

CBS_GROF_KG_PER_INHABITANT_2021 = 146.0
"""Grof huishoudelijk afval per inhabitant in 2021: 504 kg of household waste per
inhabitant, 29 % of it grof (504 x 0.29 = 146.2, rounded)."""
CBS_GROF_SOURCE_2021 = (
    "CBS StatLine 83558NED, 2021: 504 kg household waste per inhabitant, 29 % grof "
    "(about 146 kg); see ../research/exchange.md section 4"
)

UTRECHT_BOX = (51.80, 52.35, 4.75, 5.70)
"""(south, north, west, east) in degrees: the bounding box of
data/regions/nl-utrecht/municipalities.geojson (51.857-52.304 N, 4.792-5.627 E),
rounded outwards to 0.05 degrees."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]


# Data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemandPoint:
    """A demand point, e.g. the centroid of a PC4 area."""

    id: str
    lat: float
    lon: float
    population: float
    municipality: str
    """Municipality code, e.g. ``GM0344``."""


@dataclass(frozen=True)
class Site:
    """A candidate site; existing centres are forced open."""

    id: str
    name: str
    lat: float
    lon: float
    existing: bool = False
    municipality: str | None = None


@dataclass(frozen=True)
class Parameters:
    detour_factor: float = DEFAULT_DETOUR_FACTOR
    coverage_km: float = DEFAULT_COVERAGE_KM
    kg_per_inhabitant: float | Mapping[str, float] = CBS_GROF_KG_PER_INHABITANT_2021
    """Bulky waste per inhabitant per year: one value, or one per municipality code
    (then every point's municipality must be in it)."""
    kg_source: str = CBS_GROF_SOURCE_2021
    reusable_fraction: float | None = None
    """Share of the bulky waste that is reusable (0..1). No default: no sourced
    figure exists; give one (an assumption) to get harvestable tonnes."""
    reusable_fraction_source: str | None = None
    region_box: tuple[float, float, float, float] | None = UTRECHT_BOX
    """(south, north, west, east); points and sites must lie inside. None: no check."""
    municipalities: Mapping[str, str] | None = None
    """Known municipality codes (code -> name). When given, every point's and site's
    municipality must be one of them."""

    def kg_for(self, municipality: str) -> float:
        rate = self.kg_per_inhabitant
        if isinstance(rate, Mapping):
            return float(rate[municipality])
        return float(rate)

    def to_dict(self) -> dict[str, Any]:
        rate = self.kg_per_inhabitant
        return {
            "detour_factor": self.detour_factor,
            "coverage_km": self.coverage_km,
            "kg_per_inhabitant": dict(rate) if isinstance(rate, Mapping) else rate,
            "kg_source": self.kg_source,
            "reusable_fraction": self.reusable_fraction,
            "reusable_fraction_source": self.reusable_fraction_source,
        }


class NetworkInputError(InputError):
    """One or more problems in the input; nothing was solved."""


# Checks -----------------------------------------------------------------------------


def _finite(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _check_p(ps: Sequence[int], n_sites: int, n_existing: int) -> list[InputIssue]:
    issues: list[InputIssue] = []
    for p in ps:
        if isinstance(p, bool) or not isinstance(p, int) or p < 1:
            issues.append(
                InputIssue("p", f"must be a whole number of at least 1 ({p})")
            )
        elif p > n_sites:
            issues.append(
                InputIssue("p", f"p = {p} is more than the {n_sites} candidate sites")
            )
        elif p < n_existing:
            issues.append(
                InputIssue(
                    "p",
                    f"p = {p} is less than the {n_existing} existing sites, which "
                    "are always open",
                )
            )
    return issues


def check(
    points: Sequence[DemandPoint],
    sites: Sequence[Site],
    ps: Sequence[int] = (),
    params: Parameters | None = None,
    *,
    harvest: bool = False,
) -> list[InputIssue]:
    """Every problem of the input (empty when it can be solved). ``harvest``: the
    harvestable tonnes are asked for, so the reusable fraction is required."""
    params = params or Parameters()
    issues: list[InputIssue] = []
    if not _finite(params.detour_factor) or params.detour_factor < 1:
        issues.append(
            InputIssue(
                "parameters.detour_factor", "must be a finite number of at least 1"
            )
        )
    if not _finite(params.coverage_km) or params.coverage_km <= 0:
        issues.append(
            InputIssue("parameters.coverage_km", "must be a finite number more than 0")
        )
    rate = params.kg_per_inhabitant
    rates = rate if isinstance(rate, Mapping) else {"": rate}
    for code, value in rates.items():
        if not _finite(value) or value < 0:
            where = "parameters.kg_per_inhabitant" + (f".{code}" if code else "")
            issues.append(InputIssue(where, "must be a finite number of at least 0"))
    fraction = params.reusable_fraction
    if fraction is not None and (not _finite(fraction) or not 0 <= fraction <= 1):
        issues.append(
            InputIssue("parameters.reusable_fraction", "must be a number from 0 to 1")
        )
    if harvest and fraction is None:
        issues.append(
            InputIssue(
                "parameters.reusable_fraction",
                "harvestable tonnes were asked for, but no reusable fraction was "
                "given; there is no sourced figure (../research/exchange.md section "
                "4: unverified), so give one as an assumption",
            )
        )
    box = params.region_box
    known = params.municipalities
    if not points:
        issues.append(InputIssue("points", "must hold at least one demand point"))
    if not sites:
        issues.append(InputIssue("sites", "must hold at least one candidate site"))
    seen: dict[str, int] = {}
    point_municipalities: set[str] = set()
    for i, pt in enumerate(points):
        where = f"points[{i}]"
        if pt.id in seen:
            issues.append(
                InputIssue(
                    f"{where}.id",
                    f"duplicate point {pt.id!r} (first at points[{seen[pt.id]}])",
                )
            )
        else:
            seen[pt.id] = i
        if not _finite(pt.population) or pt.population < 0:
            issues.append(
                InputIssue(
                    f"{where}.population",
                    f"must be a finite number of at least 0 (got {pt.population!r})",
                )
            )
        issues += _check_position(where, pt.lat, pt.lon, box)
        point_municipalities.add(pt.municipality)
        if known is not None and pt.municipality not in known:
            issues.append(
                InputIssue(
                    f"{where}.municipality",
                    f"unknown municipality {pt.municipality!r}",
                )
            )
        elif isinstance(rate, Mapping) and pt.municipality not in rate:
            issues.append(
                InputIssue(
                    f"{where}.municipality",
                    f"unknown municipality {pt.municipality!r}: not in "
                    "parameters.kg_per_inhabitant",
                )
            )
    seen = {}
    for j, s in enumerate(sites):
        where = f"sites[{j}]"
        if s.id in seen:
            issues.append(
                InputIssue(
                    f"{where}.id",
                    f"duplicate site {s.id!r} (first at sites[{seen[s.id]}])",
                )
            )
        else:
            seen[s.id] = j
        issues += _check_position(where, s.lat, s.lon, box)
        if s.municipality is not None and (
            (known is not None and s.municipality not in known)
            or (known is None and s.municipality not in point_municipalities)
        ):
            issues.append(
                InputIssue(
                    f"{where}.municipality",
                    f"unknown municipality {s.municipality!r}"
                    + ("" if known is not None else ": no demand point lies in it"),
                )
            )
    issues += _check_p(ps, len(sites), sum(1 for s in sites if s.existing))
    return issues


def _check_position(
    where: str, lat: float, lon: float, box: tuple[float, float, float, float] | None
) -> list[InputIssue]:
    out: list[InputIssue] = []
    if not _finite(lat) or not -90 <= lat <= 90:
        out.append(InputIssue(f"{where}.lat", "must be a latitude from -90 to 90"))
    if not _finite(lon) or not -180 <= lon <= 180:
        out.append(InputIssue(f"{where}.lon", "must be a longitude from -180 to 180"))
    if out or box is None:
        return out
    south, north, west, east = box
    if not (south <= lat <= north and west <= lon <= east):
        out.append(
            InputIssue(
                where,
                f"({lat}, {lon}) lies outside the region box {south}-{north} N, "
                f"{west}-{east} E (lat, lon in WGS84 degrees; swapped?)",
            )
        )
    return out


# Results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteReport:
    id: str
    name: str
    existing: bool
    points: int
    """Demand points assigned to the site."""
    population_served: float
    municipalities: tuple[str, ...]
    """Municipalities served by the majority rule, in order of first point."""
    bulky_waste_tonnes: float
    harvestable_tonnes: float | None
    average_distance_km: float | None
    """Population-weighted; None when the site serves no population."""
    max_distance_km: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "existing": self.existing,
            "points": self.points,
            "population_served": self.population_served,
            "municipalities": list(self.municipalities),
            "bulky_waste_tonnes": self.bulky_waste_tonnes,
            "harvestable_tonnes": self.harvestable_tonnes,
            "average_distance_km": self.average_distance_km,
            "max_distance_km": self.max_distance_km,
        }


@dataclass(frozen=True)
class NetworkResult:
    model: Model
    method: str
    """``"highs"`` (exact), ``"greedy"`` or ``"greedy+swap"`` (heuristics)."""
    p: int
    status: str
    """``"optimal"``, ``"time_limit"`` (HiGHS stopped with a solution) or
    ``"heuristic"``."""
    gap: float | None
    """HiGHS's relative MIP gap when the time limit stopped it; else None."""
    objective: float
    """p-median: sum h_i d_i in person-km; coverage: the covered population."""
    open_sites: tuple[str, ...]
    """In input order."""
    assignment: tuple[str, ...]
    """Site id per demand point, in the order of the points."""
    distance_km: tuple[float, ...]
    """Detoured distance of each point to its site."""
    sites: tuple[SiteReport, ...]
    """The open sites' reports, in input order."""
    population: float
    covered_population: float
    coverage_km: float
    average_distance_km: float | None
    """Population-weighted average over all points (None without population)."""
    max_distance_km: float
    """The largest distance of a point with population to its site."""
    municipality_site: dict[str, str]
    """Municipality code -> the site that serves it (majority rule)."""
    point_ids: tuple[str, ...]
    """The demand points' ids, in the order of ``assignment``."""
    seconds: float = field(default=0.0, compare=False)

    @property
    def coverage_share(self) -> float | None:
        return self.covered_population / self.population if self.population else None

    @property
    def bulky_waste_tonnes(self) -> float:
        return math.fsum(s.bulky_waste_tonnes for s in self.sites)

    @property
    def harvestable_tonnes(self) -> float | None:
        values = [s.harvestable_tonnes for s in self.sites]
        if any(v is None for v in values):
            return None
        return math.fsum(v for v in values if v is not None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of one network in ``cirkelregio craftcentres plan``
        (docs/craftcentres.md)."""
        return {
            "model": self.model,
            "method": self.method,
            "p": self.p,
            "status": self.status,
            "gap": self.gap,
            "objective": self.objective,
            "open_sites": list(self.open_sites),
            "population": self.population,
            "covered_population": self.covered_population,
            "coverage_km": self.coverage_km,
            "coverage_share": self.coverage_share,
            "average_distance_km": self.average_distance_km,
            "max_distance_km": self.max_distance_km,
            "bulky_waste_tonnes": self.bulky_waste_tonnes,
            "harvestable_tonnes": self.harvestable_tonnes,
            "sites": [s.to_dict() for s in self.sites],
            "municipality_site": dict(self.municipality_site),
            "assignment": [
                {"point": pid, "site": sid, "distance_km": d}
                for pid, sid, d in zip(
                    self.point_ids, self.assignment, self.distance_km, strict=True
                )
            ],
        }

    def to_geojson(
        self, points: Sequence[DemandPoint], sites: Sequence[Site]
    ) -> dict[str, Any]:
        """A map of the network (RFC 7946, lon/lat): every candidate site as a Point
        (``open``, ``existing``, ``population_served``) and every demand point as a
        LineString to its site (``point``, ``site``, ``population``,
        ``distance_km``, ``covered``)."""
        report = {s.id: s for s in self.sites}
        by_id = {s.id: s for s in sites}
        features: list[dict[str, Any]] = []
        for s in sites:
            r = report.get(s.id)
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                    "properties": {
                        "kind": "site",
                        "model": self.model,
                        "p": self.p,
                        "site": s.id,
                        "name": s.name,
                        "open": r is not None,
                        "existing": s.existing,
                        "population_served": r.population_served if r else 0.0,
                        "municipalities": list(r.municipalities) if r else [],
                        "harvestable_tonnes": r.harvestable_tonnes if r else None,
                    },
                }
            )
        for pt, sid, d in zip(points, self.assignment, self.distance_km, strict=True):
            s = by_id[sid]
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [[pt.lon, pt.lat], [s.lon, s.lat]],
                    },
                    "properties": {
                        "kind": "assignment",
                        "model": self.model,
                        "p": self.p,
                        "point": pt.id,
                        "site": sid,
                        "population": pt.population,
                        "distance_km": d,
                        "covered": d <= self.coverage_km + COVERAGE_TOLERANCE_KM,
                    },
                }
            )
        return {"type": "FeatureCollection", "features": features}


def distance_matrix(
    points: Sequence[DemandPoint], sites: Sequence[Site], detour_factor: float
) -> FloatArray:
    """Detoured distances in km, points (rows) x sites (columns)."""
    d = haversine_matrix_km(
        [p.lat for p in points],
        [p.lon for p in points],
        [s.lat for s in sites],
        [s.lon for s in sites],
    )
    return np.asarray(d * float(detour_factor), dtype=np.float64)


def nearest_open(dist: FloatArray, open_mask: BoolArray) -> IntArray:
    """Per point the nearest open site (first in order on ties)."""
    masked = np.where(open_mask[None, :], dist, np.inf)
    return np.asarray(np.argmin(masked, axis=1), dtype=np.intp)


def evaluate(
    points: Sequence[DemandPoint],
    sites: Sequence[Site],
    open_sites: Sequence[str],
    params: Parameters | None = None,
    *,
    model: Model = "p-median",
    method: str = "given",
    status: str = "given",
    gap: float | None = None,
    seconds: float = 0.0,
    dist: FloatArray | None = None,
) -> NetworkResult:
    """The figures of a network with the given open sites (each point to its nearest
    open site). Used for every solver's result, and by callers for any network (for
    instance today's centres); the points and sites are taken as checked
    (:func:`check`). Raises NetworkInputError for an unknown or no open site."""
    params = params or Parameters()
    if dist is None:
        dist = distance_matrix(points, sites, params.detour_factor)
    index = {s.id: j for j, s in enumerate(sites)}
    unknown = [sid for sid in open_sites if sid not in index]
    if unknown or not open_sites:
        raise NetworkInputError(
            [
                InputIssue(
                    "open_sites",
                    f"unknown sites: {', '.join(map(repr, unknown))}"
                    if unknown
                    else "at least one site must be open",
                )
            ]
        )
    open_mask = np.zeros(len(sites), dtype=np.bool_)
    for sid in open_sites:
        open_mask[index[sid]] = True
    site_of = nearest_open(dist, open_mask)
    d = dist[np.arange(len(points)), site_of]
    h = np.array([p.population for p in points], dtype=np.float64)
    covered = d <= params.coverage_km + COVERAGE_TOLERANCE_KM
    population = math.fsum(h.tolist())
    cost = math.fsum((h * d).tolist())
    covered_pop = math.fsum(h[covered].tolist())
    objective = covered_pop if model == "coverage" else cost
    # Majority rule: municipality -> site with the most of its population.
    served: dict[str, dict[int, list[float]]] = {}
    for i, pt in enumerate(points):
        served.setdefault(pt.municipality, {}).setdefault(int(site_of[i]), []).append(
            pt.population
        )
    municipality_site: dict[str, int] = {}
    for m, per_site in served.items():
        municipality_site[m] = min(
            per_site,
            key=lambda j: (-math.fsum(per_site[j]), -len(per_site[j]), j),
        )
    fraction = params.reusable_fraction
    reports: list[SiteReport] = []
    for j, s in enumerate(sites):
        if not open_mask[j]:
            continue
        mine = np.nonzero(site_of == j)[0]
        pop = math.fsum(h[mine].tolist())
        tonnes = math.fsum(
            points[i].population * params.kg_for(points[i].municipality) / 1000.0
            for i in mine.tolist()
        )
        reports.append(
            SiteReport(
                id=s.id,
                name=s.name,
                existing=s.existing,
                points=len(mine),
                population_served=pop,
                municipalities=tuple(
                    m for m, js in municipality_site.items() if js == j
                ),
                bulky_waste_tonnes=tonnes,
                harvestable_tonnes=None if fraction is None else tonnes * fraction,
                average_distance_km=(
                    math.fsum((h[mine] * d[mine]).tolist()) / pop if pop > 0 else None
                ),
                max_distance_km=float(d[mine].max()) if len(mine) else 0.0,
            )
        )
    with_pop = h > 0
    return NetworkResult(
        model=model,
        method=method,
        p=int(open_mask.sum()),
        status=status,
        gap=gap,
        objective=objective,
        open_sites=tuple(s.id for j, s in enumerate(sites) if open_mask[j]),
        assignment=tuple(sites[j].id for j in site_of.tolist()),
        distance_km=tuple(float(x) for x in d),
        sites=tuple(reports),
        population=population,
        covered_population=covered_pop,
        coverage_km=params.coverage_km,
        average_distance_km=cost / population if population > 0 else None,
        max_distance_km=float(d[with_pop].max()) if with_pop.any() else 0.0,
        municipality_site={m: sites[j].id for m, j in municipality_site.items()},
        seconds=seconds,
        point_ids=tuple(p.id for p in points),
    )


# Model ------------------------------------------------------------------------------


def _highs(time_limit: float, mip_gap: float) -> highspy.Highs:
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(float(time_limit), 1e-3))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    h.setOptionValue("threads", 1)
    return h


def _build(
    model: Model,
    dist: FloatArray,
    h: FloatArray,
    existing: BoolArray,
    coverage_km: float,
) -> tuple[highspy.HighsLp, int]:
    """The MILP of the module docstring (minimisation; coverage as min -sum h z).
    Returns the model and the index of the cardinality row."""
    n_p, n_s = dist.shape
    starts: list[int] = [0]
    index: list[int] = []
    value: list[float] = []
    lower: list[float] = []
    upper: list[float] = []
    inf = highspy.kHighsInf
    if model == "p-median":
        # Columns: y_j (n_s), then x_ij row-major at n_s + i*n_s + j.
        n_col = n_s + n_p * n_s
        cost = np.concatenate([np.zeros(n_s), (h[:, None] * dist).ravel()])
        for i in range(n_p):
            index += range(n_s + i * n_s, n_s + (i + 1) * n_s)
            value += [1.0] * n_s
            starts.append(len(index))
            lower.append(1.0)
            upper.append(1.0)
        for i in range(n_p):
            for j in range(n_s):
                index += [n_s + i * n_s + j, j]
                value += [1.0, -1.0]
                starts.append(len(index))
                lower.append(-inf)
                upper.append(0.0)
    else:
        # Columns: y_j (n_s), then z_i (n_p).
        n_col = n_s + n_p
        cost = np.concatenate([np.zeros(n_s), -h])
        near = dist <= coverage_km + COVERAGE_TOLERANCE_KM
        for i in range(n_p):
            js = np.nonzero(near[i])[0].tolist()
            index += [n_s + i, *js]
            value += [1.0] + [-1.0] * len(js)
            starts.append(len(index))
            lower.append(-inf)
            upper.append(0.0)
    index += range(n_s)
    value += [1.0] * n_s
    starts.append(len(index))
    lower.append(1.0)
    upper.append(1.0)
    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = len(lower)
    lp.col_cost_ = cost
    lp.col_lower_ = np.concatenate([existing.astype(np.float64), np.zeros(n_col - n_s)])
    lp.col_upper_ = np.ones(n_col)
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_s + [
        highspy.HighsVarType.kContinuous
    ] * (n_col - n_s)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n_col
    lp.a_matrix_.num_row_ = len(lower)
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=np.float64)
    return lp, len(lower) - 1


def plan(
    points: Sequence[DemandPoint],
    sites: Sequence[Site],
    ps: Sequence[int],
    model: Model = "p-median",
    params: Parameters | None = None,
    *,
    harvest: bool = False,
    time_limit: float = DEFAULT_TIME_LIMIT,
    mip_gap: float = 0.0,
) -> list[NetworkResult]:
    """The exact network for every p in ``ps`` (one model, the cardinality row's
    bounds changed per p). ``time_limit`` is in seconds for all p together.
    Raises NetworkInputError or SolveError."""
    began = time.perf_counter()
    params = params or Parameters()
    issues = check(points, sites, ps, params, harvest=harvest)
    if model not in MODELS:
        issues.append(InputIssue("model", f"must be one of {', '.join(MODELS)}"))
    if not (_finite(time_limit) and time_limit > 0):
        issues.append(InputIssue("time_limit", "must be a finite number more than 0"))
    if not (_finite(mip_gap) and mip_gap >= 0):
        issues.append(InputIssue("mip_gap", "must be a finite number of at least 0"))
    if not ps:
        issues.append(InputIssue("p", "give at least one p"))
    if issues:
        raise NetworkInputError(issues)
    dist = distance_matrix(points, sites, params.detour_factor)
    h = np.array([pt.population for pt in points], dtype=np.float64)
    existing = np.array([s.existing for s in sites], dtype=np.bool_)
    lp, card = _build(model, dist, h, existing, params.coverage_km)
    solver = _highs(time_limit, mip_gap)
    if solver.passModel(lp) == highspy.HighsStatus.kError:
        raise SolveError("HiGHS refused the model")
    results: list[NetworkResult] = []
    for p in ps:
        started = time.perf_counter()
        left = time_limit - (started - began)
        if left <= 0:
            raise SolveError(f"the time limit was used up before p = {p}")
        solver.setOptionValue("time_limit", left)
        solver.changeRowBounds(card, float(p), float(p))
        solver.run()
        status = solver.getModelStatus()
        info = solver.getInfo()
        if (
            status
            not in (
                highspy.HighsModelStatus.kOptimal,
                highspy.HighsModelStatus.kTimeLimit,
            )
            or info.primal_solution_status != 2
        ):  # kSolutionStatusFeasible
            raise SolveError(
                f"HiGHS found no solution for p = {p} (status: "
                f"{solver.modelStatusToString(status)}); nothing is returned"
            )
        y = np.asarray(solver.getSolution().col_value[: len(sites)]) > 0.5
        if int(y.sum()) != p:
            raise SolveError(f"HiGHS returned {int(y.sum())} open sites for p = {p}")
        optimal = status == highspy.HighsModelStatus.kOptimal
        results.append(
            evaluate(
                points,
                sites,
                [s.id for j, s in enumerate(sites) if y[j]],
                params,
                model=model,
                method="highs",
                status="optimal" if optimal else "time_limit",
                gap=None if optimal else float(info.mip_gap),
                seconds=time.perf_counter() - started,
                dist=dist,
            )
        )
    return results


def p_median(
    points: Sequence[DemandPoint],
    sites: Sequence[Site],
    p: int,
    params: Parameters | None = None,
    *,
    harvest: bool = False,
    time_limit: float = DEFAULT_TIME_LIMIT,
    mip_gap: float = 0.0,
) -> NetworkResult:
    """The exact p-median network (least population-weighted distance)."""
    return plan(
        points,
        sites,
        [p],
        "p-median",
        params,
        harvest=harvest,
        time_limit=time_limit,
        mip_gap=mip_gap,
    )[0]


def max_coverage(
    points: Sequence[DemandPoint],
    sites: Sequence[Site],
    p: int,
    params: Parameters | None = None,
    *,
    harvest: bool = False,
    time_limit: float = DEFAULT_TIME_LIMIT,
    mip_gap: float = 0.0,
) -> NetworkResult:
    """The exact maximal-coverage network (most population within S)."""
    return plan(
        points,
        sites,
        [p],
        "coverage",
        params,
        harvest=harvest,
        time_limit=time_limit,
        mip_gap=mip_gap,
    )[0]


# Comparison -------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Networks side by side: one row per network."""

    rows: tuple[dict[str, Any], ...]

    COLUMNS = (
        ("model", "model"),
        ("method", "method"),
        ("p", "p"),
        ("coverage_pct", "covered %"),
        ("average_distance_km", "avg km"),
        ("max_distance_km", "max km"),
        ("harvestable_tonnes_per_centre", "harvest t/centre"),
        ("municipalities_per_centre", "municipalities/centre"),
        ("status", "status"),
        ("open_sites", "open sites"),
    )

    def to_list(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.rows]

    def to_text(self) -> str:
        """A plain-text table (figures rounded for reading)."""

        def cell(key: str, value: Any) -> str:
            if value is None:
                return "-"
            if key == "open_sites":
                return ", ".join(value)
            if key in ("harvestable_tonnes_per_centre", "municipalities_per_centre"):
                return " / ".join(
                    "-"
                    if v is None
                    else (f"{v:,.0f}" if isinstance(v, float) else str(v))
                    for v in value
                )
            if isinstance(value, float):
                return f"{value:,.1f}" if key == "coverage_pct" else f"{value:,.2f}"
            return str(value)

        header = [title for _, title in self.COLUMNS]
        body = [[cell(k, r[k]) for k, _ in self.COLUMNS] for r in self.rows]
        widths = [max(len(x) for x in col) for col in zip(header, *body, strict=True)]
        lines = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
        lines.append("-+-".join("-" * w for w in widths))
        lines += [
            " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
            for row in body
        ]
        return "\n".join(lines)


def compare(results: Sequence[NetworkResult]) -> Comparison:
    """Networks side by side: coverage within S (% of the population), average and
    largest distance, harvestable tonnes per centre and the number of municipalities
    sharing each centre (both in the order of the open sites), status/gap."""
    rows = []
    for r in results:
        share = r.coverage_share
        rows.append(
            {
                "model": r.model,
                "method": r.method,
                "p": r.p,
                "objective": r.objective,
                "coverage_km": r.coverage_km,
                "coverage_pct": None if share is None else 100.0 * share,
                "average_distance_km": r.average_distance_km,
                "max_distance_km": r.max_distance_km,
                "bulky_waste_tonnes": r.bulky_waste_tonnes,
                "harvestable_tonnes": r.harvestable_tonnes,
                "harvestable_tonnes_per_centre": [
                    s.harvestable_tonnes for s in r.sites
                ],
                "municipalities_per_centre": [len(s.municipalities) for s in r.sites],
                "status": r.status
                if r.gap is None
                else f"{r.status} (gap {r.gap:.2%})",
                "gap": r.gap,
                "open_sites": list(r.open_sites),
            }
        )
    return Comparison(tuple(rows))
