"""Hooks that make pytest-markdown-docs run the code a reader sees (see tests/reader_view.py)."""

import contextlib
from unittest import mock

import pytest

from tests.reader_view import INCLUDED_FROM, ReaderViewParser
from tests.support import ROOT, checked


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
