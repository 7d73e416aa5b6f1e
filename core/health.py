"""Readiness checks for the load balancer: the database always, Redis when it is configured."""

from django.conf import settings
from django.db import connection


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready"; the message is for the operator
        return False, type(exc).__name__
    return True, "ok"


def check_redis() -> tuple[bool, str] | None:
    if not settings.REDIS_URL:
        return None
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError as exc:
        return False, type(exc).__name__
    return True, "ok"


def run_checks() -> dict[str, tuple[bool, str]]:
    results = {"database": check_database()}
    redis_result = check_redis()
    if redis_result is not None:
        results["redis"] = redis_result
    return results
