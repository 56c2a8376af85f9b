# SPDX-License-Identifier: EUPL-1.2
"""The asphalt MKI of works, bundles and the plan (``roads.asphalt_mki`` through
``roads.selectors``) on the plan of ``plan.py``. Every euro figure is the profile's
GWP-total (kg per tonne) x 0.116 (nmd-a2) x the layer's tonnes, worked out by hand:

W1 (gemeente-a, 2027): layer 1 AC 11 surf 100 t PR 0 warm; layer 2 AC 16 bin
100 t PR 40 at low temperature (AC 16 bin has only a warm PR 0 variant).

- planned: 100 x 11.60 (P-STD, exact) + 100 x 9.86 (P-BIN, warm) = 2146
- pr 50 %: 100 x 8.12 (P-PR50) + 986 = 1798
- low temperature: 100 x 10.44 (P-LT) + 986 = 2030

W2 (provincie-x, 2027): AC 22 base without any profile: unknown, 0 euro counted.
W3 (gemeente-a, 2028): AC 22 bin 50 t: 50 x 9.28 = 464 in every variant (the PR
50 % variant falls back to the PR 0 profile, low temperature to the warm one).
"""

from __future__ import annotations

import pytest

from cirkelregio.roads import selectors
from cirkelregio.roads.models import AsphaltMixture, WorkStatus
from cirkelregio.roads.tests import plan as plan_module
from cirkelregio.roads.tests.conftest import Roads
from cirkelregio.roads.tests.plan import Plan


@pytest.fixture
def plan(roads: Roads) -> Plan:
    return plan_module.build(roads.town, roads.province)


def _rule(code: str, pr: float, low: bool) -> tuple[str, str]:
    choice = selectors.layer_mki_profile(
        AsphaltMixture.objects.get(code=code), pr_percent=pr, low_temperature=low
    )
    return choice.code, choice.rule


def test_which_profile_a_layer_takes(plan: Plan) -> None:
    assert _rule("AC 11 surf", 30, False) == ("P-PR30", "exact")
    assert _rule("AC 11 surf", 40, False) == ("P-PR30", "lower_pr")
    assert _rule("AC 11 surf", 100, False) == ("P-PR50", "lower_pr")
    assert _rule("AC 11 surf", 0, True) == ("P-LT", "exact")
    assert _rule("AC 11 surf", 20, True) == ("P-LT", "lower_pr")
    assert _rule("AC 16 bin", 60, True) == ("P-BIN", "warm")
    assert _rule("AC 22 base", 0, False) == ("", "unknown")


def test_the_mixture_profile_is_the_last_resort(plan: Plan) -> None:
    pa = AsphaltMixture.objects.get(code="PA 16")
    pa.mki_profile = plan.profiles["P-22"]
    pa.save()
    assert _rule("PA 16", 30, True) == ("P-22", "mixture")
    profile = plan.profiles["P-22"]
    profile.unit = "m2"
    profile.save()
    choice = selectors.layer_mki_profile(
        AsphaltMixture.objects.get(code="PA 16"), pr_percent=0, low_temperature=False
    )
    assert choice.profile is None and "not per tonne" in choice.reason


def test_works_mki_of_a_bundle_by_hand(plan: Plan) -> None:
    found = selectors.works_mki([plan.w1.pk, plan.w2.pk])
    w1, w2 = found.works
    assert w1.external_id == "W1" and w1.complete
    assert [x.mki_eur for x in w1.layers] == pytest.approx([1160.0, 986.0])
    assert [x.rule for x in w1.layers] == ["exact", "warm"]
    assert w1.mki_eur == pytest.approx(2146.0)
    assert w2.unknown_layers == 1 and w2.mki_eur == 0.0
    assert "AC 22 base has no MKI profile" in w2.layers[0].reason
    assert found.total_eur == pytest.approx(2146.0)
    assert not found.complete and found.unknown_layers == 1
    by = {a.authority: a for a in found.by_authority}
    assert by["gemeente-a"].mki_eur == pytest.approx(2146.0)
    assert (by["provincie-x"].mki_eur, by["provincie-x"].unknown_layers) == (0.0, 1)


@pytest.mark.parametrize(
    "variant, expected", [(None, 2146.0), ("pr", 1798.0), ("low_temperature", 2030.0)]
)
def test_works_mki_variants_by_hand(
    plan: Plan, variant: str | None, expected: float
) -> None:
    assert selectors.works_mki([plan.w1.pk], variant=variant).total_eur == (
        pytest.approx(expected)
    )


def test_a_higher_pr_share_in_a_variant(plan: Plan) -> None:
    # PR 30: layer 1 takes P-PR30 (9.28): 928 + 986 = 1914.
    found = selectors.works_mki([plan.w1.pk], variant=selectors.scenario("pr", 30))
    assert found.total_eur == pytest.approx(1914.0)
    with pytest.raises(ValueError):
        selectors.scenario("cold")
    with pytest.raises(ValueError):
        selectors.scenario("pr", 120)


def test_plan_per_authority_and_year(plan: Plan) -> None:
    rows = {(r.authority, r.year): r for r in selectors.plan_mki_table()}
    assert set(rows) == {
        ("gemeente-a", 2027),
        ("gemeente-a", 2028),
        ("provincie-x", 2027),
    }
    assert rows[("gemeente-a", 2027)].mki_eur == pytest.approx(
        {"planned": 2146.0, "pr": 1798.0, "low_temperature": 2030.0}
    )
    assert rows[("gemeente-a", 2028)].mki_eur == pytest.approx(
        {"planned": 464.0, "pr": 464.0, "low_temperature": 464.0}
    )
    assert rows[("provincie-x", 2027)].unknown_layers == {
        "planned": 1,
        "pr": 1,
        "low_temperature": 1,
    }
    # Filters; a done work is no longer in the plan.
    only = selectors.plan_mki_table(authorities=["gemeente-a"], year_from=2028)
    assert [(r.authority, r.year) for r in only] == [("gemeente-a", 2028)]
    plan.w3.status = WorkStatus.DONE
    plan.w3.save()
    assert selectors.plan_mki_table(year_from=2028) == []
