"""The obsolescence check through the service with a fixed `now`, on moto: end-of-support notices 30 and 7 days
ahead (T9, G6) once per threshold in the contact's language, phase changes recorded (T9, T11), renewal notices
a month before the last day to cancel (P1)."""

from __future__ import annotations

import datetime
from dataclasses import replace
from datetime import UTC

from portal.domain.accounts import Company, Contact, Contract, DemoData, Installation
from portal.domain.catalog import parse_catalog
from portal.services.sweeps.obsolescence import run_obsolescence_check
from tests.call_counter import count_dynamodb_calls
from tests.unit.sweeps.sweep_builders import outbox, paris, sweep_context, toronto

CATALOG = {"products": [{"id": "cad", "name": "CadPro", "releases": [
    {"version": "2025.1", "released": "2025-06-01"},
    {"version": "2026.1", "released": "2026-01-15"}]}]}  # techtra: 2025.1 supported until 2026-07-15 (T9)


def setup(storage, tmp_path, charter_id="techtra", installed=("2025.1",), contracts=()):
    context = sweep_context(storage, tmp_path, charter_id)
    storage.catalog.save(parse_catalog(CATALOG))
    storage.accounts.save_demo(DemoData(
        companies=(Company("bolt", "Bolt Inc", language="fr"), Company("nut", "Nut BV", language="nl")),
        contacts=(Contact("bolt-bea", "bolt", "bea@bolt.example", "Béa", "fr", roles=("system_owner",)),
                  Contact("bolt-bob", "bolt", "bob@bolt.example", "Bob", "fr"),
                  Contact("nut-nina", "nut", "nina@nut.example", "Nina", "nl")),
        installations=tuple(Installation(company, "cad", version) for version in installed
                            for company in ("bolt", "nut")) + (Installation("nut", "cad", "2026.1"),),
        contracts=tuple(contracts)))
    return context


def notices(run) -> list[tuple[str, str]]:
    return sorted((entry["number"], entry["action"]) for entry in run.fired
                  if entry["action"].startswith("end_of_support"))


def test_thirty_days_before_the_end_of_support_each_company_is_told_once_in_its_language(moto_storage, tmp_path):
    """Rule T9: support of 2025.1 ends on 15 July 2026 (6 months after 2026.1); 31 days before nothing goes,
    30 days before each company that has it installed gets one notice, with 2026.1 to move to."""
    context = setup(moto_storage, tmp_path)
    assert notices(run_obsolescence_check(context, toronto(6, 14, 12))) == []
    run = run_obsolescence_check(context, toronto(6, 15, 12))
    assert notices(run) == [("bolt", "end_of_support_30"), ("nut", "end_of_support_30")]
    assert notices(run_obsolescence_check(context, toronto(6, 15, 12))) == []
    assert notices(run_obsolescence_check(context, toronto(6, 20, 12))) == []
    sent = {mail["To"]: mail for mail in outbox(context)}
    assert set(sent) == {"bea@bolt.example", "nina@nut.example"}  # Bolt's system owner (P2); Nut's only contact
    assert "2026.1" in sent["bea@bolt.example"].get_content()
    assert "support voor CadPro 2025.1" in sent["nina@nut.example"].get_content()
    assert "Le support de CadPro 2025.1" in sent["bea@bolt.example"].get_content()


def test_seven_days_before_a_second_notice_goes_and_none_after_the_end(moto_storage, tmp_path):
    """Rule T9: 8 days before nothing new; 7 days before the second notice; on the last day of support nothing
    more; the day support ends, nothing."""
    context = setup(moto_storage, tmp_path)
    run_obsolescence_check(context, toronto(6, 15, 12))
    assert notices(run_obsolescence_check(context, toronto(7, 7, 12))) == []
    assert notices(run_obsolescence_check(context, toronto(7, 8, 12))) == [("bolt", "end_of_support_7"),
                                                                           ("nut", "end_of_support_7")]
    assert notices(run_obsolescence_check(context, toronto(7, 14, 12))) == []
    assert notices(run_obsolescence_check(context, toronto(7, 15, 12))) == []


