"""Reservations and sales of one-of-a-kind stones, including 20 shoppers racing for the same diamond."""

import contextlib
import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from checkout import inventory
from checkout.inventory import (
    StoneRef,
    StoneUnavailable,
    release_expired_reservations,
    stones_release,
    stones_reserve,
    stones_sell,
)
from tests.factories import DiamondFactory, GemstoneFactory

pytestmark = pytest.mark.django_db


def status(stone):
    stone.refresh_from_db()
    return stone.status


def test_reserve_then_sell():
    d = DiamondFactory(sku="D1")
    until = stones_reserve(refs=[StoneRef("diamond", "D1")], holder="checkout-a")
    assert status(d) == "reserved" and d.reserved_by == "checkout-a"
    assert until - timezone.now() > timedelta(minutes=14)
    stones_sell(refs=[StoneRef("diamond", "D1")], holder="checkout-a")
    assert status(d) == "sold" and d.reserved_until is None


def test_a_stone_held_by_another_checkout_cannot_be_reserved_until_the_hold_expires():
    d = DiamondFactory(sku="D1")
    now = timezone.now()
    stones_reserve(refs=[StoneRef("diamond", "D1")], holder="a", now=now)
    with pytest.raises(StoneUnavailable, match="reserved in another shopper"):
        stones_reserve(refs=[StoneRef("diamond", "D1")], holder="b", now=now + timedelta(minutes=14))
    stones_reserve(refs=[StoneRef("diamond", "D1")], holder="b", now=now + timedelta(minutes=16))
    assert status(d) == "reserved" and d.reserved_by == "b"


def test_the_same_checkout_may_renew_its_own_hold():
    DiamondFactory(sku="D1")
    stones_reserve(refs=[StoneRef("diamond", "D1")], holder="a")
    stones_reserve(refs=[StoneRef("diamond", "D1")], holder="a")


def test_a_sold_stone_cannot_be_reserved_or_sold_again():
    DiamondFactory(sku="D1", status="sold")
    with pytest.raises(StoneUnavailable, match="Sorry, this item has just been sold") as caught:
        stones_reserve(refs=[StoneRef("diamond", "D1")], holder="a")
    assert caught.value.sku == "D1"
    with pytest.raises(StoneUnavailable):
        stones_sell(refs=[StoneRef("diamond", "D1")], holder="a")


def test_selling_a_stone_someone_else_holds_is_refused():
    d = DiamondFactory(sku="D1")
    stones_reserve(refs=[StoneRef("diamond", "D1")], holder="a")
    with pytest.raises(StoneUnavailable, match="just been sold"):
        stones_sell(refs=[StoneRef("diamond", "D1")], holder="b")
    assert status(d) == "reserved" and d.reserved_by == "a"


def test_all_or_nothing():
    d = DiamondFactory(sku="D1")
    GemstoneFactory(sku="G1", status="sold")
    with pytest.raises(StoneUnavailable) as caught:
        stones_reserve(refs=[StoneRef("diamond", "D1"), StoneRef("gemstone", "G1")], holder="a")
    assert caught.value.sku == "G1"
    assert status(d) == "available"  # the diamond was not held either


def test_an_unknown_stone_is_refused():
    with pytest.raises(StoneUnavailable):
        stones_reserve(refs=[StoneRef("diamond", "NOPE")], holder="a")


def test_expired_holds_are_released_by_the_beat_task_with_a_controlled_clock():
    held = DiamondFactory(sku="D1")
    fresh = DiamondFactory(sku="D2")
    start = timezone.now()
    stones_reserve(refs=[StoneRef("diamond", "D1")], holder="a", now=start)
    stones_reserve(refs=[StoneRef("diamond", "D2")], holder="b", now=start + timedelta(minutes=10))
    assert release_expired_reservations(now=start + timedelta(minutes=14)) == 0
    assert release_expired_reservations(now=start + timedelta(minutes=16)) == 1
    assert status(held) == "available" and held.reserved_by == ""
    assert status(fresh) == "reserved"


def test_the_beat_task_runs_the_release():
    from checkout.tasks import release_expired_stone_reservations

    d = DiamondFactory(sku="D1")
    stones_reserve(refs=[StoneRef("diamond", "D1")], holder="a", now=timezone.now() - timedelta(minutes=20))
    assert release_expired_stone_reservations.delay().get() == 1
    assert status(d) == "available"


def test_release_gives_back_only_the_holders_stones():
    DiamondFactory(sku="D1")
    DiamondFactory(sku="D2")
    stones_reserve(refs=[StoneRef("diamond", "D1")], holder="a")
    stones_reserve(refs=[StoneRef("diamond", "D2")], holder="b")
    assert stones_release(refs=[StoneRef("diamond", "D1"), StoneRef("diamond", "D2")], holder="a") == 1


# --- The race, on PostgreSQL ------------------------------------------------------------------------------------
def race(buyers: int) -> tuple[int, int]:
    """`buyers` shoppers, each in a thread with its own connection, reserve and then buy diamond RACE at the same
    moment. Returns (sales that went through, shoppers told it was gone)."""
    barrier = threading.Barrier(buyers)
    results: list[str] = []
    lock = threading.Lock()

    def shopper(n):
        try:
            barrier.wait(timeout=10)
            stones_reserve(refs=[StoneRef("diamond", "RACE")], holder=f"checkout-{n}")
            stones_sell(refs=[StoneRef("diamond", "RACE")], holder=f"checkout-{n}")
            outcome = "paid"
        except StoneUnavailable:
            outcome = "sorry"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=shopper, args=(n,)) for n in range(buyers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results.count("paid"), results.count("sorry")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_shoppers_buy_the_same_diamond_and_exactly_one_pays():
    DiamondFactory(sku="RACE")
    paid, sorry = race(20)
    print(f"with the lock: {paid} paid, {sorry} told it was sold")
    assert (paid, sorry) == (1, 19)
    assert DiamondFactory._meta.model.objects.get(sku="RACE").status == "sold"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_the_row_lock_the_same_race_sells_the_diamond_twice(monkeypatch):
    """Proof that the previous test proves something: read without FOR UPDATE, let every shopper read before any
    writes, and several checkouts believe they bought the one stone."""
    DiamondFactory(sku="RACE")
    readers = threading.Barrier(20)

    def fetch_without_lock(model, skus):
        rows = list(model.objects.filter(sku__in=skus).order_by("pk"))
        with contextlib.suppress(threading.BrokenBarrierError):
            readers.wait(timeout=2)  # everyone has read "available" before anyone writes
        return rows

    monkeypatch.setattr(inventory, "_fetch_for_update", fetch_without_lock)
    paid, _sorry = race(20)
    print(f"without the lock: {paid} of 20 checkouts sold the same diamond")
    assert paid > 1


def test_locks_are_taken_in_a_fixed_order():
    """Diamonds before gemstones, each by primary key, whatever order the checkout lists them in."""
    DiamondFactory(sku="D2")
    DiamondFactory(sku="D1")
    GemstoneFactory(sku="G1")
    rows = inventory._locked_rows([StoneRef("gemstone", "G1"), StoneRef("diamond", "D1"), StoneRef("diamond", "D2")])
    assert [type(r).__name__ for r in rows] == ["Diamond", "Diamond", "Gemstone"]
    assert [r.pk for r in rows[:2]] == sorted(r.pk for r in rows[:2])
