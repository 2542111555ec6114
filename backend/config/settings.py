"""GuardOps settings: one module, driven by the environment (12-factor).

Every knob comes from an environment variable (or a git-ignored `.env` file that
`make run` writes on first use). Production is the default: DEBUG is off and the
secret key must be provided; `make run` turns DEBUG on for the local demo.
"""

from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured

# Lets annotations like ModelAdmin[Site] and QuerySet[Shift] exist at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(env.str("GUARDOPS_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    # Ships Swagger UI's JS/CSS as static files: without it the API docs load them from a CDN.
    "ninja",
    # Leaflet's JS/CSS ship inside the package: the admin's map widgets work offline.
    "leaflet",
    "backend.core",
    "backend.accounts",
    "backend.sites",
    "backend.staffing",
    "backend.devices",
    "backend.tracking",
    "backend.incidents",
    "backend.flags",
    "backend.rules",
    "backend.attendance",
    "backend.dispatch",
    "backend.calls",
    "backend.clientview",
    "backend.documents",
    "backend.demo",
    # The operations console (/console/) and the libraries its pages are built with (UI.md).
    "django_htmx",
    "template_partials",
    "csp",
    "console",
    # The client portal (/portal/): client contacts' sites, attendance, reports and concerns.
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost after security: turns Django's HTML error pages under the API's prefix into JSON.
    "mobile_api.middleware.ApiJsonErrorsMiddleware",
    # Serves collected static files (admin, API docs) from gunicorn, no separate web server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Turns away oversized photo uploads by Content-Length before the body is read.
    "mobile_api.middleware.PhotoUploadLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # request.htmx: views answer a fragment to htmx and the whole page otherwise.
    "django_htmx.middleware.HtmxMiddleware",
    # Signs console and portal users out after CONSOLE_SESSION_IDLE_SECONDS without a request.
    "backend.accounts.idle.SessionIdleTimeoutMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "backend.config.urls"
WSGI_APPLICATION = "backend.config.wsgi.application"
ASGI_APPLICATION = "backend.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "backend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# postgis:// selects django.contrib.gis.db.backends.postgis.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgis://root@127.0.0.1:5432/guardops"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "guardops",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Console and portal sessions end after this long without a request.
CONSOLE_SESSION_IDLE_SECONDS = env.int("CONSOLE_SESSION_IDLE_SECONDS", default=30 * 60)
# Where the idle timeout applies (URL prefix) and the sign-in page it sends an idle session to.
SESSION_IDLE_LOGIN_URLS = {"/console/": "console:login", "/portal/": "portal:login"}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# JavaScript libraries from npm (package-lock.json; `npm ci` in scripts/setup.sh), served
# as our own static files: pages never load a library from a CDN.
STATICFILES_DIRS = [("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")

# GDAL/GEOS are found by ctypes on Debian; these let an unusual install point at them.
GDAL_LIBRARY_PATH = env.str("GDAL_LIBRARY_PATH", default=None)
GEOS_LIBRARY_PATH = env.str("GEOS_LIBRARY_PATH", default=None)
# gis.W001: GDAL < 3.9 (Debian 12 ships 3.6) cannot block file/network access from a
# spatial reference. GuardOps never hands user text to GDAL: the mobile API takes
# numbers (lat/lon) and builds points with fixed SRID 4326; only authenticated admin
# staff submit geometry (map widget). Where GDAL >= 3.9 is installed the check passes
# anyway; set GUARDOPS_WARN_OLD_GDAL=true to see it again.
SILENCED_SYSTEM_CHECKS = [] if env.bool("GUARDOPS_WARN_OLD_GDAL", default=False) else ["gis.W001"]

# Map base layer: a tile URL template ("https://tiles.example.org/{z}/{x}/{y}.png") on
# a server you run or may use; empty (the default) draws fences on a blank background,
# so no page ever reaches out to a third-party host.
MAP_TILES_URL = env.str("MAP_TILES_URL", default="")
# The console's Content-Security-Policy: our own scripts and styles only (no inline code,
# no eval: htmx runs with allowEval=false), images from us and the tile server. The admin
# and the API docs keep their inline scripts (django-leaflet's widgets, Swagger UI), so
# they are left out of it.
_MAP_TILES_ORIGIN = "/".join(MAP_TILES_URL.split("/")[:3]) if MAP_TILES_URL else None
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/api/mobile/v1/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_MAP_TILES_ORIGIN] if _MAP_TILES_ORIGIN else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
LEAFLET_CONFIG = {
    "TILES": [("Base map", MAP_TILES_URL, {})] if MAP_TILES_URL else [],
    "RESET_VIEW": False,
}

