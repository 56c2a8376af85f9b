# SPDX-License-Identifier: EUPL-1.2
"""Craft-centre sites and bulky-waste figures: add, change and remove a site, import
sites from a CSV file, set a bulky-waste figure.

**Checks** (one message per field): a name; the kind ``existing`` or ``candidate``;
a municipality of the region (CBS code); a position inside the province, given as
``lat``/``lon`` or as a postcode area (PC4) whose centre is then used; an existing
centre needs its ``source``; the actor may add the site (``rules``).

**Import.** A UTF-8 CSV file with the columns ``name``, ``municipality`` (CBS code),
and either ``lat`` and ``lon`` or ``postcode``; optional ``kind`` (default
``candidate``), ``address``, ``operator`` (organisation slug), ``notes``,
``source``. All or nothing: every problem is named by file, line and field, and
nothing is written when there is one. A row replaces the stored site with the same
municipality and name (so importing a file again changes nothing).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.core.services import require
from cirkelregio.craftcentres import rules
from cirkelregio.craftcentres.models import (
    BulkyWasteFigure,
    CentreSite,
    FigureSource,
    SiteKind,
)
from cirkelregio.engine.craftcentres.network import UTRECHT_BOX
from cirkelregio.engine.dataio import (
    Collector,
    DataLoadError,
    Problem,
    Row,
    number,
    read_csv_bytes,
)
from cirkelregio.regions.models import Municipality, Organisation, Postcode

REQUIRED_COLUMNS = ("name", "municipality")
OPTIONAL_COLUMNS = (
    "kind",
    "lat",
    "lon",
    "postcode",
    "address",
    "operator",
    "notes",
    "source",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_IMPORT_BYTES = 2 * 1024 * 1024
SITE_FIELDS = {
    "name",
    "kind",
    "municipality",
    "lat",
    "lon",
    "postcode",
    "address",
    "operator",
    "notes",
    "source",
}
LIMITS = {"name": 200, "address": 300, "notes": 2000, "source": 1000}


def _inside(lat: float, lon: float) -> bool:
    south, north, west, east = UTRECHT_BOX
    return south <= lat <= north and west <= lon <= east


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and value == value
    )


def _check_site(values: dict[str, Any]) -> dict[str, Any]:
    """The values with municipality, operator and position resolved; raises
    ValidationError with a message per field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name, limit in LIMITS.items():
        value = values.get(name) or ""
        if not isinstance(value, str):
            errors[name] = _("Enter text.")
            continue
        if len(value) > limit:
            errors[name] = _("At most %(n)s characters.") % {"n": limit}
        out[name] = value.strip()
    if not out.get("name"):
        errors.setdefault("name", _("Give the name of the site."))
    kind = values.get("kind") or SiteKind.CANDIDATE
    if kind not in SiteKind.values:
        errors["kind"] = _("Choose one of: %(codes)s.") % {
            "codes": ", ".join(SiteKind.values)
        }
    out["kind"] = kind
    if kind == SiteKind.EXISTING and not out.get("source"):
        errors.setdefault(
            "source", _("Give the source that documents this existing centre.")
        )
    municipality = values.get("municipality")
    if isinstance(municipality, str):
        municipality = Municipality.objects.filter(
            cbs_code=municipality.strip().upper()
        ).first()
        if municipality is None:
            errors["municipality"] = _(
                "Unknown municipality; give its CBS code, e.g. GM0344."
            )
    elif not isinstance(municipality, Municipality):
        errors["municipality"] = _("Choose a municipality.")
    out["municipality"] = municipality
    operator = values.get("operator")
    if isinstance(operator, str):
        operator = (
            Organisation.objects.filter(slug=operator.strip()).first()
            if operator.strip()
            else None
        )
        if operator is None and values.get("operator", "").strip():
            errors["operator"] = _("Unknown organisation.")
    out["operator"] = operator if isinstance(operator, Organisation) else None
    postcode = str(values.get("postcode") or "").strip()
    out["postcode"] = postcode
    lat, lon = values.get("lat"), values.get("lon")
    out["location_from_postcode"] = False
    if lat is None and lon is None:
        if not postcode:
            errors["lat"] = _("Give the position (lat and lon) or a postcode area.")
        else:
            pc = Postcode.objects.filter(code=postcode).first()
            if pc is None:
                errors["postcode"] = _("Unknown postcode area “%(code)s”.") % {
                    "code": postcode
                }
            else:
                lat, lon = pc.lat, pc.lon
                out["location_from_postcode"] = True
    elif lat is None or lon is None:
        errors["lon" if lon is None else "lat"] = _("Give both lat and lon.")
    if lat is not None and lon is not None:
        if not (_is_number(lat) and _is_number(lon)):
            errors["lat"] = _("Enter the position as numbers (degrees).")
        elif not _inside(float(lat), float(lon)):
            errors["lat"] = _(
                "The position %(lat)s, %(lon)s is outside the province."
            ) % {"lat": f"{lat:g}", "lon": f"{lon:g}"}
    out["lat"], out["lon"] = lat, lon
    if errors:
        raise ValidationError(errors)
    return out


