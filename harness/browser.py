"""Debian's Chromium, as the browser tests and the site report launch it, and how a reader
moves through a page."""

import pathlib

from harness import support
from harness.support import ROOT

CHROMIUM = pathlib.Path("/usr/bin/chromium")
# Without these, Chromium tries to reach Google's hosts at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NODE_MODULES = ROOT / "node_modules"
# Every page of the site (docs/*.md), as its path: a new page gets every browser check.
PAGES = ["" if page.stem == "index" else f"{page.stem}/" for page in support.PAGES]


def read_through(page, most_screens: int = 200) -> None:
    """Scroll to the end a screen at a time, as a reader would, and back to the top once every
    transition has ended: blocks with `content-visibility: auto` (extra.css) are laid out, and
    Material's code blocks mounted (`content.lazy`), only once they come near the viewport."""
    page.evaluate(
        """async most => {
            const frame = () => new Promise(done => requestAnimationFrame(() => done()));
            for (let i = 0; i < most && innerHeight + scrollY < document.body.scrollHeight; i++) {
                scrollBy(0, innerHeight);
                await frame(); await frame();
            }
            scrollTo(0, 0);
            await frame(); await frame();
            // The header swaps the page title back for the site's name with a transition.
            const ending = document.getAnimations()
                .filter(a => a.effect.getComputedTiming().endTime !== Infinity);
            const settled = Promise.all(ending.map(a => a.finished));
            await Promise.race([settled, new Promise(done => setTimeout(done, 2000))]);
        }""",
        most_screens,
    )
