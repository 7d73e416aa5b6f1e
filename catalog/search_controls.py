"""What a search form shows beside its controls: checkbox options with their counts and checked state, and the
from/to selects of each ordered grade. Shared by the catalog's search pages and the ring builder's stone step."""


def choice_options(result, param, choices):
    """Checkbox options with their facet counts and checked state."""
    chosen = set(result.form.data.getlist(param)) & {v for v, _ in choices}
    counts = result.facets.get(param, {})
    return [{"value": v, "label": label, "count": counts.get(v), "checked": v in chosen} for v, label in choices]


def grade_controls(result, grades):
    """A from/to pair of selects per ordered grade, each option with its count."""
    data, controls = result.form.cleaned_data, []
    for grade in grades:
        counts = result.facets.get(grade.param, {})
        options = [{"value": v, "label": label, "count": counts.get(v)} for v, label in grade.choices()]
        controls.append(
            {
                "grade": grade,
                "options": options,
                "from": data.get(f"{grade.param}_from") or options[0]["value"],
                "to": data.get(f"{grade.param}_to") or options[-1]["value"],
            }
        )
    return controls
