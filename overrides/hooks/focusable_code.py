"""Every code block can take keyboard focus from the HTML on, not only once Material mounts it.

Material gives a block that scrolls sideways `tabindex="0"` when it mounts it (and takes it off
one that does not scroll). With the `content.lazy` feature it mounts a block only when the block
first comes into view, so a keyboard user tabbing down the page would pass over the blocks
further on, and without JavaScript no block could be scrolled from the keyboard at all.
"""

import re

CODE = re.compile(r"(<pre[^>]*>(?:<span></span>)?)<code>")


def on_page_content(html, **kwargs):
    return CODE.sub(r'\1<code tabindex="0">', html)
