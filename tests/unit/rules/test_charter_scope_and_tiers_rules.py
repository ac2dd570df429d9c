"""Scope, tiers and the escalation procedure as the portal applies them: Graitec's in-scope topics (G7),
Produsoft's maintenance (P3) and licences (P11), Systell's project files (S10), Techtra's annual maintenance
(T10) and its escalation procedure (T4)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.domain.catalog import parse_catalog
from portal.domain.charter import load_charter
from portal.domain.closure import awaiting_files_closure
from portal.domain.history import EventKind, TicketEvent
from portal.domain.lifecycle import lifecycle
from portal.domain.queue import queue_key
from portal.services import console
from portal.services.customer import contract_status
from portal.services.intake import OutOfScope, RequestDraft, check_request
from portal.web.app import create_app
from portal.web.requests.forms import fact_fields, request_form
from tests.builders import make_settings, seeded_app, signed_in_client
from tests.unit.intake.test_request_pages import PREMIUM
from tests.unit.rules.test_contract_and_voicemail_rules import CATALOG, make_contract, make_file
from tests.unit.staff.staff_builders import make_desk, make_staff, store_ticket

TODAY = date(2026, 11, 23)
EARLY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
LATE = EARLY + timedelta(hours=3)
GRAITEC, PRODUSOFT, SYSTELL, TECHTRA = (load_charter(c) for c in ("graitec", "produsoft", "systell", "techtra"))
PRODUSOFT_FACTS = {"company": "Acme", "phone": "+32 50 00 00 00", "description": "The licence must move.",
                   "reproduction": "New workstation.", "operating_system": "Windows 11 23H2"}
OLD_RELEASES = parse_catalog({"products": [{"id": "alpha", "name": "Alpha CAM", "releases": [
    {"version": "2018.1", "released": "2018-03-12"}, {"version": "2021.1", "released": "2021-03-08"},
    {"version": "2024.1", "released": "2024-03-11"}, {"version": "2026.1", "released": "2026-03-09"}]}]})


def draft(**overrides):
    values = dict(category="support", product_id="alpha", version="2026.1", severity=3, subject="A question",
                  facts={"description": "How do I do this?"})
    values.update(overrides)
    return RequestDraft(**values)


def topic_choices(charter, language):
    """The request form's topic choices (value, label), as the page offers them."""
    with create_app(make_settings(), charter=charter, storage=object()).test_request_context(f"/?lang={language}"):
        return {choice.value: choice.label for choice in request_form(charter, language, []).topic.choices}


# --- G7: Graitec's in-scope topics -----------------------------------------------------------------------------

@pytest.mark.parametrize("topic", ["usage", "hardware_requirements", "licences"])
def test_graitec_takes_usage_hardware_and_licence_questions_as_in_scope_rule_g7(topic):
    """Rule G7: using the software, the hardware it needs, licence information pass intake's scope check."""
    result = check_request(GRAITEC, make_file([make_contract(tier="advantage")]), CATALOG, draft(topic=topic), TODAY)
    assert result.allowed and result.tier == "advantage"


def test_graitec_offers_its_in_scope_topics_on_the_request_form_rule_g7():
    """Rule G7: the customer picks them, with the charter's label (licence contents, re-sending a lost code)."""
    choices = topic_choices(GRAITEC, "fr")
    assert {"usage", "hardware_requirements", "licences"} <= set(choices)
    assert "renvoi de code après perte" in choices["licences"]


def test_graitec_refuses_network_licence_setup_and_installation_beside_its_licence_information_rule_g7():
    """Rules G7, G8: licence information is support; setting up network licences or installing is consulting."""
    file = make_file([make_contract(tier="advantage")])
    for topic in ("network_licences", "installation"):
        with pytest.raises(OutOfScope) as refused:
            check_request(GRAITEC, file, CATALOG, draft(topic=topic), TODAY)
        assert refused.value.topic.id == topic and refused.value.topic.alternative == "consulting"


# --- P3: what Produsoft's maintenance brings -------------------------------------------------------------------

def test_produsoft_maintenance_customers_queue_before_the_others_whatever_the_channel_or_arrival_rule_p3():
    """Rules P3, P1: priority handling under maintenance comes before the web-form priority (P5) and arrival."""
    assert queue_key(PRODUSOFT, "maintenance", "phone", LATE) < queue_key(PRODUSOFT, "none", "web", EARLY)
    assert PRODUSOFT.tier("maintenance").priority < PRODUSOFT.tier("none").priority


