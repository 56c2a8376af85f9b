# SPDX-License-Identifier: EUPL-1.2
"""Reads of MKI records for the API, the admin, pages and other apps. Lists leave out
what the reader may not see; the calculations here (comparison, the A1/A2 overview,
tender ranking, the regional monitor) compute with the engine and store nothing."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

import numpy as np

from cirkelregio.accounts.selectors import edited_organisation_id, is_coordinator
from cirkelregio.engine.mki import (
    BUILTIN_SETS,
    Bill,
    Comparison,
    MissingFactorError,
    Options,
    Result,
    WeightingSet,
    calculate,
    compare,
    penalty,
    rank_bids,
)
from cirkelregio.engine.mki import (
    Bid as EngineBid,
)
from cirkelregio.engine.mki.inputs import BILL_COLUMNS, PROFILE_COLUMNS
from cirkelregio.mki.adapters import (
    InputsUnavailableError,
    builtin_weighting,
    criterion_of,
    data_digest,
    engine_ids,
    fingerprint,
    load_inputs,
    load_profile,
    missing_factor_message,
    options_for,
    weighting_digest,
)
from cirkelregio.mki.models import (
    Bid,
    BillLine,
    CalculationResult,
    Element,
    Outcome,
    Profile,
    ProfileLibrary,
    ProfileValue,
    Project,
    Tender,
    Variant,
)
from cirkelregio.regions.selectors import municipality_list


def _visible(prefix: str, user: Any) -> Q | None:
    """Published, or owned by the organisation the user edits; None: everything."""
    if is_coordinator(user):
        return None
    visible = Q(**{f"{prefix}is_published": True})
    own = edited_organisation_id(user)
    if own:
        visible |= Q(**{f"{prefix}owner_id": own})
    return visible


def _filter(qs: QuerySet[Any], prefix: str, user: Any) -> QuerySet[Any]:
    visible = _visible(prefix, user)
    return qs if visible is None else qs.filter(visible)


# Lists ---------------------------------------------------------------------------


def library_list(*, user: Any = None) -> QuerySet[ProfileLibrary]:
    return _filter(ProfileLibrary.objects.select_related("owner"), "", user)


def profile_list(*, user: Any = None) -> QuerySet[Profile]:
    return _filter(
        Profile.objects.select_related("library").order_by("library_id", "profile_id"),
        "library__",
        user,
    )


def project_list(*, user: Any = None) -> QuerySet[Project]:
    return _filter(Project.objects.select_related("owner", "municipality"), "", user)


def variant_list(*, user: Any = None) -> QuerySet[Variant]:
    return _filter(Variant.objects.select_related("project"), "project__", user)


def element_list(*, user: Any = None) -> QuerySet[Element]:
    return _filter(
        Element.objects.select_related("variant", "variant__project"),
        "variant__project__",
        user,
    )


def bill_line_list(*, user: Any = None) -> QuerySet[BillLine]:
    return _filter(
        BillLine.objects.select_related(
            "element", "element__variant__project", "profile", "profile__library"
        ),
        "element__variant__project__",
        user,
    )


def result_list(*, user: Any = None) -> QuerySet[CalculationResult]:
    return _filter(
        CalculationResult.objects.select_related("variant", "variant__project"),
        "variant__project__",
        user,
    )


def tender_list(*, user: Any = None) -> QuerySet[Tender]:
    return _filter(Tender.objects.select_related("project"), "project__", user)


def bid_list(*, user: Any = None) -> QuerySet[Bid]:
    return _filter(
        Bid.objects.select_related("tender", "tender__project", "bidder_organisation"),
        "tender__project__",
        user,
    )


def profile_values(*, profile: Profile) -> list[tuple[str, str, float]]:
    return list(
        profile.values.order_by("module", "indicator").values_list(
            "module", "indicator", "value"
        )
    )


# The MKI of one profile -----------------------------------------------------------


@dataclass(frozen=True)
class ProfileMki:
    """The MKI of ``quantity`` functional units of one profile, placed once, as the
    engine calculates it for a bill of that one line; or, with ``total_eur`` None,
    why it cannot be calculated (``error``)."""

    profile: int
    quantity: float
    method: str
    include_module_d: bool
    weighting_sha256: str
    total_eur: float | None
    error: str = ""
    missing_indicators: tuple[str, ...] = ()


def profile_mki(
    *,
    profile: int,
    quantity: float = 1.0,
    method: str = "nmd-a2",
    include_module_d: bool = True,
) -> ProfileMki:
    """The MKI in euro of ``quantity`` functional units of the profile (pk) with a
    built-in weighting set, calculated now with the engine's ``calculate`` (uplift
    for data category 3 included; no replacements). Nothing is guessed: an
    indicator without a verified factor, or one the set does not define, gives the
    reason instead of a number."""
    if method not in BUILTIN_SETS:
        raise ValueError(f"unknown weighting set {method}")
    weighting = builtin_weighting(method)
    base = {
        "profile": profile,
        "quantity": quantity,
        "method": method,
        "include_module_d": include_module_d,
        "weighting_sha256": weighting_digest(weighting),
    }
    try:
        library = load_profile(profile, weighting)
        bill = Bill(
            line_ids=("1",),
            elements=("",),
            profile=np.zeros(1, dtype=np.intp),
            quantity=np.asarray([quantity], dtype=np.float64),
            service_life=np.asarray([np.nan], dtype=np.float64),
        )
        result = calculate(
            library, bill, weighting, Options(include_module_d=include_module_d)
        )
    except MissingFactorError as exc:
        return ProfileMki(
            **base,
            total_eur=None,
            error=_(
                "Weighting set %(method)s has no verified factor for %(indicators)s, "
                "which this profile uses."
            )
            % {"method": method, "indicators": ", ".join(exc.indicators)},
            missing_indicators=tuple(exc.indicators),
        )
    except InputsUnavailableError as exc:
        return ProfileMki(**base, total_eur=None, error=str(exc))
    return ProfileMki(**base, total_eur=result.total_eur)


# Staleness -----------------------------------------------------------------------


def current_fingerprint(result: CalculationResult, digest: str | None = None) -> str:
    """The fingerprint the result would have if calculated now with the same
    weighting set (for a built-in set: its current content)."""
    if not result.options.get("custom_weights") and result.method in BUILTIN_SETS:
        w_digest = weighting_digest(builtin_weighting(result.method))
    else:
        w_digest = str(result.options.get("weighting_sha256", ""))
    return fingerprint(digest or data_digest(result.variant), w_digest)


def result_is_stale(result: CalculationResult) -> bool:
    """True when the bill, a library it uses or the project's options changed since
    the result was calculated."""
    return current_fingerprint(result) != result.inputs_fingerprint


def stale_results(results: list[CalculationResult]) -> set[int]:
    """The pks of the stale results among these (one digest per variant)."""
    digests: dict[int, str] = {}
    stale = set()
    for result in results:
        if result.variant_id not in digests:
            digests[result.variant_id] = data_digest(result.variant)
        if current_fingerprint(result, digests[result.variant_id]) != (
            result.inputs_fingerprint
        ):
            stale.add(result.pk)
    return stale


# Comparison and the A1/A2 overview ----------------------------------------------


class UnavailableError(Exception):
    """A calculation that cannot be made; the message says why."""


def _variants(project: Project) -> list[Variant]:
    return list(project.variants.order_by("-is_reference", "id"))


def _calculate_all(
    variants: list[Variant],
    project: Project,
    weighting: WeightingSet,
    include_module_d: bool,
    method: str,
) -> dict[str, Result]:
    try:
        inputs = load_inputs(variants, weighting)
        options = options_for(project, include_module_d)
        return {
            v.name: calculate(inputs.library, inputs.bills[v.pk], weighting, options)
            for v in variants
        }
    except MissingFactorError as exc:
        raise UnavailableError(
            missing_factor_message(method, list(exc.indicators))
        ) from exc
    except InputsUnavailableError as exc:
        raise UnavailableError(str(exc)) from exc


def variant_comparison(
    *,
    project: Project,
    method: str = "nmd-a2",
    include_module_d: bool = True,
    weights: WeightingSet | None = None,
) -> Comparison:
    """The project's variants side by side (the reference variant first), calculated
    now with the engine. Raises UnavailableError with the reason."""
    variants = _variants(project)
    if not variants:
        raise UnavailableError(_("The project has no variants."))
    weighting = weights or builtin_weighting(method)
    code = weighting.code if weights is not None else method
    return compare(_calculate_all(variants, project, weighting, include_module_d, code))


@dataclass(frozen=True)
class OverviewCell:
    variant: str
    variant_id: int
    method: str
    include_module_d: bool
    available: bool
    total_eur: float | None
    reason: str


def project_overview(*, project: Project) -> list[OverviewCell]:
    """Every variant with nmd-a1 and nmd-a2, with and without module D: the total
    where it can be calculated, otherwise the reason it cannot."""
    variants = _variants(project)
    cells: list[OverviewCell] = []
    for method in BUILTIN_SETS:
        for include_d in (True, False):
            try:
                totals = {
                    name: r.total_eur
                    for name, r in _calculate_all(
                        variants, project, builtin_weighting(method), include_d, method
                    ).items()
                }
                reason = ""
            except UnavailableError as exc:
                totals, reason = {}, str(exc)
            cells += [
                OverviewCell(
                    variant=v.name,
                    variant_id=v.pk,
                    method=method,
                    include_module_d=include_d,
                    available=v.name in totals,
                    total_eur=totals.get(v.name),
                    reason=reason,
                )
                for v in variants
            ]
    return cells


# Tenders -------------------------------------------------------------------------


@dataclass(frozen=True)
class RankingRow:
    rank: int
    bid_id: int
    bidder: str
    price: float
    promised_mki: float
    advantage: float
    fictitious_price: float
    as_built_mki: float | None
    penalty_eur: float | None
    """What the bidder pays after delivery (None while the as-built MKI is unknown)."""


def tender_ranking(*, tender: Tender) -> list[RankingRow]:
    """The bids by fictitious price (engine ``rank_bids``), with the settlement
    (engine ``penalty``) of each bid whose as-built MKI is known."""
    criterion = criterion_of(tender)
    bids = list(tender.bids.select_related("bidder_organisation").order_by("id"))
    # The engine ranks by bidder name; give each bid a unique key.
    keys = {f"{b.pk}": b for b in bids}
    ranked = rank_bids(
        criterion,
        [
            EngineBid(bidder=k, price=float(b.price), mki=b.promised_mki)
            for k, b in keys.items()
        ],
    )
    rows = []
    for r in ranked:
        bid = keys[r.bidder]
        rows.append(
            RankingRow(
                rank=r.rank,
                bid_id=bid.pk,
                bidder=bid.bidder,
                price=r.price,
                promised_mki=r.mki,
                advantage=r.advantage,
                fictitious_price=r.fictitious_price,
                as_built_mki=bid.as_built_mki,
                penalty_eur=None
                if bid.as_built_mki is None
                else penalty(criterion, bid.promised_mki, bid.as_built_mki),
            )
        )
    return rows


def bid_penalty(*, bid: Bid) -> float | None:
    if bid.as_built_mki is None:
        return None
    return penalty(criterion_of(bid.tender), bid.promised_mki, bid.as_built_mki)


# Regional monitor ----------------------------------------------------------------


@dataclass
class MonitorYear:
    year: int
    projects: int
    total_eur: float
    change_eur: float
    """Total minus the zero measurement's total."""
    change_percent: float | None


