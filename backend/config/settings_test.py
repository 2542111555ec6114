"""Test settings: the real settings, with a throwaway key and in-process Celery.

The database is still PostGIS and the cache still Redis (DATABASE_URL/REDIS_URL apply);
only what makes tests fast and deterministic is changed here.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")

from backend.config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process unless a test starts a real worker (see tests/test_celery_roundtrip.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CACHES["default"]["KEY_PREFIX"] = f"guardops-test-{os.getpid()}"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
# No collectstatic in tests: plain storage instead of the hashed-manifest one.
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGIN_THROTTLE = {**LOGIN_THROTTLE, "KEY_PREFIX": f"guardops-test-{os.getpid()}:login-failures"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Parallel runs on one machine (several developers, CI beside a work tree) need their own
# test database: GUARDOPS_TEST_DB names it.
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("GUARDOPS_TEST_DB", "test_guardops")}  # noqa: F405
