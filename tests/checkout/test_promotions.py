from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from checkout.models import Promotion, PromotionRedemption
from checkout.money import Money
from checkout.promotions import (
    PricedLine,
    PromotionRule,
    Refusal,
    apply_promotions,
    countdown,
    promotion_rules,
    used_promotion_ids,
)

D = Decimal
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=3)
END = NOW + timedelta(days=4)


def usd(amount):
    return Money(D(amount), "USD")


def rule(id=1, **kwargs):
    defaults = {
        "name": "35% off ring settings",
        "kind": "percent_category",
        "percent": D("35"),
        "starts_at": START,
        "ends_at": END,
        "category": "ring_settings",
    }
    return PromotionRule(id=id, **{**defaults, **kwargs})


SETTING = PricedLine(id="s", kind="setting", amount=usd("1000"))
DESIGNER_SETTING = PricedLine(id="ds", kind="setting", amount=usd("2000"), designer=True)
DIAMOND = PricedLine(id="d", kind="diamond", amount=usd("5000"), true_hearts=True)
GEM = PricedLine(id="g", kind="gemstone", amount=usd("800"))
TH_RING = PricedLine(id="r", kind="ring", amount=usd("6400"), setting_amount=usd("1400"), true_hearts=True)
RING = PricedLine(id="r2", kind="ring", amount=usd("4000"), setting_amount=usd("900"))
STUDS = PricedLine(id="j", kind="jewelry", amount=usd("1200"))


@pytest.mark.parametrize(
    ("promotion", "lines", "expected", "line_ids"),
    [
        # 35% off settings: the setting and a ring's setting part, never a stone, never a designer setting.
        (rule(), [SETTING, DIAMOND, GEM, DESIGNER_SETTING], "350.00", ("s",)),
        (rule(), [TH_RING], "490.00", ("r",)),
        (rule(exclude_designer=False), [DESIGNER_SETTING], "700.00", ("ds",)),
        (rule(category="loose_diamonds", percent=D("10")), [SETTING, DIAMOND], "500.00", ("d",)),
        (rule(category="gemstones", percent=D("15")), [GEM, DIAMOND], "120.00", ("g",)),
        (rule(category="jewelry", percent=D("20")), [STUDS, SETTING], "240.00", ("j",)),
        (rule(category="complete_rings", percent=D("5")), [RING, SETTING], "200.00", ("r2",)),
        # Bundle: 25% off the setting of a ring whose stone is True Hearts.
        (rule(kind="bundle_true_hearts", percent=D("25")), [TH_RING, RING, SETTING, DIAMOND], "350.00", ("r",)),
        # Rounding half-up per line: 35% of 33.33 = 11.6655 -> 11.67.
        (rule(), [PricedLine(id="x", kind="setting", amount=usd("33.33"))], "11.67", ("x",)),
    ],
)
def test_each_kind(promotion, lines, expected, line_ids):
    result = apply_promotions(lines=lines, promotions=[promotion], now=NOW)
    assert result.refusal is None
    assert result.total == usd(expected)
    assert [d.line_ids for d in result.discounts] == [line_ids]


def test_discount_has_a_reason():
    result = apply_promotions(lines=[SETTING], promotions=[rule()], now=NOW)
    assert result.discounts[0].reason == "35% off ring settings, excluding designer collections"
    bundle = apply_promotions(lines=[TH_RING], promotions=[rule(kind="bundle_true_hearts", percent=D("25"))], now=NOW)
    assert bundle.discounts[0].reason == "25% off the setting of a ring with a True Hearts diamond"


def test_nothing_eligible_means_no_discount():
    result = apply_promotions(lines=[DIAMOND, GEM], promotions=[rule()], now=NOW)
    assert result.discounts == ()
    assert result.total == usd("0")


