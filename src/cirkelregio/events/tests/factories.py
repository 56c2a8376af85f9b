# SPDX-License-Identifier: EUPL-1.2
"""factory_boy factories for repair events and Reparatieweek editions (small
synthetic test data). They save directly, so ``last_end`` is worked out here as the
service would."""

from __future__ import annotations

import datetime as dt

import factory

from cirkelregio.events import models, recurrence
from cirkelregio.regions.tests.factories import MunicipalityFactory

A = recurrence.AMSTERDAM


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ReparatieweekEdition

    name = factory.Sequence(lambda n: f"Reparatieweek {n}")
    start_date = dt.date(2027, 3, 15)
    end_date = dt.date(2027, 3, 20)
    theme_nl = "Kleding"
    theme_en = "Clothing"
    is_published = True


class RepairEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RepairEvent

    title_nl = factory.Sequence(lambda n: f"Activiteit {n}")
    kind = models.EventKind.REPAIR_CAFE
    address = "Teststraat 1, 3511 Teststad"
    municipality = factory.SubFactory(MunicipalityFactory)
    start = dt.datetime(2027, 1, 9, 10, 0, tzinfo=A)
    end = dt.datetime(2027, 1, 9, 13, 0, tzinfo=A)
    recurrence = ""
    last_end = factory.LazyAttribute(
        lambda o: recurrence.last_end(o.start, o.end, o.recurrence)
    )
    status = models.EventStatus.PUBLISHED
