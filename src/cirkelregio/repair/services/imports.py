# SPDX-License-Identifier: EUPL-1.2
"""Import repair places from a CSV file or an OpenStreetMap GeoJSON export.

All or nothing: the whole file is read and checked first, every problem named by
file, line (CSV) or feature (GeoJSON) and field, and nothing is written when there is
one. Opening hours that cannot be read are not a problem: they are kept as text,
flagged on the place and listed as a warning in the report.

**Re-import key.** A place is found again on the next import by its import key:

- a GeoJSON feature with an OpenStreetMap id (``@id`` or ``id`` of the properties, or
  the feature's ``id``, e.g. ``node/123``): ``osm:node/123``, whatever the source;
- a feature with another id: ``<source>|id:<id>``;
- otherwise (every CSV row): ``<source>|<name>|<postcode>``, the name in lower case
  with single spaces, the postcode without its space (``3511AB``, or ``3511``).

A record whose key is already stored updates that place (only what differs is saved,
so importing the same file twice changes nothing); a new key creates a place. A CSV
row whose name or postcode changed is therefore a new place: use the same source
name every time, and remove the old place by hand. Places missing from the file are
left alone. An import never changes a place's owner (unless the file names one),
internal notes or publication.

**CSV** (UTF-8, header line): ``name,kind,street,postcode,city,lat,lon,categories,
opening_hours,website,email,phone``; ``categories`` separated by ``;``. Optional
columns: ``repairs_nl``, ``repairs_en``, ``not_repaired_nl``, ``not_repaired_en``,
``last_verified`` (YYYY-MM-DD) and ``owner`` (an organisation's slug).

**GeoJSON** (a FeatureCollection with OpenStreetMap tags as properties, flat as
overpass-turbo exports them or under ``tags``): see ``_osm_kind`` and
``_osm_categories`` for how the tags map to a kind and categories; ``addr:*`` gives
the address, ``website``/``email``/``phone`` or their ``contact:*`` forms the contact,
``opening_hours`` the hours and ``check_date`` the date last verified. A ``kind`` or
``categories`` property, when present, is used as in the CSV file. A feature without
a Point is placed at the centroid of its geometry, or at its postcode area's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction

from shapely.errors import ShapelyError
from shapely.geometry import shape

from cirkelregio.accounts.models import User
from cirkelregio.engine.dataio import (
    Collector,
    DataLoadError,
    FieldError,
    Problem,
    Row,
    choice,
    date,
    number,
    read_csv,
    read_json,
    text,
)
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.repair import hours, rules, search
from cirkelregio.repair.models import (
    CATEGORIES,
    CATEGORY_CODES,
    PlaceKind,
    RepairCategory,
    RepairPlace,
)
from cirkelregio.repair.services._common import full_clean, require
from cirkelregio.repair.services.location import (
    LocationError,
    Locator,
    normalise_postcode,
)

CSV_COLUMNS = (
    "name",
    "kind",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "categories",
    "opening_hours",
    "website",
    "email",
    "phone",
)
TEXT_COLUMNS = ("repairs_nl", "repairs_en", "not_repaired_nl", "not_repaired_en")
OSM_SOURCE = "OpenStreetMap"
OSM_ID = re.compile(r"^(node|way|relation)/([0-9]+)$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{4,38}$")

# Fields an import sets on every place it reads. The optional ones (the CSV's
# optional columns) are set only when the file has them.
IMPORTED_FIELDS = (
    "name",
    "kind",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "coordinates_derived",
    "municipality",
    "opening_hours",
    "opening_hours_unparsable",
    "website",
    "email",
    "phone",
    "source",
)


@dataclass
class PlaceImportReport:
    file: str
    source: str
    places: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.file} (source {self.source}): {self.places} repair places, "
            f"{self.created} created, {self.updated} updated, {self.unchanged} "
            f"unchanged; {len(self.warnings)} warnings."
        )


@dataclass
class _Record:
    key: str
    where: str
    values: dict[str, Any]
    categories: list[str]


# Parsers -----------------------------------------------------------------------------


def _postcode(raw: Any) -> str:
    try:
        return normalise_postcode(str(raw))
    except ValueError:
        raise FieldError(
            "must be a Dutch postcode: 1234 AB, or the four digits 1234"
        ) from None


def _categories(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else str(raw).split(";")
    codes = [str(c).strip() for c in items if str(c).strip()]
    unknown = [c for c in codes if c not in CATEGORY_CODES]
    if unknown:
        raise FieldError(
            f"unknown category {', '.join(unknown)}; known: {', '.join(CATEGORY_CODES)}"
        )
    return list(dict.fromkeys(codes))


def _validated(
    validator: Callable[[str], None], message: str, max_length: int
) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        value = str(raw).split(";")[0].strip()
        if len(value) > max_length:
            raise FieldError(f"must be at most {max_length} characters")
        try:
            validator(value)
        except ValidationError:
            raise FieldError(message) from None
        return value

    return parse


_website = _validated(
    URLValidator(schemes=["http", "https"]),
    "must be a web address starting with http:// or https://",
    500,
)
_email = _validated(EmailValidator(), "must be an e-mail address", 254)


def _phone(raw: Any) -> str:
    value = str(raw).split(";")[0].strip()
    if not PHONE.match(value):
        raise FieldError("must be a phone number (digits, spaces, + ( ) - . /)")
    return value


_LAT = number(-90, 90)
_LON = number(-180, 180)


def _normalised_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def place_key(source: str, name: str, postcode: str) -> str:
    """The import key of a record without an id (module docstring)."""
    return f"{source}|{_normalised_name(name)}|{postcode.replace(' ', '')}"


# Common checks -----------------------------------------------------------------------


class _Reader:
    def __init__(self, path: Path, source: str, collector: Collector) -> None:
        self.path = path
        self.source = source
        self.c = collector
        self.locator = Locator()
        self.owners = {o.slug: o for o in region_selectors.organisation_list()}
        self.warnings: list[Problem] = []
        self.records: list[_Record] = []
        self._seen: dict[str, str] = {}

    def owner(self, row: Row) -> Any:
        slug = row.get("owner", text(120), required=False)
        if slug is None:
            return None
        if slug not in self.owners:
            row.problem("owner", f"unknown organisation {slug!r}")
        return self.owners.get(slug)

    def hours(self, row: Row, name: str) -> tuple[str, bool]:
        value = row.get(name, text(500), required=False) or ""
        problem = hours.parse_problem(value)
        if problem is not None:
            self.warnings.append(
                Problem(
                    row.file,
                    f"{problem}; kept as text and flagged",
                    row.line,
                    row.record,
                    name,
                )
            )
        return value.strip(), problem is not None

    def locate(
        self,
        row: Row,
        *,
        lat: float | None,
        lon: float | None,
        postcode: str | None,
        point_fields: tuple[str, str],
        postcode_field: str,
    ) -> dict[str, Any] | None:
        if postcode is None and row.data.get(postcode_field, "") not in ("", None):
            return None  # the postcode itself is wrong; already reported
        try:
            location = self.locator.locate(lat=lat, lon=lon, postcode=postcode or "")
        except LocationError as exc:
            names = {
                "lat": point_fields[0],
                "lon": point_fields[1],
                "postcode": postcode_field,
            }
            message = exc.message % exc.params if exc.params else exc.message
            row.problem(names.get(exc.field, exc.field), message)
            return None
        return {
            "lat": location.lat,
            "lon": location.lon,
            "coordinates_derived": location.derived,
            "municipality": location.municipality,
        }

    def add(self, row: Row, key: str, values: dict[str, Any], cats: list[str]) -> None:
        where = f"line {row.line}" if row.line is not None else str(row.record)
        if key in self._seen:
            row.problem(
                None, f"the same place as {self._seen[key]} (import key {key!r})"
            )
            return
        self._seen[key] = where
        self.records.append(_Record(key, where, values, cats))


# CSV ---------------------------------------------------------------------------------


def _read_csv(reader: _Reader) -> None:
    c = reader.c
    for row in read_csv(reader.path, CSV_COLUMNS, c):
        problems = len(c.problems)
        name = row.get("name", text(200))
        kind = row.get("kind", choice(PlaceKind.values))
        postcode = row.get("postcode", _postcode, required=False)
        lat = row.get("lat", _LAT, required=False)
        lon = row.get("lon", _LON, required=False)
        cats = row.get("categories", _categories, required=False) or []
        opening_hours, unparsable = reader.hours(row, "opening_hours")
        values: dict[str, Any] = {
            "name": name,
            "kind": kind,
            "street": row.get("street", text(200), required=False) or "",
            "postcode": postcode or "",
            "city": row.get("city", text(100), required=False) or "",
            "opening_hours": opening_hours,
            "opening_hours_unparsable": unparsable,
            "website": row.get("website", _website, required=False) or "",
            "email": row.get("email", _email, required=False) or "",
            "phone": row.get("phone", _phone, required=False) or "",
            "source": reader.source,
        }
        for column in TEXT_COLUMNS:
            if column in row.data:
                values[column] = row.get(column, text(), required=False) or ""
        if "last_verified" in row.data:
            values["last_verified"] = row.get("last_verified", date, required=False)
        if "owner" in row.data:
            values["owner"] = reader.owner(row)
        bad_point = any(
            (row.data.get(n) or "").strip() and v is None
            for n, v in (("lat", lat), ("lon", lon))
        )
        if not bad_point:
            located = reader.locate(
                row,
                lat=lat,
                lon=lon,
                postcode=postcode,
                point_fields=("lat", "lon"),
                postcode_field="postcode",
            )
            if located:
                values.update(located)
        if len(c.problems) == problems and name:
            reader.add(
                row, place_key(reader.source, name, postcode or ""), values, cats
            )
    if not c.problems and not reader.records:
        c.add(Problem(reader.path.name, "holds no repair places"))


# GeoJSON -----------------------------------------------------------------------------

# service:<item>:repair and <item>:repair items -> category.
OSM_ITEMS = {
    "bicycle": "bicycle",
    "electronics": "electronics",
    "small_electronics": "electronics",
    "computer": "computer",
    "mobile_phone": "phone",
    "phone": "phone",
    "tablet": "phone",
    "appliance": "household_appliances",
    "appliances": "household_appliances",
    "household_appliances": "household_appliances",
    "clothes": "clothing",
    "clothing": "clothing",
    "textiles": "clothing",
    "shoes": "shoes",
    "furniture": "furniture",
    "toys": "toys",
    "toy": "toys",
    "jewellery": "jewellery_watches",
    "jewelry": "jewellery_watches",
    "watch": "jewellery_watches",
    "watches": "jewellery_watches",
    "clock": "jewellery_watches",
    "tools": "tools",
    "power_tools": "tools",
}
_SERVICE_REPAIR = re.compile(r"^(?:service:)?([a-z_]+):repair$")
# Crafts that repair but have no kind of their own.
REPAIR_CRAFTS = {
    "watchmaker",
    "clockmaker",
    "upholsterer",
    "jeweller",
    "goldsmith",
    "key_cutter",
    "bookbinder",
    "sewing",
}
KIND_CATEGORY = {
    PlaceKind.BICYCLE_REPAIR: "bicycle",
    PlaceKind.SHOEMAKER: "shoes",
    PlaceKind.TAILOR: "clothing",
    PlaceKind.ELECTRONICS_REPAIR: "electronics",
}


def _yes(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() not in ("", "no")


def _osm_categories(tags: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Categories from ``service:<item>:repair`` and ``<item>:repair`` tags whose
    value is not ``no``; items without a category count as ``other`` and are
    returned second, for a warning."""
    found: list[str] = []
    unknown: list[str] = []
    for key, value in tags.items():
        match = _SERVICE_REPAIR.match(str(key))
        if not match or not _yes(value):
            continue
        item = match.group(1)
        if item in OSM_ITEMS:
            found.append(OSM_ITEMS[item])
        else:
            found.append("other")
            unknown.append(item)
    return list(dict.fromkeys(found)), unknown


