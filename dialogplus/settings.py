"""One settings module, driven by the environment (see .env.example).

Embedded defaults (SQLite, in-process cache, a filesystem Celery broker) need
nothing installed; DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
With DEBUG off, a missing or weak secret is an error, never a silent default.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from dialogplus.languages import LANGUAGES as _LANGUAGES
from dialogplus.languages import register_montenegrin

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Where the embedded defaults keep their files (SQLite, the folder broker, the
# mail outbox). Read after .env, so a value there counts; nothing is created
# here: each is made when first used (dialogplus/sqlite, dialogplus/celery.py).
VAR_DIR = Path(env.str("DIALOGPLUS_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-0123456789abcdef"  # noqa: S105
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure")):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "accounts",
    "staff",
    "scale",
    "patients",
    "sessions_app",
    "reminders",
    "audit",
    "records",
    "demo",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages are small but the networks are slow: compress HTML (Django masks
    # the CSRF token and pads gzip output against BREACH).
    "django.middleware.gzip.GZipMiddleware",
    "dialogplus.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this sign-in passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # Who made each change in the audit history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.ClinicTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle lock and absolute sign-in limit of a shared tablet (before the
    # handover check, so a locked tablet asks for the password first).
    "accounts.middleware.SessionLockMiddleware",
    # A sign-in that still owes its second factor sees only the pages collecting it.
    "accounts.two_factor.middleware.TwoFactorMiddleware",
    # Turns a locked-out sign-in into the lockout page (django-axes).
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sessions_app.middleware.HandoverMiddleware",
]

ROOT_URLCONF = "dialogplus.urls"
WSGI_APPLICATION = "dialogplus.wsgi.application"

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
                "accounts.context_processors.membership",
                "accounts.context_processors.session_lock",
            ],
            # The text rule's counter on hand-written fields (dialogplus/text.py).
            "libraries": {"text_limits": "dialogplus.text_tags"},
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, making the database's folder when it first connects.
    DATABASES["default"]["ENGINE"] = "dialogplus.sqlite"
    # The Celery worker writes beside the web server: WAL lets readers go on
    # while one writes, and IMMEDIATE transactions avoid "database is locked"
    # when two writers upgrade a read lock at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background work --------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 300,
        }
    }
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_FOLDER = VAR_DIR / "broker"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# django-axes counts failed sign-ins per *pair* of email and address: one
# person's typos never lock a whole clinic out behind one address, and a
# guesser at one address cannot lock someone out everywhere. The lockout ends
# by itself after the cool-off, or a clinic admin unlocks the person.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
# A translated page (HTTP 429) saying when to try again: accounts/locked_out.html.
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# The sign-in form's email field is called "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_request"
# Proxies in front of the app (the TLS proxy: 1). Their X-Forwarded-For entries
# give the person's address to the lockout and throttles; with 0 the header is
# ignored, so a client cannot forge its address (dialogplus/client_address.py).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "dialogplus.client_address.client_address"
# Failed sign-ins from one address, on any accounts, before that address waits
# (a clinic's staff share one address behind its router: generous).
SIGNIN_ADDRESS_LIMIT = env.int("SIGNIN_ADDRESS_LIMIT", default=50)
SIGNIN_ADDRESS_WINDOW = timedelta(minutes=15)
# Failed sign-ins on one account, from any addresses, before each further try
# waits a delay that doubles up to SIGNIN_MAX_DELAY: a guesser is slowed down,
# the person is never locked out for longer than that.
SIGNIN_ACCOUNT_FREE_FAILURES = 10
SIGNIN_MAX_DELAY = timedelta(minutes=env.int("SIGNIN_MAX_DELAY_MINUTES", default=5))
# Shared tablets: lock after this many idle minutes (the password unlocks) and
# sign out this many hours after signing in, whatever happens in between.
DIALOGPLUS_IDLE_LOCK_MINUTES = env.int("DIALOGPLUS_IDLE_LOCK_MINUTES", default=15)
DIALOGPLUS_SESSION_MAX_HOURS = env.int("DIALOGPLUS_SESSION_MAX_HOURS", default=10)
if DIALOGPLUS_IDLE_LOCK_MINUTES < 1 or DIALOGPLUS_SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured(
        "DIALOGPLUS_IDLE_LOCK_MINUTES and DIALOGPLUS_SESSION_MAX_HOURS must be at least 1."
    )
# The session clock (sessions_app/active_time.py): a pause between two
# activities in a session longer than this is not time with the patient.
DIALOGPLUS_SESSION_IDLE_GAP_SECONDS = env.int("DIALOGPLUS_SESSION_IDLE_GAP_SECONDS", default=180)
if DIALOGPLUS_SESSION_IDLE_GAP_SECONDS < 60:
    raise ImproperlyConfigured(
        "DIALOGPLUS_SESSION_IDLE_GAP_SECONDS must be at least 60: a session page sends "
        "a heartbeat every minute."
    )
# How long an invitation link (staff or carer) stays valid.
DIALOGPLUS_INVITATION_DAYS = env.int("DIALOGPLUS_INVITATION_DAYS", default=7)
# A patient's rating link works until the end of the appointment day on the
# clinic's clock, and this many days more.
DIALOGPLUS_RATING_LINK_EXTRA_DAYS = env.int("DIALOGPLUS_RATING_LINK_EXTRA_DAYS", default=0)
if DIALOGPLUS_RATING_LINK_EXTRA_DAYS < 0:
    raise ImproperlyConfigured("DIALOGPLUS_RATING_LINK_EXTRA_DAYS must be 0 or more.")
# A password-reset link: one hour.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=10 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor sign-in (TOTP app + one-time backup codes) for clinicians and
# clinic admins. On unless turned off: `make run` turns it off for the demo.
DIALOGPLUS_REQUIRE_2FA = env.bool("DIALOGPLUS_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="DIALOG+")

# --- Encryption at rest -------------------------------------------------------
# Fernet keys, newest first (see dialogplus/encryption.py for rotation).
DIALOGPLUS_ENCRYPTION_KEYS = env.list("DIALOGPLUS_ENCRYPTION_KEYS", default=[])
if not DIALOGPLUS_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DIALOGPLUS_ENCRYPTION_KEYS must be set when DEBUG is off "
            "(python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        )
    from dialogplus.encryption import key_from_secret

    DIALOGPLUS_ENCRYPTION_KEYS = [key_from_secret(SECRET_KEY)]

# --- Languages and time -----------------------------------------------------
register_montenegrin()
LANGUAGE_CODE = "en"
LANGUAGES = _LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["dialogplus.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 365 * 24 * 3600

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "outbox"
# SMTP for production (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="DIALOG+ <no-reply@localhost>")

# --- Security -----------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# --- DIALOG+ behaviour ------------------------------------------------------
DIALOGPLUS_DEMO_PASSWORD = "dialogplus-demo"  # noqa: S105 - documented demo login

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # At DEBUG this logger writes every unresolved template variable with the
        # whole template context (notes, actions) in the exception text: logs
        # never hold clinical text, whatever LOG_LEVEL says.
        "django.template": {"level": "INFO"},
    },
}

# --- Reminders ----------------------------------------------------------------
# SMS_BACKEND: "file" (development outbox in var/outbox/sms), "console" (log),
# "http" (the gateway below) or a dotted path to a BaseSMSBackend subclass.
_SMS_BACKENDS = {
    "file": "reminders.channels.FileSMSBackend",
    "console": "reminders.channels.ConsoleSMSBackend",
    "http": "reminders.channels.HttpGatewaySMSBackend",
}
_sms_backend = env.str("SMS_BACKEND", default="file")
SMS_BACKEND = _SMS_BACKENDS.get(_sms_backend, _sms_backend)
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_USER = env.str("SMS_GATEWAY_USER", default="")
SMS_GATEWAY_PASSWORD = env.str("SMS_GATEWAY_PASSWORD", default="")
SMS_SENDER = env.str("SMS_SENDER", default="DIALOG+")
if _sms_backend == "http" and not SMS_GATEWAY_URL:
    raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_GATEWAY_URL.")
REMINDER_HOURS_BEFORE = env.int("REMINDER_HOURS_BEFORE", default=24)
# Local hours "start-end" in which nothing is sent (end excluded); "off" for none.
QUIET_HOURS = env.str("QUIET_HOURS", default="21-8")
if QUIET_HOURS.lower() in ("", "off", "none"):
    REMINDER_QUIET_HOURS = None
else:
    try:
        REMINDER_QUIET_HOURS = tuple(int(hour) for hour in QUIET_HOURS.split("-"))
    except ValueError:
        REMINDER_QUIET_HOURS = ()
    if len(REMINDER_QUIET_HOURS) != 2 or not all(0 <= h <= 23 for h in REMINDER_QUIET_HOURS):
        raise ImproperlyConfigured("QUIET_HOURS must look like 21-8 (local hours) or 'off'.")
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
# A row "sending" for longer than this lost its worker or its message: re-queued.
REMINDER_STUCK_MINUTES = env.int("REMINDER_STUCK_MINUTES", default=15)
# The clinicians' daily agenda email: this hour on each clinic's clock (moved to
# the end of QUIET_HOURS when it falls inside them).
REMINDER_AGENDA_HOUR = env.int("REMINDER_AGENDA_HOUR", default=7)
if not 0 <= REMINDER_AGENDA_HOUR <= 23:
    raise ImproperlyConfigured("REMINDER_AGENDA_HOUR must be an hour from 0 to 23.")
# How often beat asks for due rows (seconds); tests shorten it.
REMINDER_DISPATCH_SECONDS = env.float("REMINDER_DISPATCH_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE = {
    "dispatch-due-reminders": {
        "task": "reminders.tasks.dispatch_due_reminders",
        "schedule": REMINDER_DISPATCH_SECONDS,
        # A dispatch that waited out a broker outage is pointless: the next one
        # finds the same rows.
        "options": {"expires": max(1.0, REMINDER_DISPATCH_SECONDS - 5)},
    },
    "schedule-agenda-emails": {
        "task": "reminders.tasks.schedule_agenda_emails",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
}
# Rows claimed per dispatch (a minute's worth at most, so one slow run cannot hog them).
REMINDER_DISPATCH_BATCH = env.int("REMINDER_DISPATCH_BATCH", default=1000)
# One queue name for the web, beat and workers of one installation.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Redis hands an unacknowledged task (acks_late) to another worker after this
# many seconds; longer than any retry's countdown (reminders/tasks.py), or a
# waiting retry would be handed out twice (harmless, but wasteful).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
# Where links in messages point (opt-out, the agenda): the address people use.
# Default: the first named ALLOWED_HOSTS over https (the development server with DEBUG).
_first_host = next((h for h in ALLOWED_HOSTS if h and h[0] not in ".*["), "localhost")
DIALOGPLUS_PUBLIC_URL = env.str("DIALOGPLUS_PUBLIC_URL", default="") or (
    "http://127.0.0.1:8000" if DEBUG else f"https://{_first_host}"
)
if not DIALOGPLUS_PUBLIC_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        "DIALOGPLUS_PUBLIC_URL must be the site's address, like https://dialogplus.example.org."
    )
DIALOGPLUS_MAIL_DOMAIN = DIALOGPLUS_PUBLIC_URL.split("://", 1)[1].split("/")[0].split(":")[0]
