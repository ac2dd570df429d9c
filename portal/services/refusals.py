"""Why a request cannot be opened, said to the customer in their language, with what to do instead."""

from __future__ import annotations

from portal.domain.eligibility import Refusal
from portal.i18n import mark, translate

MESSAGES = {
    "unknown_product": mark("The product %(product)s is not in the catalog."),
    "contact_your_reseller": mark("Your reseller is your first point of contact for these products: please "
                                  "contact them, they will escalate to us if needed."),
    "contract_ended": mark("Your contract ended on %(ended)s: renew it to get support again."),
    "no_contract": mark("No contract in force covers %(product)s: support is reserved for customers under "
                        "contract."),
    "tier_may_not_open": mark("Your level of service does not include opening requests."),
    "designated_contacts_untrained": mark("Requests are not yet possible: the designated system owner and "
                                          "deputy must both have followed the product training."),
    "unknown_version": mark("Version %(version)s of %(product)s is unknown to the catalog."),
    "version_unsupported": mark("Version %(version)s is no longer supported. Supported versions: "
                                "%(supported)s."),
}


def refusal_message(refusal: Refusal, language: str) -> str:
    """The customer-facing sentence for a refusal code, in `language`."""
    params = {key: ("—" if value is None else value) for key, value in refusal.params.items()}
    return translate(language, MESSAGES[refusal.code], **params)
