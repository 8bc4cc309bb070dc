"""Links `[text](playground:PATH)` to the Rust Playground, with that file's code and edition.

The file's whole text travels in the link itself, so nothing is requested from the
Playground until a reader clicks. Only samples that need nothing but the standard library
may have a link: the Playground could not build the others as the page shows them.
"""

import pathlib
import re
import tomllib
import urllib.parse

PLAYGROUND = "https://play.rust-lang.org/"
LINK = re.compile(r"\]\(playground:(?P<path>[^)\s]+)\)")


def edition(source: pathlib.Path) -> str:
    """From the sample's Cargo.toml, or from the rustc command of a compile-fail sample."""
    for folder in source.parents:
        manifest = folder / "Cargo.toml"
        if manifest.is_file():
            package = tomllib.loads(manifest.read_text())
            if package.get("dependencies"):
                raise ValueError(f"{source} needs crates: no Playground link for it")
            return package["package"]["edition"]
        transcript = folder / "rustc.txt"
        if transcript.is_file():
            return re.search(r"--edition (\d+)", transcript.read_text())[1]
    raise ValueError(f"{source}: no Cargo.toml or rustc.txt says its edition")


def url(source: pathlib.Path) -> str:
    query = {
        "version": "stable",
        "mode": "debug",
        "edition": edition(source),
        "code": source.read_text(),
    }
    return PLAYGROUND + "?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)


def on_page_markdown(markdown, page, config, files):
    root = pathlib.Path(config.config_file_path).parent
    return LINK.sub(lambda match: f"]({url(root / match['path'])})", markdown)
