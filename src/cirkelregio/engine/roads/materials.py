# SPDX-License-Identifier: EUPL-1.2
"""Released and needed materials of a road work: the arithmetic, without Django.

A work removes the top of a section's layered passport, either to a depth (milling:
the layer the depth ends in is released in part) or a number of whole top layers,
and lays new layers. Per layer::

    tonnes = area_m2 x thickness_mm / 1000 x density_t_per_m3

Nothing is guessed: a layer whose mixture has no density gets no tonnes but the
reason, and then the totals are not given either (``complete`` is False).

Tar-containing asphalt (PAK-10 of 75 mg/kg dry matter or more) is hazardous waste
(EURAL 17 03 01*) since 16 October 2021 and may not be reused since 1 January 2001;
it is reported, never offered for reuse. Tar-free reclaimed asphalt is EURAL
17 03 02. Sources: ``../shared/research/exchange.md`` ("Tar-containing asphalt"),
afvalcirculair.nl/afvalregelgeving/eural/teerhoudend-asfaltgranulaat/.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "EURAL_TAR_CONTAINING",
    "EURAL_TAR_FREE",
    "PAK_TAR_THRESHOLD_MG_PER_KG",
    "LayerIn",
    "MaterialLine",
    "Materials",
    "NewLayerIn",
    "is_tar_containing",
    "layer_tonnes",
    "work_materials",
]

PAK_TAR_THRESHOLD_MG_PER_KG = 75.0
"""PAK-10 (VROM) at or above which asphalt is tar-containing (teerhoudend)."""
EURAL_TAR_CONTAINING = "17 03 01*"
EURAL_TAR_FREE = "17 03 02"


def is_tar_containing(pak_mg_per_kg: float | None) -> bool | None:
    """True at or above the threshold, False below it, None when not measured."""
    if pak_mg_per_kg is None:
        return None
    return pak_mg_per_kg >= PAK_TAR_THRESHOLD_MG_PER_KG


def layer_tonnes(area_m2: float, thickness_mm: float, density_t_per_m3: float) -> float:
    """Tonnes of a layer of ``thickness_mm`` over ``area_m2``."""
    if area_m2 < 0 or thickness_mm < 0 or density_t_per_m3 <= 0:
        raise ValueError("area and thickness must be >= 0 and density > 0")
    return area_m2 * thickness_mm / 1000.0 * density_t_per_m3


@dataclass(frozen=True)
class LayerIn:
    """A layer of the passport in place, ``position`` 1 on top."""

    position: int
    mixture: str
    thickness_mm: float
    density_t_per_m3: float | None
    is_asphalt: bool
    tar_containing: bool
    offered_for_reuse: bool = True


@dataclass(frozen=True)
class NewLayerIn:
    position: int
    mixture: str
    thickness_mm: float
    density_t_per_m3: float | None
    pr_percent: float = 0.0


@dataclass(frozen=True)
class MaterialLine:
    """Released (``released`` True) or needed material of one layer.

    For a released asphalt layer ``eural`` is its waste code and ``offered`` says
    whether it may be offered for reuse (tar-free and the road manager offers it).
    For a needed layer ``reclaimed_tonnes`` is the share of reclaimed asphalt (PR).
    ``tonnes`` is None when the mixture has no density (``error`` says so)."""

    released: bool
    position: int
    mixture: str
    thickness_mm: float
    area_m2: float
    tonnes: float | None
    is_asphalt: bool = True
    tar_containing: bool = False
    hazardous: bool = False
    eural: str = ""
    offered: bool = False
    pr_percent: float = 0.0
    reclaimed_tonnes: float | None = None
    error: str = ""


@dataclass(frozen=True)
class Materials:
    released: tuple[MaterialLine, ...]
    needed: tuple[MaterialLine, ...]
    complete: bool
    """False when some layer has no tonnes; the totals are then None."""
    released_tonnes: float | None
    offered_tonnes: float | None
    hazardous_tonnes: float | None
    needed_tonnes: float | None
    needed_reclaimed_tonnes: float | None


def _missing(mixture: str) -> str:
    return (
        f"mixture {mixture!r} has no verified density (t/m3) in the catalogue; "
        "its tonnes are not computed"
    )


def _removed(
    layers: Sequence[LayerIn], depth_mm: float | None, count: int | None
) -> list[tuple[LayerIn, float]]:
    ordered = sorted(layers, key=lambda layer: layer.position)
    if count is not None:
        if count < 0:
            raise ValueError("the number of removed layers must be >= 0")
        return [(layer, layer.thickness_mm) for layer in ordered[:count]]
    if depth_mm is None:
        return []
    if depth_mm < 0:
        raise ValueError("the removal depth must be >= 0")
    out = []
    left = depth_mm
    for layer in ordered:
        if left <= 0:
            break
        taken = min(layer.thickness_mm, left)
        out.append((layer, taken))
        left -= taken
    return out


def work_materials(
    *,
    area_m2: float,
    layers: Sequence[LayerIn],
    new_layers: Sequence[NewLayerIn],
    removal_depth_mm: float | None = None,
    layers_removed: int | None = None,
) -> Materials:
    """The materials a work releases from ``layers`` and needs for ``new_layers``.

    Give ``removal_depth_mm`` (milling to a depth; the last layer in part) or
    ``layers_removed`` (whole top layers; ``len(layers)`` for a full
    reconstruction), not both; neither removes nothing."""
    if removal_depth_mm is not None and layers_removed is not None:
        raise ValueError("give a removal depth or a number of layers, not both")
    if area_m2 < 0:
        raise ValueError("the area must be >= 0")
    released: list[MaterialLine] = []
    for layer, thickness in _removed(layers, removal_depth_mm, layers_removed):
        tonnes = (
            None
            if layer.density_t_per_m3 is None
            else layer_tonnes(area_m2, thickness, layer.density_t_per_m3)
        )
        tar = layer.is_asphalt and layer.tar_containing
        released.append(
            MaterialLine(
                released=True,
                position=layer.position,
                mixture=layer.mixture,
                thickness_mm=thickness,
                area_m2=area_m2,
                tonnes=tonnes,
                is_asphalt=layer.is_asphalt,
                tar_containing=tar,
                hazardous=tar,
                eural=(
                    (EURAL_TAR_CONTAINING if tar else EURAL_TAR_FREE)
                    if layer.is_asphalt
                    else ""
                ),
                offered=layer.is_asphalt and not tar and layer.offered_for_reuse,
                error="" if tonnes is not None else _missing(layer.mixture),
            )
        )
    needed: list[MaterialLine] = []
    for new in sorted(new_layers, key=lambda layer: layer.position):
        if not 0 <= new.pr_percent <= 100:
            raise ValueError("PR must be between 0 and 100 %")
        tonnes = (
            None
            if new.density_t_per_m3 is None
            else layer_tonnes(area_m2, new.thickness_mm, new.density_t_per_m3)
        )
        needed.append(
            MaterialLine(
                released=False,
                position=new.position,
                mixture=new.mixture,
                thickness_mm=new.thickness_mm,
                area_m2=area_m2,
                tonnes=tonnes,
                pr_percent=new.pr_percent,
                reclaimed_tonnes=(
                    None if tonnes is None else tonnes * new.pr_percent / 100.0
                ),
                error="" if tonnes is not None else _missing(new.mixture),
            )
        )
    complete = all(line.tonnes is not None for line in (*released, *needed))

    def total(lines: Sequence[MaterialLine], attr: str = "tonnes") -> float | None:
        if not complete:
            return None
        return float(sum(getattr(line, attr) or 0.0 for line in lines))

    return Materials(
        released=tuple(released),
        needed=tuple(needed),
        complete=complete,
        released_tonnes=total(released),
        offered_tonnes=total([line for line in released if line.offered]),
        hazardous_tonnes=total([line for line in released if line.hazardous]),
        needed_tonnes=total(needed),
        needed_reclaimed_tonnes=total(needed, "reclaimed_tonnes"),
    )
