# SPDX-License-Identifier: EUPL-1.2
"""Load the insulation-material catalogue (``data/biobased/materials.csv``).

All or nothing: the whole file is checked first, every problem named by file, line
and field. Idempotent: materials are found again by code; loading the same file
twice changes nothing. A figure without its source is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from cirkelregio.accounts.models import User
from cirkelregio.biobased import rules
from cirkelregio.biobased.models import InsulationMaterial
from cirkelregio.core.services import require
from cirkelregio.engine.dataio import (
    Collector,
    Problem,
    number,
    pattern,
    read_csv,
    text,
)

COLUMNS = (
    "code",
    "name_nl",
    "name_en",
    "biobased_share",
    "biobased_share_source",
    "biogenic_co2_per_kg",
    "biogenic_co2_source",
    "density_kg_m3",
    "density_source",
    "notes",
)
_CODE = pattern(r"[a-z0-9_-]{1,50}", "a code of lower-case letters, digits, _ and -")
_FIGURES = (
    ("biobased_share", number(0, 100)),
    ("biogenic_co2_per_kg", number(0)),
    ("density_kg_m3", number(0)),
)
_SOURCES = {
    "biobased_share": "biobased_share_source",
    "biogenic_co2_per_kg": "biogenic_co2_source",
    "density_kg_m3": "density_source",
}


@dataclass
class MaterialsLoadReport:
    materials: int = 0
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return (
            f"Insulation materials: {self.materials} ({self.created} created, "
            f"{self.updated} updated)."
        )


def materials_load(*, path: Path, actor: User | None = None) -> MaterialsLoadReport:
    """Create or update the materials of the file (module docstring). Raises
    DataLoadError with every problem, and writes nothing, when the file has any."""
    require(rules.can_manage_materials(actor))
    path = Path(path)
    c = Collector()
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in read_csv(path, COLUMNS, c):
        code = row.get("code", _CODE)
        if code in seen:
            row.problem("code", f"duplicate material {code}")
        seen.add(code or "")
        values: dict[str, Any] = {
            "name_nl": row.get("name_nl", text(200)),
            "name_en": row.get("name_en", text(200), required=False) or "",
            "notes": row.get("notes", text(), required=False) or "",
        }
        for name, parse in _FIGURES:
            value = row.get(name, parse, required=False)
            source = row.get(_SOURCES[name], text(), required=False) or ""
            if value is not None and not source.strip():
                row.problem(_SOURCES[name], "every figure needs its source")
            values[name] = value
            values[_SOURCES[name]] = source
        rows.append({"code": code, **values})
    if not rows and not c.problems:
        c.add(Problem(path.name, "holds no materials"))
    c.raise_if_any()
    report = MaterialsLoadReport(materials=len(rows))
    with transaction.atomic():
        for values in rows:
            code = values.pop("code")
            material = InsulationMaterial.objects.filter(code=code).first()
            if material is None:
                material = InsulationMaterial(code=code, **values)
                material.full_clean()
                material.save()
                report.created += 1
                continue
            changed = [n for n, v in values.items() if getattr(material, n) != v]
            if changed:
                for name in changed:
                    setattr(material, name, values[name])
                material.full_clean()
                material.save(update_fields=changed)
                report.updated += 1
    return report
