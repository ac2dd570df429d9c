"""Companies with their contacts, contracts and installed products: one item collection per company."""

from __future__ import annotations

from datetime import date

from pynamodb.exceptions import UpdateError

from portal.adapters.dynamo.errors import dynamo_errors, is_condition_failure
from portal.adapters.dynamo.models import (
    AccountItem,
    CompanyModel,
    ContactModel,
    ContractModel,
    CounterModel,
    InstallationModel,
    StaffModel,
)
from portal.domain.accounts import Company, CompanyFile, Contact, Contract, DemoData, Installation

SEED_MARKER = "seed#demo"
PROFILE = "PROFILE"


CONTRACT_ENDS = "CONTRACT_ENDS"  # every contract sits in the lifecycle index under this key, by its last day (P1)


def company_key(company_id: str) -> str:
    return f"COMPANY#{company_id}"


def release_key(product_id: str, version: str) -> str:
    """The lifecycle index key of an installed release (T9, G6)."""
    return f"INSTALLED#{product_id}#{version}"


def _company(item: CompanyModel) -> Company:
    return Company(item.company_id, item.name, item.kind, item.reseller_id, item.language)


def _contact(item: ContactModel) -> Contact:
    return Contact(item.contact_id, item.company_id, item.email, item.name, item.language, item.password_hash,
                   tuple(item.roles), item.training_done, item.password_nonce)


def _contract(item: ContractModel) -> Contract:
    return Contract(item.company_id, item.contract_id, item.tier, date.fromisoformat(item.starts),
                    date.fromisoformat(item.ends), tuple(item.products), item.auto_renew,
                    float(item.professional_services_hours),
                    date.fromisoformat(item.cancelled_on) if item.cancelled_on else None)


def _installation(item: InstallationModel) -> Installation:
    return Installation(item.company_id, item.product_id, item.version, int(item.seats))


def _company_item(company: Company) -> CompanyModel:
    return CompanyModel(company_key(company.company_id), PROFILE, company_id=company.company_id, name=company.name,
                        kind=company.kind, reseller_id=company.reseller_id, language=company.language)


def _contact_item(contact: Contact) -> ContactModel:
    return ContactModel(company_key(contact.company_id), f"CONTACT#{contact.contact_id}",
                        company_id=contact.company_id, contact_id=contact.contact_id,
                        email=contact.email.strip().lower(), name=contact.name, language=contact.language,
                        password_hash=contact.password_hash, password_nonce=contact.password_nonce,
                        roles=list(contact.roles), training_done=contact.training_done)


def _contract_item(contract: Contract) -> ContractModel:
    return ContractModel(company_key(contract.company_id), f"CONTRACT#{contract.contract_id}",
                         company_id=contract.company_id, contract_id=contract.contract_id, tier=contract.tier,
                         products=list(contract.products), starts=contract.starts.isoformat(),
                         ends=contract.ends.isoformat(), auto_renew=contract.auto_renew,
                         professional_services_hours=contract.professional_services_hours,
                         cancelled_on=contract.cancelled_on.isoformat() if contract.cancelled_on else None,
                         lifecycle_key=CONTRACT_ENDS, lifecycle_sort=contract.ends.isoformat())


def _installation_item(installation: Installation) -> InstallationModel:
    return InstallationModel(company_key(installation.company_id),
                             f"INSTALLED#{installation.product_id}#{installation.version}",
                             company_id=installation.company_id, product_id=installation.product_id,
                             version=installation.version, seats=installation.seats,
                             lifecycle_key=release_key(installation.product_id, installation.version),
                             lifecycle_sort=installation.company_id)


