"""Demo data for a local run: an admin login, one staff user per role, and a shopper.

Idempotent: running it again resets the demo passwords and changes nothing else. Later issues add the catalog,
moments and service content to this command."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DEMO_PASSWORD = "solitaire-demo"  # noqa: S105 - printed on the console on purpose; demo only
ADMIN_EMAIL = "admin@solitaire.example"
STAFF = [
    ("inventory@solitaire.example", "Iris", "Inventory", "Inventory"),
    ("marketing@solitaire.example", "Maya", "Marketing", "Marketing"),
    ("service@solitaire.example", "Sam", "Service", "Customer service"),
]
SHOPPER_EMAIL = "shopper@solitaire.example"


class Command(BaseCommand):
    help = "Load demo data and print the demo logins (refuses to run with DEBUG off)."

    def add_arguments(self, parser):
        parser.add_argument("--diamonds", type=int, default=3000, help="Diamonds in the demo catalog.")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates well-known passwords; it only runs with DEBUG on.")
        from allauth.account.models import EmailAddress

        User = get_user_model()

        def ensure(email, first, last, *, staff=False, superuser=False, group=None):
            user, _ = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
            user.is_staff = staff or superuser
            user.is_superuser = superuser
            user.set_password(DEMO_PASSWORD)
            user.save()
            if group:
                user.groups.set([Group.objects.get(name=group)])
            # Demo accounts are verified so they can log in at once.
            EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            return user

        ensure(ADMIN_EMAIL, "Ada", "Admin", superuser=True)
        for email, first, last, group in STAFF:
            ensure(email, first, last, staff=True, group=group)
        ensure(SHOPPER_EMAIL, "Jennifer", "Shopper")
        # A demo-sized catalog the first time; `seed_catalog --diamonds 500000` makes a production-sized one.
        call_command("seed_catalog", diamonds=options["diamonds"], if_empty=True, stdout=self.stdout)
        self._promotions()
        self._service_inbox()

        line = "=" * 72
        self.stdout.write(self.style.SUCCESS(line))
        self.stdout.write(self.style.SUCCESS("  Solitaire demo is ready at http://127.0.0.1:8000/"))
        self.stdout.write(f"  Admin:     http://127.0.0.1:8000/admin/  {ADMIN_EMAIL} / {DEMO_PASSWORD}")
        for email, _first, _last, group in STAFF:
            self.stdout.write(f"  {group + ':':<18} {email} / {DEMO_PASSWORD}")
        self.stdout.write(f"  Shopper:   {SHOPPER_EMAIL} / {DEMO_PASSWORD}")
        self.stdout.write("  Payments:  test mode: card 4242 4242 4242 4242 pays, 4000 0000 0000 0002 declines.")
        self.stdout.write("  Offers:    35% off ring settings (automatic, with its countdown), code WELCOME10.")
        self.stdout.write("  Inbox:     /admin/customer_service/ticket/ (sign in as Customer service; one is overdue)")
        self.stdout.write(self.style.SUCCESS(line))

    def _service_inbox(self):
        """Two messages in the Customer service inbox the first time, one of them past its due date."""
        from datetime import timedelta

        from django.utils import timezone

        from customer_service.models import Ticket
        from customer_service.tickets import ticket_open

        if Ticket.objects.exists():
            return
        now = timezone.now()
        for days_ago, name, email, message in [
            (6, "Marc Jacobs", "marc@example.com", "Could you hold the 1.52 ct oval I was looking at until Friday?"),
            (0, "Priya Shah", "priya@example.com", "Do you resize rings bought as a gift? My fiancée wears a 5.5."),
        ]:
            ticket_open(name=name, email=email, message=message, received_at=now - timedelta(days=days_ago),
                        acknowledge=False)  # fmt: skip

    def _promotions(self):
        """The seed's running offers, kept running: each demo run moves their end a week ahead."""
        from datetime import timedelta
        from decimal import Decimal

        from django.utils import timezone

        from checkout.models import Promotion

        now = timezone.now()
        Promotion.objects.update_or_create(
            name="35% off ring settings",
            code="",
            defaults={
                "kind": Promotion.Kind.PERCENT_CATEGORY,
                "percent": Decimal("35"),
                "category": Promotion.Category.RING_SETTINGS,
                "exclude_designer_collections": True,
                "starts_at": now - timedelta(days=1),
                "ends_at": now + timedelta(days=6, hours=11),
                "active": True,
            },
        )
        Promotion.objects.update_or_create(
            code="WELCOME10",
            defaults={
                "name": "Welcome: 10% off fine jewelry",
                "kind": Promotion.Kind.PERCENT_CATEGORY,
                "percent": Decimal("10"),
                "category": Promotion.Category.JEWELRY,
                "starts_at": now - timedelta(days=1),
                "ends_at": now + timedelta(days=90),
                "minimum_spend_usd": Decimal("500"),
                "one_use_per_customer": True,
                "active": True,
            },
        )
