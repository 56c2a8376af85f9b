# SPDX-License-Identifier: EUPL-1.2
"""Releasing reservations and closing listings, on the small exchange of conftest.py
(S1 100 m2 of org A; D1 60 m2 and D2 50 m2 of org B; the depot of org C; the plan:
60 S1 -> D1 directly, 40 S1 -> depot -> D2)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

import pytest
from auditlog.models import LogEntry
from rest_framework.test import APIClient

from cirkelregio.exchange import selectors, services
from cirkelregio.exchange.models import (
    ClosedReason,
    Listing,
    ListingStatus,
    MatchRun,
    Proposal,
    ProposalStatus,
)
from cirkelregio.exchange.tests.conftest import Exchange

pytestmark = pytest.mark.django_db

API = "/api/v1/exchange"
PROBLEM = "application/problem+json"


def _kinds(run: MatchRun) -> dict[str, Proposal]:
    return {p.flow_kind: p for p in run.proposals.select_related("supply", "demand")}


def _reserved_direct(x: Exchange) -> Proposal:
    run = services.match_run_start(actor=x.coordinator)
    direct = _kinds(run)["direct"]
    services.proposal_accept(actor=x.editor_a, proposal=direct)
    direct = services.proposal_accept(actor=x.editor_b, proposal=direct)
    assert direct.status == ProposalStatus.RESERVED
    return direct


def _get(listing: Listing) -> Listing:
    return Listing.objects.get(pk=listing.pk)


def test_release_frees_the_quantity_for_the_next_run(exchange: Exchange) -> None:
    direct = _reserved_direct(exchange)
    assert _get(exchange.d1).status == ListingStatus.MATCHED
    # The next run sees only what is left: 40 of S1, nothing of D1.
    busy = services.match_run_start(actor=exchange.coordinator)
    assert not busy.proposals.filter(demand=exchange.d1).exists()
    assert sum(p.quantity for p in busy.proposals.filter(supply=exchange.s1)) == (
        pytest.approx(40)
    )
    released = services.proposal_release(
        actor=exchange.editor_b, proposal=direct, reason="  Project postponed  "
    )
    assert released.status == ProposalStatus.RELEASED
    assert released.released_by == exchange.editor_b
    assert released.released_at is not None
    assert released.release_reason == "Project postponed"
    s1, d1 = _get(exchange.s1), _get(exchange.d1)
    assert (s1.reserved_quantity, d1.reserved_quantity) == (0, 0)
    assert (s1.status, d1.status) == (ListingStatus.OPEN, ListingStatus.OPEN)
    again = services.match_run_start(actor=exchange.coordinator)
    assert _kinds(again)["direct"].quantity == pytest.approx(60)
    assert sum(p.quantity for p in again.proposals.filter(supply=exchange.s1)) == (
        pytest.approx(100)
    )
    # A released proposal counts for no savings and cannot be released again.
    run = direct.match_run
    proposals = sum(s.proposals for s in selectors.savings_by_municipality(run=run))
    assert proposals == run.proposals.count() - 1
    with pytest.raises(ValidationError, match="Only a reserved proposal"):
        services.proposal_release(
            actor=exchange.editor_b, proposal=released, reason="again"
        )
    # The audit log has the change with the reason.
    entry = (
        LogEntry.objects.get_for_object(released)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.changes_dict["status"] == ["reserved", "released"]
    assert entry.changes_dict["release_reason"][1] == "Project postponed"


def test_who_may_release(exchange: Exchange) -> None:
    direct = _reserved_direct(exchange)
    for user in (exchange.editor_c, exchange.outsider):  # depot owner, uninvolved
        with pytest.raises(PermissionDenied):
            services.proposal_release(actor=user, proposal=direct, reason="x")
    with pytest.raises(ValidationError) as info:
        services.proposal_release(actor=exchange.editor_a, proposal=direct, reason=" ")
    assert set(info.value.message_dict) == {"reason"}
    assert _get(exchange.s1).reserved_quantity == pytest.approx(60)
    services.proposal_release(
        actor=exchange.coordinator, proposal=direct, reason="Coordinator decision"
    )
    assert _get(exchange.s1).reserved_quantity == 0


def test_transported_or_unreserved_proposals_are_not_released(
    exchange: Exchange,
) -> None:
    direct = _reserved_direct(exchange)
    pending = _kinds(direct.match_run)["to_depot"]
    with pytest.raises(ValidationError, match="Only a reserved proposal"):
        services.proposal_release(actor=exchange.editor_a, proposal=pending, reason="x")
    direct = services.proposal_advance(actor=exchange.editor_a, proposal=direct)
    with pytest.raises(ValidationError) as info:
        services.proposal_release(actor=exchange.editor_a, proposal=direct, reason="x")
    assert info.value.messages == [
        "The material of this proposal has been transported already; its "
        "reservation can no longer be released."
    ]
    direct.refresh_from_db()
    assert direct.status == ProposalStatus.TRANSPORTED
    assert _get(exchange.s1).reserved_quantity == pytest.approx(60)


def test_listing_closes_when_its_whole_quantity_is_placed(exchange: Exchange) -> None:
    direct = _reserved_direct(exchange)
    kinds = _kinds(direct.match_run)
    for _step in ("transported", "placed"):
        direct = services.proposal_advance(actor=exchange.editor_b, proposal=direct)
    # D1 (60) is placed in full; S1 (100) only for 60.
    d1, s1 = _get(exchange.d1), _get(exchange.s1)
    assert (d1.status, d1.closed_reason) == (ListingStatus.CLOSED, ClosedReason.PLACED)
    assert d1.closed_at is not None
    assert s1.status == ListingStatus.OPEN and s1.closed_reason == ""
    into = services.proposal_accept(actor=exchange.editor_a, proposal=kinds["to_depot"])
    for _step in ("transported", "placed"):
        into = services.proposal_advance(actor=exchange.editor_a, proposal=into)
    s1 = _get(exchange.s1)
    assert (s1.status, s1.closed_reason) == (ListingStatus.CLOSED, ClosedReason.PLACED)
    # D2 (50) has had nothing placed: still open.
    assert _get(exchange.d2).status == ListingStatus.OPEN
    # A placed listing is not shown as available, and cannot be opened again.
    assert set(selectors.public_listing_list()) == {exchange.d2}
    with pytest.raises(ValidationError) as info:
        services.listing_update(actor=exchange.editor_b, listing=d1, status="open")
    assert "placed" in info.value.message_dict["status"][0]


def test_owner_withdraws_an_open_listing(exchange: Exchange) -> None:
    for user in (exchange.editor_a, exchange.outsider):
        with pytest.raises(PermissionDenied):
            services.listing_withdraw(actor=user, listing=exchange.d2)
    d2 = services.listing_withdraw(actor=exchange.editor_b, listing=exchange.d2)
    assert (d2.status, d2.closed_reason) == (
        ListingStatus.CLOSED,
        ClosedReason.WITHDRAWN,
    )
    assert d2.closed_at is not None
    assert exchange.d2 not in set(selectors.public_listing_list())
    run = services.match_run_start(actor=exchange.coordinator)
    assert run.counts["demands"] == 1
    assert not run.proposals.filter(demand=exchange.d2).exists()
    with pytest.raises(ValidationError, match="closed already"):
        services.listing_withdraw(actor=exchange.editor_b, listing=d2)
    # A fully reserved listing is not open: release first.
    services.proposal_accept(actor=exchange.coordinator, proposal=_kinds(run)["direct"])
    assert _get(exchange.d1).status == ListingStatus.MATCHED
    with pytest.raises(ValidationError, match="release its reserved proposals"):
        services.listing_withdraw(actor=exchange.editor_b, listing=exchange.d1)
    # Closed by hand through an update: the same record of why and when; reopened
    # by hand: cleared.
    s1 = services.listing_update(
        actor=exchange.editor_a, listing=exchange.s1, status="closed"
    )
    assert s1.closed_reason == ClosedReason.WITHDRAWN and s1.closed_at is not None
    s1 = services.listing_update(actor=exchange.editor_a, listing=s1, status="open")
    assert s1.closed_reason == "" and s1.closed_at is None


# The API ---------------------------------------------------------------------------


def _client(user: Any = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _user(x: Exchange, who: str) -> Any:
    return {
        "anonymous": None,
        "other_editor": x.outsider,
        "depot_owner": x.editor_c,
        "owner": x.editor_b,
        "coordinator": x.coordinator,
    }[who]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 403),
        ("other_editor", 404),  # the proposal is not theirs to see
        ("owner", 200),
        ("coordinator", 200),
    ],
)
def test_release_through_the_api(exchange: Exchange, who: str, status: int) -> None:
    direct = _reserved_direct(exchange)
    user = _user(exchange, who)
    url = f"{API}/proposals/{direct.pk}/release/"
    r = _client(user).post(url, {"reason": "Planning changed"}, format="json")
    assert r.status_code == status, r.content
    direct.refresh_from_db()
    if status != 200:
        assert r["Content-Type"] == PROBLEM
        assert direct.status == ProposalStatus.RESERVED
        assert _get(exchange.s1).reserved_quantity == pytest.approx(60)
        return
    body = r.json()
    assert body["proposal_status"] == "released"
    assert body["released_by"] == user.username
    assert body["release_reason"] == "Planning changed"
    assert _get(exchange.s1).reserved_quantity == 0
    entry = LogEntry.objects.get_for_object(direct).latest("timestamp")
    assert entry.actor == user


def test_release_errors_are_problem_details(exchange: Exchange) -> None:
    direct = _reserved_direct(exchange)
    url = f"{API}/proposals/{direct.pk}/release/"
    client = _client(exchange.editor_a)
    r = client.post(url, {}, format="json")
    assert r.status_code == 400 and r["Content-Type"] == PROBLEM
    assert [p["name"] for p in r.json()["invalid_params"]] == ["reason"]
    assert client.post(f"{API}/proposals/{direct.pk}/advance/").status_code == 200
    r = client.post(url, {"reason": "too late"}, format="json")
    assert r.status_code == 400 and r["Content-Type"] == PROBLEM
    [problem] = r.json()["invalid_params"]
    assert problem["name"] == "" and "transported already" in problem["reason"]


def test_depot_owner_cannot_release_a_flow_into_the_depot(exchange: Exchange) -> None:
    run = services.match_run_start(actor=exchange.coordinator)
    into = services.proposal_accept(
        actor=exchange.editor_a, proposal=_kinds(run)["to_depot"]
    )
    url = f"{API}/proposals/{into.pk}/release/"
    # The depot's owner sees the flow but owns no listing of it.
    r = _client(exchange.editor_c).get(f"{API}/proposals/{into.pk}/")
    assert r.status_code == 200
    r = _client(exchange.editor_c).post(url, {"reason": "full"}, format="json")
    assert r.status_code == 403 and r["Content-Type"] == PROBLEM
    r = _client(exchange.editor_a).post(url, {"reason": "not needed"}, format="json")
    assert r.status_code == 200 and r.json()["proposal_status"] == "released"
    assert _get(exchange.s1).reserved_quantity == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 403),
        ("other_editor", 403),
        ("owner", 200),
        ("coordinator", 200),
    ],
)
def test_withdraw_through_the_api(exchange: Exchange, who: str, status: int) -> None:
    url = f"{API}/listings/{exchange.d2.pk}/withdraw/"
    r = _client(_user(exchange, who)).post(url)
    assert r.status_code == status, r.content
    public = {x["id"] for x in _client().get(f"{API}/listings/").json()["results"]}
    if status != 200:
        assert r["Content-Type"] == PROBLEM
        assert _get(exchange.d2).status == ListingStatus.OPEN
        assert exchange.d2.pk in public
        return
    body = r.json()
    assert body["listing_status"] == "closed"
    assert body["closed_reason"] == "withdrawn" and body["closed_at"]
    assert exchange.d2.pk not in public
    # Again: a clear refusal.
    r = _client(_user(exchange, who)).post(url)
    assert r.status_code == 400 and r["Content-Type"] == PROBLEM
    assert "closed already" in r.json()["invalid_params"][0]["reason"]
