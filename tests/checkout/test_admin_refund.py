"""The admin's refund page: an amount in the order's currency (blank = all that is left) and a reason; bad amounts
are refused with a message and change nothing; only staff who may change orders can refund."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from checkout.models import OrderEvent, Payment
from checkout.payments import PaymentStateError
from checkout.payments.offline import OfflineGateway
from tests.checkout.test_refunds import paid_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def refund_url(order):
    return f"/admin/checkout/order/{order.pk}/refund/"


def change_url(order):
    return f"/admin/checkout/order/{order.pk}/change/"


def assert_nothing_changed(order):
    payment = order.payments.get()
    assert (payment.status, payment.refunded_minor) == (Payment.Status.SUCCEEDED, 0)
    order.refresh_from_db()
    assert order.status == "paid"
    assert not order.events.exists()


@pytest.fixture
def customer_service_client():
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name="Customer service"))
    client = Client()
    client.force_login(staff)
    return client


def test_the_change_page_links_to_the_refund_page(admin_client):
    order = paid_order()
    page = admin_client.get(change_url(order)).content.decode()
    assert "€0.00 refunded, €5,680.60 left to refund." in page
    assert f'href="{refund_url(order)}"' in page


def test_the_refund_page_shows_what_is_left_and_asks_for_an_amount(admin_client):
    order = paid_order()
    page = admin_client.get(refund_url(order))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Refund order {order.number}" in text
    assert "Left to refund: <strong>€5,680.60</strong>" in text
    assert "Amount (EUR)" in text and 'name="amount"' in text and 'name="reason"' in text
    assert order.payments.get().gateway_id in text


def test_a_valid_partial_refund_redirects_to_the_order_with_a_message(admin_client, admin_user):
    order = paid_order()
    response = admin_client.post(refund_url(order), {"amount": "100.50", "reason": "Goodwill"})
    assert response.status_code == 302 and response["Location"] == change_url(order)
    page = admin_client.get(response["Location"]).content.decode()
    assert f"Refunded €100.50 on order {order.number}." in page
    assert "€100.50 refunded, €5,580.10 left to refund." in page
    payment = order.payments.get()
    assert (payment.status, payment.refunded_minor) == (Payment.Status.PARTIALLY_REFUNDED, 10050)
    event = order.events.get(kind=OrderEvent.Kind.REFUND)
    assert event.staff_user == admin_user and event.message.endswith(": Goodwill")
    order.refresh_from_db()
    assert order.status == "paid"


def test_a_blank_amount_refunds_everything_left(admin_client):
    order = paid_order()
    response = admin_client.post(refund_url(order), {"amount": " ", "reason": ""}, follow=True)
    assert f"Refunded €5,680.60 on order {order.number}. The order is refunded in full." in response.content.decode()
    order.refresh_from_db()
    assert order.status == "refunded" and order.payments.get().status == Payment.Status.REFUNDED
    # Nothing is left: no link any more, and the page says so and refunds nothing.
    assert f'href="{refund_url(order)}"' not in admin_client.get(change_url(order)).content.decode()
    page = admin_client.post(refund_url(order), {"amount": "1.00"})
    assert page.status_code == 200 and "There is nothing left to refund on this order." in page.content.decode()
    assert order.events.filter(kind=OrderEvent.Kind.REFUND).count() == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1", "Enter an amount above zero."),
        ("0", "Enter an amount above zero."),
        ("abc", "Enter the amount as a number, without a currency symbol or separators, e.g. 1250.00."),
        ("€10", "Enter the amount as a number, without a currency symbol or separators, e.g. 1250.00."),
        ("NaN", "Enter the amount as a number, without a currency symbol or separators, e.g. 1250.00."),
        ("1.234", "EUR amounts have at most 2 decimals."),
        ("5680.61", "Only €5,680.60 is left to refund on this order."),
        ("1e9", "Only €5,680.60 is left to refund on this order."),
    ],
)
def test_a_bad_amount_is_refused_with_a_message_and_changes_nothing(admin_client, amount, message):
    order = paid_order()
    response = admin_client.post(refund_url(order), {"amount": amount, "reason": "Try"})
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [message]
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert_nothing_changed(order)


def test_a_refund_the_gateway_refuses_is_shown_on_the_form(admin_client, monkeypatch):
    order = paid_order()

    def refused(self, payment_id, amount_minor=None, *, idempotency_key):
        raise PaymentStateError("Cannot refund 1000: 0 is left to refund.")

    monkeypatch.setattr(OfflineGateway, "refund", refused)
    response = admin_client.post(refund_url(order), {"amount": "10.00"})
    assert response.status_code == 200
    assert "which refused it: Cannot refund 1000: 0 is left to refund." in response.content.decode()
    assert order.payments.get().refunded_minor == 0
    assert not order.events.filter(kind=OrderEvent.Kind.REFUND).exists()


def test_customer_service_cannot_refund(customer_service_client):
    order = paid_order()
    page = customer_service_client.get(change_url(order))
    assert page.status_code == 200
    assert "€0.00 refunded, €5,680.60 left to refund." in page.content.decode()  # they may see it
    assert refund_url(order) not in page.content.decode()  # but get no way to it
    assert customer_service_client.get(refund_url(order)).status_code == 403
    assert customer_service_client.post(refund_url(order), {"amount": "10.00"}).status_code == 403
    assert 'value="refund_order"' not in customer_service_client.get("/admin/checkout/order/").content.decode()
    response = customer_service_client.post(
        "/admin/checkout/order/", {"action": "refund_order", "_selected_action": [order.pk]}
    )
    assert response.status_code == 200  # not an action they have: the list again, not the refund page
    assert_nothing_changed(order)


def test_anonymous_visitors_are_sent_to_log_in():
    order = paid_order()
    response = Client().post(refund_url(order), {"amount": "10.00"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert_nothing_changed(order)


def test_the_refund_action_opens_the_page_for_one_order(admin_client):
    order, other = paid_order(), paid_order()
    response = admin_client.post("/admin/checkout/order/", {"action": "refund_order", "_selected_action": [order.pk]})
    assert response.status_code == 302 and response["Location"] == refund_url(order)
    response = admin_client.post(
        "/admin/checkout/order/", {"action": "refund_order", "_selected_action": [order.pk, other.pk]}, follow=True
    )
    assert "Select exactly one order to refund." in response.content.decode()


def test_orders_can_be_filtered_by_payment_status(admin_client):
    refunded, paid = paid_order(), paid_order()
    admin_client.post(refund_url(refunded), {"amount": "1.00"})
    page = admin_client.get("/admin/checkout/order/", {"payment_status": "partially_refunded"})
    assert page.status_code == 200 and page.context["cl"].result_count == 1
    assert refunded.number in page.content.decode() and paid.number not in page.content.decode()
    assert admin_client.get("/admin/checkout/order/", {"payment_status": "succeeded"}).context["cl"].result_count == 1
