"""Returns within 30 days of shipping: the rules with their reasons, the request (one ticket, one RMA, one email),
who may see the pages, refusals that store nothing, the order page's "Return items" link, and the staff list."""

import re
import threading
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from checkout.models import Order, OrderEvent, OrderLine
from customer_service import returns
from customer_service.models import ReturnRequest, Ticket
from tests.factories import UserFactory

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 4, 15, 0, tzinfo=NY)  # a Friday afternoon: requests are due on Tuesday
RMA = re.compile(r"^RMA-[2-9A-HJ-NP-Z]{6}$")
ENGRAVED = {"engraving": "J & M, forever"}


def make_order(*, user=None, status=Order.Status.SHIPPED, moves=(("shipped", 10),), lines=({}, {}), now=None):
    """A USD order with one line per references dict (line i costs $1,000 × (i+1)); `moves` are status events as
    (to_status, days before `now`)."""
    now = now or timezone.now()
    amounts = [Decimal(1000 * (i + 1)) for i in range(len(lines))]
    order = Order.objects.create(
        user=user,
        email=user.email if user else "ada@example.com",
        currency="USD",
        rate_per_usd=Decimal(1),
        subtotal_amount=sum(amounts),
        total_amount=sum(amounts),
        shipping_name="Ada Lovelace",
        shipping_line1="1 Fifth Avenue",
        shipping_city="New York",
        shipping_region="NY",
        shipping_postal_code="10003",
        shipping_country="US",
    )
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    for to_status, days in moves:
        OrderEvent.objects.create(
            order=order, kind="status_changed", to_status=to_status, created=now - timedelta(days=days)
        )
    for i, (references, amount) in enumerate(zip(lines, amounts, strict=True)):
        OrderLine.objects.create(
            order=order,
            kind="jewelry",
            description=f"Piece number {i + 1}\nMetal: 18k yellow gold",
            references=references,
            unit_price_usd=amount,
            unit_amount=amount,
            line_amount=amount,
        )
    return order


def signed_in(client, user):
    client.force_login(user)
    return client


def as_guest_owner(client, order):
    session = client.session
    session["orders_placed"] = [order.number]
    session.save()
    return client


def start_url(order):
    return f"/order/{order.number}/return/"


def nothing_stored():
    return Ticket.objects.count() == 0 and ReturnRequest.objects.count() == 0


@pytest.fixture
def friday():
    with time_machine.travel(NOW, tick=False):
        yield


# --- The rules -----------------------------------------------------------------------------------------------------
SHIPPED_AT = datetime(2026, 11, 2, 15, 0, tzinfo=NY)
SHIPPED_ON = date(2026, 11, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "moves", "today", "expected"),
    [
        ("shipped", [("shipped", SHIPPED_AT)], SHIPPED_ON + timedelta(days=10), []),
        ("shipped", [("shipped", SHIPPED_AT)], SHIPPED_ON + timedelta(days=30), []),
        (
            "shipped",
            [("shipped", SHIPPED_AT)],
            SHIPPED_ON + timedelta(days=31),
            ["The 30-day return window for this order closed on December 2, 2026."],
        ),
        # 11:30 pm in New York is already the next day in UTC: the shop's date counts.
        ("shipped", [("shipped", datetime(2026, 11, 2, 23, 30, tzinfo=NY))], date(2026, 12, 2), []),
        # Delivered: counted from shipping when it was logged, else from delivery.
        (
            "delivered",
            [("shipped", SHIPPED_AT), ("delivered", SHIPPED_AT + timedelta(days=3))],
            SHIPPED_ON + timedelta(days=31),
            ["The 30-day return window for this order closed on December 2, 2026."],
        ),
        ("delivered", [("delivered", SHIPPED_AT + timedelta(days=3))], SHIPPED_ON + timedelta(days=33), []),
        ("placed", [], SHIPPED_ON, [returns.NOT_SHIPPED]),
        ("paid", [("paid", SHIPPED_AT)], SHIPPED_ON, [returns.NOT_SHIPPED]),
        ("in_production", [("in_production", SHIPPED_AT)], SHIPPED_ON, [returns.NOT_SHIPPED]),
        ("cancelled", [], SHIPPED_ON, [returns.CANCELLED]),
        ("refunded", [("shipped", SHIPPED_AT), ("refunded", SHIPPED_AT)], SHIPPED_ON, [returns.REFUNDED]),
    ],
    ids=[
        "10-days",
        "30-days",
        "31-days",
        "late-evening",
        "delivered-31",
        "delivered-only",
        "placed",
        "paid",
        "in-production",
        "cancelled",
        "refunded",
    ],
)
def test_which_orders_may_be_returned(status, moves, today, expected):
    order = make_order(status=status, moves=[])
    for to_status, when in moves:
        OrderEvent.objects.create(order=order, kind="status_changed", to_status=to_status, created=when)
    assert returns.order_return_problems(order, today=today) == expected


