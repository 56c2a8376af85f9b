# SPDX-License-Identifier: EUPL-1.2
"""Settings for the test suite: the normal settings, with static files served from the
finders (no collectstatic needed) and a fast password hasher."""

from cirkelregio.conf.settings import *  # noqa: F403
from cirkelregio.conf.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests serve static files from the finders; there is no collected folder.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
