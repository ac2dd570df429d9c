"""The users' journeys of the portal, in Chromium, in French and in English, against `portal serve` on DynamoDB
Local (CSRF on, real password hashing): every page shown passes axe-core with no serious or critical violation
and is photographed under test-artifacts/browser/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from playwright.sync_api import expect

from tests.browser.journeys import MANAGER, SUPPORTED, TECHNICIAN, UNSUPPORTED, new_customer, sweep_closure

pytestmark = pytest.mark.integration

WORDS = {  # what a customer types, per language (no out-of-scope keyword of the example charter)
    "fr": {"search": "niveaux de gravité", "bug": "L'export PDF du parcours d'outil plante",
           "steps": "Ouvrir le parcours, Fichier > Exporter en PDF : l'application se ferme.",
           "question": "Où trouver le journal des calculs ?", "files": "Voici le journal demandé."},
    "en": {"search": "severity levels", "bug": "The toolpath PDF export crashes",
           "steps": "Open the toolpath, File > Export to PDF: the application closes.",
           "question": "Where is the calculation log kept?", "files": "Here is the log you asked for."},
}
LOG = ("2026-12-01 10:02:11 export started\n" * 20_000).encode()  # about 700 kB: the progress bar has work to show


def text_pattern(message: str) -> re.Pattern:
    """A translated message with %(name)s placeholders, as a pattern matching any value in their place."""
    return re.compile(".+".join(re.escape(part) for part in re.split(r"%\(\w+\)s", message)))


def test_a_customer_reads_the_contract_sees_an_unsupported_version_and_is_answered_by_the_knowledge_base(journey):
    """Rules E8/T9 (a version's support shown to its user) and T7 (documentation first, counted deflection)."""
    journey.name = "contract-and-knowledge-base"
    tr, words = journey.tr, WORDS[journey.language]
    page = journey.customer_signs_in(new_customer(journey.portal, journey.language))

    page.locator("nav.site-nav a[href='/contract']").click()
    contract = page.locator("section.contract")
    expect(contract.locator("h2")).to_contain_text("Premium")
    expect(contract.locator(".badge.active")).to_have_text(tr("in force"))
    journey.step(page, "contract")

    page.locator("nav.site-nav a[href='/products']").click()
    supported = page.locator("main section h2", has_text=f"Alpha CAM {SUPPORTED[1]}")
    unsupported = page.locator("main section h2", has_text=f"Struct Design {UNSUPPORTED[1]}")
    expect(supported.locator(".badge.supported")).to_have_count(1)
    expect(unsupported.locator(".badge.unsupported")).to_have_text(text_pattern(tr("not supported since %(day)s")))
    journey.step(page, "products-with-an-unsupported-version")

    page.locator("nav.site-nav a[href='/kb']").click()
    page.fill("#kb-q", words["search"])
    page.locator("form.kb-search button[type=submit]").click()
    expect(page.locator("#kb-results")).to_have_text(tr("Results for “%(query)s”", query=words["search"]))
    journey.step(page, "knowledge-base-search")
    page.locator("ol.kb-results a[href='/kb/severity-levels']").click()
    expect(page.locator("article h1")).to_have_count(1)
    page.locator(".kb-helpful button[value=yes]").click()
    expect(page.locator("#kb-helpful-question")).to_have_text(tr("Thank you for your feedback."))
    journey.step(page, "article-was-helpful")

    page.locator("nav.site-nav a[href='/requests']").click()
    page.locator("main a[href='/requests/new']").click()
    page.fill("input[name=subject]", words["search"])
    answered = page.locator("#kb-suggestions button.kb-answered[data-article=severity-levels]")
    expect(answered).to_have_text(tr("This answered my question"))
    journey.step(page, "new-request-suggestions")
    answered.click()
    expect(page).to_have_url(journey.portal.url("/"))
    expect(page.locator("main p.notice[role=status]")).to_have_text(
        tr("Glad the article answered your question: no request was filed."))
    journey.step(page, "answered-without-a-request")
    page.locator("nav.site-nav a[href='/requests']").click()
    expect(page.locator("main")).to_contain_text(tr("No requests yet."))
    journey.step(page, "no-request-filed")


def test_a_customer_files_a_bug_report_with_a_file_and_reads_when_an_answer_is_due_and_why(journey):
    """Intake rule 4 (files checked, progress shown) and rule E10 (the due time and its explanation)."""
    journey.name = "bug-report"
    from portal.domain.calendar import calendar_for
    from portal.domain.charter import load_charter
    from portal.domain.sla import response_due
    from portal.services.explanations import explain

    tr, words = journey.tr, WORDS[journey.language]
    page = journey.customer_signs_in(new_customer(journey.portal, journey.language))
    journey.fill_request(page, category="bug", subject=words["bug"], description=words["steps"],
                         steps=words["steps"], severity=2)
    journey.attach(page, "#files", "export.log", LOG)
    journey.step(page, "bug-report-with-its-file")
    number = journey.send_request(page)

    ticket, _ = journey.portal.storage().tickets.ticket_with_history(number)
    charter = load_charter("example")
    due = response_due(charter, ticket.tier, ticket.severity, ticket.created_at)
    assert (ticket.tier, ticket.severity, ticket.response_due) == ("premium", 2, due.due)
    when = format_datetime(due.due, "EEEE d MMMM y, HH:mm", tzinfo=ZoneInfo(charter.timezone),
                           locale=journey.language)
    acknowledgement = page.locator("section[aria-labelledby=ack]")
    expect(acknowledgement.locator("h2")).to_have_text(tr("Your request is filed."))
    expect(acknowledgement.locator("strong")).to_have_text(tr("An answer is due by %(when)s.", when=when))
    expect(acknowledgement.locator("ul > li")).to_have_text(explain(due.parts, journey.language,
                                                                    calendar_for(charter)))
    expect(page.locator("ol.history ul.files a")).to_have_text("export.log")
    journey.step(page, "acknowledgement")


def test_three_failed_calls_close_a_request_at_the_sweep_and_files_reopen_one_closed_while_awaited(journey):
    """Rule S11 (three unsuccessful calls within two business days close it, by `portal sweep closure --now`) and
    rule S13 (closed while the files asked for are awaited, reopened when they arrive)."""
    journey.name = "closure-and-files"
    tr, words = journey.tr, WORDS[journey.language]
    customer = journey.customer_signs_in(new_customer(journey.portal, journey.language))
    journey.fill_request(customer, category="bug", subject=words["bug"], description=words["steps"],
                         steps=words["steps"])
    unreachable = journey.send_request(customer)
    journey.fill_request(customer, category="support", subject=words["question"], description=words["question"])
    awaiting = journey.send_request(customer)

    technician = journey.staff_signs_in(TECHNICIAN)
    expect(technician).to_have_url(re.compile(r"/staff/queue"))
    technician.locator(f"main a[href='/staff/requests/{unreachable}']").first.click()
    technician.locator("#do-claim button").click()
    expect(technician.locator("main p.notice[role=status]")).to_have_text(tr("You own this request now."))
    journey.step(technician, "claimed")
    failed_calls = technician.locator("ol.history li", has_text=tr("no answer"))
    for count in (1, 2, 3):
        technician.locator("#do-contact input[name=outcome][value=no_answer]").check()
        technician.locator("#do-contact button[type=submit]").click()
        expect(failed_calls).to_have_count(count)
    journey.step(technician, "three-failed-calls")

    run = sweep_closure(journey.portal, datetime.now(UTC) + timedelta(minutes=1))
    assert [(fired["rule"], fired["action"]) for fired in run["fired"] if fired["number"] == unreachable] == \
        [("S11", "close")], run
    technician.reload()
    expect(technician.locator("main table.data tr").first.locator("td")).to_have_text(tr("closed"))
    journey.step(technician, "closed-by-the-sweep")
    customer.goto(journey.portal.url(f"/requests/{unreachable}"))
    expect(customer.locator("main table.data tr").first.locator("td")).to_have_text(tr("closed"))
    expect(customer.locator("ol.history li").last).to_contain_text(tr("Closed"))
    journey.step(customer, "customer-sees-it-closed")

    technician.goto(journey.portal.url(f"/staff/requests/{awaiting}"))
    technician.locator("#do-claim button").click()
    technician.fill("#ask_files-text", words["files"])
    technician.locator("#do-ask_files button[type=submit]").click()
    expect(technician.locator("main p.notice[role=status]")).to_contain_text(
        tr("The customer is asked for files; the request is closed until they arrive."))
    journey.step(technician, "files-asked-for")
    customer.goto(journey.portal.url(f"/requests/{awaiting}"))
    status = customer.locator("main table.data tr").first.locator("td")
    expect(status).to_have_text(tr("closed until your files arrive"))
    journey.step(customer, "closed-until-the-files-arrive")
    journey.attach(customer, "#files", "calculation.log", LOG)
    customer.fill("#text", words["files"])
    customer.locator("form[action$='/messages'] button[type=submit]").click()
    expect(status).to_have_text(tr("in progress"))
    expect(customer.locator("ol.history li", has_text=tr("Files received"))).to_have_count(1)
    journey.step(customer, "reopened-by-the-files")
    technician.reload()
    expect(technician.locator("main table.data tr").first.locator("td")).to_have_text(tr("in progress"))


def test_a_dissatisfied_survey_answer_becomes_a_task_on_the_managers_list(journey):
    """Rule G3: an answer at or below the charter's threshold asks a manager to contact the customer."""
    journey.name = "dissatisfied-survey"
    tr, words = journey.tr, WORDS[journey.language]
    page = journey.customer_signs_in(new_customer(journey.portal, journey.language))
    journey.fill_request(page, category="support", subject=words["question"], description=words["question"])
    number = journey.send_request(page)
    page.locator("form[action$='/solved'] button").click()
    expect(page.locator("main table.data tr").first.locator("td")).to_have_text(tr("resolved"))
    journey.step(page, "solved-survey-offered")
    page.locator("form[action$='/survey'] input[name=score][value='1']").check()
    page.fill("#comment", words["bug"])
    page.locator("form[action$='/survey'] button[type=submit]").click()
    expect(page.locator("main p.notice[role=status]")).to_have_text(tr("Thank you for your answer."))
    journey.step(page, "survey-answered")

    manager = journey.staff_signs_in(MANAGER)
    manager.locator("nav.site-nav a[href='/staff/tasks']").click()
    task = manager.locator("main table.data tbody tr", has=manager.locator(f"a[href='/staff/requests/{number}']"))
    expect(task.locator("td").nth(1)).to_have_text(tr("Dissatisfied survey answer: contact the customer"))
    journey.step(manager, "managers-tasks")
