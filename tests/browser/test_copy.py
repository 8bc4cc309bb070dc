"""The copy button of every code block copies the sample as the page includes it."""

import pytest

from tests.support import ROOT, code_blocks

PAGES = ["performance", "safety", "concurrency"]


def blocks_in_source(name: str) -> list[str]:
    """Each code block of docs/NAME.md as rendered: the include, less the hidden markers."""
    return [block.rendered for block in code_blocks(ROOT / "docs" / f"{name}.md")]


@pytest.mark.parametrize("name", PAGES)
def test_copy_button_copies_the_included_file(page, name):
    expected = blocks_in_source(name)
    page.goto(f"{name}/")
    blocks = page.locator("div.highlight")
    assert blocks.count() == len(expected)
    copied = {}
    for tab in ("Rust", "Python"):
        page.locator(".tabbed-labels label", has_text=tab).first.click()
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
