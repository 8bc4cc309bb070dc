"""Break a copy of the repository the way an author might, and check the tests say so.

Each case edits one file in a fresh copy, runs part of the test command there, and checks
that it fails with a message naming the file (or the diff and the command to fix it).
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

from harness.sitebuild import mkdocs_build
from harness.support import ROOT, TARGET
from harness.transcripts import REWRITE_COMMAND

KEEP = [
    "conftest.py",
    "pyproject.toml",
    "mkdocs.yml",
    "Cargo.toml",
    "Cargo.lock",
    ".cargo",
    "rust-toolchain.toml",
    "docs",
    "overrides",
    "snippets",
    "harness",
    "tests",
    "tools",
]
BORROWING_PY = "snippets/safety/borrowing/borrowing.py"
BORROWING_RS = "snippets/safety/borrowing/src/main.rs"


@pytest.fixture
def copy(tmp_path) -> pathlib.Path:
    for name in KEEP:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    return tmp_path


def edit(copy: pathlib.Path, name: str, old: str, new: str) -> None:
    path = copy / name
    text = path.read_text()
    assert old in text, f"{name} no longer contains {old!r}: update this test"
    path.write_text(text.replace(old, new, 1))


def pytest_in(
    copy: pathlib.Path, *args: str, outcome: str = "1 failed"
) -> subprocess.CompletedProcess:
    """Run pytest in the copy; it must end with `outcome` (and nothing else failing or
    erroring), so that a case passes only when it fails for the reason it provokes."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=copy,
        # The copy builds Rust into a target directory of its own, kept between runs.
        env={**os.environ, "CARGO_TARGET_DIR": str(TARGET / "bad-input")},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    counts = re.findall(r"(\d+ (?:failed|errors?))", summary)
    assert counts == [outcome], (
        f"expected `{outcome}` from pytest in the broken copy:\n{done.stdout[-3000:]}"
    )
    return done


def test_missing_include_fails_page_and_build(copy):
    (copy / BORROWING_PY).unlink()
    # The page cannot even be collected: an error, not a failure.
    assert BORROWING_PY in pytest_in(copy, "docs/safety.md", outcome="1 error").stdout
    build = mkdocs_build(copy, copy / "site")
    assert build.returncode != 0
    assert f"Error reading page 'safety.md': Snippet at path '{BORROWING_PY}'" in build.stderr


def test_broken_python_sample_names_page_and_file(copy):
    edit(copy, BORROWING_PY, "print(s2)", "print(s2")
    out = pytest_in(copy, "docs/safety.md").stdout
    assert "docs/safety.md, code block at line" in out and f"shows {BORROWING_PY}" in out
    assert "SyntaxError" in out


def test_python_sample_raising_names_page_and_file(copy):
    edit(copy, BORROWING_PY, "print(s2)", "print(s2.missing)")
    out = pytest_in(copy, "docs/safety.md").stdout
    assert f"shows {BORROWING_PY}" in out and "AttributeError" in out


def test_changed_python_output_shows_diff_and_fix(copy):
    edit(copy, BORROWING_PY, "print(parts)", 'print(parts, "!")')
    out = pytest_in(copy, "tests/test_outputs.py", "-k", "python_output and borrowing").stdout
    assert "snippets/safety/borrowing/output.python.txt is stale" in out
    assert "+['Hello', 'world'] !" in out and REWRITE_COMMAND in out


def test_code_block_not_from_a_file_is_refused(copy):
    edit(copy, "docs/conclusion.md", "# Conclusion\n", "# Conclusion\n\n```bash\nrm -rf /\n```\n")
    out = pytest_in(copy, "tests/site/test_code_blocks.py").stdout
    assert "docs/conclusion.md" in out and "one include of a file under snippets/" in out


@pytest.mark.usefixtures("rust_toolchain")
def test_broken_rust_sample_names_the_file(copy):
    edit(copy, BORROWING_RS, 'println!("{s2}");', 'println!("{s2}")')
    # The build is a session fixture: its failure is an error of the test that needs it.
    out = pytest_in(
        copy, "tests/test_outputs.py", "-k", "rust_output and borrowing", outcome="1 error"
    ).stdout
    assert "cargo build failed" in out and BORROWING_RS in out


@pytest.mark.usefixtures("rust_toolchain")
def test_changed_rust_output_shows_diff(copy):
    edit(copy, BORROWING_RS, 'r.push_str(", world");', 'r.push_str(", there");')
    out = pytest_in(copy, "tests/test_outputs.py", "-k", "rust_output and borrowing").stdout
    assert "snippets/safety/borrowing/output.rust.txt is stale" in out
    assert re.search(r"^\+Hello, there$", out, re.MULTILINE)


@pytest.mark.usefixtures("rust_toolchain")
def test_compile_fail_sample_that_compiles_fails(copy):
    sample = "snippets/concurrency/thread_borrows_local/main.rs"
    edit(copy, sample, "thread::spawn(|| {", "thread::spawn(move || {")
    out = pytest_in(
        copy, "tests/test_compile_fail.py", "-k", "rust_refuses_it and thread_borrows_local"
    ).stdout
    assert f"{sample} compiles now, but the page shows it failing: error[E0373]" in out
