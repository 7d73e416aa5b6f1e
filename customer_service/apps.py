from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_pages(sender, using="default", **kwargs):
    """The shop's guarantee, education and FAQ texts, after every migrate (a flushed test database gets them back);
    only what is missing is created, so staff edits stay."""
    from .content import seed_pages
    from .models import FaqEntry, Page

    seed_pages(page_model=Page, faq_model=FaqEntry, using=using)


class CustomerServiceConfig(AppConfig):
    name = "customer_service"
    verbose_name = "Customer service"

    def ready(self):
        post_migrate.connect(_seed_pages, sender=self, dispatch_uid="customer_service.seed_pages")
