# SPDX-License-Identifier: EUPL-1.2
"""The MKI of asphalt: per new layer, work, bundle of works, authority and year,
as planned or in a variant (issue 6, part 5). Reads only; ``roads.selectors``
re-exports the public names.

Which MKI profile a new layer takes (``layer_mki_profile``), in this order:

1. the MKI variant of its mixture (``MixtureMkiVariant``) with the same
   low-temperature flag and the same PR share (rule ``exact``), else the one with
   the highest PR share below the layer's (``lower_pr``: a layer is never credited
   with more reclaimed asphalt than its profile holds);
2. for a low-temperature layer without such a variant, the same among the warm
   variants (``warm``: no reduction for low temperature is assumed);
3. the mixture's own MKI profile (``AsphaltMixture.mki_profile``, rule
   ``mixture``);
4. else the MKI is unknown (rule ``unknown``), never guessed.

The euro amount of a layer is the MKI app's own calculation of that profile for the
layer's tonnes (``cirkelregio.mki.selectors.profile_mki``); tonnes are area x
thickness x density (the layer's design density, else the catalogue's; without one
the MKI is unknown). Only asphalt layers count; paving and foundations are left
out. Totals add the known amounts and count the unknown layers.

Variants (``Scenario``): ``planned`` (the layers as planned), ``pr`` (every layer
at least ``pr_percent`` reclaimed asphalt, default 50 %) and ``low_temperature``
(every layer laid at low temperature).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from cirkelregio.engine.roads.materials import layer_tonnes
from cirkelregio.mki import selectors as mki_selectors
from cirkelregio.roads.models import (
    ASPHALT_FAMILIES,
    AsphaltMixture,
    MaintenanceWork,
    MixtureMkiVariant,
    WorkLayer,
    WorkStatus,
)

__all__ = [
    "DEFAULT_PR_PERCENT",
    "SCENARIOS",
    "AuthorityMki",
    "LayerMki",
    "PlanRow",
    "ProfileChoice",
    "Scenario",
    "WorkMki",
    "WorksMki",
    "asphalt_families",
    "layer_mki_profile",
    "mixture_base_mki",
    "plan_mki",
    "plan_mki_table",
    "scenario",
    "works_mki",
]

SCENARIOS = ("planned", "pr", "low_temperature")
DEFAULT_PR_PERCENT = 50.0
PER_TONNE = ("t", "ton", "tonne", "1 t", "1 ton")


def asphalt_families() -> list[tuple[str, str]]:
    """(value, label) of the asphalt mixture families, for forms."""
    return [(str(f.value), str(f.label)) for f in ASPHALT_FAMILIES]


@dataclass(frozen=True)
class Scenario:
    name: str = "planned"
    pr_percent: float = DEFAULT_PR_PERCENT

    def apply(self, pr_percent: float, low_temperature: bool) -> tuple[float, bool]:
        if self.name == "pr":
            return max(pr_percent, self.pr_percent), low_temperature
        if self.name == "low_temperature":
            return pr_percent, True
        return pr_percent, low_temperature


def scenario(name: str | None = None, pr_percent: float | None = None) -> Scenario:
    """The variant ``name`` (None: as planned); ValueError for an unknown one."""
    name = name or "planned"
    if name not in SCENARIOS:
        raise ValueError(
            _("Unknown variant %(name)s: use one of %(names)s.")
            % {"name": name, "names": ", ".join(SCENARIOS)}
        )
    pr = DEFAULT_PR_PERCENT if pr_percent is None else float(pr_percent)
    if not (math.isfinite(pr) and 0 <= pr <= 100):
        raise ValueError(_("The PR share is from 0 to 100 %."))
    return Scenario(name, pr)


@dataclass(frozen=True)
class ProfileChoice:
    profile: int | None
    """The MKI profile (pk); None when unknown."""
    code: str
    method: str
    rule: str
    reason: str = ""


def _per_tonne(profile: Any) -> bool:
    return str(profile.unit).strip().lower() in PER_TONNE


def layer_mki_profile(
    mixture: AsphaltMixture,
    *,
    pr_percent: float,
    low_temperature: bool,
    variants: Sequence[MixtureMkiVariant] | None = None,
) -> ProfileChoice:
    """The MKI profile a layer of ``mixture`` takes (module docstring, rules 1-4).
    ``variants`` are the mixture's variants (read when not given)."""
    if variants is None:
        variants = list(mixture.mki_variants.select_related("mki_profile"))
    passes: list[tuple[bool, str]] = [(low_temperature, "")]
    if low_temperature:
        passes.append((False, "warm"))
    for lt, forced in passes:
        fitting = [
            v
            for v in variants
            if v.low_temperature == lt and v.pr_percent <= pr_percent + 1e-9
        ]
        if not fitting:
            continue
        best = max(fitting, key=lambda v: v.pr_percent)
        if forced:
            rule = forced
        elif abs(best.pr_percent - pr_percent) < 1e-9:
            rule = "exact"
        else:
            rule = "lower_pr"
        return ProfileChoice(
            best.mki_profile_id, best.mki_profile.profile_id, best.mki_method, rule
        )
    profile = mixture.mki_profile
    if profile is not None:
        if not _per_tonne(profile):
            return ProfileChoice(
                None,
                "",
                mixture.mki_method,
                "unknown",
                _("the MKI profile of %(mixture)s is per %(unit)s, not per tonne")
                % {"mixture": mixture.code, "unit": profile.unit},
            )
        return ProfileChoice(
            profile.pk, profile.profile_id, mixture.mki_method, "mixture"
        )
    return ProfileChoice(
        None,
        "",
        mixture.mki_method,
        "unknown",
        _("%(mixture)s has no MKI profile") % {"mixture": mixture.code},
    )


