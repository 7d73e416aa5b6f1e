"""Placing an order: quote the bag, hold its stones, record the order, charge the card, sell the stones.

The order of the steps is the point (DESIGN.md §5, §6.3):
1. the quote is made again from the bag as priced now; if it is not what the review page showed (a price moved, the
   shopper switched currency), QuoteChanged is raised before anything is held or charged;
2. the bag's one-of-a-kind stones are reserved for this checkout (the holder);
3. the order, its frozen lines and a pending payment are written in one transaction and committed;
4. the card is charged with no transaction open and no row locked, under an idempotency key made from the order
   number, so a retried request never charges twice;
5. the outcome is recorded: a decline frees the stones and cancels the order; a success marks the order paid and
   sells the stones. If another checkout sold a stone in between, the payment is refunded at once and the shopper
   is told the item has just been sold.
The shopper's bag (the session) is never changed here: after a decline it is still there to try again, and after a
success the view empties it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from catalog.models import Diamond
from ring_builder.delivery import delivered_by, shop_holidays, shop_today

from . import inventory, plans
from .bag import Bag, Line
from .currency import current_rates
from .installments import eligibility_problems, split
from .inventory import StoneRef, StoneUnavailable
from .models import InstallmentPlan, Order, OrderEvent, OrderLine, Payment, PromotionRedemption
from .money import Money, quantize
from .orders import PAYMENT_DONE, order_transition, payment_record_success
from .payments import REQUIRES_ACTION, SUCCEEDED, GatewayError, PaymentActionRequired, PaymentDeclined, get_gateway
from .promotions import Discount, PricedLine, apply_promotions, promotion_rules, used_promotion_ids
from .tax import TaxEstimate, estimate_tax, tax_rules_for

EMPTY_BAG = "Your bag is empty."
QUOTE_CHANGED = "Your total has changed to {total}. Please review your order before paying."
ADDRESS_FIELDS = ("name", "line1", "line2", "city", "postal_code", "phone")
BILLING_FIELDS = (*ADDRESS_FIELDS, "region", "country")
AUTHENTICATION_FAILED = (
    "Your card issuer could not confirm this payment, so nothing was charged. Please try again or use another card."
)


class CheckoutError(Exception):
    """The bag cannot be ordered as it is; the message is for the shopper."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class QuoteChanged(CheckoutError):
    """The total is no longer what the shopper was shown; nothing was held or charged. `total` is the new one."""

    def __init__(self, total: Money):
        super().__init__(QUOTE_CHANGED.format(total=total))
        self.total = total


@dataclass(frozen=True)
class Quote:
    subtotal: Money
    discount: Money
    discounts: tuple[Discount, ...]
    tax: TaxEstimate
    shipping: Money
    rate_per_usd: Decimal

    @property
    def total(self) -> Money:
        return self.subtotal - self.discount + self.tax.taxes_and_duties + self.shipping


# --- The quote (a selector: reads only) ------------------------------------------------------------------------
def _priced_line(line: Line) -> PricedLine:
    setting_amount = None
    if line.kind == "ring" and line.parts and line.parts[0].price is not None:
        setting_amount = Money(line.parts[0].price.amount * line.quantity, line.parts[0].price.currency)
    return PricedLine(
        id=line.id,
        kind=line.kind,
        amount=line.total,
        setting_amount=setting_amount,
        designer=bool(getattr(line.setting, "collection", "")),
        true_hearts=isinstance(line.stone, Diamond) and bool(line.stone.true_hearts),
    )


