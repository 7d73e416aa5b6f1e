import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def staff_client(db):
    """A logged-in admin client for a staff member of `role` (a group from accounts/roles.py)."""

    def make(role: str) -> Client:
        user = UserFactory(is_staff=True, first_name="Ava")
        user.groups.add(Group.objects.get(name=role))
        client = Client()
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a request queued for after commit (the outbox's email task, eager in tests)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run
