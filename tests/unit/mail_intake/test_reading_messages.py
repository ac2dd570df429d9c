"""Reading what customers' mail clients send: encodings, HTML, attachments, quotes, auto-replies and bounces."""

import pytest

from portal.domain.inbound_mail import (
    RejectedMessage,
    automatic_reason,
    fold_quotes,
    guess_language,
    html_to_text,
    parse_message,
    referenced_ticket,
)
from tests.unit.mail_intake.mail_builders import sample


def test_a_plain_french_message_keeps_its_accents_sender_and_recipient():
    message = parse_message(sample("french_plain.eml"))
    assert message.sender == "owner@customer1.example" and message.sender_name == "Élodie Owner"
    assert message.subject == "Le post-processeur plante à l'export"
    assert message.recipients == ("cam.support@exemplar-software.example",)
    assert "plante à chaque export de la pièce" in message.text
    assert message.message_id == "<CAF=french.plain.1@mail.customer1.example>"
    assert message.language == "fr" and automatic_reason(message) is None


def test_the_envelope_recipients_come_first():
    message = parse_message(sample("french_plain.eml"), envelope_recipients=["Support@Exemplar-Software.example"])
    assert message.recipients == ("support@exemplar-software.example", "cam.support@exemplar-software.example")


def test_an_html_only_message_is_reduced_to_safe_text():
    message = parse_message(sample("html_only.eml"))
    assert message.html_only
    assert "The beam check in Struct Design 26 shows kN instead of kN·m & the report is wrong." in message.text
    assert "- Open the model" in message.text and "- Run the check" in message.text
    for unsafe in ("<", "alert", "color: red", "ignored title", "pixel.gif"):
        assert unsafe not in message.text


def test_attachments_are_every_file_of_a_multipart_message():
    message = parse_message(sample("multipart_attachments.eml"))
    assert [(a.name, a.content_type) for a in message.attachments] == [
        ("screenshot.png", "image/png"), ("export-report.pdf", "application/pdf"),
        ("fix-tool.exe", "application/octet-stream")]
    assert message.attachments[0].data.startswith(b"\x89PNG")
    assert message.text.startswith("Hello,\n\nThe export fails")


def test_a_reply_from_a_common_client_keeps_only_its_new_text_and_names_its_request():
    message = parse_message(sample("gmail_reply_with_log.eml"))
    assert message.text == "Voici le fichier de log demandé. Le problème arrive aussi sur un deuxième poste."
    assert referenced_ticket(message) == "2026-000001"
    assert [a.name for a in message.attachments] == ["export.log"]


def test_an_outlook_reply_in_windows_1252_drops_the_earlier_message():
    message = parse_message(sample("windows_1252_outlook.eml"))
    assert message.subject == "Problème d’affichage – urgent"
    assert message.text == "Bonjour,\n\nL’affichage des cotes est décalé – la production est arrêtée.\n\nCordialement"


def test_a_latin_1_message_is_decoded():
    message = parse_message(sample("latin1.eml"))
    assert message.subject == "Question sur les réglages"
    assert "Où se trouvent les réglages de la fenêtre d'édition ?" in message.text


@pytest.mark.parametrize(("name", "reason"), [
    ("out_of_office.eml", "auto_submitted"),
    ("vacation_precedence.eml", "precedence"),
    ("bounce.eml", "empty_return_path"),
])
def test_auto_replies_and_bounces_are_told_apart_from_what_people_write(name, reason):
    assert automatic_reason(parse_message(sample(name))) == reason


def test_a_bounce_without_return_path_is_still_a_bounce():
    raw = sample("bounce.eml").replace(b"Return-Path: <>\n", b"")
    assert automatic_reason(parse_message(raw)) == "delivery_report"


def test_a_message_over_the_limit_is_rejected_with_its_reason():
    with pytest.raises(RejectedMessage) as rejected:
        parse_message(sample("french_plain.eml"), max_bytes=100)
    assert rejected.value.reason == "too_large"


@pytest.mark.parametrize("raw", [sample("malformed.eml"), b"", b"Subject: no sender\n\nHello\n"])
def test_a_malformed_message_is_rejected_with_its_reason(raw):
    with pytest.raises(RejectedMessage) as rejected:
        parse_message(raw)
    assert rejected.value.reason in ("malformed", "no_sender")


