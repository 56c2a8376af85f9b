# SPDX-License-Identifier: EUPL-1.2
"""Reads of the roads app: sections, passports, works and mixtures as a user may
see them, the passport in force at a date, and the released and needed materials of
a work (the engine's ``cirkelregio.engine.roads.materials``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

import shapely.geometry

from cirkelregio.accounts.selectors import edited_organisation_id, is_coordinator
from cirkelregio.engine.roads.bundling import (
    DEFAULT_DISTANCE_M,
    BundlingResult,
    Work,
    WorkError,
    find_bundles,
    make_work,
)
from cirkelregio.engine.roads.bundling import WGS84 as BUNDLING_WGS84
from cirkelregio.engine.roads.materials import (
    LayerIn,
    Materials,
    NewLayerIn,
    layer_tonnes,
    work_materials,
)
from cirkelregio.mki import selectors as mki_selectors
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.roads.models import (
    AsphaltMixture,
    MaintenanceWork,
    Passport,
    PassportLayer,
    RoadSection,
    WorkLayer,
    WorkStatus,
    WorkType,
)


def _visible(user: Any, prefix: str) -> Q:
    """Published authorities for everyone; all for coordinators; the own
    authority's for its editors."""
    if is_coordinator(user):
        return Q()
    visible = Q(**{f"{prefix}is_published": True})
    own = edited_organisation_id(user)
    if own is not None:
        visible |= Q(**{f"{prefix}pk": own})
    return visible


def mixture_list() -> QuerySet[AsphaltMixture]:
    return AsphaltMixture.objects.all()


def mixture_get(*, code: str) -> AsphaltMixture | None:
    return AsphaltMixture.objects.filter(code=code).first()


def section_list(*, user: Any = None) -> QuerySet[RoadSection]:
    return (
        RoadSection.objects.filter(_visible(user, "authority__"))
        .select_related("authority", "municipality")
        .order_by("authority__slug", "external_id")
    )


def passport_list(*, user: Any = None) -> QuerySet[Passport]:
    return (
        Passport.objects.filter(_visible(user, "section__authority__"))
        .select_related("section__authority")
        .prefetch_related("layers__mixture")
        .order_by("section_id", "valid_from")
    )


def work_list(*, user: Any = None) -> QuerySet[MaintenanceWork]:
    return (
        MaintenanceWork.objects.filter(_visible(user, "authority__"))
        .select_related("authority", "section")
        .prefetch_related("new_layers__mixture")
        .order_by("window_start", "authority__slug", "external_id")
    )


