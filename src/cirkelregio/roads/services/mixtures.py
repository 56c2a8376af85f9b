# SPDX-License-Identifier: EUPL-1.2
"""Load the mixture catalogue (``data/roads/mixtures.csv``): idempotent, all or
nothing. Columns: ``code,name_nl,name_en,family,layer_role,max_aggregate_mm,
density_t_per_m3,density_source,source,is_standard,note``. A density needs its
source; without a verified density it stays empty and no tonnes are computed for
the mixture. Rows update the mixture with the same code; mixtures missing from the
file are left alone (a passport may use them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cirkelregio.accounts.models import User
from cirkelregio.engine.dataio import (
    Collector,
    Problem,
    boolean,
    choice,
    integer,
    number,
    read_csv,
    text,
)
from cirkelregio.roads import rules
from cirkelregio.roads.models import AsphaltMixture, LayerRole, MixtureFamily
from cirkelregio.roads.services._common import full_clean, require

COLUMNS = (
    "code",
    "name_nl",
    "name_en",
    "family",
    "layer_role",
    "max_aggregate_mm",
    "density_t_per_m3",
    "density_source",
    "source",
    "is_standard",
    "note",
)


@dataclass
class MixtureLoadReport:
    file: str
    mixtures: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.mixtures} mixtures, {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged."
        )


def mixtures_load(*, path: Path, actor: User | None = None) -> MixtureLoadReport:
    require(rules.can_manage_mixtures(actor))
    path = Path(path)
    c = Collector()
    rows: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    for row in read_csv(path, COLUMNS, c):
        code = row.get("code", text(40))
        values = {
            "name_nl": row.get("name_nl", text(200)),
            "name_en": row.get("name_en", text(200), required=False) or "",
            "family": row.get("family", choice(MixtureFamily.values)),
            "layer_role": row.get("layer_role", choice(LayerRole.values)),
            "max_aggregate_mm": row.get(
                "max_aggregate_mm", integer(1, 100), required=False
            ),
            "density_t_per_m3": row.get(
                "density_t_per_m3", number(0.5, 3.5), required=False
            ),
            "density_source": row.get("density_source", text(), required=False) or "",
            "source": row.get("source", text(), required=False) or "",
            "is_standard": row.get("is_standard", boolean, required=False) or False,
            "note": row.get("note", text(), required=False) or "",
        }
        if values["density_t_per_m3"] is not None and not values["density_source"]:
            row.problem("density_source", "a density needs its source")
        if code in seen:
            row.problem("code", f"mixture {code!r} appears twice")
        if code:
            seen.add(code)
            rows.append((code, values))
    if not c.problems and not rows:
        c.add(Problem(path.name, "holds no mixtures"))
    c.raise_if_any()
    report = MixtureLoadReport(file=path.name, mixtures=len(rows))
    existing = {m.code: m for m in AsphaltMixture.objects.all()}
    with transaction.atomic():
        for code, values in rows:
            mixture = existing.get(code)
            if mixture is None:
                mixture = AsphaltMixture(code=code, **values)
                report.created += 1
            else:
                changed = [k for k, v in values.items() if getattr(mixture, k) != v]
                if not changed:
                    report.unchanged += 1
                    continue
                for k in changed:
                    setattr(mixture, k, values[k])
                report.updated += 1
            try:
                full_clean(mixture)
            except ValidationError as exc:  # pragma: no cover - parsed above
                c.add(Problem(path.name, f"{code}: {exc.messages}"))
                continue
            mixture.save()
        c.raise_if_any()
    return report
