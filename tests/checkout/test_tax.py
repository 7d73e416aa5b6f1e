from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkout.models import TaxRate
from checkout.money import CURRENCIES, SEED_RATES, Money, quantize
from checkout.tax import TaxRule, estimate_tax, percent_label, tax_rules_for

D = Decimal
EUR_DUTY = Money(D("150"), "EUR")
GBP_DUTY = Money(D("135"), "GBP")
RULES = [
    TaxRule(country="US", region="NY", name="Sales tax", kind="sales_tax", rate=D("8.875")),
    TaxRule(country="US", region="CA", name="Sales tax", kind="sales_tax", rate=D("7.25")),
    TaxRule(country="CA", region="BC", name="GST", kind="gst", rate=D("5")),
    TaxRule(country="CA", region="BC", name="PST", kind="pst", rate=D("7")),
    TaxRule(country="CA", region="ON", name="HST", kind="hst", rate=D("13")),
    TaxRule(country="CA", region="QC", name="GST", kind="gst", rate=D("5")),
    TaxRule(country="CA", region="QC", name="QST", kind="qst", rate=D("9.975")),
    TaxRule(country="DE", name="VAT", kind="vat", rate=D("19")),
    TaxRule(country="DE", name="Import duty", kind="duty", rate=D("2.5"), threshold=EUR_DUTY),
    TaxRule(country="FR", name="VAT", kind="vat", rate=D("20")),
    TaxRule(country="FR", name="Import duty", kind="duty", rate=D("2.5"), threshold=EUR_DUTY),
    TaxRule(country="GB", name="VAT", kind="vat", rate=D("20")),
    TaxRule(country="GB", name="Import duty", kind="duty", rate=D("2.5"), threshold=GBP_DUTY),
    TaxRule(country="AU", name="GST", kind="gst", rate=D("10")),
    TaxRule(country="HK", name="No sales tax or VAT", kind="sales_tax", rate=D("0")),
    TaxRule(country="CN", name="Import VAT", kind="vat", rate=D("13")),
    TaxRule(country="CN", name="Import duty", kind="duty", rate=D("8")),
]


def m(amount, currency="USD"):
    return Money(D(amount), currency)


@pytest.mark.parametrize(
    ("subtotal", "country", "region", "expected_lines", "label", "total"),
    [
        (m("1000"), "US", "NY", [("Sales tax 8.875%", "88.75")], "Sales tax 8.875%", "1088.75"),
        (m("999.99"), "US", "CA", [("Sales tax 7.25%", "72.50")], "Sales tax 7.25%", "1072.49"),
        (m("5000"), "US", "OR", [], "", "5000.00"),
        (m("1000", "CAD"), "CA", "BC", [("GST 5%", "50.00"), ("PST 7%", "70.00")], "GST 5% + PST 7%", "1120.00"),
        (m("1000", "CAD"), "CA", "ON", [("HST 13%", "130.00")], "HST 13%", "1130.00"),
        (
            m("1000", "CAD"),
            "CA",
            "QC",
            [("GST 5%", "50.00"), ("QST 9.975%", "99.75")],
            "GST 5% + QST 9.975%",
            "1149.75",
        ),
        (
            m("2000", "EUR"),
            "DE",
            "",
            [("VAT 19%", "380.00"), ("Import duty 2.5% (over the €150 threshold)", "50.00")],
            "VAT 19%",
            "2430.00",
        ),
        (m("150", "EUR"), "FR", "", [("VAT 20%", "30.00")], "VAT 20%", "180.00"),
        (
            m("150.01", "EUR"),
            "FR",
            "",
            [("VAT 20%", "30.00"), ("Import duty 2.5% (over the €150 threshold)", "3.75")],
            "VAT 20%",
            "183.76",
        ),
        (m("100", "GBP"), "GB", "", [("VAT 20%", "20.00")], "VAT 20%", "120.00"),
        (
            m("1000", "GBP"),
            "GB",
            "",
            [("VAT 20%", "200.00"), ("Import duty 2.5% (over the £135 threshold)", "25.00")],
            "VAT 20%",
            "1225.00",
        ),
        (m("1500", "AUD"), "AU", "", [("GST 10%", "150.00")], "GST 10%", "1650.00"),
        (m("8000", "HKD"), "HK", "", [("No sales tax or VAT 0%", "0.00")], "No sales tax or VAT 0%", "8000.00"),
        (
            m("1000", "CNY"),
            "CN",
            "",
            [("Import VAT 13%", "130.00"), ("Import duty 8%", "80.00")],
            "Import VAT 13%",
            "1210.00",
        ),
        (m("1000"), "JP", "", [], "", "1000.00"),
    ],
)
def test_estimates_per_destination(subtotal, country, region, expected_lines, label, total):
    estimate = estimate_tax(subtotal=subtotal, country=country, region=region, rates=RULES)
    assert [(line.name, str(line.amount.amount)) for line in estimate.lines] == expected_lines
    assert estimate.tax_label == label
    assert estimate.total == Money(D(total), subtotal.currency)


