"""A file store double with the portal's file-store interface (put, head, open, download_url), and an app on it."""

from __future__ import annotations

import io

from tests.builders import seeded_app


class MemoryFileStore:
    """Files in a dict; download addresses say which key and name they serve."""

    def __init__(self):
        self.objects: dict[str, bytes] = {}

    def put(self, key: str, data: bytes) -> int:
        self.objects[key] = bytes(data)
        return len(data)

    def head(self, key: str) -> int | None:
        return len(self.objects[key]) if key in self.objects else None

    def open(self, key: str):
        return io.BytesIO(self.objects[key])

    def download_url(self, key: str, file_name: str, expires: int = 300) -> str:
        return f"https://files.example/{key}?name={file_name}&expires={expires}"


def tools_app(storage, tmp_path, charter_id: str = "graitec", files=None):
    """A portal with the demo data of a charter, its file store replaced by `files` (an empty one by default)."""
    app = seeded_app(storage, tmp_path, charter_id)
    vars(app.extensions["portal"])["files"] = files if files is not None else MemoryFileStore()
    return app
