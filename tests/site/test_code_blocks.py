"""Every code block on every page is checked by a test; this module proves that it is.

A block on a page must be a single `--8<--` include of a file under snippets/, and what
checks it depends on the kind of file:

- Python (`*.py`): pytest-markdown-docs runs it as the page shows it (conftest.py), and
  tests/site/test_build.py checks that it runs every Python block the site shows.
- Rust, a workspace member's `src/main.rs`: the `rust_binaries` fixture (tests/conftest.py)
  builds it with warnings as errors, and the sample's test runs it.
- Rust, a compile-fail `main.rs` (a folder with `rustc.txt`, outside the workspace):
  tests/compile_fail.py checks it fails with the error the page shows.
- TOML, a member's `Cargo.toml`: the same workspace build reads it, and
  tests/site/test_copy_paste.py builds a new project from it and the `src/main.rs` shown.
- Text, a sample's `requirements.txt`: tests/site/test_copy_paste.py installs it in a new
  virtual environment and runs the sample there.
- Console, an output file (`output.*.txt`, `rustc.txt`): the sample's test runs the commands
  it shows and compares what they print (tests/transcripts.py).

The sample's test is found by name: snippets/TOPIC/NAME/ is tested by tests/TOPIC/test_NAME.py.
"""

import pathlib
import tomllib

import pytest
from markdown_it import MarkdownIt

from tests.reader_view import INCLUDE, lift_containers
from tests.transcripts import ROOT

PAGES = sorted((ROOT / "docs").glob("*.md"))
MEMBERS = {
    ROOT / member
    for member in tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["members"]
}


def code_blocks(page: pathlib.Path):
    for token in MarkdownIt("commonmark").parse(lift_containers(page.read_text())):
        if token.type == "fence":
            lang = token.info.strip("{} .").split()[0] if token.info.strip() else ""
            yield token.map[0] + 1, lang, token.content


def covering_test(sample_dir: pathlib.Path) -> pathlib.Path:
    topic, name = sample_dir.relative_to(ROOT / "snippets").parts[:2]
    return ROOT / "tests" / topic / f"test_{name}.py"


def check_block(lang: str, path: pathlib.Path) -> str | None:
    """None if a test covers the block, else why not."""
    sample = path.parent.parent if path.parent.name == "src" else path.parent
    test = covering_test(sample)
    if not test.is_file():
        return f"no test module {test.relative_to(ROOT)} for {sample.relative_to(ROOT)}"
    test_source = test.read_text()
    if lang == "python" and path.suffix == ".py":
        return None
    if lang == "rust" and path.name == "main.rs":
        if sample in MEMBERS and path.parent.name == "src":
            return None
        if sample not in MEMBERS and (sample / "rustc.txt").is_file():
            return None if "compile_fail.check" in test_source else f"{test.name} never calls compile_fail.check"
        return "a Rust block must show a workspace member's src/main.rs or a compile-fail sample"
    if lang == "toml" and path.name == "Cargo.toml":
        return None if sample in MEMBERS else f"{sample.relative_to(ROOT)} is not a workspace member"
    if lang == "text" and path.name == "requirements.txt":
        return None
    if lang == "console" and path.name == "rustc.txt":
        return None if "compile_fail.check" in test_source else f"{test.name} never checks rustc.txt"
    if lang == "console" and path.name.startswith("output."):
        return None if path.name in test_source else f"{test.name} never checks {path.name}"
    return f"no test covers a `{lang}` block showing {path.name}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_code_block_is_a_checked_file(page):
    problems = []
    for line, lang, content in code_blocks(page):
        includes = INCLUDE.findall(content)
        if len(includes) != 1 or len(content.strip().splitlines()) != 1:
            problems.append(f"line {line}: a code block must be one include of a file under snippets/")
            continue
        path = ROOT / includes[0]
        why = check_block(lang, path)
        if why:
            problems.append(f"line {line}: {why}")
    assert not problems, f"{page.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_every_rust_sample_is_on_a_page():
    shown = {
        (ROOT / INCLUDE.findall(content)[0]).resolve()
        for page in PAGES
        for _, lang, content in code_blocks(page)
        if lang == "rust"
    }
    samples = {m / "src/main.rs" for m in MEMBERS} | {
        p.parent / "main.rs" for p in (ROOT / "snippets").rglob("rustc.txt")
    }
    assert samples == shown
