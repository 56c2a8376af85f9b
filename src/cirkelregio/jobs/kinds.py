# SPDX-License-Identifier: EUPL-1.2
"""The kinds of background job and their handlers. A handler gets a ``JobContext``,
reports progress, writes its records all or nothing and returns a small JSON result
(ids and totals, no personal data). Each is idempotent on a retry (ADR 0009)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cirkelregio.jobs.models import Job, JobStatus
from cirkelregio.jobs.services import Handler, JobContext, JobError


def check(ctx: JobContext) -> dict[str, Any]:
    """A job that only waits, step by step: to see that a worker runs jobs
    (``cirkelregio jobs check``). It stores nothing but its result."""
    steps = int(ctx.parameters.get("steps", 3))
    seconds = float(ctx.parameters.get("seconds", 0.1))
    for step in range(steps):
        time.sleep(seconds)
        ctx.progress(100 * (step + 1) / (steps + 1), _("Step %(n)s") % {"n": step + 1})
    return {"steps": steps, "attempt": ctx.attempt}


def exchange_match_run(ctx: JobContext) -> dict[str, Any]:
    """A match run of the materials exchange. A retry after a killed worker reuses
    the run the killed attempt finished, or marks its unfinished run failed (it has
    no proposals: they are stored in one transaction with the status) and starts a
    new one."""
    from cirkelregio.exchange import services

    previous = ctx.checkpoint.get("match_run")
    run = None
    if previous is not None:
        run = services.match_run_interrupted(previous)
    if run is None:
        run = services.match_run_start(
            actor=ctx.user,
            parameters=ctx.parameters.get("parameters") or None,
            progress=ctx.progress,
            on_created=lambda r: ctx.note(match_run=r.pk),
        )
    return {
        "match_run": run.pk,
        "status": run.status,
        "message": run.message,
        "savings_eur": run.savings_eur,
    }


def repair_ords_import(ctx: JobContext) -> dict[str, Any]:
    """An ORDS import. Importing the same file again replaces its dataset, in one
    transaction, so a retry is safe."""
    from cirkelregio.repair.services import ords_import

    p = ctx.parameters
    report = ords_import(
        Path(p["path"]),
        provider_name=p.get("provider_name"),
        actor=ctx.user,
        skip_unchanged=bool(p.get("skip_unchanged")),
        progress=ctx.progress,
        **{
            k: p[k]
            for k in ("licence", "licence_url", "attribution", "source_url")
            if p.get(k)
        },
    )
    return {
        "dataset": report.dataset_id,
        "records": report.records,
        "replaced": report.replaced,
        "unchanged": report.unchanged,
        "summary": str(report),
    }


def listing_import_parameters(
    name: str, chunks: Any, owner: Any, language: str | None = None
) -> dict[str, Any]:
    """The parameters of an ``exchange.listing_import`` job: the upload (its name
    and ``chunks``, an iterable of bytes) is kept for the job, which imports it for
    ``owner`` (an organisation, or None for each row's owner) and reports in
    ``language``."""
    from cirkelregio.core.uploads import safe_file_name
    from cirkelregio.jobs.services import keep_upload

    filename = safe_file_name(name, "upload.csv")
    return {
        "file": keep_upload(filename, chunks),
        "filename": filename,
        "owner": owner.pk if owner is not None else None,
        "language": language or "nl",
    }


def exchange_listing_import(ctx: JobContext) -> dict[str, Any]:
    """An import of exchange listings from an uploaded CSV or XLSX file. The import
    writes in one transaction, so a killed attempt wrote nothing and a retry reads
    the kept upload again; the upload is removed once the job has finished, done
    or failed."""
    from django.utils import translation

    from cirkelregio.exchange import services
    from cirkelregio.jobs.services import discard_upload, read_upload
    from cirkelregio.regions import selectors as region_selectors

    p = ctx.parameters
    stored = p["file"]
    try:
        owner = None
        if p.get("owner"):
            owner = region_selectors.organisation_list().filter(pk=p["owner"]).first()
            if owner is None:
                raise JobError(_("The organisation of this import no longer exists."))
        report = services.import_listings(
            read_upload(stored),
            p["filename"],
            owner=owner,
            actor=ctx.user,
            progress=ctx.progress,
        )
    finally:
        discard_upload(stored)
    with translation.override(p.get("language") or "nl"):
        summary = (
            _(
                "%(file)s: %(records)s listings (%(supplies)s supply, "
                "%(demands)s demand): %(created)s new, %(updated)s changed, "
                "%(unchanged)s unchanged."
            )
            % report.as_dict()
        )
    return report.as_dict() | {"summary": summary}


def roads_harmonisation(ctx: JobContext) -> dict[str, Any]:
    """A mixture harmonisation run of the roads app. The run is stored in one
    transaction with the job's checkpoint naming it, so a retry after a killed
    worker finds either no run (and solves again) or the finished run (and reuses
    it)."""
    from cirkelregio.roads import selectors, services

    run = None
    previous = ctx.checkpoint.get("harmonisation_run")
    if previous is not None:
        run = (
            selectors.harmonisation_run_list(user=ctx.user).filter(pk=previous).first()
        )
    if run is None:
        run = services.harmonisation_run(
            actor=ctx.user,
            progress=ctx.progress,
            on_created=lambda r: ctx.note(harmonisation_run=r.pk),
            **ctx.parameters,
        )
    return {
        "harmonisation_run": run.pk,
        "status": run.status,
        "chosen": list(run.chosen),
        "requirements": run.requirements,
    }


def agricycling_allocation(ctx: JobContext) -> dict[str, Any]:
    """An allocation run of Agricycling for a season. The run is stored in one
    transaction with the checkpoint naming it: a retry reuses it or solves
    again."""
    from cirkelregio.agricycling import selectors, services

    p = dict(ctx.parameters)
    run = None
    previous = ctx.checkpoint.get("allocation_run")
    if previous is not None:
        run = selectors.run_list().filter(pk=previous).first()
    if run is None:
        season = selectors.season_list().filter(label=p.pop("season")).first()
        if season is None:
            raise JobError(_("The season no longer exists."))
        run = services.allocation_run(
            actor=ctx.user,
            season=season,
            progress=ctx.progress,
            on_created=lambda r: ctx.note(allocation_run=r.pk),
            **p,
        )
    return {
        "allocation_run": run.pk,
        "season": run.season.label,
        "status": run.status,
        "placed_tonnes": run.placed_tonnes,
        "unplaced_tonnes": run.unplaced_tonnes,
    }


def craftcentres_scenario(ctx: JobContext) -> dict[str, Any]:
    """Solve every number of centres (p) of a craft-centre network scenario that
    has no stored network yet, reporting progress per p. Each p's network is
    stored in a transaction of its own, and a p already stored is never solved
    again, so a retry after a killed worker goes on where the killed attempt
    stopped; a half-solved p leaves nothing."""
    from cirkelregio.craftcentres import selectors, services

    scenario = selectors.scenario_get(pk=ctx.parameters["scenario"], user=ctx.user)
    if scenario is None:
        raise JobError(_("The scenario no longer exists."))
    total = len(scenario.ps)
    solved = []
    while True:
        left = services.remaining_p(scenario)
        if not left:
            break
        ctx.progress(
            100 * (total - len(left)) / total,
            _("Computing the network with %(p)s centres") % {"p": left[0]},
        )
        p = services.scenario_step(actor=ctx.user, scenario=scenario)
        if p is None:
            break
        solved.append(p)
    return {"scenario": scenario.pk, "networks": total, "solved": solved}


def reports_annual_report(ctx: JobContext) -> dict[str, Any]:
    """The PDF or workbook of an annual report, as the job's user may see it,
    stored with Django's storage under ``jobs/<job id>/``. The file's name is the
    job's own, so a retry replaces what a stopped attempt stored; the result (and
    with it the download) appears only with the job's status done."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from cirkelregio.web.report_files import (
        FORMATS,
        PDF_UNAVAILABLE,
        PdfUnavailableError,
        report_file,
    )

    p = ctx.parameters
    try:
        name, content = report_file(
            year=int(p["year"]),
            slug=p.get("line") or None,
            fmt=p["format"],
            user=ctx.user,
            language=p.get("language") or "nl",
            progress=ctx.progress,
        )
    except PdfUnavailableError as exc:
        raise JobError(str(PDF_UNAVAILABLE)) from exc
    except ValueError as exc:
        raise JobError(str(exc)) from exc
    ctx.progress(90, _("Storing the file"))
    path = f"jobs/{ctx.job.pk}/{name}"
    if default_storage.exists(path):
        default_storage.delete(path)
    stored = default_storage.save(path, ContentFile(content))
    return {
        "file": stored,
        "filename": name,
        "content_type": FORMATS[p["format"]],
        "size": len(content),
        "year": int(p["year"]),
        "line": p.get("line") or "",
    }


