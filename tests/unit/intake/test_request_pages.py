"""Filing and following a request through the pages, in the customer's language."""

import re

import pytest

from tests.builders import seeded_app, signed_in_client

PREMIUM = "owner@customer1.example"


@pytest.fixture
def app(moto_storage, tmp_path):
    return seeded_app(moto_storage, tmp_path)


def form(**overrides):
    values = {"category": "bug", "product": "alpha-cam", "version": "2026.1", "severity": "2", "topic": "",
              "subject": "Post-processor crash", "fact_description": "It crashes on export.",
              "fact_steps": "Open, export, crash.", "idempotency_key": "page-key-1"}
    values.update(overrides)
    return values


def file_request(client, **overrides):
    return client.post("/requests/new?lang=en", data=form(**overrides))


def test_the_form_asks_the_charters_facts_in_the_customers_language(app):
    client = signed_in_client(app, PREMIUM)
    page = client.get("/requests/new?lang=nl").get_data(as_text=True)
    assert "Hoe het te reproduceren" in page  # the example charter's "steps" fact, in Dutch
    assert 'name="idempotency_key"' in page and "data-upload" in page


def test_filing_shows_the_acknowledgement_with_due_time_and_explanation_and_mails_it(app, tmp_path):
    client = signed_in_client(app, PREMIUM)
    response = file_request(client)
    assert response.status_code == 302
    page = client.get(response.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "Your request is filed." in page and "An answer is due by" in page
    assert "Position in the queue: 1." in page
    [mail] = app.extensions["portal"].mailer.messages()
    assert mail["To"] == "owner@customer1.example" and "2026-" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert "Échéance" in body  # demo-1's owner reads French


def test_a_double_submission_files_one_request(app):
    client = signed_in_client(app, PREMIUM)
    first, second = file_request(client), file_request(client)
    assert first.headers["Location"].split("?")[0] == second.headers["Location"].split("?")[0]
    assert len(app.extensions["portal"].storage.tickets.of_company("demo-1")) == 1
    assert len(app.extensions["portal"].mailer.messages()) == 1


def test_a_form_key_a_colleague_filed_with_files_nothing_and_does_not_lead_to_their_request(app):
    first = file_request(signed_in_client(app, PREMIUM))
    number = first.headers["Location"].split("?")[0].rsplit("/", 1)[1]
    taken = file_request(signed_in_client(app, "deputy@customer1.example"), subject="Mine")
    assert taken.status_code == 409 and "Location" not in taken.headers
    assert "This form was already used" in taken.get_data(as_text=True) and number not in taken.get_data(as_text=True)
    assert len(app.extensions["portal"].storage.tickets.of_company("demo-1")) == 1


def test_a_missing_required_fact_is_shown_next_to_its_field_and_nothing_is_filed(app):
    """Rules P4, G5, E6."""
    response = file_request(signed_in_client(app, PREMIUM), fact_steps="")
    assert response.status_code == 200
    assert "This information is required for this kind of request." in response.get_data(as_text=True)
    assert app.extensions["portal"].storage.tickets.of_company("demo-1") == []


def test_an_out_of_scope_topic_explains_and_offers_the_alternative(app):
    """Rules S3, G8, E11."""
    response = file_request(signed_in_client(app, PREMIUM), topic="installation")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not covered by support" in page and "Professional Services" in page
    assert app.extensions["portal"].storage.tickets.of_company("demo-1") == []


def test_a_bug_on_a_version_that_takes_only_questions_is_refused_with_the_kinds_it_still_takes(app):
    """Rules T9, G6: an unsupported version still takes questions, not bug reports; the page names what it takes
    (not a server error) and nothing is filed."""
    response = file_request(signed_in_client(app, PREMIUM), version="2024.1")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This kind of request cannot be filed for this version" in page and "you can file: Question" in page
    assert app.extensions["portal"].storage.tickets.of_company("demo-1") == []


def test_a_contact_who_may_not_file_is_told_why(app):
    """Rule P2."""
    response = file_request(signed_in_client(app, "owner@customer2.example"))
    assert response.status_code == 422
    assert "designated system owner and deputy" in response.get_data(as_text=True)


def test_the_customer_follows_adds_information_and_says_it_is_solved(app):
    """Rules P9, S14."""
    client = signed_in_client(app, PREMIUM)
    number = re.search(r"/requests/([\d-]+)", file_request(client).headers["Location"]).group(1)
    assert number in client.get("/requests?lang=en").get_data(as_text=True)
    client.post(f"/requests/{number}/messages", data={"text": "It also happens on import."})
    client.post(f"/requests/{number}/solved")
    page = client.get(f"/requests/{number}?lang=en").get_data(as_text=True)
    assert "It also happens on import." in page and "resolved" in page
    assert "How satisfied are you?" in page


def test_a_dissatisfied_survey_answer_becomes_a_managers_follow_up_task(app):
    """Rule G3."""
    client = signed_in_client(app, PREMIUM)
    number = re.search(r"/requests/([\d-]+)", file_request(client).headers["Location"]).group(1)
    client.post(f"/requests/{number}/solved")
    client.post(f"/requests/{number}/survey", data={"score": "1", "comment": "Too slow."})
    _ticket, events = app.extensions["portal"].storage.tickets.ticket_with_history(number)
    survey = [e for e in events if e.kind == "survey_answered"]
    assert len(survey) == 1 and survey[0].data["dissatisfied"] == "yes"
    [task] = app.extensions["portal"].storage.tickets.open_tasks("manager")
    assert task.kind == "dissatisfied_survey" and task.ticket_number == number
    client.post(f"/requests/{number}/survey", data={"score": "5"})
    _ticket, events = app.extensions["portal"].storage.tickets.ticket_with_history(number)
    assert len([e for e in events if e.kind == "survey_answered"]) == 1


def test_another_contact_of_the_company_does_not_see_a_request_unless_system_owner(app):
    client = signed_in_client(app, PREMIUM)
    number = re.search(r"/requests/([\d-]+)", file_request(client).headers["Location"]).group(1)
    deputy = signed_in_client(app, "deputy@customer1.example")
    assert deputy.get(f"/requests/{number}").status_code == 404
    other_company = signed_in_client(app, "owner@customer3.example")
    assert other_company.get(f"/requests/{number}").status_code == 404
    assert other_company.post(f"/requests/{number}/solved").status_code == 404


def test_the_request_records_which_knowledge_base_articles_were_shown(app):
    """Rule T7: a request is a question the documentation did not answer; the articles shown are kept."""
    client = signed_in_client(app, PREMIUM)
    response = file_request(client, kb_shown="severity-guide,prepare-a-good-request,<script>")
    number = re.search(r"/requests/([\d-]+)", response.headers["Location"]).group(1)
    _ticket, events = app.extensions["portal"].storage.tickets.ticket_with_history(number)
    assert events[0].data["kb_shown"] == "severity-guide,prepare-a-good-request"


def test_a_request_filed_although_articles_were_shown_counts_once_for_each_article(app):
    """Rule T7: deflection's "filed anyway", counted when the request is filed, not again when the form is resent."""
    client = signed_in_client(app, PREMIUM)
    counters = app.extensions["portal"].storage.kb_counters
    file_request(client, kb_shown="severity-guide,prepare-a-good-request", idempotency_key="k-kb-1")
    file_request(client, kb_shown="severity-guide,prepare-a-good-request", idempotency_key="k-kb-1")
    file_request(client)
    counts, filed = counters.read(["severity-guide", "prepare-a-good-request", "compress-large-files"])
    assert filed == 1
    assert counts["severity-guide"]["filed_anyway"] == counts["prepare-a-good-request"]["filed_anyway"] == 1
    assert counts["compress-large-files"]["filed_anyway"] == 0


def test_a_form_that_comes_back_with_an_error_keeps_the_articles_already_shown_rule_t7(app):
    """Rule T7: the articles shown before a missing field still count when the request is then filed."""
    client = signed_in_client(app, PREMIUM)
    page = file_request(client, kb_shown="severity-guide,prepare-a-good-request", subject="").get_data(as_text=True)
    assert 'name="kb_shown" value="severity-guide,prepare-a-good-request"' in page
    escaped = file_request(client, kb_shown='"><script>x</script>', subject="").get_data(as_text=True)
    assert "<script>x</script>" not in escaped


def test_the_form_carries_the_knowledge_base_suggestions_box(app):
    page = signed_in_client(app, PREMIUM).get("/requests/new?lang=fr").get_data(as_text=True)
    assert 'id="kb-suggestions"' in page and "/kb/suggestions" in page and "kb-suggestions.js" in page


def test_past_the_places_counted_the_page_and_the_mail_say_only_that_more_requests_are_ahead(app, monkeypatch):
    """Rules S4, T2, with the places counted lowered to 1 for the test: the third request has two ahead."""
    import portal.adapters.dynamo.tickets as tickets_adapter
    import portal.services.notifications as notifications
    import portal.web.requests.routes as routes
    from portal.domain import queue

    for module in (queue, tickets_adapter, notifications, routes):
        monkeypatch.setattr(module, "AHEAD_COUNTED_UP_TO", 1)
    client = signed_in_client(app, PREMIUM)
    for key in ("first", "second"):
        assert file_request(client, idempotency_key=key).status_code == 302
    response = file_request(client, idempotency_key="third")
    assert "position=3" in response.headers["Location"]
    page = client.get(response.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "More than 1 requests are ahead of yours in the queue." in page and "Position in the queue" not in page
    body = app.extensions["portal"].mailer.messages()[-1].get_body(("plain",)).get_content()
    assert "Plus de 1 demandes sont avant la vôtre dans la file d'attente." in body  # demo-1's owner reads French


def test_the_home_page_shows_a_deputy_only_their_own_open_requests_and_the_system_owner_the_companys(app):
    """Rule P2, on the home page as on the list of requests."""
    owner, deputy = signed_in_client(app, PREMIUM), signed_in_client(app, "deputy@customer1.example")
    assert file_request(owner, subject="The owner's confidential crash", idempotency_key="owner").status_code == 302
    assert file_request(deputy, subject="The deputy's own crash", idempotency_key="deputy").status_code == 302
    summaries = {s.subject: s.number for s in app.extensions["portal"].storage.tickets.of_company("demo-1")}
    deputys_home = deputy.get("/?lang=en").get_data(as_text=True).replace("&#39;", "'")
    assert "The deputy's own crash" in deputys_home and summaries["The deputy's own crash"] in deputys_home
    assert "The owner's confidential crash" not in deputys_home
    assert summaries["The owner's confidential crash"] not in deputys_home
    owners_home = owner.get("/?lang=en").get_data(as_text=True).replace("&#39;", "'")
    assert "The deputy's own crash" in owners_home and "The owner's confidential crash" in owners_home


def test_an_over_long_form_key_brings_the_form_back_with_a_message_and_files_nothing(app):
    """The hidden form key becomes part of a DynamoDB key (which DynamoDB limits to 2,048 bytes): at most as long
    as the API's Idempotency-Key; the form comes back with a key of its own, which files the request."""
    from portal.api.tickets import MAX_IDEMPOTENCY_KEY as API_LIMIT
    from portal.web.requests.forms import MAX_IDEMPOTENCY_KEY

    assert MAX_IDEMPOTENCY_KEY == API_LIMIT == 100
    client = signed_in_client(app, PREMIUM)
    response = file_request(client, idempotency_key="k" * 2100)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This form has expired. Please reload the page and try again." in page
    assert app.extensions["portal"].storage.tickets.of_company("demo-1") == []
    fresh = re.search(r'name="idempotency_key" type="hidden" value="([^"]*)"', page).group(1)
    assert 0 < len(fresh) <= MAX_IDEMPOTENCY_KEY
    assert file_request(client, idempotency_key=fresh).status_code == 302
    assert file_request(client, idempotency_key="k" * 100, subject="Another").status_code == 302
    assert len(app.extensions["portal"].storage.tickets.of_company("demo-1")) == 2