@pytest.mark.parametrize(
    ("references", "returned", "expected"),
    [
        ({}, {}, []),
        ({"engraving": ""}, {}, []),
        ({"engraving": "   "}, {}, []),
        ({"size": "6.5", "stones": [{"type": "diamond", "sku": "D1"}]}, {}, []),
        (ENGRAVED, {}, [returns.ENGRAVED]),
        ({"resized": True}, {}, [returns.RESIZED]),
        ({"custom": True}, {}, [returns.CUSTOM]),
        ({}, {7: "RMA-ABC234"}, ["Already in return RMA-ABC234."]),
        ({}, {8: "RMA-ABC234"}, []),
        (
            {**ENGRAVED, "resized": True},
            {7: "RMA-ABC234"},
            [returns.ENGRAVED, returns.RESIZED, "Already in return RMA-ABC234."],
        ),
    ],
    ids=[
        "plain",
        "blank-engraving",
        "space-engraving",
        "sized",
        "engraved",
        "resized",
        "custom",
        "returned",
        "other-returned",
        "all",
    ],
)
def test_which_lines_may_be_returned(references, returned, expected):
    line = OrderLine(id=7, references=references)
    assert returns.line_return_problems(line, returned_line_ids=returned) == expected


@pytest.mark.django_db
def test_the_deadline_is_thirty_days_after_shipping_and_none_before():
    order = make_order(moves=[])
    assert returns.return_deadline(order) is None
    OrderEvent.objects.create(order=order, kind="status_changed", to_status="shipped", created=SHIPPED_AT)
    assert returns.return_deadline(order) == date(2026, 12, 2)


# --- The request ---------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_return_opens_one_ticket_due_in_two_business_days_with_one_rma_and_one_email(
    client, commit, friday, mailoutbox
):
    user = UserFactory()
    order = make_order(user=user, lines=({}, ENGRAVED, {}))
    plain, engraved, second = order.lines.all()
    signed_in(client, user)

    page = client.get(start_url(order)).content.decode()
    assert "Piece number 1" in page and "Piece number 3" in page
    assert re.search(rf'value="{engraved.pk}"[^>]*disabled', page)
    assert returns.ENGRAVED in page
    assert "Thursday, December 24, 2026" in page  # shipped November 24: the last day to ask

    note = "The ring is lovely but the band feels too wide."
    response = commit(
        lambda: client.post(start_url(order), {"lines": [plain.pk, second.pk], "reason": "size", "note": note})
    )

    made = ReturnRequest.objects.get()
    assert RMA.match(made.rma_number)
    assert response.status_code == 302
    assert response["Location"] == f"/order/{order.number}/return/{made.rma_number}/"
    assert set(made.lines.all()) == {plain, second}
    assert made.order == order and made.reason == "size"
    ticket = Ticket.objects.get()
    assert made.ticket == ticket and ticket.kind == Ticket.Kind.RETURN and ticket.user == user
    assert (ticket.name, ticket.email) == ("Ada Lovelace", user.email)
    assert timezone.localtime(ticket.due_at, NY).date() == date(2026, 12, 8)  # Friday -> Tuesday
    assert made.rma_number in ticket.message and note in ticket.message and "Wrong size" in ticket.message
    assert ticket.messages.count() == 1

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [user.email]
    assert made.rma_number in email.subject and order.number in email.subject
    assert made.rma_number in email.body and "Tuesday, December 8" in email.body
    assert (
        "grading report" in email.body and "5 business days" in email.body and "original payment method" in email.body
    )
    assert "Piece number 1" in email.body and "Piece number 2" not in email.body
    assert made.rma_number in email.alternatives[0][0]

    detail = client.get(response["Location"])
    text = detail.content.decode()
    assert detail.status_code == 200
    assert made.rma_number in text and "Tuesday, December 8" in text
    assert "Piece number 3" in text and "Piece number 2" not in text
    assert "grading report" in text and "Write your return number" in text


