"""Every code block on every page is a file that this very run checked.

A block must be a single `--8<--` include of a file under snippets/. Each check that compares,
builds, runs or installs such a file records it (`harness.support.checked`):

- Python: pytest-markdown-docs runs the block as the page shows it (conftest.py);
- a Rust project's `src/main.rs` and `Cargo.toml`, and a `requirements.txt`: built or
  installed and run from what the page shows (tests/site/test_copy_paste.py);
- a compile-fail `main.rs` and its `rustc.txt` (tests/test_compile_fail.py);
- an output file: its commands run and compared (harness/transcripts.py).

At the end of a whole run, conftest.py holds every block to that record and fails the run on
a block no test checked; a run that selects tests (`--quick`, `-k`, `-m`, paths) says that
it did not (CI always runs everything).
"""

import tomllib

import pytest

from harness.reader_view import shown
from harness.support import PAGES, ROOT

KINDS = {
    "python": ".py",
    "rust": ".rs",
    "toml": ".toml",
    "console": ".txt",
    "text": ".txt",
    "sql": ".sql",
    "diff": ".diff",
}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_code_block_is_one_include(page):
    problems = []
    for block, path in shown(page):
        if path is None:
            problems.append(
                f"line {block.line}: a code block must be one include of a file under snippets/"
            )
        elif KINDS.get(block.lang) != path.suffix:
            problems.append(f"line {block.line}: a `{block.lang}` block shows {path.name}")
    assert not problems, f"{page.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_every_rust_sample_is_on_a_page():
    """Every Rust file of each workspace member (src/, and tests/ where it has them) and each
    compile-fail main.rs, and nothing else."""
    rust = {path for page in PAGES for block, path in shown(page) if block.lang == "rust"}
    workspace = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]
    samples = {
        path.resolve()
        for member in workspace["members"]
        for folder in ("src", "tests")
        for path in (ROOT / member / folder).rglob("*.rs")
    }
    samples |= {p.parent.resolve() / "main.rs" for p in (ROOT / "snippets").rglob("rustc.txt")}
    assert rust == samples


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_part_of_a_file_is_shown_with_its_whole_file_on_the_same_page(page):
    """A block may show one section of a file (`--8<-- "path:name"`), where the prose talks
    about that part; the whole file is then on the page too, still checked and copyable."""
    whole = {path for block, path in shown(page) if path and block.section is None}
    parts = [(block, path) for block, path in shown(page) if path and block.section]
    missing = [f"line {b.line}: {p.relative_to(ROOT)}" for b, p in parts if p not in whole]
    assert not missing, f"{page.name} shows part of a file but not the whole of it:\n" + "\n".join(
        missing
    )
