# SPDX-License-Identifier: EUPL-1.2
"""Insulation projects: report, change and remove one, or import a CSV or XLSX file.

**Checks** (one message per field): a year from 2015 to 2100; no negative number of
homes, area, thickness or mass; a biobased share from 0 to 100 %; a material of the
catalogue (an unknown code is named, with the known ones); a channel of
``SourceChannel``; the actor may report for the municipality (``rules``).

**Import.** Columns (header line, the same in CSV and XLSX, the first sheet):
``municipality`` (CBS code, e.g. GM0344), ``year``, ``homes``, ``area_m2``,
``material`` (code), ``source_channel``; optional ``thickness_mm``, ``mass_kg``,
``biobased_share`` (the product's own share, %), ``source_reference``. All or nothing:
the whole file is checked first, every problem named by file, line (the sheet row in
an XLSX file, with the sheet's name) and field, and nothing is written when there is
one. A row with a ``source_reference`` replaces the stored project with the same
municipality, year, channel and reference (so importing a file again changes
nothing); a row without one is always added.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.biobased import rules
from cirkelregio.biobased.models import (
    FIRST_YEAR,
    LAST_YEAR,
    InsulationMaterial,
    InsulationProject,
    SourceChannel,
)
from cirkelregio.core.services import require
from cirkelregio.engine.dataio import (
    Collector,
    DataLoadError,
    FieldError,
    Problem,
    Row,
    integer,
    number,
    read_csv_bytes,
    text,
)
from cirkelregio.regions.models import Municipality

REQUIRED_COLUMNS = (
    "municipality",
    "year",
    "homes",
    "area_m2",
    "material",
    "source_channel",
)
OPTIONAL_COLUMNS = ("thickness_mm", "mass_kg", "biobased_share", "source_reference")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_REFERENCE = 200
MAX_QUANTITY = 100_000_000
"""The largest number of homes, m², mm or kg one project may report."""
FIELDS = {
    "municipality",
    "year",
    "homes",
    "area_m2",
    "thickness_mm",
    "mass_kg",
    "material",
    "biobased_share",
    "source_channel",
    "source_reference",
}


# Checks of one project -----------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check(values: dict[str, Any]) -> dict[str, Any]:
    """The values with material and municipality resolved; raises ValidationError
    with a clear message per field."""
    errors: dict[str, str] = {}
    out = dict(values)
    year = values.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        errors["year"] = _("Enter the year as a whole number.")
    elif not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = _("Enter a year from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    negatives = {
        "homes": _("The number of homes cannot be negative."),
        "area_m2": _("The area cannot be negative."),
        "thickness_mm": _("The thickness cannot be negative."),
        "mass_kg": _("The mass cannot be negative."),
    }
    for name, message in negatives.items():
        value = values.get(name)
        if value is None:
            if name in ("homes", "area_m2"):
                errors[name] = _("This field is required.")
            continue
        if not _is_number(value) or value != value:
            errors[name] = _("Enter a number.")
        elif value < 0:
            errors[name] = message
        elif value > MAX_QUANTITY:
            errors[name] = _("At most %(n)s.") % {"n": f"{MAX_QUANTITY:,}"}
    if _is_number(values.get("homes")) and values["homes"] != int(values["homes"]):
        errors.setdefault("homes", _("Enter the number of homes as a whole number."))
    share = values.get("biobased_share")
    if share is not None:
        if not _is_number(share) or share != share:
            errors["biobased_share"] = _("Enter a number.")
        elif not 0 <= share <= 100:
            errors["biobased_share"] = _(
                "The biobased share must be between 0 and 100 %% (got %(value)s)."
            ) % {"value": f"{share:g}"}
    material = values.get("material")
    if isinstance(material, str):
        found = InsulationMaterial.objects.filter(code=material).first()
        if found is None:
            codes = ", ".join(
                InsulationMaterial.objects.order_by("code").values_list(
                    "code", flat=True
                )
            )
            errors["material"] = _(
                "Unknown material “%(code)s”. Choose one of: %(codes)s."
            ) % {"code": material, "codes": codes or "–"}
        out["material"] = found
    elif not isinstance(material, InsulationMaterial):
        errors["material"] = _("Choose a material.")
    municipality = values.get("municipality")
    if isinstance(municipality, str):
        found_m = Municipality.objects.filter(cbs_code=municipality).first()
        if found_m is None:
            errors["municipality"] = _("Unknown municipality “%(code)s”.") % {
                "code": municipality
            }
        out["municipality"] = found_m
    elif not isinstance(municipality, Municipality):
        errors["municipality"] = _("Choose a municipality.")
    if values.get("source_channel") not in SourceChannel.values:
        errors["source_channel"] = _("Choose one of the channels: %(codes)s.") % {
            "codes": ", ".join(SourceChannel.values)
        }
    reference = values.get("source_reference") or ""
    if len(reference) > MAX_REFERENCE:
        errors["source_reference"] = _("At most %(n)s characters.") % {
            "n": MAX_REFERENCE
        }
    out["source_reference"] = reference.strip()
    if errors:
        raise ValidationError(errors)
    if out.get("homes") is not None:
        out["homes"] = int(out["homes"])
    return out


def _unknown_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValidationError(
            {n: _("This field cannot be changed here.") for n in sorted(unknown)}
        )


def project_create(
    *, actor: User | None, is_demo: bool = False, **fields: Any
) -> InsulationProject:
    """Report one project (module docstring for the checks)."""
    require(rules.can_report_projects(actor))
    _unknown_fields(fields)
    values = _check(fields)
    require(rules.can_report_for(actor, values["municipality"]))
    project = InsulationProject(is_demo=is_demo, **values)
    project.full_clean()
    project.save()
    return project


def project_update(
    *, actor: User | None, project: InsulationProject, **fields: Any
) -> InsulationProject:
    """Change a project; moving it to another municipality needs the right to
    report for both."""
    require(rules.can_change_project(actor, project))
    _unknown_fields(fields)
    current = {
        name: getattr(project, name)
        for name in FIELDS
        if name not in ("material", "municipality")
    }
    current["material"] = project.material
    current["municipality"] = project.municipality
    values = _check({**current, **fields})
    require(rules.can_report_for(actor, values["municipality"]))
    changed = [n for n, v in values.items() if getattr(project, n) != v]
    if changed:
        for name in changed:
            setattr(project, name, values[name])
        project.full_clean()
        project.save(update_fields=[*changed, "updated_at"])
    return project


def project_delete(*, actor: User | None, project: InsulationProject) -> None:
    require(rules.can_change_project(actor, project))
    project.delete()


# Import ----------------------------------------------------------------------------


@dataclass
class ProjectImportReport:
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    municipalities: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.rows} insulation projects, {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged."
        )


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _read_xlsx(content: bytes, name: str, c: Collector) -> Iterator[Row]:
    """Rows of the first sheet; the header is row 1. ``line`` is the sheet row."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        c.add(Problem(name, f"is not a readable XLSX file ({exc})"))
        return
    try:
        if not book.worksheets:
            c.add(Problem(name, "has no sheet"))
            return
        sheet = book.worksheets[0]
        where = f"sheet {sheet.title}"
        rows = sheet.iter_rows(values_only=True)
        header_row = next(rows, None)
        header = [str(v).strip() if v is not None else "" for v in header_row or ()]
        missing = [col for col in REQUIRED_COLUMNS if col not in header]
        if missing:
            c.add(Problem(name, "missing columns: " + ", ".join(missing), 1, where))
            return
        for number_, values in enumerate(rows, start=2):
            cells = [_cell(v) for v in values]
            if all(v is None or v == "" for v in cells):
                continue
            data = {
                h: cells[i] if i < len(cells) else None for i, h in enumerate(header)
            }
            yield Row(name, data, c, line=number_, record=where)
    finally:
        book.close()


