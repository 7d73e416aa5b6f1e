import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jewelry_site.settings.local")

app = Celery("jewelry_site")
# Every CELERY_* Django setting configures Celery (CELERY_BROKER_URL, CELERY_TASK_ALWAYS_EAGER, ...).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
