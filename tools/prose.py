"""How the pages read: the sentences of each built page's reader prose, their lengths, its
parentheses and how often it says "you" (`./dev prose` prints them). Reader prose is what a
reader sees at first: paragraphs, list items, admonitions, code annotations; not code, tables,
headings, or collapsed blocks (`??? note`), which hold the method and how it is checked.
tests/site/test_prose.py holds the hard limits; the figures are for reading, never pass/fail."""

import dataclasses
import html.parser
import pathlib
import re
import statistics
import sys
import tempfile

from harness.sitebuild import mkdocs_build, page_html
from harness.support import ROOT

LONGEST = 60  # words: no reader sentence is longer (the suite holds this)
LONG = 40  # words: a sentence past this counts as long

# Elements whose text is not reader prose (code, tables, headings, controls, scripts).
SKIPPED = {"pre", "table", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "svg", "nav"}
BLOCKS = {"p", "li", "dd", "dt", "figcaption", "summary", "blockquote", "div", "ol", "ul"}
# Abbreviations that end with a full stop inside a sentence.
ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|approx)\.$", re.IGNORECASE)
# A sentence may start with a lower-case name (psycopg, `cargo`) as well as a capital.
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[A-Za-z0-9\"“(*`«\[_])")
WORD = re.compile(r"[\w'’-]*\w[\w'’-]*")


@dataclasses.dataclass
class Passage:
    """A block of text as a reader meets it, with whether it sits in a collapsed block."""

    text: str  # inline code as the one word `code`
    raw: str  # inline code as written
    collapsed: bool


class _Article(html.parser.HTMLParser):
    """The article's text, block by block; inline code becomes one word (`code`), so that
    its punctuation is not taken for the prose's."""

    VOID = {"br", "img", "input", "hr", "wbr", "meta", "link", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        # Open elements: (tag, collapsed: a closed <details>, skipped: not prose).
        self.stack: list[tuple[str, bool, bool]] = []
        self.in_article = False
        self.buffer: list[str] = []
        self.raw: list[str] = []
        self.passages: list[Passage] = []

    def flush(self):
        text = " ".join("".join(self.buffer).split())
        if text:
            collapsed = any(c for _, c, _ in self.stack)
            self.passages.append(Passage(text, " ".join("".join(self.raw).split()), collapsed))
        self.buffer, self.raw = [], []

    def skipping(self) -> bool:
        return any(s for _, _, s in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.in_article = True
            return
        if not self.in_article or tag in self.VOID:
            return
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        skipped = tag in SKIPPED or bool(classes & {"tabbed-labels", "headerlink", "highlight"})
        if tag in BLOCKS or tag == "details" or skipped:
            self.flush()
        if tag == "code" and not self.skipping():
            self.buffer.append(" code ")
            skipped = True
        self.stack.append((tag, tag == "details" and "open" not in attrs, skipped))

    def handle_endtag(self, tag):
        if tag == "article":
            self.flush()
            self.in_article = False
            return
        if not self.in_article or not any(t == tag for t, _, _ in self.stack):
            return
        while self.stack:
            open_tag, _, skipped = self.stack[-1]
            if open_tag in BLOCKS or open_tag == "details" or (skipped and open_tag != "code"):
                self.flush()
            self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.in_article:
            return
        if not self.skipping():
            self.buffer.append(data)
            self.raw.append(data)
        elif [t for t, _, skipped in self.stack if skipped] == ["code"]:
            self.raw.append(data)  # inline code, as a reader sees it


def passages(page: str) -> list[Passage]:
    reader = _Article()
    reader.feed(page)
    reader.close()
    return reader.passages


def sentences(text: str) -> list[str]:
    """A passage's sentences: split after . ! ? before what can start one, not after an
    abbreviation."""
    out: list[str] = []
    for part in SENTENCE_END.split(text):
        if out and ABBREVIATIONS.search(out[-1]):
            out[-1] += " " + part
        else:
            out.append(part)
    return [s.strip() for s in out if WORD.search(s)]


def words(sentence: str) -> int:
    return len(WORD.findall(sentence))


def nested_parentheses(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth > 1:
            return True
    return False


@dataclasses.dataclass
class Figures:
    words: int
    sentences: int
    median: float
    p90: float
    long_share: float  # of sentences over LONG words
    longest: int
    parentheses: float  # per 100 words
    you: float  # per 1,000 words

    @classmethod
    def of(cls, texts: list[str]) -> "Figures":
        lengths = [words(s) for text in texts for s in sentences(text)]
        total = sum(words(text) for text in texts)
        lengths = lengths or [0]
        return cls(
            words=total,
            sentences=len(lengths),
            median=statistics.median(lengths),
            p90=statistics.quantiles(lengths, n=10)[-1] if len(lengths) > 1 else lengths[0],
            long_share=100 * sum(n > LONG for n in lengths) / len(lengths),
            longest=max(lengths),
            parentheses=100 * sum(text.count("(") for text in texts) / max(total, 1),
            you=1000
            * sum(len(re.findall(r"\byour?\b", text, re.IGNORECASE)) for text in texts)
            / max(total, 1),
        )


def reader_prose(site: pathlib.Path, stem: str) -> list[str]:
    page = (site / page_html(stem)).read_text()
    return [p.text for p in passages(page) if not p.collapsed]


def pages() -> list[str]:
    """The pages in the site's order (mkdocs.yml's nav)."""
    nav = re.findall(r"^\s+- [^:]+: (\S+)\.md$", (ROOT / "mkdocs.yml").read_text(), re.M)
    return nav


def table(site: pathlib.Path) -> str:
    rows = [
        "| Page | words | sentences | median | 90th pct | over 40 | longest | ( per 100 words "
        "| you per 1,000 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    every = []
    for stem in pages():
        texts = reader_prose(site, stem)
        every += texts
        rows.append(row(stem, Figures.of(texts)))
    rows.append(row("**all pages**", Figures.of(every)))
    return "\n".join(rows)


def row(name: str, f: Figures) -> str:
    return (
        f"| {name} | {f.words} | {f.sentences} | {f.median:g} | {f.p90:.0f} | "
        f"{f.long_share:.1f} % | {f.longest} | {f.parentheses:.2f} | {f.you:.1f} |"
    )


def main(argv: list[str]) -> int:
    """Build the site (or read a built one, the first argument) and print the figures."""
    if argv:
        print(table(pathlib.Path(argv[0])))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        site = pathlib.Path(tmp) / "site"
        done = mkdocs_build(ROOT, site)
        if done.returncode:
            sys.stderr.write(done.stderr)
            return done.returncode
        print(table(site))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
