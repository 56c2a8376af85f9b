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

from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
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
    assert "<dd>Mixture harmonisation of the roads</dd>" in page
    status = client.get(f"/en/taken/{job.pk}/status.json").json()
    assert status["result_url"] == f"/en/wegen/harmonisatie/?run={run}"


@pytest.fixture
def agricycling(demo_data: Any) -> Any:
    from cirkelregio.agricycling import services

    services.agricycling_demo_load(directory=DEMO / "agricycling")
    return CoordinatorFactory()


def test_agricycling_allocation_as_a_job(agricycling: Any) -> None:
    from cirkelregio.agricycling import selectors

    season = selectors.season_list().first()
    before = set(selectors.run_list().values_list("pk", flat=True))
    job = enqueue(
        "agricycling.allocation",
        {
            "season": season.label,
            "mode": "split",
            "max_distance_km": 25.0,
            "detour_factor": 1.3,
            "time_limit": 10.0,
        },
        agricycling,
    )
    assert job.status == JobStatus.DONE, job.error
    (new,) = selectors.run_list().exclude(pk__in=before)
    assert new.started_by == agricycling
    assert job.result == {
        "allocation_run": new.pk,
        "season": season.label,
        "status": new.status,
        "placed_tonnes": new.placed_tonnes,
        "unplaced_tonnes": new.unplaced_tonnes,
    }
    assert new.placed_tonnes > 0
    assert job.checkpoint == {"allocation_run": new.pk}
    # A retry after a stopped worker reuses the stored run.
    _stopped(job, allocation_run=new.pk)
    requeue_stale()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["allocation_run"] == new.pk
    assert selectors.run_list().exclude(pk__in=before).count() == 1


def test_agricycling_allocation_of_an_unknown_season_fails(agricycling: Any) -> None:
    from cirkelregio.agricycling import selectors

    before = selectors.run_list().count()
    job = enqueue("agricycling.allocation", {"season": "1900"}, agricycling)
    assert job.status == JobStatus.FAILED
    assert "season" in job.error
    assert selectors.run_list().count() == before


def test_the_allocation_page_starts_a_job(agricycling: Any) -> None:
    from cirkelregio.agricycling import selectors

    season = selectors.season_list().first()
    client = Client()
    client.force_login(agricycling)
    response = client.post(
        "/en/agricycling/allocatie/",
        {
            "season": season.label,
            "mode": "whole",
            "max_distance_km": "25",
            "detour_factor": "1.3",
            "time_limit": "10",
        },
    )
    job = Job.objects.get(kind="agricycling.allocation")
    assert job.status == JobStatus.DONE, job.error
    run = job.result["allocation_run"]
    assert selectors.run_list().get(pk=run).mode == "whole"
    assert response.status_code == 302
    assert response["Location"].endswith(f"?seizoen={season.label}&run={run}")


@pytest.fixture
def scenario(reference_data: Any) -> Any:
    from cirkelregio.craftcentres import services

    services.craftcentres_demo_load(directory=DEMO / "craftcentres")
    return services.scenario_create(
        actor=None, name="Job", model="p-median", p_values=[1, 2, 3]
    )


def test_craftcentres_scenario_as_one_job(scenario: Any) -> None:
    from cirkelregio.craftcentres import services

    coordinator = CoordinatorFactory()
    job = enqueue("craftcentres.scenario", {"scenario": scenario.pk}, coordinator)
    assert job.status == JobStatus.DONE, job.error
    assert job.result == {"scenario": scenario.pk, "networks": 3, "solved": [1, 2, 3]}
    assert services.remaining_p(scenario) == []
    assert sorted(scenario.results.values_list("p", flat=True)) == [1, 2, 3]


def test_craftcentres_retry_goes_on_where_the_stopped_job_stopped(
    scenario: Any,
) -> None:
    from cirkelregio.craftcentres import services

    coordinator = CoordinatorFactory()
    job = enqueue("check", {"steps": 1, "seconds": 0}, coordinator)
    Job.objects.filter(pk=job.pk).update(
        kind="craftcentres.scenario", parameters={"scenario": scenario.pk}
    )
    # The stopped attempt had stored the network of p = 1.
    services.scenario_step(actor=coordinator, scenario=scenario)
    _stopped(job)
    requeue_stale()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result["solved"] == [2, 3]
    assert scenario.results.count() == 3


