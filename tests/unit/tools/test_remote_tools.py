"""Remote-support tools (rules G10, E7): a tier sees the tools it may use, or why it has none."""

import hashlib
from dataclasses import replace

import pytest

from portal.domain.charter import load_charter
from portal.domain.errors import NotFound
from portal.services.tools import add_tool_file, describe, download_address, listed_tools, tools_for
from tests.unit.tools.tool_builders import MemoryFileStore


class CountingDownloads:
    def __init__(self):
        self.counted: list[str] = []

    def count(self, tool_id: str) -> int:
        self.counted.append(tool_id)
        return self.counted.count(tool_id)


def test_exer_premium_has_remote_support_with_its_connection_tool():
    """Rule E7."""
    offer = tools_for(load_charter("exer"), "premium")
    assert offer.reason is None and [tool.id for tool in offer.tools] == ["remote_connection"]


def test_exer_standard_has_no_remote_support_and_says_so():
    """Rule E7: Standard maintenance is by e-mail only."""
    offer = tools_for(load_charter("exer"), "standard")
    assert offer.tools == () and offer.reason == "no_remote_support"
    assert "e-mail only" in offer.tier.description.get("en")


def test_graitec_advantage_downloads_teamviewer_quicksupport():
    """Rule G10."""
    [tool] = tools_for(load_charter("graitec"), "advantage").tools
    assert tool.name == "TeamViewer QuickSupport" and tool.file_name == "TeamViewerQS.exe"


def test_a_company_without_a_contract_in_force_has_no_tool():
    assert tools_for(load_charter("graitec"), None).reason == "no_contract"


def test_a_tier_with_remote_support_but_no_tool_in_the_charter_says_there_is_none_to_download():
    charter = replace(load_charter("exer"), remote_tools=())
    assert tools_for(charter, "premium").reason == "no_tools"


def test_a_stored_tool_is_listed_with_its_size_sha256_and_version():
    """Rule G10."""
    charter, files = load_charter("graitec"), MemoryFileStore()
    add_tool_file(charter, files, "teamviewer_quicksupport", b"MZ tool bytes", "15.52")
    [listed] = listed_tools(files, tools_for(charter, "advantage"))
    assert listed.file == describe(b"MZ tool bytes", "15.52")
    assert (listed.file.size, listed.file.sha256) == (13, hashlib.sha256(b"MZ tool bytes").hexdigest())
    assert files.objects["tools/TeamViewerQS.exe"] == b"MZ tool bytes" and listed.downloadable


def test_a_tool_without_a_stored_file_or_an_address_cannot_be_downloaded():
    """Exer's remote connection has neither: support gives it during a session."""
    charter, downloads = load_charter("exer"), CountingDownloads()
    [listed] = listed_tools(MemoryFileStore(), tools_for(charter, "premium"))
    assert listed.file is None and not listed.downloadable
    with pytest.raises(NotFound):
        download_address(charter, MemoryFileStore(), downloads, "premium", "remote_connection")
    assert downloads.counted == []


def test_a_download_is_counted_then_served_from_the_store_before_the_charters_address():
    charter, files, downloads = load_charter("graitec"), MemoryFileStore(), CountingDownloads()
    assert download_address(charter, files, downloads, "advantage", "teamviewer_quicksupport") == \
        "https://get.teamviewer.com/graitec"
    add_tool_file(charter, files, "teamviewer_quicksupport", b"MZ")
    assert download_address(charter, files, downloads, "advantage", "teamviewer_quicksupport").startswith(
        "https://files.example/tools/TeamViewerQS.exe?name=TeamViewerQS.exe")
    assert downloads.counted == ["teamviewer_quicksupport"] * 2


@pytest.mark.parametrize("tier, tool_id", [("standard", "remote_connection"), ("premium", "teamviewer"),
                                           (None, "remote_connection")])
def test_a_tool_the_tier_may_not_use_is_not_found_and_not_counted(tier, tool_id):
    """Rule E7."""
    downloads = CountingDownloads()
    with pytest.raises(NotFound):
        download_address(load_charter("exer"), MemoryFileStore(), downloads, tier, tool_id)
    assert downloads.counted == []


def test_adding_a_file_for_a_tool_the_charter_does_not_list_is_refused():
    with pytest.raises(NotFound):
        add_tool_file(load_charter("graitec"), MemoryFileStore(), "anydesk", b"MZ")


def test_adding_a_file_for_a_tool_without_a_file_name_is_refused():
    with pytest.raises(ValueError, match="file_name"):
        add_tool_file(load_charter("exer"), MemoryFileStore(), "remote_connection", b"MZ")
