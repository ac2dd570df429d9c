"""One botocore data loader for every table's connection.

PynamoDB gives each model (one per table) a connection with its own botocore session, and each new session
reads and parses botocore's endpoint and DynamoDB model files again: eight tables, eight parses, which is most
of a cold start's database set-up. Sessions made here share one loader, so those files are parsed once per
process. The loader only caches what it reads; sharing it across threads is what botocore's own default
session does.

PynamoDB also asks every call for the capacity it consumed, which the portal never reads: the sessions made here
ask for none, so DynamoDB neither computes nor sends it.

Each call's User-Agent names the portal (USER_AGENT, fixed per process): botocore otherwise builds its own string
twice per call from some thirty parts, about a tenth of a call's CPU in the portal's process (bench: a GetItem
through PynamoDB, 1.0 ms of Python with botocore's string, 0.9 ms with this one).
"""

from __future__ import annotations

import platform
import threading

import botocore
import botocore.config
import botocore.loaders
import botocore.session
import pynamodb.connection.base

from portal.adapters.dynamo.deadline import refuse_past_deadline

USER_AGENT = f"support-portal botocore/{botocore.__version__} Python/{platform.python_version()}"

_lock = threading.Lock()
_loader: botocore.loaders.Loader | None = None


def shared_loader() -> botocore.loaders.Loader:
    """The process's botocore loader, made on first use."""
    global _loader
    with _lock:
        if _loader is None:
            _loader = botocore.loaders.create_loader()
        return _loader


def session_with_shared_loader() -> botocore.session.Session:
    """A new botocore session (its own credentials and clients) reading botocore's data through the shared
    loader."""
    session = botocore.session.get_session()
    session.register_component("data_loader", shared_loader())
    session.register("provide-client-params.dynamodb", ask_no_consumed_capacity)
    session.register("before-call.dynamodb", refuse_past_deadline)
    session.set_default_client_config(botocore.config.Config(user_agent=USER_AGENT))  # merged with PynamoDB's
    return session


def ask_no_consumed_capacity(params: dict, **_) -> None:
    """Drop the ReturnConsumedCapacity PynamoDB adds to every call: the portal does not read it."""
    params.pop("ReturnConsumedCapacity", None)


def share_botocore_data() -> None:
    """Make PynamoDB's connections create their sessions with the shared loader."""
    pynamodb.connection.base.get_session = session_with_shared_loader
