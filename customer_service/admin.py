"""Customer service in the admin, one module per part (each registers its own models)."""

from . import (  # noqa: F401
    admin_inspections,
    admin_newsletter,
    admin_pages,
    admin_returns,
    admin_shares,
    admin_tickets,
)
