# SPDX-License-Identifier: EUPL-1.2
"""The Circulaire Ambachtscentra pages with the real reference data and the demo
(invented sites, demo scenarios solved at load time): the public reads the list,
the published scenarios and the municipality section; only coordinators plan a
scenario and run it p by p, with a CSRF token; bad input gets clear messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

import pytest

from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)
from cirkelregio.craftcentres import selectors, services
from cirkelregio.regions import selectors as region_selectors

DATA = Path(settings.DATA_DIR)


@dataclass
class Site:
    users: dict[str, User | None]

    def client(self, who: str) -> Client:
        client = Client()
        user = self.users[who]
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def site(reference_data: Any) -> Site:
    services.craftcentres_demo_load(
        directory=DATA / "demo" / "nl-utrecht" / "craftcentres"
    )
    utrecht = region_selectors.municipality_get(slug="utrecht")
    own = region_selectors.organisation_list().get(
        kind="municipality", municipality=utrecht
    )
    return Site(
        users={
            "anonymous": None,
            "member": UserFactory(),
            "municipal editor": EditorFactory(organisation=own),
            "coordinator": CoordinatorFactory(),
        }
    )


PLANNERS = {"coordinator"}
OTHERS = ["member", "municipal editor"]


def _hidden(site: Site) -> Any:
    hidden = services.scenario_create(
        actor=None,
        name="Niet gepubliceerd",
        model="coverage",
        p_values=[2, 3],
    )
    return hidden


@pytest.mark.parametrize("who", ["anonymous", *OTHERS, "coordinator"])
def test_everyone_reads_the_list_and_the_published_scenarios(
    site: Site, who: str
) -> None:
    client = site.client(who)
    page = client.get("/en/ambachtscentra/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Demo: kortste gemiddelde afstand" in text
    assert "Kandidaat Utrecht (demo)" in text
    assert ("Plan a new network scenario" in text) == (who in PLANNERS)
    scenario = selectors.scenario_list().get(name="Demo: kortste gemiddelde afstand")
    detail = client.get(f"/en/ambachtscentra/{scenario.pk}/")
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "The networks side by side" in body
    assert "The network with 4 centres" in body  # chosen_p of the demo
    assert body.count('class="cr-chart__svg"') == 2
    assert client.get(f"/en/ambachtscentra/{scenario.pk}/?p=2").status_code == 200
    hidden = _hidden(site)
    status = client.get(f"/en/ambachtscentra/{hidden.pk}/").status_code
    assert status == (200 if who in PLANNERS else 404)


@pytest.mark.parametrize("who", ["anonymous", *OTHERS])
def test_only_coordinators_plan_and_run(site: Site, who: str) -> None:
    client = site.client(who)
    hidden = _hidden(site)
    for path in ("/ambachtscentra/nieuw/", f"/ambachtscentra/{hidden.pk}/berekenen/"):
        get = client.get(path)
        post = client.post(path, {"name": "X", "model": "p-median", "p_values": "1"})
        if who == "anonymous":
            assert get.status_code == 302 and "/login/" in get["Location"]
            assert post.status_code == 302 and "/login/" in post["Location"]
        else:
            assert (get.status_code, post.status_code) == (403, 403)
    assert services.remaining_p(hidden) == [2, 3]
    assert (
        not selectors.scenario_list(user=site.users["coordinator"])
        .filter(name="X")
        .exists()
    )


def test_a_coordinator_plans_and_runs_a_scenario(site: Site) -> None:
    client = site.client("coordinator")
    assert client.get("/en/ambachtscentra/nieuw/").status_code == 200
    sites = [s.pk for s in selectors.site_list()[:5]]
    form = {
        "name": "Vijf locaties",
        "model": "coverage",
        "p_values": "1-3",
        "coverage_km": "10",
        "detour_factor": "1,3",
        "reusable_percent": "",
        "reusable_source": "",
        "year": "2021",
        "sites": sites,
    }
    bad = client.post("/en/ambachtscentra/nieuw/", {**form, "reusable_percent": "150"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "between 0 and 100 % (got 150)" in text
    assert "Give the source of the reusable share" in text
    response = client.post("/en/ambachtscentra/nieuw/", form)
    assert response.status_code == 302
    scenario = selectors.scenario_list(user=site.users["coordinator"]).get(
        name="Vijf locaties"
    )
    assert sorted(s.pk for s in scenario.sites.all()) == sorted(sites)
    run = f"/en/ambachtscentra/{scenario.pk}/berekenen/"
    assert response["Location"].endswith(f"/ambachtscentra/{scenario.pk}/berekenen/")
    page = client.get(run).content.decode()
    assert 'max="3" value="0"' in page
    assert "Compute the 3 networks still missing" in page
    # One background job computes every p (the immediate backend runs it in the
    # request); the scenario's page with its networks follows.
    done = client.post(run)
    assert done.status_code == 302
    assert done["Location"].endswith(f"/ambachtscentra/{scenario.pk}/")
    assert services.remaining_p(scenario) == []
    page = client.get(run).content.decode()
    assert 'max="3" value="3"' in page and "still missing" not in page


def test_the_run_needs_a_csrf_token(site: Site) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(site.users["coordinator"])  # type: ignore[arg-type]
    hidden = _hidden(site)
    response = client.post(f"/ambachtscentra/{hidden.pk}/berekenen/")
    assert response.status_code == 403
    assert services.remaining_p(hidden) == [2, 3]


def test_the_municipality_page_shows_its_centre_and_tonnes(site: Site) -> None:
    page = Client().get("/en/gemeenten/utrecht/").content.decode()
    assert "Circular craft centre for Utrecht" in page
    network = selectors.municipality_network(
        municipality=region_selectors.municipality_get(slug="utrecht")  # type: ignore[arg-type]
    )
    assert network.centre is not None and network.centre["name"] in page
    assert network.rate.kg_per_inhabitant == 146.0
