""" "Send to a friend" and "drop a hint": a fixed email about one product, written by the shop, to at most three
people. Nothing the sender types reaches the email except their name (one short line, no links), so the feature
cannot carry anyone's message; the limits (per sender, per client address, per recipient) keep it from sending mail
at scale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from catalog.models import Diamond, Gemstone, Jewelry, RingSetting
from catalog.views.detail import diamond_title, gemstone_title
from checkout.currency import price_in
from checkout.emails import site_url
from checkout.money import format_money

from . import emails
from .models import ProductShare

ITEM_TYPES = ("diamond", "gemstone", "setting", "jewelry")
MAX_FRIENDS = 3
DAY = timedelta(hours=24)
PER_RECIPIENT_PER_DAY = 3  # share emails one address may receive from anyone in 24 hours


@dataclass(frozen=True)
class SharedItem:
    """What a share says about a product: enough for the form page and the email, whatever its kind."""

    item_type: str
    ref: str
    title: str
    price_usd: Decimal | None
    from_price: bool  # a setting's price depends on the metal: the email says "from"
    path: str

    @property
    def url(self) -> str:
        return f"{site_url()}{self.path}"

    def price(self, currency: str) -> str:
        if self.price_usd is None:
            return ""
        shown = format_money(price_in(self.price_usd, currency))
        return f"From {shown}" if self.from_price else shown


def shared_item(*, item_type: str, ref: str) -> SharedItem | None:
    """The product a share is about, or None when there is nothing to share: unknown, sold or no longer offered."""
    if item_type in ("diamond", "gemstone"):
        model = Diamond if item_type == "diamond" else Gemstone
        stone = model.objects.filter(sku=ref).first()
        if stone is None or stone.is_sold:
            return None
        title = diamond_title(stone) if item_type == "diamond" else gemstone_title(stone)
        return SharedItem(item_type, stone.sku, title, stone.current_price, False, stone.get_absolute_url())
    if item_type == "setting":
        setting = RingSetting.objects.filter(slug=ref, is_active=True).prefetch_related("variants").first()
        if setting is None:
            return None
        prices = [variant.price for variant in setting.variants.all()]
        lowest = min(prices) if prices else None
        return SharedItem(
            item_type, setting.slug, setting.name, lowest, len(set(prices)) > 1, setting.get_absolute_url()
        )
    if item_type == "jewelry":
        item = Jewelry.objects.filter(slug=ref, is_active=True).first()
        if item is None:
            return None
        return SharedItem(item_type, item.slug, item.name, item.price, False, item.get_absolute_url())
    return None


def normalize_email(address: str) -> str:
    """One spelling per mailbox, so limits and duplicates compare alike: lower case, the domain in ASCII."""
    local, _, domain = address.strip().rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}".lower()


def recipients_over_limit(recipients: list[str], *, now: datetime | None = None) -> bool:
    """True when any of these addresses has already had PER_RECIPIENT_PER_DAY share emails in the last 24 hours.
    At most PER_RECIPIENT_PER_DAY rows are read per address (one small query each, at most three)."""
    since = (now or timezone.now()) - DAY
    recent = ProductShare.objects.filter(created_at__gte=since)
    for address in recipients:
        if connection.features.supports_json_field_contains:
            rows = recent.filter(recipients__contains=[address])
        else:
            # SQLite has no JSON containment: match the quoted address in the stored text (addresses are stored
            # lower-cased and plain), then check each row's list exactly.
            rows = recent.filter(recipients__icontains=f'"{address}"')
        found = rows.values_list("recipients", flat=True)[:PER_RECIPIENT_PER_DAY]
        if sum(address in stored for stored in found) >= PER_RECIPIENT_PER_DAY:
            return True
    return False


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def product_share(
    *,
    kind: str,
    item: SharedItem,
    sender_name: str,
    sender_email: str,
    recipients: list[str],
    currency: str = "USD",
    ip_address: str | None = None,
) -> ProductShare:
    """Record the share and queue one email per recipient, each to that recipient alone, with Reply-To the sender
    (an answer goes to the friend, not to the shop). The forms have checked the values; the invariants that keep
    this from being a mailer are enforced again here."""
    if kind not in ProductShare.Kind.values:
        raise ValueError(f"unknown share kind {kind!r}")
    sender_email = normalize_email(sender_email)
    unique = list(dict.fromkeys(normalize_email(address) for address in recipients))
    unique = [address for address in unique if address != sender_email]
    allowed = MAX_FRIENDS if kind == ProductShare.Kind.FRIEND else 1
    if not unique or len(unique) > allowed:
        raise ValueError(f"a {kind} share goes to 1 to {allowed} other people")

    context = {
        "kind": kind,
        "title": item.title,
        "price": item.price(currency),
        "product_url": item.url,
        "sender_name": sender_name,
        "first_name": first_name(sender_name),
        "button_url": item.url,
        "button_label": "See it at Solitaire" if kind == ProductShare.Kind.HINT else "Take a look",
    }
    if kind == ProductShare.Kind.HINT:
        subject = f"{context['first_name']} has been dreaming about something from Solitaire"
    else:
        subject = f"{context['first_name']} thought you would love this"
    with transaction.atomic():
        share = ProductShare.objects.create(
            kind=kind,
            item_type=item.item_type,
            item_ref=item.ref,
            sender_name=sender_name,
            sender_email=sender_email,
            recipients=unique,
            ip_address=ip_address or None,
        )
        for address in unique:
            emails.queue(
                f"share_{kind}",
                subject=subject,
                to=[address],
                context=context,
                headers={"Reply-To": sender_email},
            )
    return share
