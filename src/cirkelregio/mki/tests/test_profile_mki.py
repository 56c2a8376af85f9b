# SPDX-License-Identifier: EUPL-1.2
"""The MKI of one profile (``selectors.profile_mki``), used by the materials exchange
for the MKI of a new product. Invented test numbers, not NMD data.

Profile per tonne, data category 3 (uplift 1.3), with nmd-a2 (GWP-total 0.116 and
AP 0.39 euro per unit):
  A1-A3: GWP-total 100, AP 0.5; C3: GWP-total 5; D: GWP-total -20
  with D:    (85 x 0.116 + 0.5 x 0.39) x 1.3 = 10.055 x 1.3 = 13.0715 per tonne
  without D: (105 x 0.116 + 0.5 x 0.39) x 1.3 = 12.375 x 1.3 = 16.0875 per tonne
  0.145 t (a m2 of clay pavers of 0.145 t): 13.0715 x 0.145 = 1.8953675
"""

from __future__ import annotations

import pytest

from cirkelregio.mki import selectors
from cirkelregio.mki.models import Profile
from cirkelregio.mki.tests.factories import ProfileFactory, ProfileValueFactory

pytestmark = pytest.mark.django_db


def _profile(values: list[tuple[str, str, float]], category: str = "3") -> Profile:
    profile = ProfileFactory(unit="t", data_category=category)
    for module, indicator, value in values:
        ProfileValueFactory(
            profile=profile, module=module, indicator=indicator, value=value
        )
    return profile


HAND = [
    ("A1-A3", "GWP-total", 100.0),
    ("A1-A3", "AP", 0.5),
    ("C3", "GWP-total", 5.0),
    ("D", "GWP-total", -20.0),
]


def test_profile_mki_equals_the_hand_computed_case() -> None:
    profile = _profile(HAND)
    one = selectors.profile_mki(profile=profile.pk)
    assert one.error == "" and one.method == "nmd-a2"
    assert one.total_eur == pytest.approx(13.0715, abs=1e-9)
    part = selectors.profile_mki(profile=profile.pk, quantity=0.145)
    assert part.total_eur == pytest.approx(1.8953675, abs=1e-9)
    without_d = selectors.profile_mki(profile=profile.pk, include_module_d=False)
    assert without_d.total_eur == pytest.approx(16.0875, abs=1e-9)
    assert len(one.weighting_sha256) == 64


def test_profile_mki_gives_reasons_not_numbers() -> None:
    # PM has no verified nmd-a2 factor; "GWP" (an A1 indicator) is not in nmd-a2.
    missing = _profile([("A1-A3", "GWP-total", 1.0), ("A1-A3", "PM", 1e-6)])
    result = selectors.profile_mki(profile=missing.pk)
    assert result.total_eur is None
    assert result.missing_indicators == ("PM",)
    assert "no verified factor for PM" in result.error
    undefined = _profile([("A1-A3", "GWP", 1.0)])
    result = selectors.profile_mki(profile=undefined.pk)
    assert result.total_eur is None and "does not define GWP" in result.error
    gone = selectors.profile_mki(profile=missing.pk + undefined.pk + 1000)
    assert gone.total_eur is None and gone.error
    with pytest.raises(ValueError):
        selectors.profile_mki(profile=missing.pk, method="nmd-a9")
