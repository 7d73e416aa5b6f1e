"""The questions the builder and the bag ask before they change something the shopper chose.

A prompt is data: a title, the reasons, the closest items that would fit, and the actions, each a small POST form
(its URL and hidden fields). The server renders it as a <dialog> (templates/ring_builder/includes/dialog.html): on
a page of its own without JavaScript, in place and modal with it. Accepting re-posts the same choice with a
`confirm` code, so nothing changes until the shopper has answered."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

CONFIRM_REPLACE = "replace"  # swap the part of the same kind
CONFIRM_CLEAR = "clear"  # take the new item and let go of the part it does not fit
CONFIRM_ALONE = "alone"  # a setting in the bag without its centre stone

MISMATCH = (
    "The item that you are trying to select does not match your previous product selection. "
    "By proceeding to add this item, your previous product selection will be cleared."
)


@dataclass
class Action:
    label: str
    url: str
    fields: dict[str, str]
    primary: bool = False


@dataclass
class Suggestion:
    title: str
    detail: str
    price_usd: Decimal
    url: str
    choose: Action
    shape: str = ""
    tint: str = ""


@dataclass
class Prompt:
    code: str
    title: str
    message: str = ""
    reasons: list[str] = field(default_factory=list)
    suggestions_heading: str = ""
    suggestions: list[Suggestion] = field(default_factory=list)
    warning: str = ""
    show_phone: bool = False
    actions: list[Action] = field(default_factory=list)
    cancel_label: str = "Keep my selection"
    cancel_url: str = "/ring-builder/"


def choose_action(
    label: str, *, kind: str, ref: str, confirm: str = "", metal: str = "", primary=False, **extra
) -> Action:
    fields = {"kind": kind, "ref": ref}
    if confirm:
        fields["confirm"] = confirm
    if metal:
        fields["metal"] = metal
    fields.update({k: v for k, v in extra.items() if v})
    return Action(label, reverse("ring_builder:choose"), fields, primary=primary)


def replace_setting(*, current, new, metal: str, back: str) -> Prompt:
    return Prompt(
        code="replace_setting",
        title="You already have a ring setting. Would you like to change it?",
        message=f"Your ring has the {current.name}. Choosing the {new.name} puts it in its place.",
        actions=[
            choose_action(
                f"Change to the {new.name}",
                kind="setting",
                ref=new.slug,
                metal=metal,
                confirm=CONFIRM_REPLACE,
                primary=True,
            )
        ],
        cancel_label=f"Keep the {current.name}",
        cancel_url=back,
    )


def replace_stone(*, current, new, current_title: str, new_title: str, back: str) -> Prompt:
    noun = "diamond" if hasattr(current, "clarity") else "gemstone"
    return Prompt(
        code="replace_stone",
        title=f"You already have a {noun}. Would you like to change it?",
        message=f"Your ring has the {current_title}. Choosing the {new_title} puts it in its place.",
        actions=[
            choose_action(
                f"Change to this {'diamond' if hasattr(new, 'clarity') else 'gemstone'}",
                kind=stone_type(new),
                ref=new.sku,
                confirm=CONFIRM_REPLACE,
                primary=True,
            )
        ],
        cancel_label=f"Keep my {noun}",
        cancel_url=back,
    )


def stone_type(stone) -> str:
    return "diamond" if hasattr(stone, "clarity") else "gemstone"


def incompatible(
    *,
    setting,
    stone,
    noun: str,
    reasons: list[str],
    choosing: str,
    suggestions: list[Suggestion],
    metal: str,
    back: str,
) -> Prompt:
    """`choosing` is what the shopper tried to select ("setting" or "stone"); the other part would be cleared."""
    if choosing == "setting":
        proceed = choose_action(
            f"Choose the {setting.name} and clear my {noun}",
            kind="setting",
            ref=setting.slug,
            metal=metal,
            confirm=CONFIRM_CLEAR,
        )
        heading = f"Settings that hold your {noun}"
    else:
        proceed = choose_action(
            f"Choose this {noun} and clear my setting", kind=stone_type(stone), ref=stone.sku, confirm=CONFIRM_CLEAR
        )
        heading = f"{noun.capitalize()}s that fit the {setting.name}"
    return Prompt(
        code="incompatible",
        title=f"Unfortunately this particular setting and {noun} combination are incompatible",
        reasons=reasons,
        suggestions_heading=heading if suggestions else "",
        suggestions=suggestions,
        warning=MISMATCH,
        show_phone=True,
        actions=[proceed],
        cancel_label="Keep my selection",
        cancel_url=back,
    )


def needs_centre(*, setting, metal: str, size: str, back: str) -> Prompt:
    """A setting that needs a centre stone, added to the bag alone."""
    add_alone = Action(
        "Add the setting on its own",
        reverse("checkout:bag_add"),
        {"kind": "setting", "ref": setting.slug, "metal": metal, "size": size, "confirm": CONFIRM_ALONE},
    )
    return Prompt(
        code="needs_centre",
        title="This specific setting requires a center diamond or gemstone",
        message=(
            f"The {setting.name} is made around its centre stone. Choose a diamond or a gemstone for it and we "
            "set it for you, or add the setting on its own if you already have a loose stone in your bag."
        ),
        actions=[
            choose_action(
                "Choose a diamond",
                kind="setting",
                ref=setting.slug,
                metal=metal,
                confirm=CONFIRM_REPLACE,
                stone_kind="natural",
                primary=True,
            ),
            choose_action(
                "Choose a gemstone",
                kind="setting",
                ref=setting.slug,
                metal=metal,
                confirm=CONFIRM_REPLACE,
                stone_kind="gemstone",
            ),
            add_alone,
        ],
        cancel_label="Not now",
        cancel_url=back,
    )
