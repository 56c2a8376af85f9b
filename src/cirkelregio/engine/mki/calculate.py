# SPDX-License-Identifier: EUPL-1.2
"""The MKI of a bill of quantities, exactly as docs/mki-method.md fixes it.

For each line l with profile p::

    n_l   = 1 if no service life or L_l >= R,
            else ceil(R / L_l) (rule ceil), or R / L_l (rule fractional)
    u_p   = 1.3 if data category of p is "3", else 1.0
    MKI_l = n_l * q_l * u_p * sum over modules m in scope and indicators i
            of v[p,m,i] * w[i]

Modules in scope: those present in the profile, without D when D is excluded. The work
is done on arrays: per profile the weighted sum per module and per indicator once, then
a gather and a product per line, so a whole portfolio recomputes at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from cirkelregio.engine.mki.inputs import Bill, ProfileLibrary
from cirkelregio.engine.mki.modules import CATEGORY_3_UPLIFT, MODULES
from cirkelregio.engine.mki.weighting import WeightingSet

ReplacementRule = Literal["ceil", "fractional"]
_D = MODULES.index("D")


class MissingFactorError(ValueError):
    """The calculation needs an indicator whose factor is not verified."""

    def __init__(self, indicators: list[str], method: str) -> None:
        self.indicators = indicators
        names = ", ".join(indicators)
        super().__init__(
            f"weighting set {method} has no verified factor for {names}, which the "
            f"profiles of this bill use. Supply a weighting file with --weights "
            f"(CSV indicator,unit,eur_per_unit) that gives a factor for {names}."
        )


@dataclass(frozen=True)
class Options:
    reference_period: float = 50.0
    replacement_rule: ReplacementRule = "ceil"
    include_module_d: bool = True

    def __post_init__(self) -> None:
        if not self.reference_period > 0:
            raise ValueError("the reference period must be more than 0 years")
        if self.replacement_rule not in ("ceil", "fractional"):
            raise ValueError("the replacement rule is ceil or fractional")


@dataclass(frozen=True)
class LineResult:
    line_id: str
    element: str
    profile_id: str
    quantity: float
    placements: float
    uplift: float
    mki_eur: float


@dataclass(frozen=True)
class Result:
    method: str
    reference_period: float
    replacement_rule: str
    include_module_d: bool
    total_eur: float
    by_line: list[LineResult]
    by_element: dict[str, float]
    by_module: dict[str, float]
    by_indicator: dict[str, float]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "reference_period": self.reference_period,
            "replacement_rule": self.replacement_rule,
            "include_module_d": self.include_module_d,
            "total_eur": self.total_eur,
            "by_line": [vars(line) for line in self.by_line],
            "by_element": self.by_element,
            "by_module": self.by_module,
            "by_indicator": self.by_indicator,
        }


def placements(
    service_life: NDArray[np.float64], reference_period: float, rule: ReplacementRule
) -> NDArray[np.float64]:
    """How many times each product is placed in the reference period."""
    life = np.asarray(service_life, dtype=np.float64)
    whole = np.isnan(life) | (life >= reference_period)
    safe = np.where(whole, 1.0, life)
    repeats = reference_period / safe
    if rule == "ceil":
        repeats = np.ceil(repeats)
    return np.where(whole, 1.0, repeats)


def uplifts(library: ProfileLibrary) -> NDArray[np.float64]:
    return np.where(np.asarray(library.data_categories) == "3", CATEGORY_3_UPLIFT, 1.0)


@dataclass(frozen=True, eq=False)
class WeightedLibrary:
    """A library weighted once: euros per functional unit per module and per
    indicator, for the modules in scope."""

    per_module: NDArray[np.float64]  # (P, M)
    per_indicator: NDArray[np.float64]  # (P, I)
    uplift: NDArray[np.float64]  # (P,)
    needs: NDArray[np.bool_]  # (P, I): uses an indicator in scope with a non-zero value


def weigh(
    library: ProfileLibrary, weighting: WeightingSet, options: Options
) -> WeightedLibrary:
    if library.indicators != weighting.indicators:
        raise ValueError("the library was read against another weighting set")
    scope = library.present.copy()
    if not options.include_module_d:
        scope[:, _D] = False
    values = library.values * scope[:, :, None]
    factors = weighting.effective_factors()
    needs = (values != 0).any(axis=1) & np.isnan(factors)[None, :]
    w = np.nan_to_num(factors, nan=0.0)
    return WeightedLibrary(
        per_module=values @ w,
        per_indicator=values.sum(axis=1) * w,
        uplift=uplifts(library),
        needs=needs,
    )


def _check_factors(
    weighted: WeightedLibrary, profiles: NDArray[np.intp], weighting: WeightingSet
) -> None:
    used = np.zeros(len(weighted.uplift), dtype=np.bool_)
    used[profiles] = True
    missing = weighted.needs[used].any(axis=0)
    if missing.any():
        raise MissingFactorError(
            [weighting.indicators[i] for i in np.flatnonzero(missing)], weighting.code
        )


def line_factors(
    weighted: WeightedLibrary,
    profile: NDArray[np.intp],
    quantity: NDArray[np.float64],
    service_life: NDArray[np.float64],
    options: Options,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per line: placements n_l, and n_l * q_l * u_p."""
    n = placements(service_life, options.reference_period, options.replacement_rule)
    return n, n * quantity * weighted.uplift[profile]


