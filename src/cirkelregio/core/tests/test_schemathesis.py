# SPDX-License-Identifier: EUPL-1.2
"""Property-based tests of the API against its committed OpenAPI schema (schemathesis).

Every operation of ``openapi.yaml`` is called anonymously, in process through the WSGI
application, with the region's reference and demo data loaded: schemathesis' coverage
phase (boundary values, missing and invalid parameters, undeclared methods) and up to
25 generated examples per operation, valid and invalid. No request may cause a server
error, and every answer must be documented: its status code, media type, body (errors
are problem details) and, for a method the operation does not offer, a 405 with an
``Allow`` header.

Left out: ``positive_data_acceptance`` and ``negative_data_rejection``. The schema does
not express every rule (the year range of a filter, for example), and anonymous writes
are refused before their data is looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signals
from django.db import close_old_connections, transaction

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from cirkelregio.conf.wsgi import application

SCHEMA_FILE = Path(settings.REPO_DIR) / "openapi.yaml"

schema = schemathesis.openapi.from_path(SCHEMA_FILE)
schema.app = application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    unsupported_method,
    allow_header_conformance,
]


@pytest.fixture(scope="module")
def demo_registry(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The reference and demo data, loaded once for the module inside a transaction
    that is rolled back at the end; each test runs in a savepoint within it."""
    from cirkelregio.agricycling.services import agricycling_demo_load
    from cirkelregio.biobased.services import biobased_demo_load, materials_load
    from cirkelregio.craftcentres.services import craftcentres_demo_load
    from cirkelregio.events.services import events_demo_load
    from cirkelregio.exchange.services import exchange_demo_load, match_run_start
    from cirkelregio.initiatives.services import initiatives_demo_load
    from cirkelregio.mki.services import mki_demo_load
    from cirkelregio.monitoring.services import indicators_compute, indicators_load
    from cirkelregio.regions.services import demo_data_load, reference_data_load
    from cirkelregio.repair.services import ords_import, repair_demo_load

    data_dir = Path(settings.DATA_DIR)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            reference_data_load(directory=data_dir / "regions" / "nl-utrecht")
            demo_data_load(directory=data_dir / "demo" / "nl-utrecht")
            mki_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "mki")
            exchange_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "exchange")
            match_run_start(actor=None)
            initiatives_demo_load(
                directory=data_dir / "demo" / "nl-utrecht" / "initiatives"
            )
            repair_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "repair")
            events_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "events")
            materials_load(path=data_dir / "biobased" / "materials.csv")
            biobased_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "biobased")
            agricycling_demo_load(
                directory=data_dir / "demo" / "nl-utrecht" / "agricycling"
            )
            craftcentres_demo_load(
                directory=data_dir / "demo" / "nl-utrecht" / "craftcentres"
            )
            ords_import(
                Path(settings.REPO_DIR)
                / "data"
                / "ords"
                / "OpenRepairData_v0.3_FixitClinic_202507.csv"
            )
            indicators_load()
            indicators_compute()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    """A WSGI request ends with Django closing the database connection, which would
    end the test's transaction; Django's own test client prevents this the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(
    case: Any, demo_registry: None, db: None, in_process_requests: None
) -> None:
    response = case.call()
    case.validate_response(response, checks=CHECKS)


# Every record of the demo data, read through each operation that shows it, as the
# public and as a coordinator (who also sees drafts and contact details). Generated
# identifiers rarely hit a record, so this covers the 200 answers of the detail views.
RECORDS = {
    "/api/v1/municipalities/{cbs_code}/": ("cbs_code", "regions.Municipality"),
    "/api/v1/action-lines/{slug}/": ("slug", "regions.ActionLine"),
    "/api/v1/organisations/{slug}/": ("slug", "regions.Organisation"),
    "/api/v1/participations/{id}/": ("id", "regions.Participation"),
    "/api/v1/annual-plans/{id}/": ("id", "regions.AnnualPlan"),
    "/api/v1/planned-activities/{id}/": ("id", "regions.PlannedActivity"),
    "/api/v1/mki/libraries/{id}/": ("id", "mki.ProfileLibrary"),
    "/api/v1/mki/profiles/{id}/": ("id", "mki.Profile"),
    "/api/v1/mki/projects/{id}/": ("id", "mki.Project"),
    "/api/v1/mki/projects/{id}/comparison/": ("id", "mki.Project"),
    "/api/v1/mki/projects/{id}/overview/": ("id", "mki.Project"),
    "/api/v1/mki/variants/{id}/": ("id", "mki.Variant"),
    "/api/v1/mki/elements/{id}/": ("id", "mki.Element"),
    "/api/v1/mki/bill-lines/{id}/": ("id", "mki.BillLine"),
    "/api/v1/mki/results/{id}/": ("id", "mki.CalculationResult"),
    "/api/v1/mki/tenders/{id}/": ("id", "mki.Tender"),
    "/api/v1/mki/tenders/{id}/ranking/": ("id", "mki.Tender"),
    "/api/v1/mki/bids/{id}/": ("id", "mki.Bid"),
    "/api/v1/exchange/materials/{id}/": ("id", "exchange.MaterialClass"),
    "/api/v1/exchange/depots/{id}/": ("id", "exchange.Depot"),
    "/api/v1/exchange/depots/{id}/stock/": ("id", "exchange.Depot"),
    "/api/v1/exchange/listings/{id}/": ("id", "exchange.Listing"),
    "/api/v1/exchange/match-runs/{id}/": ("id", "exchange.MatchRun"),
    "/api/v1/exchange/match-runs/{id}/savings/": ("id", "exchange.MatchRun"),
    "/api/v1/initiatives/initiatives/{id}/": ("id", "initiatives.Initiative"),
    "/api/v1/initiatives/contact-points/{id}/": ("id", "initiatives.ContactPoint"),
    "/api/v1/repair/places/{id}/": ("id", "repair.RepairPlace"),
    "/api/v1/events/events/{id}/": ("id", "events.RepairEvent"),
    "/api/v1/events/editions/{id}/": ("id", "events.ReparatieweekEdition"),
    "/api/v1/biobased/materials/{code}/": ("code", "biobased.InsulationMaterial"),
    "/api/v1/biobased/projects/{id}/": ("id", "biobased.InsulationProject"),
    "/api/v1/agricycling/seasons/{id}/": ("id", "agricycling.Season"),
    "/api/v1/agricycling/parcels/{id}/": ("id", "agricycling.MowingParcel"),
    "/api/v1/agricycling/farms/{id}/": ("id", "agricycling.Farm"),
    "/api/v1/agricycling/batches/{id}/": ("id", "agricycling.CompostBatch"),
    "/api/v1/agricycling/runs/{id}/": ("id", "agricycling.AllocationRun"),
    "/api/v1/agricycling/runs/{id}/settlement/": ("id", "agricycling.AllocationRun"),
    "/api/v1/craftcentres/sites/{id}/": ("id", "craftcentres.CentreSite"),
    "/api/v1/craftcentres/scenarios/{id}/": ("id", "craftcentres.NetworkScenario"),
    "/api/v1/craftcentres/scenarios/{id}/results/": (
        "id",
        "craftcentres.NetworkScenario",
    ),
    "/api/v1/craftcentres/scenarios/{id}/networks/": (
        "id",
        "craftcentres.NetworkScenario",
    ),
    "/api/v1/monitoring/indicators/{code}/": ("code", "monitoring.Indicator"),
    "/api/v1/monitoring/values/{id}/": ("id", "monitoring.IndicatorValue"),
}
LISTS = [
    "/api/v1/municipalities/",
    "/api/v1/action-lines/",
    "/api/v1/organisations/",
    "/api/v1/participations/",
    "/api/v1/annual-plans/",
    "/api/v1/planned-activities/",
    "/api/v1/mki/libraries/",
    "/api/v1/mki/profiles/",
    "/api/v1/mki/projects/",
    "/api/v1/mki/variants/",
    "/api/v1/mki/results/",
    "/api/v1/mki/tenders/",
    "/api/v1/mki/bids/",
    "/api/v1/mki/monitor/",
    "/api/v1/exchange/materials/",
    "/api/v1/exchange/depots/",
    "/api/v1/exchange/listings/",
    "/api/v1/exchange/match-runs/",
    "/api/v1/initiatives/initiatives/",
    "/api/v1/initiatives/contact-points/",
    "/api/v1/repair/places/",
    "/api/v1/repair/categories/",
    "/api/v1/repair/statistics/",
    "/api/v1/events/events/",
    "/api/v1/events/editions/",
    "/api/v1/biobased/materials/",
    "/api/v1/biobased/projects/",
    "/api/v1/biobased/progress/",
    "/api/v1/agricycling/seasons/",
    "/api/v1/agricycling/parcels/",
    "/api/v1/agricycling/farms/",
    "/api/v1/agricycling/batches/",
    "/api/v1/agricycling/tariffs/",
    "/api/v1/agricycling/runs/",
    "/api/v1/craftcentres/sites/",
    "/api/v1/craftcentres/scenarios/",
    "/api/v1/craftcentres/comparison/",
    "/api/v1/craftcentres/municipalities/",
    "/api/v1/monitoring/indicators/",
    "/api/v1/monitoring/values/",
]
UNPAGINATED = {
    "/api/v1/action-lines/",
    "/api/v1/repair/categories/",
    "/api/v1/repair/statistics/",
    "/api/v1/biobased/materials/",
    "/api/v1/biobased/progress/",
    "/api/v1/agricycling/tariffs/",
    "/api/v1/craftcentres/sites/",
    "/api/v1/craftcentres/scenarios/",
    "/api/v1/craftcentres/comparison/",
    "/api/v1/craftcentres/municipalities/",
}


@pytest.mark.slow
@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_every_record_conforms_to_the_schema(
    who: str, demo_registry: None, db: None, in_process_requests: None
) -> None:
    from django.apps import apps
    from django.test import Client

    from cirkelregio.accounts.tests.factories import CoordinatorFactory
    from cirkelregio.regions import services
    from cirkelregio.regions.models import ActionLine, Participation

    services.annual_plan_create(
        actor=None,
        action_line=ActionLine.objects.get(slug="agricycling"),
        year=2027,
        title_nl="Concept",
        status="draft",
        activities=[{"title_nl": "Nog te plannen"}],
    )
    first = Participation.objects.order_by("id").first()
    services.participation_update(
        actor=None, participation=first, contact_email="contact@example.org"
    )
    cookies: dict[str, str] = {}
    if who == "coordinator":
        client = Client()
        client.force_login(CoordinatorFactory())
        cookies = {"sessionid": client.cookies["sessionid"].value}

    statuses: list[int] = []
    for path in LISTS:
        case = schema[path]["GET"].Case(
            query={"limit": 1000} if path not in UNPAGINATED else {}
        )
        response = case.call(cookies=cookies)
        assert response.status_code == 200
        case.validate_response(response, checks=CHECKS)
    for path, (field, model) in RECORDS.items():
        for value in apps.get_model(model).objects.values_list(field, flat=True):
            case = schema[path]["GET"].Case(path_parameters={field: value})
            response = case.call(cookies=cookies)
            case.validate_response(response, checks=CHECKS)
            statuses.append(response.status_code)
    assert len(statuses) > 200
    # Everything is public except the draft plan and its one activity, which only the
    # coordinator sees (the MKI demo data is published).
    assert statuses.count(404) == (0 if who == "coordinator" else 2)
    assert set(statuses) <= {200, 404}
