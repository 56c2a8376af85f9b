# SPDX-License-Identifier: EUPL-1.2
"""Projects, variants, elements and bill lines, and the import of a variant's bill of
quantities from CSV or XLSX (``line_id,element,profile_id,quantity,
service_life_years``), all or nothing, checked by the engine's own bill reader."""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

import numpy as np

from cirkelregio.accounts.models import User
from cirkelregio.core.uploads import safe_file_name
from cirkelregio.engine.dataio import Collector, Problem, xlsx_to_csv
from cirkelregio.engine.mki import ProfileLibrary as EngineLibrary
from cirkelregio.engine.mki import read_bill
from cirkelregio.mki.models import (
    BillLine,
    Element,
    Profile,
    ProfileLibrary,
    Project,
    Variant,
)
from cirkelregio.mki.rules import (
    can_change_project,
    can_create_project,
    can_use_library,
)
from cirkelregio.mki.services._common import apply, full_clean, require, save
from cirkelregio.regions.models import Municipality, Organisation

MAX_BILL_BYTES = 10 * 1024 * 1024


# Projects ------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor: User | None,
    name: str,
    owner: Organisation,
    year: int,
    municipality: Municipality | None = None,
    phase: str = "design",
    description: str = "",
    reference_period: float = 50,
    replacement_rule: str = "ceil",
    is_published: bool = False,
    is_demo: bool = False,
) -> Project:
    require(can_create_project(actor, owner))
    project = Project(
        name=name.strip(),
        owner=owner,
        municipality=municipality,
        year=year,
        phase=phase,
        description=description,
        reference_period=reference_period,
        replacement_rule=replacement_rule,
        is_published=is_published,
        is_demo=is_demo,
    )
    full_clean(project)
    save(project)
    return project


PROJECT_EDITABLE = {
    "name",
    "municipality",
    "year",
    "phase",
    "description",
    "reference_period",
    "replacement_rule",
    "is_published",
}


@transaction.atomic
def project_update(*, actor: User | None, project: Project, **fields: Any) -> Project:
    require(can_change_project(actor, project))
    allowed = set(PROJECT_EDITABLE)
    if "owner" in fields:
        # Giving a project to another organisation: coordinators only.
        require(can_create_project(actor, fields["owner"]))
        allowed.add("owner")
    if apply(project, fields, allowed):
        full_clean(project)
        save(project)
    return project


@transaction.atomic
def project_delete(*, actor: User | None, project: Project) -> None:
    require(can_change_project(actor, project))
    project.delete()


# Variants ------------------------------------------------------------------------


def _lock_project(project: Project) -> None:
    Project.objects.select_for_update().filter(pk=project.pk).first()


@transaction.atomic
def variant_create(
    *,
    actor: User | None,
    project: Project,
    name: str,
    is_reference: bool | None = None,
    notes: str = "",
) -> Variant:
    """Add a variant. The first variant of a project is its reference unless said
    otherwise; a new reference variant takes the role from the old one."""
    require(can_change_project(actor, project))
    _lock_project(project)
    has_reference = project.variants.filter(is_reference=True).exists()
    if is_reference is None:
        is_reference = not has_reference
    variant = Variant(project=project, name=name.strip(), notes=notes)
    full_clean(variant, exclude={"is_reference"})
    if is_reference:
        project.variants.filter(is_reference=True).update(is_reference=False)
    variant.is_reference = is_reference
    save(variant)
    return variant


@transaction.atomic
def variant_update(*, actor: User | None, variant: Variant, **fields: Any) -> Variant:
    require(can_change_project(actor, variant.project))
    _lock_project(variant.project)
    make_reference = fields.pop("is_reference", None)
    changed = apply(variant, fields, {"name", "notes"})
    if make_reference is True and not variant.is_reference:
        variant.project.variants.filter(is_reference=True).update(is_reference=False)
        variant.is_reference = True
        changed.append("is_reference")
    elif make_reference is False and variant.is_reference:
        raise ValidationError(
            {
                "is_reference": _(
                    "A project keeps a reference variant: make another variant the "
                    "reference instead."
                )
            }
        )
    if changed:
        full_clean(variant)
        save(variant)
    return variant