def checkout_quote(
    *, bag: Bag, country: str, region: str = "", email: str = "", code: str = "", now: datetime | None = None
) -> Quote:
    """What the bag costs delivered to `country`/`region`, in the bag's currency: subtotal, offers, tax and duty
    estimate, free shipping. A code that is refused raises CheckoutError with the reason."""
    now = now or timezone.now()
    currency = bag.subtotal.currency
    rates = current_rates()
    rate = rates[currency]
    lines = [_priced_line(line) for line in bag.lines if line.total is not None]
    promotions = apply_promotions(
        lines=lines,
        promotions=promotion_rules(now=now, code=code),
        now=now,
        code=code,
        currency=currency,
        rate_per_usd=rate,
        used_promotion_ids=used_promotion_ids(email),
    )
    if promotions.refusal is not None:
        raise CheckoutError(promotions.refusal_message)
    # An offer never takes the goods below zero (promotions caps each line), so the taxed amount is never negative.
    goods = bag.subtotal - promotions.total
    shipping = Money(Decimal(0), currency)
    tax = estimate_tax(
        subtotal=goods,
        country=country,
        region=region,
        rates=tax_rules_for(country, region),
        shipping=shipping,
        rates_per_usd=rates,
    )
    return Quote(
        subtotal=bag.subtotal,
        discount=promotions.total,
        discounts=promotions.discounts,
        tax=tax,
        shipping=shipping,
        rate_per_usd=rate,
    )


def plan_problems(*, total: Money, rate_per_usd: Decimal, brand: str | None) -> list[str]:
    """Why this total (and card, when known) cannot be paid monthly; [] when it can. Limits from settings."""
    from django.conf import settings

    return eligibility_problems(
        total=total,
        rate_per_usd=rate_per_usd,
        brand=brand,
        min_usd=Decimal(str(settings.PLAN_MIN_TOTAL_USD)),
        max_usd=Decimal(str(settings.PLAN_MAX_TOTAL_USD)),
    )


# --- Stones and lines --------------------------------------------------------------------------------------------
def _stone_kind(stone) -> str:
    return "diamond" if isinstance(stone, Diamond) else "gemstone"


def _line_stones(line: Line, stored: dict | None) -> list[StoneRef]:
    """The stones a line holds. Earrings and pendants keep theirs only in the stored line (bag_lines)."""
    if stored is not None:
        if line.kind in ("diamond", "gemstone"):
            return [StoneRef(line.kind, stored["ref"])]
        if line.kind in ("ring", "pendant"):
            return [StoneRef(stored["stone"]["type"], stored["stone"]["sku"])]
        if line.kind == "earrings":
            return [StoneRef(s["type"], s["sku"]) for s in stored["stones"]]
        return []
    if line.kind in ("earrings", "pendant"):
        raise ValueError(f"order_place needs stored_lines (bag_lines(request)) to know the stones of a {line.kind}")
    if line.kind in ("diamond", "gemstone", "ring"):
        return [StoneRef(_stone_kind(line.stone), line.stone.sku)]
    return []


def _refs(bag: Bag, stored_lines: list[dict] | None) -> tuple[list[StoneRef], dict[str, list[StoneRef]]]:
    stored = {s["id"]: s for s in stored_lines} if stored_lines is not None else None
    by_line: dict[str, list[StoneRef]] = {}
    for line in bag.lines:
        raw = None
        if stored is not None:
            raw = stored.get(line.id)
            if raw is None:
                raise CheckoutError("Your bag has changed. Please review it before paying.")
        by_line[line.id] = _line_stones(line, raw)
    return sorted({ref for refs in by_line.values() for ref in refs}), by_line


def _description(line: Line) -> str:
    parts = [f"{p.label}: {p.title}" + (f" ({p.detail})" if p.detail else "") for p in line.parts]
    text = "\n".join([line.title, *parts])
    return text + (f"\n{line.note}" if line.note else "")


def _references(line: Line, refs: list[StoneRef], stored: dict | None) -> dict:
    data = {k: v for k, v in (stored or {}).items() if k not in ("id", "kind")}
    data["stones"] = [{"type": r.kind, "sku": r.sku} for r in refs]
    if line.setting_slug or line.setting is not None:
        data.setdefault("setting", line.setting_slug or line.setting.slug)
    return data


