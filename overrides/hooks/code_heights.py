"""Tell each code block's placeholder how tall the block will be.

extra.css lets the browser skip laying out long blocks until they come near the viewport
(`content-visibility: auto`); a skipped block stands in at its `contain-intrinsic-size`. A
fixed guess (300px) is shorter than most programs here, and tools that read the page's layout
before the reader scrolls (axe-core in Lighthouse) then find a long program's lines reaching
over the tab labels and footer below it, and measure their contrast against its grey. From its
line count (`--lines`, set here) the stand-in is a little taller than the block, never shorter;
the scroll bar is right from the start, too. tests/browser/test_accessibility.py checks
contrast as the page opens, when every long block is still a stand-in.
"""

import re

BLOCK = re.compile(
    r'<div class="(?P<cls>[^"]*\bhighlight)">(?P<body>.*?<code[^>]*>(?P<code>.*?)</code>)',
    re.DOTALL,
)


def with_lines(match: re.Match) -> str:
    lines = match["code"].rstrip("\n").count("\n") + 1
    return f'<div class="{match["cls"]}" style="--lines:{lines}">{match["body"]}'


def on_page_content(html, **kwargs):
    return BLOCK.sub(with_lines, html)
