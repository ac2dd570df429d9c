"""Customers without a contract (rules T2, P1, P3): Techtra serves "everyone else" at third priority and
Produsoft handles customers without maintenance after those under maintenance, while Systell (S1) and Exer (E1)
keep refusing them. The charter names the tier in `[eligibility] without_contract_tier`."""

import tomllib
from datetime import UTC, date, datetime, timedelta

import pytest

from portal.domain.accounts import Contact
from portal.domain.charter import PRESETS_DIR, CharterError, load_charter, parse_charter
from portal.domain.eligibility import request_eligibility, tier_in_force
from portal.domain.queue import queue_key
from portal.services.intake import IntakeRefused, RequestDraft, check_request
from tests.unit.rules.test_contract_and_voicemail_rules import CATALOG, make_contract, make_file

TODAY = date(2026, 11, 23)
EARLY = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
LATE = EARLY + timedelta(hours=3)
EXER, PRODUSOFT, SYSTELL, TECHTRA = (load_charter(c) for c in ("exer", "produsoft", "systell", "techtra"))
TECHTRA_FACTS = {"description": "The export stops halfway.", "documentation_consulted": "yes"}


def eligibility(charter, contracts=(), **file_options):
    return request_eligibility(charter, make_file(contracts, **file_options), CATALOG, "alpha", "2026.1", TODAY)


def techtra_draft(**overrides):
    values = dict(category="bug", product_id="alpha", version="2026.1", severity=2, subject="Export stops",
                  facts=TECHTRA_FACTS)
    values.update(overrides)
    return RequestDraft(**values)


# --- T2: Techtra's three priorities -------------------------------------------------------------------------

def test_a_techtra_company_without_any_contract_files_at_third_priority_rule_t2():
    """Rule T2: 3) everyone else; no contract record is needed to file."""
    result = check_request(TECHTRA, make_file([]), CATALOG, techtra_draft(), TODAY)
    assert result.allowed and result.tier == "none" and result.without_contract
    assert TECHTRA.tier(result.tier).priority == 3


def test_a_techtra_company_without_a_contract_waits_behind_maintenance_customers_whatever_the_arrival_rule_t2():
    """Rule T2: the third priority comes after the annual maintenance customers, even those who filed later."""
    tier = eligibility(TECHTRA).tier
    assert queue_key(TECHTRA, "maintenance", "web", LATE) < queue_key(TECHTRA, tier, "web", EARLY)


def test_a_techtra_company_whose_maintenance_ended_files_at_third_priority_not_refused_rule_t2():
    """Rule T2: once its annual maintenance has ended, the company is one of "everyone else"."""
    result = eligibility(TECHTRA, [make_contract(ends=date(2026, 6, 30))])
    assert result.allowed and result.refusals == ()
    assert result.tier == "none" and TECHTRA.tier(result.tier).priority == 3


def test_a_techtra_company_with_a_support_contract_keeps_first_priority_rule_t2():
    """Rule T2: 1) customers with a support contract, even when they also pay annual maintenance."""
    result = eligibility(TECHTRA, [make_contract(contract_id="M-1"),
                                   make_contract(contract_id="S-1", tier="support_contract")])
    assert result.allowed and result.tier == "support_contract" and not result.without_contract
    assert TECHTRA.tier(result.tier).priority == 1


def test_a_techtra_company_under_annual_maintenance_keeps_second_priority_rule_t2():
    """Rule T2: 2) annual maintenance without a support contract."""
    result = eligibility(TECHTRA, [make_contract()])
    assert result.allowed and result.tier == "maintenance" and TECHTRA.tier(result.tier).priority == 2


def test_a_techtra_product_its_maintenance_does_not_cover_is_filed_at_third_priority_rule_t2():
    """Rule T2: the third priority takes every product of the catalogue, not only those a contract names."""
    file = make_file([make_contract(products=("beta",))])
    assert tier_in_force(TECHTRA, file.contracts, "alpha", TODAY).id == "none"
    assert tier_in_force(TECHTRA, file.contracts, "beta", TODAY).id == "maintenance"
    assert check_request(TECHTRA, file, CATALOG, techtra_draft(), TODAY).tier == "none"