def _order_line(order: Order, line: Line, refs: list[StoneRef], stored: dict | None, rate: Decimal) -> OrderLine:
    unit = sum((p.price for p in line.parts), start=Money(Decimal(0), order.currency))
    return OrderLine(
        order=order,
        kind=line.kind,
        description=_description(line),
        references=_references(line, refs, stored),
        # The order's currency is what the shopper paid; the USD price is kept for reporting, converted back.
        unit_price_usd=quantize(unit.amount / rate, "USD"),
        unit_amount=unit.amount,
        quantity=line.quantity,
        line_amount=line.total.amount,
    )


def _production_days(bag: Bag) -> int:
    return max((getattr(line.setting, "production_days", 0) or 0 for line in bag.lines), default=0)


# --- Recording outcomes (each: lock order then payment, return if done, save, event) ------------------------------
def _payment_failed(*, payment_id: int, status: str, message: str, cancel: bool) -> None:
    with transaction.atomic():
        order_id = Payment.objects.values_list("order_id", flat=True).get(pk=payment_id)
        order = Order.objects.select_for_update().get(pk=order_id)  # order first, then payment: the lock order
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status not in (Payment.Status.PENDING, Payment.Status.REQUIRES_ACTION):
            return
        if payment.status == status:
            return
        payment.status = status
        payment.save(update_fields=["status", "updated"])
        kind = OrderEvent.Kind.PAYMENT_FAILED if status == Payment.Status.FAILED else OrderEvent.Kind.NOTE
        OrderEvent.objects.create(order=order, kind=kind, message=message)
        if cancel and order.status == Order.Status.PLACED:
            order_transition(order=order, to_status=Order.Status.CANCELLED, message=message)


def _record_refund(*, payment_id: int, refund_id: str, message: str) -> None:
    """Record a refund of all that was left on the payment (the order moves to refunded and the shopper is told)."""
    from .refunds import payment_record_refund

    payment_record_refund(payment_id=payment_id, refund_id=refund_id, reason=message)


def _confirmation_email(order: Order) -> dict:
    from .emails import order_email

    return order_email(order, "confirmation")


def _queue_confirmation(order_id: int) -> None:
    from .emails import queue_order_email

    queue_order_email(order_id, "confirmation")


