# SPDX-License-Identifier: EUPL-1.2
"""factory_boy factories for registry records (small synthetic data for unit tests)."""

from __future__ import annotations

import datetime as dt

import factory

from cirkelregio.regions import models

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.0, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.1], [5.0, 52.0]]],
}


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ("code",)

    code = "nl-utrecht"
    name_nl = "Provincie Utrecht"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Municipality

    region = factory.SubFactory(RegionFactory)
    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n % 1000:04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")
    slug = factory.Sequence(lambda n: f"testgemeente-{n}")
    population = 10_000
    population_year = 2024
    area_km2 = 12.5
    boundary = SQUARE
    bbox = [5.0, 52.0, 5.1, 52.1]
    centroid_lat = 52.05
    centroid_lon = 5.05


class ActionLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActionLine

    region = factory.SubFactory(RegionFactory)
    number = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"actielijn-{n + 1}")
    domain = models.Domain.GWW
    name_nl = factory.Sequence(lambda n: f"Actielijn {n + 1}")
    name_en = factory.Sequence(lambda n: f"Action line {n + 1}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation

    slug = factory.Sequence(lambda n: f"organisatie-{n}")
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = models.OrganisationKind.COMPANY


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Participation

    organisation = factory.SubFactory(OrganisationFactory)
    action_line = factory.SubFactory(ActionLineFactory)
    phase = models.Phase.CONNECT
    role = models.ParticipationRole.PARTICIPANT
    since = dt.date(2025, 1, 6)


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AnnualPlan

    action_line = factory.SubFactory(ActionLineFactory)
    year = 2026
    title_nl = factory.Sequence(lambda n: f"Jaarplan {n}")
    status = models.PlanStatus.ADOPTED


class PlannedActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PlannedActivity

    plan = factory.SubFactory(AnnualPlanFactory)
    title_nl = factory.Sequence(lambda n: f"Activiteit {n}")
