# SPDX-License-Identifier: EUPL-1.2
"""Reading Open Repair Data Standard (ORDS) files, versions 0.2.1 and 0.3.

An ORDS file is a UTF-8 CSV file with one row per repair attempt. The version is
recognised from the header row:

- **0.3** has the columns ``id, data_provider, country, partner_product_category,
  product_category, product_category_id, brand, year_of_manufacture, product_age,
  repair_status, repair_barrier_if_end_of_life, group_identifier, event_date, problem``;
- **0.2.1** has the same columns without ``product_category_id`` and ``product_age``.

Other columns may follow (the standard allows optional fields) and are ignored.

Every row is checked, and every problem is reported with the file, the line the record
starts on (a quoted ``problem`` text can span lines) and the field:

- required: ``id`` (unique in the file), ``data_provider``, ``country``,
  ``partner_product_category``, ``product_category``, ``repair_status``, ``event_date``
  and, in 0.3, ``product_category_id``;
- ``country``: an ISO 3166-1 alpha-3 code (the list in ``data/iso3166_alpha3.csv``);
- ``product_category``: one of the 40 ORDS product categories (letter case is not
  significant; the record holds the standard spelling); in 0.3 ``product_category_id``
  must be the id of that category;
- ``repair_status``: the ORDS code 0-3 or its text (Unknown, Fixed, Repairable, End of
  life), stored as the code;
- ``repair_barrier_if_end_of_life``: empty, or the code 1-6 or its text (stored as the
  code), and only when the status is End of life;
- ``event_date``: an ISO date ``YYYY-MM-DD``;
- ``year_of_manufacture``: empty, ``????`` (unknown) or a year ``YYYY``;
- ``product_age`` (0.3): empty or a number of years of at least 0.

A file with any problem is refused as a whole: :func:`read_ords` returns nothing and
the problems go to the collector (or are raised as one
:class:`~cirkelregio.engine.dataio.DataLoadError`).

The codelists are those of the standard (``openrepair/datastandard``, ``standard.rst``
of v0.3: repair status 0 Unknown, 1 Fixed, 2 Repairable, 3 End of life; repair barrier
1-6).
The v0.2.1 and v0.3 table schemas spell barrier 6 "Too worn out" while the data use
"Item too worn out"; both are read as 6. The v0.2 standard's "No way to open the
product" is read as 3.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from cirkelregio.engine.dataio import Collector, Problem

__all__ = [
    "BARRIERS",
    "ORDS_PRODUCT_CATEGORIES",
    "REPAIR_STATUSES",
    "V021_COLUMNS",
    "V03_COLUMNS",
    "OrdsFile",
    "OrdsRecord",
    "iso_alpha3_codes",
    "read_ords",
]

UNKNOWN, FIXED, REPAIRABLE, END_OF_LIFE = 0, 1, 2, 3
REPAIR_STATUSES: dict[int, str] = {
    UNKNOWN: "Unknown",
    FIXED: "Fixed",
    REPAIRABLE: "Repairable",
    END_OF_LIFE: "End of life",
}
BARRIERS: dict[int, str] = {
    1: "Spare parts not available",
    2: "Spare parts too expensive",
    3: "No way to open product",
    4: "Repair information not available",
    5: "Lack of equipment",
    6: "Item too worn out",
}
ORDS_PRODUCT_CATEGORIES: dict[int, str] = dict(
    enumerate(
        (
            "Aircon/dehumidifier",
            "Battery/charger/adapter",
            "Decorative or safety lights",
            "Desktop computer",
            "Digital compact camera",
            "DSLR/video camera",
            "Fan",
            "Flat screen",
            "Hair & beauty item",
            "Handheld entertainment device",
            "Headphones",
            "Hi-Fi integrated",
            "Hi-Fi separates",
            "Kettle",
            "Lamp",
            "Laptop",
            "Large home electrical",
            "Misc",
            "Mobile",
            "Musical instrument",
            "Paper shredder",
            "PC accessory",
            "Portable radio",
            "Power tool",
            "Printer/scanner",
            "Projector",
            "Sewing machine",
            "Small home electrical",
            "Small kitchen item",
            "Tablet",
            "Toaster",
            "Toy",
            "TV and gaming-related accessories",
            "Vacuum",
            "Watch/clock",
            "Coffee maker",
            "Food processor",
            "Games console",
            "Hair dryer",
            "Iron",
        ),
        start=1,
    )
)
"""The ORDS v0.3 product categories by ``product_category_id``."""

V021_COLUMNS = (
    "id",
    "data_provider",
    "country",
    "partner_product_category",
    "product_category",
    "brand",
    "year_of_manufacture",
    "repair_status",
    "repair_barrier_if_end_of_life",
    "group_identifier",
    "event_date",
    "problem",
)
V03_COLUMNS = (
    "id",
    "data_provider",
    "country",
    "partner_product_category",
    "product_category",
    "product_category_id",
    "brand",
    "year_of_manufacture",
    "product_age",
    "repair_status",
    "repair_barrier_if_end_of_life",
    "group_identifier",
    "event_date",
    "problem",
)
_V03_ONLY = ("product_category_id", "product_age")

_STATUS_BY_TEXT = {
    **{name.lower(): code for code, name in REPAIR_STATUSES.items()},
    **{str(code): code for code in REPAIR_STATUSES},
}
_BARRIER_BY_TEXT = {
    **{name.lower(): code for code, name in BARRIERS.items()},
    **{str(code): code for code in BARRIERS},
    "too worn out": 6,
    "no way to open the product": 3,
}
_CATEGORY_BY_TEXT = {
    name.lower(): code for code, name in ORDS_PRODUCT_CATEGORIES.items()
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")
_MISSING_YEAR = ("", "????")
_MISSING_BRAND = ("", "Unknown")

_STATUS_OPTIONS = "0-3 or " + ", ".join(REPAIR_STATUSES.values())
_BARRIER_OPTIONS = "1-6 or " + ", ".join(BARRIERS.values())


@dataclass(frozen=True, slots=True)
class OrdsRecord:
    """One repair attempt. Plain values, ready to store."""

    line: int
    """The line of the file the record starts on (the header is line 1)."""
    id: str
    data_provider: str
    country: str
    partner_product_category: str
    product_category: str
    """The ORDS spelling of the category."""
    product_category_id: int
    """1-40; for a 0.2.1 file the id of the category in the 0.3 list."""
    brand: str | None
    """None where the file has ``Unknown`` or nothing."""
    year_of_manufacture: int | None
    product_age: float | None
    """Years; always None for a 0.2.1 file."""
    repair_status: int
    """0 Unknown, 1 Fixed, 2 Repairable, 3 End of life."""
    repair_barrier: int | None
    """1-6 (see ``BARRIERS``) or None."""
    group_identifier: str
    """Kept as text, so leading zeros survive (``0074``); empty when not given."""
    event_date: dt.date
    problem: str


@dataclass(frozen=True)
class OrdsFile:
    name: str
    version: str
    """``"0.2.1"`` or ``"0.3"``."""
    records: tuple[OrdsRecord, ...]


@cache
def iso_alpha3_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-3 country codes (data/iso3166_alpha3.csv)."""
    text = (
        resources.files("cirkelregio.engine.repair") / "data" / "iso3166_alpha3.csv"
    ).read_text(encoding="utf-8")
    return frozenset(text.split()[1:])


