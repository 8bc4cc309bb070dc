"""axe-core (from the npm registry) finds no WCAG 2.2 A/AA violation, in either colour scheme."""

import pytest

from tests.browser.conftest import NODE_MODULES, PAGES

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def violations(page) -> list[str]:
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    result = page.evaluate("tags => axe.run({runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [
        f"{rule['id']} ({rule['help']}): {node['target']} {node['failureSummary']}"
        for rule in result["violations"]
        for node in rule["nodes"]
    ]


@pytest.fixture(params=["light", "dark"])
def scheme_page(request, browser, site_url):
    context = browser.new_context(color_scheme=request.param, base_url=site_url)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
def test_no_wcag_violations(scheme_page, path):
    scheme_page.goto(path, wait_until="networkidle")
    found = violations(scheme_page)
    assert not found, f"/{path}:\n" + "\n".join(found)


def test_no_wcag_violations_with_search_open(scheme_page):
    scheme_page.goto("")
    scheme_page.locator("input.md-search__input").click()
    scheme_page.keyboard.type("borrow")
    scheme_page.locator(".md-search-result__item").first.wait_for()
    found = violations(scheme_page)
    assert not found, "search dialog:\n" + "\n".join(found)