def _unknown_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - SITE_FIELDS
    if unknown:
        raise ValidationError(
            {n: _("This field cannot be changed here.") for n in sorted(unknown)}
        )


def site_create(
    *, actor: User | None, is_demo: bool = False, **fields: Any
) -> CentreSite:
    """Add an existing centre or a candidate site (module docstring)."""
    require(rules.can_propose_sites(actor))
    _unknown_fields(fields)
    values = _check_site(fields)
    require(rules.can_add_site(actor, values["municipality"], values["kind"]))
    if CentreSite.objects.filter(
        municipality=values["municipality"], name=values["name"]
    ).exists():
        raise ValidationError(
            {"name": _("This municipality already has a site with this name.")}
        )
    site = CentreSite(is_demo=is_demo, created_by=actor, **values)
    site.full_clean()
    site.save()
    return site


def site_update(*, actor: User | None, site: CentreSite, **fields: Any) -> CentreSite:
    require(rules.can_change_site(actor, site))
    _unknown_fields(fields)
    current: dict[str, Any] = {
        name: getattr(site, name) for name in SITE_FIELDS if name != "postcode"
    }
    current["postcode"] = site.postcode
    if site.location_from_postcode and "postcode" in fields and "lat" not in fields:
        current["lat"] = current["lon"] = None
    values = _check_site({**current, **fields})
    require(rules.can_add_site(actor, values["municipality"], values["kind"]))
    changed = [n for n, v in values.items() if getattr(site, n) != v]
    if changed:
        for name in changed:
            setattr(site, name, values[name])
        site.full_clean()
        site.save(update_fields=[*changed, "updated_at"])
    return site


def site_delete(*, actor: User | None, site: CentreSite) -> None:
    require(rules.can_change_site(actor, site))
    site.delete()


# Import ----------------------------------------------------------------------------


@dataclass
class SiteImportReport:
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.rows} craft-centre sites, {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged."
        )


def _read_csv(content: bytes, name: str, c: Collector) -> Iterator[Row]:
    return read_csv_bytes(content, name, REQUIRED_COLUMNS, c)


def _as_text(raw: Any) -> str:
    return str(raw).strip()


def _parse(
    rows: Iterator[Row], actor: User | None, c: Collector
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int | None] = {}
    for row in rows:
        values: dict[str, Any] = {
            "name": row.get("name", _as_text),
            "municipality": row.get("municipality", _as_text),
        }
        for col in ("kind", "postcode", "address", "operator", "notes", "source"):
            values[col] = row.get(col, _as_text, required=False) or ""
        values["lat"] = row.get("lat", number(-90, 90), required=False)
        values["lon"] = row.get("lon", number(-180, 180), required=False)
        if values["name"] is None or values["municipality"] is None:
            continue
        key = (str(values["municipality"]).upper(), str(values["name"]))
        if key in seen:
            row.problem(
                "name",
                f"the same site (municipality and name) is on line {seen[key]} too",
            )
        seen[key] = row.line
        try:
            checked = _check_site(values)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                for message in messages:
                    row.problem(field_name, message)
            continue
        if not rules.can_add_site(actor, checked["municipality"], checked["kind"]):
            row.problem(
                "municipality",
                "you may not add a site of this kind in "
                f"{checked['municipality'].name}",
            )
        out.append(checked)
    return out


