# SPDX-License-Identifier: EUPL-1.2
"""Django settings. Every value that differs between installations comes from an
environment variable (see ``cirkelregio.conf.env`` and ``docs/configuration.md``).

The defaults give the embedded mode: a SQLite file under ``var/`` and a local secret key
created on first use, so a fresh clone runs without any configuration. The production
settings (``cirkelregio.conf.production``) read the same variables, with the production
rules of ``ENV_VARS`` (``cirkelregio config reference`` writes them into the table).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url

from cirkelregio.conf.env import (
    env_bool,
    env_int,
    env_list,
    env_optional_float,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(
    env_str(
        "CIRKELREGIO_VAR_DIR",
        str(REPO_DIR / "var"),
        "Folder for the SQLite file, the generated secret key, uploaded media and the "
        "collected static files.",
        shown="`var/` in the project folder",
    )
)
FRONTEND_DIR = Path(
    env_str(
        "CIRKELREGIO_FRONTEND_DIR",
        str(REPO_DIR / "frontend"),
        "Folder with the installed npm packages (NL Design System CSS and theme, "
        "Leaflet).",
        shown="`frontend/` in the project folder",
    )
)

DEBUG = env_bool(
    "DJANGO_DEBUG",
    False,
    "Django debug mode. Never `true` in production: the production settings refuse it.",
)


def _secret_key() -> str:
    key = env_str(
        "DJANGO_SECRET_KEY",
        "",
        "Django secret key, at least 50 random characters. When empty, a random key is "
        "generated once and kept in `CIRKELREGIO_VAR_DIR/secret_key` (file mode 600).",
        required=True,
    )
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    "127.0.0.1,localhost,[::1]",
    "Comma-separated host names this site serves.",
    required=True,
)
CSRF_TRUSTED_ORIGINS = env_list(
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "",
    "Comma-separated origins (`https://host`) trusted for CSRF, needed behind a proxy "
    "that serves another host name or scheme.",
)

INSTALLED_APPS = [
    "cirkelregio.core.apps.CirkelregioAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "cirkelregio.core",
    "cirkelregio.accounts",
    "cirkelregio.regions",
    "cirkelregio.mki",
    "cirkelregio.exchange",
    "cirkelregio.repair",
    "cirkelregio.initiatives",
    "cirkelregio.events",
    "cirkelregio.roads",
    "cirkelregio.biobased",
    "cirkelregio.agricycling",
    "cirkelregio.craftcentres",
    "cirkelregio.monitoring",
    "cirkelregio.jobs",
    "cirkelregio.web",
    "django_tasks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cirkelregio.core.middleware.ApiLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor login: which device verified the session (request.user.is_verified),
    # and a user with a device counts as signed out until a code has verified it.
    "django_otp.middleware.OTPMiddleware",
    "cirkelregio.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cirkelregio.core.middleware.PermissionsPolicyMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "cirkelregio.core.middleware.ApiProblemMiddleware",
    # AxesMiddleware last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cirkelregio.conf.urls"
WSGI_APPLICATION = "cirkelregio.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "cirkelregio.web.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str(
            "DATABASE_URL",
            f"sqlite:///{VAR_DIR / 'cirkelregio.sqlite3'}",
            "Database URL, for example `postgres://user@127.0.0.1:5432/cirkelregio`. "
            "The production settings accept PostgreSQL only.",
            required=True,
            shown="`sqlite:///` + `CIRKELREGIO_VAR_DIR/cirkelregio.sqlite3`",
        ),
        # Persistent connections: on PostgreSQL, starting a backend for every
        # request costs more than most requests (benchmarks/RESULTS.md). The health
        # check replaces a connection the database has closed meanwhile.
        conn_max_age=env_int(
            "DATABASE_CONN_MAX_AGE",
            60,
            "Seconds a database connection is kept open for further requests, checked "
            "before it is reused (`CONN_HEALTH_CHECKS`); `0` opens one per request.",
        ),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"  # noqa: E501
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Login throttling (django-axes): lock a user name + address after repeated failures.
AXES_FAILURE_LIMIT = env_int(
    "AXES_FAILURE_LIMIT",
    5,
    "Failed logins before a user name and address are locked out (django-axes).",
)
AXES_COOLOFF_TIME = (
    env_int("AXES_COOLOFF_MINUTES", 15, "Minutes a lock-out lasts.") / 60
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The codes of the two-factor step are masked like passwords where axes records a
# failed attempt.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "backup_code"]
# Behind a proxy every request comes from the proxy's address: then the client's
# address, for the lock-outs and the rate limits, is the one the proxy puts in
# X-Forwarded-For (deploy/nginx/cirkelregio.conf overwrites what the client sent; the
# last address counts, the one the proxy added).
if env_bool(
    "CIRKELREGIO_FORWARDED_FOR",
    False,
    "Take the client's address from the `X-Forwarded-For` header, which the proxy "
    "must set (and overwrite); used for login lock-outs and rate limits.",
    production=True,
):
    AXES_CLIENT_IP_CALLABLE = "cirkelregio.conf.client_address.forwarded_client_address"

# Two-factor login (django-otp, docs/operations.md#two-factor-login): a TOTP app plus
# single-use backup codes, optional unless this setting requires it for a role.
REQUIRE_2FA_FOR = env_str(
    "CIRKELREGIO_REQUIRE_2FA_FOR",
    "",
    "Who must set up two-factor login before using their rights: `coordinators` "
    "(coordinators and superusers), `editors` (everyone who may edit: coordinators, "
    "organisation editors and superusers) or empty (optional for everyone).",
).strip()
if REQUIRE_2FA_FOR not in ("", "coordinators", "editors"):
    raise ValueError(
        "Environment variable CIRKELREGIO_REQUIRE_2FA_FOR must be empty, coordinators "
        f"or editors, got {REQUIRE_2FA_FOR!r}"
    )
OTP_TOTP_ISSUER = "Cirkelregio"
# Wrong codes: each device waits 1, 2, 4, 8 ... seconds after successive failures.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "conf" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    (
        "vendor/utrecht",
        FRONTEND_DIR / "node_modules/@utrecht/component-library-css/dist",
    ),
    (
        "vendor/theme",
        FRONTEND_DIR
        / "node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist",
    ),
    ("vendor/leaflet", FRONTEND_DIR / "node_modules/leaflet/dist"),
    (
        "vendor/leaflet.markercluster",
        FRONTEND_DIR / "node_modules/leaflet.markercluster/dist",
    ),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool(
            "STATIC_MANIFEST",
            not DEBUG,
            "Serve hashed, compressed static files (WhiteNoise manifest storage, "
            "cached for a year). Needs `cirkelregio collectstatic`.",
            shown="`true` when `DJANGO_DEBUG` is false, else `false`",
        )
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int(
    "SESSION_COOKIE_AGE", 8 * 3600, "Session lifetime in seconds (8 hours)."
)
HTTPS = env_bool(
    "CIRKELREGIO_HTTPS",
    False,
    "The site is served over HTTPS: secure session and CSRF cookies, redirect from "
    "HTTP, HSTS for one year, and the `X-Forwarded-Proto: https` header of the proxy "
    "is trusted.",
    production=True,
)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# The health check answers over plain HTTP too (container and load-balancer probes).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "CIRKELREGIO_HSTS_INCLUDE_SUBDOMAINS",
    False,
    "With HTTPS: the HSTS header covers every subdomain too. Only when all of them "
    "are served over HTTPS.",
    production=True,
)
HSTS_PRELOAD = env_bool(
    "CIRKELREGIO_HSTS_PRELOAD",
    False,
    "With HTTPS: the HSTS header allows browsers to preload the domain as HTTPS-only "
    "(hstspreload.org). Set `false` when the domain owner has not agreed to that.",
    production=True,
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and HSTS_INCLUDE_SUBDOMAINS
SECURE_HSTS_PRELOAD = HTTPS and HSTS_PRELOAD
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A shared cache (Redis) makes the rate limits hold across server processes; without
# it each process keeps its own local-memory cache.
CACHE_REDIS_URL = env_str(
    "CACHE_REDIS_URL",
    "",
    "Redis for the shared cache, for example `redis://127.0.0.1:6379/1` (another "
    "database number than the job queue's). Empty: each server process keeps its own "
    "cache in memory, so rate limits count per process.",
)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_REDIS_URL,
    }
    if CACHE_REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

EMAIL_HOST = env_str(
    "EMAIL_HOST",
    "",
    "SMTP server for outgoing mail. Empty: mail is written to standard output "
    "(embedded mode) or dropped (production settings).",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, "SMTP port.")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "", "SMTP user name.")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "", "SMTP password.")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True, "Use STARTTLS to the SMTP server.")
DEFAULT_FROM_EMAIL = SERVER_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL",
    "noreply@localhost",
    "Sender address of the mail the site sends.",
)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

MAP_TILE_URL = env_str(
    "MAP_TILE_URL",
    "",
    "Tile URL template for background maps, for example "
    "`https://tile.openstreetmap.org/{z}/{x}/{y}.png`. Its origin is added to the "
    "Content Security Policy. Empty: no tiles; maps show only the project's own "
    "boundary layers.",
)
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    "",
    "Attribution shown with the tiles. Required by most tile providers.",
)

EXCHANGE_TRANSPORT_CO2_KG_PER_TKM = env_optional_float(
    "EXCHANGE_TRANSPORT_CO2_KG_PER_TKM",
    "kg CO2 per tonne-km. With it, the exchange page shows the CO2 of the planned "
    "transport (tonne-km x factor). Empty: not shown; the project ships no verified "
    "factor.",
)
EXCHANGE_TRANSPORT_CO2_SOURCE = env_str(
    "EXCHANGE_TRANSPORT_CO2_SOURCE",
    "",
    "Where that factor comes from (publication, table, year). Shown beside the "
    "figure; required when the factor is set.",
)
if EXCHANGE_TRANSPORT_CO2_KG_PER_TKM is not None and not (
    EXCHANGE_TRANSPORT_CO2_SOURCE.strip()
):
    raise ValueError(
        "EXCHANGE_TRANSPORT_CO2_KG_PER_TKM needs EXCHANGE_TRANSPORT_CO2_SOURCE: "
        "every factor from outside names its source"
    )


def _origin(url: str) -> str:
    parts = url.split("/")
    return "/".join(parts[:3]) if url.startswith("http") else ""


_tile_origin = _origin(MAP_TILE_URL.replace("{s}.", ""))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([_tile_origin] if _tile_origin else []),
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# /.well-known/security.txt (RFC 9116). The defaults are the placeholders of
# SECURITY.md and publiccode.yml: the operator must set both before going live.
SECURITY_CONTACT = env_str(
    "SECURITY_CONTACT",
    "",
    "Contact of `/.well-known/security.txt` (a `mailto:` or `https:` URI). Empty: "
    "the placeholder `mailto:security@cirkelregio.example`, marked as one in the file.",
)
SECURITY_POLICY_URL = env_str(
    "SECURITY_POLICY_URL",
    "",
    "Policy URL of `/.well-known/security.txt`, the published `SECURITY.md`. Empty: "
    "a placeholder, marked as one in the file.",
)
SECURITY_TXT_EXPIRES = env_str(
    "SECURITY_TXT_EXPIRES",
    "",
    "Expiry date (`YYYY-MM-DD`) of `/.well-known/security.txt`. Empty: 180 days after "
    "each request.",
)

# No personal data in the audit log: not the address of the request (AVG/GDPR data
# minimisation; who changed what is the account, not the address).
AUDITLOG_DISABLE_REMOTE_ADDR = True

# Uploaded data files (cirkelregio.core.uploads): the largest accepted.
UPLOAD_MAX_BYTES = env_int(
    "UPLOAD_MAX_BYTES",
    20 * 1024 * 1024,
    "Largest data file an import accepts, in bytes (an XLSX may unpack to ten times "
    "as much). Photos of the exchange have their own limit of 5 MB.",
)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "cirkelregio.accounts.permissions.RegistryPermission"
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "cirkelregio.core.api.pagination.Pagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "cirkelregio.core.api.problems.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cirkelregio API",
    "DESCRIPTION": (
        "Open platform of a regional circular-economy alliance: the registry "
        "(municipalities, organisations, action lines, participation, annual plans) "
        "and the MKI (environmental cost indicator: profile libraries, projects, "
        "variants, calculations, tenders, the regional monitor). Errors are RFC 9457 "
        "problem details; messages follow Accept-Language (Dutch by default)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "cirkelregio.regions.models.PlanStatus",
        "ActivityStatusEnum": "cirkelregio.regions.models.ActivityStatus",
        "JobStatusEnum": "cirkelregio.jobs.models.JobStatus",
    },
    "LICENSE": {"name": "EUPL-1.2"},
}

LOG_FORMAT = env_str(
    "LOG_FORMAT",
    "plain",
    "`plain` (one line of text per record) or `json` (one JSON object per line, for "
    "a log collector).",
    production="json",
)
if LOG_FORMAT not in {"plain", "json"}:
    raise ValueError("Environment variable LOG_FORMAT must be plain or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "cirkelregio.conf.logging.JsonFormatter"},
    },
    "filters": {
        "redact_personal_data": {"()": "cirkelregio.conf.logging.RedactPersonalData"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact_personal_data"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env_str(
            "LOG_LEVEL",
            "INFO",
            "Level of the root logger (logs go to standard error).",
        ),
    },
    "loggers": {"axes": {"level": "WARNING"}},
}

# The region whose reference data the site presents (a folder under data/regions).
CIRKELREGIO_REGION = env_str(
    "CIRKELREGIO_REGION",
    "nl-utrecht",
    "Code of the region the public site presents (a folder under `data/regions/`).",
)
DATA_DIR = Path(
    env_str(
        "CIRKELREGIO_DATA_DIR",
        str(REPO_DIR / "data"),
        "Folder with the reference and demo data files.",
        shown="`data/` in the project folder",
    )
)

# Background jobs (docs/adr/0009-background-jobs.md): Django's Tasks API through
# django-tasks. "immediate" runs a job at once, in the request (the embedded
# default); "rq" queues it in Redis for `cirkelregio jobs worker`.
JOBS_BACKEND = env_str(
    "JOBS_BACKEND",
    "immediate",
    "Where background jobs run: `immediate` (at once, in the request) or `rq` "
    "(queued in Redis at `REDIS_URL`, run by `cirkelregio jobs worker`).",
)
if JOBS_BACKEND not in ("immediate", "rq"):
    raise ValueError("JOBS_BACKEND must be immediate or rq")
REDIS_URL = env_str(
    "REDIS_URL",
    "redis://127.0.0.1:6379/0",
    "Redis of the job queue (with `JOBS_BACKEND=rq`), database number in the path.",
)
JOBS_QUEUE = env_str("JOBS_QUEUE", "cirkelregio", "Name of the job queue in Redis.")
JOBS_TIMEOUT = env_int(
    "JOBS_TIMEOUT", 6 * 3600, "Seconds a job may run before the worker stops it."
)
JOBS_STALE_AFTER = env_int(
    "JOBS_STALE_AFTER",
    120,
    "Seconds without a heartbeat after which a running job counts as left by a "
    "stopped worker and is queued again.",
)
JOBS_MAX_ATTEMPTS = env_int(
    "JOBS_MAX_ATTEMPTS", 3, "Attempts of a job before a stopped worker fails it."
)
JOBS_KEEP_FILES_DAYS = env_int(
    "JOBS_KEEP_FILES_DAYS",
    30,
    "Days the file a job made (an annual report) is kept after the job finished; "
    "older files, and uploads that no queued or running job needs after a day, are "
    "removed after every job and by `cirkelregio jobs prune`.",
)
TASKS = {
    "default": {
        "BACKEND": "django_tasks_rq.RQBackend"
        if JOBS_BACKEND == "rq"
        else "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": [JOBS_QUEUE],
    }
}
RQ_QUEUES = {JOBS_QUEUE: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": JOBS_TIMEOUT}}
if JOBS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
