"""The catalog admin as the Inventory group uses it (and what the other staff roles may not do)."""

import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from catalog.models import Diamond, RingSetting, SettingImage
from tests.factories import DiamondFactory, GemstoneFactory, RingSettingFactory, UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
DIAMONDS = "/admin/catalog/diamond/"


def staff_client(role: str | None) -> Client:
    user = UserFactory(is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def inventory():
    return staff_client("Inventory")


@pytest.fixture
def service():
    return staff_client("Customer service")


@pytest.fixture
def marketing():
    return staff_client("Marketing")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


# --- Permissions -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "page", "status"),
    [
        ("Inventory", "", 200),
        ("Inventory", "add/", 200),
        ("Inventory", "import/", 200),
        ("Inventory", "export/", 200),
        ("Inventory", "{pk}/change/", 200),
        ("Inventory", "{pk}/history/", 200),
        ("Customer service", "", 200),
        ("Customer service", "{pk}/change/", 200),
        ("Customer service", "{pk}/history/", 200),
        ("Customer service", "add/", 403),
        ("Customer service", "import/", 403),
        ("Marketing", "", 403),
        ("Marketing", "{pk}/change/", 403),
        ("Marketing", "import/", 403),
        ("Marketing", "export/", 403),
    ],
)
def test_who_may_open_which_diamond_page(role, page, status):
    stone = DiamondFactory()
    response = staff_client(role).get(DIAMONDS + page.format(pk=stone.pk))
    assert response.status_code == status


@pytest.mark.parametrize("model", ["gemstone", "ringsetting", "settingvariant", "jewelry"])
def test_inventory_manages_the_rest_of_the_catalog_and_marketing_sees_none_of_it(inventory, marketing, model):
    assert inventory.get(f"/admin/catalog/{model}/").status_code == 200
    assert inventory.get(f"/admin/catalog/{model}/add/").status_code == 200
    assert marketing.get(f"/admin/catalog/{model}/").status_code == 403


def test_marketing_does_not_see_the_catalog_on_the_admin_index(marketing, inventory):
    assert b"/admin/catalog/diamond/" not in marketing.get("/admin/").content
    assert b"/admin/catalog/diamond/" in inventory.get("/admin/").content


def test_customer_service_sees_stones_read_only_without_import_or_actions(service):
    stone = DiamondFactory()
    listing = service.get(DIAMONDS).content.decode()
    assert "import/" not in listing
    assert 'value="mark_sold"' not in listing
    assert 'value="change_price_by_percentage"' not in listing
    page = service.get(f"{DIAMONDS}{stone.pk}/change/").content.decode()
    assert 'name="_save"' not in page

    response = service.post(f"{DIAMONDS}{stone.pk}/change/", {"price": "1"})
    assert response.status_code == 403
    # An action posted by hand is not one of theirs: nothing changes.
    service.post(DIAMONDS, {"action": "mark_sold", "_selected_action": [stone.pk]})
    stone.refresh_from_db()
    assert (stone.status, stone.price) == ("available", Decimal("6000.00"))
    response = service.post(f"{DIAMONDS}process_import/", {"import_file_name": "x", "format": "0"})
    assert response.status_code == 403


def test_inventory_sees_import_export_and_the_actions(inventory):
    listing = inventory.get(DIAMONDS).content.decode()
    for needle in ("/admin/catalog/diamond/import/'", '"/admin/catalog/diamond/export/?"',
                   'value="mark_sold"', 'value="mark_available"', 'value="change_price_by_percentage"'):  # fmt: skip
        assert needle in listing


