# SPDX-License-Identifier: EUPL-1.2
"""factory_boy factories for initiatives and contact points."""

from __future__ import annotations

import datetime as dt

import factory

from cirkelregio.initiatives import models
from cirkelregio.regions.tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Initiative

    name = factory.Sequence(lambda n: f"Initiatief {n}")
    type = models.InitiativeType.REPAIR_CAFE
    municipality = factory.SubFactory(MunicipalityFactory)
    stage = models.Stage.STARTING
    description_nl = "Buurtbewoners repareren samen."
    needs = "space,volunteers"
    contact_email = factory.Sequence(lambda n: f"initiatief{n}@example.org")
    status = models.InitiativeStatus.PUBLISHED


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ContactPoint

    municipality = factory.SubFactory(MunicipalityFactory)
    organisation = factory.SubFactory(
        OrganisationFactory,
        kind="municipality",
        municipality=factory.SelfAttribute("..municipality"),
    )
    role_name = "Team Duurzaamheid"
    email = "duurzaam@example.org"
    last_verified = dt.date(2026, 1, 15)
