"""The SQLite the knowledge base opens: pysqlite3's where it is installed, for it carries a recent SQLite with
FTS5 (the search index's full-text table), which the system's SQLite of Lambda's Python 3.11 runtime (3.7.17)
lacks; else the standard library's (a laptop's or CI's, recent enough)."""

from __future__ import annotations

try:
    from pysqlite3 import dbapi2 as sqlite3
except ImportError:  # pragma: no cover - where pysqlite3-binary has no wheel (not Linux x86_64)
    import sqlite3

__all__ = ["has_fts5", "sqlite3"]


def has_fts5() -> bool:
    """Whether this SQLite can read the search index's FTS5 table."""
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.OperationalError:
        return False
    return True
