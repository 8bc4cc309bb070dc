"""A real Chromium (Debian's package) driven by Playwright, against the built site on 127.0.0.1."""

import dataclasses
import pathlib

import pytest

from tests import support
from tests.sitebuild import serve
from tests.support import ROOT, require

CHROMIUM = pathlib.Path("/usr/bin/chromium")
# Without these, Chromium tries to reach Google's hosts at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NODE_MODULES = ROOT / "node_modules"


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


def read_through(page, most_screens: int = 200) -> None:
    """Scroll to the end a screen at a time, as a reader would, and back to the top once every
    transition has ended: blocks with `content-visibility: auto` (extra.css) are laid out, and
    Material's code blocks mounted (`content.lazy`), only once they come near the viewport."""
    page.evaluate(
        """async most => {
            const frame = () => new Promise(done => requestAnimationFrame(() => done()));
            for (let i = 0; i < most && innerHeight + scrollY < document.body.scrollHeight; i++) {
                scrollBy(0, innerHeight);
                await frame(); await frame();
            }
            scrollTo(0, 0);
            await frame(); await frame();
            // The header swaps the page title back for the site's name with a transition.
            const ending = document.getAnimations()
                .filter(a => a.effect.getComputedTiming().endTime !== Infinity);
            const settled = Promise.all(ending.map(a => a.finished));
            await Promise.race([settled, new Promise(done => setTimeout(done, 2000))]);
        }""",
        most_screens,
    )


# Every page of the site (docs/*.md), as its path: a new page gets every browser check.
PAGES = ["" if page.stem == "index" else f"{page.stem}/" for page in support.PAGES]
