# SPDX-License-Identifier: EUPL-1.2
"""From the database to the engine's types, read only.

The bills of one or more variants become engine ``Bill`` objects and the profiles they
use one engine ``ProfileLibrary`` (dense arrays), with two queries for the bill lines
and profiles and one for all profile values. The services and selectors then call the
engine (``calculate``, ``compare``) on them.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

import numpy as np

from cirkelregio.engine.dataio import Collector
from cirkelregio.engine.mki import (
    BUILTIN_SETS,
    MODULES,
    Bill,
    Criterion,
    Options,
    ProfileLibrary,
    WeightingSet,
    load_weighting_set,
)
from cirkelregio.mki.models import (
    BillLine,
    Profile,
    ProfileValue,
    Project,
    Tender,
    Variant,
)

_MODULE_INDEX = {m: i for i, m in enumerate(MODULES)}


class InputsUnavailableError(Exception):
    """The variant's data cannot be calculated with this weighting set; the message
    says why (shown to the user)."""


@lru_cache(maxsize=len(BUILTIN_SETS))
def builtin_weighting(method: str) -> WeightingSet:
    """A built-in weighting set, read once per process."""
    c = Collector()
    weighting = load_weighting_set(method, c)
    c.raise_if_any()
    assert weighting is not None
    return weighting


def weighting_digest(weighting: WeightingSet) -> str:
    """SHA-256 of what a weighting set contributes to a result."""
    data = {
        "code": weighting.code,
        "indicators": list(weighting.indicators),
        "factors": [
            None if math.isnan(f) else repr(float(f)) for f in weighting.factors
        ],
        "weighted": [bool(w) for w in weighting.weighted],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def options_for(project: Project, include_module_d: bool) -> Options:
    return Options(
        reference_period=float(project.reference_period),
        replacement_rule=project.replacement_rule,  # type: ignore[arg-type]
        include_module_d=include_module_d,
    )


def engine_ids(profiles: Sequence[tuple[str, int]]) -> list[str]:
    """The id of each profile (code, library pk) in engine inputs and exported files:
    its code, or ``code@library`` when profiles of two libraries share the code."""
    counts = Counter(code for code, _library in profiles)
    return [
        code if counts[code] == 1 else f"{code}@{library}" for code, library in profiles
    ]


@dataclass(frozen=True)
class EngineInputs:
    library: ProfileLibrary
    bills: dict[int, Bill]
    """Per variant pk."""
    profile_pks: tuple[int, ...]
    """The database pk of each profile of ``library``, in its order."""


def _line_rows(variant_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    return list(
        BillLine.objects.filter(element__variant_id__in=variant_ids)
        .order_by("element__variant_id", "element__order", "element_id", "id")
        .values_list(
            "element__variant_id",
            "line_id",
            "element__name",
            "profile_id",
            "quantity",
            "service_life_years",
        )
    )


class _UndefinedIndicatorsError(Exception):
    def __init__(self, profiles: list[str], indicators: list[str]) -> None:
        super().__init__(", ".join(indicators))
        self.profiles = profiles
        self.indicators = indicators


def _engine_library(
    meta: list[tuple[Any, ...]], rows: list[tuple[Any, ...]], weighting: WeightingSet
) -> ProfileLibrary:
    """An engine library of the profiles ``meta`` (pk, code, name, unit, data
    category, library pk; in pk order) with their values ``rows`` (profile pk,
    module, indicator, value), read against the weighting set's indicators. Raises
    _UndefinedIndicatorsError when a value names an indicator the set does not
    define."""
    pks = np.asarray([m[0] for m in meta], dtype=np.int64)
    ids = engine_ids([(m[1], m[5]) for m in meta])
    n_ind = len(weighting.indicators)
    values = np.zeros((len(meta), len(MODULES), n_ind))
    present = np.zeros((len(meta), len(MODULES)), dtype=np.bool_)
    if rows:
        profile_col = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        p_idx = np.searchsorted(pks, profile_col)
        modules, m_inv = np.unique(
            np.asarray([r[1] for r in rows], dtype=object), return_inverse=True
        )
        m_idx = np.asarray([_MODULE_INDEX[m] for m in modules], dtype=np.intp)[m_inv]
        indicators, i_inv = np.unique(
            np.asarray([r[2] for r in rows], dtype=object), return_inverse=True
        )
        position = {ind: k for k, ind in enumerate(weighting.indicators)}
        i_map = np.asarray([position.get(i, -1) for i in indicators], dtype=np.intp)
        i_idx = i_map[i_inv]
        unknown = i_idx < 0
        if unknown.any():
            raise _UndefinedIndicatorsError(
                sorted({ids[p_idx[k]] for k in np.flatnonzero(unknown)}),
                sorted({rows[k][2] for k in np.flatnonzero(unknown)}),
            )
        value_col = np.fromiter((r[3] for r in rows), dtype=np.float64, count=len(rows))
        values[p_idx, m_idx, i_idx] = value_col
        present[p_idx, m_idx] = True
    return ProfileLibrary(
        ids=tuple(ids),
        names=tuple(m[2] for m in meta),
        units=tuple(m[3] for m in meta),
        data_categories=tuple(m[4] for m in meta),
        indicators=weighting.indicators,
        values=values,
        present=present,
    )


def _profile_meta(profile_pks: Any) -> list[tuple[Any, ...]]:
    return list(
        Profile.objects.filter(pk__in=profile_pks)
        .order_by("pk")
        .values_list("pk", "profile_id", "name", "unit", "data_category", "library_id")
    )


def load_inputs(variants: Sequence[Variant], weighting: WeightingSet) -> EngineInputs:
    """The bills of these variants and the profiles they use, read against the
    weighting set's indicators. Raises InputsUnavailableError when a profile has a
    value for an indicator that the set does not define (as the engine's reader
    does)."""
    variant_ids = [v.pk for v in variants]
    lines = _line_rows(variant_ids)
    used = sorted({row[3] for row in lines})
    meta = _profile_meta(used)
    pks = np.asarray([m[0] for m in meta], dtype=np.int64)
    rows = list(
        ProfileValue.objects.filter(
            profile_id__in=BillLine.objects.filter(
                element__variant_id__in=variant_ids
            ).values("profile_id")
        ).values_list("profile_id", "module", "indicator", "value")
    )
    try:
        library = _engine_library(meta, rows, weighting)
    except _UndefinedIndicatorsError as exc:
        profiles = exc.profiles
        shown = ", ".join(profiles[:5]) + (
            _(" and %(n)d more") % {"n": len(profiles) - 5} if len(profiles) > 5 else ""
        )
        raise InputsUnavailableError(
            _(
                "Weighting set %(method)s does not define %(indicators)s, which "
                "profiles of this bill use (%(profiles)s). Calculate with the "
                "weighting set the profiles were made for."
            )
            % {
                "method": weighting.code,
                "indicators": ", ".join(exc.indicators),
                "profiles": shown,
            }
        ) from exc
    index = {int(pk): k for k, pk in enumerate(pks)}
    grouped: dict[int, list[tuple[Any, ...]]] = {v: [] for v in variant_ids}
    for row in lines:
        grouped[row[0]].append(row)
    bills = {
        variant_id: Bill(
            line_ids=tuple(r[1] for r in group),
            elements=tuple(r[2] for r in group),
            profile=np.asarray([index[r[3]] for r in group], dtype=np.intp),
            quantity=np.asarray([r[4] for r in group], dtype=np.float64),
            service_life=np.asarray(
                [math.nan if r[5] is None else r[5] for r in group], dtype=np.float64
            ),
        )
        for variant_id, group in grouped.items()
    }
    return EngineInputs(
        library=library, bills=bills, profile_pks=tuple(int(p) for p in pks)
    )


def load_profile(profile_pk: int, weighting: WeightingSet) -> ProfileLibrary:
    """One profile as an engine library, read against the weighting set's
    indicators. Raises InputsUnavailableError when the profile is gone or has a
    value for an indicator that the set does not define."""
    meta = _profile_meta([profile_pk])
    if not meta:
        raise InputsUnavailableError(_("The profile no longer exists."))
    rows = list(
        ProfileValue.objects.filter(profile_id=profile_pk).values_list(
            "profile_id", "module", "indicator", "value"
        )
    )
    try:
        return _engine_library(meta, rows, weighting)
    except _UndefinedIndicatorsError as exc:
        raise InputsUnavailableError(
            _(
                "Weighting set %(method)s does not define %(indicators)s, which this "
                "profile uses. Choose the weighting set the profile was made for."
            )
            % {"method": weighting.code, "indicators": ", ".join(exc.indicators)}
        ) from exc


def data_digest(variant: Variant) -> str:
    """SHA-256 of the variant's inputs: its project's options, its bill and the
    revision of every library whose profiles it uses."""
    project = variant.project
    lines = list(
        BillLine.objects.filter(element__variant=variant)
        .order_by("element__order", "element_id", "id")
        .values_list(
            "line_id",
            "element__name",
            "profile_id",
            "quantity",
            "service_life_years",
            "profile__library_id",
            "profile__library__revision",
        )
    )
    data = {
        "reference_period": repr(float(project.reference_period)),
        "replacement_rule": project.replacement_rule,
        "lines": [[r[0], r[1], r[2], repr(r[3]), repr(r[4])] for r in lines],
        "libraries": sorted({(r[5], r[6]) for r in lines}),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def fingerprint(data: str, weighting: str) -> str:
    return hashlib.sha256(f"{data}:{weighting}".encode()).hexdigest()


def missing_factor_message(method: str, indicators: list[str]) -> str:
    return _(
        "Weighting set %(method)s has no verified factor for %(indicators)s, which "
        "the profiles of this bill use. No MKI was calculated: calculate with a "
        "weighting set that gives a factor for %(indicators)s."
    ) % {"method": method, "indicators": ", ".join(indicators)}


def criterion_of(tender: Tender) -> Criterion:
    return Criterion(
        kind=tender.kind,  # type: ignore[arg-type]
        upper_bound=tender.upper_bound,
        lower_bound=tender.lower_bound,
        max_discount=tender.max_discount,
        k=tender.k,
        penalty_factor=tender.penalty_factor,
    )
