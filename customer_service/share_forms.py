""" "Send to a friend" (up to three friends) and "drop a hint" (one person). There is no message field: the email
is the shop's own words about the product, and the sender's name is the only text of theirs it carries, so the name
refuses anything that looks like a link."""

from __future__ import annotations

import re

from django import forms

from .forms import HoneypotMixin, SingleLineField, StrictEmailField
from .sharing import MAX_FRIENDS, normalize_email

NAME_MAX = 60
# Links and domains in any disguise a spammer would use in a "name": schemes, www., an @, a slash, "site.com".
# A dot glued to letters ("St.John" too: "St. John" is fine) or a spaced-out top-level domain.
TLDS = "com|net|org|info|biz|io|co|me|ru|cn|xyz|top|shop|site|online|club|app|link|click"
LINK_LIKE = re.compile(
    rf"https?|ftp:|://|www\.|@|/|\\|\w\.[^\W\d_]{{2,}}|\.\s*({TLDS})\b|\bdot\s*({TLDS})\b", re.IGNORECASE
)
# Recipient fields a form might be sent beyond the ones it has: refused, not ignored, so nobody is sent mail the
# sender did not see on the page.
RECIPIENT_KEY = re.compile(r"^(friend|recipient|to|cc|bcc)s?(_?\d+)?$", re.I)


class SenderNameField(SingleLineField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", NAME_MAX)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and LINK_LIKE.search(value):
            raise forms.ValidationError("Please enter just your name.", code="link")
        return value


class RecipientField(StrictEmailField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        # Quoted local parts ("a b"@x.com) are valid but nobody's friend uses one; plain addresses compare exactly.
        if any(c in value for c in '"\\ '):
            raise forms.ValidationError("Enter a plain email address, like name@example.com.", code="plain")
        try:
            return normalize_email(value)
        except UnicodeError:
            raise forms.ValidationError("Enter a valid email address.", code="invalid") from None


class ShareForm(HoneypotMixin, forms.Form):
    recipient_fields: tuple[str, ...] = ()

    name = SenderNameField(label="Your name")
    email = StrictEmailField(label="Your email")

    def clean(self):
        data = super().clean()
        extra = [key for key in self.data if RECIPIENT_KEY.match(key) and key not in self.recipient_fields]
        getlist = getattr(self.data, "getlist", lambda key: [self.data[key]] if key in self.data else [])
        repeated = [key for key in self.recipient_fields if len(getlist(key)) > 1]
        if extra or repeated:
            raise forms.ValidationError(self.too_many_message, code="too_many_recipients")
        sender = data.get("email")
        sender = normalize_email(sender) if sender else ""
        recipients = []
        for key in self.recipient_fields:
            address = data.get(key)
            if not address:
                continue
            if address == sender:
                self.add_error(key, forms.ValidationError(self.own_address_message, code="own_address"))
            elif address not in recipients:
                recipients.append(address)
        data["recipients"] = recipients
        return data


class FriendForm(ShareForm):
    recipient_fields = tuple(f"friend_{n}" for n in range(1, MAX_FRIENDS + 1))
    too_many_message = f"You can send this to up to {MAX_FRIENDS} friends at a time."
    own_address_message = "This is your own address: enter your friend's."

    friend_1 = RecipientField(label="Friend's email", error_messages={"required": "Enter your friend's email address."})
    friend_2 = RecipientField(label="Second friend's email", required=False)
    friend_3 = RecipientField(label="Third friend's email", required=False)


class HintForm(ShareForm):
    recipient_fields = ("recipient",)
    too_many_message = "A hint goes to one person."
    own_address_message = "This is your own address: enter the email of the person you hope will take the hint."

    recipient = RecipientField(
        label="Their email", error_messages={"required": "Enter the email of the person you hope will take the hint."}
    )


FORMS = {"friend": FriendForm, "hint": HintForm}
