import pytest

from checkout.currency import SESSION_KEY

pytestmark = pytest.mark.django_db
URL = "/tax-duty-calculator/"


def use_currency(client, code):
    session = client.session
    session[SESSION_KEY] = code
    session.save()


def test_page_renders_an_empty_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tax &amp; duty calculator" in body
    assert 'method="get"' in body
    assert '<optgroup label="United States">' in body
    assert "estimate" in body.lower()
    assert response.context["estimate"] is None
    assert "<style" not in body and "style=" not in body


def test_unrelated_parameters_show_the_empty_form(client):
    response = client.get(URL, {"utm_source": "newsletter"})
    assert response.context["estimate"] is None
    assert not response.context["form"].is_bound


def test_us_state_sales_tax(client):
    response = client.get(URL, {"amount": "1000", "country": "US", "region": "US-NY"})
    body = response.content.decode()
    assert response.context["estimate"].tax_label == "Sales tax 8.875%"
    assert "$88.75" in body
    assert "$1,088.75" in body
    assert "New York" in body
    assert "We charge them at checkout and ship duties paid" in body


def test_a_state_where_the_shop_collects_nothing(client):
    response = client.get(URL, {"amount": "1000", "country": "US", "region": "US-OR"})
    assert response.context["estimate"].lines == ()
    assert "We collect no sales tax or duty for this destination." in response.content.decode()


def test_eur_amounts_with_vat_and_duty(client):
    use_currency(client, "EUR")
    response = client.get(URL, {"amount": "2000", "country": "DE"})
    body = response.content.decode()
    assert "Order amount (EUR)" in body
    assert "VAT 19%" in body and "€380.00" in body
    assert "Import duty 2.5% (over the €150 threshold)" in body and "€50.00" in body
    assert "€2,430.00" in body


def test_eur_under_the_duty_threshold(client):
    use_currency(client, "EUR")
    body = client.get(URL, {"amount": "120", "country": "FR"}).content.decode()
    assert "€24.00" in body
    assert "No import duty: the order is under the €150 threshold." in body


def test_canadian_province_combines_taxes(client):
    use_currency(client, "CAD")
    response = client.get(URL, {"amount": "1000", "country": "CA", "region": "CA-BC"})
    assert response.context["estimate"].tax_label == "GST 5% + PST 7%"
    assert "C$1,120.00" in response.content.decode()


def test_the_chosen_options_stay_selected(client):
    body = client.get(URL, {"amount": "1000", "country": "US", "region": "US-TX"}).content.decode()
    assert '<option value="US" selected>' in body
    assert '<option value="US-TX" selected>' in body
    assert 'value="1000"' in body


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"amount": "", "country": "DE"}, "amount", "Enter the amount of your order."),
        ({"amount": "abc", "country": "DE"}, "amount", "Enter the amount as a number"),
        ({"amount": "0", "country": "DE"}, "amount", "Enter an amount above zero."),
        ({"amount": "-5", "country": "DE"}, "amount", "Enter an amount above zero."),
        ({"amount": "10000000", "country": "DE"}, "amount", "Enter an amount under 10,000,000."),
        ({"amount": "1e400", "country": "DE"}, "amount", "Enter an amount under 10,000,000."),
        ({"amount": "NaN", "country": "DE"}, "amount", "Enter the amount as a number"),
        ({"amount": "12.345", "country": "DE"}, "amount", "Enter at most two decimal places."),
        ({"amount": "100", "country": ""}, "country", "Choose the destination country."),
        ({"amount": "100", "country": "ZZ"}, "country", "Choose a country from the list."),
        ({"amount": "100", "country": "US"}, "region", "Choose the state."),
        ({"amount": "100", "country": "CA", "region": "US-NY"}, "region", "Choose a province or territory of Canada."),
        ({"amount": "100", "country": "US", "region": "US-XX"}, "region", "Choose a state or province from the list."),
        ({"amount": "1" * 5000, "country": "DE"}, "amount", "Enter an amount under 10,000,000."),
    ],
)
def test_bad_input_is_explained_beside_the_field(client, params, field, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["estimate"] is None
    errors = response.context["form"].errors[field]
    assert any(e.startswith(message) for e in errors), errors
    body = response.content.decode()
    assert f'id="{field}-errors"' in body
    assert 'aria-invalid="true"' in body


def test_a_region_outside_the_us_and_canada_is_ignored(client):
    response = client.get(URL, {"amount": "100", "country": "GB", "region": "US-NY"})
    assert response.context["estimate"].tax_label == "VAT 20%"


def test_query_count_is_small_and_fixed(client, django_assert_max_num_queries):
    client.get(URL, {"amount": "1000", "country": "DE"})  # warm the rates cache and the session
    with django_assert_max_num_queries(3):
        response = client.get(URL, {"amount": "5000", "country": "CA", "region": "CA-QC"})
    assert response.context["estimate"].tax_label == "GST 5% + QST 9.975%"
