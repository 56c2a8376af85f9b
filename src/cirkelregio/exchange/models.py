# SPDX-License-Identifier: EUPL-1.2
"""The regional materials exchange ("Stenen delen", docs/exchange-model.md): a
catalogue of material classes, shared depots, supply and demand listings, match runs
of the engine's optimisation (``cirkelregio.engine.optimize.exchange``) with one
proposal per flow of the plan, and the stock ledger of the depots.

Quantities are in the unit of the listing's material class (``MaterialClass.unit``);
tonnes are quantity x ``tonnes_per_unit``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cirkelregio.core.i18n import Localized
from cirkelregio.engine.mki import BUILTIN_SETS

# A generous box around the European Netherlands (degrees, WGS84): a listing whose
# country is NL must lie inside it. It catches swapped or mistyped coordinates, not
# every point just across the border.
NL_BBOX = (50.70, 3.20, 53.70, 7.30)  # south, west, north, east


def validate_more_than_zero(value: float) -> None:
    if not value > 0:
        raise ValidationError(_("The value must be more than 0."))


LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


class MaterialClass(models.Model):
    """A class of material that is exchanged, e.g. concrete paving bricks (BSS 21x10x8),
    with the prices the optimisation uses. Each price names its source.

    The MKI of the new product that reused material replaces is calculated from an
    environmental profile of the MKI app when ``new_mki_profile`` is set:
    ``new_mki_conversion`` of the profile's functional units make one unit of the
    class (empty: 1 when the units are the same, ``tonnes_per_unit`` when the
    profile is per tonne), weighted with ``new_mki_method``. Without a profile the
    entered estimate ``new_mki_eur`` is used."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20, help_text=_("t, m2, m, piece"))
    tonnes_per_unit = models.FloatField(
        _("tonnes per unit"), validators=[MinValueValidator(0)]
    )
    new_cost_eur = models.FloatField(
        _("new product cost (euro per unit)"), validators=[MinValueValidator(0)]
    )
    new_cost_source = models.TextField(_("source of the new product cost"))
    new_mki_eur = models.FloatField(
        _("new product MKI (euro per unit)"), validators=[MinValueValidator(0)]
    )
    new_mki_source = models.TextField(_("source of the new product MKI"))
    new_mki_profile = models.ForeignKey(
        "mki.Profile",
        verbose_name=_("MKI profile of the new product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_materials",
        help_text=_(
            "When set, the new product's MKI is calculated from this profile; "
            "otherwise the entered estimate is used."
        ),
    )
    new_mki_conversion = models.FloatField(
        _("profile units per unit"),
        null=True,
        blank=True,
        validators=[validate_more_than_zero],
        help_text=_(
            "How many of the profile's functional units make one unit of this class. "
            "Empty: 1 when the units are the same, the tonnes per unit when the "
            "profile is per tonne."
        ),
    )
    new_mki_method = models.CharField(
        _("weighting set of the new product MKI"),
        max_length=20,
        choices=[(m, m) for m in BUILTIN_SETS],
        default="nmd-a2",
    )
    disposal_cost_eur = models.FloatField(
        _("disposal cost (euro per unit)"),
        help_text=_("Negative where the scrap has value."),
    )
    disposal_cost_source = models.TextField(_("source of the disposal cost"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    name = Localized("name")

    class Meta:
        verbose_name = _("material class")
        verbose_name_plural = _("material classes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tonnes_per_unit__gt=0),
                name="exchange_material_tpu_positive",
                violation_error_message=_("Tonnes per unit must be more than 0."),
            ),
            models.CheckConstraint(
                condition=models.Q(new_mki_conversion__isnull=True)
                | models.Q(new_mki_conversion__gt=0),
                name="exchange_material_conversion_positive",
                violation_error_message=_("The conversion must be more than 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.unit})"


class Depot(models.Model):
    """A storage depot where released material waits for the project that needs it."""

    owner = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="exchange_depots",
    )
    name = models.CharField(_("name"), max_length=200)
    lat = models.FloatField(_("latitude"), validators=LATITUDE)
    lon = models.FloatField(_("longitude"), validators=LONGITUDE)
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_depots",
    )
    capacity_tonnes = models.FloatField(
        _("capacity (tonnes)"), validators=[MinValueValidator(0)]
    )
    storage_eur_per_tonne_week = models.FloatField(
        _("storage cost (euro per tonne per week)"), validators=[MinValueValidator(0)]
    )
    handling_eur_per_tonne = models.FloatField(
        _("handling cost (euro per tonne)"), validators=[MinValueValidator(0)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("depot")
        verbose_name_plural = _("depots")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"], name="exchange_depot_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ListingKind(models.TextChoices):
    SUPPLY = "supply", _("Supply (released material)")
    DEMAND = "demand", _("Demand (material needed)")


class Quality(models.TextChoices):
    A = "A", _("A: as new")
    B = "B", _("B: reusable after cleaning")
    C = "C", _("C: reusable in a lower application")


class ListingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")


class ClosedReason(models.TextChoices):
    PLACED = "placed", _("Whole quantity placed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Listing(models.Model):
    """Material a project releases (supply) or needs (demand) within a time window.

    ``reserved_quantity`` is what accepted proposals have reserved; the remaining
    quantity (``quantity - reserved_quantity``) is what a match run may still use.
    A listing is closed when its whole quantity has been placed or its owner
    withdraws it (``closed_reason``, ``closed_at``): it is then no longer shown as
    available and no match run uses it."""

    kind = models.CharField(_("kind"), max_length=10, choices=ListingKind.choices)
    owner = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="exchange_listings",
    )
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("The owner's own reference; unique per owner when given."),
    )
    project_name = models.CharField(_("project"), max_length=200)
    material = models.ForeignKey(
        MaterialClass,
        verbose_name=_("material class"),
        on_delete=models.PROTECT,
        related_name="listings",
    )
    quantity = models.FloatField(
        _("quantity"), help_text=_("In the unit of the material class.")
    )
    reserved_quantity = models.FloatField(_("reserved quantity"), default=0)
    quality = models.CharField(
        _("quality grade"), max_length=1, choices=Quality.choices, default=Quality.B
    )
    lat = models.FloatField(_("latitude"), validators=LATITUDE)
    lon = models.FloatField(_("longitude"), validators=LONGITUDE)
    country = models.CharField(
        _("country"),
        max_length=2,
        default="NL",
        help_text=_("ISO 3166 code; a Dutch listing must lie in the Netherlands."),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exchange_listings",
    )
    window_from = models.DateField(_("available or needed from"))
    window_until = models.DateField(_("available or needed until"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ListingStatus.choices,
        default=ListingStatus.OPEN,
    )
    closed_reason = models.CharField(
        _("closed because"),
        max_length=10,
        choices=ClosedReason.choices,
        blank=True,
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["window_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0),
                name="exchange_listing_quantity_positive",
                violation_error_message=_("The quantity must be more than 0."),
            ),
            models.CheckConstraint(
                condition=models.Q(window_until__gte=models.F("window_from")),
                name="exchange_listing_window_order",
                violation_error_message=_("The window cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(reserved_quantity__gte=0)
                & models.Q(reserved_quantity__lte=models.F("quantity")),
                name="exchange_listing_reserved_within_quantity",
                violation_error_message=_("More is reserved than the listing holds."),
            ),
            models.UniqueConstraint(
                fields=["owner", "reference"],
                condition=~models.Q(reference=""),
                name="exchange_listing_reference_unique",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="exchange_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.project_name} ({self.material_id})"

    @property
    def remaining_quantity(self) -> float:
        return max(self.quantity - self.reserved_quantity, 0.0)


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class MatchRun(models.Model):
    """One optimisation of all open listings and active depots. A failed run keeps
    its message and has no proposals."""

    started_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    parameters = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING
    )
    week0 = models.DateField(_("Monday of week 0"), null=True, blank=True)
    objective_eur = models.FloatField(_("objective (euro)"), null=True, blank=True)
    baseline_eur = models.FloatField(_("baseline (euro)"), null=True, blank=True)
    savings_eur = models.FloatField(_("savings (euro)"), null=True, blank=True)
    tonne_km = models.FloatField(_("tonne-km"), null=True, blank=True)
    transport_mki_eur = models.FloatField(
        _("transport MKI (euro)"), null=True, blank=True
    )
    new_mki_avoided_eur = models.FloatField(
        _("new-product MKI avoided (euro)"), null=True, blank=True
    )
    reused = models.JSONField(
        _("reused per material"),
        default=dict,
        blank=True,
        help_text=_("Units per material class: direct and through a depot."),
    )
    new_mki = models.JSONField(
        _("new product MKI per material"),
        default=dict,
        blank=True,
        help_text=_(
            "Per material class: the MKI per unit of new product the run used and "
            "where it comes from (an MKI profile with its weighting set, or the "
            "entered estimate)."
        ),
    )
    counts = models.JSONField(
        _("input counts"),
        default=dict,
        blank=True,
        help_text=_("Supplies, demands, depots and materials in the run."),
    )
    message = models.TextField(_("message"), blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted by one party")
    REJECTED = "rejected", _("Rejected")
    RESERVED = "reserved", _("Reserved")
    TRANSPORTED = "transported", _("Transported")
    PLACED = "placed", _("Placed")
    RELEASED = "released", _("Released")


class Proposal(models.Model):
    """One flow of a match run's plan: supply to demand (depot empty), supply into a
    depot (demand empty) or out of a depot to a demand (supply empty), in one week.

    A direct flow needs both owners' acceptance (``accepted``: one has accepted); a
    depot flow its listing owner's. Full acceptance reserves the quantity on the
    listings (status ``reserved``); then ``transported`` and ``placed``. A reserved
    proposal can be released (``released``): its quantity is free again, and who
    released it and why is kept."""

    match_run = models.ForeignKey(
        MatchRun,
        verbose_name=_("match run"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    supply = models.ForeignKey(
        Listing,
        verbose_name=_("supply"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supply_proposals",
    )
    demand = models.ForeignKey(
        Listing,
        verbose_name=_("demand"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="demand_proposals",
    )
    depot = models.ForeignKey(
        Depot,
        verbose_name=_("depot"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    material = models.ForeignKey(
        MaterialClass,
        verbose_name=_("material class"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    week = models.PositiveIntegerField(_("week of the plan"))
    week_out = models.DateField(_("week out (Monday)"))
    week_in = models.DateField(_("week in (Monday)"))
    quantity = models.FloatField(_("quantity"))
    tonnes = models.FloatField(_("tonnes"))
    distance_km = models.FloatField(_("distance (km)"))
    tonne_km = models.FloatField(_("tonne-km"))
    cost_share_eur = models.FloatField(
        _("cost share (euro)"),
        help_text=_("Transport (cost and MKI) and depot handling of this flow."),
    )
    transport_mki_eur = models.FloatField(_("transport MKI (euro)"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    supply_accepted = models.BooleanField(_("accepted by the supplier"), default=False)
    demand_accepted = models.BooleanField(
        _("accepted by the demanding party"), default=False
    )
    released_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    release_reason = models.TextField(_("reason for the release"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["match_run", "week", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0),
                name="exchange_proposal_quantity_positive",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(supply__isnull=False, demand__isnull=False, depot=None)
                    | models.Q(supply__isnull=False, demand=None, depot__isnull=False)
                    | models.Q(supply=None, demand__isnull=False, depot__isnull=False)
                ),
                name="exchange_proposal_kind",
            ),
        ]

    def __str__(self) -> str:
        parts = [str(x) for x in (self.supply_id, self.depot_id, self.demand_id) if x]
        return f"#{self.pk} " + " -> ".join(parts)

    @property
    def flow_kind(self) -> str:
        if self.depot_id is None:
            return "direct"
        return "to_depot" if self.supply_id is not None else "from_depot"


class DepotStockMovement(models.Model):
    """The stock ledger of a depot: material in (positive) or out (negative) when a
    proposal through the depot is placed in it or transported out of it."""

    depot = models.ForeignKey(
        Depot,
        verbose_name=_("depot"),
        on_delete=models.CASCADE,
        related_name="movements",
    )
    material = models.ForeignKey(
        MaterialClass,
        verbose_name=_("material class"),
        on_delete=models.PROTECT,
        related_name="movements",
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="movements",
    )
    quantity = models.FloatField(
        _("quantity"), help_text=_("In: positive; out: negative.")
    )
    tonnes = models.FloatField(_("tonnes"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("depot stock movement")
        verbose_name_plural = _("depot stock movements")
        ordering = ["depot", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.depot_id} {self.material_id} {self.quantity:+g}"


class PhotoFormat(models.TextChoices):
    JPEG = "JPEG", "JPEG"
    PNG = "PNG", "PNG"
    WEBP = "WEBP", "WebP"


class ListingPhoto(models.Model):
    """A photo of a listing's material. Stored under a random name, re-encoded
    without metadata (no EXIF, so no GPS position); ``alt`` describes it for people
    who cannot see it. The file is served only to readers of the listing."""

    listing = models.ForeignKey(
        Listing,
        verbose_name=_("listing"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.ImageField(
        _("image"),
        upload_to="exchange/listings/%Y/%m/",
        width_field="width",
        height_field="height",
    )
    image_format = models.CharField(
        _("image format"), max_length=4, choices=PhotoFormat.choices
    )
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    alt = models.CharField(
        _("alternative text"),
        max_length=300,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("listing photo")
        verbose_name_plural = _("listing photos")
        ordering = ["listing", "order", "id"]

    def __str__(self) -> str:
        return f"{self.listing_id} #{self.order}: {self.alt}"

    @property
    def content_type(self) -> str:
        return f"image/{self.image_format.lower()}"
