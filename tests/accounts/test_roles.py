import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from accounts.roles import ROLES, role_codenames
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_three_roles_exist_as_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Inventory", "Marketing", "Customer service"}


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_has_exactly_the_permissions_of_the_table(role):
    group = Group.objects.get(name=role)
    granted = {(p.content_type.app_label, p.codename) for p in group.permissions.select_related("content_type")}
    assert granted == role_codenames(role)
    # Every entry of the table names a real permission (a typo would silently grant nothing).
    for app_label, codename in role_codenames(role):
        assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()


def test_resync_removes_a_permission_added_by_hand():
    from accounts.roles import sync_roles

    group = Group.objects.get(name="Marketing")
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    sync_roles(group_model=Group, permission_model=Permission)
    assert not group.permissions.filter(codename="delete_user").exists()


def _staff_client(role):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def test_customer_service_can_read_customers_but_not_change_them():
    customer = UserFactory()
    client = _staff_client("Customer service")
    assert client.get("/admin/accounts/user/").status_code == 200
    page = client.get(f"/admin/accounts/user/{customer.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # read-only view
    response = client.post(f"/admin/accounts/user/{customer.pk}/change/", {"email": "hijack@example.com"})
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.email != "hijack@example.com"


def test_inventory_cannot_see_customers():
    client = _staff_client("Inventory")
    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get("/admin/checkout/currency/").status_code == 200


def test_marketing_cannot_edit_exchange_rates():
    client = _staff_client("Marketing")
    assert client.post("/admin/checkout/currency/EUR/change/", {"rate_per_usd": "5"}).status_code == 403
