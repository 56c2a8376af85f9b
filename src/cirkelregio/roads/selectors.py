# SPDX-License-Identifier: EUPL-1.2
"""Reads of the roads app: sections, passports, works and mixtures as a user may
see them, the passport in force at a date, and the released and needed materials of
a work (the engine's ``cirkelregio.engine.roads.materials``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from cirkelregio.engine.roads.materials import (
    LayerIn,
    Materials,
    NewLayerIn,
    work_materials,
)
from cirkelregio.mki import selectors as mki_selectors
from cirkelregio.roads.models import (
    AsphaltMixture,
    MaintenanceWork,
    Passport,
    RoadSection,
    WorkType,
)


def _visible(user: Any, prefix: str) -> Q:
    """Published authorities for everyone; all for coordinators; the own
    authority's for its editors."""
    if getattr(user, "is_coordinator", False):
        return Q()
    visible = Q(**{f"{prefix}is_published": True})
    if getattr(user, "is_organisation_editor", False):
        visible |= Q(**{f"{prefix}pk": user.organisation_id})
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
                density_t_per_m3=layer.mixture.density_t_per_m3,
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
            density_t_per_m3=layer.mixture.density_t_per_m3,
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
