import itertools
import re
import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, connections, transaction
from django.test import Client

from checkout import orders
from checkout.bag import LINE_KINDS
from checkout.models import Order, OrderEvent, OrderLine, Payment, WebhookEvent
from checkout.money import Money
from checkout.orders import ALLOWED_MOVES, InvalidTransition, order_number, order_transition, payment_record_success
from tests.factories import UserFactory

S = Order.Status
FINAL = {S.CANCELLED, S.REFUNDED}
MOVES = [(a, b) for a in S.values for b in S.values if a != b]


def make_order(**overrides) -> Order:
    fields = {
        "email": "jennifer@example.com",
        "currency": "EUR",
        "rate_per_usd": Decimal("0.9634"),
        "subtotal_amount": Decimal("5780.40"),
        "discount_amount": Decimal("100.10"),
        "tax_amount": Decimal("0.30"),
        "shipping_amount": Decimal("0.00"),
        "total_amount": Decimal("5680.60"),
        "shipping_name": "Jennifer Lawrence",
        "shipping_line1": "1 Place Vendôme",
        "shipping_city": "Paris",
        "shipping_postal_code": "75001",
        "shipping_country": "FR",
    }
    fields.update(overrides)
    return Order.objects.create(**fields)


def make_payment(order: Order, **overrides) -> Payment:
    fields = {
        "order": order,
        "gateway": Payment.Gateway.OFFLINE,
        "amount_minor": 568060,
        "currency": order.currency,
        "idempotency_key": f"order-{order.pk}-charge-{Payment.objects.count()}",
    }
    fields.update(overrides)
    return Payment.objects.create(**fields)


def at_status(status: str) -> Order:
    order = make_order(tracking_number="1Z999AA10123456784")  # moving to shipped needs one
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    return order


# --- Numbers ---------------------------------------------------------------------------------------------------------
def test_number_format_has_no_ambiguous_characters():
    numbers = [orders._candidate() for _ in range(5000)]
    for number in numbers:
        assert re.fullmatch(r"SOL-[2-9A-HJ-NP-Z]{8}", number), number
        assert not set(number[4:]) & set("01OI")
    assert len(set(numbers)) == len(numbers)
    # Every character of the alphabet turns up: the numbers are spread over all of it.
    assert set("".join(n[4:] for n in numbers)) == set(orders.NUMBER_ALPHABET)


@pytest.mark.django_db
def test_orders_get_unique_numbers():
    numbers = {make_order().number for _ in range(50)}
    assert len(numbers) == 50
    assert all(n.startswith("SOL-") and len(n) == 12 for n in numbers)


@pytest.mark.django_db
def test_order_number_retries_on_collision(monkeypatch):
    taken = make_order().number
    candidates = iter([taken, taken, "SOL-ABCDEFGH"])
    monkeypatch.setattr(orders, "_candidate", lambda: next(candidates))
    assert order_number() == "SOL-ABCDEFGH"


@pytest.mark.django_db
def test_order_number_gives_up_loudly(monkeypatch):
    taken = make_order().number
    monkeypatch.setattr(orders, "_candidate", lambda: taken)
    with pytest.raises(RuntimeError):
        order_number()


@pytest.mark.django_db
def test_the_database_refuses_a_duplicate_number():
    taken = make_order().number
    with pytest.raises(IntegrityError), transaction.atomic():
        make_order(number=taken)


