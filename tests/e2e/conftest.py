import pytest

from e2e_kit import CHROMIUM, CHROMIUM_ARGS

playwright_sync = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def browser():
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # A Chinese browser, as the platform's users have; the server defaults to Chinese anyway.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
