"""The PDF edition (./dev pdf), read back with poppler's tools and pypdf: every page's
headings as bookmarks in the navigation's order, every line of every code block whole (both
tabs of every tab set), links inside the PDF that land inside it, embedded fonts, A4, nothing
past the printable area, and a size within budget."""

import html
import re
import shutil
import subprocess
import sys
from typing import NamedTuple

import pypdf
import pytest
import yaml
from markdown_it import MarkdownIt

from harness.browser import CHROMIUM
from harness.reader_view import code_blocks, lift_containers
from harness.support import PAGES, ROOT, require
from tools import pdf as edition

BUDGET_MIB = 5
# tools/pdf.py's margins (14 mm left and right, 16 mm top and bottom), in points.
MM = 72 / 25.4
SIDE, TOP_BOTTOM = 14 * MM, 16 * MM


class Word(NamedTuple):
    page: int
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str


@pytest.fixture(scope="module")
def pdf_edition(tmp_path_factory):
    require(CHROMIUM.is_file(), f"{CHROMIUM} is missing (Debian: apt-get install chromium)")
    for tool, package in (("qpdf", "qpdf"), ("pdftotext", "poppler-utils")):
        require(shutil.which(tool), f"{tool} is missing (Debian: apt-get install {package})")
    # In a process of its own: the browser tests' Playwright may be running in this one, and
    # a second sync Playwright in one process fails.
    out = tmp_path_factory.mktemp("print")
    done = subprocess.run(
        [sys.executable, "-m", "tools.pdf", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return out / edition.NAME


def poppler(*argv) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True, timeout=120).stdout


def words(pdf) -> tuple[list[Word], tuple[float, float]]:
    """Every word with its box, page by page; and the page size (points)."""
    out = poppler("pdftotext", "-bbox", str(pdf), "-")
    found, size = [], None
    pages = re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S)
    for number, page in enumerate(pages):
        size = float(page[1]), float(page[2])
        for w in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            page[3],
        ):
            box = (float(w[1]), float(w[2]), float(w[3]), float(w[4]))
            found.append(Word(number, *box, html.unescape(w[5])))
    return found, size


def reading_order(found: list[Word], height: float) -> list[str]:
    """The lines of the pages' bodies (not the page numbers in the bottom margin), each
    line's words left to right: a comment set far to the right of its code is a column of
    its own to pdftotext, and would come out later."""
    lines: list[list[Word]] = []
    body = [w for w in found if w.y_min < height - TOP_BOTTOM]
    for w in sorted(body, key=lambda w: (w.page, w.y_min)):
        if lines and lines[-1][0].page == w.page and abs(lines[-1][0].y_min - w.y_min) < 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [" ".join(w.text for w in sorted(line, key=lambda w: w.x_min)) for line in lines]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def lines(pdf_edition) -> list[str]:
    found, (_, height) = words(pdf_edition)
    return reading_order(found, height)


