"""Translations outside a web request (e-mails, scheduled functions): the same catalogs as the pages."""

from __future__ import annotations

import functools
from pathlib import Path

from babel.support import NullTranslations, Translations

LANGUAGES = ("fr", "nl", "en")
CATALOGS = Path(__file__).resolve().parent / "translations"


def mark(message: str) -> str:
    """Mark a message for extraction; it is translated later, in the reader's language."""
    return message


@functools.cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog of a language (English messages when the language is unknown)."""
    if language not in LANGUAGES:
        language = "en"
    return Translations.load(str(CATALOGS), [language])


def translate(language: str, message: str, **params) -> str:
    """`message` in `language`, with %(name)s parameters filled in."""
    text = translations(language).gettext(message)
    return text % params if params else text
