"""Hooks that make pytest-markdown-docs run the code a reader sees (see tests/reader_view.py)."""

import pytest

from tests.reader_view import INCLUDED_FROM, ROOT, ReaderViewParser


@pytest.hookimpl(tryfirst=True)
def pytest_markdown_docs_markdown_it():
    return ReaderViewParser("commonmark")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    files = INCLUDED_FROM.get(getattr(item, "code", "").lstrip("\n"))
    if report.failed and files:
        where = f"{item.path.relative_to(ROOT)}, code block at line {item.start_line}"
        header = f"{where} shows {', '.join(files)}"
        if isinstance(report.longrepr, str):
            report.longrepr = f"{header}\n\n{report.longrepr}"
        else:
            report.sections.append(("sample file", header))
    return report
