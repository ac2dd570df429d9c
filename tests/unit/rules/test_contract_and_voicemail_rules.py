"""Contract renewal and notice (P1), the voicemail message (S5, S6), eligibility (S1, E1, E4, P2, T9)."""

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal.domain.accounts import Company, CompanyFile, Contact, Contract
from portal.domain.catalog import parse_catalog
from portal.domain.charter import load_charter
from portal.domain.contracts import contract_state, renewal, renewed
from portal.domain.eligibility import covering_contract, request_eligibility
from portal.domain.voicemail import voicemail_message
from portal.services.customer import contract_status

PARIS = ZoneInfo("Europe/Paris")
CATALOG = parse_catalog({"products": [{"id": "alpha", "name": "Alpha CAM", "releases": [
    {"version": "2025.1", "released": "2025-03-10"}, {"version": "2026.1", "released": "2026-03-09"}]}]})


def make_contract(**overrides) -> Contract:
    values = dict(company_id="acme", contract_id="C-1", tier="maintenance", starts=date(2026, 1, 1),
                  ends=date(2026, 12, 31), products=("alpha",))
    values.update(overrides)
    return Contract(**values)


def make_file(contracts=(), contacts=None, reseller_id=None) -> CompanyFile:
    contacts = contacts if contacts is not None else (
        Contact("o", "acme", "o@acme.example", "Owner", roles=("system_owner",), training_done=True),
        Contact("d", "acme", "d@acme.example", "Deputy", roles=("deputy",), training_done=True))
    return CompanyFile(Company("acme", "Acme", reseller_id=reseller_id), contacts, tuple(contracts))


def test_a_contract_that_renews_by_itself_is_in_force_from_the_first_day_of_its_new_period_rule_p1():
    """Rule P1: on 1 January 2027, before the daily renewal has recorded it, the renewed contract covers the
    customer until 31 December 2027; a contract cancelled in time has ended."""
    produsoft = load_charter("produsoft")
    renewing = make_contract(auto_renew=True)
    assert covering_contract(produsoft, [renewing], "alpha", date(2027, 1, 1)).ends == date(2027, 12, 31)
    assert renewed(produsoft, renewing, date(2028, 3, 1)).ends == date(2028, 12, 31)  # two periods missed
    cancelled = replace(renewing, cancelled_on=date(2026, 9, 15))
    assert covering_contract(produsoft, [cancelled], "alpha", date(2027, 1, 1)) is None
    assert renewal(produsoft, cancelled, date(2026, 9, 20)).renews_automatically is False


def test_a_cancellation_after_the_last_day_to_cancel_stops_the_renewal_after_the_next_rule_p1():
    produsoft = load_charter("produsoft")
    late = make_contract(auto_renew=True, cancelled_on=date(2026, 10, 2))
    terms = renewal(produsoft, late, date(2026, 10, 5))
    assert terms.renews_automatically and terms.next_period_ends == date(2027, 12, 31)
    assert renewed(produsoft, late, date(2028, 6, 1)).ends == date(2027, 12, 31)
    assert covering_contract(produsoft, [late], "alpha", date(2028, 1, 1)) is None


def test_a_contract_can_be_cancelled_until_three_months_before_the_new_period():
    """Rule P1: renews automatically each year; cancel at the latest three months before the new period."""
    terms = renewal(load_charter("produsoft"), make_contract(), date(2026, 9, 30))
    assert terms.renews_automatically and terms.next_period_starts == date(2027, 1, 1)
    assert terms.last_day_to_cancel == date(2026, 10, 1) and terms.can_still_cancel
    assert not renewal(load_charter("produsoft"), make_contract(), date(2026, 10, 2)).can_still_cancel


def test_a_contract_is_upcoming_active_or_ended():
    """Rule S1: support only under a contract in force."""
    contract = make_contract()
    assert [contract_state(contract, day) for day in (date(2025, 12, 31), date(2026, 6, 1), date(2027, 1, 1))] == \
        ["upcoming", "active", "ended"]


def test_a_voicemail_during_the_customers_hours_leaves_a_message():
    """Rule S5."""
    assert voicemail_message(load_charter("systell"), datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)) == "message_left"


