"""The DynamoDB tables, defined once here (infra/template.yaml must agree; a test checks it).

Access patterns — every read is a get_item or a query on a key or an index, never a scan:

| who reads                                  | table / index                  | key                                  |
|--------------------------------------------|--------------------------------|--------------------------------------|
| a company with its contacts, contracts and | accounts                       | pk=COMPANY#id (one query)            |
|   installed products                       |                                |                                      |
| one contact (session and links carry ids)  | accounts                       | pk=COMPANY#id, sk=CONTACT#id         |
| a reseller's end customers (E4)            | accounts / by-reseller         | reseller_id → company_id             |
| who has a release installed (T9, G6)       | accounts / lifecycle (sparse)  | "INSTALLED#product#version" → company|
| contracts ending in a window (P1)          | accounts / lifecycle (sparse)  | "CONTRACT_ENDS" → ends (between)     |
| login by e-mail                            | accounts / by-email            | email                                |
| every company, by id (administration)      | accounts / by-type             | item_type="company" → company_id     |
| staff member, staff login                  | staff, staff / by-email        | staff_id, email                      |
| the team, role by role (staff page)        | staff / by-role                | role → name (4 queries)              |
| the whole catalog (products + releases)    | catalog                        | catalog_id="catalog" (one query)     |
| releases of one product, newest first      | catalog                        | catalog_id, sk begins_with RELEASE#p |
| one ticket with its history (one query)    | tickets                        | pk=TICKET#number                     |
| a company's tickets, newest first          | tickets / by-company           | company_id → created_at (desc)       |
| the queue, managers' and director's lists: | tickets / queue-cards (INCLUDE | queue_partition → queue_key          |
|   a card per open request (1,000 a page)   |   the queue's attributes only) |                                      |
| the sweeps (sweep-relevant states only)    | tickets / sweep                | sweep_state → sweep_since            |
| open follow-up tasks of a role, by due     | tickets / tasks (sparse)       | task_queue=role → task_due           |
| every problem record (S9, P8, T8)          | tickets                        | pk=PROBLEMS (one query)              |
| requests received since a date (dashboard) | tickets / received             | item_type="ticket" → created_at      |
| a request's problem record, if any         | tickets                        | pk=TICKET#number, sk=PROBLEM         |
| mails the mail service refused, to retry   | tickets                        | pk=MAIL#PENDING (one query)          |
| next ticket number of a year               | counters                       | counter_id (atomic ADD)              |
| login failures of an account or an address | throttles (TTL `expires`)      | throttle_key                         |
| an API token presented by a client         | api_tokens                     | token_id (the secret is hashed)      |
| a contact's API tokens                     | api_tokens / by-contact        | contact_id → created_at              |
| staff actions on personal data, by month   | audit (append-only)            | month → entry_id (newest first)      |

The queue-cards and sweep indexes are sparse: a ticket sets `queue_partition`/`sweep_state` while it is
in a state they serve and removes them when it closes, so their cost grows with open tickets only.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection
from pynamodb.models import Model


class PortalMeta:
    """Connection settings shared by every table; `configure_tables` fills them at start-up."""

    table_name: str | None = None
    region = "eu-west-3"
    host: str | None = None
    billing_mode = "PAY_PER_REQUEST"
    connect_timeout_seconds = 2
    read_timeout_seconds = 2
    max_retry_attempts = 1


def plain_map(value) -> dict:
    """A map attribute's content as a plain dict: PynamoDB gives a MapAttribute when it read the item, and the
    dict itself before it was saved; an absent map gives {}."""
    return value.as_dict() if hasattr(value, "as_dict") else dict(value or {})


def _meta(base_name: str):
    return type("Meta", (PortalMeta,), {"base_name": base_name})


# --- a company and everything about it, in one item collection -----------------------------
#
# pk `COMPANY#<id>`; sk `PROFILE`, `CONTACT#<contact id>`, `CONTRACT#<contract id>`,
# `INSTALLED#<product id>#<version>`: one Query gives a page everything it needs about a company.


class AccountsByEmail(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-email"
        projection = AllProjection()

    email = UnicodeAttribute(hash_key=True)


class AccountsByReseller(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-reseller"
        projection = AllProjection()  # the discriminator must be projected for PynamoDB to read the items

    reseller_id = UnicodeAttribute(hash_key=True)
    company_id = UnicodeAttribute(range_key=True)


class AccountsLifecycle(GlobalSecondaryIndex):
    """One sparse index for the obsolescence check (one index, so a stack update adds one GSI at a time):
    installations by release (T9, G6) and contracts by their last day (P1)."""

    class Meta:
        index_name = "lifecycle"
        projection = AllProjection()

    lifecycle_key = UnicodeAttribute(hash_key=True)
    lifecycle_sort = UnicodeAttribute(range_key=True)


class AccountsByType(GlobalSecondaryIndex):
    """Every item of one kind by company id: the administrators' list of companies (item_type "company")."""

    class Meta:
        index_name = "by-type"
        projection = AllProjection()

    item_type = UnicodeAttribute(hash_key=True)
    company_id = UnicodeAttribute(range_key=True)