def test_the_day_changes_at_midnight_in_the_charters_time_zone_not_in_utc(moto_storage, tmp_path):
    """Rule T9: 15 June 02:00 UTC is still 14 June in Toronto: 31 days left, no notice yet."""
    context = setup(moto_storage, tmp_path)
    assert notices(run_obsolescence_check(context, datetime.datetime(2026, 6, 15, 2, tzinfo=UTC))) == []
    assert notices(run_obsolescence_check(context, datetime.datetime(2026, 6, 15, 4, tzinfo=UTC))) != []


def test_a_dry_run_sends_and_marks_nothing(moto_storage, tmp_path):
    context = setup(moto_storage, tmp_path)
    assert len(notices(run_obsolescence_check(context, toronto(6, 15, 12), dry_run=True))) == 2
    assert outbox(context) == []
    assert len(notices(run_obsolescence_check(context, toronto(6, 15, 12)))) == 2


def test_phase_changes_are_recorded_once_withdrawal_from_sale_included(moto_storage, tmp_path):
    """Rules T9, T11: the first run records each release's phase; 2025.1 moves from previous to ended on
    15 July 2026 and that change is recorded once; the lifecycle page is rebuilt when something changed."""
    context = setup(moto_storage, tmp_path)
    rebuilt = []
    context.rebuild_lifecycle = lambda: rebuilt.append(True)
    first = run_obsolescence_check(context, toronto(7, 14, 12))
    phases = {entry["number"]: (entry["phase"], entry["withdrawn_from_sale"]) for entry in first.fired
              if entry["action"] == "phase_change"}
    assert phases == {"cad 2025.1": ("previous", True), "cad 2026.1": ("current", False)}
    assert len(rebuilt) == 1
    assert [e for e in run_obsolescence_check(context, toronto(7, 14, 13)).fired if e["action"] == "phase_change"] \
        == []
    ended = run_obsolescence_check(context, toronto(7, 15, 12))
    assert [(e["number"], e["previous"], e["phase"]) for e in ended.fired if e["action"] == "phase_change"] == \
        [("cad 2025.1", "previous", "ended")]
    assert len(rebuilt) == 2


def test_the_installations_are_found_through_the_release_index_never_a_scan(moto_storage, tmp_path):
    context = setup(moto_storage, tmp_path)
    with count_dynamodb_calls() as calls:
        run_obsolescence_check(context, toronto(6, 15, 12))
    assert "Scan" not in calls


# --- P1 -----------------------------------------------------------------------------------------------------------


def contract(ends: str) -> Contract:
    return Contract("bolt", "C-1", "premium", datetime.date(2026, 1, 1), datetime.date.fromisoformat(ends),
                    ("cad",), auto_renew=True)


def renewal_notices(run) -> list[tuple[str, str]]:
    return [(entry["contract"], entry["last_day_to_cancel"]) for entry in run.fired
            if entry["action"] == "renewal_notice"]


def renewals(run) -> list[tuple[str, str]]:
    return [(entry["contract"], entry["ends"]) for entry in run.fired if entry["action"] == "renewed"]


def test_a_month_before_the_last_day_to_cancel_the_customer_gets_one_renewal_notice(moto_storage, tmp_path):
    """Rule P1 (three months' notice): ending 31 December 2026, renewing 1 January 2027, the last day to cancel is
    1 October 2026; the notice goes on 1 September, not on 31 August, and once."""
    context = setup(moto_storage, tmp_path, "example", contracts=[contract("2026-12-31")])
    assert renewal_notices(run_obsolescence_check(context, paris(8, 31, 12))) == []
    assert renewal_notices(run_obsolescence_check(context, paris(9, 1, 6))) == [("C-1", "2026-10-01")]
    assert renewal_notices(run_obsolescence_check(context, paris(9, 1, 6))) == []
    assert renewal_notices(run_obsolescence_check(context, paris(9, 20, 6))) == []
    [mail] = [m for m in outbox(context) if "C-1" in m.get_content()]
    assert mail["To"] == "bea@bolt.example" and "1 octobre 2026" in mail.get_content()


