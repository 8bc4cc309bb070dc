"""How the Performance page's tests start its servers."""

import sys

import pytest

from harness.support import ROOT

PERFORMANCE = ROOT / "snippets/performance"


@pytest.fixture
def hello_argv(request):
    """server -> the command that serves that sample on a free port (Rust is built first)."""

    def argv(server: str) -> list[str]:
        if server == "python":
            return [sys.executable, str(PERFORMANCE / "hello_server/hello_server.py"), "0"]
        if server == "stdlib":
            return [sys.executable, str(PERFORMANCE / "stdlib_server/stdlib_server.py"), "0"]
        binary = "hello_server" if server == "rust" else server
        return [str(request.getfixturevalue("rust_binaries") / binary), "0"]

    return argv
