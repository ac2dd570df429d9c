"""Builders with overridable defaults, shared by both test tiers."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
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
    base = Settings(env="test", secret_key="test-secret", table_prefix=f"t{uuid.uuid4().hex[:8]}-",
                    request_deadline_seconds=300.0)  # moto answers far slower than DynamoDB; deadline tests set theirs
    return replace(base, **overrides)


def fast_passwords():
    """A password double: cheap to compute, same rules (argon2 itself is tested in the adapter test)."""
    from portal.services.auth import Passwords

    return Passwords(hash=lambda password: f"h:{password}",
                     matches=lambda stored, password: stored == f"h:{password}",
                     decoy_hash=lambda: "h:decoy")


def make_contact(**overrides):
    from portal.domain.accounts import Contact

    values = dict(contact_id="acme-ann", company_id="acme", email="ann@acme.example", name="Ann",
                  language="en", password_hash="h:correct horse battery", roles=("system_owner",),
                  training_done=True)
    values.update(overrides)
    return Contact(**values)


DEMO_PASSWORD = "demo-portal"


def seeded_app(storage, tmp_path, charter_id: str = "example", **settings):
    """An app on `storage` holding the demo data (fast password hashing), CSRF checked only where asked."""
    import json
    from datetime import date
    from pathlib import Path

    from portal.adapters.mail import OutboxMailer
    from portal.domain.charter import load_charter
    from portal.services.seeding import seed_demo_data
    from portal.web.app import create_app

    charter = load_charter(charter_id)
    catalog = json.loads((Path(__file__).resolve().parents[1] / "portal" / "catalog" / "demo.json").read_text())
    passwords = fast_passwords()
    seed_demo_data(storage, charter, catalog, date.today(), hash_password=passwords.hash)
    app = create_app(make_settings(**settings), charter=charter, storage=storage,
                     mailer=OutboxMailer(tmp_path / "outbox", "support@vendor.example"), passwords=passwords)
    app.config["WTF_CSRF_ENABLED"] = False
    return app


@contextmanager
def demo_portal_on_moto(tmp_path):
    """The demo portal on moto's DynamoDB with the fake AWS settings, for fixtures that outlive one test."""
    import pytest
    from moto import mock_aws

    from portal.adapters.dynamo.storage import DynamoStorage

    with pytest.MonkeyPatch.context() as patch, mock_aws():
        for name, value in FAKE_AWS.items():
            patch.setenv(name, value)
        storage = DynamoStorage(make_settings())
        storage.create_missing_tables()
        yield seeded_app(storage, tmp_path, data_dir=tmp_path)


def signed_in_client(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"login of {email} failed"
    return client
