# SPDX-License-Identifier: EUPL-1.2
"""The job kinds of the modules, run through the default immediate backend: each
stores its records and a small result, reports its progress, and a retry after a
stopped worker reuses what the stopped attempt finished instead of doing it
twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

import pytest

from cirkelregio.accounts.tests.factories import EditorFactory
from cirkelregio.jobs.models import Job, JobStatus
from cirkelregio.jobs.services import enqueue, requeue_stale

pytestmark = pytest.mark.django_db

DEMO = Path(settings.DATA_DIR) / "demo" / "nl-utrecht"


def _stopped(job: Job, **checkpoint: Any) -> None:
    """Make ``job`` look like one whose worker was killed while it ran."""
    import datetime as dt

    from django.utils import timezone

    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        result=None,
        progress=40,
        checkpoint=checkpoint,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )


@pytest.fixture
def roads(reference_data: Any) -> Any:
    from cirkelregio.mki.services import mki_demo_load
    from cirkelregio.regions import selectors as region_selectors
    from cirkelregio.roads.services import roads_demo_load

    mki_demo_load(directory=DEMO / "mki")
    roads_demo_load(directory=DEMO / "roads")
    town = region_selectors.organisation_list().get(slug="gemeente-utrecht")
    return EditorFactory(organisation=town)


HARMONISE = {
    "year_from": 2027,
    "year_to": 2027,
    "k": None,
    "authorities": [],
    "families": ["ac", "sma"],
    "time_limit": 30.0,
}


def test_roads_harmonisation_as_a_job(roads: Any) -> None:
    from cirkelregio.roads import selectors

    job = enqueue("roads.harmonisation", HARMONISE, roads)
    assert job.status == JobStatus.DONE, job.error
    run = selectors.harmonisation_run_list(user=roads).get(
        pk=job.result["harmonisation_run"]
    )
    assert run.started_by == roads
    assert job.result == {
        "harmonisation_run": run.pk,
        "status": run.status,
        "chosen": ["AC 11 surf"],
        "requirements": 2,
    }
    assert job.checkpoint == {"harmonisation_run": run.pk}
    assert job.progress == 100


def test_roads_harmonisation_retry_reuses_the_stored_run(roads: Any) -> None:
    from cirkelregio.roads import selectors

    job = enqueue("roads.harmonisation", HARMONISE, roads)
    run = job.result["harmonisation_run"]
    _stopped(job, harmonisation_run=run)
    requeue_stale()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert job.result["harmonisation_run"] == run
    assert selectors.harmonisation_run_list(user=roads).count() == 1


def test_roads_harmonisation_job_with_bad_input_stores_nothing(roads: Any) -> None:
    from cirkelregio.roads import selectors

    job = enqueue("roads.harmonisation", HARMONISE | {"families": ["ac", "pa"]}, roads)
    assert job.status == JobStatus.FAILED
    assert "DEMO-P-2027-01" in job.error
    assert job.result is None
    assert not selectors.harmonisation_run_list(user=roads).exists()


def test_the_harmonisation_page_starts_a_job_and_shows_its_run(roads: Any) -> None:
    client = Client()
    client.force_login(roads)
    response = client.post(
        "/en/wegen/harmonisatie/", {"year_from": "2027", "families": ["ac", "sma"]}
    )
    job = Job.objects.get(kind="roads.harmonisation")
    run = job.result["harmonisation_run"]
    assert response.status_code == 302
    assert response["Location"] == f"/en/wegen/harmonisatie/?run={run}"
    page = client.get(f"/en/taken/{job.pk}/").content.decode()
    assert f'href="/en/wegen/harmonisatie/?run={run}"' in page
    status = client.get(f"/en/taken/{job.pk}/status.json").json()
    assert status["result_url"] == f"/en/wegen/harmonisatie/?run={run}"
