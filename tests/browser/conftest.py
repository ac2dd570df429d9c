"""Browser-test fixtures, shared by every journey: Debian's Chromium driven by Playwright, the built static site
served by a plain static file server, and screenshots under test-artifacts/browser/.

- `browser` (session): one headless Chromium for the whole session (`playwright install` is neither needed nor
  possible here: the machine's network is closed).
- `page`: a fresh browser context and page per test (no shared cookies or storage); a failing test leaves a
  screenshot named after it.
- `static_site` (session): `portal build-static`'s output for the demo data (moto DynamoDB, the shipped
  knowledge-base index), served by `python -m http.server` on a free loopback port; `.url(path)` gives an address.
- `live_portal`: the portal itself (demo data on moto DynamoDB, the shipped knowledge base, CSRF on) served by
  Werkzeug on a free loopback port, with `.url(path)`, `.storage` and `.sign_in(page, email)`.
- `portal_on_dynamodb_local` (session): the journeys' portal, as `make run` starts it: `portal db create-tables`,
  `portal db seed-demo` and `portal serve` in subprocesses against the session's DynamoDB Local (tables of their
  own), CSRF on, real password hashing; `.cli(...)` runs another `portal` verb against the same tables.
- `open_page(language)`: a fresh browser context per actor (customer, technician, manager) in that language;
  a failing test leaves a screenshot of each.
- `screenshot(page, name)`: save a screenshot of a journey's step.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.builders import DEMO_PASSWORD, FAKE_AWS, make_settings, seeded_app

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PORTAL_URL = "https://portal.example.com"


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's package) under Playwright, for the whole session."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: run `make setup` (installs it as root on "
                    "Debian) or `apt-get install chromium`", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash.setdefault(FAILED, False)
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


def artifact_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:120]


def save_screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{artifact_name(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def page(browser, request):
    """A page in a fresh context; on failure, a screenshot named after the test is left in test-artifacts/."""
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    if request.node.stash.get(FAILED, False):
        save_screenshot(tab, f"FAILED-{request.node.name}")
    context.close()


@pytest.fixture
def screenshot():
    """`screenshot(page, name)`: keep a picture of a journey's step under test-artifacts/browser/."""
    return save_screenshot