class AccountItem(Model):
    """Base of the items of the accounts table; index keys live here so the table has its indexes."""

    Meta = _meta("accounts")
    pk = UnicodeAttribute(hash_key=True)  # "COMPANY#<company id>"
    sk = UnicodeAttribute(range_key=True)
    item_type = DiscriminatorAttribute()
    company_id = UnicodeAttribute()
    email = UnicodeAttribute(null=True)  # contacts only: login by e-mail
    reseller_id = UnicodeAttribute(null=True)  # profiles of end customers served by a reseller (E4)
    lifecycle_key = UnicodeAttribute(null=True)  # "INSTALLED#<product>#<version>"; contracts "CONTRACT_ENDS"
    lifecycle_sort = UnicodeAttribute(null=True)  # installations: company id; contracts: ISO date of the last day
    by_email = AccountsByEmail()
    by_reseller = AccountsByReseller()
    lifecycle = AccountsLifecycle()
    by_type = AccountsByType()


class CompanyModel(AccountItem, discriminator="company"):
    name = UnicodeAttribute()
    kind = UnicodeAttribute()  # "customer" | "reseller"
    language = UnicodeAttribute(default="fr")


class ContactModel(AccountItem, discriminator="contact"):
    contact_id = UnicodeAttribute()
    name = UnicodeAttribute()
    language = UnicodeAttribute(default="fr")
    password_hash = UnicodeAttribute(null=True)
    password_nonce = UnicodeAttribute(null=True)  # changes at each password change: set-password links are single-use
    roles = ListAttribute(of=UnicodeAttribute, default=list)  # "system_owner", "deputy" (P2)
    training_done = BooleanAttribute(default=False)  # P2


class ContractModel(AccountItem, discriminator="contract"):
    contract_id = UnicodeAttribute()
    tier = UnicodeAttribute()
    products = ListAttribute(of=UnicodeAttribute, default=list)
    starts = UnicodeAttribute()  # ISO date
    ends = UnicodeAttribute()  # ISO date
    auto_renew = BooleanAttribute(default=False)  # P1
    renewal_notices = UnicodeSetAttribute(null=True)  # P1: the periods (their `ends`) whose notice went out
    cancelled_on = UnicodeAttribute(null=True)  # P1: ISO date the customer's cancellation came in
    professional_services_hours = NumberAttribute(default=0)  # E11


class InstallationModel(AccountItem, discriminator="installation"):
    product_id = UnicodeAttribute()
    version = UnicodeAttribute()
    seats = NumberAttribute(default=1)
    end_notices = UnicodeSetAttribute(null=True)  # T9, G6: "<support ends>#<days before>" of notices sent


