"""Deflection in the new-request form, in Chromium against the running portal: the suggestions offer "This answered
my question" (counted, the intake ends without a request) and "I still need help" (the customer goes on)."""

from __future__ import annotations

from portal.services.deflection import deflection_summary

CUSTOMER = "owner@customer1.example"
ARTICLE = "severity-levels"


def suggestions_for(page, live_portal, words: str):
    live_portal.sign_in(page, CUSTOMER)
    page.goto(live_portal.url("/requests/new?lang=en"))
    page.fill("input[name=subject]", words)
    page.wait_for_selector(f"#kb-suggestions li button[data-article={ARTICLE}]")
    return page.locator("#kb-suggestions")


def counts(live_portal):
    return deflection_summary(live_portal.storage.kb_counters, [ARTICLE]).articles[0]


def test_an_article_that_answers_the_question_ends_the_intake_without_a_request(page, live_portal, screenshot):
    panel = suggestions_for(page, live_portal, "severity levels")
    assert panel.is_visible() and ARTICLE in page.input_value("input[name=kb_shown]")
    assert panel.locator("button.kb-answered").first.inner_text() == "This answered my question"
    with page.context.expect_page() as opened:
        panel.locator(f"a[href='/kb/{ARTICLE}?from=intake']").click()
    opened.value.wait_for_load_state()
    assert opened.value.locator("h1").count() == 1
    opened.value.close()
    screenshot(page, "intake-suggestions")
    panel.locator(f"button[data-article={ARTICLE}]").click()
    page.wait_for_url(live_portal.url("/"))
    assert "no request was filed" in page.locator("main").inner_text()
    screenshot(page, "intake-answered")
    article = counts(live_portal)
    assert (article.views, article.intake_views, article.answered) == (1, 1, 1)


def test_i_still_need_help_closes_the_suggestions_and_keeps_what_was_shown(page, live_portal):
    panel = suggestions_for(page, live_portal, "severity levels")
    panel.locator(".kb-still-need-help button").click()
    assert panel.is_hidden()
    assert ARTICLE in page.input_value("input[name=kb_shown]")
    assert page.url.endswith("/requests/new?lang=en") and counts(live_portal).answered == 0


def test_the_buttons_speak_the_customers_language(page, live_portal):
    live_portal.sign_in(page, CUSTOMER)
    page.goto(live_portal.url("/requests/new?lang=nl"))
    page.fill("input[name=subject]", "ernst")
    page.wait_for_selector("#kb-suggestions .kb-still-need-help button")
    assert page.locator("#kb-suggestions .kb-still-need-help button").inner_text() == "Ik heb nog hulp nodig"
    assert page.locator("#kb-suggestions button.kb-answered").first.inner_text() == "Dit beantwoordt mijn vraag"