# Where e-mail goes, first match wins: EMAIL_URL (django-environ's form, e.g.
# "smtp+tls://user:password@mail.example.com:587", "smtps://…:465", "consolemail://"), else
# EMAIL_HOST (+ EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL)
# for SMTP, else DJANGO_EMAIL_BACKEND (`make run` writes files to EMAIL_FILE_PATH), else the console.
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
elif env.str("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.str("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
# A mail server that stops answering must not hold a worker forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="GuardOps <noreply@guardops.invalid>")
# Where the file-based e-mail backend writes (one file per message), e.g. for a worker in a test.
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))
# The address people open GuardOps at: links in e-mails point here.
GUARDOPS_BASE_URL = env.str("GUARDOPS_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The company logo printed on every client PDF (a PNG or JPEG file); empty: the company's name.
GUARDOPS_PDF_LOGO = env.str("GUARDOPS_PDF_LOGO", default="")

# Celery: broker and result store on Redis; tasks are acked late so a worker crash
# re-delivers instead of losing work (every task is written to be idempotent).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="guardops")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Attendance and presence rules over every shift in progress (NO_SHOW, OUT_OF_POSITION...).
    "monitor-shifts-every-minute": {"task": "backend.attendance.tasks.shifts_monitor_task", "schedule": 60.0},
    # Side effects recorded in the outbox but not done yet (broker was down, worker died).
    "redeliver-outbox-every-minute": {"task": "backend.core.tasks.outbox_redeliver_task", "schedule": 60.0},
    # Live board: unacknowledged critical alerts e-mailed again to the next manager.
    "escalate-alerts-every-minute": {"task": "backend.attendance.tasks.alerts_escalate_task", "schedule": 60.0},
    # Client PDFs whose worker died while rendering (or whose task the broker lost) are enqueued again.
    "sweep-documents-every-minute": {"task": "backend.documents.tasks.documents_sweep_task", "schedule": 60.0},
    # Client deliveries now due (DARs at each site's 07:00, weekly bundles on Monday, summaries on the 1st).
    "plan-deliveries-every-minute": {"task": "backend.documents.tasks.deliveries_plan_task", "schedule": 60.0},
    # Deliveries a crash left half-done (sending too long, documents never linked, a lost send task).
    "sweep-deliveries-every-minute": {"task": "backend.documents.tasks.deliveries_sweep_task", "schedule": 60.0},
}

# Live board: minutes an unacknowledged critical alert (panic, critical flag) waits before it
# is e-mailed again to the next manager (and again after as many more).
ALERT_ESCALATION_MINUTES = env.int("ALERT_ESCALATION_MINUTES", default=10)

MOBILE_TOKEN_TTL_DAYS = env.int("MOBILE_TOKEN_TTL_DAYS", default=30)
LOGIN_THROTTLE = {
    "KEY_PREFIX": "guardops:login-failures",
    "MAX_FAILURES_PER_USER": env.int("LOGIN_MAX_FAILURES_PER_USER", default=5),
    "MAX_FAILURES_PER_IP": env.int("LOGIN_MAX_FAILURES_PER_IP", default=30),
    "WINDOW_SECONDS": env.int("LOGIN_THROTTLE_WINDOW_SECONDS", default=900),
}
# Proxies (addresses or CIDRs, e.g. "10.0.0.0/8") whose X-Forwarded-For is believed when
# counting failed logins per client address. Empty: REMOTE_ADDR is the client. Set it to
# the load balancer's addresses, or every phone behind it shares one address's limit.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Photos: refuse big uploads before reading them; cap decoded pixels (decompression bombs).
MOBILE_PHOTO_MAX_BYTES = env.int("MOBILE_PHOTO_MAX_BYTES", default=15 * 1024 * 1024)
MOBILE_PHOTO_MAX_PIXELS = env.int("MOBILE_PHOTO_MAX_PIXELS", default=50_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Who sends a photo's bytes once the view has checked the viewer: Django itself
# ("django"), or the web server in front, told by a header: "x-accel-redirect" (nginx,
# an `internal` location at PHOTO_X_ACCEL_PREFIX aliased to MEDIA_ROOT) or "x-sendfile"
# (Apache mod_xsendfile, lighttpd; reads MEDIA_ROOT paths).
PHOTO_SERVE_MODE = env.str("PHOTO_SERVE_MODE", default="django")
if PHOTO_SERVE_MODE not in ("django", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured(
        f"PHOTO_SERVE_MODE={PHOTO_SERVE_MODE!r}: use 'django', 'x-accel-redirect' or 'x-sendfile'."
    )
PHOTO_X_ACCEL_PREFIX = env.str("PHOTO_X_ACCEL_PREFIX", default="/protected-media/")

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="guardops-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Behind a TLS-terminating proxy in production; every flag can be relaxed by env for
# local HTTP, none is relaxed by default.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
