"""The database as the services see it: table set-up, health, and the repositories."""

from __future__ import annotations

from portal.adapters.dynamo import tables
from portal.adapters.dynamo.accounts import AccountsRepository
from portal.adapters.dynamo.admin import AdminRepository
from portal.adapters.dynamo.api_tokens import ApiTokenRepository
from portal.adapters.dynamo.audit import AuditRepository
from portal.adapters.dynamo.catalog import CatalogRepository
from portal.adapters.dynamo.downloads import DownloadCounter
from portal.adapters.dynamo.kb_counters import KbCounters
from portal.adapters.dynamo.oversight import OversightRepository
from portal.adapters.dynamo.pending_mail import PendingMailRepository
from portal.adapters.dynamo.problems import ProblemsRepository
from portal.adapters.dynamo.queue import QueueRepository
from portal.adapters.dynamo.staff import StaffRepository
from portal.adapters.dynamo.throttles import ThrottleRepository
from portal.adapters.dynamo.tickets import TicketsRepository
from portal.settings import Settings


class DynamoStorage:
    """DynamoDB (or DynamoDB Local) behind the portal's storage operations."""

    def __init__(self, settings: Settings):
        self.settings = settings
        tables.configure_tables(settings)
        self.accounts = AccountsRepository()
        self.staff = StaffRepository()
        self.catalog = CatalogRepository()
        self.throttles = ThrottleRepository()
        self.api_tokens = ApiTokenRepository()
        self.tickets = TicketsRepository()
        self.queue = QueueRepository()
        self.downloads = DownloadCounter()
        self.kb_counters = KbCounters()
        self.problems = ProblemsRepository()
        self.oversight = OversightRepository()
        self.audit = AuditRepository()
        self.admin = AdminRepository()
        self.pending_mail = PendingMailRepository()

    def ping(self) -> None:
        tables.ping()

    def create_missing_tables(self) -> list[str]:
        """The tables and indexes the portal needs; on DynamoDB Local, indexes it retired are taken away."""
        return tables.create_missing_tables(drop_retired=self.settings.uses_local_dynamodb)
