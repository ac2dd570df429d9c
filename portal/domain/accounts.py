"""Who may ask: customer companies, resellers and their end customers (E4), contacts, staff, contracts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

STAFF_ROLES = ("technician", "manager", "director", "admin")
CONTACT_ROLES = ("system_owner", "deputy")  # rule P2: the designated contacts


@dataclass(frozen=True)
class Company:
    company_id: str
    name: str
    kind: str = "customer"  # "customer" | "reseller"
    reseller_id: str | None = None  # rule E4: an end customer served by this reseller
    language: str = "fr"


@dataclass(frozen=True)
class Contact:
    contact_id: str
    company_id: str
    email: str
    name: str
    language: str = "fr"
    password_hash: str | None = None
    roles: tuple[str, ...] = ()
    training_done: bool = False  # rule P2
    password_nonce: str | None = None  # a set-password link carries it; it changes once the link is used


@dataclass(frozen=True)
class StaffMember:
    staff_id: str
    email: str
    name: str
    role: str
    language: str = "fr"
    password_hash: str | None = None
    active: bool = True  # a deactivated member signs in no more and their tokens stop working; their name stays
    password_nonce: str | None = None  # a set-password link carries it; it changes once the link is used


@dataclass(frozen=True)
class Contract:
    company_id: str
    contract_id: str
    tier: str
    starts: date
    ends: date
    products: tuple[str, ...] = ()
    auto_renew: bool = False  # rule P1
    professional_services_hours: float = 0  # rule E11
    cancelled_on: date | None = None  # rule P1: the day the customer's cancellation came in

    def is_active(self, on: date) -> bool:
        """A contract covers the days from its start to its end, both included (rule S1, E1)."""
        return self.starts <= on <= self.ends


@dataclass(frozen=True)
class Installation:
    company_id: str
    product_id: str
    version: str
    seats: int = 1


@dataclass(frozen=True)
class CompanyFile:
    """A company with everything a customer page shows about it."""

    company: Company
    contacts: tuple[Contact, ...] = ()
    contracts: tuple[Contract, ...] = ()
    installations: tuple[Installation, ...] = ()

    def contracts_in_force(self, on: date) -> tuple[Contract, ...]:
        return tuple(contract for contract in self.contracts if contract.is_active(on))


@dataclass(frozen=True)
class DemoData:
    """Everything `portal db seed-demo` writes, built by the services from the charter."""

    companies: tuple[Company, ...] = ()
    contacts: tuple[Contact, ...] = ()
    staff: tuple[StaffMember, ...] = ()
    contracts: tuple[Contract, ...] = ()
    installations: tuple[Installation, ...] = ()
    logins: tuple[tuple[str, str, str], ...] = field(default=())  # (who, e-mail, password) to print
