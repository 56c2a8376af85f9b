# SPDX-License-Identifier: EUPL-1.2
"""Mixture harmonisation of the planned works (``services.harmonisation_run``) on
the plan of ``plan.py``, against hand-computed optima and an independent brute
force over every subset of the candidate mixtures.

Horizon 2027: requirements AC 11 surf 100 t (W1, plant X), AC 16 bin 100 t (W1,
plant X), AC 22 base 200 t (W2). Candidates with their MKI per tonne: AC 11 surf
11.60, AC 16 bin 9.86, AC 22 bin 9.28 (AC 22 base has no profile: no candidate).

- Fewest: AC 11 surf serves only itself and AC 22 base only AC 22 bin, so at
  least 2; with {AC 11 surf, AC 22 bin} AC 16 bin goes to AC 22 bin (9.28 + 2 =
  11.28 < 11.60 + 6). Cost 100 x 11.60 + 100 x 11.28 + 200 x (9.28 + 3) = 1160 +
  1128 + 2456 = 4744; MKI after 100 x 11.60 + 300 x 9.28 = 3944; over-spec 200 +
  600 = 800.
- k = 3: AC 16 bin keeps itself: cost 1160 + 986 + 2456 = 4602; MKI after 1160 +
  986 + 1856 = 4002; over-spec 600.
- MKI before: AC 11 surf 1160 + AC 16 bin 986 = 2146; the 200 t of AC 22 base
  have no MKI and are left out (said in the note).
- k = 1: too few, at least 2 are needed.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from cirkelregio.roads import services
from cirkelregio.roads.models import (
    AsphaltMixture,
    MixtureSubstitution,
    WorkLayer,
    WorkStatus,
)
from cirkelregio.roads.tests import plan as plan_module
from cirkelregio.roads.tests.conftest import Roads
from cirkelregio.roads.tests.plan import EUR_PER_TONNE, Plan


@pytest.fixture
def plan(roads: Roads) -> Plan:
    return plan_module.build(roads.town, roads.province)


def test_fewest_mixtures_by_hand(roads: Roads, plan: Plan) -> None:
    run = services.harmonisation_run(actor=roads.town_editor, year_from=2027)
    assert run.status == "optimal" and run.gap is None
    assert run.minimum_mixtures == 2 and run.k is None
    assert run.chosen == ["AC 11 surf", "AC 22 bin"]
    assert run.requirements == 3 and run.tonnes == pytest.approx(400)
    assert run.mki_after_eur == pytest.approx(3944, abs=1e-6)
    assert run.over_spec_eur == pytest.approx(800, abs=1e-6)
    assert run.mki_before_eur == pytest.approx(2146, abs=1e-6)
    assert "200.0 t" in run.mki_note
    serving = {(a["external_id"], a["position"]): a["serving"] for a in run.assignments}
    assert serving == {
        ("W1", 1): "AC 11 surf",
        ("W1", 2): "AC 22 bin",
        ("W2", 1): "AC 22 bin",
    }
    # Before: three mixtures; after: two. Per plant and period as planned.
    assert run.spread_before["mixtures"] == 3
    assert run.spread_after["tonnes"] == pytest.approx(
        {"AC 11 surf": 100.0, "AC 22 bin": 300.0}
    )
    rows = {(r["plant"], r["period"]): r for r in run.spread_after["by_plant_period"]}
    assert rows[("X", "2027")]["tonnes"] == pytest.approx(
        {"AC 11 surf": 100.0, "AC 22 bin": 100.0}
    )
    assert rows[(None, "2027")]["tonnes"] == pytest.approx({"AC 22 bin": 200.0})
    assert run.started_by == roads.town_editor


def test_at_most_k_by_hand(roads: Roads, plan: Plan) -> None:
    run = services.harmonisation_run(actor=roads.coordinator, year_from=2027, k=3)
    assert run.chosen == ["AC 11 surf", "AC 16 bin", "AC 22 bin"]
    assert run.mki_after_eur == pytest.approx(4002, abs=1e-6)
    assert run.over_spec_eur == pytest.approx(600, abs=1e-6)
    assert run.mki_difference_eur == pytest.approx(4002 - 2146, abs=1e-6)


def test_too_few_mixtures_names_the_minimum(roads: Roads, plan: Plan) -> None:
    with pytest.raises(ValidationError) as info:
        services.harmonisation_run(actor=None, year_from=2027, k=1)
    assert "at least 2 are needed" in str(info.value.message_dict["k"])


def test_a_layer_nothing_may_serve_is_named(roads: Roads, plan: Plan) -> None:
    MixtureSubstitution.objects.filter(required__code="AC 22 base").delete()
    with pytest.raises(ValidationError) as info:
        services.harmonisation_run(actor=None, year_from=2027)
    (message,) = info.value.message_dict["works"]
    assert message.startswith("Work W2 of provincie-x, layer 1 (AC 22 base)")
    assert "no substitution serves it" in message


def test_a_layer_without_density_is_named(roads: Roads, plan: Plan) -> None:
    WorkLayer.objects.filter(work=plan.w1, position=2).update(
        density_t_per_m3=None, density_source=""
    )
    with pytest.raises(ValidationError) as info:
        services.harmonisation_run(actor=None, year_from=2027)
    (message,) = info.value.message_dict["works"]
    assert message.startswith("Work W1 of gemeente-a, layer 2 (AC 16 bin)")
    assert "no density" in message


def test_horizon_authorities_and_status(roads: Roads, plan: Plan) -> None:
    # 2028 only: W3 (AC 22 bin) alone.
    run = services.harmonisation_run(actor=None, year_from=2028)
    assert run.chosen == ["AC 22 bin"] and run.requirements == 1
    # The province alone in 2027: W2.
    run = services.harmonisation_run(
        actor=None, year_from=2027, authorities=["provincie-x"]
    )
    assert run.chosen == ["AC 22 bin"] and run.tonnes == pytest.approx(200)
    # Done works are not planned any more.
    plan.w2.status = WorkStatus.DONE
    plan.w2.save()
    run = services.harmonisation_run(actor=None, year_from=2027)
    assert run.requirements == 2


@pytest.mark.parametrize(
    "values, field",
    [
        ({"year_from": 2028, "year_to": 2027}, "year_to"),
        ({"year_from": 2027, "k": 0}, "k"),
        ({"year_from": 2027, "families": ["concrete"]}, "families"),
        ({"year_from": 2030}, "year_from"),
    ],
)
def test_bad_input(
    roads: Roads, plan: Plan, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        services.harmonisation_run(actor=None, **values)
    assert field in info.value.message_dict


def test_who_may_start(roads: Roads, plan: Plan) -> None:
    for user in (roads.member, roads.company_editor):
        with pytest.raises(PermissionDenied):
            services.harmonisation_run(actor=user, year_from=2027)
    services.harmonisation_run(actor=roads.province_editor, year_from=2027)


# Independent brute force ------------------------------------------------------------


def brute_force(
    requirements: list[tuple[str, float]],
    mki: dict[str, float],
    over: dict[tuple[str, str], float],
    k: int | None,
) -> tuple[int, float]:
    """(number of mixtures, least cost) over every subset of the candidates; k None:
    the fewest mixtures that serve everything, then the least cost among them."""

    def admissible(c: str, j: str) -> bool:
        return c == j or (c, j) in over

    best: tuple[int, float] | None = None
    names = sorted(mki)
    for size in range(1, len(names) + 1):
        if k is not None and size > k:
            break
        for subset in itertools.combinations(names, size):
            cost = 0.0
            for c, t in requirements:
                options = [
                    t * (mki[j] + over.get((c, j), 0.0))
                    for j in subset
                    if admissible(c, j)
                ]
                if not options:
                    break
                cost += min(options)
            else:
                used = size
                if best is None or cost < best[1] - 1e-9:
                    best = (used, cost)
        if k is None and best is not None:
            return best
    assert best is not None
    return best


def _run_cost(run: Any) -> float:
    return float(run.mki_after_eur + run.over_spec_eur)


def test_the_plan_against_brute_force(roads: Roads, plan: Plan) -> None:
    requirements = [("AC 11 surf", 100.0), ("AC 16 bin", 100.0), ("AC 22 base", 200.0)]
    mki = {
        "AC 11 surf": EUR_PER_TONNE["P-STD"],
        "AC 16 bin": EUR_PER_TONNE["P-BIN"],
        "AC 22 bin": EUR_PER_TONNE["P-22"],
    }
    over = {
        ("AC 16 bin", "AC 11 surf"): 6.0,
        ("AC 16 bin", "AC 22 bin"): 2.0,
        ("AC 22 base", "AC 22 bin"): 3.0,
    }
    for k in (None, 2, 3):
        count, cost = brute_force(requirements, mki, over, k)
        run = services.harmonisation_run(actor=None, year_from=2027, k=k)
        assert _run_cost(run) == pytest.approx(cost, abs=1e-6)
        if k is None:
            assert len(run.chosen) == count


def test_random_plans_against_brute_force(roads: Roads, plan: Plan) -> None:
    """Random plans on the DB: more works with random mixtures, thicknesses and
    substitution costs; the service's optimum equals the brute force's."""
    rng = random.Random(20261128)
    codes = ["AC 11 surf", "AC 16 bin", "AC 22 bin", "AC 22 base"]
    candidates = {
        "AC 11 surf": EUR_PER_TONNE["P-STD"],
        "AC 16 bin": EUR_PER_TONNE["P-BIN"],
        "AC 22 bin": EUR_PER_TONNE["P-22"],
    }
    mixtures = {m.code: m for m in AsphaltMixture.objects.filter(code__in=codes)}
    for trial in range(3):
        MixtureSubstitution.objects.all().delete()
        over: dict[tuple[str, str], float] = {}
        for required in codes:
            for serving in candidates:
                if required != serving and rng.random() < 0.5:
                    cost = float(rng.randint(0, 8))
                    over[(required, serving)] = cost
                    MixtureSubstitution.objects.create(
                        required=mixtures[required],
                        serving=mixtures[serving],
                        over_spec_eur_per_tonne=cost,
                        source="test",
                    )
        over.setdefault(("AC 22 base", "AC 22 bin"), 3.0)
        MixtureSubstitution.objects.get_or_create(
            required=mixtures["AC 22 base"],
            serving=mixtures["AC 22 bin"],
            defaults={"over_spec_eur_per_tonne": 3.0, "source": "test"},
        )
        year = 2030 + trial
        requirements: list[tuple[str, float]] = []
        for i in range(5):
            layers = []
            for _ in range(rng.randint(1, 2)):
                code = rng.choice(codes)
                mm = float(rng.randint(3, 12) * 10)
                layers.append((code, mm, 0.0, False))
                requirements.append((code, 2.5 * mm))  # 1000 m2 x mm / 1000 x 2.5
            plan_module.work(roads.town, plan.s1, f"R{trial}-{i}", year, layers)
        for k in (None, 1, 2, 3):
            try:
                count, cost = brute_force(requirements, candidates, over, k)
            except AssertionError:  # no subset of size <= k serves everything
                with pytest.raises(ValidationError):
                    services.harmonisation_run(actor=None, year_from=year, k=k)
                continue
            run = services.harmonisation_run(actor=None, year_from=year, k=k)
            assert _run_cost(run) == pytest.approx(cost, abs=1e-6), (trial, k)
            if k is None:
                assert len(run.chosen) == count
