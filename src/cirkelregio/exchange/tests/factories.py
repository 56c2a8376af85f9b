# SPDX-License-Identifier: EUPL-1.2
"""factory_boy factories for exchange records (small synthetic test data)."""

from __future__ import annotations

import datetime as dt

import factory

from cirkelregio.exchange import models
from cirkelregio.regions.tests.factories import OrganisationFactory


class MaterialClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MaterialClass

    code = factory.Sequence(lambda n: f"materiaal-{n}")
    name_nl = factory.Sequence(lambda n: f"Materiaal {n} (test)")
    unit = "m2"
    tonnes_per_unit = 0.2
    new_cost_eur = 20.0
    new_cost_source = "test value"
    new_mki_eur = 2.0
    new_mki_source = "test value"
    disposal_cost_eur = 3.0
    disposal_cost_source = "test value"


class DepotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Depot

    owner = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Depot {n}")
    lat = 52.08
    lon = 5.10
    capacity_tonnes = 100.0
    storage_eur_per_tonne_week = 0.1
    handling_eur_per_tonne = 1.0


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Listing

    kind = models.ListingKind.SUPPLY
    owner = factory.SubFactory(OrganisationFactory)
    project_name = factory.Sequence(lambda n: f"Project {n}")
    material = factory.SubFactory(MaterialClassFactory)
    quantity = 100.0
    lat = 52.09
    lon = 5.12
    window_from = dt.date(2026, 3, 2)
    window_until = dt.date(2026, 3, 15)
