"""The e-mail channel end to end on moto: requests opened, replies added, senders answered, loops avoided."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from portal.domain.accounts import Contact
from portal.domain.history import EventKind, TicketEvent
from portal.services.mail_intake import Verdicts, receive_mail
from tests.unit.mail_intake.mail_builders import PORTAL_URL, make_desk, sample

MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Paris


@pytest.fixture
def desk(moto_storage, tmp_path):
    return make_desk(moto_storage, tmp_path)


def history(desk, number):
    return desk.tickets.ticket_with_history(number)


def outbox(desk):
    return desk.mailer.messages()


def numbers(desk, company="demo-1"):
    return [summary.number for summary in desk.tickets.of_company(company)]


def test_a_plain_french_message_opens_a_request_on_the_product_line_of_its_address(desk):
    """Rule P5: cam.support@ is the cam line, where the company runs one product (Alpha CAM)."""
    outcome = receive_mail(desk, sample("french_plain.eml"), MONDAY_10)
    assert (outcome.action, outcome.number) == ("opened", "2026-000001")
    ticket, events = history(desk, "2026-000001")
    assert ticket.channel == "email" and ticket.contact_id == "demo-1-owner" and ticket.tier == "premium"
    assert ticket.subject == "Le post-processeur plante à l'export" and ticket.product_id == "alpha-cam"
    received, note = events
    assert received.kind == EventKind.RECEIVED and received.public
    assert "plante à chaque export de la pièce" in received.data["description"]
    assert note.kind == EventKind.MESSAGE and not note.public


def test_what_the_message_leaves_open_goes_to_the_technician_never_guessed_silently(desk):
    """Severity unset (provisional 3), the version (two installed), left in an internal note."""
    outcome = receive_mail(desk, sample("french_plain.eml"), MONDAY_10)
    assert set(outcome.notes) >= {"severity", "version", "category"}
    ticket, events = history(desk, outcome.number)
    assert ticket.severity == 3 and ticket.version is None
    note = events[-1].data["text"]
    assert "Gravité non indiquée" in note and "Version à déterminer" in note


def test_the_acknowledgement_carries_number_due_time_explanation_and_link_in_the_contacts_language(desk):
    receive_mail(desk, sample("french_plain.eml"), MONDAY_10)
    [ack] = outbox(desk)
    assert ack["To"] == "owner@customer1.example" and ack["Subject"].startswith("[2026-000001]")
    text = ack.get_body(("plain",)).get_content()
    assert "2026-000001" in text and "Échéance" in text and "heures ouvrées" in text
    assert f"{PORTAL_URL}/requests/2026-000001" in text
    assert "gravité" in text.lower()  # the severity is left to the technician, and the customer is told
    assert ack["In-Reply-To"] == "<CAF=french.plain.1@mail.customer1.example>"
    assert ack["Auto-Submitted"] == "auto-replied"
    assert ack["Message-ID"].startswith("<ticket.2026-000001.")


def test_an_urgent_outlook_message_in_windows_1252_is_severity_1(desk):
    outcome = receive_mail(desk, sample("windows_1252_outlook.eml"), MONDAY_10)
    ticket, events = history(desk, outcome.number)
    assert ticket.severity == 1 and "severity" not in outcome.notes
    assert ticket.subject == "Problème d’affichage – urgent"
    assert "ancienne demande" not in events[0].data["description"]
    assert ticket.response_due == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # rule E10: premium 2 business hours


def test_an_html_only_message_is_kept_as_safe_text_and_its_stated_version_is_used(desk):
    outcome = receive_mail(desk, sample("html_only.eml"), MONDAY_10)
    ticket, events = history(desk, outcome.number)
    assert ticket.contact_id == "demo-3-owner" and (ticket.product_id, ticket.version) == ("struct-design", "26")
    assert "<" not in events[0].data["description"] and "alert" not in events[0].data["description"]


def test_attachments_are_kept_as_request_files_with_the_upload_checks(desk):
    outcome = receive_mail(desk, sample("multipart_attachments.eml"), MONDAY_10)
    _ticket, events = history(desk, outcome.number)
    import json

    files = json.loads(events[0].data["files"])
    assert [(f["name"], f["kind"]) for f in files] == [("screenshot.png", "png"), ("export-report.pdf", "pdf")]
    assert all(f["key"].startswith("uploads/demo-1/") and desk.files.head(f["key"]) for f in files)
    assert "fix-tool.exe" in events[-1].data["text"] and not events[-1].public
    [ack] = outbox(desk)
    assert "fix-tool.exe" in ack.get_body(("plain",)).get_content()


def test_a_reply_from_a_mail_client_joins_its_request_and_reopens_it_when_files_were_awaited(desk):
    """Rules P9 and S13: the request awaits files; the reply brings a log; quoted text is folded away."""
    receive_mail(desk, sample("french_plain.eml"), MONDAY_10)
    ticket, _events = history(desk, "2026-000001")
    asked = TicketEvent(EventKind.AWAITING_FILES, MONDAY_10, "staff-technician", True, {"rule": "S13"})
    desk.tickets.apply(replace(ticket, status="awaiting_files"), [asked], None)
    outcome = receive_mail(desk, sample("gmail_reply_with_log.eml"), MONDAY_10.replace(hour=13))
    assert (outcome.action, outcome.reason, outcome.number) == ("added", "S13", "2026-000001")
    ticket, events = history(desk, "2026-000001")
    assert ticket.status == "in_progress"
    replied = [e for e in events if e.kind == EventKind.CUSTOMER_REPLIED]
    assert [e.data["text"] for e in replied] == [
        "Voici le fichier de log demandé. Le problème arrive aussi sur un deuxième poste."]
    assert [e.kind for e in events][-2:] == [EventKind.FILES_RECEIVED, EventKind.REOPENED]
    assert numbers(desk) == ["2026-000001"]


def test_a_reply_to_a_closed_request_opens_a_new_one_that_follows_it(desk):
    receive_mail(desk, sample("french_plain.eml"), MONDAY_10)
    ticket, _events = history(desk, "2026-000001")
    closed = TicketEvent(EventKind.CLOSED, MONDAY_10, "staff-technician", True, {"reason": "S14"})
    desk.tickets.apply(replace(ticket, status="closed"), [closed], None)
    outcome = receive_mail(desk, sample("gmail_reply_with_log.eml"), MONDAY_10.replace(hour=13))
    assert outcome.action == "opened" and outcome.number == "2026-000002" and outcome.notes[0] == "closed"
    _ticket, events = history(desk, "2026-000002")
    assert "2026-000001" in events[-1].data["text"]


def test_the_same_message_twice_creates_nothing_new(desk):
    first = receive_mail(desk, sample("french_plain.eml"), MONDAY_10)
    again = receive_mail(desk, sample("french_plain.eml"), MONDAY_10)
    assert (again.action, again.number) == ("duplicate", first.number)
    assert numbers(desk) == [first.number] and len(outbox(desk)) == 1


def test_the_same_reply_twice_is_added_once(desk):
    receive_mail(desk, sample("french_plain.eml"), MONDAY_10)
    receive_mail(desk, sample("gmail_reply_with_log.eml"), MONDAY_10)
    again = receive_mail(desk, sample("gmail_reply_with_log.eml"), MONDAY_10)
    assert again.action == "duplicate"
    _ticket, events = history(desk, "2026-000001")
    assert sum(e.kind == EventKind.CUSTOMER_REPLIED for e in events) == 1


@pytest.mark.parametrize("name", ["out_of_office.eml", "vacation_precedence.eml", "bounce.eml"])
def test_auto_replies_and_bounces_never_create_requests_or_answers(desk, name):
    receive_mail(desk, sample("french_plain.eml"), MONDAY_10)
    outcome = receive_mail(desk, sample(name), MONDAY_10)
    assert outcome.action == "ignored"
    assert numbers(desk) == ["2026-000001"] and len(outbox(desk)) == 1
    assert [e.kind for e in history(desk, "2026-000001")[1]] == [EventKind.RECEIVED, EventKind.MESSAGE]


@pytest.mark.parametrize("verdict", [dict(spam="FAIL"), dict(virus="FAIL"), dict(spf="FAIL"), dict(dkim="FAIL")])
def test_a_message_failing_a_verdict_is_set_aside(desk, verdict):
    outcome = receive_mail(desk, sample("french_plain.eml"), MONDAY_10, verdicts=Verdicts(**verdict))
    assert outcome.action == "set_aside" and numbers(desk) == [] and outbox(desk) == []


def test_a_malformed_message_is_rejected_with_its_reason(desk, caplog):
    outcome = receive_mail(desk, sample("malformed.eml"), MONDAY_10)
    assert (outcome.action, outcome.reason) == ("rejected", "malformed")
    assert numbers(desk) == [] and outbox(desk) == []


def test_an_unknown_dutch_sender_is_answered_in_dutch_once_and_no_request_is_opened(desk):
    outcome = receive_mail(desk, sample("dutch_unknown.eml"), MONDAY_10)
    again = receive_mail(desk, sample("dutch_unknown.eml"), MONDAY_10)
    assert (outcome.action, outcome.reason, again.action) == ("answered", "unknown_sender", "duplicate")
    [reply] = outbox(desk)
    assert reply["To"] == "jan.peeters@onbekend.example" and reply["Content-Language"] == "nl"
    assert reply["Subject"] == "Re: Vraag over de licentie" and reply["Auto-Submitted"] == "auto-replied"
    assert "wederverkoper" in reply.get_body(("plain",)).get_content()


def test_a_dutch_message_from_a_known_contact_is_acknowledged_in_dutch(desk):
    desk.accounts.save_contact(Contact("demo-1-sanne", "demo-1", "sanne@klant.example", "Sanne", "nl"))
    outcome = receive_mail(desk, sample("dutch_known.eml"), MONDAY_10)
    ticket, _events = history(desk, outcome.number)
    assert (ticket.product_id, ticket.version) == ("alpha-cam", "2026.1")
    [ack] = outbox(desk)
    assert ack["Content-Language"] == "nl" and "ontvangen" in ack.get_body(("plain",)).get_content()


def test_a_latin_1_message_is_read_and_filed(desk):
    outcome = receive_mail(desk, sample("latin1.eml"), MONDAY_10)
    ticket, _events = history(desk, outcome.number)
    assert ticket.subject == "Question sur les réglages"


def test_a_company_whose_designated_contacts_are_untrained_gets_an_answer_in_their_language(desk):
    """Rule P2: Demo Customer 2's deputy has not followed the training yet; its contacts speak Dutch."""
    raw = sample("french_plain.eml", **{"Owner@Customer1.example": "owner@customer2.example"})
    outcome = receive_mail(desk, raw, MONDAY_10)
    assert (outcome.action, outcome.reason) == ("answered", "designated_contacts_untrained")
    [reply] = outbox(desk)
    assert reply["Content-Language"] == "nl" and "Beste Owner 2" in reply.get_body(("plain",)).get_content()
    assert numbers(desk, "demo-2") == []


