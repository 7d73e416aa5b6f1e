import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    first_name = "Jennifer"
    last_name = "Lawrence"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


# --- Catalog ---------------------------------------------------------------------------------------------------------
from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402

from catalog.grades import Clarity, Color, Cut, Finish, Fluorescence  # noqa: E402
from catalog.models import Diamond, Gemstone, Jewelry, RingSetting, SettingVariant  # noqa: E402


class DiamondFactory(factory.django.DjangoModelFactory):
    """A 1.00 ct round natural G VS2 Ideal, GIA, $6,000, available, unless told otherwise."""

    class Meta:
        model = Diamond

    sku = factory.Sequence(lambda n: f"T{n:07d}")
    shape = "round"
    carat = Decimal("1.00")
    cut = Cut.IDEAL
    color = Color.G
    clarity = Clarity.VS2
    polish = Finish.EXCELLENT
    symmetry = Finish.EXCELLENT
    fluorescence = Fluorescence.NONE
    lab = "GIA"
    certificate_number = factory.Sequence(lambda n: f"99{n:08d}")
    origin = "natural"
    depth_pct = Decimal("61.8")
    table_pct = Decimal("57.0")
    length_mm = Decimal("6.42")
    width_mm = Decimal("6.40")
    depth_mm = Decimal("3.96")
    price = Decimal("6000.00")
    arrival_date = factory.LazyFunction(lambda: date(2026, 1, 15))


class GemstoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gemstone

    sku = factory.Sequence(lambda n: f"TG{n:06d}")
    kind = "blue_sapphire"
    shape = "oval"
    carat = Decimal("1.50")
    color = "Royal blue"
    treatment = "heated"
    origin = "Sri Lanka"
    length_mm = Decimal("8.10")
    width_mm = Decimal("6.05")
    depth_mm = Decimal("3.90")
    price = Decimal("2400.00")


class RingSettingFactory(factory.django.DjangoModelFactory):
    """A round-only solitaire for 0.25–3.00 ct, taking every diamond and gemstone, in two metals."""

    class Meta:
        model = RingSetting
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Solitaire {n}")
    slug = factory.Sequence(lambda n: f"test-solitaire-{n}")
    style = "solitaire"
    shapes = factory.LazyFunction(lambda: ["round"])
    min_carat = Decimal("0.25")
    max_carat = Decimal("3.00")
    stone_kinds = factory.LazyFunction(
        lambda: ["natural", "lab", "fancy", "blue_sapphire", "pink_sapphire", "ruby", "emerald", "moissanite"]
    )
    requires_center_stone = True
    production_days = 5

    @factory.post_generation
    def metals(obj, create, extracted, **kwargs):
        if not create:
            return
        prices = extracted or {"14k_white": Decimal("990.00"), "platinum": Decimal("1490.00")}
        for metal, price in prices.items():
            SettingVariant.objects.create(setting=obj, metal=metal, price=price)


class JewelryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jewelry

    sku = factory.Sequence(lambda n: f"TJ{n:05d}")
    name = factory.Sequence(lambda n: f"Diamond Stud Earrings {n}")
    slug = factory.Sequence(lambda n: f"diamond-stud-earrings-{n}")
    category = "earrings"
    metal = "14k_white"
    price = Decimal("990.00")
    stock_count = 5
