# SPDX-License-Identifier: EUPL-1.2
"""The demo data: everything invented is marked, loading is idempotent, and bad input
(unknown line, invalid phase, duplicate organisation) is refused as a whole."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.regions.models import (
    ActionLine,
    AnnualPlan,
    Organisation,
    Participation,
    PhaseChange,
)
from cirkelregio.regions.services import demo_data_load

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        Participation.objects.count(),
        PhaseChange.objects.count(),
        AnnualPlan.objects.count(),
    )


def test_demo_participation_is_marked_and_covers_every_line(
    reference_data: Any, demo_dir: Path
) -> None:
    source = json.loads((demo_dir / "registry_demo.json").read_text())
    demo_data_load(directory=demo_dir)
    assert Participation.objects.count() == len(source["participations"])
    assert not Participation.objects.filter(is_demo=False).exists()
    assert not AnnualPlan.objects.filter(is_demo=False).exists()
    for line in ActionLine.objects.exclude(number=None):
        assert line.participations.count() >= 5, line
    # Every municipality takes part in at least one line.
    assert (
        Participation.objects.filter(organisation__kind="municipality")
        .values("organisation__municipality")
        .distinct()
        .count()
        == 26
    )
    invented = Organisation.objects.filter(is_demo=True)
    assert invented.exists()
    assert all("(demo)" in o.name for o in invented)


def test_phase_history_ends_in_the_current_phase(demo_data: Any) -> None:
    for participation in Participation.objects.prefetch_related("phase_changes"):
        history = list(participation.phase_changes.all())
        assert history, participation
        assert history[0].changed_on == participation.since
        assert history[-1].phase == participation.phase


def test_loading_twice_changes_nothing(reference_data: Any, demo_dir: Path) -> None:
    demo_data_load(directory=demo_dir)
    before = _counts()
    demo_data_load(directory=demo_dir)
    assert _counts() == before


def test_needs_reference_data_first(db: Any, demo_dir: Path) -> None:
    with pytest.raises(DataLoadError, match="load the region's reference data first"):
        demo_data_load(directory=demo_dir)


@pytest.fixture
def demo_copy(tmp_path: Path, demo_dir: Path) -> tuple[Path, dict[str, Any]]:
    target = tmp_path / "demo"
    shutil.copytree(demo_dir, target)
    return target, json.loads((target / "registry_demo.json").read_text())


def _write(target: Path, data: dict[str, Any]) -> None:
    (target / "registry_demo.json").write_text(json.dumps(data, ensure_ascii=False))


def _fails(target: Path) -> list[str]:
    before = _counts()
    with pytest.raises(DataLoadError) as info:
        demo_data_load(directory=target)
    assert _counts() == before
    return [str(p) for p in info.value.problems]


def test_unknown_action_line(reference_data: Any, demo_copy: Any) -> None:
    target, data = demo_copy
    data["participations"][3]["action_line"] = "maanlanding"
    _write(target, data)
    assert _fails(target) == [
        "registry_demo.json, participations[3], field 'action_line': "
        "unknown action line maanlanding"
    ]


def test_invalid_phase(reference_data: Any, demo_copy: Any) -> None:
    target, data = demo_copy
    data["participations"][0]["phase"] = "dromen"
    _write(target, data)
    problems = _fails(target)
    assert problems[0] == (
        "registry_demo.json, participations[0], field 'phase': must be one of "
        "connect, explore, realise (got 'dromen')"
    )


def test_duplicate_organisation(reference_data: Any, demo_copy: Any) -> None:
    target, data = demo_copy
    copy = dict(data["organisations"][1])
    copy["slug"] = copy["slug"] + "-bis"
    data["organisations"].append(copy)
    _write(target, data)
    index = len(data["organisations"]) - 1
    problems = _fails(target)
    assert any(
        p.startswith(
            f"registry_demo.json, organisations[{index}], field 'name': "
            "duplicate organisation name"
        )
        for p in problems
    )


def test_duplicate_of_a_municipality_organisation(
    reference_data: Any, demo_copy: Any
) -> None:
    target, data = demo_copy
    data["organisations"].append(
        {"slug": "utrecht-gemeente", "name": "gemeente utrecht", "kind": "municipality"}
    )
    _write(target, data)
    assert any(
        "duplicate organisation name 'gemeente utrecht'" in p for p in _fails(target)
    )


def test_phase_history_out_of_order(reference_data: Any, demo_copy: Any) -> None:
    target, data = demo_copy
    item = next(p for p in data["participations"] if len(p["phase_history"]) > 1)
    item["phase_history"].reverse()
    _write(target, data)
    assert any(
        "field 'phase_history': must be in date order" in p for p in _fails(target)
    )


def test_one_bad_record_writes_nothing_at_all(
    reference_data: Any, demo_copy: Any
) -> None:
    target, data = demo_copy
    data["annual_plans"][-1]["year"] = 1066
    _write(target, data)
    assert _fails(target) == [
        f"registry_demo.json, annual_plans[{len(data['annual_plans']) - 1}], "
        "field 'year': must be at least 2015 (got 1066)"
    ]