def sites_import(
    *,
    actor: User | None,
    content: bytes,
    file_name: str = "sites.csv",
    is_demo: bool = False,
) -> SiteImportReport:
    """Import the sites of a CSV file (module docstring). Raises DataLoadError with
    every problem, and writes nothing, when there is one."""
    require(rules.can_propose_sites(actor))
    name = Path(file_name or "sites.csv").name[:255] or "sites.csv"
    c = Collector()
    if len(content) > MAX_IMPORT_BYTES:
        c.add(Problem(name, f"is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB"))
        c.raise_if_any()
    parsed = _parse(_read_csv(content, name, c), actor, c)
    if not parsed and not c.problems:
        c.add(Problem(name, "holds no sites"))
    c.raise_if_any()
    report = SiteImportReport(file=name, rows=len(parsed))
    with transaction.atomic():
        for values in parsed:
            existing = (
                CentreSite.objects.select_for_update()
                .filter(municipality=values["municipality"], name=values["name"])
                .first()
            )
            if existing is None:
                CentreSite.objects.create(is_demo=is_demo, created_by=actor, **values)
                report.created += 1
                continue
            if not rules.can_change_site(actor, existing):
                raise DataLoadError(
                    [
                        Problem(
                            name,
                            f"the site {existing.name} exists and you may not "
                            "change it",
                            field="name",
                        )
                    ]
                )
            changed = [n for n, v in values.items() if getattr(existing, n) != v]
            if changed:
                for field_name in changed:
                    setattr(existing, field_name, values[field_name])
                existing.save(update_fields=[*changed, "updated_at"])
                report.updated += 1
            else:
                report.unchanged += 1
    return report


# Bulky-waste figures ------------------------------------------------------------


def figure_set(
    *,
    actor: User | None,
    municipality: Municipality | None,
    year: int,
    source_kind: str,
    source: str,
    kg_per_inhabitant: float | None = None,
    tonnes: float | None = None,
    is_demo: bool = False,
) -> BulkyWasteFigure:
    """Set the bulky waste of a municipality in a year (``municipality`` None: the
    province-wide default, in kg per inhabitant). Replaces the stored figure."""
    require(rules.can_manage_figures(actor))
    errors: dict[str, str] = {}
    if (kg_per_inhabitant is None) == (tonnes is None):
        errors["kg_per_inhabitant"] = _(
            "Give either kg per inhabitant or tonnes, not both."
        )
    for field_name, value in (
        ("kg_per_inhabitant", kg_per_inhabitant),
        ("tonnes", tonnes),
    ):
        if value is not None and (not _is_number(value) or value < 0):
            errors[field_name] = _("Enter a number of at least 0.")
    if municipality is None and tonnes is not None:
        errors["tonnes"] = _("The province-wide default is given in kg per inhabitant.")
    if source_kind not in FigureSource.values:
        errors["source_kind"] = _("Choose one of: %(codes)s.") % {
            "codes": ", ".join(FigureSource.values)
        }
    if not (source or "").strip():
        errors["source"] = _("Give the source of the figure.")
    if errors:
        raise ValidationError(errors)
    figure = BulkyWasteFigure.objects.filter(
        municipality=municipality, year=year
    ).first() or BulkyWasteFigure(municipality=municipality, year=year)
    figure.kg_per_inhabitant = kg_per_inhabitant
    figure.tonnes = tonnes
    figure.source_kind = source_kind
    figure.source = source.strip()
    figure.is_demo = is_demo
    figure.full_clean(validate_constraints=False)
    figure.save()
    return figure