@transaction.atomic
def variant_delete(*, actor: User | None, variant: Variant) -> None:
    """Remove a variant; when it was the reference, the oldest remaining variant
    becomes the reference."""
    project = variant.project
    require(can_change_project(actor, project))
    _lock_project(project)
    was_reference = variant.is_reference
    variant.delete()
    if was_reference:
        successor = project.variants.order_by("id").first()
        if successor is not None:
            successor.is_reference = True
            successor.save(update_fields=["is_reference", "updated_at"])


def _touch(variant: Variant) -> None:
    """Record that the variant's bill changed (updated_at)."""
    variant.save(update_fields=["updated_at"])


# Elements ------------------------------------------------------------------------


@transaction.atomic
def element_create(
    *, actor: User | None, variant: Variant, name: str, order: int | None = None
) -> Element:
    require(can_change_project(actor, variant.project))
    if order is None:
        last = variant.elements.aggregate(m=Max("order"))["m"]
        order = 1 if last is None else last + 1
    element = Element(variant=variant, name=name.strip(), order=order)
    full_clean(element)
    save(element)
    _touch(variant)
    return element


@transaction.atomic
def element_update(*, actor: User | None, element: Element, **fields: Any) -> Element:
    require(can_change_project(actor, element.variant.project))
    if apply(element, fields, {"name", "order"}):
        full_clean(element)
        save(element)
        _touch(element.variant)
    return element


@transaction.atomic
def element_delete(*, actor: User | None, element: Element) -> None:
    require(can_change_project(actor, element.variant.project))
    variant = element.variant
    element.delete()
    _touch(variant)


# Bill lines ----------------------------------------------------------------------


def _check_profile(actor: User | None, profile: Profile) -> None:
    if not can_use_library(actor, profile.library):
        raise ValidationError(
            {"profile": _("You may not use the profiles of this library.")}
        )


def _check_line_id(line: BillLine, variant: Variant) -> None:
    clash = BillLine.objects.filter(
        element__variant=variant, line_id=line.line_id
    ).exclude(pk=line.pk)
    if line.line_id and clash.exists():
        raise ValidationError(
            {"line_id": _("This variant already has a line with this code.")}
        )


@transaction.atomic
def bill_line_create(
    *,
    actor: User | None,
    element: Element,
    line_id: str,
    profile: Profile,
    quantity: float,
    service_life_years: float | None = None,
) -> BillLine:
    variant = element.variant
    require(can_change_project(actor, variant.project))
    _lock_project(variant.project)
    _check_profile(actor, profile)
    line = BillLine(
        element=element,
        line_id=line_id.strip(),
        profile=profile,
        quantity=quantity,
        service_life_years=service_life_years,
    )
    full_clean(line)
    _check_line_id(line, variant)
    save(line)
    _touch(variant)
    return line


@transaction.atomic
def bill_line_update(*, actor: User | None, line: BillLine, **fields: Any) -> BillLine:
    variant = line.element.variant
    require(can_change_project(actor, variant.project))
    _lock_project(variant.project)
    if "element" in fields and fields["element"].variant_id != variant.pk:
        raise ValidationError(
            {"element": _("The line can only move to an element of its own variant.")}
        )
    changed = apply(
        line,
        fields,
        {"element", "line_id", "profile", "quantity", "service_life_years"},
    )
    if not changed:
        return line
    if "profile" in changed:
        _check_profile(actor, line.profile)
    full_clean(line)
    _check_line_id(line, variant)
    save(line)
    _touch(variant)
    return line


@transaction.atomic
def bill_line_delete(*, actor: User | None, line: BillLine) -> None:
    variant = line.element.variant
    require(can_change_project(actor, variant.project))
    line.delete()
    _touch(variant)


# Bill import ---------------------------------------------------------------------


@dataclass
class BillImportReport:
    elements: int = 0
    lines: int = 0

    def __str__(self) -> str:
        return f"Bill: {self.elements} elements, {self.lines} lines."


