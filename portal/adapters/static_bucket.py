"""The static site's bucket: pages rebuilt after the site was built are put in place, one object each."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from portal.domain.errors import BackendUnavailable


def publish(client, bucket: str, folder: Path, files) -> list[str]:
    """Put each file of a built site folder into the bucket under its path in the folder; returns the keys.

    :raise BackendUnavailable: when S3 does not answer or refuses (the files already there stay).
    """
    import botocore.exceptions

    folder, keys = Path(folder), []
    for file in files:
        key = Path(file).resolve().relative_to(folder.resolve()).as_posix()
        kind = mimetypes.guess_type(key)[0] or "application/octet-stream"
        try:
            client.put_object(Bucket=bucket, Key=key, Body=Path(file).read_bytes(),
                              ContentType=f"{kind}; charset=utf-8" if kind.startswith("text/") else kind)
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as error:
            raise BackendUnavailable("s3", type(error).__name__) from error
        keys.append(key)
    return keys
