"""The PDF edition's one page (mkdocs.print.yml): what the screen keeps behind a click is
laid out for paper. Every content tab's block is shown under its label (on screen only the
chosen tab is), every collapsed block (`??? note`) is printed open, the cover gets the
edition's date and the Home page's versions table, and no image waits to be scrolled to.
It acts only on the page mkdocs-print-site-plugin makes."""

import datetime
import pathlib
import re

import markdown

from harness.support import ROOT

LABELS = re.compile(r'<div class="tabbed-labels">(.*?)</div>', re.DOTALL)
LABEL = re.compile(r"<label[^>]*>(.*?)</label>", re.DOTALL)
BLOCK = '<div class="tabbed-block">'
# A code annotation's marker, `(1)!` in a comment: on paper its note is the numbered list
# printed after the block, so the marker reads `(1)`.
MARKER = re.compile(r"\((\d+)\)!")
# A collapsed block: on paper there is nothing to click.
CLOSED = re.compile(r"<details(?![^>]*\bopen\b)([^>]*)>")


def labelled_tabs(html: str) -> str:
    """Each tab set's blocks, in order, headed by their labels."""
    out, position = [], 0
    for labels in LABELS.finditer(html):
        if labels.start() < position:
            continue  # inside a block already labelled (no tab set here holds another)
        names = LABEL.findall(labels[1])
        out.append(html[position : labels.end()])
        position = labels.end()
        for name in names:
            at = html.index(BLOCK, position) + len(BLOCK)
            out.append(html[position:at] + f'<p class="print-tab-label">{name}</p>')
            position = at
    return "".join(out) + html[position:]


def cover(html: str) -> str:
    today = datetime.date.today().strftime("%-d %B %Y")
    versions = (ROOT / "snippets/index/versions.md").read_text().split("\n", 1)[1]
    table = markdown.markdown(versions, extensions=["tables"])
    html = html.replace(
        '<p class="print-edition-date"></p>',
        f'<p class="print-edition-date">This edition: {today}. The samples were built and '
        "run with these versions:</p>",
    )
    return html.replace('<div class="print-edition-versions"></div>', table)


# A link from the one page to a file of the site that is not a page (the benchmarks' JSON):
# in the PDF it would point at the disk of the machine that printed it.
FILE_LINK = re.compile(r'<a href="\.\./([^"#:]+\.(?:json|svg))">(.*?)</a>', re.DOTALL)


def site_files(html: str, site_url: str | None) -> str:
    """Such links go to the published site where there is one; else they become text."""
    if site_url:
        return FILE_LINK.sub(lambda m: f'<a href="{site_url.rstrip("/")}/{m[1]}">{m[2]}</a>', html)
    return FILE_LINK.sub(r"\2", html)


def on_post_build(config, **kwargs) -> None:
    """After the plugin's own on_post_build, which writes its page (hooks run after plugins)."""
    if "print-site" not in config.plugins:
        return
    name = config.plugins["print-site"].config["print_page_basename"]
    page = pathlib.Path(config.site_dir, name, "index.html")
    if not config.use_directory_urls:
        page = pathlib.Path(config.site_dir, f"{name}.html")
    html = page.read_text().replace(' loading="lazy"', "")
    html = CLOSED.sub(r"<details\1 open>", labelled_tabs(html))
    html = site_files(MARKER.sub(r"(\1)", cover(html)), config.site_url)
    page.write_text(html)
