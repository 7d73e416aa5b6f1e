"""The live-inspection request (name, email, the shopper's time zone, up to three times in that zone) and the staff
form that confirms one of them, or another time, with a meeting link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.conf import settings
from django.utils import timezone

from .due_dates import shop_zone, zone_name
from .forms import HoneypotMixin, MessageField, SingleLineField, StrictEmailField

MESSAGE_MAX = 2000
# An expert needs a little notice to fetch the stone and set up the camera, and the stone may be sold by then.
EARLIEST = timedelta(hours=2)
LATEST = timedelta(days=60)
TIME_FIELDS = ("time_1", "time_2", "time_3")

# The zones our shoppers live in, by region; the label is the city people recognise.
TIME_ZONES: list[tuple[str, list[tuple[str, str]]]] = [
    ("Americas", [
        ("America/New_York", "New York, Eastern time"),
        ("America/Chicago", "Chicago, Central time"),
        ("America/Denver", "Denver, Mountain time"),
        ("America/Phoenix", "Phoenix, Arizona"),
        ("America/Los_Angeles", "Los Angeles, Pacific time"),
        ("America/Anchorage", "Anchorage, Alaska"),
        ("Pacific/Honolulu", "Honolulu, Hawaii"),
        ("America/Toronto", "Toronto"),
        ("America/Vancouver", "Vancouver"),
        ("America/Halifax", "Halifax, Atlantic time"),
        ("America/Mexico_City", "Mexico City"),
        ("America/Bogota", "Bogotá"),
        ("America/Sao_Paulo", "São Paulo"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires"),
    ]),
    ("Europe", [
        ("Europe/London", "London"),
        ("Europe/Dublin", "Dublin"),
        ("Europe/Lisbon", "Lisbon"),
        ("Europe/Paris", "Paris"),
        ("Europe/Berlin", "Berlin"),
        ("Europe/Madrid", "Madrid"),
        ("Europe/Rome", "Rome"),
        ("Europe/Amsterdam", "Amsterdam"),
        ("Europe/Zurich", "Zurich"),
        ("Europe/Stockholm", "Stockholm"),
        ("Europe/Athens", "Athens"),
        ("Europe/Istanbul", "Istanbul"),
        ("Europe/Moscow", "Moscow"),
    ]),
    ("Africa and the Middle East", [
        ("Africa/Johannesburg", "Johannesburg"),
        ("Africa/Lagos", "Lagos"),
        ("Africa/Cairo", "Cairo"),
        ("Asia/Jerusalem", "Jerusalem"),
        ("Asia/Dubai", "Dubai"),
    ]),
    ("Asia", [
        ("Asia/Kolkata", "India"),
        ("Asia/Bangkok", "Bangkok"),
        ("Asia/Singapore", "Singapore"),
        ("Asia/Hong_Kong", "Hong Kong"),
        ("Asia/Shanghai", "Shanghai, Beijing"),
        ("Asia/Taipei", "Taipei"),
        ("Asia/Seoul", "Seoul"),
        ("Asia/Tokyo", "Tokyo"),
    ]),
    ("Australia and the Pacific", [
        ("Australia/Perth", "Perth"),
        ("Australia/Brisbane", "Brisbane"),
        ("Australia/Sydney", "Sydney, Melbourne"),
        ("Pacific/Auckland", "Auckland"),
    ]),
]  # fmt: skip


def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The list above, with the shop's own zone added when it is not in it (so the default is always selectable)."""
    known = {key for _, zones in TIME_ZONES for key, _ in zones}
    if settings.SHOP_TIME_ZONE in known:
        return TIME_ZONES
    shop = settings.SHOP_TIME_ZONE
    return [("Our shop", [(shop, shop.rsplit("/", 1)[-1].replace("_", " "))]), *TIME_ZONES]


def say_time(moment: datetime, zone: ZoneInfo | str, *, with_zone: bool = True) -> str:
    """'Thursday, December 10, 2026 at 10:00 AM (Hong Kong time)': a time as the person in `zone` reads it."""
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    local = moment.astimezone(zone)
    hour = local.strftime("%I").lstrip("0")
    said = f"{local:%A, %B} {local.day}, {local.year} at {hour}:{local:%M %p}"
    return f"{said} ({zone_name(zone.key)})" if with_zone else said


def localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in `zone` as an aware UTC moment; a time the clocks skip (spring forward) is refused."""
    aware = naive.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise forms.ValidationError(
            "That time does not exist there: the clocks change that night. Please choose another.", code="nonexistent"
        )
    return aware.astimezone(UTC)


class LocalTimeField(forms.CharField):
    """A date and time as `<input type="datetime-local">` sends it (2026-12-10T14:30), without a zone: the form
    says which zone it is in. Kept as text until cleaned so a bad value is shown back exactly as typed."""

    widget = forms.TextInput(attrs={"type": "datetime-local"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if len(value) > 20:  # nothing a browser sends; not worth parsing
            raise forms.ValidationError("Enter a date and a time, like 2026-12-10 14:30.", code="invalid")
        try:
            moment = datetime.fromisoformat(value.replace(" ", "T", 1))
        except ValueError:
            raise forms.ValidationError("Enter a date and a time, like 2026-12-10 14:30.", code="invalid") from None
        if moment.tzinfo is not None:
            raise forms.ValidationError("Enter the time without a time zone.", code="invalid")
        return moment.replace(second=0, microsecond=0)


class InspectionForm(HoneypotMixin, forms.Form):
    name = SingleLineField(label="Name", max_length=100)
    email = StrictEmailField(label="Email")
    phone = SingleLineField(label="Phone", max_length=40, required=False)
    time_zone = forms.ChoiceField(label="Your time zone", help_text="The times you choose below are in this zone.")
    time_1 = LocalTimeField(label="First choice", help_text="Date and time, in the time zone above.")
    time_2 = LocalTimeField(label="Second choice", required=False)
    time_3 = LocalTimeField(label="Third choice", required=False)
    message = MessageField(label="Your notes for the expert", max_length=MESSAGE_MAX, required=False)

    def __init__(self, *args, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.fields["time_zone"].choices = time_zone_choices()
        self.fields["time_zone"].initial = settings.SHOP_TIME_ZONE
        self.fields["message"].widget.attrs["rows"] = 4

    def clean_time_zone(self) -> str:
        key = self.cleaned_data["time_zone"]
        try:
            ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError):  # in the list but missing from this server's zone data
            raise forms.ValidationError("Choose your time zone from the list.", code="unknown_zone") from None
        return key

    def clean(self):
        data = super().clean()
        key = data.get("time_zone")
        if not key:
            return data  # without a zone the times mean nothing; the zone's error says what to do
        zone, chosen = ZoneInfo(key), []
        for name in TIME_FIELDS:
            naive = data.get(name)
            if naive is None:
                continue
            try:
                moment = localize(naive, zone)
                self._check_window(moment)
                if moment in chosen:
                    raise forms.ValidationError("You have already chosen this time.", code="duplicate")
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            chosen.append(moment)
        data["preferred_times"] = chosen
        return data

    def _check_window(self, moment: datetime) -> None:
        if moment <= self.now:
            raise forms.ValidationError("This time has already passed.", code="past")
        if moment < self.now + EARLIEST:
            raise forms.ValidationError("Please choose a time at least two hours from now.", code="too_soon")
        if moment > self.now + LATEST:
            raise forms.ValidationError("Please choose a time within the next 60 days.", code="too_far")


# --- Staff: confirm a time --------------------------------------------------------------------------------------
OTHER = "other"
DURATIONS = [(15, "15 minutes"), (30, "30 minutes"), (45, "45 minutes"), (60, "1 hour"), (90, "1 hour 30 minutes")]


class ConfirmForm(forms.Form):
    slot = forms.ChoiceField(label="Time", widget=forms.RadioSelect)
    other_time = LocalTimeField(
        label="Another time", required=False, help_text="In the shop's time zone; used when “Another time” is chosen."
    )
    duration_minutes = forms.TypedChoiceField(label="Duration", choices=DURATIONS, coerce=int, initial=30)
    meeting_url = forms.URLField(
        label="Meeting link", assume_scheme="https", help_text="The screen-share link (Zoom, Meet, Teams…)."
    )

    def __init__(self, *args, inspection, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.shop_zone = shop_zone()
        shopper_zone = ZoneInfo(inspection.time_zone)
        slots = []
        for value in inspection.preferred_times:
            moment = datetime.fromisoformat(value)
            label = say_time(moment, self.shop_zone)
            if shopper_zone.key != self.shop_zone.key:
                label += f" · {say_time(moment, shopper_zone)} for the shopper"
            slots.append((value, label))
        self.fields["slot"].choices = [*slots, (OTHER, "Another time")]
        self.fields["slot"].initial = slots[0][0] if slots else OTHER
        self.fields[
            "other_time"
        ].help_text = f"On the shop's clock ({zone_name(self.shop_zone.key)}); used when “Another time” is chosen."
        if inspection.confirmed_start:  # a reschedule starts from what was agreed
            agreed = inspection.confirmed_start.astimezone(UTC).isoformat()
            if agreed in inspection.preferred_times:
                self.fields["slot"].initial = agreed
            else:
                self.fields["slot"].initial = OTHER
                local = inspection.confirmed_start.astimezone(self.shop_zone)
                self.fields["other_time"].initial = f"{local:%Y-%m-%dT%H:%M}"
            self.fields["duration_minutes"].initial = inspection.duration_minutes
            self.fields["meeting_url"].initial = inspection.meeting_url

    def clean(self):
        data = super().clean()
        slot = data.get("slot")
        if slot is None:
            return data
        if slot == OTHER:
            naive = data.get("other_time")
            if naive is None:
                if "other_time" not in self.errors:
                    self.add_error("other_time", forms.ValidationError("Enter the other time.", code="required"))
                return data
            try:
                start = localize(naive, self.shop_zone)
            except forms.ValidationError as error:
                self.add_error("other_time", error)
                return data
            field = "other_time"
        else:
            start, field = datetime.fromisoformat(slot), "slot"
        if start <= self.now:
            self.add_error(field, forms.ValidationError("This time has already passed.", code="past"))
            return data
        data["start"] = start
        return data
