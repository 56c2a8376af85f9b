# SPDX-License-Identifier: EUPL-1.2
"""The database restarts and then stops for a while under load: requests fail cleanly
with 503 and the site recovers without losing or half-writing data.

A private PostgreSQL cluster (``initdb`` in a temporary folder, run as the
``postgres`` user when the tests run as root, on a free loopback port, trust
authentication) so that the shared server is never touched. It is migrated, a
coordinator account is made, and gunicorn serves it as ``deploy/`` does (the
production settings, ``deploy/gunicorn.conf.py``, 2 workers, persistent connections
with health checks, ``DATABASE_CONN_MAX_AGE=60``). Four threads keep sending
requests: two read (the home page, the repair search API, the municipality API), two
write (the signed-in coordinator creates organisations through the API, each with a
name of its own, and notes which got 201 and with which id). Meanwhile:

1. a quiet start: every request succeeds;
2. ``pg_ctl restart -m fast`` (the server closes every connection);
3. once the site answers again, ``pg_ctl stop -m fast``: a period in which the
   database is unreachable; then ``pg_ctl start``.

Checked: at no moment a 500, another error status or a request that hangs (30 s
client time-out); while the database is stopped every answer is 503 with
``Retry-After``, problem details under /api/ and the plain page elsewhere; after each
outage a request succeeds within a bounded number of polls, and from then on every
request does (each worker replaces its closed connection before using it); every
write that got 201 is in the database with its id and name, and every organisation
the writers made is whole (its slug and its audit-log entry, written in the same
transaction), including any whose answer was lost. The figures (answers per phase,
recovery time) are printed.

Skipped when PostgreSQL's ``initdb`` is not installed. About 30 to 60 seconds.
"""

from __future__ import annotations

