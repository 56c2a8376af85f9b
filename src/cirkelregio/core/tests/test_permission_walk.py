# SPDX-License-Identifier: EUPL-1.2
"""The permission walk: every URL pattern of the project, requested as an anonymous
visitor and as the editor of an organisation that owns nothing, with the path
parameters filled with real records of the demo data of every module (so every record
belongs to *another* organisation).

Every URL name has an explicit decision in ``ACCESS`` below; a new URL without one
makes the walk fail with "add it to ACCESS". The checks:

* no request causes a server error;
* public pages and endpoints answer 200 to both;
* private ones (sign-in pages, imports, runs, progress entry, the admin) answer a
  redirect to the sign-in page, 401, 403 or 404 to the anonymous visitor, and 403/404
  (or their own, empty scope) to the editor of another organisation;
* writing is refused: an API POST with an empty body, a PATCH with an empty body and a
  DELETE on another organisation's record answer 401/403/404/405 to both; a POST to an
  admin change or delete view of another organisation's record is refused to the editor
  and the record still exists afterwards.

The alternative ``.<format>`` spellings of the API routes are left out: they reach the
same views as the plain routes (JSON is the only renderer).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import pytest

# What each URL name is. PUBLIC: 200 for everyone. PRIVATE: refused to the anonymous
# visitor and to the editor of another organisation. STAFF: refused to the anonymous
# visitor; an editor of another organisation gets a page scoped to their own
# organisation (their empty scope here). API: an API route; GET as PUBLIC (the
# selectors hide what is not published), writes refused to both. FORM: a public form;
# GET 200, an empty POST re-renders the form with its errors (200).
PUBLIC, PRIVATE, STAFF, API, FORM = "public", "private", "staff", "api", "form"
# GUARDED_POST: a public page (GET 200) whose POST is refused to both.
GUARDED_POST = "guarded-post"
# OPEN: no access control (any answer but a server error).
OPEN = "open"
# The admin as a whole (every admin: name): it signs in the anonymous visitor first.
ADMIN = "admin"
# ACCOUNT: the signed-in person's own account (two-factor login): refused to the
# anonymous visitor; the editor gets their own page (200) or is sent on (302), and an
# empty POST is refused as bad input (400) or sent on, changing nothing.
ACCOUNT = "account"

ACCESS: dict[str, str] = {
    # No access control at all: the health check and the language switch.
    "health": OPEN,
    # Where to report a vulnerability (RFC 9116).
    "security-txt": PUBLIC,
    "set_language": OPEN,
    # The API: reads public (the selectors hide what is not published), writes refused
    # to the anonymous visitor and to the editor of another organisation.
    "action-line-detail": API,
    "action-line-list": API,
    "agricycling-allocate": API,
    "agricycling-batch-detail": API,
    "agricycling-batch-list": API,
    "agricycling-farm-list": API,
    "agricycling-import-farms": API,
    "agricycling-import-parcels": API,
    "agricycling-parcel-detail": API,
    "agricycling-parcel-list": API,
    "agricycling-run-detail": API,
    "agricycling-run-list": API,
    "agricycling-run-settlement": API,
    "agricycling-season-detail": API,
    "agricycling-season-list": API,
    "agricycling-tariffs-list": API,
    "annual-plan-detail": API,
    "annual-plan-list": API,
    "api-schema": API,
    "biobased-material-detail": API,
    "biobased-material-list": API,
    "biobased-progress": API,
    "biobased-project-detail": API,
    "biobased-project-list": API,
    "craftcentres-comparison": API,
    "craftcentres-municipalities": API,
    "craftcentres-scenario-detail": API,
    "craftcentres-scenario-list": API,
    "craftcentres-scenario-networks": API,
    "craftcentres-scenario-results": API,
    "craftcentres-site-detail": API,
    "craftcentres-site-list": API,
    "events-edition-detail": API,
    "events-edition-list": API,
    "events-event-detail": API,
    "events-event-list": API,
    "exchange-depot-detail": API,
    "exchange-depot-list": API,
    "exchange-depot-stock": API,
    "exchange-listing-detail": API,
    "exchange-listing-list": API,
    "exchange-listing-import": API,
    "exchange-listing-photos": API,
    "exchange-listing-withdraw": API,
    "exchange-match-run-detail": API,
    "exchange-match-run-list": API,
    "exchange-match-run-savings": API,
    "exchange-material-detail": API,
    "exchange-material-list": API,
    "exchange-proposal-accept": API,
    "exchange-proposal-advance": API,
    "exchange-proposal-detail": API,
    "exchange-proposal-list": API,
    "exchange-proposal-reject": API,
    "exchange-proposal-release": API,
    "initiatives-contact-point-detail": API,
    "initiatives-contact-point-list": API,
    "initiatives-initiative-detail": API,
    "initiatives-initiative-list": API,
    "mki-bid-detail": API,
    "mki-bid-list": API,
    "mki-bill-line-detail": API,
    "mki-bill-line-list": API,
    "mki-element-detail": API,
    "mki-element-list": API,
    "mki-library-detail": API,
    "mki-library-import-csv": API,
    "mki-library-import-epd": API,
    "mki-library-list": API,
    "mki-monitor-list": API,
    "mki-profile-detail": API,
    "mki-profile-list": API,
    "mki-project-comparison": API,
    "mki-project-detail": API,
    "mki-project-list": API,
    "mki-project-overview": API,
    "mki-result-detail": API,
    "mki-result-list": API,
    "mki-tender-detail": API,
    "mki-tender-list": API,
    "mki-tender-ranking": API,
    "mki-variant-bill": API,
    "mki-variant-calculate": API,
    "mki-variant-detail": API,
    "mki-variant-list": API,
    "monitoring-dictionary-json": API,
    "monitoring-dictionary-md": API,
    "monitoring-export-csv": API,
    "monitoring-export-json": API,
    "monitoring-indicator-detail": API,
    "monitoring-indicator-list": API,
    "monitoring-value-detail": API,
    "monitoring-value-list": API,
    "municipality-detail": API,
    "municipality-list": API,
    "organisation-detail": API,
    "organisation-list": API,
    "participation-detail": API,
    "participation-list": API,
    "planned-activity-detail": API,
    "planned-activity-list": API,
    "repair-category-list": API,
    "repair-place-detail": API,
    "repair-place-list": API,
    "repair-statistics": API,
    "roads-bundles": API,
    "roads-harmonisation-run-list": API,
    "roads-import-passports": API,
    "roads-import-sections": API,
    "roads-import-works": API,
    "roads-mixture-list": API,
    "roads-mki": API,
    "roads-section-detail": API,
    "roads-section-list": API,
    "roads-section-passports": API,
    "roads-substitution-list": API,
    "roads-work-detail": API,
    "roads-work-list": API,
    "roads-work-released-materials": API,
    "exchange-listing-photo-delete": API,
    "exchange-photo-file": API,
    "roads-harmonisation-run-detail": API,
    "agricycling-farm-detail": API,
    "agricycling-run-statement": API,
    # The public site.
    "web:home": PUBLIC,
    "web:action-lines": PUBLIC,
    "web:action-line": PUBLIC,
    "web:municipalities": PUBLIC,
    "web:municipality": PUBLIC,
    "web:participation": PUBLIC,
    "web:organisation": PUBLIC,
    "web:privacy": PUBLIC,
    "web:annual-plan": PUBLIC,
    "web:phase-timeline": PUBLIC,
    "web:reports": PUBLIC,
    "web:report": PUBLIC,
    "web:report-xlsx": PUBLIC,
    "web:report-line": PUBLIC,
    "web:report-line-xlsx": PUBLIC,
    "web:report-pdf": PUBLIC,
    "web:report-line-pdf": PUBLIC,
    # A report's file made as a background job for the signed-in person (their own
    # view of the report): GET goes back to the report, an empty POST is bad input.
    "web:report-file": ACCOUNT,
    "web:report-line-file": ACCOUNT,
    "web:repair-impact": PUBLIC,
    "web:repair-impact-csv": PUBLIC,
    "web:roads": PUBLIC,
    "web:roads-section": PUBLIC,
    "web:roads-works": PUBLIC,
    "web:roads-bundles": PUBLIC,
    "web:roads-harmonisation": PUBLIC,
    "web:roads-mki": PUBLIC,
    "web:roads-exports": PUBLIC,
    "web:roads-export": PUBLIC,
    "web:biobased": PUBLIC,
    "web:agricycling": PUBLIC,
    "web:agricycling-settlement": PUBLIC,
    "web:craftcentres": PUBLIC,
    "web:craftcentres-scenario": PUBLIC,
    "web:monitor": PUBLIC,
    "web:monitor-csv": PUBLIC,
    "web:monitor-indicator": PUBLIC,
    "web:monitor-indicator-csv": PUBLIC,
    "web:monitor-municipality-csv": PUBLIC,
    "web:exchange": PUBLIC,
    "web:mki": PUBLIC,
    "web:mki-project": PUBLIC,
    "web:mki-tender": PUBLIC,
    "web:mki-monitor": PUBLIC,
    "web:repair-map": PUBLIC,
    "web:repair-place": PUBLIC,
    "web:repair-suggest-thanks": PUBLIC,
    "web:initiatives": PUBLIC,
    "web:initiative": PUBLIC,
    "web:initiative-thanks": PUBLIC,
    "web:reparatieweek": PUBLIC,
    "web:reparatieweek-edition": PUBLIC,
    "web:agenda-place": PUBLIC,
    "web:agenda-municipality": PUBLIC,
    "web:agenda-edition": PUBLIC,
    "web:agenda-event": PUBLIC,
    # Public pages whose POST (starting a run) needs a role.
    "web:agricycling-run": GUARDED_POST,
    # Background jobs: their pages and status belong to the person who started them.
    "jobs:detail": PRIVATE,
    "jobs:status": PRIVATE,
    "jobs:exchange-match-run-start": PRIVATE,
    "jobs:file": PRIVATE,
    "job-detail": API,
    # Public forms (suggestions and sign-ups).
    "web:repair-suggest": FORM,
    "web:repair-correct": FORM,
    "web:initiative-submit": FORM,
    # Sign-in pages: imports, runs, progress entry, repair records.
    "web:annual-plan-progress": PRIVATE,
    "web:repair-records-choose": STAFF,
    # The listing import: an editor imports the listings of their own organisation.
    "web:exchange-import": STAFF,
    "web:exchange-import-example": STAFF,
    "web:repair-records": PRIVATE,
    "web:roads-import": PRIVATE,
    "web:biobased-import": PRIVATE,
    "web:agricycling-statement": PRIVATE,
    "web:craftcentres-new": PRIVATE,
    "web:craftcentres-run": PRIVATE,
    # Two-factor login: set-up for the signed-in person, and the code step of signing
    # in (without a password step first it sends to the sign-in page).
    "web:two-factor": ACCOUNT,
    "web:two-factor-login": ACCOUNT,
}

# API list endpoints where anyone may create (a proposal a coordinator reviews).
OPEN_CREATE = {"initiatives-initiative-list"}

LOGIN_PATH = "/admin/login/"
REFUSED = {401, 403, 404, 405}


@dataclass
class Route:
    name: str
    route: str
    callback: Callable[..., Any]
    params: list[str] = field(default_factory=list)

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")


def _params(pattern: Any) -> list[str]:
    regex = pattern.pattern.regex
    return list(regex.groupindex)


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = "", params: Any = ()
) -> Iterator[Route]:
    for p in patterns:
        names = [*params, *_params(p)]
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns, names)
        elif isinstance(p, URLPattern):
            if "format" in names:
                continue  # the .json spelling of an API route
            name = p.name or f"<unnamed {prefix}{p.pattern}>"
            if namespace:
                name = f"{namespace}:{name}"
            yield Route(name, prefix + str(p.pattern), p.callback, names)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def _model_of(route: Route) -> Any:
    model_admin = getattr(route.callback, "model_admin", None)
    if model_admin is not None:
        return model_admin.model
    cls = getattr(route.callback, "cls", None)
    if cls is not None:
        qs = getattr(cls, "queryset", None)
        if qs is not None:
            return qs.model
        serializer = getattr(cls, "serializer_class", None)
        meta = getattr(serializer, "Meta", None)
        if meta is not None and getattr(meta, "model", None) is not None:
            return meta.model
    return None


def _first(label: str, **filters: Any) -> Any:
    model = apps.get_model(label)
    fields = {f.name for f in model._meta.get_fields()}
    qs = model._default_manager.filter(**filters).order_by("pk")
    if "is_published" in fields and qs.filter(is_published=True).exists():
        qs = qs.filter(is_published=True)
    return qs.first()


def _web_kwargs(name: str) -> dict[str, Any] | None:
    def pk(label: str) -> dict[str, Any] | None:
        obj = _first(label)
        return None if obj is None else {"pk": obj.pk}

    if name in ("web:action-line", "web:phase-timeline"):
        return {"slug": _first("regions.ActionLine").slug}
    if name in ("web:annual-plan", "web:annual-plan-progress"):
        plan = _first("regions.AnnualPlan")
        return {"slug": plan.action_line.slug, "year": plan.year}
    if name in ("web:municipality", "web:monitor-municipality-csv"):
        return {"slug": _first("regions.Municipality").slug}
    if name in ("web:organisation", "web:repair-records", "web:agenda-municipality"):
        label = "regions.Organisation" if name != "web:agenda-municipality" else None
        obj = _first(label or "regions.Municipality")
        return {"slug": obj.slug}
    if name in ("web:report", "web:report-xlsx", "web:report-pdf", "web:report-file"):
        return {"year": _first("regions.AnnualPlan").year}
    if name in (
        "web:report-line",
        "web:report-line-xlsx",
        "web:report-line-pdf",
        "web:report-line-file",
    ):
        plan = _first("regions.AnnualPlan")
        return {"year": plan.year, "slug": plan.action_line.slug}
    if name == "web:repair-impact-csv":
        return {"table": "per-jaar"}
    if name == "web:roads-export":
        return {"name": "wegvakken.csv"}
    if name == "web:roads-section":
        return pk("roads.RoadSection")
    if name == "web:agricycling-statement":
        run = _first("agricycling.AllocationRun")
        return {"pk": run.pk, "role": "farm", "party": "x"}
    if name in ("web:craftcentres-scenario", "web:craftcentres-run"):
        return pk("craftcentres.NetworkScenario")
    if name == "web:monitor-indicator":
        return {"code": _first("monitoring.Indicator").code}
    if name == "web:monitor-indicator-csv":
        return {"code": _first("monitoring.Indicator").code, "table": "trend"}
    if name == "web:mki-project":
        return pk("mki.Project")
    if name == "web:mki-tender":
        return pk("mki.Tender")
    if name in ("web:repair-place", "web:repair-correct", "web:agenda-place"):
        return pk("repair.RepairPlace")
    if name == "web:initiative":
        return pk("initiatives.Initiative")
    if name in ("web:reparatieweek-edition", "web:agenda-edition"):
        return pk("events.ReparatieweekEdition")
    if name == "web:agenda-event":
        return pk("events.RepairEvent")
    return None


# Values for parameters that name no record of a model (and the stand-in identifier
# where the demo data has no record of the model: the walk then checks that the
# answer is no server error and that writing is refused).
FIXED_VALUES = {"role": "farm", "party": "x", "content_type_id": "1", "url": "x"}
MISSING_ID = 999999


def kwargs_for(route: Route) -> dict[str, Any]:
    if not route.params:
        return {}
    if route.name.startswith("web:"):
        found = _web_kwargs(route.name)
        assert found is not None, f"{route.name}: no demo record to fill {route.params}"
        return found
    model = _model_of(route)
    obj = _first(model._meta.label) if model is not None else None
    kwargs: dict[str, Any] = {}
    for param in route.params:
        if param in FIXED_VALUES:
            kwargs[param] = FIXED_VALUES[param]
        elif obj is None:
            kwargs[param] = MISSING_ID
        elif param in ("object_id", "pk"):
            kwargs[param] = obj.pk
        elif param in ("slug", "code", "cbs_code"):
            lookup = getattr(route.callback.cls, "lookup_field", param)
            kwargs[param] = getattr(obj, lookup)
        else:
            kwargs[param] = MISSING_ID
    return kwargs


_DJANGO_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)")


def url_for(route: Route) -> str:
    """The path of the route with its parameters filled in (built from the pattern
    itself, so that unnamed patterns are walked too)."""
    kwargs = kwargs_for(route)
    path = _REGEX_PARAM.sub(lambda m: str(kwargs[m.group(1)]), route.route)
    path = _DJANGO_PARAM.sub(lambda m: str(kwargs[m.group(1)]), path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    return "/" + path


@pytest.fixture(scope="module")
def demo_everything(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo data of every module, loaded once inside a transaction that is rolled
    back at the end; each test runs in a savepoint within it."""
    from cirkelregio.agricycling.services import agricycling_demo_load
    from cirkelregio.biobased.services import biobased_demo_load, materials_load
    from cirkelregio.craftcentres.services import craftcentres_demo_load
    from cirkelregio.events.services import events_demo_load
    from cirkelregio.exchange.services import exchange_demo_load, match_run_start
    from cirkelregio.initiatives.services import initiatives_demo_load
    from cirkelregio.mki.services import mki_demo_load
    from cirkelregio.monitoring.services import indicators_compute, indicators_load
    from cirkelregio.regions.services import demo_data_load, reference_data_load
    from cirkelregio.repair.services import repair_demo_load
    from cirkelregio.roads.services import roads_demo_load

    data = Path(settings.DATA_DIR)
    demo = data / "demo" / "nl-utrecht"
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            reference_data_load(directory=data / "regions" / "nl-utrecht")
            demo_data_load(directory=demo)
            mki_demo_load(directory=demo / "mki")
            exchange_demo_load(directory=demo / "exchange")
            match_run_start(actor=None)
            initiatives_demo_load(directory=demo / "initiatives")
            repair_demo_load(directory=demo / "repair")
            events_demo_load(directory=demo / "events")
            materials_load(path=data / "biobased" / "materials.csv")
            biobased_demo_load(directory=demo / "biobased")
            agricycling_demo_load(directory=demo / "agricycling")
            craftcentres_demo_load(directory=demo / "craftcentres")
            roads_demo_load(directory=demo / "roads")
            indicators_load()
            indicators_compute()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def clients(demo_everything: None, db: None) -> Iterator[dict[str, Client]]:
    from cirkelregio.accounts.models import Role, User
    from cirkelregio.regions.models import Organisation

    with transaction.atomic():
        sid = transaction.savepoint()
        other = Organisation.objects.create(
            name="Walk Elsewhere", slug="walk-elsewhere"
        )
        editor = User.objects.create_user(
            "walk-editor", password="x" * 16, role=Role.EDITOR, organisation=other
        )
        editor_client = Client(raise_request_exception=False)
        editor_client.force_login(editor)
        yield {
            "anonymous": Client(raise_request_exception=False),
            "editor": editor_client,
        }
        transaction.savepoint_rollback(sid)