@pytest.mark.parametrize(
    ("when", "applies"),
    [(START - timedelta(seconds=1), False), (START, True), (END - timedelta(seconds=1), True), (END, False)],
)
def test_automatic_offers_run_between_their_dates(when, applies):
    assert bool(apply_promotions(lines=[SETTING], promotions=[rule()], now=when).discounts) is applies


def test_stacked_setting_discounts_compound_and_never_exceed_the_setting():
    both = [rule(1), rule(2, kind="bundle_true_hearts", percent=D("25"))]
    result = apply_promotions(lines=[TH_RING], promotions=both, now=NOW)
    assert [d.amount for d in result.discounts] == [usd("490.00"), usd("350.00")]
    full = [rule(1, percent=D("80")), rule(2, percent=D("80"))]
    capped = apply_promotions(lines=[TH_RING], promotions=full, now=NOW)
    assert capped.total == usd("1400.00")


def test_best_of_exclusive_and_combinable_automatic_offers():
    small = rule(1, percent=D("10"))
    big_exclusive = rule(2, percent=D("40"), exclusive=True)
    result = apply_promotions(lines=[SETTING], promotions=[small, big_exclusive], now=NOW)
    assert [d.promotion_id for d in result.discounts] == [2]
    weak_exclusive = rule(2, percent=D("5"), exclusive=True)
    result = apply_promotions(lines=[SETTING], promotions=[small, weak_exclusive], now=NOW)
    assert [d.promotion_id for d in result.discounts] == [1]


def test_minimum_spend_is_converted_to_the_bags_currency():
    promo = rule(minimum_spend_usd=D("1000"))
    eur_setting = PricedLine(id="s", kind="setting", amount=Money(D("963.40"), "EUR"))
    low = PricedLine(id="s", kind="setting", amount=Money(D("963.39"), "EUR"))
    kwargs = {"promotions": [promo], "now": NOW, "currency": "EUR", "rate_per_usd": D("0.9634")}
    assert apply_promotions(lines=[eur_setting], **kwargs).total == Money(D("337.19"), "EUR")
    assert apply_promotions(lines=[low], **kwargs).discounts == ()


def test_a_line_in_another_currency_is_refused():
    with pytest.raises(ValueError):
        apply_promotions(lines=[SETTING], promotions=[], now=NOW, currency="EUR")


# --- Codes -------------------------------------------------------------------------------------------------------
CODE = rule(10, name="Holiday code", code="HOLIDAY", percent=D("20"))


@pytest.mark.parametrize(
    ("promotions", "code", "used", "lines", "refusal", "message"),
    [
        ([CODE], "NOPE", set(), [SETTING], Refusal.UNKNOWN, "We don't recognise this code"),
        ([rule(10, code="HOLIDAY", starts_at=NOW - timedelta(days=9), ends_at=NOW - timedelta(days=1))], "holiday",
         set(), [SETTING], Refusal.EXPIRED, "This code expired on November 21, 2026."),
        ([rule(10, code="HOLIDAY", starts_at=NOW + timedelta(days=1), ends_at=NOW + timedelta(days=9))], "HOLIDAY",
         set(), [SETTING], Refusal.NOT_STARTED, "This code starts on November 23, 2026."),
        ([rule(10, code="HOLIDAY", minimum_spend_usd=D("2500"))], "HOLIDAY", set(), [SETTING], Refusal.BELOW_MINIMUM,
         "This code needs a minimum spend of $2,500.00."),
        ([rule(10, code="HOLIDAY", one_use_per_customer=True)], "HOLIDAY", {10}, [SETTING], Refusal.ALREADY_USED,
         "You have already used this code."),
        ([rule(1), rule(10, code="HOLIDAY", exclusive=True)], "HOLIDAY", set(), [SETTING], Refusal.NOT_COMBINABLE,
         "This code cannot be combined with any other offer."),
        ([rule(1, exclusive=True), CODE], "HOLIDAY", set(), [SETTING], Refusal.NOT_COMBINABLE,
         "This code cannot be combined with any other offer."),
        ([CODE], "HOLIDAY", set(), [DIAMOND], Refusal.NOT_APPLICABLE, "This code does not apply to any item"),
    ],
)  # fmt: skip
def test_code_refusals(promotions, code, used, lines, refusal, message):
    result = apply_promotions(lines=lines, promotions=promotions, now=NOW, code=code, used_promotion_ids=used)
    assert result.refusal == refusal
    assert result.refusal_message.startswith(message)
    assert 10 not in {d.promotion_id for d in result.discounts}


