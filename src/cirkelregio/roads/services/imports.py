# SPDX-License-Identifier: EUPL-1.2
"""Import road sections, passports and maintenance works from files.

All or nothing: the whole file is read and checked first, each problem named by file,
line (CSV) or feature (GeoJSON) and field, and nothing is written when there is one.
Re-importing updates: a section or work is found again by its authority and
``external_id``, a passport by its section and ``valid_from`` (its layers are
replaced); records missing from the file are left alone. The formats are described
in ``docs/roads.md`` ("Road sections, passports and works: file formats"). In the
same transaction the supply forecast of the works touched (those of the file, or on
its changed sections and passports) follows on the exchange
(``forecast.forecast_follow``).

- **Sections, CSV**: ``external_id,name,road_type,geometry`` and optionally
  ``street,area_m2,crs``; ``geometry`` is WKT or GeoJSON text, in the row's ``crs``
  (EPSG:4326 or EPSG:28992) or else the import's.
- **Sections, GeoJSON**: a FeatureCollection; properties ``external_id``, ``name``,
  ``road_type`` and optionally ``street``, ``area_m2``; the CRS is the collection's
  ``crs`` member or else the import's (RFC 7946: WGS84).
- **Passports, CSV**, one row per layer: ``section,valid_from,data_source,position,
  mixture,thickness_mm`` and optionally ``authority,valid_to,note,year_laid,
  pr_percent,binder,pak_mg_per_kg,tar_containing,offered_for_reuse,
  density_t_per_m3,density_source`` (a measured density needs its source).
- **Works, CSV**, one row per new layer (a work without new layers: one row with
  the layer columns empty): ``external_id,section,window_start,window_end,
  work_type`` and optionally ``authority,removal_depth_mm,layers_removed,status,
  note,plant,layer_position,mixture,thickness_mm,pr_percent,low_temperature,
  density_t_per_m3,density_source``; a window
  date may be a year (``2027``: 1 January to 31 December).

``section`` is the section's ``external_id`` at the row's authority (the
``authority`` column's slug, or the import's authority).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cirkelregio.accounts.models import User
from cirkelregio.engine.dataio import (
    Collector,
    DataLoadError,
    FieldError,
    Problem,
    Row,
    boolean,
    choice,
    date,
    integer,
    number,
    read_csv,
    read_json,
    text,
)
from cirkelregio.regions.models import Organisation
from cirkelregio.roads import rules
from cirkelregio.roads.models import (
    AsphaltMixture,
    Binder,
    DataSource,
    MaintenanceWork,
    Passport,
    RoadSection,
    RoadType,
    WorkLayer,
    WorkStatus,
    WorkType,
    overlap_message,
)
from cirkelregio.roads.services._common import full_clean, require
from cirkelregio.roads.services.forecast import ForecastReport, forecast_follow
from cirkelregio.roads.services.geometry import (
    WGS84,
    InvalidGeometryError,
    crs_code,
    geojson_crs,
)
from cirkelregio.roads.services.records import (
    MunicipalityLocator,
    check_layers,
    passport_layer,
    section_geometry_values,
    works_of_sections,
)

SECTION_COLUMNS = ("external_id", "name", "road_type", "geometry")
PASSPORT_COLUMNS = (
    "section",
    "valid_from",
    "data_source",
    "position",
    "mixture",
    "thickness_mm",
)
WORK_COLUMNS = ("external_id", "section", "window_start", "window_end", "work_type")
_YEAR = re.compile(r"^\d{4}$")


@dataclass
class ImportReport:
    file: str
    kind: str
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[Problem] = field(default_factory=list)
    # The supply forecast of the affected works, brought in step in the same
    # transaction; None when the exchange's catalogue is not loaded.
    forecast: ForecastReport | None = None

    def __str__(self) -> str:
        text = (
            f"{self.file}: {self.records} {self.kind}, {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged."
        )
        return text if self.forecast is None else f"{text}\n{self.forecast}"


def _where(row: Row) -> str:
    return f"line {row.line}" if row.line is not None else str(row.record)


def _report_validation(row: Row, exc: ValidationError, prefix: str = "") -> None:
    for name, messages in exc.message_dict.items():
        for message in messages:
            row.problem(None if name == "__all__" else prefix + name, message)


class _Context:
    """What every import reads once: authorities, mixtures, the actor's rights."""

    def __init__(
        self, path: Path, actor: User | None, authority: Organisation | None
    ) -> None:
        self.path = path
        self.actor = actor
        self.authority = authority
        self.c = Collector()
        self.authorities = {
            o.slug: o
            for o in Organisation.objects.filter(kind__in=rules.ROAD_AUTHORITY_KINDS)
        }
        self.mixtures = {m.code: m for m in AsphaltMixture.objects.all()}
        self._sections: dict[tuple[int, str], RoadSection] | None = None

    def row_authority(self, row: Row) -> Organisation | None:
        slug = row.get("authority", text(120), required=False)
        if slug is None:
            if self.authority is None:
                row.problem("authority", "a value is required (or give the authority)")
            return self.authority
        authority = self.authorities.get(slug)
        if authority is None:
            row.problem(
                "authority",
                f"unknown road authority {slug!r} (a municipality, province or water "
                "board's slug)",
            )
            return None
        if not rules.can_manage_authority(self.actor, authority):
            row.problem("authority", f"you may not import data of {slug!r}")
            return None
        return authority

    def mixture(self, raw: Any) -> AsphaltMixture:
        found = self.mixtures.get(str(raw).strip())
        if found is None:
            raise FieldError(
                "unknown mixture; known: " + ", ".join(sorted(self.mixtures))
            )
        return found

    def section(self, row: Row, authority: Organisation | None) -> RoadSection | None:
        external_id = row.get("section", text(100))
        if external_id is None or authority is None:
            return None
        if self._sections is None:
            self._sections = {
                (s.authority_id, s.external_id): s
                for s in RoadSection.objects.filter(
                    authority__in=list(self.authorities.values())
                ).select_related("authority")
            }
        found = self._sections.get((authority.pk, external_id))
        if found is None:
            row.problem(
                "section",
                f"unknown section {external_id!r} of {authority.slug}; import the "
                "sections first",
            )
        return found


