"""Every output file a page shows (`snippets/**/output.rust.txt`, `output.python.txt`, and
`output.WHAT.rust.txt` where a sample shows more than one): its commands run from the
repository root and what they print is compared with the file, or rewritten under
`./dev test --update-outputs`. One test for all of them, so a new sample's output is checked
without a test of its own; the sample's module tests only what is particular to it.

A server's output file (it prints `Listening on`) runs until stopped: its topic's tests start
it on a free port, stop it as Ctrl+C does and compare (`harness.servers.check_listening_output`).
"""

import json
import subprocess

import pytest

from harness import transcripts
from harness.support import ROOT
from tests.conftest import build_environment, no_run

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


CARGO_TESTS = [
    path
    for path in OUTPUTS
    if any(
        transcripts.split(step.command)[1][:2] == ["cargo", "test"]
        for step in transcripts.read(path)
    )
]


@pytest.mark.parametrize(
    "path", CARGO_TESTS, ids=[str(p.relative_to(ROOT / "snippets")) for p in CARGO_TESTS]
)
def test_a_cargo_test_a_page_shows_finds_its_build_done(path, rust_binaries):
    """The session's builds are the ones the pages' cargo commands need: a `cargo test` that
    had to build first would wait on cargo inside a test, minutes on a new machine (its
    features resolve for its one package, not as the session's build of every sample)."""
    for step in transcripts.read(path):
        _, args = transcripts.split(step.command)
        done = subprocess.run(
            [*no_run(args), "--message-format=json"],
            cwd=ROOT,
            env=build_environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr
        rebuilt = [
            message["target"]["name"]
            for message in map(json.loads, done.stdout.splitlines())
            if message.get("reason") == "compiler-artifact" and not message["fresh"]
        ]
        assert not rebuilt, f"`{step.command}` had to build {rebuilt} first"


def test_cargo_run_in_the_workspace_runs_the_sessions_build(rust_binaries):
    command = "cargo run -q -p threads -- 3"
    assert transcripts.argv(command) == [str(rust_binaries / "threads"), "3"]
    assert transcripts.argv("python x.py")[1:] == ["x.py"]
    with pytest.raises(ValueError, match="--release"):
        transcripts.argv("cargo run -q --release -p threads")