@pytest.mark.django_db
def test_a_guest_returns_from_the_browser_that_placed_the_order(client, commit, mailoutbox):
    order = make_order()
    as_guest_owner(client, order)
    line = order.lines.first()
    response = commit(lambda: client.post(start_url(order), {"lines": [line.pk], "reason": "changed_mind"}))
    made = ReturnRequest.objects.get()
    assert response.status_code == 302 and made.ticket.user is None and made.ticket.email == "ada@example.com"
    assert client.get(response["Location"]).status_code == 200
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ada@example.com"]


@pytest.mark.django_db
def test_strangers_get_404_on_both_pages_and_a_signed_out_owner_is_asked_to_sign_in(client, commit):
    owner = UserFactory()
    order = make_order(user=owner)
    signed_in(client, owner)
    commit(lambda: client.post(start_url(order), {"lines": [order.lines.first().pk], "reason": "other"}))
    detail_url = f"/order/{order.number}/return/{ReturnRequest.objects.get().rma_number}/"
    guest_order = make_order()
    guest = as_guest_owner(client.__class__(), guest_order)
    assert guest.get(start_url(guest_order)).status_code == 200

    stranger = signed_in(client.__class__(), UserFactory())
    for url in (start_url(order), detail_url, start_url(guest_order)):
        assert stranger.get(url).status_code == 404
    assert stranger.post(start_url(order), {"lines": [order.lines.last().pk], "reason": "other"}).status_code == 404
    anonymous = client.__class__()
    assert anonymous.get(start_url(guest_order)).status_code == 404
    assert guest.get(start_url(order)).status_code == 302  # an account's order: sign in first
    for url in (start_url(order), detail_url):
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/account")
    assert client.get(f"/order/{order.number}/return/RMA-ZZZZZZ/").status_code == 404
    assert client.get("/order/SOL-NOPE/return/").status_code == 404
    assert ReturnRequest.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("choose", "message"),
    [
        (lambda order, other: [order.lines.get(references=ENGRAVED).pk], returns.ENGRAVED),
        (
            lambda order, other: [
                order.lines.exclude(references=ENGRAVED).first().pk,
                order.lines.get(references=ENGRAVED).pk,
            ],
            returns.ENGRAVED,
        ),
        (lambda order, other: [other.lines.first().pk], returns.NOT_IN_ORDER),
        (lambda order, other: ["not-a-number"], returns.NOT_IN_ORDER),
        (lambda order, other: [], returns.NOTHING_CHOSEN),
    ],
    ids=["engraved", "engraved-with-plain", "another-orders-line", "garbage", "none"],
)
def test_a_refused_line_is_a_400_with_the_reason_and_nothing_is_stored(client, commit, mailoutbox, choose, message):
    user = UserFactory()
    order = make_order(user=user, lines=({}, ENGRAVED))
    other = make_order(user=UserFactory())
    signed_in(client, user)
    response = commit(lambda: client.post(start_url(order), {"lines": choose(order, other), "reason": "other"}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_stored() and mailoutbox == []


@pytest.mark.django_db
def test_the_form_asks_for_a_reason_and_keeps_the_note_short(client):
    user = UserFactory()
    order = make_order(user=user)
    signed_in(client, user)
    line = order.lines.first()
    no_reason = client.post(start_url(order), {"lines": [line.pk], "reason": ""})
    assert no_reason.status_code == 400 and "Choose why you are returning these items." in no_reason.content.decode()
    long_note = client.post(start_url(order), {"lines": [line.pk], "reason": "other", "note": "x" * 2001})
    assert long_note.status_code == 400 and "under 2,000 characters" in long_note.content.decode()
    assert nothing_stored()


@pytest.mark.django_db
def test_the_same_lines_submitted_twice_make_one_return(client, commit, mailoutbox):
    user = UserFactory()
    order = make_order(user=user)
    signed_in(client, user)
    data = {"lines": [line.pk for line in order.lines.all()], "reason": "not_as_expected"}
    assert commit(lambda: client.post(start_url(order), data)).status_code == 302
    again = commit(lambda: client.post(start_url(order), data))
    rma = ReturnRequest.objects.get().rma_number
    assert again.status_code == 400
    assert f"Already in return {rma}." in again.content.decode()
    assert Ticket.objects.count() == 1 and len(mailoutbox) == 1
    # The service itself refuses too, whoever calls it.
    with pytest.raises(returns.ReturnRefused, match="Already in return"):
        returns.return_request(order=order, lines=list(order.lines.all()), reason="other", user=user)
    assert ReturnRequest.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_moment_make_one_return(monkeypatch):
    """The second request arrives while the first is still writing (it holds the order's lock, its return not yet
    committed): the second waits for the lock, then finds the lines already in a return."""
    order = make_order()
    lines = list(order.lines.all())
    first_inside = threading.Event()
    real_open = returns.tickets.ticket_open

    def slow_open(**kwargs):
        ticket = real_open(**kwargs)
        if threading.current_thread().name == "first":
            first_inside.set()
            time.sleep(0.5)  # still inside the transaction: the second request must wait, not read around it
        return ticket

    monkeypatch.setattr(returns.tickets, "ticket_open", slow_open)
    outcomes = {}

    def submit():
        try:
            outcomes[threading.current_thread().name] = returns.return_request(order=order, lines=lines, reason="other")
        except returns.ReturnRefused as refusal:
            outcomes[threading.current_thread().name] = refusal
        finally:
            connection.close()

    first = threading.Thread(target=submit, name="first")
    second = threading.Thread(target=submit, name="second")
    first.start()
    assert first_inside.wait(timeout=10)
    second.start()
    first.join(timeout=30)
    second.join(timeout=30)
    assert isinstance(outcomes["first"], ReturnRequest)
    assert isinstance(outcomes["second"], returns.ReturnRefused)
    assert f"Already in return {outcomes['first'].rma_number}." in str(outcomes["second"])
    assert ReturnRequest.objects.count() == 1 and Ticket.objects.count() == 1


@pytest.mark.django_db
def test_other_lines_of_the_order_may_still_go_back_later(client, commit):
    user = UserFactory()
    order = make_order(user=user)
    first, second = order.lines.all()
    signed_in(client, user)
    commit(lambda: client.post(start_url(order), {"lines": [first.pk], "reason": "other"}))
    page = client.get(start_url(order)).content.decode()
    assert re.search(rf'value="{first.pk}"[^>]*disabled', page) and "Already in return RMA-" in page
    assert commit(lambda: client.post(start_url(order), {"lines": [second.pk], "reason": "other"})).status_code == 302
    assert ReturnRequest.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "moves", "message"),
    [
        ("in_production", [], returns.NOT_SHIPPED),
        ("shipped", [("shipped", 31)], "The 30-day return window for this order closed on"),
        ("cancelled", [], returns.CANCELLED),
    ],
)
def test_an_order_that_cannot_go_back_says_why_and_takes_nothing(client, commit, status, moves, message):
    user = UserFactory()
    order = make_order(user=user, status=status, moves=moves)
    signed_in(client, user)
    page = client.get(start_url(order))
    assert page.status_code == 200 and message in page.content.decode()
    assert 'name="lines"' not in page.content.decode()
    posted = commit(lambda: client.post(start_url(order), {"lines": [order.lines.first().pk], "reason": "other"}))
    assert posted.status_code == 400 and message in posted.content.decode()
    assert nothing_stored()


