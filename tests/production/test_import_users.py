"""The errors sample: both languages read the same file the same way, and where they fail
they name the same line and the same cause (their output files show the whole messages)."""

import subprocess
import sys

import pytest

from harness import transcripts
from harness.support import sample_of

SAMPLE = sample_of(__file__)
FILES = SAMPLE.relative_to(transcripts.ROOT)


def run(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        argv,
        cwd=transcripts.ROOT,
        env=transcripts.environment({}),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def programs(rust_binaries):
    return {
        "rust": [str(rust_binaries / "import_users")],
        "python": [sys.executable, str(SAMPLE / "import_users.py")],
    }


@pytest.mark.parametrize(
    ("file", "where", "cause"),
    [
        ("broken.txt", f"{FILES}/broken.txt, line 2", "the email {} has no @"),
        ("missing.txt", "cannot read missing.txt", "No such file or directory"),
    ],
)
def test_a_failure_says_where_and_why_in_both(programs, file, where, cause):
    path = "missing.txt" if file == "missing.txt" else f"{FILES}/{file}"
    for language, argv in programs.items():
        done = run([*argv, path])
        assert (done.returncode, done.stdout) == (1, ""), language
        assert where in done.stderr, (language, done.stderr)
        quoted = '"bob.example.com"' if language == "rust" else "'bob.example.com'"
        assert cause.format(quoted) in done.stderr, (language, done.stderr)


def test_a_good_file_is_read_alike(programs):
    printed = {lang: run([*argv, f"{FILES}/users.txt"]) for lang, argv in programs.items()}
    assert printed["rust"].stdout == printed["python"].stdout != ""
