"""The staff API for integrations: staff tokens apart from the customers' tokens, each endpoint for its roles,
the technicians' contact attempts and queue through the console services, the meeting list (S8), problem
records (S9, P8), the director's decisions (T8) and follow-up tasks (G3); every answer matches the OpenAPI
document."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jsonschema
import pytest

from portal.domain.tickets import FollowUpTask
from portal.services.api_tokens import authenticate
from portal.services.staff_tokens import authenticate_staff, create_staff_token, revoke_staff_token
from tests.unit.staff.lead_builders import make_ticket, store_ticket
from tests.unit.staff.staff_builders import make_staff, staff_app

TECH = make_staff()
MANAGER = make_staff(staff_id="mia", email="mia@vendor.example", name="Mia", role="manager")
DIRECTOR = make_staff(staff_id="dan", email="dan@vendor.example", name="Dan", role="director")
ADMIN = make_staff(staff_id="ada", email="ada@vendor.example", name="Ada", role="admin")
LONG_AGO = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture
def app(moto_storage, tmp_path):
    application = staff_app(moto_storage, tmp_path, TECH, MANAGER, DIRECTOR, ADMIN)
    store_ticket(moto_storage.tickets, make_ticket("2026-000001", created_at=LONG_AGO, status_since=LONG_AGO,
                                                   owner_id="tech-tom"))
    return application


def headers(app, member) -> dict:
    clear, _token = create_staff_token(app.extensions["portal"].storage.api_tokens, member, "integration",
                                       datetime.now(UTC))
    return {"Authorization": f"Bearer {clear}"}


def matches(document, path: str, method: str, response) -> None:
    declared = document["paths"][path][method]["responses"][str(response.status_code)]
    schema = {**declared["content"]["application/json"]["schema"], "components": document["components"]}
    jsonschema.validate(response.get_json(), schema, cls=jsonschema.Draft202012Validator,
                        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_a_staff_token_is_not_a_customer_token_and_a_revoked_one_stops_working(app):
    storage = app.extensions["portal"].storage
    clear, token = create_staff_token(storage.api_tokens, MANAGER, "crm", datetime.now(UTC))
    assert clear.startswith("st_staff-")
    assert authenticate_staff(storage.api_tokens, storage.staff, clear).staff_id == "mia"
    assert authenticate(storage.api_tokens, "pt_" + clear[3:]) is None  # never a customer's token
    assert authenticate_staff(storage.api_tokens, storage.staff, clear[:-2] + "xx") is None
    assert not revoke_staff_token(storage.api_tokens, "dan", token.token_id)
    assert revoke_staff_token(storage.api_tokens, "mia", token.token_id)
    assert authenticate_staff(storage.api_tokens, storage.staff, clear) is None


def test_a_customer_token_opens_no_staff_endpoint(app):
    from portal.services.api_tokens import create_token
    from tests.builders import make_contact

    clear, _ = create_token(app.extensions["portal"].storage.api_tokens, make_contact(), "mine", datetime.now(UTC))
    response = app.test_client().get("/api/v1/staff/queue", headers={"Authorization": f"Bearer {clear}"})
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthenticated"
    assert app.test_client().get("/api/v1/staff/queue").status_code == 401


def test_a_removed_staff_member_s_token_stops_working(app):
    storage = app.extensions["portal"].storage
    member = make_staff(staff_id="gone", email="gone@vendor.example", role="manager")
    storage.staff.save(member)
    clear, _ = create_staff_token(storage.api_tokens, member, "x", datetime.now(UTC))
    storage.staff.save(make_staff(staff_id="gone", email="gone@vendor.example", role="retired"))
    assert authenticate_staff(storage.api_tokens, storage.staff, clear) is None


@pytest.mark.parametrize(("member", "method", "path", "status"), [
    (ADMIN, "get", "/api/v1/staff/queue", 403), (TECH, "get", "/api/v1/staff/meeting", 403),
    (TECH, "get", "/api/v1/staff/review", 403), (MANAGER, "get", "/api/v1/staff/review", 403),
    (TECH, "get", "/api/v1/staff/tasks", 403), (ADMIN, "get", "/api/v1/staff/problems", 403),
    (TECH, "post", "/api/v1/staff/problems/PB-2026-0001/close", 403),
    (TECH, "get", "/api/v1/staff/queue", 200), (MANAGER, "get", "/api/v1/staff/meeting", 200),
    (DIRECTOR, "get", "/api/v1/staff/review", 200), (MANAGER, "get", "/api/v1/staff/tasks", 200),
])
def test_each_endpoint_admits_its_roles_only(app, member, method, path, status):
    response = getattr(app.test_client(), method)(path, headers=headers(app, member), json={"resolution": "x"})
    assert response.status_code == status
    if status == 403:
        assert response.get_json()["error"]["code"] == "forbidden"


def test_the_telephony_system_logs_a_call_and_the_crm_reads_the_queue(app):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    tech = headers(app, TECH)
    queue = client.get("/api/v1/staff/queue", headers=tech)
    matches(document, "/staff/queue", "get", queue)
    [row] = queue.get_json()["requests"]
    assert row["number"] == "2026-000001" and row["position"] == 1 and row["owner_name"] == "Tom"
    logged = client.post("/api/v1/staff/tickets/2026-000001/contact-attempts", headers=tech,
                         json={"outcome": "voicemail", "revision": row["revision"]})
    assert logged.status_code == 201
    matches(document, "/staff/tickets/{number}/contact-attempts", "post", logged)
    stale = client.post("/api/v1/staff/tickets/2026-000001/contact-attempts", headers=tech,
                        json={"outcome": "reached", "revision": row["revision"]})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "conflict"
    bad = client.post("/api/v1/staff/tickets/2026-000001/contact-attempts", headers=tech, json={"outcome": "maybe"})
    assert bad.status_code == 422 and bad.get_json()["error"]["problem"] == "unknown_outcome"
    missing = client.post("/api/v1/staff/tickets/2026-999999/contact-attempts", headers=tech,
                          json={"outcome": "reached"})
    assert missing.status_code == 404


def test_malformed_bodies_get_a_json_error_with_a_code(app):
    client = app.test_client()
    manager = headers(app, MANAGER)
    not_json = client.post("/api/v1/staff/problems", headers=manager, data="x", content_type="text/plain")
    assert not_json.status_code == 400 and not_json.get_json()["error"]["code"] == "malformed_json"
    wrong = client.post("/api/v1/staff/problems", headers=manager, json={"kind": 3, "title": "", "extra": "x"})
    assert wrong.status_code == 400
    assert set(wrong.get_json()["error"]["fields"]) == {"kind", "title", "extra"}
    unknown = client.post("/api/v1/staff/problems", headers=manager, json={"kind": "rumour", "title": "x"})
    assert unknown.status_code == 422 and unknown.get_json()["error"]["code"] == "unknown_kind"
    bad_filter = client.get("/api/v1/staff/problems?kind=rumour", headers=manager)
    assert bad_filter.status_code == 400


def test_problem_records_through_the_api_refuse_a_misuse_for_quality_control(app):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    tech = headers(app, TECH)
    opened = client.post("/api/v1/staff/problems", headers=tech, json={"kind": "defect", "title": "Export crash"})
    assert opened.status_code == 201
    matches(document, "/staff/problems", "post", opened)
    problem_id = opened.get_json()["id"]
    refused = client.post(f"/api/v1/staff/problems/{problem_id}/links", headers=tech,
                          json={"number": "2026-000001", "cause": "misuse"})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "not_a_defect" and refused.get_json()["error"]["rule"] == "S9"
    linked = client.post(f"/api/v1/staff/problems/{problem_id}/links", headers=tech,
                         json={"number": "2026-000001", "cause": "program_defect"})
    assert linked.status_code == 201 and linked.get_json()["requests"] == ["2026-000001"]
    matches(document, "/staff/problems/{problem_id}/links", "post", linked)
    listed = client.get("/api/v1/staff/problems?kind=defect", headers=tech)
    matches(document, "/staff/problems", "get", listed)
    assert [p["id"] for p in listed.get_json()["problems"]] == [problem_id]
    closed = client.post(f"/api/v1/staff/problems/{problem_id}/close", headers=headers(app, MANAGER),
                         json={"resolution": "Fixed in 2026.2"})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert client.get("/api/v1/staff/problems/PB-2026-9999", headers=tech).status_code == 404


def test_the_meeting_list_and_a_next_step_through_the_api(app):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    manager = headers(app, MANAGER)
    recorded = client.post("/api/v1/staff/meeting/2026-000001/next-step", headers=manager,
                           json={"text": "Call on Monday"})
    assert recorded.status_code == 201
    matches(document, "/staff/meeting/{number}/next-step", "post", recorded)
    meeting = client.get("/api/v1/staff/meeting", headers=manager)
    matches(document, "/staff/meeting", "get", meeting)
    [row] = meeting.get_json()["requests"]
    assert row["next_step"]["text"] == "Call on Monday" and row["age_business_days"] > 10


def test_the_director_decides_through_the_api_once(app):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    director = headers(app, DIRECTOR)
    listed = client.get("/api/v1/staff/review", headers=director)
    matches(document, "/staff/review", "get", listed)
    assert [r["number"] for r in listed.get_json()["requests"]] == ["2026-000001"]
    decided = client.post("/api/v1/staff/review/2026-000001", headers=director,
                          json={"decision": "close_feature_request", "note": "Planned"})
    assert decided.status_code == 200, decided.get_json()
    matches(document, "/staff/review/{number}", "post", decided)
    assert decided.get_json()["status"] == "closed" and decided.get_json()["problem_id"]
    again = client.post("/api/v1/staff/review/2026-000001", headers=director, json={"decision": "close_not_critical"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "not_for_review"
    tasks = client.get("/api/v1/staff/tasks", headers=director)
    matches(document, "/staff/tasks", "get", tasks)
    assert [t["kind"] for t in tasks.get_json()["tasks"]] == ["satisfaction_follow_up"]


def test_a_manager_assigns_and_finishes_a_dissatisfied_answer_through_the_api(app):
    storage = app.extensions["portal"].storage
    ticket = storage.tickets.ticket_with_history("2026-000001")[0]
    now = datetime.now(UTC)
    storage.tickets.apply(ticket, [], None, [FollowUpTask("dissatisfied_survey", "2026-000001", "manager",
                                                          now + timedelta(hours=4), now)])
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    manager = headers(app, MANAGER)
    owned = client.post("/api/v1/staff/tasks/2026-000001/dissatisfied_survey/owner", headers=manager,
                        json={"email": "dan@vendor.example"})
    assert owned.status_code == 200 and owned.get_json()["owner_name"] == "Dan"
    matches(document, "/staff/tasks/{number}/{kind}/owner", "post", owned)
    refused = client.post("/api/v1/staff/tasks/2026-000001/dissatisfied_survey/owner", headers=manager,
                          json={"email": "tom@vendor.example"})
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "unknown_owner"
    other_role = client.post("/api/v1/staff/tasks/2026-000001/dissatisfied_survey/done",
                             headers=headers(app, DIRECTOR), json={"note": "x"})
    assert other_role.status_code == 404
    done = client.post("/api/v1/staff/tasks/2026-000001/dissatisfied_survey/done", headers=manager,
                       json={"note": "Called the customer"})
    assert done.status_code == 200
    matches(document, "/staff/tasks/{number}/{kind}/done", "post", done)
    assert client.get("/api/v1/staff/tasks", headers=manager).get_json()["tasks"] == []


def test_the_openapi_document_describes_every_staff_endpoint(app):
    from portal.api.staff import ACTIONS

    document = app.test_client().get("/api/v1/openapi.json").get_json()
    staff_rules = {rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
                   for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/staff/")}
    staff_rules.discard("/staff/tickets/{number}/{action}")
    staff_rules |= {f"/staff/tickets/{{number}}/{action}" for action in ACTIONS}
    assert staff_rules <= set(document["paths"])
    jsonschema.Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})


def test_an_integration_works_a_request_through_the_console_actions(app):
    client = app.test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    tech = headers(app, TECH)
    read = client.get("/api/v1/staff/tickets/2026-000001", headers=tech)
    matches(document, "/staff/tickets/{number}", "get", read)
    assert read.get_json()["history"][0]["kind"] == "received"
    steps = [("claim", {}), ("notes", {"text": "Looks like the export filter"}),
             ("information-requests", {"text": "Which file do you export?"}),
             ("escalations", {"target": "publisher", "reference": "ADSK-123"}),
             ("resolution", {"text": "Fixed by the publisher's hotfix"}), ("reopening", {"reason": "Back again"})]
    for action, body in steps:
        response = client.post(f"/api/v1/staff/tickets/2026-000001/{action}", headers=tech, json=body)
        assert response.status_code == 200, (action, response.get_json())
        matches(document, f"/staff/tickets/{{number}}/{action}", "post", response)
    history = client.get("/api/v1/staff/tickets/2026-000001", headers=tech).get_json()["history"]
    note = next(e for e in history if e["data"].get("text") == "Looks like the export filter")
    assert note["kind"] == "message" and note["public"] is False
    assert client.get("/api/v1/staff/tickets/2026-999999", headers=tech).status_code == 404


def test_the_console_refuses_through_the_api_what_it_refuses_on_the_page(app):
    client = app.test_client()
    tech = headers(app, TECH)
    missing = client.post("/api/v1/staff/tickets/2026-000001/replies", headers=tech, json={})
    assert missing.status_code == 400 and missing.get_json()["error"]["fields"] == {"text": "is required"}
    no_reference = client.post("/api/v1/staff/tickets/2026-000001/escalations", headers=tech,
                               json={"target": "publisher"})
    assert no_reference.status_code == 422 and no_reference.get_json()["error"]["problem"] == "reference_required"
    reassign = client.post("/api/v1/staff/tickets/2026-000001/owner", headers=tech, json={"owner_id": "dan"})
    assert reassign.status_code == 403  # managers and the director reassign
    unknown = client.post("/api/v1/staff/tickets/2026-000001/teleport", headers=tech, json={})
    assert unknown.status_code == 404
    reopen_open = client.post("/api/v1/staff/tickets/2026-000001/reopening", headers=tech, json={})
    assert reopen_open.status_code == 409 and reopen_open.get_json()["error"]["code"] == "not_allowed"


@pytest.mark.parametrize("body", [
    b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}",  # deeper than the parser goes: a RecursionError
    b'{"text": "ok \\ud800"}',  # a lone surrogate: not UTF-8, it would break the request's page once stored
])
def test_json_the_portal_cannot_take_answers_400_on_the_staff_api_and_is_not_stored(app, body):
    client = app.test_client()
    answer = client.post("/api/v1/staff/tickets/2026-000001/notes", data=body,
                         headers={**headers(app, TECH), "Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "malformed_json"


def test_a_lone_surrogate_in_a_customers_request_answers_400(moto_storage, tmp_path):
    from tests.unit.api_tickets.api_builders import ticket_api_app, token_headers

    customer_app = ticket_api_app(moto_storage, tmp_path)
    answer = customer_app.test_client().post(
        "/api/v1/tickets", data=b'{"category": "bug", "subject": "\\udfff"}',
        headers={**token_headers(customer_app), "Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "malformed_json"
    assert customer_app.extensions["portal"].storage.tickets.of_company("demo-1") == []