def test_a_tier_without_e_mail_is_told_to_use_the_portal(desk):
    """Rule E5: the channels of the sender's tier."""
    tiers = tuple(replace(t, channels=("web",)) if t.id == "basic" else t for t in desk.charter.tiers)
    desk = replace(desk, charter=replace(desk.charter, tiers=tiers))
    outcome = receive_mail(desk, sample("html_only.eml"), MONDAY_10)
    assert (outcome.action, outcome.reason) == ("answered", "email_not_in_tier")
    text = outbox(desk)[0].get_body(("plain",)).get_content()
    assert "e-mail" in text and PORTAL_URL in text
    assert numbers(desk, "demo-3") == []


def test_an_end_customer_whose_reseller_did_not_buy_the_option_is_sent_to_the_reseller(desk):
    """Rule E4."""
    tiers = tuple(replace(t, end_customers_via_reseller=False) for t in desk.charter.tiers)
    desk = replace(desk, charter=replace(desk.charter, tiers=tiers))
    raw = sample("french_plain.eml", **{"Owner@Customer1.example": "owner@endcustomer.example"})
    outcome = receive_mail(desk, raw, MONDAY_10)
    assert (outcome.action, outcome.reason) == ("answered", "contact_your_reseller")
    assert "revendeur" in outbox(desk)[0].get_body(("plain",)).get_content()


