# SPDX-License-Identifier: EUPL-1.2
"""Road sections, their layered materials passports and the maintenance works of the
road authorities (Utrechtse Asfaltstrategie, action line 1).

A road authority is a ``regions.Organisation`` of kind municipality, province or
water board. Geometry is GeoJSON in WGS84 (RFC 7946) in a JSON field, with its
bounding box (ADR 0003: no GeoDjango); files may give RD New, which the services
project to WGS84.

Physical bounds, each named in its error message: a layer is 5 to 1000 mm thick
(``THICKNESS_MM``), PR is 0 to 100 %, a layer was laid in 1900 or later and not in the
future, PAK is 0 mg/kg or more. Tar-containing asphalt (PAK-10 of 75 mg/kg or more)
is hazardous waste (EURAL 17 03 01*) and is never offered for reuse.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cirkelregio.core.i18n import Localized
from cirkelregio.engine.mki import BUILTIN_SETS
from cirkelregio.engine.roads.materials import PAK_TAR_THRESHOLD_MG_PER_KG

ROAD_AUTHORITY_KINDS = ("municipality", "province", "water_board")
THICKNESS_MM = (5, 1000)
YEAR_LAID_MIN = 1900


THICKNESS_VALIDATORS = [
    MinValueValidator(
        THICKNESS_MM[0],
        _("Physical bounds: a layer is at least %(limit_value)s mm thick."),
    ),
    MaxValueValidator(
        THICKNESS_MM[1],
        _("Physical bounds: a layer is at most %(limit_value)s mm thick."),
    ),
]
PR_VALIDATORS = [
    MinValueValidator(0, _("Physical bounds: PR is a share from 0 to 100 %%.")),
    MaxValueValidator(100, _("Physical bounds: PR is a share from 0 to 100 %%.")),
]


DENSITY_VALIDATORS = [MinValueValidator(0.5), MaxValueValidator(3.5)]
DENSITY_HAS_SOURCE = models.Q(density_t_per_m3__isnull=True) | ~models.Q(
    density_source=""
)


def validate_year_laid(value: int) -> None:
    if value < YEAR_LAID_MIN:
        raise ValidationError(
            _("Physical bounds: the year laid is %(minimum)s or later."),
            params={"minimum": YEAR_LAID_MIN},
            code="year_laid_min",
        )
    if value > timezone.localdate().year:
        raise ValidationError(
            _("Physical bounds: the year laid cannot be in the future."),
            code="year_laid_future",
        )


class MixtureFamily(models.TextChoices):
    AC = "ac", _("Asphalt concrete (AC)")
    SMA = "sma", _("Stone mastic asphalt (SMA)")
    PA = "pa", _("Porous asphalt (PA, ZOAB)")
    OTHER_ASPHALT = "other_asphalt", _("Other asphalt")
    NON_ASPHALT = "non_asphalt", _("Non-asphalt layer")


ASPHALT_FAMILIES = (
    MixtureFamily.AC,
    MixtureFamily.SMA,
    MixtureFamily.PA,
    MixtureFamily.OTHER_ASPHALT,
)


class LayerRole(models.TextChoices):
    SURFACE = "surface", _("Surface course")
    BINDER = "binder", _("Binder course")
    BASE = "base", _("Base course")
    FOUNDATION = "foundation", _("Foundation")
    SUBBASE = "subbase", _("Sub-base")
    PAVING = "paving", _("Paving elements")


class AsphaltMixture(models.Model):
    """A mixture or layer material of the catalogue (``data/roads/mixtures.csv``),
    in Dutch naming after the Standaard RAW Bepalingen: ``AC 16 bin``, ``PA 16``.
    The density turns thickness into tonnes; without a verified density no tonnes
    are computed. With an MKI profile the MKI per tonne is calculated from it, as
    ``exchange.MaterialClass`` does for its new product."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    family = models.CharField(_("family"), max_length=20, choices=MixtureFamily.choices)
    layer_role = models.CharField(
        _("layer role"), max_length=20, choices=LayerRole.choices
    )
    max_aggregate_mm = models.PositiveSmallIntegerField(
        _("maximum aggregate size (mm)"), null=True, blank=True
    )
    density_t_per_m3 = models.FloatField(
        _("density (t/m³)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.5), MaxValueValidator(3.5)],
        help_text=_("In place, compacted. Empty when no verified figure is known."),
    )
    density_source = models.TextField(_("source of the density"), blank=True)
    source = models.TextField(_("source of the name"), blank=True)
    note = models.TextField(_("note"), blank=True)
    mki_profile = models.ForeignKey(
        "mki.Profile",
        verbose_name=_("MKI profile"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="road_mixtures",
        help_text=_("When set, the MKI per tonne is calculated from this profile."),
    )
    mki_method = models.CharField(
        _("weighting set"),
        max_length=20,
        choices=[(m, m) for m in BUILTIN_SETS],
        default="nmd-a2",
    )
    is_standard = models.BooleanField(
        _("standard mixture"),
        default=False,
        help_text=_(
            "A mixture of the standard (RAW) naming, not a custom mixture of one "
            "authority or supplier."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    name = Localized("name")

    class Meta:
        verbose_name = _("asphalt mixture")
        verbose_name_plural = _("asphalt mixtures")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(density_t_per_m3__isnull=True)
                | ~models.Q(density_source=""),
                name="roads_mixture_density_has_source",
                violation_error_message=_("A density needs its source."),
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_asphalt(self) -> bool:
        return self.family in ASPHALT_FAMILIES


class RoadType(models.TextChoices):
    RESIDENTIAL_STREET = "residential_street", _("Residential street")
    DISTRIBUTOR_ROAD = "distributor_road", _("Distributor road")
    RURAL_ROAD = "rural_road", _("Rural road")
    MAIN_ROAD = "main_road", _("Main road (provincial or through road)")
    CYCLE_PATH = "cycle_path", _("Cycle path")
    FOOTPATH = "footpath", _("Footpath")
    OTHER = "other", _("Other")


class RoadSection(models.Model):
    """A stretch of road of one authority (wegvak), found again on re-import by the
    authority's own ``external_id``."""

    authority = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("road authority"),
        on_delete=models.PROTECT,
        related_name="road_sections",
        limit_choices_to={"kind__in": ROAD_AUTHORITY_KINDS},
    )
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        help_text=_(
            "The authority's own id of the section (e.g. from its asset system)."
        ),
    )
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street"), max_length=200, blank=True)
    road_type = models.CharField(
        _("road type"), max_length=30, choices=RoadType.choices
    )
    geometry = models.JSONField(
        _("geometry"),
        help_text=_("GeoJSON LineString or Polygon (or Multi-) in WGS84 (RFC 7946)."),
    )
    bbox = models.JSONField(
        _("bounding box"), default=list, help_text=_("[west, south, east, north].")
    )
    area_m2 = models.FloatField(
        _("paved area (m²)"), validators=[MinValueValidator(0.1)]
    )
    area_computed = models.BooleanField(
        _("area computed from the polygon"), default=False
    )
    length_m = models.FloatField(
        _("length (m)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="road_sections",
        help_text=_("Derived from a point on the geometry."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("road section")
        verbose_name_plural = _("road sections")
        ordering = ["authority__name", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "external_id"],
                name="roads_section_external_id_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_id} {self.name}"


class DataSource(models.TextChoices):
    SURVEY = "survey", _("Survey (cores, ground radar)")
    AS_BUILT = "as_built", _("As built (revision drawing)")
    ESTIMATE = "estimate", _("Estimate")


class Passport(models.Model):
    """The layers of a section from ``valid_from`` up to ``valid_to`` (inclusive;
    open when empty). Passports of one section never overlap."""

    section = models.ForeignKey(
        RoadSection,
        verbose_name=_("road section"),
        on_delete=models.CASCADE,
        related_name="passports",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    data_source = models.CharField(
        _("source of the data"), max_length=20, choices=DataSource.choices
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("materials passport")
        verbose_name_plural = _("materials passports")
        ordering = ["section", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "valid_from"],
                name="roads_passport_section_from_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="roads_passport_period_order",
                violation_error_message=_("valid_to cannot lie before valid_from."),
            ),
        ]

    def __str__(self) -> str:
        until = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.section.external_id} {self.valid_from.isoformat()}–{until}"

    def overlaps(self, valid_from: dt.date, valid_to: dt.date | None) -> bool:
        end = self.valid_to or dt.date.max
        return valid_from <= end and self.valid_from <= (valid_to or dt.date.max)

    def clean(self) -> None:
        if self.section_id is None or self.valid_from is None:
            return
        if getattr(self, "overlaps_checked", False):
            return  # an import checks against the file's passports too
        if self.valid_to is not None and self.valid_to < self.valid_from:
            return  # the period constraint reports it
        others = Passport.objects.filter(section_id=self.section_id).exclude(pk=self.pk)
        for other in others:
            if other.overlaps(self.valid_from, self.valid_to):
                raise ValidationError(
                    {"valid_from": overlap_message(other.valid_from, other.valid_to)}
                )


def overlap_message(valid_from: dt.date, valid_to: dt.date | None) -> str:
    return str(
        _(
            "Overlapping passports for the same section and period: the passport "
            "valid from %(start)s to %(end)s already covers part of this period."
        )
        % {
            "start": valid_from.isoformat(),
            "end": valid_to.isoformat() if valid_to else _("open end"),
        }
    )


class Binder(models.TextChoices):
    CONVENTIONAL = "conventional", _("Conventional bitumen")
    POLYMER_MODIFIED = "polymer_modified", _("Polymer-modified bitumen")
    BIO_ENRICHED = "bio_enriched", _("Bio-enriched (partly biobased) binder")
    BIOBASED = "biobased", _("Biobased binder")
    NONE = "none", _("No binder")


class PassportLayer(models.Model):
    """A layer of a passport; position 1 is the top."""

    passport = models.ForeignKey(
        Passport,
        verbose_name=_("passport"),
        on_delete=models.CASCADE,
        related_name="layers",
    )
    position = models.PositiveSmallIntegerField(
        _("position"), validators=[MinValueValidator(1)], help_text=_("1 is the top.")
    )
    mixture = models.ForeignKey(
        AsphaltMixture,
        verbose_name=_("mixture"),
        on_delete=models.PROTECT,
        related_name="passport_layers",
    )
    thickness_mm = models.FloatField(
        _("thickness (mm)"), validators=THICKNESS_VALIDATORS
    )
    year_laid = models.PositiveSmallIntegerField(
        _("year laid"), null=True, blank=True, validators=[validate_year_laid]
    )
    pr_percent = models.FloatField(
        _("reclaimed asphalt (PR, %)"),
        null=True,
        blank=True,
        validators=PR_VALIDATORS,
        help_text=_("Share of reclaimed asphalt in the mixture; empty when unknown."),
    )
    binder = models.CharField(
        _("binder"), max_length=20, choices=Binder.choices, default=Binder.CONVENTIONAL
    )
    pak_mg_per_kg = models.FloatField(
        _("PAK-10 (mg/kg dry matter)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("Physical bounds: PAK is 0 or more."))],
    )
    tar_containing = models.BooleanField(
        _("tar-containing"),
        default=False,
        help_text=_(
            "PAK-10 of 75 mg/kg or more, or known to contain tar: hazardous waste "
            "(EURAL 17 03 01*), never offered for reuse."
        ),
    )
    offered_for_reuse = models.BooleanField(
        _("offered for reuse"),
        default=True,
        help_text=_("The released material may be offered on the exchange."),
    )
    density_t_per_m3 = models.FloatField(
        _("measured density (t/m³)"),
        null=True,
        blank=True,
        validators=DENSITY_VALIDATORS,
        help_text=_(
            "In place, compacted; overrides the density of the mixture in the "
            "catalogue."
        ),
    )
    density_source = models.TextField(
        _("source of the density"),
        blank=True,
        help_text=_('For example "cores 2024"; required with a density.'),
    )

    class Meta:
        verbose_name = _("passport layer")
        verbose_name_plural = _("passport layers")
        ordering = ["passport", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["passport", "position"], name="roads_passport_layer_position"
            ),
            models.CheckConstraint(
                condition=DENSITY_HAS_SOURCE,
                name="roads_passport_layer_density_has_source",
                violation_error_message=_("A density needs its source."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.mixture.code} {self.thickness_mm:g} mm"

    @property
    def effective_density(self) -> float | None:
        """The layer's own density, else the catalogue's (t/m³; None: unknown)."""
        if self.density_t_per_m3 is not None:
            return self.density_t_per_m3
        return self.mixture.density_t_per_m3

    def clean(self) -> None:
        errors: dict[str, str] = {}
        measured_tar = (
            self.pak_mg_per_kg is not None
            and self.pak_mg_per_kg >= PAK_TAR_THRESHOLD_MG_PER_KG
        )
        if measured_tar:
            self.tar_containing = True
        if self.tar_containing and self.offered_for_reuse:
            errors["offered_for_reuse"] = str(
                _(
                    "Tar-containing asphalt (PAK-10 of 75 mg/kg or more) is hazardous "
                    "waste (EURAL 17 03 01*) and can never be offered for reuse."
                )
            )
        if errors:
            raise ValidationError(errors)


class WorkType(models.TextChoices):
    SURFACE_REPLACEMENT = "surface_replacement", _("Surface replacement")
    MILLING_AND_OVERLAY = "milling_and_overlay", _("Milling and overlay")
    FULL_RECONSTRUCTION = "full_reconstruction", _("Full reconstruction")
    PREVENTIVE = "preventive", _("Preventive maintenance")
    OTHER = "other", _("Other")


class WorkStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    TENDERED = "tendered", _("Tendered")
    DONE = "done", _("Done")


class MaintenanceWork(models.Model):
    """A planned work of an authority on one of its sections, in a time window.
    It removes layers (to ``removal_depth_mm``, or ``layers_removed`` whole top
    layers; a full reconstruction without either removes them all) and lays the
    new layers (``WorkLayer``)."""

    authority = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("road authority"),
        on_delete=models.PROTECT,
        related_name="road_works",
        limit_choices_to={"kind__in": ROAD_AUTHORITY_KINDS},
    )
    section = models.ForeignKey(
        RoadSection,
        verbose_name=_("road section"),
        on_delete=models.CASCADE,
        related_name="works",
    )
    external_id = models.CharField(_("external id"), max_length=100)
    window_start = models.DateField(_("window start"))
    window_end = models.DateField(_("window end"))
    work_type = models.CharField(
        _("type of work"), max_length=30, choices=WorkType.choices
    )
    removal_depth_mm = models.FloatField(
        _("removal depth (mm)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, _("Physical bounds: the removal depth is 0 or more.")),
            MaxValueValidator(
                2000, _("Physical bounds: the removal depth is at most 2000 mm.")
            ),
        ],
    )
    layers_removed = models.PositiveSmallIntegerField(
        _("top layers removed"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=WorkStatus.choices,
        default=WorkStatus.PLANNED,
    )
    plant = models.CharField(
        _("asphalt plant"),
        max_length=100,
        blank=True,
        help_text=_("The asphalt plant that supplies the work, where known."),
    )
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("maintenance work")
        verbose_name_plural = _("maintenance works")
        ordering = ["window_start", "authority__name", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "external_id"],
                name="roads_work_external_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(window_end__gte=models.F("window_start")),
                name="roads_work_window_order",
                violation_error_message=_("The window cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.get_work_type_display()})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.removal_depth_mm is not None and self.layers_removed is not None:
            errors["layers_removed"] = str(
                _("Give a removal depth or a number of top layers, not both.")
            )
        if (
            self.section_id is not None
            and self.authority_id is not None
            and self.section.authority_id != self.authority_id
        ):
            errors["section"] = str(_("The section belongs to another road authority."))
        if errors:
            raise ValidationError(errors)


class WorkLayer(models.Model):
    """A new layer a work lays; position 1 is the top."""

    work = models.ForeignKey(
        MaintenanceWork,
        verbose_name=_("maintenance work"),
        on_delete=models.CASCADE,
        related_name="new_layers",
    )
    position = models.PositiveSmallIntegerField(
        _("position"), validators=[MinValueValidator(1)]
    )
    mixture = models.ForeignKey(
        AsphaltMixture,
        verbose_name=_("mixture"),
        on_delete=models.PROTECT,
        related_name="work_layers",
    )
    thickness_mm = models.FloatField(
        _("thickness (mm)"), validators=THICKNESS_VALIDATORS
    )
    pr_percent = models.FloatField(
        _("reclaimed asphalt (PR, %)"), default=0, validators=PR_VALIDATORS
    )
    low_temperature = models.BooleanField(_("low-temperature asphalt"), default=False)
    density_t_per_m3 = models.FloatField(
        _("design density (t/m³)"),
        null=True,
        blank=True,
        validators=DENSITY_VALIDATORS,
        help_text=_(
            "In place, compacted, from the mix design; overrides the density of the "
            "mixture in the catalogue."
        ),
    )
    density_source = models.TextField(
        _("source of the density"),
        blank=True,
        help_text=_('For example "mix design 2026"; required with a density.'),
    )

    class Meta:
        verbose_name = _("new layer")
        verbose_name_plural = _("new layers")
        ordering = ["work", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "position"], name="roads_work_layer_position"
            ),
            models.CheckConstraint(
                condition=DENSITY_HAS_SOURCE,
                name="roads_work_layer_density_has_source",
                violation_error_message=_("A density needs its source."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.mixture.code} {self.thickness_mm:g} mm"

    @property
    def effective_density(self) -> float | None:
        """The layer's own density, else the catalogue's (t/m³; None: unknown)."""
        if self.density_t_per_m3 is not None:
            return self.density_t_per_m3
        return self.mixture.density_t_per_m3


class MixtureSubstitution(models.Model):
    """Admissibility for mixture harmonisation: the standard mixture ``serving`` may
    be laid where ``required`` is asked for, at an over-specification cost per tonne
    on top of its MKI (planning-models section 3). Which substitutions are allowed
    is a policy the road authorities set together; a mixture always serves itself
    at no cost and needs no row."""

    required = models.ForeignKey(
        AsphaltMixture,
        verbose_name=_("required mixture"),
        on_delete=models.CASCADE,
        related_name="substitutions_served",
    )
    serving = models.ForeignKey(
        AsphaltMixture,
        verbose_name=_("serving mixture"),
        on_delete=models.CASCADE,
        related_name="substitutions_serving",
    )
    over_spec_eur_per_tonne = models.FloatField(
        _("over-specification cost (euro per tonne)"),
        validators=[MinValueValidator(0)],
    )
    source = models.TextField(
        _("source or reason"),
        help_text=_("Who allows this substitution and why; where the cost is from."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mixture substitution")
        verbose_name_plural = _("mixture substitutions")
        ordering = ["required__code", "serving__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["required", "serving"], name="roads_substitution_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(required=models.F("serving")),
                name="roads_substitution_other_mixture",
                violation_error_message=_(
                    "A mixture serves its own requirement without a substitution."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.required.code} → {self.serving.code}"


class MixtureMkiVariant(models.Model):
    """The MKI profile of a mixture with a share of reclaimed asphalt (PR) and
    laid warm or at low temperature. A layer takes the variant of its mixture
    with the same low-temperature flag and the highest PR share not above its own
    (``roads.selectors.layer_mki_profile``)."""

    mixture = models.ForeignKey(
        AsphaltMixture,
        verbose_name=_("mixture"),
        on_delete=models.CASCADE,
        related_name="mki_variants",
    )
    pr_percent = models.FloatField(
        _("reclaimed asphalt (PR, %)"), default=0, validators=PR_VALIDATORS
    )
    low_temperature = models.BooleanField(_("low-temperature asphalt"), default=False)
    mki_profile = models.ForeignKey(
        "mki.Profile",
        verbose_name=_("MKI profile"),
        on_delete=models.CASCADE,
        related_name="road_mixture_variants",
        help_text=_("A profile per tonne."),
    )
    mki_method = models.CharField(
        _("weighting set"),
        max_length=20,
        choices=[(m, m) for m in BUILTIN_SETS],
        default="nmd-a2",
    )
    source = models.TextField(_("source"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("MKI variant of a mixture")
        verbose_name_plural = _("MKI variants of mixtures")
        ordering = ["mixture__code", "low_temperature", "pr_percent"]
        constraints = [
            models.UniqueConstraint(
                fields=["mixture", "pr_percent", "low_temperature"],
                name="roads_mki_variant_unique",
            )
        ]

    def __str__(self) -> str:
        warm = " LT" if self.low_temperature else ""
        return f"{self.mixture.code} PR {self.pr_percent:g} %{warm}"


class HarmonisationStatus(models.TextChoices):
    OPTIMAL = "optimal", _("Optimal")
    TIME_LIMIT = "time_limit", _("Stopped at the time limit")


class HarmonisationRun(models.Model):
    """A mixture harmonisation of the works in a horizon (engine
    ``cirkelregio.engine.roads.harmonise``) as started, with its result."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="road_harmonisation_runs",
    )
    parameters = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=HarmonisationStatus.choices
    )
    gap = models.FloatField(_("relative MIP gap"), null=True, blank=True)
    k = models.PositiveSmallIntegerField(_("at most k mixtures"), null=True, blank=True)
    minimum_mixtures = models.PositiveSmallIntegerField(
        _("fewest mixtures that cover everything"), null=True, blank=True
    )
    chosen = models.JSONField(_("chosen mixtures"), default=list)
    requirements = models.PositiveIntegerField(_("requirements"), default=0)
    tonnes = models.FloatField(_("tonnes"), default=0)
    assignments = models.JSONField(
        _("assignment"),
        default=list,
        help_text=_("Per required mixture: the serving mixture and the tonnes."),
    )
    spread_before = models.JSONField(_("spread before"), default=dict)
    spread_after = models.JSONField(_("spread after"), default=dict)
    mki_before_eur = models.FloatField(_("MKI before (euro)"), null=True, blank=True)
    mki_after_eur = models.FloatField(_("MKI after (euro)"), null=True, blank=True)
    over_spec_eur = models.FloatField(
        _("over-specification cost (euro)"), null=True, blank=True
    )
    mki_note = models.TextField(_("note on the MKI"), blank=True)
    seconds = models.FloatField(_("seconds"), default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        verbose_name = _("mixture harmonisation run")
        verbose_name_plural = _("mixture harmonisation runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {', '.join(self.chosen)}"

    @property
    def mki_difference_eur(self) -> float | None:
        if self.mki_before_eur is None or self.mki_after_eur is None:
            return None
        return self.mki_after_eur - self.mki_before_eur