# --- The service -------------------------------------------------------------------------------------------------
def order_place(
    *,
    bag: Bag,
    email: str,
    user=None,
    address: dict,
    country: str,
    region: str = "",
    billing: dict | None = None,
    payment_method: str,
    customer: str = "",
    payment_label: str = "",
    expected_total: Money,
    holder: str,
    token: str | None = None,
    code: str = "",
    stored_lines: list[dict] | None = None,
    gateway=None,
    plan: bool = False,
    card_brand: str = "",
) -> Order:
    """Place and pay for the order of `bag` (priced now, in the shopper's currency), or raise and charge nothing.

    `address` holds name, line1, line2, city, postal_code, phone; `country` and `region` are the destination;
    `billing` the same keys plus country and region, or None when it is the shipping address. `holder` names this
    checkout's stone reservations (e.g. the session key). `token` is the review page's one-time token: a second
    submit raises AlreadyPlaced with the first order. `stored_lines` are the bag's stored lines (`bag_lines(request)`),
    needed when the bag holds earrings or a pendant.

    Raises CheckoutError (empty bag, an item sold or gone, a refused code), AlreadyPlaced, QuoteChanged (the total is
    not `expected_total`), StoneUnavailable (a stone is held or sold elsewhere: before the charge nothing is charged,
    after it the payment is refunded), PaymentDeclined, PaymentActionRequired (the reservation is kept; the client
    secret and `order_number` are on the exception) or GatewayError (the outcome is unknown; the payment stays
    pending).

    With `plan` the order is paid in 3 monthly instalments (installments.py): the balance is held on the card first,
    then instalment 1 is charged; `card_brand` must be one the plan takes.

    Call it outside any transaction: the order must be committed before the gateway is called, and no row lock may be
    held while it is."""
    gateway = gateway or get_gateway()
    if token:
        _check_not_placed(token)
    if not bag.lines:
        raise CheckoutError(EMPTY_BAG)
    problem = next((line.problem for line in bag.lines if line.problem or line.total is None), None)
    if problem is not None:
        raise CheckoutError(problem or "An item in your bag is no longer available.")
    refs, line_refs = _refs(bag, stored_lines)
    stored = {s["id"]: s for s in stored_lines or []}

    now = timezone.now()
    quote = checkout_quote(bag=bag, country=country, region=region, email=email, code=code, now=now)
    total = quote.total
    if total.currency != expected_total.currency or total.amount != quantize(
        expected_total.amount, expected_total.currency
    ):
        raise QuoteChanged(total)
    if plan:
        problems = plan_problems(total=total, rate_per_usd=quote.rate_per_usd, brand=card_brand)
        if problems:
            raise CheckoutError(" ".join(problems))

    if refs:
        inventory.stones_reserve(refs=refs, holder=holder, now=now)

    country = country.strip().upper()
    billing_fields = {"billing_same_as_shipping": billing is None}
    if billing is not None:
        billing_fields.update({f"billing_{k}": str(billing.get(k, "") or "").strip() for k in BILLING_FIELDS})
    try:
        with transaction.atomic():
            order = Order.objects.create(
                user=user if user is not None and user.is_authenticated else None,
                email=email,
                currency=total.currency,
                rate_per_usd=quote.rate_per_usd,
                subtotal_amount=quote.subtotal.amount,
                discount_amount=quote.discount.amount,
                tax_amount=quote.tax.taxes_and_duties.amount,
                shipping_amount=quote.shipping.amount,
                total_amount=total.amount,
                **{f"shipping_{name}": str(address.get(name, "") or "").strip() for name in ADDRESS_FIELDS},
                shipping_region=region,
                shipping_country=country,
                **billing_fields,
                payment_label=payment_label[:60],
                checkout_token=token or None,
                stone_holder=holder,
                promotion_ids=sorted({d.promotion_id for d in quote.discounts}),
                delivered_by=delivered_by(
                    ordered_on=shop_today(), production_days=_production_days(bag), holidays=shop_holidays()
                ),
                placed_at=now,
            )
            OrderLine.objects.bulk_create(
                [
                    _order_line(order, line, line_refs[line.id], stored.get(line.id), quote.rate_per_usd)
                    for line in bag.lines
                ]
            )
            the_plan = None
            if plan:
                the_plan = plans.plan_create(
                    order=order,
                    gateway_name=gateway.name,
                    customer=customer,
                    payment_method=payment_method,
                    card_label=payment_label,
                    today=shop_today(),
                )
            payment = Payment.objects.create(
                order=order,
                gateway=gateway.name,
                kind=Payment.Kind.CHARGE,
                amount_minor=split(total.to_minor_units())[0] if plan else total.to_minor_units(),
                currency=total.currency,
                idempotency_key=plans.first_charge_key(the_plan) if plan else f"{order.number}:charge:1",
            )
            OrderEvent.objects.create(order=order, kind=OrderEvent.Kind.NOTE, message=f"Order placed for {total}.")
    except IntegrityError:
        if token and Order.objects.filter(checkout_token=token).exists():
            # The same review page submitted twice at once: the other request placed it and holds the stones.
            _check_not_placed(token)
        if refs:
            inventory.stones_release(refs=refs, holder=holder)
        raise
    except BaseException:
        if refs:
            inventory.stones_release(refs=refs, holder=holder)
        raise

    # No transaction open, no row locked: the charge may take seconds.
    if the_plan is not None:
        try:
            plans.plan_hold_at_checkout(plan=the_plan, gateway=gateway)
        except PaymentDeclined as exc:
            order_payment_failed(
                order_id=order.pk, message=f"The card could not hold the plan's balance: {exc.message}"
            )
            raise
    try:
        result = gateway.authorize(
            payment.amount_minor,
            payment.currency,
            payment_method=payment_method,
            customer=customer or None,
            capture=True,
            idempotency_key=payment.idempotency_key,
            metadata={"order": order.number},
        )
    except PaymentDeclined as exc:
        order_payment_failed(order_id=order.pk, message=f"Card declined ({exc.code}): {exc.message}")
        raise
    except PaymentActionRequired as exc:
        if exc.payment_id:
            Payment.objects.filter(pk=payment.pk, gateway_id="").update(gateway_id=exc.payment_id)
        _payment_failed(
            payment_id=payment.pk,
            status=Payment.Status.REQUIRES_ACTION,
            message="The card issuer asked the shopper to authenticate the payment.",
            cancel=False,
        )
        exc.order_number = order.number
        raise
    except GatewayError as exc:
        OrderEvent.objects.create(
            order=order, kind=OrderEvent.Kind.NOTE, message=f"The payment gateway failed; outcome unknown: {exc}"
        )
        raise

    return order_settle(order_id=order.pk, gateway_id=result.id, gateway=gateway)


