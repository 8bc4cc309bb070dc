"""Drop the Pygments spans that change nothing on screen from highlighted code.

- `<span class="w">`: whitespace, which no rule of Material's theme styles;
- `<span class="n">`: plain names, which Material colours with the code's own colour
  (`--md-code-hl-name-color` is `--md-code-fg-color`; tests/browser/test_reading.py checks
  that, in both colour schemes).

They are about a third of the HTML of the pages with many samples and thousands of elements
for the browser to style; without them those pages stay within their weight target. The text
of the code, and so what the copy button copies, is unchanged.
"""

import re

UNSTYLED_SPAN = re.compile(r'<span class="[wn]">([^<]*)</span>')


def on_page_content(html, **kwargs):
    return UNSTYLED_SPAN.sub(r"\1", html)
