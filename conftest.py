"""Hooks that make pytest-markdown-docs run the code a reader sees (see harness/reader_view.py),
and the fixtures that both the pages' code blocks and tests/ ask for."""

import contextlib
import os
import pathlib
import shutil
import sys
import tempfile
from unittest import mock

import material.templates  # noqa: F401  (sets NO_MKDOCS_2_WARNING once, here, not in a test)
import pytest

from harness import reader_view, support, toolchain
from harness.reader_view import INCLUDED_FROM, ReaderViewParser
from harness.support import IN_CI, ROOT, checked, require
from tools import pyo3_module

# What makes a test slow: a Rust build, the browser, a PostgreSQL server. (A page's block
# names only the fixture it asks for, not what that one needs.)
SLOW_FIXTURES = {
    "rust_toolchain",
    "rust_binaries",
    "fast_primes",
    "fast_primes_build",
    "browser",
    "postgres_server",
    "pdf_edition",
}


def pytest_collection_modifyitems(items):
    """Building Rust, driving a browser and serving from PostgreSQL are slow; `./dev test
    --quick` leaves them out."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


BEFORE = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item):
    """No test's outcome depends on which ran before it in the same process: none may leave
    the environment, the import path or the working directory changed, fixtures included
    (hooks, not a fixture: a page's code block sets its fixtures up as it runs)."""
    item.stash[BEFORE] = support.process_state()
    return (yield)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    result = yield
    support.unchanged_since(item.stash[BEFORE])
    return result


def pytest_configure(config):
    """The run's record of checked files (harness.support.checked), made by the process that
    starts the run; pytest-xdist's workers inherit it through the environment."""
    if not hasattr(config, "workerinput"):
        record = tempfile.mkdtemp(prefix="checked-files-")
        os.environ[support.RECORD] = record
        config.add_cleanup(lambda: shutil.rmtree(record, ignore_errors=True))


def pytest_deselected(items):
    """Every way of selecting tests (-k, -m and --quick, --deselect, --lf) reports here, in
    whichever process collected them."""
    if items and os.environ.get(support.RECORD):
        (pathlib.Path(os.environ[support.RECORD]) / "selected").touch()


def whole_suite(config) -> bool:
    """Whether this run is the README's test command as CI runs it: nothing deselected, no
    paths of its own."""
    record = pathlib.Path(os.environ[support.RECORD])
    return not (record / "selected").exists() and config.args == config.getini("testpaths")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """A whole run that passed must also have checked every block on every page: a shown
    file no test compared, built, ran or installed fails the run here."""
    config = session.config
    if hasattr(config, "workerinput") or config.option.collectonly or exitstatus != 0:
        return
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    if not whole_suite(config):
        if terminal:
            terminal.write("\n")
            terminal.write_line(
                "Not a whole run (tests selected): every-block-checked was not held to it."
            )
        return
    missing = reader_view.unchecked(pathlib.Path(os.environ[support.RECORD]))
    if missing:
        if terminal:
            terminal.write("\n")
            terminal.write_sep("=", "no test of this run checked", red=True)
            for line in missing:
                terminal.write_line(line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(tryfirst=True)
def pytest_markdown_docs_markdown_it():
    return ReaderViewParser("commonmark")


def shown_files(item) -> list[str]:
    return INCLUDED_FROM.get(getattr(item, "code", "").lstrip("\n"), [])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """pytest-markdown-docs turns pytest's output capture off while a block runs, so what a
    block prints would land in the middle of the progress dots; keep capturing instead, and
    pytest shows it with a failure, as for any test. A block runs as its file would, from
    its own folder: the modules beside it (the Production page's service imports its own)
    are importable while it runs, and forgotten after."""
    if not hasattr(item, "code"):
        return (yield)
    capture = item.config.pluginmanager.getplugin("capturemanager")
    folders = {str((ROOT / f).parent) for f in shown_files(item) if f.endswith(".py")}
    with (
        mock.patch.object(capture, "global_and_fixture_disabled", contextlib.nullcontext),
        mock.patch.object(sys, "path", [*folders, *sys.path]),
    ):
        try:
            return (yield)
        finally:
            forget_modules_from(folders)


def forget_modules_from(folders: set[str]) -> None:
    """Modules imported from these folders (`users`, `logs`, ...): names that another
    sample's folder may use for other modules."""
    for name, module in list(sys.modules.items()):
        where = getattr(module, "__file__", None)
        if where and str(pathlib.Path(where).parent) in folders:
            del sys.modules[name]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    files = shown_files(item)
    if files and call.when == "call" and report.passed:
        checked(*(ROOT / file for file in files))
    if report.failed and files:
        where = f"{item.path.relative_to(ROOT)}, code block at line {item.start_line}"
        header = f"{where} shows {', '.join(files)}"
        if isinstance(report.longrepr, str):
            report.longrepr = f"{header}\n\n{report.longrepr}"
        else:
            report.sections.append(("sample file", header))
    return report


@pytest.fixture(scope="session")
def rust_toolchain() -> None:
    """Skip the Rust tests where there is no Rust (fail in CI, and under another toolchain)."""
    reason = toolchain.problem()
    # Another rustc builds the samples too (a reader's); only CI insists on the pinned one.
    require(toolchain.rustc_version() is not None and not (reason and IN_CI), f"Rust: {reason}")


@pytest.fixture(scope="session")
def fast_primes_build(rust_toolchain, tmp_path_factory) -> pathlib.Path:
    """The PyO3 sample, built once (debug) into a directory of its own."""
    try:
        return pyo3_module.build(tmp_path_factory.mktemp("fast_primes"), release=False)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture
def fast_primes(fast_primes_build, monkeypatch):
    """The PyO3 sample importable (as after `maturin develop`), in this test and in the
    processes it starts, and in no other test: a test that forgets to ask fails whatever
    ran before it."""
    monkeypatch.syspath_prepend(str(fast_primes_build))
    monkeypatch.setenv("PYTHONPATH", str(fast_primes_build))
    yield fast_primes_build
    for name in [name for name in sys.modules if name.partition(".")[0] == "fast_primes"]:
        del sys.modules[name]
