"""`manage.py seed_catalog --diamonds N`: a realistic, deterministic catalog (catalog/seed.py).

On PostgreSQL the diamonds go in with COPY (500,000 in well under the few minutes allowed); elsewhere with batched
bulk inserts."""

import time
from itertools import islice

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from catalog.models import Diamond, Gemstone, Jewelry, RingSetting, SettingVariant
from catalog.seed import DIAMOND_COLUMNS, diamonds, gemstones, jewelry_data, settings_data


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class Command(BaseCommand):
    help = "Create a realistic demo catalog (diamonds, gemstones, ring settings, jewelry)."

    def add_arguments(self, parser):
        parser.add_argument("--diamonds", type=int, default=2000)
        parser.add_argument("--gemstones", type=int, default=300)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--clear", action="store_true", help="Delete the existing catalog first.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the catalog already has diamonds.")

    def handle(self, *args, diamonds: int, gemstones: int, seed: int, clear: bool, if_empty: bool, **options):
        if if_empty and Diamond.objects.exists():
            self.stdout.write("The catalog already has diamonds; leaving it as it is.")
            return
        started = time.monotonic()
        with transaction.atomic():
            if clear:
                for model in (Diamond, Gemstone, SettingVariant, RingSetting, Jewelry):
                    model.objects.all().delete()
            self._settings()
            self._jewelry()
            Gemstone.objects.bulk_create((Gemstone(**row) for row in _gemstones(gemstones)), batch_size=1000)
            start = (Diamond.objects.count() or 0) + 1
            self._diamonds(diamonds, seed=seed, sku_start=start)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh visibility map and statistics, so the search gets index-only scans at once. VACUUM cannot
                # run inside a transaction (a caller's atomic block, a test): statistics alone then.
                cursor.execute(
                    "ANALYZE catalog_diamond" if connection.in_atomic_block else "VACUUM ANALYZE catalog_diamond"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalog: {Diamond.objects.count():,} diamonds, {Gemstone.objects.count():,} gemstones, "
                f"{RingSetting.objects.count()} settings, {Jewelry.objects.count()} jewelry pieces "
                f"({time.monotonic() - started:.1f}s)"
            )
        )

    def _settings(self):
        for data in settings_data():
            variants = data.pop("variants")
            setting, _ = RingSetting.objects.update_or_create(slug=data["slug"], defaults=data)
            for metal, price in variants.items():
                SettingVariant.objects.update_or_create(setting=setting, metal=metal, defaults={"price": price})

    def _jewelry(self):
        for data in jewelry_data():
            Jewelry.objects.update_or_create(sku=data["sku"], defaults=data)

    def _diamonds(self, count, *, seed, sku_start):
        rows = diamonds(count, seed=seed, sku_start=sku_start)
        if connection.vendor == "postgresql":
            self._copy_diamonds(rows)
            return
        for batch in _batches(rows, 2000):
            Diamond.objects.bulk_create([Diamond(**row) for row in batch])

    def _copy_diamonds(self, rows):
        columns = [*DIAMOND_COLUMNS, "created_at", "updated_at"]
        sql = f"COPY catalog_diamond ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor:
            cursor.execute("SELECT now()")
            now = cursor.fetchone()[0]
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row([*(row[c] for c in DIAMOND_COLUMNS), now, now])


def _gemstones(count):
    existing = set(Gemstone.objects.values_list("sku", flat=True))
    return (row for row in gemstones(count) if row["sku"] not in existing)
