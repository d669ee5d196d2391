"""End-to-end tests in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

Skipped, with the reason, where Chromium or Playwright is not installed. Playwright's sync API runs an event
loop in the test's thread, which makes Django refuse database access as "async unsafe" without this switch.
"""

import base64
import os
import shutil
from pathlib import Path

import pytest
from django_otp.oath import TOTP

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))

try:
    from playwright.sync_api import sync_playwright
except ImportError:
    sync_playwright = None


def _missing() -> str:
    if sync_playwright is None:
        return "Playwright is not installed (pip install playwright==1.65.2)"
    if not (CHROMIUM.exists() or shutil.which(str(CHROMIUM))):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    return ""


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


def authenticator_code(key_text: str) -> str:
    """What an authenticator app shows now for the key printed on the set-up page."""
    key = key_text.replace(" ", "")
    totp = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)))
    return f"{totp.token():06d}"


@pytest.fixture
def login(browser, live_server):
    """A fresh browser context (its own cookies) logged in as the given user; closed at the end of the test."""
    contexts = []

    def log_in(email: str, password: str, viewport: dict | None = None):
        """Logged in at a phone's 390x844 unless `viewport` says otherwise; on the start page of the role (a
        manager's is the queue)."""
        context = browser.new_context(viewport=viewport or {"width": 390, "height": 844})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        if page.url.endswith("/security/two-factor/"):  # staff: an authenticator is set up at the first login
            page.get_by_label("Code from the app").fill(authenticator_code(page.locator("code.secret").inner_text()))
            page.get_by_role("button", name="Switch on").click()
            page.get_by_role("link", name="I have saved them, continue").click()
        page.wait_for_url(lambda url: url.startswith(live_server.url) and "/login/" not in url)
        return page

    yield log_in
    for context in contexts:
        context.close()
