"""The remote-support page and its counted downloads, per charter and tier (rules G10, E7)."""

import pytest

from portal.services.tools import add_tool_file
from tests.builders import signed_in_client
from tests.call_counter import count_dynamodb_calls
from tests.unit.tools.tool_builders import MemoryFileStore, tools_app

FIRST_TIER = "owner@customer1.example"  # the charter's best tier that may open requests
SECOND_TIER = "owner@customer2.example"


def test_exer_premium_sees_its_remote_connection_tool(moto_storage, tmp_path):
    """Rule E7: Premium includes remote support."""
    app = tools_app(moto_storage, tmp_path, "exer")
    page = signed_in_client(app, FIRST_TIER).get("/tools?lang=en").get_data(as_text=True)
    assert "Connexion à distance" in page and "Support gives it to you when a session is needed." in page
    assert "/tools/remote_connection/download" not in page


def test_exer_standard_is_told_why_it_has_no_remote_support_in_the_charters_words(moto_storage, tmp_path):
    """Rule E7: Manufacturer maintenance is by e-mail only."""
    app = tools_app(moto_storage, tmp_path, "exer")
    page = signed_in_client(app, SECOND_TIER).get("/tools?lang=en").get_data(as_text=True)
    assert "Your level of service, Manufacturer maintenance, does not include remote support." in page
    assert "by e-mail only" in page and "Connexion à distance" not in page


def test_the_reason_is_translated(moto_storage, tmp_path):
    app = tools_app(moto_storage, tmp_path, "exer")
    page = signed_in_client(app, SECOND_TIER).get("/tools?lang=fr").get_data(as_text=True)
    assert "ne comprend pas la prise en main à distance" in page and "par e-mail uniquement" in page


def test_graitec_advantage_sees_teamviewer_with_version_size_and_sha256(moto_storage, tmp_path):
    """Rule G10."""
    files = MemoryFileStore()
    app = tools_app(moto_storage, tmp_path, "graitec", files)
    stored = add_tool_file(app.extensions["portal"].charter, files, "teamviewer_quicksupport", b"M" * 2_500_000,
                           "15.52")
    page = signed_in_client(app, FIRST_TIER).get("/tools?lang=en").get_data(as_text=True)
    assert "TeamViewer QuickSupport" in page and "15.52" in page and "2.5 MB" in page
    assert stored.sha256 in page and "/tools/teamviewer_quicksupport/download" in page


def test_the_page_reads_the_company_once(moto_storage, tmp_path):
    app = tools_app(moto_storage, tmp_path, "graitec")
    client = signed_in_client(app, FIRST_TIER)
    with count_dynamodb_calls() as calls:
        assert client.get("/tools").status_code == 200
    assert calls == {"Query": 1}


def test_a_download_is_counted_and_sent_from_the_file_store(moto_storage, tmp_path):
    """Rule G10: downloads are counted."""
    files = MemoryFileStore()
    app = tools_app(moto_storage, tmp_path, "graitec", files)
    add_tool_file(app.extensions["portal"].charter, files, "teamviewer_quicksupport", b"MZ")
    client = signed_in_client(app, FIRST_TIER)
    for _ in range(2):
        response = client.get("/tools/teamviewer_quicksupport/download")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("https://files.example/tools/TeamViewerQS.exe?")
    assert moto_storage.downloads.counts(["teamviewer_quicksupport"]) == {"teamviewer_quicksupport": 2}


def test_without_a_stored_file_the_download_goes_to_the_charters_address(moto_storage, tmp_path):
    app = tools_app(moto_storage, tmp_path, "graitec")
    response = signed_in_client(app, FIRST_TIER).get("/tools/teamviewer_quicksupport/download")
    assert response.status_code == 302 and response.headers["Location"] == "https://get.teamviewer.com/graitec"
    assert moto_storage.downloads.counts(["teamviewer_quicksupport"]) == {"teamviewer_quicksupport": 1}


@pytest.mark.parametrize("email, tool_id", [(SECOND_TIER, "remote_connection"), (FIRST_TIER, "unknown_tool"),
                                            (FIRST_TIER, "remote_connection")])
def test_a_tool_the_tier_may_not_use_or_cannot_download_is_404_and_not_counted(moto_storage, tmp_path, email,
                                                                               tool_id):
    """Rule E7: exer Standard has no remote support; Premium's tool has nothing to download."""
    app = tools_app(moto_storage, tmp_path, "exer")
    assert signed_in_client(app, email).get(f"/tools/{tool_id}/download").status_code == 404
    assert moto_storage.downloads.counts([tool_id]) == {tool_id: 0}


@pytest.mark.parametrize("path", ["/tools", "/tools/teamviewer_quicksupport/download"])
def test_visitors_are_sent_to_the_login_page(moto_storage, tmp_path, path):
    response = tools_app(moto_storage, tmp_path).test_client().get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_signed_in_menu_links_to_remote_support(moto_storage, tmp_path):
    page = signed_in_client(tools_app(moto_storage, tmp_path), FIRST_TIER).get("/?lang=en").get_data(as_text=True)
    assert 'href="/tools"' in page and "Remote support" in page
