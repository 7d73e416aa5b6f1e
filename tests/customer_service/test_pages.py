"""Guarantee, education and FAQ pages: seeded with the shop's texts, edited by staff in Markdown (made safe), and the
education pages' links open the diamond search with exactly the grades they name."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import resolve

from customer_service.content import CONTENT_DIR, parse_faq, parse_page, render_markdown
from customer_service.models import FaqEntry, Page
from tests.factories import DiamondFactory

pytestmark = pytest.mark.django_db
GUARANTEES = ["customer-service", "lifetime-warranty", "free-shipping", "returns", "engraving", "resizing",
              "lifetime-upgrade", "conflict-free", "payment-options", "insurance"]  # fmt: skip
EDUCATION = ["four-cs", "diamond-cut", "diamond-color", "diamond-clarity", "diamond-carat", "diamond-shapes"]


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_every_seeded_page_is_there_after_migrate():
    assert list(Page.objects.filter(section="guarantee").values_list("slug", flat=True)) == GUARANTEES
    assert list(Page.objects.filter(section="education").values_list("slug", flat=True)) == EDUCATION
    assert FaqEntry.objects.count() == len(parse_faq((CONTENT_DIR / "faq.md").read_text()))
    assert FaqEntry.objects.count() >= 30


@pytest.mark.parametrize("slug", GUARANTEES)
def test_each_guarantee_page_renders_with_its_title_and_the_other_pages(client, slug):
    page = Page.objects.get(slug=slug)
    response = client.get(f"/guarantee/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{page.title}</h1>" in html
    assert f'<meta name="description" content="{page.summary}' in html.replace("&#x27;", "'")
    for other in GUARANTEES:
        assert f'href="/guarantee/{other}/"' in html


def test_the_customer_service_page_has_the_promise_the_phones_and_the_form(client, settings):
    settings.SHOP_PHONE_US, settings.SHOP_PHONE_INTL = "1-800-555-0199", "+44 20 7946 0958"
    html = client.get("/guarantee/customer-service/").content.decode()
    assert "non-commissioned diamond and jewelry experts is here for you 24/7" in html
    assert 'href="tel:1-800-555-0199"' in html and "+44 20 7946 0958" in html
    assert 'action="/contact-us/"' in html and 'name="message"' in html and 'name="website"' in html
    assert "Send a message" in html


def test_contact_us_leads_to_the_form(client):
    response = client.get("/contact-us/")
    assert response.status_code == 302 and response["Location"] == "/guarantee/customer-service/#send-a-message"


def test_returns_page_states_the_window_and_the_exclusions(client):
    text = client.get("/guarantee/returns/").content.decode()
    assert "30 days" in text
    for exclusion in ("engraved", "resized", "custom"):
        assert exclusion in text.lower()


def test_upgrade_and_resizing_pages_state_their_rules(client):
    upgrade = client.get("/guarantee/lifetime-upgrade/").content.decode()
    assert "100%" in upgrade and "twice" in upgrade
    resizing = client.get("/guarantee/resizing/").content.decode().lower()
    assert "first year" in resizing


def test_payment_options_shows_the_split_plan_table_in_the_shoppers_currency(client):
    html = client.get("/guarantee/payment-options/").content.decode()
    assert "$6,000.00 over three months" in html
    rows = re.findall(
        r"<tr><th scope=\"row\">(\d)[^<]*</th><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", html
    )
    assert rows == [
        ("1", "$2,000.00", "$2,000.00", "$4,000.00"),
        ("2", "$2,000.00", "$4,000.00", "$2,000.00"),
        ("3", "$2,000.00", "$6,000.00", "$0.00"),
    ]
    client.post("/currency/", {"currency": "EUR"})
    html = client.get("/guarantee/payment-options/").content.decode()
    assert "€5,780.40 over three months" in html  # 6000 × 0.9634, split 1,926.80 each


@pytest.mark.parametrize("slug", EDUCATION)
def test_education_links_open_the_search_with_the_filters_they_name(client, slug):
    html = client.get(f"/education/{slug}/").content.decode()
    search_links = [url for url in links(html) if url.startswith(("/loose-diamonds/", "/lab-grown-diamonds/"))]
    assert search_links, f"{slug} links to no search"
    for url in search_links:
        url = url.replace("&amp;", "&")
        parts = urlsplit(url)
        match = resolve(parts.path)
        assert match.url_name in {"diamonds", "diamonds_by_shape", "lab_diamonds", "fancy_diamonds"}, url
        response = client.get(url)
        assert response.status_code == 200, url
        result = response.context["result"]
        assert result.ignored == [], (url, result.ignored)  # every parameter was understood, none dropped or swapped
        cleaned = result.form.cleaned_data
        for name in parse_qs(parts.query):
            assert cleaned.get(name) not in (None, "", []), (url, name)


def test_colour_page_links_to_each_colour_group():
    body = Page.objects.get(slug="diamond-color").body
    for group in ("color_from=d&color_to=f", "color_from=g&color_to=j", "color_from=k&color_to=m"):
        assert group in body


def test_the_search_links_really_narrow_the_results(client):
    DiamondFactory(sku="D-COLOURLESS", color=1)  # D
    DiamondFactory(sku="J-NEAR", color=7)  # J
    colourless = client.get("/loose-diamonds/?color_from=d&color_to=f").content.decode()
    assert "D-COLOURLESS" in colourless and "J-NEAR" not in colourless


def test_staff_markdown_is_made_safe():
    html = render_markdown(
        "## Care\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>"
        "\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html and "<img" not in html
    assert "<h2>Care</h2>" in html and '<th scope="col">a</th>' in html and "<td>1</td>" in html


def test_an_unpublished_or_unknown_page_is_not_found(client):
    Page.objects.filter(slug="insurance").update(published=False)
    assert client.get("/guarantee/insurance/").status_code == 404
    assert client.get("/guarantee/nothing-here/").status_code == 404
    assert client.get("/education/returns/").status_code == 404, "a guarantee page is not an education page"
    assert 'cs-cards__link" href="/guarantee/insurance/"' not in client.get("/guarantee/").content.decode()


def test_staff_edits_survive_the_next_migrate_and_new_texts_arrive():
    from customer_service.content import seed_pages

    Page.objects.filter(slug="returns").update(title="Returns, the easy way")
    FaqEntry.objects.filter(pk=FaqEntry.objects.first().pk).delete()
    Page.objects.filter(slug="insurance").delete()
    seed_pages(page_model=Page, faq_model=FaqEntry)
    assert Page.objects.get(slug="returns").title == "Returns, the easy way"
    assert Page.objects.filter(slug="insurance").exists()


def test_customer_service_and_marketing_edit_pages_inventory_does_not(staff_client):
    page = Page.objects.get(slug="engraving")
    data = {"title": page.title, "slug": page.slug, "section": page.section, "summary": page.summary,
            "body": page.body + "\n\nNew: on pendants.", "position": page.position, "published": "on"}  # fmt: skip
    for role in ("Customer service", "Marketing"):
        response = staff_client(role).post(f"/admin/customer_service/page/{page.pk}/change/", data)
        assert response.status_code == 302, role
    assert "New: on pendants." in Page.objects.get(pk=page.pk).body
    assert staff_client("Inventory").get("/admin/customer_service/page/").status_code == 403


def test_page_files_parse():
    for path in (CONTENT_DIR / "pages").glob("*.md"):
        page = parse_page(path.read_text())
        assert page["title"] and page["summary"] and len(page["summary"]) <= 200, path.name
        assert not page["body"].lstrip().startswith("# "), path.name


def test_faq_search_finds_entries_by_every_word(client):
    response = client.get("/faq/", {"q": "resize ring"})
    assert response.status_code == 200
    html = response.content.decode()
    found = re.findall(r"<summary>([^<]+)</summary>", html)
    assert found, "resizing is in the FAQ"
    for question in found:
        entry = FaqEntry.objects.get(
            question=question.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")
        )
        text = (entry.question + entry.answer).lower()
        assert "resize" in text and "ring" in text
    nothing = client.get("/faq/", {"q": "zeppelin"}).content.decode()
    assert "0 answers for “zeppelin”" in nothing


def test_faq_search_with_htmx_returns_only_the_results(client):
    response = client.get("/faq/", {"q": "duty"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="faq-results"') and "<header" not in html


def test_faq_page_queries_are_constant(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/faq/")