# --- Status moves ----------------------------------------------------------------------------------------------------
def test_the_move_table_is_the_one_agreed():
    agreed = {
        "placed": {"paid", "cancelled"},
        "paid": {"in_production", "cancelled", "refunded"},
        "in_production": {"shipped", "cancelled", "refunded"},
        "shipped": {"delivered", "refunded"},
        "delivered": {"refunded"},
        "cancelled": set(),
        "refunded": set(),
    }
    assert agreed == ALLOWED_MOVES
    assert set(ALLOWED_MOVES) == set(S.values)


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), MOVES)
def test_every_move_is_allowed_or_refused_by_the_table(from_status, to_status, admin_user):
    order = at_status(from_status)
    if to_status in ALLOWED_MOVES[from_status]:
        saved = order_transition(order=order, to_status=to_status, by=admin_user, message="why")
        assert saved.status == order.status == to_status
        assert Order.objects.get(pk=order.pk).status == to_status
        event = OrderEvent.objects.get(order=order)
        assert (event.kind, event.from_status, event.to_status) == ("status_changed", from_status, to_status)
        assert (event.staff_user, event.message) == (admin_user, "why")
    else:
        with pytest.raises(InvalidTransition) as refused:
            order_transition(order=order, to_status=to_status, by=admin_user)
        assert Order.objects.get(pk=order.pk).status == from_status
        assert not OrderEvent.objects.filter(order=order).exists()
        expected = "is final" if from_status in FINAL else "cannot become"
        assert expected in refused.value.message
        assert (refused.value.from_status, refused.value.to_status) == (from_status, to_status)


def test_a_refusal_names_what_is_allowed():
    with pytest.raises(
        InvalidTransition, match="A shipped order cannot become paid; it can become: delivered, refunded"
    ):
        orders.check_move("shipped", "paid")


@pytest.mark.django_db
def test_an_unknown_status_is_refused():
    order = make_order()
    with pytest.raises(InvalidTransition, match="not an order status"):
        order_transition(order=order, to_status="lost")


@pytest.mark.django_db
@pytest.mark.parametrize("status", S.values)
def test_moving_to_the_current_status_does_nothing(status):
    order = at_status(status)
    assert order_transition(order=order, to_status=status).status == status
    assert not OrderEvent.objects.exists()


@pytest.mark.django_db
def test_transition_reads_the_saved_status_not_a_stale_copy():
    order = make_order()
    stale = Order.objects.get(pk=order.pk)
    order_transition(order=order, to_status=S.CANCELLED)
    with pytest.raises(InvalidTransition, match="final"):
        order_transition(order=stale, to_status=S.PAID)
    # Replaying the same move on a stale copy is a no-op, and the copy catches up.
    order_transition(order=stale, to_status=S.CANCELLED)
    assert stale.status == S.CANCELLED
    assert OrderEvent.objects.filter(order=order).count() == 1


@pytest.mark.django_db
def test_a_whole_life_is_logged_in_order(admin_user):
    order = make_order(tracking_number="1Z999AA10123456784")
    for status in (S.PAID, S.IN_PRODUCTION, S.SHIPPED, S.DELIVERED, S.REFUNDED):
        order_transition(order=order, to_status=status, by=admin_user)
    assert list(order.events.values_list("from_status", "to_status")) == [
        ("placed", "paid"),
        ("paid", "in_production"),
        ("in_production", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "refunded"),
    ]


# --- Payments and webhooks -------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_payment_success_twice_pays_once():
    order = make_order()
    payment = make_payment(order)
    for _ in range(2):  # the redirect, then the webhook
        recorded = payment_record_success(payment_id=payment.pk, gateway_id="pi_123")
        assert recorded.status == Payment.Status.SUCCEEDED
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == S.PAID
    assert payment.gateway_id == "pi_123"
    assert order.events.filter(kind=OrderEvent.Kind.PAYMENT_SUCCEEDED).count() == 1
    assert list(order.events.filter(kind=OrderEvent.Kind.STATUS_CHANGED).values_list("to_status", flat=True)) == [
        "paid"
    ]


@pytest.mark.django_db
def test_payment_success_after_staff_already_marked_paid_records_payment_only():
    order = make_order()
    payment = make_payment(order)
    order_transition(order=order, to_status=S.PAID)
    payment_record_success(payment_id=payment.pk, gateway_id="pi_9")
    order.refresh_from_db()
    assert order.status == S.PAID
    assert order.events.filter(kind=OrderEvent.Kind.STATUS_CHANGED).count() == 1
    assert order.events.filter(kind=OrderEvent.Kind.PAYMENT_SUCCEEDED).count() == 1


