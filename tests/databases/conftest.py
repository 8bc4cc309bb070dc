"""How the Databases page's tests start its services: each against the run's PostgreSQL
(the `database` fixture of tests/conftest.py), with DATABASE_URL set as the page says."""

import pytest

from harness.servers import sample_argv
from harness.support import ROOT
from tools.benchmark import databases

DATABASES = ROOT / "snippets/databases"
# The page's order: Rust, then Python; the benchmark measures the same five.
IMPLEMENTATIONS = databases.SAMPLES
# What every sample sets in one visible place (test_more_clients_than_pool_connections
# checks that each still says so).
POOL_SIZE = 10
DB_TIMEOUT = 2.0


def is_rust(name: str) -> bool:
    return (DATABASES / IMPLEMENTATIONS[name] / "Cargo.toml").is_file()


def implementations():
    """Each implementation as a test parameter; the Rust ones are slow (they build)."""
    return [
        pytest.param(name, marks=pytest.mark.slow) if is_rust(name) else name
        for name in IMPLEMENTATIONS
    ]


@pytest.fixture
def users_argv(request):
    """implementation -> the command that serves it on a free port (Rust is built first)."""

    def argv(name: str) -> list[str]:
        return sample_argv(request, DATABASES / IMPLEMENTATIONS[name], "0")

    return argv
