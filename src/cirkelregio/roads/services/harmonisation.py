# SPDX-License-Identifier: EUPL-1.2
"""Mixture harmonisation of the planned works (issue 6, part 4) with the engine's
exact HiGHS MILP (``cirkelregio.engine.roads.harmonise``, ADR 0007), stored as a
``HarmonisationRun``.

Requirements: the new asphalt layers of the works that are not done, whose window
starts in the horizon (``year_from`` .. ``year_to``), of the chosen authorities
and mixture families; tonnes are area x thickness x density (the layer's design
density, else the catalogue's), the plant is the work's and the period the year
its window starts. Candidates: the standard mixtures with a known MKI per tonne
(laid warm without reclaimed asphalt, ``roads.asphalt_mki.mixture_base_mki``).
Admissibility: a candidate serves its own mixture; ``MixtureSubstitution`` rows
add the others. MKI before and after are the MKI app's calculation of each
mixture's profile for its tonnes before and after.

Input errors are refused with a message naming the work and the layer: a layer
without tonnes, a required mixture that no candidate may serve.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cirkelregio.accounts.models import User
from cirkelregio.engine.roads import harmonise
from cirkelregio.engine.roads.materials import layer_tonnes
from cirkelregio.mki import selectors as mki_selectors
from cirkelregio.roads import rules
from cirkelregio.roads.asphalt_mki import layer_mki_profile, mixture_base_mki
from cirkelregio.roads.models import (
    ASPHALT_FAMILIES,
    AsphaltMixture,
    HarmonisationRun,
    MaintenanceWork,
    MixtureSubstitution,
    WorkStatus,
)
from cirkelregio.roads.selectors import work_list
from cirkelregio.roads.services._common import require

MAX_YEARS = 30
MAX_TIME_LIMIT = 120.0


def _where(work: MaintenanceWork, position: int, mixture: str) -> str:
    return _("Work %(work)s of %(authority)s, layer %(position)s (%(mixture)s)") % {
        "work": work.external_id,
        "authority": work.authority.slug,
        "position": position,
        "mixture": mixture,
    }


def _parameters(
    year_from: Any,
    year_to: Any,
    k: Any,
    authorities: Sequence[str] | None,
    families: Sequence[str] | None,
    time_limit: Any,
) -> dict[str, Any]:
    errors: dict[str, str] = {}

    def whole(name: str, value: Any, minimum: int) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            errors[name] = _("Give a whole number of at least %(minimum)s.") % {
                "minimum": minimum
            }
            return None
        return value

    y0 = whole("year_from", year_from, 1900)
    y1 = whole("year_to", year_to, 1900)
    if year_from is None:
        errors["year_from"] = _("Give the first year of the horizon.")
    if y0 is not None and y1 is not None:
        if y1 < y0:
            errors["year_to"] = _("The horizon cannot end before it starts.")
        elif y1 - y0 >= MAX_YEARS:
            errors["year_to"] = _("The horizon is at most %(years)s years.") % {
                "years": MAX_YEARS
            }
    k_value = whole("k", k, 1)
    family_values = list(families or ASPHALT_FAMILIES)
    unknown = [f for f in family_values if f not in ASPHALT_FAMILIES]
    if unknown:
        errors["families"] = _("Unknown asphalt family: %(families)s.") % {
            "families": ", ".join(map(str, unknown))
        }
    try:
        limit = float(time_limit)
    except (TypeError, ValueError):
        limit = math.nan
    if not (math.isfinite(limit) and 0 < limit <= MAX_TIME_LIMIT):
        errors["time_limit"] = _(
            "The time limit is more than 0 and at most %(s)s s."
        ) % {"s": f"{MAX_TIME_LIMIT:g}"}
    if errors:
        raise ValidationError(errors)
    return {
        "year_from": y0,
        "year_to": y1 if y1 is not None else y0,
        "k": k_value,
        "authorities": sorted(set(authorities or [])),
        "families": sorted({str(f) for f in family_values}),
        "time_limit": limit,
    }


def _mki_of(totals: dict[str, float], base: dict[str, tuple[int, str]]) -> float:
    """The MKI app's calculation of each mixture's profile for its tonnes."""
    parts = []
    for code, tonnes in totals.items():
        profile, method = base[code]
        result = mki_selectors.profile_mki(
            profile=profile, quantity=tonnes, method=method
        )
        if result.total_eur is None:  # pragma: no cover - checked as a candidate
            raise ValidationError(result.error)
        parts.append(result.total_eur)
    return math.fsum(parts)


def harmonisation_parameters(
    *,
    year_from: Any,
    year_to: Any = None,
    k: Any = None,
    authorities: Sequence[str] | None = None,
    families: Sequence[str] | None = None,
    time_limit: Any = 30.0,
) -> dict[str, Any]:
    """The checked parameters of a run (ValidationError naming the field), to
    refuse bad input before a run is queued as a job."""
    return _parameters(year_from, year_to, k, authorities, families, time_limit)


def harmonisation_run(
    *,
    actor: User | None,
    year_from: int,
    year_to: int | None = None,
    k: int | None = None,
    authorities: Sequence[str] | None = None,
    families: Sequence[str] | None = None,
    time_limit: float = 30.0,
    progress: Callable[[float, str], None] | None = None,
    on_created: Callable[[HarmonisationRun], None] | None = None,
) -> HarmonisationRun:
    """Harmonise the mixtures of the works in the horizon (module docstring): at
    most ``k`` mixtures at least MKI plus over-specification cost, or (``k``
    None) the fewest mixtures and among those the least cost. Raises
    ValidationError for bad input, naming the work and layer.

    ``progress(percent, message)`` hears of the phases; the run is stored in one
    transaction with whatever ``on_created`` writes (a job's checkpoint)."""
    report = progress or (lambda percent, message: None)
    require(rules.can_start_harmonisation(actor))
    params = _parameters(year_from, year_to, k, authorities, families, time_limit)
    report(5, _("Reading the planned works"))
    works = (
        work_list(user=actor)
        .exclude(status=WorkStatus.DONE)
        .filter(
            window_start__year__gte=params["year_from"],
            window_start__year__lte=params["year_to"],
        )
        .select_related("section")
    )
    if params["authorities"]:
        works = works.filter(authority__slug__in=params["authorities"])
        known = set(works.values_list("authority__slug", flat=True))
        missing = [a for a in params["authorities"] if a not in known]
        if missing:
            raise ValidationError(
                {
                    "authorities": _(
                        "No works in the horizon for %(authorities)s (or unknown)."
                    )
                    % {"authorities": ", ".join(missing)}
                }
            )

    # Candidates and admissibility.
    candidates: list[harmonise.Mixture] = []
    base: dict[str, tuple[int, str]] = {}
    why_not: dict[str, str] = {}
    for mixture in AsphaltMixture.objects.filter(
        family__in=params["families"]
    ).select_related("mki_profile"):
        if not mixture.is_standard:
            why_not[mixture.code] = _("it is not a standard mixture")
            continue
        mki, _code, reason = mixture_base_mki(mixture)
        if mki is None:
            why_not[mixture.code] = reason
            continue
        choice = layer_mki_profile(mixture, pr_percent=0.0, low_temperature=False)
        assert choice.profile is not None
        candidates.append(harmonise.Mixture(mixture.code, mki))
        base[mixture.code] = (choice.profile, choice.method)
    served: dict[str, list[str]] = {}
    substitutions = []
    for s in MixtureSubstitution.objects.select_related("required", "serving"):
        if s.serving.code in base:
            substitutions.append(
                harmonise.Substitution(
                    s.required.code, s.serving.code, s.over_spec_eur_per_tonne
                )
            )
            served.setdefault(s.required.code, []).append(s.serving.code)

    # Requirements.
    requirements: list[harmonise.Requirement] = []
    details: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for work in works:
        for layer in work.new_layers.all():
            mixture = layer.mixture
            if not mixture.is_asphalt or mixture.family not in params["families"]:
                continue
            where = _where(work, layer.position, mixture.code)
            density = layer.effective_density
            if density is None:
                problems.append(
                    _(
                        "%(where)s: no density is known (neither the layer's nor the "
                        "catalogue's), so its tonnes are unknown."
                    )
                    % {"where": where}
                )
                continue
            if mixture.code not in base and not served.get(mixture.code):
                problems.append(
                    _(
                        "%(where)s: no candidate may serve it: %(mixture)s is no "
                        "candidate (%(reason)s) and no substitution serves it."
                    )
                    % {
                        "where": where,
                        "mixture": mixture.code,
                        "reason": why_not.get(mixture.code, ""),
                    }
                )
                continue
            rid = f"{work.authority.slug}/{work.external_id}/{layer.position}"
            requirements.append(
                harmonise.Requirement(
                    rid,
                    mixture.code,
                    layer_tonnes(work.section.area_m2, layer.thickness_mm, density),
                    plant=work.plant or None,
                    period=str(work.window_start.year),
                )
            )
            details[rid] = {
                "work": work.pk,
                "external_id": work.external_id,
                "authority": work.authority.slug,
                "position": layer.position,
            }
    if problems:
        raise ValidationError({"works": problems})
    if not requirements:
        raise ValidationError(
            {
                "year_from": _(
                    "No planned work in this horizon lays an asphalt layer of the "
                    "chosen families."
                )
            }
        )
    problem = harmonise.HarmonisationProblem(
        tuple(requirements), tuple(candidates), tuple(substitutions)
    )
    report(
        30,
        _("Solving %(n)s layers") % {"n": len(requirements)},
    )
    try:
        result = harmonise.solve(
            problem, k=params["k"], time_limit=params["time_limit"]
        )
    except harmonise.TooFewMixturesError as exc:
        raise ValidationError(
            {
                "k": ngettext(
                    "%(k)s mixture cannot serve every layer: at least %(minimum)s "
                    "are needed.",
                    "%(k)s mixtures cannot serve every layer: at least %(minimum)s "
                    "are needed.",
                    exc.k,
                )
                % {"k": exc.k, "minimum": exc.minimum}
            }
        ) from exc
    except harmonise.HarmonisationInputError as exc:  # pragma: no cover - checked
        raise ValidationError([str(i) for i in exc.issues]) from exc
    except harmonise.SolveError as exc:
        raise ValidationError(str(exc)) from exc

    report(85, _("Calculating the MKI"))
    before_totals = {c: t for c, t in result.spread_before.tonnes.items() if c in base}
    mki_before = _mki_of(before_totals, base)
    mki_after = _mki_of(dict(result.spread_after.tonnes), base)
    note = ""
    if result.tonnes_without_candidate_before > 0:
        note = _(
            "%(tonnes)s t of required mixtures without a known MKI are left out of "
            "the MKI before."
        ) % {"tonnes": f"{result.tonnes_without_candidate_before:.1f}"}
    # Whose works the run names: who may read it follows from these
    # (selectors.harmonisation_run_list).
    params["works_of"] = sorted({d["authority"] for d in details.values()})
    report(95, _("Storing the run"))
    with transaction.atomic():
        run = _store(
            actor, params, result, requirements, details, mki_before, mki_after, note
        )
        if on_created is not None:
            on_created(run)
    return run


def _store(
    actor: User | None,
    params: dict[str, Any],
    result: Any,
    requirements: list[harmonise.Requirement],
    details: dict[str, dict[str, Any]],
    mki_before: float,
    mki_after: float,
    note: str,
) -> HarmonisationRun:
    return HarmonisationRun.objects.create(
        started_by=actor,
        parameters=params,
        status=result.status,
        gap=result.gap,
        k=params["k"],
        minimum_mixtures=result.minimum_mixtures,
        chosen=list(result.chosen),
        requirements=len(requirements),
        tonnes=math.fsum(r.tonnes for r in requirements),
        assignments=[
            {
                **details[a.requirement],
                "required": r.mixture,
                "serving": a.mixture,
                "tonnes": a.tonnes,
                "over_spec_eur": a.over_spec_eur,
                "plant": r.plant,
                "period": r.period,
            }
            for a, r in zip(result.assignments, requirements, strict=True)
        ],
        spread_before=result.spread_before.to_dict(),
        spread_after=result.spread_after.to_dict(),
        mki_before_eur=mki_before,
        mki_after_eur=mki_after,
        over_spec_eur=result.over_spec_eur,
        mki_note=note,
        seconds=result.seconds,
    )