def _osm_kind(tags: dict[str, Any], categories: list[str]) -> str | None:
    """The kind of place its tags describe, or None when they do not describe a
    repair place:

    - ``repair=assisted_self_service``: repair_cafe;
    - ``craft=shoemaker`` or ``shop=shoe_repair``: shoemaker;
    - ``craft=tailor``/``dressmaker`` or ``shop=tailor``: tailor;
    - ``craft=electronics_repair`` or ``shop=electronics_repair``, or a
      phone, computer or electronics shop with ``service:*:repair``:
      electronics_repair;
    - ``service:bicycle:repair`` (any shop, ``shop=bicycle`` in particular):
      bicycle_repair;
    - any other ``repair=*`` (not no), a repairing craft (watchmaker, upholsterer,
      ...) or other ``service:*:repair``: repair_business.
    """
    repair = str(tags.get("repair", "")).strip().lower()
    craft = str(tags.get("craft", "")).strip().lower()
    shop = str(tags.get("shop", "")).strip().lower()
    if repair == "assisted_self_service":
        return PlaceKind.REPAIR_CAFE
    if craft == "shoemaker" or shop == "shoe_repair":
        return PlaceKind.SHOEMAKER
    if craft in ("tailor", "dressmaker") or shop == "tailor":
        return PlaceKind.TAILOR
    if craft == "electronics_repair" or shop == "electronics_repair":
        return PlaceKind.ELECTRONICS_REPAIR
    if _yes(tags.get("service:bicycle:repair")):
        return PlaceKind.BICYCLE_REPAIR
    if categories and shop in ("mobile_phone", "computer", "electronics"):
        return PlaceKind.ELECTRONICS_REPAIR
    if (repair and repair != "no") or craft in REPAIR_CRAFTS or categories:
        return PlaceKind.REPAIR_BUSINESS
    return None


