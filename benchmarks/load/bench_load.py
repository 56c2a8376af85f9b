# SPDX-License-Identifier: EUPL-1.2
"""Load test of the whole site on PostgreSQL: public pages, the repair search API and
the exchange's listing search and match runs, served as in production and loaded by
locust over loopback.

The script:

1. creates a throwaway PostgreSQL database (``cirkelregio_load_<pid>``, dropped at
   the end unless ``--keep``) and loads it as ``bin/serve`` does: migrate, the
   reference data of ``nl-utrecht``, the insulation catalogue, the two open repair
   data files, every module's demo data, a first match run, the monitoring
   indicators and their values, ``collectstatic``; then a coordinator account for
   the load test;
2. starts gunicorn as ``deploy/`` does (``--config deploy/gunicorn.conf.py``, the
   production settings ``cirkelregio.conf.production``, ``WEB_CONCURRENCY`` workers,
   default 2) on a free loopback port. No TLS proxy: ``CIRKELREGIO_HTTPS`` and
   ``CIRKELREGIO_FORWARDED_FOR`` are false, and there is no Redis cache (each worker
   caches in its own memory);
3. writes the plan of load_locustfile.py: the public pages (each checked to answer
   200 first), 5,000 repair searches (benchmarks/repair/search_data.py), the
   exchange's material codes and match runs;
4. runs locust headless: a warm-up (not reported), then ``--run-time`` seconds at
   each of ``--users`` (default 10, 30 and 60 users, 2/3 visitors of pages and 1/3 API
   clients, each pausing ``--think`` seconds on average between requests, plus one
   coordinator who starts a match run every ``--run-every`` seconds);
5. prints per endpoint group and user count: requests, failures, requests/s, p50,
   p95, p99 and max (locust's figures), and per run the server's CPU time per
   request, the cores the rest of the machine used (PostgreSQL included) and the
   server's resident memory.

Nothing is asserted on time; the script fails when set-up fails or a page of the
plan does not answer 200 before the load.

    .venv/bin/python benchmarks/load/bench_load.py [--users 10 30 60]
        [--run-time 60] [--warmup 20] [--think 0.5] [--run-every 20] [--workers 2]
        [--pg-url postgres://postgres@127.0.0.1:5432] [--json FILE] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE.parent / "mki"))  # common.py
sys.path.insert(0, str(HERE.parent / "repair"))  # bench_search.py, search_data.py

from bench_search import (  # noqa: E402
    _cli,
    _free_port,
    _progress,
    _rss_mib,
    locust_measured,
    postgres_database,
    serve,
)
from common import machine_in_subprocess, print_machine, table  # noqa: E402
from search_data import DEFAULT_SEED, generate_queries  # noqa: E402

BIN = Path(sys.executable).parent
REGION = "nl-utrecht"
COORDINATOR = "load-coordinator"

# The steps of bin/serve, in its order (cirkelregio <args>).
SETUP: list[tuple[str, ...]] = [
    ("migrate", "--noinput"),
    ("regions", "load-reference", f"data/regions/{REGION}"),
    ("biobased", "load-materials", "data/biobased/materials.csv"),
    (
        "repair",
        "import-ords",
        "data/ords/OpenRepairData_v0.2.1_RepairCafeInternational_202009.csv",
    ),
    ("repair", "import-ords", "data/ords/OpenRepairData_v0.3_FixitClinic_202507.csv"),
    ("regions", "load-demo", f"data/demo/{REGION}"),
    ("mki", "load-demo", f"data/demo/{REGION}/mki"),
    ("exchange", "load-demo", f"data/demo/{REGION}/exchange"),
    ("exchange", "match-run", "--if-none"),
    ("initiatives", "load-demo", f"data/demo/{REGION}/initiatives"),
    ("repair", "load-demo", f"data/demo/{REGION}/repair"),
    ("events", "load-demo", f"data/demo/{REGION}/events"),
    ("roads", "load-demo", f"data/demo/{REGION}/roads"),
    ("biobased", "load-demo", f"data/demo/{REGION}/biobased"),
    ("craftcentres", "load-demo", f"data/demo/{REGION}/craftcentres"),
    ("agricycling", "load-demo", f"data/demo/{REGION}/agricycling"),
    ("monitoring", "load-indicators"),
    ("monitoring", "compute"),
    ("collectstatic", "--noinput", "-v0"),
]

# Load-test set-up only: a coordinator who may start match runs, and the public
# pages and exchange identifiers of the plan (the URL names of cirkelregio.web).
PLAN_SCRIPT = """
import json
from django.urls import reverse
from cirkelregio.accounts.models import Role, User
from cirkelregio.exchange.models import MatchRun, MaterialClass
from cirkelregio.initiatives.models import Initiative
from cirkelregio.regions.models import ActionLine, Municipality, Organisation
from cirkelregio.repair.models import RepairPlace

