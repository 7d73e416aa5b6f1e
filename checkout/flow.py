"""Where the shopper is in checkout, kept in the session next to the bag: contact and addresses, the offer code, the
saved card, and the review page's one-time token. Only choices live here, never amounts: every page quotes again.

The steps are details -> payment -> review -> place; `next_step` says which one a shopper may see, so a deep link
or a back button never shows a page whose earlier step is missing."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings

from .payments import SavedCard

SESSION_KEY = "checkout"
ORDERS_KEY = "orders_placed"  # order numbers this browser placed: a guest may see these
MAX_REMEMBERED_ORDERS = 20


def state(request) -> dict:
    value = request.session.get(SESSION_KEY)
    return value if isinstance(value, dict) else {}


def _save(request, **changes) -> dict:
    current = {**state(request), **changes}
    request.session[SESSION_KEY] = {k: v for k, v in current.items() if v is not None}
    return current


def save_details(request, *, email: str, shipping: dict, billing: dict | None) -> None:
    # A new destination changes tax and duty, so the review must be seen again; the card stays.
    _save(request, email=email, shipping=shipping, billing=billing if billing is not None else {}, token=None)


def save_code(request, code: str) -> None:
    _save(request, code=code, token=None)


def code(request) -> str:
    return state(request).get("code", "")


def save_card(request, card: SavedCard) -> None:
    _save(
        request,
        card={
            "payment_method": card.payment_method,
            "brand": card.brand,
            "last4": card.last4,
            "customer": card.customer,
        },
        token=None,
    )


def save_plan(request, chosen: bool) -> None:
    _save(request, plan=bool(chosen), token=None)


def plan_chosen(request) -> bool:
    return state(request).get("plan") is True


def card(request) -> SavedCard | None:
    raw = state(request).get("card")
    if not isinstance(raw, dict) or not raw.get("payment_method"):
        return None
    return SavedCard(**{k: str(raw.get(k, "")) for k in ("payment_method", "brand", "last4", "customer")})


def forget_card(request) -> None:
    current = state(request)
    current.pop("card", None)
    current.pop("setup", None)
    request.session[SESSION_KEY] = current


def remember(request, key: str, value: str) -> None:
    _save(request, **{key: value})


def recall(request, key: str) -> str:
    value = state(request).get(key, "")
    return value if isinstance(value, str) else ""


def shipping(request) -> dict | None:
    value = state(request).get("shipping")
    return value if isinstance(value, dict) and value.get("country") else None


def billing(request) -> dict | None:
    """The billing address, or None when it is the shipping address."""
    value = state(request).get("billing")
    return value if isinstance(value, dict) and value.get("country") else None


def email(request) -> str:
    return state(request).get("email", "")


def destination(request) -> tuple[str, str]:
    """(country, region) for tax and duty: the shipping address once given, else the bag's estimate choice."""
    address = shipping(request)
    if address:
        return address["country"], address.get("region", "")
    estimate = state(request).get("estimate")
    if isinstance(estimate, dict) and estimate.get("country"):
        return estimate["country"], estimate.get("region", "")
    return "", ""


def save_estimate_destination(request, *, country: str, region: str) -> None:
    _save(request, estimate={"country": country, "region": region})


def token(request) -> str:
    """The review page's one-time token, made on first use; placing an order spends it."""
    current = state(request).get("token")
    if isinstance(current, str) and current:
        return current
    value = secrets.token_urlsafe(24)
    _save(request, token=value)
    return value


def rotate_token(request) -> None:
    _save(request, token=secrets.token_urlsafe(24))


def next_step(request, bag_empty: bool) -> str:
    """The first step not done yet: 'bag', 'details', 'payment' or 'review'."""
    if bag_empty:
        return "bag"
    if not shipping(request) or not email(request):
        return "details"
    if card(request) is None:
        return "payment"
    return "review"


def finish(request, order_number: str) -> None:
    """The order is placed and paid: forget the checkout and the bag, remember the order for this browser."""
    from .bag import bag_clear

    request.session.pop(SESSION_KEY, None)
    bag_clear(request)
    remember_order(request, order_number)


def remember_order(request, order_number: str) -> None:
    placed = [n for n in request.session.get(ORDERS_KEY, []) if isinstance(n, str) and n != order_number]
    request.session[ORDERS_KEY] = [order_number, *placed][:MAX_REMEMBERED_ORDERS]


def may_see_order(request, order) -> bool:
    """The owner: the signed-in customer it belongs to, or the browser that placed it (a guest)."""
    if order.user_id is not None:
        return request.user.is_authenticated and request.user.pk == order.user_id
    return order.number in request.session.get(ORDERS_KEY, [])


def stripe_origins() -> dict[str, list[str]]:
    """CSP additions for pages that load Stripe.js: its script, the API it calls and its 3-D Secure frames."""

    def origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    js, api = origin(settings.STRIPE_JS_URL), origin(settings.STRIPE_API_BASE)
    return {
        "script-src": [js],
        "connect-src": sorted({js, api}),
        "frame-src": sorted({js, "https://js.stripe.com", "https://hooks.stripe.com"}),
        "img-src": ["https://*.stripe.com"],
    }
