"""Remote-support tools (rules G10, E7): what a tier may download, what each file is, and the download itself.

A tool file is stored under `tools/<file_name>` in the file store, with a small metadata file beside it
(`tools/<file_name>.json`: size, SHA-256, version) so that the page shows them without reading the tool.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from portal.domain.eligibility import tier_in_force
from portal.domain.errors import NotFound

TOOLS_FOLDER = "tools"
MAX_VERSION = 50


@dataclass(frozen=True)
class ToolOffer:
    """The tools a tier may use, or why there are none: "no_contract", "no_remote_support", "no_tools"."""

    tier: object | None  # the charter's Tier
    tools: tuple[object, ...]  # the charter's RemoteTool values
    reason: str | None = None


@dataclass(frozen=True)
class ToolFile:
    """What the customer checks before running a tool: its size, SHA-256 and version (when known)."""

    size: int
    sha256: str
    version: str | None = None

    def as_json(self) -> dict:
        return {"size": self.size, "sha256": self.sha256, "version": self.version}


@dataclass(frozen=True)
class ListedTool:
    tool: object
    file: ToolFile | None  # None when no file is stored for it
    downloadable: bool  # a stored file or an address the charter gives


def tier_of(charter, company_file, today: date) -> str | None:
    """The tier of the company's best contract in force (rules T2, E7), else the charter's tier for customers
    without one (T2, P3), else None."""
    tier = tier_in_force(charter, company_file.contracts, None, today) if company_file else None
    return tier.id if tier else None


def tools_for(charter, tier_id: str | None) -> ToolOffer:
    """Rules E7, G10: the charter's tools this tier may use, or the reason it has none."""
    if tier_id is None:
        return ToolOffer(None, (), "no_contract")
    tier = charter.tier(tier_id)
    if not tier.remote_support:
        return ToolOffer(tier, (), "no_remote_support")
    offered = charter.remote_tools_for(tier_id)
    return ToolOffer(tier, offered, None if offered else "no_tools")


def tool_key(tool) -> str | None:
    return f"{TOOLS_FOLDER}/{tool.file_name}" if tool.file_name else None


def metadata_key(tool) -> str | None:
    return f"{TOOLS_FOLDER}/{tool.file_name}.json" if tool.file_name else None


def describe(content: bytes, version: str | None = None) -> ToolFile:
    """Size and SHA-256 of a tool file's bytes."""
    return ToolFile(len(content), hashlib.sha256(content).hexdigest(), version or None)


def stored_tool_file(files, tool) -> ToolFile | None:
    """The metadata stored beside a tool's file, or None when the tool has no stored file."""
    key = metadata_key(tool)
    if key is None or files.head(key) is None:
        return None
    with files.open(key) as stream:
        data = json.loads(stream.read())
    return ToolFile(int(data["size"]), str(data["sha256"]), data.get("version") or None)


def listed_tools(files, offer: ToolOffer) -> tuple[ListedTool, ...]:
    """Each tool the tier may use with its stored file's size, SHA-256 and version (rules G10, E7)."""
    listed = []
    for tool in offer.tools:
        stored = stored_tool_file(files, tool)
        listed.append(ListedTool(tool, stored, stored is not None or bool(tool.url)))
    return tuple(listed)


def download_address(charter, files, downloads, tier_id: str | None, tool_id: str) -> str:
    """Count a download of a tool the tier may use, then give where to fetch it: the stored file (a short-lived
    address), else the address the charter gives (rules G10, E7).

    :raise NotFound: the tier may not use this tool, or there is nothing to download.
    """
    tool = next((t for t in tools_for(charter, tier_id).tools if t.id == tool_id), None)
    if tool is None:
        raise NotFound(tool_id)
    key = tool_key(tool)
    stored = key is not None and files.head(key) is not None
    if not stored and not tool.url:
        raise NotFound(tool_id)
    downloads.count(tool.id)
    return files.download_url(key, tool.file_name) if stored else tool.url


def add_tool_file(charter, files, tool_id: str, content: bytes, version: str | None = None) -> ToolFile:
    """Store a charter tool's file and its metadata beside it (the size and SHA-256 the page shows).

    :raise NotFound: the charter has no tool with this id.
    :raise ValueError: the tool has no file name in the charter, or the version is too long.
    """
    tool = next((t for t in charter.remote_tools if t.id == tool_id), None)
    if tool is None:
        raise NotFound(tool_id)
    if not tool.file_name:
        raise ValueError(f"the charter gives tool {tool_id!r} no file_name")
    if version is not None and len(version) > MAX_VERSION:
        raise ValueError(f"the version must be at most {MAX_VERSION} characters")
    described = describe(content, version)
    files.put(tool_key(tool), content)
    files.put(metadata_key(tool), json.dumps(described.as_json()).encode())
    return described
