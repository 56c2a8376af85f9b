# SPDX-License-Identifier: EUPL-1.2
"""The Regiomonitor pages with the real reference data and a few hand-made indicator
values: everyone reads the published indicators (unknown and unpublished ones are not
found), the figures, trends and targets are the hand-computed ones, every CSV holds
the numbers its table shows, and /monitor/ runs as many queries for 2 municipalities
and 2 years as for 6 municipalities and 5 years."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from typing import Any

from django.test import Client

import pytest

from cirkelregio.accounts.tests.factories import CoordinatorFactory, UserFactory
from cirkelregio.monitoring.models import Indicator, IndicatorValue
from cirkelregio.regions import selectors as regions
from cirkelregio.regions.tests.factories import ActionLineFactory, MunicipalityFactory


def _indicator(code: str, **kw: Any) -> Indicator:
    fields: dict[str, Any] = {
        "name_nl": f"{code} nl",
        "name_en": f"{code} en",
        "definition_nl": "Testdefinitie.",
        "definition_en": "Test definition.",
        "unit": "t",
        "decimals": 1,
        "source_kind": "manual",
        "source_nl": "Testbron",
        "min_value": 0,
        **kw,
    }
    return Indicator.objects.create(code=code, **fields)


@pytest.fixture
def monitor(reference_data: Any) -> Indicator:
    """Reused tonnes of the line 'Stenen delen': region 10.0 t (2023) and 12.5 t
    (2024) against a target of 50 t in 2030; Utrecht 4.0 and 5.3 t, Amersfoort 2.0 t
    in 2024; and an unpublished indicator."""
    line = regions.action_line_get(slug="stenen-delen-in-de-regio")
    tonnes = _indicator(
        "tonnes",
        action_line=line,
        target_value=50,
        target_year=2030,
        target_source="koersdocument regel 1",
    )
    utrecht = regions.municipality_get(slug="utrecht")
    amersfoort = regions.municipality_get(slug="amersfoort")
    for m, year, value in (
        (None, 2023, 10.0),
        (None, 2024, 12.5),
        (utrecht, 2023, 4.0),
        (utrecht, 2024, 5.3),
        (amersfoort, 2024, 2.0),
    ):
        IndicatorValue.objects.create(
            indicator=tonnes, municipality=m, year=year, value=value, source="s"
        )
    hidden = _indicator("hidden", is_published=False)
    IndicatorValue.objects.create(indicator=hidden, year=2024, value=1.0, source="s")
    return tonnes


class _Tables(HTMLParser):
    """The text of every cell of every table, by the table's id."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_thead = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id") or f"t{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "thead":
            self._in_thead = True
        elif tag == "tr" and self._table and not self._in_thead:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_thead = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _shown(cell: str) -> str:
    """A number as the English page shows it, as the CSV gives it: no grouping
    commas, no unit, no year in brackets; a dash is empty."""
    cell = re.sub(r"\(\d{4}\)", "", cell).replace(",", "").replace("+", "")
    cell = cell.replace(" t", "").strip()
    return "" if cell == "–" else cell


PAGES = [
    "/monitor/",
    "/monitor/?jaar=2023",
    "/monitor/?jaar=1999",
    "/monitor/indicatoren/tonnes/",
    "/monitor/indicatoren/tonnes/?jaar=2023&gemeente=utrecht&gemeente=amersfoort",
    "/monitor/regiomonitor.csv",
    "/monitor/indicatoren/tonnes/trend.csv",
    "/monitor/indicatoren/tonnes/kaart.csv",
    "/monitor/indicatoren/tonnes/vergelijking.csv",
    "/monitor/gemeenten/utrecht.csv",
    "/actielijnen/stenen-delen-in-de-regio/",
    "/gemeenten/utrecht/",
    "/gemeenten/renswoude/",
    "/",
]


@pytest.mark.parametrize("who", ["anonymous", "member", "coordinator"])
def test_everyone_reads_the_monitor(monitor: Indicator, who: str) -> None:
    client = Client()
    if who != "anonymous":
        client.force_login(
            CoordinatorFactory() if who == "coordinator" else UserFactory()
        )
    for path in PAGES:
        assert client.get(path).status_code == 200, path
        assert client.get("/en" + path).status_code == 200, path