def _admin_sample(route: Route) -> bool:
    """For the editor the admin's list and change views of every model (where the
    rules decide), not its add, history and delete confirmation pages."""
    return route.name.endswith(("_changelist", "_change", "_delete")) or (
        ":" in route.name and "_" not in route.name.split(":", 1)[1]
    )


def _decision(route: Route) -> str | None:
    if route.is_admin:
        return ADMIN
    return ACCESS.get(route.name)


def test_every_url_has_a_decision() -> None:
    undecided = sorted({r.name for r in all_routes() if _decision(r) is None})
    assert not undecided, (
        "URL names without an access decision; add each to ACCESS in "
        f"{__name__} as PUBLIC, FORM, API, STAFF, ACCOUNT or PRIVATE: {undecided}"
    )


def _to_login(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        (LOGIN_PATH, "/en" + LOGIN_PATH)
    )


def _refused(response: Any) -> bool:
    return response.status_code in REFUSED or _to_login(response)


def _check_get(route: Route, who: str, response: Any) -> str | None:
    status = response.status_code
    decision = _decision(route)
    if status >= 500:
        return "server error"
    if decision == OPEN:
        ok = True
    elif decision in (PUBLIC, FORM, GUARDED_POST):
        ok = status == 200
    elif decision == API:
        # Reads are public; the selectors hide what is not published (404), and
        # endpoints that only take a POST answer 405.
        ok = status in (200, 404, 405)
    elif decision == ADMIN:
        if route.name in ("admin:login", "admin:logout"):
            ok = status in (200, 302, 405)
        elif who == "anonymous":
            ok = _to_login(response) or status == 405
        else:
            ok = True  # scoped to their organisation; writes are checked below
    elif decision == STAFF and who == "editor":
        ok = status in (200, 302, 403, 404)
    elif decision == ACCOUNT and who == "editor":
        ok = status in (200, 302)
    else:  # PRIVATE, and STAFF for the anonymous visitor
        ok = _refused(response)
    return None if ok else f"unexpected {status}"


