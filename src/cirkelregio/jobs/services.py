# SPDX-License-Identifier: EUPL-1.2
"""Background jobs (ADR 0009): enqueue a job, run it, requeue the ones a killed worker
left behind.

``enqueue`` stores a ``Job`` and hands its id to the task backend (Django's Tasks
API, django-tasks until Django 6). With the default ``immediate`` backend the job
runs at once, in the caller; with ``rq`` a worker (``cirkelregio jobs worker``) runs
it from Redis.

``run`` is what the worker executes. It claims the job (queued -> running, one more
attempt) with a conditional update, so two workers never run the same job; runs the
kind's handler with a ``JobContext`` that reports progress and keeps a heartbeat; and
stores the result together with the status ``done`` in one transaction. A handler
writes its own records all or nothing (a match run's proposals, an ORDS dataset), so
a worker killed half way leaves no half result: the job stays ``running`` with a
heartbeat that grows old, and ``requeue_stale`` (run by every worker at start, or as
``cirkelregio jobs requeue-stale``) puts it back in the queue. Handlers are
idempotent: a retry finishes or cleans up what the killed attempt left (the job's
``checkpoint``) instead of doing the work twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cirkelregio.accounts.models import User
from cirkelregio.jobs.models import Job, JobStatus

logger = logging.getLogger(__name__)

Handler = Callable[["JobContext"], dict[str, Any]]


class JobError(Exception):
    """A failure whose message may be shown to the user (no personal data)."""


class JobContext:
    """What a handler gets: the job's parameters and user, ``progress(percent,
    message)`` and ``note(**values)`` to keep a checkpoint for a retry."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.parameters: dict[str, Any] = dict(job.parameters)
        self.user: User | None = job.created_by
        self.checkpoint: dict[str, Any] = dict(job.checkpoint)
        self.attempt = job.attempts

    def progress(self, percent: float, message: str = "") -> None:
        percent = max(0, min(99, int(percent)))  # 100 only with the result
        Job.objects.filter(pk=self.job.pk).update(
            progress=percent, message=str(message)[:200], heartbeat_at=timezone.now()
        )

    def note(self, **values: Any) -> None:
        self.checkpoint.update(values)
        Job.objects.filter(pk=self.job.pk).update(
            checkpoint=self.checkpoint, heartbeat_at=timezone.now()
        )


def _handlers() -> dict[str, Handler]:
    from cirkelregio.jobs.kinds import HANDLERS

    return HANDLERS


def kinds() -> list[str]:
    return sorted(_handlers())


def immediate() -> bool:
    return str(settings.JOBS_BACKEND) == "immediate"


def _send(job_id: int) -> None:
    from cirkelregio.jobs.tasks import run_job

    run_job.enqueue(job_id)


def enqueue(kind: str, parameters: dict[str, Any], user: User | None) -> Job:
    """Store a job and queue it. With the immediate backend it has run (done or
    failed) when this returns; otherwise it runs once the transaction commits."""
    if kind not in _handlers():
        raise ValueError(f"Unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, parameters=parameters, created_by=user)
    if immediate():
        _send(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: _send(job.pk))
    return job


UPLOADS = "jobs/uploads"
#: An upload that no queued or running job names is removed after this long (a
#: job is queued right after its upload is kept, so this only catches leftovers).
UPLOAD_GRACE = dt.timedelta(days=1)


def keep_upload(name: str, chunks: Any) -> str:
    """Store an uploaded file for a job (``chunks``: an iterable of bytes, such as
    an upload's ``chunks()``) with Django's storage under ``jobs/uploads/``, in a
    folder of its own so that two uploads of one name do not meet. Returns the
    stored name, for the job's parameters; the job removes it with
    :func:`discard_upload` when it has finished."""
    import uuid

    from django.core.files.base import ContentFile

    from cirkelregio.core.uploads import safe_file_name

    content = b"".join(chunks)
    return default_storage.save(
        f"{UPLOADS}/{uuid.uuid4().hex}/{safe_file_name(name, 'upload')}",
        ContentFile(content),
    )


def read_upload(stored: str) -> bytes:
    """The content of an upload :func:`keep_upload` stored; JobError when it is
    gone."""
    try:
        with default_storage.open(stored, "rb") as handle:
            data: bytes = handle.read()
    except FileNotFoundError:
        raise JobError(
            _("The uploaded file is no longer there; upload it again.")
        ) from None
    return data


def discard_upload(stored: str) -> None:
    if stored.startswith(f"{UPLOADS}/") and default_storage.exists(stored):
        default_storage.delete(stored)
    _remove_empty_folder(stored.rsplit("/", 1)[0])


def _remove_empty_folder(folder: str) -> None:
    """Remove an upload's own folder once it is empty, where the storage has
    folders on disk (elsewhere a folder is only a prefix)."""
    if not folder.startswith(f"{UPLOADS}/"):
        return
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(default_storage.path(folder))


def prune_files(now: dt.datetime | None = None) -> tuple[int, int]:
    """Remove the files of jobs that finished more than ``JOBS_KEEP_FILES_DAYS``
    ago (the job keeps its result, with ``file_removed`` instead of ``file``) and
    the kept uploads that no queued or running job needs (older than a day: those
    of jobs failed by ``requeue_stale``, or of a request that stopped before its
    job was queued). Returns (files removed, uploads removed)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.JOBS_KEEP_FILES_DAYS)
    files = 0
    for job in Job.objects.filter(finished_at__lt=cutoff, result__has_key="file"):
        result = dict(job.result or {})
        name = str(result.pop("file") or "")
        if name and default_storage.exists(name):
            default_storage.delete(name)
        result["file_removed"] = now.date().isoformat()
        Job.objects.filter(pk=job.pk).update(result=result)
        files += 1
    needed = {
        str(p.get("file"))
        for p in Job.objects.filter(
            status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
        ).values_list("parameters", flat=True)
        if isinstance(p, dict)
    }
    uploads = 0
    try:
        folders, _files = default_storage.listdir(UPLOADS)
    except FileNotFoundError:
        folders = []
    for folder in folders:
        path = f"{UPLOADS}/{folder}"
        for name in default_storage.listdir(path)[1]:
            stored = f"{path}/{name}"
            if stored in needed:
                continue
            if default_storage.get_modified_time(stored) < now - UPLOAD_GRACE:
                default_storage.delete(stored)
                uploads += 1
        _remove_empty_folder(path)
    return files, uploads


def _prune_quietly() -> None:
    try:
        prune_files()
    except Exception:  # housekeeping never fails the job that has just finished
        logger.exception("Removing old job files failed")


def _claim(job_id: int) -> Job | None:
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        message="",
        error="",
    )
    if not claimed:
        return None
    return Job.objects.select_related("created_by").get(pk=job_id)


class _Heartbeat(threading.Thread):
    """Touches the job every few seconds while a long step (a solve) reports no
    progress, so only a dead worker's job grows stale."""

    def __init__(self, job_id: int, every: float) -> None:
        super().__init__(daemon=True, name=f"job-{job_id}-heartbeat")
        self.job_id = job_id
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                try:
                    Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except Exception:  # a busy database: try again at the next beat
                    logger.warning("Job %s: heartbeat not written", self.job_id)
        finally:
            connection.close()


def _public_error(exc: Exception) -> str:
    from cirkelregio.engine.dataio import DataLoadError

    if isinstance(exc, DataLoadError):
        return exc.summary()[:4000]
    if isinstance(exc, PermissionDenied):
        return _("You may not start this job.")
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)[:4000]
    if isinstance(exc, JobError):
        return str(exc)[:4000]
    return _("The job failed (%(error)s); the worker's log has the details.") % {
        "error": type(exc).__name__
    }


