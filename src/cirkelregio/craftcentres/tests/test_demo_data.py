# SPDX-License-Identifier: EUPL-1.2
"""The demo loads through its command on the real reference data: invented sites
marked as demo, the CBS default with its source, two published scenarios with every
network stored and a reusable share marked as an assumption; loading it again
changes nothing and solves nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command

from cirkelregio.craftcentres.models import (
    BulkyWasteFigure,
    CentreSite,
    NetworkScenario,
    ScenarioResult,
)

DEMO = Path(settings.DATA_DIR) / "demo" / "nl-utrecht" / "craftcentres"


def test_the_demo_loads_and_loads_again(reference_data: Any) -> None:
    out = StringIO()
    call_command("craftcentres_load_demo", str(DEMO), stdout=out)
    assert "14 created" in out.getvalue()
    sites = CentreSite.objects.all()
    assert sites.count() == 14
    assert all(s.is_demo and s.name.endswith("(demo)") for s in sites)
    default = BulkyWasteFigure.objects.get(municipality=None, year=2021)
    assert default.kg_per_inhabitant == 146 and "83558NED" in default.source
    scenarios = NetworkScenario.objects.all()
    assert scenarios.count() == 2
    for scenario in scenarios:
        assert scenario.is_published and scenario.is_demo
        assert scenario.chosen_p == 4
        assert "not a sourced figure" in scenario.reusable_source
        assert sorted(scenario.results.values_list("p", flat=True)) == list(
            range(1, 11)
        )
    first = list(ScenarioResult.objects.values_list("pk", flat=True))
    again = StringIO()
    call_command("craftcentres_load_demo", str(DEMO), stdout=again)
    assert "14 unchanged" in again.getvalue()
    assert "scenarios solved: none" in again.getvalue()
    assert list(ScenarioResult.objects.values_list("pk", flat=True)) == first
