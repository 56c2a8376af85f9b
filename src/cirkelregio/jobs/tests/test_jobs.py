# SPDX-License-Identifier: EUPL-1.2
"""Background jobs with the default immediate backend: a job runs at once, stores its
result with progress 100; the exchange match run and the ORDS import as jobs; retries
after a stopped worker; who may see a job (the page, its JSON and the API)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.test import Client
from django.utils import timezone

import pytest

from cirkelregio.accounts.models import Role, User
from cirkelregio.jobs.models import Job, JobStatus
from cirkelregio.jobs.services import enqueue, requeue_stale

pytestmark = pytest.mark.django_db


def user(name: str, role: str = Role.NONE) -> User:
    return User.objects.create_user(name, password="x" * 12, role=role)


@pytest.fixture
def exchange_demo(reference_data: Any) -> None:
    from django.conf import settings

    from cirkelregio.exchange.services import exchange_demo_load
    from cirkelregio.mki.services import mki_demo_load

    demo = Path(settings.DATA_DIR) / "demo" / "nl-utrecht"
    mki_demo_load(directory=demo / "mki")
    exchange_demo_load(directory=demo / "exchange")


def test_immediate_job_runs_at_once_and_stores_its_result() -> None:
    job = enqueue("check", {"steps": 2, "seconds": 0}, None)
    assert job.status == JobStatus.DONE
    assert job.progress == 100
    assert job.result == {"steps": 2, "attempt": 1}
    assert job.attempts == 1 and job.finished_at is not None


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        enqueue("nothing", {}, None)


def test_exchange_match_run_as_a_job(exchange_demo: None) -> None:
    from cirkelregio.exchange.models import MatchRun, RunStatus

    coordinator = user("coord", Role.COORDINATOR)
    job = enqueue("exchange.match_run", {"parameters": {}}, coordinator)
    assert job.status == JobStatus.DONE, job.error
    run = MatchRun.objects.get(pk=job.result["match_run"])
    assert run.status == RunStatus.SUCCEEDED
    assert run.started_by == coordinator
    assert job.result["status"] == "succeeded"
    assert job.checkpoint == {"match_run": run.pk}
    assert run.proposals.exists()  # type: ignore[attr-defined]


def test_a_job_the_user_may_not_start_fails_without_details(
    exchange_demo: None,
) -> None:
    from cirkelregio.exchange.models import MatchRun

    job = enqueue("exchange.match_run", {}, user("nobody"))
    assert job.status == JobStatus.FAILED
    assert job.result is None
    assert job.error
    assert not MatchRun.objects.exists()


def _stale(job: Job, **checkpoint: Any) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
        checkpoint=checkpoint,
        result=None,
        progress=30,
    )


def test_retry_after_a_stopped_worker_replaces_the_unfinished_run(
    exchange_demo: None,
) -> None:
    from cirkelregio.exchange.models import MatchRun, RunStatus

    coordinator = user("coord", Role.COORDINATOR)
    job = enqueue("exchange.match_run", {}, coordinator)
    # As if the worker died during the solve: the run is "running", no proposals.
    killed = MatchRun.objects.create(started_by=coordinator)
    _stale(job, match_run=killed.pk)
    assert requeue_stale() == ([job.pk], [])
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    killed.refresh_from_db()
    assert killed.status == RunStatus.FAILED
    assert not killed.proposals.exists()  # type: ignore[attr-defined]
    assert job.result["match_run"] not in (killed.pk, None)


def test_retry_reuses_a_run_the_stopped_worker_had_finished(
    exchange_demo: None,
) -> None:
    from cirkelregio.exchange.models import MatchRun

    job = enqueue("exchange.match_run", {}, user("coord", Role.COORDINATOR))
    runs = MatchRun.objects.count()
    _stale(job, match_run=job.result["match_run"])
    requeue_stale()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert MatchRun.objects.count() == runs  # not run twice


def test_stale_job_fails_after_the_last_attempt(settings: Any) -> None:
    job = enqueue("check", {"steps": 1, "seconds": 0}, None)
    _stale(job)
    Job.objects.filter(pk=job.pk).update(attempts=settings.JOBS_MAX_ATTEMPTS)
    assert requeue_stale() == ([], [job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.result is None


def test_a_fresh_running_job_is_not_requeued() -> None:
    job = enqueue("check", {"steps": 1, "seconds": 0}, None)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now()
    )
    assert requeue_stale() == ([], [])


def test_ords_import_as_a_job(tmp_path: Path) -> None:
    from cirkelregio.repair.tests.test_impact_api import HEADER, ROWS

    path = tmp_path / "small.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    coordinator = user("coord", Role.COORDINATOR)
    job = enqueue("repair.ords_import", {"path": str(path)}, coordinator)
    assert job.status == JobStatus.DONE, job.error
    assert job.result["records"] == 6
    # Again (a retry): the dataset is replaced, not added a second time.
    again = enqueue("repair.ords_import", {"path": str(path)}, coordinator)
    assert again.result["dataset"] == job.result["dataset"]
    assert again.result["replaced"] == [job.result["dataset"]]


def test_ords_import_job_with_a_bad_file_fails_with_the_problems(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,nothing\n1,2\n", encoding="utf-8")
    job = enqueue("repair.ords_import", {"path": str(path)}, None)
    assert job.status == JobStatus.FAILED
    assert "bad.csv" in job.error


@pytest.mark.parametrize(
    "who, status", [("owner", 200), ("coord", 200), ("other", 404), (None, 404)]
)
def test_who_sees_a_job(client: Client, who: str | None, status: int) -> None:
    owner = user("owner")
    users = {"owner": owner, "coord": user("coord", Role.COORDINATOR)}
    users["other"] = user("other", Role.EDITOR)
    job = enqueue("check", {"steps": 1, "seconds": 0}, owner)
    if who:
        client.force_login(users[who])
    api = client.get(f"/api/v1/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(f"/en/taken/{job.pk}/")
    json = client.get(f"/en/taken/{job.pk}/status.json")
    assert (api.status_code, page.status_code, json.status_code) == (status,) * 3
    if status == 200:
        assert api.json()["status"] == "done"
        assert api.json()["progress"] == 100
        assert json.json()["result"] == {"steps": 1, "attempt": 1}
        assert b'value="100"' in page.content


def test_unfinished_job_page_refreshes_itself(client: Client) -> None:
    owner = user("owner")
    job = Job.objects.create(kind="check", created_by=owner, progress=40)
    client.force_login(owner)
    page = client.get(f"/en/taken/{job.pk}/").content.decode()
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "jobs/progress.js" in page
    assert 'value="40"' in page


def test_coordinator_starts_a_match_run_from_the_exchange_page(
    client: Client, exchange_demo: None
) -> None:
    coordinator = user("coord", Role.COORDINATOR)
    client.force_login(coordinator)
    assert b"/taken/uitwisseling-match/" in client.get("/en/uitwisseling/").content
    response = client.post("/en/taken/uitwisseling-match/")
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/taken/{job.pk}/"
    assert job.status == JobStatus.DONE
    page = client.get(response["Location"]).content.decode()
    assert f"Match run {job.result['match_run']}" in page


def test_others_may_not_start_a_match_run(client: Client) -> None:
    client.force_login(user("editor", Role.EDITOR))
    assert client.post("/en/taken/uitwisseling-match/").status_code == 403
    assert not Job.objects.exists()


def test_ords_import_command_in_the_background(tmp_path: Path) -> None:
    from io import StringIO

    from django.core.management import call_command

    from cirkelregio.repair.tests.test_impact_api import HEADER, ROWS

    path = tmp_path / "small.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    out = StringIO()
    call_command("repair_import_ords", str(path), "--background", stdout=out)
    job = Job.objects.get()
    assert out.getvalue().strip() == f"Job {job.pk}: done"
    assert job.kind == "repair.ords_import" and job.result["records"] == 6
