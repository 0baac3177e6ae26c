"""Settings of the innovation portal, read from the environment.

With no environment set, the portal runs for development: SQLite and Celery's
embedded filesystem broker under ``var/``, e-mails written to files. In
production ``DATABASE_URL`` points at PostgreSQL and ``REDIS_URL`` at Redis.
Every variable is listed in ``.env.example``.
"""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, REPORT_SAMPLE, SELF

from innovation_portal.env import ConfigurationError, Env, read_or_create_secret

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

VAR_DIR = env.path("VAR_DIR", BASE_DIR / "var")
DEBUG = env.boolean("DEBUG", default=True)

SECRET_KEY = env.text("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigurationError("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = read_or_create_secret(VAR_DIR / "secret_key")
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ConfigurationError("SECRET_KEY must be at least 50 random characters when DEBUG is off.")

ALLOWED_HOSTS = env.strings("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS is required when DEBUG is off (comma-separated).")
CSRF_TRUSTED_ORIGINS = env.origins("CSRF_TRUSTED_ORIGINS")
# The address people use to reach the portal, for the links in e-mails.
PORTAL_URL = (env.url("PORTAL_URL", {"http", "https"}) or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # trigram and text search lookups of the similar-title suggestions (PostgreSQL only)
    "django_filters",
    "csp",
    "axes",
    "simple_history",
    "common",
    "accounts",
    "portfolio",
    "contests",
    "surveys",
    "reports",
    "audit",
    "catalogue",  # the network's catalogue of published projects and their replication (docs/essaimage.md)
    "network",  # a network's pages: its members and the aggregates over them (/reseau/)
    "ninja",  # the API's documentation pages and their static files (served by the portal, no CDN)
    "api",
    "innovation_portal",  # the project level: seed_demo, which seeds every app's demo data
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # before whitenoise: static files get the policy too
    # Before the session: /healthz must answer 503, not 500, when a cookie names a session the database can't read.
    "innovation_portal.middleware.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.sessions.SessionActivityMiddleware",
    "innovation_portal.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, whose check reads the body: refuses or cuts off the bodies over the limit of their address.
    "innovation_portal.middleware.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "innovation_portal.middleware.OrganisationScopeMiddleware",
    "network.middleware.AnimateurPagesMiddleware",  # a network's animateur reaches the network's pages only
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "innovation_portal.middleware.FriendlyMethodNotAllowedMiddleware",
]

# django-debug-toolbar (requirements-dev.txt), on a developer's machine only: with DEBUG and DEBUG_TOOLBAR=true,
# for requests from this machine. Never in production (DEBUG off) nor in the tests (test_settings.py).
DEBUG_TOOLBAR = DEBUG and env.boolean("DEBUG_TOOLBAR", False)
if DEBUG_TOOLBAR:
    if importlib.util.find_spec("debug_toolbar") is None:
        raise ConfigurationError("DEBUG_TOOLBAR=true needs django-debug-toolbar: make venv (requirements-dev.txt).")
    INSTALLED_APPS.append("debug_toolbar")
    # After whitenoise, which answers static files before the toolbar would look at them.
    after_static = MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    MIDDLEWARE.insert(after_static, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1", "::1"]

ROOT_URLCONF = "innovation_portal.urls"
WSGI_APPLICATION = "innovation_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "innovation_portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASE_URL = env.url("DATABASE_URL", {"postgres", "postgresql", "sqlite"})
if DATABASE_URL is None:
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write to the same file: wait for the lock
    # instead of failing, and take it at the start of each transaction.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.integer("DB_CONN_MAX_AGE", 60, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis serves as Celery's broker and as the shared cache when it is configured.
REDIS_URL = env.url("REDIS_URL", {"redis", "rediss"})
# Several portals sharing one Redis database (the tests' portals, side by side) each put their keys under a prefix.
REDIS_KEY_PREFIX = env.text("REDIS_KEY_PREFIX")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Accounts, passwords and sessions.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.validators.FrenchCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in through an OpenID Connect provider (ProConnect, Keycloak, LemonLDAP::NG, ADFS…), on when a client id
# is given: docs/sso.md. mozilla-django-oidc runs the code flow with PKCE, state and nonce; accounts.oidc checks
# the ID token's audience and issuer besides its signature and expiry.
OIDC_RP_CLIENT_ID = env.text("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env.text("OIDC_RP_CLIENT_SECRET")
OIDC_OP_ISSUER = env.text("OIDC_OP_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.text("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env.text("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env.text("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env.text("OIDC_OP_JWKS_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = env.text("OIDC_OP_LOGOUT_ENDPOINT")
OIDC_RP_SIGN_ALGO = env.choice("OIDC_RP_SIGN_ALGO", "RS256", {"RS256", "ES256", "PS256"})
OIDC_RP_SCOPES = env.text("OIDC_RP_SCOPES", "openid email given_name usual_name")
OIDC_PROVIDER_NAME = env.text("OIDC_PROVIDER_NAME", "ProConnect")
OIDC_CLAIM_FIRST_NAME = env.text("OIDC_CLAIM_FIRST_NAME", "given_name")
OIDC_CLAIM_LAST_NAME = env.text("OIDC_CLAIM_LAST_NAME", "usual_name")
OIDC_CLAIM_DIRECTION = env.text("OIDC_CLAIM_DIRECTION")
# In a network, the claim whose value is the collectivité's address (Organisation.slug).
OIDC_CLAIM_ORGANISATION = env.text("OIDC_CLAIM_ORGANISATION")
OIDC_CLAIM_ROLES = env.text("OIDC_CLAIM_ROLES")
OIDC_ROLES_MAP = dict(pair.split("=", 1) for pair in env.strings("OIDC_ROLES_MAP") if "=" in pair)
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # for the logout at the provider (id_token_hint)
OIDC_CREATE_USER = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "accounts:login"
LOGOUT_REDIRECT_URL_PATH = "/comptes/connexion/"
# Local accounts (user name and password) keep working unless switched off once everyone signs in via OIDC.
LOCAL_LOGIN_ENABLED = env.boolean("LOCAL_LOGIN_ENABLED", True)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.PortalOIDCBackend")
if not LOCAL_LOGIN_ENABLED:
    AUTHENTICATION_BACKENDS.remove("django.contrib.auth.backends.ModelBackend")
    AUTHENTICATION_BACKENDS.append("accounts.oidc.ReadOnlyModelBackend")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env.integer("SESSION_IDLE_MINUTES", 60, minimum=1) * 60
# The age above counts from the last request, give or take the refresh below: the session is saved (its expiry
# pushed back) at most once a SESSION_ACTIVITY_REFRESH, not on every request (SessionActivityMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ACTIVITY_REFRESH = min(60, SESSION_COOKIE_AGE // 10)  # seconds
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AXES_FAILURE_LIMIT = env.integer("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_VERBOSE = False
# Reverse proxies in front of the portal, each appending the address it received the request from to
# X-Forwarded-For: the lockout counts failures by the client's address, not the proxy's (accounts/addresses.py).
TRUSTED_PROXY_COUNT = env.integer("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
# An account locked from at least this many addresses within LOCKOUT_REVIEW_DAYS is flagged to the DGS.
LOCKOUT_ALERT_ADDRESSES = 3
LOCKOUT_REVIEW_DAYS = 30

# Languages: French first, English available.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]  # each language named in itself, in the switcher
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers are written by Django's localisation (formats.date_format, number_format, the date
# filter with format names); French keeps a narrow no-break space between thousands (formats/fr/).
FORMAT_MODULE_PATH = ["innovation_portal.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Files.
STATIC_URL = "/static/"
# Only our static/ folder is published: the pages' plotly.js is a bundle of the few trace types the
# portal draws, built from a pinned npm package (frontend/README.md); the plotly Python package's
# own copy is left to kaleido, which draws the PDFs' charts.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT: Path | None = env.path("STATIC_ROOT", VAR_DIR / "static")
MEDIA_ROOT = env.path("MEDIA_ROOT", VAR_DIR / "media")
MEDIA_URL = "/media/"  # never served directly: downloads go through permission-checked views
# In production, collectstatic gives each file a name with its content's hash and writes gzip and
# brotli copies; whitenoise serves them compressed and cacheable for good (immutable, a year).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploads. The limit of each kind of file (common/uploads.py); the body of a request that carries one may weigh
# that much plus UPLOAD_FORM_FIELDS_BYTES for the form's other fields. Any other request (and any request of an
# anonymous visitor) may not exceed DATA_UPLOAD_MAX_MEMORY_SIZE. A body announced heavier is refused (413) before
# it is read; a file that runs past its limit is cut off (innovation_portal.middleware.UploadLimitMiddleware).
ATTACHMENT_MAX_BYTES = env.integer("ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
SURVEY_IMPORT_MAX_BYTES = env.integer("SURVEY_IMPORT_MAX_MB", 10, minimum=1) * 1024 * 1024
UPLOAD_FORM_FIELDS_BYTES = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Reports: Debian's chromium draws the charts of the PDFs (kaleido). The worker rendering a report holds
# it by a lease of REPORT_LEASE_SECONDS that it renews every third of that: a report whose lease has run
# out lost its worker and is taken over; one started REPORT_MAX_ATTEMPTS times fails instead.
BROWSER_PATH = env.text("BROWSER_PATH", "/usr/bin/chromium")
REPORT_SOFT_TIME_LIMIT = 300
REPORT_TIME_LIMIT = 360
REPORT_LEASE_SECONDS = env.integer("REPORT_LEASE_SECONDS", 30, minimum=3)
REPORT_MAX_ATTEMPTS = 3
STALLED_AFTER_DAYS = env.integer("STALLED_AFTER_DAYS", 180, minimum=1)
# Calls to the read API per person and per minute (/api/); over it, 429.
API_RATE_PER_MINUTE = env.integer("API_RATE_PER_MINUTE", 600, minimum=1)
# An indicator of a project in progress without a measurement for longer is on its lead's list "à mesurer".
MEASUREMENT_DUE_DAYS = env.integer("MEASUREMENT_DUE_DAYS", 90, minimum=1)

# Flood limits of the innovation contest.
IDEAS_PER_HOUR = env.integer("IDEAS_PER_HOUR", 5, minimum=1)
COMMENTS_PER_10_MINUTES = env.integer("COMMENTS_PER_10_MINUTES", 10, minimum=1)

# E-mail: SMTP when EMAIL_HOST is set, otherwise files under var/mail.
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", "Portail innovation <innovation@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people report an accessibility defect or ask for an accessible alternative (the accessibility
# statement, /accessibilite/): by default the address the portal's e-mails come from.
ACCESSIBILITY_CONTACT = env.text("ACCESSIBILITY_CONTACT", parseaddr(DEFAULT_FROM_EMAIL)[1])
EMAIL_HOST = env.text("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.integer("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env.text("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env.text("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env.boolean("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ConfigurationError("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# E-mails leave through the outbox (accounts.outbox): a worker sends them, never a web request.
# An SMTP server that does not answer is given up after EMAIL_TIMEOUT seconds; a failed
# message is tried again after EMAIL_RETRY_DELAY, 2 x, 4 x… that delay, EMAIL_MAX_ATTEMPTS times in all.
EMAIL_TIMEOUT = env.integer("EMAIL_TIMEOUT", 10, minimum=1)
EMAIL_MAX_ATTEMPTS = env.integer("EMAIL_MAX_ATTEMPTS", 5, minimum=1)
EMAIL_RETRY_DELAY = env.integer("EMAIL_RETRY_DELAY", 60, minimum=1)

# Security headers; HTTPS-only cookies, redirect and HSTS in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy on every response (django-csp 4: docs/securite.md). Scripts and styles come
# from the portal's own files only: no inline script, style element or style attribute, no eval; the
# charts' data is in <script type="application/json">, and plotly.js's rules in static/css/plotly.css.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, REPORT_SAMPLE],
        "style-src": [SELF, REPORT_SAMPLE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": "/csp-rapport/",
    },
}
if OIDC_ENABLED and OIDC_OP_LOGOUT_ENDPOINT:
    # Signing out posts to the portal, which sends the browser on to the provider to end its session too.
    _logout = urlsplit(OIDC_OP_LOGOUT_ENDPOINT)
    _form_action = [*CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"], f"{_logout.scheme}://{_logout.netloc}"]
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = _form_action
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probed over plain HTTP inside the stack
    SESSION_COOKIE_SECURE = env.boolean("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", False)
    if env.boolean("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list binds the whole domain of the
        # collectivité: its DNS owners decide it (SECURE_HSTS_PRELOAD=true).
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport.
CELERY_BROKER_VISIBILITY_TIMEOUT = 3600
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
        "global_keyprefix": REDIS_KEY_PREFIX,
    }
else:
    BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    # The filesystem transport has no broadcast: no remote control, gossip or mingle.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_IGNORE_RESULT = True  # tasks record their outcome in our own tables
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# When a pool process dies mid-task, the worker waits this long for a result it might still have sent before
# putting the message back in the queue (Celery's default is 10 s): our tasks are idempotent and keep their
# results in our tables, so a killed report is delivered again, and taken over, at once.
CELERY_WORKER_LOST_WAIT = 1
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    "quarterly-report": {  # the report of the quarter just ended, on the first day of each quarter
        "task": "reports.tasks.schedule_quarterly_report",
        "schedule": crontab(month_of_year="1,4,7,10", day_of_month=1, hour=6, minute=0),
    },
    "requeue-stuck-reports": {  # reports whose worker died with the whole machine, or left pending
        "task": "reports.tasks.requeue_stuck_reports",
        "schedule": crontab(minute="*"),
    },
    "check-survey-tallies": {  # the results' kept counts against a recount of the answers
        "task": "surveys.tasks.check_survey_tallies",
        "schedule": crontab(hour=3, minute=41),
    },
    "check-edition-tallies": {  # the national editions' kept counts against a recount; repaired when they differ
        "task": "surveys.tasks.check_edition_tallies",
        "schedule": crontab(hour=4, minute=11),
    },
    "requeue-lost-emails": {  # messages whose task was lost (broker down, worker killed)
        "task": "accounts.tasks.requeue_lost_emails",
        "schedule": crontab(minute="*/5"),
    },
    "daily-digest": {
        "task": "accounts.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=30),
    },
    "stalled-digest": {  # each lead's projects without a move, once a week (idempotent within the week)
        "task": "portfolio.tasks.send_stalled_digests",
        "schedule": crontab(day_of_week="mon", hour=7, minute=15),
    },
    "warm-dashboards": {  # the default dashboard computed ahead after a change of the data
        "task": "reports.tasks.warm_dashboards",
        "schedule": crontab(minute="*/10"),
    },
}

LOG_LEVEL = env.choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        **{
            name: {"level": "WARNING"}
            for name in ("axes", "weasyprint", "fontTools", "choreographer", "kaleido", "logistro", "PIL")
        },
        # 403 and 404 answers are expected (strangers get 404): only server errors are logged, with their trace.
        "django.request": {"level": "ERROR"},
    },
}
