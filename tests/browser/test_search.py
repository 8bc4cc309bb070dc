"""Search, used as a reader uses it: type into the box and follow a result."""

from urllib.parse import urlsplit

import pytest


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
