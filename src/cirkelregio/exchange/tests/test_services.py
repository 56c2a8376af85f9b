# SPDX-License-Identifier: EUPL-1.2
"""Match runs and the proposal workflow, on the small exchange of conftest.py."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from cirkelregio.engine.optimize import exchange as engine
from cirkelregio.exchange import selectors, services
from cirkelregio.exchange.adapters import load_problem
from cirkelregio.exchange.models import (
    DepotStockMovement,
    Listing,
    ListingStatus,
    MatchRun,
    Proposal,
    ProposalStatus,
    RunStatus,
)
from cirkelregio.exchange.tests.conftest import Exchange

pytestmark = pytest.mark.django_db


def _flows(
    run: MatchRun,
) -> list[tuple[str | None, str | None, str | None, int, float]]:
    return sorted(
        (
            f"S{p.supply_id}" if p.supply_id else "",
            f"D{p.demand_id}" if p.demand_id else "",
            f"K{p.depot_id}" if p.depot_id else "",
            p.week,
            round(p.quantity, 9),
        )
        for p in run.proposals.all()
    )


def _by_kind(run: MatchRun) -> dict[str, Proposal]:
    return {p.flow_kind: p for p in run.proposals.select_related("supply", "demand")}


def test_match_run_stores_exactly_the_engines_flows(exchange: Exchange) -> None:
    run = services.match_run_start(actor=exchange.coordinator)
    assert run.status == RunStatus.SUCCEEDED, run.message
    problem = load_problem(engine.Parameters()).problem
    result = engine.solve(problem)
    assert engine.check_plan(problem, result) == []
    expected = sorted(
        (
            f.supply or "",
            f.demand or "",
            f.depot or "",
            f.week_out,
            round(f.quantity, 9),
        )
        for f in result.flows
    )
    assert _flows(run) == expected
    assert run.objective_eur == pytest.approx(result.objective_eur, rel=1e-9)
    # The plan worked out in conftest: 60 direct, 40 in and out of the depot.
    kinds = _by_kind(run)
    assert set(kinds) == {"direct", "to_depot", "from_depot"}
    assert kinds["direct"].quantity == pytest.approx(60)
    assert kinds["to_depot"].quantity == pytest.approx(40)
    assert kinds["from_depot"].quantity == pytest.approx(40)
    assert kinds["from_depot"].week_out >= dt.date(2026, 6, 1) - dt.timedelta(days=6)
    assert run.week0 == dt.date(2026, 3, 2)
    # Baseline by hand: 100 x 3 disposal + 110 x (20 + 2) new.
    assert run.baseline_eur == pytest.approx(100 * 3 + 110 * 22)


def test_failed_solve_stores_no_proposals(
    exchange: Exchange, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise engine.SolveError("HiGHS found no optimal plan (test)")

    monkeypatch.setattr(engine, "solve", fail)
    run = services.match_run_start(actor=exchange.coordinator)
    assert run.status == RunStatus.FAILED
    assert "no optimal plan" in run.message
    assert run.objective_eur is None
    assert not Proposal.objects.exists()
    assert len(mail.outbox) == 0


def test_refused_plan_stores_no_proposals(
    exchange: Exchange, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "check_plan", lambda p, r: ["objective 1 but 2"])
    run = services.match_run_start(actor=exchange.coordinator)
    assert run.status == RunStatus.FAILED
    assert "objective 1 but 2" in run.message
    assert not Proposal.objects.exists()


def test_parameters_are_checked(exchange: Exchange) -> None:
    with pytest.raises(ValidationError) as info:
        services.match_run_start(
            actor=exchange.coordinator, parameters={"detour_factor": 0, "x": 1}
        )
    assert "x" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.match_run_start(
            actor=exchange.coordinator, parameters={"detour_factor": 0}
        )
    assert "detour_factor" in info.value.message_dict
    assert not MatchRun.objects.exists()


def test_only_coordinators_start_runs(exchange: Exchange) -> None:
    with pytest.raises(PermissionDenied):
        services.match_run_start(actor=exchange.editor_a)


def test_new_proposals_are_emailed_to_the_listing_owners_editors(
    exchange: Exchange,
) -> None:
    services.match_run_start(actor=exchange.coordinator)
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    # Organisations A (supply) and B (demands); not C (depot only), not outsiders.
    assert recipients == sorted(
        [(exchange.editor_a.email,), (exchange.editor_b.email,)]
    )
    body_b = next(m.body for m in mail.outbox if m.to == [exchange.editor_b.email])
    assert "Nieuw B1" in body_b and "Nieuw B2" in body_b


def test_direct_flow_needs_both_sides_and_reserves(exchange: Exchange) -> None:
    run = services.match_run_start(actor=exchange.coordinator)
    direct = _by_kind(run)["direct"]
    direct = services.proposal_accept(actor=exchange.editor_a, proposal=direct)
    assert direct.status == ProposalStatus.ACCEPTED
    exchange.s1.refresh_from_db()
    assert exchange.s1.reserved_quantity == 0
    with pytest.raises(PermissionDenied):
        services.proposal_accept(actor=exchange.editor_c, proposal=direct)
    with pytest.raises(PermissionDenied):
        services.proposal_accept(actor=exchange.outsider, proposal=direct)
    direct = services.proposal_accept(actor=exchange.editor_b, proposal=direct)
    assert direct.status == ProposalStatus.RESERVED
    s1, d1 = (Listing.objects.get(pk=x.pk) for x in (exchange.s1, exchange.d1))
    assert s1.reserved_quantity == pytest.approx(60)
    assert s1.remaining_quantity == pytest.approx(40)
    assert s1.status == ListingStatus.OPEN
    assert d1.reserved_quantity == pytest.approx(60)
    assert d1.status == ListingStatus.MATCHED
    with pytest.raises(ValidationError):
        services.proposal_reject(actor=exchange.editor_a, proposal=direct)


def test_over_reservation_is_refused(exchange: Exchange) -> None:
    first = services.match_run_start(actor=exchange.coordinator)
    second = services.match_run_start(actor=exchange.coordinator)
    assert _flows(first) == _flows(second)
    services.proposal_accept(
        actor=exchange.coordinator, proposal=_by_kind(first)["direct"]
    )
    # The second run's direct flow asks for 60 of S1 again; only 40 is left.
    again = _by_kind(second)["direct"]
    with pytest.raises(ValidationError, match="still free"):
        services.proposal_accept(actor=exchange.coordinator, proposal=again)
    again.refresh_from_db()
    assert again.status == ProposalStatus.PROPOSED
    exchange.s1.refresh_from_db()
    assert exchange.s1.reserved_quantity == pytest.approx(60)
    # A third run sees only what is left.
    third = services.match_run_start(actor=exchange.coordinator)
    assert sum(p.quantity for p in third.proposals.filter(supply=exchange.s1)) == (
        pytest.approx(40)
    )


def test_reject(exchange: Exchange) -> None:
    run = services.match_run_start(actor=exchange.coordinator)
    direct = services.proposal_reject(
        actor=exchange.editor_b, proposal=_by_kind(run)["direct"]
    )
    assert direct.status == ProposalStatus.REJECTED
    with pytest.raises(ValidationError):
        services.proposal_accept(actor=exchange.editor_a, proposal=direct)
    names = {s.municipality for s in selectors.savings_by_municipality(run=run)}
    assert names == {None}


def test_depot_flows_and_stock_ledger(exchange: Exchange) -> None:
    run = services.match_run_start(actor=exchange.coordinator)
    kinds = _by_kind(run)
    into, out = kinds["to_depot"], kinds["from_depot"]
    # A depot flow needs only its listing's owner.
    with pytest.raises(PermissionDenied):
        services.proposal_accept(actor=exchange.editor_b, proposal=into)
    into = services.proposal_accept(actor=exchange.editor_a, proposal=into)
    assert into.status == ProposalStatus.RESERVED
    out = services.proposal_accept(actor=exchange.editor_b, proposal=out)
    assert out.status == ProposalStatus.RESERVED
    # Nothing can leave the depot before it is there.
    with pytest.raises(ValidationError, match="holds only"):
        services.proposal_advance(actor=exchange.editor_c, proposal=out)
    with pytest.raises(PermissionDenied):
        services.proposal_advance(actor=exchange.outsider, proposal=into)
    into = services.proposal_advance(actor=exchange.editor_a, proposal=into)
    assert into.status == ProposalStatus.TRANSPORTED
    assert not DepotStockMovement.objects.exists()
    into = services.proposal_advance(actor=exchange.editor_c, proposal=into)
    assert into.status == ProposalStatus.PLACED
    assert selectors.depot_stock(depot=exchange.depot) == [
        {"material": "bss", "quantity": pytest.approx(40), "tonnes": pytest.approx(8)}
    ]
    out = services.proposal_advance(actor=exchange.editor_b, proposal=out)
    assert out.status == ProposalStatus.TRANSPORTED
    assert selectors.depot_stock(depot=exchange.depot) == []
    out = services.proposal_advance(actor=exchange.editor_b, proposal=out)
    assert out.status == ProposalStatus.PLACED
    with pytest.raises(ValidationError):
        services.proposal_advance(actor=exchange.editor_b, proposal=out)
    assert DepotStockMovement.objects.count() == 2


def test_depot_capacity_is_kept(exchange: Exchange) -> None:
    run = services.match_run_start(actor=exchange.coordinator)
    into = services.proposal_accept(
        actor=exchange.editor_a, proposal=_by_kind(run)["to_depot"]
    )
    services.depot_update(
        actor=exchange.editor_c, depot=exchange.depot, capacity_tonnes=5.0
    )
    into = services.proposal_advance(actor=exchange.editor_a, proposal=into)
    with pytest.raises(ValidationError, match="capacity"):
        services.proposal_advance(actor=exchange.editor_a, proposal=into)


def test_savings_per_municipality_add_up(exchange: Exchange) -> None:
    from cirkelregio.regions.tests.factories import MunicipalityFactory

    m1, m2 = MunicipalityFactory(), MunicipalityFactory()
    Listing.objects.filter(pk=exchange.s1.pk).update(municipality=m1)
    Listing.objects.filter(pk__in=[exchange.d1.pk, exchange.d2.pk]).update(
        municipality=m2
    )
    run = services.match_run_start(actor=exchange.coordinator)
    rows = {s.municipality: s for s in selectors.savings_by_municipality(run=run)}
    assert set(rows) == {m1.cbs_code, m2.cbs_code}
    assert sum(r.tonne_km for r in rows.values()) == pytest.approx(run.tonne_km)
    assert rows[m2.cbs_code].tonnes_reused == pytest.approx(100 * 0.2)
    assert rows[m1.cbs_code].tonnes_released == pytest.approx(100 * 0.2)
    assert rows[m2.cbs_code].new_mki_avoided_eur == pytest.approx(
        run.new_mki_avoided_eur
    )


def test_listing_rules(exchange: Exchange) -> None:
    base = {
        "project_name": "X",
        "material": exchange.material,
        "quantity": 10.0,
        "lat": 52.1,
        "lon": 5.1,
        "window_from": dt.date(2026, 1, 5),
        "window_until": dt.date(2026, 2, 1),
    }
    with pytest.raises(PermissionDenied):
        services.listing_create(
            actor=exchange.editor_b, owner=exchange.org_a, kind="supply", **base
        )
    listing = services.listing_create(
        actor=exchange.editor_a, owner=exchange.org_a, kind="supply", **base
    )
    for change, field in (
        ({"lat": 48.85, "lon": 2.35}, "lat"),  # Paris is not in the Netherlands
        ({"lat": 95.0}, "lat"),
        ({"window_until": dt.date(2026, 1, 1)}, "window_until"),
        ({"quantity": 0.0}, "quantity"),
    ):
        with pytest.raises(ValidationError) as info:
            services.listing_update(actor=exchange.editor_a, listing=listing, **change)
        assert field in info.value.message_dict, change
    # Outside the Netherlands, with another country.
    moved = services.listing_update(
        actor=exchange.editor_a, listing=listing, lat=48.85, lon=2.35, country="fr"
    )
    assert moved.country == "FR"