def _write_attempts(route: Route, url: str) -> list[tuple[str, dict[str, Any]]]:
    """The writes to try: every API route gets an empty POST (and, with a record in
    its path, an empty PATCH and a DELETE); the admin's change and delete views of
    a record an empty POST; private pages an empty POST."""
    decision = _decision(route)
    if decision == API:
        attempts = [("post", {})]
        if route.params:
            attempts += [("patch", {}), ("delete", {})]
        return attempts
    if (
        decision == ADMIN
        and route.name.endswith(("_change", "_delete"))
        and _model_of(route) is not None
    ):
        return [("post", {})]
    if decision in (PRIVATE, STAFF, GUARDED_POST, ACCOUNT):
        return [("post", {})]
    return []


def _check_write(route: Route, who: str, method: str, response: Any) -> str | None:
    status = response.status_code
    if status >= 500:
        return "server error"
    if _refused(response):
        return None
    if _decision(route) == ACCOUNT and who == "editor" and status in (302, 400):
        return None
    if _decision(route) == STAFF and who == "editor" and status == 400:
        # A page of the editor's own scope that refuses the empty form as bad input
        # (the listing import, for the editor's own organisation: without a file
        # there is nothing to write).
        return None
    if route.is_admin and status == 302 and who == "editor":
        # The admin sends an editor back to its index when the record is not
        # theirs to see; a successful save or delete is caught by the record check.
        return None
    if (
        _decision(route) == API
        and method == "post"
        and not route.params
        and status in (400, 415)
        and (who == "editor" or route.name in OPEN_CREATE)
    ):
        # Creating on a list or import endpoint: an editor may create for their own
        # organisation (and anyone may propose an initiative); the empty body is
        # refused as invalid (400) or as the wrong media type for an upload (415);
        # the record count check below confirms nothing was written.
        return None
    return f"{method.upper()} answered {status}"


