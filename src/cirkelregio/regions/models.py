# SPDX-License-Identifier: EUPL-1.2
"""The alliance registry: region, municipalities, postcodes, action lines, the
organisations that take part and in which phase, and the annual plans."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cirkelregio.core.i18n import Localized

cbs_municipality_code = RegexValidator(
    r"^GM\d{4}$", _("A CBS municipality code is GM followed by four digits.")
)
pc4_code = RegexValidator(
    r"^[1-9]\d{3}$", _("A PC4 postcode is four digits, not 0xxx.")
)


class Region(models.Model):
    """The area an alliance works in, e.g. a province. Its data files live in
    ``data/regions/<code>/``."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    cbs_code = models.CharField(_("CBS code"), max_length=10, blank=True)
    alliance_name = models.CharField(_("alliance"), max_length=200, blank=True)

    name = Localized("name")

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name_nl


class Municipality(models.Model):
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    cbs_code = models.CharField(
        _("CBS code"), max_length=6, unique=True, validators=[cbs_municipality_code]
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    population = models.PositiveIntegerField(_("population"))
    population_year = models.PositiveSmallIntegerField(_("population year"))
    area_km2 = models.FloatField(_("area (km²)"), validators=[MinValueValidator(0)])
    boundary = models.JSONField(
        _("boundary"), help_text=_("GeoJSON geometry in WGS84 (RFC 7946).")
    )
    bbox = models.JSONField(
        _("bounding box"),
        default=list,
        help_text=_("[west, south, east, north] in degrees."),
    )
    centroid_lat = models.FloatField(_("centroid latitude"))
    centroid_lon = models.FloatField(_("centroid longitude"))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A four-digit postcode area (PC4) with its centroid, for postcode search."""

    code = models.CharField(
        _("postcode"), max_length=4, unique=True, validators=[pc4_code]
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="postcodes",
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)

    class Meta:
        verbose_name = _("postcode area")
        verbose_name_plural = _("postcode areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Phase(models.TextChoices):
    CONNECT = "connect", _("Connect")
    EXPLORE = "explore", _("Explore")
    REALISE = "realise", _("Realise")


PHASE_ORDER = {Phase.CONNECT: 1, Phase.EXPLORE: 2, Phase.REALISE: 3}


class PhaseDefinition(models.Model):
    """What a phase means, in the words of the koersdocument."""

    code = models.CharField(
        _("code"), max_length=20, choices=Phase.choices, unique=True
    )
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    name = Localized("name")
    description = Localized("description")

    class Meta:
        verbose_name = _("phase definition")
        verbose_name_plural = _("phase definitions")

    def __str__(self) -> str:
        return self.name_nl

    @property
    def rank(self) -> int:
        return PHASE_ORDER[Phase(self.code)]


class ParticipationRole(models.TextChoices):
    LEAD = "lead", _("Frontrunner")
    PARTICIPANT = "participant", _("Participant")
    ENTRY_MODEL = "entry_model", _("Entry model")


class Domain(models.TextChoices):
    GWW = "gww", _("Procurement & public space (GWW)")
    CHAIN = "chain", _("Chain collaboration")
    CONSUMER = "consumer", _("Sustainable consumer behaviour")
    CROSS_CUTTING = "cross_cutting", _("Cross-cutting")


class RStrategy(models.Model):
    """A rung of the R-ladder the alliance works on (reduce, substitute, extend life,
    recycle), in the order of the koersdocument."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"))
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    name = Localized("name")
    description = Localized("description")

    class Meta:
        verbose_name = _("R-ladder strategy")
        verbose_name_plural = _("R-ladder strategies")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name_nl


