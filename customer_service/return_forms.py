"""The return form: which lines, why, and an optional note. Which lines may go back is the service's call (it checks
again under the order's lock); the form only makes sure the ids are this order's."""

from __future__ import annotations

from django import forms

from .forms import MessageField
from .models import ReturnRequest
from .returns import NOT_IN_ORDER, NOTHING_CHOSEN

NOTE_MAX = 2000


class ReturnForm(forms.Form):
    lines = forms.TypedMultipleChoiceField(
        label="Items to return",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": NOTHING_CHOSEN, "invalid_choice": NOT_IN_ORDER},
    )
    reason = forms.ChoiceField(
        label="Why are you returning them?",
        choices=[("", "Choose a reason"), *ReturnRequest.Reason.choices],
        error_messages={"required": "Choose why you are returning these items."},
    )
    note = MessageField(label="Anything we should know?", max_length=NOTE_MAX, required=False)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        # Every line of the order is a valid choice, eligible or not: the service refuses an ineligible one with its
        # reason, which says more than "not a valid choice".
        self.fields["lines"].choices = [(line.pk, line.description) for line in order.lines.all()]
