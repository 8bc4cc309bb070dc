"""The code of a page as a reader of the site sees it, for pytest-markdown-docs to run.

Out of the box the plugin parses plain CommonMark: a fence inside a Material content tab or
admonition is an indented block it never collects, and a `--8<--` include line would run as
Python. Through the plugin's parser hook we hand it each page with tab and admonition bodies
lifted to the top level (one line for one line, so line numbers hold) and every fence filled
by pymdownx.snippets itself, set up exactly as mkdocs.yml sets it up for the site.
"""

import functools
import re

import markdown
from markdown_it import MarkdownIt
from mkdocs.config import load_config

from harness.support import INCLUDE, ROOT

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
                token.content = as_rendered(token.content)
                if files:
                    INCLUDED_FROM[token.content.lstrip("\n")] = files
        return tokens