def _tag(tags: dict[str, Any], *names: str) -> tuple[str, Any]:
    """The first of ``names`` with a value: (name, value); else (names[0], None)."""
    for name in names:
        value = tags.get(name)
        if value not in (None, ""):
            return name, value
    return names[0], None


def _feature_point(
    row: Row, feature: dict[str, Any]
) -> tuple[float | None, float | None, bool]:
    """(lat, lon, ok) of the feature's geometry: a Point's coordinates or another
    geometry's centroid; (None, None, True) without a geometry."""
    geometry = feature.get("geometry")
    if geometry is None:
        return None, None, True
    if not isinstance(geometry, dict):
        row.problem("geometry", "must be a GeoJSON geometry")
        return None, None, False
    if geometry.get("type") == "Point":
        coords = geometry.get("coordinates")
        if (
            isinstance(coords, list)
            and len(coords) in (2, 3)
            and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in coords
            )
        ):
            lon, lat = float(coords[0]), float(coords[1])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                row.problem(
                    "geometry",
                    "coordinates outside longitude -180..180 / latitude -90..90 "
                    "(GeoJSON order is longitude, latitude)",
                )
                return None, None, False
            return lat, lon, True
        row.problem("geometry", "a Point needs [longitude, latitude]")
        return None, None, False
    try:
        centre = shape(geometry).centroid
    except (ShapelyError, ValueError, TypeError, AttributeError, IndexError, KeyError):
        row.problem("geometry", "is not a valid GeoJSON geometry")
        return None, None, False
    if centre.is_empty:
        row.problem("geometry", "is empty")
        return None, None, False
    return float(centre.y), float(centre.x), True


