from celery import shared_task

from .inventory import release_expired_reservations


@shared_task
def release_expired_stone_reservations() -> int:
    return release_expired_reservations()