def test_threshold_is_compared_in_the_shoppers_currency():
    # €150 at 0.9634 EUR per USD is $155.70…: $155 is under it, $156 over it.
    under = estimate_tax(subtotal=m("155"), country="DE", rates=RULES)
    over = estimate_tax(subtotal=m("156"), country="DE", rates=RULES)
    assert [line.kind for line in under.lines] == ["vat"]
    assert "under the €150 threshold" in under.notes[0]
    assert [line.kind for line in over.lines] == ["vat", "duty"]


def test_threshold_uses_the_rates_given():
    rates = {"EUR": D("1"), "USD": D("1")}
    assert len(estimate_tax(subtotal=m("151"), country="DE", rates=RULES, rates_per_usd=rates).duty_lines) == 1
    assert len(estimate_tax(subtotal=m("150"), country="DE", rates=RULES, rates_per_usd=rates).duty_lines) == 0


def test_country_and_region_are_case_insensitive_and_other_regions_ignored():
    estimate = estimate_tax(subtotal=m("100", "CAD"), country="ca", region="bc", rates=RULES)
    assert estimate.tax_label == "GST 5% + PST 7%"


def test_shipping_is_taxed_only_when_the_rule_says_so():
    rules = [
        TaxRule(country="NZ", name="GST", kind="gst", rate=D("15"), applies_to_shipping=True),
        TaxRule(country="NZ", name="Levy", kind="sales_tax", rate=D("1")),
    ]
    estimate = estimate_tax(subtotal=m("100", "NZD"), country="NZ", rates=rules, shipping=m("20", "NZD"))
    assert [line.amount for line in estimate.lines] == [m("18.00", "NZD"), m("1.00", "NZD")]


@pytest.mark.parametrize("rate", [D("-1"), D("100.01"), 5])
def test_rules_refuse_impossible_rates(rate):
    with pytest.raises(ValueError):
        TaxRule(country="US", name="Sales tax", rate=rate)


def test_negative_subtotal_is_refused():
    with pytest.raises(ValueError):
        estimate_tax(subtotal=m("-1"), country="DE", rates=RULES)


@pytest.mark.parametrize(("rate", "label"), [(D("20.000"), "20%"), (D("8.875"), "8.875%"), (D("0"), "0%")])
def test_percent_label(rate, label):
    assert percent_label(rate) == label


amounts = st.decimals(min_value=D("0"), max_value=D("9999999.99"), places=2, allow_nan=False, allow_infinity=False)
destinations = st.sampled_from([(r.country, r.region) for r in RULES] + [("JP", "")])


@given(amount=amounts, currency=st.sampled_from(sorted(CURRENCIES)), destination=destinations)
def test_invariants(amount, currency, destination):
    subtotal = Money(amount, currency)
    country, region = destination
    estimate = estimate_tax(subtotal=subtotal, country=country, region=region, rates=RULES)
    for line in estimate.lines:
        assert line.amount.amount >= 0
        assert line.amount.currency == currency
        assert line.amount.amount == quantize(amount * line.rate / 100, currency)
    assert estimate.total == subtotal + sum((line.amount for line in estimate.lines), Money(D(0), currency))


# --- The seeded table --------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "region", "label", "duty"),
    [
        ("US", "NY", "Sales tax 8.875%", False),
        ("US", "NJ", "Sales tax 6.625%", False),
        ("CA", "BC", "GST 5% + PST 7%", False),
        ("CA", "QC", "GST 5% + QST 9.975%", False),
        ("CA", "NS", "HST 15%", False),
        ("IE", "", "VAT 23%", True),
        ("GB", "", "VAT 20%", True),
        ("SG", "", "GST 9%", False),
        ("CN", "", "Import VAT 13%", True),
    ],
)
def test_seeded_rates(country, region, label, duty):
    rules = tax_rules_for(country, region)
    estimate = estimate_tax(subtotal=m("5000"), country=country, region=region, rates=rules)
    assert estimate.tax_label == label
    assert bool(estimate.duty_lines) is duty


@pytest.mark.django_db
def test_inactive_rates_are_not_loaded():
    TaxRate.objects.filter(country="AU").update(active=False)
    assert tax_rules_for("AU") == []


@pytest.mark.django_db
def test_seeded_eu_duty_names_its_threshold():
    estimate = estimate_tax(subtotal=m("5000"), country="DE", rates=tax_rules_for("DE"))
    assert estimate.duty_lines[0].name == "Import duty 2.5% (over the €150 threshold)"


def test_threshold_label_keeps_cents_when_there_are_some():
    rule = TaxRule(country="GB", name="Import duty", kind="duty", rate=D("2.5"), threshold=m("135.50", "GBP"))
    assert rule.label() == "Import duty 2.5% (over the £135.50 threshold)"


def test_seed_rates_cover_every_threshold_currency():
    assert {"EUR", "GBP"} <= set(SEED_RATES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {"rate": D("-0.5")},
        {"rate": D("100.5")},
        {"threshold_amount": D("150"), "threshold_currency": ""},
        {"threshold_amount": D("-1"), "threshold_currency": "EUR"},
    ],
)
def test_impossible_rates_are_refused_by_the_database(bad):
    from django.db import IntegrityError, transaction

    row = {"country": "XX", "name": "VAT", "kind": "vat", "rate": D("10"), **bad}
    with pytest.raises(IntegrityError), transaction.atomic():
        TaxRate.objects.create(**row)
