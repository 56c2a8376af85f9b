# SPDX-License-Identifier: EUPL-1.2
"""The real worker against the real broker: ``cirkelregio jobs worker`` in a
subprocess, with ``JOBS_BACKEND=rq`` and Redis at 127.0.0.1:6379, on a SQLite database
of its own (a subprocess cannot see the test database). A queue name of its own per
test keeps parallel runs apart; its Redis keys are removed afterwards.

Skipped only when Redis is unreachable; CI has Redis (``.ci/run`` starts it)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REDIS_URL = os.environ.get("JOBS_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _redis() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is unreachable at {REDIS_URL}")
    return client


class Site:
    """A project set-up in a folder of its own, driven through the command."""

    def __init__(self, var_dir: Path, queue: str) -> None:
        self.var_dir = var_dir
        self.queue = queue
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k != "DATABASE_URL" and not k.startswith("JOBS_")
        } | {
            "DJANGO_SETTINGS_MODULE": "cirkelregio.conf.settings",
            "CIRKELREGIO_VAR_DIR": str(var_dir),
            "DJANGO_SECRET_KEY": "test-" + "x" * 50,
            "STATIC_MANIFEST": "false",
            "JOBS_BACKEND": "rq",
            "REDIS_URL": REDIS_URL,
            "JOBS_QUEUE": queue,
            "JOBS_STALE_AFTER": "2",
            "LOG_LEVEL": "WARNING",
        }

    def args(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "cirkelregio", *args]

    def run(self, *args: str) -> str:
        done = subprocess.run(
            self.args(*args),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def job(self, pk: int) -> dict[str, Any]:
        with sqlite3.connect(self.var_dir / "cirkelregio.sqlite3") as db:
            db.row_factory = sqlite3.Row
            row = db.execute("SELECT * FROM jobs_job WHERE id = ?", (pk,)).fetchone()
        return dict(row)

    def wait_for(self, pk: int, test: Any, timeout: float = 60) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            job = self.job(pk)
            if test(job):
                return job
            time.sleep(0.2)
        raise AssertionError(f"job {pk} never got there: {self.job(pk)}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    client = _redis()
    queue = f"cirkelregio-test-{uuid.uuid4().hex[:12]}"
    site = Site(tmp_path_factory.mktemp("jobs-site"), queue)
    site.run("migrate", "--no-input", "-v", "0")
    yield site
    for key in client.scan_iter(f"*{queue}*"):
        client.delete(key)
    for members in ("rq:queues", "rq:workers"):
        for member in client.smembers(members):
            if queue.encode() in member:
                client.srem(members, member)
    for key in client.scan_iter("rq:job:*"):
        if client.hget(key, "origin") == queue.encode():
            job_id = key.decode().split(":", 2)[2]
            client.delete(key, f"rq:results:{job_id}")


def _family(pid: int) -> list[int]:
    """The process and all its descendants (RQ's work horse runs in a session of
    its own, so killing the worker's process group would leave it running)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    family, todo = [], [pid]
    while todo:
        p = todo.pop()
        family.append(p)
        todo.extend(children.get(p, []))
    return family


def _kill(worker: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker and its work horse at once, as a crash would."""
    for pid in _family(worker.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=30)


def _enqueue(site: Site, steps: int, seconds: float) -> int:
    out = site.run("jobs", "check", "--steps", str(steps), "--seconds", str(seconds))
    job = json.loads(out)
    assert job["status"] == "queued"  # queued in Redis, not run in the command
    return int(job["id"])


@pytest.mark.slow
def test_worker_runs_a_queued_job_to_the_end(site: Site) -> None:
    pk = _enqueue(site, steps=3, seconds=0.05)
    site.run("jobs", "worker", "--burst", "--name", f"{site.queue}-burst")
    job = site.job(pk)
    assert job["status"] == "done"
    assert job["progress"] == 100
    assert json.loads(job["result"]) == {"steps": 3, "attempt": 1}
    assert job["attempts"] == 1
    shown = json.loads(site.run("jobs", "show", str(pk)))
    assert shown["status"] == "done" and shown["result"]["steps"] == 3


@pytest.mark.slow
def test_killed_worker_leaves_the_job_retryable_without_a_result(site: Site) -> None:
    pk = _enqueue(site, steps=200, seconds=0.1)
    worker = subprocess.Popen(
        site.args("jobs", "worker", "--name", f"{site.queue}-killed"),
        env=site.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        running = site.wait_for(pk, lambda j: j["progress"] >= 2)
    finally:
        _kill(worker)
    assert running["status"] == "running"
    time.sleep(0.5)
    left = site.job(pk)
    assert left["status"] == "running"  # nobody finished it
    assert left["result"] is None  # and no part of a result was stored
    assert left["progress"] < 100
    assert left["attempts"] == 1
    time.sleep(2.5)  # the heartbeat grows older than JOBS_STALE_AFTER (2 s)
    out = site.run("jobs", "requeue-stale")
    assert f"Queued again: [{pk}]" in out
    assert site.job(pk)["status"] == "queued"
    # Make the retry short: it is the same job, with its stored parameters.
    with sqlite3.connect(site.var_dir / "cirkelregio.sqlite3") as db:
        db.execute(
            "UPDATE jobs_job SET parameters = ? WHERE id = ?",
            (json.dumps({"steps": 2, "seconds": 0.01}), pk),
        )
    site.run("jobs", "worker", "--burst", "--name", f"{site.queue}-retry")
    job = site.job(pk)
    assert job["status"] == "done"
    assert job["attempts"] == 2
    assert job["progress"] == 100
    assert json.loads(job["result"]) == {"steps": 2, "attempt": 2}


@pytest.mark.slow
def test_worker_requeues_stale_jobs_when_it_starts(site: Site) -> None:
    pk = _enqueue(site, steps=200, seconds=0.1)
    worker = subprocess.Popen(
        site.args("jobs", "worker", "--name", f"{site.queue}-killed2"),
        env=site.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        site.wait_for(pk, lambda j: j["progress"] >= 1)
    finally:
        _kill(worker)
    time.sleep(2.5)
    with sqlite3.connect(site.var_dir / "cirkelregio.sqlite3") as db:
        db.execute(
            "UPDATE jobs_job SET parameters = ? WHERE id = ?",
            (json.dumps({"steps": 1, "seconds": 0.01}), pk),
        )
    out = site.run("jobs", "worker", "--burst", "--name", f"{site.queue}-start")
    assert f"Queued again: [{pk}]" in out
    job = site.job(pk)
    assert job["status"] == "done" and job["attempts"] == 2


def _python(site: Site, code: str) -> Any:
    """Run ``code`` in the site's project (Django set up) and return the JSON it
    prints last."""
    out = site.run(
        "shell", "-c", "import json\n" + code
    )  # the project's own shell: same settings, same database
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def scenario(site: Site) -> int:
    """A craft-centre scenario of the demo sites, with p = 1..4."""
    from django.conf import settings

    data = Path(settings.DATA_DIR)
    site.run("regions", "load-reference", str(data / "regions" / "nl-utrecht"))
    site.run(
        "craftcentres", "load-demo", str(data / "demo" / "nl-utrecht" / "craftcentres")
    )
    return int(
        _python(
            site,
            "from cirkelregio.craftcentres import services\n"
            "s = services.scenario_create(actor=None, name='Worker', "
            "model='p-median', p_values=[1, 2, 3, 4])\n"
            "print(json.dumps(s.pk))",
        )
    )


def _enqueue_kind(site: Site, kind: str, parameters: dict[str, Any]) -> int:
    job = _python(
        site,
        "from cirkelregio.accounts.models import Role, User\n"
        "from cirkelregio.jobs.services import enqueue\n"
        "user, _ = User.objects.get_or_create(username='worker-coordinator', "
        "defaults={'role': Role.COORDINATOR})\n"
        f"job = enqueue({kind!r}, {parameters!r}, user)\n"
        "print(json.dumps({'id': job.pk, 'status': job.status}))",
    )
    assert job["status"] == "queued"  # in Redis, for the worker
    return int(job["id"])


@pytest.mark.slow
def test_worker_computes_a_craft_centre_scenario_and_resumes_it(
    site: Site, scenario: int
) -> None:
    pk = _enqueue_kind(site, "craftcentres.scenario", {"scenario": scenario})
    # A worker that was killed had stored the network of p = 1 and left the job
    # running, its heartbeat growing old.
    _python(
        site,
        "from cirkelregio.craftcentres import selectors, services\n"
        "from cirkelregio.accounts.models import User\n"
        "user = User.objects.get(username='worker-coordinator')\n"
        f"s = selectors.scenario_get(pk={scenario}, user=user)\n"
        "print(json.dumps(services.scenario_step(actor=user, scenario=s)))",
    )
    with sqlite3.connect(site.var_dir / "cirkelregio.sqlite3") as db:
        db.execute(
            "UPDATE jobs_job SET status = 'running', attempts = 1, progress = 25, "
            "heartbeat_at = '2000-01-01 00:00:00' WHERE id = ?",
            (pk,),
        )
    out = site.run("jobs", "worker", "--burst", "--name", f"{site.queue}-cc")
    assert f"Queued again: [{pk}]" in out
    job = site.job(pk)
    assert job["status"] == "done", job
    assert job["attempts"] == 2 and job["progress"] == 100
    assert json.loads(job["result"]) == {
        "scenario": scenario,
        "networks": 4,
        "solved": [2, 3, 4],  # p = 1 was not solved again
    }
    with sqlite3.connect(site.var_dir / "cirkelregio.sqlite3") as db:
        ps = [
            p
            for (p,) in db.execute(
                "SELECT p FROM craftcentres_scenarioresult WHERE scenario_id = ? "
                "ORDER BY p",
                (scenario,),
            )
        ]
    assert ps == [1, 2, 3, 4]


@pytest.mark.slow
def test_worker_stores_a_report_file(site: Site) -> None:
    pk = _enqueue_kind(
        site,
        "reports.annual_report",
        {"year": 2026, "line": "", "format": "xlsx", "language": "en"},
    )
    site.run("jobs", "worker", "--burst", "--name", f"{site.queue}-report")
    job = site.job(pk)
    assert job["status"] == "done", job
    result = json.loads(job["result"])
    assert result["file"] == f"jobs/{pk}/jaarrapportage-2026-en.xlsx"
    stored = site.var_dir / "media" / result["file"]
    assert stored.read_bytes()[:2] == b"PK"  # a workbook is a ZIP file
    assert stored.stat().st_size == result["size"]


@pytest.mark.slow
def test_worker_imports_listings_from_a_kept_upload_after_a_killed_attempt(
    site: Site, tmp_path: Path
) -> None:
    _python(
        site,
        "from cirkelregio.exchange.tests.factories import MaterialClassFactory\n"
        "from cirkelregio.regions.tests.factories import OrganisationFactory\n"
        "OrganisationFactory(slug='org-worker')\n"
        "MaterialClassFactory(code='bss-worker')\n"
        "print(json.dumps(1))",
    )
    path = tmp_path / "aanbod.csv"
    path.write_text(
        "reference,kind,project_name,material,quantity,window_from,window_until,"
        "lat,lon\n"
        "W-1,supply,Werf,bss-worker,80,2027-01-04,2027-02-28,52.09,5.12\n"
        "W-2,demand,Plein,bss-worker,30,2027-01-04,2027-03-28,52.08,5.11\n",
        encoding="utf-8",
    )
    out = site.run(
        "exchange",
        "import-listings",
        str(path),
        "--owner",
        "org-worker",
        "--background",
    )
    pk = int(out.split()[1].rstrip(":"))
    assert out.strip() == f"Job {pk}: queued"
    stored = site.var_dir / "media" / json.loads(site.job(pk)["parameters"])["file"]
    assert stored.read_bytes() == path.read_bytes()
    # A worker took the job and was killed before it finished: the job is running
    # with an old heartbeat, nothing was written, and the upload is still there.
    with sqlite3.connect(site.var_dir / "cirkelregio.sqlite3") as db:
        db.execute(
            "UPDATE jobs_job SET status = 'running', attempts = 1, "
            "heartbeat_at = '2000-01-01 00:00:00' WHERE id = ?",
            (pk,),
        )
    out = site.run("jobs", "worker", "--burst", "--name", f"{site.queue}-listings")
    assert f"Queued again: [{pk}]" in out
    job = site.job(pk)
    assert (job["status"], job["attempts"]) == ("done", 2), job
    result = json.loads(job["result"])
    assert (result["created"], result["supplies"], result["demands"]) == (2, 1, 1)
    assert not stored.exists()
    with sqlite3.connect(site.var_dir / "cirkelregio.sqlite3") as db:
        rows = db.execute(
            "SELECT reference, kind, quantity FROM exchange_listing "
            "WHERE reference LIKE 'W-%' ORDER BY reference"
        ).fetchall()
    assert rows == [("W-1", "supply", 80.0), ("W-2", "demand", 30.0)]
