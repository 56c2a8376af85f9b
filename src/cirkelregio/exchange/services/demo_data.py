# SPDX-License-Identifier: EUPL-1.2
"""Load the exchange demo data (``data/demo/<region>/exchange/``): the material
catalogue, depots and supply and demand listings of the municipalities.

Every price in the catalogue says where it comes from; demo numbers say "demo
estimate, not a market price". All records are marked ``is_demo``. All or nothing:
the three files are checked first (against the region's reference data) and nothing
is written when there is a problem. Idempotent: records are found again by material
code, by owner and depot name, and by owner and listing reference; loading again
changes nothing that is already as the files say (reservations are kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cirkelregio.engine.dataio import (
    Collector,
    Row,
    boolean,
    choice,
    date,
    number,
    pattern,
    read_csv,
    text,
)
from cirkelregio.engine.mki import BUILTIN_SETS
from cirkelregio.exchange.models import (
    NL_BBOX,
    Depot,
    Listing,
    ListingKind,
    MaterialClass,
    Quality,
)
from cirkelregio.exchange.services._common import full_clean
from cirkelregio.exchange.services.records import material_check_new_mki
from cirkelregio.mki import selectors as mki_selectors
from cirkelregio.mki.models import Profile
from cirkelregio.regions.models import Municipality, Organisation

MATERIAL_COLUMNS = (
    "code",
    "name_nl",
    "name_en",
    "unit",
    "tonnes_per_unit",
    "new_cost_eur",
    "new_cost_source",
    "new_mki_eur",
    "new_mki_source",
    "disposal_cost_eur",
    "disposal_cost_source",
)
# Optional: the MKI profile of the new product (a profile of a published library,
# such as the MKI demo library), with the conversion and the weighting set.
MATERIAL_MKI_COLUMNS = (
    "new_mki_library",
    "new_mki_profile",
    "new_mki_conversion",
    "new_mki_method",
)
DEPOT_COLUMNS = (
    "owner",
    "name",
    "lat",
    "lon",
    "municipality",
    "capacity_tonnes",
    "storage_eur_per_tonne_week",
    "handling_eur_per_tonne",
    "is_active",
    "notes",
)
LISTING_COLUMNS = (
    "reference",
    "kind",
    "owner",
    "project_name",
    "material",
    "quantity",
    "quality",
    "lat",
    "lon",
    "municipality",
    "window_from",
    "window_until",
    "notes",
)


@dataclass
class ExchangeDemoReport:
    materials: int = 0
    depots: int = 0
    supplies: int = 0
    demands: int = 0
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return (
            f"Exchange demo data: {self.materials} material classes, {self.depots} "
            f"depots, {self.supplies} supply and {self.demands} demand listings "
            f"({self.created} created, {self.updated} updated)."
        )


_CODE = pattern(r"[a-z0-9][a-z0-9-]*", "a code of lower-case letters, digits, -")
_LAT = number(-90, 90)
_LON = number(-180, 180)


def _in_nl(row: Row, lat: float | None, lon: float | None) -> None:
    south, west, north, east = NL_BBOX
    if (lat is not None and lon is not None) and not (
        south <= lat <= north and west <= lon <= east
    ):
        row.problem("lat", "must lie in the Netherlands")


def _profiles(path: Path) -> dict[tuple[str, str], Profile]:
    """The published profiles of the libraries materials.csv names, by (library
    name, profile code)."""
    names: set[str] = set()
    c = Collector()
    for row in read_csv(path, (), c):
        name = (row.data.get("new_mki_library") or "").strip()
        if name:
            names.add(name)
    if not names:
        return {}
    return {
        (p.library.name, p.profile_id): p
        for p in mki_selectors.profile_list().filter(library__name__in=names)
    }


def _read_mki_link(
    row: Row, values: dict[str, Any], profiles: dict[tuple[str, str], Profile]
) -> None:
    library = row.get("new_mki_library", text(200), required=False)
    code = row.get("new_mki_profile", text(100), required=False)
    conversion = row.get("new_mki_conversion", number(0), required=False)
    method = row.get("new_mki_method", choice(BUILTIN_SETS), required=False)
    if bool(library) != bool(code):
        row.problem("new_mki_profile", "give both new_mki_library and new_mki_profile")
        return
    profile = None
    if library and code:
        profile = profiles.get((library, code))
        if profile is None:
            row.problem(
                "new_mki_profile",
                f"unknown profile {code} in the published library {library!r} "
                "(load the MKI demo data first)",
            )
            return
    values["new_mki_profile"] = profile
    values["new_mki_conversion"] = conversion
    values["new_mki_method"] = method or "nmd-a2"
    numbers = ("tonnes_per_unit", "new_mki_eur")
    if profile is None or any(values[n] is None for n in numbers) or not values["unit"]:
        return
    try:
        material_check_new_mki(MaterialClass(**values))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                row.problem(name, message)


def _read_materials(path: Path, c: Collector) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    profiles = _profiles(path)
    for row in read_csv(path, MATERIAL_COLUMNS, c):
        code = row.get("code", _CODE)
        if code in seen:
            row.problem("code", f"duplicate code {code}")
        seen.add(code or "")
        values = {
            "code": code,
            "name_nl": row.get("name_nl", text(200)),
            "name_en": row.get("name_en", text(200), required=False) or "",
            "unit": row.get("unit", text(20)),
            "tonnes_per_unit": row.get("tonnes_per_unit", number(0)),
            "new_cost_eur": row.get("new_cost_eur", number(0)),
            "new_cost_source": row.get("new_cost_source", text()),
            "new_mki_eur": row.get("new_mki_eur", number(0)),
            "new_mki_source": row.get("new_mki_source", text()),
            "disposal_cost_eur": row.get("disposal_cost_eur", number()),
            "disposal_cost_source": row.get("disposal_cost_source", text()),
        }
        if values["tonnes_per_unit"] == 0:
            row.problem("tonnes_per_unit", "must be more than 0")
        _read_mki_link(row, values, profiles)
        out.append(values)
    return out


def _read_depots(
    path: Path,
    orgs: dict[str, int],
    municipalities: dict[str, int],
    c: Collector,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for row in read_csv(path, DEPOT_COLUMNS, c):
        owner = row.get("owner", text(120))
        if owner and owner not in orgs:
            row.problem("owner", f"unknown organisation {owner}")
        name = row.get("name", text(200))
        if (owner or "", name or "") in seen:
            row.problem("name", f"duplicate depot {name}")
        seen.add((owner or "", name or ""))
        cbs = row.get("municipality", text(6), required=False)
        if cbs and cbs not in municipalities:
            row.problem("municipality", f"unknown CBS code {cbs}")
        lat, lon = row.get("lat", _LAT), row.get("lon", _LON)
        _in_nl(row, lat, lon)
        out.append(
            {
                "owner_id": orgs.get(owner or ""),
                "name": name,
                "lat": lat,
                "lon": lon,
                "municipality_id": municipalities.get(cbs or ""),
                "capacity_tonnes": row.get("capacity_tonnes", number(0)),
                "storage_eur_per_tonne_week": row.get(
                    "storage_eur_per_tonne_week", number(0)
                ),
                "handling_eur_per_tonne": row.get("handling_eur_per_tonne", number(0)),
                "is_active": row.get("is_active", boolean),
                "notes": row.get("notes", text(), required=False) or "",
            }
        )
    return out


def _read_listings(
    path: Path,
    orgs: dict[str, int],
    municipalities: dict[str, int],
    materials: set[str],
    c: Collector,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for row in read_csv(path, LISTING_COLUMNS, c):
        reference = row.get("reference", text(100))
        owner = row.get("owner", text(120))
        if owner and owner not in orgs:
            row.problem("owner", f"unknown organisation {owner}")
        if (owner or "", reference or "") in seen:
            row.problem("reference", f"duplicate reference {reference}")
        seen.add((owner or "", reference or ""))
        material = row.get("material", text(60))
        if material and material not in materials:
            row.problem("material", f"unknown material {material!r}")
        cbs = row.get("municipality", text(6), required=False)
        if cbs and cbs not in municipalities:
            row.problem("municipality", f"unknown CBS code {cbs}")
        quantity = row.get("quantity", number(0))
        if quantity == 0:
            row.problem("quantity", "must be more than 0")
        lat, lon = row.get("lat", _LAT), row.get("lon", _LON)
        _in_nl(row, lat, lon)
        start = row.get("window_from", date)
        until = row.get("window_until", date)
        if start and until and until < start:
            row.problem("window_until", f"lies before window_from ({start})")
        out.append(
            {
                "reference": reference,
                "kind": row.get("kind", choice(ListingKind.values)),
                "owner_id": orgs.get(owner or ""),
                "project_name": row.get("project_name", text(200)),
                "material": material,
                "quantity": quantity,
                "quality": row.get("quality", choice(Quality.values)),
                "lat": lat,
                "lon": lon,
                "municipality_id": municipalities.get(cbs or ""),
                "window_from": start,
                "window_until": until,
                "notes": row.get("notes", text(), required=False) or "",
            }
        )
    return out


def _upsert(
    model: Any, key: dict[str, Any], values: dict[str, Any], report: ExchangeDemoReport
) -> Any:
    instance = model.objects.filter(**key).first()
    if instance is None:
        instance = model(**key, **values, is_demo=True)
        report.created += 1
    else:
        changed = [n for n, v in values.items() if getattr(instance, n) != v]
        if not changed and instance.is_demo:
            return instance
        for name in changed:
            setattr(instance, name, values[name])
        instance.is_demo = True
        report.updated += 1
    try:
        full_clean(instance)
    except ValidationError as exc:  # the files were checked; this is a safety net
        raise ValidationError(f"{model.__name__} {key}: {exc.messages}") from exc
    instance.save()
    return instance


def exchange_demo_load(*, directory: Path) -> ExchangeDemoReport:
    """Check the three files, then write them in one transaction."""
    c = Collector()
    orgs = dict(Organisation.objects.values_list("slug", "pk"))
    municipalities = dict(Municipality.objects.values_list("cbs_code", "pk"))
    materials = _read_materials(directory / "materials.csv", c)
    codes = {m["code"] for m in materials if m["code"]}
    depots = _read_depots(directory / "depots.csv", orgs, municipalities, c)
    listings = _read_listings(
        directory / "listings.csv", orgs, municipalities, codes, c
    )
    c.raise_if_any()

    report = ExchangeDemoReport()
    with transaction.atomic():
        material_pk = {}
        for values in materials:
            code = values.pop("code")
            material_pk[code] = _upsert(
                MaterialClass, {"code": code}, values, report
            ).pk
            report.materials += 1
        for values in depots:
            key = {"owner_id": values.pop("owner_id"), "name": values.pop("name")}
            _upsert(Depot, key, values, report)
            report.depots += 1
        for values in listings:
            key = {
                "owner_id": values.pop("owner_id"),
                "reference": values.pop("reference"),
            }
            values["material_id"] = material_pk[values.pop("material")]
            _upsert(Listing, key, values, report)
            if values["kind"] == ListingKind.SUPPLY:
                report.supplies += 1
            else:
                report.demands += 1
    return report
