from celery import shared_task


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=10, max_retries=5)
def process_moment_photos(self, moment_id: int) -> int:
    from .services import moment_process_photos

    return moment_process_photos(moment_id=moment_id)
