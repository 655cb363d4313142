"""Settings for the source-attribution app: one file, driven by the environment.

Development: ``DJANGO_DEBUG=1`` (the Makefile sets it for ``make run``) gives a
fixed, insecure secret key and an SQLite file next to ``manage.py``.
Production: DEBUG stays off, ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``
must be set, and ``DATABASE_URL`` points at PostgreSQL. See README.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
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
# Whole-table figures (home totals, directory counts) are counted again in a background thread
# while pages show the last count (attributions.figures); off, within the request (tests).
FIGURES_IN_BACKGROUND = env_bool("DJANGO_FIGURES_IN_BACKGROUND", True)
# Anonymous readers' pages are kept whole in the shared cache for at most this long (and only
# until the next write); 0 turns it off. See project/pagecache.py.
READER_PAGE_CACHE_SECONDS = int(env.get("DJANGO_READER_PAGE_CACHE_SECONDS", "300"))
# The site's public address, for links written outside a request (exported Web Annotations).
SITE_URL = env.get("DJANGO_SITE_URL", "http://localhost:8000")

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
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # articles comes before django_tasks_db: its db_worker command (the same worker, plus the
    # import's lease reaper) overrides the one django_tasks_db ships.
    "articles",
    "attributions",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First, so that its Server-Timing header covers everything else.
    *(["project.timing.ServerTimingMiddleware"] if env_bool("DJANGO_SERVER_TIMING", True) else []),
    "django.middleware.security.SecurityMiddleware",
    # Early, so that every answer carries them: static files and the lockout page below,
    # which answer before the rest of the stack runs, included.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A locked-out client's login requests are answered here, before anything else runs.
    "project.middleware.LoginGuardMiddleware",
    # Anonymous readers' pages from the shared cache, as of the last write (project/pagecache.py).
    "project.pagecache.ReaderPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETags on every GET answer: a client asking again with If-None-Match gets 304.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it answers a locked-out login with 429 (django-axes).
    "axes.middleware.AxesMiddleware",
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

# Each server thread keeps its database connection for a minute (checked before reuse): a new
# PostgreSQL connection costs a few milliseconds to open and its backend plans its first
# queries with empty catalog caches, often more than the page's own queries take.
DATABASES = {
    "default": dj_database_url.parse(
        env.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env.get("DATABASE_CONN_MAX_AGE", "60")),
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
    # DJANGO_TEST_DB names another file, so two test runs in one checkout keep apart.
    DATABASES["default"]["TEST"] = {"NAME": env.get("DJANGO_TEST_DB") or str(BASE_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's PBKDF2 (same algorithm, iterations and stored hashes) computed at a lower CPU
# priority, so that a storm of failing logins takes no CPU a reader's page needs (see
# project/hashers.py); the others verify passwords stored by other hashers.
PASSWORD_HASHERS = [
    "project.hashers.LowPriorityPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins, a username from an
# address, and an address whatever the username, are locked out for AXES_COOLOFF_TIME; the
# login pages (ours and the admin's) then answer 429 without checking passwords, so a storm
# of guesses costs no password hashing. `manage.py axes_reset` unlocks everything;
# `axes_reset_username NAME` and `axes_reset_ip ADDRESS` one lockout.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(env.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A locked-out client's further guesses do not extend the pause (and cost no write each).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy the client's address is in a header the proxy sets: name it (e.g.
# "HTTP_X_FORWARDED_FOR") and how many proxies stand in front, or every client shares the
# proxy's address and one attacker locks everybody out.
AXES_IPWARE_META_PRECEDENCE_ORDER = tuple(env_list("AXES_CLIENT_IP_HEADER", "REMOTE_ADDR"))
if env.get("AXES_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(env["AXES_PROXY_COUNT"])
# Refused logins are held a second before the answer goes out, by at most half of a worker's
# threads (project/middleware.py); GUNICORN_THREADS is what gunicorn.conf.py reads too.
LOGIN_GUARD_HOLD_AT_ONCE = max(1, int(env.get("GUNICORN_THREADS", "8")) // 2)

# One cache every process shares, so counts cached by one worker are dropped by an import or
# an edit in any other: the database by default (`manage.py createcachetable`), Redis when
# REDIS_URL is set (e.g. redis://127.0.0.1:6379/1).
if env.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env["REDIS_URL"]}
    }
else:
    # The database cache's default of 300 entries is far too few: kept reader pages, site
    # figures and the API throttle's counters share it, so with a few hundred pages in use it
    # culls a third of everything on every write (the figures included, which then cost a
    # whole recount). Expired entries are dropped whenever the table is over the limit.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_table",
            "OPTIONS": {"MAX_ENTRIES": int(env.get("CACHE_MAX_ENTRIES", "20000"))},
        }
    }

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
# `import_articles --replace` corrects an article's text through the editors' action, named
# here for the same reason: called with article, text, by and suggester, it returns the
# action's report and raises ValueError with a message when it refuses.
ARTICLE_TEXT_REPLACER = "attributions.actions.replace_article_text"

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

# The read-only JSON API (/api/, docs at /api/docs/): anonymous clients are throttled (per
# address, counted in the shared cache), pages are cursors.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "attributions.api_paging.NewestFirst",
    # JSON only: people browse the API through its docs page (Swagger UI, served locally).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["attributions.api_paging.AnonymousClients"],
}
API_ANON_RATE = env.get("API_ANON_RATE", "120/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Attribution desk API",
    "DESCRIPTION": "Who is claimed to have said what: sources, articles, statements, cross-references.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

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
