"""Builders with overridable defaults, shared by both test tiers."""

from __future__ import annotations

import uuid
from dataclasses import replace

from portal.settings import Settings

FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-3",
}


def make_settings(**overrides) -> Settings:
    """Test settings with a table prefix of their own (never the environment of the machine)."""
    base = Settings(env="test", secret_key="test-secret", table_prefix=f"t{uuid.uuid4().hex[:8]}-")
    return replace(base, **overrides)
