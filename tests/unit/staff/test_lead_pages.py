"""The managers', director's and technicians' oversight pages: who may open which (403 otherwise), the meeting
list and its CSV (S8), problem records (S9, P8), the director's decisions (T8), the follow-up tasks (G3)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from portal.domain.tickets import FollowUpTask
from tests.unit.staff.lead_builders import make_ticket, store_ticket
from tests.unit.staff.staff_builders import make_staff, staff_app, staff_client

TECH = make_staff()
MANAGER = make_staff(staff_id="mia", email="mia@vendor.example", name="Mia", role="manager")
DIRECTOR = make_staff(staff_id="dan", email="dan@vendor.example", name="Dan", role="director")
ADMIN = make_staff(staff_id="ada", email="ada@vendor.example", name="Ada", role="admin")
LONG_AGO = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture
def app(moto_storage, tmp_path):
    application = staff_app(moto_storage, tmp_path, TECH, MANAGER, DIRECTOR, ADMIN)
    store_ticket(moto_storage.tickets, make_ticket("2026-000001", created_at=LONG_AGO, status_since=LONG_AGO,
                                                   owner_id="tech-tom", subject='=HYPERLINK("http://evil")'))
    return application


def client_of(app, member):
    return staff_client(app, member.email)


@pytest.mark.parametrize(("member", "path", "status"), [
    (TECH, "/staff/meeting", 403), (TECH, "/staff/meeting.csv", 403), (TECH, "/staff/review", 403),
    (TECH, "/staff/tasks", 403), (TECH, "/staff/problems", 200), (ADMIN, "/staff/problems", 403),
    (ADMIN, "/staff/meeting", 403), (MANAGER, "/staff/review", 403), (MANAGER, "/staff/meeting", 200),
    (MANAGER, "/staff/tasks", 200), (DIRECTOR, "/staff/review", 200), (DIRECTOR, "/staff/meeting", 200),
])
def test_each_page_admits_its_roles_only(app, member, path, status):
    with client_of(app, member).get(path) as response:
        assert response.status_code == status


def test_without_a_staff_session_the_pages_send_to_the_staff_login(app):
    with app.test_client().get("/staff/meeting") as response:
        assert response.status_code == 302 and "/staff/login" in response.location


def test_the_menu_shows_each_role_its_own_pages(app):
    with client_of(app, MANAGER).get("/staff/") as response:
        page = response.get_data(as_text=True)
    assert "/staff/meeting" in page and "/staff/tasks" in page and "/staff/review" not in page
    with client_of(app, DIRECTOR).get("/staff/") as response:
        assert "/staff/review" in response.get_data(as_text=True)


def test_the_meeting_list_shows_the_request_with_its_age_and_owner(app):
    with client_of(app, MANAGER).get("/staff/meeting") as response:
        page = response.get_data(as_text=True)
    assert "2026-000001" in page and "Tom" in page
    assert '=HYPERLINK(&#34;http://evil&#34;)' in page or "=HYPERLINK(&quot;http://evil&quot;)" in page


def test_the_meeting_csv_keeps_a_formula_like_subject_as_text(app):
    with client_of(app, MANAGER).get("/staff/meeting.csv?lang=en") as response:
        assert response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["Request", "Subject", "Company"]
    assert rows[1][0] == "2026-000001" and rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][6] == "Tom"


def test_a_next_step_recorded_at_the_meeting_shows_on_the_list(app):
    client = client_of(app, MANAGER)
    with client.post("/staff/meeting/2026-000001/next-step", data={"text": "Call the customer on Monday"}) as r:
        assert r.status_code == 302
    with client.get("/staff/meeting") as response:
        assert "Call the customer on Monday" in response.get_data(as_text=True)
    with client.post("/staff/meeting/2026-999999/next-step", data={"text": "x"}) as response:
        assert response.status_code == 404


def test_a_technician_opens_a_defect_record_and_links_a_request_but_not_a_misuse(app):
    client = client_of(app, TECH)
    with client.post("/staff/problems", data={"kind": "defect", "title": "Export crash", "product": "alpha-cam",
                                              "version": "2026.1"}) as response:
        assert response.status_code == 302
        record_path = response.location
    problem_id = record_path.rsplit("/", 1)[1]
    with client.post(f"/staff/problems/{problem_id}/link", data={"number": "2026-000001", "cause": "misuse"},
                     follow_redirects=True) as response:
        assert "rule S9" in response.get_data(as_text=True)
    with client.post(f"/staff/problems/{problem_id}/link", data={"number": "2026-000001",
                                                                  "cause": "program_defect"},
                     follow_redirects=True) as response:
        page = response.get_data(as_text=True)
    assert "2026-000001 linked" in page
    assert app.extensions["portal"].storage.problems.get(problem_id).tickets == ("2026-000001",)


def test_a_record_without_a_title_is_refused_with_a_message_not_an_error(app):
    with client_of(app, TECH).post("/staff/problems", data={"kind": "defect", "title": ""}) as response:
        assert response.status_code == 400
        assert "This field is required" in response.get_data(as_text=True)


def test_only_managers_and_the_director_close_a_record(app):
    client = client_of(app, TECH)
    with client.post("/staff/problems", data={"kind": "feature", "title": "Dark mode"}) as response:
        problem_id = response.location.rsplit("/", 1)[1]
    with client.post(f"/staff/problems/{problem_id}/close", data={"resolution": "Planned"}) as response:
        assert response.status_code == 403
    with client_of(app, MANAGER).post(f"/staff/problems/{problem_id}/close",
                                      data={"resolution": "Planned for 2027.1"}) as response:
        assert response.status_code == 302
    assert app.extensions["portal"].storage.problems.get(problem_id).status == "closed"


def test_the_director_escalates_a_malfunction_to_the_problem_database(app):
    client = client_of(app, DIRECTOR)
    with client.get("/staff/review") as response:
        assert "2026-000001" in response.get_data(as_text=True)
    with client.post("/staff/review/2026-000001", data={"decision": "escalate_malfunction",
                                                        "note": "Told the customer a fix is coming"}) as response:
        assert response.status_code == 302
    storage = app.extensions["portal"].storage
    assert storage.tickets.ticket_with_history("2026-000001")[0].status == "escalated"
    assert storage.problems.linked_problem("2026-000001")
    with client.get("/staff/tasks") as response:
        assert "Satisfaction follow-up" in response.get_data(as_text=True)
    with client.post("/staff/review/2026-000001", data={"decision": "close_not_critical"},
                     follow_redirects=True) as response:
        assert "not waiting for your review" in response.get_data(as_text=True)


def test_a_manager_takes_a_dissatisfied_answer_and_marks_it_done(app):
    storage = app.extensions["portal"].storage
    ticket = storage.tickets.ticket_with_history("2026-000001")[0]
    now = datetime.now(UTC)
    storage.tickets.apply(ticket, [], None, [FollowUpTask("dissatisfied_survey", "2026-000001", "manager",
                                                          now - timedelta(hours=1), now)])
    client = client_of(app, MANAGER)
    with client.get("/staff/tasks") as response:
        page = response.get_data(as_text=True)
    assert "Dissatisfied survey answer" in page and "overdue" in page
    with client.post("/staff/tasks/2026-000001/dissatisfied_survey/take") as response:
        assert response.status_code == 302
    with client.post("/staff/tasks/2026-000001/dissatisfied_survey/assign", data={"email": "tom@vendor.example"},
                     follow_redirects=True) as response:
        assert "No staff member with this address may own this task" in response.get_data(as_text=True)
    with client_of(app, DIRECTOR).post("/staff/tasks/2026-000001/dissatisfied_survey/done",
                                       data={"note": "x"}) as response:
        assert response.status_code == 404  # a manager's task, not the director's
    with client.post("/staff/tasks/2026-000001/dissatisfied_survey/done", data={"note": "Called them"}) as response:
        assert response.status_code == 302
    assert storage.tickets.open_tasks("manager") == []


def test_forms_without_the_csrf_token_are_refused(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    with client.get("/staff/login") as page:
        token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    with client.post("/staff/login", data={"email": MANAGER.email, "password": "staff password 123",
                                           "csrf_token": token}) as response:
        assert response.status_code == 302
    with client.post("/staff/meeting/2026-000001/next-step", data={"text": "x"}) as response:
        assert response.status_code == 400
