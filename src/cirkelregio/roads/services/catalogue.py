# SPDX-License-Identifier: EUPL-1.2
"""Load and export the two catalogues of mixture harmonisation and the asphalt MKI:
which standard mixture may serve which requirement (substitutions) and the MKI
profile of a mixture per share of reclaimed asphalt and low temperature (MKI
variants). Both loads are all or nothing and idempotent; rows update the record
with the same key, records missing from the file are left alone.

- **Substitutions, CSV**: ``required,serving,over_spec_eur_per_tonne,source``
  (mixture codes of the catalogue; the source or reason is required).
- **MKI variants, CSV**: ``mixture,pr_percent,low_temperature,mki_library,
  mki_profile`` and optionally ``mki_method,source``; the profile is named by its
  published library and code, and must be per tonne.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction

from cirkelregio.accounts.models import User
from cirkelregio.engine.dataio import (
    Collector,
    Problem,
    Row,
    boolean,
    choice,
    number,
    read_csv,
    text,
)
from cirkelregio.engine.mki import BUILTIN_SETS
from cirkelregio.mki import selectors as mki_selectors
from cirkelregio.roads import rules
from cirkelregio.roads.models import (
    AsphaltMixture,
    MixtureMkiVariant,
    MixtureSubstitution,
)
from cirkelregio.roads.services._common import require
from cirkelregio.roads.services.imports import ImportReport

SUBSTITUTION_COLUMNS = ("required", "serving", "over_spec_eur_per_tonne", "source")
VARIANT_COLUMNS = (
    "mixture",
    "pr_percent",
    "low_temperature",
    "mki_library",
    "mki_profile",
)
PER_TONNE = ("t", "ton", "tonne", "1 t", "1 ton")


def _get_mixture(
    row: Row, name: str, mixtures: dict[str, AsphaltMixture]
) -> AsphaltMixture | None:
    code = row.get(name, text(40))
    if code is None:
        return None
    mixture = mixtures.get(code.strip())
    if mixture is None:
        row.problem(name, f"unknown mixture {code!r}: not in the mixture catalogue")
    return mixture


def _upsert(
    model: type[Any],
    records: list[tuple[dict[str, Any], dict[str, Any]]],
    report: ImportReport,
) -> None:
    with transaction.atomic():
        for key, values in records:
            obj = model.objects.filter(**key).first()
            if obj is None:
                model.objects.create(**key, **values)
                report.created += 1
                continue
            changed = [k for k, v in values.items() if getattr(obj, k) != v]
            if not changed:
                report.unchanged += 1
                continue
            for k in changed:
                setattr(obj, k, values[k])
            obj.save()
            report.updated += 1


def substitutions_load(
    *, path: Path, actor: User | None = None, demo: bool = False
) -> ImportReport:
    """Load substitutions from ``path`` (module docstring)."""
    require(rules.can_manage_mixtures(actor))
    path = Path(path)
    c = Collector()
    mixtures = {m.code: m for m in AsphaltMixture.objects.all()}
    records: list[tuple[dict[str, Any], dict[str, Any]]] = []
    seen: set[tuple[str, str]] = set()
    for row in read_csv(path, SUBSTITUTION_COLUMNS, c):
        required = _get_mixture(row, "required", mixtures)
        serving = _get_mixture(row, "serving", mixtures)
        cost = row.get("over_spec_eur_per_tonne", number(0))
        source = row.get("source", text())
        if required is None or serving is None or cost is None or not source:
            continue
        if required == serving:
            row.problem(
                "serving",
                "a mixture serves its own requirement without a substitution",
            )
            continue
        if not serving.is_standard:
            row.problem("serving", f"{serving.code!r} is not a standard mixture")
            continue
        key = (required.code, serving.code)
        if key in seen:
            row.problem("serving", f"{key[0]} -> {key[1]} appears twice")
            continue
        seen.add(key)
        records.append(
            (
                {"required": required, "serving": serving},
                {"over_spec_eur_per_tonne": cost, "source": source, "is_demo": demo},
            )
        )
    if not c.problems and not records:
        c.add(Problem(path.name, "holds no substitutions"))
    c.raise_if_any()
    report = ImportReport(path.name, "substitutions", len(records))
    _upsert(MixtureSubstitution, records, report)
    return report


def mki_variants_load(
    *, path: Path, actor: User | None = None, demo: bool = False
) -> ImportReport:
    """Load MKI variants of mixtures from ``path`` (module docstring). The MKI
    profiles must be loaded and published first (``cirkelregio mki load-demo``)."""
    require(rules.can_manage_mixtures(actor))
    path = Path(path)
    c = Collector()
    mixtures = {m.code: m for m in AsphaltMixture.objects.all()}
    profiles = {(p.library.name, p.profile_id): p for p in mki_selectors.profile_list()}
    records: list[tuple[dict[str, Any], dict[str, Any]]] = []
    seen: set[tuple[str, float, bool]] = set()
    for row in read_csv(path, VARIANT_COLUMNS, c):
        mixture = _get_mixture(row, "mixture", mixtures)
        pr = row.get("pr_percent", number(0, 100))
        low = row.get("low_temperature", boolean)
        library = row.get("mki_library", text(200))
        code = row.get("mki_profile", text(100))
        method = row.get("mki_method", choice(BUILTIN_SETS), required=False)
        source = row.get("source", text(), required=False) or ""
        if mixture is None or pr is None or low is None or not library or not code:
            continue
        profile = profiles.get((library, code))
        if profile is None:
            row.problem(
                "mki_profile",
                f"unknown profile {code} in the published library {library!r} "
                "(load the MKI data first)",
            )
            continue
        if profile.unit.strip().lower() not in PER_TONNE:
            row.problem(
                "mki_profile", f"profile {code} is per {profile.unit}, not per tonne"
            )
            continue
        key = (mixture.code, pr, bool(low))
        if key in seen:
            row.problem("pr_percent", "this mixture, PR and temperature appear twice")
            continue
        seen.add(key)
        records.append(
            (
                {"mixture": mixture, "pr_percent": pr, "low_temperature": bool(low)},
                {
                    "mki_profile": profile,
                    "mki_method": method or "nmd-a2",
                    "source": source,
                    "is_demo": demo,
                },
            )
        )
    if not c.problems and not records:
        c.add(Problem(path.name, "holds no MKI variants"))
    c.raise_if_any()
    report = ImportReport(path.name, "MKI variants", len(records))
    _upsert(MixtureMkiVariant, records, report)
    return report


def substitutions_csv(substitutions: Iterable[MixtureSubstitution]) -> str:
    """The substitutions in the load format."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SUBSTITUTION_COLUMNS)
    for s in substitutions:
        writer.writerow(
            [
                s.required.code,
                s.serving.code,
                f"{s.over_spec_eur_per_tonne:g}",
                s.source,
            ]
        )
    return out.getvalue()
