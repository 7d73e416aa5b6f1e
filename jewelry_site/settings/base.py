"""Settings shared by every environment. Every value comes from the environment (django-environ) with a safe
default for a local run: SQLite, console email, eager Celery, the offline payment gateway."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DEBUG", default=False)

# A development key exists only with DEBUG on; anything else must be given a real secret.
DEV_SECRET_KEY = "django-insecure-dev-only-solitaire-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "simple_history",
    "import_export",
    "core",
    "accounts",
    "catalog",
    "ring_builder",
    "checkout",
    "moments",
    "customer_service",
]

MIDDLEWARE = [
    "core.middleware.HealthzMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.ShopTimeZoneAdminMiddleware",
    "checkout.middleware.CurrencyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jewelry_site.urls"
WSGI_APPLICATION = "jewelry_site.wsgi.application"

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
                "core.context_processors.shop",
                "checkout.context_processors.currency",
                "checkout.deals.deal_alert",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database (with the cache in front) so web processes stay stateless.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30

# --- Celery -------------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
# Without a broker (a local run) tasks run in the web process, so the site needs no services at all.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    # Stones held by an abandoned checkout go back on sale.
    "release-expired-stone-reservations": {"task": "checkout.tasks.release_expired_stone_reservations", "schedule": 60},
    # The split plan: due instalments, holds about to lapse, grace periods that ran out. Each is idempotent.
    "charge-due-instalments": {"task": "checkout.tasks.charge_due_instalments", "schedule": 15 * 60},
    "refresh-plan-holds": {"task": "checkout.tasks.refresh_plan_holds", "schedule": 60 * 60},
    "default-overdue-plans": {"task": "checkout.tasks.default_overdue_plans", "schedule": 60 * 60},
    # The email outbox: what the mail server or the broker could not take the first time (core/outbox.py).
    "deliver-pending-emails": {"task": "core.tasks.deliver_pending_emails", "schedule": 60},
}

# --- Auth and accounts (django-allauth) ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
SITE_ID = 1
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_FORMS = {"signup": "accounts.signup.ShopSignupForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Solitaire · "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http" if DEBUG else "https")

# Google and Facebook login: installed always, offered only when their keys are configured.
SOCIALACCOUNT_PROVIDERS = {}
for _provider, _id_var, _secret_var in (
    ("google", "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"),
    ("facebook", "FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET"),
):
    if env(_id_var, default="") and env(_secret_var, default=""):
        INSTALLED_APPS.append(f"allauth.socialaccount.providers.{_provider}")
        SOCIALACCOUNT_PROVIDERS[_provider] = {
            "APPS": [{"client_id": env(_id_var), "secret": env(_secret_var), "key": ""}],
            "SCOPE": ["email", "profile"] if _provider == "google" else ["email", "public_profile"],
        }
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

# django-axes: lock an email + address pair out after repeated failed logins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=8)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Email --------------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Solitaire <service@solitaire.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Static and media ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    # Any Django storage (for example django-storages' S3 backend) is one setting away.
    "default": {
        "BACKEND": env("MEDIA_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Couples' photos: never under MEDIA_URL. Pages get them through a view that checks the moment is approved (or
    # that the viewer is staff), so an unapproved photo has no public URL. For S3, point this at a private bucket.
    "moments": {
        "BACKEND": env("MOMENTS_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": env("MOMENTS_ROOT", default=str(BASE_DIR / "private-media" / "moments"))},
    },
}

# --- Security headers ---------------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# --- Internationalisation -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- The shop -----------------------------------------------------------------------------------------------
SHOP_NAME = env("SHOP_NAME", default="Solitaire")
SHOP_TIME_ZONE = env("SHOP_TIME_ZONE", default="America/New_York")
SHOP_PHONE_US = env("SHOP_PHONE_US", default="1-800-765-4828")
SHOP_PHONE_INTL = env("SHOP_PHONE_INTL", default="+1-212-555-0148")
SHOP_EMAIL = env("SHOP_EMAIL", default="service@solitaire.example")
# The shop's own address, for links in emails (a Celery worker has no request to build them from).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Request header a trusted proxy or CDN sets to the visitor's ISO country (e.g. Cloudflare's CF-IPCountry).
# Empty turns the country guess off.
CURRENCY_COUNTRY_HEADER = env("CURRENCY_COUNTRY_HEADER", default="CF-IPCountry")
DEFAULT_CURRENCY = "USD"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The database sits on SSD: random reads cost little more than sequential ones. With PostgreSQL's default (4)
    # the planner avoids the covering indexes that make the diamond search's counts index-only.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c random_page_cost=1.1"

# SQLite builds the covering indexes without their INCLUDE columns; that is fine for local runs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# django-ratelimit (customer service's per-address limits): the request header holding the client's address when
# a proxy sits in front (e.g. HTTP_X_REAL_IP); empty means REMOTE_ADDR.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY", default="") or None

SEARCH_FACET_CACHE_SECONDS = env.int("SEARCH_FACET_CACHE_SECONDS", default=60)

# --- django-import-export (catalog supplier feeds; catalog/importing.py) --------------------------------------
# Importing needs the model's change permission (the catalog's admins also require add), exporting its view
# permission; without these settings anyone who can open a model's admin page could import into it.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# An import runs in one transaction and is rolled back if any row fails.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The uploaded file waits for "Confirm import" in the cache (Redis in production), not a web process's /tmp, so
# another instance may serve the confirmation; unlike media storage it is never public and it expires by itself.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
# Cells starting with "=" would run as formulas when staff open an export in a spreadsheet.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# --- Payments (checkout/payments/; DESIGN.md §5) ---------------------------------------------------------------
# "offline" (the default) is a test-mode gateway that needs no keys and moves no money; "stripe" needs the keys.
PAYMENT_GATEWAY = env("PAYMENT_GATEWAY", default="offline")
# The 0%-interest 3-month plan: which order totals may use it (in USD, converted at the shop's rates), and how often
# the hold on the card is re-authorized (card holds lapse after about 5 days for merchant-initiated Visa, 7 others).
PLAN_MIN_TOTAL_USD = env.str("PLAN_MIN_TOTAL_USD", default="500")
PLAN_MAX_TOTAL_USD = env.str("PLAN_MAX_TOTAL_USD", default="50000")
PLAN_HOLD_REFRESH_DAYS = env.int("PLAN_HOLD_REFRESH_DAYS", default=4)
# A deployment (check --deploy) refuses the offline gateway unless this says the site is a demo on purpose.
PAYMENT_ALLOW_OFFLINE = env.bool("PAYMENT_ALLOW_OFFLINE", default=False)
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Overridable so tests (and a local run) can point the real stripe library at localstripe.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
STRIPE_JS_URL = env("STRIPE_JS_URL", default="https://js.stripe.com/v3/")
