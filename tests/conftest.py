"""Fixtures shared by the tests of every topic."""

import os
import pathlib
import shutil
import subprocess

import pytest

from tests.sitebuild import mkdocs_build
from tests.transcripts import ROOT

CRATES = pathlib.Path("/usr/share/cargo/registry")
NEEDED_CRATES = ("hyper-0.14.19", "tokio-1.24.2")
IN_CI = os.environ.get("CI") == "true"


def pytest_addoption(parser):
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the output files shown on the pages from this run instead of comparing",
    )


SLOW_FIXTURES = {"rust_toolchain", "rust_binaries", "browser"}


def pytest_collection_modifyitems(items):
    """Building Rust and driving a browser are slow; `./dev test --quick` leaves them out."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def update_outputs(request) -> bool:
    return request.config.getoption("--update-outputs")


def missing_rust() -> str | None:
    if not shutil.which("cargo") or not shutil.which("rustc"):
        return "cargo and rustc are not installed (Debian: apt-get install cargo)"
    missing = [c for c in NEEDED_CRATES if not (CRATES / c).is_dir()]
    if missing:
        return (
            f"the crate sources {', '.join(missing)} are not in {CRATES} "
            "(Debian: apt-get install librust-hyper-dev librust-tokio-dev)"
        )
    return None


@pytest.fixture(scope="session")
def rust_toolchain() -> None:
    """Skip (fail in CI) the Rust tests where the toolchain or the crates are missing."""
    reason = missing_rust()
    if reason:
        if IN_CI:
            pytest.fail(f"CI must build the Rust samples, but {reason}", pytrace=False)
        pytest.skip(f"Rust samples not built: {reason}")


@pytest.fixture(scope="session")
def rust_binaries(rust_toolchain) -> pathlib.Path:
    """Build the workspace once per session; cargo's own errors name the broken file."""
    done = subprocess.run(
        ["cargo", "build", "--locked", "--workspace"],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        pytest.fail(f"cargo build failed:\n{done.stderr}", pytrace=False)
    return ROOT / "target" / "debug"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("build") / "site"
    done = mkdocs_build(ROOT, site)
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{done.stderr}", pytrace=False)
    return site
