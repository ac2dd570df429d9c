"""Problem records in the tickets table: all in one item collection (pk `PROBLEMS`), one query lists them; a
request's link is an item in the request's own collection (sk `PROBLEM`), so a request joins one record only.

Linking writes the link, adds the number to the record's set of requests and appends PROBLEM_LINKED to the
request's history in one transaction: all or nothing. The director's decision (rule T8) writes the request, its
events and tasks together with the record it links (opened by the same transaction when new) and, when the request
leaves another record, that record's set of requests: a refused decision leaves no record behind.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from portal.adapters.dynamo.errors import dynamo_errors, is_condition_failure
from portal.adapters.dynamo.models import CounterModel, ProblemLinkModel, ProblemModel, TicketEventModel, TicketItem
from portal.adapters.dynamo.tickets import (
    cancellation_codes,
    new_event_items,
    task_item,
    ticket_item,
    ticket_key,
)
from portal.domain.errors import ConcurrentUpdate, NotFound
from portal.domain.history import TicketEvent
from portal.domain.instants import iso_utc
from portal.domain.problems import ProblemRecord, ProblemRefused, problem_id
from portal.domain.tickets import Ticket

PROBLEMS = "PROBLEMS"
LINK = "PROBLEM"


def problem_sort_key(record_id: str) -> str:
    return f"PROBLEM#{record_id}"


def _record(item: ProblemModel) -> ProblemRecord:
    return ProblemRecord(item.problem_id, item.kind, item.title, datetime.fromisoformat(item.created_at),
                         item.created_by or "", item.product_id, item.version, item.status or "open",
                         item.description or "", item.resolution or "", tuple(sorted(item.tickets or ())))


def _item(record: ProblemRecord) -> ProblemModel:
    return ProblemModel(PROBLEMS, problem_sort_key(record.problem_id), problem_id=record.problem_id,
                        kind=record.kind, title=record.title, status=record.status, product_id=record.product_id,
                        version=record.version, description=record.description or None,
                        resolution=record.resolution or None, created_by=record.created_by,
                        created_at=iso_utc(record.created_at),
                        tickets=set(record.tickets) or None)


def _event_item(number: str, event: TicketEvent) -> TicketEventModel:
    at = iso_utc(event.at)
    return TicketEventModel(ticket_key(number), f"EVENT#{at}#{secrets.token_hex(2)}00", kind=str(event.kind), at=at,
                            actor=event.actor, public=event.public, data=dict(event.data))


class ProblemsRepository:
    """Reads by key only (see the access patterns in models.py)."""

    @dynamo_errors
    def next_id(self, year: int) -> str:
        """The next problem record id of a year (one atomic counter update)."""
        counter = CounterModel(f"problem#{year}")
        counter.update(actions=[CounterModel.value.add(1)])
        return problem_id(year, int(counter.value))

    @dynamo_errors
    def create(self, record: ProblemRecord) -> None:
        """:raise ConcurrentUpdate: when the id is taken."""
        _item(record).save(condition=TicketItem.pk.does_not_exist())

    @dynamo_errors
    def all(self) -> list[ProblemRecord]:
        """Every problem record, by id (one query on their item collection)."""
        return [_record(item) for item in TicketItem.query(PROBLEMS) if isinstance(item, ProblemModel)]

    @dynamo_errors
    def get(self, record_id: str) -> ProblemRecord | None:
        try:
            return _record(ProblemModel.get(PROBLEMS, problem_sort_key(record_id)))
        except ProblemModel.DoesNotExist:
            return None

    @dynamo_errors
    def linked_problem(self, number: str) -> str | None:
        """The id of the problem record a request is linked to, or None (one read by key)."""
        try:
            return ProblemLinkModel.get(ticket_key(number), LINK).problem_id
        except ProblemLinkModel.DoesNotExist:
            return None

    @dynamo_errors
    def link(self, number: str, record_id: str, event: TicketEvent) -> None:
        """Link a request to an open record and append the event to its history, all together.

        :raise ProblemRefused: `already_linked` when the request has a record already, `closed` when the record
            is closed or gone (nothing is written).
        """
        connection = TicketItem._get_connection().connection
        try:
            with TransactWrite(connection=connection) as transaction:
                transaction.save(ProblemLinkModel(ticket_key(number), LINK, problem_id=record_id),
                                 condition=TicketItem.pk.does_not_exist())
                transaction.update(ProblemModel(PROBLEMS, problem_sort_key(record_id)),
                                   actions=[ProblemModel.tickets.add({number})],
                                   condition=ProblemModel.status == "open")
                transaction.save(_event_item(number, event), condition=TicketItem.sk.does_not_exist())
        except TransactWriteError as error:
            codes = cancellation_codes(error)
            if codes[:1] == ["ConditionalCheckFailed"]:
                raise ProblemRefused("already_linked") from error
            if codes[1:2] == ["ConditionalCheckFailed"]:
                raise ProblemRefused("closed") from error
            if "ConditionalCheckFailed" in codes:
                raise ConcurrentUpdate(number) from error
            raise

    @dynamo_errors
    def apply_linked(self, updated: Ticket, events, queue_key: str | None, tasks, record: ProblemRecord, new: bool,
                     replaces: str | None) -> Ticket:
        """Write a request as `TicketsRepository.apply` does (only if nobody changed it since `updated.revision` was
        read, with its new events, which say it is linked, and its tasks) and link it to `record`, all together or
        not at all: `new`, the record is created by the same write (with the request as its first); otherwise it
        must be open. `replaces`: the record the request is linked to now, which it leaves (None: it has none).

        :raise ConcurrentUpdate: the request, or its link, changed meanwhile (nothing is written: the caller reloads
            and decides again). :raise ProblemRefused: `closed` when the record is closed or gone.
        """
        number = updated.number
        item = ticket_item(updated, queue_key)
        item.revision = updated.revision or None
        link = ProblemLinkModel(ticket_key(number), LINK, problem_id=record.problem_id)
        connection = TicketItem._get_connection().connection
        # DynamoDB gets the puts first, then the updates, each in the order given: the cancellation reasons too
        event_items, task_items = new_event_items(number, events), [task_item(task) for task in tasks]
        existing = 2 + len(event_items) + len(task_items)  # the update of an existing record, after the puts
        try:
            with TransactWrite(connection=connection) as transaction:
                transaction.save(item)
                for event_item in event_items:
                    transaction.save(event_item, condition=TicketItem.sk.does_not_exist())
                for task_model in task_items:
                    transaction.save(task_model)
                transaction.save(link, condition=(TicketItem.pk.does_not_exist() if replaces is None
                                                  else ProblemLinkModel.problem_id == replaces))
                if new:
                    transaction.save(_item(replace(record, tickets=(number,))),
                                     condition=TicketItem.pk.does_not_exist())
                else:
                    transaction.update(ProblemModel(PROBLEMS, problem_sort_key(record.problem_id)),
                                       actions=[ProblemModel.tickets.add({number})],
                                       condition=ProblemModel.status == "open")
                if replaces is not None:
                    transaction.update(ProblemModel(PROBLEMS, problem_sort_key(replaces)),
                                       actions=[ProblemModel.tickets.delete({number})],
                                       condition=ProblemModel.problem_id.exists())
        except TransactWriteError as error:
            codes = cancellation_codes(error)
            if (not new and codes[:1] != ["ConditionalCheckFailed"]
                    and codes[existing:existing + 1] == ["ConditionalCheckFailed"]):
                raise ProblemRefused("closed") from error
            if "ConditionalCheckFailed" in codes:
                raise ConcurrentUpdate(number) from error
            raise
        return replace(updated, revision=(updated.revision or 0) + 1)

    @dynamo_errors
    def set_status(self, record_id: str, status: str, resolution: str) -> None:
        """Close or reopen a record with its resolution (e.g. the version that fixes it).

        :raise NotFound: when there is no such record.
        """
        try:
            ProblemModel(PROBLEMS, problem_sort_key(record_id)).update(
                actions=[ProblemModel.status.set(status),
                         ProblemModel.resolution.set(resolution) if resolution else ProblemModel.resolution.remove()],
                condition=ProblemModel.problem_id.exists())
        except UpdateError as error:
            if is_condition_failure(error):
                raise NotFound(record_id) from error
            raise
