"""How the Production page's tests start its two services: settings from the environment,
as a deployment gives them, and a free port."""

import contextlib
import sys

import pytest

from harness.servers import running
from harness.support import ROOT

PRODUCTION = ROOT / "snippets/production"
# The page's order: Rust, then Python.
SERVICES = {"Axum": "service_axum", "FastAPI": "service_fastapi"}
FREE_PORT = {"APP_PORT": "0"}


def is_rust(name: str) -> bool:
    return (PRODUCTION / SERVICES[name] / "Cargo.toml").is_file()


def services():
    """Each service as a test parameter; the Rust one is slow (it builds)."""
    return [pytest.param(n, marks=pytest.mark.slow) if is_rust(n) else n for n in SERVICES]


def command(request, name: str) -> list[str]:
    """The command that serves it (the Rust one is built first, by `rust_binaries`)."""
    sample = PRODUCTION / SERVICES[name]
    if is_rust(name):
        return [str(request.getfixturevalue("rust_binaries") / sample.name)]
    return [sys.executable, str(sample / "main.py")]


@pytest.fixture
def service_argv(request):
    return lambda name: command(request, name)


@pytest.fixture(scope="module")
def both(request):
    """Both services, started once for the cases that change nothing a later one reads."""
    with contextlib.ExitStack() as stack:
        yield {
            name: stack.enter_context(running(command(request, name), env=FREE_PORT))
            for name in SERVICES
        }
