"""SES received a message for a support address and kept it in S3: it goes through the e-mail channel
(portal/services/mail_intake.py), as one the laptop's SMTP server receives does.

`PORTAL_INBOUND_MAIL_BUCKET` names the bucket SES keeps messages in; `PORTAL_PUBLIC_URL` the portal's address.
"""

from __future__ import annotations

import functools
import os
from datetime import UTC, datetime

from portal.logs import configure_logging


@functools.cache
def inbound_desk():
    """The mail desk of the running environment, and a file store for a bucket (built once per process)."""
    import boto3

    from portal.adapters.dynamo.storage import DynamoStorage
    from portal.adapters.files import S3FileStore
    from portal.domain.calendar import calendar_for
    from portal.domain.charter import load_charter
    from portal.services.mail_intake import MailDesk
    from portal.settings import load_settings
    from portal.web.app import build_file_store, build_mailer

    settings = load_settings()
    charter = load_charter(settings.charter)
    storage = DynamoStorage(settings)
    desk = MailDesk(charter, calendar_for(charter), storage.accounts, storage.catalog, storage.tickets,
                    build_file_store(settings), build_mailer(settings, storage),  # refused mails kept for the retry
                    (os.environ.get("PORTAL_PUBLIC_URL") or f"http://127.0.0.1:{settings.port}").rstrip("/"))
    client = functools.cache(lambda: boto3.client("s3", region_name=settings.aws_region))
    return desk, lambda bucket: S3FileStore(client, bucket)


def handler(event, context):
    from portal.services.ses_inbound import receive_ses_event

    configure_logging()
    desk, store_for = inbound_desk()
    return receive_ses_event(desk, store_for, event, datetime.now(UTC), os.environ.get("PORTAL_INBOUND_MAIL_BUCKET"))
