# SPDX-License-Identifier: EUPL-1.2
"""The registry API with the real reference data and the demo data: reads, filters,
pagination, writes with their phase history and audit trail, and errors as RFC 9457
problem details.

Expected numbers come from the data files (counted here, independently of the loaders)
or from ORM queries written out in the test, never from the API code under test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

import pytest
from auditlog.models import LogEntry
from rest_framework.test import APIClient

from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.regions import services
from cirkelregio.regions.models import (
    ActionLine,
    AnnualPlan,
    Municipality,
    Organisation,
    Participation,
    PhaseChange,
    PlanStatus,
)

DATA_DIR = Path(settings.DATA_DIR)
DEMO_FILE = DATA_DIR / "demo" / "nl-utrecht" / "registry_demo.json"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def registry(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The reference and demo data, loaded once for this module in a transaction that
    is rolled back at its end. Each test runs in a savepoint inside it (``db``), so the
    changes a test makes are undone before the next one."""
    from cirkelregio.regions.services import demo_data_load, reference_data_load

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            reference_data_load(directory=DATA_DIR / "regions" / "nl-utrecht")
            demo_data_load(directory=DATA_DIR / "demo" / "nl-utrecht")
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _data(registry: None, db: None) -> None:
    pass


@pytest.fixture
def demo_file() -> dict[str, Any]:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def coordinator() -> Any:
    return CoordinatorFactory()


@pytest.fixture
def coordinator_client(coordinator: Any) -> APIClient:
    client = APIClient()
    client.force_login(coordinator)
    return client


@pytest.fixture
def utrecht_editor() -> Any:
    return EditorFactory(organisation=Organisation.objects.get(slug="gemeente-utrecht"))


@pytest.fixture
def editor_client(utrecht_editor: Any) -> APIClient:
    client = APIClient()
    client.force_login(utrecht_editor)
    return client


def _all(client: APIClient, url: str) -> list[dict[str, Any]]:
    """Every item of a paginated list, following the ``next`` links."""
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        body = client.get(next_url).json()
        items += body["results"]
        next_url = body["next"]
    return items