def test_permission_walk(clients: dict[str, Client]) -> None:
    import logging

    problems: list[str] = []
    routes = [r for r in all_routes() if _decision(r) is not None]
    logging.disable(logging.CRITICAL)
    try:
        for route in routes:
            url = url_for(route)
            for who, client in clients.items():
                if who == "editor" and route.is_admin and not _admin_sample(route):
                    continue
                problem = _check_get(route, who, client.get(url))
                if problem:
                    problems.append(f"GET {url} as {who} ({route.name}): {problem}")
                for method, data in _write_attempts(route, url):
                    model = _model_of(route)
                    before = model._default_manager.count() if model else None
                    with transaction.atomic():
                        response = (
                            getattr(client, method)(
                                url, data, content_type="application/json"
                            )
                            if route.is_api
                            else getattr(client, method)(url, data)
                        )
                        after = model._default_manager.count() if model else None
                        transaction.set_rollback(True)
                    problem = _check_write(route, who, method, response)
                    if problem is None and before != after:
                        problem = f"{method.upper()} changed the number of records"
                    if problem:
                        problems.append(
                            f"{method.upper()} {url} as {who} ({route.name}): {problem}"
                        )
    finally:
        logging.disable(logging.NOTSET)
    assert not problems, "\n".join(problems)
