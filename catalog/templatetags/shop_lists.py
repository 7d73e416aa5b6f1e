"""{% load shop_lists %}{% list_state kind ref as state %}: whether an item is on the shopper's wish list and compare
list, for catalog/lists/toggle_buttons.html. Reads the lists once a request (catalog.lists), so a page of buttons
costs no more than one."""

from django import template

from catalog import lists

register = template.Library()


@register.simple_tag(takes_context=True)
def list_state(context, kind, ref):
    request = context.get("request")
    kind, ref = str(kind or ""), str(ref or "")
    if request is None or not lists.is_item(kind, ref):
        return {"valid": False}
    compare_count = lists.compare_count(request, kind)
    return {
        "valid": True,
        "saved": lists.wish_list_has(request, kind, ref),
        "comparing": lists.compare_has(request, kind, ref),
        "compare_count": compare_count,
        "compare_full": compare_count >= lists.COMPARE_MAX,
        "dom_id": lists.dom_id(kind, ref),
        "plural": lists.PLURALS[kind],
        "max": lists.COMPARE_MAX,
    }