@pytest.mark.django_db
def test_payment_for_a_cancelled_order_is_recorded_and_flagged_for_refund():
    order = make_order()
    payment = make_payment(order)
    order_transition(order=order, to_status=S.CANCELLED)
    payment_record_success(payment_id=payment.pk, gateway_id="pi_late")
    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert order.events.filter(kind=OrderEvent.Kind.NOTE, message__contains="refund").exists()


@pytest.mark.django_db
def test_a_hold_succeeding_does_not_mark_the_order_paid():
    order = make_order()
    hold = make_payment(order, kind=Payment.Kind.HOLD)
    payment_record_success(payment_id=hold.pk, gateway_id="pi_hold")
    order.refresh_from_db()
    assert order.status == S.PLACED


@pytest.mark.django_db
def test_payment_success_with_another_gateway_id_is_refused():
    order = make_order()
    payment = make_payment(order, gateway_id="pi_a")
    with pytest.raises(ValueError, match="pi_a"):
        payment_record_success(payment_id=payment.pk, gateway_id="pi_b")
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


@pytest.mark.django_db
def test_gateway_ids_and_idempotency_keys_are_unique():
    order = make_order()
    make_payment(order, gateway_id="pi_1", idempotency_key="k1")
    make_payment(order, gateway_id="", idempotency_key="k2")
    make_payment(order, gateway_id="", idempotency_key="k3")  # several payments not yet at the gateway
    make_payment(order, gateway=Payment.Gateway.STRIPE, gateway_id="pi_1", idempotency_key="k4")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_payment(order, gateway_id="pi_1", idempotency_key="k5")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_payment(order, gateway_id="pi_2", idempotency_key="k1")


@pytest.mark.django_db
def test_payment_amount_is_money():
    payment = make_payment(make_order())
    assert payment.amount == Money(Decimal("5680.60"), "EUR")


@pytest.mark.django_db
def test_a_refund_larger_than_the_payment_is_refused():
    payment = make_payment(make_order())
    payment.refunded_minor = payment.amount_minor + 1
    with pytest.raises(IntegrityError), transaction.atomic():
        payment.save()


@pytest.mark.django_db
def test_webhook_duplicates_are_processed_once():
    processed = []
    for event_id in ["evt_1", "evt_2", "evt_1", "evt_1", "evt_2", "evt_3"]:
        if not orders.webhook_event_seen(gateway="stripe", event_id=event_id, type="payment_intent.succeeded"):
            processed.append(event_id)
    assert processed == ["evt_1", "evt_2", "evt_3"]
    assert WebhookEvent.objects.count() == 3
    assert WebhookEvent.objects.filter(processed_at__isnull=True).count() == 0
    # The same id from another gateway is another event.
    assert orders.webhook_event_seen(gateway="offline", event_id="evt_1") is False


@pytest.mark.django_db
def test_webhook_record_rolls_back_with_failed_processing():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert orders.webhook_event_seen(gateway="stripe", event_id="evt_x") is False
        raise RuntimeError("processing failed")
    # The gateway's retry is processed.
    assert orders.webhook_event_seen(gateway="stripe", event_id="evt_x") is False
    assert orders.webhook_event_seen(gateway="stripe", event_id="evt_x") is True


