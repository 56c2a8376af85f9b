# SPDX-License-Identifier: EUPL-1.2
"""Load demo data for the registry (``data/demo/<region>/registry_demo.json``).

Demo data shows what the site looks like with content. Every participation and annual
plan it creates is marked ``is_demo``; organisations invented for the demo are marked
too. Production installs never run this. Loading again updates rather than duplicates;
a file with any problem writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from cirkelregio.engine.dataio import (
    Collector,
    Problem,
    Row,
    boolean,
    choice,
    date,
    integer,
    pattern,
    read_json,
    text,
)
from cirkelregio.regions.models import (
    ActionLine,
    ActivityStatus,
    AnnualPlan,
    Municipality,
    Organisation,
    OrganisationKind,
    Participation,
    ParticipationRole,
    ParticipationSource,
    Phase,
    PhaseChange,
    PlannedActivity,
    PlanStatus,
)

FILE_NAME = "registry_demo.json"
SLUG = pattern(r"[a-z0-9-]+", "a slug (lower-case letters, digits and -)")


@dataclass
class DemoLoadReport:
    organisations: int = 0
    participations: int = 0
    annual_plans: int = 0

    def __str__(self) -> str:
        return (
            f"Demo data: {self.organisations} organisations, {self.participations} "
            f"participations, {self.annual_plans} annual plans."
        )


def _read(path: Path, c: Collector) -> dict[str, Any]:
    data = read_json(path, c)
    if data is None:
        return {}
    if not isinstance(data, dict):
        c.add(Problem(path.name, "must hold one JSON object"))
        return {}
    name = path.name
    organisations: dict[str, dict[str, Any]] = {}
    known_slugs = set(Organisation.objects.values_list("slug", flat=True))
    known_names = {
        n.lower(): s for s, n in Organisation.objects.values_list("slug", "name")
    }
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    seen_names: dict[str, str] = {}
    for i, item in enumerate(data.get("organisations") or []):
        row = Row(
            name,
            item if isinstance(item, dict) else {},
            c,
            record=f"organisations[{i}]",
        )
        slug = row.get("slug", SLUG)
        org_name = row.get("name", text(200))
        cbs = row.get("municipality", pattern(r"GM\d{4}", "a CBS code"), required=False)
        if cbs is not None and cbs not in municipalities:
            row.problem("municipality", f"unknown CBS code {cbs}")
        if slug in organisations:
            row.problem("slug", f"duplicate organisation {slug}")
        if org_name:
            key = org_name.lower()
            other = seen_names.get(key) or known_names.get(key)
            if other is not None and other != slug:
                row.problem(
                    "name", f"duplicate organisation name {org_name!r} ({other})"
                )
            seen_names[key] = slug or ""
        values = {
            "name": org_name,
            "kind": row.get("kind", choice(OrganisationKind.values)),
            "municipality": municipalities.get(cbs) if cbs else None,
            "website": row.get("website", text(200), required=False) or "",
            "is_demo": row.get("demo", boolean, required=False) or False,
        }
        if slug:
            organisations[slug] = values
    all_slugs = known_slugs | set(organisations)

    lines = {line.slug: line for line in ActionLine.objects.all()}
    participations = []
    pairs: set[tuple[str, str]] = set()
    for i, item in enumerate(data.get("participations") or []):
        record = f"participations[{i}]"
        row = Row(name, item if isinstance(item, dict) else {}, c, record=record)
        org = row.get("organisation", SLUG)
        line = row.get("action_line", SLUG)
        if org and org not in all_slugs:
            row.problem("organisation", f"unknown organisation {org}")
        if line and line not in lines:
            row.problem("action_line", f"unknown action line {line}")
        if (org, line) in pairs:
            row.problem("action_line", f"{org} takes part in {line} twice")
        pairs.add((org or "", line or ""))
        phase = row.get("phase", choice(Phase.values))
        since = row.get("since", date)
        history = []
        for j, step in enumerate(
            item.get("phase_history") or [] if isinstance(item, dict) else []
        ):
            srow = Row(name, step, c, record=f"{record}.phase_history[{j}]")
            history.append(
                (srow.get("phase", choice(Phase.values)), srow.get("date", date))
            )
        if history and all(p and d for p, d in history):
            dates = [d for _p, d in history]
            if dates != sorted(dates):
                row.problem("phase_history", "must be in date order")
            if since and dates[0] != since:
                row.problem("phase_history", "must start on the 'since' date")
            if phase and history[-1][0] != phase:
                row.problem("phase_history", "must end in the current phase")
        participations.append(
            {
                "organisation": org,
                "action_line": line,
                "phase": phase,
                "role": row.get("role", choice(ParticipationRole.values)),
                "since": since,
                "source": row.get("source", choice(ParticipationSource.values)),
                "note_nl": row.get("note_nl", text(), required=False) or "",
                "history": history or [(phase, since)],
            }
        )

    plans = []
    for i, item in enumerate(data.get("annual_plans") or []):
        record = f"annual_plans[{i}]"
        row = Row(name, item if isinstance(item, dict) else {}, c, record=record)
        line = row.get("action_line", SLUG)
        if line and line not in lines:
            row.problem("action_line", f"unknown action line {line}")
        activities = []
        for j, act in enumerate(
            item.get("activities") or [] if isinstance(item, dict) else []
        ):
            arow = Row(name, act, c, record=f"{record}.activities[{j}]")
            lead = arow.get("lead", SLUG, required=False)
            if lead and lead not in all_slugs:
                arow.problem("lead", f"unknown organisation {lead}")
            activities.append(
                {
                    "title_nl": arow.get("title_nl", text(300)),
                    "description_nl": arow.get("description_nl", text(), required=False)
                    or "",
                    "status": arow.get("status", choice(ActivityStatus.values)),
                    "lead": lead,
                    "quarter": arow.get("quarter", integer(1, 4), required=False),
                }
            )
        plans.append(
            {
                "action_line": line,
                "year": row.get("year", integer(2015, 2100)),
                "title_nl": row.get("title_nl", text(300)),
                "summary_nl": row.get("summary_nl", text(), required=False) or "",
                "status": row.get("status", choice(PlanStatus.values)),
                "activities": activities,
            }
        )
    return {
        "organisations": organisations,
        "participations": participations,
        "plans": plans,
        "lines": lines,
    }


def demo_data_load(*, directory: Path) -> DemoLoadReport:
    """Load the demo registry data from ``directory``. All or nothing."""
    c = Collector()
    if not ActionLine.objects.exists():
        c.add(Problem(str(directory), "load the region's reference data first"))
        c.raise_if_any()
    data = _read(Path(directory) / FILE_NAME, c)
    c.raise_if_any()
    with transaction.atomic():
        return _write(data)


def _write(data: dict[str, Any]) -> DemoLoadReport:
    report = DemoLoadReport()
    for slug, values in data["organisations"].items():
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            organisation = Organisation(slug=slug, **values)
            organisation.full_clean()
            organisation.save()
        report.organisations += 1
    orgs = {o.slug: o for o in Organisation.objects.all()}
    lines = data["lines"]
    for item in data["participations"]:
        organisation = orgs[item["organisation"]]
        line = lines[item["action_line"]]
        values = {k: item[k] for k in ("phase", "role", "since", "source", "note_nl")}
        participation = Participation.objects.filter(
            organisation=organisation, action_line=line
        ).first()
        if participation is None:
            participation = Participation(
                organisation=organisation, action_line=line, is_demo=True, **values
            )
            participation.full_clean()
            participation.save()
            PhaseChange.objects.bulk_create(
                PhaseChange(participation=participation, phase=p, changed_on=d)
                for p, d in item["history"]
            )
        report.participations += 1
    for item in data["plans"]:
        line = lines[item["action_line"]]
        plan = AnnualPlan.objects.filter(action_line=line, year=item["year"]).first()
        if plan is None:
            plan = AnnualPlan(
                action_line=line,
                year=item["year"],
                title_nl=item["title_nl"],
                summary_nl=item["summary_nl"],
                status=item["status"],
                is_demo=True,
            )
            plan.full_clean()
            plan.save()
            for order, act in enumerate(item["activities"], start=1):
                PlannedActivity.objects.create(
                    plan=plan,
                    order=order,
                    title_nl=act["title_nl"],
                    description_nl=act["description_nl"],
                    status=act["status"],
                    lead=orgs.get(act["lead"]) if act["lead"] else None,
                    quarter=act["quarter"],
                )
        report.annual_plans += 1
    return report
