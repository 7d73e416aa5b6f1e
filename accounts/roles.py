"""Staff roles as Django groups, each with exactly the permissions its work needs.

This table is the one place a role's rights are written. The groups are created by a data migration and their
permissions are set from this table after every `migrate` (post_migrate), so a model added by a later migration
gets its role's rights without another data migration."""

VIEW = ("view",)
EDIT = ("view", "change")
ALL = ("add", "change", "delete", "view")

# role -> {(app_label, model): actions}
ROLES: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    "Inventory": {
        ("checkout", "currency"): VIEW,
        ("catalog", "diamond"): ALL,
        ("catalog", "gemstone"): ALL,
        ("catalog", "ringsetting"): ALL,
        ("catalog", "settingvariant"): ALL,
        ("catalog", "settingimage"): ALL,
        ("catalog", "jewelry"): ALL,
        # Price history is written by the shop, read by staff.
        ("catalog", "historicaldiamond"): VIEW,
        ("catalog", "historicalgemstone"): VIEW,
        ("catalog", "historicalsettingvariant"): VIEW,
        ("catalog", "historicaljewelry"): VIEW,
        # Inventory already owns prices; tax and duty rates sit with them until a Finance role exists.
        ("checkout", "taxrate"): ALL,
        # The workshop's closed days: "delivered by" dates skip them.
        ("ring_builder", "holiday"): ALL,
    },
    "Marketing": {
        ("accounts", "user"): VIEW,
        ("checkout", "currency"): VIEW,
        ("checkout", "promotion"): ALL,
        ("checkout", "promotionredemption"): VIEW,
        # Engagement moments: moderate (approve, reject, fix typos, cover, moment of the month, withdraw), and create
        # one for a story that arrived by email. Only Marketing: other staff cannot see unpublished photos.
        ("moments", "moment"): ALL,
        ("moments", "momentphoto"): ALL,
        # The newsletter: subscribers and their consent records are read (and exported), never edited by hand, so
        # the proof of consent stays what the subscriber did; mailings are written and sent by Marketing.
        ("customer_service", "subscriber"): VIEW,
        ("customer_service", "consentrecord"): VIEW,
        ("customer_service", "mailing"): ALL,
        ("customer_service", "page"): EDIT,
        ("customer_service", "faqentry"): EDIT,
        ("customer_service", "productshare"): VIEW,
    },
    "Customer service": {
        ("accounts", "user"): VIEW,
        # To answer questions about any stone, setting or piece, and what a shopper saved.
        ("catalog", "diamond"): VIEW,
        ("catalog", "gemstone"): VIEW,
        ("catalog", "ringsetting"): VIEW,
        ("catalog", "jewelry"): VIEW,
        ("catalog", "wishlistitem"): VIEW,
        ("checkout", "promotionredemption"): VIEW,
        ("checkout", "taxrate"): VIEW,
        # To answer "where is my order?"; status moves and refunds stay with superusers for now.
        ("checkout", "order"): VIEW,
        ("checkout", "orderline"): VIEW,
        ("checkout", "orderevent"): VIEW,
        ("checkout", "payment"): VIEW,
        # Monthly plans: find the ones in grace or defaulted, and retry the payment owed (the idempotent path charges
        # an instalment once, and only what is owed). Cancelling a plan refunds, so it also needs orders' change
        # right, which stays with superusers. Instalments and the plan's log show as read-only inlines.
        ("checkout", "installmentplan"): EDIT,
        ("checkout", "installment"): VIEW,
        ("checkout", "planevent"): VIEW,
        ("account", "emailaddress"): EDIT,
        # The inbox: messages, inspection requests and returns, answered from the ticket (replies are kept on it).
        ("customer_service", "ticket"): EDIT,
        ("customer_service", "ticketmessage"): VIEW,
        ("customer_service", "inspectionrequest"): EDIT,
        ("customer_service", "returnrequest"): EDIT,
        # The guarantee, policy and education pages and the FAQ are theirs to keep right.
        ("customer_service", "page"): ALL,
        ("customer_service", "faqentry"): ALL,
        ("customer_service", "productshare"): VIEW,
        # Whether an email to a shopper went out, and why not.
        ("core", "outboundemail"): VIEW,
        # Unlock a customer locked out by too many failed logins.
        ("axes", "accessattempt"): ("view", "delete"),
    },
}


def role_codenames(role: str) -> set[tuple[str, str]]:
    """{(app_label, codename)} the role must have."""
    return {
        (app_label, f"{action}_{model}") for (app_label, model), actions in ROLES[role].items() for action in actions
    }


def sync_roles(*, group_model, permission_model) -> None:
    """Create each role's group and set its permissions to exactly the table's (extra ones are removed)."""
    for role in ROLES:
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = role_codenames(role)
        perms = [
            p
            for p in permission_model.objects.filter(codename__in={c for _, c in wanted}).select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group.permissions.set(perms)
