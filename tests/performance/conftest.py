"""How the Performance page's tests start the two "Hello, world!" servers."""

import sys

import pytest

from tests.transcripts import ROOT

SAMPLE = ROOT / "snippets/performance/hello_server"


@pytest.fixture
def hello_argv(request):
    """language -> the command that serves the sample on a free port (Rust is built first)."""

    def argv(language: str) -> list[str]:
        if language == "python":
            return [sys.executable, str(SAMPLE / "hello_server.py"), "0"]
        return [str(request.getfixturevalue("rust_binaries") / "hello_server"), "0"]

    return argv
