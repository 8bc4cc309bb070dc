"""The pages read plainly: hard limits on the reader prose of every built page (what a reader
sees at first; tools/prose.py says what counts). `./dev prose` prints the reading figures,
which are for reading, never pass/fail."""

import re

import pytest

from harness.sitebuild import page_html
from tools import prose

PAGES = prose.pages()

# What belongs to the method, in a collapsed block or on the Methods page, not in reader prose.
METHOD = {
    # A test's name has three words or more after test_ (SQLx's test_before_acquire has two).
    "a test file": re.compile(r"\btests/\S+|\btest_\w+\.py\b|\btest_(?:[a-z0-9]+_){2,}[a-z0-9]+\b"),
    "a ./dev command": re.compile(r"\./dev\b"),
    "the date of a run": re.compile(r"\b20\d\d-\d\d-\d\d\b"),
    "this machine": re.compile(r"\bthis (?:shared )?machine\b", re.IGNORECASE),
}


def reader_passages(site, stem) -> list[prose.Passage]:
    page = (site / page_html(stem)).read_text()
    return [p for p in prose.passages(page) if not p.collapsed]


@pytest.mark.parametrize("stem", PAGES)
def test_no_sentence_is_over_sixty_words(built_site, stem):
    long = [
        (prose.words(s), s)
        for p in reader_passages(built_site, stem)
        for s in prose.sentences(p.text)
        if prose.words(s) > prose.LONGEST
    ]
    assert not long, f"{stem}: split these sentences:\n" + "\n".join(f"{n}: {s}" for n, s in long)


# The Methods page is where the method is meant to be.
@pytest.mark.parametrize("stem", [stem for stem in PAGES if stem != "methods"])
def test_reader_prose_leaves_the_method_to_collapsed_blocks(built_site, stem):
    found = [
        f"{what}: {p.raw}"
        for p in reader_passages(built_site, stem)
        for what, pattern in METHOD.items()
        if pattern.search(p.raw)
    ]
    assert not found, f"{stem}: move into a collapsed block (??? note):\n" + "\n".join(found)


@pytest.mark.parametrize("stem", PAGES)
def test_no_parentheses_inside_parentheses(built_site, stem):
    nested = [p.text for p in reader_passages(built_site, stem) if prose.nested_parentheses(p.text)]
    assert not nested, f"{stem}: nested parentheses:\n" + "\n".join(nested)


# --- the reader itself, broken on purpose ------------------------------------------------------

PAGE = """<html><body><nav><p>Not this, it is navigation. {long}</p></nav><article>
<h1>Title with tests/not_counted.py</h1>
<p>A short sentence with <code>tests/a.py</code>. {long}</p>
<table><tr><td>{long}</td></tr></table>
<pre><code>x = (1 + (2))  # tests/code.py</code></pre>
<details><summary>How this is checked</summary><p>tests/site/test_x.py ran ./dev test.</p></details>
<details open><p>Open (with (nested)) parentheses.</p></details>
<div class="tabbed-labels"><label>Rust</label></div>
</article></body></html>"""


def test_the_reader_keeps_what_a_reader_sees_first_and_nothing_else():
    long = "Word " + " ".join(["word"] * 60) + "."
    found = prose.passages(PAGE.format(long=long))
    shown = [p for p in found if not p.collapsed]
    assert [p.raw for p in shown] == [
        f"A short sentence with tests/a.py. {long}",
        "Open (with (nested)) parentheses.",
    ]
    assert [p.raw for p in found if p.collapsed] == [
        "How this is checked",
        "tests/site/test_x.py ran ./dev test.",
    ]
    sentences = prose.sentences(shown[0].text)
    assert [prose.words(s) for s in sentences] == [5, 61]
    assert prose.nested_parentheses(shown[1].text)
    assert METHOD["a test file"].search(shown[0].raw)


def test_sentences_split_after_a_full_stop_but_not_after_an_abbreviation():
    text = "Use a pool, e.g. deadpool. It waits 2.5 s. psycopg then answers (a 503). Done!"
    assert prose.sentences(text) == [
        "Use a pool, e.g. deadpool.",
        "It waits 2.5 s.",
        "psycopg then answers (a 503).",
        "Done!",
    ]
