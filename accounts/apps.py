from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    from django.contrib.auth.models import Group, Permission

    from .roles import sync_roles

    sync_roles(group_model=Group, permission_model=Permission)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Runs after every app's post_migrate has created its permissions (this app is listed after them).
        post_migrate.connect(_sync_roles, dispatch_uid="accounts.sync_roles")
