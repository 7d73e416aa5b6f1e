"""Settings are read from the environment; each case runs Django in a fresh process with its own environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "Production-Secret-Key-For-Tests-0123456789"


def run_manage(*args, env_overrides: dict[str, str | None]) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE (set for the browser tests) is itself a deploy warning; a real deployment lacks it.
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env_overrides={"DJANGO_SETTINGS_MODULE": "jewelry_site.settings.production"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key_even_if_given():
    from jewelry_site.settings.base import DEV_SECRET_KEY

    result = run_manage(
        "check",
        env_overrides={"DJANGO_SETTINGS_MODULE": "jewelry_site.settings.production", "SECRET_KEY": DEV_SECRET_KEY},
    )
    assert result.returncode != 0
    assert "Production needs its own SECRET_KEY" in result.stderr


def test_debug_off_without_a_key_refuses_even_in_local_settings():
    result = run_manage(
        "check", env_overrides={"DJANGO_SETTINGS_MODULE": "jewelry_site.settings.local", "DEBUG": "false"}
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_local_settings_run_with_no_environment_at_all():
    result = run_manage("check", env_overrides={"DATABASE_URL": None, "REDIS_URL": None})
    assert result.returncode == 0, result.stderr


def test_production_passes_check_deploy_with_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DJANGO_SETTINGS_MODULE": "jewelry_site.settings.production",
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "shop.example.com",
            **STRIPE_KEYS,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


STRIPE_KEYS = {
    "STRIPE_SECRET_KEY": "sk_live_x",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_x",
    "STRIPE_WEBHOOK_SECRET": "whsec_x",
    "PAYMENT_GATEWAY": None,
    "PAYMENT_ALLOW_OFFLINE": None,
}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"PAYMENT_GATEWAY": "offline"}, "checkout.E001"),
        ({"STRIPE_WEBHOOK_SECRET": None}, "STRIPE_WEBHOOK_SECRET is not set"),
        ({"STRIPE_SECRET_KEY": None, "STRIPE_PUBLISHABLE_KEY": None}, "STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY"),
    ],
)
def test_a_deployment_refuses_to_take_orders_without_real_payments(overrides, message):
    env = {
        "DJANGO_SETTINGS_MODULE": "jewelry_site.settings.production",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "shop.example.com",
        **STRIPE_KEYS,
        **overrides,
    }
    result = run_manage("check", "--deploy", env_overrides=env)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


def test_a_demo_deployment_may_run_the_offline_gateway_when_it_says_so():
    env = {
        "DJANGO_SETTINGS_MODULE": "jewelry_site.settings.production",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "shop.example.com",
        **STRIPE_KEYS,
        "PAYMENT_GATEWAY": "offline",
        "PAYMENT_ALLOW_OFFLINE": "true",
    }
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_follow_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, "
        "s.ALLOWED_HOSTS, s.EMAIL_BACKEND, s.STORAGES['default']['BACKEND'], s.CACHES['default']['BACKEND'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="jewelry_site.settings.production",
        SECRET_KEY=GOOD_KEY,
        DATABASE_URL="postgres://shop:pw@db.internal:5432/shop",
        REDIS_URL="redis://cache.internal:6379/0",
        ALLOWED_HOSTS="a.example,b.example",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.example:587",
        MEDIA_STORAGE_BACKEND="django.core.files.storage.InMemoryStorage",
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "django.db.backends.postgresql",
        "redis://cache.internal:6379/0",
        "False",
        "['a.example',",
        "'b.example']",
        "django.core.mail.backends.smtp.EmailBackend",
        "django.core.files.storage.InMemoryStorage",
        "django.core.cache.backends.redis.RedisCache",
    ]


@pytest.mark.parametrize("module", ["jewelry_site.settings.local"])
def test_without_a_broker_celery_runs_tasks_eagerly(module):
    code = "import django; django.setup(); from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER)"
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = module
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "True", out.stderr


def test_social_login_is_wired_only_when_its_keys_are_configured():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(sorted(s.SOCIALACCOUNT_PROVIDERS), "
        "[a for a in s.INSTALLED_APPS if a.startswith('allauth.socialaccount.providers')])"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GOOGLE_", "FACEBOOK_"))}
    base["DJANGO_SETTINGS_MODULE"] = "jewelry_site.settings.local"
    off = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60)
    assert off.stdout.strip() == "[] []", off.stderr
    on_env = {**base, "GOOGLE_CLIENT_ID": "id.apps.example", "GOOGLE_CLIENT_SECRET": "s3cret"}
    on = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=on_env, capture_output=True, text=True, timeout=60)
    assert on.stdout.strip() == "['google'] ['allauth.socialaccount.providers.google']", on.stderr