def _read_geojson(reader: _Reader) -> None:
    c = reader.c
    data = read_json(reader.path, c)
    if data is None:
        return
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        c.add(Problem(reader.path.name, "must be a GeoJSON FeatureCollection"))
        return
    if not isinstance(features, list) or not features:
        c.add(Problem(reader.path.name, "holds no features"))
        return
    for index, feature in enumerate(features):
        record = f"features[{index}]"
        if not isinstance(feature, dict):
            c.add(Problem(reader.path.name, "must be a GeoJSON Feature", None, record))
            continue
        properties = feature.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        nested = properties.get("tags")
        tags = dict(nested) if isinstance(nested, dict) else dict(properties)
        for extra in ("kind", "categories"):
            if extra in properties and extra not in tags:
                tags[extra] = properties[extra]
        row = Row(reader.path.name, tags, c, record=record)
        problems = len(c.problems)

        name = row.get("name", text(200))
        osm_categories, unknown_items = _osm_categories(tags)
        given = row.get("categories", _categories, required=False)
        if "kind" in tags:
            kind = row.get("kind", choice(PlaceKind.values))
        else:
            kind = _osm_kind(tags, osm_categories)
            if kind is None:
                row.problem(
                    None,
                    "the tags do not say what kind of repair place this is (repair, "
                    "craft, shop with service:*:repair); give a kind property",
                )
        for item in unknown_items:
            reader.warnings.append(
                Problem(
                    reader.path.name,
                    f"no category for repair item {item!r}; counted as other",
                    None,
                    record,
                    f"service:{item}:repair",
                )
            )
        categories = list(dict.fromkeys((given or []) + osm_categories))
        if kind in KIND_CATEGORY and KIND_CATEGORY[kind] not in categories:
            categories.insert(0, KIND_CATEGORY[kind])

        postcode_field, _raw = _tag(tags, "addr:postcode")
        postcode = row.get(postcode_field, _postcode, required=False)
        street_name = row.get("addr:street", text(150), required=False) or ""
        number_ = row.get("addr:housenumber", text(40), required=False) or ""
        city_field, _raw = _tag(tags, "addr:city", "addr:place")
        website_field, _raw = _tag(tags, "website", "contact:website", "url")
        email_field, _raw = _tag(tags, "email", "contact:email")
        phone_field, _raw = _tag(tags, "phone", "contact:phone", "contact:mobile")
        opening_hours, unparsable = reader.hours(row, "opening_hours")
        values: dict[str, Any] = {
            "name": name,
            "kind": kind,
            "street": f"{street_name} {number_}".strip(),
            "postcode": postcode or "",
            "city": row.get(city_field, text(100), required=False) or "",
            "opening_hours": opening_hours,
            "opening_hours_unparsable": unparsable,
            "website": row.get(website_field, _website, required=False) or "",
            "email": row.get(email_field, _email, required=False) or "",
            "phone": row.get(phone_field, _phone, required=False) or "",
            "source": reader.source,
        }
        if "check_date" in tags:
            values["last_verified"] = row.get("check_date", date, required=False)

        lat, lon, point_ok = _feature_point(row, feature)
        if point_ok:
            located = reader.locate(
                row,
                lat=lat,
                lon=lon,
                postcode=postcode,
                point_fields=("geometry", "geometry"),
                postcode_field=postcode_field,
            )
            if located:
                values.update(located)

        osm_id = next(
            (
                v
                for v in (
                    properties.get("@id"),
                    properties.get("id"),
                    feature.get("id"),
                )
                if v not in (None, "")
            ),
            None,
        )
        if osm_id is not None and OSM_ID.match(str(osm_id)):
            key = f"osm:{osm_id}"
        elif osm_id is not None:
            key = f"{reader.source}|id:{osm_id}"
        else:
            key = place_key(reader.source, name or "", postcode or "")
        if len(c.problems) == problems:
            reader.add(row, key, values, categories)


