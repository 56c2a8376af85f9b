# SPDX-License-Identifier: EUPL-1.2
"""Monitoring: indicator definitions, computed values against hand counts, the
all-or-nothing recompute, manual entry checks, the API, the open-data export and the
dashboard selectors' query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

import pytest
from rest_framework.test import APIClient

from cirkelregio.accounts.tests.factories import CoordinatorFactory, UserFactory
from cirkelregio.initiatives.tests.factories import (
    ContactPointFactory,
    InitiativeFactory,
)
from cirkelregio.monitoring import selectors, services, sources
from cirkelregio.monitoring.models import Indicator, IndicatorValue
from cirkelregio.regions.tests.factories import (
    ActionLineFactory,
    MunicipalityFactory,
    OrganisationFactory,
    ParticipationFactory,
)
from cirkelregio.repair.tests.factories import RepairPlaceFactory

TODAY = dt.date(2026, 6, 1)
pytestmark = pytest.mark.django_db


def indicator(code: str, **kw: Any) -> Indicator:
    fields: dict[str, Any] = {
        "name_nl": code,
        "definition_nl": "Testdefinitie.",
        "unit": "count",
        "source_kind": "computed",
        "source_function": code.replace("-", "_"),
        "source_nl": "Testbron",
        "min_value": 0,
        **kw,
    }
    return Indicator.objects.create(code=code, **fields)


@pytest.fixture
def two() -> tuple[Any, Any]:
    from django.conf import settings

    a = MunicipalityFactory(region__code=settings.CIRKELREGIO_REGION, name="Aa")
    b = MunicipalityFactory(region=a.region, name="Bb")
    return a, b


def test_the_data_file_loads_every_indicator_with_a_source_and_its_targets(
    reference_data: Any,
) -> None:
    n = services.indicators_load()
    assert n == Indicator.objects.count() == 30
    assert not Indicator.objects.filter(source_nl="").exists()
    for ind in Indicator.objects.exclude(target_value=None):
        assert ind.target_year and "regel" in ind.target_source
    biobased = Indicator.objects.get(code="biobased-share")
    assert (biobased.target_value, biobased.target_year) == (30, 2030)
    assert biobased.action_line.number == 4
    computed = Indicator.objects.filter(source_kind="computed")
    assert set(computed.values_list("source_function", flat=True)) <= set(
        sources.SOURCES
    )
    assert services.indicators_load() == 30  # idempotent
    assert Indicator.objects.count() == 30


def test_an_indicator_with_a_target_but_no_source_is_refused() -> None:
    ind = Indicator(
        code="x",
        name_nl="x",
        definition_nl="x",
        unit="%",
        source_kind="manual",
        source_nl="",
        target_value=30,
    )
    with pytest.raises(ValidationError) as exc:
        ind.full_clean()
    assert set(exc.value.message_dict) >= {"source_nl", "target_year", "target_source"}


def test_repair_sources_match_a_hand_count(two: tuple[Any, Any]) -> None:
    a, b = two
    RepairPlaceFactory(municipality=a, kind="repair_cafe", is_published=True)
    RepairPlaceFactory(municipality=a, kind="tailor", is_published=True)
    RepairPlaceFactory(municipality=b, kind="repair_cafe", is_published=True)
    RepairPlaceFactory(municipality=b, kind="repair_cafe", is_published=True)
    RepairPlaceFactory(municipality=b, kind="tailor", is_published=False)
    ctx = sources.Context(year=2026)
    assert sources.repair_places(ctx) == {
        (a.pk, 2026): 2.0,
        (b.pk, 2026): 2.0,
        (None, 2026): 4.0,
    }
    assert sources.repair_cafes(ctx)[(b.pk, 2026)] == 2.0
    # a has a Repair Café and a tailor; b's tailor is not published.
    assert sources.repair_network_present(ctx) == {(a.pk, 2026): 1.0, (b.pk, 2026): 0.0}
    assert sources.repair_network_coverage(ctx) == {(None, 2026): 50.0}


def test_initiative_and_registry_sources_match_a_hand_count(
    two: tuple[Any, Any],
) -> None:
    a, b = two
    InitiativeFactory(municipality=a)
    InitiativeFactory(municipality=a)
    InitiativeFactory(municipality=b, status="draft")
    ContactPointFactory(municipality=b, is_active=True)
    line = ActionLineFactory(region=a.region)
    ParticipationFactory(
        organisation=OrganisationFactory(municipality=a),
        action_line=line,
        phase="explore",
        since=dt.date(2024, 3, 1),
    )
    ParticipationFactory(
        organisation=OrganisationFactory(municipality=None),
        action_line=line,
        phase="connect",
        since=dt.date(2025, 3, 1),
    )
    ctx = sources.Context(year=2026)
    assert sources.initiatives_count(ctx) == {(a.pk, 2026): 2.0, (None, 2026): 2.0}
    assert sources.contact_point_present(ctx) == {(a.pk, 2026): 0.0, (b.pk, 2026): 1.0}
    assert sources.participating_organisations(ctx) == {
        (a.pk, 2024): 1,
        (a.pk, 2025): 1,
        (a.pk, 2026): 1,
        (None, 2024): 1,
        (None, 2025): 2,
        (None, 2026): 2,
    }
    assert sources.participations_explore(ctx) == {(a.pk, 2026): 1, (None, 2026): 1}
    assert sources.participations_connect(ctx) == {(None, 2026): 1}
    assert sources.participations_realise(ctx) == {}


def test_compute_stores_values_and_replaces_only_computed_ones(
    two: tuple[Any, Any],
) -> None:
    a, _b = two
    RepairPlaceFactory(municipality=a, kind="repair_cafe", is_published=True)
    places = indicator("repair-places")
    manual = indicator("waste", source_kind="manual", source_function="", unit="kg")
    services.value_enter(
        user=None,
        indicator=manual,
        municipality=a,
        year=2025,
        value=120,
        source="CBS",
        today=TODAY,
    )
    IndicatorValue.objects.create(
        indicator=places,
        municipality=a,
        year=2019,
        value=7,
        source="old",
        is_computed=True,
    )
    report = services.indicators_compute(today=TODAY)
    assert report.values == {"repair-places": 2}
    assert report.removed == 1
    got = {
        (v.municipality_id, v.year): v.value
        for v in IndicatorValue.objects.filter(indicator=places)
    }
    assert got == {(a.pk, 2026): 1.0, (None, 2026): 1.0}
    assert IndicatorValue.objects.get(indicator=manual).value == 120


def test_a_failing_source_replaces_nothing(
    two: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = two
    places = indicator("repair-places", order=1)
    indicator("repair-cafes", order=2)
    IndicatorValue.objects.create(
        indicator=places,
        municipality=a,
        year=2025,
        value=3,
        source="s",
        is_computed=True,
    )

    def broken(ctx: sources.Context) -> sources.Values:
        raise RuntimeError("database gone")

    monkeypatch.setitem(sources.SOURCES, "repair_cafes", broken)
    with pytest.raises(services.ComputeError, match="repair-cafes"):
        services.indicators_compute(today=TODAY)
    assert list(IndicatorValue.objects.values_list("value", flat=True)) == [3]


def test_a_source_value_outside_the_range_replaces_nothing(
    two: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = two
    share = indicator("repair-network-coverage", unit="%", scope="region")
    IndicatorValue.objects.create(
        indicator=share, year=2025, value=50, source="s", is_computed=True
    )
    monkeypatch.setitem(
        sources.SOURCES, "repair_network_coverage", lambda ctx: {(None, 2026): 140.0}
    )
    with pytest.raises(services.ComputeError, match="at most 100"):
        services.indicators_compute(today=TODAY)
    assert IndicatorValue.objects.get().value == 50


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": -1}, "value", "cannot be negative"),
        ({"value": 1200}, "value", "maximum of 1000"),
        ({"year": 2027}, "year", "2027 is in the future"),
        ({"year": 2010}, "year", "Values start in 2015"),
        ({"source": "  "}, "source", "Give the source"),
    ],
)
def test_manual_entry_names_the_field(
    two: tuple[Any, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    a, _b = two
    waste = indicator(
        "waste", source_kind="manual", source_function="", unit="kg", max_value=1000
    )
    entry = {"year": 2025, "value": 100, "source": "CBS", **changes}
    with pytest.raises(ValidationError) as exc:
        services.value_enter(
            user=None, indicator=waste, municipality=a, today=TODAY, **entry
        )
    assert list(exc.value.message_dict) == [field]
    assert message in exc.value.message_dict[field][0]
    assert not IndicatorValue.objects.exists()


def test_manual_entry_refuses_computed_indicators_units_and_non_coordinators(
    two: tuple[Any, Any],
) -> None:
    a, _b = two
    places = indicator("repair-places")
    flag = indicator("flag", source_kind="manual", source_function="", unit="0/1")
    with pytest.raises(ValidationError) as exc:
        services.value_enter(
            user=None,
            indicator=places,
            municipality=a,
            year=2025,
            value=3,
            source="x",
            today=TODAY,
        )
    assert "computed" in exc.value.message_dict["indicator"][0]
    with pytest.raises(ValidationError) as exc:
        services.value_enter(
            user=None,
            indicator=flag,
            municipality=a,
            year=2025,
            value=0.5,
            source="x",
            today=TODAY,
        )
    assert "whole number" in exc.value.message_dict["value"][0]
    with pytest.raises(PermissionDenied):
        services.value_enter(
            user=UserFactory(),
            indicator=flag,
            municipality=a,
            year=2025,
            value=1,
            source="x",
            today=TODAY,
        )


def test_csv_import_is_all_or_nothing_with_an_error_per_row(
    two: tuple[Any, Any],
) -> None:
    a, b = two
    indicator("waste", source_kind="manual", source_function="", unit="kg")
    bad = (
        "indicator,municipality,year,value,source,note\n"
        f"waste,{a.cbs_code},2025,100,CBS,\n"
        f"waste,{b.slug},2030,90,CBS,\n"
        "waste,GM0000,2025,90,CBS,\n"
        "nope,,2025,1,CBS,\n"
    )
    with pytest.raises(services.DataLoadError) as exc:
        services.values_import(user=None, content=bad.encode(), today=TODAY)
    text = str(exc.value)
    assert "line 3" in text and "field 'year'" in text and "future" in text
    assert "line 4" in text and "GM0000" in text
    assert "line 5" in text and "unknown indicator" in text
    assert not IndicatorValue.objects.exists()
    good = bad.splitlines()[0] + "\n" + bad.splitlines()[1] + "\n"
    good += "waste,,2024,95.5,CBS,regio\n"
    assert services.values_import(user=None, content=good.encode(), today=TODAY) == 2
    assert IndicatorValue.objects.get(municipality=None).value == 96  # 0 decimals


def _fill(n_municipalities: int, n_years: int, n_indicators: int) -> list[Any]:
    from django.conf import settings

    first = MunicipalityFactory(region__code=settings.CIRKELREGIO_REGION)
    ms = [first] + [
        MunicipalityFactory(region=first.region) for _ in range(n_municipalities - 1)
    ]
    line = ActionLineFactory(region=first.region)
    rows = []
    for i in range(n_indicators):
        ind = indicator(
            f"i{i}",
            source_kind="manual",
            source_function="",
            action_line=line if i % 2 else None,
        )
        for y in range(2020, 2020 + n_years):
            rows.append(IndicatorValue(indicator=ind, year=y, value=i + y, source="s"))
            rows += [
                IndicatorValue(
                    indicator=ind, municipality=m, year=y, value=y, source="s"
                )
                for m in ms
            ]
    IndicatorValue.objects.bulk_create(rows)
    return ms


@pytest.mark.parametrize("size", [(2, 2, 2), (6, 4, 5)])
def test_dashboard_selectors_run_a_constant_number_of_queries(
    size: tuple[int, int, int], django_assert_num_queries: Any
) -> None:
    ms = _fill(*size)
    ind = Indicator.objects.get(code="i1")
    with django_assert_num_queries(4):
        overview = selectors.region_overview()
    assert overview.year == 2020 + size[1] - 1
    with django_assert_num_queries(4):
        selectors.municipality_overview(ms[0])
    with django_assert_num_queries(1):
        assert len(selectors.indicator_series(ind)) == size[1]
    with django_assert_num_queries(2):
        assert len(selectors.indicator_map(ind, 2020)) == size[0]
    with django_assert_num_queries(2):
        assert len(selectors.comparison(ind, 2020).rows) == size[0]


def test_region_overview_trend_target_and_assessment() -> None:
    line = ActionLineFactory()
    share = indicator(
        "share",
        unit="%",
        source_kind="manual",
        source_function="",
        action_line=line,
        target_value=30,
        target_year=2030,
        target_source="koersdocument regel 762",
    )
    for year, value in ((2023, 10.0), (2024, 12.0), (2025, 15.0)):
        IndicatorValue.objects.create(
            indicator=share, year=year, value=value, source="s"
        )
    figure = selectors.region_overview(year=2024).lines[0].figures[0]
    assert (figure.value, figure.previous_value, figure.trend) == (12.0, 10.0, "up")
    assert figure.assessment == "better"
    assert figure.target_progress == pytest.approx(40.0)


def test_api_filters_permissions_and_open_data_round_trip(two: tuple[Any, Any]) -> None:
    a, b = two
    line = ActionLineFactory(region=a.region)
    waste = indicator(
        "waste",
        source_kind="manual",
        source_function="",
        unit="kg",
        decimals=1,
        action_line=line,
    )
    hidden = indicator(
        "hidden", source_kind="manual", source_function="", is_published=False
    )
    for m, y, v in ((a, 2024, 10.25), (b, 2024, 20.0), (a, 2025, 11.0)):
        IndicatorValue.objects.create(
            indicator=waste, municipality=m, year=y, value=v, source="CBS"
        )
    IndicatorValue.objects.create(indicator=hidden, year=2024, value=1, source="x")
    client = APIClient()
    base = "/api/v1/monitoring/"
    assert [i["code"] for i in client.get(base + "indicators/").json()["results"]] == [
        "waste"
    ]
    r = client.get(base + "values/", {"municipality": a.slug, "year": 2024})
    assert [(v["municipality"], v["value"]) for v in r.json()["results"]] == [
        (a.cbs_code, 10.25)
    ]
    r = client.get(base + "values/", {"line": line.number})
    assert r.json()["count"] == 3
    r = client.get(base + "values/", {"year": "soon"})
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    # Input no column can hold is bad input, named, not a database error.
    for params, name in (
        ({"municipality": "GM\x000344"}, "municipality"),
        ({"year_to": 10**30}, "year_to"),
        ({"line": "9" * 30}, "line"),
    ):
        r = client.get(base + "values/", params)
        assert r.status_code == 400, params
        assert [p["name"] for p in r.json()["invalid_params"]] == [name]
    entry = {
        "indicator": "waste",
        "municipality": b.cbs_code,
        "year": 2025,
        "value": 19,
        "source": "CBS",
    }
    assert client.post(base + "values/", entry, format="json").status_code in (401, 403)
    client.force_authenticate(CoordinatorFactory())
    r = client.post(base + "values/", {**entry, "year": 2099}, format="json")
    assert r.status_code == 400 and "year" in json.dumps(r.json())
    assert client.post(base + "values/", entry, format="json").status_code == 201
    client.force_authenticate(None)
    text = client.get(base + "export.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["municipality_code"], r["year"], r["value"]) for r in rows] == [
        (a.cbs_code, "2024", "10.2"),
        (b.cbs_code, "2024", "20.0"),
        (a.cbs_code, "2025", "11.0"),
        (b.cbs_code, "2025", "19.0"),
    ]
    data = client.get(base + "export.json").json()
    assert [v["value"] for v in data["values"]] == [10.2, 20.0, 11.0, 19.0]
    dictionary = client.get(base + "dictionary.json").json()
    assert (
        [c["name"] for c in dictionary["columns"]] == data["columns"] == list(rows[0])
    )
    assert [i["code"] for i in dictionary["indicators"]] == ["waste"]
    assert "### waste" in client.get(base + "dictionary.md").content.decode()
