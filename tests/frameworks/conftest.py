"""How the Frameworks page's tests start its services."""

import pytest

from harness.servers import sample_argv
from harness.support import ROOT

FRAMEWORKS = ROOT / "snippets/frameworks"
# The page's order: Rust frameworks, then Python ones.
IMPLEMENTATIONS = {
    "Axum": "users_axum",
    "Actix-web": "users_actix",
    "Rocket": "users_rocket",
    "Warp": "users_warp",
    "FastAPI": "users_fastapi",
    "Flask": "users_flask",
}


def is_rust(name: str) -> bool:
    return (FRAMEWORKS / IMPLEMENTATIONS[name] / "Cargo.toml").is_file()


@pytest.fixture
def users_argv(request):
    """implementation -> the command that serves it on a free port (Rust is built first)."""

    def argv(name: str) -> list[str]:
        return sample_argv(request, FRAMEWORKS / IMPLEMENTATIONS[name], "0")

    return argv


def implementations():
    """Each implementation as a test parameter; the Rust ones are slow (they build)."""
    return [
        pytest.param(name, marks=pytest.mark.slow) if is_rust(name) else name
        for name in IMPLEMENTATIONS
    ]
