"""What the command-line verbs share: settings from the environment and clear failures."""

from __future__ import annotations

import sys

import click

from portal.settings import SettingsError, load_settings


def fail(message: str, code: int = 2):
    """Print one clear line on stderr and exit with `code`."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def settings_from_environment():
    try:
        return load_settings()
    except SettingsError as error:
        fail(str(error))


def storage_from_environment():
    from portal.adapters.dynamo.storage import DynamoStorage

    settings = settings_from_environment()
    return DynamoStorage(settings), settings