def test_a_techtra_company_without_a_contract_follows_the_version_policy_rules_t2_t9():
    """Rules T2, T9: 2025.1 is past its six months of support; without a contract, a question only."""
    result = request_eligibility(TECHTRA, make_file([]), CATALOG, "alpha", "2025.1", TODAY)
    assert result.allowed and result.tier == "none" and result.categories == ("support",)
    with pytest.raises(IntakeRefused) as refused:
        check_request(TECHTRA, make_file([]), CATALOG, techtra_draft(version="2025.1"), TODAY)
    assert [r.code for r in refused.value.refusals] == ["category_not_allowed"]


def test_a_techtra_end_customer_without_a_contract_still_goes_to_its_reseller_rules_t2_e4():
    """Rule E4 stays: Techtra's third-priority tier does not admit a reseller's end customers."""
    result = eligibility(TECHTRA, reseller_id="reseller")
    assert not result.allowed and [r.code for r in result.refusals] == ["contact_your_reseller"]


# --- P1, P3: Produsoft, customers without maintenance after those under it --------------------------------

def test_a_produsoft_customer_whose_maintenance_was_cancelled_is_handled_after_maintenance_customers_rules_p1_p3():
    """Rules P1, P3: cancelled maintenance does not close the helpdesk; the call is no longer prioritised."""
    cancelled = make_contract(ends=date(2025, 12, 31), cancelled_on=date(2025, 9, 1))  # by the last day (P1)
    result = eligibility(PRODUSOFT, [cancelled])
    assert result.allowed and result.tier == "none" and result.without_contract
    assert eligibility(PRODUSOFT, [make_contract(ends=date(2025, 12, 31))]).tier == "maintenance"  # renewed
    assert queue_key(PRODUSOFT, "maintenance", "email", LATE) < queue_key(PRODUSOFT, result.tier, "web", EARLY)


def test_a_produsoft_customer_under_maintenance_keeps_its_priority_rule_p3():
    result = eligibility(PRODUSOFT, [make_contract()])
    assert result.allowed and result.tier == "maintenance" and PRODUSOFT.tier(result.tier).priority == 1


def test_a_produsoft_customer_without_maintenance_still_needs_trained_designated_contacts_rules_p1_p2():
    """Rule P2 applies with or without maintenance: the deputy has not followed the training."""
    contacts = (Contact("o", "acme", "o@acme.example", "Owner", roles=("system_owner",), training_done=True),
                Contact("d", "acme", "d@acme.example", "Deputy", roles=("deputy",), training_done=False))
    result = eligibility(PRODUSOFT, contacts=contacts)
    assert not result.allowed and [r.code for r in result.refusals] == ["designated_contacts_untrained"]


# --- S1, E1: charters that serve only customers under contract ---------------------------------------------

def test_a_systell_company_without_a_contract_is_still_refused_rule_s1():
    """Rule S1: support only for customers under a maintenance contract."""
    assert SYSTELL.without_contract_tier is None
    result = eligibility(SYSTELL)
    assert not result.allowed and result.tier is None and [r.code for r in result.refusals] == ["no_contract"]


def test_a_systell_company_whose_maintenance_ended_is_still_refused_rule_s1():
    result = eligibility(SYSTELL, [make_contract(ends=date(2026, 6, 30))])
    assert not result.allowed and [r.code for r in result.refusals] == ["contract_ended"]


def test_an_exer_company_without_a_valid_maintenance_is_still_refused_rule_e1():
    """Rule E1: service only for products under a valid maintenance or an Exer contract."""
    assert EXER.without_contract_tier is None
    assert [r.code for r in eligibility(EXER).refusals] == ["no_contract"]
    assert [r.code for r in eligibility(EXER, [make_contract(tier="standard", ends=date(2026, 6, 30))]).refusals] \
        == ["contract_ended"]


# --- the charter setting --------------------------------------------------------------------------------------

def techtra_with(eligibility_table, **tier_changes):
    """Techtra's charter document with another `[eligibility]` table (None: without one)."""
    document = tomllib.loads((PRESETS_DIR / "techtra.toml").read_text(encoding="utf-8"))
    document.pop("eligibility", None)
    if eligibility_table is not None:
        document["eligibility"] = eligibility_table
    for tier in document["tiers"]:
        tier.update(tier_changes.get(tier["id"], {}))
    return document


