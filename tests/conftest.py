"""Fixtures shared by the tests of every topic."""

import os
import pathlib
import subprocess
import tomllib

import pytest

from harness import transcripts
from harness.sitebuild import mkdocs_build
from harness.support import ROOT, TARGET, checked, require
from tools import postgres


def pytest_addoption(parser):
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the output files shown on the pages from this run instead of comparing",
    )


@pytest.fixture(scope="session")
def outputs(request) -> transcripts.Outputs:
    return transcripts.Outputs(request.config.getoption("--update-outputs"))


def packages_tested(items) -> list[str]:
    """The workspace members under snippets/<topic>/ for each tests/<topic>/ this run
    collected: `./dev test tests/safety` builds only the Safety samples."""
    topics = {
        item.path.relative_to(ROOT / "tests").parts[0]
        for item in items
        if item.path.is_relative_to(ROOT / "tests")
    }
    # A generic test (tests/test_outputs.py) names its samples in its parameters.
    for item in items:
        for value in getattr(getattr(item, "callspec", None), "params", {}).values():
            if isinstance(value, pathlib.Path) and value.is_relative_to(ROOT / "snippets"):
                topics.add(value.relative_to(ROOT / "snippets").parts[0])
    workspace = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["members"]
    return [
        tomllib.loads((ROOT / member / "Cargo.toml").read_text())["package"]["name"]
        for member in workspace
        if pathlib.PurePath(member).parts[1] in topics
    ]


def build_environment() -> dict[str, str]:
    """What every build of the samples runs in. SQLx's macros check queries against
    DATABASE_URL when it is set: a test that set it to a server it had stopped, and was the
    first to need the build, broke it; the build reads the checked-in query data instead."""
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    return env | {"SQLX_OFFLINE": "true"}


def no_run(args: list[str]) -> list[str]:
    """A `cargo test ...` command's build: the same selection resolves the same features."""
    return ["cargo", "test", "--no-run", "--locked", *args[2:]]


def cargo_test_builds(packages: list[str]) -> list[list[str]]:
    """The `cargo test` commands that the output files of these packages show, as the build
    each needs: `cargo test --no-run` with the same selection resolves the same features,
    so the command a test then runs finds its build done."""
    builds = []
    for path in sorted((ROOT / "snippets").rglob("output*.txt")):
        for step in transcripts.read(path):
            _, args = transcripts.split(step.command)
            if args[:2] == ["cargo", "test"] and transcripts.package(args) in packages:
                builds.append(no_run(args))
    return builds


@pytest.fixture(scope="session")
def rust_binaries(request, rust_toolchain) -> pathlib.Path:
    """Build the samples of the topics under test, once per session, and every test build
    their output files run: no test waits on cargo (transcripts.built says why). cargo's own
    errors name the broken file."""
    packages = packages_tested(request.session.items)
    for command in [
        ["cargo", "build", "--locked", *(f"--package={name}" for name in packages)],
        *cargo_test_builds(packages),
    ]:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=build_environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=1800,  # a new machine builds every crate: minutes
        )
        if done.returncode != 0:
            pytest.fail(
                f"cargo build failed (`{' '.join(command)}`):\n{done.stderr}", pytrace=False
            )
    transcripts.SESSION_BUILD = TARGET / "debug"
    return TARGET / "debug"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("build") / "site"
    done = mkdocs_build(ROOT, site)
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{done.stderr}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL for the whole run, from initdb in a temporary directory, with the
    Databases page's schema; stopped and deleted at the end, whatever the tests did."""
    require(postgres.bin_dir() is not None, "PostgreSQL is missing: apt-get install postgresql")
    with postgres.running() as server:
        checked(postgres.SCHEMA)  # applied as the page shows it, or running() failed
        yield server


@pytest.fixture
def database(postgres_server, monkeypatch):
    """An empty users table (ids from 1 again), named by DATABASE_URL for what the test
    starts, as a reader's shell would after `./dev postgres`."""
    postgres_server.psql("TRUNCATE users RESTART IDENTITY")
    monkeypatch.setenv("DATABASE_URL", postgres_server.url)
    return postgres_server