def test_unknown_and_unpublished_indicators_are_not_found(monitor: Indicator) -> None:
    client = Client()
    for path in (
        "/monitor/indicatoren/nothing/",
        "/monitor/indicatoren/hidden/",
        "/monitor/indicatoren/hidden/trend.csv",
        "/monitor/indicatoren/tonnes/other.csv",
        "/monitor/gemeenten/nowhere.csv",
    ):
        assert client.get(path).status_code == 404, path
    page = client.get("/en/monitor/").content.decode()
    assert "hidden en" not in page
    client.force_login(CoordinatorFactory())
    assert client.get("/monitor/indicatoren/hidden/").status_code == 200


def test_the_region_monitor_shows_value_previous_trend_and_target(
    monitor: Indicator,
) -> None:
    html = Client().get("/en/monitor/").content.decode()
    assert 'href="/en/monitor/"' in html  # the navigation
    row = next(
        r for r in _tables(html)["figures-2"] if r[0] == "tonnes en"
    )  # line 2 is the second section
    assert row[1:4] == ["12.5 t (2024)", "10.0 t (2023)", "↑ up (better)"]
    assert row[4] == "50.0 t in 2030 25 % of the target"  # 12.5 / 50
    # The year before: the latest value in or before 2023 and no trend yet.
    html = Client().get("/en/monitor/?jaar=2023").content.decode()
    row = next(r for r in _tables(html)["figures-2"] if r[0] == "tonnes en")
    assert row[1:4] == ["10.0 t (2023)", "–", "no trend yet"]
    rows = _csv(Client().get("/monitor/regiomonitor.csv?jaar=2023"))
    mine = next(r for r in rows if r["indicator"] == "tonnes")
    assert (mine["value"], mine["previous_value"], mine["target_progress_percent"]) == (
        "10.0",
        "",
        "20",
    )


def test_the_region_csv_holds_the_numbers_of_the_page(monitor: Indicator) -> None:
    html = Client().get("/en/monitor/").content.decode()
    shown = {
        row[0]: (_shown(row[1]), _shown(row[2]))
        for name, table in _tables(html).items()
        if name.startswith("figures-")
        for row in table
    }
    rows = _csv(Client().get("/en/monitor/regiomonitor.csv"))
    assert {r["name"]: (r["value"], r["previous_value"]) for r in rows} == shown


def test_the_indicator_page_ranks_maps_and_downloads_the_same_numbers(
    monitor: Indicator,
) -> None:
    client = Client()
    html = client.get(
        "/en/monitor/indicatoren/tonnes/?gemeente=utrecht"
    ).content.decode()
    tables = _tables(html)
    assert "Test definition." in html and "Testbron" in html
    # Ranking: Utrecht first (higher is better), mean (5.3 + 2.0) / 2 = 3.65.
    ranking = tables["comparison-table"]
    assert [r[:3] for r in ranking[:2]] == [
        ["1", "Utrecht", "5.3"],
        ["2", "Amersfoort", "2.0"],
    ]
    assert len(ranking) == regions.municipality_list().count() == 26
    assert "Mean of the municipalities with a value: 3.6 t." in html  # 3.65 → 1 dec.
    utrecht = regions.municipality_get(slug="utrecht")
    assert ranking[0][3] == f"{5.3 / utrecht.population * 10_000:.2f}"
    assert ranking[0][4] == "+1.65" and ranking[1][4] == "-1.65"
    rows = _csv(client.get("/monitor/indicatoren/tonnes/vergelijking.csv?jaar=2024"))
    assert [
        [
            r["rank"],
            r["municipality"],
            r["value"],
            r["per_10000"],
            r["difference_from_mean"],
        ]
        for r in rows
    ] == [[_shown(c) if i != 1 else c for i, c in enumerate(r)] for r in ranking]
    # The map: every municipality in the table beside it, the same as its CSV.
    shown = {r[0]: _shown(r[1]) for r in tables["map-chart-table"]}
    assert shown["Utrecht"] == "5.3" and shown["Renswoude"] == ""
    rows = _csv(client.get("/monitor/indicatoren/tonnes/kaart.csv?jaar=2024"))
    assert {r["municipality"]: r["value"] for r in rows} == shown
    assert html.count('class="cr-area ') == 26
    assert tables["map-chart-table"][0][2] in ("1 of 2", "2 of 2", "–")
    assert dict((r[0], r[2]) for r in tables["map-chart-table"])["Utrecht"] == "2 of 2"
    # The trend: the region and Utrecht by year, as in the CSV.
    trend = tables["trend-chart-table"]
    assert trend == [["2023", "10.0", "4.0"], ["2024", "12.5", "5.3"]]
    rows = _csv(client.get("/en/monitor/indicatoren/tonnes/trend.csv?gemeente=utrecht"))
    assert [(r["place"], r["year"], r["value"]) for r in rows] == [
        ("Region", "2023", "10.0"),
        ("Region", "2024", "12.5"),
        ("Utrecht", "2023", "4.0"),
        ("Utrecht", "2024", "5.3"),
    ]
    assert 'role="img"' in html and "<desc" in html
    # Another year: the map and the ranking of 2023.
    html = client.get("/en/monitor/indicatoren/tonnes/?jaar=2023").content.decode()
    assert _tables(html)["comparison-table"][0][:3] == ["1", "Utrecht", "4.0"]


