# SPDX-License-Identifier: EUPL-1.2
"""Settings for the test suite: the normal settings, with static files served from the
finders (no collectstatic needed), a fast password hasher, a database connection per
request and uploaded and generated files in a temporary folder of the run."""

import atexit
import shutil
import tempfile
from pathlib import Path

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
# Files that tests upload or jobs make (and prune) stay out of a developer's own
# media folder; the folder goes when the run ends.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cirkelregio-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, True)
