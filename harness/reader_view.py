"""The code of a page as a reader of the site sees it, for pytest-markdown-docs to run.

Out of the box the plugin parses plain CommonMark: a fence inside a Material content tab or
admonition is an indented block it never collects, and a `--8<--` include line would run as
Python. Through the plugin's parser hook we hand it each page with tab and admonition bodies
lifted to the top level (one line for one line, so line numbers hold) and every fence filled
by pymdownx.snippets itself, set up exactly as mkdocs.yml sets it up for the site.
"""

import dataclasses
import functools
import pathlib
import re

import markdown
from markdown_it import MarkdownIt
from mkdocs.config import load_config

from harness.support import INCLUDE, PAGES, ROOT, SECTION, checked_in

# `=== "Tab"`, `!!! note`, `??? note`, `???+ note`: their bodies are indented four spaces.
CONTAINER = re.compile(r"^(?P<indent> *)(?:===|!!!|\?\?\?\+?)[ \t]")
# A Material annotation marker with `!` is removed from the rendered and the copied code
# (the spaces before it stay).
ANNOTATION = re.compile(r"(?:#|//) \(\d+\)!$", re.MULTILINE)

# The code handed to the plugin -> the files it was included from, to name them on failure.
INCLUDED_FROM: dict[str, list[str]] = {}


@functools.cache
def snippet_preprocessor():
    config = load_config(str(ROOT / "mkdocs.yml"))
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": config.mdx_configs["pymdownx.snippets"]},
    )
    return md.preprocessors["snippet"]


def lift_containers(text: str) -> str:
    out: list[str] = []
    indents: list[int] = []  # body indentation of each open container
    for line in text.split("\n"):
        if line.strip():
            depth = len(line) - len(line.lstrip(" "))
            while indents and depth < indents[-1]:
                indents.pop()
        cut = indents[-1] if indents else 0
        opener = CONTAINER.match(line[cut:])
        if opener:
            indents.append(cut + len(opener["indent"]) + 4)
            out.append("")
        else:
            out.append(line[cut:])
    return "\n".join(out)


def as_rendered(code: str) -> str:
    lines = snippet_preprocessor().run(code.split("\n"))
    return ANNOTATION.sub("", "\n".join(lines))


class ReaderViewParser(MarkdownIt):
    """CommonMark parser that sees fences as the site renders them."""

    def parse(self, src, env=None):
        tokens = super().parse(lift_containers(src), env)
        for token in tokens:
            if token.type == "fence":
                files = INCLUDE.findall(token.content)
                if SECTION.search(token.content):
                    # Part of a program: it runs as the whole file, in that file's block.
                    token.info += " notest"
                token.content = as_rendered(token.content)
                if files:
                    INCLUDED_FROM[token.content.lstrip("\n")] = files
        return tokens


# --- code blocks of a page --------------------------------------------------------------

TITLE = re.compile(r'title="(?P<path>[^"]+)"')


@dataclasses.dataclass
class Block:
    line: int  # where the fence opens in the page, 1-based
    lang: str
    title: str | None
    source: str  # the block as written in the page
    rendered: str  # as the reader sees and copies it: includes filled, markers hidden

    @property
    def section(self) -> str | None:
        """The section of a file the block shows, where it shows part of one."""
        found = SECTION.search(self.source)
        return found["name"] if found else None


def code_blocks(page: pathlib.Path) -> list[Block]:
    blocks = []
    for token in MarkdownIt("commonmark").parse(lift_containers(page.read_text())):
        if token.type == "fence":
            info = token.info.strip("{} ").split()
            lang = info[0].lstrip(".") if info else ""
            title = TITLE.search(token.info)
            blocks.append(
                Block(
                    token.map[0] + 1,
                    lang,
                    title["path"] if title else None,
                    token.content,
                    as_rendered(token.content),
                )
            )
    return blocks


def shown(page: pathlib.Path):
    """(block, include path) of each block, or (block, None) where it is not one include."""
    for block in code_blocks(page):
        includes = INCLUDE.findall(block.source)
        one = len(includes) == 1 and len(block.source.strip().splitlines()) == 1
        yield block, (ROOT / includes[0]).resolve() if one else None


def unchecked(record: pathlib.Path) -> list[str]:
    """Each block on a page whose file no process of the run recorded."""
    seen = checked_in(record)
    return [
        f"{page.relative_to(ROOT)}, line {block.line}: {path.relative_to(ROOT)}"
        for page in PAGES
        for block, path in shown(page)
        if path is not None and path not in seen
    ]
