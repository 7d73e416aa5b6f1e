import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from catalog.models import Diamond, Gemstone, Jewelry, RingSetting

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_logins_for_every_role_and_a_catalog(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", diamonds=50)
    users = get_user_model().objects
    admin = users.get(email="admin@solitaire.example")
    assert admin.is_superuser and admin.check_password("solitaire-demo")
    for email, group in [("inventory@solitaire.example", "Inventory"), ("marketing@solitaire.example", "Marketing"),
                         ("service@solitaire.example", "Customer service")]:  # fmt: skip
        user = users.get(email=email)
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group]
    assert Diamond.objects.count() == 50
    assert Gemstone.objects.exists() and RingSetting.objects.count() >= 60 and Jewelry.objects.exists()
    out = capsys.readouterr().out
    assert "admin@solitaire.example / solitaire-demo" in out
    # Running it again changes nothing in the catalog, and keeps one of each demo offer, still running.
    call_command("seed_demo", diamonds=50)
    assert Diamond.objects.count() == 50
    from checkout.deals import current_deal
    from checkout.models import Promotion

    assert Promotion.objects.count() == 2
    assert Promotion.objects.filter(code="WELCOME10").exists()
    assert current_deal() is not None


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


def test_seed_catalog_is_deterministic():
    from catalog.seed import diamonds

    assert list(diamonds(20, seed=5)) == list(diamonds(20, seed=5))
    assert list(diamonds(20, seed=5)) != list(diamonds(20, seed=6))


def test_seed_prices_behave_like_the_market():
    from decimal import Decimal

    from catalog.seed import diamond_price

    def price(**kw):
        base = {"carat": 1.0, "shape": "round", "cut": 2, "color": 4, "clarity": 6, "fluorescence": 1}
        return diamond_price(**{**base, **kw})

    assert price(carat=2.0) / 2 > price(carat=1.0)  # price per carat rises with carat
    assert price(carat=1.0) > price(carat=0.98) * Decimal("1.05")  # the whole-carat premium
    assert price(color=1) > price(color=4) > price(color=8)
    assert price(clarity=1) > price(clarity=6) > price(clarity=9)
    assert price(shape="oval") < price(shape="round")
    assert price(lab_grown_fraction=0.15) < price() * Decimal("0.2")
    assert price(fancy_hue="pink", fancy_intensity=7) > 10 * price()
