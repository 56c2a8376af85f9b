# SPDX-License-Identifier: EUPL-1.2
"""The demo data: loaded by the command on top of the real reference data, marked as
demo, idempotent, and all or nothing on bad input."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command

import pytest
from auditlog.models import LogEntry

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.initiatives.models import ContactPoint, Initiative
from cirkelregio.initiatives.services import initiatives_demo_load
from cirkelregio.initiatives.tests.factories import ContactPointFactory
from cirkelregio.regions.models import Municipality, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiatives_dir(demo_dir: Path) -> Path:
    return demo_dir / "initiatives"


def test_command_loads_the_demo_data_once(
    demo_data: Any, initiatives_dir: Path
) -> None:
    out = StringIO()
    call_command("initiatives_load_demo", str(initiatives_dir), stdout=out)
    assert "8 initiatives, 4 contact points (12 created, 0 updated)" in out.getvalue()

    initiatives = Initiative.objects.all()
    assert initiatives.count() == 8
    assert all(i.is_demo and i.is_published for i in initiatives)
    assert all(i.name.endswith("(demo)") for i in initiatives)
    assert initiatives.values("municipality").distinct().count() == 8
    assert set(initiatives.values_list("stage", flat=True)) == {
        "starting",
        "growing",
        "professional",
    }
    owned = Initiative.objects.get(name="Repair Café De Voorbeeldwijk (demo)")
    assert owned.owner.slug == "repair-cafe-de-voorbeeldwijk-demo"
    assert owned.need_codes == ["space", "volunteers"]
    points = ContactPoint.objects.all()
    assert points.count() == 4
    assert all(p.is_demo and p.is_active for p in points)
    utrecht = points.get(municipality__cbs_code="GM0344")
    assert utrecht.organisation.slug == "gemeente-utrecht"

    entries = LogEntry.objects.count()
    report = initiatives_demo_load(directory=initiatives_dir)
    assert (report.created, report.updated) == (0, 0)
    assert Initiative.objects.count() == 8 and ContactPoint.objects.count() == 4
    assert LogEntry.objects.count() == entries


def test_bad_files_load_nothing(
    demo_data: Any, initiatives_dir: Path, tmp_path: Path
) -> None:
    shutil.copy(initiatives_dir / "contact_points.csv", tmp_path)
    rows = (initiatives_dir / "initiatives.csv").read_text(encoding="utf-8")
    rows = rows.replace(",GM0345,", ",GM9999,").replace("volunteers;space", "fame")
    (tmp_path / "initiatives.csv").write_text(rows, encoding="utf-8")

    with pytest.raises(DataLoadError) as exc:
        initiatives_demo_load(directory=tmp_path)
    messages = [str(p) for p in exc.value.problems]
    assert any(
        "initiatives.csv, line 4, field 'municipality'" in m and "GM9999" in m
        for m in messages
    )
    assert any("line 2, field 'needs'" in m and "fame" in m for m in messages)
    assert not Initiative.objects.exists() and not ContactPoint.objects.exists()

    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("initiatives_load_demo", str(tmp_path), stdout=StringIO())


def test_a_real_contact_point_is_never_replaced(
    demo_data: Any, initiatives_dir: Path
) -> None:
    utrecht = Municipality.objects.get(cbs_code="GM0344")
    real = ContactPointFactory(
        municipality=utrecht,
        organisation=Organisation.objects.get(slug="gemeente-utrecht"),
    )
    with pytest.raises(DataLoadError) as exc:
        initiatives_demo_load(directory=initiatives_dir)
    assert "GM0344 already has an active contact point" in exc.value.summary()
    assert list(ContactPoint.objects.all()) == [real]
    assert not Initiative.objects.exists()