import os
username, password = os.environ["BENCH_LOAD_USER"], os.environ["BENCH_LOAD_PASSWORD"]
User.objects.filter(username=username).delete()
User.objects.create_user(
    username, password=password, role=Role.COORDINATOR, is_staff=True
)

def each(model, group, name, key, n=5, **filters):
    rows = model.objects.filter(**filters).order_by("pk").values_list(key, flat=True)
    return [(group, reverse(name, args=[value])) for value in rows[:n]]

pages = [("page: home", reverse("web:home"))]
pages += [("page: region", reverse(n)) for n in
          ("web:action-lines", "web:municipalities", "web:participation")]
pages += each(ActionLine, "page: region", "web:action-line", "slug")
pages += each(Municipality, "page: region", "web:municipality", "slug")
pages += each(Organisation, "page: region", "web:organisation", "slug",
              is_published=True)
pages += [("page: repair map", reverse("web:repair-map")),
          ("page: repair map", reverse("web:repair-impact"))]
pages += each(RepairPlace, "page: repair map", "web:repair-place", "pk",
              is_published=True)
pages += [("page: monitor", reverse(n)) for n in ("web:monitor", "web:mki-monitor")]
pages += [("page: exchange", reverse("web:exchange"))]
pages += [("page: modules", reverse(n)) for n in (
    "web:mki", "web:roads", "web:biobased", "web:agricycling", "web:craftcentres",
    "web:initiatives", "web:reparatieweek", "web:privacy")]
pages += each(Initiative, "page: modules", "web:initiative", "pk")
print(json.dumps({
    "pages": pages,
    "materials": list(MaterialClass.objects.order_by("code")
                      .values_list("code", flat=True)),
    "match_runs": list(MatchRun.objects.order_by("pk").values_list("pk", flat=True)),
}))
"""


def production_env(var_dir: Path, database_url: str, port: int, workers: int) -> dict:
    """The variables of deploy/env.example, for loopback without a TLS proxy."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DATABASE_", "DJANGO_", "CIRKELREGIO_", "CACHE_", "REDIS_", "JOBS_")
        )
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cirkelregio.conf.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        CIRKELREGIO_VAR_DIR=str(var_dir),
        CIRKELREGIO_HTTPS="false",
        CIRKELREGIO_HSTS_INCLUDE_SUBDOMAINS="false",
        CIRKELREGIO_HSTS_PRELOAD="false",
        CIRKELREGIO_FORWARDED_FOR="false",
        LOG_FORMAT="json",
        LOG_LEVEL="WARNING",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        GUNICORN_LOG_LEVEL="warning",
    )
    return env


def load_site(env: dict[str, str]) -> float:
    start = time.perf_counter()
    for step in SETUP:
        _progress("cirkelregio " + " ".join(step))
        _cli(env, *step)
    return time.perf_counter() - start


def make_plan(env: dict[str, str], password: str) -> dict[str, Any]:
    env = {**env, "BENCH_LOAD_USER": COORDINATOR, "BENCH_LOAD_PASSWORD": password}
    out = _cli(env, "shell", "-c", PLAN_SCRIPT)
    plan = json.loads(out.strip().splitlines()[-1])
    plan["coordinator"] = {"username": COORDINATOR, "password": password}
    plan["searches"] = generate_queries(5000, DEFAULT_SEED)
    return plan


