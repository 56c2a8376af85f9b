# SPDX-License-Identifier: EUPL-1.2
"""Biobased insulation (action line 4, "Biobased isoleren").

Insulation projects are reported per municipality and year as aggregates (a number
of homes and square metres with one insulation material), never as addresses: they
hold no personal data and are public. The material catalogue gives each product type
its typical biobased share and its biogenic carbon, each with its source; where no
verifiable figure exists the value is left empty, and the figures built on it say how
much they leave out.

The target (``TARGET``) is the national agreement quoted in the alliance's policy
document; see ``docs/biobased.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cirkelregio.core.i18n import Localized

FIRST_YEAR = 2015
LAST_YEAR = 2100


@dataclass(frozen=True)
class Target:
    """The target: by ``year``, at least ``share_percent`` of the insulation task is
    carried out with at least ``threshold_percent`` biobased material."""

    year: int
    share_percent: float
    threshold_percent: float
    source: str
    quote: str


TARGET = Target(
    year=2030,
    share_percent=30.0,
    threshold_percent=30.0,
    source=(
        "Alliantie Cirkelregio Utrecht, Onze Koers: Circulair Denken, Regionaal Doen! "
        "2026-2030, actielijn 4 Utrechtse Aanpak Biobased Isoleren (aansluiting bij "
        "de Nationale Aanpak Biobased Bouwen)"
    ),
    quote=(
        "in 2030 ten minste 30% van de isolatie en bouwopgave met minimaal 30% "
        "biobased materialen wordt uitgevoerd"
    ),
)


class Basis(models.TextChoices):
    """What the share of the insulation task is counted in."""

    PROJECTS = "projects", _("projects")
    HOMES = "homes", _("homes")
    AREA = "area", _("square metres")


class SourceChannel(models.TextChoices):
    MCO_PROGRAMME = "mco_programme", _("MCO programme / Winst uit je Woning")
    ENERGY_DESK = "energy_desk", _("Energy desk")
    COMPANY = "company", _("Insulation company")
    HOUSING_ASSOCIATION = "housing_association", _("Housing association")
    OTHER = "other", _("Other")


percentage = [MinValueValidator(0.0), MaxValueValidator(100.0)]


class InsulationMaterial(models.Model):
    """A type of insulation product, e.g. blown straw or glass wool, with sourced
    figures. An empty figure means that no verifiable source was found."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    biobased_share = models.FloatField(
        _("biobased share (%)"),
        null=True,
        blank=True,
        validators=percentage,
        help_text=_(
            "Typical share of biomass in the product, by mass; empty: unknown."
        ),
    )
    biobased_share_source = models.TextField(_("source of the share"), blank=True)
    biogenic_co2_per_kg = models.FloatField(
        _("biogenic carbon (kg CO2 per kg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0)],
        help_text=_("CO2 stored per kg of product (EN 16449); empty: unknown."),
    )
    biogenic_co2_source = models.TextField(
        _("source of the biogenic carbon"), blank=True
    )
    density_kg_m3 = models.FloatField(
        _("density (kg/m³)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0)],
        help_text=_("To go from m² and thickness to kg; empty: unknown."),
    )
    density_source = models.TextField(_("source of the density"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    name = Localized("name")

    class Meta:
        verbose_name = _("insulation material")
        verbose_name_plural = _("insulation materials")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(biobased_share__isnull=True)
                | models.Q(biobased_share__gte=0, biobased_share__lte=100),
                name="biobased_material_share_range",
                violation_error_message=_(
                    "The biobased share must be between 0 and 100 %."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(biobased_share__isnull=True)
                | ~models.Q(biobased_share_source=""),
                name="biobased_material_share_sourced",
                violation_error_message=_("Give the source of the biobased share."),
            ),
            models.CheckConstraint(
                condition=models.Q(biogenic_co2_per_kg__isnull=True)
                | ~models.Q(biogenic_co2_source=""),
                name="biobased_material_co2_sourced",
                violation_error_message=_("Give the source of the biogenic carbon."),
            ),
            models.CheckConstraint(
                condition=models.Q(density_kg_m3__isnull=True)
                | ~models.Q(density_source=""),
                name="biobased_material_density_sourced",
                violation_error_message=_("Give the source of the density."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)


class InsulationProject(models.Model):
    """Insulation work reported for one municipality and year: how many homes and
    square metres, with which material. An aggregate, not an address."""

    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="insulation_projects",
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    homes = models.PositiveIntegerField(_("homes"))
    area_m2 = models.FloatField(_("area (m²)"), validators=[MinValueValidator(0.0)])
    thickness_mm = models.FloatField(
        _("thickness (mm)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0)],
    )
    mass_kg = models.FloatField(
        _("mass of material (kg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0)],
        help_text=_("As reported; otherwise derived from area, thickness and density."),
    )
    material = models.ForeignKey(
        InsulationMaterial,
        verbose_name=_("material"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    biobased_share = models.FloatField(
        _("reported biobased share (%)"),
        null=True,
        blank=True,
        validators=percentage,
        help_text=_("The product's own share, when reported; else the material's."),
    )
    source_channel = models.CharField(
        _("reported through"), max_length=30, choices=SourceChannel.choices
    )
    source_reference = models.CharField(
        _("source reference"), max_length=200, blank=True
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("insulation project")
        verbose_name_plural = _("insulation projects")
        ordering = ["-year", "municipality__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(biobased_share__isnull=True)
                | models.Q(biobased_share__gte=0, biobased_share__lte=100),
                name="biobased_project_share_range",
                violation_error_message=_(
                    "The biobased share must be between 0 and 100 %."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(area_m2__gte=0),
                name="biobased_project_area_not_negative",
                violation_error_message=_("The area cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "year"], name="biobased_muni_year")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.homes} × {self.material}"

    @property
    def effective_share(self) -> float | None:
        """The reported share, else the material's typical share; None: unknown."""
        if self.biobased_share is not None:
            return self.biobased_share
        return self.material.biobased_share

    @property
    def effective_mass_kg(self) -> float | None:
        """The reported mass, else area × thickness × density; None: unknown."""
        if self.mass_kg is not None:
            return self.mass_kg
        density = self.material.density_kg_m3
        if self.thickness_mm is None or density is None:
            return None
        return self.area_m2 * self.thickness_mm / 1000.0 * density
