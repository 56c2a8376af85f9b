# SPDX-License-Identifier: EUPL-1.2
"""Profile libraries and bills of quantities: reading, checking and their array form.

Readers report every problem with file, line and field, and return None when there
was any, so that nothing is calculated or written from bad input.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
from numpy.typing import NDArray

from cirkelregio.engine.dataio import Collector, Problem
from cirkelregio.engine.mki.modules import DATA_CATEGORIES, MODULES
from cirkelregio.engine.mki.weighting import WeightingSet

PROFILE_COLUMNS = (
    "profile_id",
    "name",
    "unit",
    "data_category",
    "module",
    "indicator",
    "value",
)
BILL_COLUMNS = ("line_id", "element", "profile_id", "quantity", "service_life_years")
_MODULE_INDEX = {m: i for i, m in enumerate(MODULES)}


@dataclass(frozen=True, eq=False)
class ProfileLibrary:
    """Profiles as a dense array ``values[profile, module, indicator]`` (euro-free
    impact per functional unit), on the module axis ``MODULES`` and the indicator axis
    of the weighting set they were read against."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    units: tuple[str, ...]
    data_categories: tuple[str, ...]
    indicators: tuple[str, ...]
    values: NDArray[np.float64]
    present: NDArray[np.bool_]
    """present[p, m]: profile p has at least one row for module m."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {pid: i for i, pid in enumerate(self.ids)})

    def index_of(self, profile_id: str) -> int | None:
        return self._index.get(profile_id)  # type: ignore[attr-defined, no-any-return]

    @property
    def modules(self) -> tuple[str, ...]:
        return MODULES


@dataclass(frozen=True, eq=False)
class Bill:
    """A bill of quantities: one entry per line, ``profile`` as an index into the
    library, ``service_life`` NaN where the product lasts the whole period."""

    line_ids: tuple[str, ...]
    elements: tuple[str, ...]
    profile: NDArray[np.intp]
    quantity: NDArray[np.float64]
    service_life: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.line_ids)


class _CsvFile:
    """A CSV file read row by row (large profile files never sit in memory as a
    whole), with its header checked for the required columns."""

    def __init__(self, path: Path, columns: tuple[str, ...], c: Collector) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.columns = columns
        self.c = c
        self.col: dict[str, int] = {}
        self.width = 0
        self.ok = False
        self._handle: TextIO | None = None

    def __enter__(self) -> _CsvFile:
        try:
            self._handle = self.path.open(newline="", encoding="utf-8-sig")
        except OSError as exc:
            self.c.add(Problem(self.name, f"cannot be read ({exc.strerror})"))
            self._handle = None
            return self
        self._reader = csv.reader(self._handle)
        try:
            first = next(self._reader, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            self.c.add(
                Problem(self.name, f"is not a readable UTF-8 CSV file ({exc})", 1)
            )
            return self
        if first is None:
            self.c.add(Problem(self.name, "is empty", 1))
            return self
        header = [h.strip() for h in first]
        missing = [col for col in self.columns if col not in header]
        if missing:
            self.c.add(Problem(self.name, "missing columns: " + ", ".join(missing), 1))
            return self
        self.col = {col: header.index(col) for col in self.columns}
        self.width = len(header)
        self.ok = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        line = 1
        try:
            for line, row in enumerate(self._reader, start=2):  # noqa: B007
                yield line, row
        except (csv.Error, UnicodeDecodeError) as exc:
            self.c.add(
                Problem(
                    self.name, f"is not a readable UTF-8 CSV file ({exc})", line + 1
                )
            )


def read_profiles(
    path: Path, weighting: WeightingSet, c: Collector
) -> ProfileLibrary | None:
    """Read a long-format profile file (one row per profile, module and indicator)."""
    with _CsvFile(path, PROFILE_COLUMNS, c) as source:
        if not source.ok:
            return None
        return _profiles_from(source, weighting, c)


def _profiles_from(
    source: _CsvFile, weighting: WeightingSet, c: Collector
) -> ProfileLibrary | None:
    name, col = source.name, source.col
    before = len(c.problems)
    indicator_index = {ind: i for i, ind in enumerate(weighting.indicators)}
    ids: dict[str, int] = {}
    meta: list[tuple[str, str, str]] = []
    entries: list[tuple[int, int, int, float]] = []
    seen: set[tuple[int, int, int]] = set()
    width = source.width
    for line, row in source.rows():
        if not row:
            continue
        if len(row) != width:
            c.add(Problem(name, f"has {len(row)} values, the header {width}", line))
            continue
        pid = row[col["profile_id"]].strip()
        pname = row[col["name"]].strip()
        unit = row[col["unit"]].strip()
        category = row[col["data_category"]].strip()
        module = row[col["module"]].strip()
        indicator = row[col["indicator"]].strip()
        raw = row[col["value"]].strip()
        if not pid:
            c.add(Problem(name, "a value is required", line, field="profile_id"))
            continue
        if category not in DATA_CATEGORIES:
            c.add(
                Problem(
                    name,
                    "must be one of "
                    + ", ".join(DATA_CATEGORIES)
                    + f" (got {category!r})",
                    line,
                    field="data_category",
                )
            )
        m = _MODULE_INDEX.get(module)
        if m is None:
            c.add(
                Problem(
                    name,
                    f"unknown module {module!r}; modules are " + ", ".join(MODULES),
                    line,
                    field="module",
                )
            )
        i = indicator_index.get(indicator)
        if i is None:
            c.add(
                Problem(
                    name,
                    f"indicator {indicator!r} is not defined by weighting set "
                    f"{weighting.code}",
                    line,
                    field="indicator",
                )
            )
        try:
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            c.add(Problem(name, f"must be a number (got {raw!r})", line, field="value"))
            continue
        p = ids.get(pid)
        if p is None:
            p = ids[pid] = len(meta)
            meta.append((pname, unit, category))
        elif (pname, unit, category) != meta[p]:
            for field, own, first in zip(
                ("name", "unit", "data_category"),
                (pname, unit, category),
                meta[p],
                strict=True,
            ):
                if own != first:
                    c.add(
                        Problem(
                            name,
                            f"profile {pid} has {field} {first!r} on its first "
                            f"row and {own!r} here",
                            line,
                            field=field,
                        )
                    )
        if m is None or i is None:
            continue
        if (p, m, i) in seen:
            c.add(
                Problem(
                    name,
                    f"profile {pid} has a second row for module {module}, "
                    f"indicator {indicator}",
                    line,
                    field="indicator",
                )
            )
            continue
        seen.add((p, m, i))
        entries.append((p, m, i, value))
    if len(c.problems) > before:
        return None
    values = np.zeros((len(meta), len(MODULES), len(weighting.indicators)))
    present = np.zeros((len(meta), len(MODULES)), dtype=np.bool_)
    if entries:
        arr = np.asarray(entries, dtype=np.float64)
        p_idx, m_idx, i_idx = (arr[:, k].astype(np.intp) for k in range(3))
        values[p_idx, m_idx, i_idx] = arr[:, 3]
        present[p_idx, m_idx] = True
    return ProfileLibrary(
        ids=tuple(ids),
        names=tuple(m[0] for m in meta),
        units=tuple(m[1] for m in meta),
        data_categories=tuple(m[2] for m in meta),
        indicators=weighting.indicators,
        values=values,
        present=present,
    )


def read_bill(path: Path, library: ProfileLibrary, c: Collector) -> Bill | None:
    """Read a bill of quantities against a profile library."""
    with _CsvFile(path, BILL_COLUMNS, c) as source:
        if not source.ok:
            return None
        return _bill_from(source, library, c)


def _bill_from(source: _CsvFile, library: ProfileLibrary, c: Collector) -> Bill | None:
    name, col = source.name, source.col
    before = len(c.problems)
    line_ids: list[str] = []
    elements: list[str] = []
    profiles: list[int] = []
    quantities: list[float] = []
    lives: list[float] = []
    seen: set[str] = set()
    width = source.width
    for line, row in source.rows():
        if not row:
            continue
        if len(row) != width:
            c.add(Problem(name, f"has {len(row)} values, the header {width}", line))
            continue
        line_id = row[col["line_id"]].strip()
        if not line_id:
            c.add(Problem(name, "a value is required", line, field="line_id"))
        elif line_id in seen:
            c.add(Problem(name, f"duplicate line {line_id}", line, field="line_id"))
        seen.add(line_id)
        pid = row[col["profile_id"]].strip()
        p = library.index_of(pid)
        if p is None:
            c.add(Problem(name, f"unknown profile {pid!r}", line, field="profile_id"))
        raw_q = row[col["quantity"]].strip()
        try:
            q = float(raw_q)
            if not math.isfinite(q):
                raise ValueError
        except ValueError:
            c.add(
                Problem(
                    name, f"must be a number (got {raw_q!r})", line, field="quantity"
                )
            )
            q = 0.0
        else:
            if q < 0:
                c.add(
                    Problem(
                        name,
                        f"must be 0 or more (got {raw_q!r})",
                        line,
                        field="quantity",
                    )
                )
        raw_l = row[col["service_life_years"]].strip()
        life = math.nan
        if raw_l:
            try:
                life = float(raw_l)
                if not math.isfinite(life):
                    raise ValueError
            except ValueError:
                c.add(
                    Problem(
                        name,
                        f"must be a number of years or empty (got {raw_l!r})",
                        line,
                        field="service_life_years",
                    )
                )
            else:
                if life <= 0:
                    c.add(
                        Problem(
                            name,
                            f"must be more than 0 years (got {raw_l!r})",
                            line,
                            field="service_life_years",
                        )
                    )
        line_ids.append(line_id)
        elements.append(row[col["element"]].strip())
        profiles.append(-1 if p is None else p)
        quantities.append(q)
        lives.append(life)
    if len(c.problems) > before:
        return None
    return Bill(
        line_ids=tuple(line_ids),
        elements=tuple(elements),
        profile=np.asarray(profiles, dtype=np.intp),
        quantity=np.asarray(quantities, dtype=np.float64),
        service_life=np.asarray(lives, dtype=np.float64),
    )