def test_produsoft_keeps_every_release_supported_under_its_all_releases_policy_rule_p3():
    """Rule P3: the charter sets no version limit; an eight-year-old release is still supported, every category
    is open to it and it has no end of support (where Graitec's N-1 policy has ended it)."""
    [product] = OLD_RELEASES.products
    statuses = lifecycle(PRODUSOFT.version_policy, product, TODAY)
    assert all(status.supported and status.support_ends is None for status in statuses)
    result = check_request(PRODUSOFT, make_file([make_contract()]), OLD_RELEASES,
                           draft(category="bug", version="2018.1", facts=PRODUSOFT_FACTS), TODAY)
    assert result.allowed and result.release.supported and result.release.phase == "previous"
    assert set(result.categories) == {"support", "bug", "suggestion"}
    assert result.supported_versions == ("2026.1", "2024.1", "2021.1", "2018.1")
    assert not lifecycle(GRAITEC.version_policy, product, TODAY)[0].supported


# --- P11: Produsoft's licences ---------------------------------------------------------------------------------

@pytest.mark.parametrize("topic", ["reinstallation", "licence_transfer"])
def test_produsoft_takes_reinstalling_or_moving_a_licence_as_a_request_to_the_helpdesk_rule_p11(topic):
    """Rule P11: before reinstalling or moving a licence the customer contacts the helpdesk: the request is
    taken, not refused as out of scope."""
    result = check_request(PRODUSOFT, make_file([make_contract()]), CATALOG, draft(topic=topic,
                                                                                   facts=PRODUSOFT_FACTS), TODAY)
    assert result.allowed and result.tier == "maintenance"


def test_produsoft_form_tells_to_contact_the_helpdesk_before_moving_a_licence_rule_p11():
    """Rule P11: the topic offered on the (Dutch) form says to get in touch first."""
    choices = topic_choices(PRODUSOFT, "nl")
    assert "neem eerst contact op" in choices["reinstallation"]
    assert "licence_transfer" in choices and "custom_code" in choices


# --- S10: Systell's project and data files ---------------------------------------------------------------------

def test_systell_accepts_a_request_without_project_files_rule_s10():
    """Rule S10: files are sent on request; the optional "files" fact (kind file) never blocks the request."""
    files = next(fact for fact in SYSTELL.facts_for("support") if fact.id == "files")
    assert files.kind == "file" and not files.required
    request = draft(facts={"description": "The post-processor stops.", "phone": "+33 1 00 00 00 00"})
    assert check_request(SYSTELL, make_file([make_contract()]), CATALOG, request, TODAY).allowed


def test_systell_form_offers_files_as_uploads_not_as_a_text_field_rule_s10(moto_storage, tmp_path):
    """Rule S10: the form carries the upload field; the file fact gets no text field of its own."""
    app = seeded_app(moto_storage, tmp_path, "systell")
    page = signed_in_client(app, PREMIUM).get("/requests/new?lang=fr").get_data(as_text=True)
    assert "data-upload" in page and 'name="fact_phone"' in page and 'name="fact_files"' not in page
    with app.test_request_context("/?lang=fr"):
        assert "files" not in dict(fact_fields(request_form(SYSTELL, "fr", [])))


def test_systell_closes_a_request_while_the_files_asked_for_are_awaited_and_reopens_it_on_arrival_rule_s10():
    """Rules S10, S13: the customer sends files on request; meanwhile the request is closed."""
    asked = [TicketEvent(EventKind.RECEIVED, EARLY, "acme-ann"),
             TicketEvent(EventKind.AWAITING_FILES, EARLY + timedelta(hours=1), "tech-tom")]
    closing = awaiting_files_closure(SYSTELL, "in_progress", asked)
    assert (closing.rule, closing.action) == ("S13", "close")
    arrived = [*asked, TicketEvent(EventKind.FILES_RECEIVED, LATE, "acme-ann")]
    reopening = awaiting_files_closure(SYSTELL, "awaiting_files", arrived)
    assert (reopening.rule, reopening.action, reopening.at) == ("S13", "reopen", LATE)


# --- T10: Techtra's annual maintenance -------------------------------------------------------------------------

