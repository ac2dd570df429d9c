"""Each preset says what its seed charter says (charter-rules.md)."""

from __future__ import annotations

import datetime

import pytest

from portal.domain.charter import Commitment, list_presets, load_charter


def hours(charter_id: str, weekday: int) -> list[str]:
    return [str(interval) for interval in load_charter(charter_id).weekly_hours.get(weekday, ())]


def commitments(charter_id: str, tier_id: str) -> list[Commitment]:
    charter = load_charter(charter_id)
    return [charter.commitment(tier_id, severity) for severity in (1, 2, 3, 4)]


@pytest.mark.parametrize("charter_id", list_presets())
def test_every_preset_loads(charter_id):
    assert load_charter(charter_id).id == charter_id


@pytest.mark.parametrize("charter_id", list_presets())
def test_every_preset_has_the_four_severities_in_three_languages(charter_id):
    charter = load_charter(charter_id)
    assert [severity.level for severity in charter.severities] == [1, 2, 3, 4]
    assert all(set(severity.label) == {"fr", "nl", "en"} for severity in charter.severities)


@pytest.mark.parametrize(("charter_id", "tier_ids"), [
    ("systell", ["maintenance", "none"]),
    ("techtra", ["support_contract", "maintenance", "none"]),
    ("exer", ["premium", "standard", "none"]),
    ("graitec", ["advantage", "none"]),
    ("produsoft", ["maintenance", "none"]),
])
def test_each_preset_has_its_tiers_in_priority_order(charter_id, tier_ids):
    charter = load_charter(charter_id)
    assert [tier.id for tier in charter.tiers] == tier_ids
    assert [tier.priority for tier in charter.tiers] == list(range(1, len(tier_ids) + 1))


def test_the_example_turns_every_feature_on():
    charter = load_charter("example")
    kinds = {commitment.kind for commitment in charter.commitments.values()}
    assert kinds == {"business_hours", "end_of_business_day", "business_days", "none"}
    assert charter.channel_priority and charter.survey.enabled and charter.professional_services.enabled
    assert charter.remote_tools and charter.training_prices and charter.contacts.training_required
    assert charter.contract.automatic_renewal and charter.vendor.line_emails and charter.holiday_subdivision
    assert charter.customer_hours != charter.weekly_hours
    assert all(value not in (None, False) for value in vars(charter.closure).values())


# --- Systell -------------------------------------------------------------------------------------


def test_systell_serves_only_customers_under_maintenance_by_phone_email_and_remote_maintenance():
    """Rule S1: support only under a maintenance contract; phone, e-mail, remote maintenance."""
    charter = load_charter("systell")
    assert charter.tier("maintenance").may_open_requests
    assert {"phone", "email", "remote"} <= set(charter.tier("maintenance").channels)
    assert not charter.tier("none").may_open_requests
    assert [tool.id for tool in charter.remote_tools_for("maintenance")] == ["remote_maintenance"]


def test_systell_hours_have_a_lunch_break_and_end_earlier_on_friday():
    """Rule S15: Mon-Thu 08:00-12:00 and 13:30-17:30; Fri 08:00-12:00 and 13:30-17:00."""
    for weekday in range(4):
        assert hours("systell", weekday) == ["08:00-12:00", "13:30-17:30"]
    assert hours("systell", 4) == ["08:00-12:00", "13:30-17:00"]
    assert hours("systell", 5) == hours("systell", 6) == []


def test_systell_answers_within_two_business_days_whatever_the_severity():
    """Rule S4: first come, first served, a response due two business days after receipt."""
    assert commitments("systell", "maintenance") == [Commitment("business_days", 2.0)] * 4
    assert load_charter("systell").channel_priority == ()


def test_systell_closes_after_three_failed_contacts_within_two_business_days():
    """Rule S11."""
    closure = load_charter("systell").closure
    assert (closure.failed_contacts, closure.failed_contacts_within_business_days) == (3, 2)


def test_systell_closes_when_the_customer_has_not_replied_for_three_business_days():
    """Rule S12: with a reminder the business day before."""
    closure = load_charter("systell").closure
    assert closure.awaiting_customer_business_days == 3
    assert closure.awaiting_customer_reminder_business_days == 1


def test_systell_closes_while_files_are_awaited():
    """Rule S13."""
    assert load_charter("systell").closure.close_while_awaiting_files


def test_systell_closes_by_mutual_agreement():
    """Rule S14."""
    assert load_charter("systell").closure.mutual_agreement


def test_systell_lists_what_support_does_not_do():
    """Rule S3."""
    topics = {topic.id for topic in load_charter("systell").out_of_scope}
    assert {"development", "other_software", "hardware_os", "installation", "network", "windows_training"} <= topics


def test_systell_support_never_replaces_training():
    """Rule S2."""
    topics = {topic.id: topic for topic in load_charter("systell").out_of_scope}
    assert topics["training"].alternative == "training"


def test_systell_follows_french_public_holidays_in_paris_time():
    charter = load_charter("systell")
    assert (charter.holiday_country, charter.timezone) == ("FR", "Europe/Paris")


