"""Every Rust sample that needs only the standard library opens in the Rust Playground,
with the exact text of its file and its edition. Nothing goes to the Playground before a
click: the other browser tests fail any page load that requests another host."""

import tomllib
import urllib.parse

import pytest

from tests.support import ROOT

PAGES = ["safety", "concurrency", "performance"]


def std_only_samples() -> dict[str, str]:
    """The text of each std-only Rust sample -> its edition."""
    samples = {}
    for manifest in (ROOT / "snippets").rglob("Cargo.toml"):
        package = tomllib.loads(manifest.read_text())
        if not package.get("dependencies"):
            samples[(manifest.parent / "src/main.rs").read_text()] = package["package"]["edition"]
    for transcript in (ROOT / "snippets").rglob("rustc.txt"):
        edition = transcript.read_text().split("--edition ")[1].split()[0]
        samples[(transcript.parent / "main.rs").read_text()] = edition
    return samples


@pytest.mark.parametrize("name", PAGES)
def test_playground_links_carry_the_exact_file(page, name):
    page.goto(f"{name}/")
    links = page.locator("a.playground")
    page_source = (ROOT / "docs" / f"{name}.md").read_text()
    samples = std_only_samples()
    expected = {
        code: edition
        for code, edition in samples.items()
        if any(
            (ROOT / line.split('"')[1]).read_text() == code
            for line in page_source.splitlines()
            if line.strip().startswith("--8<--") and line.strip().endswith('.rs"')
        )
    }
    found = {}
    for i in range(links.count()):
        url = urllib.parse.urlsplit(links.nth(i).get_attribute("href"))
        assert (url.scheme, url.netloc, url.path) == ("https", "play.rust-lang.org", "/")
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        assert query["version"] == ["stable"] and query["mode"] == ["debug"]
        (code,) = query["code"]
        assert code in samples, f"link {i + 1} on {name}/ carries no sample's exact text"
        found[code] = query["edition"][0]
    assert found == expected
    assert page.problems.seen == []