def problems(document) -> list[tuple[str, str]]:
    with pytest.raises(CharterError) as caught:
        parse_charter(document, "techtra.toml")
    return [(problem.key, problem.message) for problem in caught.value.problems]


def test_techtra_and_produsoft_name_their_last_tier_for_customers_without_a_contract_rules_t2_p3():
    assert TECHTRA.without_contract_tier == "none" == TECHTRA.tiers[-1].id
    assert PRODUSOFT.without_contract_tier == "none" == PRODUSOFT.tiers[-1].id


def test_a_charter_without_the_setting_refuses_customers_without_a_contract_rules_s1_e1():
    charter = parse_charter(techtra_with(None))
    assert charter.without_contract_tier is None
    assert [r.code for r in eligibility(charter).refusals] == ["no_contract"]


def test_a_charter_naming_an_unknown_tier_for_customers_without_a_contract_fails_to_load():
    [(key, message)] = problems(techtra_with({"without_contract_tier": "everyone"}))
    assert key == "eligibility.without_contract_tier"
    assert message == "unknown tier 'everyone'; tiers: support_contract, maintenance, none"


def test_a_charter_naming_a_tier_that_may_not_open_requests_for_customers_without_a_contract_fails_to_load():
    [(key, message)] = problems(techtra_with({"without_contract_tier": "none"},
                                             none={"may_open_requests": False, "channels": []}))
    assert key == "eligibility.without_contract_tier" and "'none' may not open requests" in message


def test_a_charter_whose_tier_for_customers_without_a_contract_comes_before_a_contract_tier_fails_to_load():
    """Rule T2: a customer under contract never waits behind one without."""
    [(key, message)] = problems(techtra_with({"without_contract_tier": "maintenance"}))
    assert key == "eligibility.without_contract_tier" and "'none' comes after it" in message


def test_an_unknown_key_of_the_eligibility_table_fails_to_load():
    [(key, message)] = problems(techtra_with({"without_contract_tier": "none", "without_contract": "none"}))
    assert key == "eligibility.without_contract" and message.startswith("unknown key")


# --- what the customer is told, by page, tools and e-mail ------------------------------------------------------

def test_the_contract_status_of_a_lapsed_techtra_customer_says_requests_go_under_the_third_priority_rule_t2():
    """Rule T2: the contract page (and the API's contract status) no longer says requests are impossible."""
    from portal.services.customer import contract_status

    status = contract_status(TECHTRA, make_file([make_contract(ends=date(2026, 6, 30))]), CATALOG, TODAY)
    assert status.can_open_requests and status.without_contract_tier.id == "none"
    assert status.contracts[0].state == "ended"
    refused = contract_status(SYSTELL, make_file([make_contract(ends=date(2026, 6, 30))]), CATALOG, TODAY)
    assert not refused.can_open_requests and refused.without_contract_tier is None


def test_a_techtra_customer_under_contract_is_not_told_about_the_tier_without_contract_rule_t2():
    from portal.services.customer import contract_status

    status = contract_status(TECHTRA, make_file([make_contract()]), CATALOG, TODAY)
    assert status.can_open_requests and status.without_contract_tier is None


def test_a_techtra_customer_without_contract_may_write_by_email_on_the_third_tier_rule_t2():
    """Rules T2, E5: the e-mail channel applies the same tiers as the portal: the `none` tier includes e-mail."""
    from portal.services.mail_intake import email_access

    refusal, tier = email_access(TECHTRA, make_file([]), "alpha", TODAY)
    assert refusal is None and tier.id == "none"
    refusal, tier = email_access(SYSTELL, make_file([]), "alpha", TODAY)
    assert refusal is not None and refusal.code in ("no_contract", "no_contract_in_force") and tier is None


def test_the_remote_tools_and_contact_pages_see_the_tier_without_contract_rule_t2():
    from portal.services.tools import tier_of

    assert tier_of(TECHTRA, make_file([]), TODAY) == "none"
    assert tier_of(SYSTELL, make_file([]), TODAY) is None
