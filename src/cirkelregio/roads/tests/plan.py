# SPDX-License-Identifier: EUPL-1.2
"""A small maintenance plan for the harmonisation, MKI and forecast tests, with
invented test numbers (not NMD data, not real mixtures' figures).

MKI profiles per tonne, data category 1 (no uplift), one indicator: A1-A3
GWP-total, weighted with nmd-a2 at 0.116 euro per kg CO2 eq, so a profile of
G kg costs G x 0.116 euro per tonne:

    P-STD 100 kg -> 11.60   AC 11 surf, warm, PR 0
    P-PR30 80 kg ->  9.28   AC 11 surf, warm, PR 30
    P-PR50 70 kg ->  8.12   AC 11 surf, warm, PR 50
    P-LT   90 kg -> 10.44   AC 11 surf, low temperature, PR 0
    P-BIN  85 kg ->  9.86   AC 16 bin, warm, PR 0
    P-22   80 kg ->  9.28   AC 22 bin, warm, PR 0

AC 22 base has no profile. Substitutions: AC 16 bin by AC 11 surf at 6 and by
AC 22 bin at 2 euro per tonne; AC 22 base by AC 22 bin at 3.

Sections of 1000 m2; every new layer has a design density of 2.5 t/m3, so a layer
of d mm is 2.5 d tonnes:

    W1 town 2027, plant X:   1 AC 11 surf 40 mm (100 t, PR 0, warm)
                             2 AC 16 bin 40 mm (100 t, PR 40, low temperature)
    W2 province 2027:        1 AC 22 base 80 mm (200 t)
    W3 town 2028, done? no:  1 AC 22 bin 20 mm (50 t)

Section S1 (of W1) has a passport: AC 11 surf 40 mm and AC 16 bin 40 mm, both
measured at 2.4 t/m3 ("cores 2024"), on a tar-containing AC 22 base of 80 mm
(PAK 500 mg/kg) without a density. W1 removes the top two layers: 96 + 96 t of
tar-free asphalt offered for reuse. Section S2 (of W2) has a passport whose top
layer is tar-containing (2.4 t/m3, PAK 300); W2 mills 50 mm of it: 120 t of
hazardous asphalt, never offered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cirkelregio.mki.models import Profile
from cirkelregio.mki.tests.factories import ProfileFactory, ProfileValueFactory
from cirkelregio.regions.models import Organisation
from cirkelregio.roads.models import (
    AsphaltMixture,
    MaintenanceWork,
    MixtureMkiVariant,
    MixtureSubstitution,
    Passport,
    PassportLayer,
    RoadSection,
    WorkLayer,
    WorkType,
)

GWP_EUR = 0.116
EUR_PER_TONNE = {
    "P-STD": 100 * GWP_EUR,
    "P-PR30": 80 * GWP_EUR,
    "P-PR50": 70 * GWP_EUR,
    "P-LT": 90 * GWP_EUR,
    "P-BIN": 85 * GWP_EUR,
    "P-22": 80 * GWP_EUR,
}


@dataclass
class Plan:
    w1: MaintenanceWork
    w2: MaintenanceWork
    w3: MaintenanceWork
    s1: RoadSection
    s2: RoadSection
    profiles: dict[str, Profile]


def profile(code: str, gwp_kg: float) -> Profile:
    p = ProfileFactory(profile_id=code, unit="t", data_category="1")
    ProfileValueFactory(profile=p, module="A1-A3", indicator="GWP-total", value=gwp_kg)
    return p


def mixture(code: str) -> AsphaltMixture:
    return AsphaltMixture.objects.get(code=code)


def section(authority: Organisation, external_id: str, lon: float) -> RoadSection:
    return RoadSection.objects.create(
        authority=authority,
        external_id=external_id,
        name=f"Test {external_id}",
        road_type="distributor_road",
        geometry={"type": "LineString", "coordinates": [[lon, 52.05], [lon, 52.06]]},
        bbox=[lon, 52.05, lon, 52.06],
        area_m2=1000.0,
    )


def work(
    authority: Organisation,
    sec: RoadSection,
    external_id: str,
    year: int,
    layers: list[tuple[str, float, float, bool]],
    **fields: object,
) -> MaintenanceWork:
    w = MaintenanceWork.objects.create(
        authority=authority,
        section=sec,
        external_id=external_id,
        window_start=dt.date(year, 4, 1),
        window_end=dt.date(year, 9, 30),
        work_type=fields.pop("work_type", WorkType.MILLING_AND_OVERLAY),
        **fields,
    )
    for position, (code, mm, pr, low) in enumerate(layers, 1):
        WorkLayer.objects.create(
            work=w,
            position=position,
            mixture=mixture(code),
            thickness_mm=mm,
            pr_percent=pr,
            low_temperature=low,
            density_t_per_m3=2.5,
            density_source="test design density",
        )
    return w


def passport(sec: RoadSection, layers: list[dict[str, object]]) -> Passport:
    p = Passport.objects.create(
        section=sec, valid_from=dt.date(2020, 1, 1), data_source="survey"
    )
    for position, values in enumerate(layers, 1):
        values = dict(values)
        code = str(values.pop("mixture"))
        PassportLayer.objects.create(
            passport=p, position=position, mixture=mixture(code), **values
        )
    return p


def build(town: Organisation, province: Organisation) -> Plan:
    """The plan of the module docstring (the mixture catalogue must be loaded)."""
    profiles = {
        code: profile(code, round(eur / GWP_EUR, 6))
        for code, eur in EUR_PER_TONNE.items()
    }
    for code, pr, low, p in (
        ("AC 11 surf", 0, False, "P-STD"),
        ("AC 11 surf", 30, False, "P-PR30"),
        ("AC 11 surf", 50, False, "P-PR50"),
        ("AC 11 surf", 0, True, "P-LT"),
        ("AC 16 bin", 0, False, "P-BIN"),
        ("AC 22 bin", 0, False, "P-22"),
    ):
        MixtureMkiVariant.objects.create(
            mixture=mixture(code),
            pr_percent=pr,
            low_temperature=low,
            mki_profile=profiles[p],
        )
    for required, serving, cost in (
        ("AC 16 bin", "AC 11 surf", 6.0),
        ("AC 16 bin", "AC 22 bin", 2.0),
        ("AC 22 base", "AC 22 bin", 3.0),
    ):
        MixtureSubstitution.objects.create(
            required=mixture(required),
            serving=mixture(serving),
            over_spec_eur_per_tonne=cost,
            source="test",
        )
    s1 = section(town, "S1", 5.05)
    s2 = section(province, "S2", 5.06)
    s3 = section(town, "S3", 5.07)
    passport(
        s1,
        [
            {
                "mixture": "AC 11 surf",
                "thickness_mm": 40,
                "density_t_per_m3": 2.4,
                "density_source": "cores 2024",
            },
            {
                "mixture": "AC 16 bin",
                "thickness_mm": 40,
                "density_t_per_m3": 2.4,
                "density_source": "cores 2024",
            },
            {
                "mixture": "AC 22 base",
                "thickness_mm": 80,
                "pak_mg_per_kg": 500,
                "tar_containing": True,
                "offered_for_reuse": False,
            },
        ],
    )
    passport(
        s2,
        [
            {
                "mixture": "AC 22 base",
                "thickness_mm": 100,
                "pak_mg_per_kg": 300,
                "tar_containing": True,
                "offered_for_reuse": False,
                "density_t_per_m3": 2.4,
                "density_source": "cores 2024",
            }
        ],
    )
    w1 = work(
        town,
        s1,
        "W1",
        2027,
        [("AC 11 surf", 40, 0, False), ("AC 16 bin", 40, 40, True)],
        layers_removed=2,
        plant="X",
    )
    w2 = work(
        province, s2, "W2", 2027, [("AC 22 base", 80, 0, False)], removal_depth_mm=50
    )
    w3 = work(town, s3, "W3", 2028, [("AC 22 bin", 20, 0, False)])
    return Plan(w1, w2, w3, s1, s2, profiles)
