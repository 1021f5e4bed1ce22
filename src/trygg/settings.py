"""Django settings for Trygg. Every value that differs between machines comes from the
environment (see docs/operations.md for the full list) and is parsed strictly by trygg.env."""

from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from trygg import env

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env.string("TRYGG_VAR_DIR", str(PROJECT_DIR / "var")))

ENVIRONMENT = env.choice("TRYGG_ENV", "development", {"development", "production", "test"})
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env.boolean("TRYGG_DEBUG", default=ENVIRONMENT == "development")

if PRODUCTION:
    SECRET_KEY = env.string("TRYGG_SECRET_KEY")
else:
    SECRET_KEY = env.string("TRYGG_SECRET_KEY", "development-only-not-secret-" + "x" * 32)

ALLOWED_HOSTS = env.string_list(
    "TRYGG_ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.string_list("TRYGG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves /api/docs with its own Swagger UI assets, from static (no CDN)
    "axes",
    "django_otp",  # two-factor authentication (TOTP and recovery codes), see core.twofactor
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "trygg.core",
    "trygg.plans",
    "trygg.forums",
    "trygg.budget",
    "trygg.incidents",
    "trygg.stats",
    "trygg.situation",
    "trygg.cases",
    "trygg.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the application server itself (no separate proxy rule needed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Control characters are taken out of form input before any view sees it.
    "trygg.core.middleware.CleanInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The person's chosen language, never the browser's: see core/middleware.py.
    "trygg.core.middleware.UserLanguageMiddleware",
    "trygg.core.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Pages and exports of a logged-in person stay out of caches (core/middleware.py).
    "trygg.core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "trygg.urls"
WSGI_APPLICATION = "trygg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trygg.core.context_processors.navigation",
            ],
            "builtins": ["trygg.core.templatetags.trygg"],
        },
    }
]
# Django's form templates, with the select widget (hundreds of options) written in Python.
FORM_RENDERER = "trygg.core.renderers.Renderer"

DATABASES = {"default": env.database("TRYGG_DATABASE_URL", VAR_DIR / "trygg.sqlite3")}
if ENVIRONMENT == "test" and env.string("TRYGG_TEST_SQLITE_FILE", ""):
    # The test database in a file instead of memory, for the tests of concurrent work
    # (WAL, one writer at a time), which an in-memory database cannot show.
    DATABASES["default"]["TEST"] = {"NAME": env.string("TRYGG_TEST_SQLITE_FILE", "")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The lägesbild keeps its aggregates here under a version of each organisation's counts
# (situation.rollup.version). The cache must be shared by all workers of the server: files
# in VAR_DIR on one machine; set TRYGG_CACHE_DIR elsewhere, or configure Redis for several.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if ENVIRONMENT == "test"
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env.string("TRYGG_CACHE_DIR", str(VAR_DIR / "cache")),
            "TIMEOUT": 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    )
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "trygg.core.oidc.TryggOIDCBackend",  # acts only when single sign-on is configured
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    # Argon2 is deliberately slow; the test suite logs in thousands of times. Production and
    # development keep argon2 (checked by core/tests/test_settings.py).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "trygg.core.passwords.RepeatedCharacterValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out (django-axes): five failed logins for one user name, from any address, lock the