def test_a_craftcentres_job_others_may_not_start_fails(scenario: Any) -> None:
    job = enqueue("craftcentres.scenario", {"scenario": scenario.pk}, EditorFactory())
    assert job.status == JobStatus.FAILED
    assert not scenario.results.exists()


def test_report_pdf_as_a_job_is_a_stored_file_for_its_starter(
    demo_data: Any, settings: Any, tmp_path: Path
) -> None:
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path
    editor = EditorFactory()
    job = enqueue(
        "reports.annual_report",
        {"year": 2026, "line": "", "format": "pdf", "language": "en"},
        editor,
    )
    assert job.status == JobStatus.DONE, job.error
    stored = job.result["file"]
    assert stored == f"jobs/{job.pk}/jaarrapportage-2026-en.pdf"
    assert job.result["filename"] == "jaarrapportage-2026-en.pdf"
    assert (tmp_path / stored).read_bytes().startswith(b"%PDF-")
    assert job.result["size"] == (tmp_path / stored).stat().st_size
    # The starter downloads it; a coordinator too; anyone else gets 404.
    client = Client()
    client.force_login(editor)
    response = client.get(f"/en/taken/{job.pk}/bestand/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "jaarrapportage-2026-en.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    other = Client()
    other.force_login(EditorFactory())
    assert other.get(f"/en/taken/{job.pk}/bestand/").status_code == 404
    assert Client().get(f"/en/taken/{job.pk}/bestand/").status_code == 404
    coordinator = Client()
    coordinator.force_login(CoordinatorFactory())
    assert coordinator.get(f"/en/taken/{job.pk}/bestand/").status_code == 200
    # A retry after a stopped worker replaces the file under the same name.
    _stopped(job)
    requeue_stale()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["file"] == stored
    assert default_storage.listdir(f"jobs/{job.pk}")[1] == [
        "jaarrapportage-2026-en.pdf"
    ]


def test_report_workbook_of_a_line_from_the_report_page(
    demo_data: Any, settings: Any, tmp_path: Path
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    settings.MEDIA_ROOT = tmp_path
    editor = EditorFactory()
    client = Client()
    client.force_login(editor)
    page = client.get("/en/rapportage/2025/heel-utrecht-repareert/").content.decode()
    assert 'action="/en/rapportage/2025/heel-utrecht-repareert/bestand/"' in page
    response = client.post(
        "/en/rapportage/2025/heel-utrecht-repareert/bestand/", {"format": "xlsx"}
    )
    job = Job.objects.get(kind="reports.annual_report")
    assert job.status == JobStatus.DONE, job.error
    assert job.parameters == {
        "year": 2025,
        "line": "heel-utrecht-repareert",
        "format": "xlsx",
        "language": "en",
    }
    # The immediate backend has made it: the download follows.
    assert response.status_code == 302
    assert response["Location"] == f"/en/taken/{job.pk}/bestand/"
    download = client.get(response["Location"])
    workbook = load_workbook(BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    assert workbook.sheetnames
    assert (
        job.result["filename"] == "jaarrapportage-2025-heel-utrecht-repareert-en.xlsx"
    )
    # The job page links to the file.
    assert (
        f'href="/en/taken/{job.pk}/bestand/"'
        in client.get(f"/en/taken/{job.pk}/").content.decode()
    )


def test_report_jobs_need_a_signed_in_user_and_a_format(demo_data: Any) -> None:
    anonymous = Client().post("/en/rapportage/2025/bestand/", {"format": "pdf"})
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client = Client()
    client.force_login(EditorFactory())
    assert (
        client.post("/en/rapportage/2025/bestand/", {"format": "doc"}).status_code
        == 400
    )
    assert (
        client.post("/en/rapportage/2999/bestand/", {"format": "pdf"}).status_code
        == 404
    )
    assert not Job.objects.exists()
    # Signed out, the report page has no such form.
    assert "bestand/" not in Client().get("/en/rapportage/2025/").content.decode()


@pytest.mark.once
def test_every_kind_has_a_label() -> None:
    from cirkelregio.jobs.kinds import HANDLERS, LABELS

    assert set(LABELS) == set(HANDLERS)
