"""Claimbook settings, read from the environment.

Development needs nothing set: DEBUG is on and SQLite lives in the project folder.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL, and refuses to
start without a real secret.
"""
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
# Run from a checkout, templates/ and static/ stand beside kb/ and data (db.sqlite3, sources/,
# fixtures/) lives there too. Installed with `pip install .`, the app carries its templates and
# static files inside itself (kb/templates, kb/static: see setup.py) and keeps data in the
# folder it is run from.
CHECKOUT = (BASE_DIR / "manage.py").is_file() and (BASE_DIR / "templates").is_dir()
TEMPLATES_DIR = BASE_DIR / "templates" if CHECKOUT else PACKAGE_DIR / "templates"
DATA_DIR = BASE_DIR if CHECKOUT else Path.cwd()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "django-insecure-development-only-never-used-when-debug-is-off"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET
elif not DEBUG and (
    SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "kb.views.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "taggit",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    # django-ninja: listed so that /api/docs/ renders with the Swagger UI files it ships (static/ninja/), never a CDN.
    "ninja",
    "kb",
]

MIDDLEWARE = [
    "kb.logs.RequestLogMiddleware",
    "kb.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kb.middleware.RefuseNulMiddleware",
    # Anonymous pages from the cache, before the session and the database are touched (kb/page_cache.py):
    # as early as is safe (after the HTTPS redirect, static files and the NUL check), so a hit passes
    # through as little as possible; it carries its own ETag and answers its own 304s.
    "kb.page_cache.PageCacheMiddleware",
    # ETag from the content for what the page cache does not answer (signed-in users' pages), 304 when it matches.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kb.db_router.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if not DEBUG:
    # Static files served by the app processes themselves, compressed and cache-busted.
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                      "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "kb.urls"
WSGI_APPLICATION = "kb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [TEMPLATES_DIR],
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database that vanishes (a failover, a cut network) must not hold a web worker until
    # gunicorn kills it: connecting gives up after DATABASE_CONNECT_TIMEOUT seconds, TCP
    # keepalives notice a peer that is gone, and DATABASE_STATEMENT_TIMEOUT (milliseconds; the
    # gunicorn config sets it below its own timeout for web workers) cancels a stuck statement,
    # which the 503 page then explains. Options given in DATABASE_URL's query string win.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    for _key, _value in {"connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT") or 5),
                         "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
                         "keepalives_count": 3}.items():
        _pg_options.setdefault(_key, _value)
    _statement_timeout = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT") or 0)
    if _statement_timeout > 0:
        _pg_options["options"] = f"{_pg_options.get('options', '')} -c statement_timeout={_statement_timeout}".strip()
else:
    # SQLite: wait for a writer rather than failing at once, and let readers run beside it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    # The claim list's index carries the filtered columns with INCLUDE on PostgreSQL only
    # (docs/performance.md); SQLite builds it without them, which is what we want there.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed logins are counted per username and address in the database, so every app process sees them.
AUTHENTICATION_BACKENDS = ["kb.auth.RateLimitedModelBackend"]
CLAIMBOOK_LOGIN_MAX_FAILURES = int(os.environ.get("CLAIMBOOK_LOGIN_MAX_FAILURES", 5))
CLAIMBOOK_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("CLAIMBOOK_LOGIN_LOCKOUT_SECONDS", 15 * 60))
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# History is a record, not an editor: no "revert to this version" form in the admin (it would
# overwrite whatever was saved since, past the stale-edit checks and the services' rules).
SIMPLE_HISTORY_REVERT_DISABLED = True
# Mail only when EMAIL_HOST is set; password reset is offered only then (kb/views/accounts.py).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "claimbook@localhost")
if not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Installed, kb/static is found as the app's own static folder; a checkout names its top-level one.
STATICFILES_DIRS = [BASE_DIR / "static"] if CHECKOUT else []
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Exports made as files by the job workers (kb/services/export_jobs.py). With several
    # machines, point this at storage they all share (a network folder, or django-storages).
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("CLAIMBOOK_EXPORT_DIR", str(DATA_DIR / "exports"))},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

TAGGIT_CASE_INSENSITIVE = True