def mixture_base_mki(mixture: AsphaltMixture) -> tuple[float | None, str, str]:
    """(MKI euro per tonne, profile code, reason) of the mixture laid warm without
    reclaimed asphalt, as the MKI app calculates it: the MKI of a candidate in
    mixture harmonisation."""
    choice = layer_mki_profile(mixture, pr_percent=0.0, low_temperature=False)
    if choice.profile is None:
        return None, "", choice.reason
    result = mki_selectors.profile_mki(
        profile=choice.profile, quantity=1.0, method=choice.method
    )
    return result.total_eur, choice.code, result.error


@dataclass(frozen=True)
class LayerMki:
    position: int
    mixture: str
    tonnes: float | None
    pr_percent: float
    low_temperature: bool
    profile: str
    rule: str
    mki_eur: float | None
    reason: str = ""


@dataclass(frozen=True)
class WorkMki:
    work: int
    external_id: str
    authority: str
    authority_name: str
    year: int
    layers: tuple[LayerMki, ...]

    @property
    def mki_eur(self) -> float:
        """The known part: the sum over the layers with a known MKI."""
        return math.fsum(x.mki_eur for x in self.layers if x.mki_eur is not None)

    @property
    def unknown_layers(self) -> int:
        return sum(1 for x in self.layers if x.mki_eur is None)

    @property
    def complete(self) -> bool:
        return self.unknown_layers == 0


@dataclass(frozen=True)
class AuthorityMki:
    authority: str
    name: str
    mki_eur: float
    works: int
    unknown_layers: int


@dataclass(frozen=True)
class WorksMki:
    """The MKI of a set of works (a plan or a bundle) in one variant."""

    scenario: Scenario
    works: tuple[WorkMki, ...]

    @property
    def total_eur(self) -> float:
        return math.fsum(w.mki_eur for w in self.works)

    @property
    def unknown_layers(self) -> int:
        return sum(w.unknown_layers for w in self.works)

    @property
    def complete(self) -> bool:
        return self.unknown_layers == 0

    @property
    def by_authority(self) -> tuple[AuthorityMki, ...]:
        groups: dict[str, list[WorkMki]] = {}
        for w in self.works:
            groups.setdefault(w.authority, []).append(w)
        return tuple(
            AuthorityMki(
                slug,
                ws[0].authority_name,
                math.fsum(w.mki_eur for w in ws),
                len(ws),
                sum(w.unknown_layers for w in ws),
            )
            for slug, ws in sorted(groups.items())
        )


def _works(queryset: QuerySet[MaintenanceWork]) -> QuerySet[MaintenanceWork]:
    return queryset.select_related("authority", "section").prefetch_related(
        Prefetch(
            "new_layers",
            queryset=WorkLayer.objects.select_related(
                "mixture", "mixture__mki_profile"
            ).prefetch_related(
                Prefetch(
                    "mixture__mki_variants",
                    queryset=MixtureMkiVariant.objects.select_related("mki_profile"),
                )
            ),
        )
    )


