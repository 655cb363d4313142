"""Settings for the source-attribution app: one file, driven by the environment.

Development: ``DJANGO_DEBUG=1`` (the Makefile sets it for ``make run``) gives a
fixed, insecure secret key and an SQLite file next to ``manage.py``.
Production: DEBUG stays off, ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``
must be set, and ``DATABASE_URL`` points at PostgreSQL. See README.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = os.environ


def env_bool(name: str, default: bool = False) -> bool:
    value = env.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = env.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DEBUG is off (set DJANGO_DEBUG=1 for local development)."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    # articles comes before django_tasks_db: its db_worker command (the same worker, plus the
    # import's lease reaper) overrides the one django_tasks_db ships.
    "articles",
    "attributions",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "attributions.permissions.editor_context",
            ],
        },
    },
]

WSGI_APPLICATION = "project.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing: every transaction takes it at BEGIN
    # (IMMEDIATE), waits up to 20 s for it, and readers never block the writer (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too: concurrent requests need real connections to one database
    # (an in-memory database shares locks between connections and fails instead of waiting).
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Queued uploads when IMPORT_STAGING=storage: any Django storage every worker host reaches
    # (IMPORT_STORAGE_BACKEND, e.g. "storages.backends.s3.S3Storage", with its own settings).
    "imports": {
        "BACKEND": env.get("IMPORT_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": str(MEDIA_ROOT / "imports")} if "IMPORT_STORAGE_BACKEND" not in env else {},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("DJANGO_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Imports (see README "Importing"): every limit is per file and refused by name with a reason.
IMPORT_MAX_FILE_BYTES = int(env.get("IMPORT_MAX_FILE_BYTES", str(5 * 1024 * 1024)))
# The most one batch may expand to (zips included); files past it are refused by name.
IMPORT_MAX_BATCH_BYTES = int(env.get("IMPORT_MAX_BATCH_BYTES", str(1024 * 1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FILES = int(env.get("DATA_UPLOAD_MAX_NUMBER_FILES", "1000"))
# Uploads that expand to at most this many bytes (and files) are imported while the admin
# waits (about a second of work); anything larger is queued for the workers.
IMPORT_INLINE_MAX_BYTES = int(env.get("IMPORT_INLINE_MAX_BYTES", str(512 * 1024)))
IMPORT_INLINE_MAX_FILES = int(env.get("IMPORT_INLINE_MAX_FILES", "100"))
# A batch is split into chunks of at most this many files and bytes: one task and one
# transaction each, so that several workers share a batch.
IMPORT_CHUNK_FILES = int(env.get("IMPORT_CHUNK_FILES", "200"))
IMPORT_CHUNK_BYTES = int(env.get("IMPORT_CHUNK_BYTES", str(2 * 1024 * 1024)))
# A worker holds its chunk for this long and renews the lease while it works; a chunk whose
# lease ran out (its worker died) is claimed again. Every worker looks for such chunks when
# it starts and then every IMPORT_REAP_SECONDS. A chunk whose worker died this many times is
# split into single files, and a single file that kills its worker so often is reported failed.
IMPORT_LEASE_SECONDS = int(env.get("IMPORT_LEASE_SECONDS", "60"))
IMPORT_REAP_SECONDS = int(env.get("IMPORT_REAP_SECONDS", "30"))
IMPORT_MAX_ATTEMPTS = int(env.get("IMPORT_MAX_ATTEMPTS", "3"))
# The batch page says no worker is running when no file was committed for this long.
IMPORT_STALLED_SECONDS = int(env.get("IMPORT_STALLED_SECONDS", "120"))
# Where queued uploads wait for a worker: "database" (default: every worker host reads them
# from the database, nothing else to share) or "storage" (STORAGES["imports"], e.g. object
# storage through django-storages; see README).
IMPORT_STAGING = env.get("IMPORT_STAGING", "database")
if IMPORT_STAGING not in ("database", "storage"):
    raise ImproperlyConfigured(f"IMPORT_STAGING must be 'database' or 'storage', not {IMPORT_STAGING!r}.")
IMPORT_STAGING_PART_BYTES = 4 * 1024 * 1024
# Languages the detector chooses between (ISO 639-1; each one costs detection time).
IMPORT_LANGUAGES = env_list(
    "IMPORT_LANGUAGES",
    "en,fr,de,es,it,pt,nl,sv,da,nb,fi,pl,cs,sk,hu,ro,hr,sr,sl,bg,ru,uk,el,tr,ar,fa,he,ur,"
    "zh,ja,ko,id,ca,eu,ga,lt,hi,ta,hy",
)

# The import turns each article into statements with the attribution engine's suggestions.
# The articles app receives the class by name, so it never imports the app built on it.
IMPORT_SUGGESTER = "attributions.suggesting.Suggester"

# Statements and attributions change only through the editors' actions: the admin's history
# pages show earlier versions but do not write them back.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Background work: Django's Tasks API (the django-tasks backport). "database" keeps the queue
# in our database: any number of `manage.py db_worker` processes, on any host that reaches
# it, share it (`make run` starts one beside the web server). "immediate" runs each task at
# once in the process that queued it.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env.get("TASKS_BACKEND", "database")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", True)
    SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy on every response, the admin's included: scripts and styles come
# only from our own static files (no inline code, no eval), nothing is framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("DJANGO_LOG_LEVEL", "WARNING")},
}