# Writing -----------------------------------------------------------------------------


def _write(
    records: Iterable[_Record], report: PlaceImportReport, *, demo: bool, file: str
) -> None:
    records = list(records)
    existing = {
        p.import_key: p
        for p in RepairPlace.objects.filter(import_key__in=[r.key for r in records])
        .select_related("municipality", "owner")
        .prefetch_related("categories")
    }
    categories = {c.code: c for c in RepairCategory.objects.all()}
    if any(code not in categories for code in CATEGORY_CODES):
        # The standard categories are reference data from a data migration; put back
        # any that went missing (a flushed test database, a deleted row) rather than
        # refuse every place of that category.
        for order, (code, name_nl, name_en) in enumerate(CATEGORIES, start=1):
            categories.setdefault(
                code,
                RepairCategory.objects.get_or_create(
                    code=code,
                    defaults={"name_nl": name_nl, "name_en": name_en, "order": order},
                )[0],
            )
    problems: list[Problem] = []
    written: RepairPlace | None = None
    for record in records:
        place = existing.get(record.key)
        created = place is None
        if place is None:
            place = RepairPlace(import_key=record.key, is_demo=demo)
            changed = list(record.values)
        else:
            changed = [n for n, v in record.values.items() if getattr(place, n) != v]
            if demo and not place.is_demo:
                place.is_demo = True
                changed.append("is_demo")
        for name in changed:
            if name != "is_demo":
                setattr(place, name, record.values[name])
        wanted = [categories[code] for code in record.categories]
        same_categories = not created and {c.pk for c in wanted} == {
            c.pk for c in place.categories.all()
        }
        if not changed and same_categories:
            report.unchanged += 1
            continue
        if changed:
            try:
                full_clean(place)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    problems += [
                        Problem(file, f"{record.where}: {m}", None, None, name)
                        for m in messages
                    ]
                continue
            place.save()
        if not same_categories:
            place.categories.set(wanted)
            if not changed:
                search.touch(place)  # changed, though not saved: mark it
        written = place
        if created:
            report.created += 1
        else:
            report.updated += 1
    if problems:
        raise DataLoadError(problems)
    if written is not None:
        search.touch_on_commit(written)