def _check_file(path: Path, suffixes: tuple[str, ...]) -> None:
    if path.suffix.lower() not in suffixes:
        raise DataLoadError(
            [Problem(path.name, "must be a " + " or ".join(suffixes) + " file")]
        )


def _prepare(
    path: Path, actor: User | None, authority: Organisation | None
) -> _Context:
    if authority is not None:
        if not rules.is_road_authority(authority):
            raise DataLoadError(
                [
                    Problem(
                        path.name,
                        f"{authority.slug} is not a road authority (a municipality, "
                        "province or water board)",
                    )
                ]
            )
        require(rules.can_manage_authority(actor, authority))
    else:
        require(rules.can_manage_roads(actor))
    return _Context(path, actor, authority)


# Sections ----------------------------------------------------------------------------


@dataclass
class _SectionRecord:
    row: Row
    authority: Organisation
    external_id: str
    values: dict[str, Any]


def _section_record(
    ctx: _Context,
    row: Row,
    geometry: Any,
    crs: str,
    locator: MunicipalityLocator,
    records: dict[tuple[int, str], _SectionRecord],
) -> None:
    before = len(ctx.c.problems)
    authority = ctx.authority if ctx.authority is not None else ctx.row_authority(row)
    external_id = row.get("external_id", text(100))
    values: dict[str, Any] = {
        "name": row.get("name", text(200)),
        "street": row.get("street", text(200), required=False) or "",
        "road_type": row.get("road_type", choice(RoadType.values)),
    }
    area = row.get("area_m2", number(0.1, 10_000_000), required=False)
    if geometry in (None, ""):
        row.problem("geometry", "a value is required")
    else:
        try:
            values.update(
                section_geometry_values(
                    geometry=geometry, crs=crs, area_m2=area, locator=locator
                )
            )
        except ValidationError as exc:
            _report_validation(row, exc)
    if len(ctx.c.problems) > before or authority is None or external_id is None:
        return
    key = (authority.pk, external_id)
    if key in records:
        row.problem(
            "external_id",
            f"section {external_id!r} appears twice (also {_where(records[key].row)})",
        )
        return
    records[key] = _SectionRecord(row, authority, external_id, values)


