# SPDX-License-Identifier: EUPL-1.2
"""Each computed source against a hand count. The other modules' selectors are
replaced by small fixed outputs (their own tests cover them): what is pinned here is
how monitoring turns them into values per municipality, region and year."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from cirkelregio.biobased.selectors import Fact
from cirkelregio.exchange.selectors import Savings
from cirkelregio.monitoring import sources
from cirkelregio.regions.tests.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
CTX = sources.Context(year=2026)


def ns(**kw: Any) -> Any:
    return SimpleNamespace(**kw)


class Rows:
    """A stand-in for a selector's queryset: filters are recorded, rows fixed."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows
        self.filters: list[dict[str, Any]] = []

    def filter(self, **kw: Any) -> Rows:
        self.filters.append(kw)
        return self

    def order_by(self, *a: Any) -> Rows:
        return self

    def values_list(self, *a: Any, flat: bool = False) -> list[Any]:
        return self.rows

    def first(self) -> Any:
        return self.rows[0] if self.rows else None

    def __iter__(self) -> Any:
        return iter(self.rows)


@pytest.fixture
def ab() -> tuple[Any, Any]:
    from django.conf import settings

    a = MunicipalityFactory(region__code=settings.CIRKELREGIO_REGION, population=30_000)
    b = MunicipalityFactory(region=a.region, population=10_000)
    return a, b


