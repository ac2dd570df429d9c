"""Every key in a file store (attachments and their records), for `portal data export --files`.

The stores' own `keys_under` reads one page of at most 100 keys (enough for one upload); moving a whole bucket
needs all of them: a paginated listing on S3, a walk of the folder on a laptop. Offline admin commands only.
"""

from __future__ import annotations

from collections.abc import Iterator

from portal.adapters.files import LocalFileStore, S3FileStore


def every_key(files) -> Iterator[str]:
    """Every key the store holds, sorted (unfinished `.part-` writes of a laptop store left out)."""
    if isinstance(files, LocalFileStore):
        root = files.root.resolve()
        if not root.is_dir():
            return iter(())
        return iter(sorted(path.relative_to(root).as_posix() for path in root.rglob("*")
                           if path.is_file() and not path.name.startswith(".part-")))
    if isinstance(files, S3FileStore):
        return _s3_keys(files)
    return iter(sorted(files.keys_under("")))  # a test double


def _s3_keys(files: S3FileStore) -> Iterator[str]:
    paginator = files._call("get_paginator", operation_name="list_objects_v2")
    for page in paginator.paginate(Bucket=files.bucket):
        for item in page.get("Contents", ()):
            yield item["Key"]
