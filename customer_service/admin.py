"""Customer service in the admin, one module per part (each registers its own models)."""

from . import admin_pages, admin_tickets  # noqa: F401
