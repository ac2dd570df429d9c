from pathlib import Path

import pytest

from portal.settings import SettingsError, load_settings


def test_defaults_suit_a_laptop_with_the_example_charter():
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


def test_port_and_data_folder_can_be_chosen_so_two_copies_run_side_by_side():
    settings = load_settings({"PORTAL_PORT": "5077", "PORTAL_DATA": "/srv/second"})
    assert settings.port == 5077
    assert settings.data_dir == Path("/srv/second")


@pytest.mark.parametrize("name, value", [("PORTAL_PORT", "abc"), ("PORTAL_PORT", "-1"),
                                         ("PORTAL_DYNAMODB_TIMEOUT", "soon"), ("PORTAL_ENV", "staging")])
def test_a_malformed_variable_is_named_in_the_error(name, value):
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value})


def test_settings_are_frozen():
    settings = load_settings({})
    with pytest.raises(AttributeError):
        settings.port = 1


def test_production_tables_have_no_stage_in_their_prefix():
    settings = load_settings({"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "x" * 32})
    assert settings.table_prefix == "portal-"
    assert settings.is_production