class AlreadyPlaced(CheckoutError):
    """This checkout (its one-time token) already placed `order`."""

    def __init__(self, order: Order):
        super().__init__("This order has already been placed.")
        self.order = order


def _check_not_placed(token: str) -> None:
    order = Order.objects.filter(checkout_token=token).first()
    if order is not None:
        raise AlreadyPlaced(order)


def _order_refs(order: Order) -> list[StoneRef]:
    refs = {StoneRef(s["type"], s["sku"]) for line in order.lines.all() for s in line.references.get("stones", [])}
    return sorted(refs)


def _take_stock(order: Order) -> None:
    """Pieces with a stock count (jewelry) leave stock when paid; a piece that ran out is made to order, so say so."""
    from catalog.models import Jewelry

    for line in order.lines.all():
        if line.kind != OrderLine.Kind.JEWELRY:
            continue
        sku = line.references.get("ref", "")
        taken = Jewelry.objects.filter(sku=sku, stock_count__gte=line.quantity).update(
            stock_count=F("stock_count") - line.quantity
        )
        if not taken:
            OrderEvent.objects.create(
                order=order,
                kind=OrderEvent.Kind.NOTE,
                message=f"Not enough stock of {sku} for {line.quantity}: make to order (adds production time).",
            )


def order_settle(*, order_id: int, gateway_id: str, gateway=None) -> Order:
    """A charge succeeded at the gateway (seen by the shopper's return, 3-D Secure, or a webhook, in any order and
    any number of times): sell the stones, record the payment, take stock, redeem offers, send the confirmation.
    Everything happens once, under the order's row lock; a stone that was sold to another checkout meanwhile makes
    this refund the charge at once (outside the lock) and raise StoneUnavailable."""
    lost: StoneUnavailable | None = None
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        payment = (
            Payment.objects.filter(order=order, kind=Payment.Kind.CHARGE).order_by("-pk").first()
            if not gateway_id
            else Payment.objects.filter(order=order, gateway_id=gateway_id).first()
            or Payment.objects.filter(order=order, kind=Payment.Kind.CHARGE, gateway_id="").order_by("-pk").first()
        )
        if payment is None:
            raise ValueError(f"Order {order.number} has no payment {gateway_id!r}")
        if payment.status in PAYMENT_DONE:
            return order
        refs = _order_refs(order)
        if refs:
            try:
                with transaction.atomic():
                    inventory.stones_sell(refs=refs, holder=order.stone_holder)
            except StoneUnavailable as exc:
                lost = exc
        payment_record_success(payment_id=payment.pk, gateway_id=gateway_id)
        if lost is None:
            if InstallmentPlan.objects.filter(order=order).exists():
                plans.plan_first_paid(plan_id=order.plan.pk, gateway_id=gateway_id or payment.gateway_id)
            _take_stock(order)
            for promotion_id in order.promotion_ids:
                _redeem(promotion_id=promotion_id, email=order.email, user=order.user, order=order)
            transaction.on_commit(lambda: _queue_confirmation(order.pk))
    if lost is not None:
        _refund_lost_sale(
            gateway=gateway or get_gateway(), order=order, payment_id=payment.pk, result_id=gateway_id, sku=lost.sku
        )
        if refs:
            inventory.stones_release(refs=refs, holder=order.stone_holder)
        plans.plan_abandon_at_checkout(order=order, gateway=gateway)
        raise lost
    order.refresh_from_db()
    return order


