"""What the administrators write besides what customers do: the list of companies (the `by-type` index),
designated contacts and their training (P2), contracts and their Professional Services credit (E11)."""

from __future__ import annotations

from datetime import date

from pynamodb.exceptions import PutError, UpdateError

from portal.adapters.dynamo.accounts import _company, _contract_item, company_key
from portal.adapters.dynamo.errors import dynamo_errors, is_condition_failure
from portal.adapters.dynamo.models import AccountItem, CompanyModel, ContactModel, ContractModel
from portal.domain.accounts import Company, Contract
from portal.domain.errors import ConcurrentUpdate, NotFound


class AdminRepository:
    """Reads by key or index only (see the access patterns in models.py)."""

    @dynamo_errors
    def companies(self, limit: int = 5_000) -> list[Company]:
        """Every company, by id (one paged query on the `by-type` index). The query goes through the connection:
        PynamoDB would add a filter on the discriminator, which DynamoDB refuses on a key of the index queried."""
        connection = AccountItem._get_connection()
        found: list[Company] = []
        start = None
        while len(found) < limit:
            page = connection.query("company", index_name=AccountItem.by_type.Meta.index_name,
                                    exclusive_start_key=start, limit=min(1000, limit - len(found)))
            for raw in page.get("Items", []):
                item = AccountItem.from_raw_data(raw)
                if isinstance(item, CompanyModel):
                    found.append(_company(item))
            start = page.get("LastEvaluatedKey")
            if not start:
                break
        return found

    @dynamo_errors
    def create_company(self, company: Company) -> None:
        """:raise ConcurrentUpdate: when the id is taken."""
        CompanyModel(company_key(company.company_id), "PROFILE", company_id=company.company_id, name=company.name,
                     kind=company.kind, reseller_id=company.reseller_id, language=company.language).save(
            condition=AccountItem.pk.does_not_exist())

    @dynamo_errors
    def set_designation(self, company_id: str, contact_id: str, roles: tuple[str, ...], training_done: bool) -> None:
        """A contact's designation (system owner, deputy) and training (rule P2).

        :raise NotFound: when there is no such contact.
        """
        try:
            ContactModel(company_key(company_id), f"CONTACT#{contact_id}").update(
                actions=[ContactModel.roles.set(list(roles)), ContactModel.training_done.set(training_done)],
                condition=ContactModel.sk.exists())
        except UpdateError as error:
            if is_condition_failure(error):
                raise NotFound(contact_id) from error
            raise

    @dynamo_errors
    def add_contract(self, contract: Contract) -> None:
        """:raise ConcurrentUpdate: when the company has a contract with this id."""
        try:
            _contract_item(contract).save(condition=AccountItem.sk.does_not_exist())
        except PutError as error:
            if is_condition_failure(error):
                raise ConcurrentUpdate(contract.contract_id) from error
            raise

    @dynamo_errors
    def record_cancellation(self, company_id: str, contract_id: str, on: date | None) -> None:
        """The day the customer's cancellation came in, or None to withdraw it (rule P1).

        :raise NotFound: no such contract.
        """
        item = ContractModel(company_key(company_id), f"CONTRACT#{contract_id}")
        action = ContractModel.cancelled_on.set(on.isoformat()) if on else ContractModel.cancelled_on.remove()
        try:
            item.update(actions=[action], condition=ContractModel.sk.exists())
        except UpdateError as error:
            if is_condition_failure(error):
                raise NotFound(contract_id) from error
            raise

    @dynamo_errors
    def change_credit(self, company_id: str, contract_id: str, hours: float) -> float:
        """Add (or, negative, use) Professional Services hours (rule E11); never below zero. Returns the balance.

        :raise NotFound: no such contract. :raise ValueError: `not_enough_credit`.
        """
        item = ContractModel(company_key(company_id), f"CONTRACT#{contract_id}")
        condition = ContractModel.sk.exists()
        if hours < 0:
            condition &= ContractModel.professional_services_hours >= -hours
        try:
            item.update(actions=[ContractModel.professional_services_hours.add(hours)], condition=condition)
        except UpdateError as error:
            if is_condition_failure(error):
                if hours < 0 and self._contract_exists(company_id, contract_id):
                    raise ValueError("not_enough_credit") from error
                raise NotFound(contract_id) from error
            raise
        return float(item.professional_services_hours)

    def _contract_exists(self, company_id: str, contract_id: str) -> bool:
        try:
            ContractModel.get(company_key(company_id), f"CONTRACT#{contract_id}")
        except ContractModel.DoesNotExist:
            return False
        return True