# Imports: the largest document accepted, checked before a file is read into memory.
CLAIMBOOK_MAX_IMPORT_BYTES = int(os.environ.get("CLAIMBOOK_MAX_IMPORT_BYTES", 10 * 1024 * 1024))
# PDFs: at most this many pages (reading takes about 0.1 s a page). PDFs and Word files: at
# most this many bytes inflated from their compressed parts (a compression bomb is refused
# before anything is read).
CLAIMBOOK_MAX_PDF_PAGES = int(os.environ.get("CLAIMBOOK_MAX_PDF_PAGES", 600))
CLAIMBOOK_MAX_INFLATED_BYTES = int(os.environ.get("CLAIMBOOK_MAX_INFLATED_BYTES", 200 * 1024 * 1024))
# Web pages fetched to import them (kb.importing.fetch), by the job worker or the command:
# hosts or networks that may be local or private (none: e.g. "intranet.example.org" or
# "10.1.0.0/16"), the most bytes read, the most seconds spent, the User-Agent sent, and
# whether robots.txt is honoured.
CLAIMBOOK_FETCH_ALLOWED_HOSTS = env_list("CLAIMBOOK_FETCH_ALLOWED_HOSTS")
CLAIMBOOK_FETCH_MAX_BYTES = int(os.environ.get("CLAIMBOOK_FETCH_MAX_BYTES", 10 * 1024 * 1024))
CLAIMBOOK_FETCH_TIMEOUT = float(os.environ.get("CLAIMBOOK_FETCH_TIMEOUT", 20))
CLAIMBOOK_FETCH_USER_AGENT = os.environ.get(
    "CLAIMBOOK_FETCH_USER_AGENT", "Claimbook/0.1 (knowledge-base import of one page, started by an editor)")
CLAIMBOOK_FETCH_ROBOTS = env_bool("CLAIMBOOK_FETCH_ROBOTS", True)
# The import page's preview of a PDF reads this many pages (the import job reads them all).
CLAIMBOOK_PREVIEW_PDF_PAGES = int(os.environ.get("CLAIMBOOK_PREVIEW_PDF_PAGES", 40))
# Texts longer than this are imported without mining candidate claims on the spot (that takes
# minutes for megabytes); `manage.py propose_candidates SLUG` mines them afterwards.
CLAIMBOOK_INLINE_CANDIDATE_CHARS = int(os.environ.get("CLAIMBOOK_INLINE_CANDIDATE_CHARS", 300_000))
CLAIMBOOK_SOURCES_DIR = Path(os.environ.get("CLAIMBOOK_SOURCES_DIR", DATA_DIR / "sources"))
CLAIMBOOK_FIXTURES_DIR = Path(os.environ.get("CLAIMBOOK_FIXTURES_DIR", DATA_DIR / "fixtures"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# A cache shared by every process (the API's rate limits count there): Redis when REDIS_URL is
# set (redis://127.0.0.1:6379/0), else each process's own memory (fine for one process).
# The `pages` cache holds whole anonymous pages (kb/page_cache.py): with Redis every process
# shares them; in memory each process keeps its own (correct either way: pages are keyed by
# the generation every process reads from the database).
REDIS_URL = os.environ.get("REDIS_URL", "")
CLAIMBOOK_PAGE_CACHE = env_bool("CLAIMBOOK_PAGE_CACHE", True)
CLAIMBOOK_PAGE_CACHE_SECONDS = int(os.environ.get("CLAIMBOOK_PAGE_CACHE_SECONDS", 600))
# Exports (kb/exports.py): anonymous visitors get at most this many claims a download.
CLAIMBOOK_ANONYMOUS_EXPORT_CLAIMS = int(os.environ.get("CLAIMBOOK_ANONYMOUS_EXPORT_CLAIMS", 10_000))
CLAIMBOOK_PAGE_CACHE_MAX_BYTES = int(os.environ.get("CLAIMBOOK_PAGE_CACHE_MAX_BYTES", 1024 * 1024))
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                  "KEY_PREFIX": "claimbook-pages", "TIMEOUT": CLAIMBOOK_PAGE_CACHE_SECONDS},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "claimbook"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "claimbook-pages",
                  "TIMEOUT": CLAIMBOOK_PAGE_CACHE_SECONDS, "OPTIONS": {"MAX_ENTRIES": 300}},
    }

# The API: requests a minute per address (every request) and per personal token.
CLAIMBOOK_API_RATE_PER_ADDRESS = int(os.environ.get("CLAIMBOOK_API_RATE_PER_ADDRESS", 600))
CLAIMBOOK_API_RATE_PER_TOKEN = int(os.environ.get("CLAIMBOOK_API_RATE_PER_TOKEN", 300))
# Largest JSON body the API reads (an annotation of 20,000 characters fits many times over).
CLAIMBOOK_API_MAX_BODY_BYTES = int(os.environ.get("CLAIMBOOK_API_MAX_BODY_BYTES", 256 * 1024))

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# ---- TLS and HSTS (issue 14; every value documented in docs/deploy.md) ---------------------
# Production (DEBUG off) assumes HTTPS: plain-HTTP requests are redirected (except /healthz,
# for load balancers that probe over HTTP) and cookies are sent over HTTPS only. HSTS is on
# for a year; whether it covers subdomains and asks for browser preloading are the operator's
# decisions (hard to undo), so both are off unless set.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        # The proxy terminates TLS and says so in X-Forwarded-Proto (it must overwrite the
        # header a client sends).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


