# SPDX-License-Identifier: EUPL-1.2
"""Who reads a harmonisation run: a run names the works it harmonised, so a run
that includes works of an unpublished road authority is read only by that
authority's road managers and the coordinators; runs of published authorities'
works by everyone. On the plan of ``plan.py`` with the province unpublished: its
2027 work W2 is in a coordinator's run of 2027, not in the town's."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest
from rest_framework.test import APIClient

from cirkelregio.roads import selectors, services
from cirkelregio.roads.models import HarmonisationRun
from cirkelregio.roads.tests import plan as plan_module
from cirkelregio.roads.tests.conftest import Roads

API = "/api/v1/roads/harmonisation-runs/"
PAGE = "/en/wegen/harmonisatie/"


@pytest.fixture
def runs(roads: Roads) -> dict[str, HarmonisationRun]:
    plan_module.build(roads.town, roads.province)
    roads.province.is_published = False
    roads.province.save()
    return {
        # The town's road manager does not see the province's works: only W1.
        "town": services.harmonisation_run(actor=roads.town_editor, year_from=2027),
        # The coordinator's and the province's include W2 of the province.
        "coordinator": services.harmonisation_run(
            actor=roads.coordinator, year_from=2027
        ),
        "province": services.harmonisation_run(
            actor=roads.province_editor, year_from=2027
        ),
    }


def _readers(roads: Roads) -> dict[str, Any]:
    return {
        "anonymous": None,
        "member": roads.member,
        "town_editor": roads.town_editor,
        "company_editor": roads.company_editor,
        "province_editor": roads.province_editor,
        "coordinator": roads.coordinator,
    }


def test_the_run_records_whose_works_it_names(
    roads: Roads, runs: dict[str, HarmonisationRun]
) -> None:
    assert runs["town"].parameters["works_of"] == ["gemeente-a"]
    assert {a["external_id"] for a in runs["town"].assignments} == {"W1"}
    for name in ("coordinator", "province"):
        assert runs[name].parameters["works_of"] == ["gemeente-a", "provincie-x"]
        assert "W2" in {a["external_id"] for a in runs[name].assignments}


@pytest.mark.parametrize(
    "who, sees",
    [
        ("anonymous", {"town"}),
        ("member", {"town"}),
        ("town_editor", {"town"}),
        ("company_editor", {"town"}),
        ("province_editor", {"town", "coordinator", "province"}),
        ("coordinator", {"town", "coordinator", "province"}),
    ],
)
def test_runs_of_unpublished_works_are_read_by_their_managers(
    roads: Roads, runs: dict[str, HarmonisationRun], who: str, sees: set[str]
) -> None:
    user = _readers(roads)[who]
    names = {run.pk: name for name, run in runs.items()}
    listed = {names[r.pk] for r in selectors.harmonisation_run_list(user=user)}
    assert listed == sees
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    body = client.get(API).json()
    assert {names[r["id"]] for r in body["results"]} == sees
    for name, run in runs.items():
        detail = client.get(f"{API}{run.pk}/")
        assert detail.status_code == (200 if name in sees else 404)


def test_the_page_does_not_show_a_hidden_run(
    roads: Roads, runs: dict[str, HarmonisationRun]
) -> None:
    hidden = runs["province"]
    page = Client().get(PAGE, {"run": hidden.pk}).content.decode()
    # The newest readable run is shown instead, and W2 appears nowhere.
    assert "W1 (gemeente-a)" in page
    assert "W2 (" not in page and "provincie-x" not in page
    assert f"?run={hidden.pk}#result" not in page
    manager = Client()
    manager.force_login(roads.province_editor)
    own = manager.get(PAGE, {"run": hidden.pk}).content.decode()
    assert "W2 (provincie-x)" in own and f"?run={hidden.pk}#result" in own


def test_published_again_everyone_reads_them(
    roads: Roads, runs: dict[str, HarmonisationRun]
) -> None:
    roads.province.is_published = True
    roads.province.save()
    assert selectors.harmonisation_run_list(user=None).count() == 3


def test_older_runs_without_the_record_are_judged_by_their_assignments(
    roads: Roads, runs: dict[str, HarmonisationRun]
) -> None:
    for run in runs.values():
        run.parameters.pop("works_of")
        run.save()
    visible = set(selectors.harmonisation_run_list(user=None))
    assert visible == {runs["town"]}
