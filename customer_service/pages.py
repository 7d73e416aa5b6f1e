"""Reads for the guarantee, education and FAQ pages (selectors): one query for the page, one for its section's
links, one for the FAQ."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from checkout.currency import request_price
from checkout.installments import plan_months
from ring_builder.delivery import shop_today

from .content import render_markdown
from .forms import ContactForm
from .models import FaqEntry, Page

CONTACT_PAGE = "customer-service"
PAYMENT_PAGE = "payment-options"
PLAN_EXAMPLE_USD = Decimal(6000)
FAQ_QUERY_MAX = 100


def _published(section: str):
    return Page.objects.filter(section=section, published=True)


def page_context(request, slug: str, section: str = Page.Section.GUARANTEE) -> dict:
    page = _published(section).filter(slug=slug).first()
    if page is None:
        raise Http404
    context = {
        "page": page,
        "body": render_markdown(page.body),
        "section_pages": list(_published(section).only("slug", "title", "section", "position")),
        "guarantee_crumbs": [("Our guarantee", "/guarantee/")],
        "education_crumbs": [("Education", "/education/")],
    }
    if section == Page.Section.GUARANTEE and slug == CONTACT_PAGE:
        context["contact_form"] = ContactForm()
    if section == Page.Section.GUARANTEE and slug == PAYMENT_PAGE:
        # The plan's month-by-month table for the example ring, in the shopper's currency, from today.
        total = request_price(request, PLAN_EXAMPLE_USD)
        context.update(plan_total=total, plan_months=plan_months(total, shop_today()))
    return context


def section_index(section: str) -> list[Page]:
    return list(_published(section).only("slug", "title", "summary", "section", "position"))


@dataclass(frozen=True)
class FaqCategory:
    name: str
    entries: list[dict]


def faq_categories(query: str = "") -> list[FaqCategory]:
    """The published FAQ by category, in the staff's order; with a query only the entries that mention every word."""
    entries = FaqEntry.objects.filter(published=True)
    for word in query.split()[:10]:
        entries = entries.filter(Q(question__icontains=word) | Q(answer__icontains=word))
    categories: dict[str, list[dict]] = {}
    for entry in entries.order_by("position", "pk"):
        categories.setdefault(entry.category, []).append(
            {"id": entry.pk, "question": entry.question, "answer": render_markdown(entry.answer)}
        )
    return [FaqCategory(name, items) for name, items in categories.items()]
