from django import template

register = template.Library()


@register.filter
def elided_pages(page):
    """1 2 … 7 8 9 … 40 41 around the current page."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
