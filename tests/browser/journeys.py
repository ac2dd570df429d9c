"""What the users' journeys share: a customer company of its own per journey, signing in, filing a request, and
`Journey.step`, which every page a journey shows passes through (its language, axe-core, a screenshot)."""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import expect

from portal.i18n import translate
from tests.browser.accessibility import assert_accessible
from tests.builders import DEMO_PASSWORD

SUPPORTED = ("alpha-cam", "2026.1")  # the newest Alpha CAM release of portal/catalog/demo.json: supported
UNSUPPORTED = ("struct-design", "23")  # Struct Design 23: its support ended in 2024
TECHNICIAN, MANAGER = "technician@vendor.example", "manager@vendor.example"  # the demo staff (`portal db seed-demo`)


@functools.cache
def demo_password_hash() -> str:
    """The demo password hashed as the portal hashes passwords (argon2id), once per session."""
    from portal.adapters.passwords import hash_password

    return hash_password(DEMO_PASSWORD)


@dataclass(frozen=True)
class Customer:
    company_id: str
    email: str
    name: str


def new_customer(portal, language: str) -> Customer:
    """A company of its own on the Premium tier, speaking `language`, with both designated contacts trained (P2),
    running a supported Alpha CAM and an unsupported Struct Design: no journey sees another's requests."""
    from portal.domain.accounts import Company, Contact, Contract, DemoData, Installation

    key = uuid.uuid4().hex[:8]
    company_id, today = f"journey-{key}", date.today()
    owner = Contact(f"{company_id}-owner", company_id, f"owner@{company_id}.example", f"Camille {key}", language,
                    demo_password_hash(), ("system_owner",), training_done=True)
    deputy = Contact(f"{company_id}-deputy", company_id, f"deputy@{company_id}.example", f"Dominique {key}",
                     language, demo_password_hash(), ("deputy",), training_done=True)
    portal.storage().accounts.save_demo(DemoData(
        companies=(Company(company_id, f"Journey {key}", language=language),),
        contacts=(owner, deputy),
        contracts=(Contract(company_id, f"C-J-{key}", "premium", today - timedelta(days=30),
                            today + timedelta(days=300), (SUPPORTED[0], UNSUPPORTED[0], "net-edge"),
                            auto_renew=True),),
        installations=(Installation(company_id, *SUPPORTED, seats=2), Installation(company_id, *UNSUPPORTED))))
    return Customer(company_id, owner.email, owner.name)


@dataclass
class Journey:
    """One journey in one language: its actors' pages and its numbered steps."""

    portal: object
    language: str
    name: str
    open_page: Callable
    screenshot: Callable
    steps: int = field(default=0)

    def tr(self, message: str, **params) -> str:
        """`message` as the portal's catalogs put it in the journey's language."""
        return translate(self.language, message, **params)

    def step(self, page, name: str) -> None:
        """A page the journey shows: in the journey's language, no serious or critical axe-core violation, and a
        screenshot under test-artifacts/browser/ named journey-language-number-step."""
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", self.language)
        assert_accessible(page, name)
        self.steps += 1
        self.screenshot(page, f"{self.name}-{self.language}-{self.steps:02d}-{name}")

    def customer_signs_in(self, customer: Customer):
        """A new browser asks for the sign-in page in its own language; the contact's language follows the sign-in."""
        page = self.open_page(self.language)
        page.goto(self.portal.url("/login"))
        self.step(page, "sign-in")
        page.fill("input[name=email]", customer.email)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(self.portal.url("/"))
        self.step(page, "home")
        return page

    def staff_signs_in(self, email: str):
        """A staff member signs in on the console's own page (their home: the queue, the tasks...), then picks the
        journey's language in the header."""
        page = self.open_page(self.language)
        page.goto(self.portal.url("/staff/login"))
        self.step(page, "staff-sign-in")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page).not_to_have_url(re.compile(r"/staff/login"))
        page.locator(f"nav.languages a[lang={self.language}]").click()
        expect(page.locator(f"nav.languages a[lang={self.language}]")).to_have_attribute("aria-current", "true")
        self.step(page, "console")
        return page

    def fill_request(self, page, *, category: str, subject: str, description: str, severity: int = 2,
                     steps: str = "", product: tuple[str, str] = SUPPORTED) -> None:
        """Fill the new-request form; the caller may attach files, then `send_request`."""
        page.goto(self.portal.url("/requests/new"))
        page.select_option("select[name=category]", category)
        page.select_option("select[name=product]", product[0])
        page.fill("input[name=version]", product[1])
        page.select_option("select[name=severity]", str(severity))
        page.fill("input[name=subject]", subject)
        page.fill("textarea[name=fact_description]", description)
        if steps:
            page.fill("textarea[name=fact_steps]", steps)

    def send_request(self, page) -> str:
        """Send the filled form; returns the number of the request the acknowledgement shows."""
        page.locator("#request-form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/requests/\d{4}-\d{6}\?filed=1"))
        return re.search(r"/requests/(\d{4}-\d{6})", page.url).group(1)

    def attach(self, page, field_selector: str, name: str, content: bytes) -> None:
        """Choose a file in an upload field; uploads.js shows its progress bar, which completes once the portal
        accepts the file (the status says so and the file can be removed)."""
        page.set_input_files(field_selector, files=[{"name": name, "mimeType": "text/plain", "buffer": content}])
        row = page.locator(f"{field_selector} ~ ul.uploads li", has_text=name)
        expect(row.locator("progress")).to_have_count(1)
        expect(row.locator(".upload-status")).to_have_text(self.tr("Attached."))
        expect(row.locator("progress")).to_have_js_property("value", 100)
        expect(row.locator("button", has_text=self.tr("Remove"))).to_be_visible()


def sweep_closure(portal, now: datetime) -> dict:
    """`portal sweep closure --now ISO` against the portal's tables, as an operator replays a run; its JSON."""
    import json

    run = portal.cli("sweep", "closure", "--now", now.astimezone(UTC).isoformat())
    return json.loads(run.stdout)
