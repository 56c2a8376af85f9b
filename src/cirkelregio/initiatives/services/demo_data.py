# SPDX-License-Identifier: EUPL-1.2
"""Load the initiatives demo data (``data/demo/<region>/initiatives/``): invented,
published initiatives and one active contact point for a few municipalities.

Every record is marked ``is_demo``. All or nothing: both files are checked first
(against the region's reference data and the registry demo data) and nothing is
written when there is a problem. Idempotent: initiatives are found again by name and
municipality among the demo records, contact points by municipality, organisation
and role; loading again changes nothing that is already as the files say.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction

from cirkelregio.engine.dataio import (
    Collector,
    FieldError,
    boolean,
    choice,
    date,
    pattern,
    read_csv,
    text,
)
from cirkelregio.initiatives.models import (
    ContactPoint,
    Initiative,
    InitiativeStatus,
    InitiativeType,
    Stage,
    needs_join,
    phone_number,
)
from cirkelregio.initiatives.services._common import full_clean
from cirkelregio.regions.models import Municipality, Organisation

INITIATIVE_COLUMNS = (
    "name",
    "type",
    "municipality",
    "stage",
    "description_nl",
    "description_en",
    "needs",
    "support_text",
    "website",
    "contact_email",
    "contact_phone",
    "contact_consent",
    "owner",
)
CONTACT_POINT_COLUMNS = (
    "municipality",
    "organisation",
    "role_name",
    "email",
    "phone",
    "website",
    "hours_nl",
    "hours_en",
    "last_verified",
)
_CBS = pattern(r"GM\d{4}", "a CBS code GM followed by four digits")
_SLUG = pattern(r"[a-z0-9-]+", "a slug (lower-case letters, digits and -)")


@dataclass
class InitiativesDemoReport:
    initiatives: int = 0
    contact_points: int = 0
    created: int = 0
    updated: int = 0

    def __str__(self) -> str:
        return (
            f"Initiatives demo data: {self.initiatives} initiatives, "
            f"{self.contact_points} contact points ({self.created} created, "
            f"{self.updated} updated)."
        )


def _django(validator: Any, max_length: int) -> Any:
    """A parser from a Django validator (e-mail, URL, phone number)."""

    def parse(raw: Any) -> str:
        value = text(max_length)(raw)
        try:
            validator(value)
        except ValidationError as exc:
            raise FieldError("; ".join(exc.messages)) from None
        return value

    return parse


_EMAIL = _django(EmailValidator(), 254)
_URL = _django(URLValidator(schemes=["http", "https"]), 200)
_PHONE = _django(phone_number, 30)


def _needs(raw: Any) -> str:
    try:
        return needs_join([c for c in str(raw).split(";") if c.strip()])
    except ValidationError as exc:
        raise FieldError("; ".join(exc.messages)) from None


def _read_initiatives(
    path: Path, orgs: dict[str, int], municipalities: dict[str, int], c: Collector
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for row in read_csv(path, INITIATIVE_COLUMNS, c):
        name = row.get("name", text(200))
        cbs = row.get("municipality", _CBS)
        if cbs and cbs not in municipalities:
            row.problem("municipality", f"unknown CBS code {cbs}")
        if (name or "", cbs or "") in seen:
            row.problem("name", f"duplicate initiative {name} in {cbs}")
        seen.add((name or "", cbs or ""))
        owner = row.get("owner", _SLUG, required=False)
        if owner and owner not in orgs:
            row.problem("owner", f"unknown organisation {owner}")
        description_nl = row.get("description_nl", text())
        out.append(
            {
                "name": name,
                "municipality_id": municipalities.get(cbs or ""),
                "type": row.get("type", choice(InitiativeType.values)),
                "stage": row.get("stage", choice(Stage.values)),
                "description_nl": description_nl,
                "description_en": row.get("description_en", text(), required=False)
                or "",
                "needs": row.get("needs", _needs, required=False) or "",
                "support_text": row.get("support_text", text(2000), required=False)
                or "",
                "website": row.get("website", _URL, required=False) or "",
                "contact_email": row.get("contact_email", _EMAIL, required=False) or "",
                "contact_phone": row.get("contact_phone", _PHONE, required=False) or "",
                "contact_consent": row.get("contact_consent", boolean),
                "owner_id": orgs.get(owner) if owner else None,
                "status": InitiativeStatus.PUBLISHED,
            }
        )
    return out


def _read_contact_points(
    path: Path, orgs: dict[str, int], municipalities: dict[str, int], c: Collector
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    taken = dict(
        ContactPoint.objects.filter(is_active=True).values_list(
            "municipality__cbs_code", "is_demo"
        )
    )
    for row in read_csv(path, CONTACT_POINT_COLUMNS, c):
        cbs = row.get("municipality", _CBS)
        if cbs and cbs not in municipalities:
            row.problem("municipality", f"unknown CBS code {cbs}")
        if cbs in seen:
            row.problem("municipality", f"a second contact point for {cbs}")
        if cbs and taken.get(cbs) is False:
            row.problem(
                "municipality",
                f"{cbs} already has an active contact point that is not demo data",
            )
        seen.add(cbs or "")
        organisation = row.get("organisation", _SLUG)
        if organisation and organisation not in orgs:
            row.problem("organisation", f"unknown organisation {organisation}")
        values = {
            "municipality_id": municipalities.get(cbs or ""),
            "organisation_id": orgs.get(organisation or ""),
            "role_name": row.get("role_name", text(200)),
            "email": row.get("email", _EMAIL, required=False) or "",
            "phone": row.get("phone", _PHONE, required=False) or "",
            "website": row.get("website", _URL, required=False) or "",
            "hours_nl": row.get("hours_nl", text(300), required=False) or "",
            "hours_en": row.get("hours_en", text(300), required=False) or "",
            "last_verified": row.get("last_verified", date),
            "is_active": True,
        }
        if not (values["email"] or values["phone"] or values["website"]):
            row.problem("email", "give an e-mail address, a phone number or a website")
        out.append(values)
    return out


def _upsert(
    model: Any,
    key: dict[str, Any],
    values: dict[str, Any],
    report: InitiativesDemoReport,
    label: str,
) -> Any:
    instance = model.objects.filter(**key, is_demo=True).first()
    if instance is None:
        instance = model(**key, **values, is_demo=True)
        report.created += 1
    else:
        changed = [n for n, v in values.items() if getattr(instance, n) != v]
        if not changed:
            return instance
        for name in changed:
            setattr(instance, name, values[name])
        report.updated += 1
    try:
        full_clean(instance)
    except ValidationError as exc:  # the files were checked; this is a safety net
        raise ValidationError(f"{label}: {exc.messages}") from exc
    instance.save()
    return instance


def initiatives_demo_load(*, directory: Path) -> InitiativesDemoReport:
    """Check both files, then write them in one transaction."""
    c = Collector()
    orgs = dict(Organisation.objects.values_list("slug", "pk"))
    municipalities = dict(Municipality.objects.values_list("cbs_code", "pk"))
    initiatives = _read_initiatives(
        directory / "initiatives.csv", orgs, municipalities, c
    )
    contact_points = _read_contact_points(
        directory / "contact_points.csv", orgs, municipalities, c
    )
    c.raise_if_any()

    report = InitiativesDemoReport()
    with transaction.atomic():
        for values in initiatives:
            key = {
                "name": values.pop("name"),
                "municipality_id": values.pop("municipality_id"),
            }
            _upsert(Initiative, key, values, report, f"initiative {key['name']}")
            report.initiatives += 1
        for values in contact_points:
            key = {
                "municipality_id": values.pop("municipality_id"),
                "organisation_id": values.pop("organisation_id"),
                "role_name": values.pop("role_name"),
            }
            # A demo contact point that the file no longer names for this
            # municipality steps aside (one active per municipality).
            for old in ContactPoint.objects.filter(
                municipality_id=key["municipality_id"], is_active=True, is_demo=True
            ).exclude(**key):
                old.is_active = False
                old.save()
                report.updated += 1
            _upsert(ContactPoint, key, values, report, f"contact point {key}")
            report.contact_points += 1
    return report