def _read_csv(content: bytes, name: str, c: Collector) -> Iterator[Row]:
    return read_csv_bytes(content, name, REQUIRED_COLUMNS, c)


def _choice_of(options: list[str]) -> Any:
    def parse(raw: Any) -> str:
        value = str(raw).strip()
        if value not in options:
            raise FieldError("must be one of " + ", ".join(options))
        return value

    return parse


def _parse(
    rows: Iterator[Row],
    actor: User | None,
    c: Collector,
) -> list[tuple[Row, dict[str, Any]]]:
    materials = {m.code: m for m in InsulationMaterial.objects.all()}
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}

    def material(raw: Any) -> InsulationMaterial:
        code = str(raw).strip()
        if code not in materials:
            raise FieldError(
                f"unknown material; known: {', '.join(sorted(materials)) or '-'}"
            )
        return materials[code]

    def municipality(raw: Any) -> Municipality:
        code = str(raw).strip().upper()
        if code not in municipalities:
            raise FieldError("unknown municipality; give its CBS code, e.g. GM0344")
        return municipalities[code]

    out: list[tuple[Row, dict[str, Any]]] = []
    keys: dict[tuple[Any, ...], int | None] = {}
    for row in rows:
        values = {
            "municipality": row.get("municipality", municipality),
            "year": row.get("year", integer(FIRST_YEAR, LAST_YEAR)),
            "homes": row.get("homes", integer(0, MAX_QUANTITY)),
            "area_m2": row.get("area_m2", number(0, MAX_QUANTITY)),
            "material": row.get("material", material),
            "source_channel": row.get(
                "source_channel", _choice_of(SourceChannel.values)
            ),
            "thickness_mm": row.get(
                "thickness_mm", number(0, MAX_QUANTITY), required=False
            ),
            "mass_kg": row.get("mass_kg", number(0, MAX_QUANTITY), required=False),
            "biobased_share": row.get("biobased_share", number(0, 100), required=False),
            "source_reference": (
                row.get("source_reference", _text(MAX_REFERENCE), required=False) or ""
            ),
        }
        m = values["municipality"]
        if m is not None and not rules.can_report_for(actor, m):
            row.problem(
                "municipality",
                f"you may not report projects for {m.name}",
            )
        if values["source_reference"] and m is not None:
            key = (
                m.pk,
                values["year"],
                values["source_channel"],
                values["source_reference"],
            )
            if key in keys:
                row.problem(
                    "source_reference",
                    f"the same project (municipality, year, channel and reference) "
                    f"is on line {keys[key]} too",
                )
            keys[key] = row.line
        out.append((row, values))
    return out