def assert_problem(
    response: Any, status: int, *, names: set[str] | None = None
) -> dict[str, Any]:
    """An RFC 9457 problem with this status; with ``names``, exactly these fields are
    listed in ``invalid_params``, each with a reason."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    assert body["status"] == status
    assert body["instance"] == response.wsgi_request.path
    assert body["type"].startswith("https://")
    assert body["title"] and body["detail"]
    if names is not None:
        params = body["invalid_params"]
        assert all(set(p) == {"name", "reason"} and p["reason"] for p in params)
        assert {p["name"] for p in params} == names
    return body


# --- municipalities -------------------------------------------------------------------


def test_municipalities(anonymous: APIClient) -> None:
    response = anonymous.get("/api/v1/municipalities/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 26
    assert {m["cbs_code"] for m in body["results"]} == set(
        Municipality.objects.values_list("cbs_code", flat=True)
    )
    for item in body["results"]:
        assert {"cbs_code", "name", "population", "boundary"} <= set(item)
        assert item["boundary"]["type"] in {"Polygon", "MultiPolygon"}
        assert item["boundary"]["coordinates"]
        assert item["population"] > 0


def test_municipality_by_cbs_code(anonymous: APIClient) -> None:
    response = anonymous.get("/api/v1/municipalities/GM0344/")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Utrecht"
    assert body["population"] == 374238  # CBS key figures 2024 (provenance README)
    assert body["boundary"]["type"] in {"Polygon", "MultiPolygon"}
    west, south, east, north = body["bbox"]
    assert west < body["centroid_lon"] < east
    assert south < body["centroid_lat"] < north


@pytest.mark.parametrize("code", ["GM9999", "utrecht", "gm0344"])
def test_unknown_municipality_is_a_404_problem(anonymous: APIClient, code: str) -> None:
    assert_problem(anonymous.get(f"/api/v1/municipalities/{code}/"), 404)


# --- action lines ---------------------------------------------------------------------


def test_action_lines(anonymous: APIClient, demo_file: dict[str, Any]) -> None:
    response = anonymous.get("/api/v1/action-lines/")
    assert response.status_code == 200
    lines = response.json()
    assert len(lines) == 9
    assert [line["number"] for line in lines] == [1, 2, 3, 4, 5, 6, 7, 8, None]
    per_line: dict[str, int] = {}
    for item in demo_file["participations"]:
        per_line[item["action_line"]] = per_line.get(item["action_line"], 0) + 1
    for line in lines:
        record = ActionLine.objects.get(slug=line["slug"])
        assert [s["text_nl"] for s in line["subgoals"]] == list(
            record.subgoals.order_by("order").values_list("text_nl", flat=True)
        )
        assert [a["title_nl"] for a in line["activities"]] == list(
            record.activities.order_by("order").values_list("title_nl", flat=True)
        )
        if line["number"] is not None:  # the cross-cutting theme has no sub-goals
            assert line["subgoals"], line["slug"]
        assert line["participant_count"] == per_line[line["slug"]]
    repair = next(line for line in lines if line["number"] == 6)
    assert repair["slug"] == "heel-utrecht-repareert"
    assert len(repair["subgoals"]) == 6
    assert repair["activities"]


def test_action_line_by_slug(anonymous: APIClient) -> None:
    body = anonymous.get("/api/v1/action-lines/heel-utrecht-repareert/").json()
    assert body["name_nl"] == "Heel Utrecht Repareert"
    assert body["r_strategies"] == ["extend_life"]
    assert_problem(anonymous.get("/api/v1/action-lines/bestaat-niet/"), 404)


def test_participant_count_leaves_out_unpublished_organisations(
    anonymous: APIClient,
) -> None:
    hidden = Organisation.objects.get(slug="gemeente-utrecht")
    services.organisation_update(actor=None, organisation=hidden, is_published=False)
    lines = anonymous.get("/api/v1/action-lines/").json()
    for line in lines:
        visible = Participation.objects.filter(
            action_line__slug=line["slug"], organisation__is_published=True
        ).count()
        assert line["participant_count"] == visible
    assert any(
        Participation.objects.filter(organisation=hidden, action_line__slug=s).exists()
        for s in (line["slug"] for line in lines)
    )


# --- participations: filters and pagination -------------------------------------------

FILTERS = [
    (
        "action_line=heel-utrecht-repareert",
        Q(action_line__slug="heel-utrecht-repareert"),
    ),
    ("municipality=GM0344", Q(organisation__municipality__cbs_code="GM0344")),
    ("phase=realise", Q(phase="realise")),
    ("role=lead", Q(role="lead")),
    (
        "action_line=heel-utrecht-repareert&phase=realise",
        Q(action_line__slug="heel-utrecht-repareert", phase="realise"),
    ),
    (
        "municipality=GM0344&role=participant",
        Q(organisation__municipality__cbs_code="GM0344", role="participant"),
    ),
    (
        "action_line=utrechtse-asfaltstrategie&phase=explore&role=lead",
        Q(action_line__slug="utrechtse-asfaltstrategie", phase="explore", role="lead"),
    ),
    ("organisation=provincie-utrecht", Q(organisation__slug="provincie-utrecht")),
]


@pytest.mark.parametrize(("query", "condition"), FILTERS, ids=[f[0] for f in FILTERS])
def test_participation_filters(anonymous: APIClient, query: str, condition: Q) -> None:
    expected = set(Participation.objects.filter(condition).values_list("pk", flat=True))
    assert expected, "the demo data should have matches for this filter"
    assert len(expected) < Participation.objects.count()

    response = anonymous.get(f"/api/v1/participations/?{query}&limit=1000")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(expected)
    assert {p["id"] for p in body["results"]} == expected


@pytest.mark.parametrize(
    ("query", "line", "phase", "role"),
    [
        ("action_line=heel-utrecht-repareert", "heel-utrecht-repareert", None, None),
        ("phase=realise", None, "realise", None),
        ("role=lead&phase=explore", None, "explore", "lead"),
        (
            "action_line=heel-utrecht-repareert&phase=realise",
            "heel-utrecht-repareert",
            "realise",
            None,
        ),
    ],
)
def test_participation_counts_agree_with_the_demo_file(
    anonymous: APIClient,
    demo_file: dict[str, Any],
    query: str,
    line: str | None,
    phase: str | None,
    role: str | None,
) -> None:
    expected = [
        p
        for p in demo_file["participations"]
        if (line is None or p["action_line"] == line)
        and (phase is None or p["phase"] == phase)
        and (role is None or p["role"] == role)
    ]
    body = anonymous.get(f"/api/v1/participations/?{query}").json()
    assert body["count"] == len(expected) > 0


def test_municipality_filter_hides_unpublished_organisations_from_the_public(
    anonymous: APIClient, coordinator_client: APIClient
) -> None:
    hidden = Organisation.objects.get(slug="gemeente-utrecht")
    services.organisation_update(actor=None, organisation=hidden, is_published=False)
    in_utrecht = Participation.objects.filter(
        organisation__municipality__cbs_code="GM0344"
    )
    public = in_utrecht.filter(organisation__is_published=True).count()
    assert public < in_utrecht.count()

    url = "/api/v1/participations/?municipality=GM0344"
    assert anonymous.get(url).json()["count"] == public
    assert coordinator_client.get(url).json()["count"] == in_utrecht.count()


@pytest.mark.parametrize(
    ("query", "field"),
    [("phase=dreaming", "phase"), ("role=boss", "role"), ("phase=", None)],
)
def test_invalid_filter_values_are_problems(
    anonymous: APIClient, query: str, field: str | None
) -> None:
    response = anonymous.get(f"/api/v1/participations/?{query}")
    if field is None:  # an empty value means: no filter
        assert response.status_code == 200
        assert response.json()["count"] == Participation.objects.count()
    else:
        assert_problem(response, 400, names={field})


def test_pagination_with_limit_and_offset(anonymous: APIClient) -> None:
    ids = list(Participation.objects.order_by("id").values_list("pk", flat=True))
    assert len(ids) == 118  # the participations in the demo file

    first = anonymous.get("/api/v1/participations/").json()
    assert first["count"] == 118
    assert len(first["results"]) == 100  # the default page size
    assert first["previous"] is None
    assert "limit=100" in first["next"] and "offset=100" in first["next"]

    page = anonymous.get("/api/v1/participations/?limit=10&offset=25").json()
    assert [p["id"] for p in page["results"]] == ids[25:35]
    assert "offset=35" in page["next"] and "offset=15" in page["previous"]

    last = anonymous.get("/api/v1/participations/?limit=10&offset=110").json()
    assert [p["id"] for p in last["results"]] == ids[110:]
    assert last["next"] is None

    assert [p["id"] for p in _all(anonymous, "/api/v1/participations/?limit=7")] == ids
    beyond = anonymous.get("/api/v1/participations/?offset=500").json()
    assert beyond["results"] == [] and beyond["count"] == 118


def test_phase_history_in_date_order(anonymous: APIClient) -> None:
    for item in _all(anonymous, "/api/v1/participations/?limit=1000"):
        history = item["phase_history"]
        assert history, item["id"]
        dates = [h["changed_on"] for h in history]
        assert dates == sorted(dates)
        assert history[-1]["phase"] == item["phase"]
        assert history[0]["changed_on"] == item["since"]


# --- annual plans ---------------------------------------------------------------------


def test_annual_plans_hide_drafts_from_the_public(
    anonymous: APIClient,
    coordinator_client: APIClient,
    editor_client: APIClient,
    demo_file: dict[str, Any],
) -> None:
    published = len([p for p in demo_file["annual_plans"] if p["status"] != "draft"])
    draft = services.annual_plan_create(
        actor=None,
        action_line=ActionLine.objects.get(slug="agricycling"),
        year=2027,
        title_nl="Jaarplan 2027 (concept)",
        status=PlanStatus.DRAFT,
    )

    for client in (anonymous, editor_client):
        plans = client.get("/api/v1/annual-plans/").json()
        assert plans["count"] == published == 10
        assert draft.pk not in {p["id"] for p in plans["results"]}
        assert_problem(client.get(f"/api/v1/annual-plans/{draft.pk}/"), 404)
        filtered = client.get("/api/v1/annual-plans/?status=draft").json()
        assert filtered["count"] == 0

    everything = coordinator_client.get("/api/v1/annual-plans/").json()
    assert everything["count"] == AnnualPlan.objects.count() == published + 1
    response = coordinator_client.get(f"/api/v1/annual-plans/{draft.pk}/")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_annual_plan_filters(anonymous: APIClient, demo_file: dict[str, Any]) -> None:
    in_2025 = [p for p in demo_file["annual_plans"] if p["year"] == 2025]
    body = anonymous.get("/api/v1/annual-plans/?year=2025").json()
    assert body["count"] == len(in_2025) == 2
    body = anonymous.get(
        "/api/v1/annual-plans/?action_line=heel-utrecht-repareert"
    ).json()
    assert sorted(p["year"] for p in body["results"]) == [2025, 2026]
    plan = body["results"][0]
    source = next(
        p
        for p in demo_file["annual_plans"]
        if p["action_line"] == "heel-utrecht-repareert" and p["year"] == plan["year"]
    )
    assert [a["title_nl"] for a in plan["activities"]] == [
        a["title_nl"] for a in source["activities"]
    ]
    assert_problem(
        anonymous.get("/api/v1/annual-plans/?year=1900"), 400, names={"year"}
    )


# --- writes ---------------------------------------------------------------------------


def _free_line(organisation_slug: str) -> ActionLine:
    """An action line the organisation does not take part in yet."""
    return ActionLine.objects.exclude(
        participations__organisation__slug=organisation_slug
    ).first()


def test_editor_registers_participation_with_its_first_phase(
    editor_client: APIClient, utrecht_editor: Any
) -> None:
    line = _free_line("gemeente-utrecht")
    response = editor_client.post(
        "/api/v1/participations/",
        {
            "organisation": "gemeente-utrecht",
            "action_line": line.slug,
            "phase": "explore",
            "role": "participant",
            "since": "2026-02-02",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phase_history"] == [{"phase": "explore", "changed_on": "2026-02-02"}]
    assert body["municipality"] == "GM0344"
    changes = PhaseChange.objects.filter(participation_id=body["id"])
    assert list(changes.values_list("phase", "changed_on", "recorded_by")) == [
        ("explore", dt.date(2026, 2, 2), utrecht_editor.pk)
    ]


def test_participation_without_since_starts_today(
    coordinator_client: APIClient,
) -> None:
    line = _free_line("provincie-utrecht")
    response = coordinator_client.post(
        "/api/v1/participations/",
        {
            "organisation": "provincie-utrecht",
            "action_line": line.slug,
            "phase": "connect",
            "role": "lead",
        },
        format="json",
    )
    assert response.status_code == 201
    today = timezone.localdate().isoformat()
    assert response.json()["since"] == today
    assert response.json()["phase_history"] == [
        {"phase": "connect", "changed_on": today}
    ]


def _connect_participation() -> Participation:
    """A participation in the first phase, with no phase change dated after today."""
    return (
        Participation.objects.filter(phase="connect")
        .exclude(phase_changes__changed_on__gt=timezone.localdate())
        .order_by("id")
        .first()
    )


def test_phase_change_appends_to_the_history(
    coordinator_client: APIClient, coordinator: Any
) -> None:
    participation = _connect_participation()
    before = list(
        participation.phase_changes.values_list("phase", "changed_on").order_by(
            "changed_on", "id"
        )
    )
    changed_on = max(d for _p, d in before) + dt.timedelta(days=30)

    response = coordinator_client.patch(
        f"/api/v1/participations/{participation.pk}/",
        {"phase": "realise", "changed_on": changed_on.isoformat()},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["phase"] == "realise"
    expected = [{"phase": p, "changed_on": d.isoformat()} for p, d in before]
    expected.append({"phase": "realise", "changed_on": changed_on.isoformat()})
    assert body["phase_history"] == expected
    last = participation.phase_changes.latest("id")
    assert (last.phase, last.changed_on, last.recorded_by) == (
        "realise",
        changed_on,
        coordinator,
    )


def test_phase_change_without_date_is_dated_today(
    coordinator_client: APIClient,
) -> None:
    participation = _connect_participation()
    response = coordinator_client.patch(
        f"/api/v1/participations/{participation.pk}/",
        {"phase": "explore"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["phase_history"][-1] == {
        "phase": "explore",
        "changed_on": timezone.localdate().isoformat(),
    }


def test_other_changes_add_no_phase_history(coordinator_client: APIClient) -> None:
    participation = _connect_participation()
    count = participation.phase_changes.count()
    response = coordinator_client.patch(
        f"/api/v1/participations/{participation.pk}/",
        {"role": "lead", "note_nl": "Trekker sinds dit jaar."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["role"] == "lead"
    assert participation.phase_changes.count() == count


def test_backdated_phase_change_is_refused(coordinator_client: APIClient) -> None:
    participation = _connect_participation()
    last = participation.phase_changes.order_by("-changed_on").first().changed_on
    count = participation.phase_changes.count()

    response = coordinator_client.patch(
        f"/api/v1/participations/{participation.pk}/",
        {"phase": "explore", "changed_on": (last - dt.timedelta(days=1)).isoformat()},
        format="json",
    )

    assert_problem(response, 400, names={"changed_on"})
    participation.refresh_from_db()
    assert participation.phase == "connect"
    assert participation.phase_changes.count() == count


def test_contact_details_are_hidden_from_the_public(
    anonymous: APIClient,
    coordinator_client: APIClient,
    editor_client: APIClient,
) -> None:
    own = Participation.objects.filter(organisation__slug="gemeente-utrecht").first()
    other = Participation.objects.exclude(organisation__slug="gemeente-utrecht").first()
    for participation in (own, other):
        services.participation_update(
            actor=None,
            participation=participation,
            contact_name="Pim Contact",
            contact_email="pim@example.org",
        )

    def contact(client: APIClient, p: Participation) -> tuple[str, str]:
        body = client.get(f"/api/v1/participations/{p.pk}/").json()
        return body["contact_name"], body["contact_email"]

    assert contact(anonymous, own) == ("", "")
    assert contact(editor_client, own) == ("Pim Contact", "pim@example.org")
    assert contact(editor_client, other) == ("", "")
    assert contact(coordinator_client, other) == ("Pim Contact", "pim@example.org")
    listed = _all(anonymous, "/api/v1/participations/?limit=1000")
    assert all(p["contact_email"] == "" for p in listed)


def test_coordinator_creates_annual_plan_with_activities(
    coordinator_client: APIClient,
) -> None:
    response = coordinator_client.post(
        "/api/v1/annual-plans/",
        {
            "action_line": "agricycling",
            "year": 2027,
            "title_nl": "Jaarplan Agricycling 2027",
            "status": "adopted",
            "activities": [
                {"title_nl": "Maaiseizoen plannen", "quarter": 1},
                {"title_nl": "Composteren", "lead": "cooperatie-agricycling"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    plan = AnnualPlan.objects.get(pk=response.json()["id"])
    assert list(plan.activities.values_list("order", "title_nl", "lead__slug")) == [
        (1, "Maaiseizoen plannen", None),
        (2, "Composteren", "cooperatie-agricycling"),
    ]


# --- bad input: problem details -------------------------------------------------------


def _participation_body(**changes: Any) -> dict[str, Any]:
    line = _free_line("gemeente-utrecht")
    return {
        "organisation": "gemeente-utrecht",
        "action_line": line.slug,
        "phase": "connect",
        "role": "participant",
        **changes,
    }


def _existing_pair() -> dict[str, Any]:
    existing = Participation.objects.filter(organisation__slug="gemeente-utrecht")[0]
    return {"action_line": existing.action_line.slug}


def _plan_body(**changes: Any) -> dict[str, Any]:
    return {"action_line": "agricycling", "year": 2027, "title_nl": "Plan", **changes}


BAD_INPUT = [
    (
        "participation-phase",
        "participations",
        lambda: _participation_body(phase="dreaming"),
        {"phase"},
    ),
    (
        "participation-role",
        "participations",
        lambda: _participation_body(role="boss"),
        {"role"},
    ),
    (
        "unknown-line",
        "participations",
        lambda: _participation_body(action_line="geen-lijn"),
        {"action_line"},
    ),
    (
        "unknown-organisation",
        "participations",
        lambda: _participation_body(organisation="niemand"),
        {"organisation"},
    ),
    (
        "duplicate-participation",
        "participations",
        lambda: _participation_body(**_existing_pair()),
        {"action_line"},
    ),
    (
        "missing-fields",
        "participations",
        lambda: {},
        {"organisation", "action_line", "phase", "role"},
    ),
    (
        "bad-date",
        "participations",
        lambda: _participation_body(since="gisteren"),
        {"since"},
    ),
    ("plan-year-too-early", "annual-plans", lambda: _plan_body(year=2014), {"year"}),
    ("plan-year-too-late", "annual-plans", lambda: _plan_body(year=2101), {"year"}),
    ("duplicate-plan", "annual-plans", lambda: _plan_body(year=2026), {"year"}),
    (
        "plan-activities",
        "annual-plans",
        lambda: _plan_body(
            activities=[
                {"title_nl": ""},
                {"title_nl": "Goed"},
                {"title_nl": "Te laat", "quarter": 5, "lead": "niemand"},
            ]
        ),
        {"activities.0.title_nl", "activities.2.quarter", "activities.2.lead"},
    ),
    (
        "organisation-duplicate-name",
        "organisations",
        lambda: {"name": "gemeente utrecht", "kind": "company"},
        {"name"},
    ),
    (
        "organisation-kind",
        "organisations",
        lambda: {"name": "Nieuw", "kind": "club"},
        {"kind"},
    ),
]


@pytest.mark.parametrize(
    ("resource", "body", "names"),
    [pytest.param(r, b, n, id=i) for i, r, b, n in BAD_INPUT],
)
def test_bad_input_is_a_problem_naming_each_field(
    coordinator_client: APIClient, resource: str, body: Any, names: set[str]
) -> None:
    counts = (
        Participation.objects.count(),
        AnnualPlan.objects.count(),
        Organisation.objects.count(),
    )
    response = coordinator_client.post(f"/api/v1/{resource}/", body(), format="json")
    problem = assert_problem(response, 400, names=names)
    assert problem["type"].endswith("/invalid-params")
    assert (
        Participation.objects.count(),
        AnnualPlan.objects.count(),
        Organisation.objects.count(),
    ) == counts


def test_nul_characters_are_refused_not_sent_to_the_database(
    coordinator_client: APIClient,
) -> None:
    """PostgreSQL cannot compare text with a NUL character; such a value must be a
    client error on every database, not a server error on PostgreSQL."""
    for url in ("/api/v1/organisations/%00/", "/api/v1/action-lines/a%00b/"):
        assert_problem(coordinator_client.get(url), 404)
    for query in ("organisation=%00", "action_line=a%00", "municipality=GM%00"):
        response = coordinator_client.get(f"/api/v1/participations/?{query}")
        assert_problem(response, 400, names={query.split("=")[0]})
    nul = "gemeente-utrecht\x00"
    cases = [
        ("participations", _participation_body(organisation=nul), {"organisation"}),
        ("participations", _participation_body(action_line=nul), {"action_line"}),
        (
            "organisations",
            {"name": "N", "kind": "company", "municipality": "GM\x00"},
            {"municipality"},
        ),
        ("annual-plans", _plan_body(action_line=nul), {"action_line"}),
        (
            "annual-plans",
            _plan_body(activities=[{"title_nl": "A", "lead": nul}]),
            {"activities.0.lead"},
        ),
    ]
    for resource, body, names in cases:
        response = coordinator_client.post(f"/api/v1/{resource}/", body, format="json")
        assert_problem(response, 400, names=names)


def test_a_duplicate_stored_concurrently_is_still_a_400(
    coordinator_client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests may pass validation at the same time; the database then refuses
    the second row. That must be the same problem, not a server error."""
    from cirkelregio.regions.services import registry

    real = registry._full_clean
    calls: list[Any] = []

    def skip_first_check(instance: Any) -> None:
        calls.append(instance)
        if len(calls) > 1:
            real(instance)

    monkeypatch.setattr(registry, "_full_clean", skip_first_check)
    count = Participation.objects.count()
    response = coordinator_client.post(
        "/api/v1/participations/",
        _participation_body(**_existing_pair()),
        format="json",
    )
    # The service's own check was skipped once; the database refused the row and the
    # save reported it as the same field error.
    assert_problem(response, 400, names={"action_line"})
    assert len(calls) == 1
    assert Participation.objects.count() == count


