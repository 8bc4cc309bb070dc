"""Drop the Pygments spans that change nothing on screen from highlighted code.

- `<span class="w">`: whitespace, which no rule of Material's theme styles;
- `<span class="n">` and `<span class="kc">`: plain names and keyword constants (`None`,
  `true`), which Material colours with the code's own colour (`--md-code-hl-name-color` is
  `--md-code-fg-color`);
- `<span class="p">`, `<span class="o">` and `<span class="ow">`: punctuation, operators and
  operator words (`in`, `and`), which extra.css gives the code's own colour too
  (tests/browser/test_reading.py checks each of these, in both colour schemes).

They are about half the HTML of the pages with many samples and thousands of elements for the
browser to style; without them those pages stay within their weight target (punctuation alone
was 8 KB gzip of the Databases page). The text of the code, and so what the copy button
copies, is unchanged.
"""

import re

UNSTYLED_SPAN = re.compile(r'<span class="(?:[wnpo]|kc|ow)">([^<]*)</span>')


def on_page_content(html, **kwargs):
    return UNSTYLED_SPAN.sub(r"\1", html)
