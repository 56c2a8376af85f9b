# SPDX-License-Identifier: EUPL-1.2
"""The repair statistics API: the engine's statistics of the stored records (equal
to ``cirkelregio repair ords-stats`` on the files), filters checked as problem
details, public and read-only."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

import pytest

from cirkelregio.accounts.tests.factories import CoordinatorFactory
from cirkelregio.engine.repair import OrdsFile, compute_statistics, read_ords
from cirkelregio.engine.repair import cli as engine_cli
from cirkelregio.repair.services import ords_import

pytestmark = pytest.mark.django_db

URL = "/api/v1/repair/statistics/"
ORDS_DIR = Path(settings.REPO_DIR) / "data" / "ords"
RCI = ORDS_DIR / "OpenRepairData_v0.2.1_RepairCafeInternational_202009.csv"
FIXIT = ORDS_DIR / "OpenRepairData_v0.3_FixitClinic_202507.csv"

HEADER = (
    "id,data_provider,country,partner_product_category,product_category,"
    "product_category_id,brand,year_of_manufacture,product_age,repair_status,"
    "repair_barrier_if_end_of_life,group_identifier,event_date,problem\n"
)
ROWS = (
    "t_1,Test,NLD,koffie,Coffee maker,36,,,,Fixed,,g1,2023-03-18,\n"
    "t_2,Test,NLD,brood,Toaster,31,,,,End of life,Spare parts not available,g1,"
    "2023-03-18,\n"
    "t_3,Test,BEL,laptop,Laptop,16,,,,Repairable,,g2,2024-01-06,\n"
    "t_4,Test,NLD,waterkoker,Kettle,14,,,,Fixed,,g2,2024-02-03,\n"
    "t_5,Test,NLD,iets,Misc,18,,,,Fixed,,g2,2024-02-03,\n"
    "t_6,Test,NLD,lamp,Lamp,15,,,,Unknown,,g2,2024-02-03,\n"
)


@pytest.fixture
def small(tmp_path: Path) -> Any:
    path = tmp_path / "small.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return ords_import(path)


def get(client: Client, **params: Any) -> Any:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_hand_computed_figures(client: Client, small: Any) -> None:
    # Fixed: a coffee maker (Restarters 1.28 kg, 17.50 kg CO2e), a kettle (1.25 kg,
    # 44.32 kg CO2e) and a Misc item (no weight). CO2e = footprint x 0.5.
    body = get(client)
    assert body["overall"] == {
        "records": 6,
        "fixed": 3,
        "repairable": 1,
        "end_of_life": 1,
        "unknown": 1,
        "fix_rate": 0.6,
        "barriers": {
            "Spare parts not available": 1,
            "Spare parts too expensive": 0,
            "No way to open product": 0,
            "Repair information not available": 0,
            "Lack of equipment": 0,
            "Item too worn out": 0,
            "not recorded": 0,
        },
        "waste_prevented_kg": 2.53,
        "co2e_averted_kg": 30.91,
        "fixed_without_factor": 1,
    }
    assert body["groups"] == [] and body["by"] == [] and body["filters"] == {}


def test_filters_and_groups(client: Client, small: Any) -> None:
    nld = get(client, country="NLD")["overall"]
    assert (nld["records"], nld["fixed"], nld["fix_rate"]) == (5, 3, 0.75)
    y2024 = get(client, year=2024)["overall"]
    assert (y2024["records"], y2024["fixed"], y2024["repairable"]) == (4, 2, 1)
    assert y2024["fix_rate"] == pytest.approx(2 / 3)
    assert (y2024["waste_prevented_kg"], y2024["co2e_averted_kg"]) == (1.25, 22.16)
    toaster = get(client, category="Toaster")["overall"]
    assert (toaster["records"], toaster["fixed"], toaster["fix_rate"]) == (1, 0, 0.0)
    lamp = get(client, category="Lamp")["overall"]
    assert lamp["fix_rate"] is None  # its only record has an unknown outcome
    assert get(client, group="g1")["overall"]["records"] == 2
    assert get(client, dataset=small.dataset_id)["overall"]["records"] == 6
    body = get(client, by=["year", "country"], group="g2")
    assert body["filters"] == {"group": "g2"}
    assert [(g["year"], g["country"], g["records"]) for g in body["groups"]] == [
        (2024, "BEL", 1),
        (2024, "NLD", 3),
    ]
    assert get(client, country="FRA")["overall"]["records"] == 0


def test_method_and_datasets_are_named(client: Client, small: Any) -> None:
    body = get(client)
    method = body["method"]
    assert method["displacement"] == 0.5
    assert "restarters.net" in method["source"]
    assert any(
        s["url"] == "https://github.com/TheRestartProject/restarters.net"
        for s in method["sources"]
    )
    assert method["categories_without_weight"] == [
        "Battery/charger/adapter",
        "Large home electrical",
        "Misc",
        "Small home electrical",
    ]
    [dataset] = body["datasets"]
    assert dataset["id"] == small.dataset_id
    assert dataset["licence"] == "CC BY-SA 4.0"
    assert dataset["attribution"] == "Open Repair Alliance, data provider Test"
    assert (dataset["record_count"], dataset["selected_records"]) == (6, 6)
    assert get(client, group="g1")["datasets"][0]["selected_records"] == 2
    assert get(client, country="FRA")["datasets"] == []


@pytest.mark.parametrize(
    ("params", "name", "reason"),
    [
        ({"country": "XXX"}, "country", "Unknown country code XXX."),
        ({"country": "nld"}, "country", "ISO 3166-1 alpha-3"),
        ({"year": "twenty"}, "year", ""),
        ({"year": "1850"}, "year", ""),
        ({"category": "Bicycle"}, "category", ""),
        ({"by": ["country", "country"]}, "by", "at most once"),
        ({"by": ["municipality"]}, "by.0", ""),
        ({"dataset": "999999"}, "dataset", "Unknown dataset 999999."),
        ({"group": "x" * 201}, "group", ""),
    ],
)
def test_bad_filters_are_problem_details(
    client: Client, small: Any, params: dict[str, Any], name: str, reason: str
) -> None:
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    [problem] = response.json()["invalid_params"]
    assert problem["name"] == name
    assert reason in problem["reason"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_public_and_read_only(client: Client, method: str, who: str) -> None:
    if who == "coordinator":
        client.force_login(CoordinatorFactory())
    assert client.get(URL).status_code == 200
    response = getattr(client, method)(URL, {}, content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


# Equal to the engine on the real files -------------------------------------------

BYS: list[list[str]] = [
    [],
    ["country"],
    ["year"],
    ["group"],
    ["category"],
    ["country", "year", "group", "category"],
]


def command_json(path: Path, by: list[str]) -> Any:
    """What ``cirkelregio repair ords-stats FILE --by ...`` writes, read from the
    file by the engine alone (no database)."""
    out = io.StringIO()
    args = [str(path), *(["--by", *by] if by else [])]
    assert engine_cli.main(args, stdout=out) == 0
    return json.loads(out.getvalue())


@pytest.fixture
def both_files() -> dict[Path, int]:
    return {path: ords_import(path).dataset_id for path in (RCI, FIXIT)}


@pytest.mark.parametrize("path", [RCI, FIXIT], ids=["rci", "fixit"])
def test_the_api_equals_the_command_on_each_real_file(
    client: Client, both_files: dict[Path, int], path: Path
) -> None:
    for by in BYS:
        expected = command_json(path, by)
        body = get(client, dataset=both_files[path], by=by)
        assert body["overall"] == expected["overall"], by
        assert body["groups"] == expected["groups"], by
        assert body["method"]["displacement"] == expected["method"]["displacement"]
        assert (
            body["method"]["categories_without_weight"]
            == expected["method"]["categories_without_weight"]
        )


def test_the_api_equals_the_engine_on_both_files_together(
    client: Client, both_files: dict[Path, int]
) -> None:
    records = []
    for path in (RCI, FIXIT):
        ords = read_ords(path)
        assert ords is not None
        records += ords.records
    for by in (["country"], ["year", "category"]):
        result = compute_statistics(records, by)
        expected = json.loads(
            engine_cli.to_json(OrdsFile("both", "0.3", tuple(records)), result)
        )
        body = get(client, by=by)
        assert body["overall"] == expected["overall"]
        assert body["groups"] == expected["groups"]
    # And a filter selects what the engine's grouping finds for the same value.
    nld_2019 = compute_statistics(
        [r for r in records if r.country == "NLD" and r.event_date.year == 2019]
    )
    overall = get(client, country="NLD", year=2019)["overall"]
    assert overall["records"] == nld_2019.overall.records > 0
    assert overall["fixed"] == nld_2019.overall.fixed
    assert overall["co2e_averted_kg"] == round(nld_2019.overall.co2e_averted_kg, 3)