def _layer_mki(work: MaintenanceWork, layer: WorkLayer, sc: Scenario) -> LayerMki:
    pr, low = sc.apply(layer.pr_percent, layer.low_temperature)
    density = layer.effective_density
    tonnes = (
        None
        if density is None
        else layer_tonnes(work.section.area_m2, layer.thickness_mm, density)
    )
    choice = layer_mki_profile(
        layer.mixture,
        pr_percent=pr,
        low_temperature=low,
        variants=list(layer.mixture.mki_variants.all()),
    )
    mki: float | None = None
    reason = choice.reason
    if choice.profile is not None and tonnes is not None:
        result = mki_selectors.profile_mki(
            profile=choice.profile, quantity=tonnes, method=choice.method
        )
        mki, reason = result.total_eur, result.error
    elif tonnes is None:
        reason = _("%(mixture)s has no known density: its tonnes are unknown") % {
            "mixture": layer.mixture.code
        }
    return LayerMki(
        layer.position,
        layer.mixture.code,
        tonnes,
        pr,
        low,
        choice.code,
        choice.rule,
        mki,
        reason,
    )


def _compute(works: Iterable[MaintenanceWork], sc: Scenario) -> WorksMki:
    out = []
    for work in works:
        layers = tuple(
            _layer_mki(work, layer, sc)
            for layer in work.new_layers.all()
            if layer.mixture.is_asphalt
        )
        out.append(
            WorkMki(
                work.pk,
                work.external_id,
                work.authority.slug,
                work.authority.name,
                work.window_start.year,
                layers,
            )
        )
    return WorksMki(sc, tuple(out))


def works_mki(
    work_ids: Iterable[int], *, variant: Scenario | str | None = None
) -> WorksMki:
    """The asphalt MKI of the works ``work_ids`` (a bundle, for instance): per
    work and layer, per authority (``by_authority``) and in total
    (``total_eur``, the known part; ``unknown_layers`` counts the layers whose MKI
    is unknown). ``variant`` is a ``Scenario``, a variant name of ``SCENARIOS``
    or None (as planned). Works are in the order of their window; ids that do
    not exist are left out. Reading rights are the caller's concern."""
    sc = variant if isinstance(variant, Scenario) else scenario(variant)
    ids = [int(i) for i in work_ids]
    works = _works(MaintenanceWork.objects.filter(pk__in=ids)).order_by(
        "window_start", "authority__slug", "external_id"
    )
    return _compute(works, sc)


def _plan(
    user: Any,
    authorities: Sequence[str] | None,
    year_from: int | None,
    year_to: int | None,
) -> QuerySet[MaintenanceWork]:
    from cirkelregio.roads.selectors import work_list

    works = work_list(user=user).prefetch_related(None).exclude(status=WorkStatus.DONE)
    if authorities:
        works = works.filter(authority__slug__in=list(authorities))
    if year_from is not None:
        works = works.filter(window_start__year__gte=year_from)
    if year_to is not None:
        works = works.filter(window_start__year__lte=year_to)
    return _works(works)


def plan_mki(
    *,
    user: Any = None,
    authorities: Sequence[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    variant: Scenario | str | None = None,
) -> WorksMki:
    """The asphalt MKI of the maintenance plan: the works the user may see that
    are not done, of ``authorities`` (slugs; all when empty), whose window starts
    in ``year_from`` .. ``year_to``."""
    sc = variant if isinstance(variant, Scenario) else scenario(variant)
    return _compute(_plan(user, authorities, year_from, year_to), sc)


@dataclass(frozen=True)
class PlanRow:
    """One authority in one year: the MKI as planned and in the variants."""

    authority: str
    name: str
    year: int
    works: int
    mki_eur: dict[str, float]
    """Variant name -> euro (the known part)."""
    unknown_layers: dict[str, int]


def plan_mki_table(
    *,
    user: Any = None,
    authorities: Sequence[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    pr_percent: float | None = None,
) -> list[PlanRow]:
    """The MKI of the plan per authority and year in every variant of
    ``SCENARIOS`` (``pr`` at ``pr_percent``)."""
    works = list(_plan(user, authorities, year_from, year_to))
    results = {name: _compute(works, scenario(name, pr_percent)) for name in SCENARIOS}
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for name, result in results.items():
        for w in result.works:
            row = rows.setdefault(
                (w.authority, w.year),
                {"name": w.authority_name, "works": set(), "mki": {}, "unknown": {}},
            )
            row["works"].add(w.work)
            row["mki"].setdefault(name, []).append(w.mki_eur)
            row["unknown"][name] = row["unknown"].get(name, 0) + w.unknown_layers
    return [
        PlanRow(
            slug,
            row["name"],
            year,
            len(row["works"]),
            {n: math.fsum(row["mki"].get(n, [])) for n in SCENARIOS},
            {n: row["unknown"].get(n, 0) for n in SCENARIOS},
        )
        for (slug, year), row in sorted(rows.items())
    ]
