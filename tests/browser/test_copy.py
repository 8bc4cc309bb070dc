"""The copy button of every code block copies the sample as the page includes it."""

import pytest

from harness.reader_view import code_blocks
from harness.support import PAGES, ROOT

WITH_CODE = [p.stem for p in PAGES if code_blocks(p)]


def blocks_in_source(name: str) -> list[str]:
    """Each code block of docs/NAME.md as rendered: the include, less the hidden markers."""
    return [block.rendered for block in code_blocks(ROOT / "docs" / f"{name}.md")]


@pytest.mark.parametrize("name", WITH_CODE)
def test_copy_button_copies_the_included_file(page, name):
    """Every tab of every tab set is opened in turn (linked tabs open their twins too), and
    each code block copied once it is visible."""
    expected = blocks_in_source(name)
    page.goto("" if name == "index" else f"{name}/")
    # A reader opens a collapsed block (the whole file, how it was measured) to copy from it.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    blocks = page.locator("div.highlight")
    assert blocks.count() == len(expected)
    copied = {}
    labels = page.locator(".tabbed-labels label")
    for tab in [None, *range(labels.count())]:
        if tab is not None:
            labels.nth(tab).scroll_into_view_if_needed()
            labels.nth(tab).click()
        for i in range(blocks.count()):
            block = blocks.nth(i)
            if i in copied or not block.is_visible():
                continue
            block.hover()
            block.locator("button.md-code__button[data-md-type='copy']").click()
            copied[i] = page.evaluate("navigator.clipboard.readText()")
    assert sorted(copied) == list(range(len(expected)))
    for i, text in copied.items():
        assert text.rstrip("\n") == expected[i].rstrip("\n"), f"{name}.md, code block {i + 1}"
