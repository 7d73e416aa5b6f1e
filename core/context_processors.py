from django.conf import settings
from django.utils.functional import lazy

from checkout.bag import bag_count
from customer_service.due_dates import zone_name

# The header's main navigation: (label, url). Sections whose pages arrive with later issues link to their
# final addresses already (DESIGN.md §2).
MAIN_NAV = [
    ("Engagement rings", "/engagement-rings/"),
    ("Wedding rings", "/jewelry/wedding-bands/"),
    ("Diamonds", "/loose-diamonds/"),
    ("Gemstones", "/gemstones/"),
    ("Jewelry", "/jewelry/"),
    ("Education", "/education/"),
]

FOOTER_LINKS = {
    "Our guarantee": [
        ("24/7 customer service", "/guarantee/customer-service/"),
        ("Lifetime warranty", "/guarantee/lifetime-warranty/"),
        ("Free shipping worldwide", "/guarantee/free-shipping/"),
        ("Hassle-free returns", "/guarantee/returns/"),
        ("Lifetime upgrade", "/guarantee/lifetime-upgrade/"),
    ],
    "Services": [
        ("Free engraving", "/guarantee/engraving/"),
        ("Free resizing", "/guarantee/resizing/"),
        ("Conflict-free diamonds", "/guarantee/conflict-free/"),
        ("Payment options", "/guarantee/payment-options/"),
        ("Jewelry insurance", "/guarantee/insurance/"),
    ],
    "Help": [
        ("Contact us", "/contact-us/"),
        ("FAQ", "/faq/"),
        ("Tax & duty calculator", "/tax-duty-calculator/"),
        ("Engagement moments", "/engagement-moments/"),
        ("My account", "/account/login/"),
    ],
}


def _wish_count(request) -> int:
    from catalog.lists import wish_list_count

    return wish_list_count(request)


def shop(request):
    return {
        "shop_name": settings.SHOP_NAME,
        "shop_phone_us": settings.SHOP_PHONE_US,
        "shop_phone_intl": settings.SHOP_PHONE_INTL,
        "shop_email": settings.SHOP_EMAIL,
        # Customer-service dates (answer due, received) are the shop's dates: `{% timezone shop_time_zone %}`.
        "shop_time_zone": settings.SHOP_TIME_ZONE,
        "shop_zone_label": zone_name(settings.SHOP_TIME_ZONE),
        "main_nav": MAIN_NAV,
        "footer_links": FOOTER_LINKS,
        # Filled by the bag and wish list issues; the header shows them from day one.
        "bag_count": bag_count(request),
        # Lazy: read only where a template shows it (one query when signed in, none otherwise; see catalog.lists).
        "wish_count": lazy(_wish_count, int)(request),
    }
