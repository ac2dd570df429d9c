"""What a customer's pages and API show: contracts, products and their support status, eligibility.

Every function reads through keys and indexes only: a company file (one query), the catalog (one
query), and for an end customer its reseller's file (rule E4).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from portal.domain.accounts import CompanyFile, Contract
from portal.domain.contracts import Renewal, contract_state, in_force_terms, renewal
from portal.domain.eligibility import Eligibility, designated_contacts_ready, request_eligibility
from portal.domain.errors import NotFound
from portal.domain.lifecycle import ReleaseStatus, catalog_lifecycle, lifecycle, release_status, versions_to_move_to


def visible_company_file(accounts, viewer_company_id: str, company_id: str | None) -> CompanyFile:
    """The company file a contact may see: their own, or an end customer their company serves (rule E4).

    :raise NotFound: for any other company, whether it exists or not (never a 403 that confirms it).
    """
    wanted = company_id or viewer_company_id
    file = accounts.company_file(wanted)
    if file is None:
        raise NotFound(wanted)
    if wanted != viewer_company_id and file.company.reseller_id != viewer_company_id:
        raise NotFound(wanted)
    return file


@dataclass(frozen=True)
class ContractView:
    contract: Contract
    tier: object  # the charter's Tier (None when the contract names a tier the charter does not know)
    state: str  # active | upcoming | ended
    renewal: Renewal
    product_names: tuple[str, ...]
    remote_tools: tuple[object, ...]


@dataclass(frozen=True)
class ContractStatus:
    file: CompanyFile
    contracts: tuple[ContractView, ...]
    designated: tuple[tuple[str, tuple[object, ...]], ...]  # (role, contacts holding it) (rule P2)
    designated_ready: bool
    can_open_requests: bool
    without_contract_tier: object | None = None  # rules T2, P3: the tier requests go under, no contract in force
    reseller_first: bool = False  # rule E4: an end customer whose tiers do not take its requests: its reseller does


def tier_or_none(charter, tier_id: str):
    """The charter's tier with this id, or None for a tier the charter does not know."""
    try:
        return charter.tier(tier_id)
    except KeyError:
        return None


def contract_status(charter, file: CompanyFile, catalog, today: datetime.date) -> ContractStatus:
    """Each contract with its tier, channels, remote support, renewal (P1, E5, E7, T5, E11), and P2's state;
    without a contract in force, the tier requests then go under where the charter has one (T2, P3)."""
    names = {product.id: product.name for product in catalog.products}
    views = []
    for contract in sorted(in_force_terms(charter, file.contracts, today), key=lambda c: c.ends, reverse=True):
        tier = tier_or_none(charter, contract.tier)
        tools = tuple(tool for tool in charter.remote_tools if tier and tier.remote_support and tier.id in tool.tiers)
        views.append(ContractView(contract, tier, contract_state(contract, today), renewal(charter, contract, today),
                                  tuple(names.get(p, p) for p in contract.products), tools))
    designated = tuple((role, tuple(c for c in file.contacts if role in c.roles))
                       for role in charter.contacts.designated_roles)
    ready = designated_contacts_ready(charter, file)
    end_customer = file.company.reseller_id is not None

    def takes_requests(tier) -> bool:
        """Rules E1, E4: the tier opens requests, and an end customer's only when it admits end customers."""
        return bool(tier and tier.may_open_requests and (not end_customer or tier.end_customers_via_reseller))

    in_force = any(view.state == "active" and takes_requests(view.tier) for view in views)
    fallback = None if in_force else charter.tier_without_contract
    usable_fallback = fallback is not None and takes_requests(fallback)
    reseller_first = end_customer and not in_force and not usable_fallback
    return ContractStatus(file, tuple(views), designated, ready, ready and (in_force or usable_fallback),
                          fallback if usable_fallback else None, reseller_first)


@dataclass(frozen=True)
class InstalledProduct:
    product_id: str
    name: str
    version: str
    status: ReleaseStatus | None  # None when the catalog does not know this version
    move_to: tuple[str, ...]  # supported versions newer than this one, newest first (G6, T9)
    timeline: tuple[ReleaseStatus, ...]  # every release of the product, for the support-window picture


def installed_products(charter, file: CompanyFile, catalog, today: datetime.date) -> tuple[InstalledProduct, ...]:
    """Every installed product and version with its lifecycle status (rules E8, G6, T9, T11)."""
    policy = charter.version_policy
    result = []
    for installation in file.installations:
        try:
            product = catalog.product(installation.product_id)
        except KeyError:
            result.append(InstalledProduct(installation.product_id, installation.product_id, installation.version,
                                           None, (), ()))
            continue
        try:
            status = release_status(policy, product, installation.version, today)
            move_to = versions_to_move_to(policy, product, today, installation.version)
        except KeyError:
            status, move_to = None, versions_to_move_to(policy, product, today)
        result.append(InstalledProduct(product.id, product.name, installation.version, status, move_to,
                                       lifecycle(policy, product, today)))
    return tuple(sorted(result, key=lambda item: (item.name, item.version)))


def public_lifecycle(charter, catalog, today: datetime.date) -> tuple[ReleaseStatus, ...]:
    """Every release of every product with its support status: the public lifecycle page and API."""
    return catalog_lifecycle(charter.version_policy, catalog, today)


def eligibility(charter, file: CompanyFile, catalog, product_id: str, version: str,
                today: datetime.date) -> Eligibility:
    """May this company open a request for the product and version (rules S1, E1, E4, P2, E8, G6, T9)."""
    return request_eligibility(charter, file, catalog, product_id, version, today)
