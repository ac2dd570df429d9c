"""Filing a request the way the charter wants it filed, and learning at once when an answer is due.

Every check runs before anything is stored: eligibility (S1, E1, E4, P2), the channels of the tier (E5, T5),
scope (S3, G8, E8, P10), the version policy (T9, G6, E8), the category (P8) and the facts the charter requires
(P4, G5, E6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from portal.domain.charter import CHANNELS
from portal.domain.contracts import contracts_in_force
from portal.domain.eligibility import Refusal
from portal.domain.errors import DuplicateSubmission
from portal.domain.history import EventKind, TicketEvent
from portal.domain.queue import queue_key
from portal.domain.sla import response_due
from portal.domain.ticket_files import encode_files
from portal.domain.tickets import Ticket, queue_sort_key
from portal.domain.workflow import NEW
from portal.services.customer import eligibility

MAX_SUBJECT = 200
MAX_DESCRIPTION = 20_000
MAX_FACT = 4_000
WEB = "web"  # the portal: its pages and its JSON API (a tier's channels name no separate "api")


@dataclass(frozen=True)
class RequestDraft:
    """What the customer filled in (already shape-checked by the form or the API schema)."""

    category: str
    product_id: str
    version: str
    severity: int
    subject: str
    topic: str | None = None  # a scope topic id of the charter, when the customer picked one
    facts: Mapping[str, str] = field(default_factory=dict)
    attachments: tuple[object, ...] = ()  # accepted Attachment values (portal.services.attachments)
    channel: str = WEB
    idempotency_key: str | None = None
    kb_shown: tuple[str, ...] = ()  # knowledge-base articles the customer saw while filing (T7)


class IntakeRefused(Exception):
    """The request cannot be filed: the refusals say why and what to do instead. Nothing was stored."""

    def __init__(self, refusals: tuple[Refusal, ...]):
        super().__init__(", ".join(refusal.code for refusal in refusals))
        self.refusals = refusals


class IdempotencyKeyTaken(Exception):
    """The idempotency key filed a request of another contact of the company: that request is not theirs to learn
    of, and nothing is filed (a key is one client's, for its own retries)."""


class OutOfScope(Exception):
    """The topic is outside what support covers (S3, G8, E8, P10); `topic` carries the charter's explanation
    and the alternative offered (training, Professional Services E11, consulting G8). No ticket."""

    def __init__(self, topic):
        super().__init__(topic.id)
        self.topic = topic


class MissingFacts(Exception):
    """Facts the charter requires for this category are missing or invalid: {fact id: problem code}."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(", ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Acknowledgement:
    """What the customer learns at once: number, priority, due time and why, place in the queue."""

    ticket: Ticket
    priority: int
    due: object  # the SLA result (due instant or none, target, explanation parts)
    queue_position: int | None  # None when it could not be counted (the request is filed all the same)
    duplicate: bool = False  # the same submission came twice: this is the request filed the first time


def out_of_scope_topic(charter, topic_id: str | None):
    """The charter's out-of-scope topic with this id, or None (rules S3, G8, E8, P10)."""
    return next((topic for topic in charter.out_of_scope if topic.id == topic_id), None)


def check_facts(charter, category_id: str, facts: Mapping[str, str], version: str = "") -> dict[str, str]:
    """Rules P4, G5, E6: every fact the charter requires for the category is present; choices are valid.

    A fact of kind "version" is the request's own product version.
    """
    problems = {}
    for fact in charter.facts_for(category_id):
        value = version if fact.kind == "version" else (facts.get(fact.id) or "").strip()
        if fact.required and not value and fact.kind != "file":
            problems[fact.id] = "required"
        elif value and len(value) > MAX_FACT:
            problems[fact.id] = "too_long"
        elif value and fact.choices and value not in {choice.id for choice in fact.choices}:
            problems[fact.id] = "invalid_choice"
    return problems


def _known_facts(charter, category_id: str, facts: Mapping[str, str]) -> dict[str, str]:
    known = {fact.id for fact in charter.facts_for(category_id)}
    return {key: value.strip() for key, value in facts.items() if key in known and value and value.strip()}


def _ordered_channels(channels) -> tuple[str, ...]:
    return tuple(channel for channel in CHANNELS if channel in channels)


def channel_not_allowed(channels, channel: str, support_email: str | None) -> Refusal | None:
    """Rules E5, T5: a request comes only through a channel the customer's contract gives.

    None when `channel` is one of `channels`; else the refusal naming the channels the contract gives and, when
    e-mail is one of them and the vendor has a support address, the address to write to.
    """
    if channel in channels:
        return None
    allowed = _ordered_channels(channels)
    email = support_email if "email" in allowed else None
    return Refusal("channel_not_allowed", {"channel": channel, "allowed": list(allowed), "email": email})


def _support_email(charter, catalog, product_id: str | None) -> str | None:
    """The vendor's support address for the product's line (rule P5), else its general one."""
    if charter.vendor is None:
        return None
    try:
        line = catalog.product(product_id).line if product_id else None
    except KeyError:
        line = None
    return charter.vendor.email_for_line(line)


def _channel_refusal(charter, catalog, draft: RequestDraft, result) -> Refusal | None:
    """Rule E5 on the tier eligibility found: only when the tier itself may take the customer's requests (an end
    customer sent to the reseller, rule E4, or a tier that opens none, rule E1, is told that instead)."""
    if result.tier is None or any(refusal.code == "contact_your_reseller" for refusal in result.refusals):
        return None
    tier = charter.tier(result.tier)
    if not tier.may_open_requests:
        return None
    return channel_not_allowed(tier.channels, draft.channel,
                               _support_email(charter, catalog, draft.product_id))


def portal_closed(charter, file, today, channel: str = WEB) -> Refusal | None:
    """Rule E5 before the form is filled in: the company's contracts in force that may take its requests give
    none through `channel` (the product is not chosen yet, so every such contract counts). None when one of them
    does, and when there is none at all (filing says why, rules S1, E1, E4)."""
    tiers = {tier.id: tier for tier in charter.tiers}
    candidates = [tiers[contract.tier] for contract in contracts_in_force(charter, file.contracts, today)
                  if contract.tier in tiers]
    # Rules T2, P3: a charter may file a product no contract covers on a tier of its own; it counts too, so the
    # form stays open whenever some product may be filed through `channel` (filing then checks the product's tier).
    if charter.tier_without_contract is not None:
        candidates.append(charter.tier_without_contract)
    end_customer = file.company.reseller_id is not None
    usable = [tier for tier in candidates
              if tier.may_open_requests and (not end_customer or tier.end_customers_via_reseller)]
    if not usable:
        return None
    given = {name for tier in usable for name in tier.channels}
    return channel_not_allowed(given, channel, charter.vendor.email if charter.vendor else None)


def check_request(charter, file, catalog, draft: RequestDraft, today):
    """Run every check of the charter on a draft; returns the eligibility (with the tier) when all pass.

    :raise IntakeRefused: not eligible, a channel the tier does not give (E5), unsupported version, or a category
        the version does not allow.
    :raise OutOfScope: the chosen topic is out of scope.
    :raise MissingFacts: required facts are missing.
    """
    topic = out_of_scope_topic(charter, draft.topic)
    if topic is not None:
        raise OutOfScope(topic)
    result = eligibility(charter, file, catalog, draft.product_id, draft.version, today)
    wrong_channel = _channel_refusal(charter, catalog, draft, result)
    if wrong_channel is not None:  # rule E5: first, since another channel is the first thing to do instead
        raise IntakeRefused((wrong_channel, *result.refusals))
    if not result.allowed:
        raise IntakeRefused(result.refusals)
    if draft.category not in result.categories:
        raise IntakeRefused((Refusal("category_not_allowed", {"category": draft.category,
                                                              "allowed": ", ".join(result.categories)}),))
    problems = check_facts(charter, draft.category, draft.facts, draft.version)
    if problems:
        raise MissingFacts(problems)
    return result


def submit_request(charter, calendar, accounts, catalog_repository, tickets, contact, draft: RequestDraft,
                   now: datetime, *, file=None, catalog=None) -> Acknowledgement:
    """File a request: check it, number it, write it with its first event in one transaction (its place in the
    queue counted meanwhile).

    A repeated submission (same idempotency key) returns the request filed the first time, not a second one.
    :raise IdempotencyKeyTaken: the key filed another contact's request (nothing is filed, nothing told of it).
    A caller that has just read the company's file or the catalog (the form page) passes them: not read twice.
    """
    file = file if file is not None else accounts.company_file(contact.company_id)
    catalog = catalog if catalog is not None else catalog_repository.catalog()
    result = check_request(charter, file, catalog, draft, now.astimezone(calendar.zone).date())
    tier = charter.tier(result.tier)
    due = response_due(charter, tier.id, draft.severity, now)
    number = tickets.next_number(now.year)
    ticket = Ticket(number, contact.company_id, contact.contact_id, now, NEW, now, draft.category, draft.severity,
                    tier.id, draft.channel, draft.subject.strip()[:MAX_SUBJECT], draft.product_id, draft.version,
                    _known_facts(charter, draft.category, draft.facts), None, due.due)
    order = queue_key(charter, tier.id, draft.channel, now)
    position_key = queue_sort_key(order[0], order[1], now, number)
    first = TicketEvent(EventKind.RECEIVED, now, contact.contact_id, True, {
        "description": (draft.facts.get("description") or "").strip()[:MAX_DESCRIPTION], "channel": draft.channel,
        "files": encode_files(draft.attachments) if draft.attachments else "",
        "kb_shown": ",".join(draft.kb_shown[:20])})
    try:
        position = tickets.file(ticket, first, position_key, draft.idempotency_key)
    except DuplicateSubmission as duplicate:
        existing, _events = tickets.ticket_with_history(duplicate.number)
        if existing.contact_id != contact.contact_id:
            raise IdempotencyKeyTaken() from duplicate
        again = response_due(charter, existing.tier, existing.severity, existing.created_at)
        return Acknowledgement(existing, tier.priority, again, 0, duplicate=True)
    return Acknowledgement(ticket, tier.priority, due, position)
