from django import template

from catalog.grades import Shape

register = template.Library()


@register.filter
def shape_list(shapes) -> str:
    """["round", "oval", "cushion"] -> "round, oval and cushion"."""
    names = [Shape(s).label.lower() for s in shapes or [] if s in Shape.values]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + f" and {names[-1]}"