import contextlib
import glob
import http.cookiejar
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = [pytest.mark.once, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[4]
TIMEOUT = 30.0
WRITER_PREFIX = "Storingstest"
THREADS = ("reader-1", "reader-2", "writer-1", "writer-2")


def _initdb() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    on_path = shutil.which("initdb")
    if found:
        return Path(found[-1])
    if on_path:
        return Path(on_path)
    pytest.skip("PostgreSQL's initdb is not installed (package postgresql)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A PostgreSQL cluster of this test alone, driven with pg_ctl."""

    def __init__(self, folder: Path) -> None:
        self.bin = _initdb().parent
        self.folder = folder
        self.data = folder / "data"
        self.port = _free_port()
        # PostgreSQL refuses to run as root: then it runs as the postgres user.
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(folder, "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 (PostgreSQL's own programs)
            [*self.as_user, *args],
            check=True,
            capture_output=True,
            timeout=60,
            cwd=self.folder,
        )

    def init(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c max_connections=40"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            action,
            "-D",
            str(self.data),
            "-w",
            "-t",
            "30",
            "-l",
            str(self.folder / "postgres.log"),
            "-o",
            options,
            *extra,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    folder = Path(tempfile.mkdtemp(prefix="cirkelregio-pg-"))
    cluster = Cluster(folder)
    try:
        cluster.init()
        cluster.pg_ctl("start")
        yield cluster
    finally:
        with contextlib.suppress(Exception):
            cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(folder, ignore_errors=True)


def _site_env(cluster: Cluster, var_dir: Path, port: int) -> dict[str, str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "DATABASE_", "CIRKELREGIO_", "CACHE_", "REDIS_", "JOBS_")
        )
    }
    return keep | {
        "DJANGO_SETTINGS_MODULE": "cirkelregio.conf.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": cluster.url("cirkelregio"),
        "DATABASE_CONN_MAX_AGE": "60",
        "CIRKELREGIO_VAR_DIR": str(var_dir),
        # Loopback without the TLS proxy of deploy/.
        "CIRKELREGIO_HTTPS": "false",
        "CIRKELREGIO_HSTS_INCLUDE_SUBDOMAINS": "false",
        "CIRKELREGIO_HSTS_PRELOAD": "false",
        "CIRKELREGIO_FORWARDED_FOR": "false",
        "STATIC_MANIFEST": "false",
        "LOG_LEVEL": "ERROR",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_LOG_LEVEL": "warning",
        "WEB_CONCURRENCY": "2",
    }


SETUP = """
import os
from cirkelregio.accounts.models import Role, User
User.objects.create_user(
    "coordinator",
    password=os.environ["OUTAGE_PASSWORD"],
    role=Role.COORDINATOR,
    is_staff=True,  # signs in through the admin's login page
)
"""


@dataclass
class Answer:
    thread: str
    kind: str
    started: float
    ended: float
    status: int | None  # None: no answer (refused, reset, timed out)
    content_type: str = ""
    retry_after: str | None = None
    body: bytes = b""
    error: str = ""


@dataclass
class Load:
    base: str
    password: str
    answers: list[Answer] = field(default_factory=list)
    writes: dict[str, Answer] = field(default_factory=dict)  # name -> answer
    created: dict[str, str] = field(default_factory=dict)  # name -> slug (201)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def opener(self) -> urllib.request.OpenerDirector:
        jar = http.cookiejar.CookieJar()
        return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def send(
        self,
        opener: urllib.request.OpenerDirector,
        thread: str,
        kind: str,
        path: str,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        request = urllib.request.Request(  # noqa: S310 (http on loopback)
            self.base + path, data=data, headers=headers or {}
        )
        started = time.monotonic()
        try:
            with opener.open(request, timeout=TIMEOUT) as response:
                answer = Answer(
                    thread,
                    kind,
                    started,
                    time.monotonic(),
                    response.status,
                    response.headers.get("Content-Type", ""),
                    response.headers.get("Retry-After"),
                    response.read(),
                )
        except urllib.error.HTTPError as exc:
            answer = Answer(
                thread,
                kind,
                started,
                time.monotonic(),
                exc.code,
                exc.headers.get("Content-Type", ""),
                exc.headers.get("Retry-After"),
                exc.read(),
            )
        except OSError as exc:  # refused, reset, timed out
            answer = Answer(
                thread, kind, started, time.monotonic(), None, error=repr(exc)
            )
        with self.lock:
            self.answers.append(answer)
        return answer

    def reader(self, name: str) -> None:
        opener = self.opener()
        paths = [
            ("page", "/"),
            ("api", "/api/v1/repair/places/?near=52.09,5.12&radius_km=10"),
            ("api", "/api/v1/municipalities/"),
        ]
        n = 0
        while not self.stop.is_set():
            kind, path = paths[n % len(paths)]
            self.send(opener, name, kind, path)
            n += 1
            time.sleep(0.02)

    def login(self, opener: urllib.request.OpenerDirector) -> str:
        self.send(opener, "login", "page", "/admin/login/")
        token = self._cookie(opener, "csrftoken")
        form = urllib.parse.urlencode(
            {
                "username": "coordinator",
                "password": self.password,
                "csrfmiddlewaretoken": token,
                "next": "/admin/",
            }
        ).encode()
        self.send(opener, "login", "page", "/admin/login/?next=/admin/", form)
        assert self._cookie(opener, "sessionid"), "the coordinator could not sign in"
        return self._cookie(opener, "csrftoken")

    @staticmethod
    def _cookie(opener: urllib.request.OpenerDirector, name: str) -> str:
        for handler in opener.handlers:
            if isinstance(handler, urllib.request.HTTPCookieProcessor):
                for cookie in handler.cookiejar:
                    if cookie.name == name:
                        return cookie.value or ""
        return ""

    def writer(self, name: str) -> None:
        opener = self.opener()
        token = self.login(opener)
        n = 0
        while not self.stop.is_set():
            org = f"{WRITER_PREFIX} {name} {n}"
            answer = self.send(
                opener,
                name,
                "write",
                "/api/v1/organisations/",
                json.dumps({"name": org, "kind": "company"}).encode(),
                {"Content-Type": "application/json", "X-CSRFToken": token},
            )
            with self.lock:
                self.writes[org] = answer
                if answer.status == 201:
                    self.created[org] = json.loads(answer.body).get("slug", "")
            n += 1
            time.sleep(0.05)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], var_dir: Path) -> Iterator[str]:
    base = "http://" + env["GUNICORN_BIND"]
    log = open(var_dir / "gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603 (this interpreter's gunicorn)
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "cirkelregio.conf.wsgi",
            "--config",
            str(REPO / "deploy" / "gunicorn.conf.py"),
        ],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert _poll(base + "/health/", attempts=150), "gunicorn did not start"
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _poll(url: str, attempts: int) -> int | None:
    """Ask ``url`` until it answers 200; the number of attempts it took, or None."""
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310
                if response.status == 200:
                    return attempt
        except OSError:
            pass
        time.sleep(0.2)
    return None


def _wait_for_answers(load: Load, since: float, each: int = 3) -> None:
    """Until every thread has had ``each`` answers to requests sent after ``since``
    (at most 60 s: a loaded machine serves slowly, and that is not what is tested)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with load.lock:
            counts = [
                sum(1 for a in load.answers if a.thread == t and a.started >= since)
                for t in THREADS
            ]
        if min(counts) >= each:
            return
        time.sleep(0.1)


def _phase(answers: list[Answer], start: float, end: float) -> list[Answer]:
    return [a for a in answers if a.started >= start and a.ended <= end]


def _summary(answers: list[Answer]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in answers:
        key = str(a.status) if a.status is not None else "no answer"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def _assert_clean_503(answer: Answer) -> None:
    assert answer.status == 503, answer
    assert answer.retry_after, answer
    if answer.kind in ("api", "write"):
        assert answer.content_type == "application/problem+json", answer
        body = json.loads(answer.body)
        assert body["status"] == 503
        assert body["type"].endswith("/database-unavailable")
    else:
        assert answer.content_type.startswith("text/html"), answer
        assert b"Even niet beschikbaar" in answer.body


def _organisations(cluster: Cluster) -> dict[str, tuple[str, int]]:
    """name -> (slug, audit-log entries of its creation), for the writers'."""
    import psycopg

    with psycopg.connect(cluster.url("cirkelregio")) as conn:
        rows = conn.execute(
            """
            SELECT o.id, o.name, o.slug,
                   (SELECT count(*) FROM auditlog_logentry e
                     JOIN django_content_type t ON t.id = e.content_type_id
                    WHERE t.app_label = 'regions' AND t.model = 'organisation'
                      AND e.object_pk = o.id::text AND e.action = 0)
              FROM regions_organisation o WHERE o.name LIKE %s
            """,
            (WRITER_PREFIX + " %",),
        ).fetchall()
    return {name: (slug, entries) for _pk, name, slug, entries in rows}


def test_requests_fail_cleanly_and_recover_when_the_database_goes_away(
    cluster: Cluster,
) -> None:
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE cirkelregio")
    var_dir = Path(tempfile.mkdtemp(prefix="cirkelregio-outage-"))
    try:
        env = _site_env(cluster, var_dir, _free_port())
        password = secrets.token_urlsafe(16)
        started = time.monotonic()
        for args in (["migrate", "--noinput"], ["shell", "-c", SETUP]):
            done = subprocess.run(  # noqa: S603 (this interpreter, fixed code)
                [sys.executable, "-m", "cirkelregio", *args],
                env=env | {"OUTAGE_PASSWORD": password},
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, done.stderr[-3000:]
        print(f"migrated in {time.monotonic() - started:.0f} s")  # noqa: T201
        with gunicorn(env, var_dir) as base:
            _outage_under_load(cluster, Load(base, password))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def _outage_under_load(cluster: Cluster, load: Load) -> None:
    threads = [
        threading.Thread(target=getattr(load, name[:-2]), args=(name,))
        for name in THREADS
    ]
    probe = load.base + "/api/v1/municipalities/"
    marks: dict[str, float] = {}
    for thread in threads:
        thread.start()
    try:
        _wait_for_answers(load, time.monotonic(), each=1)  # signed in, warmed up
        marks["quiet"] = time.monotonic()
        _wait_for_answers(load, marks["quiet"])
        marks["restart"] = time.monotonic()
        cluster.pg_ctl("restart", "-m", "fast")
        marks["restarted"] = time.monotonic()
        polls_after_restart = _poll(probe, attempts=100)
        marks["recovered"] = time.monotonic()
        _wait_for_answers(load, marks["recovered"])
        marks["stop"] = time.monotonic()
        cluster.pg_ctl("stop", "-m", "fast")
        marks["stopped"] = time.monotonic()
        _wait_for_answers(load, marks["stopped"])
        time.sleep(max(0.0, marks["stopped"] + 3 - time.monotonic()))  # 3 s at least
        marks["start"] = time.monotonic()
        cluster.pg_ctl("start")
        marks["started"] = time.monotonic()
        polls_after_start = _poll(probe, attempts=100)
        marks["back"] = time.monotonic()
        _wait_for_answers(load, marks["back"])
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=30)
    marks["end"] = time.monotonic()
    answers = [a for a in load.answers if a.thread != "login"]

    quiet = _phase(answers, marks["quiet"], marks["restart"])
    around_restart = _phase(answers, marks["restart"], marks["recovered"])
    down = _phase(answers, marks["stopped"], marks["start"])
    after = _phase(answers, marks["recovered"], marks["stop"]) + _phase(
        answers, marks["back"], marks["end"]
    )
    stored = _organisations(cluster)
    figures = {
        "answers": len(answers),
        "quiet": _summary(quiet),
        "restart (pg_ctl restart -m fast until an answer)": _summary(around_restart),
        "stopped": _summary(down),
        "after recovery": _summary(after),
        "all": _summary(answers),
        "restart took s": round(marks["restarted"] - marks["restart"], 2),
        "recovered s after restart": round(marks["recovered"] - marks["restarted"], 2),
        "polls after restart": polls_after_restart,
        "stopped for s": round(marks["start"] - marks["stopped"], 2),
        "recovered s after start": round(marks["back"] - marks["started"], 2),
        "polls after start": polls_after_start,
        "writes": len(load.writes),
        "writes 201": len(load.created),
        "writes stored without their 201": len(set(stored) - set(load.created)),
        "unexpected": [
            (
                a.thread,
                a.kind,
                a.status,
                a.error or a.body[:200].decode(errors="replace"),
            )
            for a in answers
            if a.status not in (200, 201, 503)
        ][:10],
    }
    print("database outage under load:", json.dumps(figures, indent=1))  # noqa: T201

    # Never a 500, another error or a request without an answer.
    assert {a.status for a in answers} <= {200, 201, 503}, figures
    for answer in answers:
        if answer.status == 503:
            _assert_clean_503(answer)
    assert quiet and all(a.status in (200, 201) for a in quiet), figures
    # While the database is stopped every answer is 503.
    assert down and all(a.status == 503 for a in down), figures
    # Back within a bounded number of polls, and then every request succeeds.
    assert polls_after_restart is not None and polls_after_start is not None, figures
    assert after and all(a.status in (200, 201) for a in after), figures
    assert any(a.kind == "write" and a.status == 201 for a in after), figures

    # Every 201 is in the database; every organisation the writers made is whole.
    for name, slug in load.created.items():
        assert name in stored and stored[name][0] == slug, name
    for name, (slug, entries) in stored.items():
        assert name in load.writes, name
        assert slug and entries == 1, (name, slug, entries)