# --- Techtra -------------------------------------------------------------------------------------


def test_techtra_is_open_nine_to_five_eastern_on_weekdays_with_quebec_holidays():
    """Rule T1."""
    charter = load_charter("techtra")
    assert charter.timezone == "America/Toronto"
    assert (charter.holiday_country, charter.holiday_subdivision) == ("CA", "QC")
    assert all(hours("techtra", weekday) == ["09:00-17:00"] for weekday in range(5))
    assert hours("techtra", 5) == []


def test_techtra_serves_support_contracts_then_maintenance_then_everyone_else():
    """Rule T2."""
    charter = load_charter("techtra")
    assert [(tier.id, tier.priority) for tier in charter.tiers] == [
        ("support_contract", 1), ("maintenance", 2), ("none", 3)]
    assert all(tier.may_open_requests for tier in charter.tiers)


def test_techtra_answers_support_contracts_by_the_end_of_the_business_day_with_a_two_hour_target():
    """Rule T3."""
    assert commitments("techtra", "support_contract") == [
        Commitment("end_of_business_day", None, target_business_hours=2.0)] * 4
    assert commitments("techtra", "maintenance") == [Commitment("none")] * 4


def test_techtra_gives_phone_support_only_under_a_support_contract_in_french_and_english():
    """Rule T5."""
    charter = load_charter("techtra")
    assert [tier.id for tier in charter.tiers if "phone" in tier.channels] == ["support_contract"]
    assert all(phone.tiers == ("support_contract",) for phone in charter.vendor.phones)
    assert charter.languages == ("fr", "en")


def test_techtra_director_reviews_requests_open_ten_business_days():
    """Rule T8."""
    assert load_charter("techtra").closure.director_review_business_days == 10


def test_techtra_supports_the_previous_version_six_months_after_its_successor():
    """Rules T9, T11: withdrawn from sale when the successor is out; questions only afterwards."""
    policy = load_charter("techtra").version_policy
    assert (policy.kind, policy.months, policy.withdrawn_on_successor) == ("previous_for_months", 6, True)
    assert policy.unsupported_allows == ("support",)


# --- Exer ----------------------------------------------------------------------------------------


def test_exer_serves_only_products_under_a_valid_contract():
    """Rule E1."""
    charter = load_charter("exer")
    assert [tier.id for tier in charter.tiers if tier.may_open_requests] == ["premium", "standard"]


def test_exer_hours_have_a_lunch_break_from_half_past_twelve_to_two():
    """Rule E2."""
    assert all(hours("exer", weekday) == ["09:00-12:30", "14:00-18:00"] for weekday in range(5))
    assert load_charter("exer").holiday_country == "FR"


def test_exer_end_customers_file_directly_only_under_premium():
    """Rule E4."""
    charter = load_charter("exer")
    assert charter.tier("premium").end_customers_via_reseller
    assert not charter.tier("standard").end_customers_via_reseller


def test_exer_manufacturer_maintenance_is_email_only_and_premium_has_web_email_and_phone():
    """Rule E5."""
    charter = load_charter("exer")
    assert charter.tier("standard").channels == ("email",)
    assert charter.tier("premium").channels == ("web", "email", "phone")


def test_exer_asks_for_architecture_diagrams_hardware_reports_and_a_configuration_backup():
    """Rule E6."""
    facts = {fact.id for fact in load_charter("exer").facts_for("incident")}
    assert {"architecture", "hardware_reports", "configuration_backup"} <= facts


def test_exer_connects_remotely_only_under_premium():
    """Rule E7."""
    charter = load_charter("exer")
    assert charter.tier("premium").remote_support and not charter.tier("standard").remote_support
    assert charter.remote_tools_for("standard") == ()


def test_exer_supports_only_the_current_version():
    """Rule E8."""
    policy = load_charter("exer").version_policy
    assert policy.kind == "current_only" and policy.unsupported_allows == ()


def test_exer_premium_answers_in_two_four_eight_and_twelve_business_hours():
    """Rule E10: Premium."""
    assert commitments("exer", "premium") == [Commitment("business_hours", hours) for hours in (2.0, 4.0, 8.0, 12.0)]


def test_exer_standard_has_no_time_commitment():
    """Rules E9, E10: Standard severity 1 first come first served, severity 3 no commitment."""
    assert commitments("exer", "standard") == [Commitment("none")] * 4


def test_exer_sends_installation_and_configuration_to_professional_services():
    """Rules E8, E10: configuration and installation help are paid Professional Services."""
    topics = {topic.id: topic.alternative for topic in load_charter("exer").out_of_scope}
    assert topics["configuration"] == topics["installation"] == "professional_services"


def test_exer_sells_professional_services_in_blocks_of_one_five_ten_and_twenty_hours():
    """Rule E11."""
    services = load_charter("exer").professional_services
    assert services.enabled and services.blocks_hours == (1, 5, 10, 20)


# --- Graitec -------------------------------------------------------------------------------------


