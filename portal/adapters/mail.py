"""Outgoing e-mail: SES in production, `.eml` files in an outbox folder on a laptop and in tests."""

from __future__ import annotations

import email.headerregistry
import email.parser
import email.policy
import email.utils
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from portal.domain.errors import BackendUnavailable
from portal.domain.inbound_mail import thread_message_id
from portal.domain.mail import MailRejected, OutgoingMail

TICKET_HEADER = "X-Portal-Ticket"


class HeaderClasses(email.headerregistry.HeaderRegistry):
    """The standard header registry, making each header's class once: the standard one makes a new class for every
    header it stores, which was a fifth of building a message."""

    def __init__(self):
        super().__init__()
        self._made: dict[str, type] = {}

    def map_to_type(self, name, cls):
        self._made.clear()
        super().map_to_type(name, cls)

    def __getitem__(self, name):
        made = self._made.get(name.lower())
        if made is None:
            made = self._made[name.lower()] = super().__getitem__(name)
        return made


OUTGOING_POLICY = email.policy.SMTP.clone(header_factory=HeaderClasses())


def build_message(mail: OutgoingMail, sender: str, domain: str) -> EmailMessage:
    """The MIME message for a mail: plain text, optional HTML alternative, a Message-ID of our domain; a mail
    about a request (the X-Portal-Ticket header) gets a Message-ID that names it, so that a reply finds it (P9)."""
    message = EmailMessage(policy=OUTGOING_POLICY)
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = email.utils.formatdate(localtime=False)
    number = mail.headers.get(TICKET_HEADER)
    message["Message-ID"] = (thread_message_id(number, uuid.uuid4().hex, domain) if number
                             else f"<{uuid.uuid4().hex}@{domain}>")
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    message["Content-Language"] = mail.language  # after the content: set_content drops Content-* headers
    return message


def _domain(sender: str) -> str:
    return email.utils.parseaddr(sender)[1].rpartition("@")[2] or "portal.invalid"


class OutboxMailer:
    """Writes each message as an `.eml` file into a folder (the laptop's and the tests' mail server)."""

    def __init__(self, folder: Path, sender: str):
        self.folder = Path(folder)
        self.sender = sender

    def send(self, mail: OutgoingMail) -> str:
        message = build_message(mail, self.sender, _domain(self.sender))
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(message.as_bytes())
        return message["Message-ID"]

    def messages(self) -> list[EmailMessage]:
        """The messages sent so far, oldest first."""
        parser = email.parser.BytesParser(policy=email.policy.default)
        return [parser.parsebytes(path.read_bytes()) for path in sorted(self.folder.glob("*.eml"))]

    def forget(self, texts) -> int:
        """Delete the kept messages that name any of these texts (an address, a name) in a header or a text part,
        however encoded, for an erasure; returns how many went."""
        wanted = [text.lower() for text in texts if text and text.strip()]
        parser = email.parser.BytesParser(policy=email.policy.default)
        deleted = 0
        for path in sorted(self.folder.glob("*.eml")) if wanted else ():
            message = parser.parsebytes(path.read_bytes())
            readable = "\n".join([*(str(value) for value in message.values()),
                                   *(part.get_content() for part in message.walk()
                                     if part.get_content_maintype() == "text")]).lower()
            if any(text in readable for text in wanted):
                path.unlink(missing_ok=True)
                deleted += 1
        return deleted


class SesMailer:
    """Sends through Amazon SES (raw messages, so that threading headers are kept).

    The client is made at the first message, not at start-up: a cold start sends no mail.
    """

    def __init__(self, client_factory, sender: str):
        self._client_factory = client_factory
        self._client = None
        self.sender = sender

    @property
    def client(self):
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def forget(self, texts) -> int:
        """SES keeps no copy of what it sent: nothing to delete for an erasure."""
        return 0

    def send(self, mail: OutgoingMail) -> str:
        import botocore.exceptions

        message = build_message(mail, self.sender, _domain(self.sender))
        try:
            self.client.send_raw_email(Source=self.sender, Destinations=[mail.to],
                                       RawMessage={"Data": message.as_bytes()})
        except botocore.exceptions.ClientError as error:
            if rejected_for_good(error.response.get("Error", {})):
                raise MailRejected("mail", error.response["Error"]["Code"]) from error
            raise BackendUnavailable("mail", type(error).__name__) from error
        except botocore.exceptions.BotoCoreError as error:
            raise BackendUnavailable("mail", type(error).__name__) from error
        return message["Message-ID"]


def rejected_for_good(error: dict) -> bool:
    """Whether SES's answer refuses this very mail, so that no later try can pass: an invalid address or header
    (InvalidParameterValue), or a rejected message (MessageRejected: an address SES blocks, a message it will not
    carry) unless it is about an identity not yet verified, which an administrator mends (the sender's, or a
    sandboxed account's recipients). Throttling, quotas, a paused account and outages pass with time."""
    code, message = error.get("Code", ""), str(error.get("Message", "")).lower()
    if code == "InvalidParameterValue":
        return True
    return code == "MessageRejected" and "not verified" not in message
