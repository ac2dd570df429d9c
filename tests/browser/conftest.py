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
- `screenshot(page, name)`: save a screenshot of a journey's step.
"""

from __future__ import annotations

import os
import re
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


def wait_until_listening(port: int, process, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the static file server stopped at start (exit {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the static file server did not listen on port {port} within {seconds} s")


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