# name for an hour; fifty from one address, for any names, lock the address (see
# core/lockout.py). A lock-out says so in Swedish rather than a bare 403.
AXES_FAILURE_LIMIT = env.integer("TRYGG_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.integer(
    "TRYGG_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 50, minimum=1
)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "trygg.core.lockout.UserNameLockoutHandler"
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Municipal single sign-on, OpenID Connect (mozilla-django-oidc; core.oidc). Off unless the
# deployment sets a client id; then every endpoint and the secret must be set too.
OIDC_RP_CLIENT_ID = env.string("TRYGG_OIDC_CLIENT_ID", "")
TRYGG_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
_oidc_required = None if TRYGG_OIDC_ENABLED else ""
OIDC_RP_CLIENT_SECRET = env.string("TRYGG_OIDC_CLIENT_SECRET", _oidc_required)
OIDC_OP_AUTHORIZATION_ENDPOINT = env.string("TRYGG_OIDC_AUTHORIZATION_ENDPOINT", _oidc_required)
OIDC_OP_TOKEN_ENDPOINT = env.string("TRYGG_OIDC_TOKEN_ENDPOINT", _oidc_required)
OIDC_OP_USER_ENDPOINT = env.string("TRYGG_OIDC_USERINFO_ENDPOINT", _oidc_required)
OIDC_OP_JWKS_ENDPOINT = env.string("TRYGG_OIDC_JWKS_ENDPOINT", _oidc_required)
TRYGG_OIDC_ISSUER = env.string("TRYGG_OIDC_ISSUER", "")
TRYGG_OIDC_END_SESSION_ENDPOINT = env.string("TRYGG_OIDC_END_SESSION_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env.choice(
    "TRYGG_OIDC_SIGN_ALGO", "RS256", {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}
)
OIDC_RP_SCOPES = env.string("TRYGG_OIDC_SCOPES", "openid email profile")
# ID token values that count as multi-factor: then Trygg does not ask for its own code.
TRYGG_OIDC_MFA_AMR = env.string_list("TRYGG_OIDC_MFA_AMR", ["mfa", "otp", "hwk", "swk", "sc"])
TRYGG_OIDC_MFA_ACR = env.string_list("TRYGG_OIDC_MFA_ACR", [])
TRYGG_OIDC_LOGIN_LABEL = env.string("TRYGG_OIDC_LOGIN_LABEL", "")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for logging out of the provider too
OIDC_CREATE_USER = False  # core.oidc matches members and invitations; it never invents users
OIDC_AUTHENTICATION_CALLBACK_URL = "core:sso_callback"
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "login"

