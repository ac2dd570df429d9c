"""Fill the fr and nl catalogs from translation tables, and en with the source text.

Usage (after `make translations`): python scripts/fill_translations.py TABLE.json [TABLE.json ...]
A table is a JSON object {"English msgid": ["French", "Dutch"], ...}; for a plural message the French and
Dutch values are lists of forms. Entries already translated are left alone; what no table translates is
listed, and the command exits with 1 so that nothing untranslated goes unnoticed.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGS = Path(__file__).resolve().parents[1] / "portal" / "translations"


def load_tables(paths: list[str]) -> dict:
    table = {}
    for path in paths:
        table.update(json.loads(Path(path).read_text(encoding="utf-8")))
    return table


def fill(language: str, position: int, table: dict) -> list[str]:
    """Fill one catalog; the message ids left untranslated."""
    path = CATALOGS / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as stream:
        catalog = read_po(stream)
    left = []
    for message in catalog:
        if not message.id or (message.string and not message.fuzzy):
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if language == "en":
            message.string = message.id if isinstance(message.id, str) else tuple(message.id)
        elif key in table:
            value = table[key][position]
            message.string = value if isinstance(message.id, str) else tuple(value)
        else:
            left.append(key)
            continue
        message.flags.discard("fuzzy")
    catalog.fuzzy = False
    with path.open("wb") as stream:
        write_po(stream, catalog, width=76)
    return left


def main(paths: list[str]) -> int:
    table = load_tables(paths)
    left = {language: fill(language, position, table) for position, language in enumerate(("fr", "nl", "en"))}
    for language, keys in left.items():
        for key in keys:
            print(f"untranslated in {language}: {key}")
    return 1 if any(left.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
