# SPDX-License-Identifier: EUPL-1.2
"""The released reclaimed asphalt of planned works as a supply forecast on the
materials exchange (issue 6, part 2), through the exchange's own services.

Per work that is not done: the tar-free asphalt it releases and its road manager
offers for reuse (``MaterialLine.offered``; tar-containing asphalt, EURAL
17 03 01*, is never offered), in tonnes where the density is known. It becomes
one supply listing of the authority in the material class ``asfaltgranulaat``
(unit t), at the centre of the section's bounding box, in the work's window,
with the reference ``roads-work-<id>`` so that publishing again updates it.
A listing whose work is done, removed or releases nothing to offer any more is
withdrawn when it is open; a reserved listing is left to its proposals, and a
closed one (placed, or withdrawn, perhaps by hand) is not opened again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.exchange import selectors as exchange_selectors
from cirkelregio.exchange import services as exchange_services
from cirkelregio.regions.models import Organisation
from cirkelregio.roads import rules
from cirkelregio.roads.models import MaintenanceWork, WorkStatus
from cirkelregio.roads.selectors import work_released_materials
from cirkelregio.roads.services._common import require

MATERIAL_CODE = "asfaltgranulaat"
REFERENCE_PREFIX = "roads-work-"


def reference(work_id: int) -> str:
    return f"{REFERENCE_PREFIX}{work_id}"


@dataclass
class ForecastReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"Supply forecast: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.withdrawn} withdrawn."
        ]
        lines += [f"  skipped: {s}" for s in self.skipped]
        return "\n".join(lines)


def offered_tonnes(work: MaintenanceWork) -> tuple[float, list[str]]:
    """Tonnes of tar-free asphalt the work releases and offers, and the reasons
    for offered layers whose tonnes are unknown."""
    wm = work_released_materials(work=work)
    if wm.materials is None:
        return 0.0, [wm.error]
    offered = [
        line for line in wm.materials.released if line.offered and not line.hazardous
    ]
    known = [line.tonnes for line in offered if line.tonnes is not None]
    missing = [line.error for line in offered if line.tonnes is None]
    return math.fsum(known), missing


def _values(work: MaintenanceWork, tonnes: float) -> dict[str, object]:
    section = work.section
    west, south, east, north = section.bbox
    return {
        "project_name": f"{work.external_id} {section.name}"[:200],
        "quantity": round(tonnes, 3),
        "lat": round((south + north) / 2, 6),
        "lon": round((west + east) / 2, 6),
        "country": "NL",
        "municipality": section.municipality,
        "window_from": work.window_start,
        "window_until": work.window_end,
        "notes": _(
            "Forecast from maintenance work %(work)s (%(type)s): tar-free reclaimed "
            "asphalt (EURAL 17 03 02) released by the work, from the materials "
            "passport."
        )
        % {"work": work.external_id, "type": work.get_work_type_display()},
        "is_published": True,
    }


def _material() -> Any:
    return exchange_selectors.material_list().filter(code=MATERIAL_CODE).first()


@transaction.atomic
def forecast_publish(
    *,
    actor: User | None = None,
    authority: Organisation | None = None,
) -> ForecastReport:
    """Bring the exchange's supply forecast of reclaimed asphalt in step with the
    works (module docstring), of ``authority`` or of all authorities. Idempotent."""
    if authority is not None:
        require(rules.can_publish_forecast(actor, authority))
    else:
        require(actor is None or bool(getattr(actor, "is_coordinator", False)))
    material = _material()
    if material is None:
        raise ValidationError(
            _(
                "The exchange has no material class %(code)s: load the exchange "
                "catalogue first."
            )
            % {"code": MATERIAL_CODE}
        )
    works = _works()
    listings = exchange_selectors.listings_by_reference(
        reference_prefix=REFERENCE_PREFIX,
        owner_id=authority.pk if authority is not None else None,
    )
    if authority is not None:
        works = works.filter(authority=authority)
    return _sync(actor, material, works, listings)


def forecast_follow(
    *, actor: User | None, work_ids: Iterable[int]
) -> ForecastReport | None:
    """Bring the supply forecast of these works in step, within the caller's
    transaction: the imports, the work and passport services call this after
    their writes, so a road manager sees the released reclaimed asphalt on the
    exchange at once and a refused import changes nothing there either. Ids of
    removed works withdraw their open listings. None when the exchange has no
    material class ``asfaltgranulaat`` (its catalogue is not loaded): then
    there is nothing to offer it in."""
    ids = sorted(set(work_ids))
    material = _material()
    if material is None or not ids:
        return None
    works = _works().filter(pk__in=ids)
    listings = exchange_selectors.listings_by_reference(
        reference_prefix=REFERENCE_PREFIX
    ).filter(reference__in=[reference(i) for i in ids])
    return _sync(actor, material, works, listings)


def _works() -> QuerySet[MaintenanceWork]:
    return MaintenanceWork.objects.select_related(
        "authority", "section", "section__municipality"
    ).prefetch_related("new_layers__mixture")


def _sync(
    actor: User | None,
    material: Any,
    works: Iterable[MaintenanceWork],
    listings: Iterable[Any],
) -> ForecastReport:
    """Create, update and withdraw the listings of ``listings`` so that they
    follow ``works``: every listing not wanted by one of the works is withdrawn
    when it is open."""
    existing = {(x.owner_id, x.reference): x for x in listings}
    report = ForecastReport()
    wanted: set[tuple[int, str]] = set()
    for work in works:
        if work.status == WorkStatus.DONE:
            continue
        tonnes, missing = offered_tonnes(work)
        for reason in missing:
            report.skipped.append(f"{work.external_id}: {reason}")
        if tonnes <= 0:
            continue
        key = (work.authority_id, reference(work.pk))
        wanted.add(key)
        values = _values(work, tonnes)
        listing = existing.get(key)
        try:
            if listing is None:
                exchange_services.listing_create(
                    actor=actor,
                    owner=work.authority,
                    kind="supply",
                    reference=key[1],
                    material=material,
                    is_demo=work.is_demo,
                    **values,
                )
                report.created += 1
                continue
            if listing.status != "open":
                # Reserved: its proposals decide; closed: placed or withdrawn,
                # perhaps by hand, and not opened again here.
                report.unchanged += 1
                continue
            municipality = values.pop("municipality")
            changes = {k: v for k, v in values.items() if getattr(listing, k) != v}
            if listing.municipality_id != getattr(municipality, "pk", None):
                changes["municipality"] = municipality
            if listing.material_id != material.pk:
                changes["material"] = material
            if not changes:
                report.unchanged += 1
                continue
            exchange_services.listing_update(actor=actor, listing=listing, **changes)
            report.updated += 1
        except ValidationError as exc:
            report.skipped.append(f"{work.external_id}: {'; '.join(exc.messages)}")
    for key, listing in existing.items():
        if key in wanted or listing.status != "open":
            continue
        exchange_services.listing_withdraw(actor=actor, listing=listing)
        report.withdrawn += 1
    return report
