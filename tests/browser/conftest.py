"""A real Chromium (Debian's package) driven by Playwright, against the built site on 127.0.0.1."""

import dataclasses

import pytest

from harness.browser import CHROMIUM, CHROMIUM_ARGS, NODE_MODULES
from harness.sitebuild import serve
from harness.support import require


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM.is_file(), "Chromium is missing (Debian: apt-get install chromium)")
    require((NODE_MODULES / "axe-core").is_dir(), "node_modules is missing (run: npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


@dataclasses.dataclass
class Problems:
    """What a page did wrong while it was open: console errors, failed or foreign requests."""

    origin: str
    seen: list[str] = dataclasses.field(default_factory=list)

    def watch(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self.seen.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.seen.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.seen.append(f"failed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.seen.append(f"{r.status}: {r.url}"))
        page.on(
            "request",
            lambda r: (
                r.url.startswith(("http:", "https:"))
                and not r.url.startswith(self.origin)
                and self.seen.append(f"other origin: {r.url}")
            ),
        )


@pytest.fixture
def context(browser, site_url):
    context = browser.new_context(
        permissions=["clipboard-read", "clipboard-write"], base_url=site_url
    )
    yield context
    context.close()


@pytest.fixture
def page(context, site_url):
    page = context.new_page()
    page.problems = Problems(site_url)
    page.problems.watch(page)
    yield page
    page.close()


@pytest.fixture(params=["light", "dark"])
def scheme_page(request, browser, site_url):
    """A page in a browser whose system colour scheme is light, then dark."""
    context = browser.new_context(color_scheme=request.param, base_url=site_url)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser, site_url):
    """A page on a phone's screen, as Lighthouse's mobile preset (`./dev report`) shows it."""
    context = browser.new_context(
        viewport={"width": 412, "height": 823},
        device_scale_factor=1.75,
        is_mobile=True,
        base_url=site_url,
    )
    yield context.new_page()
    context.close()
