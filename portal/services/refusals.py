"""Why a request cannot be opened, said to the customer in their language, with what to do instead."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

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
    "category_not_allowed": mark("This kind of request cannot be filed for this version. For this version you can "
                                 "file: %(allowed)s."),
    "channel_not_allowed": mark("Your contract does not include requests through %(channel)s. The channels it "
                                "gives you: %(allowed)s."),
}
CHANNEL_NAMES = {  # rules E5, T5: as the contract and contact pages name them (portal.domain.charter.CHANNELS)
    "web": mark("this portal"),
    "email": mark("e-mail"),
    "phone": mark("phone"),
    "remote": mark("remote session"),
}
WRITE_TO = mark("Write to %(email)s to file your request.")


def refusal_message(refusal: Refusal, language: str, charter=None) -> str:
    """The customer-facing sentence for a refusal code, in `language` (the charter names the categories)."""
    if refusal.code == "channel_not_allowed":
        return _channel_message(refusal.params, language)
    if refusal.code == "category_not_allowed":
        return _category_message(refusal.params, language, charter)
    params = {key: ("—" if value is None else value) for key, value in refusal.params.items()}
    if refusal.code == "contract_ended" and params.get("ended") != "—":
        params["ended"] = _reader_date(params["ended"], language)
    return translate(language, MESSAGES[refusal.code], **params)


def _reader_date(iso_day: str, language: str) -> str:
    """A day (ISO, as the refusal carries it) written as a reader of `language` writes it: "30 juin 2026"."""
    try:
        return format_date(date.fromisoformat(iso_day), "long", locale=language)
    except ValueError:
        return iso_day


def _channel_name(channel: str, language: str) -> str:
    return translate(language, CHANNEL_NAMES[channel]) if channel in CHANNEL_NAMES else channel


def _channel_message(params: dict, language: str) -> str:
    """Rule E5: the channel refused, the channels the contract gives, and the address to write to if any."""
    allowed = ", ".join(_channel_name(channel, language) for channel in params.get("allowed") or ()) or "—"
    text = translate(language, MESSAGES["channel_not_allowed"], channel=_channel_name(params["channel"], language),
                     allowed=allowed)
    if params.get("email"):
        text += " " + translate(language, WRITE_TO, email=params["email"])
    return text


def _category_message(params: dict, language: str, charter) -> str:
    """Rules T9, G6: an unsupported version takes only some categories; they are named as the form names them."""
    labels = {category.id: category.label.get(language) for category in charter.categories} if charter else {}
    allowed = [labels.get(category, category) for category in str(params.get("allowed") or "").split(", ") if category]
    return translate(language, MESSAGES["category_not_allowed"], allowed=", ".join(allowed) or "—")
