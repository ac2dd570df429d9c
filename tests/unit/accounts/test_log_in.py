"""Logging in: one answer for an unknown e-mail and a wrong password; throttled per account and address."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.domain.accounts import Contact
from portal.domain.throttle import ThrottlePolicy
from portal.services.auth import LoginRefused, LoginThrottled, Passwords, log_in

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
POLICY = ThrottlePolicy(free_failures=2, delays_seconds=(10,), lock_after=4)


class FakeAccounts:
    def __init__(self, *contacts):
        self.contacts = {c.email: c for c in contacts}

    def contact_by_email(self, email):
        return self.contacts.get(email)


class FakeThrottles:
    def __init__(self):
        self.records = {}

    def get_many(self, keys):
        return {k: self.records[k] for k in keys if k in self.records}

    def save_many(self, records, policy):
        self.records.update({r.key: r for r in records})

    def forget(self, key):
        self.records.pop(key, None)


class FakePasswords(Passwords):
    def __init__(self):
        self.checked = []
        super().__init__(hash=lambda p: f"hashed:{p}", matches=self._matches, decoy_hash=lambda: "hashed:decoy")

    def _matches(self, stored, password):
        self.checked.append(stored)
        return stored == f"hashed:{password}"


def make_contact(**overrides) -> Contact:
    values = dict(contact_id="c1", company_id="acme", email="ann@acme.example", name="Ann",
                  password_hash="hashed:correct horse battery")
    values.update(overrides)
    return Contact(**values)


def attempt(throttles, passwords, email="ann@acme.example", password="correct horse battery",
            address="192.0.2.1", at=NOW, accounts=None):
    return log_in(accounts or FakeAccounts(make_contact()), throttles, passwords, email, password, address, at,
                  POLICY)


def test_the_right_password_logs_the_contact_in_whatever_the_case_of_the_email():
    contact = attempt(FakeThrottles(), FakePasswords(), email="  Ann@ACME.example ")
    assert contact.contact_id == "c1"


def test_an_unknown_email_costs_a_real_password_check_and_gets_the_same_refusal():
    passwords = FakePasswords()
    with pytest.raises(LoginRefused):
        attempt(FakeThrottles(), passwords, email="nobody@acme.example")
    assert passwords.checked == ["hashed:decoy"]


def test_a_contact_without_a_password_yet_cannot_log_in():
    accounts = FakeAccounts(make_contact(password_hash=None))
    with pytest.raises(LoginRefused):
        attempt(FakeThrottles(), FakePasswords(), password="hashed:decoy"[7:], accounts=accounts)


def test_failures_on_one_account_slow_it_down_from_any_address():
    throttles, passwords = FakeThrottles(), FakePasswords()
    for n in range(3):
        with pytest.raises(LoginRefused):
            attempt(throttles, passwords, password="wrong", address=f"198.51.100.{n}", at=NOW + timedelta(seconds=n))
    with pytest.raises(LoginThrottled) as raised:
        attempt(throttles, passwords, address="203.0.113.9", at=NOW + timedelta(seconds=3))
    assert raised.value.wait == timedelta(seconds=9)


def test_failures_from_one_address_slow_down_every_account_tried_from_it():
    throttles, passwords = FakeThrottles(), FakePasswords()
    for n in range(3):
        with pytest.raises(LoginRefused):
            attempt(throttles, passwords, email=f"guess{n}@acme.example", at=NOW)
    with pytest.raises(LoginThrottled):
        attempt(throttles, passwords, at=NOW)


def test_a_successful_login_clears_the_accounts_failures():
    throttles, passwords = FakeThrottles(), FakePasswords()
    with pytest.raises(LoginRefused):
        attempt(throttles, passwords, password="wrong")
    attempt(throttles, passwords, address="198.51.100.7")
    assert "login#email#ann@acme.example" not in throttles.records