HEAD = (b"From: Owner 1 <owner@customer1.example>\r\nTo: cam.support@exemplar-software.example\r\n"
        b"Subject: Export crash\r\nMessage-ID: <m1@customer1.example>\r\nMIME-Version: 1.0\r\n")
HOSTILE = {  # each made the email package raise something else than what it documents
    "html_marked_section": HEAD + b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>Hello</p><![n x]>\r\n",
    "null_in_charset": HEAD + b"Content-Type: text/plain; charset=\"utf-8\x00\"\r\n\r\nhello\r\n",
    "colon_in_to": HEAD.replace(b"To: cam.support@", b"To: cam.:support@") + b"\r\nhello\r\n",
    "dot_before_from_name": HEAD.replace(b"From: Owner 1 <", b'From:."Owner 1" <') + b"\r\nhello\r\n",
    "nested_multipart_without_boundary": HEAD + (
        b"Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n\r\n"
        b"--b1\r\nContent-Type: multipart/related; boudary=\"b2\"\r\n\r\n--b2\r\nContent-Type: text/html\r\n\r\n"
        b"<p>x</p>\r\n--b1--\r\n"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_mime_the_email_package_cannot_read_is_rejected_as_malformed_not_raised(name):
    """Nothing is lost: a message that cannot be read is rejected, and so kept for a person, not left to crash."""
    try:
        message = parse_message(HOSTILE[name])
    except RejectedMessage as rejected:
        assert rejected.reason in ("malformed", "no_sender")
    else:
        assert message.sender  # read after all: then whole


def test_headers_too_long_to_read_in_time_are_rejected_before_parsing():
    """A folded subject of 30,000 lines took the parser 35 s, past the function's timeout."""
    subject = b"Subject: start\r\n" + b"".join(b" " + b"word " * 14 + b"\r\n" for _ in range(30000))
    with pytest.raises(RejectedMessage) as rejected:
        parse_message(HEAD.replace(b"Subject: Export crash\r\n", subject) + b"\r\nhello\r\n")
    assert rejected.value.reason == "headers_too_large"
    assert parse_message(sample("french_plain.eml")).sender  # real headers are far below the limit


def test_a_message_without_message_id_gets_one_made_of_its_bytes():
    raw = sample("latin1.eml").replace(b"Message-ID: <latin1.1@customer1.example>\n", b"")
    assert parse_message(raw).message_id == parse_message(raw).message_id
    assert parse_message(raw).message_id.endswith("@portal.invalid>")


@pytest.mark.parametrize(("text", "kept"), [
    ("Thanks!\n\nOn Mon, 23 Nov 2026 at 10:01, Support <s@v.example> wrote:\n> old", "Thanks!"),
    ("Merci\n\nLe 23/11/2026 à 10:01, Support a écrit :\n> ancien", "Merci"),
    ("Dank u\n\nOp ma 23 nov. 2026 om 10:01 schreef Support <s@v.example>:\n> oud", "Dank u"),
    ("Answer\n-----Original Message-----\nFrom: Support\nold", "Answer"),
    ("Antwoord\n\nVan: Support <s@v.example>\nVerzonden: maandag 23 november 2026 10:01\noud", "Antwoord"),
    ("Top\n> quoted line\nbottom", "Top\nbottom"),
])
def test_quoted_earlier_replies_fold_away(text, kept):
    assert fold_quotes(text) == kept


def test_html_blockquotes_become_quotes_that_fold_away():
    text = html_to_text("<p>New</p><blockquote><p>Old &amp; quoted</p></blockquote>")
    assert fold_quotes(text) == "New"


def test_the_language_is_the_declared_one_else_guessed_from_the_words_else_the_charters():
    assert guess_language(parse_message(sample("french_plain.eml")), ("fr", "nl", "en"), "en") == "fr"
    assert guess_language(parse_message(sample("dutch_unknown.eml")), ("fr", "nl", "en"), "fr") == "nl"
    assert guess_language(parse_message(sample("vacation_precedence.eml")), ("fr", "nl", "en"), "nl") == "en"
    assert guess_language(parse_message(b"From: a@b.example\nSubject: x\n\n123\n"), ("fr", "nl", "en"), "nl") == "nl"


def test_inline_images_of_an_outlook_message_are_files_marked_inline():
    message = parse_message(sample("outlook_inline_images.eml"))
    assert [(a.name, a.inline) for a in message.attachments] == [("image002.png", True), ("image001.gif", True)]
    assert message.text == "Hello,\n\nThe toolpath preview is blank, see the screenshot.\n\nOwner 1"
