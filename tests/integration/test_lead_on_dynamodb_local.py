"""Problem records, the director's decisions and the dashboard's `received` index against Amazon's DynamoDB
Local (moto accepts things real DynamoDB refuses)."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.domain.calendar import calendar_for
from portal.domain.charter import load_charter
from portal.domain.problems import DEFECT, ProblemRefused
from portal.services import lead, problems
from tests.unit.staff.lead_builders import NOW, make_ticket, store_ticket

pytestmark = pytest.mark.integration
CHARTER = load_charter("example")


def test_problem_links_director_decisions_and_the_received_index_work_on_dynamodb_local(local_storage):
    tickets, records = local_storage.tickets, local_storage.problems
    store_ticket(tickets, make_ticket("2026-000001", created_at=datetime(2026, 11, 2, 9, tzinfo=UTC)))
    store_ticket(tickets, make_ticket("2026-000002", created_at=NOW - timedelta(days=40), status="closed"))
    record = problems.open_problem(records, DEFECT, "Export crash", "mia", NOW)
    problems.link_request(records, tickets, "2026-000001", record.problem_id, "program_defect", "tom", NOW)
    with pytest.raises(ProblemRefused, match="already_linked"):
        problems.link_request(records, tickets, "2026-000001", record.problem_id, "program_defect", "tom", NOW)
    assert records.get(record.problem_id).tickets == ("2026-000001",)
    saved = lead.director_decide(tickets, records, CHARTER, calendar_for(CHARTER), "2026-000001",
                                 lead.CLOSE_NOT_CRITICAL, "dan", NOW)
    assert saved.status == "closed"
    assert [task.kind for task in tickets.open_tasks("director")] == [lead.SATISFACTION_FOLLOW_UP]
    received = local_storage.oversight.received_since(NOW - timedelta(days=30))
    assert [ticket.number for ticket in received] == ["2026-000001"]


def test_the_companies_list_reads_the_by_type_index_on_dynamodb_local(local_storage):
    from portal.adapters.dynamo.admin import AdminRepository
    from portal.services import admin

    repository = AdminRepository()
    admin.create_company(local_storage.accounts, repository, "zeta", "Zeta", "customer", "fr")
    admin.create_company(local_storage.accounts, repository, "acme", "Acme", "reseller", "fr")
    admin.add_contact(local_storage.accounts, "acme", "ann@acme.example", "Ann", "en")
    assert [company.company_id for company in admin.companies(repository)] == ["acme", "zeta"]
