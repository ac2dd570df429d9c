"""`portal tools add` stores a tool with its size and SHA-256 beside it; `portal tools list` shows the counts."""

import hashlib
import json

import pytest
from click.testing import CliRunner
from moto import mock_aws

from portal.cli import main
from tests.unit.tools.tool_builders import MemoryFileStore


@pytest.fixture
def portal_env(fake_aws, monkeypatch, tmp_path):
    """The graitec charter, tables on moto, and a file store double in place of the portal's."""
    files = MemoryFileStore()
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_CHARTER", "graitec")
    monkeypatch.setenv("PORTAL_TABLE_PREFIX", "tools-cli-")
    monkeypatch.setenv("PORTAL_DATA", str(tmp_path))
    monkeypatch.delenv("PORTAL_DYNAMODB_ENDPOINT", raising=False)
    monkeypatch.setattr("portal.cli.tools.file_store", lambda settings, charter: files)
    with mock_aws():
        from portal.adapters.dynamo.storage import DynamoStorage
        from portal.settings import load_settings

        storage = DynamoStorage(load_settings())
        storage.create_missing_tables()
        yield files, storage, tmp_path


def test_adding_a_tool_stores_the_file_and_its_size_and_sha256_beside_it(portal_env):
    """Rule G10."""
    files, _storage, tmp_path = portal_env
    tool = tmp_path / "TeamViewerQS.exe"
    tool.write_bytes(b"MZ quick support")
    result = CliRunner().invoke(main, ["tools", "add", "teamviewer_quicksupport", str(tool), "--version", "15.52"])
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(b"MZ quick support").hexdigest()
    assert files.objects["tools/TeamViewerQS.exe"] == b"MZ quick support"
    assert json.loads(files.objects["tools/TeamViewerQS.exe.json"]) == {"size": 16, "sha256": digest,
                                                                       "version": "15.52"}
    assert digest in result.output


def test_adding_a_tool_the_charter_does_not_list_fails_clearly(portal_env):
    files, _storage, tmp_path = portal_env
    tool = tmp_path / "AnyDesk.exe"
    tool.write_bytes(b"MZ")
    result = CliRunner().invoke(main, ["tools", "add", "anydesk", str(tool)])
    assert result.exit_code == 2 and "no tool 'anydesk'" in result.output and "teamviewer_quicksupport" in result.output
    assert files.objects == {}


def test_listing_shows_each_tool_with_its_file_and_download_count(portal_env):
    files, storage, tmp_path = portal_env
    tool = tmp_path / "TeamViewerQS.exe"
    tool.write_bytes(b"MZ")
    CliRunner().invoke(main, ["tools", "add", "teamviewer_quicksupport", str(tool)])
    storage.downloads.count("teamviewer_quicksupport")
    result = CliRunner().invoke(main, ["tools", "list"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert row["id"] == "teamviewer_quicksupport" and row["downloads"] == 1 and row["file"]["size"] == 2
