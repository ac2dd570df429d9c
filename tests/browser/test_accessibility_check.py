"""The journeys' accessibility check can fail: axe-core runs under the page's own Content-Security-Policy and names
each serious or critical rule it finds, with its help and the elements at fault."""

from __future__ import annotations

import pytest

from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.integration


def test_a_form_field_without_its_label_and_a_page_without_its_language_fail_the_check(portal_on_dynamodb_local,
                                                                                        open_page):
    page = open_page("en")
    page.goto(portal_on_dynamodb_local.url("/login"))
    assert_accessible(page, "sign-in as served")
    page.evaluate("document.querySelector('label[for=email]').remove();"
                  "document.documentElement.removeAttribute('lang')")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "sign-in without its label")
    report = str(failure.value)
    assert "- label (critical): Form elements must have labels" in report
    assert '["#email"]' in report
    assert "- html-has-lang (serious)" in report and "sign-in without its label" in report
