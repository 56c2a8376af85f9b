# SPDX-License-Identifier: EUPL-1.2
"""Repair impact: importing Open Repair Data Standard (ORDS) files, and the repairs a
repair café records itself. Both are stored as repair records, so both count in the
statistics (``selectors.repair_statistics``).

**Import** (``ords_import``, the command ``cirkelregio repair import-ords``). The
engine's reader (``cirkelregio.engine.repair.read_ords``) reads and checks the whole
file; every problem names the file, the line and the field, and nothing is written
when there is one. Then, in one transaction, the records are inserted with
``bulk_create`` in batches: no query per record.

Importing a file again **replaces** the dataset it was imported as, instead of adding
its records a second time. A stored dataset is the same one when it has the same
checksum (SHA-256 of the file), or the same data provider and at least one record id
in common with the file (a newer export of the same provider). The dataset keeps its
id; its records are replaced by those of the file. More than one such dataset (a
provider's exports imported one by one, then a full export): the first keeps its id,
the others are removed.

**Own records** (``own_record_create``). An organisation's editors and coordinators
enter repairs one by one; they go into the organisation's dataset "own records of
<organisation>" (created with the first record), as ORDS 0.3 records with the id
``<organisation slug>_<n>``, the organisation as data provider and group, and the
country NLD.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.engine.dataio import Collector, DataLoadError, Problem
from cirkelregio.engine.repair import (
    BARRIERS,
    ORDS_PRODUCT_CATEGORIES,
    REPAIR_STATUSES,
    OrdsRecord,
    read_ords,
)
from cirkelregio.regions.models import Organisation
from cirkelregio.repair import rules
from cirkelregio.repair.models import (
    DatasetKind,
    OrdsDataset,
    RepairRecord,
    RepairStatus,
)
from cirkelregio.repair.services._common import require

BATCH_SIZE = 2000
"""Rows per INSERT of ``bulk_create`` (Django lowers it to what SQLite accepts)."""

ORDS_LICENCE = "CC BY-SA 4.0"
ORDS_LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
ORDS_SOURCE_URL = "https://github.com/openrepair/data"
OWN_COUNTRY = "NLD"
OWN_ORDS_VERSION = "0.3"
MAX_BRAND = 100
MAX_PROBLEM = 500
FIRST_YEAR = 1990

_LIMITS = {"id": 100, "data_provider": 200, "group_identifier": 200}


@dataclass
class OrdsImportReport:
    file: str
    ords_version: str
    data_provider: str
    records: int
    dataset_id: int
    replaced: list[int] = field(default_factory=list)
    """Ids of the stored datasets the file replaced (its own id first, if any)."""
    unchanged: bool = False
    """With ``skip_unchanged``: the file was imported before and nothing was done."""

    def __str__(self) -> str:
        if self.unchanged:
            return (
                f"{self.file}: unchanged since its import as dataset "
                f"{self.dataset_id} ({self.records} repair records); nothing done."
            )
        if self.replaced:
            what = "replaced dataset " + ", ".join(map(str, self.replaced))
        else:
            what = "new dataset"
        return (
            f"{self.file} (ORDS {self.ords_version}, {self.data_provider}): "
            f"{self.records} repair records imported as dataset {self.dataset_id} "
            f"({what})."
        )


def _checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check(name: str, records: Iterable[OrdsRecord], c: Collector) -> None:
    """What the engine accepts but the database columns cannot hold."""
    for r in records:
        for column, limit in _LIMITS.items():
            value = r.id if column == "id" else getattr(r, column)
            if len(value) > limit:
                c.add(
                    Problem(
                        name,
                        f"must be at most {limit} characters (got {len(value)})",
                        r.line,
                        field=column,
                    )
                )


def _provider(
    name: str, records: Iterable[OrdsRecord], provider_name: str | None, c: Collector
) -> str:
    if provider_name is not None:
        provider = provider_name.strip()
        if not provider or len(provider) > _LIMITS["data_provider"]:
            c.add(
                Problem(
                    name,
                    "the provider name must be 1 to "
                    f"{_LIMITS['data_provider']} characters",
                )
            )
        return provider
    providers = sorted({r.data_provider for r in records})
    if len(providers) > 1:
        c.add(
            Problem(
                name,
                f"has records of {len(providers)} data providers "
                f"({', '.join(providers[:5])}{', ...' if len(providers) > 5 else ''})"
                "; name the provider of the dataset with --provider-name",
            )
        )
    return providers[0] if providers else ""


def _same_datasets(checksum: str, provider: str, ids: set[str]) -> list[OrdsDataset]:
    """The stored datasets this file replaces (module docstring), oldest first."""
    same = []
    candidates = OrdsDataset.objects.select_for_update().filter(
        kind=DatasetKind.IMPORTED
    )
    for dataset in candidates.order_by("id"):
        if dataset.checksum == checksum:
            same.append(dataset)
            continue
        if dataset.data_provider != provider:
            continue
        stored = RepairRecord.objects.filter(dataset=dataset).values_list(
            "ords_id", flat=True
        )
        if any(i in ids for i in stored.iterator(chunk_size=5000)):
            same.append(dataset)
    return same


def _row(dataset: OrdsDataset, r: OrdsRecord) -> RepairRecord:
    return RepairRecord(
        dataset=dataset,
        ords_id=r.id,
        data_provider=r.data_provider,
        country=r.country,
        partner_product_category=r.partner_product_category,
        product_category=r.product_category,
        product_category_id=r.product_category_id,
        brand=r.brand or "",
        year_of_manufacture=r.year_of_manufacture,
        product_age=r.product_age,
        repair_status=r.repair_status,
        repair_barrier_if_end_of_life=r.repair_barrier,
        group_identifier=r.group_identifier,
        event_date=r.event_date,
        problem=r.problem,
    )


def ords_import(
    path: Path,
    *,
    provider_name: str | None = None,
    licence: str = ORDS_LICENCE,
    licence_url: str = ORDS_LICENCE_URL,
    attribution: str | None = None,
    source_url: str = ORDS_SOURCE_URL,
    actor: User | None = None,
    skip_unchanged: bool = False,
    progress: Callable[[float, str], None] | None = None,
) -> OrdsImportReport:
    """Import an ORDS 0.2.1 or 0.3 file (module docstring). Raises DataLoadError
    with every problem, and writes nothing, when the file has any.

    ``skip_unchanged``: when a dataset was imported from a file with the same
    checksum, do nothing (the file is not even read); for set-up scripts that run
    again and again.

    ``attribution`` defaults to "Open Repair Alliance, data provider <provider>"
    (the credit the Open Repair Alliance's CC BY-SA 4.0 data asks for).

    ``progress(percent, message)`` is told of the phases and of the records read
    (a background job shows it)."""
    require(rules.can_import_ords(actor))
    report = progress or (lambda percent, message: None)
    path = Path(path)
    if skip_unchanged and path.is_file():
        same = (
            OrdsDataset.objects.filter(
                kind=DatasetKind.IMPORTED, checksum=_checksum(path)
            )
            .order_by("id")
            .first()
        )
        if same is not None:
            return OrdsImportReport(
                file=path.name,
                ords_version=same.ords_version,
                data_provider=same.data_provider,
                records=same.record_count,
                dataset_id=same.pk,
                unchanged=True,
            )
    report(5, _("Reading the file"))
    ords = read_ords(path)  # raises DataLoadError with file, line and field
    assert ords is not None
    c = Collector()
    if not ords.records:
        c.add(Problem(ords.name, "holds no repair records"))
    _check(ords.name, ords.records, c)
    provider = _provider(ords.name, ords.records, provider_name, c)
    for option, value, limit in (
        ("licence", licence, 100),
        ("licence URL", licence_url, 300),
        ("source URL", source_url, 300),
    ):
        if len(value) > limit:
            c.add(
                Problem(ords.name, f"the {option} must be at most {limit} characters")
            )
    c.raise_if_any()
    # The records are stored in one transaction: a job's progress written inside it
    # would only be seen at its end, so the last report comes before it.
    report(
        40,
        _("%(n)s records read and checked; storing them") % {"n": len(ords.records)},
    )
    checksum = _checksum(path)
    if attribution is None:
        attribution = f"Open Repair Alliance, data provider {provider}"
    values = {
        "kind": DatasetKind.IMPORTED,
        "file_name": ords.name[:255],
        "ords_version": ords.version,
        "data_provider": provider,
        "licence": licence,
        "licence_url": licence_url,
        "attribution": attribution,
        "source_url": source_url,
        "organisation": None,
        "imported_at": timezone.now(),
        "record_count": len(ords.records),
        "checksum": checksum,
    }
    with transaction.atomic():
        same = _same_datasets(checksum, provider, {r.id for r in ords.records})
        replaced = [d.pk for d in same]
        if same:
            dataset = same[0]
            RepairRecord.objects.filter(dataset__in=same).delete()
            for other in same[1:]:
                other.delete()
            for name, value in values.items():
                setattr(dataset, name, value)
            dataset.save()
        else:
            dataset = OrdsDataset.objects.create(**values)
        RepairRecord.objects.bulk_create(
            (_row(dataset, r) for r in ords.records), batch_size=BATCH_SIZE
        )
    return OrdsImportReport(
        file=ords.name,
        ords_version=ords.version,
        data_provider=provider,
        records=len(ords.records),
        dataset_id=dataset.pk,
        replaced=replaced,
    )


# Own records -------------------------------------------------------------------------


def _own_dataset(organisation: Organisation) -> OrdsDataset:
    """The organisation's dataset of own records, locked for this transaction."""
    dataset, _created = OrdsDataset.objects.get_or_create(
        kind=DatasetKind.OWN,
        organisation=organisation,
        defaults={
            "ords_version": OWN_ORDS_VERSION,
            "data_provider": organisation.name[: _LIMITS["data_provider"]],
            "attribution": organisation.name,
            "imported_at": timezone.now(),
        },
    )
    return OrdsDataset.objects.select_for_update().get(pk=dataset.pk)


def _own_values(
    *,
    event_date: dt.date,
    product_category_id: int,
    repair_status: int,
    repair_barrier: int | None,
    brand: str,
    problem: str,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if event_date > today:
        errors["event_date"] = _("The date lies in the future.")
    elif event_date.year < FIRST_YEAR:
        errors["event_date"] = _("Enter a date from %(year)s on.") % {
            "year": FIRST_YEAR
        }
    if product_category_id not in ORDS_PRODUCT_CATEGORIES:
        errors["product_category_id"] = _("Choose one of the product categories.")
    if repair_status not in REPAIR_STATUSES:
        errors["repair_status"] = _("Choose one of the repair outcomes.")
    if repair_barrier is not None:
        if repair_barrier not in BARRIERS:
            errors["repair_barrier"] = _("Choose one of the barriers.")
        elif repair_status != RepairStatus.END_OF_LIFE:
            errors["repair_barrier"] = _(
                "A barrier is only recorded when the item is at its end of life."
            )
    brand = brand.strip()
    if len(brand) > MAX_BRAND:
        errors["brand"] = _("At most %(n)s characters.") % {"n": MAX_BRAND}
    problem = " ".join(problem.split())
    if len(problem) > MAX_PROBLEM:
        errors["problem"] = _("At most %(n)s characters.") % {"n": MAX_PROBLEM}
    if errors:
        raise ValidationError(errors)
    return {
        "event_date": event_date,
        "product_category_id": product_category_id,
        "product_category": ORDS_PRODUCT_CATEGORIES.get(product_category_id, ""),
        "repair_status": repair_status,
        "repair_barrier_if_end_of_life": repair_barrier,
        "brand": brand,
        "problem": problem,
    }


def own_record_create(
    *,
    actor: User | None,
    organisation: Organisation,
    event_date: dt.date,
    product_category_id: int,
    repair_status: int,
    repair_barrier: int | None = None,
    brand: str = "",
    problem: str = "",
) -> RepairRecord:
    """Record one repair of the organisation (its editors and coordinators). The
    problem text is published as open data: it must hold no personal data."""
    require(rules.can_record_repairs(actor, organisation))
    values = _own_values(
        event_date=event_date,
        product_category_id=product_category_id,
        repair_status=repair_status,
        repair_barrier=repair_barrier,
        brand=brand,
        problem=problem,
    )
    with transaction.atomic():
        dataset = _own_dataset(organisation)
        number = dataset.record_count + 1
        taken = set(
            RepairRecord.objects.filter(dataset=dataset).values_list(
                "ords_id", flat=True
            )
        )
        while f"{organisation.slug}_{number}" in taken:
            number += 1
        record = RepairRecord.objects.create(
            dataset=dataset,
            ords_id=f"{organisation.slug}_{number}",
            data_provider=dataset.data_provider,
            country=OWN_COUNTRY,
            partner_product_category=values["product_category"],
            group_identifier=organisation.slug[: _LIMITS["group_identifier"]],
            **values,
        )
        dataset.record_count = len(taken) + 1
        dataset.imported_at = timezone.now()
        dataset.save(update_fields=["record_count", "imported_at"])
    return record


__all__ = [
    "BATCH_SIZE",
    "DataLoadError",
    "OrdsImportReport",
    "ords_import",
    "own_record_create",
]
