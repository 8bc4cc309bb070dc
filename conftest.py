"""Hooks that make pytest-markdown-docs run the code a reader sees (see harness/reader_view.py),
and the fixtures that both the pages' code blocks and tests/ ask for."""

import contextlib
import pathlib
import sys
from unittest import mock

import pytest

from harness import toolchain
from harness.reader_view import INCLUDED_FROM, ReaderViewParser
from harness.support import IN_CI, ROOT, checked, require
from tools import pyo3_module

SLOW_FIXTURES = {"rust_toolchain", "rust_binaries", "fast_primes_build", "browser"}


def pytest_collection_modifyitems(items):
    """Building Rust and driving a browser are slow; `./dev test --quick` leaves them out."""
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


class AfterAll:
    """A test marked `after_all` checks what the others did, so it runs last: this plugin
    orders the run after every other (a shuffle included)."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        items.sort(key=lambda item: item.get_closest_marker("after_all") is not None)


def pytest_configure(config):
    config.pluginmanager.register(AfterAll(), "after_all")


@pytest.hookimpl(tryfirst=True)
def pytest_markdown_docs_markdown_it():
    return ReaderViewParser("commonmark")


def shown_files(item) -> list[str]:
    return INCLUDED_FROM.get(getattr(item, "code", "").lstrip("\n"), [])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """pytest-markdown-docs turns pytest's output capture off while a block runs, so what a
    block prints would land in the middle of the progress dots; keep capturing instead, and
    pytest shows it with a failure, as for any test."""
    if not hasattr(item, "code"):
        return (yield)
    capture = item.config.pluginmanager.getplugin("capturemanager")
    with mock.patch.object(capture, "global_and_fixture_disabled", contextlib.nullcontext):
        return (yield)


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
