# SPDX-License-Identifier: EUPL-1.2
"""The repair-impact page (in both languages, with its charts, tables, CSV downloads,
method and data attribution) and the form on which a repair café records its own
repairs (who may use it)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.test import Client
from django.utils import timezone

import pytest

from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)
from cirkelregio.engine.repair import compute_statistics, read_ords
from cirkelregio.engine.repair.cli import to_csv
from cirkelregio.regions.tests.factories import OrganisationFactory
from cirkelregio.repair import selectors
from cirkelregio.repair.services import ords_import

pytestmark = pytest.mark.django_db

PAGE = "/reparatiekaart/impact/"
HEADER = (
    "id,data_provider,country,partner_product_category,product_category,"
    "product_category_id,brand,year_of_manufacture,product_age,repair_status,"
    "repair_barrier_if_end_of_life,group_identifier,event_date,problem\n"
)
ROWS = (
    "t_1,Test Café,NLD,koffie,Coffee maker,36,,,,Fixed,,g1,2023-03-18,\n"
    "t_2,Test Café,NLD,brood,Toaster,31,,,,End of life,Spare parts not available,"
    "g1,2023-03-18,\n"
    "t_3,Test Café,BEL,laptop,Laptop,16,,,,Repairable,,g2,2024-01-06,\n"
    "t_4,Test Café,NLD,waterkoker,Kettle,14,,,,Fixed,,g2,2024-02-03,\n"
)


@pytest.fixture
def ords_file(tmp_path: Path) -> Path:
    path = tmp_path / "test.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    ords_import(path)
    return path


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_page_renders_in_both_languages(
    client: Client, ords_file: Path, prefix: str
) -> None:
    response = client.get(prefix + PAGE)
    assert response.status_code == 200
    assert response["Content-Language"] == ("en" if prefix else "nl")
    html = response.content.decode()
    assert f'<html lang="{"en" if prefix else "nl"}"' in html
    # Three charts, each followed by its numbers in a table with a CSV download.
    assert html.count('<svg class="cr-chart__svg"') == 3
    assert 'id="table-years"' in html and 'id="table-categories"' in html
    assert f'href="{prefix}{PAGE}per-jaar.csv"' in html
    assert f'href="{prefix}{PAGE}per-categorie.csv"' in html
    # The method, its sources and the data's licence and attribution.
    assert "https://github.com/TheRestartProject/restarters.net" in html
    assert "https://github.com/openrepair/datastandard" in html
    assert "Open Repair Alliance, data provider Test Café" in html
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license"' in (
        html
    )
    assert ">CC BY-SA 4.0</a>" in html


def test_the_figures_on_the_page(client: Client, ords_file: Path) -> None:
    html = client.get("/en" + PAGE).content.decode()
    # 4 items, 2 fixed (coffee maker 1.28 kg / 8.75 kg CO2e, kettle 1.25 kg /
    # 22.16 kg CO2e), fix rate 2 / 4.
    assert "<dt>Items brought in</dt><dd>4</dd>" in html
    assert "<dt>Fixed</dt><dd>2</dd>" in html
    assert "<dt>Fix rate</dt><dd>50 %</dd>" in html
    assert "<dt>Waste prevented</dt><dd>3 kg</dd>" in html
    assert "<dt>CO2e averted</dt><dd>31 kg</dd>" in html
    # The per-year table: 2024 has the laptop (repairable) and the kettle.
    row_2024 = html[html.index('scope="row">2024<') :].split("</tr>")[0]
    cells = [c.split("<")[0] for c in row_2024.split('cr-num">')[1:]]
    assert cells == ["2", "1", "1", "0", "0", "50.0 %", "1.3", "22.2"]


def test_the_filters(client: Client, ords_file: Path) -> None:
    html = client.get("/en" + PAGE, {"country": "BEL"}).content.decode()
    assert "<dt>Items brought in</dt><dd>1</dd>" in html
    assert "<dt>Fix rate</dt><dd>0 %</dd>" in html
    assert f'href="/en{PAGE}per-jaar.csv?country=BEL"' in html
    html = client.get("/en" + PAGE, {"year": "2023"}).content.decode()
    assert "<dt>Items brought in</dt><dd>2</dd>" in html
    # A country without records is not offered; the page shows all and says why.
    html = client.get("/en" + PAGE, {"country": "FRA"}).content.decode()
    assert "Select a valid choice" in html
    assert "<dt>Items brought in</dt><dd>4</dd>" in html


def test_the_csv_downloads_are_the_engines(client: Client, ords_file: Path) -> None:
    ords = read_ords(ords_file)
    assert ords is not None
    nld = [r for r in ords.records if r.country == "NLD"]
    response = client.get(PAGE + "per-jaar.csv", {"country": "NLD"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "repair-impact-per-jaar-NLD.csv" in response["Content-Disposition"]
    assert response.content.decode() == to_csv(compute_statistics(nld, ["year"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["scope"], r["year"], r["records"]) for r in rows] == [
        ("overall", "", "3"),
        ("group", "2023", "2"),
        ("group", "2024", "1"),
    ]
    response = client.get(PAGE + "per-categorie.csv")
    assert response.content.decode() == to_csv(
        compute_statistics(ords.records, ["category"])
    )
    assert client.get(PAGE + "per-gemeente.csv").status_code == 404


def test_the_page_without_records(client: Client) -> None:
    response = client.get("/en" + PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There are no repair records for this selection yet." in html
    assert "<svg" not in html


# Recording own repairs -------------------------------------------------------------


@dataclass
class People:
    org_a: Any
    org_b: Any
    editor_a: Any
    editor_b: Any
    coordinator: Any
    member: Any


@pytest.fixture
def people(db: Any) -> People:
    org_a = OrganisationFactory(slug="repair-cafe-a", name="Repair Café A")
    org_b = OrganisationFactory(slug="repair-cafe-b", name="Repair Café B")
    return People(
        org_a=org_a,
        org_b=org_b,
        editor_a=EditorFactory(organisation=org_a),
        editor_b=EditorFactory(organisation=org_b),
        coordinator=CoordinatorFactory(),
        member=UserFactory(organisation=org_a),
    )


FORM_A = PAGE + "reparaties/repair-cafe-a/"
ITEM = {
    "event_date": "2025-03-15",
    "product_category_id": "36",
    "brand": "",
    "repair_status": "1",
    "repair_barrier": "",
    "problem": "lekt water",
}


def own_records(organisation: Any) -> list[str]:
    return list(
        selectors.own_record_list(organisation=organisation).values_list(
            "ords_id", flat=True
        )
    )


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, people: People) -> None:
    for response in (client.get(FORM_A), client.post(FORM_A, ITEM)):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")
    response = client.get(PAGE + "reparaties/")
    assert (
        response["Location"] == "/admin/login/?next=/reparatiekaart/impact/reparaties/"
    )
    assert own_records(people.org_a) == []


def test_an_editor_of_another_organisation_may_not(
    client: Client, people: People
) -> None:
    client.force_login(people.editor_b)
    assert client.get(FORM_A).status_code == 403
    assert client.post(FORM_A, ITEM).status_code == 403
    assert own_records(people.org_a) == []
    # Nor may a member of the organisation without an editing role.
    client.force_login(people.member)
    assert client.post(FORM_A, ITEM).status_code == 403
    assert client.get(PAGE + "reparaties/").status_code == 403
    assert own_records(people.org_a) == []


@pytest.mark.parametrize("who", ["editor_a", "coordinator"])
def test_the_editor_and_a_coordinator_record(
    client: Client, people: People, who: str
) -> None:
    client.force_login(getattr(people, who))
    response = client.get("/en" + FORM_A)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Record repairs of Repair Café A" in html
    assert "Do not write names, addresses, phone numbers" in html
    # A date input takes an ISO date, whatever the language of the page.
    today = timezone.localdate().isoformat()
    for prefix in ("", "/en"):
        form = client.get(prefix + FORM_A).content.decode()
        assert f'type="date" name="event_date" value="{today}"' in form
    response = client.post("/en" + FORM_A, ITEM)
    assert response.status_code == 302
    assert response["Location"] == f"/en{FORM_A}?opgeslagen=repair-cafe-a_1"
    assert own_records(people.org_a) == ["repair-cafe-a_1"]
    html = client.get(response["Location"]).content.decode()
    assert "Saved as record repair-cafe-a_1." in html
    assert ">repair-cafe-a_1</th>" in html
    # It counts in the public statistics.
    overall = selectors.repair_statistics().overall
    assert (overall.records, overall.fixed) == (1, 1)
    assert overall.waste_prevented_kg == pytest.approx(1.28)
    page = client.get("/en" + PAGE).content.decode()
    assert "Own records of Repair Café A: 1 item." in page
    # One record more: the plural.
    assert client.post("/en" + FORM_A, ITEM).status_code == 302
    page = client.get("/en" + PAGE).content.decode()
    assert "Own records of Repair Café A: 2 items." in page


def test_the_data_counts_its_items_in_singular_and_plural(
    client: Client, ords_file: Path
) -> None:
    # Four records of Test Café, one of them in Belgium.
    page = client.get("/en" + PAGE).content.decode()
    assert "Test Café: 4 items (test.csv, ORDS" in page
    page = client.get("/en" + PAGE, {"country": "BEL"}).content.decode()
    assert "Test Café: 1 item (test.csv, ORDS" in page


def test_a_wrong_item_is_shown_on_its_field(client: Client, people: People) -> None:
    client.force_login(people.editor_a)
    tomorrow = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        "/en" + FORM_A,
        {**ITEM, "event_date": tomorrow, "repair_barrier": "1"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["event_date"] == ["The date lies in the future."]
    response = client.post("/en" + FORM_A, {**ITEM, "repair_barrier": "1"})
    assert response.context["form"].errors == {
        "repair_barrier": [
            "A barrier is only recorded when the item is at its end of life."
        ]
    }
    response = client.post("/en" + FORM_A, {**ITEM, "product_category_id": "41"})
    assert list(response.context["form"].errors) == ["product_category_id"]
    assert own_records(people.org_a) == []


def test_choosing_the_organisation(client: Client, people: People) -> None:
    choose = PAGE + "reparaties/"
    client.force_login(people.editor_a)
    assert client.get(choose)["Location"] == FORM_A
    client.force_login(people.coordinator)
    response = client.get(choose)
    assert response.status_code == 200
    assert 'value="repair-cafe-b"' in response.content.decode()
    response = client.get(choose, {"organisatie": "repair-cafe-b"})
    assert response["Location"] == PAGE + "reparaties/repair-cafe-b/"
    assert client.get(PAGE + "reparaties/geen-cafe/").status_code == 404
