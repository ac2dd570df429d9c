"""Companies, contacts, staff, contracts and installed products in DynamoDB."""

from __future__ import annotations

from datetime import date

from portal.adapters.dynamo.errors import dynamo_errors
from portal.adapters.dynamo.models import (
    CompanyModel,
    ContactModel,
    ContractModel,
    CounterModel,
    InstallationModel,
    StaffModel,
)
from portal.domain.accounts import Company, Contact, Contract, DemoData, Installation

SEED_MARKER = "seed#demo"


def _company(item: CompanyModel) -> Company:
    return Company(item.company_id, item.name, item.kind, item.reseller_id, item.language)


def _contact(item: ContactModel) -> Contact:
    return Contact(item.contact_id, item.company_id, item.email, item.name, item.language, item.password_hash,
                   tuple(item.roles), item.training_done, item.password_nonce)


def _contract(item: ContractModel) -> Contract:
    return Contract(item.company_id, item.contract_id, item.tier, date.fromisoformat(item.starts),
                    date.fromisoformat(item.ends), tuple(item.products), item.auto_renew,
                    float(item.professional_services_hours))


class AccountsRepository:
    """Reads by key or index only (see the access patterns in models.py)."""

    @dynamo_errors
    def company(self, company_id: str) -> Company | None:
        try:
            return _company(CompanyModel.get(company_id))
        except CompanyModel.DoesNotExist:
            return None

    @dynamo_errors
    def contracts_of(self, company_id: str) -> list[Contract]:
        return [_contract(item) for item in ContractModel.query(company_id)]

    @dynamo_errors
    def contact_by_email(self, email: str) -> Contact | None:
        for item in ContactModel.by_email.query(email.strip().lower(), limit=1):
            return _contact(item)
        return None

    @dynamo_errors
    def contact(self, contact_id: str) -> Contact | None:
        try:
            return _contact(ContactModel.get(contact_id))
        except ContactModel.DoesNotExist:
            return None

    @dynamo_errors
    def contacts_of(self, company_id: str) -> list[Contact]:
        return [_contact(item) for item in ContactModel.by_company.query(company_id)]

    @dynamo_errors
    def save_contact(self, contact: Contact) -> None:
        """Create a contact; refused when one with this id exists already.

        :raise ConcurrentUpdate: when the id is taken.
        """
        ContactModel(contact.contact_id, company_id=contact.company_id, email=contact.email.strip().lower(),
                     name=contact.name, language=contact.language, password_hash=contact.password_hash,
                     password_nonce=contact.password_nonce, roles=list(contact.roles),
                     training_done=contact.training_done).save(condition=ContactModel.contact_id.does_not_exist())

    @dynamo_errors
    def renew_password_nonce(self, contact_id: str, nonce: str) -> None:
        """Give the contact a new set-password nonce: older links stop working."""
        ContactModel(contact_id).update(actions=[ContactModel.password_nonce.set(nonce)],
                                        condition=ContactModel.contact_id.exists())

    @dynamo_errors
    def set_password(self, contact_id: str, password_hash: str, expected_nonce: str, next_nonce: str) -> None:
        """Store a new password hash if the link's nonce is still current (a link works once).

        :raise ConcurrentUpdate: when the nonce changed meanwhile (link used or replaced).
        """
        ContactModel(contact_id).update(
            actions=[ContactModel.password_hash.set(password_hash), ContactModel.password_nonce.set(next_nonce)],
            condition=ContactModel.password_nonce == expected_nonce)

    @dynamo_errors
    def installations_of(self, company_id: str) -> list[Installation]:
        return [Installation(item.company_id, item.product_id, item.version, int(item.seats))
                for item in InstallationModel.query(company_id)]

    @dynamo_errors
    def demo_loaded(self) -> bool:
        """Whether the demo data was loaded already (a marker item, read by key)."""
        return CounterModel.count(SEED_MARKER, limit=1) > 0

    @dynamo_errors
    def save_demo(self, demo: DemoData) -> None:
        """Write the demo data in batches, then the marker that says it is there."""
        items = [
            *(CompanyModel(c.company_id, name=c.name, kind=c.kind, reseller_id=c.reseller_id,
                           language=c.language) for c in demo.companies),
            *(ContactModel(c.contact_id, company_id=c.company_id, email=c.email.lower(), name=c.name,
                           language=c.language, password_hash=c.password_hash, roles=list(c.roles),
                           training_done=c.training_done, password_nonce=c.password_nonce)
              for c in demo.contacts),
            *(StaffModel(s.staff_id, email=s.email.lower(), name=s.name, role=s.role, language=s.language,
                         password_hash=s.password_hash) for s in demo.staff),
            *(ContractModel(c.company_id, c.contract_id, tier=c.tier, products=list(c.products),
                            starts=c.starts.isoformat(), ends=c.ends.isoformat(), auto_renew=c.auto_renew,
                            professional_services_hours=c.professional_services_hours)
              for c in demo.contracts),
            *(InstallationModel(i.company_id, f"{i.product_id}#{i.version}", product_id=i.product_id,
                                version=i.version, seats=i.seats) for i in demo.installations),
        ]
        for model in (CompanyModel, ContactModel, StaffModel, ContractModel, InstallationModel):
            with model.batch_write() as batch:
                for item in items:
                    if type(item) is model:
                        batch.save(item)
        CounterModel(SEED_MARKER, value=1).save()