def _version(header: list[str]) -> tuple[str | None, str]:
    """The ORDS version of a header, or None and why not."""
    present = set(header)
    expected: tuple[str, ...]
    with_v03 = [c for c in _V03_ONLY if c in present]
    if len(with_v03) == len(_V03_ONLY):
        version, expected = "0.3", V03_COLUMNS
    elif not with_v03:
        version, expected = "0.2.1", V021_COLUMNS
    else:
        missing = [c for c in _V03_ONLY if c not in present]
        return None, (
            f"has {', '.join(with_v03)} but not {', '.join(missing)}: the header is "
            "neither ORDS 0.2.1 nor ORDS 0.3"
        )
    missing = [c for c in expected if c not in present]
    if missing:
        return None, (
            f"missing columns for ORDS {version}: {', '.join(missing)} (ORDS 0.2.1 "
            f"needs {', '.join(V021_COLUMNS)}; ORDS 0.3 also needs "
            f"{', '.join(_V03_ONLY)})"
        )
    return version, ""


def read_ords(path: Path, collector: Collector | None = None) -> OrdsFile | None:
    """Read and check an ORDS file.

    Without a collector, problems are raised as one DataLoadError; with one, they are
    added to it and None is returned when this file has any.
    """
    own = collector is None
    c = Collector() if collector is None else collector
    before = len(c.problems)
    result = _read(Path(path), c)
    if own:
        c.raise_if_any()
    return result if len(c.problems) == before else None