class StaffByEmail(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-email"
        projection = AllProjection()

    email = UnicodeAttribute(hash_key=True)


class StaffByRole(GlobalSecondaryIndex):
    """The team, role by role, by name: the administrators' staff page (four queries) and the last-admin check
    (one). Every staff item has a role and a name, so members stored before this index existed are in it too."""

    class Meta:
        index_name = "by-role"
        projection = AllProjection()

    role = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute(range_key=True)


class StaffModel(Model):
    Meta = _meta("staff")
    staff_id = UnicodeAttribute(hash_key=True)
    email = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()  # "technician" | "manager" | "director" | "admin"
    language = UnicodeAttribute(default="fr")
    password_hash = UnicodeAttribute(null=True)
    password_nonce = UnicodeAttribute(null=True)  # changes at each password change: set-password links are single-use
    deactivated_at = UnicodeAttribute(null=True)  # ISO 8601 UTC; absent: the member is active
    by_email = StaffByEmail()
    by_role = StaffByRole()


# --- the catalog: products and releases in one item collection -----------------------------


class CatalogItem(Model):
    """Products (sk `PRODUCT#<id>`) and releases (sk `RELEASE#<id>#<version>`; formerly
    `RELEASE#<id>#<released>#<version>`, rewritten by the next import)."""

    Meta = _meta("catalog")
    catalog_id = UnicodeAttribute(hash_key=True, default="catalog")
    sk = UnicodeAttribute(range_key=True)
    item_type = DiscriminatorAttribute()


class ProductModel(CatalogItem, discriminator="product"):
    product_id = UnicodeAttribute()
    name = UnicodeAttribute()
    line = UnicodeAttribute(null=True)  # product line, for e-mail routing (P5)


class ReleaseModel(CatalogItem, discriminator="release"):
    product_id = UnicodeAttribute()
    version = UnicodeAttribute()
    released = UnicodeAttribute()  # ISO date
    withdrawn = UnicodeAttribute(null=True)  # ISO date: withdrawn from sale (T11)
    support_ends = UnicodeAttribute(null=True)  # ISO date: a published end of support
    position = NumberAttribute(null=True)  # its place in the imported file: orders same-day releases
    phase = UnicodeAttribute(null=True)  # the lifecycle phase last recorded by the obsolescence check (T9, T11)
    phase_since = UnicodeAttribute(null=True)  # ISO date of that change
    withdrawn_recorded = BooleanAttribute(null=True)  # T11: its withdrawal from sale was recorded


# --- tickets and their history in one item collection --------------------------------------


class TicketsByCompany(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-company"
        projection = AllProjection()

    company_id = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


# What the queue, the meeting list, the director's list and the dashboard read of an open request: only these
# attributes (never the facts), so that 1,000 open requests fit in one 1 MB page of the index whatever their facts
# weigh. (An all-attributes `queue` index on the same keys was retired: no reader needed the facts, and every ticket
# write paid for it.)
QUEUE_CARD_ATTRIBUTES = ("item_type", "number", "company_id", "contact_id", "created_at", "status", "status_since",
                         "category", "severity", "tier", "channel", "subject", "product_id", "version", "owner_id",
                         "response_due", "answered_at", "revision")


class TicketQueueCards(GlobalSecondaryIndex):
    class Meta:
        index_name = "queue-cards"
        projection = IncludeProjection(list(QUEUE_CARD_ATTRIBUTES))

    queue_partition = UnicodeAttribute(hash_key=True)
    queue_key = UnicodeAttribute(range_key=True)


class TicketSweep(GlobalSecondaryIndex):
    class Meta:
        index_name = "sweep"
        projection = AllProjection()

    sweep_state = UnicodeAttribute(hash_key=True)
    sweep_since = UnicodeAttribute(range_key=True)


class FollowUpTasks(GlobalSecondaryIndex):
    class Meta:
        index_name = "tasks"
        projection = AllProjection()

    task_queue = UnicodeAttribute(hash_key=True)
    task_due = UnicodeAttribute(range_key=True)


class TicketsReceived(GlobalSecondaryIndex):
    """Every request by its receipt (the dashboard's last 30 days): the discriminator is the partition, so
    events, tasks and markers (no `created_at`) stay out of it."""

    class Meta:
        index_name = "received"
        projection = AllProjection()

    item_type = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class TicketItem(Model):
    """A ticket (sk `TICKET`) and its append-only events (sk `EVENT#<iso time>#<seq>`)."""

    Meta = _meta("tickets")
    pk = UnicodeAttribute(hash_key=True)  # "TICKET#<number>"
    sk = UnicodeAttribute(range_key=True)
    item_type = DiscriminatorAttribute()
    # Index keys live on the base class so that the table is created with its indexes;
    # only ticket items set them (events stay out of every index).
    company_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute(null=True)  # ISO 8601 UTC, sorts as text
    queue_partition = UnicodeAttribute(null=True)  # "open" while the ticket waits in the queue
    queue_key = UnicodeAttribute(null=True)  # tier priority, channel priority, arrival (T2, P5, S4)
    sweep_state = UnicodeAttribute(null=True)  # a state some sweep acts on; removed when closed
    sweep_since = UnicodeAttribute(null=True)
    task_queue = UnicodeAttribute(null=True)  # "<role>" while a follow-up task is open (G3, T8); removed when done
    task_due = UnicodeAttribute(null=True)
    by_company = TicketsByCompany()
    queue_cards = TicketQueueCards()
    sweep = TicketSweep()
    tasks = FollowUpTasks()
    received = TicketsReceived()


class TicketModel(TicketItem, discriminator="ticket"):
    number = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    status_since = UnicodeAttribute(null=True)  # ISO 8601 UTC: when the current status began
    status = UnicodeAttribute()
    category = UnicodeAttribute()
    severity = NumberAttribute()
    tier = UnicodeAttribute()
    channel = UnicodeAttribute()
    product_id = UnicodeAttribute(null=True)
    version = UnicodeAttribute(null=True)
    subject = UnicodeAttribute()
    owner_id = UnicodeAttribute(null=True)
    response_due = UTCDateTimeAttribute(null=True)
    answered_at = UnicodeAttribute(null=True)  # ISO 8601 UTC: support's first answer (the response commitment met)
    facts = MapAttribute(default=dict)
    revision = VersionAttribute()  # optimistic locking: two writers never lose an update


class TicketEventModel(TicketItem, discriminator="event"):
    kind = UnicodeAttribute()
    at = UnicodeAttribute()  # ISO 8601 UTC
    actor = UnicodeAttribute(default="")
    public = BooleanAttribute(default=True)
    data = MapAttribute(default=dict)


class FollowUpTaskModel(TicketItem, discriminator="task"):
    """pk `TICKET#<number>`, sk `TASK#<kind>`: a follow-up someone must do (a manager after a dissatisfied
    survey answer G3, the director after ten business days T8); open ones sit in the `tasks` index."""

    kind = UnicodeAttribute()
    ticket_number = UnicodeAttribute()
    created = UnicodeAttribute()
    owner_id = UnicodeAttribute(null=True)
    done = BooleanAttribute(default=False)
    note = UnicodeAttribute(null=True)


class ProblemModel(TicketItem, discriminator="problem"):
    """pk `PROBLEMS`, sk `PROBLEM#<id>`: a defect in the problem database (S9, T8) or a wish in the feature
    backlog (P8, T8), with the requests linked to it (a string set, added to atomically)."""

    problem_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # "defect" | "feature"
    title = UnicodeAttribute()
    status = UnicodeAttribute(default="open")
    product_id = UnicodeAttribute(null=True)
    version = UnicodeAttribute(null=True)
    description = UnicodeAttribute(null=True)
    resolution = UnicodeAttribute(null=True)
    created_by = UnicodeAttribute(default="")
    tickets = UnicodeSetAttribute(null=True)


class ProblemLinkModel(TicketItem, discriminator="problem_link"):
    """pk `TICKET#<number>`, sk `PROBLEM`: the one problem record a request is linked to."""

    problem_id = UnicodeAttribute()


class IdempotencyModel(TicketItem, discriminator="idempotency"):
    """pk `IDEMPOTENCY#<company>#<key>`: a retried submission finds the request it filed already."""

    number = UnicodeAttribute()


class PendingMailModel(TicketItem, discriminator="pending_mail"):
    """pk `MAIL#PENDING`, sk `MAIL#<next try>#<id>`: a mail the mail service refused, until it is sent again or
    given up (portal.services.mail_retry); in no index."""

    to = UnicodeAttribute()
    subject = UnicodeAttribute()
    text = UnicodeAttribute()
    html = UnicodeAttribute(null=True)
    language = UnicodeAttribute(default="fr")
    headers = MapAttribute(default=dict)
    kept_at = UnicodeAttribute()  # ISO 8601 UTC
    failed_tries = NumberAttribute(default=1)
    next_try = UnicodeAttribute()  # ISO 8601 UTC


class CounterModel(Model):
    Meta = _meta("counters")
    counter_id = UnicodeAttribute(hash_key=True)  # e.g. "ticket#2026"
    value = NumberAttribute(default=0)


# --- access: login throttling and API tokens ---------------------------------------------------


class ThrottleModel(Model):
    """Recent login failures of one account (`login#email#…`) or one address (`login#addr#…`)."""

    Meta = _meta("throttles")
    throttle_key = UnicodeAttribute(hash_key=True)
    failures = NumberAttribute(default=0)
    first_failure_at = UnicodeAttribute(null=True)
    last_failure_at = UnicodeAttribute(null=True)
    locked_until = UnicodeAttribute(null=True)
    expires = TTLAttribute(null=True)  # DynamoDB deletes the item once the window is over


class TokensByContact(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-contact"
        projection = AllProjection()

    contact_id = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class ApiTokenModel(Model):
    """A personal API token; only a hash of its secret is stored."""

    Meta = _meta("api_tokens")
    token_id = UnicodeAttribute(hash_key=True)
    secret_hash = UnicodeAttribute()
    contact_id = UnicodeAttribute()
    company_id = UnicodeAttribute()
    name = UnicodeAttribute()
    created_at = UnicodeAttribute()
    revoked = BooleanAttribute(default=False)
    last_used = UnicodeAttribute(null=True)  # ISO date (UTC) of the last call made with it
    by_contact = TokensByContact()



# --- the audit trail of staff actions on personal data (append-only, see audit.py) -----------------------


class AuditModel(Model):
    """pk `month` (YYYY-MM), sk `entry_id` (`<iso time>#<random>`): written once, never updated or deleted."""

    Meta = _meta("audit")
    month = UnicodeAttribute(hash_key=True)
    entry_id = UnicodeAttribute(range_key=True)
    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    action = UnicodeAttribute()
    subject = UnicodeAttribute(default="")
    company_id = UnicodeAttribute(null=True)
    details = MapAttribute(default=dict)


# The base model of each table, in creation order.
TABLES: tuple[type[Model], ...] = (
    AccountItem,
    StaffModel,
    CatalogItem,
    TicketItem,
    CounterModel,
    ThrottleModel,
    ApiTokenModel,
    AuditModel,
)

# Every model class, including the ones sharing a table through a discriminator.
ALL_MODELS: tuple[type[Model], ...] = (*TABLES, CompanyModel, ContactModel, ContractModel, InstallationModel,
                                       ProductModel, ReleaseModel, TicketModel, TicketEventModel,
                                       IdempotencyModel, FollowUpTaskModel, ProblemModel, ProblemLinkModel,
                                       PendingMailModel)
