# SPDX-License-Identifier: EUPL-1.2
"""Match runs: the engine's optimisation of all open listings and active depots,
stored as a run with one proposal per flow of the plan; the owners of the listings
concerned are told by email."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import Role, User
from cirkelregio.engine.geo.distance import haversine_km
from cirkelregio.engine.optimize import exchange as engine
from cirkelregio.exchange import rules
from cirkelregio.exchange.adapters import (
    LoadedProblem,
    load_problem,
    parameters_of,
    pk_of,
)
from cirkelregio.exchange.models import (
    Listing,
    MatchRun,
    Proposal,
    RunStatus,
)
from cirkelregio.exchange.services._common import require

logger = logging.getLogger(__name__)


def _proposals(
    run: MatchRun, loaded: LoadedProblem, result: engine.ExchangeResult
) -> list[Proposal]:
    """One unsaved proposal per flow, with its distance, tonne-km and cost share
    (the flow's transport cost and MKI, plus depot handling for a flow in)."""
    problem = loaded.problem
    par = problem.parameters
    supplies = {s.id: s for s in problem.supplies}
    demands = {d.id: d for d in problem.demands}
    depots = {k.id: k for k in problem.depots}
    start = result.start
    assert start is not None or not result.flows
    out = []
    for flow in result.flows:
        a: Any = supplies[flow.supply] if flow.supply else depots[flow.depot or ""]
        b: Any = demands[flow.demand] if flow.demand else depots[flow.depot or ""]
        item: Any = supplies[flow.supply] if flow.supply else demands[flow.demand or ""]
        material = item.material
        m = problem.material(material)
        km = float(haversine_km(a.lat, a.lon, b.lat, b.lon)) * par.detour_factor
        tonnes = flow.quantity * m.tonnes_per_unit
        cost = tonnes * km * par.cost_per_tkm
        if flow.supply and flow.depot:
            cost += tonnes * depots[flow.depot].handling_eur_per_tonne
        assert start is not None
        monday = start + dt.timedelta(weeks=flow.week_out)
        out.append(
            Proposal(
                match_run=run,
                supply_id=pk_of(flow.supply) if flow.supply else None,
                demand_id=pk_of(flow.demand) if flow.demand else None,
                depot_id=pk_of(flow.depot) if flow.depot else None,
                material_id=loaded.material_pk[material],
                week=flow.week_out,
                week_out=monday,
                week_in=start + dt.timedelta(weeks=flow.week_in),
                quantity=flow.quantity,
                tonnes=tonnes,
                distance_km=km,
                tonne_km=tonnes * km,
                cost_share_eur=cost,
                transport_mki_eur=tonnes * km * par.transport_mki_eur_per_tkm,
            )
        )
    return out


def _new_mki_notes(loaded: LoadedProblem) -> str:
    """Why a class linked to an MKI profile was matched with its estimate."""
    notes = [
        _("%(code)s: the entered estimate of the new product MKI was used: %(note)s")
        % {"code": code, "note": new.note}
        for code, new in sorted(loaded.new_mki.items())
        if new.note
    ]
    for line in notes:
        logger.warning("Match run: %s", line)
    return "\n".join(notes)


def _fail(run: MatchRun, message: str) -> MatchRun:
    run.status = RunStatus.FAILED
    run.message = message
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "message", "finished_at"])
    return run


