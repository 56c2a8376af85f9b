# SPDX-License-Identifier: EUPL-1.2
"""Load the MKI demo data (``data/demo/<region>/mki/``): a profile library with
SYNTHETIC numbers (marked so in its name and its ``is_synthetic`` flag, never
presented as NMD data), demo projects with variants and bills, a tender with bids,
and their nmd-a2 results so that comparison and the regional monitor have content.

All or nothing: both files are checked first and nothing is written when there is a
problem. Idempotent: loading again changes nothing that is already as the files say
(no new library revision, no new results).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from cirkelregio.engine.dataio import (
    Collector,
    DataLoadError,
    Problem,
    Row,
    choice,
    integer,
    number,
    read_json,
    text,
)
from cirkelregio.mki.adapters import builtin_weighting, data_digest, fingerprint
from cirkelregio.mki.adapters import weighting_digest as w_digest
from cirkelregio.mki.models import (
    Bid,
    BillLine,
    CalculationResult,
    CriterionKind,
    Outcome,
    ProfileLibrary,
    Project,
    ProjectPhase,
    Tender,
    Variant,
)
from cirkelregio.mki.services.calculation import variant_calculate
from cirkelregio.mki.services.libraries import read_profile_csv, write_profiles
from cirkelregio.mki.services.projects import write_bill
from cirkelregio.regions.models import Municipality, Organisation

FILE_NAME = "projects.json"
DEMO_METHOD = "nmd-a2"


@dataclass
class MkiDemoReport:
    profiles: int = 0
    projects: int = 0
    variants: int = 0
    results_calculated: int = 0

    def __str__(self) -> str:
        return (
            f"MKI demo data: {self.profiles} synthetic profiles, {self.projects} "
            f"projects, {self.variants} variants, {self.results_calculated} new "
            "results."
        )


def _read(directory: Path, c: Collector) -> dict[str, Any]:
    path = directory / FILE_NAME
    data = read_json(path, c)
    if data is None:
        return {}
    if not isinstance(data, dict):
        c.add(Problem(path.name, "must hold one JSON object"))
        return {}
    name = path.name
    lib = Row(name, data.get("library") or {}, c, record="library")
    library = {
        "name": lib.get("name", text(200)),
        "description": lib.get("description", text(), required=False) or "",
        "source": lib.get("source", text(), required=False) or "",
        "licence": lib.get("licence", text(200), required=False) or "",
    }
    profiles_file = lib.get("profiles", text(100))
    profiles: dict[str, Any] = {}
    if profiles_file:
        csv_path = directory / Path(profiles_file).name
        try:
            profiles = read_profile_csv(csv_path.read_bytes(), csv_path.name)
        except OSError as exc:
            c.add(Problem(csv_path.name, f"cannot be read ({exc.strerror})"))
        except DataLoadError as exc:
            for problem in exc.problems:
                c.add(problem)
    if library["name"] and "synthe" not in library["name"].lower():
        lib.problem(
            "name", "the demo library's name must say its numbers are synthetic"
        )

    organisations = set(Organisation.objects.values_list("slug", flat=True))
    municipalities = set(Municipality.objects.values_list("cbs_code", flat=True))
    projects = []
    seen: set[tuple[str, str]] = set()
    for i, item in enumerate(data.get("projects") or []):
        record = f"projects[{i}]"
        row = Row(name, item if isinstance(item, dict) else {}, c, record=record)
        owner = row.get("owner", text(120))
        if owner and owner not in organisations:
            row.problem("owner", f"unknown organisation {owner}")
        cbs = row.get("municipality", text(6), required=False)
        if cbs and cbs not in municipalities:
            row.problem("municipality", f"unknown CBS code {cbs}")
        project_name = row.get("name", text(200))
        if (owner or "", project_name or "") in seen:
            row.problem("name", f"duplicate project {project_name}")
        seen.add((owner or "", project_name or ""))
        variants = []
        references = 0
        for j, v in enumerate(
            item.get("variants") or [] if isinstance(item, dict) else []
        ):
            vrecord = f"{record}.variants[{j}]"
            vrow = Row(name, v if isinstance(v, dict) else {}, c, record=vrecord)
            is_reference = (
                bool(v.get("reference", False)) if isinstance(v, dict) else False
            )
            references += is_reference
            lines = []
            line_ids: set[str] = set()
            for k, ln in enumerate(v.get("lines") or [] if isinstance(v, dict) else []):
                lrow = Row(
                    name,
                    ln if isinstance(ln, dict) else {},
                    c,
                    record=f"{vrecord}.lines[{k}]",
                )
                line_id = lrow.get("line_id", text(100))
                if line_id in line_ids:
                    lrow.problem("line_id", f"duplicate line {line_id}")
                line_ids.add(line_id or "")
                pid = lrow.get("profile_id", text(100))
                if pid and profiles and pid not in profiles:
                    lrow.problem("profile_id", f"unknown profile {pid!r}")
                life = lrow.get("service_life_years", number(), required=False)
                if life is not None and life <= 0:
                    lrow.problem("service_life_years", "must be more than 0 years")
                lines.append(
                    (
                        line_id,
                        lrow.get("element", text(200)),
                        pid,
                        lrow.get("quantity", number(0)),
                        life,
                    )
                )
            variants.append(
                {
                    "name": vrow.get("name", text(200)),
                    "notes": vrow.get("notes", text(), required=False) or "",
                    "is_reference": is_reference,
                    "lines": lines,
                }
            )
        if references != 1:
            row.problem("variants", "exactly one variant must be the reference")
        tenders = []
        for j, t in enumerate(
            item.get("tenders") or [] if isinstance(item, dict) else []
        ):
            trow = Row(
                name,
                t if isinstance(t, dict) else {},
                c,
                record=f"{record}.tenders[{j}]",
            )
            bids = []
            for k, b in enumerate(t.get("bids") or [] if isinstance(t, dict) else []):
                brow = Row(
                    name,
                    b if isinstance(b, dict) else {},
                    c,
                    record=f"{record}.tenders[{j}].bids[{k}]",
                )
                bids.append(
                    {
                        "bidder_name": brow.get("bidder_name", text(200)),
                        "price": brow.get("price", number(0)),
                        "promised_mki": brow.get("promised_mki", number()),
                        "as_built_mki": brow.get(
                            "as_built_mki", number(), required=False
                        ),
                    }
                )
            tenders.append(
                {
                    "name": trow.get("name", text(200)),
                    "kind": trow.get("kind", choice(CriterionKind.values)),
                    "upper_bound": trow.get("upper_bound", number(), required=False)
                    or 0.0,
                    "lower_bound": trow.get("lower_bound", number(), required=False)
                    or 0.0,
                    "max_discount": trow.get("max_discount", number(0), required=False)
                    or 0.0,
                    "k": trow.get("k", number(0), required=False) or 0.0,
                    "penalty_factor": trow.get(
                        "penalty_factor", number(0), required=False
                    )
                    or 1.5,
                    "bids": bids,
                }
            )
        projects.append(
            {
                "name": project_name,
                "owner": owner,
                "municipality": cbs,
                "year": row.get("year", integer(2000, 2100)),
                "phase": row.get("phase", choice(ProjectPhase.values)),
                "description": row.get("description", text(), required=False) or "",
                "variants": variants,
                "tenders": tenders,
            }
        )
    return {"library": library, "profiles": profiles, "projects": projects}


def mki_demo_load(*, directory: Path) -> MkiDemoReport:
    """Load the MKI demo data from ``directory`` (``.../mki``). All or nothing."""
    c = Collector()
    directory = Path(directory)
    if not directory.is_dir():
        c.add(Problem(str(directory), "is not a folder"))
        c.raise_if_any()
    if not Organisation.objects.exists():
        c.add(Problem(str(directory), "load the region's reference data first"))
        c.raise_if_any()
    data = _read(directory, c)
    c.raise_if_any()
    with transaction.atomic():
        return _write(data)


def _same_content(library: ProfileLibrary, profiles: dict[str, Any]) -> bool:
    current: dict[str, tuple[Any, ...]] = {}
    for p in library.profiles.prefetch_related("values"):
        current[p.profile_id] = (
            p.name,
            p.unit,
            p.data_category,
            sorted((v.module, v.indicator, v.value) for v in p.values.all()),
        )
    wanted = {
        pid: (p.name, p.unit, p.data_category, sorted(p.rows))
        for pid, p in profiles.items()
    }
    return current == wanted


def _write(data: dict[str, Any]) -> MkiDemoReport:
    report = MkiDemoReport(profiles=len(data["profiles"]))
    values = data["library"]
    library = ProfileLibrary.objects.filter(name__iexact=values["name"]).first()
    if library is None:
        library = ProfileLibrary(
            **values, is_synthetic=True, is_published=True, is_demo=True
        )
        library.full_clean()
        library.save()
    if not _same_content(library, data["profiles"]):
        write_profiles(
            library, data["profiles"], replace=True, file_name="profiles.csv"
        )
    codes = dict(library.profiles.values_list("profile_id", "pk"))
    orgs = {
        o.slug: o
        for o in Organisation.objects.filter(
            slug__in=[p["owner"] for p in data["projects"]]
        )
    }
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    weighting = builtin_weighting(DEMO_METHOD)
    digest = w_digest(weighting)
    for item in data["projects"]:
        owner = orgs[item["owner"]]
        project = Project.objects.filter(owner=owner, name=item["name"]).first()
        if project is None:
            project = Project(
                owner=owner,
                name=item["name"],
                municipality=municipalities.get(item["municipality"] or ""),
                year=item["year"],
                phase=item["phase"],
                description=item["description"],
                is_published=True,
                is_demo=True,
            )
            project.full_clean()
            project.save()
        report.projects += 1
        for spec in item["variants"]:
            variant = project.variants.filter(name=spec["name"]).first()
            if variant is None:
                if spec["is_reference"]:
                    project.variants.filter(is_reference=True).update(
                        is_reference=False
                    )
                variant = Variant.objects.create(
                    project=project,
                    name=spec["name"],
                    notes=spec["notes"],
                    is_reference=spec["is_reference"],
                )
            wanted = [
                (line_id, element, codes[pid], float(q), life)
                for line_id, element, pid, q, life in spec["lines"]
            ]
            current = list(
                BillLine.objects.filter(element__variant=variant)
                .order_by("element__order", "element_id", "id")
                .values_list(
                    "line_id",
                    "element__name",
                    "profile_id",
                    "quantity",
                    "service_life_years",
                )
            )
            if current != wanted:
                write_bill(variant, wanted)
            report.variants += 1
            inputs = fingerprint(data_digest(variant), digest)
            for include_d in (True, False):
                fresh = CalculationResult.objects.filter(
                    variant=variant,
                    method=DEMO_METHOD,
                    include_module_d=include_d,
                    outcome=Outcome.SUCCEEDED,
                    inputs_fingerprint=inputs,
                ).exists()
                if not fresh:
                    variant_calculate(
                        variant=variant, method=DEMO_METHOD, include_module_d=include_d
                    )
                    report.results_calculated += 1
        for spec in item["tenders"]:
            bids = spec.pop("bids")
            tender = project.tenders.filter(name=spec["name"]).first()
            if tender is None:
                tender = Tender(project=project, **spec)
                tender.full_clean()
                tender.save()
            spec["bids"] = bids
            for b in bids:
                if not tender.bids.filter(bidder_name=b["bidder_name"]).exists():
                    bid = Bid(tender=tender, **{**b, "price": Decimal(str(b["price"]))})
                    bid.full_clean()
                    bid.save()
    return report
