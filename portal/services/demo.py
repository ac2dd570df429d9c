"""Demo data for a laptop: companies on each tier of the active charter, contacts, staff, products."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from portal.domain.accounts import Company, Contact, Contract, DemoData, Installation, StaffMember

DEMO_PASSWORD = "demo-portal"  # noqa: S105 - printed by `make run`; demo data is refused in production


def build_demo(tiers: list[str], products: list[tuple[str, list[str]]], today: date,
               hash_password: Callable[[str], str]) -> DemoData:
    """One customer company per charter tier (best first), a reseller with an end customer, four staff.

    `products` lists (product id, versions oldest first); each company runs the two newest versions
    of the first product and the oldest version of the others, so the demo shows unsupported ones.
    """
    password_hash = hash_password(DEMO_PASSWORD)
    companies, contacts, contracts, installations, logins = [], [], [], [], []
    languages = ("fr", "nl", "en")
    for index, tier in enumerate(tiers):
        company_id = f"demo-{index + 1}"
        language = languages[index % len(languages)]
        companies.append(Company(company_id, f"Demo Customer {index + 1} ({tier})", language=language))
        email = f"owner@customer{index + 1}.example"
        contacts.append(Contact(f"{company_id}-owner", company_id, email, f"Owner {index + 1}", language,
                                password_hash, ("system_owner",), training_done=True))
        contacts.append(Contact(f"{company_id}-deputy", company_id, f"deputy@customer{index + 1}.example",
                                f"Deputy {index + 1}", language, password_hash, ("deputy",),
                                training_done=index % 2 == 0))
        logins.append((f"customer on tier {tier}", email, DEMO_PASSWORD))
        contracts.append(Contract(company_id, f"C-{today.year}-{index + 1:03d}", tier,
                                  today - timedelta(days=200), today + timedelta(days=165),
                                  tuple(product_id for product_id, _ in products), auto_renew=True,
                                  professional_services_hours=5 * index))
        for position, (product_id, versions) in enumerate(products):
            chosen = versions[-2:] if position == 0 else versions[:1]
            installations += [Installation(company_id, product_id, version, seats=2) for version in chosen]
    reseller = Company("demo-reseller", "Demo Reseller", kind="reseller", language="fr")
    end_customer = Company("demo-end-customer", "Demo End Customer", reseller_id=reseller.company_id)
    companies += [reseller, end_customer]
    contacts.append(Contact("demo-reseller-owner", reseller.company_id, "owner@reseller.example",
                            "Reseller Owner", "fr", password_hash, ("system_owner",), True))
    contracts.append(Contract(reseller.company_id, f"C-{today.year}-R01", tiers[0],
                              today - timedelta(days=30), today + timedelta(days=335)))
    logins.append(("reseller", "owner@reseller.example", DEMO_PASSWORD))
    # Rule E4: the option the reseller bought for its end customer's products is on the end customer's file.
    contacts.append(Contact("demo-end-customer-owner", end_customer.company_id, "owner@endcustomer.example",
                            "End Customer Owner", "fr", password_hash, ("system_owner",), True))
    contracts.append(Contract(end_customer.company_id, f"C-{today.year}-E01", tiers[0],
                              today - timedelta(days=30), today + timedelta(days=335),
                              tuple(product_id for product_id, _ in products[:1])))
    installations += [Installation(end_customer.company_id, product_id, versions[-1])
                      for product_id, versions in products[:1]]
    logins.append(("end customer of the reseller", "owner@endcustomer.example", DEMO_PASSWORD))
    staff = [StaffMember(f"staff-{role}", f"{role}@vendor.example", role.capitalize(), role,
                         password_hash=password_hash) for role in ("technician", "manager", "director", "admin")]
    logins += [(f"staff {member.role}", member.email, DEMO_PASSWORD) for member in staff]
    return DemoData(tuple(companies), tuple(contacts), tuple(staff), tuple(contracts), tuple(installations),
                    tuple(logins))