# --- The order page ------------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "moves", "lines", "shown"),
    [
        ("shipped", [("shipped", 10)], ({}, ENGRAVED), True),
        ("delivered", [("shipped", 30), ("delivered", 27)], ({},), True),
        ("shipped", [("shipped", 31)], ({},), False),
        ("paid", [], ({},), False),
        ("refunded", [("shipped", 3)], ({},), False),
        ("shipped", [("shipped", 10)], (ENGRAVED, {"resized": True}, {"custom": True}), False),
    ],
    ids=["shipped", "delivered", "window-closed", "not-shipped", "refunded", "nothing-returnable"],
)
def test_the_order_page_offers_return_items_only_when_something_may_go_back(client, status, moves, lines, shown):
    user = UserFactory()
    order = make_order(user=user, status=status, moves=moves, lines=lines)
    signed_in(client, user)
    page = client.get(order.get_absolute_url()).content.decode()
    assert ("Return items" in page) is shown
    assert (f'href="/order/{order.number}/return/"' in page) is shown


@pytest.mark.django_db
def test_the_order_page_lists_its_returns_in_few_queries(client, commit, django_assert_max_num_queries):
    user = UserFactory()
    order = make_order(user=user, lines=({}, {}, {}, ENGRAVED))
    signed_in(client, user)
    cache.clear()  # the same cold cache (banner offers) for both counts
    # 8 for the page before returns existed; the order's returns are one more.
    with django_assert_max_num_queries(9):
        assert "Return items" in client.get(order.get_absolute_url()).content.decode()
    lines = list(order.lines.all())
    for line in lines[:3]:
        commit(lambda line=line: client.post(start_url(order), {"lines": [line.pk], "reason": "other"}))
    cache.clear()
    with django_assert_max_num_queries(10):  # and which lines they hold, one more
        page = client.get(order.get_absolute_url()).content.decode()
    for made in ReturnRequest.objects.all():
        assert f'href="/order/{order.number}/return/{made.rma_number}/"' in page
    assert "Return items" not in page  # all that could go back is in a return


