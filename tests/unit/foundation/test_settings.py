from pathlib import Path

import pytest

from portal.settings import SettingsError, load_settings


def test_defaults_suit_a_laptop_with_the_example_charter(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.env == "dev"
    assert settings.charter == "example"
    assert settings.dynamodb_endpoint is None
    assert settings.port == 5000
    assert settings.data_dir == Path(".data")
    assert settings.table_prefix == "portal-dev-"
    assert len(settings.secret_key) >= 32


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(SettingsError, match="PORTAL_SECRET_KEY"):
        load_settings({"PORTAL_ENV": "production"})


def test_port_and_data_folder_can_be_chosen_so_two_copies_run_side_by_side(tmp_path):
    settings = load_settings({"PORTAL_PORT": "5077", "PORTAL_DATA": str(tmp_path / "second")})
    assert settings.port == 5077
    assert settings.data_dir == tmp_path / "second"


def test_a_laptops_secret_key_is_kept_in_the_data_folder_across_restarts(tmp_path):
    first = load_settings({"PORTAL_DATA": str(tmp_path)}).secret_key
    assert load_settings({"PORTAL_DATA": str(tmp_path)}).secret_key == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("name, value", [("PORTAL_PORT", "abc"), ("PORTAL_PORT", "-1"),
                                         ("PORTAL_DYNAMODB_TIMEOUT", "soon"), ("PORTAL_REQUEST_DEADLINE", "later"),
                                         ("PORTAL_ENV", "staging")])
def test_a_malformed_variable_is_named_in_the_error(name, value):
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value, "PORTAL_ENV": "test"} if name != "PORTAL_ENV" else {name: value})


def test_a_request_starts_no_database_call_after_twenty_seconds_unless_told_otherwise():
    assert load_settings({"PORTAL_ENV": "test"}).request_deadline_seconds == 20.0
    assert load_settings({"PORTAL_ENV": "test", "PORTAL_REQUEST_DEADLINE": "8"}).request_deadline_seconds == 8.0


def test_settings_are_frozen():
    settings = load_settings({"PORTAL_ENV": "test"})
    with pytest.raises(AttributeError):
        settings.port = 1


def test_production_tables_have_no_stage_in_their_prefix():
    settings = load_settings({"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "x" * 32})
    assert settings.table_prefix == "portal-"
    assert settings.is_production