def _read(path: Path, c: Collector) -> OrdsFile | None:
    name = path.name
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        c.add(Problem(name, f"cannot be read ({exc.strerror})"))
        return None
    countries = iso_alpha3_codes()
    records: list[OrdsRecord] = []
    first_line: dict[str, int] = {}
    dates: dict[str, dt.date] = {}
    years: dict[str, int] = {}
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            c.add(Problem(name, f"is not a readable CSV file ({exc})", 1))
            return None
        if not header:
            c.add(Problem(name, "is empty: no header row", 1))
            return None
        header = [h.strip() for h in header]
        doubled = sorted({h for h in header if header.count(h) > 1})
        if doubled:
            c.add(Problem(name, f"columns appear twice: {', '.join(doubled)}", 1))
            return None
        version, why = _version(header)
        if version is None:
            c.add(Problem(name, why, 1))
            return None
        col = {h: i for i, h in enumerate(header)}
        i_id, i_provider, i_country = col["id"], col["data_provider"], col["country"]
        i_partner, i_category = col["partner_product_category"], col["product_category"]
        i_brand, i_year = col["brand"], col["year_of_manufacture"]
        i_status = col["repair_status"]
        i_barrier = col["repair_barrier_if_end_of_life"]
        i_group, i_date, i_problem = (
            col["group_identifier"],
            col["event_date"],
            col["problem"],
        )
        v03 = version == "0.3"
        i_category_id = col.get("product_category_id", -1)
        i_age = col.get("product_age", -1)
        width = len(header)
        end = reader.line_num
        try:
            for row in reader:
                line, end = end + 1, reader.line_num
                if not row:
                    continue
                if len(row) != width:
                    c.add(
                        Problem(
                            name,
                            f"has {len(row)} values; the header has {width} columns",
                            line,
                        )
                    )
                    continue
                before = len(c.problems)

                def bad(field: str, message: str, line: int = line) -> None:
                    c.add(Problem(name, message, line, field=field))

                ident = row[i_id].strip()
                if not ident:
                    bad("id", "a value is required")
                elif ident in first_line:
                    bad(
                        "id",
                        f"id {ident!r} appears twice (first on line "
                        f"{first_line[ident]})",
                    )
                else:
                    first_line[ident] = line
                provider = row[i_provider].strip()
                if not provider:
                    bad("data_provider", "a value is required")
                country = row[i_country].strip()
                if not country:
                    bad("country", "a value is required")
                elif country not in countries:
                    bad(
                        "country",
                        "must be an ISO 3166-1 alpha-3 country code such as NLD "
                        f"(got {row[i_country]!r})",
                    )
                partner = row[i_partner].strip()
                if not partner:
                    bad("partner_product_category", "a value is required")
                raw_category = row[i_category].strip()
                category_id = _CATEGORY_BY_TEXT.get(raw_category.lower(), 0)
                if not raw_category:
                    bad("product_category", "a value is required")
                elif not category_id:
                    bad(
                        "product_category",
                        f"is not an ORDS product category (got {row[i_category]!r})",
                    )
                if v03:
                    raw_id = row[i_category_id].strip()
                    if not raw_id:
                        bad("product_category_id", "a value is required")
                    elif not raw_id.isdigit() or int(raw_id) not in (
                        ORDS_PRODUCT_CATEGORIES
                    ):
                        bad(
                            "product_category_id",
                            "must be an ORDS product category id 1-40 "
                            f"(got {raw_id!r})",
                        )
                    elif category_id and int(raw_id) != category_id:
                        bad(
                            "product_category_id",
                            f"{raw_id} is {ORDS_PRODUCT_CATEGORIES[int(raw_id)]!r}, "
                            f"but product_category is {raw_category!r} "
                            f"(id {category_id})",
                        )
                brand = row[i_brand].strip()
                raw_year = row[i_year].strip()
                year: int | None = None
                if raw_year not in _MISSING_YEAR:
                    if raw_year in years:
                        year = years[raw_year]
                    elif _YEAR.fullmatch(raw_year):
                        year = years[raw_year] = int(raw_year)
                    else:
                        bad(
                            "year_of_manufacture",
                            "must be a year YYYY, or ???? or empty when unknown "
                            f"(got {row[i_year]!r})",
                        )
                age: float | None = None
                if v03:
                    raw_age = row[i_age].strip()
                    if raw_age:
                        try:
                            age = float(raw_age)
                        except ValueError:
                            age = None
                        if age is None or not 0 <= age < float("inf"):
                            bad(
                                "product_age",
                                "must be a number of years of at least 0 "
                                f"(got {row[i_age]!r})",
                            )
                            age = None
                raw_status = row[i_status].strip()
                status = _STATUS_BY_TEXT.get(raw_status.lower(), -1)
                if not raw_status:
                    bad("repair_status", "a value is required")
                elif status < 0:
                    bad(
                        "repair_status",
                        f"must be {_STATUS_OPTIONS} (got {row[i_status]!r})",
                    )
                raw_barrier = row[i_barrier].strip()
                barrier: int | None = None
                if raw_barrier:
                    barrier = _BARRIER_BY_TEXT.get(raw_barrier.lower())
                    if barrier is None:
                        bad(
                            "repair_barrier_if_end_of_life",
                            f"must be empty, {_BARRIER_OPTIONS} "
                            f"(got {row[i_barrier]!r})",
                        )
                    elif status >= 0 and status != END_OF_LIFE:
                        bad(
                            "repair_barrier_if_end_of_life",
                            "a barrier is only allowed when repair_status is End of "
                            f"life (the status is {REPAIR_STATUSES[status]})",
                        )
                raw_date = row[i_date].strip()
                date = dates.get(raw_date)
                if date is not None:
                    pass
                elif not raw_date:
                    bad("event_date", "a value is required")
                else:
                    if _DATE.fullmatch(raw_date):
                        try:
                            date = dates[raw_date] = dt.date.fromisoformat(raw_date)
                        except ValueError:
                            date = None
                    if date is None:
                        bad(
                            "event_date",
                            f"must be a date YYYY-MM-DD (got {row[i_date]!r})",
                        )
                if len(c.problems) != before:
                    continue
                assert date is not None
                records.append(
                    OrdsRecord(
                        line,
                        ident,
                        provider,
                        country,
                        partner,
                        ORDS_PRODUCT_CATEGORIES[category_id],
                        category_id,
                        None if brand in _MISSING_BRAND else brand,
                        year,
                        age,
                        status,
                        barrier,
                        row[i_group].strip(),
                        date,
                        row[i_problem],
                    )
                )
        except (csv.Error, UnicodeDecodeError) as exc:
            c.add(Problem(name, f"is not a readable CSV file ({exc})", reader.line_num))
            return None
    return OrdsFile(name, version, tuple(records))
