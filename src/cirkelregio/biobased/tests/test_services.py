# SPDX-License-Identifier: EUPL-1.2
"""Reporting projects: the checks name the field with a clear message, and only
coordinators and a municipality's own editors report for it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from cirkelregio.biobased.models import InsulationMaterial, InsulationProject
from cirkelregio.biobased.services import (
    materials_load,
    project_create,
    project_delete,
    project_update,
)
from cirkelregio.biobased.tests.conftest import MATERIALS, World


def _values(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "municipality": world.m1,
        "year": 2024,
        "homes": 10,
        "area_m2": 500.0,
        "material": "straw_blown",
        "source_channel": "mco_programme",
        **changes,
    }


def _errors(world: World, **changes: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        project_create(actor=world.coordinator, **_values(world, **changes))
    assert InsulationProject.objects.count() == 0
    return info.value.message_dict


def test_a_valid_project_is_stored(world: World) -> None:
    project = project_create(actor=world.coordinator, **_values(world))
    assert project.material.code == "straw_blown"
    assert project.effective_share == 100


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("homes", -1, "The number of homes cannot be negative."),
        ("area_m2", -0.5, "The area cannot be negative."),
        ("thickness_mm", -10, "The thickness cannot be negative."),
        ("mass_kg", -3, "The mass cannot be negative."),
        ("year", 1999, "Enter a year from 2015 to 2100."),
        (
            "biobased_share",
            101,
            "The biobased share must be between 0 and 100 % (got 101).",
        ),
        (
            "biobased_share",
            -5,
            "The biobased share must be between 0 and 100 % (got -5).",
        ),
    ],
)
def test_bad_numbers_are_refused_with_a_clear_message(
    world: World, field: str, value: Any, message: str
) -> None:
    assert _errors(world, **{field: value}) == {field: [message]}


def test_an_unknown_material_is_named_with_the_known_ones(world: World) -> None:
    errors = _errors(world, material="kokosmat")
    (message,) = errors["material"]
    assert message.startswith("Unknown material “kokosmat”. Choose one of: cellulose,")
    assert "straw_blown" in message


def test_an_unknown_municipality_and_channel(world: World) -> None:
    errors = _errors(world, municipality="GM0000", source_channel="brievenbus")
    assert errors["municipality"] == ["Unknown municipality “GM0000”."]
    assert errors["source_channel"][0].startswith("Choose one of the channels:")


def test_editors_report_only_for_their_own_municipality(world: World) -> None:
    project_create(actor=world.editor_m1, **_values(world))
    for actor, municipality in (
        (world.editor_m1, world.m2),
        (world.editor_other, world.m1),
    ):
        with pytest.raises(PermissionDenied):
            project_create(actor=actor, **_values(world, municipality=municipality))
    assert InsulationProject.objects.count() == 1


def test_an_organisation_merely_based_in_the_municipality_does_not_report(
    world: World,
) -> None:
    from cirkelregio.accounts.tests.factories import EditorFactory
    from cirkelregio.regions.tests.factories import OrganisationFactory

    company = OrganisationFactory(
        slug="isolatie-bv", kind="company", municipality=world.m1
    )
    with pytest.raises(PermissionDenied):
        project_create(actor=EditorFactory(organisation=company), **_values(world))
    assert not InsulationProject.objects.exists()


def test_update_and_delete_follow_the_rules(world: World) -> None:
    project = project_create(actor=world.coordinator, **_values(world))
    with pytest.raises(PermissionDenied):
        project_update(actor=world.editor_other, project=project, homes=3)
    project_update(actor=world.editor_m1, project=project, homes=3)
    project.refresh_from_db()
    assert project.homes == 3
    with pytest.raises(ValidationError) as info:
        project_update(actor=world.editor_m1, project=project, homes=-2)
    assert info.value.message_dict == {
        "homes": ["The number of homes cannot be negative."]
    }
    with pytest.raises(PermissionDenied):
        project_update(actor=world.editor_m1, project=project, municipality=world.m2)
    with pytest.raises(PermissionDenied):
        project_delete(actor=world.editor_other, project=project)
    project_delete(actor=world.editor_m1, project=project)
    assert not InsulationProject.objects.exists()


def test_the_material_catalogue_is_sourced_and_loads_idempotently(world: World) -> None:
    report = materials_load(path=MATERIALS)
    assert (report.created, report.updated) == (0, 0)
    for material in InsulationMaterial.objects.exclude(code__startswith="test_"):
        if material.biobased_share is not None:
            assert material.biobased_share_source
        if material.biogenic_co2_per_kg is not None:
            assert material.biogenic_co2_source
        if material.density_kg_m3 is not None:
            assert material.density_source
    wood = InsulationMaterial.objects.get(code="wood_fibre")
    # EN 16449: carbon fraction 0.5 of oven-dry wood, times 44/12.
    assert wood.biogenic_co2_per_kg == pytest.approx(0.5 * 44 / 12, abs=0.005)
    straw = InsulationMaterial.objects.get(code="straw_blown")
    assert straw.biogenic_co2_per_kg == pytest.approx(0.472 * 44 / 12, abs=0.005)
    for code in ("glass_wool", "rock_wool", "eps", "pir"):
        assert InsulationMaterial.objects.get(code=code).biobased_share == 0
    assert InsulationMaterial.objects.get(code="hemp").biogenic_co2_per_kg is None


def test_a_figure_without_its_source_is_refused(world: World, tmp_path: Any) -> None:
    path = tmp_path / "materials.csv"
    header = MATERIALS.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(header + "\nkurk,Kurk,Cork,100,,,,,,\n", encoding="utf-8")
    from cirkelregio.engine.dataio import DataLoadError

    with pytest.raises(DataLoadError) as info:
        materials_load(path=path)
    assert [str(p) for p in info.value.problems] == [
        "materials.csv, line 2, field 'biobased_share_source': every figure needs "
        "its source"
    ]
    assert not InsulationMaterial.objects.filter(code="kurk").exists()
