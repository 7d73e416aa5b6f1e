from decimal import Decimal

from django.db import migrations

# Frozen copy of the launch rates (DESIGN.md §4); migrations must not import live code.
CURRENCIES = [
    ("USD", "US dollar", "$", "1"),
    ("CAD", "Canadian dollar", "C$", "1.4951"),
    ("EUR", "Euro", "€", "0.9634"),
    ("GBP", "British pound", "£", "0.805"),
    ("HKD", "Hong Kong dollar", "HK$", "8.1738"),
    ("NZD", "New Zealand dollar", "NZ$", "1.8347"),
    ("SGD", "Singapore dollar", "S$", "1.4276"),
    ("AUD", "Australian dollar", "A$", "1.6771"),
    ("CNY", "Chinese yuan", "¥", "7.8531"),
]


def seed(apps, schema_editor):
    Currency = apps.get_model("checkout", "Currency")
    for position, (code, name, symbol, rate) in enumerate(CURRENCIES):
        Currency.objects.update_or_create(
            code=code,
            defaults={"name": name, "symbol": symbol, "rate_per_usd": Decimal(rate), "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("checkout", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