def test_a4_fonts_embedded_and_within_budget(pdf_edition):
    info = poppler("pdfinfo", str(pdf_edition))
    assert re.search(r"Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert 50 < pages < 300, pages
    fonts = poppler("pdffonts", str(pdf_edition)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), "\n".join(fonts)
    assert pdf_edition.stat().st_size < BUDGET_MIB * 2**20


def nav_pages() -> list:
    nav = yaml.safe_load(
        re.sub(r"!\w+ .*", "x", (ROOT / "mkdocs.yml").read_text())  # MkDocs' own tags
    )["nav"]
    return [ROOT / "docs" / next(iter(item.values())) for item in nav]


def headings(page) -> list[tuple[int, str]]:
    """(level, text) of each heading of a page, as the reader sees it."""
    source = re.sub(r"\A---\n.*?\n---\n", "", page.read_text(), flags=re.DOTALL)
    tokens = MarkdownIt("commonmark").parse(lift_containers(source))
    return [
        (int(token.tag[1]), tokens[i + 1].content.replace("`", ""))
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def outline(reader) -> list[tuple[int, str, int]]:
    flat = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                flat.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 1)
    return flat


def test_the_bookmarks_are_every_pages_headings_in_the_navigations_order(pdf_edition):
    reader = pypdf.PdfReader(pdf_edition)
    marks = outline(reader)
    cover, contents, *pages = marks
    assert [cover[1], contents[1]] == ["Rust for Backend Development", "Contents"]
    expected = [heading for page in nav_pages() for heading in headings(page)]
    assert [(depth, title) for depth, title, _ in pages] == expected
    numbers = [page for _, _, page in pages]
    assert numbers == sorted(numbers), "a heading's bookmark points before the one above it"


def test_every_line_of_every_code_block_is_there_whole(lines):
    """Both tabs of every tab set, the included files as the reader sees them; long lines
    wrap at the margin (nothing is cut), which running the words together ignores. An
    annotation's marker `(1)!` is printed as `(1)`, its note after the block."""
    flat, missing, count = squeezed("".join(lines)), [], 0
    for page in PAGES:
        for block in code_blocks(page):
            for line in block.rendered.splitlines():
                key = squeezed(re.sub(r"\((\d+)\)!", r"(\1)", line))
                count += bool(key)
                if key and key not in flat:
                    missing.append(f"{page.name}, {block.title}: {line}")
    assert count > 4000
    assert not missing, "\n".join(missing[:20])


def test_no_copy_button_or_tab_strip_is_printed(pdf_edition, lines):
    assert not [line for line in lines if "Copy to clipboard" in line]
    one_page = (pdf_edition.parent / "print_page/index.html").read_text()
    strips = re.findall(r'<div class="tabbed-labels">(.*?)</div>', one_page, re.S)
    assert strips  # the page has tab sets, and each is printed as its blocks with labels
    labels = re.findall(r'<p class="print-tab-label">', one_page)
    assert len(labels) == sum(len(re.findall(r"<label", strip)) for strip in strips)
    rows = {" ".join(re.findall(r"<label[^>]*>(.*?)</label>", strip)) for strip in strips}
    assert not rows & set(lines), "a tab strip is printed"


def test_collapsed_blocks_are_printed_open(pdf_edition, lines):
    """What a page folds away (how a table was measured, how a statement is checked) has no
    click on paper: every such block is open, and its text is in the PDF."""
    one_page = (pdf_edition.parent / "print_page/index.html").read_text()
    blocks = re.findall(r"<details([^>]*)>(.*?)</details>", one_page, re.S)
    assert blocks and all(re.search(r"\bopen\b", attrs) for attrs, _ in blocks)
    flat = squeezed("".join(lines))
    summaries = {
        re.sub(r"<[^>]+>", "", s) for s in re.findall(r"<summary>(.*?)</summary>", one_page)
    }
    assert {"How this was measured"} <= summaries
    measured = [body for _, body in blocks if "Measured on " in body]
    assert measured
    for body in measured:
        first = re.sub(r"<[^>]+>", "", body.split("Measured on ", 1)[1]).split(".")[0]
        assert squeezed(html.unescape(first)) in flat, first


def test_links_between_pages_land_inside_the_pdf_and_others_stay_links(pdf_edition):
    reader = pypdf.PdfReader(pdf_edition)
    named = reader.named_destinations
    inside, outside = 0, []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annotation:
                assert str(annotation["/Dest"]) in named, annotation["/Dest"]
                inside += 1
            else:
                outside.append(str(annotation["/A"]["/URI"]))
    assert inside > 20  # the contents, and the pages' links to each other
    assert outside and all(re.match(r"https?://", uri) for uri in outside), outside


def test_nothing_runs_past_the_printable_area(pdf_edition):
    found, (width, height) = words(pdf_edition)
    past = [
        w
        for w in found
        if w.x_min < SIDE - 1 or w.x_max > width - SIDE + 1 or w.y_min < TOP_BOTTOM - 1
    ]
    assert not past, past[:10]


def dark_pixels(pgm: bytes, width_from: float = 0.0) -> int:
    """Pixels darker than light grey in a binary PGM, from a fraction of the width on."""
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", pgm)
    w, h = int(header[1]), int(header[2])
    pixels = pgm[header.end() :]
    start = int(w * width_from)
    return sum(1 for y in range(h) for x in range(start, w) if pixels[y * w + x] < 160)


@pytest.mark.parametrize("holding", ["fn main()", "| --- |"], ids=["code", "table"])
def test_a_page_with_code_and_one_with_a_table_render(pdf_edition, holding):
    """Rendered at a low resolution: ink on the page, and none in the right-hand margin."""
    found, (width, height) = words(pdf_edition)
    if holding == "fn main()":
        page = next(w.page for w in found if w.text == "main()")
    else:
        page = next(w.page for w in found if w.text == "req/s")  # a benchmark table
    pgm = subprocess.run(
        ["pdftoppm", "-gray", "-r", "50", "-f", str(page + 1), "-l", str(page + 1), pdf_edition],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    assert dark_pixels(pgm) > 500, f"page {page + 1} is (almost) blank"
    margin = 1 - (SIDE - 2) / width
    assert dark_pixels(pgm, margin) == 0, f"page {page + 1} has ink in its right margin"


def test_the_site_links_to_the_pdf(built_site):
    for page in built_site.rglob("index.html"):
        if page.parent.name != "print_page":
            assert "rust-for-backend.pdf" in page.read_text(), page
