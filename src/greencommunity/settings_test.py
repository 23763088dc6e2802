"""Settings for the test suite: the real settings with test-friendly storage and hashing."""

import os
import tempfile
from pathlib import Path

from .settings import *  # noqa: F403
from .settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A file, not shared-cache memory: concurrent-writer tests need SQLite's real locking (WAL).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per test process, so parallel runs never share it; Django deletes it at the end.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"gc-test-{os.getpid()}.sqlite3")
    }

STATIC_ROOT = None  # type: ignore[assignment]  # static files come from the finders in tests; nothing is collected
