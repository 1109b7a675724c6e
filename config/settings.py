"""Incluye settings: one module, driven by environment variables.

Every variable has a safe development default except in production (DEBUG off), where
SECRET_KEY and ALLOWED_HOSTS must be given. See README "Configuration".
"""

import sys
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
TESTING = "pytest" in sys.modules  # the test runner is loaded
SECRET_KEY = env(
    "SECRET_KEY", default="insecure-key-for-development-and-tests" if DEBUG or TESTING else environ.Env.NOTSET
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks_db",
    "django_countries",  # country names (ISO 3166-1) in Spanish and English
    "incluye.core",
    "incluye.accounts",
    "incluye.people",
    "incluye.cases",
    "incluye.referrals",
    "incluye.skills",
    "incluye.certification",
    "incluye.jobs",
    "incluye.alliance",
    "incluye.impact",
    "incluye.participants",
    "incluye.api",
    "incluye.workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "incluye.core.middleware.PrivateByDefaultMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "incluye.accounts.middleware.SecondFactorSessionMiddleware",
    "incluye.accounts.middleware.ActiveMembershipMiddleware",
    "incluye.accounts.middleware.RequireMfaMiddleware",
    "incluye.workspace.middleware.NavigationCountsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Every form renders with the design system's markup (labels, hints, errors, the error summary).
FORM_RENDERER = "incluye.core.forms.FormRenderer"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "incluye.accounts.context_processors.membership",
                "incluye.workspace.context_processors.inbox",
            ],
        },
    },
]

# Database: SQLite by default (zero set-up); PostgreSQL in production, e.g.
# DATABASE_URL=postgres://user:pass@host:5432/incluye
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'incluye.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets the task worker and the web process work side by side.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits, lockouts and every counter that must hold across worker processes and servers live
# in a shared cache: the database (table `incluye_cache`, created by a migration) unless CACHE_URL
# names another one, e.g. redis://127.0.0.1:6379/1. Never a per-process cache in production.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://incluye_cache")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # The default of 300 entries would cull live counters as soon as 300 addresses signed in.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 100_000)

# Background work: Django's task framework with the database backend; run `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: accounts are created by administrators, people sign in with their e-mail.
SITE_ID = 1
ACCOUNT_ADAPTER = "incluye.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/5m/key"}
# Public certificate verification: look-ups per minute per client address (shared cache).
INCLUYE_VERIFY_RATE_PER_MINUTE = env.int("INCLUYE_VERIFY_RATE_PER_MINUTE", default=30)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Incluye"
# Roles that read sensitive data (psychosocial notes, deportation history, identity documents)
# must have a second factor before they see anything. A demo laptop may turn this off.
INCLUYE_REQUIRE_MFA = env.bool("INCLUYE_REQUIRE_MFA", default=True)
# Keys that encrypt sensitive fields and files (outside the database; see incluye/core/crypto.py).
INCLUYE_FIELD_KEYS = env("INCLUYE_FIELD_KEYS", default="")
INCLUYE_SEARCH_KEY = env("INCLUYE_SEARCH_KEY", default="")
INCLUYE_KEYS_FILE = env("INCLUYE_KEYS_FILE", default="")
if TESTING and not INCLUYE_FIELD_KEYS:
    INCLUYE_FIELD_KEYS = "dGVzdC1rZXktbm90LWZvci1wcm9kdWN0aW9uLTEyMzQ="  # fixed test key (32 bytes, base64)
    INCLUYE_SEARCH_KEY = "test-search-key"
# Years without activity (and no open case) after which `apply_retention` erases a person's data.
INCLUYE_RETENTION_YEARS = env.int("INCLUYE_RETENTION_YEARS", default=10)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="America/Guatemala")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files are private: they live outside the web root and are only served by views
# that check access.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "private")
WHITENOISE_USE_FINDERS = DEBUG
# In development (and under the test runner, which forces settings.DEBUG off) WhiteNoise looks files
# up when they are asked for, instead of walking every app's static files each time a request
# handler is built: each test client builds one, and that walk cost 0.1 s per client.
WHITENOISE_AUTOREFRESH = DEBUG

