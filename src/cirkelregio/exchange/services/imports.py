# SPDX-License-Identifier: EUPL-1.2
"""Import supply and demand listings from a CSV or XLSX file, all or nothing.

A municipality that releases paving materials from several projects, or needs them,
lists them in a spreadsheet rather than one by one. The whole file is read and
checked first; every problem is named by file, line (the sheet's row) and field, and
nothing is written when there is one. Importing again updates: a listing is found
again by its owner and ``reference``; a row that changes nothing is counted as
unchanged.

Columns (the first line or sheet row is the header; docs/exchange.md has the
details):

- ``reference`` (the owner's own, unique per owner), ``kind`` (``supply`` or
  ``demand``; Dutch ``aanbod`` or ``vraag``), ``project_name``, ``material`` (the
  code of a material class), ``quantity`` (more than 0, in the class's unit),
  ``window_from`` and ``window_until`` (YYYY-MM-DD);
- the location: ``lat`` and ``lon`` (WGS84), or ``postcode`` (a Dutch postcode; the
  centre of its four-digit area);
- optional: ``quality`` (A, B or C; default B), ``owner`` (an organisation's slug;
  else the import's owner), ``municipality`` (CBS code; else found from the
  location), ``country`` (default NL), ``notes``, ``is_published`` (default true).

An existing listing keeps its kind, its reservations (the quantity cannot drop below
what is reserved) and its photos; a closed listing is not changed by an import.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.core.services import require
from cirkelregio.core.uploads import safe_file_name
from cirkelregio.engine.dataio import (
    Collector,
    FieldError,
    Problem,
    Row,
    boolean,
    date,
    number,
    read_csv_bytes,
    text,
    xlsx_to_csv,
)
from cirkelregio.exchange import rules
from cirkelregio.exchange.models import (
    Listing,
    ListingKind,
    ListingStatus,
    MaterialClass,
    Quality,
)
from cirkelregio.exchange.services._common import full_clean, save
from cirkelregio.exchange.services.records import _check_listing
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.regions.models import Organisation

REQUIRED_COLUMNS = (
    "reference",
    "kind",
    "project_name",
    "material",
    "quantity",
    "window_from",
    "window_until",
)
OPTIONAL_COLUMNS = (
    "lat",
    "lon",
    "postcode",
    "quality",
    "owner",
    "municipality",
    "country",
    "notes",
    "is_published",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
KIND_WORDS = {
    "supply": ListingKind.SUPPLY,
    "aanbod": ListingKind.SUPPLY,
    "demand": ListingKind.DEMAND,
    "vraag": ListingKind.DEMAND,
}
#: The fields an import writes; compared to find unchanged rows.
WRITTEN = (
    "kind",
    "project_name",
    "material_id",
    "quantity",
    "quality",
    "lat",
    "lon",
    "country",
    "municipality_id",
    "window_from",
    "window_until",
    "notes",
    "is_published",
)
_POSTCODE = re.compile(r"([1-9][0-9]{3})\s*([A-Za-z]{2})?")

Progress = Callable[[float, str], None]


@dataclass
class ListingImportReport:
    file: str
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    supplies: int = 0
    demands: int = 0

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.records} listings ({self.supplies} supply, "
            f"{self.demands} demand): {self.created} new, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _kind(raw: Any) -> str:
    value = KIND_WORDS.get(str(raw).strip().lower())
    if value is None:
        raise FieldError("must be supply or demand (aanbod or vraag)")
    return str(value)


def _quality(raw: Any) -> str:
    value = str(raw).strip().upper()
    if value not in Quality.values:
        raise FieldError("must be A, B or C")
    return value


def _rows(content: bytes, name: str, c: Collector) -> list[Row]:
    lower = name.lower()
    if not lower.endswith((".csv", ".xlsx")):
        c.add(Problem(name, "must be a .csv or .xlsx file"))
        return []
    if lower.endswith(".xlsx"):
        converted = xlsx_to_csv(content, name, c)
        if converted is None:
            return []
        content = converted
    return list(read_csv_bytes(content, name, REQUIRED_COLUMNS, c))


class _Context:
    """What every row is checked against, read once."""

    def __init__(self, owner: Organisation | None, actor: User | None) -> None:
        from cirkelregio.roads.services.records import MunicipalityLocator

        self.owner = owner
        self.actor = actor
        self.owners = {o.slug: o for o in region_selectors.organisation_list()}
        self.materials = {m.code: m for m in MaterialClass.objects.all()}
        self.municipalities = {
            m.cbs_code: m for m in region_selectors.municipality_list()
        }
        self.locator = MunicipalityLocator()
        self.postcodes: dict[str, Any] = {}

    def postcode(self, code: str) -> Any:
        if code not in self.postcodes:
            self.postcodes[code] = region_selectors.postcode_get(code=code)
        return self.postcodes[code]


def _owner(row: Row, ctx: _Context) -> Organisation | None:
    slug = row.get("owner", text(120), required=ctx.owner is None)
    if not slug:
        return ctx.owner
    who = ctx.owners.get(slug)
    if who is None:
        row.problem("owner", f"unknown organisation {slug!r}")
        return None
    if ctx.owner is not None and who.pk != ctx.owner.pk:
        row.problem("owner", f"is not {ctx.owner.slug!r}, the owner of this import")
        return None
    if not rules.can_create_listing(ctx.actor, who):
        row.problem("owner", f"you may not enter listings of {who.name}")
        return None
    return who


def _location(row: Row, ctx: _Context) -> tuple[float, float] | None:
    has_lat = bool(str(row.data.get("lat") or "").strip())
    has_lon = bool(str(row.data.get("lon") or "").strip())
    raw_postcode = str(row.data.get("postcode") or "").strip()
    if has_lat or has_lon:
        lat = row.get("lat", number(-90, 90))
        lon = row.get("lon", number(-180, 180))
        if lat is None or lon is None:
            return None
        return lat, lon
    if not raw_postcode:
        row.problem("lat", "give lat and lon, or a postcode")
        return None
    match = _POSTCODE.fullmatch(raw_postcode)
    if match is None:
        row.problem("postcode", f"is not a Dutch postcode (got {raw_postcode!r})")
        return None
    area = ctx.postcode(match.group(1))
    if area is None:
        row.problem("postcode", f"area {match.group(1)} is not in the reference data")
        return None
    return float(area.lat), float(area.lon)


def _values(row: Row, ctx: _Context) -> dict[str, Any] | None:
    owner = _owner(row, ctx)
    reference = row.get("reference", text(100))
    kind = row.get("kind", _kind)
    project = row.get("project_name", text(200))
    code = row.get("material", text(60))
    material = None
    if code is not None:
        material = ctx.materials.get(code)
        if material is None:
            row.problem("material", f"unknown material class {code!r}")
    quantity = row.get("quantity", number())
    if quantity is not None and quantity <= 0:
        row.problem("quantity", f"must be more than 0 (got {quantity:g})")
    start = row.get("window_from", date)
    until = row.get("window_until", date)
    if start is not None and until is not None and until < start:
        row.problem("window_until", f"lies before window_from ({start})")
    location = _location(row, ctx)
    quality = row.get("quality", _quality, required=False) or Quality.B
    country = (row.get("country", text(2), required=False) or "NL").upper()
    cbs = row.get("municipality", text(6), required=False)
    municipality = None
    if cbs:
        municipality = ctx.municipalities.get(cbs)
        if municipality is None:
            row.problem("municipality", f"unknown CBS code {cbs!r}")
    elif location is not None and country == "NL":
        municipality = ctx.locator.at(*location)
    notes = row.get("notes", text(), required=False) or ""
    published = row.get("is_published", boolean, required=False)
    if (
        owner is None
        or reference is None
        or kind is None
        or project is None
        or material is None
        or quantity is None
        or quantity <= 0
        or start is None
        or until is None
        or location is None
    ):
        return None
    return {
        "owner": owner,
        "reference": reference,
        "kind": kind,
        "project_name": project,
        "material_id": material.pk,
        "quantity": quantity,
        "quality": quality,
        "lat": round(location[0], 7),
        "lon": round(location[1], 7),
        "country": country,
        "municipality_id": municipality.pk if municipality is not None else None,
        "window_from": start,
        "window_until": until,
        "notes": notes,
        "is_published": True if published is None else published,
    }


def _record_errors(row: Row, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            for message in messages:
                row.problem(None if name == "__all__" else name, message)
    else:
        for message in exc.messages:
            row.problem(None, message)


def import_listings(
    content: bytes,
    name: str,
    *,
    owner: Organisation | None = None,
    actor: User | None = None,
    demo: bool = False,
    progress: Progress | None = None,
) -> ListingImportReport:
    """Import or update the listings of the file ``name`` (module docstring), for
    ``owner`` (else each row's ``owner``). Raises DataLoadError naming every
    problem; nothing is written then."""
    name = safe_file_name(name, "listings.csv")
    report = ListingImportReport(name)
    step = progress or (lambda _percent, _message: None)
    require(rules.can_import_listings(actor, owner))
    c = Collector()
    rows = _rows(content, name, c)
    c.raise_if_any()
    step(5, _("Checking %(n)s rows") % {"n": len(rows)})
    ctx = _Context(owner, actor)
    values: list[tuple[Row, dict[str, Any]]] = []
    seen: dict[tuple[int, str], int | None] = {}
    for i, row in enumerate(rows):
        v = _values(row, ctx)
        if v is not None:
            key = (v["owner"].pk, v["reference"])
            if key in seen:
                row.problem(
                    "reference", f"{v['reference']!r} appears twice (line {seen[key]})"
                )
            seen[key] = row.line
            values.append((row, v))
        if i % 200 == 199:
            step(5 + 50 * (i + 1) / len(rows), _("Checking the rows"))
    if not rows and not c.problems:
        c.add(Problem(name, "holds no listings"))
    c.raise_if_any()
    # No progress inside the transaction: the job's row would stay locked to the
    # worker's heartbeat until the commit.
    step(60, _("Storing %(n)s listings") % {"n": len(values)})
    with transaction.atomic():
        _write(values, report, c, demo)
        if c.problems:
            transaction.set_rollback(True)
    c.raise_if_any()
    return report


def _write(
    values: list[tuple[Row, dict[str, Any]]],
    report: ListingImportReport,
    c: Collector,
    demo: bool,
) -> None:
    existing = {
        (listing.owner_id, listing.reference): listing
        for listing in Listing.objects.select_for_update().filter(
            owner__in=sorted({v["owner"].pk for _row, v in values}),
            reference__in=sorted({v["reference"] for _row, v in values}),
        )
    }
    report.records = len(values)
    for row, v in values:
        owner = v.pop("owner")
        listing = existing.get((owner.pk, v["reference"]))
        if v["kind"] == ListingKind.SUPPLY:
            report.supplies += 1
        else:
            report.demands += 1
        if listing is None:
            listing = Listing(owner=owner, is_demo=demo, **v)
            report.created += 1
        else:
            if listing.status == ListingStatus.CLOSED:
                row.problem(
                    "reference",
                    f"listing {v['reference']!r} is closed; an import does not "
                    "change it",
                )
                continue
            if listing.kind != v["kind"]:
                row.problem(
                    "kind",
                    f"listing {v['reference']!r} is a {listing.kind} listing; its "
                    "kind cannot change",
                )
                continue
            if all(getattr(listing, f) == v[f] for f in WRITTEN):
                report.unchanged += 1
                continue
            for field_name in WRITTEN:
                setattr(listing, field_name, v[field_name])
            report.updated += 1
        try:
            _check_listing(listing)
            full_clean(listing)
        except ValidationError as exc:
            _record_errors(row, exc)
            continue
        if not c.problems:
            save(listing)


def listing_import_template(today: dt.date | None = None) -> str:
    """A CSV file with the import's header and two example rows (a supply placed by
    its postcode, a demand by its coordinates), with the first material class of
    the catalogue and a window that starts next month."""
    first = MaterialClass.objects.order_by("code").values_list("code", flat=True)
    code = first.first() or "code-of-a-material-class"
    start = (
        (today or timezone.localdate()).replace(day=1) + dt.timedelta(days=32)
    ).replace(day=1)
    until = start + dt.timedelta(days=90)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in (
        {
            "reference": "VB-001",
            "kind": "supply",
            "project_name": "Herinrichting Dorpsstraat",
            "postcode": "3511",
            "quantity": "850",
            "quality": "B",
            "notes": "Vrij na het opbreken van de rijbaan",
        },
        {
            "reference": "VB-002",
            "kind": "demand",
            "project_name": "Fietspad Kerkweg",
            "lat": "52.0907",
            "lon": "5.1214",
            "quantity": "400",
            "quality": "A",
        },
    ):
        row |= {
            "material": code,
            "window_from": start.isoformat(),
            "window_until": until.isoformat(),
            "country": "NL",
            "is_published": "true",
        }
        writer.writerow([row.get(column, "") for column in COLUMNS])
    return out.getvalue()
