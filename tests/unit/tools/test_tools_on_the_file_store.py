"""A tool stored with `portal tools add` on the laptop file store is listed and downloaded through the portal."""

import hashlib

from click.testing import CliRunner

from portal.cli import main
from tests.builders import signed_in_client
from tests.unit.tools.tool_builders import tools_app


def test_a_tool_added_on_the_command_line_is_listed_and_downloaded_with_its_bytes(moto_storage, tmp_path,
                                                                                   monkeypatch):
    """Rule G10: the page shows the SHA-256 of the very bytes the download sends."""
    from portal.adapters.files import LocalFileStore

    files = LocalFileStore(tmp_path / "files", "test-secret")
    monkeypatch.setenv("PORTAL_ENV", "test")
    monkeypatch.setenv("PORTAL_CHARTER", "graitec")
    monkeypatch.setattr("portal.cli.tools.file_store", lambda settings, charter: files)
    tool = tmp_path / "TeamViewerQS.exe"
    tool.write_bytes(b"MZ" + bytes(range(256)) * 40)
    added = CliRunner().invoke(main, ["tools", "add", "teamviewer_quicksupport", str(tool), "--version", "15.52"])
    assert added.exit_code == 0, added.output
    app = tools_app(moto_storage, tmp_path, "graitec", files)
    client = signed_in_client(app, "owner@customer1.example")
    page = client.get("/tools?lang=en").get_data(as_text=True)
    digest = hashlib.sha256(tool.read_bytes()).hexdigest()
    assert digest in page and "10.2 kB" in page and "15.52" in page
    link = client.get("/tools/teamviewer_quicksupport/download")
    assert link.status_code == 302
    download = client.get(link.headers["Location"])
    assert download.status_code == 200 and hashlib.sha256(download.data).hexdigest() == digest
    download.close()
