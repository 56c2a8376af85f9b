# SPDX-License-Identifier: EUPL-1.2
"""Create, change and remove road sections, passports and maintenance works. Every
write checks the actor's rights (``cirkelregio.roads.rules``) and validates the
records (``models``: physical bounds, overlapping passports, tar-containing asphalt
offered for reuse) before anything is saved; the imports build the same records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.engine.geo import BoundaryIndex, GeometryError, parse_boundary
from cirkelregio.engine.roads.materials import is_tar_containing
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.regions.models import Organisation
from cirkelregio.roads import rules
from cirkelregio.roads.models import (
    MaintenanceWork,
    Passport,
    PassportLayer,
    RoadSection,
    WorkLayer,
    WorkStatus,
)
from cirkelregio.roads.services._common import full_clean, require
from cirkelregio.roads.services.forecast import forecast_follow
from cirkelregio.roads.services.geometry import (
    WGS84,
    InvalidGeometryError,
    section_geometry,
)

SECTION_FIELDS = {"name", "street", "road_type", "geometry", "crs", "area_m2"}
WORK_FIELDS = {
    "window_start",
    "window_end",
    "work_type",
    "removal_depth_mm",
    "layers_removed",
    "status",
    "note",
    "plant",
}


def works_of_sections(section_ids: Iterable[int]) -> list[int]:
    """The ids of the works on these sections: their released tonnes and the
    place of their supply listing follow the section and its passports."""
    return list(
        MaintenanceWork.objects.filter(section_id__in=list(section_ids)).values_list(
            "pk", flat=True
        )
    )


class MunicipalityLocator:
    """The region's municipal boundaries, read once for many sections."""

    def __init__(self) -> None:
        municipalities = list(region_selectors.municipality_list())
        keys, geometries = [], []
        for municipality in municipalities:
            try:
                geometries.append(parse_boundary(municipality.boundary or {}))
            except GeometryError:
                continue
            keys.append(str(municipality.pk))
        self._by_key = {str(m.pk): m for m in municipalities}
        self._index = BoundaryIndex(keys, geometries) if keys else None

    def at(self, lat: float, lon: float) -> Any:
        if self._index is None:
            return None
        key = self._index.locate(lat, lon)[0]
        return self._by_key.get(key) if key is not None else None


def section_geometry_values(
    *,
    geometry: Any,
    crs: str = WGS84,
    area_m2: float | None = None,
    locator: MunicipalityLocator | None = None,
) -> dict[str, Any]:
    """The stored geometry fields of a section: WGS84 GeoJSON, bbox, area (given,
    or measured from a polygon in RD New), length and municipality. Raises
    ValidationError on ``geometry``, ``crs`` or ``area_m2``."""
    try:
        geom = section_geometry(geometry, crs=crs)
    except InvalidGeometryError as exc:
        field = "crs" if "reference system" in str(exc) else "geometry"
        raise ValidationError({field: _("Invalid geometry: %s") % exc}) from None
    area = area_m2 if area_m2 is not None else geom.area_m2
    if area is None:
        raise ValidationError(
            {"area_m2": _("A line has no area: give the paved area (area_m2).")}
        )
    locator = locator or MunicipalityLocator()
    return {
        "geometry": geom.geometry,
        "bbox": geom.bbox,
        "area_m2": area,
        "area_computed": area_m2 is None,
        "length_m": geom.length_m,
        "municipality": locator.at(*geom.point),
    }


def _require_authority(actor: User | None, authority: Organisation) -> None:
    if not rules.is_road_authority(authority):
        raise ValidationError(
            {
                "authority": _(
                    "A road authority is a municipality, province or water board."
                )
            }
        )
    require(rules.can_manage_authority(actor, authority))


@transaction.atomic
def section_create(
    *,
    actor: User | None,
    authority: Organisation,
    external_id: str,
    name: str,
    road_type: str,
    geometry: Any,
    crs: str = WGS84,
    street: str = "",
    area_m2: float | None = None,
    is_demo: bool = False,
) -> RoadSection:
    _require_authority(actor, authority)
    values = section_geometry_values(geometry=geometry, crs=crs, area_m2=area_m2)
    section = RoadSection(
        authority=authority,
        external_id=external_id,
        name=name,
        street=street,
        road_type=road_type,
        is_demo=is_demo,
        **values,
    )
    full_clean(section)
    section.save()
    return section


@transaction.atomic
def section_update(
    *, actor: User | None, section: RoadSection, **fields: Any
) -> RoadSection:
    require(rules.can_change_section(actor, section))
    unknown = set(fields) - SECTION_FIELDS
    if unknown:
        raise ValidationError(
            {n: _("This field cannot be changed here.") for n in sorted(unknown)}
        )
    crs = fields.pop("crs", WGS84)
    if "geometry" in fields or "area_m2" in fields:
        values = section_geometry_values(
            geometry=fields.pop("geometry", section.geometry),
            crs=crs if "geometry" in fields else WGS84,
            area_m2=fields.pop(
                "area_m2", None if section.area_computed else section.area_m2
            ),
        )
        fields.update(values)
    for name, value in fields.items():
        setattr(section, name, value)
    full_clean(section)
    section.save()
    forecast_follow(actor=actor, work_ids=works_of_sections([section.pk]))
    return section


@transaction.atomic
def section_delete(*, actor: User | None, section: RoadSection) -> None:
    """Remove the section with its passports and works (whose open supply
    listings are withdrawn)."""
    require(rules.can_change_section(actor, section))
    works = works_of_sections([section.pk])
    section.delete()
    forecast_follow(actor=actor, work_ids=works)


