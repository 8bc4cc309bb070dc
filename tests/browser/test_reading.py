"""A reader's visit: pages load cleanly, tabs follow the reader's choice, the palette sticks."""

import pytest

from harness.browser import PAGES


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
def test_page_loads_cleanly_from_this_origin_only(page, path):
    page.goto(path, wait_until="networkidle")
    assert page.locator("h1").count() == 1
    assert page.problems.seen == [], f"/{path}: " + "; ".join(page.problems.seen)


def selected_tabs(page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.tabbed-set')].map(set => {
            const input = set.querySelector(':scope > input:checked');
            return set.querySelector(`label[for="${input.id}"]`).textContent.trim();
        })"""
    )


def test_choosing_python_once_switches_every_page(page):
    page.goto("performance/")
    assert set(selected_tabs(page)) == {"Rust"}
    page.locator(".tabbed-labels label", has_text="Python").first.click()
    assert set(selected_tabs(page)) == {"Python"}

    for path in ("safety/", "concurrency/"):
        page.goto(path)
        tabs = selected_tabs(page)
        assert len(tabs) >= 2 and set(tabs) == {"Python"}, (path, tabs)
    page.reload()
    assert set(selected_tabs(page)) == {"Python"}


@pytest.mark.parametrize("scheme_page", ["light"], indirect=True)
def test_dark_mode_toggle_switches_and_is_remembered(scheme_page):
    page = scheme_page
    page.goto("")
    scheme = lambda: page.locator("body").get_attribute("data-md-color-scheme")  # noqa: E731
    assert scheme() == "default"
    page.locator("label[title='Switch to dark mode']").click()
    assert scheme() == "slate"
    page.goto("safety/")
    assert scheme() == "slate"
    page.reload()
    assert scheme() == "slate"
    page.locator("label[title='Switch to light mode']").click()
    assert scheme() == "default"


@pytest.mark.parametrize("scheme_page", ["light"], indirect=True)
def test_the_palette_toggle_works_from_the_keyboard(scheme_page):
    page = scheme_page
    page.goto("")
    scheme = lambda: page.locator("body").get_attribute("data-md-color-scheme")  # noqa: E731
    page.keyboard.press("Tab")
    for _ in range(20):
        if page.evaluate("document.activeElement.name") == "__palette":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Switch to dark mode"
    )
    page.keyboard.press("Enter")
    assert scheme() == "slate"
    assert page.locator("meta[name=color-scheme]").get_attribute("content") == "dark"
    page.keyboard.press("Enter")
    assert scheme() == "default"
    assert page.locator("meta[name=color-scheme]").get_attribute("content") == "light"


@pytest.mark.parametrize("kind", ["n", "kc", "p", "o", "ow"])
def test_names_punctuation_and_operators_look_the_same_without_their_spans(scheme_page, kind):
    """overrides/hooks/lighter_code.py drops these spans from highlighted code, which is right
    only while they have the code's own colour (Material's for names, extra.css's for the
    others)."""
    scheme_page.goto("safety/")
    palette = scheme_page.locator("body").get_attribute("data-md-color-scheme")
    dark = scheme_page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert palette == ("slate" if dark else "default")
    code, span = scheme_page.evaluate(
        """kind => {
            const code = document.querySelector(".highlight code");
            const span = code.appendChild(document.createElement("span"));
            span.className = kind;
            span.textContent = "x";
            return [getComputedStyle(code).color, getComputedStyle(span).color];
        }""",
        kind,
    )
    assert span == code
