"""The sweeps against Amazon's DynamoDB Local, which refuses what moto lets pass: the sparse indexes, the
transactions with their conditions, the conditional set updates that mark a notice sent."""

from __future__ import annotations

import datetime

import pytest

from portal.domain.accounts import Company, Contact, Contract, DemoData, Installation
from portal.domain.catalog import parse_catalog
from portal.domain.history import EventKind
from portal.services.sweeps.closure import run_closure_sweep
from portal.services.sweeps.obsolescence import run_obsolescence_check
from portal.services.sweeps.reminders import run_reminders
from tests.unit.sweeps.sweep_builders import event, file_request, outbox, paris, status_of, sweep_context, toronto
from tests.unit.sweeps.test_closure_sweep import TechnicianWritesMeanwhile

pytestmark = pytest.mark.integration


def test_the_closure_sweep_closes_once_and_yields_to_a_technician_on_dynamodb_local(local_storage, tmp_path):
    """Rules S12 and T8 and the conditional writes, on DynamoDB Local."""
    context = sweep_context(local_storage, tmp_path)
    waiting = file_request(context, paris(11, 23, 9), "waiting_customer",
                           [event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))])
    busy = file_request(context, paris(11, 23, 9), "waiting_customer",
                        [event(EventKind.WAITING_CUSTOMER, paris(11, 23, 10))])
    old = file_request(context, paris(11, 2, 9), "in_progress")
    tickets = context.tickets
    context.tickets = TechnicianWritesMeanwhile(tickets, busy)
    run = run_closure_sweep(context, paris(11, 26, 10, 2))
    assert sorted((f["number"], f["rule"]) for f in run.fired) == sorted([(waiting, "S12"), (old, "T8")])
    assert run.skipped == [{"number": busy, "rule": "S12", "reason": "changed_meanwhile"}]
    context.tickets = tickets
    again = run_closure_sweep(context, paris(11, 26, 10, 2))
    assert [(f["number"], f["rule"]) for f in again.fired] == [(busy, "S12")]
    assert status_of(context, waiting) == status_of(context, busy) == "closed"
    assert run_closure_sweep(context, paris(11, 26, 10, 2)).fired == []
    assert [task.ticket_number for task in context.tickets.open_tasks("director")] == [old]


def test_the_reminders_warn_once_on_dynamodb_local(local_storage, tmp_path):
    context = sweep_context(local_storage, tmp_path)
    number = file_request(context, paris(11, 30, 9), "in_progress", response_due=paris(11, 30, 14))
    assert [f["rule"] for f in run_reminders(context, paris(11, 30, 11, 30)).fired] == ["response-warning"]
    assert run_reminders(context, paris(11, 30, 11, 30)).fired == []
    assert [f["rule"] for f in run_reminders(context, paris(11, 30, 14)).fired] == ["response-missed"]
    assert [task.ticket_number for task in context.tickets.open_tasks("manager")] == [number]


def test_the_obsolescence_check_marks_each_notice_once_on_dynamodb_local(local_storage, tmp_path):
    """Rule T9 through the by-release index and a conditional set update."""
    context = sweep_context(local_storage, tmp_path, "techtra")
    local_storage.catalog.save(parse_catalog({"products": [{"id": "cad", "name": "CadPro", "releases": [
        {"version": "2025.1", "released": "2025-06-01"}, {"version": "2026.1", "released": "2026-01-15"}]}]}))
    local_storage.accounts.save_demo(DemoData(
        companies=(Company("bolt", "Bolt Inc", language="fr"),),
        contacts=(Contact("bolt-bea", "bolt", "bea@bolt.example", "Béa", "fr", roles=("system_owner",)),),
        installations=(Installation("bolt", "cad", "2025.1"),),
        contracts=(Contract("bolt", "C-1", "support_contract", datetime.date(2026, 1, 1),
                            datetime.date(2026, 12, 31), ("cad",), auto_renew=True),)))
    first = run_obsolescence_check(context, toronto(6, 15, 12))
    assert [(f["number"], f["action"]) for f in first.fired if f["action"].startswith("end_of_support")] == \
        [("bolt", "end_of_support_30")]
    second = run_obsolescence_check(context, toronto(6, 15, 12))
    assert second.fired == [] and len(outbox(context)) == 1


def test_the_renewal_notice_goes_once_through_the_renewal_index_on_dynamodb_local(local_storage, tmp_path):
    """Rule P1 (three months' notice): the contract ending 31 December 2026 is noticed on 1 September, once."""
    context = sweep_context(local_storage, tmp_path, "example")
    local_storage.accounts.save_demo(DemoData(
        contracts=(Contract("acme", "C-9", "premium", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31),
                            (), auto_renew=True),)))
    assert [f["rule"] for f in run_obsolescence_check(context, paris(9, 1, 6)).fired if f["rule"] == "P1"] == ["P1"]
    assert [f for f in run_obsolescence_check(context, paris(9, 1, 6)).fired if f["rule"] == "P1"] == []
