"""The queue and the request page through the test client: roles, actions, conflicts, what the customer sees."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from portal.domain.charter import load_charter
from portal.domain.history import EventKind
from tests.builders import make_contact
from tests.unit.staff.staff_builders import make_staff, staff_app, staff_client, store_ticket

CHARTER = load_charter("example")
TOM = make_staff()
ZOE = make_staff(staff_id="tech-zoe", email="zoe@vendor.example", name="Zoe")
MIA = make_staff(staff_id="boss-mia", email="mia@vendor.example", name="Mia", role="manager")
ADA = make_staff(staff_id="admin-ada", email="ada@vendor.example", name="Ada", role="admin")


@pytest.fixture
def app(moto_storage, tmp_path):
    moto_storage.accounts.save_contact(make_contact())
    return staff_app(moto_storage, tmp_path, TOM, ZOE, MIA, ADA)


def storage_of(app):
    return app.extensions["portal"].storage


def stored(app, **overrides):
    return store_ticket(storage_of(app).tickets, CHARTER, **overrides)


def saved(app, number="2026-000001"):
    return storage_of(app).tickets.ticket_with_history(number)


def outbox(app):
    return app.extensions["portal"].mailer.messages()


def page(response) -> str:
    text = response.get_data(as_text=True)
    response.close()
    return text.replace("&#39;", "'")


def act(client, ticket, action, **data):
    return client.post(f"/staff/requests/{ticket.number}/{action}?lang=en",
                       data={"revision": ticket.revision, **data})


# --- the queue -----------------------------------------------------------------------------------------------


def test_the_queue_lists_open_requests_in_charter_order_with_the_time_left(app):
    now = datetime.now(UTC)
    stored(app, number="2026-000001", tier="standard", created_at=now - timedelta(minutes=30),
           response_due=now + timedelta(days=3))
    stored(app, number="2026-000002", tier="premium", channel="email", created_at=now - timedelta(minutes=20),
           response_due=now + timedelta(days=3))
    stored(app, number="2026-000003", tier="premium", channel="web", created_at=now - timedelta(minutes=10),
           response_due=now + timedelta(days=3))
    stored(app, number="2026-000004", status="closed")
    text = page(staff_client(app).get("/staff/queue?lang=en"))
    numbers = re.findall(r"/staff/requests/(2026-\d{6})", text)
    assert numbers == ["2026-000003", "2026-000002", "2026-000001"]  # tier (T2), then channel (P5), then arrival
    assert " left" in text


def test_an_overdue_request_stands_out(app):
    now = datetime.now(UTC)
    stored(app, number="2026-000001", created_at=now - timedelta(days=10), response_due=now - timedelta(days=7))
    text = page(staff_client(app).get("/staff/queue?lang=en"))
    assert 'class="overdue"' in text and "overdue by" in text


def test_an_answered_request_shows_the_commitment_met(app):
    now = datetime.now(UTC)
    stored(app, created_at=now - timedelta(days=10), response_due=now - timedelta(days=7), answered_at=now,
           status="in_progress", owner_id="tech-tom")
    text = page(staff_client(app).get("/staff/queue?lang=en"))
    assert "answered" in text and 'class="overdue"' not in text


@pytest.mark.parametrize("query, expected", [
    ("product=beta-cad", ["2026-000002"]),
    ("severity=1", ["2026-000003"]),
    ("owner=mine", ["2026-000002"]),
    ("owner=none", ["2026-000001", "2026-000003"]),
    ("state=in_progress", ["2026-000002"]),
    ("owner=tech-zoe", []),
])
def test_the_queue_filters_by_product_severity_owner_and_state(app, query, expected):
    base = datetime.now(UTC) - timedelta(hours=1)
    stored(app, number="2026-000001", created_at=base)
    stored(app, number="2026-000002", created_at=base + timedelta(minutes=1), product_id="beta-cad",
           owner_id="tech-tom", status="in_progress")
    stored(app, number="2026-000003", created_at=base + timedelta(minutes=2), severity=1)
    text = page(staff_client(app).get(f"/staff/queue?lang=en&{query}"))
    assert re.findall(r"/staff/requests/(2026-\d{6})", text) == expected


def test_staff_land_on_the_queue_after_signing_in(app):
    response = app.test_client().post("/staff/login", data={"email": "tom@vendor.example",
                                                            "password": "staff password 123"})
    assert response.headers["Location"] == "/staff/queue"


def test_an_admin_does_not_see_the_queue_nor_act_on_requests(app):
    ticket = stored(app)
    client = staff_client(app, "ada@vendor.example")
    assert client.get("/staff/queue").status_code == 403
    assert act(client, ticket, "reply", text="Hello").status_code == 403
    assert saved(app)[0].revision == ticket.revision


def test_a_customer_session_never_reaches_the_console(app):
    ticket = stored(app)
    client = app.test_client()
    client.post("/login", data={"email": "ann@acme.example", "password": "correct horse battery"})
    for response in (client.get("/staff/queue"), client.get(f"/staff/requests/{ticket.number}"),
                     act(client, ticket, "reply", text="I am support")):
        assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert len(saved(app)[1]) == 1


# --- the request page and its actions ------------------------------------------------------------------------


def test_the_request_page_shows_internal_notes_marked_and_only_the_actions_the_state_allows(app):
    ticket = stored(app, status="closed")
    client = staff_client(app)
    assert act(client, ticket, "note", text="Called back, all fine.").status_code == 302
    text = page(client.get(f"/staff/requests/{ticket.number}?lang=en"))
    assert "Called back, all fine." in text and "internal, the customer does not see it" in text
    assert "/reply" not in text and "/reopen" in text


def test_a_technician_claims_then_replies_and_the_customer_gets_the_mail(app):
    ticket = stored(app)
    client = staff_client(app)
    response = act(client, ticket, "claim")
    assert response.status_code == 302
    ticket = saved(app)[0]
    assert ticket.owner_id == "tech-tom"
    response = act(client, ticket, "reply", text="Install patch 3.")
    assert response.status_code == 302
    assert "Your answer is sent to the customer." in page(client.get(response.headers["Location"] + "?lang=en"))
    assert [m["To"] for m in outbox(app)] == ["ann@acme.example"]
    assert "Install patch 3." in outbox(app)[0].get_content()


def test_each_action_through_the_page_records_its_event(app):
    client = staff_client(app)
    steps = [("contact", {"outcome": "voicemail"}, EventKind.CONTACT_ATTEMPT, "in_progress"),
             ("ask_information", {"text": "Which version?"}, EventKind.WAITING_CUSTOMER, "waiting_customer"),
             ("escalate", {"target": "publisher", "reference": "ADSK-1"}, EventKind.ESCALATED, "escalated"),
             ("ask_files", {"text": "The log please"}, EventKind.AWAITING_FILES, "awaiting_files"),
             ("reopen", {}, EventKind.REOPENED, "in_progress"),
             ("resolve", {"text": "Patched."}, EventKind.RESOLVED, "resolved"),
             ("reopen", {}, EventKind.REOPENED, "in_progress")]
    ticket = stored(app)
    for action, data, kind, state in steps:
        response = act(client, ticket, action, **data)
        assert response.status_code == 302, (action, page(response))
        ticket, events = saved(app)
        assert ticket.status == state and kind in {e.kind for e in events[-2:]}, action
    subjects = [m["Subject"] for m in outbox(app)]
    assert len(subjects) == 6  # information, publisher, files, reopened, resolved, reopened; the call sends none
    assert any("publisher" in s for s in subjects)


def test_escalating_to_a_senior_colleague_by_email_address(app):
    ticket = stored(app, status="in_progress", owner_id="tech-tom")
    response = act(staff_client(app), ticket, "escalate", target="senior", colleague="mia@vendor.example")
    assert response.status_code == 302 and saved(app)[0].owner_id == "boss-mia"


def test_a_bad_escalation_gets_a_message_next_to_the_form_and_keeps_what_was_typed(app):
    ticket = stored(app, status="in_progress", owner_id="tech-tom")
    response = act(staff_client(app), ticket, "escalate", target="publisher", reference="", text="See log")
    assert response.status_code == 422
    text = page(response)
    assert "The publisher's reference is needed." in text and "See log" in text


def test_an_action_the_state_does_not_allow_gets_a_clear_message_and_changes_nothing(app):
    ticket = stored(app, status="closed")
    response = act(staff_client(app), ticket, "resolve")
    assert response.status_code == 409
    assert "This is not possible while the request is closed." in page(response)
    assert saved(app)[0] == ticket


def test_the_second_technician_is_told_the_request_changed_sees_the_new_state_and_keeps_the_text(app):
    ticket = stored(app)
    zoe, tom = staff_client(app, "zoe@vendor.example"), staff_client(app)
    assert act(zoe, ticket, "reply", text="Zoe: restart the service.").status_code == 302
    response = act(tom, ticket, "reply", text="Tom: reinstall everything.")
    assert response.status_code == 409
    text = page(response)
    assert "The request changed meanwhile" in text
    assert "Zoe: restart the service." in text  # the new state
    assert "Tom: reinstall everything." in text  # what Tom typed, kept to send again
    again = re.search(r'name="revision" value="(\d+)"', text).group(1)
    assert tom.post(f"/staff/requests/{ticket.number}/reply",
                    data={"revision": again, "text": "Tom: reinstall everything."}).status_code == 302
    texts = [e.data.get("text") for e in saved(app)[1] if e.kind == EventKind.MESSAGE]
    assert texts == ["Zoe: restart the service.", "Tom: reinstall everything."]


def test_a_manager_reassigns_and_a_technician_may_not(app):
    ticket = stored(app, status="in_progress", owner_id="tech-zoe")
    assert act(staff_client(app), ticket, "reassign", colleague="tom@vendor.example").status_code == 403
    assert act(staff_client(app, "mia@vendor.example"), ticket, "reassign",
               colleague="tom@vendor.example").status_code == 302
    assert saved(app)[0].owner_id == "tech-tom"


def test_an_unknown_request_or_action_is_404(app):
    client = staff_client(app)
    assert client.get("/staff/requests/2026-999999").status_code == 404
    ticket = stored(app)
    assert act(client, ticket, "delete").status_code == 404


def test_the_forms_carry_a_csrf_token_and_a_post_without_it_is_refused(app):
    ticket = stored(app)
    client = staff_client(app)
    app.config["WTF_CSRF_ENABLED"] = True
    assert 'name="csrf_token"' in page(client.get(f"/staff/requests/{ticket.number}"))
    assert act(client, ticket, "reply", text="Hi").status_code == 400


# --- what the customer sees -----------------------------------------------------------------------------------


def test_the_customer_never_sees_internal_notes_and_sees_since_when_the_publisher_has_it(app):
    ticket = stored(app, status="in_progress", owner_id="tech-tom")
    tom = staff_client(app)
    act(tom, ticket, "note", text="SECRET internal remark")
    act(tom, saved(app)[0], "escalate", target="publisher", reference="ADSK-9", text="SECRET escalation remark")
    customer = app.test_client()
    customer.post("/login", data={"email": "ann@acme.example", "password": "correct horse battery"})
    text = page(customer.get(f"/requests/{ticket.number}?lang=en"))
    assert "SECRET" not in text
    assert "With the publisher since" in text


def test_an_admin_may_read_a_request_but_is_offered_no_action(app):
    ticket = stored(app)
    text = page(staff_client(app, "ada@vendor.example").get(f"/staff/requests/{ticket.number}?lang=en"))
    assert ticket.number in text and f"/staff/requests/{ticket.number}/" not in text


def test_a_director_works_requests_too(app, moto_storage):
    moto_storage.staff.save(make_staff(staff_id="dir-dan", email="dan@vendor.example", name="Dan", role="director"))
    ticket = stored(app)
    assert act(staff_client(app, "dan@vendor.example"), ticket, "reply", text="From the director").status_code == 302
    assert saved(app)[0].owner_id == "dir-dan"


def test_a_form_that_is_not_the_right_shape_gets_a_message_not_an_error(app):
    ticket = stored(app)
    response = staff_client(app).post(f"/staff/requests/{ticket.number}/reply?lang=en",
                                      data={"revision": "abc", "text": "Hi"})
    assert response.status_code == 422 and "This form has expired" in page(response)
    assert saved(app)[0] == ticket
