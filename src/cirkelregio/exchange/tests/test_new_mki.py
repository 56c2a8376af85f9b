# SPDX-License-Identifier: EUPL-1.2
"""The MKI of the new product a material class replaces, from a linked MKI profile.

Invented test numbers, not NMD data. Profile "klinker" per tonne, data category 3
(uplift 1.3), weighted with nmd-a2 (GWP-total 0.116, AP 0.39 euro per unit):
  A1-A3: GWP-total 100, AP 0.5; C3: GWP-total 5; D: GWP-total -20
  per tonne: (85 x 0.116 + 0.5 x 0.39) x 1.3 = 10.055 x 1.3 = 13.0715
  clay pavers, 0.145 t per m2 (conversion derived): 13.0715 x 0.145 = 1.8953675
  the exchange's "bss", 0.2 t per m2:              13.0715 x 0.2   = 2.6143

The match run of conftest.py with "bss" linked: the baseline is every supply
disposed and every demand bought new, 100 x 3 + 110 x (20 + 2.6143) = 2787.573
(2720 with the entered estimate of 2); the plan delivers all 100 m2 of S1, so the
new product MKI avoided is 100 x 2.6143 = 261.43.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

import pytest
from rest_framework.test import APIClient

from cirkelregio.exchange import selectors, services
from cirkelregio.exchange.models import MaterialClass, RunStatus
from cirkelregio.exchange.tests.conftest import Exchange
from cirkelregio.exchange.tests.factories import MaterialClassFactory
from cirkelregio.mki.models import Profile
from cirkelregio.mki.tests.factories import (
    ProfileFactory,
    ProfileLibraryFactory,
    ProfileValueFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/exchange"
PROBLEM = "application/problem+json"
HAND = [
    ("A1-A3", "GWP-total", 100.0),
    ("A1-A3", "AP", 0.5),
    ("C3", "GWP-total", 5.0),
    ("D", "GWP-total", -20.0),
]


def _profile(
    unit: str = "t", values: list[tuple[str, str, float]] = HAND, **library: Any
) -> Profile:
    profile = ProfileFactory(
        library=ProfileLibraryFactory(**library),
        profile_id="KLINKER",
        name="Klinker (test)",
        unit=unit,
        data_category="3",
    )
    for module, indicator, value in values:
        ProfileValueFactory(
            profile=profile, module=module, indicator=indicator, value=value
        )
    return profile


@pytest.fixture
def profile(db: Any) -> Profile:
    return _profile()


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_linked_class_uses_the_profiles_mki_per_unit(profile: Profile) -> None:
    klinker = MaterialClassFactory(
        code="klinker", unit="m2", tonnes_per_unit=0.145, new_mki_eur=2.4
    )
    assert selectors.material_new_mki(klinker).eur_per_unit == 2.4
    services.material_update(actor=None, material=klinker, new_mki_profile=profile)
    new = selectors.material_new_mki(MaterialClass.objects.get(pk=klinker.pk))
    assert new.from_profile and new.note == ""
    assert new.conversion == pytest.approx(0.145)  # a profile per tonne
    assert new.method == "nmd-a2"
    assert new.eur_per_unit == pytest.approx(1.8953675, abs=1e-9)
    assert new.estimate_eur == 2.4
    # An entered conversion is used as given (the same unit: any factor).
    per_m2 = _profile(unit="m2")
    services.material_update(
        actor=None, material=klinker, new_mki_profile=per_m2, new_mki_conversion=2.0
    )
    new = selectors.material_new_mki(klinker)
    assert new.eur_per_unit == pytest.approx(2 * 13.0715, abs=1e-9)
    services.material_update(
        actor=None, material=klinker, new_mki_profile=None, new_mki_conversion=None
    )
    assert selectors.material_new_mki(klinker).from_profile is False


def test_match_run_uses_the_linked_value_and_records_it(
    exchange: Exchange, profile: Profile
) -> None:
    plain = services.match_run_start(actor=exchange.coordinator)
    assert plain.baseline_eur == pytest.approx(100 * 3 + 110 * 22)
    assert plain.new_mki["bss"]["from_profile"] is False
    assert plain.new_mki["bss"]["eur_per_unit"] == 2.0
    services.material_update(
        actor=exchange.coordinator, material=exchange.material, new_mki_profile=profile
    )
    run = services.match_run_start(actor=exchange.coordinator)
    assert run.status == RunStatus.SUCCEEDED, run.message
    assert run.baseline_eur == pytest.approx(2787.573, abs=1e-9)
    assert run.new_mki_avoided_eur == pytest.approx(261.43, abs=1e-9)
    record = run.new_mki["bss"]
    assert record["from_profile"] is True
    assert record["eur_per_unit"] == pytest.approx(2.6143, abs=1e-12)
    assert (record["profile"], record["profile_code"]) == (profile.pk, "KLINKER")
    assert record["library"] == profile.library.name
    assert record["method"] == "nmd-a2" and len(record["weighting_sha256"]) == 64
    assert record["conversion"] == pytest.approx(0.2)
    assert run.message == ""
    # The savings per municipality count the value the run used.
    rows = selectors.savings_by_municipality(run=run)
    assert sum(r.new_mki_avoided_eur for r in rows) == pytest.approx(261.43)


def test_profile_that_no_longer_calculates_falls_back_to_the_estimate(
    exchange: Exchange, profile: Profile
) -> None:
    services.material_update(
        actor=None, material=exchange.material, new_mki_profile=profile
    )
    # Later the library gains an indicator without a verified nmd-a2 factor.
    ProfileValueFactory(profile=profile, module="A1-A3", indicator="PM", value=1e-6)
    run = services.match_run_start(actor=None)
    assert run.status == RunStatus.SUCCEEDED
    assert run.new_mki["bss"]["from_profile"] is False
    assert run.new_mki["bss"]["eur_per_unit"] == 2.0
    assert run.baseline_eur == pytest.approx(100 * 3 + 110 * 22)
    assert "bss: the entered estimate" in run.message and "PM" in run.message
    # A removed library leaves the class with its estimate.
    profile.library.delete()
    material = MaterialClass.objects.get(pk=exchange.material.pk)
    assert material.new_mki_profile is None
    assert selectors.material_new_mki(material).eur_per_unit == 2.0


def test_validation_names_the_field(exchange: Exchange, profile: Profile) -> None:
    material = exchange.material  # m2, 0.2 t per m2

    def error_of(**fields: Any) -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as info:
            services.material_update(actor=None, material=material, **fields)
        material.refresh_from_db()
        return _errors(info)

    assert "new_mki_conversion" in error_of(new_mki_conversion=1.0)
    for bad in (0.0, -1.0):
        errors = error_of(new_mki_profile=profile, new_mki_conversion=bad)
        assert set(errors) == {"new_mki_conversion"}, bad
    # A profile per tonne: the conversion is the tonnes per unit, or empty.
    errors = error_of(new_mki_profile=profile, new_mki_conversion=0.5)
    assert "one m2 is 0.2 t" in errors["new_mki_conversion"][0]
    per_m3 = _profile(unit="m3", name="Other library (test)")
    errors = error_of(new_mki_profile=per_m3)
    assert errors["new_mki_conversion"] == [
        "The profile is per m3 and the class per m2: give how many m3 make one m2."
    ]
    hidden = _profile(name="Private library (test)", is_published=False)
    assert "published" in error_of(new_mki_profile=hidden)["new_mki_profile"][0]
    no_factor = _profile(
        values=[("A1-A3", "GWP-total", 1.0), ("A1-A3", "PM", 1e-6)],
        name="Library with PM (test)",
    )
    errors = error_of(new_mki_profile=no_factor)
    assert "no verified factor for PM" in errors["new_mki_profile"][0]
    assert "new_mki_method" in error_of(new_mki_profile=profile, new_mki_method="x")
    # Nothing was stored by the refused changes.
    material.refresh_from_db()
    assert material.new_mki_profile is None and material.new_mki_conversion is None
    with pytest.raises(PermissionDenied):
        services.material_update(
            actor=exchange.editor_a, material=material, new_mki_profile=profile
        )


def _client(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_api_reads_and_writes_the_link(exchange: Exchange, profile: Profile) -> None:
    url = f"{API}/materials/{exchange.material.pk}/"
    body = _client().get(url).json()
    assert body["new_mki_profile"] is None
    assert body["new_mki_used"] == {
        "eur_per_unit": 2.0,
        "from_profile": False,
        "conversion": None,
        "method": "",
        "note": "",
    }
    link = {"new_mki_profile": profile.pk}
    assert _client().patch(url, link, format="json").status_code == 403
    assert _client(exchange.editor_a).patch(url, link, format="json").status_code == (
        403
    )
    r = _client(exchange.coordinator).patch(url, link, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["new_mki_profile"] == {
        "id": profile.pk,
        "code": "KLINKER",
        "name": "Klinker (test)",
        "unit": "t",
        "library": profile.library.name,
    }
    assert body["new_mki_conversion"] is None
    assert body["new_mki_method"] == "nmd-a2"
    assert body["new_mki_used"]["eur_per_unit"] == pytest.approx(2.6143, abs=1e-12)
    assert body["new_mki_used"]["from_profile"] is True
    assert body["new_mki_used"]["conversion"] == pytest.approx(0.2)
    assert body["new_mki_used"]["method"] == "nmd-a2"
    # Field errors as problem details.
    for data, field in (
        ({"new_mki_conversion": 0.5}, "new_mki_conversion"),
        ({"new_mki_conversion": -1}, "new_mki_conversion"),
        ({"new_mki_profile": profile.pk + 1000}, "new_mki_profile"),
        ({"new_mki_method": "nmd-a9"}, "new_mki_method"),
        ({"new_mki_profile": None, "new_mki_conversion": 1}, "new_mki_conversion"),
    ):
        r = _client(exchange.coordinator).patch(url, data, format="json")
        assert r.status_code == 400, data
        assert r["Content-Type"] == PROBLEM
        assert [p["name"] for p in r.json()["invalid_params"]] == [field], data
    r = _client(exchange.coordinator).patch(
        url, {"new_mki_profile": None}, format="json"
    )
    assert r.status_code == 200 and r.json()["new_mki_used"]["eur_per_unit"] == 2.0


def test_admin_checks_the_link(exchange: Exchange, profile: Profile) -> None:
    client = Client()
    client.force_login(exchange.coordinator)
    material = exchange.material
    # The English admin: its messages are checked below.
    url = f"/en/admin/exchange/materialclass/{material.pk}/change/"
    data = {
        "code": material.code,
        "name_nl": material.name_nl,
        "name_en": "",
        "unit": "m2",
        "tonnes_per_unit": 0.2,
        "new_cost_eur": 20,
        "new_cost_source": "test value",
        "new_mki_eur": 2,
        "new_mki_source": "test value",
        "new_mki_profile": profile.pk,
        "new_mki_conversion": "0.5",
        "new_mki_method": "nmd-a2",
        "disposal_cost_eur": 3,
        "disposal_cost_source": "test value",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "leave the conversion empty" in response.content.decode()
    data["new_mki_conversion"] = ""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    material.refresh_from_db()
    assert material.new_mki_profile == profile
    page = client.get(url).content.decode()
    assert "2.614, calculated from KLINKER Klinker (test) (nmd-a2)" in page
