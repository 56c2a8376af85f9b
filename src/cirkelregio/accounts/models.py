# SPDX-License-Identifier: EUPL-1.2
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Alliance coordinator")
    EDITOR = "editor", _("Organisation editor")
    NONE = "none", _("No editing role")


class User(AbstractUser):
    """A person who signs in. Belongs to at most one organisation.

    Coordinators edit the whole registry; organisation editors edit what belongs to
    their own organisation; everyone else only reads published data.
    """

    organisation = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.NONE
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.COORDINATOR)

    @property
    def is_organisation_editor(self) -> bool:
        return (
            self.is_active
            and self.role == Role.EDITOR
            and self.organisation_id is not None
        )