@contextlib.contextmanager
def server(env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """gunicorn as deploy/ starts it; yields (base URL, master pid)."""
    base = "http://" + env["GUNICORN_BIND"]
    command = [
        str(BIN / "gunicorn"),
        "cirkelregio.conf.wsgi",
        "--config",
        str(REPO / "deploy" / "gunicorn.conf.py"),
    ]
    with serve(command, env, base, "/health/") as pid:
        yield base, pid


def check_pages(base: str, plan: dict[str, Any]) -> None:
    """Every page of the plan answers 200 to an anonymous visitor."""
    bad = []
    for _group, path in plan["pages"]:
        try:
            with urllib.request.urlopen(base + path, timeout=60) as r:
                status = r.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        if status != 200:
            bad.append(f"{path}: {status}")
    if bad:
        raise RuntimeError("pages of the plan do not answer 200: " + ", ".join(bad))


def run_locust(
    base: str,
    server_pid: int,
    plan_file: Path,
    a: argparse.Namespace,
    users: int,
    seconds: int,
    out: Path,
) -> dict[str, Any]:
    prefix = out / f"locust_{users}_{time.monotonic_ns()}"
    env = dict(os.environ)
    env.update(
        BENCH_LOAD_PLAN=str(plan_file),
        BENCH_LOAD_THINK=str(a.think),
        BENCH_LOAD_RUN_EVERY=str(a.run_every),
    )
    args = [
        str(BIN / "locust"),
        "-f",
        str(HERE / "load_locustfile.py"),
        "--headless",
        "--users",
        str(users + 1),  # the coordinator too
        "--spawn-rate",
        str(users + 1),
        "--run-time",
        f"{seconds}s",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--reset-stats",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
        "Visitor",
        "ApiClient",
        "Coordinator",
    ]
    groups, measured = locust_measured(
        args, env=env, cwd=out, prefix=prefix, server_pid=server_pid
    )
    server_cpu = measured["server_cpu_s"]
    locust_cpu = measured["locust_cpu_s"]
    busy = measured["machine_busy_s"]
    load_before = measured["load_before"]
    failures = []
    with contextlib.suppress(OSError), open(f"{prefix}_failures.csv") as f:
        failures = list(csv.DictReader(f))
    requests = groups["Aggregated"]["requests"]
    return {
        "users": users,
        "seconds": seconds,
        "groups": groups,
        "failure_kinds": failures,
        "server_cpu_ms_per_request": 1000 * server_cpu / max(requests, 1),
        "locust_cores": locust_cpu / seconds,
        "other_cores": max(busy - server_cpu - locust_cpu, 0.0) / seconds,
        "load_before": load_before,
        "load_during": measured["load_during"],
        "server_rss_mib": _rss_mib(server_pid),
    }


def report(results: list[dict[str, Any]]) -> None:
    rows = []
    for r in results:
        for name, g in r["groups"].items():
            if name == "login":
                continue
            rows.append(
                [
                    str(r["users"]),
                    name,
                    f"{g['requests']:,}",
                    str(g["failures"]),
                    f"{g['rps']:.1f}",
                    f"{g['p50_ms']:.0f}",
                    f"{g['p95_ms']:.0f}",
                    f"{g['p99_ms']:.0f}",
                    f"{g['max_ms']:.0f}",
                ]
            )
    print()
    print(
        table(
            [
                "users",
                "group",
                "requests",
                "failures",
                "req/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "max ms",
            ],
            rows,
        )
    )
    print()
    rows = []
    for r in results:
        during = r["load_during"]
        rows.append(
            [
                str(r["users"]),
                f"{r['server_cpu_ms_per_request']:.1f}",
                f"{r['locust_cores']:.2f}",
                f"{r['other_cores']:.2f}",
                f"{r['load_before']:.2f} / "
                + (f"{sum(during) / len(during):.2f}" if during else "-"),
                f"{r['server_rss_mib']:.0f}",
            ]
        )
    print(
        table(
            [
                "users",
                "server CPU ms/req",
                "locust cores",
                "other cores",
                "load 1 min before / during",
                "server RSS MiB",
            ],
            rows,
        )
    )
    for r in results:
        for f in r["failure_kinds"]:
            print(
                f"  {r['users']} users: {f['Occurrences']} x {f['Method']} "
                f"{f['Name']}: {f['Error']}"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, nargs="+", default=[10, 30, 60])
    ap.add_argument("--run-time", type=int, default=60, help="seconds per user count")
    ap.add_argument("--warmup", type=int, default=20, help="seconds, not reported")
    ap.add_argument(
        "--think",
        type=float,
        default=0.5,
        help="mean pause of a user between requests, seconds",
    )
    ap.add_argument(
        "--run-every",
        type=float,
        default=20.0,
        help="seconds between the coordinator's match runs",
    )
    ap.add_argument(
        "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
    )
    ap.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    ap.add_argument("--json", type=Path)
    ap.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary folder and the database (its URL is printed)",
    )
    ap.add_argument(
        "--database-url",
        help="a database this script loaded before (--keep): no set-up, not dropped",
    )
    a = ap.parse_args()

    machine = machine_in_subprocess()
    print_machine(machine)
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    results: list[dict[str, Any]] = []
    try:
        with contextlib.ExitStack() as stack:
            url = a.database_url or stack.enter_context(
                postgres_database(a.pg_url, prefix="cirkelregio_load", keep=a.keep)
            )
            env = production_env(work / "var", url, _free_port(), a.workers)
            (work / "var").mkdir()
            setup_s = 0.0 if a.database_url else load_site(env)
            if a.database_url:
                _cli(env, "collectstatic", "--noinput", "-v0")
            plan = make_plan(env, secrets.token_urlsafe(16))
            plan_file = work / "plan.json"
            plan_file.write_text(json.dumps(plan), encoding="utf-8")
            _progress(
                f"set-up {setup_s:.0f} s; {len(plan['pages'])} pages, "
                f"{len(plan['materials'])} materials, "
                f"{len(plan['match_runs'])} match runs"
            )
            with server(env) as (base, pid):
                check_pages(base, plan)
                _progress(f"warm-up {a.warmup} s")
                run_locust(base, pid, plan_file, a, a.users[0], a.warmup, work)
                for users in a.users:
                    _progress(f"{users} users, {a.run_time} s")
                    results.append(
                        run_locust(base, pid, plan_file, a, users, a.run_time, work)
                    )
    finally:
        if a.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"set-up (migrate, reference and demo data, collectstatic): {setup_s:.0f} s")
    report(results)
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(
            json.dumps(
                {
                    "machine": machine,
                    "arguments": {k: str(v) for k, v in vars(a).items()},
                    "setup_s": setup_s,
                    "results": results,
                },
                indent=1,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