# ---- background jobs (issue 14) ------------------------------------------------------------
# Jobs (an import's copy check, re-anchoring and candidate mining, batch imports,
# propose_candidates) run on django-tasks with its database backend: the queue is a table in
# the database we already have, read by `manage.py jobs_worker` processes (SELECT ... FOR
# UPDATE SKIP LOCKED on PostgreSQL). CLAIMBOOK_TASKS_BACKEND=immediate runs each job inside
# the process that enqueues it, once its transaction commits (tests; a one-process setup).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("CLAIMBOOK_TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"CLAIMBOOK_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}
# A running job touches its heartbeat this often; one silent for CLAIMBOOK_JOB_LEASE_SECONDS
# is taken as dead (its worker was killed) and handed to another worker.
CLAIMBOOK_JOB_HEARTBEAT_SECONDS = float(os.environ.get("CLAIMBOOK_JOB_HEARTBEAT_SECONDS", 10))
CLAIMBOOK_JOB_LEASE_SECONDS = float(os.environ.get("CLAIMBOOK_JOB_LEASE_SECONDS", 120))
CLAIMBOOK_JOB_ATTEMPTS = int(os.environ.get("CLAIMBOOK_JOB_ATTEMPTS", 3))
# Exports made as files: how many one user may have waiting at once, and how long a finished
# file is kept before the workers' housekeeping deletes it.
CLAIMBOOK_EXPORT_JOBS_PER_USER = int(os.environ.get("CLAIMBOOK_EXPORT_JOBS_PER_USER", 3))
CLAIMBOOK_EXPORT_TTL_HOURS = int(os.environ.get("CLAIMBOOK_EXPORT_TTL_HOURS", 72))
# Batch uploads (many files, or a zip of them) on the import page.
CLAIMBOOK_MAX_BATCH_BYTES = int(os.environ.get("CLAIMBOOK_MAX_BATCH_BYTES", 20 * 1024 * 1024))
CLAIMBOOK_MAX_BATCH_FILES = int(os.environ.get("CLAIMBOOK_MAX_BATCH_FILES", 200))
# The import preview mines candidate claims from at most this many characters of the text;
# the whole text is mined by the job after the admin confirms.
CLAIMBOOK_PREVIEW_CHARS = int(os.environ.get("CLAIMBOOK_PREVIEW_CHARS", 20_000))

# ---- health (issue 14) ---------------------------------------------------------------------
# /healthz checks these database aliases (empty: every alias in DATABASES), the default cache
# and the job queue.
CLAIMBOOK_HEALTH_DATABASES = env_list("CLAIMBOOK_HEALTH_DATABASES")

# ---- read replicas (issue 14) --------------------------------------------------------------
# DATABASE_REPLICA_URL adds a `replica` alias: anonymous page views read from it, writes and
# signed-in users' reads use the primary (kb.db_router). In tests it mirrors the default
# database (TEST MIRROR), so the router is exercised against the same server.
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    for _key in ("CONN_HEALTH_CHECKS", "OPTIONS"):
        if _key in DATABASES["default"] and DATABASES["replica"]["ENGINE"] == DATABASES["default"]["ENGINE"]:
            DATABASES["replica"][_key] = DATABASES["default"][_key]
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["kb.db_router.ReplicaRouter"]
CLAIMBOOK_REPLICA_READS = env_bool("CLAIMBOOK_REPLICA_READS", True)

# ---- client addresses behind proxies (issue 14) --------------------------------------------
# Addresses or networks of the reverse proxies / load balancers in front of the app
# (comma-separated, e.g. "127.0.0.1,10.0.0.0/24"). Only when a request comes from one of them
# is X-Forwarded-For believed, read from the right (kb.auth.client_ip): the login limit then
# counts failures per real client, not per proxy.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# ---- logs (issue 14) -----------------------------------------------------------------------
# Standard output only (the process manager keeps it): a line per request (kb.requests) and
# per job (kb.jobs) with request id, user and duration; LOG_FORMAT=json for one JSON object a
# line. Nothing secret is ever written (kb/logs.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
from kb.logs import logging_config  # noqa: E402  (standard library only)

LOGGING = logging_config(
    fmt=LOG_FORMAT, level=os.environ.get("LOG_LEVEL") or ("WARNING" if DEBUG else "INFO"),
)
