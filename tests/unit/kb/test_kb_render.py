"""Rendering: an article's Markdown becomes HTML in which no script, event handler or javascript: link survives."""

from __future__ import annotations

import pytest

from portal.kb.render import heading_slug, render_article


def test_a_script_is_removed_with_its_content():
    html = render_article("Before <script>alert('x')</script> after\n\n<script>\nsteal()\n</script>\n").html
    assert "<script" not in html.lower() and "alert" not in html and "steal" not in html
    assert "Before" in html and "after" in html


@pytest.mark.parametrize("markdown", [
    '<img src="x.png" onerror="alert(1)">',
    '<a href="/kb" onclick="alert(1)">link</a>',
    '<p onmouseover="alert(1)">text</p>',
    '<svg onload="alert(1)"></svg>',
])
def test_event_handlers_are_removed(markdown):
    assert "alert" not in render_article(markdown).html


@pytest.mark.parametrize("markdown", [
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x61;script:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
    "![x](javascript:alert(1))",
])
def test_javascript_and_data_links_lose_their_address(markdown):
    html = render_article(markdown).html.lower()
    assert 'href="javascript' not in html and 'src="javascript' not in html and 'href="data:' not in html


def test_iframes_styles_and_forms_do_not_survive():
    html = render_article('<iframe src="https://evil.example"></iframe><style>body{}</style><form><input></form>').html
    assert "<iframe" not in html and "<style" not in html and "<form" not in html and "<input" not in html


def test_safe_links_keep_their_address_and_open_without_referrer():
    html = render_article("[Lifecycle](/lifecycle) and [site](https://vendor.example/tools)").html
    assert 'href="/lifecycle"' in html and 'href="https://vendor.example/tools"' in html
    assert 'rel="noopener noreferrer"' in html


def test_headings_get_ids_with_accents_folded_and_repeats_numbered():
    html = render_article("## Étape 1\n\ntext\n\n## Étape 1\n\nmore\n").html
    assert '<h2 id="etape-1">Étape 1</h2>' in html and '<h2 id="etape-1-2">' in html


def test_a_heading_of_punctuation_only_still_gets_an_id():
    assert heading_slug("???") == "section"


def test_tables_lists_code_and_keys_are_kept():
    html = render_article("| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\n`code` and <kbd>Ctrl</kbd>\n").html
    assert "<table>" in html and "<li>one</li>" in html and "<code>code</code>" in html and "<kbd>Ctrl</kbd>" in html


def test_the_plain_text_holds_the_words_without_markup():
    rendered = render_article("## Title\n\nSome **bold** text &amp; a `<tag>`.\n")
    assert rendered.text == "Title Some bold text & a <tag> ."


def test_no_inline_style_survives_so_pages_keep_their_content_security_policy():
    html = render_article('| a |\n|:-:|\n| 1 |\n\n<p style="color:red">x</p>\n').html
    assert "style=" not in html