# --- Staff ---------------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_customer_service_sees_returns_and_marks_a_parcel_received(client, commit, staff_client):
    user = UserFactory()
    order = make_order(user=user)
    signed_in(client, user)
    commit(
        lambda: client.post(start_url(order), {"lines": [line.pk for line in order.lines.all()], "reason": "damaged"})
    )
    made = ReturnRequest.objects.get()
    other = make_order(user=user)
    commit(lambda: client.post(start_url(other), {"lines": [other.lines.first().pk], "reason": "other"}))

    agent = staff_client("Customer service")
    listing = agent.get("/admin/customer_service/returnrequest/").content.decode()
    assert made.rma_number in listing and order.number in listing and "Arrived damaged" in listing
    assert "Waiting for an answer" in listing
    found = agent.get(f"/admin/customer_service/returnrequest/?q={made.rma_number}").content.decode()
    assert made.rma_number in found and other.number not in found
    found = agent.get(f"/admin/customer_service/returnrequest/?q={other.number}").content.decode()
    assert other.number in found and made.rma_number not in found

    change = agent.get(f"/admin/customer_service/returnrequest/{made.pk}/change/").content.decode()
    assert "Piece number 1" in change and 'name="lines"' not in change  # read-only

    response = agent.post(
        "/admin/customer_service/returnrequest/",
        {"action": "mark_received", "_selected_action": [made.pk]},
        follow=True,
    )
    assert "Marked 1 parcel received." in response.content.decode()
    made.refresh_from_db()
    assert made.received_back_at is not None
    assert ReturnRequest.objects.exclude(pk=made.pk).get().received_back_at is None
    page = client.get(f"/order/{order.number}/return/{made.rma_number}/").content.decode()
    assert "We have your parcel" in page


@pytest.mark.django_db
def test_the_returns_list_is_for_customer_service_only(staff_client):
    assert staff_client("Inventory").get("/admin/customer_service/returnrequest/").status_code == 403
    assert staff_client("Customer service").get("/admin/customer_service/returnrequest/add/").status_code == 403
