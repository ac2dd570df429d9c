"""What the managers and the director read and write besides the technicians' work: the open requests (the
queue-cards index), notes appended to a history, and the follow-up tasks (G3, T8) assigned and marked done."""

from __future__ import annotations

import secrets
from datetime import datetime

from pynamodb.exceptions import UpdateError

from portal.adapters.dynamo.errors import dynamo_errors, is_condition_failure
from portal.adapters.dynamo.models import FollowUpTaskModel, TicketEventModel, TicketItem, TicketModel
from portal.adapters.dynamo.queue import open_cards
from portal.adapters.dynamo.tickets import _task, _ticket, ticket_key
from portal.domain.errors import NotFound
from portal.domain.instants import iso_utc
from portal.domain.tickets import FollowUpTask, Ticket


def task_sort_key(kind: str) -> str:
    return f"TASK#{kind}"


class OversightRepository:
    """Reads by key or index only (see the access patterns in models.py)."""

    @dynamo_errors
    def open_tickets(self, limit: int = 1000) -> list[Ticket]:
        """Every unresolved request in queue order, as its card (one paged query on the sparse `queue-cards` index;
        the meeting list, the director's list and the dashboard read no facts)."""
        return open_cards(limit)

    @dynamo_errors
    def received_since(self, since: datetime, limit: int = 20_000) -> list[Ticket]:
        """The requests received since `since`, oldest first (one paged query on the `received` index).

        The query goes through the connection: PynamoDB would add a filter on the discriminator, which DynamoDB
        refuses on a key attribute of the index queried."""
        connection = TicketItem._get_connection()
        found: list[Ticket] = []
        start = None
        while len(found) < limit:
            page = connection.query("ticket", TicketItem.created_at >= iso_utc(since),
                                    index_name=TicketItem.received.Meta.index_name, exclusive_start_key=start,
                                    limit=min(1000, limit - len(found)))
            for raw in page.get("Items", []):
                item = TicketItem.from_raw_data(raw)
                if isinstance(item, TicketModel):
                    found.append(_ticket(item))
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        return found

    @dynamo_errors
    def append_events(self, number: str, events) -> None:
        """Add events to a request's history without touching the request (notes, next steps).

        :raise NotFound: when there is no such request.
        """
        for index, event in enumerate(events):
            at = iso_utc(event.at)
            TicketEventModel(ticket_key(number), f"EVENT#{at}#{secrets.token_hex(2)}{index:02d}",
                             kind=str(event.kind), at=at, actor=event.actor, public=event.public,
                             data=dict(event.data)).save(condition=TicketItem.sk.does_not_exist())

    @dynamo_errors
    def task(self, number: str, kind: str) -> FollowUpTask | None:
        try:
            item = FollowUpTaskModel.get(ticket_key(number), task_sort_key(kind))
        except FollowUpTaskModel.DoesNotExist:
            return None
        return _task(item)

    @dynamo_errors
    def assign_task(self, number: str, kind: str, owner_id: str) -> None:
        """Give an open task an owner.

        :raise NotFound: when there is no such open task.
        """
        self._update_open(number, kind, [FollowUpTaskModel.owner_id.set(owner_id)])

    @dynamo_errors
    def finish_task(self, number: str, kind: str, note: str, done_by: str) -> None:
        """Mark an open task done with what was done (its owner, if it had none, is who did it); it leaves the
        sparse `tasks` index.

        :raise NotFound: when there is no such open task.
        """
        self._update_open(number, kind, [
            FollowUpTaskModel.done.set(True), FollowUpTaskModel.note.set(note or "-"),
            FollowUpTaskModel.owner_id.set(FollowUpTaskModel.owner_id | done_by),
            FollowUpTaskModel.task_queue.remove(), FollowUpTaskModel.task_due.remove(),
        ])

    def _update_open(self, number: str, kind: str, actions) -> None:
        try:
            FollowUpTaskModel(ticket_key(number), task_sort_key(kind)).update(
                actions=actions, condition=FollowUpTaskModel.task_queue.exists())
        except UpdateError as error:
            if is_condition_failure(error):
                raise NotFound(f"{number}/{kind}") from error
            raise
