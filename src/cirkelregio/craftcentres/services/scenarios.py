# SPDX-License-Identifier: EUPL-1.2
"""Network scenarios: create one, solve it p by p, publish or remove it.

``scenario_create`` checks the parameters and records what the networks will be
planned on: the demand points (the PC4 areas with inhabitants, from the regions
app), the chosen sites, and the kg of bulky waste per inhabitant of every
municipality for the scenario's year (its own figure, else the province-wide
default, else the CBS 2021 figure of the engine), with their sources. Nothing is
solved yet.

``scenario_step`` solves the next p that has no stored network (the engine's
``plan`` for that one p, exact with HiGHS) and stores its result; the run page calls
it once per p, so it can show how far the run is, and every request stays short
(one p of the province takes a second or two). ``scenario_run`` solves every p
that is left, in one call (the API, the demo and the commands).

**Checks** (one message per field): a name; the model ``p-median`` or
``coverage``; the values of p whole numbers from 1 to ``MAX_P``, at most
``MAX_P_VALUES`` of them, not above the number of sites and not below the number of
existing centres; a coverage distance above 0 and at most 200 km; a detour factor
from 1 to 3; a reusable share from 0 to 100 %, with its source (or the word that it
is an assumption); a year from 2000 to 2100.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.core.services import require
from cirkelregio.craftcentres import rules, selectors
from cirkelregio.craftcentres.models import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_P,
    CentreSite,
    NetworkModel,
    NetworkScenario,
    ScenarioResult,
    SiteKind,
)
from cirkelregio.engine.craftcentres import (
    DemandPoint,
    NetworkInputError,
    Parameters,
    Site,
    SolveError,
    plan,
)
from cirkelregio.engine.craftcentres.network import check
from cirkelregio.regions.models import Municipality

MAX_P_VALUES = 10
MAX_COVERAGE_KM = 200.0
MAX_DETOUR = 3.0
TIME_LIMIT_PER_P = 60.0
"""Seconds HiGHS may take for one p (the province solves in about a second)."""

ENGINE_FIELDS = {
    "p": "p_values",
    "parameters.coverage_km": "coverage_km",
    "parameters.detour_factor": "detour_factor",
    "parameters.reusable_fraction": "reusable_percent",
    "parameters.reusable_fraction_source": "reusable_source",
}


def _number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def parse_p_values(raw: Any) -> list[int]:
    """``"1-10"``, ``"1,3,5"``, ``3`` or ``[1, 2]`` as a sorted list without
    repeats; raises ValidationError on p_values."""
    message = _(
        "Give p as a whole number, a range such as 1-10 or a list such as 1,3,5."
    )
    values: list[Any]
    if isinstance(raw, str):
        values = []
        for part in raw.replace(" ", "").split(","):
            if not part:
                continue
            low, dash, high = part.partition("-")
            try:
                if dash:
                    values.extend(range(int(low), int(high) + 1))
                else:
                    values.append(int(low))
            except ValueError:
                raise ValidationError({"p_values": message}) from None
            if len(values) > MAX_P:
                break
    elif isinstance(raw, int) and not isinstance(raw, bool):
        values = [raw]
    elif isinstance(raw, (list, tuple)):
        values = list(raw)
    else:
        raise ValidationError({"p_values": message})
    if not values or any(isinstance(v, bool) or not isinstance(v, int) for v in values):
        raise ValidationError({"p_values": message})
    ps = sorted(set(values))
    if ps[0] < 1 or ps[-1] > MAX_P:
        raise ValidationError(
            {
                "p_values": _("Each p must be from 1 to %(max)s.") % {"max": MAX_P},
            }
        )
    if len(ps) > MAX_P_VALUES:
        raise ValidationError(
            {
                "p_values": _("Give at most %(n)s values of p.") % {"n": MAX_P_VALUES},
            }
        )
    return ps


def _check(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = _("Give the scenario a name.")
    elif len(name) > 200:
        errors["name"] = _("At most %(n)s characters.") % {"n": 200}
    elif NetworkScenario.objects.filter(name=name).exists():
        errors["name"] = _("A scenario with this name exists already.")
    if values.get("model") not in NetworkModel.values:
        errors["model"] = _("Choose one of: %(codes)s.") % {
            "codes": ", ".join(NetworkModel.values)
        }
    try:
        ps = parse_p_values(values.get("p_values"))
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        ps = []
    coverage = values.get("coverage_km", 10.0)
    if not _number(coverage) or not 0 < coverage <= MAX_COVERAGE_KM:
        errors["coverage_km"] = _(
            "The coverage distance must be more than 0 and at most %(max)s km."
        ) % {"max": f"{MAX_COVERAGE_KM:g}"}
    detour = values.get("detour_factor", 1.3)
    if not _number(detour) or not 1 <= detour <= MAX_DETOUR:
        errors["detour_factor"] = _("The detour factor must be from 1 to %(max)s.") % {
            "max": f"{MAX_DETOUR:g}"
        }
    percent = values.get("reusable_percent")
    source = (values.get("reusable_source") or "").strip()
    if percent is not None:
        if not _number(percent):
            errors["reusable_percent"] = _("Enter the reusable share as a number.")
        elif not 0 <= percent <= 100:
            errors["reusable_percent"] = _(
                "The reusable share must be between 0 and 100 %% (got %(value)s)."
            ) % {"value": f"{percent:g}"}
        if not source:
            errors["reusable_source"] = _(
                "Give the source of the reusable share, or say that it is an "
                "assumption (no sourced figure exists)."
            )
    year = values.get("year", 2021)
    if isinstance(year, bool) or not isinstance(year, int):
        errors["year"] = _("Enter the year as a whole number.")
    elif not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = _("Enter a year from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "description": (values.get("description") or "").strip(),
        "model": values["model"],
        "p_values": ps,
        "coverage_km": float(coverage),
        "detour_factor": float(detour),
        "reusable_percent": None if percent is None else float(percent),
        "reusable_source": source,
        "year": year,
        "is_published": bool(values.get("is_published", False)),
    }


def engine_input(
    scenario: NetworkScenario,
) -> tuple[list[DemandPoint], list[Site], Parameters]:
    """The demand points, sites and parameters recorded with the scenario, as the
    engine takes them."""
    data = scenario.parameters
    points = [DemandPoint(**p) for p in data["points"]]
    sites = [Site(**s) for s in data["sites"]]
    fraction = data["reusable_fraction"]
    params = Parameters(
        detour_factor=data["detour_factor"],
        coverage_km=data["coverage_km"],
        kg_per_inhabitant=dict(data["kg_per_inhabitant"]),
        kg_source=data["kg_source"],
        reusable_fraction=fraction,
        reusable_fraction_source=data["reusable_fraction_source"],
        municipalities=dict(data["municipalities"]),
    )
    return points, sites, params


def _record(values: dict[str, Any], sites: Sequence[CentreSite]) -> dict[str, Any]:
    rates = selectors.bulky_waste_rates(year=values["year"])
    points = selectors.demand_points()
    sources = sorted({f"{r.source} ({r.year})" for r in rates.values()})
    percent = values["reusable_percent"]
    return {
        "detour_factor": values["detour_factor"],
        "coverage_km": values["coverage_km"],
        "kg_per_inhabitant": {code: r.kg_per_inhabitant for code, r in rates.items()},
        "kg_sources": {code: r.source for code, r in rates.items()},
        "kg_source": "; ".join(sources),
        "reusable_fraction": None if percent is None else percent / 100.0,
        "reusable_fraction_source": values["reusable_source"] or None,
        "municipalities": {
            code: name
            for code, name in Municipality.objects.values_list("cbs_code", "name")
        },
        "points": [
            {
                "id": p.id,
                "lat": p.lat,
                "lon": p.lon,
                "population": p.population,
                "municipality": p.municipality,
            }
            for p in points
        ],
        "sites": [
            {
                "id": str(s.pk),
                "name": s.name,
                "lat": s.lat,
                "lon": s.lon,
                "existing": s.kind == SiteKind.EXISTING,
                "municipality": s.municipality.cbs_code,
            }
            for s in sites
        ],
    }


def scenario_create(
    *,
    actor: User | None,
    sites: Sequence[CentreSite] | None = None,
    is_demo: bool = False,
    **fields: Any,
) -> NetworkScenario:
    """Create a scenario (module docstring); ``sites`` None: every site. Nothing
    is solved: call ``scenario_step`` or ``scenario_run``."""
    require(rules.can_plan_networks(actor))
    allowed = {
        "name",
        "description",
        "model",
        "p_values",
        "coverage_km",
        "detour_factor",
        "reusable_percent",
        "reusable_source",
        "year",
        "is_published",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            {n: _("This field cannot be changed here.") for n in sorted(unknown)}
        )
    values = _check(fields)
    chosen = list(
        selectors.site_list().order_by("id")
        if sites is None
        else sorted(sites, key=lambda s: s.pk)
    )
    if not chosen:
        raise ValidationError({"sites": _("Choose at least one site.")})
    record = _record(values, chosen)
    scenario = NetworkScenario(
        **values, parameters=record, created_by=actor, is_demo=is_demo
    )
    points, engine_sites, params = engine_input(scenario)
    issues = check(
        points,
        engine_sites,
        values["p_values"],
        params,
        harvest=values["reusable_percent"] is not None,
    )
    if issues:
        errors: dict[str, list[str]] = {}
        for issue in issues:
            field = ENGINE_FIELDS.get(issue.path)
            if field is None:
                field = "sites" if issue.path.startswith("sites") else "__all__"
            errors.setdefault(field, []).append(
                issue.message if field != "__all__" else str(issue)
            )
        raise ValidationError(errors)
    with transaction.atomic():
        scenario.full_clean(exclude={"sites"})
        scenario.save()
        scenario.sites.set(chosen)
    return scenario


def remaining_p(scenario: NetworkScenario) -> list[int]:
    done = set(scenario.results.values_list("p", flat=True))
    return [p for p in scenario.ps if p not in done]


def scenario_step(*, actor: User | None, scenario: NetworkScenario) -> int | None:
    """Solve the smallest p without a stored network and store it; return that p,
    or None when every p is stored. A failed solve is recorded in ``error``."""
    require(rules.can_plan_networks(actor))
    left = remaining_p(scenario)
    if not left:
        return None
    p = left[0]
    points, sites, params = engine_input(scenario)
    try:
        (result,) = plan(
            points,
            sites,
            [p],
            scenario.model,  # type: ignore[arg-type]
            params,
            harvest=params.reusable_fraction is not None,
            time_limit=TIME_LIMIT_PER_P,
        )
    except (NetworkInputError, SolveError) as exc:
        scenario.error = str(exc)
        scenario.save(update_fields=["error"])
        raise ValidationError({"__all__": str(exc)}) from exc
    try:
        with transaction.atomic():
            ScenarioResult.objects.create(
                scenario=scenario, p=p, data=result.to_dict(), seconds=result.seconds
            )
    except IntegrityError:
        pass  # another request stored this p first: the same network.
    if len(left) == 1:
        scenario.finished_at = timezone.now()
        scenario.error = ""
        scenario.save(update_fields=["finished_at", "error"])
    return p


def scenario_run(*, actor: User | None, scenario: NetworkScenario) -> NetworkScenario:
    """Solve every p that has no stored network yet."""
    require(rules.can_plan_networks(actor))
    while scenario_step(actor=actor, scenario=scenario) is not None:
        pass
    return scenario


def scenario_publish(
    *, actor: User | None, scenario: NetworkScenario, published: bool = True
) -> NetworkScenario:
    require(rules.can_plan_networks(actor))
    if scenario.is_published != published:
        scenario.is_published = published
        scenario.save(update_fields=["is_published"])
    return scenario


def scenario_choose(
    *, actor: User | None, scenario: NetworkScenario, p: int | None
) -> NetworkScenario:
    """Put the network with ``p`` centres forward (None: the one with the most)."""
    require(rules.can_plan_networks(actor))
    if p is not None and p not in scenario.ps:
        raise ValidationError(
            {
                "chosen_p": _("This scenario has no network with %(p)s centres.")
                % {"p": p}
            }
        )
    scenario.chosen_p = p
    scenario.save(update_fields=["chosen_p"])
    return scenario


def scenario_delete(*, actor: User | None, scenario: NetworkScenario) -> None:
    require(rules.can_plan_networks(actor))
    scenario.delete()