def calculate(
    library: ProfileLibrary,
    bill: Bill,
    weighting: WeightingSet,
    options: Options | None = None,
) -> Result:
    """The MKI of one bill, with breakdowns by line, element, module and indicator that
    each add up to the total."""
    options = options or Options()
    weighted = weigh(library, weighting, options)
    _check_factors(weighted, bill.profile, weighting)
    n, factor = line_factors(
        weighted, bill.profile, bill.quantity, bill.service_life, options
    )
    per_line = factor * weighted.per_module[bill.profile].sum(axis=1)
    by_module = (
        factor @ weighted.per_module[bill.profile]
        if len(bill)
        else np.zeros(len(MODULES))
    )
    by_indicator = (
        factor @ weighted.per_indicator[bill.profile]
        if len(bill)
        else np.zeros(len(weighting.indicators))
    )
    elements, inverse = np.unique(
        np.asarray(bill.elements, dtype=object), return_inverse=True
    )
    by_element = np.bincount(inverse, weights=per_line, minlength=len(elements))
    # Modules that no profile of the bill uses are left out of the breakdown.
    used_modules: NDArray[np.bool_] = np.zeros(len(MODULES), dtype=np.bool_)
    if len(bill):
        used_modules = np.asarray(
            library.present[np.unique(bill.profile)].any(axis=0), dtype=np.bool_
        )
    if not options.include_module_d:
        used_modules[_D] = False
    return Result(
        method=weighting.code,
        reference_period=options.reference_period,
        replacement_rule=options.replacement_rule,
        include_module_d=options.include_module_d,
        total_eur=float(per_line.sum()),
        by_line=[
            LineResult(
                line_id=bill.line_ids[k],
                element=bill.elements[k],
                profile_id=library.ids[bill.profile[k]],
                quantity=float(bill.quantity[k]),
                placements=float(n[k]),
                uplift=float(weighted.uplift[bill.profile[k]]),
                mki_eur=float(per_line[k]),
            )
            for k in range(len(bill))
        ],
        by_element={
            str(e): float(v) for e, v in zip(elements, by_element, strict=True)
        },
        by_module={
            m: float(by_module[k])
            for k, m in enumerate(MODULES)
            if len(bill) and used_modules[k]
        },
        by_indicator={
            i: float(v) for i, v in zip(weighting.indicators, by_indicator, strict=True)
        },
    )


def _checked_lines(
    library: ProfileLibrary,
    project: NDArray[np.intp],
    profile: NDArray[np.intp],
    quantity: NDArray[np.float64],
    service_life: NDArray[np.float64],
    n_projects: int | None,
) -> tuple[
    NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]
]:
    """The array form of the bill rules of mki-method.md, for callers that do not go
    through the file readers."""
    project = np.asarray(project, dtype=np.intp)
    profile = np.asarray(profile, dtype=np.intp)
    quantity = np.asarray(quantity, dtype=np.float64)
    service_life = np.asarray(service_life, dtype=np.float64)
    if not (len(project) == len(profile) == len(quantity) == len(service_life)):
        raise ValueError("project, profile, quantity and service_life differ in length")
    if len(profile) and (profile.min() < 0 or profile.max() >= len(library.ids)):
        raise ValueError("a line names a profile that is not in the library")
    if len(project) and project.min() < 0:
        raise ValueError("project indices start at 0")
    if n_projects is not None and len(project) and project.max() >= n_projects:
        raise ValueError("a line names a project index at or above n_projects")
    if not np.all(np.isfinite(quantity) & (quantity >= 0)):
        raise ValueError("quantities must be finite and 0 or more")
    if np.any(service_life <= 0) or np.any(np.isinf(service_life)):
        raise ValueError("service lives must be more than 0 years (NaN: whole period)")
    return project, profile, quantity, service_life


def calculate_portfolio(
    library: ProfileLibrary,
    weighting: WeightingSet,
    project: NDArray[np.intp],
    profile: NDArray[np.intp],
    quantity: NDArray[np.float64],
    service_life: NDArray[np.float64],
    options: Options | None = None,
    n_projects: int | None = None,
) -> NDArray[np.float64]:
    """Total MKI per project for many projects at once; the lines of all projects are
    given as flat arrays with the project index of each line."""
    options = options or Options()
    project, profile, quantity, service_life = _checked_lines(
        library, project, profile, quantity, service_life, n_projects
    )
    weighted = weigh(library, weighting, options)
    _check_factors(weighted, profile, weighting)
    _, factor = line_factors(weighted, profile, quantity, service_life, options)
    per_profile_total = weighted.per_module.sum(axis=1)
    per_line = factor * per_profile_total[profile]
    count = (
        n_projects
        if n_projects is not None
        else (int(project.max()) + 1 if len(project) else 0)
    )
    totals = np.bincount(project, weights=per_line, minlength=count)
    return np.asarray(totals, dtype=np.float64)