class AccountsRepository:
    """Reads by key or index only (see the access patterns in models.py)."""

    @dynamo_errors
    def company_file(self, company_id: str) -> CompanyFile | None:
        """The company with its contacts, contracts and installed products, in one Query."""
        company, contacts, contracts, installations = None, [], [], []
        for item in AccountItem.query(company_key(company_id)):
            if isinstance(item, CompanyModel):
                company = _company(item)
            elif isinstance(item, ContactModel):
                contacts.append(_contact(item))
            elif isinstance(item, ContractModel):
                contracts.append(_contract(item))
            elif isinstance(item, InstallationModel):
                installations.append(_installation(item))
        if company is None:
            return None
        return CompanyFile(company, tuple(contacts), tuple(contracts), tuple(installations))

    @dynamo_errors
    def company(self, company_id: str) -> Company | None:
        try:
            return _company(CompanyModel.get(company_key(company_id), PROFILE))
        except CompanyModel.DoesNotExist:
            return None

    def contracts_of(self, company_id: str) -> list[Contract]:
        file = self.company_file(company_id)
        return list(file.contracts) if file else []

    def installations_of(self, company_id: str) -> list[Installation]:
        file = self.company_file(company_id)
        return list(file.installations) if file else []

    @dynamo_errors
    def end_customers_of(self, reseller_id: str) -> list[str]:
        """The ids of the end customers a reseller serves (rule E4), from the by-reseller index."""
        return [item.company_id for item in AccountItem.by_reseller.query(reseller_id)]

    @dynamo_errors
    def installations_of_release(self, product_id: str, version: str) -> list[tuple[Installation, frozenset[str]]]:
        """Who has this release installed, with the end-of-support notices already sent to them (one query on
        the sparse lifecycle index; rules T9, G6)."""
        return [(_installation(item), frozenset(item.end_notices or ()))
                for item in AccountItem.lifecycle.query(release_key(product_id, version))
                if isinstance(item, InstallationModel)]

    @dynamo_errors
    def mark_end_notice(self, installation: Installation, notice: str) -> bool:
        """Record that an end-of-support notice went out for an installation, unless it had already (one
        conditional update): True when this call recorded it."""
        item = InstallationModel(company_key(installation.company_id),
                                 f"INSTALLED#{installation.product_id}#{installation.version}")
        try:
            item.update(actions=[InstallationModel.end_notices.add({notice})],
                        condition=InstallationModel.sk.exists() & ~InstallationModel.end_notices.contains(notice))
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    @dynamo_errors
    def contracts_ending_between(self, first: date, last: date) -> list[tuple[Contract, frozenset[str]]]:
        """The contracts whose last day falls between two dates, with the periods whose renewal notice went out
        (one query on the sparse lifecycle index; rule P1)."""
        items = AccountItem.lifecycle.query(CONTRACT_ENDS, AccountItem.lifecycle_sort.between(first.isoformat(),
                                                                                             last.isoformat()))
        return [(_contract(item), frozenset(item.renewal_notices or ())) for item in items
                if isinstance(item, ContractModel)]

    @dynamo_errors
    def mark_renewal_notice(self, contract: Contract) -> bool:
        """Record that the renewal notice of the contract's current period went out, unless it had already (one
        conditional update): True when this call recorded it (rule P1)."""
        period = contract.ends.isoformat()
        item = ContractModel(company_key(contract.company_id), f"CONTRACT#{contract.contract_id}")
        try:
            item.update(actions=[ContractModel.renewal_notices.add({period})],
                        condition=ContractModel.sk.exists() & ~ContractModel.renewal_notices.contains(period))
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    @dynamo_errors
    def renew_contract(self, contract: Contract, ends: date) -> bool:
        """Carry the contract to its renewed last day, unless it was renewed or changed meanwhile (one conditional
        update on the period it had; the lifecycle index follows): True when this call renewed it (rule P1)."""
        item = ContractModel(company_key(contract.company_id), f"CONTRACT#{contract.contract_id}")
        try:
            item.update(actions=[ContractModel.ends.set(ends.isoformat()),
                                 ContractModel.lifecycle_sort.set(ends.isoformat())],
                        condition=ContractModel.ends == contract.ends.isoformat())
        except UpdateError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    @dynamo_errors
    def contact_by_email(self, email: str) -> Contact | None:
        for item in AccountItem.by_email.query(email.strip().lower(), limit=1):
            if isinstance(item, ContactModel):
                return _contact(item)
        return None

    @dynamo_errors
    def contact(self, company_id: str, contact_id: str) -> Contact | None:
        try:
            return _contact(ContactModel.get(company_key(company_id), f"CONTACT#{contact_id}"))
        except ContactModel.DoesNotExist:
            return None

    @dynamo_errors
    def save_company(self, company: Company) -> None:
        _company_item(company).save()

    @dynamo_errors
    def save_contact(self, contact: Contact) -> None:
        """Create a contact; refused when one with this id exists already in the company.

        :raise ConcurrentUpdate: when the id is taken.
        """
        _contact_item(contact).save(condition=ContactModel.sk.does_not_exist())

    @dynamo_errors
    def renew_password_nonce(self, company_id: str, contact_id: str, nonce: str) -> None:
        """Give the contact a new set-password nonce: older links stop working."""
        ContactModel(company_key(company_id), f"CONTACT#{contact_id}").update(
            actions=[ContactModel.password_nonce.set(nonce)], condition=ContactModel.sk.exists())

    @dynamo_errors
    def set_password(self, company_id: str, contact_id: str, password_hash: str, expected_nonce: str,
                     next_nonce: str) -> None:
        """Store a new password hash if the link's nonce is still current (a link works once).

        :raise ConcurrentUpdate: when the nonce changed meanwhile (link used or replaced).
        """
        ContactModel(company_key(company_id), f"CONTACT#{contact_id}").update(
            actions=[ContactModel.password_hash.set(password_hash), ContactModel.password_nonce.set(next_nonce)],
            condition=ContactModel.password_nonce == expected_nonce)

    @dynamo_errors
    def demo_loaded(self) -> bool:
        """Whether the demo data was loaded already (a marker item, read by key)."""
        return CounterModel.count(SEED_MARKER, limit=1) > 0

    @dynamo_errors
    def save_demo(self, demo: DemoData) -> None:
        """Write the demo data in batches, then the marker that says it is there."""
        with AccountItem.batch_write() as batch:
            for item in [*map(_company_item, demo.companies), *map(_contact_item, demo.contacts),
                         *map(_contract_item, demo.contracts), *map(_installation_item, demo.installations)]:
                batch.save(item)
        with StaffModel.batch_write() as batch:
            for member in demo.staff:
                batch.save(StaffModel(member.staff_id, email=member.email.lower(), name=member.name,
                                      role=member.role, language=member.language,
                                      password_hash=member.password_hash))
        CounterModel(SEED_MARKER, value=1).save()
