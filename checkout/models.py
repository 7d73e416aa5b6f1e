from decimal import Decimal

from django.db import models


class Currency(models.Model):
    """A currency the shop sells in, with its rate per US dollar (prices are stored in USD)."""

    code = models.CharField(max_length=3, primary_key=True)
    name = models.CharField(max_length=40)
    symbol = models.CharField(max_length=5)
    rate_per_usd = models.DecimalField(max_digits=14, decimal_places=6)
    minor_units = models.PositiveSmallIntegerField(default=2, help_text="Digits after the decimal point.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the currency selector.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "currencies"
        constraints = [
            models.CheckConstraint(condition=models.Q(rate_per_usd__gt=Decimal(0)), name="currency_rate_positive"),
        ]

    def __str__(self):
        return f"{self.code} ({self.symbol})"
