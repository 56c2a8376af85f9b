# SPDX-License-Identifier: EUPL-1.2
"""The calculation service against the engine's hand-computed case, the refusal to
guess a missing factor, stale results, and the comparison and A1/A2 overview."""

from __future__ import annotations

import pytest

from cirkelregio.engine.mki import WeightingSet
from cirkelregio.mki import selectors, services
from cirkelregio.mki.models import (
    BillLine,
    CalculationResult,
    Profile,
    ProfileLibrary,
    Variant,
)
from cirkelregio.mki.tests.factories import BillLineFactory, ElementFactory

pytestmark = pytest.mark.django_db


def test_persisted_result_equals_the_hand_computed_case(
    hand_variant: Variant, weights: WeightingSet
) -> None:
    result = services.variant_calculate(variant=hand_variant, weights=weights)
    stored = CalculationResult.objects.get(pk=result.pk)
    assert stored.outcome == "succeeded"
    assert stored.method == "test"
    assert stored.options["custom_weights"] is True
    assert stored.total_eur == pytest.approx(2724.00, abs=1e-9)
    lines = {line["line_id"]: line for line in stored.breakdown["by_line"]}
    assert lines["L1"]["mki_eur"] == pytest.approx(2360.00, abs=1e-9)
    assert lines["L1"]["placements"] == 5
    assert lines["L2"]["mki_eur"] == pytest.approx(364.00, abs=1e-9)
    assert lines["L2"]["uplift"] == 1.3
    assert lines["L3"]["mki_eur"] == 0
    assert stored.breakdown["by_element"] == pytest.approx(
        {"Deklaag": 2360.00, "Opsluiting": 364.00}
    )
    assert stored.breakdown["by_module"] == pytest.approx(
        {"A1-A3": 2849.00, "C3": 125.00, "D": -250.00}
    )
    assert stored.breakdown["by_indicator"] == pytest.approx(
        {"GWP": 1635.00, "AP": 504.00, "EP": 135.00, "HTP": 450.00}
    )
    without_d = services.variant_calculate(
        variant=hand_variant, weights=weights, include_module_d=False
    )
    assert without_d.total_eur == pytest.approx(2974.00, abs=1e-9)
    assert "D" not in without_d.breakdown["by_module"]


def test_the_project_options_reach_the_engine(
    hand_variant: Variant, weights: WeightingSet
) -> None:
    project = hand_variant.project
    services.project_update(actor=None, project=project, replacement_rule="fractional")
    result = services.variant_calculate(variant=hand_variant, weights=weights)
    # L1: 50/12 * 100 * 4.72; L2: 364.00
    assert result.total_eur == pytest.approx(50 / 12 * 472 + 364.00, abs=1e-9)
    services.project_update(
        actor=None, project=project, replacement_rule="ceil", reference_period=10
    )
    result = services.variant_calculate(variant=hand_variant, weights=weights)
    assert result.total_eur == pytest.approx(472.00 + 364.00, abs=1e-9)


def test_a_missing_factor_is_a_failed_result_naming_the_indicators(
    hand_variant: Variant,
) -> None:
    # The shipped nmd-a1 set has no verified factor yet.
    result = services.variant_calculate(variant=hand_variant, method="nmd-a1")
    assert result.outcome == "failed"
    assert result.total_eur is None
    assert result.breakdown == {}
    assert result.missing_indicators == ["GWP", "AP", "EP", "HTP"]
    assert result.error == (
        "Weighting set nmd-a1 has no verified factor for GWP, AP, EP, HTP, which the "
        "profiles of this bill use. No MKI was calculated: calculate with a "
        "weighting set that gives a factor for GWP, AP, EP, HTP."
    )


def test_nmd_a2_names_the_unverified_a2_factors(hand_variant: Variant) -> None:
    library = ProfileLibrary.objects.create(name="A2 (synthetisch)")
    profile = Profile.objects.create(
        library=library, profile_id="Q", name="q", unit="t", data_category="1"
    )
    profile.values.create(module="A1-A3", indicator="GWP-total", value=1)
    profile.values.create(module="A1-A3", indicator="PM", value=1e-6)
    profile.values.create(module="A1-A3", indicator="SQP", value=2)
    variant = services.variant_create(
        actor=None, project=hand_variant.project, name="A2"
    )
    BillLineFactory(element=ElementFactory(variant=variant), profile=profile)
    result = services.variant_calculate(variant=variant, method="nmd-a2")
    assert (result.outcome, result.missing_indicators) == ("failed", ["PM", "SQP"])
    # A1 profiles cannot be weighted with the A2 set: indicators it does not define.
    other = services.variant_calculate(variant=hand_variant, method="nmd-a2")
    assert other.outcome == "failed"
    assert other.error.startswith(
        "Weighting set nmd-a2 does not define EP, GWP, HTP, which profiles of "
        "this bill use (P1, P2)."
    )


def test_stale_after_edits_and_fresh_after_recalculation(
    hand_variant: Variant, hand_library: ProfileLibrary, weights: WeightingSet
) -> None:
    result = services.variant_calculate(variant=hand_variant, weights=weights)
    assert not selectors.result_is_stale(result)
    line = BillLine.objects.get(element__variant=hand_variant, line_id="L1")
    services.bill_line_update(actor=None, line=line, quantity=101)
    assert selectors.result_is_stale(result)
    fresh = services.variant_calculate(variant=hand_variant, weights=weights)
    assert not selectors.result_is_stale(fresh)
    assert selectors.stale_results([result, fresh]) == {result.pk}
    # A re-import of a library the bill uses makes results stale too.
    services.library_import_csv(
        actor=None,
        library=hand_library,
        content=(
            b"profile_id,name,unit,data_category,module,indicator,value\n"
            b"P1,a,t,1,A1-A3,GWP,1\nP2,b,m,3,A1-A3,GWP,1\n"
        ),
    )
    assert selectors.result_is_stale(fresh)
    # And so does a change of the project's reference period.
    newest = services.variant_calculate(variant=hand_variant, weights=weights)
    services.project_update(
        actor=None, project=hand_variant.project, reference_period=60
    )
    assert selectors.result_is_stale(newest)


def test_comparison_and_overview(
    hand_variant: Variant, hand_library: ProfileLibrary, weights: WeightingSet
) -> None:
    project = hand_variant.project
    cheaper = services.variant_create(actor=None, project=project, name="Zonder band")
    services.bill_import(
        actor=None,
        variant=cheaper,
        library=hand_library,
        content=b"line_id,element,profile_id,quantity,service_life_years\n"
        b"L1,Deklaag,P1,100,12\n",
    )
    comparison = selectors.variant_comparison(project=project, weights=weights)
    assert comparison.variants == ["Referentie", "Zonder band"]
    assert comparison.totals == pytest.approx(
        {"Referentie": 2724.0, "Zonder band": 2360.0}
    )
    assert comparison.differences["Zonder band"] == pytest.approx(-364.0)
    with pytest.raises(selectors.UnavailableError, match="no verified factor"):
        selectors.variant_comparison(project=project, method="nmd-a1")

    cells = selectors.project_overview(project=project)
    assert len(cells) == 2 * 2 * 2  # variants x methods x with/without D
    assert not any(c.available for c in cells)
    a1 = [c for c in cells if c.method == "nmd-a1"]
    assert all("no verified factor for GWP, AP, EP, HTP" in c.reason for c in a1)
    a2 = [c for c in cells if c.method == "nmd-a2"]
    assert all("does not define EP, GWP, HTP" in c.reason for c in a2)
