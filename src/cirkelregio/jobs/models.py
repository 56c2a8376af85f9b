# SPDX-License-Identifier: EUPL-1.2
"""A background job: what to run, who asked, how far it is and what it gave.

The record is the truth the pages and the API show, whatever task backend runs the
job (ADR 0009). ``result`` is written once, at the end, together with the status
``done``; ``checkpoint`` holds what the running attempt has started (for example the
match run it created), so a retry after a killed worker can finish or clean it up
instead of doing the work twice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=50)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("progress message"), max_length=200, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(
        _("error"),
        blank=True,
        help_text=_("What went wrong, without personal data; details in the log."),
    )
    checkpoint = models.JSONField(_("checkpoint"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
