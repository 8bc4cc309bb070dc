"""Fixtures shared by the tests of every topic."""

import pathlib
import subprocess

import pytest

from tests import toolchain
from tests.sitebuild import mkdocs_build
from tests.transcripts import ROOT

IN_CI = toolchain.IN_CI


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


@pytest.fixture(scope="session")
def rust_toolchain() -> None:
    """Skip the Rust tests where there is no Rust (fail in CI, and under another toolchain)."""
    version = toolchain.rustc_version()
    reason = toolchain.problem()
    if version is None or (reason and IN_CI):
        if IN_CI:
            pytest.fail(
                f"CI must build the Rust samples with the pinned toolchain, but {reason}",
                pytrace=False,
            )
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
