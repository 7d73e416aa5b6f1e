"""Engagement moments: sharing (verified against a real order), processing, privacy of unapproved photos, the gallery
and its filters, moderation permissions. Photos are generated in the tests."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from checkout.models import Order
from moments.models import Moment, MomentPhoto
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def jpeg(width=800, height=600, *, gps=False) -> bytes:
    image = Image.new("RGB", (width, height), (200, 180, 150))
    buf = BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (40.0, 44.0, 54.0), 3: "W", 4: (73.0, 59.0, 10.0)}
    image.save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def make_order(number="SOL-ABCDEFGH", email="marc@example.com", status=Order.Status.PAID):
    order = Order.objects.create(
        number=number, email=email, status=status, currency="USD", rate_per_usd=Decimal(1),
        subtotal_amount=Decimal("6000.00"), total_amount=Decimal("6000.00"), shipping_name="Marc Jones",
        shipping_line1="1 Main St", shipping_city="Austin", shipping_country="US",
    )  # fmt: skip
    order.lines.create(
        kind="ring", description="Engagement ring: Classic Halo with a 1.00 Carat Round Diamond",
        references={"setting": "classic-halo"}, unit_price_usd=Decimal(6000), unit_amount=Decimal(6000),
        line_amount=Decimal(6000),
    )  # fmt: skip
    return order


FORM = {
    "first_name_1": "Marc",
    "last_name_1": "Jonesworth",
    "first_name_2": "Jennifer",
    "last_name_2": "Lautenberg",
    "email_1": "marc@example.com",
    "email_2": "jen@example.com",
    "order_number": "sol-abcdefgh",
    "order_email": "MARC@example.com",
    "country": "US",
    "region": "Texas",
    "city": "Austin",
    "story": "He hid the ring in a picnic basket at sunset by the lake, and the dog nearly ate it.",
    "instagram_1": "@marc.j",
    "consent": "on",
}


def share(client, data=FORM, files=None, execute=True, capture=None):
    files = files if files is not None else [SimpleUploadedFile("IMG_0001.JPG", jpeg(gps=True), "image/jpeg")]
    return client.post(reverse("moments:share"), {**data, "photos": files})


@pytest.fixture
def shared(client, django_capture_on_commit_callbacks, mailoutbox):
    make_order()
    with django_capture_on_commit_callbacks(execute=True):
        response = share(client)
    assert response.status_code == 302 and response.url == reverse("moments:thanks")
    return Moment.objects.get()


def test_a_shared_moment_is_stored_pending_with_consent_processed_and_acknowledged(shared, mailoutbox):
    assert shared.status == Moment.Status.PENDING
    assert shared.consent_text.startswith("By sending us your engagement moment, you authorize")
    assert shared.consent_at is not None and shared.order.number == "SOL-ABCDEFGH"
    assert shared.instagram_1 == "marc.j"
    photo = shared.photos.get()
    assert photo.state == MomentPhoto.State.READY and not photo.upload  # the original is not kept
    assert shared.cover_id == photo.pk
    assert mailoutbox[0].subject == "Thank you for sharing your engagement moment"
    # Location data is gone from every size served.
    with photo.large_jpg.open("rb") as handle:
        served = Image.open(BytesIO(handle.read()))
    assert not served.getexif() and 0x8825 not in served.getexif()


def test_an_unapproved_photo_is_404_for_everyone_but_marketing(shared):
    photo = shared.photos.get()
    url = photo.url("large.jpg")
    assert Client().get(url).status_code == 404
    inventory = UserFactory(is_staff=True)
    inventory.groups.add(Group.objects.get(name="Inventory"))
    c = Client()
    c.force_login(inventory)
    assert c.get(url).status_code == 404
    marketing = UserFactory(is_staff=True)
    marketing.groups.add(Group.objects.get(name="Marketing"))
    c.force_login(marketing)
    response = c.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    shared.status = Moment.Status.APPROVED
    shared.save()
    assert Client().get(url).status_code == 200
    shared.status = Moment.Status.WITHDRAWN
    shared.save()
    assert Client().get(url).status_code == 404


def test_the_gallery_shows_approved_moments_without_last_names_and_filters_by_place(client, shared):
    assert "Marc" not in client.get(reverse("moments:gallery")).content.decode()
    shared.status = Moment.Status.APPROVED
    shared.save()
    page = client.get(reverse("moments:gallery")).content.decode()
    assert "Marc J. &amp; Jennifer L." in page
    assert "Jonesworth" not in page and "Lautenberg" not in page
    detail = client.get(shared.get_absolute_url()).content.decode()
    assert "Jonesworth" not in detail and "Lautenberg" not in detail and "picnic basket" in detail
    assert "/engagement-rings/item/classic-halo/" in detail and "Shop this ring" in detail
    filtered = client.get(reverse("moments:gallery"), {"country": "US", "region": "Texas", "city": "Austin"})
    assert "Marc J." in filtered.content.decode()
    assert re.search(r'<option value="Austin" selected>Austin</option>', filtered.content.decode())
    other = client.get(reverse("moments:gallery"), {"country": "US", "city": "Dallas"}).content.decode()
    assert "Marc J." not in other and "No moments here yet" in other
    htmx = client.get(reverse("moments:gallery"), {"country": "US"}, headers={"HX-Request": "true"})
    assert htmx.content.decode().lstrip().startswith('<div id="mo-results"')


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"consent": ""}, "Please agree to the use of your photos and story"),
        ({"order_email": "someone@else.com"}, "We could not find an order with that number and email."),
        ({"order_number": "SOL-NOPE0000"}, "We could not find an order with that number and email."),
        ({"instagram_1": "<script>"}, "Enter an Instagram name"),
        ({"story": "Too short."}, "Tell us a little more"),
        ({"first_name_1": "Ma\x07rc"}, "Remove the control characters"),
        ({"first_name_1": "Ma\x00rc"}, "Null characters are not allowed"),
        ({"country": "ZZ"}, "Select a valid choice"),
    ],
)
def test_bad_forms_are_refused_beside_the_field_and_store_nothing(client, changes, field_message):
    make_order()
    response = share(client, {**FORM, **changes})
    assert response.status_code == 400
    assert field_message in response.content.decode()
    assert not Moment.objects.exists() and not MomentPhoto.objects.exists()


def test_the_same_message_whether_the_order_exists_or_not(client):
    make_order()
    wrong_email = share(client, {**FORM, "order_email": "x@example.com"}).content.decode()
    no_order = share(client, {**FORM, "order_number": "SOL-ZZZZZZZZ"}).content.decode()
    message = "We could not find an order with that number and email."
    assert message in wrong_email and message in no_order


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "Add at least one photo."),
        ([SimpleUploadedFile(f"p{i}.jpg", jpeg(40, 30), "image/jpeg") for i in range(11)], "Add at most 10 photos"),
        ([SimpleUploadedFile("empty.jpg", b"", "image/jpeg")], "is empty"),
        ([SimpleUploadedFile("page.jpg", b"<html><body>hi</body></html>", "image/jpeg")], "is not a photo"),
        ([SimpleUploadedFile("../../etc/x.jpg", jpeg()[:400], "image/jpeg")], "is damaged or incomplete"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_stored(client, files, message):
    make_order()
    response = share(client, files=files)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "../" not in page
    assert not Moment.objects.exists()


def test_moderation_is_marketing_only(shared):
    url = reverse("admin:moments_moment_changelist")
    for group, status in [("Marketing", 200), ("Inventory", 403), ("Customer service", 403)]:
        user = UserFactory(is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        c = Client()
        c.force_login(user)
        assert c.get(url).status_code == status, group


def test_marketing_approves_rejects_and_picks_the_moment_of_the_month(
    shared, mailoutbox, django_capture_on_commit_callbacks
):
    marketing = UserFactory(is_staff=True)
    marketing.groups.add(Group.objects.get(name="Marketing"))
    c = Client()
    c.force_login(marketing)
    url = reverse("admin:moments_moment_changelist")
    c.post(url, {"action": "approve", "_selected_action": [shared.pk]})
    shared.refresh_from_db()
    assert shared.status == Moment.Status.APPROVED and shared.approved_at
    Moment.objects.filter(pk=shared.pk).update(rejection_reason="the photos are too dark to print.")
    with django_capture_on_commit_callbacks(execute=True):
        c.post(url, {"action": "reject", "_selected_action": [shared.pk]})
    shared.refresh_from_db()
    assert shared.status == Moment.Status.REJECTED
    assert "too dark to print" in mailoutbox[-1].body and mailoutbox[-1].to == ["marc@example.com", "jen@example.com"]


def test_the_order_page_links_to_sharing(client):
    order = make_order()
    session = client.session
    session["orders_placed"] = [order.number]
    session.save()
    page = client.get(order.get_absolute_url()).content.decode()
    assert f"/engagement-moments/share/?order={order.number}" in page
    form = client.get(f"/engagement-moments/share/?order={order.number}").content.decode()
    assert f'value="{order.number}"' in form


def test_marketing_creates_a_moment_from_an_email_with_checked_photos(client, django_capture_on_commit_callbacks):
    marketing = UserFactory(is_staff=True)
    marketing.groups.add(Group.objects.get(name="Marketing"))
    client.force_login(marketing)
    data = {
        "status": "pending", "rejection_reason": "", "cover": "", "month_of": "", "first_name_1": "Ana",
        "last_name_1": "Lopez", "first_name_2": "Sam", "last_name_2": "Reed", "email_1": "ana@example.com",
        "email_2": "", "instagram_1": "", "instagram_2": "", "country": "GB", "region": "", "city": "London",
        "story": "He proposed on the top of Primrose Hill at dawn, with the whole city waking below us.",
        "photos-TOTAL_FORMS": "1", "photos-INITIAL_FORMS": "0", "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000", "photos-0-position": "0",
    }  # fmt: skip
    url = reverse("admin:moments_moment_add")
    bad = client.post(url, {**data, "photos-0-upload": SimpleUploadedFile("x.jpg", b"<html>", "image/jpeg")})
    assert bad.status_code == 200 and "x.jpg is not a photo" in bad.content.decode()
    assert not Moment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        good = client.post(url, {**data, "photos-0-upload": SimpleUploadedFile("x.jpg", jpeg(), "image/jpeg")})
    assert good.status_code == 302
    moment = Moment.objects.get()
    assert moment.consent_text.endswith(f"(given by email, recorded by {marketing})")
    photo = moment.photos.get()
    assert photo.state == MomentPhoto.State.READY and not photo.upload
