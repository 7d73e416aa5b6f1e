"""Order emails: HTML and text for each kind, amounts in the order's currency, sent on commit and never on rollback."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from checkout.emails import KINDS, order_email, queue_order_email
from checkout.models import Order, OrderEvent, OrderLine, Payment
from checkout.money import Money
from checkout.orders import TRACKING_REQUIRED, InvalidTransition, order_transition

pytestmark = pytest.mark.django_db

SITE = "https://solitaire.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE + "/"  # a trailing slash must not double up in links


def make_order(status=Order.Status.PAID, **overrides) -> Order:
    """A paid euro order: a diamond and two studs, less an offer, plus VAT: 7,687.94 − 100.00 + 1,441.61."""
    fields = {
        "email": "ada@example.com",
        "currency": "EUR",
        "rate_per_usd": Decimal("0.9634"),
        "subtotal_amount": Decimal("7687.94"),
        "discount_amount": Decimal("100.00"),
        "tax_amount": Decimal("1441.61"),
        "total_amount": Decimal("9029.55"),
        "shipping_name": "Ada Lovelace",
        "shipping_line1": "Unter den Linden 1",
        "shipping_city": "Berlin",
        "shipping_postal_code": "10117",
        "shipping_country": "DE",
        "delivered_by": date(2026, 3, 12),
        **overrides,
    }
    order = Order.objects.create(**fields)
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    OrderLine.objects.create(
        order=order,
        kind="diamond",
        description="1.00 ct Round diamond\nG colour, VS2 clarity",
        unit_price_usd=Decimal("6000.00"),
        unit_amount=Decimal("5780.40"),
        line_amount=Decimal("5780.40"),
    )
    OrderLine.objects.create(
        order=order,
        kind="jewelry",
        description="Diamond stud earrings",
        unit_price_usd=Decimal("990.00"),
        unit_amount=Decimal("953.77"),
        quantity=2,
        line_amount=Decimal("1907.54"),
    )
    return order


def order_link(order):
    return f"{SITE}/order/{order.number}/"


# --- Rendering -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_html_and_text_with_the_order_in_its_currency(kind):
    order = make_order(tracking_number="1Z999AA10123456784")
    email = order_email(order, kind)
    assert email["to"] == ["ada@example.com"]
    assert order.number in email["subject"]
    for body in (email["text"], email["html"]):
        for amount in ("€5,780.40", "€1,907.54", "€7,687.94", "-€100.00", "€1,441.61", "€9,029.55"):
            assert amount in body
        assert "1.00 ct Round diamond" in body and "Diamond stud earrings" in body
        assert order_link(order) in body
        assert "Unter den Linden 1" in body and "Germany" in body
    assert email["html"].lstrip().startswith("<!DOCTYPE html>") and "SOLITAIRE" in email["html"]
    assert f'href="{order_link(order)}"' in email["html"]
    assert "<" not in email["text"]  # plain text, not HTML with the tags stripped


def test_amounts_follow_the_order_currency_not_the_dollar():
    order = make_order(currency="GBP")
    email = order_email(order, "confirmation")
    assert "£9,029.55" in email["text"] and "£9,029.55" in email["html"]
    assert "€" not in email["text"] and "€" not in email["html"]


def test_the_confirmation_gives_the_delivery_date_and_free_insured_shipping():
    email = order_email(make_order(), "confirmation")
    for body in (email["text"], email["html"]):
        assert "Thursday, March 12, 2026" in body
        assert "Free, insured" in body
        assert "Tax &amp; duty (estimate)" in body or "Tax & duty (estimate)" in body


def test_the_shipped_email_has_the_tracking_number():
    order = make_order(status=Order.Status.SHIPPED, tracking_number="1Z999AA10123456784")
    email = order_email(order, "shipped")
    assert "on its way" in email["subject"]
    assert "1Z999AA10123456784" in email["text"] and "1Z999AA10123456784" in email["html"]


def test_the_refund_email_has_the_amount_refunded():
    order = make_order()
    partial = order_email(order, "refunded", refunded=Money(Decimal("250.00"), "EUR"))
    assert "AMOUNT REFUNDED: €250.00" in partial["text"] and "€250.00" in partial["html"]
    assert "part of your order" in partial["text"]
    Payment.objects.create(
        order=order,
        gateway="offline",
        gateway_id="pi_1",
        status=Payment.Status.REFUNDED,
        amount_minor=902955,
        refunded_minor=902955,
        currency="EUR",
        idempotency_key="k1",
    )
    full = order_email(order, "refunded")  # no amount given: what the payments gave back
    assert "AMOUNT REFUNDED: €9,029.55" in full["text"] and "part of" not in full["text"]


def test_shopper_text_is_escaped_in_html_only():
    order = make_order(shipping_name="Ada <b>Lovelace</b> & Co")
    email = order_email(order, "confirmation")
    assert "Ada &lt;b&gt;Lovelace&lt;/b&gt; &amp; Co" in email["html"]
    assert "Ada <b>Lovelace</b> & Co" in email["text"]


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown order email"):
        order_email(make_order(), "delivered")
    with pytest.raises(ValueError, match="Unknown order email"):
        queue_order_email(1, "delivered")


def test_rendering_reads_only_the_lines(django_assert_num_queries):
    order = Order.objects.get(pk=make_order().pk)
    with django_assert_num_queries(1):
        order_email(order, "confirmation")
    with django_assert_num_queries(2):  # the order and its lines
        order_email(Order.objects.prefetch_related("lines").get(pk=order.pk), "shipped")


# --- Sending on commit -----------------------------------------------------------------------------------------------
def test_a_queued_email_is_sent_with_html_once_the_transaction_commits(mailoutbox, django_capture_on_commit_callbacks):
    order = make_order()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queue_order_email(order.pk, "confirmation")
        assert mailoutbox == []  # not before the commit
    [message] = mailoutbox
    assert message.to == ["ada@example.com"] and order.number in message.subject
    assert "€9,029.55" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "€9,029.55" in html and order_link(order) in html


def test_nothing_is_sent_when_the_transaction_rolls_back(mailoutbox, django_capture_on_commit_callbacks):
    order = make_order(status=Order.Status.IN_PRODUCTION, tracking_number="1Z1")
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        queue_order_email(order.pk, "confirmation")
        order_transition(order=order, to_status=Order.Status.SHIPPED)
        raise RuntimeError("something after the move failed")
    assert callbacks == [] and mailoutbox == []
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PRODUCTION


# --- Status moves that email -----------------------------------------------------------------------------------------
def test_moving_to_shipped_sends_the_shipped_email_once(mailoutbox, django_capture_on_commit_callbacks, admin_user):
    order = make_order(status=Order.Status.IN_PRODUCTION, tracking_number="1Z999AA10123456784")
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=order, to_status=Order.Status.SHIPPED, by=admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=order, to_status=Order.Status.SHIPPED, by=admin_user)  # already shipped: nothing
    [message] = mailoutbox
    assert "on its way" in message.subject and "1Z999AA10123456784" in message.body


def test_moving_to_shipped_without_a_tracking_number_is_refused(mailoutbox, django_capture_on_commit_callbacks):
    order = make_order(status=Order.Status.IN_PRODUCTION, tracking_number="  ")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition) as refused:
        order_transition(order=order, to_status=Order.Status.SHIPPED)
    assert refused.value.message == TRACKING_REQUIRED
    assert refused.value.message == "Add a tracking number before marking the order as shipped."
    assert (refused.value.from_status, refused.value.to_status) == ("in_production", "shipped")
    order.refresh_from_db()
    assert order.status == Order.Status.IN_PRODUCTION
    assert not OrderEvent.objects.filter(order=order).exists() and mailoutbox == []


def test_moving_to_refunded_sends_the_refund_email(mailoutbox, django_capture_on_commit_callbacks):
    order = make_order(status=Order.Status.DELIVERED)
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=order, to_status=Order.Status.REFUNDED, message="Refunded by bank transfer.")
    [message] = mailoutbox
    assert "refund" in message.subject.lower() and "€9,029.55" in message.body


@pytest.mark.parametrize("status", ["paid", "in_production", "delivered", "cancelled"])
def test_other_moves_send_nothing(status, mailoutbox, django_capture_on_commit_callbacks):
    start = {"paid": "placed", "in_production": "paid", "delivered": "shipped", "cancelled": "placed"}[status]
    order = make_order(status=start)
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=order, to_status=status)
    assert mailoutbox == []


# --- The admin shows the tracking-number rule ------------------------------------------------------------------------
def test_the_admin_bulk_action_reports_an_order_without_tracking_number(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    ready = make_order(status=Order.Status.IN_PRODUCTION, tracking_number="1Z999AA10123456784")
    missing = make_order(status=Order.Status.IN_PRODUCTION)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/checkout/order/",
            {"action": "mark_shipped", "_selected_action": [ready.pk, missing.pk]},
            follow=True,
        )
    text = response.content.decode()
    assert "1 order(s) marked as shipped." in text
    assert f"{missing.number}: Add a tracking number before marking the order as shipped." in text
    ready.refresh_from_db()
    missing.refresh_from_db()
    assert (ready.status, missing.status) == ("shipped", "in_production")
    [message] = mailoutbox
    assert message.to == ["ada@example.com"] and ready.number in message.subject


def _change_data(client, order, **changes):
    """The change form's data as the browser would send it, with `changes` applied."""
    page = client.get(f"/admin/checkout/order/{order.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    data.update(changes)
    return data


def test_the_admin_form_asks_for_a_tracking_number_before_shipping(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    order = make_order(status=Order.Status.IN_PRODUCTION)
    url = f"/admin/checkout/order/{order.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, _change_data(admin_client, order, status="shipped"))
    assert response.status_code == 200
    assert "Add a tracking number before marking the order as shipped." in response.content.decode()
    order.refresh_from_db()
    assert order.status == "in_production" and mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, _change_data(admin_client, order, status="shipped", tracking_number="1Z999AA10123456784")
        )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == ("shipped", "1Z999AA10123456784")
    [message] = mailoutbox
    assert "1Z999AA10123456784" in message.body
