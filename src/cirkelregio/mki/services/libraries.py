# SPDX-License-Identifier: EUPL-1.2
"""Profile libraries: create, change, remove, and import profiles from the profile
CSV of docs/mki-method.md or from one EPD in the ILCD+EPD XML format.

Imports are all or nothing. The CSV is checked by the engine's own reader (the same
messages as ``cirkelregio mki calculate``), against the indicators of both built-in
weighting sets; nothing is written when there is any problem. A CSV import replaces
the library's content in one transaction; profiles that bills still use cannot
disappear.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import numpy as np

from cirkelregio.accounts.models import User
from cirkelregio.core.uploads import safe_file_name
from cirkelregio.engine.dataio import Collector, DataLoadError, Problem
from cirkelregio.engine.mki import (
    BUILTIN_SETS,
    DATA_CATEGORIES,
    WeightingSet,
    read_profiles,
)
from cirkelregio.engine.mki.inputs import PROFILE_COLUMNS
from cirkelregio.mki import ilcd
from cirkelregio.mki.adapters import builtin_weighting
from cirkelregio.mki.models import IndicatorSet, Profile, ProfileLibrary, ProfileValue
from cirkelregio.mki.rules import (
    can_change_library,
    can_create_library,
    can_publish_library,
)
from cirkelregio.mki.services._common import apply, full_clean, require, save
from cirkelregio.regions.models import Organisation

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
BATCH = 2000


@dataclass
class ImportReport:
    profiles_created: int = 0
    profiles_updated: int = 0
    profiles_removed: int = 0
    values: int = 0
    skipped_indicators: tuple[str, ...] = ()

    def __str__(self) -> str:
        return (
            f"Profiles: {self.profiles_created} created, {self.profiles_updated} "
            f"updated, {self.profiles_removed} removed; {self.values} values."
        )


@transaction.atomic
def library_create(
    *,
    actor: User | None,
    name: str,
    owner: Organisation | None = None,
    description: str = "",
    is_synthetic: bool = False,
    source: str = "",
    licence: str = "",
    is_published: bool = False,
    is_demo: bool = False,
) -> ProfileLibrary:
    require(can_create_library(actor))
    library = ProfileLibrary(
        name=name.strip(),
        owner=owner,
        description=description,
        is_synthetic=is_synthetic,
        source=source,
        licence=licence,
        is_published=is_published,
        is_demo=is_demo,
    )
    full_clean(library)
    save(library)
    return library


LIBRARY_EDITABLE = {"name", "description", "source", "licence"}
LIBRARY_EDITABLE_BY_COORDINATOR = LIBRARY_EDITABLE | {
    "owner",
    "is_synthetic",
    "is_published",
}


@transaction.atomic
def library_update(
    *, actor: User | None, library: ProfileLibrary, **fields: object
) -> ProfileLibrary:
    require(can_change_library(actor, library))
    allowed = (
        LIBRARY_EDITABLE_BY_COORDINATOR
        if can_publish_library(actor)
        else LIBRARY_EDITABLE
    )
    if apply(library, fields, allowed):
        full_clean(library)
        save(library)
    return library


@transaction.atomic
def library_delete(*, actor: User | None, library: ProfileLibrary) -> None:
    require(can_change_library(actor, library))
    used = Profile.objects.filter(library=library, bill_lines__isnull=False).exists()
    if used:
        raise ValidationError(
            _("Bills of quantities use profiles of this library; it cannot be removed.")
        )
    library.delete()


def import_weighting() -> WeightingSet:
    """The indicators a library may hold: those of nmd-a1 and those of nmd-a2."""
    sets = [builtin_weighting(m) for m in BUILTIN_SETS]
    indicators: list[str] = []
    units: list[str] = []
    for weighting in sets:
        for indicator, unit in zip(weighting.indicators, weighting.units, strict=True):
            if indicator not in indicators:
                indicators.append(indicator)
                units.append(unit)
    n = len(indicators)
    return WeightingSet(
        code=" or ".join(BUILTIN_SETS),
        indicators=tuple(indicators),
        units=tuple(units),
        factors=np.full(n, np.nan),
        weighted=np.ones(n, dtype=np.bool_),
        sources=("",) * n,
    )


def _exclusive_indicators() -> dict[str, str]:
    """Indicator -> the one built-in set that defines it (shared ones left out)."""
    a1, a2 = (set(builtin_weighting(m).indicators) for m in BUILTIN_SETS)
    return {
        **dict.fromkeys(a1 - a2, IndicatorSet.A1.value),
        **dict.fromkeys(a2 - a1, IndicatorSet.A2.value),
    }


@dataclass
class _ParsedProfile:
    name: str
    unit: str
    data_category: str
    rows: list[tuple[str, str, float]]
    indicator_set: str = IndicatorSet.EITHER.value


def read_profile_csv(content: bytes, name: str) -> dict[str, _ParsedProfile]:
    """Check the file with the engine's reader, then take its rows as they are."""
    c = Collector()
    if len(content) > MAX_UPLOAD_BYTES:
        c.add(Problem(name, f"is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"))
        c.raise_if_any()
    with tempfile.TemporaryDirectory(prefix="mki-import-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        read_profiles(path, import_weighting(), c)
    c.raise_if_any()
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in rows[0]]
    col = {column: header.index(column) for column in PROFILE_COLUMNS}
    profiles: dict[str, _ParsedProfile] = {}
    exclusive = _exclusive_indicators()
    # profile -> {indicator set: (first indicator only that set defines, its line)}
    sets: dict[str, dict[str, tuple[str, int]]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        pid = row[col["profile_id"]].strip()
        indicator = row[col["indicator"]].strip()
        profile = profiles.setdefault(
            pid,
            _ParsedProfile(
                name=row[col["name"]].strip(),
                unit=row[col["unit"]].strip(),
                data_category=row[col["data_category"]].strip(),
                rows=[],
            ),
        )
        profile.rows.append(
            (row[col["module"]].strip(), indicator, float(row[col["value"]].strip()))
        )
        owner = exclusive.get(indicator)
        if owner is not None:
            sets.setdefault(pid, {}).setdefault(owner, (indicator, line))
    for pid, found in sets.items():
        if len(found) == 1:
            profiles[pid].indicator_set = next(iter(found))
            continue
        (set_a, (ind_a, line_a)), (set_b, (ind_b, line_b)) = sorted(found.items())
        c.add(
            Problem(
                name,
                f"profile {pid} mixes indicators of {set_a} ({ind_a}) and {set_b} "
                f"({ind_b}); a profile declares one set (AP, ODP and POCP mean "
                "different things in each)",
                max(line_a, line_b),
                field="indicator",
            )
        )
    c.raise_if_any()
    return profiles


def write_profiles(
    library: ProfileLibrary,
    profiles: dict[str, _ParsedProfile],
    *,
    replace: bool,
    file_name: str,
) -> ImportReport:
    _check_lengths(profiles, file_name)
    report = ImportReport()
    existing = {p.profile_id: p for p in library.profiles.all()}
    if replace:
        removed = sorted(set(existing) - set(profiles))
        in_use = sorted(
            set(
                Profile.objects.filter(
                    library=library, profile_id__in=removed, bill_lines__isnull=False
                ).values_list("profile_id", flat=True)
            )
        )
        if in_use:
            raise DataLoadError(
                [
                    Problem(
                        file_name,
                        f"profile {pid} is missing from the file, but bills of "
                        "quantities use it",
                        field="profile_id",
                    )
                    for pid in in_use
                ]
            )
        Profile.objects.filter(library=library, profile_id__in=removed).delete()
        report.profiles_removed = len(removed)
    to_create, to_update = [], []
    for pid, parsed in profiles.items():
        fields = {
            "name": parsed.name[:300],
            "unit": parsed.unit[:50],
            "data_category": parsed.data_category,
            "indicator_set": parsed.indicator_set,
        }
        profile = existing.get(pid)
        if profile is None:
            to_create.append(Profile(library=library, profile_id=pid, **fields))
        elif any(getattr(profile, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(profile, k, v)
            to_update.append(profile)
    Profile.objects.bulk_create(to_create, batch_size=BATCH)
    Profile.objects.bulk_update(
        to_update, ["name", "unit", "data_category", "indicator_set"], batch_size=BATCH
    )
    report.profiles_created = len(to_create)
    report.profiles_updated = len(profiles) - len(to_create)
    pks = dict(
        Profile.objects.filter(
            library=library, profile_id__in=list(profiles)
        ).values_list("profile_id", "pk")
    )
    ProfileValue.objects.filter(profile_id__in=pks.values()).delete()
    values = _values(pks, profiles.items())
    ProfileValue.objects.bulk_create(values, batch_size=BATCH)
    report.values = len(values)
    ProfileLibrary.objects.filter(pk=library.pk).update(revision=library.revision + 1)
    library.revision += 1
    return report


def _values(
    pks: dict[str, int], profiles: Iterable[tuple[str, _ParsedProfile]]
) -> list[ProfileValue]:
    return [
        ProfileValue(profile_id=pks[pid], module=m, indicator=i, value=v)
        for pid, parsed in profiles
        for m, i, v in parsed.rows
    ]


def _check_lengths(profiles: dict[str, _ParsedProfile], file_name: str) -> None:
    problems = []
    for pid, parsed in profiles.items():
        for field, value, limit in (
            ("profile_id", pid, 100),
            ("name", parsed.name, 300),
            ("unit", parsed.unit, 50),
        ):
            if len(value) > limit:
                problems.append(
                    Problem(
                        file_name,
                        f"profile {pid[:40]}: must be at most {limit} characters",
                        field=field,
                    )
                )
    if problems:
        raise DataLoadError(problems)


def library_import_csv(
    *,
    actor: User | None,
    library: ProfileLibrary,
    content: bytes,
    file_name: str = "profiles.csv",
) -> ImportReport:
    """Replace the library's profiles with those of a profile CSV
    (``profile_id,name,unit,data_category,module,indicator,value``). Raises
    DataLoadError with every problem (file, line, field); then nothing changed."""
    require(can_change_library(actor, library))
    name = safe_file_name(file_name, "profiles.csv")
    profiles = read_profile_csv(content, name)
    with transaction.atomic():
        locked = ProfileLibrary.objects.select_for_update().get(pk=library.pk)
        report = write_profiles(locked, profiles, replace=True, file_name=name)
    library.revision = locked.revision
    return report


def library_import_epd(
    *,
    actor: User | None,
    library: ProfileLibrary,
    content: bytes,
    file_name: str = "epd.xml",
    profile_id: str | None = None,
    data_category: str = "3",
    unit: str | None = None,
) -> ImportReport:
    """Add one EPD (ILCD+EPD XML) to the library as one profile, or replace the
    profile with the same code. ``data_category`` is the NMD category to give it:
    data not verified for the NMD counts as category 3 (30 % uplift)."""
    require(can_change_library(actor, library))
    name = safe_file_name(file_name, "epd.xml")
    c = Collector()
    if data_category not in DATA_CATEGORIES:
        c.add(
            Problem(
                name,
                "must be one of " + ", ".join(DATA_CATEGORIES),
                field="data_category",
            )
        )
    epd = ilcd.read_epd(content, name, c, profile_id=profile_id, unit=unit)
    c.raise_if_any()
    assert epd is not None
    parsed = _ParsedProfile(
        name=epd.name,
        unit=epd.unit,
        data_category=data_category,
        rows=[(m, i, v) for m, i, v, _line in epd.rows],
        indicator_set=IndicatorSet.A2.value,
    )
    with transaction.atomic():
        locked = ProfileLibrary.objects.select_for_update().get(pk=library.pk)
        report = write_profiles(
            locked, {epd.profile_id: parsed}, replace=False, file_name=name
        )
    library.revision = locked.revision
    report.skipped_indicators = tuple(epd.skipped)
    return report