def test_refused_code_keeps_the_automatic_offers():
    result = apply_promotions(lines=[SETTING], promotions=[rule(1)], now=NOW, code="NOPE")
    assert result.refusal == Refusal.UNKNOWN
    assert result.total == usd("350.00")


def test_accepted_code_combines_with_automatic_offers():
    result = apply_promotions(lines=[SETTING, STUDS], promotions=[rule(1), CODE], now=NOW, code=" holiday ")
    assert result.refusal is None
    assert [d.promotion_id for d in result.discounts] == [1, 10]
    # 35% of 1000, then 20% of the setting: 200 (capped only by what is left, 650).
    assert result.total == usd("550.00")


def test_automatic_one_use_offer_is_skipped_once_used():
    once = rule(1, one_use_per_customer=True)
    assert apply_promotions(lines=[SETTING], promotions=[once], now=NOW, used_promotion_ids={1}).discounts == ()


def test_rules_refuse_impossible_percents():
    with pytest.raises(ValueError):
        rule(percent=D("0"))
    with pytest.raises(ValueError):
        rule(percent=D("100.5"))


line_kinds = st.sampled_from(["setting", "diamond", "gemstone", "jewelry", "ring", "earrings", "pendant"])
cents = st.integers(min_value=0, max_value=100_000_000)


@st.composite
def priced_lines(draw):
    lines = []
    for i in range(draw(st.integers(min_value=0, max_value=6))):
        kind = draw(line_kinds)
        amount = D(draw(cents)) / 100
        setting = D(draw(st.integers(min_value=0, max_value=int(amount * 100)))) / 100 if kind == "ring" else None
        lines.append(
            PricedLine(
                id=str(i),
                kind=kind,
                amount=usd(amount),
                setting_amount=usd(setting) if setting is not None else None,
                designer=draw(st.booleans()),
                true_hearts=draw(st.booleans()),
            )
        )
    return lines


promotions = st.lists(
    st.builds(
        rule,
        id=st.integers(min_value=1, max_value=1000),
        kind=st.sampled_from(["percent_category", "bundle_true_hearts"]),
        percent=st.decimals(min_value=D("0.01"), max_value=D("100"), places=2),
        category=st.sampled_from(["ring_settings", "loose_diamonds", "gemstones", "jewelry", "complete_rings"]),
        exclude_designer=st.booleans(),
        exclusive=st.booleans(),
    ),
    max_size=4,
    unique_by=lambda r: r.id,
)


@given(lines=priced_lines(), promos=promotions)
def test_discounts_never_exceed_what_is_eligible_nor_go_negative(lines, promos):
    result = apply_promotions(lines=lines, promotions=promos, now=NOW)
    by_id = {line.id: line for line in lines}
    assert result.total.amount >= 0
    assert result.total.amount <= sum((line.amount.amount for line in lines), D(0))
    for discount in result.discounts:
        assert discount.amount.amount > 0
        assert discount.amount.amount == discount.amount.amount.quantize(D("0.01"))
        eligible = D(0)
        for line_id in discount.line_ids:
            line = by_id[line_id]
            eligible += (
                line.setting_amount.amount
                if line.kind == "ring"
                and (discount.reason.endswith("True Hearts diamond") or "ring settings" in discount.reason)
                else line.amount.amount
            )
        assert discount.amount.amount <= eligible


