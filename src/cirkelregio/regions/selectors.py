# SPDX-License-Identifier: EUPL-1.2
"""Reads of the alliance registry, for the site, the API and other apps."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet

from cirkelregio.accounts.rules import can_change_planned_activity
from cirkelregio.accounts.selectors import edited_organisation_id, is_coordinator
from cirkelregio.regions.models import (
    ACTIVITY_STATUS_TRANSITIONS,
    PHASE_ORDER,
    ActionLine,
    ActivityStatus,
    AnnualPlan,
    Municipality,
    Organisation,
    Participation,
    Phase,
    PhaseDefinition,
    PlannedActivity,
    PlanStatus,
    Postcode,
    Region,
    RStrategy,
)


def current_region() -> Region | None:
    return Region.objects.filter(code=settings.CIRKELREGIO_REGION).first()


def action_line_list() -> QuerySet[ActionLine]:
    return (
        ActionLine.objects.filter(region__code=settings.CIRKELREGIO_REGION)
        .prefetch_related("r_strategies")
        .annotate(
            # Published organisations only: the count is shown to everyone.
            participant_count=Count(
                "participations",
                filter=Q(participations__organisation__is_published=True),
                distinct=True,
            )
        )
    )


def action_line_get(*, slug: str) -> ActionLine | None:
    return (
        ActionLine.objects.filter(region__code=settings.CIRKELREGIO_REGION, slug=slug)
        .prefetch_related("r_strategies", "subgoals", "activities")
        .first()
    )


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.filter(region__code=settings.CIRKELREGIO_REGION)


def municipality_get(
    *, slug: str | None = None, cbs_code: str | None = None
) -> Municipality | None:
    qs = municipality_list()
    if slug is not None:
        qs = qs.filter(slug=slug)
    if cbs_code is not None:
        qs = qs.filter(cbs_code=cbs_code)
    return qs.first()


def organisation_list(*, user: Any = None) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("municipality")
    if is_coordinator(user):
        return qs
    own = edited_organisation_id(user)
    return (
        qs.filter(Q(is_published=True) | Q(pk=own))
        if own
        else qs.filter(is_published=True)
    )


def participation_list(*, user: Any = None) -> QuerySet[Participation]:
    qs = Participation.objects.select_related(
        "organisation", "organisation__municipality", "action_line"
    ).prefetch_related("phase_changes")
    if is_coordinator(user):
        return qs
    own = edited_organisation_id(user)
    visible = Q(organisation__is_published=True)
    if own:
        visible |= Q(organisation_id=own)
    return qs.filter(visible)


def annual_plan_list(*, user: Any = None) -> QuerySet[AnnualPlan]:
    qs = AnnualPlan.objects.select_related("action_line").prefetch_related(
        Prefetch("activities", queryset=PlannedActivity.objects.select_related("lead"))
    )
    if is_coordinator(user):
        return qs
    return qs.exclude(status=PlanStatus.DRAFT)


def planned_activity_list(*, user: Any = None) -> QuerySet[PlannedActivity]:
    qs = PlannedActivity.objects.select_related("plan", "plan__action_line", "lead")
    if is_coordinator(user):
        return qs
    return qs.exclude(plan__status=PlanStatus.DRAFT)


def phase_definitions() -> list[PhaseDefinition]:
    return sorted(PhaseDefinition.objects.all(), key=lambda p: p.rank)


def r_strategy_list() -> QuerySet[RStrategy]:
    return RStrategy.objects.all()


def postcode_get(*, code: str) -> Postcode | None:
    return Postcode.objects.filter(code=code).first()


@dataclass(frozen=True)
class MatrixCell:
    phase: str | None
    role: str | None
    organisation_count: int


@dataclass(frozen=True)
class MatrixRow:
    municipality: Municipality
    cells: list[MatrixCell]
    line_count: int


def participation_matrix(
    *, user: Any = None
) -> tuple[list[ActionLine], list[MatrixRow]]:
    """Municipalities x action lines. A cell holds the furthest phase reached in that
    line by the municipality itself or by any organisation based in it, and the
    municipality's own role when it takes part itself."""
    lines = list(action_line_list())
    municipalities = list(municipality_list())
    best: dict[tuple[int, int], str] = {}
    role: dict[tuple[int, int], str] = {}
    count: Counter[tuple[int, int]] = Counter()
    rows = (
        participation_list(user=user)
        .filter(organisation__municipality__isnull=False)
        .values_list(
            "organisation__municipality_id",
            "action_line_id",
            "phase",
            "role",
            "organisation__kind",
        )
    )
    for m_id, l_id, phase, p_role, kind in rows:
        key = (m_id, l_id)
        count[key] += 1
        if key not in best or PHASE_ORDER[Phase(phase)] > PHASE_ORDER[Phase(best[key])]:
            best[key] = phase
        if kind == "municipality":
            role[key] = p_role
    result = []
    for m in municipalities:
        cells = [
            MatrixCell(
                best.get((m.pk, ln.pk)), role.get((m.pk, ln.pk)), count[(m.pk, ln.pk)]
            )
            for ln in lines
        ]
        result.append(MatrixRow(m, cells, sum(1 for c in cells if c.phase)))
    return lines, result


