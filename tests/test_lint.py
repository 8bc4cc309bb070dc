"""Every Python file passes ruff (lint and format); every Rust sample is formatted by rustfmt
and passes clippy with warnings as errors."""

import subprocess
import sys

import pytest

from harness import toolchain
from harness.support import ROOT, TARGET, rustc_edition

COMPILE_FAIL = sorted((ROOT / "snippets").rglob("rustc.txt"))
# clippy needs a build of the dependencies: in the quick run only once one exists.
slow_unless_built = (
    pytest.mark.slow if not (TARGET / "debug/.fingerprint").is_dir() else lambda f: f
)


def run(*argv: str) -> subprocess.CompletedProcess:
    toolchain.require_cargo()
    return subprocess.run(
        argv,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_python_passes_ruff(command):
    """Samples, tests and tools; settings in pyproject.toml. Fix with `ruff format` and
    `ruff check --fix` (in .venv/bin)."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_rust_samples_are_formatted():
    done = run("cargo", "fmt", "--all", "--check")
    assert done.returncode == 0, f"run `cargo fmt --all`:\n{done.stdout}{done.stderr}"


@pytest.mark.parametrize("transcript", COMPILE_FAIL, ids=lambda p: p.parent.name)
def test_compile_fail_samples_are_formatted(transcript):
    """They are not workspace members, so `cargo fmt` does not see them."""
    edition = rustc_edition(transcript.parent)
    source = transcript.parent / "main.rs"
    done = run("rustfmt", "--check", "--edition", edition, str(source))
    assert done.returncode == 0, f"run `rustfmt --edition {edition} {source}`:\n{done.stdout}"


@slow_unless_built
def test_rust_samples_pass_clippy():
    done = run(
        "cargo", "clippy", "--locked", "--workspace", "--all-targets", "--", "-D", "warnings"
    )
    assert done.returncode == 0, done.stderr
