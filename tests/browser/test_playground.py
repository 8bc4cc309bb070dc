"""Every Rust sample that needs only the standard library opens in the Rust Playground,
with the exact text of its file and its edition. Nothing goes to the Playground before a
click: the other browser tests fail any page load that requests another host."""

import pathlib
import tomllib
import urllib.parse

import pytest

from harness.reader_view import code_blocks
from harness.support import PAGES, ROOT, rustc_edition


def std_only_editions() -> dict[pathlib.Path, str]:
    """Each Rust sample that needs only the standard library -> its edition."""
    editions = {}
    for manifest in (ROOT / "snippets").rglob("Cargo.toml"):
        package = tomllib.loads(manifest.read_text())
        if not package.get("dependencies"):
            editions[manifest.parent / "src/main.rs"] = package["package"]["edition"]
    for transcript in (ROOT / "snippets").rglob("rustc.txt"):
        editions[transcript.parent / "main.rs"] = rustc_edition(transcript.parent)
    return editions


@pytest.mark.parametrize("name", [p.stem for p in PAGES])
def test_playground_links_carry_the_exact_file(page, name):
    """On every page: one with no such sample must have no link either."""
    page.goto("" if name == "index" else f"{name}/")
    links = page.locator("a.playground")
    editions = std_only_editions()
    shown = {
        ROOT / block.title for block in code_blocks(ROOT / "docs" / f"{name}.md") if block.title
    }
    expected = {path.read_text(): edition for path, edition in editions.items() if path in shown}
    found = {}
    for i in range(links.count()):
        url = urllib.parse.urlsplit(links.nth(i).get_attribute("href"))
        assert (url.scheme, url.netloc, url.path) == ("https", "play.rust-lang.org", "/")
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        assert query["version"] == ["stable"] and query["mode"] == ["debug"]
        (code,) = query["code"]
        assert code in expected, f"link {i + 1} on {name}/ carries no shown sample's exact text"
        found[code] = query["edition"][0]
    assert found == expected
    assert page.problems.seen == []
