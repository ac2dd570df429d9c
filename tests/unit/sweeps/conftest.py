"""The handlers' environment on moto, shared by the handler, CLI and local scheduler tests."""

from __future__ import annotations

import pytest

from tests.unit.sweeps.sweep_builders import sweep_context


@pytest.fixture
def environment(moto_storage, monkeypatch, tmp_path):
    """The handlers' environment pointing at the moto tables, an outbox in tmp_path, a fresh wiring cache."""
    from functions import wiring

    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_TABLE_PREFIX", moto_storage.settings.table_prefix)
    monkeypatch.setenv("PORTAL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("PORTAL_CHARTER", "example")
    monkeypatch.setenv("PORTAL_PUBLIC_URL", "https://support.vendor.example")
    wiring.sweep_context.cache_clear()
    yield sweep_context(moto_storage, tmp_path)
    wiring.sweep_context.cache_clear()