def participation_by_line(
    *, user: Any = None, line: ActionLine
) -> dict[str, list[Participation]]:
    """The participations of a line grouped by phase, in phase order."""
    grouped: dict[str, list[Participation]] = defaultdict(list)
    for p in (
        participation_list(user=user)
        .filter(action_line=line)
        .order_by("organisation__name")
    ):
        grouped[p.phase].append(p)
    return {phase: grouped[phase] for phase in Phase.values if grouped.get(phase)}


def participation_by_municipality(
    *, user: Any = None, municipality: Municipality
) -> list[Participation]:
    return list(
        participation_list(user=user)
        .filter(organisation__municipality=municipality)
        .order_by("action_line__number", "organisation__name")
    )


def phase_counts(*, user: Any = None) -> dict[int, dict[str, int]]:
    """Per action line id: the number of participations in each phase."""
    result: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(Phase.values, 0)
    )
    for l_id, phase, n in (
        participation_list(user=user)
        .values_list("action_line_id", "phase")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result[l_id][phase] = n
    return result


# Annual plans, progress and the phase timeline ---------------------------------------


def annual_plan_get(
    *, line: ActionLine, year: int, user: Any = None
) -> AnnualPlan | None:
    """The line's plan for the year, if the user may see it (drafts: coordinators)."""
    return annual_plan_list(user=user).filter(action_line=line, year=year).first()


def annual_plan_years(*, user: Any = None) -> list[int]:
    """Every year with a visible annual plan, ascending."""
    return sorted(
        set(annual_plan_list(user=user).values_list("year", flat=True).order_by())
    )


def activity_statuses() -> list[tuple[str, str]]:
    """The activity statuses (value, label) in their order."""
    return [(str(value), str(label)) for value, label in ActivityStatus.choices]


def activity_status_options(activity: PlannedActivity) -> list[tuple[str, str]]:
    """The statuses the activity can take now: its own and the ones it may move to."""
    allowed = ACTIVITY_STATUS_TRANSITIONS[activity.status] | {activity.status}
    return [(v, label) for v, label in activity_statuses() if v in allowed]


def activity_status_counts(
    activities: Any,
) -> list[tuple[str, str, int]]:
    """(status, label, number of activities) for every status, in status order."""
    counts = Counter(a.status for a in activities)
    return [(v, label, counts.get(v, 0)) for v, label in activity_statuses()]


def progress_editable_activities(
    *, plan: AnnualPlan, user: Any
) -> list[PlannedActivity]:
    """The plan's activities whose progress the user may record."""
    return [
        a
        for a in plan.activities.all()
        if user is not None
        and getattr(user, "is_authenticated", False)
        and can_change_planned_activity(user, a)
    ]


@dataclass(frozen=True)
class PhaseStep:
    phase: str
    start: dt.date
    end: dt.date | None  # None: the current phase


@dataclass(frozen=True)
class PhaseTimelineRow:
    participation: Participation
    steps: list[PhaseStep]


def phase_timeline(*, line: ActionLine, user: Any = None) -> list[PhaseTimelineRow]:
    """Per participant of the line (by the date it joined, then name) its phases
    over time, from the phase history."""
    rows = []
    for p in participation_list(user=user).filter(action_line=line):
        changes = sorted(p.phase_changes.all(), key=lambda c: (c.changed_on, c.pk))
        if not changes:
            changes_list = [(p.phase, p.since)]
        else:
            changes_list = [(c.phase, c.changed_on) for c in changes]
        steps = [
            PhaseStep(
                phase,
                start,
                changes_list[i + 1][1] if i + 1 < len(changes_list) else None,
            )
            for i, (phase, start) in enumerate(changes_list)
        ]
        rows.append(PhaseTimelineRow(p, steps))
    rows.sort(key=lambda r: (r.steps[0].start, r.participation.organisation.name))
    return rows
