"""Every output file a page shows (`snippets/**/output.rust.txt`, `output.python.txt`, and
`output.WHAT.rust.txt` where a sample shows more than one): its commands run from the
repository root and what they print is compared with the file, or rewritten under
`./dev test --update-outputs`. One test for all of them, so a new sample's output is checked
without a test of its own; the sample's module tests only what is particular to it.

A server's output file (it prints `Listening on`) runs until stopped: its topic's tests start
it on a free port, stop it as Ctrl+C does and compare (`harness.servers.check_listening_output`).
"""

import pytest

from harness import transcripts
from harness.support import ROOT

OUTPUTS = sorted((ROOT / "snippets").rglob("output*.txt"))
# What a sample's commands need beyond a build: the PyO3 module, importable (slow: it builds);
# a PostgreSQL server with the Databases page's schema, named by DATABASE_URL.
FIXTURES = {"prime_count_pyo3": "fast_primes", "users_db": "database"}


def cases(language: str) -> list:
    return [
        pytest.param(
            path,
            marks=[pytest.mark.slow] if path.parent.name in FIXTURES else [],
            id=str(path.parent.relative_to(ROOT / "snippets"))
            + path.name.removeprefix("output").removesuffix(f".{language}.txt"),
        )
        for path in OUTPUTS
        if path.name.endswith(f".{language}.txt") and not transcripts.is_server(path)
    ]


@pytest.mark.parametrize("path", cases("rust"))
def test_rust_output_shown_on_the_page(path, rust_binaries, outputs, request):
    if path.parent.name in FIXTURES:
        request.getfixturevalue(FIXTURES[path.parent.name])
    outputs.commands(path, transcripts.normaliser(path))


@pytest.mark.parametrize("path", cases("python"))
def test_python_output_shown_on_the_page(path, outputs, request):
    if path.parent.name in FIXTURES:
        request.getfixturevalue(FIXTURES[path.parent.name])
    outputs.commands(path, transcripts.normaliser(path))


def test_every_output_file_is_a_command_or_a_server():
    """A file nobody runs would be shown unchecked; the run's record of checked files
    (tests/site/test_code_blocks.py) catches that too, but only in a whole run."""
    for path in OUTPUTS:
        steps = transcripts.read(path)
        assert steps, path
        if transcripts.is_server(path):
            assert len(steps) == 1, f"{path}: a server's file is its one command"
