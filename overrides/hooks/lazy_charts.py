"""Load the pages' SVG charts only when the reader scrolls near them, with their space kept.

Each chart sits below the fold of a long page: `loading="lazy"` keeps it out of the first
view's transfer, and `width`/`height` from the SVG's own `viewBox` let the browser reserve
its box before it arrives, so nothing below it moves.
"""

import pathlib
import posixpath
import re

IMAGE = re.compile(r'<img (alt="[^"]*" )?src="([^"]+\.svg)" ?/?>')
VIEWBOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')


def on_page_content(html, page, config, **kwargs):
    def lazy(match: re.Match) -> str:
        alt, src = match[1] or "", match[2]
        # page.url is "concurrency/" on the site and "concurrency.html" offline.
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page.url), src))
        svg = pathlib.Path(config.docs_dir, path)
        width, height = VIEWBOX.search(svg.read_text()).groups()
        return f'<img {alt}src="{src}" loading="lazy" width="{width}" height="{height}">'

    return IMAGE.sub(lazy, html)
