"""Search, used as a reader uses it: type into the box and follow a result."""

import pathlib
from urllib.parse import urlsplit

import material
import pytest

MATERIAL = pathlib.Path(material.__file__).parent


@pytest.mark.parametrize(
    ("query", "expected"),
    [("ownership", "safety/"), ("tokio", "performance/"), ("GIL", "concurrency/")],
)
def test_search_finds_the_page(page, site_url, query, expected):
    page.goto("")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=30)
    # Results are redrawn as each key arrives; wait for those of the whole word.
    page.wait_for_function(
        """q => {
            const links = [...document.querySelectorAll('.md-search-result__link')];
            return links.some(a => a.href.includes('h=' + q));
        }""",
        arg=query.lower(),
        timeout=10_000,
    )
    links = page.locator(".md-search-result__item > a.md-search-result__link")
    pages = {urlsplit(href).path for href in links.evaluate_all("els => els.map(e => e.href)")}
    assert "/" + expected in pages, pages
    page.locator(
        f".md-search-result__item > a.md-search-result__link[href*='{expected}']"
    ).first.click()
    page.wait_for_url(f"**/{expected}*")
    assert page.problems.seen == []


def test_the_search_index_and_worker_wait_for_the_reader(page):
    """A page's first view neither starts the search worker (about 12 KB gzip) nor fetches
    the search index (about 23 KB gzip); reaching for search does both, and search then works
    (overrides/partials/defer-search-index.html). The page's clock is moved on by an hour of
    timers and idle callbacks first, so that no delay, however long, passes for waiting on
    the reader."""
    requested = []
    wanted = ("/search/search_index.json", "/assets/javascripts/workers/search.")
    page.on("request", lambda r: any(w in r.url for w in wanted) and requested.append(r.url))
    page.clock.install()
    page.goto("performance/", wait_until="networkidle")
    page.clock.run_for("01:00:00")
    page.wait_for_load_state("networkidle")
    assert requested == []
    page.keyboard.press("/")  # Material's key for search
    page.keyboard.type("borrow", delay=30)
    page.wait_for_selector(".md-search-result__link", timeout=10_000)
    assert sorted(wanted[0] in url for url in requested) == [False, True], requested
    assert page.problems.seen == []


def test_material_still_starts_search_as_the_override_expects():
    """The override holds back an XMLHttpRequest for search/search_index.json and a Worker
    made from workers/search.*.min.js; a Material that did either another way would load it
    at once again, so this fails first."""
    javascripts = MATERIAL / "templates/assets/javascripts"
    bundle = next(javascripts.glob("bundle.*.min.js")).read_text()
    assert '"search/search_index.json"' in bundle
    assert "new XMLHttpRequest" in bundle
    assert "new Worker(" in bundle
    assert [p.name for p in javascripts.glob("workers/search.*.min.js")]
    base = MATERIAL / "templates/base.html"  # where the worker's address comes from
    assert "assets/javascripts/workers/search." in base.read_text()
