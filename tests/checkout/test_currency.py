from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from checkout.currency import SESSION_KEY, currency_for_country, current_rates, price_in
from checkout.models import Currency

pytestmark = pytest.mark.django_db


def test_rates_table_is_seeded_as_in_the_design():
    rates = dict(Currency.objects.values_list("code", "rate_per_usd"))
    assert rates == {
        "AUD": Decimal("1.677100"),
        "CAD": Decimal("1.495100"),
        "EUR": Decimal("0.963400"),
        "GBP": Decimal("0.805000"),
        "HKD": Decimal("8.173800"),
        "NZD": Decimal("1.834700"),
        "SGD": Decimal("1.427600"),
        "CNY": Decimal("7.853100"),
        "USD": Decimal("1.000000"),
    }


def test_first_visit_is_usd(client):
    response = client.get("/")
    assert response.context["currency"] == "USD"


@pytest.mark.parametrize(("country", "currency"), [("GB", "GBP"), ("de", "EUR"), ("AU", "AUD"), ("JP", "USD")])
def test_first_visit_follows_the_trusted_country_header(client, country, currency):
    response = client.get("/", headers={"CF-IPCountry": country})
    assert response.context["currency"] == currency


def test_country_header_name_is_configurable(client, settings):
    settings.CURRENCY_COUNTRY_HEADER = "X-Country"
    assert client.get("/", headers={"CF-IPCountry": "GB"}).context["currency"] == "USD"
    assert client.get("/", headers={"X-Country": "GB"}).context["currency"] == "GBP"


def test_a_chosen_currency_beats_the_country_header(client):
    client.post("/currency/", {"currency": "CAD", "next": "/"})
    assert client.get("/", headers={"CF-IPCountry": "GB"}).context["currency"] == "CAD"


def test_selector_keeps_the_choice_in_the_session_and_goes_back(client):
    response = client.post("/currency/", {"currency": "EUR", "next": "/account/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/account/login/"
    assert client.session[SESSION_KEY] == "EUR"
    assert client.get("/").context["currency"] == "EUR"


@pytest.mark.parametrize("bad", ["JPY", "", "eur'; drop", "X" * 10_000, "usdd"])
def test_unknown_codes_are_ignored_and_the_current_currency_kept(client, bad):
    client.post("/currency/", {"currency": "GBP"})
    response = client.post("/currency/", {"currency": bad, "next": "/"})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == "GBP"
    response = client.get("/", {"currency": bad})
    assert response.status_code == 200
    assert response.context["currency"] == "GBP"


def test_currency_link_parameter_switches(client):
    assert client.get("/", {"currency": "sgd"}).context["currency"] == "SGD"
    assert client.get("/").context["currency"] == "SGD"


def test_next_must_stay_on_this_site(client):
    response = client.post("/currency/", {"currency": "EUR", "next": "https://evil.example/steal"})
    assert response["Location"] == "/"


def test_get_is_not_allowed_on_the_selector_endpoint(client):
    assert client.get("/currency/").status_code == 405


def test_price_tag_converts_usd_with_the_rates_table():
    request = RequestFactory().get("/")
    request.currency = "EUR"
    out = Template("{% load money %}{% price amount %}").render(
        Context({"request": request, "amount": Decimal("1000")})
    )
    assert out == "€963.40"


def test_a_rate_change_in_the_table_is_used_at_once():
    assert price_in(Decimal("100"), "GBP").amount == Decimal("80.50")
    Currency.objects.filter(code="GBP").update(rate_per_usd=Decimal("0.9"))
    Currency.objects.get(code="GBP").save()  # admin edits go through save(), which clears the cached rates
    assert current_rates()["GBP"] == Decimal("0.9")
    assert price_in(Decimal("100"), "GBP").amount == Decimal("90.00")


def test_country_map():
    assert currency_for_country("fr") == "EUR"
    assert currency_for_country("CN") == "CNY"
    assert currency_for_country(None) is None
    assert currency_for_country("ZZ") is None
