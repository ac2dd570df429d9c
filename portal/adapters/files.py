"""The file store for attachments: S3 with presigned URLs in production, a folder under the data dir on a laptop.

Both stores offer the same methods; S3 and botocore errors become BackendUnavailable("files"), a missing key
becomes NotFound.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, urlencode

from portal.domain.errors import BackendUnavailable, NotFound
from portal.domain.uploads import upload_id_of

UPLOAD_FORM_SECONDS = 15 * 60
DOWNLOAD_SECONDS = 300
DEFAULT_CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class UploadForm:
    """Where the browser sends a file: a URL and the form fields to send with it (the file field last)."""

    url: str
    fields: dict[str, str] = field(default_factory=dict)


def content_disposition(file_name: str) -> str:
    """`attachment` with an ASCII fallback name and the exact name in UTF-8 (RFC 6266)."""
    fallback = file_name.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def _as_stream(data: bytes | BinaryIO) -> BinaryIO:
    return io.BytesIO(data) if isinstance(data, bytes | bytearray) else data


def _laptop_upload_url(key: str) -> str:
    return f"/uploads/{upload_id_of(key)}/file"


class LocalFileStore:
    """Files under one folder (`<data_dir>/files`); keys are relative paths that never leave it.

    Download links are signed and expire, as S3's presigned ones do; the portal's /files route checks them.
    """

    receives_uploads = True  # the browser posts files to the portal itself
    serves_downloads = True

    def __init__(self, root: Path, secret: str | bytes | None = None,
                 upload_url: Callable[[str], str] = _laptop_upload_url, download_path: str = "/files/",
                 clock: Callable[[], float] = time.time):
        self.root = Path(root)
        self._secret = (secret.encode() if isinstance(secret, str) else secret) or secrets.token_bytes(32)
        self._upload_url = upload_url
        self._download_path = download_path
        self._clock = clock

    def path_of(self, key: str) -> Path:
        """The file a key names; a key that is absolute, climbs out or is malformed names none.

        :raise NotFound: when the key would leave the store's folder.
        """
        parts = key.split("/")
        if (not key or "\\" in key or "\x00" in key or key.startswith("/")
                or any(part in ("", ".", "..") for part in parts)):
            raise NotFound(key)
        root = self.root.resolve()
        path = root.joinpath(*parts).resolve()
        if not path.is_relative_to(root) or path == root:
            raise NotFound(key)
        return path

    def upload_form(self, key: str, max_bytes: int, content_type: str | None = None) -> UploadForm:
        self.path_of(key)
        return UploadForm(self._upload_url(key), {})

    def put(self, key: str, data: bytes | BinaryIO) -> int:
        """Store the bytes under the key (written aside, then moved in place); the size stored."""
        path = self.path_of(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                shutil.copyfileobj(_as_stream(data), out, 1024 * 1024)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path.stat().st_size

    def head(self, key: str) -> int | None:
        try:
            path = self.path_of(key)
        except NotFound:
            return None
        return path.stat().st_size if path.is_file() else None

    def read_start(self, key: str, n: int) -> bytes:
        with self.open(key) as stream:
            return stream.read(n)

    def open(self, key: str) -> BinaryIO:
        path = self.path_of(key)
        try:
            return path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotFound(key) from None

    def delete(self, key: str) -> None:
        path = self.path_of(key)
        path.unlink(missing_ok=True)
        root = self.root.resolve()
        for folder in path.parents:  # empty upload folders go too
            if folder == root or not folder.is_dir() or any(folder.iterdir()):
                break
            folder.rmdir()

    def keys_under(self, prefix: str) -> list[str]:
        """The keys that start with `prefix` (a folder ending with '/'), sorted."""
        try:
            folder = self.path_of(prefix.rstrip("/"))
        except NotFound:
            return []
        if not folder.is_dir():
            return []
        root = self.root.resolve()
        return sorted(path.relative_to(root).as_posix() for path in folder.rglob("*")
                      if path.is_file() and not path.name.startswith(".part-"))

    def download_url(self, key: str, file_name: str, expires: int = DOWNLOAD_SECONDS) -> str:
        """A link to the portal's /files route, signed for this key and name, valid `expires` seconds."""
        self.path_of(key)
        until = int(self._clock()) + expires
        query = urlencode({"name": file_name, "expires": until, "signature": self._sign(key, file_name, until)})
        return f"{self._download_path}{quote(key)}?{query}"

    def _sign(self, key: str, file_name: str, until: int) -> str:
        message = f"{key}\n{file_name}\n{until}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def link_is_valid(self, key: str, file_name: str, until: str, signature: str) -> bool:
        """Whether a download link was made by this store for this key and name, and has not expired."""
        if not re.fullmatch(r"[0-9]{1,15}", until) or int(until) < self._clock():  # not isdigit(): "²" is one
            return False
        return hmac.compare_digest(self._sign(key, file_name, int(until)), signature)


