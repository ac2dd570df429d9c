"""The laptop's mail server for the e-mail channel: any mail client or smtplib sends to the portal on
127.0.0.1:PORTAL_SMTP_PORT (default 2525), and each message goes through the same service as in production
(portal/services/mail_intake.py). Started and stopped by `portal dev` (`make run`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from portal.domain.inbound_mail import MAX_MESSAGE_BYTES

log = logging.getLogger("portal.smtp")
DEFAULT_PORT = 2525


def configured_port(environ: Mapping[str, str] | None = None) -> int:
    """PORTAL_SMTP_PORT, else 2525.

    :raise ValueError: when it is not a port number.
    """
    raw = (os.environ if environ is None else environ).get("PORTAL_SMTP_PORT") or str(DEFAULT_PORT)
    port = int(raw)
    if not 0 < port < 65536:
        raise ValueError(f"PORTAL_SMTP_PORT must be a port number, not {raw!r}")
    return port


class _Handler:
    """aiosmtpd's DATA handler: the raw message, with the envelope's return path as an SMTP server records it
    (an empty one marks a bounce), handed to `deliver` outside the server's event loop."""

    def __init__(self, deliver: Callable[[bytes, tuple[str, ...]], object]):
        self.deliver = deliver

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        content = envelope.original_content or envelope.content or b""
        raw = f"Return-Path: <{envelope.mail_from or ''}>\r\n".encode() + content
        try:
            await asyncio.get_running_loop().run_in_executor(None, self.deliver, raw, tuple(envelope.rcpt_tos))
        except Exception:  # the client is told to retry; the log keeps the reason
            log.exception("mail not handled")
            return "451 Requested action aborted: error in processing"
        return "250 Message accepted"


class LocalMailServer:
    """An SMTP server on 127.0.0.1 whose messages go to `deliver(raw, envelope recipients)`."""

    def __init__(self, deliver: Callable[[bytes, tuple[str, ...]], object], port: int = DEFAULT_PORT,
                 host: str = "127.0.0.1"):
        self.deliver = deliver
        self.host = host
        self.port = port
        self._controller = None

    def start(self) -> LocalMailServer:
        from aiosmtpd.controller import Controller

        with socket.socket() as probe:  # a taken port fails here, before aiosmtpd makes its event loop
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((self.host, self.port))
        controller = Controller(_Handler(self.deliver), hostname=self.host, port=self.port,
                                data_size_limit=MAX_MESSAGE_BYTES, ready_timeout=10)
        try:
            controller.start()
        except BaseException:
            controller.loop.close()
            raise
        self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> LocalMailServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def mail_server_for(portal, port: int | None = None) -> LocalMailServer:
    """The mail server of a running portal (its PortalContext): messages go to the e-mail channel, links in the
    acknowledgements point at the laptop's portal."""
    from portal.services.mail_intake import desk_of, receive_mail

    desk = desk_of(portal, f"http://127.0.0.1:{portal.settings.port}")

    def deliver(raw: bytes, recipients: tuple[str, ...]):
        return receive_mail(desk, raw, datetime.now(UTC), recipients)

    return LocalMailServer(deliver, configured_port() if port is None else port)


def start_mail_server(portal) -> LocalMailServer:
    """Start the portal's mail server on PORTAL_SMTP_PORT; when that is unset and 2525 is taken (a second copy
    of the portal), on a free port, printed at start like the others.

    :raise OSError: when the port set in PORTAL_SMTP_PORT is taken. :raise ValueError: when it is no port.
    """
    try:
        return mail_server_for(portal).start()
    except OSError:
        if os.environ.get("PORTAL_SMTP_PORT"):
            raise
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return mail_server_for(portal, port).start()