def test_a_charter_without_a_notice_period_sends_no_renewal_notice(moto_storage, tmp_path):
    """Rule P1 belongs to charters that set a notice period (Techtra has none)."""
    context = setup(moto_storage, tmp_path, "techtra", contracts=[contract("2026-12-31")])
    assert renewal_notices(run_obsolescence_check(context, paris(9, 1, 12))) == []


def test_a_contract_that_renews_by_itself_is_carried_to_its_next_period_once_with_a_proof_of_renewal(moto_storage,
                                                                                                     tmp_path):
    """Rule P1: ending 31 December 2026 and not cancelled, it runs until 31 December 2027 from 1 January, once; the
    contacts get the proof of renewal the charter sends each period, and the next notice follows the new period."""
    context = setup(moto_storage, tmp_path, "example", contracts=[contract("2026-12-31")])
    assert renewals(run_obsolescence_check(context, paris(12, 31, 6))) == []
    run = run_obsolescence_check(context, datetime.datetime(2027, 1, 1, 5, tzinfo=UTC))
    assert renewals(run) == [("C-1", "2027-12-31")]
    assert renewals(run_obsolescence_check(context, datetime.datetime(2027, 1, 2, 5, tzinfo=UTC))) == []
    [stored] = context.accounts.company_file("bolt").contracts
    assert stored.ends == datetime.date(2027, 12, 31)
    [proof] = [m for m in outbox(context) if "C-1" in m.get_content() and "31 décembre 2027" in m.get_content()]
    assert proof["To"] == "bea@bolt.example"
    later = run_obsolescence_check(context, datetime.datetime(2027, 9, 1, 5, tzinfo=UTC))
    assert renewal_notices(later) == [("C-1", "2027-10-01")]


def test_a_contract_cancelled_in_time_is_not_renewed_and_a_late_cancellation_stops_the_renewal_after(moto_storage,
                                                                                                     tmp_path):
    """Rule P1: cancelled by 1 October, the contract ends on 31 December; cancelled on 2 October, it renews once
    more, then ends."""
    in_time = replace(contract("2026-12-31"), cancelled_on=datetime.date(2026, 10, 1))
    late = replace(contract("2026-12-31"), contract_id="C-2", cancelled_on=datetime.date(2026, 10, 2))
    context = setup(moto_storage, tmp_path, "example", contracts=[in_time, late])
    assert renewals(run_obsolescence_check(context, datetime.datetime(2027, 1, 1, 5, tzinfo=UTC))) == [
        ("C-2", "2027-12-31")]
    assert renewals(run_obsolescence_check(context, datetime.datetime(2028, 1, 1, 5, tzinfo=UTC))) == []


def test_a_charter_that_does_not_renew_by_itself_leaves_an_ended_contract_ended(moto_storage, tmp_path):
    """Rule T10: Techtra's annual maintenance is renewed by the customer, never automatically."""
    ended = replace(contract("2026-12-31"), auto_renew=False)
    context = setup(moto_storage, tmp_path, "techtra", contracts=[ended])
    assert renewals(run_obsolescence_check(context, datetime.datetime(2027, 1, 5, 15, tzinfo=UTC))) == []


def test_a_lifecycle_page_that_does_not_rebuild_is_reported_and_the_phases_stay_recorded(moto_storage, tmp_path):
    context = setup(moto_storage, tmp_path)

    def broken():
        raise OSError("disk full")

    context.rebuild_lifecycle = broken
    run = run_obsolescence_check(context, toronto(7, 14, 12))
    assert {"number": "lifecycle", "rule": "T9", "reason": "page_not_rebuilt"} in run.skipped
    assert moto_storage.catalog.recorded_phases()[("cad", "2026.1")] == ("current", False)
