"""The admin's monthly plans: a read-only list with paid / held / next figures that Customer service filters for plans
in grace or defaulted; "retry now" through the idempotent charge path; cancel (release the hold and refund) behind a
confirmation page and the right to refund orders; the roles; a changelist whose query count does not grow."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checkout import plans
from checkout.models import Installment, InstallmentPlan, Payment
from checkout.payments.offline import OfflineGateway
from tests.checkout.test_plans import at, buy_on_the_plan
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/checkout/installmentplan/"


def change_url(plan):
    return f"{CHANGELIST}{plan.pk}/change/"


def a_plan(sku="PLAN1"):
    return buy_on_the_plan(gateway=OfflineGateway(), payment_method="pm_card_visa", sku=sku)


def a_plan_in_grace(sku="PLAN1"):
    """The card declines the second payment on its due date, then works again (the shopper called their bank)."""
    order, plan = a_plan(sku)
    second = plan.instalments.get(number=2)
    InstallmentPlan.objects.filter(pk=plan.pk).update(payment_method="pm_card_chargeDeclined")
    outcome = plans.plan_charge_instalment(instalment_id=second.pk, now=datetime.fromisoformat(at(second.due_on)))
    assert outcome == "failed"
    InstallmentPlan.objects.filter(pk=plan.pk).update(payment_method="pm_card_visa")
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.IN_GRACE
    return order, plan


def a_completed_plan(sku="PLAN1"):
    order, plan = a_plan(sku)
    for number in (2, 3):
        instalment = plan.instalments.get(number=number)
        now = datetime.fromisoformat(at(instalment.due_on))
        assert plans.plan_charge_instalment(instalment_id=instalment.pk, now=now) == "paid"
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.COMPLETED
    return order, plan


def run_action(client, action, plan_ids, **extra):
    return client.post(CHANGELIST, {"action": action, "_selected_action": plan_ids, **extra}, follow=True)


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def staff_client(role):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


# --- The list ------------------------------------------------------------------------------------------------------
def test_the_list_shows_paid_held_and_the_next_payment(admin_client):
    order, plan = a_plan()
    second = plan.instalments.get(number=2)
    page = admin_client.get(CHANGELIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert f'href="/admin/checkout/order/{order.pk}/change/"' in text and order.number in text
    assert "$6,000.00" in text  # total
    assert "$2,000.00" in text and "$4,000.00" in text  # paid, held
    assert f"{second.due_on:%b %-d, %Y}: $2,000.00" in text  # next payment
    assert "Visa ending 4242" in text
    assert change_url(plan) in text


def test_the_list_filters_by_status_and_finds_by_order_number_or_email(admin_client):
    _, active = a_plan("PLAN1")
    _, in_grace = a_plan_in_grace("PLAN2")
    page = admin_client.get(CHANGELIST, {"status__exact": "in_grace"})
    assert [p.pk for p in page.context["cl"].result_list] == [in_grace.pk]
    page = admin_client.get(CHANGELIST, {"status__exact": "active"})
    assert [p.pk for p in page.context["cl"].result_list] == [active.pk]
    assert admin_client.get(CHANGELIST, {"status__exact": "defaulted"}).context["cl"].result_count == 0
    assert admin_client.get(CHANGELIST, {"q": active.order.number}).context["cl"].result_count == 1
    assert admin_client.get(CHANGELIST, {"q": "ada@example.com"}).context["cl"].result_count == 2
    assert admin_client.get(CHANGELIST, {"gateway__exact": "offline"}).context["cl"].result_count == 2


def test_the_plan_page_is_read_only_with_its_instalments_and_log(admin_client):
    order, plan = a_plan()
    page = admin_client.get(change_url(plan))
    assert page.status_code == 200
    text = page.content.decode()
    assert b'name="_save"' not in page.content  # plans change only through the services
    assert "Payment 1 of 3 ($2,000.00) paid" in text  # the log
    assert "$4,000.00 held on the card." in text
    assert plan.instalments.get(number=1).gateway_id in text  # the instalments
    response = admin_client.post(change_url(plan), {"status": "completed", "hold_minor": "0"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert (plan.status, plan.hold_minor) == (InstallmentPlan.Status.ACTIVE, 400000)
    # The order's page links to its plan.
    order_page = admin_client.get(f"/admin/checkout/order/{order.pk}/change/").content.decode()
    assert f'href="{change_url(plan)}"' in order_page


def test_the_changelist_query_count_does_not_grow_with_the_plans(admin_client, django_assert_max_num_queries):
    a_plan_in_grace("PLAN0")
    admin_client.get(CHANGELIST)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as one:
        assert admin_client.get(CHANGELIST).context["cl"].result_count == 1
    for n in range(1, 10):
        a_plan(f"PLAN{n}")
    with django_assert_max_num_queries(len(one)):
        page = admin_client.get(CHANGELIST)
    assert page.context["cl"].result_count == 10
    assert page.content.decode().count("$4,000.00") == 10  # every row's figures were drawn


# --- Retry now -----------------------------------------------------------------------------------------------------
def test_retry_now_pays_a_failed_instalment_and_puts_the_plan_back_on_schedule(admin_client, admin_user):
    order, plan = a_plan_in_grace()
    second = plan.instalments.get(number=2)
    response = run_action(admin_client, "retry_instalment", [plan.pk])
    assert page_messages(response) == [f"{order.number}: payment 2 of 3 ($2,000.00) paid; the plan is active."]
    plan.refresh_from_db()
    second.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.ACTIVE and plan.failed_at is None
    assert second.status == Installment.Status.PAID and second.attempts == 2
    assert str(plans.plan_summary(plan)["paid"]) == "$4,000.00" and str(plan.held) == "$2,000.00"
    assert order.payments.filter(kind=Payment.Kind.CHARGE, status=Payment.Status.SUCCEEDED).count() == 2
    # Pressed again: the instalment left is not due, so nothing more is charged.
    third = plan.instalments.get(number=3)
    response = run_action(admin_client, "retry_instalment", [plan.pk])
    assert page_messages(response) == [
        f"{order.number}: payment 3 of 3 is not due until {third.due_on:%B %-d, %Y}; nothing was charged."
    ]
    assert order.payments.filter(kind=Payment.Kind.CHARGE).count() == 2
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.filter(user=admin_user, object_id=str(plan.pk)).count() == 1


def test_retry_now_when_the_card_declines_again_says_so(admin_client):
    order, plan = a_plan_in_grace()
    InstallmentPlan.objects.filter(pk=plan.pk).update(payment_method="pm_card_chargeDeclined")
    response = run_action(admin_client, "retry_instalment", [plan.pk])
    [message] = page_messages(response)
    assert message.startswith(f"{order.number}: payment 2 of 3 ($2,000.00) failed again; the card was not charged.")
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.IN_GRACE
    assert order.payments.filter(kind=Payment.Kind.CHARGE).count() == 1


def test_retry_now_on_a_completed_plan_changes_nothing(admin_client):
    order, plan = a_completed_plan()
    events = plan.events.count()
    response = run_action(admin_client, "retry_instalment", [plan.pk])
    assert page_messages(response) == [
        f"{order.number}: the plan is completed; there is nothing to retry and nothing was charged."
    ]
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.COMPLETED and plan.events.count() == events
    assert order.payments.filter(kind=Payment.Kind.CHARGE).count() == 3
    assert all(i.attempts == 1 for i in plan.instalments.all())


def test_retry_now_on_an_instalment_being_charged_charges_nothing_more(admin_client):
    order, plan = a_plan_in_grace()
    # Another run took the instalment a minute ago and has not recorded the answer yet.
    Installment.objects.filter(plan=plan, number=2).update(
        charging_key="plan-x:instalment-2:attempt-9", last_attempt_at=timezone.now() - timedelta(minutes=1)
    )
    response = run_action(admin_client, "retry_instalment", [plan.pk])
    assert "is being charged right now by another run; nothing more was charged" in page_messages(response)[0]
    assert order.payments.filter(kind=Payment.Kind.CHARGE).count() == 1


# --- Cancel --------------------------------------------------------------------------------------------------------
def test_cancel_asks_first_then_releases_the_hold_and_refunds(admin_client, admin_user):
    order, plan = a_plan_in_grace()
    hold = plan.hold_id
    page = run_action(admin_client, "cancel_plans", [plan.pk])
    assert page.status_code == 200
    assert page.templates[0].name == "admin/checkout/installmentplan/cancel_confirmation.html"
    text = page.content.decode()
    assert order.number in text and "$2,000.00" in text and "$4,000.00" in text
    assert "A refund cannot be undone." in text and "Yes, cancel and refund" in text
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.IN_GRACE and plan.hold_minor == 400000  # nothing done yet

    response = run_action(admin_client, "cancel_plans", [plan.pk], confirm="yes", reason="Returned the ring.")
    [message] = page_messages(response)
    assert message.startswith(f"{order.number}: plan cancelled; $4,000.00 hold released.")
    assert "refunded" in message
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.CANCELLED
    assert plan.hold_minor == 0 and plan.hold_id == ""
    assert OfflineGateway().retrieve(hold).status == "canceled"
    payment = order.payments.get(kind=Payment.Kind.CHARGE)
    assert payment.status == Payment.Status.REFUNDED and payment.refunded_minor == 200000
    refund = order.events.get(kind="refund")
    assert refund.staff_user == admin_user and "Returned the ring." in refund.message


def test_cancel_leaves_a_completed_plan_alone(admin_client):
    order, plan = a_completed_plan()
    page = run_action(admin_client, "cancel_plans", [plan.pk])
    assert "None of the selected plans can be cancelled" in page.content.decode()
    assert "Yes, cancel and refund" not in page.content.decode()
    response = run_action(admin_client, "cancel_plans", [plan.pk], confirm="yes")
    assert page_messages(response) == [f"{order.number}: the plan is completed; it was left as it is."]
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.COMPLETED
    assert not order.payments.filter(status=Payment.Status.REFUNDED).exists()


# --- Roles ---------------------------------------------------------------------------------------------------------
def test_customer_service_can_view_and_retry_but_not_delete_or_cancel():
    order, plan = a_plan_in_grace()
    client = staff_client("Customer service")
    page = client.get(CHANGELIST, {"status__exact": "in_grace"})
    assert page.status_code == 200 and page.context["cl"].result_count == 1
    text = page.content.decode()
    assert 'value="retry_instalment"' in text
    assert 'value="cancel_plans"' not in text  # it refunds: orders' change right, which they do not have
    assert 'value="delete_selected"' not in text
    detail = client.get(change_url(plan))
    assert detail.status_code == 200 and b'name="_save"' not in detail.content
    assert "Payment 2 of 3 failed" in detail.content.decode()  # they see the instalments and the log
    assert client.get(f"{change_url(plan)}../delete/").status_code == 403
    assert client.post(f"{CHANGELIST}{plan.pk}/delete/", {"post": "yes"}).status_code == 403

    response = run_action(client, "cancel_plans", [plan.pk], confirm="yes")
    assert response.status_code == 200  # not an action they have: the list again
    plan.refresh_from_db()
    assert plan.status == InstallmentPlan.Status.IN_GRACE and plan.hold_minor == 400000

    response = run_action(client, "retry_instalment", [plan.pk])
    assert page_messages(response) == [f"{order.number}: payment 2 of 3 ($2,000.00) paid; the plan is active."]
    assert InstallmentPlan.objects.get(pk=plan.pk).status == InstallmentPlan.Status.ACTIVE


def test_inventory_cannot_see_plans():
    _, plan = a_plan()
    client = staff_client("Inventory")
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(plan)).status_code == 403
    assert run_action(client, "retry_instalment", [plan.pk]).status_code == 403
