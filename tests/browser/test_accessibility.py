"""axe-core (from the npm registry) finds no WCAG 2.2 A/AA violation and breaks no best-practice
rule (the search dialog's name, unique landmarks: what overrides/ fix), in either colour scheme."""

import pytest

from harness.browser import NODE_MODULES, PAGES, read_through

RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def violations(page, colours: bool = True) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    result = page.evaluate(
        """([tags, colours]) => axe.run({
            runOnly: {type: 'tag', values: tags},
            rules: {'color-contrast': {enabled: colours}},
        })""",
        [RULES, colours],
    )
    return [
        f"{rule['id']} ({rule['help']}): {node['target']} {node['failureSummary']}"
        for rule in result["violations"]
        for node in rule["nodes"]
    ]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
def test_no_wcag_violations(scheme_page, path):
    """Checked as the page opens, before Material has mounted the blocks further down (each must
    already be reachable from the keyboard) and while the long blocks still stand in at their
    estimated heights (overrides/hooks/code_heights.py), and again once read through."""
    scheme_page.goto(path, wait_until="networkidle")
    found = violations(scheme_page)
    read_through(scheme_page)
    found += violations(scheme_page)
    assert not found, f"/{path}:\n" + "\n".join(found)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
def test_no_wcag_violations_as_a_phone_opens_the_page(phone_page, path):
    """What Lighthouse's accessibility score checks (`./dev report`): axe on a phone's screen,
    as the page opens. A long program standing in at a fixed 300px there reached over the tab
    labels and footer below it, whose contrast axe then measured against the code's grey."""
    phone_page.goto(path, wait_until="networkidle")
    found = violations(phone_page)
    assert not found, f"/{path}:\n" + "\n".join(found)


def test_no_wcag_violations_with_search_open(scheme_page):
    scheme_page.goto("")
    scheme_page.locator("input.md-search__input").click()
    scheme_page.keyboard.type("borrow")
    scheme_page.locator(".md-search-result__item").first.wait_for()
    found = violations(scheme_page)
    assert not found, "search dialog:\n" + "\n".join(found)