def test_patch_with_invalid_values(coordinator_client: APIClient) -> None:
    participation = _connect_participation()
    response = coordinator_client.patch(
        f"/api/v1/participations/{participation.pk}/",
        {"phase": "dreaming", "contact_email": "geen-adres"},
        format="json",
    )
    assert_problem(response, 400, names={"phase", "contact_email"})


def test_unknown_url_is_a_404_problem(anonymous: APIClient) -> None:
    for url in ("/api/v1/bestaat-niet/", "/api/v2/municipalities/", "/api/v1/"):
        assert_problem(anonymous.get(url), 404)


@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_put_is_not_allowed(
    who: str, anonymous: APIClient, coordinator_client: APIClient
) -> None:
    client = anonymous if who == "anonymous" else coordinator_client
    participation = _connect_participation()
    response = client.put(
        f"/api/v1/participations/{participation.pk}/",
        {"phase": "realise"},
        format="json",
    )
    assert_problem(response, 405)
    assert "PUT" not in response["Allow"] and "PATCH" in response["Allow"]
    participation.refresh_from_db()
    assert participation.phase == "connect"


def test_a_server_error_is_a_problem_too(
    anonymous: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cirkelregio.regions import selectors

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "municipality_list", broken)
    body = assert_problem(anonymous.get("/api/v1/municipalities/"), 500)
    assert "fire" not in json.dumps(body)


