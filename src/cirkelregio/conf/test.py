# SPDX-License-Identifier: EUPL-1.2
"""Settings for the test suite: the normal settings, with static files served from the
finders (no collectstatic needed), a fast password hasher and a database connection per
request."""

from cirkelregio.conf.settings import *  # noqa: F403
from cirkelregio.conf.settings import DATABASES, STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A connection per request, as before persistent connections became the default, so
# that no connection outlives its test (on PostgreSQL the test database is dropped at
# the end of a run).
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Tests serve static files from the finders; there is no collected folder.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
