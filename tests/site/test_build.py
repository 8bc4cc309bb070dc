"""The site builds with `mkdocs build --strict`, and every Python block on it is executed."""

import re
import subprocess
import sys

import pytest

from harness.sitebuild import page_html
from harness.support import ROOT, SECTION


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
    # A block showing part of a file runs as that whole file, in the file's own block.
    for page in (ROOT / "docs").glob("*.md"):
        shown[page_html(page.stem)] -= sum(
            part["path"].endswith(".py") for part in SECTION.finditer(page.read_text())
        )
    assert {k: v for k, v in shown.items() if v} == executed
    # And as many as the pages' sources include Python files: the built HTML is not empty.
    included = sum(
        len(re.findall(r'^\s*--8<-- "[^"]+\.py"$', page.read_text(), re.MULTILINE))
        for page in (ROOT / "docs").glob("*.md")
    )
    assert sum(executed.values()) == included > 0


def test_pages_load_nothing_from_other_hosts(built_site):
    """No fonts, scripts or styles from elsewhere; links to other sites are fine."""
    for page in built_site.rglob("*.html"):
        html = page.read_text()
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            if re.search(r'\b(?:src|href)="(?:https?:)?//', tag) and 'rel="canonical"' not in tag:
                pytest.fail(f"{page.relative_to(built_site)} loads {tag}", pytrace=False)


def test_highlighted_code_has_no_unstyled_spans(built_site):
    """overrides/hooks/lighter_code.py drops whitespace, plain-name, punctuation and operator
    spans; the code's text stays (tests/browser compares what each copy button copies with the
    sample file)."""
    html = (built_site / "frameworks/index.html").read_text()
    for kind in ["w", "n", "kc", "p", "o", "ow"]:
        assert f'<span class="{kind}">' not in html, kind
    assert '<span class="k">fn</span> <span class="nf">main</span>()' in html
    assert '<span class="kd">let</span> body = json' in html


def test_charts_load_lazily_with_their_size(built_site):
    """overrides/hooks/lazy_charts.py: every chart of every page, the size its own."""
    charts = 0
    for page in built_site.rglob("*.html"):
        for tag in re.findall(r"<img\b[^>]*>", page.read_text()):
            src = re.search(r'src="([^"]+)"', tag)[1]
            if not src.endswith(".svg") or "assets/" in src:
                continue
            svg = (page.parent / src).resolve().read_text()
            width, height = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups()
            assert f'loading="lazy" width="{width}" height="{height}"' in tag, (page, tag)
            charts += 1
    assert charts == len(list((ROOT / "docs/benchmarks").glob("*.svg")))