def order_payment_failed(*, order_id: int, message: str) -> Order:
    """The charge failed (declined, authentication failed, cancelled): cancel the order and free its stones. The
    shopper's bag is untouched, so they can try another card."""
    order = Order.objects.get(pk=order_id)
    payment = order.payments.filter(kind=Payment.Kind.CHARGE).order_by("-pk").first()
    if payment is not None:
        _payment_failed(payment_id=payment.pk, status=Payment.Status.FAILED, message=message, cancel=True)
    order.refresh_from_db()
    if order.status == Order.Status.CANCELLED:
        refs = _order_refs(order)
        if refs:
            inventory.stones_release(refs=refs, holder=order.stone_holder)
        plans.plan_abandon_at_checkout(order=order)
    return order


def order_authentication_finish(*, order: Order, gateway=None) -> Order:
    """The shopper is back from 3-D Secure: ask the gateway how the payment ended and act on it.

    Returns the paid order; raises PaymentActionRequired (still waiting), PaymentDeclined (authentication failed:
    the order is cancelled, the stones freed) or StoneUnavailable (see order_settle)."""
    gateway = gateway or get_gateway()
    payment = order.payments.filter(kind=Payment.Kind.CHARGE).order_by("-pk").first()
    if payment is None or payment.status in PAYMENT_DONE:
        return order
    if payment.status not in (Payment.Status.PENDING, Payment.Status.REQUIRES_ACTION) or not payment.gateway_id:
        raise PaymentDeclined(AUTHENTICATION_FAILED, "authentication_failed")
    result = gateway.retrieve(payment.gateway_id)
    if result.status == SUCCEEDED:
        return order_settle(order_id=order.pk, gateway_id=result.id, gateway=gateway)
    if result.status == REQUIRES_ACTION:
        exc = PaymentActionRequired(result.client_secret, result.id)
        exc.order_number = order.number
        raise exc
    order_payment_failed(order_id=order.pk, message=f"Authentication failed; the payment is {result.status}.")
    raise PaymentDeclined(AUTHENTICATION_FAILED, "authentication_failed")


def _refund_lost_sale(*, gateway, order: Order, payment_id: int, result_id: str, sku: str) -> None:
    """Another checkout sold a stone after this one was charged: give the money back at once."""
    message = f"Stone {sku} was sold to another checkout after the charge; refunded automatically."
    try:
        refund_id = gateway.refund(result_id, idempotency_key=f"{order.number}:refund:1")
    except GatewayError as exc:
        OrderEvent.objects.create(
            order=order, kind=OrderEvent.Kind.NOTE, message=f"{message} The refund FAILED ({exc}): refund it by hand."
        )
        return
    _record_refund(payment_id=payment_id, refund_id=refund_id, message=message)


def _redeem(*, promotion_id: int, email: str, user, order: Order) -> None:
    """Remember a one-use offer as used by this customer (a second order the same moment keeps its discount)."""
    from .models import Promotion

    if not Promotion.objects.filter(pk=promotion_id, one_use_per_customer=True).exists():
        return
    try:
        with transaction.atomic():
            PromotionRedemption.objects.create(
                promotion_id=promotion_id, email=email, user=user, order_reference=order.number
            )
    except IntegrityError:
        pass
