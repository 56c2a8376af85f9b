# SPDX-License-Identifier: EUPL-1.2
"""factory_boy factories for repair places (small synthetic test data)."""

from __future__ import annotations

import factory

from cirkelregio.repair import models


class RepairPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RepairPlace

    name = factory.Sequence(lambda n: f"Reparatieplek {n}")
    kind = models.PlaceKind.REPAIR_CAFE
    postcode = "3511"
    city = "Teststad"
    lat = 52.05
    lon = 5.05
    opening_hours = "Sa[2] 10:00-13:00"
