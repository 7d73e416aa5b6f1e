"""The builder's forms. Every choice is checked against the catalog (a metal the setting is made in, a size it is
made in); anything else is refused with a message and nothing is stored."""

from __future__ import annotations

from django import forms

from catalog.grades import Metal

from .builder import REF_MAX_LENGTH, STONE_KINDS, ordered_variants
from .engraving import CHARACTERS_HELP, MAX_LENGTH, engraving_problems, normalise
from .prompts import CONFIRM_CLEAR, CONFIRM_REPLACE
from .sizes import ALL_SIZES, parse_size, size_label, size_value

PARTS = [("setting", "Setting"), ("stone", "Stone"), ("all", "Everything")]


class ChooseForm(forms.Form):
    """Put a setting or a stone in the ring (the "Select" buttons, the entry links, the dialogs)."""

    kind = forms.ChoiceField(choices=[("setting", "Setting"), ("diamond", "Diamond"), ("gemstone", "Gemstone")])
    ref = forms.CharField(max_length=REF_MAX_LENGTH)
    metal = forms.ChoiceField(choices=[("", ""), *Metal.choices], required=False)
    confirm = forms.ChoiceField(
        choices=[("", ""), (CONFIRM_REPLACE, "replace"), (CONFIRM_CLEAR, "clear")], required=False
    )
    stone_kind = forms.ChoiceField(choices=[("", ""), *STONE_KINDS.items()], required=False)


class RemoveForm(forms.Form):
    part = forms.ChoiceField(choices=PARTS)


class TokenForm(forms.Form):
    token = forms.SlugField(max_length=40)


class ReviewForm(forms.Form):
    """Metal, ring size and engraving of a complete build. `build` is the token of the design the page showed: a
    post for another design (another tab, or a token that is not the shopper's) changes nothing."""

    metal = forms.ChoiceField(label="Metal", widget=forms.RadioSelect)
    # Checked in clean_size against the setting's own range, so a tampered size gets a message that says the range.
    size = forms.CharField(label="Ring size (US)", required=False, widget=forms.Select)
    # No max_length here: clean_engraving says how much too long an engraving is, not just that it is.
    engraving = forms.CharField(
        label="Engraving",
        required=False,
        strip=False,
        help_text=f"Up to {MAX_LENGTH} characters: {CHARACTERS_HELP}. Free.",
    )
    build = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, setting, token: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.setting = setting
        self.token = token
        variants = ordered_variants(setting)
        self.fields["metal"].choices = [(v.metal, v.get_metal_display()) for v in variants]
        self.fields["metal"].error_messages.update(
            invalid_choice=f"The {setting.name} is not made in that metal.", required="Choose a metal."
        )
        self.sizes = [s for s in ALL_SIZES if setting.ring_size_min <= s <= setting.ring_size_max]
        self.fields["size"].widget.choices = [
            ("", "Choose your size"),
            *((size_value(s), size_label(s)) for s in self.sizes),
        ]
        self.fields["engraving"].widget.attrs.update(
            {"maxlength": MAX_LENGTH, "autocomplete": "off", "spellcheck": "false", "data-engraving": MAX_LENGTH}
        )

    def clean_size(self):
        raw = self.cleaned_data.get("size") or ""
        if not raw:
            return None
        size = parse_size(raw, low=self.setting.ring_size_min, high=self.setting.ring_size_max)
        if size is None:
            raise forms.ValidationError(
                f"Ring sizes for the {self.setting.name} run from {size_label(self.sizes[0])} to "
                f"{size_label(self.sizes[-1])} in quarter sizes; {str(raw)[:10]} is not one of them.",
                code="size",
            )
        return size

    def clean_engraving(self):
        text = normalise(self.cleaned_data.get("engraving") or "")
        if problems := engraving_problems(text):
            raise forms.ValidationError(problems, code="engraving")
        return text

    def clean_build(self):
        posted = self.cleaned_data.get("build") or ""
        if posted != self.token:
            raise forms.ValidationError(
                "This form was for a different ring design, so nothing was changed. Here is your current design.",
                code="foreign_build",
            )
        return posted