def _read_sections_csv(
    ctx: _Context, crs: str, locator: MunicipalityLocator
) -> dict[tuple[int, str], _SectionRecord]:
    records: dict[tuple[int, str], _SectionRecord] = {}
    for row in read_csv(ctx.path, SECTION_COLUMNS, ctx.c):
        row_crs = crs
        if (row.data.get("crs") or "").strip():
            try:
                row_crs = crs_code(row.data["crs"])
            except InvalidGeometryError as exc:
                row.problem("crs", str(exc))
                continue
        _section_record(ctx, row, row.data.get("geometry"), row_crs, locator, records)
    return records


def _read_sections_geojson(
    ctx: _Context, crs: str, locator: MunicipalityLocator
) -> dict[tuple[int, str], _SectionRecord]:
    records: dict[tuple[int, str], _SectionRecord] = {}
    data = read_json(ctx.path, ctx.c)
    if data is None:
        return records
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        ctx.c.add(Problem(ctx.path.name, "must be a GeoJSON FeatureCollection"))
        return records
    try:
        crs = geojson_crs(data) or crs
    except InvalidGeometryError as exc:
        ctx.c.add(Problem(ctx.path.name, str(exc), None, None, "crs"))
        return records
    features = data.get("features")
    if not isinstance(features, list):
        ctx.c.add(Problem(ctx.path.name, "holds no features"))
        return records
    for index, feature in enumerate(features):
        record = f"features[{index}]"
        if not isinstance(feature, dict):
            ctx.c.add(Problem(ctx.path.name, "must be a GeoJSON Feature", None, record))
            continue
        properties = feature.get("properties")
        properties = dict(properties) if isinstance(properties, dict) else {}
        for name in ("external_id", "area_m2"):
            if isinstance(properties.get(name), (int, float)) and not isinstance(
                properties.get(name), bool
            ):
                properties[name] = str(properties[name])
        row = Row(ctx.path.name, properties, ctx.c, record=record)
        _section_record(ctx, row, feature.get("geometry"), crs, locator, records)
    return records


def import_sections(
    path: Path,
    *,
    authority: Organisation | None = None,
    crs: str = WGS84,
    actor: User | None = None,
    demo: bool = False,
) -> ImportReport:
    """Import road sections from a .csv or .geojson/.json file for ``authority``
    (or the CSV's ``authority`` column). ``crs`` is the coordinates' system where
    the file does not say: EPSG:4326 (default) or EPSG:28992 (RD New). Raises
    DataLoadError, writing nothing, when the file has any problem."""
    path = Path(path)
    _check_file(path, (".csv", ".geojson", ".json"))
    try:
        crs = crs_code(crs)
    except InvalidGeometryError as exc:
        raise DataLoadError([Problem(path.name, str(exc), None, None, "crs")]) from None
    ctx = _prepare(path, actor, authority)
    locator = MunicipalityLocator()
    if path.suffix.lower() == ".csv":
        records = _read_sections_csv(ctx, crs, locator)
    else:
        records = _read_sections_geojson(ctx, crs, locator)
    if not ctx.c.problems and not records:
        ctx.c.add(Problem(path.name, "holds no road sections"))
    ctx.c.raise_if_any()
    report = ImportReport(file=path.name, kind="road sections", records=len(records))
    existing = {
        (s.authority_id, s.external_id): s
        for s in RoadSection.objects.filter(
            authority__in={r.authority for r in records.values()},
            external_id__in=[r.external_id for r in records.values()],
        )
    }
    changed_sections: list[int] = []
    with transaction.atomic():
        for key, record in records.items():
            section = existing.get(key)
            if section is None:
                section = RoadSection(
                    authority=record.authority,
                    external_id=record.external_id,
                    is_demo=demo,
                    **record.values,
                )
                report.created += 1
            else:
                changed = [
                    n for n, v in record.values.items() if getattr(section, n) != v
                ]
                if demo and not section.is_demo:
                    section.is_demo = True
                    changed.append("is_demo")
                if not changed:
                    report.unchanged += 1
                    continue
                for name in changed:
                    if name != "is_demo":
                        setattr(section, name, record.values[name])
                report.updated += 1
                changed_sections.append(section.pk)
            try:
                full_clean(section)
            except ValidationError as exc:
                _report_validation(record.row, exc)
                continue
            section.save()
        ctx.c.raise_if_any()
        report.forecast = forecast_follow(
            actor=actor, work_ids=works_of_sections(changed_sections)
        )
    return report


