"""Administration pages, for administrators only: companies, contacts and invitations, designated contacts and
training (P2), contracts and Professional Services credit (E11), the catalog import, remote-support tool files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from portal.adapters.files import LocalFileStore
from tests.unit.staff.staff_builders import make_staff, staff_app, staff_client

ADMIN = make_staff(staff_id="ada", email="ada@vendor.example", name="Ada", role="admin")
MANAGER = make_staff(staff_id="mia", email="mia@vendor.example", name="Mia", role="manager")
CATALOG = Path(__file__).resolve().parents[3] / "portal" / "catalog" / "demo.json"


@pytest.fixture
def app(moto_storage, tmp_path):
    application = staff_app(moto_storage, tmp_path, ADMIN, MANAGER)
    vars(application.extensions["portal"])["files"] = LocalFileStore(tmp_path / "files", "test-secret")
    return application


@pytest.fixture
def admin(app):
    return staff_client(app, ADMIN.email)


@pytest.mark.parametrize("path", ["/staff/admin/companies", "/staff/admin/catalog", "/staff/admin/tools"])
def test_the_administration_pages_are_for_administrators_only(app, admin, path):
    with staff_client(app, MANAGER.email).get(path) as response:
        assert response.status_code == 403
    with admin.get(path) as response:
        assert response.status_code == 200


def test_an_administrator_creates_a_reseller_and_its_end_customer(app, admin):
    with admin.post("/staff/admin/companies", data={"company_id": "resell", "name": "Resell", "kind": "reseller",
                                                    "language": "fr"}) as response:
        assert response.status_code == 302
    with admin.post("/staff/admin/companies", data={"company_id": "shop", "name": "Shop", "kind": "customer",
                                                    "language": "fr", "reseller": "nobody"}) as response:
        assert response.status_code == 400
        assert "There is no reseller with this id." in response.get_data(as_text=True)
    with admin.post("/staff/admin/companies", data={"company_id": "shop", "name": "Shop", "kind": "customer",
                                                    "language": "fr", "reseller": "resell"}) as response:
        assert response.status_code == 302
    with admin.get("/staff/admin/companies/resell") as response:
        assert "/staff/admin/companies/shop" in response.get_data(as_text=True)
    with admin.get("/staff/admin/companies") as response:
        page = response.get_data(as_text=True)
    assert "Resell" in page and "Shop" in page
    with admin.get("/staff/admin/companies/nobody") as response:
        assert response.status_code == 404


def test_a_contact_is_added_designated_trained_and_invited(app, admin):
    admin.post("/staff/admin/companies", data={"company_id": "acme", "name": "Acme", "kind": "customer",
                                               "language": "en"}).close()
    with admin.post("/staff/admin/companies/acme/contacts", data={
            "contact-email": "ann@acme.example", "contact-name": "Ann", "contact-language": "en"}) as response:
        assert response.status_code == 302
    accounts = app.extensions["portal"].storage.accounts
    contact = accounts.contact_by_email("ann@acme.example")
    with admin.post(f"/staff/admin/companies/acme/contacts/{contact.contact_id}/designation",
                    data={"roles": ["system_owner"], "training_done": "y"}) as response:
        assert response.status_code == 302
    stored = accounts.contact("acme", contact.contact_id)
    assert stored.roles == ("system_owner",) and stored.training_done
    with admin.post(f"/staff/admin/companies/acme/contacts/{contact.contact_id}/invitation") as response:
        assert response.status_code == 302
    outbox = list((Path(app.extensions["portal"].mailer.folder)).glob("*.eml")) \
        if hasattr(app.extensions["portal"].mailer, "folder") else None
    assert accounts.contact("acme", contact.contact_id).password_nonce  # the link's nonce is set
    if outbox is not None:
        assert outbox
    with admin.post("/staff/admin/companies/acme/contacts", data={
            "contact-email": "ann@acme.example", "contact-name": "Ann again", "contact-language": "en"}) as response:
        assert response.status_code == 400
        assert "A contact with this e-mail address exists already." in response.get_data(as_text=True)


def test_a_contract_is_added_and_its_credit_bought_in_blocks_and_used(app, admin):
    admin.post("/staff/admin/companies", data={"company_id": "acme", "name": "Acme", "kind": "customer",
                                               "language": "en"}).close()
    tier = app.extensions["portal"].charter.tiers[0].id
    with admin.post("/staff/admin/companies/acme/contracts", data={
            "contract-contract_id": "C-1", "contract-tier": tier, "contract-starts": "2026-01-01",
            "contract-ends": "2025-01-01"}) as response:
        assert response.status_code == 400
        assert "The contract cannot end before it starts." in response.get_data(as_text=True)
    with admin.post("/staff/admin/companies/acme/contracts", data={
            "contract-contract_id": "C-1", "contract-tier": tier, "contract-starts": "2026-01-01",
            "contract-ends": "2026-12-31"}) as response:
        assert response.status_code == 302
    admin.post("/staff/admin/companies/acme/contracts/C-1/credit", data={"credit-block": "5"}).close()
    with admin.post("/staff/admin/companies/acme/contracts/C-1/usage", data={"use-hours": "9"},
                    follow_redirects=True) as response:
        assert "Not enough Professional Services credit left." in response.get_data(as_text=True)
    admin.post("/staff/admin/companies/acme/contracts/C-1/usage", data={"use-hours": "1.5"}).close()
    [contract] = app.extensions["portal"].storage.accounts.company_file("acme").contracts
    assert contract.professional_services_hours == 3.5


def test_an_administrator_records_a_customers_cancellation_and_withdraws_it_rule_p1(app, admin):
    admin.post("/staff/admin/companies", data={"company_id": "acme", "name": "Acme", "kind": "customer",
                                               "language": "en"}).close()
    tier = app.extensions["portal"].charter.tiers[0].id
    admin.post("/staff/admin/companies/acme/contracts", data={
        "contract-contract_id": "C-1", "contract-tier": tier, "contract-starts": "2026-01-01",
        "contract-ends": "2026-12-31", "contract-auto_renew": "y"}).close()
    accounts = app.extensions["portal"].storage.accounts
    with admin.post("/staff/admin/companies/acme/contracts/C-1/cancellation", data={"cancel-on": "2026-09-15"},
                    follow_redirects=True) as response:
        assert "Cancellation recorded." in response.get_data(as_text=True)
        assert "Withdraw the cancellation" in response.get_data(as_text=True)
    assert str(accounts.company_file("acme").contracts[0].cancelled_on) == "2026-09-15"
    with admin.post("/staff/admin/companies/acme/contracts/C-1/cancellation", data={}, follow_redirects=True) as r:
        assert "Give the day the cancellation came in." in r.get_data(as_text=True)
    admin.post("/staff/admin/companies/acme/contracts/C-1/cancellation", data={"cancel-withdraw": "y"}).close()
    assert accounts.company_file("acme").contracts[0].cancelled_on is None
    assert admin.post("/staff/admin/companies/acme/contracts/C-9/cancellation",
                      data={"cancel-on": "2026-09-15"}).status_code == 404


def test_the_catalog_is_imported_from_a_file_and_a_broken_one_lists_its_problems(app, admin):
    with admin.post("/staff/admin/catalog", data={"file": (io.BytesIO(CATALOG.read_bytes()), "catalog.json")},
                    content_type="multipart/form-data") as response:
        assert response.status_code == 302
    assert app.extensions["portal"].storage.catalog.catalog().products
    broken = json.dumps({"products": [{"id": "x"}]}).encode()
    with admin.post("/staff/admin/catalog", data={"file": (io.BytesIO(broken), "bad.json")},
                    content_type="multipart/form-data") as response:
        assert response.status_code == 400
        assert 'class="errors"' in response.get_data(as_text=True)
    with admin.post("/staff/admin/catalog", data={"file": (io.BytesIO(b"\xff{"), "bad.json")},
                    content_type="multipart/form-data") as response:
        assert response.status_code == 400


def test_a_tool_file_is_uploaded_with_its_size_and_sha256(app, admin):
    with admin.post("/staff/admin/tools", data={"tool": "quicksupport", "version": "15.5",
                                                "file": (io.BytesIO(b"MZ tool bytes"), "TeamViewerQS.exe")},
                    content_type="multipart/form-data") as response:
        assert response.status_code == 302
    with admin.get("/staff/admin/tools") as response:
        page = response.get_data(as_text=True)
    assert "13 bytes" in page and "15.5" in page