def _expected(exc: Exception) -> bool:
    """A failure that the job's error explains in full: bad input, a refused
    permission, a handler's own JobError."""
    from cirkelregio.engine.dataio import DataLoadError

    return isinstance(
        exc, DataLoadError | PermissionDenied | ValidationError | JobError
    )


def run(job_id: int) -> str:
    """Run a queued job (the task body). Returns the job's final status, or
    ``skipped`` when the job is not queued (done already, or run by another
    worker)."""
    job = _claim(job_id)
    if job is None:
        logger.info("Job %s is not queued; nothing to do", job_id)
        return "skipped"
    handler = _handlers()[job.kind]
    beat = None
    if not immediate():
        beat = _Heartbeat(job.pk, max(1.0, settings.JOBS_STALE_AFTER / 4))
        beat.start()
    try:
        result = handler(JobContext(job))
    except Exception as exc:
        if _expected(exc):
            # The input or the permission, told to the user in the job's error; the
            # log gets no traceback and none of the input's values.
            logger.info("Job %s (%s) failed: %s", job.pk, job.kind, type(exc).__name__)
        else:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error=_public_error(exc),
            finished_at=timezone.now(),
        )
        _prune_quietly()
        return JobStatus.FAILED
    finally:
        if beat is not None:
            beat.stopped.set()
            beat.join()
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            result=result,
            progress=100,
            message=_("Done"),
            finished_at=timezone.now(),
        )
    _prune_quietly()
    return JobStatus.DONE


def stale_jobs(now: dt.datetime | None = None) -> QuerySet[Job]:
    limit = (now or timezone.now()) - dt.timedelta(seconds=settings.JOBS_STALE_AFTER)
    return Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=limit)


def requeue_stale(now: dt.datetime | None = None) -> tuple[list[int], list[int]]:
    """Put jobs whose worker stopped (running, heartbeat older than
    ``JOBS_STALE_AFTER`` seconds) back in the queue; a job that has used
    ``JOBS_MAX_ATTEMPTS`` fails instead. Returns (requeued ids, failed ids)."""
    requeued, failed = [], []
    for job in stale_jobs(now).order_by("id"):
        if job.attempts >= settings.JOBS_MAX_ATTEMPTS:
            if (
                Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                    status=JobStatus.FAILED,
                    error=_("The worker stopped during every attempt (%(n)s).")
                    % {"n": job.attempts},
                    finished_at=timezone.now(),
                )
                == 1
            ):
                failed.append(job.pk)
            continue
        if (
            Job.objects.filter(
                pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at
            ).update(
                status=JobStatus.QUEUED,
                message=_("Interrupted; queued again"),
            )
            == 1
        ):
            logger.warning(
                "Job %s (%s): worker stopped; queued again", job.pk, job.kind
            )
            _send(job.pk)
            requeued.append(job.pk)
    return requeued, failed


def job_for(user: Any, job_id: int) -> Job | None:
    """The job if the user may see it (who started it, or a coordinator)."""
    if not getattr(user, "is_authenticated", False):
        return None
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return None
    if job.created_by_id == user.pk or getattr(user, "is_coordinator", False):
        return job
    return None


def as_dict(job: Job) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "message": job.message,
        "result": job.result,
        "error": job.error,
        "attempts": job.attempts,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }
