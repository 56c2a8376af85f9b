# SPDX-License-Identifier: EUPL-1.2
"""The production settings (cirkelregio.conf.production): ``check --deploy`` reports
nothing with a complete environment, required variables stop start-up, the production
defaults apply, and hashed static files get far-future cache headers. Each reading of
the settings runs in a fresh interpreter with only the variables given."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.test import RequestFactory

import pytest

from cirkelregio.conf.client_address import forwarded_client_address
from cirkelregio.conf.logging import JsonFormatter

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cirkelregio.conf.production",
    # A realistic key: 64 random-looking characters, not the real one of any site.
    "DJANGO_SECRET_KEY": "k3Jq9vXw2LmZr8TtPq6YbN4sHc1UeAf7"
    "GdRj0WoKiVlMnBxCyEzSgDhIuOpQaFr5",
    "DJANGO_ALLOWED_HOSTS": "cirkelregio.example.nl",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://cirkelregio.example.nl",
    "DATABASE_URL": "postgres://cirkelregio@127.0.0.1:5432/cirkelregio",
    "CACHE_REDIS_URL": "redis://127.0.0.1:6379/1",
}


def _run(
    tmp_path: Path, args: list[str], drop: tuple[str, ...] = (), **env: str
) -> subprocess.CompletedProcess[str]:
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("DJANGO_", "DATABASE_", "CIRKELREGIO_", "CACHE_", "REDIS_", "JOBS_")
        )
    }
    full = {**keep, **PRODUCTION_ENV, "CIRKELREGIO_VAR_DIR": str(tmp_path), **env}
    for name in drop:
        full.pop(name)
    return subprocess.run(  # noqa: S603 (this interpreter, fixed code)
        [sys.executable, *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _settings(
    tmp_path: Path, names: str, drop: tuple[str, ...] = (), **env: str
) -> list[object]:
    code = (
        "import json, django; from django.conf import settings as s; django.setup(); "
        f"print(json.dumps([getattr(s, n) for n in {names.split()!r}], default=str))"
    )
    done = _run(tmp_path, ["-c", code], drop, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_nothing(tmp_path: Path) -> None:
    done = _run(
        tmp_path, ["-m", "cirkelregio", "check", "--deploy", "--fail-level", "DEBUG"]
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_check_deploy_warns_when_https_is_switched_off(tmp_path: Path) -> None:
    done = _run(
        tmp_path,
        ["-m", "cirkelregio", "check", "--deploy"],
        CIRKELREGIO_HTTPS="false",
    )
    assert "security.W008" in done.stderr  # SECURE_SSL_REDIRECT
    assert "security.W012" in done.stderr  # SESSION_COOKIE_SECURE


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"]
)
def test_a_required_variable_stops_start_up(tmp_path: Path, missing: str) -> None:
    done = _run(tmp_path, ["-m", "cirkelregio", "check"], drop=(missing,))
    assert done.returncode != 0
    assert f"{missing} must be set for the production settings" in done.stderr
    # No secret key of its own is generated in production.
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_URL": "sqlite:///db.sqlite3"}, "need PostgreSQL"),
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG must be false"),
    ],
)
def test_refused_in_production(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    done = _run(tmp_path, ["-m", "cirkelregio", "check"], **env)
    assert done.returncode != 0
    assert message in done.stderr


def test_production_defaults(tmp_path: Path) -> None:
    names = (
        "SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE SECURE_SSL_REDIRECT "
        "SECURE_HSTS_SECONDS SECURE_HSTS_INCLUDE_SUBDOMAINS SECURE_PROXY_SSL_HEADER "
        "EMAIL_BACKEND CACHES LOGGING STORAGES AXES_CLIENT_IP_CALLABLE"
    )
    (
        cookie,
        csrf,
        redirect,
        hsts,
        subdomains,
        proxy,
        email,
        caches,
        logging_,
        storages,
        address_from,
    ) = _settings(tmp_path, names)
    assert cookie is csrf is redirect is subdomains is True
    assert hsts == 31536000
    assert proxy == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert email == "django.core.mail.backends.dummy.EmailBackend"
    assert caches["default"]["BACKEND"].endswith("RedisCache")  # type: ignore[index]
    assert logging_["handlers"]["console"]["formatter"] == "json"  # type: ignore[index]
    assert storages["staticfiles"]["BACKEND"] == (  # type: ignore[index]
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert address_from == "cirkelregio.conf.client_address.forwarded_client_address"


def test_the_embedded_mode_keeps_its_defaults(tmp_path: Path) -> None:
    names = "SESSION_COOKIE_SECURE SECURE_HSTS_SECONDS EMAIL_BACKEND CACHES"
    cookie, hsts, email, caches = _settings(
        tmp_path,
        names,
        drop=("DATABASE_URL", "CACHE_REDIS_URL"),
        DJANGO_SETTINGS_MODULE="cirkelregio.conf.settings",
    )
    assert cookie is False
    assert hsts == 0
    assert email == "django.core.mail.backends.console.EmailBackend"
    assert caches["default"]["BACKEND"].endswith("LocMemCache")  # type: ignore[index]


def test_json_log_lines_hold_no_request_data() -> None:
    record = logging.LogRecord(
        "django.request", logging.ERROR, "", 0, "Oops %s", ("x",), None
    )
    record.request = object()  # Django attaches the request; it is not written
    entry = json.loads(JsonFormatter().format(record))
    assert set(entry) == {"time", "level", "logger", "message"}
    assert entry["message"] == "Oops x"


def test_the_client_address_is_the_one_the_proxy_added() -> None:
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5", REMOTE_ADDR="127.0.0.1"
    )
    assert forwarded_client_address(request) == "203.0.113.5"
    assert forwarded_client_address(RequestFactory().get("/")) == "127.0.0.1"


@pytest.mark.slow
def test_hashed_static_files_are_cached_for_a_year(tmp_path: Path) -> None:
    code = """
import django, re
from django.conf import settings
from django.core.management import call_command
django.setup()
# Without the admin's files and the token sources the site does not serve, to keep
# the test short.
call_command(
    "collectstatic", interactive=False, verbosity=0,
    ignore_patterns=["admin", "rest_framework", "drf_spectacular_sidecar", "*.scss",
                     "*.json", "*.cjs", "*.mjs", "*.d.ts", "*.less"],
)
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
url = staticfiles_storage.url("vendor/leaflet/leaflet.css")
assert re.search(r"leaflet\\.[0-9a-f]{12}\\.css$", url), url
response = Client().get(
    url, HTTP_HOST="cirkelregio.example.nl", HTTP_X_FORWARDED_PROTO="https",
    HTTP_ACCEPT_ENCODING="gzip",
)
print(response.status_code, response["Cache-Control"], response.get("Content-Encoding"))
"""
    done = _run(tmp_path, ["-c", code])
    assert done.returncode == 0, done.stderr
    status, cache_control, encoding = (
        done.stdout.split(" ", 1)[0],
        *done.stdout.split(" ", 1)[1].rsplit(" ", 1),
    )
    assert status == "200"
    assert cache_control == "max-age=315360000, public, immutable"
    assert encoding.strip() == "gzip"


def test_the_configuration_reference_is_up_to_date(tmp_path: Path) -> None:
    done = _run(
        tmp_path,
        ["-m", "cirkelregio", "config", "reference", "--check"],
        DJANGO_SETTINGS_MODULE="cirkelregio.conf.settings",
    )
    assert done.returncode == 0, (
        done.stdout + done.stderr + "\nRun `cirkelregio config reference`."
    )