# Passports ---------------------------------------------------------------------------


@dataclass
class _PassportRecord:
    row: Row
    section: RoadSection
    values: dict[str, Any]
    layers: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)


def _density(row: Row) -> dict[str, Any]:
    """A layer's own density and its source (optional columns)."""
    return {
        "density_t_per_m3": row.get("density_t_per_m3", number(), required=False),
        "density_source": row.get("density_source", text(), required=False) or "",
    }


PASSPORT_LEVEL = ("valid_to", "data_source", "note")


def import_passports(
    path: Path,
    *,
    authority: Organisation | None = None,
    actor: User | None = None,
) -> ImportReport:
    """Import passports from a CSV file with one row per layer (module docstring).
    A passport for a section and ``valid_from`` that is stored already is replaced
    with its layers. Overlapping passports of one section, in the file or with
    the stored ones, are refused."""
    path = Path(path)
    _check_file(path, (".csv",))
    ctx = _prepare(path, actor, authority)
    passports: dict[tuple[int, dt.date], _PassportRecord] = {}
    for row in read_csv(path, PASSPORT_COLUMNS, ctx.c):
        before = len(ctx.c.problems)
        row_authority = ctx.row_authority(row)
        section = ctx.section(row, row_authority)
        valid_from = row.get("valid_from", date)
        values = {
            "valid_from": valid_from,
            "valid_to": row.get("valid_to", date, required=False),
            "data_source": row.get("data_source", choice(DataSource.values)),
            "note": row.get("note", text(), required=False) or "",
        }
        tar = row.get("tar_containing", boolean, required=False)
        layer = {
            "position": row.get("position", integer(1, 50)),
            "mixture": row.get("mixture", ctx.mixture),
            "thickness_mm": row.get("thickness_mm", number()),
            "year_laid": row.get("year_laid", integer(), required=False),
            "pr_percent": row.get("pr_percent", number(), required=False),
            "binder": row.get("binder", choice(Binder.values), required=False)
            or Binder.CONVENTIONAL,
            "pak_mg_per_kg": row.get("pak_mg_per_kg", number(), required=False),
            "tar_containing": bool(tar),
            "offered_for_reuse": row.get("offered_for_reuse", boolean, required=False),
            **_density(row),
        }
        if len(ctx.c.problems) > before or section is None or valid_from is None:
            continue
        key = (section.pk, valid_from)
        record = passports.get(key)
        if record is None:
            record = passports[key] = _PassportRecord(row, section, values)
        else:
            for name in PASSPORT_LEVEL:
                if record.values[name] != values[name]:
                    row.problem(
                        name,
                        f"differs from {_where(record.row)} of the same passport "
                        f"({record.values[name]!r})",
                    )
        record.layers.append((row, layer))
    if not passports and not ctx.c.problems:
        raise DataLoadError([Problem(path.name, "holds no passports")])

    stored = {
        (p.section_id, p.valid_from): p
        for p in Passport.objects.filter(
            section__in={r.section for r in passports.values()}
        )
    }
    for key, record in passports.items():
        passport = stored.get(key) or Passport(section=record.section)
        for name, value in record.values.items():
            setattr(passport, name, value)
        try:
            full_clean(passport, exclude={"section"})
        except ValidationError as exc:
            exc.error_dict.pop("valid_from", None) if hasattr(
                exc, "error_dict"
            ) else None
            if getattr(exc, "error_dict", None):
                _report_validation(record.row, exc)
        # Overlaps: with the other passports of the file and the stored ones that
        # the file does not replace.
        others = [
            (r.values["valid_from"], r.values["valid_to"], _where(r.row))
            for k, r in passports.items()
            if k != key and k[0] == key[0]
        ] + [
            (p.valid_from, p.valid_to, "stored")
            for k, p in stored.items()
            if k[0] == key[0] and k not in passports
        ]
        for start, end, where in others:
            probe = Passport(valid_from=start, valid_to=end)
            if probe.overlaps(record.values["valid_from"], record.values["valid_to"]):
                record.row.problem(
                    "valid_from", overlap_message(start, end) + f" ({where})"
                )
        built = [passport_layer(values) for _row, values in record.layers]
        for (layer_row, _values), layer in zip(record.layers, built, strict=True):
            errors = check_layers([layer], exclude={"passport"})
            for name, messages in errors.items():
                for message in messages:
                    layer_row.problem(name.split(".", 2)[2], message)
        positions = [layer.position for layer in built]
        for (layer_row, _values), position in zip(
            record.layers, positions, strict=True
        ):
            if positions.count(position) > 1:
                layer_row.problem(
                    "position", f"position {position} appears twice in this passport"
                )
    ctx.c.raise_if_any()

    report = ImportReport(file=path.name, kind="passports", records=len(passports))
    with transaction.atomic():
        for key, record in passports.items():
            passport = stored.get(key)
            if passport is None:
                passport = Passport(section=record.section, **record.values)
                report.created += 1
            else:
                for name, value in record.values.items():
                    setattr(passport, name, value)
                passport.layers.all().delete()
                report.updated += 1
            passport.save()
            for _row, values in record.layers:
                layer = passport_layer(values)
                layer.passport = passport
                layer.save()
        report.forecast = forecast_follow(
            actor=actor,
            work_ids=works_of_sections({r.section.pk for r in passports.values()}),
        )
    return report


