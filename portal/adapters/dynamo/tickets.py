"""Tickets and their append-only history in one item collection; numbers from an atomic counter.

Filing a request costs two round trips' waits: the counter update, then one transaction that writes the
ticket, its first event and the idempotency marker together (all or nothing) while the count of the
requests ahead of it in the queue runs alongside.
"""

from __future__ import annotations

import contextvars
import os
import secrets
import threading
from dataclasses import replace
from datetime import datetime

from pynamodb.constants import COUNT
from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import (
    CounterModel,
    FollowUpTaskModel,
    IdempotencyModel,
    TicketEventModel,
    TicketItem,
    TicketModel,
    TicketQueueCards,
    plain_map,
)
from portal.domain.errors import BackendUnavailable, ConcurrentUpdate, DuplicateSubmission
from portal.domain.history import EventKind, TicketEvent
from portal.domain.instants import iso_utc
from portal.domain.queue import AHEAD_COUNTED_UP_TO, position_from_ahead
from portal.domain.tickets import CLOSED_STATES, SWEPT_STATES, FollowUpTask, Ticket, TicketSummary, ticket_number
from portal.domain.workflow import OPEN_STATES

TICKET = "TICKET"
_alongside = None  # (process id, ThreadPoolExecutor): a forked worker makes its own
_alongside_lock = threading.Lock()


def alongside(call, *args):
    """Run a DynamoDB call on a thread of this process, in the caller's context (its request deadline); returns
    its Future. (concurrent.futures is imported at the first call: not on a cold start's path.)"""
    global _alongside
    from concurrent.futures import ThreadPoolExecutor

    with _alongside_lock:
        if _alongside is None or _alongside[0] != os.getpid():
            _alongside = (os.getpid(), ThreadPoolExecutor(max_workers=2, thread_name_prefix="tickets-alongside"))
        pool = _alongside[1]
    return pool.submit(contextvars.copy_context().run, call, *args)


def ticket_key(number: str) -> str:
    return f"TICKET#{number}"


def idempotency_key(company_id: str, key: str) -> str:
    return f"IDEMPOTENCY#{company_id}#{key}"


def event_sort_key(event: TicketEvent, sequence: int) -> str:
    return f"EVENT#{iso_utc(event.at)}#{sequence:04d}"


def ticket_item(ticket: Ticket, queue_key: str | None) -> TicketModel:
    item = TicketModel(ticket_key(ticket.number), TICKET, number=ticket.number, company_id=ticket.company_id,
                       contact_id=ticket.contact_id, created_at=iso_utc(ticket.created_at), status=ticket.status,
                       category=ticket.category, severity=ticket.severity, tier=ticket.tier, channel=ticket.channel,
                       subject=ticket.subject, product_id=ticket.product_id, version=ticket.version,
                       owner_id=ticket.owner_id, response_due=ticket.response_due, facts=dict(ticket.facts))
    item.status_since = iso_utc(ticket.status_since)
    item.answered_at = iso_utc(ticket.answered_at)
    item.queue_partition = "open" if ticket.status in OPEN_STATES and queue_key else None
    item.queue_key = queue_key if item.queue_partition else None
    item.sweep_state = ticket.status if ticket.status in SWEPT_STATES else None
    item.sweep_since = iso_utc(ticket.status_since) if item.sweep_state else None
    return item


def _ticket(item: TicketModel) -> Ticket:
    return Ticket(item.number, item.company_id, item.contact_id, datetime.fromisoformat(item.created_at),
                  item.status, datetime.fromisoformat(item.status_since or item.created_at), item.category,
                  int(item.severity), item.tier, item.channel, item.subject, item.product_id, item.version,
                  plain_map(item.facts),
                  item.owner_id, item.response_due, int(item.revision or 0),
                  datetime.fromisoformat(item.answered_at) if item.answered_at else None)


def _event_item(number: str, event: TicketEvent, sequence: int) -> TicketEventModel:
    return TicketEventModel(ticket_key(number), event_sort_key(event, sequence), kind=str(event.kind),
                            at=iso_utc(event.at), actor=event.actor, public=event.public, data=dict(event.data))


def _event(item: TicketEventModel) -> TicketEvent:
    data = plain_map(item.data)
    return TicketEvent(EventKind(item.kind), datetime.fromisoformat(item.at), item.actor, item.public, data)


def task_item(task: FollowUpTask) -> FollowUpTaskModel:
    item = FollowUpTaskModel(ticket_key(task.ticket_number), f"TASK#{task.kind}", kind=task.kind,
                             ticket_number=task.ticket_number, created=iso_utc(task.created), owner_id=task.owner_id,
                             done=task.done, note=task.note or None)
    item.task_queue = None if task.done else task.role
    item.task_due = None if task.done else iso_utc(task.due)
    return item