def _text(limit: int) -> Any:
    def parse(raw: Any) -> str:
        return text(limit)(str(raw)).strip()

    return parse


def _write(
    parsed: list[dict[str, Any]], *, is_demo: bool, report: ProjectImportReport
) -> None:
    new: list[InsulationProject] = []
    for values in parsed:
        existing = None
        if values["source_reference"]:
            existing = (
                InsulationProject.objects.select_for_update()
                .filter(
                    municipality=values["municipality"],
                    year=values["year"],
                    source_channel=values["source_channel"],
                    source_reference=values["source_reference"],
                )
                .first()
            )
        if existing is None:
            new.append(InsulationProject(is_demo=is_demo, **values))
            report.created += 1
            continue
        changed = [n for n, v in values.items() if getattr(existing, n) != v]
        if changed:
            for name in changed:
                setattr(existing, name, values[name])
            existing.save(update_fields=[*changed, "updated_at"])
            report.updated += 1
        else:
            report.unchanged += 1
    InsulationProject.objects.bulk_create(new, batch_size=1000)


def projects_import(
    *,
    actor: User | None,
    content: bytes,
    file_name: str = "projects.csv",
    file_format: str | None = None,
    is_demo: bool = False,
) -> ProjectImportReport:
    """Import the projects of a CSV or XLSX file (module docstring). Raises
    DataLoadError with every problem, and writes nothing, when there is one."""
    require(rules.can_report_projects(actor))
    name = Path(file_name or "projects.csv").name[:255] or "projects.csv"
    fmt = file_format or ("xlsx" if name.lower().endswith(".xlsx") else "csv")
    c = Collector()
    if len(content) > MAX_IMPORT_BYTES:
        c.add(Problem(name, f"is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB"))
        c.raise_if_any()
    rows = (
        _read_xlsx(content, name, c) if fmt == "xlsx" else _read_csv(content, name, c)
    )
    parsed = _parse(rows, actor, c)
    if not parsed and not c.problems:
        c.add(Problem(name, "holds no projects"))
    c.raise_if_any()
    report = ProjectImportReport(file=name, rows=len(parsed))
    report.municipalities = sorted({v["municipality"].name for _r, v in parsed})
    with transaction.atomic():
        _write([v for _r, v in parsed], is_demo=is_demo, report=report)
    return report


def biobased_demo_load(*, directory: Path) -> ProjectImportReport:
    """Load the demo projects (``<directory>/projects.csv``, invented figures):
    marked ``is_demo``, all or nothing, idempotent (every row has a reference)."""
    path = Path(directory) / "projects.csv"
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise DataLoadError(
            [Problem(path.name, f"cannot be read ({exc.strerror})")]
        ) from None
    return projects_import(
        actor=None, content=content, file_name=path.name, is_demo=True
    )
