"""Zappa's `zip` callback (zappa_settings.json): refuse to deploy a package that lacks what the portal needs on
Lambda, before it is uploaded.

A package built where a wheel is missing still builds: pysqlite3-binary has wheels for Linux x86_64 only, and
without it the knowledge base search fails on Lambda, whose SQLite (3.7.17) has no FTS5. Stdlib only: it runs in
the deploy machine's Zappa, not in the portal.
"""

from __future__ import annotations

import fnmatch
import zipfile

REQUIRED_IN_PACKAGE = {
    "portal/wsgi.py": "the portal's code",
    "portal/kb/generated/knowledge_base.sqlite3": "the knowledge base index (make setup builds it)",
    "portal/translations/en/LC_MESSAGES/messages.mo": "the compiled English texts (make setup compiles them)",
    "portal/translations/fr/LC_MESSAGES/messages.mo": "the compiled French texts (make setup compiles them)",
    "portal/translations/nl/LC_MESSAGES/messages.mo": "the compiled Dutch texts (make setup compiles them)",
    "pysqlite3/__init__.py": "pysqlite3 (an SQLite with FTS5): deploy from Linux x86_64, where its wheel exists",
    "pysqlite3/_sqlite3*.so": "pysqlite3's compiled SQLite: deploy from Linux x86_64, where its wheel exists",
}


def missing_from(zip_path: str) -> list[str]:
    """What the package at `zip_path` lacks, each as 'entry: why it is needed'."""
    names = zipfile.ZipFile(zip_path).namelist()
    return [f"{pattern}: {why}" for pattern, why in REQUIRED_IN_PACKAGE.items()
            if not any(fnmatch.fnmatchcase(name, pattern) for name in names)]


def check_package(zappa_cli) -> None:
    """Stop `zappa package`, `deploy` and `update` when the zip lacks an entry the portal needs on Lambda."""
    missing = missing_from(zappa_cli.zip_path)
    if missing:
        raise SystemExit("The package cannot run on Lambda; it lacks:\n  " + "\n  ".join(missing))
