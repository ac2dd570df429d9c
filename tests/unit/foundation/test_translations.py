"""Every user-facing text exists in fr, nl and en: the catalogs cover every message in the code."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
TRANSLATIONS = ROOT / "portal" / "translations"
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "mark": None}


def messages_in_code() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / "portal", METHODS, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def catalog(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


def test_the_code_has_messages_to_translate():
    assert "Support portal" in messages_in_code()


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_every_message_in_the_code_is_translated(language):
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog(language) if m.id}
    missing = sorted(m for m in messages_in_code() if m not in translated or not translated[m].string)
    fuzzy = sorted(m for m, entry in translated.items() if entry.fuzzy)
    assert not catalog(language).fuzzy, f"the {language} catalog is marked fuzzy: pybabel would skip it"
    assert not missing, f"untranslated in {language} (run `make translations`, then translate): {missing}"
    assert not fuzzy, f"fuzzy entries in {language}: {fuzzy}"


# Words that are the same in English and in French or Dutch.
SAME_WORDS = {"fr": {"e-mail", "E-mail", "Support", "Version", "Impact", "Message"},
              "nl": {"e-mail", "E-mail", "Support", "Status", "Contract", "Product", "Website", "Login", "Impact"}}


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_french_and_dutch_are_not_english_copies(language):
    same = [m.id for m in catalog(language) if m.id and m.string == m.id and m.id not in SAME_WORDS[language]]
    assert not same, f"{language} messages left in English: {same}"