# --- Races, on PostgreSQL -------------------------------------------------------------------------------------------
def _at_once(callers: int, work) -> list:
    """Run `work()` in `callers` threads, each with its own connection, released together; their results."""
    barrier = threading.Barrier(callers)
    results, lock = [], threading.Lock()

    def caller():
        try:
            barrier.wait(timeout=10)
            outcome = work()
        except Exception as error:  # reported to the test as a result
            outcome = error
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=caller) for _ in range(callers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_webhook_and_redirect_recording_the_same_payment_at_once_pay_once():
    order = make_order()
    payment = make_payment(order)
    results = _at_once(10, lambda: payment_record_success(payment_id=payment.pk, gateway_id="pi_race").status)
    assert results == ["succeeded"] * 10
    assert order.events.filter(kind=OrderEvent.Kind.PAYMENT_SUCCEEDED).count() == 1
    assert order.events.filter(kind=OrderEvent.Kind.STATUS_CHANGED, to_status="paid").count() == 1
    order.refresh_from_db()
    assert order.status == S.PAID


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_webhook_delivered_at_once_is_processed_once():
    results = _at_once(10, lambda: orders.webhook_event_seen(gateway="stripe", event_id="evt_race"))
    assert sorted(results) == [False] + [True] * 9
    assert WebhookEvent.objects.count() == 1


# --- Money and database constraints ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_order_amounts_are_money():
    order = make_order()
    order.refresh_from_db()
    assert order.total == Money(Decimal("5680.60"), "EUR")
    assert order.subtotal - order.discount + order.tax + order.shipping == order.total
    assert str(order.total) == "€5,680.60"


@pytest.mark.django_db
def test_totals_that_add_up_with_awkward_cents_are_accepted():
    # 0.1 + 0.2 is not 0.3 in floating point (SQLite stores decimals as floats); the check must still accept it.
    make_order(subtotal_amount=Decimal("0.10"), discount_amount=Decimal("0"), tax_amount=Decimal("0.20"),
               total_amount=Decimal("0.30"))  # fmt: skip
    for subtotal, discount, tax in itertools.product(["1234.57", "0.07", "99999.99"], ["0", "0.03"], ["0.11", "7.77"]):
        total = Decimal(subtotal) - Decimal(discount) + Decimal(tax)
        make_order(
            subtotal_amount=Decimal(subtotal),
            discount_amount=Decimal(discount),
            tax_amount=Decimal(tax),
            total_amount=total,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("total", ["5680.59", "5680.61", "5780.40", "0"])
def test_the_database_refuses_a_total_that_does_not_add_up(total):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_order(total_amount=Decimal(total))


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["subtotal_amount", "discount_amount", "tax_amount", "shipping_amount"])
def test_the_database_refuses_a_negative_amount(field):
    # Keep the sum right so that only the sign is wrong.
    base = {"subtotal_amount": Decimal("100"), "discount_amount": Decimal("10"), "tax_amount": Decimal("5")}
    base["shipping_amount"] = Decimal("0")
    base[field] = Decimal("-1")
    base["total_amount"] = (
        base["subtotal_amount"] - base["discount_amount"] + base["tax_amount"] + base["shipping_amount"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        make_order(**base)


@pytest.mark.django_db
def test_the_database_refuses_a_negative_total():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_order(subtotal_amount=Decimal("5"), discount_amount=Decimal("10"), total_amount=Decimal("-5"))


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("currency", "eur"), ("shipping_country", "fr")])
def test_the_database_refuses_malformed_codes(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_order(**{field: value})


def test_line_kinds_are_the_bags():
    assert tuple(OrderLine.Kind.values) == LINE_KINDS


@pytest.mark.django_db
def test_order_lines_must_multiply_out():
    order = make_order()
    line = OrderLine.objects.create(
        order=order,
        kind=OrderLine.Kind.JEWELRY,
        description="Diamond stud earrings, 18k white gold",
        references={"sku": "J100"},
        unit_price_usd=Decimal("1000.10"),
        unit_amount=Decimal("963.50"),
        quantity=3,
        line_amount=Decimal("2890.50"),
    )
    assert line.total == Money(Decimal("2890.50"), "EUR")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderLine.objects.filter(pk=line.pk).update(line_amount=Decimal("2890.51"))
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderLine.objects.filter(pk=line.pk).update(quantity=0, line_amount=Decimal("0"))


# --- Admin -----------------------------------------------------------------------------------------------------------
def _change_post(client, order, **changes):
    """The change form's data as the browser would send it, with `changes` applied."""
    page = client.get(f"/admin/checkout/order/{order.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    data.update(changes)
    return client.post(f"/admin/checkout/order/{order.pk}/change/", data, follow=True)


@pytest.fixture
def admin_client_user(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client, admin_user


@pytest.mark.django_db
def test_admin_lists_filters_and_searches_orders(admin_client):
    order = make_order(tracking_number="1Z999")
    make_order(email="someone@example.com")
    page = admin_client.get("/admin/checkout/order/", {"status__exact": "placed", "q": "1Z999"})
    assert page.status_code == 200
    assert order.number in page.content.decode()
    assert page.context["cl"].result_count == 1
    assert admin_client.get("/admin/checkout/order/", {"currency": "EUR"}).status_code == 200


@pytest.mark.django_db
def test_admin_moves_status_by_the_rules_and_logs_the_staff_user(admin_client_user):
    client, staff = admin_client_user
    order = make_order()
    make_payment(order)
    OrderLine.objects.create(
        order=order,
        kind="diamond",
        description="1.00 ct round",
        unit_price_usd=Decimal("6000"),
        unit_amount=Decimal("5780.40"),
        line_amount=Decimal("5780.40"),
    )
    response = _change_post(client, order, status="paid", status_note="Bank wire received", tracking_number="1Z1")
    assert response.status_code == 200
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == ("paid", "1Z1")
    event = order.events.get()
    assert (event.from_status, event.to_status, event.staff_user, event.message) == (
        "placed",
        "paid",
        staff,
        "Bank wire received",
    )


@pytest.mark.django_db
def test_admin_refuses_a_forbidden_move_with_the_message_and_changes_nothing(admin_client):
    order = make_order()
    response = _change_post(admin_client, order, status="shipped", tracking_number="1Z2")
    assert response.status_code == 200
    assert "A placed order cannot become shipped; it can become: paid, cancelled." in response.content.decode()
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == ("placed", "")
    assert not order.events.exists()


@pytest.mark.django_db
def test_admin_edits_tracking_number_without_touching_status(admin_client):
    order = make_order()
    _change_post(admin_client, order, tracking_number="1Z3", status_note="Courier booked")
    order.refresh_from_db()
    assert (order.status, order.tracking_number) == ("placed", "1Z3")
    assert list(order.events.values_list("kind", "message")) == [("note", "Courier booked")]


@pytest.mark.django_db
def test_admin_bulk_action_moves_what_it_may_and_reports_the_rest(admin_client):
    paid = at_status(S.PAID)
    placed = make_order()
    response = admin_client.post(
        "/admin/checkout/order/",
        {"action": "mark_in_production", "_selected_action": [paid.pk, placed.pk]},
        follow=True,
    )
    paid.refresh_from_db()
    placed.refresh_from_db()
    assert (paid.status, placed.status) == ("in_production", "placed")
    text = response.content.decode()
    assert "1 order(s) marked as in production." in text
    assert f"{placed.number}: A placed order cannot become in production" in text


@pytest.mark.django_db
def test_admin_cannot_add_or_delete_orders(admin_client):
    order = make_order()
    assert admin_client.get("/admin/checkout/order/add/").status_code == 403
    assert admin_client.post(f"/admin/checkout/order/{order.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Order.objects.filter(pk=order.pk).exists()


@pytest.mark.django_db
def test_customer_service_can_view_orders_but_not_change_them():
    order = make_order()
    make_payment(order)
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name="Customer service"))
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/checkout/order/").status_code == 200
    page = client.get(f"/admin/checkout/order/{order.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert order.number.encode() in page.content
    response = client.post(f"/admin/checkout/order/{order.pk}/change/", {"status": "cancelled"})
    assert response.status_code == 403
    response = client.post("/admin/checkout/order/", {"action": "mark_cancelled", "_selected_action": [order.pk]})
    order.refresh_from_db()
    assert order.status == "placed"
    assert not order.events.exists()
