# SPDX-License-Identifier: EUPL-1.2
"""The annual report for bestuurders, per action line and for the region, assembled
from the registry's and the monitoring app's selectors into tables. The HTML page and
the XLSX export both show these same tables, so that their numbers agree. Texts follow
the active language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cirkelregio.monitoring import selectors as monitoring_selectors
from cirkelregio.regions import selectors
from cirkelregio.web.report_charts import CountChart, count_bars

FIRST_YEAR = 2015


@dataclass(frozen=True)
class Text:
    """Text in a known language (for a lang attribute)."""

    value: str
    lang: str

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Link:
    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    numeric: frozenset[int] = frozenset()

    @property
    def column_info(self) -> list[tuple[str, bool]]:
        return [(c, i in self.numeric) for i, c in enumerate(self.columns)]


@dataclass
class LineSection:
    line: Any
    plan: Any
    activities: Table
    statuses: Table
    status_chart: CountChart
    participants: Table
    phases: Table
    phase_chart: CountChart
    figures: Table
    status_counts: list[tuple[str, str, int]] = field(default_factory=list)
    phase_counts: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class Report:
    year: int
    as_of: dt.date
    generated_at: dt.datetime
    sections: list[LineSection]
    summary: Table | None
    has_demo: bool
    sources: list[str]
    #: The region report: the key figures of no action line (cross-cutting).
    cross_cutting: Table | None = None


def report_year_problem(year: int) -> str | None:
    """Why there is no report for the year, or None."""
    today = timezone.localdate()
    if year > today.year:
        return _(
            "There is no annual report for %(year)s yet: that year is in the future."
        ) % {"year": year}
    if year < FIRST_YEAR:
        return _("Annual reports start in %(first)s.") % {"first": FIRST_YEAR}
    return None


def _phase_labels() -> dict[str, str]:
    return {str(p.code): str(p.name) for p in selectors.phase_definitions()}


def _participants(
    line: Any, as_of: dt.date, user: Any, phase_labels: dict[str, str]
) -> tuple[Table, list[tuple[str, str, int]]]:
    """The line's participants on ``as_of`` with the phase they were in then."""
    rows = []
    counts = dict.fromkeys(phase_labels, 0)
    for row in selectors.phase_timeline(line=line, user=user):
        current = [s for s in row.steps if s.start <= as_of]
        if not current:
            continue
        step = current[-1]
        counts[step.phase] = counts.get(step.phase, 0) + 1
        p = row.participation
        rows.append(
            [
                p.organisation.name,
                p.organisation.get_kind_display(),
                p.get_role_display(),
                phase_labels.get(step.phase, step.phase),
                step.start,
            ]
        )
    rows.sort(key=lambda r: str(r[0]).lower())
    table = Table(
        "participants",
        _("Participants and their phase"),
        [_("Organisation"), _("Kind"), _("Role"), _("Phase"), _("In this phase since")],
        rows,
    )
    phase_counts = [(code, label, counts[code]) for code, label in phase_labels.items()]
    return table, phase_counts


def _activities(plan: Any) -> tuple[Table, list[tuple[str, str, int]]]:
    activities = list(plan.activities.all()) if plan is not None else []
    rows = []
    for a in activities:
        achievement: Any = ""
        if a.achievement_nl:
            achievement = Text(
                a.achievement, "en" if a.achievement != a.achievement_nl else "nl"
            )
        rows.append(
            [
                Text(a.title_nl, "nl"),
                a.lead.name if a.lead else "",
                f"Q{a.quarter}" if a.quarter else "",
                a.get_status_display(),
                a.status_changed_on,
                achievement,
                a.achievement_figure,
                Link(a.achievement_url, a.achievement_url) if a.achievement_url else "",
            ]
        )
    table = Table(
        "activities",
        _("Activities and achievements"),
        [
            _("Activity"),
            _("Lead"),
            _("Quarter"),
            _("Status"),
            _("Status since"),
            _("What was achieved"),
            _("In figures"),
            _("Link"),
        ],
        rows,
    )
    return table, selectors.activity_status_counts(activities)