@dataclass(frozen=True)
class ServedSite:
    """A built static site and the address a plain static file server serves it at."""

    folder: Path
    base_url: str
    portal_url: str

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path.lstrip('/')}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(port: int, process, seconds: float = 10.0, name: str = "the static file server") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped at start (exit {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen on port {port} within {seconds} s")


def build_demo_site(out: Path) -> Path:
    """`build_static_site` on an app holding the demo data (moto DynamoDB) and the shipped knowledge base."""
    from moto import mock_aws

    from portal.adapters.dynamo.storage import DynamoStorage
    from portal.kb.static_site import build_static_site

    with pytest.MonkeyPatch.context() as patch:
        for name, value in FAKE_AWS.items():
            patch.setenv(name, value)
        with mock_aws():
            storage = DynamoStorage(make_settings())
            storage.create_missing_tables()
            app = seeded_app(storage, out.parent)
            build_static_site(app, out, PORTAL_URL)
    return out


@pytest.fixture(scope="session")
def static_site(tmp_path_factory):
    """The static site of the demo data, served by `python -m http.server` on a free loopback port."""
    folder = build_demo_site(tmp_path_factory.mktemp("static-build") / "site")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_listening(port, server)
        yield ServedSite(folder, f"http://127.0.0.1:{port}", PORTAL_URL)
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass(frozen=True)
class LivePortal:
    """The running portal a journey drives: its address, its app and its storage (to check what was written)."""

    app: object
    storage: object
    base_url: str

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def sign_in(self, page, email: str, password: str = DEMO_PASSWORD) -> None:
        page.goto(self.url("/login?lang=en"))
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()


@pytest.fixture
def live_portal(tmp_path):
    """The portal on demo data (moto DynamoDB) served by Werkzeug in a thread, CSRF checked as in production."""
    from moto import mock_aws
    from werkzeug.serving import make_server

    from portal.adapters.dynamo.storage import DynamoStorage

    with pytest.MonkeyPatch.context() as patch:
        for name, value in FAKE_AWS.items():
            patch.setenv(name, value)
        with mock_aws():
            storage = DynamoStorage(make_settings())
            storage.create_missing_tables()
            app = seeded_app(storage, tmp_path)
            app.config["WTF_CSRF_ENABLED"] = True
            server = make_server("127.0.0.1", 0, app, threaded=True)
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            try:
                yield LivePortal(app, storage, f"http://127.0.0.1:{server.port}")
            finally:
                server.shutdown()
                thread.join(timeout=10)
                server.server_close()


@dataclass(frozen=True)
class PortalProcess:
    """The portal served by `portal serve` in a subprocess on DynamoDB Local, and what reaches the same tables."""

    base_url: str
    environment: dict
    endpoint: str
    table_prefix: str

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def cli(self, *arguments: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run one `portal` verb against the same tables (and the same outbox and files); fails on a non-zero exit."""
        run = subprocess.run([str(PORTAL_COMMAND), *arguments], env=self.environment, cwd=ROOT, capture_output=True,
                             text=True, timeout=timeout, check=False)
        assert run.returncode == 0, f"portal {' '.join(arguments)} exited {run.returncode}: {run.stderr[-3000:]}"
        return run

    def storage(self):
        """A DynamoStorage on the portal's tables, for a test to add its own customers or check what was written
        (the models are process-wide: call it again after another test pointed them elsewhere)."""
        from portal.adapters.dynamo.storage import DynamoStorage

        return DynamoStorage(make_settings(dynamodb_endpoint=self.endpoint, table_prefix=self.table_prefix))


PORTAL_COMMAND = Path(sys.executable).parent / "portal"


@pytest.fixture(scope="session")
def portal_on_dynamodb_local(dynamodb_local, tmp_path_factory):
    """`portal db create-tables`, `portal db seed-demo`, then `portal serve` on a free loopback port, all on the
    session's DynamoDB Local under a table prefix of their own; stopped (its tables dropped) after the session."""
    import urllib.request
    import uuid

    from portal.adapters.dynamodb_local import _die_with_parent

    data = tmp_path_factory.mktemp("portal-data")
    port = free_port()
    environment = {**os.environ, **FAKE_AWS, "PORTAL_ENV": "test", "PORTAL_CHARTER": "example",
                   "PORTAL_SECRET_KEY": uuid.uuid4().hex, "PORTAL_DYNAMODB_ENDPOINT": dynamodb_local.endpoint,
                   "PORTAL_TABLE_PREFIX": f"browser{uuid.uuid4().hex[:6]}-", "PORTAL_DATA": str(data),
                   "PORTAL_PORT": str(port), "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{port}",
                   "PORTAL_DYNAMODB_TIMEOUT": "10"}
    portal = PortalProcess(f"http://127.0.0.1:{port}", environment, dynamodb_local.endpoint,
                           environment["PORTAL_TABLE_PREFIX"])
    portal.cli("db", "create-tables")
    portal.cli("db", "seed-demo")
    log = data / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen([str(PORTAL_COMMAND), "serve", "--port", str(port)], env=environment, cwd=ROOT,
                                  stdout=output, stderr=subprocess.STDOUT,
                                  preexec_fn=_die_with_parent)  # a killed test session leaves no server behind
    try:
        try:
            wait_until_listening(port, server, 60, "portal serve")
            with urllib.request.urlopen(portal.url("/healthz"), timeout=30) as health:  # noqa: S310 - loopback
                assert health.status == 200
        except (RuntimeError, OSError) as failure:
            raise RuntimeError(f"{failure}: {log.read_text(errors='replace')[-3000:]}") from failure
        yield portal
    finally:
        server.terminate()
        server.wait(timeout=10)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(log, ARTIFACTS / "portal-serve.log")  # what the portal logged, beside the screenshots
        from portal.adapters.dynamo.tables import delete_tables

        portal.storage()
        delete_tables()


@pytest.fixture
def open_page(browser, request):
    """`open_page(language)`: a page in a fresh context whose browser asks for `language` (Accept-Language), one
    per actor of a journey; on failure, a screenshot of each is left in test-artifacts/."""
    contexts = []

    def open_one(language: str):
        context = browser.new_context(locale={"fr": "fr-FR", "nl": "nl-BE", "en": "en-GB"}[language])
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_one
    for number, context in enumerate(contexts, 1):
        if request.node.stash.get(FAILED, False):
            for tab in context.pages:
                save_screenshot(tab, f"FAILED-{request.node.name}-{number}")
        context.close()


@pytest.fixture(params=["fr", "en"])
def language(request):
    """Each journey runs in French and in English."""
    return request.param


@pytest.fixture
def journey(portal_on_dynamodb_local, language, open_page, request):
    """A journey of the portal on DynamoDB Local in `language`, its steps checked by axe-core and photographed;
    its assertions wait up to 15 s (a loaded machine), as its actions do."""
    from playwright.sync_api import expect

    from tests.browser.journeys import Journey

    name = request.node.originalname.removeprefix("test_")[:60]  # a journey names itself shorter
    expect.set_options(timeout=15_000)
    yield Journey(portal_on_dynamodb_local, language, name, open_page, save_screenshot)
    expect.set_options(timeout=5_000)