@dataclass
class MonitorMunicipality:
    cbs_code: str
    name: str
    zero_measurement_year: int
    zero_measurement_eur: float
    trend_eur_per_year: float | None
    """Least-squares slope of the yearly totals; None with fewer than two years."""
    years: list[MonitorYear] = field(default_factory=list)


def monitor_results(
    *, method: str = "nmd-a2", include_module_d: bool = True
) -> list[tuple[int, int, int, float]]:
    """(project pk, municipality pk, year, total) for every published project with a
    municipality: the latest successful result of its reference variant."""
    rows = (
        CalculationResult.objects.filter(
            outcome=Outcome.SUCCEEDED,
            method=method,
            include_module_d=include_module_d,
            variant__is_reference=True,
            variant__project__is_published=True,
            variant__project__municipality__isnull=False,
        )
        .order_by("variant__project_id", "-calculated_at", "-id")
        .values_list(
            "variant__project_id",
            "variant__project__municipality_id",
            "variant__project__year",
            "total_eur",
        )
    )
    latest: dict[int, tuple[int, int, int, float]] = {}
    for project_id, municipality_id, year, total in rows:
        latest.setdefault(project_id, (project_id, municipality_id, year, total))
    return list(latest.values())


def mki_monitor(
    *,
    method: str = "nmd-a2",
    include_module_d: bool = True,
    municipality: Any = None,
    year: int | None = None,
) -> list[MonitorMunicipality]:
    """MKI per municipality and year from the published projects registered there:
    the zero measurement (nulmeting: the first year with data), the yearly totals
    with their change against it, and the trend (euro per year). ``municipality``
    and ``year`` narrow what is shown; the zero measurement and the trend always use
    every year."""
    per: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for _project, m_id, project_year, total in monitor_results(
        method=method, include_module_d=include_module_d
    ):
        per[m_id][project_year].append(total)
    municipalities = {m.pk: m for m in municipality_list().filter(pk__in=list(per))}
    out = []
    for m_id, years in per.items():
        m = municipalities.get(m_id)
        if m is None or (municipality is not None and m.pk != municipality.pk):
            continue
        ordered = sorted(years)
        totals = [float(sum(years[y])) for y in ordered]
        zero_year, zero = ordered[0], totals[0]
        slope = (
            float(np.polyfit(np.asarray(ordered, float), np.asarray(totals), 1)[0])
            if len(ordered) > 1
            else None
        )
        out.append(
            MonitorMunicipality(
                cbs_code=m.cbs_code,
                name=m.name,
                zero_measurement_year=zero_year,
                zero_measurement_eur=zero,
                trend_eur_per_year=slope,
                years=[
                    MonitorYear(
                        year=y,
                        projects=len(years[y]),
                        total_eur=t,
                        change_eur=t - zero,
                        change_percent=(t - zero) / zero * 100 if zero else None,
                    )
                    for y, t in zip(ordered, totals, strict=True)
                    if year is None or y == year
                ],
            )
        )
    return sorted(out, key=lambda m: m.name)