def test_an_unknown_sender_is_answered_once_a_day_so_a_careless_auto_responder_cannot_loop_with_us(desk):
    """An auto-responder without Auto-Submitted answers our answer with a new Message-ID each time."""
    outcomes = [receive_mail(desk, sample("dutch_unknown.eml", **{"dutch.1": f"dutch.{n}"}), MONDAY_10).action
                for n in range(3)]
    assert outcomes == ["answered", "ignored", "ignored"] and len(outbox(desk)) == 1
    tuesday = receive_mail(desk, sample("dutch_unknown.eml", **{"dutch.1": "dutch.9"}), MONDAY_10.replace(day=24))
    assert tuesday.action == "answered"


def test_a_message_to_a_product_line_the_contract_does_not_cover_is_answered_with_the_products_name(desk):
    """Rules S1, E1 as the web form says them: no contract in force covers the product the address names."""
    from portal.domain.accounts import DemoData

    [contract] = desk.accounts.company_file("demo-3").contracts
    desk.accounts.save_demo(DemoData(contracts=(replace(contract, products=("alpha-cam",)),)))
    outcome = receive_mail(desk, sample("html_only.eml"), MONDAY_10)
    assert (outcome.action, outcome.reason) == ("answered", "no_contract")
    assert "Struct Design" in outbox(desk)[0].get_body(("plain",)).get_content()


def test_a_pasted_screenshot_is_kept_and_a_refused_signature_logo_only_goes_to_the_technicians_note(desk):
    """The example charter takes png, not gif: the customer is not told about their signature's logo."""
    outcome = receive_mail(desk, sample("outlook_inline_images.eml"), MONDAY_10)
    _ticket, events = history(desk, outcome.number)
    import json

    assert [f["name"] for f in json.loads(events[0].data["files"])] == ["image002.png"]
    assert "image001.gif" in events[-1].data["text"] and not events[-1].public
    assert "image001.gif" not in outbox(desk)[0].get_body(("plain",)).get_content()
