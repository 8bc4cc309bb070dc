"""The site builds with `mkdocs build --strict`, and every Python block on it is executed."""

import os
import re
import subprocess
import sys

import pytest

from tests.transcripts import ROOT


def mkdocs_build(root, site_dir) -> subprocess.CompletedProcess:
    """Run from another directory on purpose: includes must not depend on the cwd."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
         "-d", str(site_dir)],
        cwd=site_dir.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def page_html(stem: str) -> str:
    return "index.html" if stem == "index" else f"{stem}/index.html"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("build") / "site"
    done = mkdocs_build(ROOT, site)
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{done.stderr}", pytrace=False)
    return site


def test_strict_build_passes(built_site):
    """Every page in docs/ is built (validation makes one left out of the nav an error)."""
    built = {p.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")}
    pages = {page_html(p.stem) for p in (ROOT / "docs").glob("*.md")}
    assert built == pages


def test_every_python_block_on_the_site_is_executed(built_site):
    shown = {
        page.relative_to(built_site).as_posix(): len(
            re.findall(r'class="language-python highlight"', page.read_text())
        )
        for page in built_site.rglob("index.html")
    }
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "docs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    executed = {}
    for line in collected.splitlines():
        if m := re.match(r"docs/(\w+)\.md::\[CodeFence#\d+\]", line):
            name = page_html(m[1])
            executed[name] = executed.get(name, 0) + 1
    assert {k: v for k, v in shown.items() if v} == executed
    assert sum(executed.values()) >= 6


def test_pages_load_nothing_from_other_hosts(built_site):
    """No fonts, scripts or styles from elsewhere; links to other sites are fine."""
    for page in built_site.rglob("*.html"):
        html = page.read_text()
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            if re.search(r'\b(?:src|href)="(?:https?:)?//', tag) and 'rel="canonical"' not in tag:
                pytest.fail(f"{page.relative_to(built_site)} loads {tag}", pytrace=False)
