"""Settings for the test suite: the real settings, made fast and self-contained."""

import os
import tempfile
from pathlib import Path

from innovation_portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the apps' folders, as in development: no collectstatic before tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# django-debug-toolbar is for a developer's browser, never for the tests (DEBUG_TOOLBAR=true in the shell is ignored).
DEBUG_TOOLBAR = False
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "debug_toolbar"]  # noqa: F405
MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("debug_toolbar.")]  # noqa: F405

# This test process's own broker: a task its tests send never reaches the worker of `make run`, another copy of
# the suite or another pytest-xdist worker (tests/conftest.py empties it at the end of the run).
TEST_PROCESS = f"tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
if REDIS_URL:  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": f"{TEST_PROCESS}:"}  # noqa: F405
else:
    BROKER_DIR = Path(tempfile.gettempdir()) / "innovation-portal-tests" / TEST_PROCESS
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
    }