MAILERS = {
    "default": {
        "BACKEND": env(
            "EMAIL_BACKEND",
            default="django.core.mail.backends.console.EmailBackend"
            if DEBUG or TESTING
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": env.json("EMAIL_OPTIONS", default={}),
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Incluye <no-reply@incluye.invalid>")

# Security headers. A strict CSP with nonces: no inline script or style without one.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page of Incluye uses, refused for every page (and anything embedded in it).
PERMISSIONS_POLICY = env(
    "PERMISSIONS_POLICY",
    default="accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()",
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not TESTING)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a call without credentials answers 401 with WWW-Authenticate. The
        # tokens are the personal ones of the security page (scoped, expiring, revocable, and only
        # for accounts with a second factor).
        "incluye.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["incluye.api.permissions.HasActiveMembership"],
    "DEFAULT_PARSER_CLASSES": [
        "incluye.api.parsers.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "incluye.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Incluye API",
    "DESCRIPTION": "REST API of Incluye, the inclusion pathway for returned migrants and refugees.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, whichever serializer uses it.
    "ENUM_NAME_OVERRIDES": {
        "SexEnum": "incluye.people.models.Sex",
        "DatePrecisionEnum": "incluye.people.models.DatePrecision",
        "ReturnModeEnum": "incluye.people.models.ReturnMode",
        "ReturnedFromEnum": "incluye.people.models.ReturnedFrom",
        "VulnerabilityEnum": "incluye.people.models.Vulnerability",
        "ConsentPurposeEnum": "incluye.people.models.ConsentPurpose",
        "ConsentMethodEnum": "incluye.people.models.ConsentMethod",
        "ManifestStatusEnum": "incluye.people.models.ManifestStatus",
        "EducationEnum": "incluye.people.models.Education",
        "SectorEnum": "incluye.accounts.models.Sector",
        "OrganizationKindEnum": "incluye.accounts.models.OrganizationKind",
        "RoleEnum": "incluye.accounts.roles.Role",
        "CaseStatusEnum": "incluye.cases.models.CaseStatus",
        "ClosureReasonEnum": "incluye.cases.models.ClosureReason",
        "DocumentStatusEnum": "incluye.cases.models.DocumentStatus",
        "SensitivityEnum": "incluye.cases.models.Sensitivity",
        "ReferralStatusEnum": "incluye.referrals.models.ReferralStatus",
        "ServiceKindEnum": "incluye.referrals.models.ServiceKind",
        "EnglishLevelEnum": "incluye.skills.models.EnglishLevel",
        "LicenceEnum": "incluye.skills.models.Licence",
        "ScheduleEnum": "incluye.jobs.models.Schedule",
        "VacancyStatusEnum": "incluye.jobs.models.VacancyStatus",
        "ApplicationStatusEnum": "incluye.jobs.models.ApplicationStatus",
        "NotHiredReasonEnum": "incluye.jobs.models.NotHiredReason",
        "PathwayEnum": "incluye.jobs.models.Pathway",
        "BusinessStatusEnum": "incluye.jobs.models.BusinessStatus",
        "FundingKindEnum": "incluye.jobs.models.FundingKind",
        "AttendanceEnum": "incluye.certification.models.Attendance",
        "OutcomeEnum": "incluye.certification.models.Outcome",
        "PublicFieldsEnum": "incluye.certification.models.PublicFields",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Incluye
# Countries this deployment serves (one deployment per country in production; the demo runs all four).
INCLUYE_COUNTRIES = env.list("INCLUYE_COUNTRIES", default=["GT", "SV", "HN", "CR"])
# Aggregates that leave an organization hide counts under this threshold (shown as "<5").
INCLUYE_SUPPRESSION_THRESHOLD = env.int("INCLUYE_SUPPRESSION_THRESHOLD", default=5)
# People indirectly reached: the household members of each person reached; when the household size
# was not recorded, this size is assumed (1: nobody else is counted).
INCLUYE_DEFAULT_HOUSEHOLD_SIZE = env.int("INCLUYE_DEFAULT_HOUSEHOLD_SIZE", default=1)
# Across the alliance: days the receiving organization has to answer a handoff, a transfer or an
# access request (referrals take theirs from the service; invitations from employers below),
# after which it shows as overdue in both organizations' inboxes.
INCLUYE_HANDOFF_ANSWER_DAYS = env.int("INCLUYE_HANDOFF_ANSWER_DAYS", default=2)
INCLUYE_TRANSFER_ANSWER_DAYS = env.int("INCLUYE_TRANSFER_ANSWER_DAYS", default=5)
INCLUYE_ACCESS_ANSWER_DAYS = env.int("INCLUYE_ACCESS_ANSWER_DAYS", default=3)
# Days a person has (through their caseworker) to answer an employer's invitation.
INCLUYE_INVITATION_ANSWER_DAYS = env.int("INCLUYE_INVITATION_ANSWER_DAYS", default=7)
# The person's own door (/me/): sign-in with a one-time code sent to the phone staff invited.
# Short messages go through INCLUYE_SMS_BACKEND (a dotted path to a subclass of
# incluye.core.notify.BaseSMSBackend: the console in development, a gateway in production).
INCLUYE_SMS_BACKEND = env(
    "INCLUYE_SMS_BACKEND",
    default="incluye.core.notify.LocmemSMSBackend" if TESTING else "incluye.core.notify.ConsoleSMSBackend",
)
INCLUYE_PARTICIPANT_SESSION_MINUTES = env.int("INCLUYE_PARTICIPANT_SESSION_MINUTES", default=15)
INCLUYE_PARTICIPANT_CODE_MINUTES = env.int("INCLUYE_PARTICIPANT_CODE_MINUTES", default=10)
INCLUYE_PARTICIPANT_CODE_ATTEMPTS = env.int("INCLUYE_PARTICIPANT_CODE_ATTEMPTS", default=5)
# Like the staff sign-in's limit of failed attempts (allauth's limiter, the shared cache): codes
# sent per phone and per address, wrong codes per address and per phone before a lockout.
INCLUYE_PARTICIPANT_RATE_LIMITS = {
    "participant_code_send": "3/10m/key,30/1h/ip",
    "participant_login_failed": "5/5m/ip,5/15m/key",
}
# A risk alert nobody acknowledged after this many hours escalates to the organization's
# administrators (`manage.py escalate_alerts`, run every few minutes).
INCLUYE_ALERT_ESCALATION_HOURS = env.int("INCLUYE_ALERT_ESCALATION_HOURS", default=4)

# Imports (manifests, KoboToolbox): bounded by what a file expands to, counted while it is read.
INCLUYE_IMPORT_MAX_ROWS = env.int("INCLUYE_IMPORT_MAX_ROWS", default=100_000)
INCLUYE_IMPORT_MAX_CELLS = env.int("INCLUYE_IMPORT_MAX_CELLS", default=5_000_000)
INCLUYE_IMPORT_MAX_BYTES = env.int("INCLUYE_IMPORT_MAX_BYTES", default=200 * 1024 * 1024)
