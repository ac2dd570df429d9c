"""What the portal holds about one contact, found through keys and indexes (never a scan): for their archive
and for their erasure.

| who                                   | table / index             | key                                       |
|---------------------------------------|---------------------------|-------------------------------------------|
| the contact's profile                 | accounts                  | pk=COMPANY#company, sk=CONTACT#contact    |
| the company's requests (then filtered)| tickets / by-company      | company_id                                |
| one request's items (events, tasks…)  | tickets                   | pk=TICKET#number                          |
| the contact's API tokens              | api_tokens / by-contact   | contact_id                                |
| login failures of their address       | throttles                 | throttle_key (customer and staff login)   |
| problem records (S9, P8)              | tickets                   | pk=PROBLEMS (one query)                   |
| answers sent to their address         | tickets                   | pk=IDEMPOTENCY#mail-answered#<digest>     |
| markers of their e-mails' Message-IDs | tickets                   | pk=IDEMPOTENCY#<company>#<message id>     |
| mails to them waiting to be sent again| tickets                   | pk=MAIL#PENDING (one query, then filtered)|

Items are handled in DynamoDB's low-level format (`raw_tables`): an erasure rewrites every attribute that holds
personal data, whatever the model calls it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from portal.adapters.dynamo.raw_tables import RawTables, plain

MAX_ATTEMPTS = 5


@dataclass
class ScrubCount:
    requests: int = 0
    items_rewritten: int = 0
    tokens_deleted: int = 0
    file_keys: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)  # the company's requests
    message_ids: list[str] = field(default_factory=list)  # e-mails' Message-IDs the scrub changed (their markers)


def _scrubbed_files(text: str, scrub: Callable[[str], str], file_key: Callable[[str], str] | None) -> str:
    """An event's file records (JSON text): each text scrubbed but the store key, which `file_key` gives (the
    object renamed along, or the key kept); a record that cannot be read is scrubbed as text."""
    try:
        entries = json.loads(text)
    except ValueError:
        return scrub(text)
    if not isinstance(entries, list):
        return scrub(text)
    rewritten = []
    for entry in entries:
        if isinstance(entry, dict):
            entry = {name: (value if name == "key" or not isinstance(value, str) else scrub(value))
                     for name, value in entry.items()}
            if isinstance(entry.get("key"), str) and file_key is not None:
                entry["key"] = file_key(entry["key"])
        rewritten.append(entry)
    return json.dumps(rewritten, separators=(",", ":"))


def _scrubbed_item(item: dict, scrub: Callable[[str], str], file_key: Callable[[str], str] | None) -> dict:
    after = {name: _scrubbed(value, scrub) for name, value in item.items() if name != "data"}
    data = item.get("data")
    if data is not None:
        if "M" in data and "S" in data["M"].get("files", {}):
            fields = {name: _scrubbed(value, scrub) for name, value in data["M"].items() if name != "files"}
            fields["files"] = {"S": _scrubbed_files(data["M"]["files"]["S"], scrub, file_key)}
            data = {"M": fields}
        else:
            data = _scrubbed(data, scrub)
        after["data"] = data
    return after


def _scrubbed(value, scrub: Callable[[str], str]):
    (kind, inner), = value.items()
    if kind == "S":
        return {"S": scrub(inner)}
    if kind == "SS":
        return {"SS": sorted({scrub(item) for item in inner})}
    if kind == "M":
        return {"M": {name: _scrubbed(item, scrub) for name, item in inner.items()}}
    if kind == "L":
        return {"L": [_scrubbed(item, scrub) for item in inner]}
    return value


def _record_keys(item: dict) -> list[str]:
    """The store keys of the files an event item (low-level format) brought."""
    try:
        entries = json.loads(item.get("data", {}).get("M", {}).get("files", {}).get("S") or "[]")
    except ValueError:
        return []
    return [entry["key"] for entry in entries if isinstance(entry, dict) and isinstance(entry.get("key"), str)]


class PersonalDataRepository:
    """Reads and rewrites one contact's data through the low-level client."""

    def __init__(self, raw: RawTables):
        self.raw = raw
        self._names = {shape.base_name: shape.name for shape in raw.shapes()}

    def _table(self, base_name: str) -> str:
        return self._names[base_name]

    def contact(self, company_id: str, contact_id: str) -> dict | None:
        """The contact's profile item (plain values), or None."""
        item = self.raw.get(self._table("accounts"), {"pk": {"S": f"COMPANY#{company_id}"},
                                                      "sk": {"S": f"CONTACT#{contact_id}"}})
        return plain(item) if item else None

    def company_requests(self, company_id: str, contact_id: str | None = None) -> Iterator[dict]:
        """The company's request items (every page of the by-company index), JSON-safe; with `contact_id`, only
        those the contact filed (a filter on the same query)."""
        values = {":company": {"S": company_id}}
        if contact_id is None:
            return self.raw.query(self._table("tickets"), "company_id = :company", values, index="by-company")
        values[":contact"] = {"S": contact_id}
        return self.raw.query(self._table("tickets"), "company_id = :company", values, index="by-company",
                              filter_expression="contact_id = :contact")

    def request_items(self, number: str) -> list[dict]:
        """Every item of one request's collection (the request, its events, tasks, links), JSON-safe."""
        return list(self.raw.query(self._table("tickets"), "pk = :pk", {":pk": {"S": f"TICKET#{number}"}}))

    def requests_of(self, company_id: str, contact_id: str) -> list[list[dict]]:
        """The collections (plain values) of the requests the contact filed."""
        return [[plain(item) for item in self.request_items(ticket["number"]["S"])]
                for ticket in self.company_requests(company_id, contact_id) if "number" in ticket]

    def tokens_of(self, contact_id: str) -> list[dict]:
        return [plain(item) for item in self.raw.query(self._table("api_tokens"), "contact_id = :contact",
                                                       {":contact": {"S": contact_id}}, index="by-contact")]

    def _waiting(self) -> list[dict]:
        return list(self.raw.query(self._table("tickets"), "pk = :pk", {":pk": {"S": "MAIL#PENDING"}}))

    def mails_waiting_for(self, email: str) -> list[dict]:
        """The mails to this address the mail service refused and that wait to be sent again (a short list: what
        an outage left, kept some 27 hours at most)."""
        wanted = email.strip().lower()
        return [mail for mail in map(plain, self._waiting()) if wanted and mail.get("to", "").strip().lower() == wanted]

    def delete_mails_naming(self, texts) -> int:
        """For an erasure: the mails waiting to be sent again that name any of these texts (an address, a name) in
        their address, subject, text or headers go; returns how many."""
        wanted = [text.lower() for text in texts if text and text.strip()]
        deleted = 0
        for item in self._waiting() if wanted else ():
            mail = plain(item)
            readable = "\n".join(str(mail.get(key) or "") for key in ("to", "subject", "text", "html", "headers"))
            if any(text in readable.lower() for text in wanted):
                self.raw.delete(self._table("tickets"), {"pk": item["pk"], "sk": item["sk"]})
                deleted += 1
        return deleted

    def scrub_company_requests(self, company_id: str, scrub: Callable[[str], str], sent_by: str | None = None,
                               file_key: Callable[[str, bool], str] | None = None) -> ScrubCount:
        """Rewrite every item of the company's requests whose text `scrub` changes (ids, names, addresses,
        phones inside texts and file records); a request changed meanwhile is read again and done again.

        The keys of the files `sent_by`'s events brought, on any of the requests, are in `file_keys`. A file
        record's key is never scrubbed as text: `file_key(key, sent_by_them)` gives the key it keeps (and renames
        the object when it names the contact), so the record never points at nothing."""
        count = ScrubCount()
        for ticket in list(self.company_requests(company_id)):
            number = ticket.get("number", {}).get("S")
            if not number:
                continue
            count.requests += 1
            count.numbers.append(number)
            for item in self.request_items(number):
                message_id = item.get("data", {}).get("M", {}).get("message_id", {}).get("S")
                if message_id and scrub(message_id) != message_id:
                    count.message_ids.append(message_id)
                theirs = bool(sent_by) and item.get("item_type", {}).get("S") == "event" \
                    and item.get("actor", {}).get("S") == sent_by
                if theirs:
                    count.file_keys += [key for key in _record_keys(item) if key not in count.file_keys]
                keys = None if file_key is None else (lambda key, theirs=theirs: file_key(key, theirs))
                count.items_rewritten += self._rewrite(item, lambda _item: scrub, keys)
        return count

    def _rewrite(self, item: dict, scrub_for: Callable[[dict], Callable[[str], str]],
                 file_key: Callable[[str], str] | None = None) -> int:
        """Rewrite one item of the tickets table with its scrub (1 when it changed, else 0); an item changed
        meanwhile is read again and done again."""
        table = self._table("tickets")
        for _attempt in range(MAX_ATTEMPTS):
            scrub = scrub_for(item)
            after = _scrubbed_item(item, scrub, file_key)
            if after == item:
                return 0
            if "revision" in item:
                after["revision"] = {"N": str(int(item["revision"]["N"]) + 1)}
            if self.raw.replace(table, item, after):
                return 1
            item = self.raw.get(table, {"pk": item["pk"], "sk": item["sk"]}) or {}
            if not item:
                return 0
        return 0

    def scrub_problem_records(self, scrub_for: Callable[[dict], Callable[[str], str]]) -> int:
        """Rewrite the problem records (one query on their partition) whose texts `scrub_for(record)` changes, the
        record given with plain values; returns how many changed."""
        items = self.raw.query(self._table("tickets"), "pk = :pk", {":pk": {"S": "PROBLEMS"}})
        return sum(self._rewrite(item, lambda current: scrub_for(plain(current))) for item in list(items))

    def delete_markers(self, scope: str, key: str) -> int:
        """Delete every marker of one partition (`IDEMPOTENCY#<scope>#<key>`, e.g. the answers sent to an address);
        returns how many went."""
        table, pk = self._table("tickets"), {"S": f"IDEMPOTENCY#{scope}#{key}"}
        items = list(self.raw.query(table, "pk = :pk", {":pk": pk}))
        for item in items:
            self.raw.delete(table, {"pk": item["pk"], "sk": item["sk"]})
        return len(items)

    def rename_markers(self, company_id: str, keys, scrub: Callable[[str], str]) -> int:
        """Give the idempotency markers of these keys (the company's e-mails' Message-IDs) the scrubbed key: the
        marker keeps its request and loses the address or name its key held; returns how many moved."""
        table, moved = self._table("tickets"), 0
        for key in dict.fromkeys(keys):
            old = {"pk": {"S": f"IDEMPOTENCY#{company_id}#{key}"}, "sk": {"S": "TICKET"}}
            item = self.raw.get(table, old)
            if item is None:
                continue
            self.raw.put(table, {**item, "pk": {"S": f"IDEMPOTENCY#{company_id}#{scrub(key)}"}})
            self.raw.delete(table, old)
            moved += 1
        return moved

    def delete_contact(self, company_id: str, contact_id: str, throttle_keys) -> int:
        """Delete the profile, the API tokens and the login-failure records (these keys) of the contact; tokens
        deleted."""
        self.raw.delete(self._table("accounts"), {"pk": {"S": f"COMPANY#{company_id}"},
                                                  "sk": {"S": f"CONTACT#{contact_id}"}})
        tokens = self.raw.query(self._table("api_tokens"), "contact_id = :contact",
                                {":contact": {"S": contact_id}}, index="by-contact")
        deleted = 0
        for token in list(tokens):
            self.raw.delete(self._table("api_tokens"), {"token_id": token["token_id"]})
            deleted += 1
        for key in throttle_keys:
            self.raw.delete(self._table("throttles"), {"throttle_key": {"S": key}})
        return deleted