def test_json_only(coordinator_client: APIClient) -> None:
    response = coordinator_client.post(
        "/api/v1/organisations/",
        "name=Formulier&kind=company",
        content_type="application/x-www-form-urlencoded",
    )
    assert_problem(response, 415)


# --- audit trail ----------------------------------------------------------------------


def test_api_changes_are_audited_with_the_actor(
    coordinator_client: APIClient, coordinator: Any
) -> None:
    participation = _connect_participation()
    response = coordinator_client.patch(
        f"/api/v1/participations/{participation.pk}/",
        {"phase": "explore"},
        format="json",
    )
    assert response.status_code == 200
    entry = LogEntry.objects.get_for_object(participation).latest("timestamp")
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == coordinator
    assert entry.changes_dict["phase"] == ["connect", "explore"]

    organisation = Organisation.objects.get(slug="tno")
    coordinator_client.patch(
        "/api/v1/organisations/tno/",
        {"website": "https://www.tno.nl/"},
        format="json",
    )
    entry = LogEntry.objects.get_for_object(organisation).latest("timestamp")
    assert entry.actor == coordinator
    assert entry.changes_dict["website"] == ["", "https://www.tno.nl/"]


def test_api_creation_and_deletion_are_audited(
    editor_client: APIClient, utrecht_editor: Any
) -> None:
    created = editor_client.post(
        "/api/v1/participations/", _participation_body(), format="json"
    ).json()
    participation = Participation.objects.get(pk=created["id"])
    entry = LogEntry.objects.get_for_object(participation).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, utrecht_editor)

    response = editor_client.delete(f"/api/v1/participations/{created['id']}/")
    assert response.status_code == 204
    deleted = LogEntry.objects.filter(
        object_pk=str(created["id"]),
        content_type__model="participation",
        action=LogEntry.Action.DELETE,
    ).get()
    assert deleted.actor == utrecht_editor
