"""The guarantee and education pages and the FAQ: thin views over customer_service.pages."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Page
from .pages import FAQ_QUERY_MAX, faq_categories, page_context, section_index


@require_GET
def guarantee_index(request):
    return render(request, "customer_service/index.html", {"section": "guarantee", "pages": section_index("guarantee")})


@require_GET
def guarantee_page(request, slug):
    return render(request, "customer_service/page.html", page_context(request, slug, Page.Section.GUARANTEE))


@require_GET
def education_index(request):
    return render(request, "customer_service/index.html", {"section": "education", "pages": section_index("education")})


@require_GET
def education_page(request, slug):
    return render(request, "customer_service/page.html", page_context(request, slug, Page.Section.EDUCATION))


@require_GET
def faq(request):
    query = " ".join(request.GET.get("q", "").split())[:FAQ_QUERY_MAX]
    categories = faq_categories(query)
    context = {"query": query, "categories": categories, "count": sum(len(c.entries) for c in categories)}
    template = "customer_service/faq.html#results" if request.htmx else "customer_service/faq.html"
    return render(request, template, context)