def test_techtra_annual_maintenance_is_the_second_tier_and_gives_access_to_the_new_version_rule_t10():
    """Rule T10: under annual maintenance the current version is supported, for questions and fixes alike."""
    assert [tier.id for tier in TECHTRA.tiers].index("maintenance") == 1
    result = check_request(TECHTRA, make_file([make_contract()]), CATALOG,
                           draft(category="bug", facts={"description": "Crash.", "documentation_consulted": "yes"}),
                           TODAY)
    assert result.allowed and result.tier == "maintenance" and result.release.phase == "current"
    assert "bug" in result.categories


def test_techtra_maintenance_does_not_renew_by_itself_and_lapses_at_its_end_rule_t10():
    """Rule T10: annual (12-month) maintenance, renewed by the customer, never automatically; once it has ended
    the customer is one of "everyone else" (T2): still served, at the third priority."""
    assert TECHTRA.contract.renewal_months == 12
    file = make_file([make_contract()])
    [view] = contract_status(TECHTRA, file, CATALOG, TODAY).contracts
    assert view.state == "active" and view.tier.id == "maintenance"
    assert not view.renewal.renews_automatically and view.renewal.next_period_starts == date(2027, 1, 1)
    assert view.renewal.last_day_to_cancel is None and not view.renewal.can_still_cancel
    lapsed = contract_status(TECHTRA, file, CATALOG, date(2027, 1, 1))
    assert lapsed.contracts[0].state == "ended" and lapsed.without_contract_tier.id == "none"


# --- T4: Techtra's escalation procedure ------------------------------------------------------------------------

TOM = make_staff()
ZOE = make_staff(staff_id="tech-zoe", email="zoe@vendor.example", name="Zoe", role="manager")


@pytest.fixture
def techtra_desk(moto_storage):
    return make_desk(moto_storage, TECHTRA, TOM, ZOE)


def test_techtra_complex_request_escalated_to_a_senior_becomes_theirs_with_an_escalated_event_rule_t4(techtra_desk):
    """Rules T4, T6: the escalation procedure hands a support-contract request to a senior colleague, who owns
    it; the history records the escalation, the request stays open and the customer gets no mail."""
    ticket = store_ticket(techtra_desk.tickets, TECHTRA, tier="support_contract", status="in_progress",
                          owner_id="tech-tom")
    done = console.escalate(techtra_desk, TOM, ticket.number, ticket.revision, "senior", "", "Needs a senior.", LATE,
                            colleague_id="tech-zoe")
    saved, events = techtra_desk.tickets.ticket_with_history(ticket.number)
    assert saved.owner_id == "tech-zoe" and saved.status == "escalated" and saved.is_open
    escalated = next(event for event in events if event.kind == EventKind.ESCALATED)
    assert escalated.actor == "tech-tom" and escalated.public
    assert dict(escalated.data) == {"target": "senior", "since": LATE.isoformat(), "rule": "T6",
                                    "colleague": "tech-zoe"}
    assert not done.mailed and techtra_desk.mailer.sent == []


def test_techtra_escalation_procedure_refuses_a_target_it_does_not_know_rule_t4(techtra_desk):
    """Rule T4: only the procedure's targets; nothing is written otherwise."""
    ticket = store_ticket(techtra_desk.tickets, TECHTRA, tier="support_contract", status="in_progress",
                          owner_id="tech-tom")
    with pytest.raises(console.InvalidInput) as refused:
        console.escalate(techtra_desk, TOM, ticket.number, ticket.revision, "director", "", "", LATE)
    assert refused.value.problem == "unknown_target"
    assert techtra_desk.tickets.ticket_with_history(ticket.number)[0].revision == ticket.revision


def test_techtra_keeps_senior_staff_for_support_contract_customers_rule_t6(techtra_desk):
    """Rule T6: access to senior staff is the support contract's; an annual-maintenance request is refused that
    escalation (nothing written) and may still go to R&D or the publisher."""
    assert TECHTRA.senior_staff_for("support_contract") and not TECHTRA.senior_staff_for("maintenance")
    assert GRAITEC.senior_staff_for(GRAITEC.tiers[0].id)  # a charter that reserves it to no tier
    ticket = store_ticket(techtra_desk.tickets, TECHTRA, tier="maintenance", status="in_progress",
                          owner_id="tech-tom")
    with pytest.raises(console.InvalidInput) as refused:
        console.escalate(techtra_desk, TOM, ticket.number, ticket.revision, "senior", "", "", LATE,
                         colleague_id="tech-zoe")
    assert refused.value.problem == "senior_not_in_contract"
    assert techtra_desk.tickets.ticket_with_history(ticket.number)[0].revision == ticket.revision
