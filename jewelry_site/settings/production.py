"""Production: DEBUG off, a real SECRET_KEY required, HTTPS everywhere, hashed static files.

`DJANGO_SETTINGS_MODULE=jewelry_site.settings.production manage.py check --deploy` passes with no warnings."""

import os

os.environ["DEBUG"] = "false"

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEV_SECRET_KEY, SECRET_KEY, STORAGES, env

DEBUG = False
if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Production needs its own SECRET_KEY of at least 50 characters.")

# A live shop takes payments through Stripe unless told otherwise (checkout/checks.py refuses a silent fallback).
PAYMENT_GATEWAY = env("PAYMENT_GATEWAY", default="stripe")

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer terminates TLS and says so in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
