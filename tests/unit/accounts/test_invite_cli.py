"""Staff invite a contact: an e-mail with a single-use link valid 72 hours."""


import pytest
from click.testing import CliRunner
from moto import mock_aws

from portal.cli import main


@pytest.fixture
def portal_env(fake_aws, monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_TABLE_PREFIX", "invite-")
    monkeypatch.setenv("PORTAL_DATA", str(tmp_path))
    monkeypatch.delenv("PORTAL_DYNAMODB_ENDPOINT", raising=False)
    with mock_aws():
        from portal.adapters.dynamo.storage import DynamoStorage
        from portal.domain.accounts import Company, DemoData
        from portal.settings import load_settings
        from tests.builders import make_contact

        storage = DynamoStorage(load_settings())
        storage.create_missing_tables()
        storage.accounts.save_demo(DemoData(companies=(Company("acme", "Acme"),),
                                            contacts=(make_contact(password_hash=None, language="nl"),)))
        yield tmp_path


def test_an_invitation_is_mailed_in_the_contacts_language_with_a_link(portal_env):
    result = CliRunner().invoke(main, ["contacts", "invite", "--company", "acme", "--contact", "acme-ann",
                                       "--base-url", "https://support.vendor.example"])
    assert result.exit_code == 0, result.output
    [eml] = list((portal_env / "outbox").glob("*.eml"))
    text = eml.read_text()
    assert "Uw toegang tot het supportportaal" in text
    assert "https://support.vendor.example/password/set/" in text


def test_inviting_an_unknown_contact_fails_clearly(portal_env):
    result = CliRunner().invoke(main, ["contacts", "invite", "--company", "acme", "--contact", "nobody"])
    assert result.exit_code == 2
    assert "no contact 'nobody'" in result.output
