# SPDX-License-Identifier: EUPL-1.2
"""Reads of biobased insulation: the catalogue, the projects, and the progress
against the target per municipality and for the province, per year and cumulative.

**The target metric** (``meeting_share``) follows the wording of the national
agreement quoted in the policy document: the share of the insulation task carried
out with at least ``TARGET.threshold_percent`` biobased material. The task is
counted in a ``Basis``: projects (each reported project counts once), homes, or
square metres; the default is ``settings.BIOBASED_TARGET_BASIS`` (``projects`` when
not set). A project's biobased share is its reported share, else its material's
typical share; a project whose share is unknown is left out of the metric and
counted in ``unknown_projects``.

**The plain biobased share** (``biobased_share_area``, ``biobased_share_mass``) is
Σ quantity × share / Σ quantity over the projects with a known share, by square
metres and by kg of material (only projects whose mass is known: reported, or area ×
thickness × density).

**Biogenic CO2 stored** (``co2_stored_kg``) is Σ kg of material × the material's
kg CO2 per kg (EN 16449). A project with a factor of 0 (no biomass) adds 0; a project
whose mass or factor is unknown is left out and counted in ``co2_unknown_projects``
and ``co2_unknown_area_m2``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from cirkelregio.biobased.models import (
    TARGET,
    Basis,
    InsulationMaterial,
    InsulationProject,
    SourceChannel,
    Target,
)
from cirkelregio.regions.models import Municipality

__all__ = [
    "TARGET",
    "Basis",
    "Progress",
    "ProgressReport",
    "SourceChannel",
    "Target",
    "default_basis",
    "material_list",
    "municipality_progress",
    "progress_report",
    "project_list",
    "summarise",
]


def default_basis() -> str:
    basis = getattr(settings, "BIOBASED_TARGET_BASIS", Basis.PROJECTS)
    return basis if basis in Basis.values else Basis.PROJECTS


def material_list() -> QuerySet[InsulationMaterial]:
    return InsulationMaterial.objects.order_by("code")


def project_list(*, user: Any = None) -> QuerySet[InsulationProject]:
    """Every project: they are public aggregates (no addresses, no persons)."""
    del user
    return InsulationProject.objects.select_related("municipality", "material")


def project_filter(
    projects: QuerySet[InsulationProject],
    *,
    municipality: str | None = None,
    year: int | None = None,
    source_channel: str | None = None,
) -> QuerySet[InsulationProject]:
    if municipality:
        projects = projects.filter(municipality__cbs_code=municipality)
    if year is not None:
        projects = projects.filter(year=year)
    if source_channel:
        projects = projects.filter(source_channel=source_channel)
    return projects


@dataclass(frozen=True)
class Fact:
    """What the figures need of one project."""

    homes: int
    area_m2: float
    share: float | None
    mass_kg: float | None
    co2_per_kg: float | None


def fact_of(project: InsulationProject) -> Fact:
    return Fact(
        homes=project.homes,
        area_m2=project.area_m2,
        share=project.effective_share,
        mass_kg=project.effective_mass_kg,
        co2_per_kg=project.material.biogenic_co2_per_kg,
    )


@dataclass
class Progress:
    """The figures of a set of projects (module docstring)."""

    projects: int = 0
    homes: int = 0
    area_m2: float = 0.0
    known_projects: int = 0
    unknown_projects: int = 0
    meeting_projects: int = 0
    meeting_homes: int = 0
    meeting_area_m2: float = 0.0
    meeting_share: float | None = None
    biobased_share_area: float | None = None
    biobased_share_mass: float | None = None
    co2_stored_kg: float = 0.0
    co2_unknown_projects: int = 0
    co2_unknown_area_m2: float = 0.0

    @property
    def co2_stored_t(self) -> float:
        return self.co2_stored_kg / 1000.0

    def meets_target(self, target: Target = TARGET) -> bool | None:
        if self.meeting_share is None:
            return None
        return self.meeting_share >= target.share_percent


def _weight(fact: Fact, basis: str) -> float:
    if basis == Basis.HOMES:
        return float(fact.homes)
    if basis == Basis.AREA:
        return fact.area_m2
    return 1.0


def summarise(
    facts: Iterable[Fact], *, basis: str, threshold: float = TARGET.threshold_percent
) -> Progress:
    p = Progress()
    known_weight = meeting_weight = 0.0
    area_known = area_bio = mass_known = mass_bio = 0.0
    for f in facts:
        p.projects += 1
        p.homes += f.homes
        p.area_m2 += f.area_m2
        if f.share is None:
            p.unknown_projects += 1
        else:
            p.known_projects += 1
            known_weight += _weight(f, basis)
            area_known += f.area_m2
            area_bio += f.area_m2 * f.share / 100.0
            if f.mass_kg is not None:
                mass_known += f.mass_kg
                mass_bio += f.mass_kg * f.share / 100.0
            if f.share >= threshold:
                p.meeting_projects += 1
                p.meeting_homes += f.homes
                p.meeting_area_m2 += f.area_m2
                meeting_weight += _weight(f, basis)
        if f.co2_per_kg == 0:
            continue
        if f.co2_per_kg is None or f.mass_kg is None:
            p.co2_unknown_projects += 1
            p.co2_unknown_area_m2 += f.area_m2
        else:
            p.co2_stored_kg += f.mass_kg * f.co2_per_kg
    if known_weight > 0:
        p.meeting_share = meeting_weight / known_weight * 100.0
    if area_known > 0:
        p.biobased_share_area = area_bio / area_known * 100.0
    if mass_known > 0:
        p.biobased_share_mass = mass_bio / mass_known * 100.0
    return p


@dataclass
class YearRow:
    year: int
    in_year: Progress
    cumulative: Progress


@dataclass
class MunicipalityRow:
    municipality: Municipality
    progress: Progress


@dataclass
class ProgressReport:
    target: Target
    basis: str
    year: int | None
    municipality: Municipality | None
    total: Progress
    years: list[YearRow] = field(default_factory=list)
    municipalities: list[MunicipalityRow] = field(default_factory=list)

    @property
    def basis_label(self) -> str:
        return str(Basis(self.basis).label)


def progress_report(
    *,
    municipality: Municipality | None = None,
    year: int | None = None,
    basis: str | None = None,
    with_municipalities: bool = True,
) -> ProgressReport:
    """Progress of one municipality, or of the province with a row per
    municipality (every one, also those without projects). ``year``: the figures up
    to and including that year (the years list stops there)."""
    basis = basis or default_basis()
    projects = project_list()
    if municipality is not None:
        projects = projects.filter(municipality=municipality)
    if year is not None:
        projects = projects.filter(year__lte=year)
    by_year: dict[int, list[Fact]] = defaultdict(list)
    by_municipality: dict[int, list[Fact]] = defaultdict(list)
    for project in projects.order_by("year", "id"):
        fact = fact_of(project)
        by_year[project.year].append(fact)
        by_municipality[project.municipality_id].append(fact)
    years: list[YearRow] = []
    so_far: list[Fact] = []
    for y in sorted(by_year):
        so_far += by_year[y]
        years.append(
            YearRow(
                year=y,
                in_year=summarise(by_year[y], basis=basis),
                cumulative=summarise(so_far, basis=basis),
            )
        )
    rows: list[MunicipalityRow] = []
    if municipality is None and with_municipalities:
        rows = [
            MunicipalityRow(m, summarise(by_municipality.get(m.pk, []), basis=basis))
            for m in Municipality.objects.order_by("name")
        ]
    return ProgressReport(
        target=TARGET,
        basis=basis,
        year=year,
        municipality=municipality,
        total=summarise(so_far, basis=basis),
        years=years,
        municipalities=rows,
    )


def municipality_progress(
    *, municipality: Municipality, basis: str | None = None
) -> ProgressReport | None:
    """The municipality's progress, or None when it has no projects."""
    report = progress_report(
        municipality=municipality, basis=basis, with_municipalities=False
    )
    return report if report.total.projects else None