def _task(item: FollowUpTaskModel) -> FollowUpTask:
    due = item.task_due or item.created
    return FollowUpTask(item.kind, item.ticket_number, item.task_queue or "", datetime.fromisoformat(due),
                        datetime.fromisoformat(item.created), item.owner_id, item.done, item.note or "")


def cancellation_codes(error: TransactWriteError) -> list[str | None]:
    """Why each item of a cancelled transaction failed, in the order DynamoDB lists them (None: it did not)."""
    return [reason.code if reason else None for reason in (error.cancellation_reasons or [])]


def _summary(item: TicketModel) -> TicketSummary:
    return TicketSummary(item.number, item.subject, item.status, item.category, int(item.severity),
                         datetime.fromisoformat(item.created_at), item.response_due, item.product_id, item.version,
                         item.contact_id)


class TicketsRepository:
    @dynamo_errors
    def apply(self, updated: Ticket, events, queue_key: str | None, tasks=(), idempotency: str | None = None) -> Ticket:
        """Write the ticket (only if nobody changed it since `updated.revision` was read), its new events and
        any follow-up tasks, all together or not at all; with `idempotency`, its marker too (e.g. an e-mail's
        Message-ID, so that the same message is never added twice).

        :raise ConcurrentUpdate: when the request changed meanwhile; the caller reloads and decides again.
        :raise DuplicateSubmission: when the idempotency key was applied already (nothing is written).
        """
        item = ticket_item(updated, queue_key)
        item.revision = updated.revision or None
        connection = TicketItem._get_connection().connection
        try:
            with TransactWrite(connection=connection) as transaction:
                if idempotency:  # first, so that its cancellation reason is found at index 0
                    marker = IdempotencyModel(idempotency_key(updated.company_id, idempotency), TICKET,
                                              number=updated.number)
                    transaction.save(marker, condition=TicketItem.pk.does_not_exist())
                transaction.save(item)
                for event_item in new_event_items(updated.number, events):
                    transaction.save(event_item, condition=TicketItem.sk.does_not_exist())
                for task in tasks:
                    transaction.save(task_item(task))
        except TransactWriteError as error:
            reasons = cancellation_codes(error)
            if idempotency and reasons and reasons[0] == "ConditionalCheckFailed":
                raise DuplicateSubmission(updated.number) from error
            if "ConditionalCheckFailed" in reasons:
                raise ConcurrentUpdate(updated.number) from error
            raise
        return replace(updated, revision=(updated.revision or 0) + 1)

    @dynamo_errors
    def mark_once(self, scope: str, key: str, sort: str = TICKET) -> bool:
        """Record an idempotency marker outside any request (e.g. an e-mail answered without a ticket); False
        when it was recorded already. Markers sharing `scope` and `key` and told apart by `sort` form one
        partition (e.g. every answer sent to one address), which one query finds."""
        marker = IdempotencyModel(idempotency_key(scope, key), sort, number="-")
        try:
            marker.save(condition=TicketItem.pk.does_not_exist())
        except PutError as error:
            if getattr(error, "cause_response_code", "") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    @dynamo_errors
    def open_tasks(self, role: str, limit: int = 200) -> list[FollowUpTask]:
        """Open follow-up tasks for a role, soonest due first (one query on the sparse `tasks` index)."""
        return [_task(item) for item in TicketItem.tasks.query(role, limit=limit)
                if isinstance(item, FollowUpTaskModel)]

    @dynamo_errors
    def next_number(self, year: int) -> str:
        """The next ticket number of a year (one atomic counter update)."""
        counter = CounterModel(f"ticket#{year}")
        counter.update(actions=[CounterModel.value.add(1)])
        return ticket_number(year, int(counter.value))

    @dynamo_errors
    def create(self, ticket: Ticket, first_event: TicketEvent, queue_key: str | None,
               idempotency: str | None = None, more_events=()) -> None:
        """Write the ticket, its first event, the idempotency marker and any further events (e.g. an internal
        note on what an e-mail left undecided) in one transaction.

        :raise DuplicateSubmission: when the idempotency key filed a request already (nothing is written).
        """
        connection = TicketItem._get_connection().connection
        try:
            with TransactWrite(connection=connection) as transaction:
                transaction.save(ticket_item(ticket, queue_key), condition=TicketItem.pk.does_not_exist())
                transaction.save(_event_item(ticket.number, first_event, 0))
                if idempotency:
                    marker = IdempotencyModel(idempotency_key(ticket.company_id, idempotency), TICKET,
                                              number=ticket.number)
                    transaction.save(marker, condition=TicketItem.pk.does_not_exist())
                for sequence, event in enumerate(more_events, start=1):
                    transaction.save(_event_item(ticket.number, event, sequence))
        except TransactWriteError as error:
            reasons = cancellation_codes(error)
            if idempotency and len(reasons) >= 3 and reasons[2] == "ConditionalCheckFailed":
                raise DuplicateSubmission(self.number_for(ticket.company_id, idempotency)) from error
            raise

    def file(self, ticket: Ticket, first_event: TicketEvent, queue_key: str, idempotency: str | None = None,
             more_events=()) -> int | None:
        """Write a new request (as `create`) and count its place in the queue (as `queue_position`, rules S4, T2)
        at the same time: the count reads only requests ahead of it, so it needs not wait for the write. The place
        is None when the count failed: the request is filed all the same, and its filing is not refused for it.

        :raise DuplicateSubmission: as `create` (the count is then not waited for).
        """
        counting = alongside(self.queue_position, queue_key)
        self.create(ticket, first_event, queue_key, idempotency, more_events)
        try:
            return counting.result()
        except BackendUnavailable:
            return None

    @dynamo_errors
    def number_for(self, company_id: str, idempotency: str) -> str:
        """The number of the request filed with this idempotency key."""
        return IdempotencyModel.get(idempotency_key(company_id, idempotency), TICKET).number

    @dynamo_errors
    def ticket_with_history(self, number: str) -> tuple[Ticket, list[TicketEvent]] | None:
        """One request with its events, oldest first (one query on its item collection)."""
        ticket, events = None, []
        for item in TicketItem.query(ticket_key(number)):
            if isinstance(item, TicketModel):
                ticket = _ticket(item)
            elif isinstance(item, TicketEventModel):
                events.append(_event(item))
        return (ticket, events) if ticket else None

    @dynamo_errors
    def open_of(self, company_id: str, limit: int = 50) -> list[TicketSummary]:
        """A company's open requests, newest first (one query on the by-company index)."""
        items = TicketItem.by_company.query(company_id, scan_index_forward=False, limit=limit,
                                            filter_condition=~TicketModel.status.is_in(*CLOSED_STATES))
        return [_summary(item) for item in items if isinstance(item, TicketModel)]

    @dynamo_errors
    def of_company(self, company_id: str, limit: int = 100) -> list[TicketSummary]:
        """A company's requests, newest first."""
        items = TicketItem.by_company.query(company_id, scan_index_forward=False, limit=limit)
        return [_summary(item) for item in items if isinstance(item, TicketModel)]

    @dynamo_errors
    def sweep_candidates(self, state: str) -> list[Ticket]:
        """The requests in one sweep-relevant state, longest in it first: one paged query on the sparse `sweep`
        index, which closed requests and requests awaiting files (S13) have left."""
        return [_ticket(item) for item in TicketItem.sweep.query(state) if isinstance(item, TicketModel)]

    @dynamo_errors
    def history_of(self, number: str) -> list[TicketEvent]:
        """A request's events alone, oldest first (one query on its item collection, from `EVENT#`)."""
        items = TicketItem.query(ticket_key(number), TicketItem.sk.startswith("EVENT#"))
        return sorted((_event(item) for item in items if isinstance(item, TicketEventModel)), key=lambda e: e.at)

    @dynamo_errors
    def queue_position(self, queue_key: str) -> int:
        """How many open requests come before this one in the queue, plus one (rules S4, T2): a count on the slim
        queue-cards index (same keys as `queue`) that stops once more than AHEAD_COUNTED_UP_TO are ahead, so that
        what it reads grows neither with the requests' facts nor with the queue."""
        page = TicketItem._get_connection().query(  # one page: PynamoDB's count() pages on past a COUNT's limit
            "open", range_key_condition=TicketItem.queue_key < queue_key, index_name=TicketQueueCards.Meta.index_name,
            limit=AHEAD_COUNTED_UP_TO + 1, select=COUNT)
        return position_from_ahead(page["Count"])



def new_event_items(number: str, events) -> list[TicketEventModel]:
    salt = secrets.token_hex(2)
    return [TicketEventModel(ticket_key(number), f"EVENT#{iso_utc(event.at)}#{salt}{index:02d}", kind=str(event.kind),
                             at=iso_utc(event.at), actor=event.actor, public=event.public, data=dict(event.data))
            for index, event in enumerate(events)]