def test_graitec_makes_no_numeric_commitment():
    """Rule G1."""
    charter = load_charter("graitec")
    assert commitments("graitec", "advantage") == [Commitment("none")] * 4
    assert charter.commitments == {}


def test_graitec_sends_a_survey_on_closure_and_flags_dissatisfied_answers():
    """Rule G3."""
    survey = load_charter("graitec").survey
    assert (survey.enabled, survey.scale, survey.dissatisfied_at_or_below) == (True, 5, 2)


def test_graitec_is_open_nine_to_six_on_weekdays():
    """Rule G4."""
    assert all(hours("graitec", weekday) == ["09:00-18:00"] for weekday in range(5))


def test_graitec_asks_for_the_version_models_screenshots_and_a_description():
    """Rule G5."""
    facts = {fact.id: fact for fact in load_charter("graitec").facts_for("support")}
    assert facts["version"].required and facts["description"].required
    assert {"models", "screenshots"} <= set(facts)


def test_graitec_supports_the_current_version_and_n_minus_one():
    """Rule G6."""
    policy = load_charter("graitec").version_policy
    assert (policy.kind, policy.n) == ("n_minus", 1)


def test_graitec_sends_installation_and_design_advice_to_consulting():
    """Rule G8."""
    topics = {topic.id: topic.alternative for topic in load_charter("graitec").out_of_scope}
    assert topics["installation"] == topics["design_assistance"] == topics["standards_advice"] == "consulting"
    assert topics["general_it"] == "it_provider"


def test_graitec_offers_teamviewer_quicksupport_from_its_link():
    """Rule G10."""
    (tool,) = load_charter("graitec").remote_tools_for("advantage")
    assert (tool.name, tool.url) == ("TeamViewer QuickSupport", "https://get.teamviewer.com/graitec")


# --- Produsoft -----------------------------------------------------------------------------------


def test_produsoft_includes_the_first_year_then_renews_yearly_with_three_months_notice():
    """Rule P1."""
    contract = load_charter("produsoft").contract
    assert contract.first_year_included and contract.automatic_renewal and contract.proof_each_period
    assert (contract.renewal_months, contract.notice_months) == (12, 3)


def test_produsoft_requires_a_trained_system_owner_and_deputy():
    """Rule P2."""
    contacts = load_charter("produsoft").contacts
    assert contacts.designated_roles == ("system_owner", "deputy") and contacts.training_required


def test_produsoft_asks_for_the_facts_listed_before_contacting():
    """Rule P4."""
    facts = [fact.id for fact in load_charter("produsoft").facts_for("bug")]
    assert facts == ["company", "phone", "previous_call", "description", "reproduction", "third_party_software",
                     "attachments", "operating_system"]


def test_produsoft_handles_the_web_form_first_then_email_then_phone():
    """Rule P5: one e-mail address per product line; phone for urgent cases only."""
    charter = load_charter("produsoft")
    assert charter.channel_priority == ("web", "email", "phone")
    assert charter.vendor.email_for_line("edgecam") == "edgecam.support@produsoft.com"
    assert len(charter.vendor.line_emails) == 6
    assert all(phone.urgent_only for phone in charter.vendor.phones)


def test_produsoft_hours_have_a_half_hour_lunch_and_end_at_four_on_friday():
    """Rule P6: with Belgian holidays in Brussels time."""
    charter = load_charter("produsoft")
    assert all(hours("produsoft", weekday) == ["08:30-12:30", "13:00-17:00"] for weekday in range(4))
    assert hours("produsoft", 4) == ["08:30-12:30", "13:00-16:00"]
    assert (charter.timezone, charter.holiday_country) == ("Europe/Brussels", "BE")


def test_produsoft_makes_no_numeric_commitment():
    """Rules P6, P7: an engineer helps at once or schedules a time; no due time."""
    assert load_charter("produsoft").commitments == {}


def test_produsoft_has_three_request_categories():
    """Rule P8."""
    assert [category.id for category in load_charter("produsoft").categories] == ["support", "bug", "suggestion"]


def test_produsoft_does_not_write_or_fix_customised_software():
    """Rule P10."""
    assert "custom_code" in {topic.id for topic in load_charter("produsoft").out_of_scope}


def test_produsoft_update_trainings_cost_425_per_person_and_1000_or_1250_per_company_day():
    """Rule P12."""
    prices = {(price.amount, price.unit, price.from_people) for price in load_charter("produsoft").training_prices}
    assert prices == {(425.0, "person_day", None), (1000.0, "day", None), (1250.0, "day", 3)}


def test_produsoft_texts_default_to_dutch():
    charter = load_charter("produsoft")
    assert charter.default_language == "nl"
    assert charter.tier("maintenance").label.get("de") == "Onderhoudscontract"


def test_no_preset_closes_on_a_date_it_does_not_name():
    assert all(load_charter(charter_id).extra_closed_dates == () for charter_id in list_presets()
               if charter_id != "example")
    assert datetime.date(2026, 12, 24) in load_charter("example").extra_closed_dates
