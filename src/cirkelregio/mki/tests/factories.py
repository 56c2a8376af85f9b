# SPDX-License-Identifier: EUPL-1.2
"""factory_boy factories for MKI records (small synthetic data, not NMD data)."""

from __future__ import annotations

import factory

from cirkelregio.mki import models
from cirkelregio.regions.tests.factories import MunicipalityFactory, OrganisationFactory


class ProfileLibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProfileLibrary

    name = factory.Sequence(lambda n: f"Bibliotheek {n} (test)")
    is_synthetic = True
    is_published = True


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Profile

    library = factory.SubFactory(ProfileLibraryFactory)
    profile_id = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"Product {n} (test)")
    unit = "t"
    data_category = "1"
    indicator_set = models.IndicatorSet.A2


class ProfileValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProfileValue

    profile = factory.SubFactory(ProfileFactory)
    module = "A1-A3"
    indicator = "GWP-total"
    value = 10.0


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Project

    name = factory.Sequence(lambda n: f"Project {n}")
    owner = factory.SubFactory(OrganisationFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    year = 2025
    is_published = True


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Variant

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Variant {n}")
    is_reference = False


class ElementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Element

    variant = factory.SubFactory(VariantFactory)
    name = factory.Sequence(lambda n: f"Element {n}")
    order = factory.Sequence(lambda n: n)


class BillLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BillLine

    element = factory.SubFactory(ElementFactory)
    line_id = factory.Sequence(lambda n: f"L{n}")
    profile = factory.SubFactory(ProfileFactory)
    quantity = 10.0
    service_life_years = None


class TenderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Tender

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Aanbesteding {n}")
    kind = models.CriterionKind.DISCOUNT
    upper_bound = 1000.0
    lower_bound = 500.0
    max_discount = 100.0


class BidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Bid

    tender = factory.SubFactory(TenderFactory)
    bidder_name = factory.Sequence(lambda n: f"Aannemer {n}")
    price = 10000
    promised_mki = 800.0
