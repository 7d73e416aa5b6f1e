"""The contact form and the pieces every customer-service form shares: single-line fields that refuse line breaks
(they end up in email headers and subjects), long text with a clear limit, and the honeypot a person never sees."""

from __future__ import annotations

from django import forms

MESSAGE_MAX = 5000
HONEYPOT = "website"


def refuse_control_characters(value: str, *, label: str, multiline: bool = False) -> str:
    allowed = "\n\r\t" if multiline else ""
    if not multiline and ("\n" in value or "\r" in value):
        raise forms.ValidationError(f"{label} must fit on one line.", code="line_break")
    if any((ord(c) < 32 and c not in allowed) or ord(c) == 127 for c in value):
        raise forms.ValidationError(f"Remove the control characters from {label.lower()}.", code="control")
    return value


class SingleLineField(forms.CharField):
    """A CharField for names and the like: one line, no control characters, inner spaces collapsed."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("strip", True)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        # Checked before stripping: a trailing CR/LF is exactly what header injection sends.
        if value and ("\n" in value or "\r" in value):
            raise forms.ValidationError(f"{self.label} must fit on one line.", code="line_break")
        value = super().clean(value)
        if value:
            refuse_control_characters(value, label=str(self.label))
            value = " ".join(value.split())
        return value


class MessageField(forms.CharField):
    def __init__(self, *args, max_length: int = MESSAGE_MAX, **kwargs):
        self.limit = max_length
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6, "maxlength": max_length}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value:
            refuse_control_characters(value, label=str(self.label), multiline=True)
            if len(value) > self.limit:
                raise forms.ValidationError(
                    f"Please keep your message under {self.limit:,} characters (this one has {len(value):,}).",
                    code="too_long",
                )
        return value


class StrictEmailField(forms.EmailField):
    def clean(self, value):
        if value and ("\n" in value or "\r" in value):
            raise forms.ValidationError("Enter one email address, on one line.", code="line_break")
        return super().clean(value)


class HoneypotMixin:
    """A field hidden from people (CSS and aria-hidden, never focused); a bot that fills every input fills it.
    Views check `is_bot` and answer as if all went well, storing and sending nothing."""

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))


class ContactForm(HoneypotMixin, forms.Form):
    name = SingleLineField(label="Name", max_length=100)
    email = StrictEmailField(label="Email")
    phone = SingleLineField(label="Phone", max_length=40, required=False)
    message = MessageField(label="Message")


class FollowUpForm(forms.Form):
    message = MessageField(label="Add to your message")