class S3FileStore:
    """Files in one S3 bucket; the browser uploads and downloads with presigned URLs.

    The client is made at the first use, not at start-up: a cold start that touches no file pays nothing.
    """

    receives_uploads = False  # browsers post straight to S3
    serves_downloads = False

    def __init__(self, client_factory: Callable[[], object], bucket: str):
        self._client_factory = client_factory
        self._client = None
        self.bucket = bucket

    @property
    def client(self):
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def _call(self, operation: str, *, allow: tuple[str, ...] = (), **params):
        """The client's answer; an error code in `allow` gives None, a missing key NotFound, any other failure
        BackendUnavailable."""
        import botocore.exceptions

        try:
            return getattr(self.client, operation)(**params)
        except botocore.exceptions.ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in allow:
                return None
            if code in ("404", "NoSuchKey", "NotFound"):
                raise NotFound(params.get("Key", "")) from error
            raise BackendUnavailable("files", code or type(error).__name__) from error
        except botocore.exceptions.BotoCoreError as error:
            raise BackendUnavailable("files", type(error).__name__) from error

    def upload_form(self, key: str, max_bytes: int, content_type: str | None = None) -> UploadForm:
        """A presigned POST valid 15 minutes: the key is fixed, the size between 1 byte and `max_bytes`."""
        content_type = content_type or DEFAULT_CONTENT_TYPE
        post = self._call("generate_presigned_post", Bucket=self.bucket, Key=key,
                          Fields={"Content-Type": content_type},
                          Conditions=[["content-length-range", 1, max_bytes], {"Content-Type": content_type}],
                          ExpiresIn=UPLOAD_FORM_SECONDS)
        return UploadForm(post["url"], dict(post["fields"]))

    def put(self, key: str, data: bytes | BinaryIO) -> int:
        stream = _as_stream(data)
        self._call("upload_fileobj", Fileobj=stream, Bucket=self.bucket, Key=key,
                   ExtraArgs={"ContentType": DEFAULT_CONTENT_TYPE})
        return self.head(key) or 0

    def head(self, key: str) -> int | None:
        response = self._call("head_object", allow=("404", "NoSuchKey", "NotFound"), Bucket=self.bucket, Key=key)
        return None if response is None else int(response["ContentLength"])

    def read_start(self, key: str, n: int) -> bytes:
        """The first `n` bytes with one ranged GET (an empty object gives b'')."""
        response = self._call("get_object", allow=("InvalidRange",), Bucket=self.bucket, Key=key,
                              Range=f"bytes=0-{n - 1}")
        return b"" if response is None else response["Body"].read()

    def open(self, key: str) -> BinaryIO:
        return self._call("get_object", Bucket=self.bucket, Key=key)["Body"]

    def delete(self, key: str) -> None:
        self._call("delete_object", Bucket=self.bucket, Key=key)

    def keys_under(self, prefix: str) -> list[str]:
        """The keys that start with `prefix` (one List request, at most 100 keys), sorted."""
        response = self._call("list_objects_v2", Bucket=self.bucket, Prefix=prefix, MaxKeys=100)
        return sorted(item["Key"] for item in response.get("Contents", ()))

    def download_url(self, key: str, file_name: str, expires: int = DOWNLOAD_SECONDS) -> str:
        """A presigned GET that saves the file under its safe name, never displays it."""
        return self._call("generate_presigned_url", ClientMethod="get_object", ExpiresIn=expires,
                          Params={"Bucket": self.bucket, "Key": key,
                                  "ResponseContentDisposition": content_disposition(file_name),
                                  "ResponseContentType": DEFAULT_CONTENT_TYPE})