def match_run_start(
    *,
    actor: User | None,
    parameters: dict[str, Any] | None = None,
    progress: Callable[[float, str], None] | None = None,
    on_created: Callable[[MatchRun], None] | None = None,
) -> MatchRun:
    """Optimise all open listings and active depots and store the plan: the run with
    its totals and one proposal per flow.

    The engine runs where it is called: in the request, or in a background job
    (``cirkelregio.jobs``; the run is stored as ``running`` first for that reason,
    ``on_created`` is told of it, and ``progress(percent, message)`` of each
    phase). A solve
    that fails, or a plan that ``check_plan`` refuses, gives a failed run with the
    message and no proposals. The editors of the organisations whose listings get
    a proposal are emailed."""
    require(rules.can_start_match_run(actor))
    engine_parameters = parameters_of(parameters)
    run = MatchRun.objects.create(
        started_by=actor,
        parameters={
            name: getattr(engine_parameters, name)
            for name in engine_parameters.__dataclass_fields__
        },
    )
    if on_created is not None:
        on_created(run)
    report = progress or (lambda percent, message: None)
    try:
        report(10, _("Loading listings and depots"))
        loaded = load_problem(engine_parameters)
        problem = loaded.problem
        run.counts = {
            "supplies": len(problem.supplies),
            "demands": len(problem.demands),
            "depots": len(problem.depots),
            "materials": len(problem.materials),
        }
        run.new_mki = {
            code: new.as_record() for code, new in sorted(loaded.new_mki.items())
        }
        run.message = _new_mki_notes(loaded)
        report(30, _("Optimising the plan"))
        result = engine.solve(problem)
    except (engine.SolveError, ValueError) as exc:
        logger.warning("Match run %s failed: %s", run.pk, exc)
        run.save(update_fields=["counts", "new_mki"])
        return _fail(run, str(exc))
    violations = engine.check_plan(problem, result)
    if violations:
        logger.error("Match run %s: plan refused: %s", run.pk, violations[:5])
        run.save(update_fields=["counts", "new_mki"])
        return _fail(
            run,
            _("The plan does not satisfy the model: %(problems)s")
            % {"problems": "; ".join(violations[:10])},
        )
    report(90, _("Storing the proposals"))
    with transaction.atomic():
        proposals = Proposal.objects.bulk_create(_proposals(run, loaded, result))
        run.status = RunStatus.SUCCEEDED
        run.week0 = result.start
        run.objective_eur = result.objective_eur
        run.baseline_eur = result.baseline_eur
        run.savings_eur = result.savings_eur
        run.tonne_km = result.tonne_km
        run.transport_mki_eur = result.transport_mki_eur
        run.new_mki_avoided_eur = result.new_mki_avoided_eur
        run.reused = {
            m: {"direct": r.direct, "via_depot": r.via_depot}
            for m, r in result.reused.items()
        }
        run.finished_at = timezone.now()
        run.save()
    notify_new_proposals(run, proposals)
    return run


def match_run_interrupted(run_id: int) -> MatchRun | None:
    """A run a background job started before its worker stopped: the run when it
    was finished (the job's retry reuses it), else None after marking it failed (it
    has no proposals; the retry starts a new run)."""
    run = MatchRun.objects.filter(pk=run_id).first()
    if run is None:
        return None
    if run.status != RunStatus.RUNNING:
        return run
    _fail(run, _("Interrupted: the worker stopped; the job started a new run."))
    return None


def notify_new_proposals(run: MatchRun, proposals: list[Proposal]) -> int:
    """One email per organisation with new proposals, to its active editors with an
    email address. Returns the number of emails sent."""
    listing_ids = {p.supply_id for p in proposals} | {p.demand_id for p in proposals}
    listings = {
        pk: (owner, project)
        for pk, owner, project in Listing.objects.filter(
            pk__in=listing_ids - {None}
        ).values_list("pk", "owner_id", "project_name")
    }
    per_org: dict[int, list[str]] = defaultdict(list)
    for p in proposals:
        for pk in (p.supply_id, p.demand_id):
            if pk is None:
                continue
            owner, project = listings[pk]
            per_org[owner].append(
                _("%(project)s: %(quantity).2f units, week of %(week)s")
                % {"project": project, "quantity": p.quantity, "week": p.week_out}
            )
    editors: dict[int, list[str]] = defaultdict(list)
    for org, email in (
        User.objects.filter(
            organisation_id__in=per_org, role=Role.EDITOR, is_active=True
        )
        .exclude(email="")
        .values_list("organisation_id", "email")
    ):
        editors[org].append(email)
    subject = _("New proposals in the materials exchange (match run %(run)s)") % {
        "run": run.pk
    }
    messages = []
    for org, lines in per_org.items():
        if not editors.get(org):
            continue
        body = (
            _(
                "The materials exchange proposes to reuse material of your "
                "organisation's listings. Please accept or reject each proposal."
            )
            + "\n\n"
            + "\n".join(f"- {line}" for line in lines)
            + "\n"
        )
        messages.append(
            (subject, body, settings.DEFAULT_FROM_EMAIL, sorted(editors[org]))
        )
    if not messages:
        return 0
    try:
        return send_mass_mail(messages, fail_silently=False)
    except Exception:  # the plan is stored; a mail server failure must not undo it
        logger.exception("Match run %s: the proposal emails were not sent", run.pk)
        return 0