def count_table(
    key: str, title: str, label: str, counts: list[tuple[str, str, int]]
) -> Table:
    return Table(
        key,
        title,
        [label, _("Number")],
        [[lab, n] for _code, lab, n in counts],
        numeric=frozenset({1}),
    )


def _figures(line_overview: Any, key: str = "figures") -> Table:
    rows = []
    for f in line_overview.figures if line_overview is not None else []:
        ind = f.indicator
        value = None if f.value is None else round(f.value, ind.decimals)
        target = None if f.target_value is None else round(f.target_value, ind.decimals)
        rows.append(
            [
                Text(ind.name, "en" if ind.name != ind.name_nl else "nl"),
                str(f.year) if f.year else "",
                value,
                ind.get_unit_display(),
                target,
                str(f.target_year) if f.target_year else "",
                f.source,
            ]
        )
    return Table(
        key,
        _("Key figures"),
        [
            _("Indicator"),
            _("Year"),
            _("Value"),
            _("Unit"),
            _("Target"),
            _("Target year"),
            _("Source"),
        ],
        rows,
        numeric=frozenset({2, 4}),
    )


def _section(
    line: Any,
    year: int,
    as_of: dt.date,
    user: Any,
    overview: Any,
    phase_labels: dict[str, str],
) -> LineSection:
    plan = selectors.annual_plan_get(line=line, year=year, user=user)
    activities, status_counts = _activities(plan)
    participants, phase_counts = _participants(line, as_of, user, phase_labels)
    line_overview = next(
        (
            lo
            for lo in overview.lines
            if lo.action_line is not None and lo.action_line.pk == line.pk
        ),
        None,
    )
    return LineSection(
        line=line,
        plan=plan,
        activities=activities,
        statuses=count_table(
            "statuses", _("Activities by status"), _("Status"), status_counts
        ),
        status_chart=count_bars(status_counts),
        participants=participants,
        phases=count_table(
            "phases", _("Participants by phase"), _("Phase"), phase_counts
        ),
        phase_chart=count_bars(phase_counts),
        figures=_figures(line_overview),
        status_counts=status_counts,
        phase_counts=phase_counts,
    )


def _summary(sections: list[LineSection]) -> Table:
    statuses = selectors.activity_statuses()
    phases = list(_phase_labels().items())
    rows = []
    for s in sections:
        status_n = [n for _c, _l, n in s.status_counts]
        phase_n = [n for _c, _l, n in s.phase_counts]
        rows.append([s.line.name, sum(status_n), *status_n, sum(phase_n), *phase_n])
    columns = [
        _("Action line"),
        _("Activities"),
        *[label for _v, label in statuses],
        _("Participants"),
        *[label for _c, label in phases],
    ]
    return Table(
        "summary",
        _("The action lines at a glance"),
        columns,
        rows,
        numeric=frozenset(range(1, len(columns))),
    )


def annual_report(*, year: int, user: Any = None, line: Any = None) -> Report:
    """The report of ``year`` for one action line, or for the region (every line)."""
    today = timezone.localdate()
    as_of = min(dt.date(year, 12, 31), today)
    lines = [line] if line is not None else list(selectors.action_line_list())
    overview = monitoring_selectors.region_overview(year=year)
    phase_labels = _phase_labels()
    sections = [_section(ln, year, as_of, user, overview, phase_labels) for ln in lines]
    has_demo = any(s.plan is not None and s.plan.is_demo for s in sections) or (
        selectors.participation_list(user=user)
        .filter(is_demo=True, action_line__in=lines)
        .exists()
    )
    return Report(
        year=year,
        as_of=as_of,
        generated_at=timezone.localtime(),
        sections=sections,
        summary=_summary(sections) if line is None else None,
        cross_cutting=(
            _figures(
                next((lo for lo in overview.lines if lo.action_line is None), None),
                key="cross-cutting",
            )
            if line is None
            else None
        ),
        has_demo=has_demo,
        sources=[
            _(
                "Annual plans, activities and participation: the Cirkelregio "
                "registry, as entered by the coordinators and the organisations."
            ),
            _(
                "Phases: the participants' phase history, as it stood on the "
                "report date."
            ),
            _("Key figures: the monitoring indicators, each with its own source."),
        ],
    )