def passport_layer(values: Mapping[str, Any]) -> PassportLayer:
    """An unsaved layer. Tar-containing follows from PAK >= 75 mg/kg or is given;
    ``offered_for_reuse`` defaults to not tar-containing."""
    values = dict(values)
    measured = is_tar_containing(values.get("pak_mg_per_kg"))
    tar = bool(values.get("tar_containing")) or bool(measured)
    values["tar_containing"] = tar
    if values.get("offered_for_reuse") is None:
        values["offered_for_reuse"] = not tar
    for name in ("year_laid", "pr_percent", "pak_mg_per_kg"):
        values.setdefault(name, None)
    return PassportLayer(**values)


def check_layers(layers: Sequence[Any], exclude: set[str]) -> dict[str, list[str]]:
    """Validation errors of unsaved layers, keyed ``layers.<i>.<field>``."""
    errors: dict[str, list[str]] = {}
    positions: set[int] = set()
    for index, layer in enumerate(layers):
        try:
            full_clean(layer, exclude=exclude)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(f"layers.{index}.{name}", []).extend(messages)
        if layer.position in positions:
            errors.setdefault(f"layers.{index}.position", []).append(
                _("Position %(position)s appears twice.") % {"position": layer.position}
            )
        positions.add(layer.position)
    return errors


@transaction.atomic
def passport_create(
    *,
    actor: User | None,
    section: RoadSection,
    valid_from: dt.date,
    data_source: str,
    layers: Iterable[Mapping[str, Any]],
    valid_to: dt.date | None = None,
    note: str = "",
) -> Passport:
    require(rules.can_change_section(actor, section))
    passport = Passport(
        section=section,
        valid_from=valid_from,
        valid_to=valid_to,
        data_source=data_source,
        note=note,
    )
    built = [passport_layer(values) for values in layers]
    errors: dict[str, list[str]] = {}
    try:
        full_clean(passport)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    errors.update(check_layers(built, exclude={"passport"}))
    if not built:
        errors.setdefault("layers", []).append(_("A passport has at least one layer."))
    if errors:
        raise ValidationError(errors)
    passport.save()
    for layer in built:
        layer.passport = passport
        layer.save()
    forecast_follow(actor=actor, work_ids=works_of_sections([section.pk]))
    return passport


@transaction.atomic
def passport_delete(*, actor: User | None, passport: Passport) -> None:
    require(rules.can_change_passport(actor, passport))
    section_id = passport.section_id
    passport.delete()
    forecast_follow(actor=actor, work_ids=works_of_sections([section_id]))


@transaction.atomic
def work_create(
    *,
    actor: User | None,
    section: RoadSection,
    external_id: str,
    window_start: dt.date,
    window_end: dt.date,
    work_type: str,
    new_layers: Iterable[Mapping[str, Any]] = (),
    removal_depth_mm: float | None = None,
    layers_removed: int | None = None,
    status: str = WorkStatus.PLANNED,
    note: str = "",
    plant: str = "",
    is_demo: bool = False,
) -> MaintenanceWork:
    """A new work with its new layers; its released tar-free reclaimed asphalt
    is offered on the exchange at once (``forecast_follow``)."""
    require(rules.can_change_section(actor, section))
    work = MaintenanceWork(
        authority=section.authority,
        section=section,
        external_id=external_id,
        window_start=window_start,
        window_end=window_end,
        work_type=work_type,
        removal_depth_mm=removal_depth_mm,
        layers_removed=layers_removed,
        status=status,
        note=note,
        plant=plant,
        is_demo=is_demo,
    )
    built = [WorkLayer(**values) for values in new_layers]
    errors: dict[str, list[str]] = {}
    try:
        full_clean(work)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    errors.update(check_layers(built, exclude={"work"}))
    if errors:
        raise ValidationError(errors)
    work.save()
    for layer in built:
        layer.work = work
        layer.save()
    forecast_follow(actor=actor, work_ids=[work.pk])
    return work


@transaction.atomic
def work_update(
    *,
    actor: User | None,
    work: MaintenanceWork,
    new_layers: Iterable[Mapping[str, Any]] | None = None,
    **fields: Any,
) -> MaintenanceWork:
    """Change a work's window, type, removal, status, note or plant, and with
    ``new_layers`` replace its new layers; its supply listing follows (updated,
    or withdrawn when the work is done or releases nothing to offer)."""
    require(rules.can_change_work(actor, work))
    unknown = set(fields) - WORK_FIELDS
    if unknown:
        raise ValidationError(
            {n: _("This field cannot be changed here.") for n in sorted(unknown)}
        )
    for name, value in fields.items():
        setattr(work, name, value)
    built = (
        [WorkLayer(**values) for values in new_layers]
        if new_layers is not None
        else None
    )
    errors: dict[str, list[str]] = {}
    try:
        full_clean(work)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if built is not None:
        errors.update(check_layers(built, exclude={"work"}))
    if errors:
        raise ValidationError(errors)
    work.save()
    if built is not None:
        work.new_layers.all().delete()
        for layer in built:
            layer.work = work
            layer.save()
    forecast_follow(actor=actor, work_ids=[work.pk])
    return work


@transaction.atomic
def work_delete(*, actor: User | None, work: MaintenanceWork) -> None:
    """Remove the work; its open supply listing is withdrawn."""
    require(rules.can_change_work(actor, work))
    pk = work.pk
    work.delete()
    forecast_follow(actor=actor, work_ids=[pk])