# Exports -------------------------------------------------------------------------


def _engine_id_map(profile_pks: list[int]) -> dict[int, str]:
    meta = list(
        Profile.objects.filter(pk__in=profile_pks)
        .order_by("pk")
        .values_list("pk", "profile_id", "library_id")
    )
    ids = engine_ids([(m[1], m[2]) for m in meta])
    return {m[0]: pid for m, pid in zip(meta, ids, strict=True)}


def bill_rows(*, variant: Variant) -> list[list[Any]]:
    """The variant's bill as rows of ``line_id,element,profile_id,quantity,
    service_life_years``, in the order the calculation uses."""
    lines = list(
        BillLine.objects.filter(element__variant=variant)
        .order_by("element__order", "element_id", "id")
        .values_list(
            "line_id", "element__name", "profile_id", "quantity", "service_life_years"
        )
    )
    ids = _engine_id_map(sorted({r[2] for r in lines}))
    return [[r[0], r[1], ids[r[2]], r[3], r[4]] for r in lines]


def _number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def bill_csv(*, variant: Variant) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(BILL_COLUMNS)
    for line_id, element, pid, quantity, life in bill_rows(variant=variant):
        writer.writerow([line_id, element, pid, _number(quantity), _number(life)])
    return buffer.getvalue()


def bill_xlsx(*, variant: Variant) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Bill"
    sheet.append(list(BILL_COLUMNS))
    for row in bill_rows(variant=variant):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def profiles_csv(*, variants: list[Variant]) -> str:
    """The profiles these variants' bills use, in the profile CSV format, with the
    profile codes of the bill export: ``cirkelregio mki calculate --profiles``
    reads it."""
    pks = sorted(
        set(
            BillLine.objects.filter(element__variant__in=variants).values_list(
                "profile_id", flat=True
            )
        )
    )
    ids = _engine_id_map(pks)
    meta = {p.pk: p for p in Profile.objects.filter(pk__in=pks).order_by("pk")}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(PROFILE_COLUMNS)
    values = (
        ProfileValue.objects.filter(profile_id__in=pks)
        .order_by("profile_id", "id")
        .values_list("profile_id", "module", "indicator", "value")
    )
    for pk, module, indicator, value in values:
        p = meta[pk]
        writer.writerow(
            [ids[pk], p.name, p.unit, p.data_category, module, indicator, repr(value)]
        )
    return buffer.getvalue()