# Works -------------------------------------------------------------------------------


def _window(end: bool) -> Callable[[Any], dt.date]:
    def parse(raw: Any) -> dt.date:
        value = str(raw).strip()
        if _YEAR.match(value):
            year = int(value)
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        try:
            return date(value)
        except FieldError:
            raise FieldError("must be a date YYYY-MM-DD or a year YYYY") from None

    return parse


@dataclass
class _WorkRecord:
    row: Row
    authority: Organisation
    external_id: str
    values: dict[str, Any]
    layers: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)


WORK_LEVEL = (
    "section",
    "window_start",
    "window_end",
    "work_type",
    "removal_depth_mm",
    "layers_removed",
    "status",
    "note",
    "plant",
)
LAYER_COLUMNS = ("layer_position", "mixture", "thickness_mm", "pr_percent")


def import_works(
    path: Path,
    *,
    authority: Organisation | None = None,
    actor: User | None = None,
    demo: bool = False,
) -> ImportReport:
    """Import maintenance works from a CSV file with one row per new layer (module
    docstring). A work stored already (same authority and external_id) is updated
    and its new layers replaced."""
    path = Path(path)
    _check_file(path, (".csv",))
    ctx = _prepare(path, actor, authority)
    works: dict[tuple[int, str], _WorkRecord] = {}
    for row in read_csv(path, WORK_COLUMNS, ctx.c):
        before = len(ctx.c.problems)
        row_authority = ctx.row_authority(row)
        external_id = row.get("external_id", text(100))
        values = {
            "section": ctx.section(row, row_authority),
            "window_start": row.get("window_start", _window(False)),
            "window_end": row.get("window_end", _window(True)),
            "work_type": row.get("work_type", choice(WorkType.values)),
            "removal_depth_mm": row.get("removal_depth_mm", number(), required=False),
            "layers_removed": row.get("layers_removed", integer(0, 50), required=False),
            "status": row.get("status", choice(WorkStatus.values), required=False)
            or WorkStatus.PLANNED,
            "note": row.get("note", text(), required=False) or "",
            "plant": row.get("plant", text(100), required=False) or "",
        }
        layer: dict[str, Any] | None = None
        if any((row.data.get(n) or "").strip() for n in LAYER_COLUMNS):
            layer = {
                "position": row.get("layer_position", integer(1, 50)),
                "mixture": row.get("mixture", ctx.mixture),
                "thickness_mm": row.get("thickness_mm", number()),
                "pr_percent": row.get("pr_percent", number(), required=False) or 0.0,
                "low_temperature": row.get("low_temperature", boolean, required=False)
                or False,
                **_density(row),
            }
        if len(ctx.c.problems) > before or row_authority is None or not external_id:
            continue
        key = (row_authority.pk, external_id)
        record = works.get(key)
        if record is None:
            record = works[key] = _WorkRecord(row, row_authority, external_id, values)
        else:
            for name in WORK_LEVEL:
                if record.values[name] != values[name]:
                    row.problem(
                        name, f"differs from {_where(record.row)} of the same work"
                    )
        if layer is not None:
            record.layers.append((row, layer))
    if not works and not ctx.c.problems:
        raise DataLoadError([Problem(path.name, "holds no works")])

    stored = {
        (w.authority_id, w.external_id): w
        for w in MaintenanceWork.objects.filter(
            authority__in={r.authority for r in works.values()},
            external_id__in=[r.external_id for r in works.values()],
        )
    }
    for key, record in works.items():
        work = stored.get(key) or MaintenanceWork(
            authority=record.authority, external_id=record.external_id
        )
        for name, value in record.values.items():
            setattr(work, name, value)
        try:
            full_clean(work)
        except ValidationError as exc:
            _report_validation(record.row, exc)
        built = [WorkLayer(**values) for _row, values in record.layers]
        for (layer_row, _values), layer in zip(record.layers, built, strict=True):
            for name, messages in check_layers([layer], exclude={"work"}).items():
                field_name = name.split(".", 2)[2]
                field_name = (
                    "layer_position" if field_name == "position" else field_name
                )
                for message in messages:
                    layer_row.problem(field_name, message)
        positions = [layer.position for layer in built]
        for (layer_row, _values), position in zip(
            record.layers, positions, strict=True
        ):
            if positions.count(position) > 1:
                layer_row.problem(
                    "layer_position",
                    f"position {position} appears twice in this work",
                )
    ctx.c.raise_if_any()

    report = ImportReport(file=path.name, kind="maintenance works", records=len(works))
    saved: list[int] = []
    with transaction.atomic():
        for key, record in works.items():
            work = stored.get(key)
            if work is None:
                work = MaintenanceWork(
                    authority=record.authority,
                    external_id=record.external_id,
                    is_demo=demo,
                    **record.values,
                )
                report.created += 1
            else:
                for name, value in record.values.items():
                    setattr(work, name, value)
                if demo:
                    work.is_demo = True
                work.new_layers.all().delete()
                report.updated += 1
            work.save()
            for _row, values in record.layers:
                WorkLayer.objects.create(work=work, **values)
            saved.append(work.pk)
        report.forecast = forecast_follow(actor=actor, work_ids=saved)
    return report