def _import(
    path: Path, *, source: str | None, demo: bool, actor: User | None
) -> PlaceImportReport:
    require(rules.can_import_places(actor))
    path = Path(path)
    c = Collector()
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".geojson", ".json"):
        c.add(Problem(path.name, "must be a .csv, .geojson or .json file"))
        c.raise_if_any()
    if source is None:
        source = path.name if suffix == ".csv" else OSM_SOURCE
    source = source.strip()
    if not source or len(source) > 80 or "|" in source:
        c.add(Problem(path.name, "the source must be 1 to 80 characters, without |"))
        c.raise_if_any()
    reader = _Reader(path, source, c)
    if suffix == ".csv":
        _read_csv(reader)
    else:
        _read_geojson(reader)
    c.raise_if_any()
    report = PlaceImportReport(file=path.name, source=source, warnings=reader.warnings)
    report.places = len(reader.records)
    with transaction.atomic():
        _write(reader.records, report, demo=demo, file=path.name)
    return report


def import_places(
    path: Path, *, source: str | None = None, actor: User | None = None
) -> PlaceImportReport:
    """Import repair places from ``path`` (.csv, or .geojson/.json with
    OpenStreetMap tags). ``source`` names where the data comes from and is part of
    the import key of records without an id: by default the file name for CSV and
    ``OpenStreetMap`` for GeoJSON. Raises DataLoadError, writing nothing, when the
    file has any problem; unreadable opening hours are warnings in the report."""
    return _import(path, source=source, demo=False, actor=actor)
