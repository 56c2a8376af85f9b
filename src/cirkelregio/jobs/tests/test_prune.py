# SPDX-License-Identifier: EUPL-1.2
"""Old job files and left-over uploads are removed: a report file after
JOBS_KEEP_FILES_DAYS (the job keeps its result and says the file is gone), an upload
that no queued or running job needs after a day; what is still needed stays."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cirkelregio.accounts.tests.factories import EditorFactory
from cirkelregio.jobs.models import Job, JobStatus
from cirkelregio.jobs.services import keep_upload, prune_files


def _report_job(user: Any, days_ago: int) -> Job:
    finished = timezone.now() - dt.timedelta(days=days_ago)
    job = Job.objects.create(
        kind="reports.annual_report",
        status=JobStatus.DONE,
        created_by=user,
        finished_at=finished,
        result={"filename": "jaarrapportage-2026-nl.pdf", "year": 2026},
    )
    stored = default_storage.save(
        f"jobs/{job.pk}/jaarrapportage-2026-nl.pdf", ContentFile(b"%PDF-1.7")
    )
    Job.objects.filter(pk=job.pk).update(result=job.result | {"file": stored})
    job.refresh_from_db()
    return job


def _age(stored: str, days: int) -> None:
    when = (timezone.now() - dt.timedelta(days=days)).timestamp()
    os.utime(default_storage.path(stored), (when, when))


def test_old_files_and_left_over_uploads_go_and_the_rest_stays(
    db: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.JOBS_KEEP_FILES_DAYS = 30
    editor = EditorFactory()
    old, recent = _report_job(editor, 31), _report_job(editor, 5)
    old_file, recent_file = old.result["file"], recent.result["file"]
    needed = keep_upload("nodig.csv", [b"a,b\n"])
    Job.objects.create(kind="exchange.listing_import", parameters={"file": needed})
    left = keep_upload("over.csv", [b"a,b\n"])
    fresh = keep_upload("vers.csv", [b"a,b\n"])
    for stored in (needed, left):
        _age(stored, 3)

    out = io.StringIO()
    call_command("jobs_prune", stdout=out)
    assert out.getvalue().strip() == "Removed: 1 job files, 1 uploads"
    assert not default_storage.exists(old_file)
    assert default_storage.exists(recent_file)
    assert default_storage.exists(needed) and default_storage.exists(fresh)
    assert not default_storage.exists(left)
    assert not (tmp_path / left).parent.exists()  # its own folder went too
    old.refresh_from_db()
    assert "file" not in old.result
    assert old.result["file_removed"] == timezone.now().date().isoformat()
    assert old.result["filename"] == "jaarrapportage-2026-nl.pdf"
    # The job page says so instead of offering the download, which is gone.
    client = Client()
    client.force_login(editor)
    page = client.get(f"/en/taken/{old.pk}/").content.decode()
    assert "has been removed" in page and f"/taken/{old.pk}/bestand/" not in page
    assert client.get(f"/en/taken/{old.pk}/bestand/").status_code == 404
    assert (
        f"/taken/{recent.pk}/bestand/"
        in client.get(f"/en/taken/{recent.pk}/").content.decode()
    )
    # Nothing more to do the second time.
    assert prune_files() == (0, 0)


def test_every_finished_job_prunes(db: Any, settings: Any, tmp_path: Path) -> None:
    from cirkelregio.jobs.services import enqueue

    settings.MEDIA_ROOT = tmp_path
    settings.JOBS_KEEP_FILES_DAYS = 30
    old = _report_job(EditorFactory(), 40)
    job = enqueue("check", {"steps": 1, "seconds": 0}, None)
    assert job.status == JobStatus.DONE
    assert not default_storage.exists(old.result["file"])