def test_the_line_and_municipality_pages_show_their_figures(monitor: Indicator) -> None:
    client = Client()
    html = client.get("/en/actielijnen/stenen-delen-in-de-regio/").content.decode()
    assert 'id="monitor"' in html
    assert _tables(html)["monitor-tonnes-table"] == [
        ["2023", "10.0"],
        ["2024", "12.5"],
    ]
    assert "/monitor/indicatoren/tonnes/trend.csv" in html
    html = client.get("/en/gemeenten/utrecht/").content.decode()
    tables = _tables(html)
    row = next(r for r in tables["monitor-figures"] if r[0] == "tonnes en")
    utrecht = regions.municipality_get(slug="utrecht")
    population = sum(m.population for m in regions.municipality_list())
    assert row[1:3] == ["5.3 t (2024)", "↑ up (better)"]
    assert row[3] == f"{5.3 / utrecht.population * 10_000:.1f}"
    assert row[4:] == ["12.5 t", f"{12.5 / population * 10_000:.1f}"]
    rows = _csv(client.get("/monitor/gemeenten/utrecht.csv"))
    mine = next(r for r in rows if r["indicator"] == "tonnes")
    assert (mine["value"], mine["previous_value"], mine["region_value"]) == (
        "5.3",
        "4.0",
        "12.5",
    )
    assert mine["per_10000"] == f"{5.3 / utrecht.population * 10_000:.2f}"
    # Renswoude has no values of its own: dashes, and the region beside them.
    html = client.get("/en/gemeenten/renswoude/").content.decode()
    row = next(r for r in _tables(html)["monitor-figures"] if r[0] == "tonnes en")
    assert row[1:3] == ["–", "no trend yet"] and row[4] == "12.5 t"


def _fill(n_municipalities: int, n_years: int) -> None:
    first = MunicipalityFactory()
    ms = [first] + [
        MunicipalityFactory(region=first.region) for _ in range(n_municipalities - 1)
    ]
    lines = [ActionLineFactory(region=first.region) for _ in range(2)]
    rows = []
    for i in range(4):
        ind = _indicator(f"i{i}", action_line=lines[i % 2] if i < 3 else None)
        for y in range(2020, 2020 + n_years):
            rows.append(IndicatorValue(indicator=ind, year=y, value=i + y, source="s"))
            rows += [
                IndicatorValue(
                    indicator=ind, municipality=m, year=y, value=y, source="s"
                )
                for m in ms
            ]
    IndicatorValue.objects.bulk_create(rows)


@pytest.mark.parametrize("size", [(2, 2), (6, 5)])
def test_the_region_monitor_runs_a_constant_number_of_queries(
    db: Any, size: tuple[int, int], django_assert_num_queries: Any
) -> None:
    _fill(*size)
    client = Client()
    client.get("/monitor/")  # the session and the site's caches
    with django_assert_num_queries(5):
        response = client.get("/monitor/")
    assert response.status_code == 200
    assert response.content.decode().count('data-indicator="i') == 4
