# SPDX-License-Identifier: EUPL-1.2
"""Production settings: ``DJANGO_SETTINGS_MODULE=cirkelregio.conf.production``.

The same variables as the embedded mode (``cirkelregio.conf.settings``), with the
production rules of the registry in ``cirkelregio.conf.env``: the secret key, the host
names and the database must be set (no generated key, no SQLite), and HTTPS behind a
TLS proxy, HSTS and JSON logs are the defaults. ``cirkelregio check --deploy`` reports
nothing with these settings and a complete environment (``deploy/env.example``).
"""

from django.core.exceptions import ImproperlyConfigured

from cirkelregio.conf import env

# Before the settings are read: required variables must be set, production defaults
# apply (see cirkelregio.conf.env).
env.PRODUCTION = True

from cirkelregio.conf.settings import *  # noqa: E402, F403
from cirkelregio.conf.settings import (  # noqa: E402
    DATABASES,
    DEBUG,
    EMAIL_HOST,
    LOGGING,
)

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be false in production")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "The production settings need PostgreSQL: DATABASE_URL=postgres://..."
    )
if not EMAIL_HOST:
    # No mail server: mail is dropped, never written into the log.
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# django-axes records every failed login and lock-out in the database (shown in the
# admin); its log messages name the user and the address, so only errors are logged.
LOGGING["loggers"]["axes"] = {"level": "ERROR"}
