"""./dev pdf: the PDF edition, site-print/rust-for-backend.pdf. MkDocs builds the site as one
page with mkdocs.print.yml (mkdocs-print-site-plugin), and Chromium prints that page to A4
with a bookmark for every heading; links between pages become links inside the PDF."""

import argparse
import os
import pathlib
import subprocess
import sys
import time

from playwright.sync_api import sync_playwright

from harness.browser import CHROMIUM, CHROMIUM_ARGS
from harness.support import ROOT

NAME = "rust-for-backend.pdf"
MARGIN = {"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}


def build_site(site: pathlib.Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.print.yml"]
        + ["-d", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"mkdocs build -f mkdocs.print.yml failed:\n{done.stderr}")


def print_pdf(page_html: pathlib.Path, pdf: pathlib.Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(page_html.as_uri(), wait_until="load")
            page.wait_for_function("[...document.images].every(image => image.complete)")
            page.pdf(
                path=str(pdf),
                format="A4",
                margin=MARGIN,
                print_background=True,
                outline=True,  # bookmarks, from the headings
                tagged=True,
            )
        finally:
            browser.close()


def compact(printed: pathlib.Path, pdf: pathlib.Path) -> None:
    """Chromium writes the structure a tagged PDF needs (its bookmarks come from it) as
    uncompressed objects: qpdf packs them into compressed object streams, a third the size."""
    subprocess.run(
        ["qpdf", "--object-streams=generate", "--compress-streams=y", "--recompress-flate"]
        + [str(printed), str(pdf)],
        check=True,
    )
    printed.unlink()


def build(out: pathlib.Path) -> pathlib.Path:
    """The PDF in `out` (the one-page site beside it); returns its path."""
    build_site(out)
    pdf = out / NAME
    printed = out / f"printed-{NAME}"
    print_pdf(out / "print_page/index.html", printed)
    compact(printed, pdf)
    return pdf


def main() -> None:
    parser = argparse.ArgumentParser(prog="./dev pdf", description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=pathlib.Path, default=ROOT / "site-print")
    args = parser.parse_args()
    started = time.monotonic()
    pdf = build(args.out.resolve())
    took = time.monotonic() - started
    print(f"{pdf} ({pdf.stat().st_size / 2**20:.1f} MiB) in {took:.0f} s")


if __name__ == "__main__":
    main()
