"""May this company open a request for this product and version today — and if not, why and what to do."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from portal.domain.accounts import CompanyFile, Contract
from portal.domain.catalog import Catalog
from portal.domain.contracts import contracts_in_force
from portal.domain.lifecycle import ReleaseStatus, UnknownVersion, release_status, versions_to_move_to


@dataclass(frozen=True)
class Refusal:
    """Why a request cannot be opened: a code for programs, parameters for the translated message."""

    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    tier: str | None  # the tier whose commitments apply
    refusals: tuple[Refusal, ...] = ()
    release: ReleaseStatus | None = None
    supported_versions: tuple[str, ...] = ()  # newest first: what to move to (rules G6, T9)
    categories: tuple[str, ...] = ()  # the request categories open to this version
    without_contract: bool = False  # rules T2, P3: no contract in force, filed on the charter's tier for that


def covering_contract(charter, contracts, product_id: str | None, today: datetime.date) -> Contract | None:
    """The contract in force on `today` covering the product, best tier first (rules S1, E1, T2), its automatic
    renewals due by then applied (P1)."""
    covering = [contract for contract in contracts_in_force(charter, contracts, today)
                if not contract.products or product_id is None or product_id in contract.products]
    known = {tier.id: tier.priority for tier in charter.tiers}
    covering = [contract for contract in covering if contract.tier in known]
    return min(covering, key=lambda contract: known[contract.tier], default=None)


def tier_in_force(charter, contracts, product_id: str | None, today: datetime.date):
    """The charter's tier that applies to a company for the product on `today`: its best contract in force's,
    else the tier for customers without a contract (rules T2, P1, P3), else None (rules S1, E1)."""
    return _applicable_tier(charter, covering_contract(charter, contracts, product_id, today))


def _applicable_tier(charter, contract: Contract | None):
    if contract is not None:
        return charter.tier(contract.tier)
    return charter.tier_without_contract


def designated_contacts_ready(charter, file: CompanyFile) -> bool:
    """Rule P2: each designated role (system owner, deputy) is held by a contact who followed the training."""
    required = charter.contacts.designated_roles
    if not required:
        return True
    for role in required:
        holders = [contact for contact in file.contacts if role in contact.roles]
        if not holders or (charter.contacts.training_required and not any(c.training_done for c in holders)):
            return False
    return True


def request_eligibility(charter, file: CompanyFile, catalog: Catalog, product_id: str, version: str,
                        today: datetime.date) -> Eligibility:
    """Rules S1, E1, E4, P2, E8, G6, T9: a contract in force whose tier may open requests, trained designated
    contacts, an end customer only under a tier its reseller bought that admits end customers, a supported
    version.

    Rules T2, P1, P3: under a charter that names a tier for customers without a contract, a company that has no
    contract in force for the product (none on record, or they ended) files on that tier, for every product;
    a company with a contract in force keeps its contract's tier.

    An end customer's contracts are the options its reseller bought for its products (E4): they are
    recorded in the end customer's own file, so no other company's data is read.
    """
    refusals: list[Refusal] = []
    try:
        product = catalog.product(product_id)
    except KeyError:
        return Eligibility(False, None, (Refusal("unknown_product", {"product": product_id}),))
    end_customer = file.company.reseller_id is not None
    contracts = file.contracts
    contract = covering_contract(charter, contracts, product_id, today)
    tier = _applicable_tier(charter, contract)
    if end_customer and (tier is None or not tier.end_customers_via_reseller):
        refusals.append(Refusal("contact_your_reseller"))  # rule E4
    elif tier is None:
        ended = [c for c in contracts if c.ends < today and (not c.products or product_id in c.products)]
        refusals.append(Refusal("contract_ended", {"ended": max(c.ends for c in ended).isoformat()}) if ended
                        else Refusal("no_contract", {"product": product.name}))
    elif not tier.may_open_requests:
        refusals.append(Refusal("tier_may_not_open", {"tier": tier.id}))
    without_contract = contract is None and tier is not None
    if not designated_contacts_ready(charter, file):
        refusals.append(Refusal("designated_contacts_untrained"))  # rule P2
    try:
        status = release_status(charter.version_policy, product, version, today)
    except UnknownVersion:
        return Eligibility(False, tier.id if tier else None,
                           (*refusals, Refusal("unknown_version", {"product": product.name, "version": version})),
                           supported_versions=versions_to_move_to(charter.version_policy, product, today),
                           without_contract=without_contract)
    supported = versions_to_move_to(charter.version_policy, product, today)
    categories = tuple(category.id for category in charter.categories
                       if status.supported or category.id in charter.version_policy.unsupported_allows)
    if not categories:
        ends = status.support_ends.isoformat() if status.support_ends else None
        refusals.append(Refusal("version_unsupported", {"version": version, "support_ended": ends,
                                                        "supported": ", ".join(supported)}))
    return Eligibility(not refusals, tier.id if tier else None, tuple(refusals), status, supported, categories,
                       without_contract)