def _library_stub(library: ProfileLibrary) -> tuple[EngineLibrary, list[int]]:
    rows = list(library.profiles.order_by("profile_id").values_list("profile_id", "pk"))
    n = len(rows)
    stub = EngineLibrary(
        ids=tuple(r[0] for r in rows),
        names=("",) * n,
        units=("",) * n,
        data_categories=("1",) * n,
        indicators=(),
        values=np.zeros((n, 0, 0)),
        present=np.zeros((n, 0), dtype=np.bool_),
    )
    return stub, [r[1] for r in rows]


def _check_text_lengths(
    content: bytes,
    name: str,
    line_ids: tuple[str, ...],
    elements: tuple[str, ...],
    c: Collector,
) -> None:
    """What the engine does not check: the element is named, and codes and names fit
    their columns."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    lines = [n for n, row in enumerate(rows[1:], start=2) if row]
    for line, line_id, element in zip(lines, line_ids, elements, strict=True):
        if not element:
            c.add(Problem(name, "a value is required", line, field="element"))
        for field, value, limit in (
            ("line_id", line_id, 100),
            ("element", element, 200),
        ):
            if len(value) > limit:
                c.add(
                    Problem(
                        name, f"must be at most {limit} characters", line, field=field
                    )
                )


def bill_import(
    *,
    actor: User | None,
    variant: Variant,
    library: ProfileLibrary,
    content: bytes,
    file_name: str = "bill.csv",
    file_format: str | None = None,
) -> BillImportReport:
    """Replace the variant's elements and bill lines with those of a CSV or XLSX
    file; profile codes are looked up in ``library``. All or nothing: raises
    DataLoadError with every problem (file, line, field)."""
    require(can_change_project(actor, variant.project))
    name = safe_file_name(file_name, "bill.csv")
    fmt = file_format or ("xlsx" if name.lower().endswith(".xlsx") else "csv")
    c = Collector()
    if not can_use_library(actor, library):
        c.add(Problem(name, "you may not use the profiles of this library"))
    if len(content) > MAX_BILL_BYTES:
        c.add(Problem(name, f"is larger than {MAX_BILL_BYTES // (1024 * 1024)} MB"))
    c.raise_if_any()
    if fmt == "xlsx":
        converted = xlsx_to_csv(content, name, c)
        c.raise_if_any()
        assert converted is not None
        content = converted
    stub, pks = _library_stub(library)
    with tempfile.TemporaryDirectory(prefix="mki-bill-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        bill = read_bill(path, stub, c)
    if bill is not None:
        _check_text_lengths(content, name, bill.line_ids, bill.elements, c)
    c.raise_if_any()
    assert bill is not None
    rows = [
        (
            bill.line_ids[k],
            bill.elements[k],
            pks[bill.profile[k]],
            float(bill.quantity[k]),
            None if np.isnan(bill.service_life[k]) else float(bill.service_life[k]),
        )
        for k in range(len(bill))
    ]
    with transaction.atomic():
        _lock_project(variant.project)
        elements = write_bill(variant, rows)
    return BillImportReport(elements=elements, lines=len(rows))


def write_bill(
    variant: Variant, rows: list[tuple[str, str, int, float, float | None]]
) -> int:
    """Replace the variant's elements and lines with these checked rows
    (line code, element name, profile pk, quantity, service life); elements in the
    order they first appear. Returns the number of elements."""
    variant.elements.all().delete()
    order: dict[str, Element] = {}
    for _line_id, element_name, *_rest in rows:
        if element_name not in order:
            order[element_name] = Element(
                variant=variant, name=element_name, order=len(order) + 1
            )
    Element.objects.bulk_create(order.values())
    elements = {e.name: e for e in variant.elements.all()}
    BillLine.objects.bulk_create(
        [
            BillLine(
                element=elements[element_name],
                line_id=line_id,
                profile_id=profile_pk,
                quantity=quantity,
                service_life_years=life,
            )
            for line_id, element_name, profile_pk, quantity, life in rows
        ],
        batch_size=2000,
    )
    _touch(variant)
    return len(order)