def test_a_voicemail_outside_the_customers_hours_promises_a_call_back_next_business_day():
    """Rule S6."""
    for moment in (datetime(2026, 11, 23, 12, 30, tzinfo=PARIS), datetime(2026, 11, 28, 10, 0, tzinfo=PARIS)):
        assert voicemail_message(load_charter("systell"), moment) == "call_back_next_business_day"


def test_a_contract_in_force_on_a_tier_that_may_ask_allows_a_request():
    """Rules S1, E1."""
    result = request_eligibility(load_charter("systell"), make_file([make_contract()]), CATALOG, "alpha", "2026.1",
                                 date(2026, 11, 23))
    assert result.allowed and result.tier == "maintenance"


def test_an_ended_contract_says_when_it_ended():
    result = request_eligibility(load_charter("systell"), make_file([make_contract(ends=date(2026, 6, 30))]),
                                 CATALOG, "alpha", "2026.1", date(2026, 11, 23))
    assert not result.allowed and result.refusals[0].code == "contract_ended"
    assert result.refusals[0].params == {"ended": "2026-06-30"}


def test_the_ended_contracts_date_is_written_in_the_readers_language():
    """Rule S1: the refusal carries the day; the message writes it as the reader does."""
    from portal.domain.eligibility import Refusal
    from portal.services.refusals import refusal_message

    refusal = Refusal("contract_ended", {"ended": "2026-06-30"})
    assert "30 juin 2026" in refusal_message(refusal, "fr")
    assert "30 juni 2026" in refusal_message(refusal, "nl")
    assert "June 30, 2026" in refusal_message(refusal, "en")


def test_an_end_customer_without_premium_goes_to_its_reseller():
    """Rule E4: the standard (manufacturer maintenance) tier does not admit end customers."""
    file = make_file([make_contract(tier="standard")], reseller_id="reseller")
    result = request_eligibility(load_charter("exer"), file, CATALOG, "alpha", "2026.1", date(2026, 11, 23))
    assert [r.code for r in result.refusals] == ["contact_your_reseller"]


def test_an_end_customer_under_premium_may_file_directly():
    """Rule E4."""
    file = make_file([make_contract(tier="premium")], reseller_id="reseller")
    assert request_eligibility(load_charter("exer"), file, CATALOG, "alpha", "2026.1", date(2026, 11, 23)).allowed


def test_the_contract_page_tells_an_end_customer_without_premium_that_its_reseller_takes_its_requests_rule_e4():
    """Rule E4: the page agrees with filing: the standard tier's end customer cannot open requests itself."""
    exer = load_charter("exer")
    standard = contract_status(exer, make_file([make_contract(tier="standard")], reseller_id="reseller"), CATALOG,
                               date(2026, 11, 23))
    premium = contract_status(exer, make_file([make_contract(tier="premium")], reseller_id="reseller"), CATALOG,
                              date(2026, 11, 23))
    direct = contract_status(exer, make_file([make_contract(tier="standard")]), CATALOG, date(2026, 11, 23))
    assert (standard.can_open_requests, standard.reseller_first) == (False, True)
    assert (premium.can_open_requests, premium.reseller_first) == (True, False)
    assert (direct.can_open_requests, direct.reseller_first) == (True, False)


def test_untrained_designated_contacts_block_requests():
    """Rule P2."""
    contacts = (Contact("o", "acme", "o@acme.example", "Owner", roles=("system_owner",), training_done=True),
                Contact("d", "acme", "d@acme.example", "Deputy", roles=("deputy",), training_done=False))
    result = request_eligibility(load_charter("produsoft"), make_file([make_contract()], contacts), CATALOG, "alpha",
                                 "2026.1", date(2026, 11, 23))
    assert [r.code for r in result.refusals] == ["designated_contacts_untrained"]


def test_the_previous_version_is_supported_six_months_after_its_successor_then_questions_only():
    """Rule T9 (techtra): 2025.1's support ends 9 September 2026; afterwards a question, not a bug."""
    techtra = load_charter("techtra")
    file = make_file([make_contract(tier="support_contract")])
    before = request_eligibility(techtra, file, CATALOG, "alpha", "2025.1", date(2026, 9, 8))
    after = request_eligibility(techtra, file, CATALOG, "alpha", "2025.1", date(2026, 9, 9))
    assert before.allowed and "bug" in before.categories
    assert after.allowed and "bug" not in after.categories and after.release.supported is False