# Two-factor authentication (django-otp): the name an authenticator app shows, and the
# growing wait after a wrong code (1 s, 2 s, 4 s …).
OTP_TOTP_ISSUER = env.string("TRYGG_TOTP_ISSUER", "Trygg")
# Besides administratörer: rules (user) -> bool that make two-factor compulsory; a module
# not built yet is skipped. The youth-cases module requires it for the roles that read cases.
TWO_FACTOR_REQUIRED_BY = ["trygg.cases.access.user_needs_two_factor"]
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["trygg.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.string("TRYGG_STATIC_ROOT", str(VAR_DIR / "static")))
# WhiteNoise serves STATIC_ROOT (filled by collectstatic, `make serve` does it) with
# compression; until collectstatic has run (development, tests) it finds files in the apps.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# The public reference data (kommun codes and boundaries, police events, statistics).
REFERENCE_DATA_DIR = Path(
    env.string("TRYGG_REFERENCE_DATA", str(PROJECT_DIR.parent / "shared" / "data"))
)

# Uploads larger than this are refused before they are parsed (see core.uploads).
MAX_UPLOAD_BYTES = env.integer("TRYGG_MAX_UPLOAD_MB", 20, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Exports one person may start per minute (CSV and XLSX downloads of lists).
EXPORTS_PER_MINUTE = env.integer("TRYGG_EXPORTS_PER_MINUTE", 20, minimum=0)
# An XLSX export of more rows than this is built in the background (the db worker) and
# fetched from a page that shows its progress; smaller ones are downloaded at once.
XLSX_INLINE_ROWS = env.integer("TRYGG_XLSX_INLINE_ROWS", 2000, minimum=1)
# The API description (/api/docs, /api/openapi.json) needs a login unless this is on.
API_DOCS_PUBLIC = env.boolean("TRYGG_API_DOCS_PUBLIC", False)

# Counts below this are shown as "<N" to anyone without detail access (small-count suppression).
SMALL_COUNT_THRESHOLD = env.integer("TRYGG_SMALL_COUNT_THRESHOLD", 5, minimum=1)
# Base map tiles are off by default: the areas and points draw without them, offline too.
# With tiles, their attribution (plain text, e.g. "© OpenStreetMap contributors") is shown.
MAP_TILE_URL = env.string("TRYGG_MAP_TILES_URL", "")
MAP_TILE_ATTRIBUTION = env.string("TRYGG_MAP_TILES_ATTRIBUTION", "")
# The police's public events feed, fetched periodically by incidents.tasks.
POLICE_FEED_URL = env.string("TRYGG_POLICE_FEED_URL", "https://polisen.se/api/events")
# Change and access logs are kept at least five years (product requirement).
AUDIT_RETENTION_DAYS = env.integer("TRYGG_AUDIT_RETENTION_DAYS", 5 * 366, minimum=5 * 365)
# Gallring per information type, in days; 0 keeps it for good (core.retention,
# `python -m trygg apply_retention`). The kommun's dokumenthanteringsplan decides.
RETENTION_DAYS = {
    "incident_reports": env.integer("TRYGG_RETENTION_INCIDENT_REPORTS_DAYS", 5 * 366, minimum=0),
    "police_events": env.integer("TRYGG_RETENTION_POLICE_EVENTS_DAYS", 5 * 366, minimum=0),
    "meeting_attachments": env.integer(
        "TRYGG_RETENTION_MEETING_ATTACHMENTS_DAYS", 10 * 366, minimum=0
    ),
    "imports": env.integer("TRYGG_RETENTION_IMPORTS_DAYS", 366, minimum=0),
    "import_files": env.integer("TRYGG_RETENTION_IMPORT_FILES_DAYS", 30, minimum=0),
    "inactive_accounts": env.integer("TRYGG_RETENTION_INACTIVE_ACCOUNTS_DAYS", 2 * 366, minimum=0),
    # A large export built in the background can be downloaded this long, then it is deleted.
    "export_files": env.integer("TRYGG_RETENTION_EXPORT_FILES_DAYS", 7, minimum=1),
}

# Youth cases (SSPF/SIG). The key encrypts personnummer at rest and keys their lookup hash;
# production refuses to start without it (TRYGG_CASES_KEY or TRYGG_CASES_KEY_FILE).
if PRODUCTION:
    CASES_KEY = env.string("TRYGG_CASES_KEY")
else:
    CASES_KEY = env.string("TRYGG_CASES_KEY", "development-only-cases-key-not-secret")
if len(CASES_KEY) < 32 and PRODUCTION:
    raise env.ConfigError("TRYGG_CASES_KEY must be at least 32 characters")
# Closed cases are deleted this many years after they were closed, leaving a tombstone.
CASES_RETENTION_YEARS = env.integer("TRYGG_CASES_RETENTION_YEARS", 3, minimum=1)
# Emergency access ("bryt glaset") to one case lasts this many hours.
CASES_EMERGENCY_HOURS = env.integer("TRYGG_CASES_EMERGENCY_HOURS", 4, minimum=1)
# From this age a youth may give consent without the guardians.
CASES_YOUTH_CONSENT_AGE = env.integer("TRYGG_CASES_YOUTH_CONSENT_AGE", 15, minimum=12)
# Counts 1 … threshold-1 in case statistics are shown as "<threshold" to all but the coordinator.
CASES_SMALL_COUNT_THRESHOLD = env.integer(
    "TRYGG_CASES_SMALL_COUNT_THRESHOLD", SMALL_COUNT_THRESHOLD, minimum=2
)

EMAIL_BACKEND = env.string(
    "TRYGG_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.string("TRYGG_FROM_EMAIL", "trygg@localhost")
# The public address of this installation, for links in e-mails (e.g. https://trygg.nacka.se).
SITE_URL = env.string("TRYGG_SITE_URL", "http://localhost:8000").rstrip("/")
# An invitation link works once, for this many days (a new one can be sent).
INVITATION_VALID_DAYS = env.integer("TRYGG_INVITATION_DAYS", 7, minimum=1)
# A password reset link works for this long (Django's setting, in seconds).
PASSWORD_RESET_TIMEOUT = env.integer("TRYGG_PASSWORD_RESET_HOURS", 24, minimum=1) * 3600

TASKS = {
    "default": {
        "BACKEND": env.string("TRYGG_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Django's sessions in the database, read with one query in SQL (core/sessions.py).
SESSION_ENGINE = "trygg.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.boolean("TRYGG_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the load balancer asks over plain HTTP
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict CSP: no inline script or style anywhere; every asset is served from here.
_img_src = [SELF, "data:"]
if MAP_TILE_URL:
    from urllib.parse import urlparse

    _tile = urlparse(MAP_TILE_URL.replace("{s}", "a"))
    _img_src.append(f"{_tile.scheme}://{_tile.netloc}")
# Logging out after single sign-on ends the provider's session too: the logout form's
# redirect goes to the provider, which form-action must allow.
_form_action = [SELF]
if TRYGG_OIDC_ENABLED and TRYGG_OIDC_END_SESSION_ENDPOINT:
    from urllib.parse import urlparse

    _end_session = urlparse(TRYGG_OIDC_END_SESSION_ENDPOINT)
    _form_action.append(f"{_end_session.scheme}://{_end_session.netloc}")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": _img_src,
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": _form_action,
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("TRYGG_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
