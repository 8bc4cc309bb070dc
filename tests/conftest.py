"""Fixtures shared by the tests of every topic."""

import pathlib
import subprocess

import pytest

from tests import toolchain, transcripts
from tests.sitebuild import mkdocs_build
from tests.support import IN_CI, ROOT, require


def pytest_addoption(parser):
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the output files shown on the pages from this run instead of comparing",
    )


SLOW_FIXTURES = {"rust_toolchain", "rust_binaries", "browser"}


def pytest_collection_modifyitems(items):
    """Building Rust and driving a browser are slow; `./dev test --quick` leaves them out.
    A test marked `after_all` checks what the others did, so it runs last."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: item.get_closest_marker("after_all") is not None)


def whole_suite(config) -> bool:
    """Whether this run is the README's test command as CI runs it: no -k, no -m, no
    deselection, no paths of its own."""
    option = config.option
    return not (
        option.keyword
        or option.markexpr
        or option.deselect
        or getattr(option, "lf", False)
        or config.args != config.getini("testpaths")
    )


@pytest.fixture
def whole_run(request) -> None:
    """For a check of the whole run: skipped, and says so, when the run selects tests."""
    if not whole_suite(request.config):
        pytest.skip("checks the whole run; this one selects tests (-k, -m, --quick or paths)")


@pytest.fixture(scope="session")
def outputs(request) -> transcripts.Outputs:
    return transcripts.Outputs(request.config.getoption("--update-outputs"))


@pytest.fixture(scope="session")
def rust_toolchain() -> None:
    """Skip the Rust tests where there is no Rust (fail in CI, and under another toolchain)."""
    reason = toolchain.problem()
    # Another rustc builds the samples too (a reader's); only CI insists on the pinned one.
    require(toolchain.rustc_version() is not None and not (reason and IN_CI), f"Rust: {reason}")


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
