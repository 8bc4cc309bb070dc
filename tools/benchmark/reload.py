"""reload: the author's loop (tools/author_loop.py): a save, and the time until the edited text
is in Chromium's DOM, with `./dev serve`, `mkdocs serve` and `zensical serve`; MAINTAINING.md's
table."""

import pathlib
import tempfile
from typing import Literal

from tools import author_loop
from tools.benchmark.schema import Document, Strict

table = author_loop.table


def run(args, target: pathlib.Path) -> dict:
    """`args.edits` saves of each kind (author_loop.EDITS) for each server; no Rust."""
    from playwright.sync_api import sync_playwright

    from harness.browser import CHROMIUM, CHROMIUM_ARGS

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for variant in author_loop.VARIANTS:
                with tempfile.TemporaryDirectory() as workdir:
                    results[variant] = author_loop.measure(
                        browser, args.edits, pathlib.Path(workdir), variant
                    )
        finally:
            browser.close()
    return {"results": results}


# --- docs/benchmarks/reload.json ---------------------------------------------------------------


class Timing(Strict):
    median: int
    min: int
    max: int
    n: int


class Edit(Strict):
    save_to_dom_ms: Timing
    build_ms: Timing | None  # None: the server logs no build (Zensical)
    page_load_ms: Timing | None  # None: the page was patched in place, not reloaded
    # Saves (measured ones and the undo) the server built but the browser did not show until
    # reloaded by hand (author_loop.shown); 0 in runs before it was counted, which stopped there.
    missed_reloads: int = 0


class Reload(Document):
    results: dict[
        Literal[tuple(author_loop.VARIANTS)], dict[Literal[tuple(author_loop.EDITS)], Edit]
    ]