# --- Countdown ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("left", "shown"),
    [
        (timedelta(days=3, hours=4, minutes=5, seconds=6), "03:04:05:06"),
        (timedelta(seconds=59, microseconds=999), "00:00:00:59"),
        (timedelta(days=120), "120:00:00:00"),
        (timedelta(0), "00:00:00:00"),
        (-timedelta(hours=1), "00:00:00:00"),
    ],
)
def test_countdown(left, shown):
    assert countdown(NOW + left, NOW) == shown


# --- Models and selectors ----------------------------------------------------------------------------------------
def make_promotion(**kwargs):
    defaults = {"name": "Sale", "kind": "percent_category", "percent": D("35"), "starts_at": START, "ends_at": END}
    return Promotion.objects.create(**{**defaults, **kwargs})


@pytest.mark.django_db
def test_selector_loads_running_automatic_offers_and_the_code_whatever_its_dates(django_assert_num_queries):
    running = make_promotion(name="Running")
    make_promotion(name="Over", starts_at=NOW - timedelta(days=9), ends_at=NOW - timedelta(days=1))
    make_promotion(name="Off", active=False)
    expired_code = make_promotion(
        name="Code", code="Old10", starts_at=NOW - timedelta(days=9), ends_at=NOW - timedelta(days=1)
    )
    with django_assert_num_queries(1):
        rules = promotion_rules(now=NOW, code="old10")
    assert {r.id for r in rules} == {running.pk, expired_code.pk}
    result = apply_promotions(lines=[SETTING], promotions=rules, now=NOW, code="OLD10")
    assert result.refusal == Refusal.EXPIRED


@pytest.mark.django_db
def test_one_redemption_per_customer_email():
    promotion = make_promotion(code="ONCE", one_use_per_customer=True)
    PromotionRedemption.objects.create(promotion=promotion, email=" Ada@Example.com ", order_reference="SO-1")
    assert used_promotion_ids("ada@example.COM") == {promotion.pk}
    assert used_promotion_ids("") == frozenset()
    with pytest.raises(IntegrityError), transaction.atomic():
        PromotionRedemption.objects.create(promotion=promotion, email="ada@example.com", order_reference="SO-2")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {"percent": D("0")},
        {"percent": D("101")},
        {"ends_at": START},
        {"ends_at": START - timedelta(days=1)},
        {"minimum_spend_usd": D("-1")},
    ],
)
def test_impossible_promotions_are_refused_by_the_database(bad):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_promotion(**bad)


@pytest.mark.django_db
def test_codes_are_unique_whatever_their_case_but_many_may_be_automatic():
    make_promotion(code="SPARKLE")
    make_promotion(name="Automatic A")
    make_promotion(name="Automatic B")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_promotion(code="sparkle")


@pytest.mark.django_db
def test_admin_lists_promotions_running_now_and_redemptions_are_read_only(admin_client):
    running = make_promotion(
        name="Running sale",
        starts_at=datetime.now(UTC) - timedelta(days=1),
        ends_at=datetime.now(UTC) + timedelta(days=1),
    )
    make_promotion(name="Finished sale", starts_at=START - timedelta(days=30), ends_at=START - timedelta(days=20))
    body = admin_client.get("/admin/checkout/promotion/", {"running": "yes"}).content.decode()
    assert "Running sale" in body and "Finished sale" not in body
    body = admin_client.get("/admin/checkout/promotion/", {"running": "no", "q": "sale"}).content.decode()
    assert "Finished sale" in body and "Running sale" not in body
    PromotionRedemption.objects.create(promotion=running, email="ada@example.com")
    assert admin_client.get("/admin/checkout/promotionredemption/").status_code == 200
    assert admin_client.get("/admin/checkout/promotionredemption/add/").status_code == 403
    assert admin_client.get("/admin/checkout/taxrate/", {"kind": "duty"}).status_code == 200
