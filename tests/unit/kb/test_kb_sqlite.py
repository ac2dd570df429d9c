"""The knowledge base opens an SQLite with FTS5 everywhere it runs: Lambda's Python 3.11 runtime links SQLite
3.7.17, older than FTS5, so the portal carries pysqlite3's (Linux x86_64, the Lambda's architecture)."""

from __future__ import annotations

import platform
import sys

import pytest

from portal.kb import index, store
from portal.kb.sqlite import has_fts5, sqlite3

ON_LAMBDAS_ARCHITECTURE = sys.platform == "linux" and platform.machine() == "x86_64"


def test_the_knowledge_bases_sqlite_reads_fts5():
    assert has_fts5()


@pytest.mark.skipif(not ON_LAMBDAS_ARCHITECTURE, reason="pysqlite3-binary has wheels for Linux x86_64 only")
def test_on_the_lambdas_architecture_the_knowledge_base_uses_pysqlite3_not_the_systems_sqlite():
    assert sqlite3.__name__ == "pysqlite3.dbapi2"
    assert store.sqlite3 is sqlite3 and index.sqlite3 is sqlite3  # the index is built and read with the same one
    assert tuple(int(part) for part in sqlite3.sqlite_version.split(".")[:2]) >= (3, 9)  # FTS5 came in 3.9


def test_an_sqlite_without_fts5_is_told_apart(monkeypatch):
    """What the system SQLite of Lambda's runtime answers: no such module."""
    import portal.kb.sqlite as chosen

    class Connection:
        def execute(self, statement):
            raise chosen.sqlite3.OperationalError("no such module: fts5")

    monkeypatch.setattr(chosen.sqlite3, "connect", lambda *args, **kwargs: Connection())
    assert not chosen.has_fts5()