HANDLERS: dict[str, Handler] = {
    "check": check,
    "exchange.match_run": exchange_match_run,
    "repair.ords_import": repair_ords_import,
    "exchange.listing_import": exchange_listing_import,
    "roads.harmonisation": roads_harmonisation,
    "agricycling.allocation": agricycling_allocation,
    "craftcentres.scenario": craftcentres_scenario,
    "reports.annual_report": reports_annual_report,
}


# What the job page calls each kind.
LABELS = {
    "check": gettext_lazy("Check of the worker"),
    "exchange.match_run": gettext_lazy("Match run of the materials exchange"),
    "repair.ords_import": gettext_lazy("ORDS import"),
    "exchange.listing_import": gettext_lazy("Import of exchange listings"),
    "roads.harmonisation": gettext_lazy("Mixture harmonisation of the roads"),
    "agricycling.allocation": gettext_lazy("Agricycling allocation run"),
    "craftcentres.scenario": gettext_lazy("Networks of a craft-centre scenario"),
    "reports.annual_report": gettext_lazy("File of an annual report"),
}


def kind_label(job: Job) -> str:
    return str(LABELS.get(job.kind, job.kind))


# Where a done job's result is shown: (url, label) from its result.
LINKS: dict[str, Callable[[dict[str, Any], Job], tuple[str, str] | None]] = {
    # None once the file has been removed (JOBS_KEEP_FILES_DAYS).
    "reports.annual_report": lambda r, job: (
        (
            reverse("jobs:file", kwargs={"pk": job.pk}),
            _("Download %(name)s") % {"name": r["filename"]},
        )
        if r.get("file")
        else None
    ),
    "craftcentres.scenario": lambda r, job: (
        reverse("web:craftcentres-scenario", kwargs={"pk": r["scenario"]}),
        _("The networks of scenario %(scenario)s") % {"scenario": r["scenario"]},
    ),
    "agricycling.allocation": lambda r, job: (
        reverse("web:agricycling")
        + "?"
        + urlencode({"seizoen": r["season"], "run": r["allocation_run"]}),
        _("Allocation run %(run)s") % {"run": r["allocation_run"]},
    ),
    "roads.harmonisation": lambda r, job: (
        reverse("web:roads-harmonisation") + f"?run={r['harmonisation_run']}",
        _("Harmonisation run %(run)s") % {"run": r["harmonisation_run"]},
    ),
}


# The API record of a done job's result: the URL name of its detail and the key of
# the result that holds the record's id.
API_RECORDS: dict[str, tuple[str, str]] = {
    "exchange.match_run": ("exchange-match-run-detail", "match_run"),
    "roads.harmonisation": ("roads-harmonisation-run-detail", "harmonisation_run"),
    "agricycling.allocation": ("agricycling-run-detail", "allocation_run"),
    "craftcentres.scenario": ("craftcentres-scenario-detail", "scenario"),
}


def result_api_path(job: Job) -> str | None:
    """The API path of a done job's result record, if its kind stores one."""
    record = API_RECORDS.get(job.kind)
    if record is None or job.status != JobStatus.DONE or not job.result:
        return None
    name, key = record
    return reverse(name, kwargs={"pk": job.result[key]})


def result_link(job: Job) -> tuple[str, str] | None:
    """The page that shows a done job's result, if its kind has one."""
    link = LINKS.get(job.kind)
    if link is None or job.status != JobStatus.DONE or not job.result:
        return None
    return link(job.result, job)
