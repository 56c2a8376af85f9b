# SPDX-License-Identifier: EUPL-1.2
"""The progress figures, computed by hand for five projects.

1. 2023, test_bio (60 %, 1.5 kg CO2/kg, 50 kg/m³): 10 homes, 100 m², 100 mm,
   so 100 × 0.1 × 50 = 500 kg.
2. 2024, test_mineral (0 %, factor 0): 20 homes, 300 m², mass unknown.
3. 2024, test_mineral reported at 30 %: 5 homes, 50 m², 200 kg reported.
4. 2024, test_bio reported at 29.9 %: 15 homes, 150 m², mass unknown.
5. 2024, hemp (share and factor unknown): 8 homes, 80 m², mass unknown.

At least 30 % biobased: projects 1 and 3 (30 % counts). Project 5's share is
unknown: it is left out of the shares and counted.
"""

from __future__ import annotations

import pytest

from cirkelregio.biobased import selectors
from cirkelregio.biobased.services import project_create
from cirkelregio.biobased.tests.conftest import World


@pytest.fixture
def five(world: World) -> World:
    rows = [
        (2023, "test_bio", None, 10, 100, 100, None),
        (2024, "test_mineral", None, 20, 300, None, None),
        (2024, "test_mineral", 30, 5, 50, None, 200),
        (2024, "test_bio", 29.9, 15, 150, None, None),
        (2024, "hemp", None, 8, 80, None, None),
    ]
    for year, material, share, homes, area, thickness, mass in rows:
        project_create(
            actor=None,
            municipality=world.m1,
            year=year,
            material=material,
            biobased_share=share,
            homes=homes,
            area_m2=area,
            thickness_mm=thickness,
            mass_kg=mass,
            source_channel="energy_desk",
        )
    return world


def test_the_share_of_projects_meeting_the_threshold(five: World) -> None:
    total = selectors.progress_report(basis="projects").total
    assert (total.projects, total.known_projects, total.unknown_projects) == (5, 4, 1)
    assert total.meeting_projects == 2
    assert total.meeting_share == pytest.approx(50.0)  # 2 of 4 known
    assert total.meets_target() is True


def test_the_basis_homes_and_area(five: World) -> None:
    homes = selectors.progress_report(basis="homes").total
    assert homes.meeting_share == pytest.approx(15 / 50 * 100)  # (10 + 5) / 50
    area = selectors.progress_report(basis="area").total
    assert area.meeting_share == pytest.approx(150 / 600 * 100)  # (100 + 50) / 600
    assert area.meets_target() is False


def test_the_plain_biobased_share_by_area_and_by_mass(five: World) -> None:
    total = selectors.progress_report().total
    # (100 × 0.60 + 300 × 0 + 50 × 0.30 + 150 × 0.299) / 600
    assert total.biobased_share_area == pytest.approx(119.85 / 600 * 100)
    # only the projects with a mass: (500 × 0.60 + 200 × 0.30) / 700
    assert total.biobased_share_mass == pytest.approx(360 / 700 * 100)


def test_biogenic_co2_from_the_factor_and_what_is_left_out(five: World) -> None:
    total = selectors.progress_report().total
    assert total.co2_stored_kg == pytest.approx(500 * 1.5)  # project 1 only
    # 2 and 3 have no biomass (factor 0); 4 has no mass, 5 neither mass nor factor
    assert total.co2_unknown_projects == 2
    assert total.co2_unknown_area_m2 == pytest.approx(150 + 80)


def test_per_year_and_cumulative(five: World) -> None:
    report = selectors.progress_report(basis="projects")
    assert [r.year for r in report.years] == [2023, 2024]
    first, second = report.years
    assert first.in_year.meeting_share == pytest.approx(100.0)
    assert second.in_year.meeting_share == pytest.approx(100 / 3)  # 3 of 2, 3, 4
    assert second.cumulative.meeting_share == pytest.approx(50.0)
    assert selectors.progress_report(year=2023).total.projects == 1


def test_per_municipality_every_municipality_is_listed(five: World) -> None:
    report = selectors.progress_report()
    by_name = {r.municipality.name: r.progress for r in report.municipalities}
    assert by_name["Eerstedorp"].projects == 5
    assert by_name["Tweestad"].projects == 0
    assert by_name["Tweestad"].meeting_share is None
    assert selectors.municipality_progress(municipality=five.m2) is None
    own = selectors.municipality_progress(municipality=five.m1)
    assert own is not None and own.total.meeting_projects == 2


def test_the_target_cites_the_policy_document() -> None:
    assert selectors.TARGET.share_percent == 30
    assert selectors.TARGET.threshold_percent == 30
    assert selectors.TARGET.year == 2030
    assert "Nationale Aanpak Biobased Bouwen" in selectors.TARGET.source
    assert "ten minste 30%" in selectors.TARGET.quote
