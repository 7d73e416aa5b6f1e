"""Generated pictures of stones, rings and jewelry (catalog/imagery.py) for templates."""

from django import template
from django.utils.safestring import mark_safe

from catalog import imagery

register = template.Library()


@register.simple_tag
def stone_outline(stone, size=240, title=""):
    """The stone face up, in its shape, proportions and colour. Decorative unless given a title."""
    return mark_safe(  # noqa: S308 - markup built by imagery.py from numbers and escaped text
        imagery.outline_svg(
            stone.shape,
            lw_ratio=imagery.lw_of(stone),
            tint=imagery.tint_for(stone),
            title=title or None,
            size=int(size),
            table_pct=getattr(stone, "table_pct", None),
        )
    )


@register.simple_tag
def stone_proportions(diamond):
    return mark_safe(  # noqa: S308
        imagery.proportion_svg(
            diamond.depth_pct,
            diamond.table_pct,
            diamond.width_mm,
            diamond.depth_mm,
            diamond.shape,
            tint=imagery.tint_for(diamond),
        )
    )


@register.simple_tag
def ring_art(metal, style="solitaire", title=""):
    return mark_safe(imagery.ring_svg(metal, style=style, title=title))  # noqa: S308


@register.simple_tag
def jewelry_art(item, title=""):
    return mark_safe(imagery.jewelry_svg(item.category, item.metal, stones=bool(item.total_carat), title=title))  # noqa: S308
