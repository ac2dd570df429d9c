"""A message read against a charter: the support address picks the product line (P5), the text the rest; what is
left open is named for the technician, never guessed silently (Produsoft: one address per product line)."""

from datetime import date

from portal.domain.accounts import Company, CompanyFile, Installation
from portal.domain.catalog import Catalog, Product, Release
from portal.domain.charter import load_charter
from portal.domain.inbound_mail import InboundMessage
from portal.services.mail_routing import note_text, product_line, read_request

PRODUSOFT = load_charter("produsoft")
CATALOG = Catalog((
    Product("worknc", "WorkNC", (Release("2025.1", date(2025, 3, 1)), Release("2026.1", date(2026, 3, 1))), "worknc"),
    Product("visi", "VISI", (Release("2026", date(2026, 2, 1)),), "visi"),
    Product("edgecam", "Edgecam", (Release("2026.1", date(2026, 4, 1)),), "edgecam"),
))
FILE = CompanyFile(Company("acme", "Acme NV", language="nl"), installations=(
    Installation("acme", "worknc", "2026.1"), Installation("acme", "visi", "2026")))
TODAY = date(2026, 11, 23)


def message(subject="Vraag", text="Goedendag, het programma loopt vast.", to="worknc.support@produsoft.com"):
    return InboundMessage("<m@acme.example>", "jan@acme.example", "Jan", None, (to,), subject, text)


def test_the_address_it_was_sent_to_picks_the_product_line():
    assert product_line(PRODUSOFT, ("info@acme.example", "visi.support@produsoft.com")) == "visi"
    read = read_request(PRODUSOFT, CATALOG, FILE, message(), TODAY)
    assert (read.product_id, read.version) == ("worknc", "2026.1")
    assert ("version_installed", {"version": "2026.1"}) in read.notes


def test_on_the_general_address_the_product_the_text_names_is_taken():
    read = read_request(PRODUSOFT, CATALOG, FILE, message(text="Edgecam 2026.1 crasht", to="x@produsoft.com"), TODAY)
    assert (read.product_id, read.version) == ("edgecam", "2026.1")


def test_on_the_general_address_without_a_product_named_the_product_is_to_be_determined():
    read = read_request(PRODUSOFT, CATALOG, FILE, message(to="x@produsoft.com"), TODAY)
    assert read.product_id is None and ("product", {}) in read.notes


def test_a_stated_severity_and_a_category_in_the_subject_are_taken_as_said():
    read = read_request(PRODUSOFT, CATALOG, FILE, message(subject="Suggestie voor verbetering",
                                                          text="Ernst: 4. Een idee voor de volgende versie."), TODAY)
    assert (read.category, read.severity, read.severity_stated) == ("suggestion", 4, True)


def test_machines_stopped_is_severity_1():
    read = read_request(PRODUSOFT, CATALOG, FILE, message(text="Dringend: de machines liggen stil."), TODAY)
    assert read.severity == 1 and read.severity_stated


def test_out_of_scope_words_and_missing_facts_are_pointed_out_in_the_staffs_language():
    """Rules P10 and P4: a macro is the customer's own code; the company, phone and system are not given."""
    read = read_request(PRODUSOFT, CATALOG, FILE, message(text="Onze macro werkt niet meer."), TODAY)
    note = note_text(read.notes, "nl")
    assert "Mogelijk buiten het toepassingsgebied" in note and "\"macro\"" in note
    assert "Uw bedrijfsnaam" in note and "Besturingssysteem" in note
    assert "Ernst niet vermeld" in note and "Categorie niet vermeld" in note