def test_mki_of_projects_summed_per_municipality_and_year(
    ab: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = ab
    rows = [(1, a.pk, 2024, 100.0), (2, a.pk, 2024, 50.0), (3, b.pk, 2025, 30.0)]
    monkeypatch.setattr(sources.mki, "monitor_results", lambda: rows)
    assert sources.mki_gww_projects(CTX) == {
        (a.pk, 2024): 150.0,
        (b.pk, 2025): 30.0,
        (None, 2024): 150.0,
        (None, 2025): 30.0,
    }


def test_asphalt_plan_counts_a_municipality_own_plan_and_every_authority_in_total(
    ab: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = ab
    OrganisationFactory(slug="gemeente-a", kind="municipality", municipality=a)
    rows = [
        ns(authority="gemeente-a", year=2025, mki_eur={"planned": 1000.0, "pr": 1.0}),
        ns(authority="provincie", year=2025, mki_eur={"planned": 500.0}),
        ns(authority="gemeente-a", year=2026, mki_eur={"planned": 250.0}),
    ]
    monkeypatch.setattr(sources.roads, "plan_mki_table", lambda: rows)
    assert sources.asphalt_plan_mki(CTX) == {
        (a.pk, 2025): 1000.0,
        (None, 2025): 1500.0,
        (a.pk, 2026): 250.0,
        (None, 2026): 250.0,
    }


def test_exchange_uses_the_latest_succeeded_run_of_each_year(
    ab: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = ab
    newest = ns(started_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC), name="newest")
    older = ns(started_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC), name="older")
    runs = Rows([newest, older])
    monkeypatch.setattr(sources.exchange, "match_run_list", lambda: runs)
    savings = {
        "newest": [
            Savings(
                municipality=a.cbs_code,
                tonnes_reused=3.0,
                new_cost_avoided_eur=100.0,
                disposal_avoided_eur=20.0,
                transport_cost_eur=30.0,
                new_mki_avoided_eur=50.0,
                transport_mki_eur=5.0,
            ),
            Savings(municipality=None, tonnes_reused=1.0, transport_cost_eur=10.0),
        ],
        "older": [Savings(municipality=a.cbs_code, tonnes_reused=99.0)],
    }
    monkeypatch.setattr(
        sources.exchange, "savings_by_municipality", lambda run: savings[run.name]
    )
    assert sources.exchange_tonnes_reused(CTX) == {
        (a.pk, 2025): 3.0,
        (None, 2025): 4.0,
    }
    assert runs.filters == [{"status": "succeeded"}]
    assert sources.exchange_savings_eur(CTX) == {
        (a.pk, 2025): 90.0,
        (None, 2025): 80.0,
    }
    assert sources.exchange_mki_avoided_eur(CTX) == {
        (a.pk, 2025): 45.0,
        (None, 2025): 45.0,
    }


def test_biobased_share_meeting_the_threshold_and_co2_stored(
    ab: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = ab
    projects = [
        (a.pk, 2025, Fact(homes=1, area_m2=100, share=40, mass_kg=200, co2_per_kg=1.5)),
        (a.pk, 2025, Fact(homes=1, area_m2=100, share=10, mass_kg=100, co2_per_kg=1.0)),
        (
            b.pk,
            2025,
            Fact(homes=1, area_m2=100, share=None, mass_kg=None, co2_per_kg=None),
        ),
    ]
    fakes = [ns(municipality_id=m, year=y, fact=f) for m, y, f in projects]
    monkeypatch.setattr(sources.biobased, "project_list", lambda: Rows(fakes))
    monkeypatch.setattr(sources.biobased, "fact_of", lambda p: p.fact)
    monkeypatch.setattr(sources.biobased, "default_basis", lambda: "projects")
    # a: one of two known projects has >= 30 % biobased; b has no known share.
    assert sources.biobased_share(CTX) == {(a.pk, 2025): 50.0, (None, 2025): 50.0}
    # 200 kg x 1.5 + 100 kg x 1.0; b's factor is unknown.
    assert sources.biobased_co2_stored(CTX) == {
        (a.pk, 2025): 400.0,
        (b.pk, 2025): 0.0,
        (None, 2025): 400.0,
    }


def test_agricycling_composted_tonnes_of_each_season_latest_run(
    ab: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = ab
    parcels = [
        ns(engine_id="p1", municipality_id=a.pk),
        ns(engine_id="p2", municipality_id=b.pk),
    ]
    monkeypatch.setattr(sources.agricycling, "parcel_list", lambda: parcels)
    seasons = [ns(starts_on=dt.date(2025, 4, 1)), ns(starts_on=dt.date(2024, 4, 1))]
    monkeypatch.setattr(sources.agricycling, "season_list", lambda: seasons)
    run = ns(
        result={
            "placements": [
                {"parcel": "p1", "tonnes": "2.5"},
                {"parcel": "p2", "tonnes": 1.0},
                {"parcel": "elsewhere", "tonnes": 0.5},
            ]
        }
    )
    monkeypatch.setattr(
        sources.agricycling,
        "run_list",
        lambda season: Rows([run] if season.starts_on.year == 2025 else []),
    )
    assert sources.agricycling_composted_t(CTX) == {
        (a.pk, 2025): 2.5,
        (b.pk, 2025): 1.0,
        (None, 2025): 4.0,
    }


def test_ords_figures_per_year_of_dutch_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, Any]] = []

    def stats(**kw: Any) -> Any:
        calls.append(kw)
        return ns(
            groups=[
                ns(
                    key=(2023,),
                    records=10,
                    fixed=6,
                    waste_prevented_kg=12.5,
                    co2e_averted_kg=40.25,
                ),
                ns(
                    key=(2024,),
                    records=4,
                    fixed=1,
                    waste_prevented_kg=2.0,
                    co2e_averted_kg=3.0,
                ),
            ]
        )

    monkeypatch.setattr(sources.repair, "repair_statistics", stats)
    assert sources.ords_repairs(CTX) == {(None, 2023): 10.0, (None, 2024): 4.0}
    assert sources.ords_fixed(CTX) == {(None, 2023): 6.0, (None, 2024): 1.0}
    assert sources.ords_waste_prevented_kg(CTX)[(None, 2023)] == 12.5
    assert sources.ords_co2e_averted_kg(CTX)[(None, 2023)] == 40.25
    assert calls[0] == {"by": ("year",), "country": "NLD"}


def test_reparatieweek_activities_and_editions(
    ab: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = ab
    events = Rows(
        [
            (a.pk, dt.date(2025, 3, 10)),
            (a.pk, dt.date(2025, 10, 6)),
            (b.pk, dt.date(2025, 10, 6)),
            (a.pk, dt.date(2026, 3, 9)),
        ]
    )
    monkeypatch.setattr(sources.events, "public_event_list", lambda: events)
    assert sources.reparatieweek_activities(CTX) == {
        (a.pk, 2025): 2.0,
        (b.pk, 2025): 1.0,
        (a.pk, 2026): 1.0,
        (None, 2025): 3.0,
        (None, 2026): 1.0,
    }
    assert events.filters == [{"edition__is_published": True}]
    editions = [
        ns(start_date=dt.date(2025, 3, 10)),
        ns(start_date=dt.date(2025, 10, 6)),
    ]
    monkeypatch.setattr(sources.events, "public_edition_list", lambda: editions)
    assert sources.reparatieweken(CTX) == {(None, 2025): 2.0}


def test_craft_centres_existing_coverage_and_bulky_waste(
    ab: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = ab
    sites = Rows([a.pk, a.pk])
    monkeypatch.setattr(sources.craftcentres, "site_list", lambda: sites)
    assert sources.craftcentres_existing(CTX) == {(a.pk, 2026): 2.0, (None, 2026): 2.0}
    assert {"kind": "existing", "municipality__isnull": False} in sites.filters
    # a has 30,000 of the 40,000 inhabitants.
    assert sources.craftcentres_population_coverage(CTX) == {(None, 2026): 75.0}
    networks = [
        ns(municipality=a, year=2021, rate=ns(tonnes=4380.0)),
        ns(municipality=b, year=2021, rate=ns(tonnes=1460.0)),
    ]
    monkeypatch.setattr(sources.craftcentres, "municipality_networks", lambda: networks)
    assert sources.craftcentres_bulky_waste_t(CTX) == {
        (a.pk, 2021): 4380.0,
        (b.pk, 2021): 1460.0,
        (None, 2021): 5840.0,
    }


def test_contact_point_coverage_is_the_share_of_municipalities(
    ab: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _b = ab
    monkeypatch.setattr(
        sources.initiatives, "contact_point_list", lambda: Rows([a.pk, a.pk])
    )
    assert sources.contact_point_coverage(CTX) == {(None, 2026): 50.0}


def test_every_source_has_a_pinned_test() -> None:
    from pathlib import Path

    text = (
        Path(__file__).read_text()
        + (Path(__file__).parent / "test_monitoring.py").read_text()
    )
    missing = [
        name
        for name, function in sources.SOURCES.items()
        if f"sources.{function.__name__}(" not in text
    ]
    assert not missing, f"untested sources: {missing}"
