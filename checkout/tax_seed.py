"""The tax & duty estimate table's starting rates for the destinations the shop ships to.

These are estimates shown to shoppers, not tax advice: staff edit them in the admin. Seeded after every migrate
(like the currencies), so a flushed database gets them back; rows already present (matched by country, region,
kind and name) are left alone, so a staff edit is never overwritten."""

from decimal import Decimal

D = Decimal
EU_VAT = {"DE": "19", "FR": "20", "IT": "22", "ES": "21", "NL": "21", "IE": "23", "BE": "21", "AT": "20"}
# (country, region, name, kind, rate, threshold amount, threshold currency)
ROWS = [
    ("US", "NY", "Sales tax", "sales_tax", "8.875", None, ""),
    ("US", "CA", "Sales tax", "sales_tax", "7.25", None, ""),
    ("US", "NJ", "Sales tax", "sales_tax", "6.625", None, ""),
    ("US", "TX", "Sales tax", "sales_tax", "6.25", None, ""),
    ("US", "FL", "Sales tax", "sales_tax", "6", None, ""),
    # Canada: GST where there is no HST; HST replaces GST in the harmonized provinces.
    *[("CA", p, "GST", "gst", "5", None, "") for p in ("AB", "BC", "MB", "NT", "NU", "QC", "SK", "YT")],
    ("CA", "ON", "HST", "hst", "13", None, ""),
    *[("CA", p, "HST", "hst", "15", None, "") for p in ("NS", "NB", "NL", "PE")],
    ("CA", "QC", "QST", "qst", "9.975", None, ""),
    ("CA", "BC", "PST", "pst", "7", None, ""),
    ("CA", "MB", "RST", "pst", "7", None, ""),
    ("CA", "SK", "PST", "pst", "6", None, ""),
    *[(c, "", "VAT", "vat", rate, None, "") for c, rate in EU_VAT.items()],
    *[(c, "", "Import duty", "duty", "2.5", "150", "EUR") for c in EU_VAT],
    ("GB", "", "VAT", "vat", "20", None, ""),
    ("GB", "", "Import duty", "duty", "2.5", "135", "GBP"),
    # Australia: GST 10% either way (collected by us up to A$1,000, at the border above it).
    ("AU", "", "GST", "gst", "10", None, ""),
    ("NZ", "", "GST", "gst", "15", None, ""),
    ("SG", "", "GST", "gst", "9", None, ""),
    ("HK", "", "No sales tax or VAT", "sales_tax", "0", None, ""),
    ("CN", "", "Import VAT", "vat", "13", None, ""),
    ("CN", "", "Import duty", "duty", "8", None, ""),
]


def seed_tax_rates(*, using: str = "default") -> int:
    from .models import TaxRate

    existing = set(TaxRate.objects.using(using).values_list("country", "region", "kind", "name"))
    created = TaxRate.objects.using(using).bulk_create(
        TaxRate(
            country=country,
            region=region,
            name=name,
            kind=kind,
            rate=D(rate),
            threshold_amount=D(threshold) if threshold else None,
            threshold_currency=currency,
        )
        for country, region, name, kind, rate, threshold, currency in ROWS
        if (country, region, kind, name) not in existing
    )
    return len(created)
