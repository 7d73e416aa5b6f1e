"""The monthly plan in the shop's pages (offline gateway): chosen at the payment step, agreed at review, shown on the
order and in the account; the card updated after a failed month; every tampered request refused."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from checkout import plans
from checkout.models import InstallmentPlan, Order
from tests.checkout.test_checkout_flow import SHIPPING_DE, review_form
from tests.factories import DiamondFactory, UserFactory

pytestmark = pytest.mark.django_db

OREGON = {
    **SHIPPING_DE,
    "shipping-country": "US",
    "shipping-region": "US-OR",
    "shipping-postal_code": "97201",
    "shipping-city": "Portland",
}


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def ring_bag(client):
    DiamondFactory(sku="P6000", price=Decimal("6000.00"))
    client.post(reverse("checkout:bag_add"), {"kind": "diamond", "ref": "P6000"})
    client.post(reverse("checkout:details"), OREGON)
    return client


def pay(client, number="4242 4242 4242 4242", pay="monthly"):
    return client.post(reverse("checkout:payment"), {"number": number, "expiry": "12/30", "cvc": "123", "pay": pay})


def test_the_payment_step_shows_the_plan_as_the_seed_does(ring_bag):
    page = text(ring_bag.get(reverse("checkout:payment")))
    assert "Interest-free monthly payments" in page and "Pay over 3 months, no fees, 0% interest" in page
    assert "Price $6,000.00" in page
    assert re.search(r"1 · today \$2,000.00 \$2,000.00 \$4,000.00", page)
    assert re.search(r"2 · \w{3} \d+, \d{4} \$2,000.00 \$4,000.00 \$2,000.00", page)
    assert re.search(r"3 · \w{3} \d+, \d{4} \$2,000.00 \$6,000.00 \$0.00", page)
    assert (
        "How it works" in page
        and "Visa, Mastercard and American Express cards; orders from $500.00 to $50,000.00" in page
    )


def test_a_plan_is_agreed_then_placed_charging_the_first_month_and_holding_the_rest(ring_bag):
    assert pay(ring_bag).url == reverse("checkout:review")
    review, form = review_form(ring_bag)
    page = text(review)
    assert "I agree that Solitaire charges Visa ending 4242" in page and "3 monthly payments" in page
    refused = ring_bag.post(reverse("checkout:place"), form, follow=True)
    assert "Please agree to the monthly charges" in text(refused)
    assert not Order.objects.exists()
    placed = ring_bag.post(reverse("checkout:place"), {**form, "agree_plan": "on"}, follow=True)
    order = Order.objects.get()
    plan = InstallmentPlan.objects.get(order=order)
    assert order.status == Order.Status.PAID and order.payments.get().amount_minor == 200000
    assert plan.hold_minor == 400000 and plan.status == InstallmentPlan.Status.ACTIVE
    page = text(placed)
    assert "Paid $2,000.00" in page and "$4,000.00" in page and "Next charge $2,000.00 on" in page


def test_the_account_shows_each_plan_live(client):
    user = UserFactory()
    client.force_login(user)
    DiamondFactory(sku="P6000", price=Decimal("6000.00"))
    client.post(reverse("checkout:bag_add"), {"kind": "diamond", "ref": "P6000"})
    client.post(reverse("checkout:details"), {**OREGON, "email": user.email})
    pay(client)
    _, form = review_form(client)
    client.post(reverse("checkout:place"), {**form, "agree_plan": "on"})
    plan = InstallmentPlan.objects.get()
    second = plan.instalments.get(number=2)
    plans.plan_charge_instalment(instalment_id=second.pk, now=plans.timezone.now() + timedelta(days=31), force=True)
    page = text(client.get(reverse("plan_list")))
    assert "Paid $4,000.00" in page and "Held on Visa ending 4242 $2,000.00" in page
    assert "Payment 2" in page and "Paid" in page


@pytest.mark.parametrize(
    ("card", "message"),
    [("6011 1111 1111 1117", "Monthly payments need a Visa, Mastercard or American Express card.")],
)
def test_an_ineligible_card_cannot_choose_the_plan(ring_bag, card, message):
    response = pay(ring_bag, number=card)
    assert response.url == reverse("checkout:payment")
    assert message in text(ring_bag.get(response.url))
    assert ring_bag.session["checkout"]["plan"] is False


def test_a_total_outside_the_range_cannot_choose_the_plan(client):
    DiamondFactory(sku="SMALL", price=Decimal("300.00"))
    client.post(reverse("checkout:bag_add"), {"kind": "diamond", "ref": "SMALL"})
    client.post(reverse("checkout:details"), OREGON)
    page = text(client.get(reverse("checkout:payment")))
    assert "Monthly payments are for orders from $500.00 to $50,000.00." in page
    assert re.search(r'id="pay-monthly"[^>]* disabled', client.get(reverse("checkout:payment")).content.decode())
    response = pay(client)  # posted anyway
    assert response.url == reverse("checkout:payment")
    assert client.session["checkout"]["plan"] is False


def test_a_currency_switch_after_review_re_quotes_the_plan_before_any_charge(ring_bag):
    pay(ring_bag)
    _, form = review_form(ring_bag)
    ring_bag.post(reverse("set_currency"), {"currency": "EUR"})
    response = ring_bag.post(reverse("checkout:place"), {**form, "agree_plan": "on"}, follow=True)
    assert "Your total has changed to €" in text(response)
    assert not Order.objects.exists()
    page = text(response)
    assert re.search(r"1 · today €1,926.80 €1,926.80 €3,853.60", page)


def test_a_failed_month_is_paid_with_a_new_card(ring_bag):
    pay(ring_bag)
    _, form = review_form(ring_bag)
    ring_bag.post(reverse("checkout:place"), {**form, "agree_plan": "on"})
    plan = InstallmentPlan.objects.get()
    InstallmentPlan.objects.filter(pk=plan.pk).update(payment_method="pm_card_chargeDeclined")
    second = plan.instalments.get(number=2)
    moment = plans.timezone.now() + timedelta(days=31)
    assert plans.plan_charge_instalment(instalment_id=second.pk, now=moment, force=True) == "failed"
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.IN_GRACE
    order_page = text(ring_bag.get(plan.order.get_absolute_url()))
    assert "A monthly payment did not go through" in order_page
    url = reverse("checkout:plan_card", args=[plan.pk])
    assert "We will charge $2,000.00 (payment 2 of 3)" in text(ring_bag.get(url))
    declined = ring_bag.post(url, {"number": "4000 0000 0000 0002", "expiry": "12/30", "cvc": "123"})
    assert declined.url == url
    done = ring_bag.post(url, {"number": "5555 5555 5555 4444", "expiry": "12/30", "cvc": "123"}, follow=True)
    assert "your plan is back on schedule" in text(done)
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.ACTIVE and plan.card_label == "Mastercard ending 4444"
    assert plan.hold_minor == 200000
    assert Client().get(url).status_code == 404  # not the owner


def test_the_plans_page_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    for n in range(3):
        DiamondFactory(sku=f"Q{n}", price=Decimal("6000.00"))
        client.post(reverse("checkout:bag_add"), {"kind": "diamond", "ref": f"Q{n}"})
        client.post(reverse("checkout:details"), {**OREGON, "email": user.email})
        pay(client)
        _, form = review_form(client)
        client.post(reverse("checkout:place"), {**form, "agree_plan": "on"})
    assert InstallmentPlan.objects.count() == 3
    with django_assert_max_num_queries(7):
        client.get(reverse("plan_list"))


def test_the_email_link_works_for_a_guest_on_another_device_and_only_with_its_signature(ring_bag, mailoutbox):
    from django.test import TestCase

    pay(ring_bag)
    _, form = review_form(ring_bag)
    ring_bag.post(reverse("checkout:place"), {**form, "agree_plan": "on"})
    plan = InstallmentPlan.objects.get()
    InstallmentPlan.objects.filter(pk=plan.pk).update(payment_method="pm_card_chargeDeclined")
    second = plan.instalments.get(number=2)
    with TestCase.captureOnCommitCallbacks(execute=True):
        plans.plan_charge_instalment(instalment_id=second.pk, force=True)
    link = re.search(r"(/account/plans/\d+/card/\?t=\S+)", mailoutbox[-1].body).group(1)
    phone = Client()
    page = text(phone.get(link))
    assert "We could not take payment 2 of 3 from Visa ending 4242; please update it by" in page
    assert phone.get(plan.order.get_absolute_url()).status_code == 200  # the link lets this browser see the order
    forged = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    assert Client().get(forged).status_code == 404
    assert Client().get(reverse("checkout:plan_card", args=[plan.pk])).status_code == 404


def test_a_signed_out_customer_is_asked_to_sign_in_not_told_404(client):
    user = UserFactory()
    client.force_login(user)
    DiamondFactory(sku="P6000", price=Decimal("6000.00"))
    client.post(reverse("checkout:bag_add"), {"kind": "diamond", "ref": "P6000"})
    client.post(reverse("checkout:details"), {**OREGON, "email": user.email})
    pay(client)
    _, form = review_form(client)
    client.post(reverse("checkout:place"), {**form, "agree_plan": "on"})
    order = Order.objects.get()
    stranger = Client()
    assert stranger.get(order.get_absolute_url()).url.startswith("/account/login/?next=")
    assert stranger.get(reverse("checkout:plan_card", args=[order.plan.pk])).url.startswith("/account/login/?next=")
