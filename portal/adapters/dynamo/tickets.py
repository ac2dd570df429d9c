"""Tickets as the customer pages list them (the by-company index, newest first)."""

from __future__ import annotations

from datetime import datetime

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import TicketItem, TicketModel
from portal.domain.tickets import CLOSED_STATES, TicketSummary


def _summary(item: TicketModel) -> TicketSummary:
    return TicketSummary(item.number, item.subject, item.status, item.category, int(item.severity),
                         datetime.fromisoformat(item.created_at), item.response_due, item.product_id, item.version)


class TicketsRepository:
    @dynamo_errors
    def open_of(self, company_id: str, limit: int = 50) -> list[TicketSummary]:
        """A company's open requests, newest first (one query on the by-company index)."""
        items = TicketItem.by_company.query(company_id, scan_index_forward=False, limit=limit,
                                            filter_condition=~TicketModel.status.is_in(*CLOSED_STATES))
        return [_summary(item) for item in items if isinstance(item, TicketModel)]