def passport_at(*, section: RoadSection, day: dt.date) -> Passport | None:
    """The section's passport in force on ``day``."""
    return (
        Passport.objects.filter(section=section, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .prefetch_related("layers__mixture")
        .first()
    )


@dataclass(frozen=True)
class WorkMaterials:
    work: MaintenanceWork
    passport: Passport | None
    materials: Materials | None
    error: str = ""


def work_released_materials(*, work: MaintenanceWork) -> WorkMaterials:
    """What ``work`` releases from the passport in force at its window's start and
    what it needs for its new layers. Without a passport, or a removal to compute,
    ``materials`` is None and ``error`` says why."""
    passport = passport_at(section=work.section, day=work.window_start)
    depth, count = work.removal_depth_mm, work.layers_removed
    if passport is None:
        if depth or count:
            return WorkMaterials(
                work,
                None,
                None,
                f"section {work.section.external_id} has no passport in force on "
                f"{work.window_start.isoformat()}: the released materials are unknown",
            )
        layers: list[LayerIn] = []
    else:
        layers = [
            LayerIn(
                position=layer.position,
                mixture=layer.mixture.code,
                thickness_mm=layer.thickness_mm,
                density_t_per_m3=layer.effective_density,
                is_asphalt=layer.mixture.is_asphalt,
                tar_containing=layer.tar_containing,
                offered_for_reuse=layer.offered_for_reuse,
            )
            for layer in passport.layers.all()
        ]
    if (
        depth is None
        and count is None
        and work.work_type == WorkType.FULL_RECONSTRUCTION
    ):
        count = len(layers)
    new = [
        NewLayerIn(
            position=layer.position,
            mixture=layer.mixture.code,
            thickness_mm=layer.thickness_mm,
            density_t_per_m3=layer.effective_density,
            pr_percent=layer.pr_percent,
        )
        for layer in work.new_layers.all()
    ]
    materials = work_materials(
        area_m2=work.section.area_m2,
        layers=layers,
        new_layers=new,
        removal_depth_mm=depth,
        layers_removed=count,
    )
    return WorkMaterials(work, passport, materials)


def mixture_mki_per_tonne(mixture: AsphaltMixture) -> tuple[float | None, str]:
    """The MKI (euro) of one tonne of the mixture from its linked MKI profile, as
    ``exchange.selectors.material_new_mki`` does; (None, reason) without a profile
    per tonne or a computable MKI."""
    profile = mixture.mki_profile
    if profile is None:
        return None, "no MKI profile is linked"
    if profile.unit.strip().lower() not in ("t", "ton", "tonne", "1 t", "1 ton"):
        return None, f"the MKI profile is per {profile.unit}, not per tonne"
    result = mki_selectors.profile_mki(
        profile=profile.pk, quantity=1.0, method=mixture.mki_method
    )
    return result.total_eur, result.error


# Bundling across authorities ---------------------------------------------------------


@dataclass(frozen=True)
class Bundles:
    """The engine's bundles of the works a user may see (``bundles``), with the
    works themselves by the engine's work id (the work's pk as text)."""

    result: BundlingResult
    works: dict[str, MaintenanceWork]
    date_from: dt.date | None
    date_to: dt.date | None
    skipped: tuple[tuple[MaintenanceWork, str], ...] = ()


def needed_tonnes(work: MaintenanceWork) -> dict[str, float]:
    """Tonnes by mixture of the work's new layers (area x thickness x the layer's
    design density, else the catalogue's); a layer without a density is left out."""
    tonnes: dict[str, float] = {}
    for layer in work.new_layers.all():
        density = layer.effective_density
        if density is None:
            continue
        code = layer.mixture.code
        tonnes[code] = tonnes.get(code, 0.0) + layer_tonnes(
            work.section.area_m2, layer.thickness_mm, density
        )
    return tonnes


def bundles(
    *,
    year: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    authorities: list[str] | None = None,
    distance_m: float = DEFAULT_DISTANCE_M,
    user: Any = None,
) -> Bundles:
    """Works of different authorities close in space and overlapping in time
    (``cirkelregio.engine.roads.bundling``): the works the user may see that are
    not done, whose window meets ``year`` (or ``date_from`` .. ``date_to``), of
    ``authorities`` (slugs; all when empty), with their section's geometry and the
    tonnes of the new layers. A work whose geometry the engine refuses is listed
    in ``skipped`` with the reason."""
    if year is not None:
        date_from = date_from or dt.date(year, 1, 1)
        date_to = date_to or dt.date(year, 12, 31)
    works = work_list(user=user).exclude(status=WorkStatus.DONE)
    if date_from is not None:
        works = works.filter(window_end__gte=date_from)
    if date_to is not None:
        works = works.filter(window_start__lte=date_to)
    if authorities:
        works = works.filter(authority__slug__in=authorities)
    engine_works: list[Work] = []
    by_id: dict[str, MaintenanceWork] = {}
    skipped: list[tuple[MaintenanceWork, str]] = []
    for work in works.order_by("window_start", "authority__slug", "external_id"):
        try:
            engine_works.append(
                make_work(
                    id=str(work.pk),
                    authority=work.authority.slug,
                    geometry=shapely.geometry.shape(work.section.geometry),
                    start=work.window_start,
                    end=work.window_end,
                    tonnes=needed_tonnes(work),
                    crs=BUNDLING_WGS84,
                    section=work.section.external_id,
                    work_type=work.work_type,
                )
            )
        except (WorkError, ValueError, TypeError, AttributeError) as exc:
            skipped.append((work, str(exc)))
            continue
        by_id[str(work.pk)] = work
    return Bundles(
        result=find_bundles(engine_works, distance_m),
        works=by_id,
        date_from=date_from,
        date_to=date_to,
        skipped=tuple(skipped),
    )


def section_history(*, section: RoadSection, user: Any = None) -> list[Any]:
    """The audit log of the section, its passports and layers and its works (with
    their new layers), newest first: for the section's road managers and
    coordinators only (an empty list for anyone else)."""
    from django.contrib.contenttypes.models import ContentType

    from auditlog.models import LogEntry

    from cirkelregio.roads import rules

    if user is None or not rules.can_change_section(user, section):
        return []
    passports = list(section.passports.values_list("pk", flat=True))
    works = list(section.works.values_list("pk", flat=True))
    related = {
        RoadSection: [section.pk],
        Passport: passports,
        PassportLayer: list(
            PassportLayer.objects.filter(passport_id__in=passports).values_list(
                "pk", flat=True
            )
        ),
        MaintenanceWork: works,
        WorkLayer: list(
            WorkLayer.objects.filter(work_id__in=works).values_list("pk", flat=True)
        ),
    }
    query = Q(pk__in=[])
    for model, pks in related.items():
        if pks:
            query |= Q(
                content_type=ContentType.objects.get_for_model(model),
                object_pk__in=[str(pk) for pk in pks],
            )
    return list(
        LogEntry.objects.filter(query)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


# Mixture harmonisation ---------------------------------------------------------------

from cirkelregio.roads.models import (  # noqa: E402
    ROAD_AUTHORITY_KINDS,
    HarmonisationRun,
    MixtureMkiVariant,
    MixtureSubstitution,
)


def substitution_list() -> QuerySet[MixtureSubstitution]:
    return MixtureSubstitution.objects.select_related("required", "serving")


def mki_variant_list() -> QuerySet[MixtureMkiVariant]:
    return MixtureMkiVariant.objects.select_related(
        "mixture", "mki_profile", "mki_profile__library"
    )


def run_authorities(run: HarmonisationRun) -> set[str]:
    """The slugs of the road authorities whose works a run harmonised (stored
    with the run; for older runs read from its assignments)."""
    stored = (run.parameters or {}).get("works_of")
    if stored is not None:
        return set(stored)
    return {a.get("authority", "") for a in run.assignments or []}


def harmonisation_run_list(*, user: Any = None) -> QuerySet[HarmonisationRun]:
    """The runs ``user`` may read, newest first. A run names the works it
    harmonised, so it is readable by those who may read all of them: a run of
    published authorities' works by everyone, a run that includes works of an
    unpublished authority only by that authority's road managers and the
    coordinators."""
    runs = HarmonisationRun.objects.all()
    if is_coordinator(user):
        return runs
    readable = set(
        region_selectors.organisation_list(user=user)
        .filter(kind__in=ROAD_AUTHORITY_KINDS)
        .values_list("slug", flat=True)
    )
    hidden = [
        run.pk
        for run in runs.only("pk", "parameters")
        if not run_authorities(run) <= readable
    ]
    return runs.exclude(pk__in=hidden) if hidden else runs


# Asphalt MKI (roads.asphalt_mki), re-exported: works_mki is what bundling calls.
from cirkelregio.roads import asphalt_mki as _asphalt_mki  # noqa: E402

SCENARIOS = _asphalt_mki.SCENARIOS
PlanRow = _asphalt_mki.PlanRow
Scenario = _asphalt_mki.Scenario
WorksMki = _asphalt_mki.WorksMki
layer_mki_profile = _asphalt_mki.layer_mki_profile
mixture_base_mki = _asphalt_mki.mixture_base_mki
plan_mki = _asphalt_mki.plan_mki
plan_mki_table = _asphalt_mki.plan_mki_table
works_mki = _asphalt_mki.works_mki
scenario = _asphalt_mki.scenario
asphalt_families = _asphalt_mki.asphalt_families