class ActionLine(models.Model):
    """An action line (actielijn) of the alliance, or the cross-cutting theme
    (number empty)."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="action_lines",
    )
    number = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    slug = models.SlugField(_("slug"), max_length=100)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    quote_nl = models.TextField(_("quote (Dutch)"), blank=True)
    quote_en = models.TextField(_("quote (English)"), blank=True)
    summary_nl = models.TextField(_("summary (Dutch)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    introduction_nl = models.TextField(
        _("introduction (Dutch)"),
        blank=True,
        help_text=_("Paragraphs separated by an empty line."),
    )
    main_goal_nl = models.TextField(_("main goal (Dutch)"), blank=True)
    main_goal_en = models.TextField(_("main goal (English)"), blank=True)
    r_strategies = models.ManyToManyField(
        RStrategy,
        verbose_name=_("R-ladder strategies"),
        blank=True,
        related_name="action_lines",
    )

    name = Localized("name")
    quote = Localized("quote")
    summary = Localized("summary")
    main_goal = Localized("main_goal")

    class Meta:
        verbose_name = _("action line")
        verbose_name_plural = _("action lines")
        ordering = [models.F("number").asc(nulls_last=True), "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "slug"], name="actionline_slug_unique"
            ),
            models.UniqueConstraint(
                fields=["region", "number"], name="actionline_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name_nl}" if self.number else self.name_nl

    @property
    def introduction_paragraphs(self) -> list[str]:
        return [p for p in self.introduction_nl.split("\n\n") if p.strip()]


class SubGoal(models.Model):
    action_line = models.ForeignKey(
        ActionLine,
        on_delete=models.CASCADE,
        related_name="subgoals",
        verbose_name=_("action line"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"), blank=True)

    text = Localized("text")

    class Meta:
        verbose_name = _("sub-goal")
        verbose_name_plural = _("sub-goals")
        ordering = ["action_line", "order"]

    def __str__(self) -> str:
        return self.text_nl[:80]


class LineActivity(models.Model):
    """An activity the koersdocument lists for an action line."""

    action_line = models.ForeignKey(
        ActionLine,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("action line"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    text_nl = models.TextField(_("text (Dutch)"), blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["action_line", "order"]

    def __str__(self) -> str:
        return self.title_nl


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    PROVINCE = "province", _("Province")
    WATER_BOARD = "water_board", _("Water board")
    COMPANY = "company", _("Company")
    KNOWLEDGE_INSTITUTION = "knowledge_institution", _("Knowledge institution")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
    RESIDENT_INITIATIVE = "resident_initiative", _("Resident initiative")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("The municipality this organisation is, or is based in."),
    )
    website = models.URLField(_("website"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        help_text=_("Invented for demonstration; never loaded in production."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(kind="municipality"),
                name="one_municipality_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ParticipationSource(models.TextChoices):
    KOERSDOCUMENT = "koersdocument", _("Named in the koersdocument")
    REGISTERED = "registered", _("Registered by the organisation or coordinator")
    DEMO = "demo", _("Demo data")


class Participation(models.Model):
    """An organisation taking part in an action line, in a phase and a role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    action_line = models.ForeignKey(
        ActionLine,
        verbose_name=_("action line"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    role = models.CharField(_("role"), max_length=20, choices=ParticipationRole.choices)
    since = models.DateField(_("since"))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    note_nl = models.TextField(_("note (Dutch)"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=ParticipationSource.choices,
        default=ParticipationSource.REGISTERED,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["action_line__number", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "action_line"],
                name="one_participation_per_line",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.action_line}"


class PhaseChange(models.Model):
    """The history of a participation's phase: one row per phase reached."""

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="phase_changes",
        verbose_name=_("participation"),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    changed_on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["participation", "changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.participation}: {self.phase} ({self.changed_on})"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# The statuses an activity may move to from each status. Done and cancelled are final,
# except that a finished activity can be reopened and a cancelled one taken up again.
ACTIVITY_STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    ActivityStatus.PLANNED: frozenset(
        {ActivityStatus.IN_PROGRESS, ActivityStatus.DONE, ActivityStatus.CANCELLED}
    ),
    ActivityStatus.IN_PROGRESS: frozenset(
        {ActivityStatus.DONE, ActivityStatus.CANCELLED}
    ),
    ActivityStatus.DONE: frozenset({ActivityStatus.IN_PROGRESS}),
    ActivityStatus.CANCELLED: frozenset(
        {ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS}
    ),
}


class AnnualPlan(models.Model):
    """The annual plan (jaarplan) of one action line for one year."""

    action_line = models.ForeignKey(
        ActionLine,
        verbose_name=_("action line"),
        on_delete=models.PROTECT,
        related_name="annual_plans",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_nl = models.TextField(_("summary (Dutch)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    title = Localized("title")

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["action_line__number", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_line", "year"], name="one_plan_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_line} {self.year}"

    @property
    def is_published(self) -> bool:
        return self.status != PlanStatus.DRAFT


class PlannedActivity(models.Model):
    plan = models.ForeignKey(
        AnnualPlan,
        verbose_name=_("annual plan"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED,
    )
    lead = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_activities",
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    status_changed_on = models.DateField(
        _("status changed on"),
        null=True,
        blank=True,
        help_text=_("The date the activity reached its current status."),
    )
    achievement_nl = models.TextField(
        _("what was achieved (Dutch)"), blank=True, default=""
    )
    achievement_en = models.TextField(
        _("what was achieved (English)"), blank=True, default=""
    )
    achievement_figure = models.CharField(
        _("result in figures"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("For example: 12 road sections measured."),
    )
    achievement_url = models.URLField(_("link to the result"), blank=True, default="")
    progress_updated_at = models.DateTimeField(
        _("progress updated"), null=True, blank=True
    )
    progress_updated_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("progress updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    achievement = Localized("achievement")

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.title_nl
