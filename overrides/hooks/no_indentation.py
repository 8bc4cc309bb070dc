"""Drop the indentation of Material's templates from every page: a line break followed by
spaces renders as the line break alone, outside elements that keep their whitespace (`<pre>`,
`<textarea>`, `<script>`, and `<code>`, kept as written). About 0.5 KB gzip per page, which
the longest page needs to stay within its weight target (MAINTAINING.md, "Site report")."""

import re

KEPT = re.compile(r"(<(pre|textarea|script|code)\b.*?</\2>)", re.S)
INDENT = re.compile(r"\n[ \t]+")


def on_post_page(output, **kwargs):
    parts = KEPT.split(output)
    # split() yields text, then each kept element and its tag name: indent only the text.
    return "".join(
        INDENT.sub("\n", part) if i % 3 == 0 else part for i, part in enumerate(parts) if i % 3 != 2
    )