def test_wish_list_items_are_read_only_for_customer_service_and_hidden_from_inventory(service, inventory):
    from catalog.models import WishListItem

    item = WishListItem.objects.create(user=UserFactory(), kind="diamond", ref="D0000001")
    assert service.get("/admin/catalog/wishlistitem/").status_code == 200
    page = service.get(f"/admin/catalog/wishlistitem/{item.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert service.get("/admin/catalog/wishlistitem/add/").status_code == 403
    assert inventory.get("/admin/catalog/wishlistitem/").status_code == 403


# --- The list: search, filters, no N+1 -------------------------------------------------------------------------
def test_search_finds_a_stone_by_exact_sku_or_certificate_and_nothing_by_a_fragment(inventory):
    wanted = DiamondFactory(sku="JA-10001", certificate_number="2141438167")
    other = DiamondFactory(sku="JA-100012", certificate_number="2141438168")

    def found(q):
        return set(inventory.get(DIAMONDS, {"q": q}).context["cl"].result_list)

    assert found("ja-10001") == {wanted}
    assert found("#2141438167") == {wanted}
    assert found("JA-10001, 2141438168") == {wanted, other}
    assert found("JA-1000") == set()


def test_filters_by_status_and_on_sale(inventory):
    on_sale = DiamondFactory(price=Decimal("5000.00"), sale_price=Decimal("4500.00"))
    DiamondFactory(status="sold")
    listing = inventory.get(DIAMONDS, {"on_sale": "yes"})
    assert list(listing.context["cl"].result_list) == [on_sale]
    assert len(inventory.get(DIAMONDS, {"status__exact": "sold"}).context["cl"].result_list) == 1
    assert len(inventory.get(DIAMONDS, {"color__exact": "4", "shape__exact": "round"}).context["cl"].result_list) == 2


def test_the_list_shows_fancy_colours_and_costs_the_same_queries_for_3_or_30_stones(inventory):
    DiamondFactory(color=None, fancy_hue="pink", fancy_intensity=7)
    DiamondFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        page = inventory.get(DIAMONDS)
    assert "Fancy Vivid Pink" in page.content.decode()
    DiamondFactory.create_batch(27)
    with CaptureQueriesContext(connection) as many:
        inventory.get(DIAMONDS)
    assert len(many) == len(few)


# --- Bulk actions ----------------------------------------------------------------------------------------------
def test_mark_sold_and_mark_available_clear_reservations_and_write_history(inventory):
    reserved = DiamondFactory(status="reserved", reserved_until=timezone.now() + timedelta(minutes=15))
    available = DiamondFactory()
    response = inventory.post(DIAMONDS, {"action": "mark_sold", "_selected_action": [reserved.pk, available.pk]})
    assert response.status_code == 302
    assert "2 diamonds marked sold." in messages_of(response)
    for stone in (reserved, available):
        stone.refresh_from_db()
        assert (stone.status, stone.reserved_until) == ("sold", None)
        latest = stone.history.latest()
        assert (latest.status, latest.history_user, latest.history_change_reason) == (
            "sold",
            inventory.user,
            "Marked sold (bulk action)",
        )

    reserved_again = DiamondFactory(status="reserved", reserved_until=timezone.now() + timedelta(minutes=15))
    inventory.post(DIAMONDS, {"action": "mark_available", "_selected_action": [reserved.pk, reserved_again.pk]})
    for stone in (reserved, reserved_again):
        stone.refresh_from_db()
        assert (stone.status, stone.reserved_until) == ("available", None)


def test_change_price_asks_for_a_percentage_first(inventory):
    stone = DiamondFactory()
    page = inventory.post(DIAMONDS, {"action": "change_price_by_percentage", "_selected_action": [stone.pk]})
    assert page.status_code == 200
    assert b'name="percentage"' in page.content
    assert stone.sku.encode() in page.content
    stone.refresh_from_db()
    assert stone.price == Decimal("6000.00")


def apply_percentage(client, stones, percentage, sale_prices="scale"):
    return client.post(
        DIAMONDS,
        {
            "action": "change_price_by_percentage",
            "_selected_action": [s.pk for s in stones],
            "percentage": percentage,
            "sale_prices": sale_prices,
            "apply": "Change prices",
        },
    )


def test_change_price_by_a_percentage_rounds_half_up_scales_sale_prices_and_spares_sold_stones(inventory):
    plain = DiamondFactory(price=Decimal("1000.05"))  # +10 % = 1100.055 -> 1100.06
    on_sale = DiamondFactory(price=Decimal("5000.00"), sale_price=Decimal("4500.00"))
    sold = DiamondFactory(price=Decimal("7000.00"), status="sold")

    response = apply_percentage(inventory, [plain, on_sale, sold], "10 %")

    assert response.status_code == 302
    assert messages_of(response) == ["Changed the price of 2 stones by +10 %. 1 sold stone left at its price."]
    for stone in (plain, on_sale, sold):
        stone.refresh_from_db()
    assert plain.price == Decimal("1100.06")
    assert (on_sale.price, on_sale.sale_price, on_sale.current_price) == (
        Decimal("5500.00"),
        Decimal("4950.00"),
        Decimal("4950.00"),
    )
    assert sold.price == Decimal("7000.00")
    assert [h.price for h in plain.history.order_by("history_date")] == [Decimal("1000.05"), Decimal("1100.06")]
    assert plain.history.latest().history_user == inventory.user
    assert sold.history.count() == 1


def test_a_price_cut_can_end_sales_instead(inventory):
    on_sale = DiamondFactory(price=Decimal("5000.00"), sale_price=Decimal("4500.00"))
    apply_percentage(inventory, [on_sale], "-15", sale_prices="clear")
    on_sale.refresh_from_db()
    assert (on_sale.price, on_sale.sale_price) == (Decimal("4250.00"), None)


@pytest.mark.parametrize(
    ("percentage", "reason"),
    [
        ("301", "Ensure this value is less than or equal to 300."),
        ("-90.5", "Ensure this value is greater than or equal to -90."),
        ("ten", "Enter a number."),
        ("0", "A change of 0 % changes nothing."),
        ("", "This field is required."),
    ],
)
def test_bad_percentages_are_refused_and_change_nothing(inventory, percentage, reason):
    stone = DiamondFactory(price=Decimal("6000.00"), sale_price=Decimal("5500.00"))
    response = apply_percentage(inventory, [stone], percentage)
    assert response.status_code == 200  # the form again, with the reason
    assert f"No price was changed: {reason}" in messages_of(response)
    stone.refresh_from_db()
    assert (stone.price, stone.sale_price) == (Decimal("6000.00"), Decimal("5500.00"))
    assert stone.history.count() == 1


def test_gemstones_have_the_same_actions(inventory):
    gem = GemstoneFactory(price=Decimal("2400.00"))
    response = inventory.post(
        "/admin/catalog/gemstone/",
        {"action": "change_price_by_percentage", "_selected_action": [gem.pk], "percentage": "-50",
         "sale_prices": "scale", "apply": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    gem.refresh_from_db()
    assert gem.price == Decimal("1200.00")


# --- Price history ---------------------------------------------------------------------------------------------
def test_a_price_edit_in_the_admin_shows_in_the_stones_history(inventory):
    stone = DiamondFactory(price=Decimal("6000.00"))
    form = inventory.get(f"{DIAMONDS}{stone.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(price="6250.00", sale_price="", reserved_until="", image="")
    response = inventory.post(f"{DIAMONDS}{stone.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    history = inventory.get(f"{DIAMONDS}{stone.pk}/history/").content.decode()
    assert "6250.00" in history and "6000.00" in history
    assert stone.history.latest().history_user == inventory.user


# --- Import through the admin ----------------------------------------------------------------------------------
def test_importing_a_supplier_file_previews_then_writes_on_confirmation(inventory):
    DiamondFactory(sku="JA-10002", certificate_number="LG551234567", lab="IGI", origin="lab", price=Decimal("1900.00"))
    DiamondFactory(sku="JA-10003", certificate_number="5192837465", status="sold", price=Decimal("17000.00"))

    preview = inventory.post(
        f"{DIAMONDS}import/",
        {"import_file": upload("feed.csv", (DATA / "supplier_feed.csv").read_bytes()), "format": "0", "resource": "0"},
    )

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Confirm import" in page
    assert "add <strong>3 new</strong>, update <strong>1</strong>" in page
    assert "<strong>1 sold</strong> stone in it will be left sold" in page
    assert "Left sold" in page and "Columns not imported: Location, Rap %." in page
    # The preview shows the values in the supplier's spellings, and what an update changes.
    assert "6.48 x 6.45 x 3.99" in page and "6449.36" in page and "Fancy Intense" in page
    update_row = re.search(r'<tr class="update">.*?</tr>', page, re.S).group()
    cells = re.findall(r"<td[^>]*>(.*?)</td>", update_row, re.S)

    def side(drop):  # the row's cells with the other side of the diff taken out
        return [re.sub(rf"<{drop}[^>]*>.*?</{drop}>|<[^>]+>", "", c) for c in cells][2:]

    assert side("ins") == ["JA-10002", "Round", "1.00", "G", "VS2", "Ideal", "Excellent", "Excellent", "None", "IGI",
                           "LG551234567", "61.8", "57.0", "6.42 x 6.40 x 3.96", "1900.00", "Lab-grown", "", "", "",
                           "None"]  # fmt: skip
    assert side("del") == ["JA-10002", "Oval", "1.52", "E", "VS1", "Very Good", "Excellent", "Excellent", "None", "IGI",
                           "LG551234567", "62.4", "58.0", "8.92 x 6.31 x 3.94", "1793.60", "Lab-grown", "", "", "",
                           "None"]  # fmt: skip
    assert Diamond.objects.count() == 2  # nothing written yet
    assert Diamond.objects.get(sku="JA-10002").price == Decimal("1900.00")

    confirm = preview.context["confirm_form"]
    done = inventory.post(f"{DIAMONDS}process_import/", {**confirm.initial, "confirm": "Confirm import"})

    assert done.status_code == 302
    assert messages_of(done) == [
        "Import finished: 3 new, 1 updated, 0 unchanged, 1 sold left sold (an import never re-lists a sold stone)."
    ]
    assert Diamond.objects.count() == 5
    updated = Diamond.objects.get(sku="JA-10002")
    assert updated.price == Decimal("1793.60")
    assert updated.history.latest().history_user == inventory.user
    assert Diamond.objects.get(sku="JA-10003").status == "sold"


def test_importing_a_bad_file_lists_every_bad_row_and_offers_no_confirmation(inventory):
    response = inventory.post(
        f"{DIAMONDS}import/",
        {"import_file": upload("bad.csv", (DATA / "supplier_feed_bad.csv").read_bytes()), "format": "0"},
    )
    page = response.content.decode()
    assert "The file was not imported: 3 rows have problems" in page
    assert "Row 3: Color &#x27;Q&#x27; is not a known colour grade" in page
    assert "Row 5: Weight &#x27;0&#x27; must be more than 0 ct" in page
    assert "Row 6: Stock # JA-20001 is also on row 2" in page
    assert "Confirm import" not in page
    assert not Diamond.objects.exists()


def test_confirming_a_file_that_has_gone_bad_since_the_preview_writes_nothing(inventory):
    preview = inventory.post(
        f"{DIAMONDS}import/",
        {"import_file": upload("feed.csv", (DATA / "supplier_feed.csv").read_bytes()), "format": "0"},
    )
    # Between preview and confirmation another stone gets one of the file's certificates.
    DiamondFactory(sku="ELSEWHERE", lab="IGI", certificate_number="LG551234567")
    done = inventory.post(f"{DIAMONDS}process_import/", preview.context["confirm_form"].initial)
    assert done.status_code == 302 and done.url.endswith("/import/")
    assert messages_of(done) == [
        "Nothing was imported: Row 3: IGI certificate LG551234567 already belongs to stone ELSEWHERE"
    ]
    assert list(Diamond.objects.values_list("sku", flat=True)) == ["ELSEWHERE"]


def test_a_file_that_is_not_a_table_is_refused_on_the_upload_form(inventory):
    response = inventory.post(
        f"{DIAMONDS}import/", {"import_file": upload("feed.csv", b"Stock #,Shape\nA,RD,extra\n"), "format": "0"}
    )
    assert response.context["form"].errors["import_file"] == ["Row 2 has more cells than the header row has columns."]


def test_export_downloads_supplier_columns_that_import_back(inventory):
    DiamondFactory(sku="EX-1", price=Decimal("4321.00"))
    response = inventory.post(f"{DIAMONDS}export/", {"format": "0", "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Stock #,Shape,Weight,Color,Clarity,Cut")
    assert lines[1].startswith("EX-1,Round,1.00,G,VS2,Ideal,Excellent,Excellent,None,GIA,")

    preview = inventory.post(f"{DIAMONDS}import/", {"import_file": upload("e.csv", response.content), "format": "0"})
    assert "leave <strong>1 unchanged</strong>" in preview.content.decode()


# --- Ring settings ---------------------------------------------------------------------------------------------
def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def test_a_ring_setting_is_added_with_metals_and_an_uploaded_image(inventory):
    data = {
        "name": "Petite Cathedral",
        "slug": "petite-cathedral",
        "style": "cathedral",
        "shapes": ["round", "oval"],
        "stone_kinds": ["natural", "lab"],
        "min_carat": "0.50",
        "max_carat": "2.50",
        "requires_center_stone": "on",
        "ring_size_min": "3",
        "ring_size_max": "9",
        "resizable": "on",
        "production_days": "5",
        "is_active": "on",
        "variants-TOTAL_FORMS": "2",
        "variants-INITIAL_FORMS": "0",
        "variants-0-metal": "14k_white",
        "variants-0-price": "1090.00",
        "variants-1-metal": "platinum",
        "variants-1-price": "1590.00",
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "0",
        "images-0-image": SimpleUploadedFile("side.png", png(), content_type="image/png"),
        "images-0-alt": "Petite Cathedral, side view",
        "images-0-position": "0",
    }
    response = inventory.post("/admin/catalog/ringsetting/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    setting = RingSetting.objects.get(slug="petite-cathedral")
    assert (setting.shapes, setting.stone_kinds) == (["round", "oval"], ["natural", "lab"])
    assert sorted(setting.variants.values_list("metal", "price")) == [
        ("14k_white", Decimal("1090.00")),
        ("platinum", Decimal("1590.00")),
    ]
    image = SettingImage.objects.get(setting=setting)
    assert image.image.name.startswith("settings/") and image.image.storage.exists(image.image.name)
    listing = inventory.get("/admin/catalog/ringsetting/").content.decode()
    assert "0.50–2.50" in listing and "1090.00" in listing


def test_the_ring_setting_list_costs_the_same_queries_for_many_settings(inventory):
    RingSettingFactory()
    with CaptureQueriesContext(connection) as few:
        inventory.get("/admin/catalog/ringsetting/")
    RingSettingFactory.create_batch(10)
    with CaptureQueriesContext(connection) as many:
        inventory.get("/admin/catalog/ringsetting/")
    assert len(many) == len(few)


def test_change_price_applies_to_every_stone_of_a_filtered_list_when_all_are_selected(inventory):
    """ "Select all N diamonds" on a filtered list: the percentage page keeps the selection and the filter."""
    natural = DiamondFactory.create_batch(3, price=Decimal("1000.00"))
    lab = DiamondFactory(origin="lab", price=Decimal("1000.00"))
    url = f"{DIAMONDS}?origin__exact=natural"
    page = inventory.post(url, {"action": "change_price_by_percentage", "_selected_action": [natural[0].pk],
                                "select_across": "1"})  # fmt: skip
    assert b"3 diamonds selected." in page.content
    response = inventory.post(url, {"action": "change_price_by_percentage", "_selected_action": [natural[0].pk],
                                    "select_across": "1", "percentage": "5", "sale_prices": "scale",
                                    "apply": "Change prices"})  # fmt: skip
    assert response.status_code == 302
    assert sorted(Diamond.objects.values_list("origin", "price")) == [
        ("lab", Decimal("1000.00")),
        *[("natural", Decimal("1050.00"))] * 3,
    ]
    lab.refresh_from_db()
    assert lab.history.count() == 1


def test_the_import_page_lists_the_headers_it_accepts(inventory):
    page = inventory.get(f"{DIAMONDS}import/").content.decode()
    assert "Accepted column headers" in page
    assert "Stock No, StockNo" in page and "Price Per Carat, Price Per Ct" in page
    assert 'name="import_file"' in page
