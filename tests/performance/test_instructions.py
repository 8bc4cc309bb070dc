"""./dev bench --only instructions counts what it says: more requests, more instructions,
and a count per request that start-up and shutdown do not enter; and the part, on a tiny
budget (the tests' debug builds of the Rust hello server and of one Frameworks service, a
few requests each), writes what its schema holds and its table renders. The published
figures are never pass/fail."""

import json
import shutil

import pytest

from harness.support import require
from tools.benchmark import frameworks, instructions, render


@pytest.fixture
def valgrind():
    require(shutil.which("valgrind"), "valgrind is missing (Debian: apt-get install valgrind)")


@pytest.mark.slow
def test_counts_grow_with_the_requests_and_leave_start_up_out(valgrind, rust_binaries, tmp_path):
    argv = [str(rust_binaries / "hello_server")]
    few = instructions.counted(argv, "hello", "/", 10, tmp_path)
    many = instructions.counted(argv, "hello", "/", 110, tmp_path)
    more = instructions.counted(argv, "hello", "/", 210, tmp_path)
    assert 0 < few < many < more
    # Each hundred requests costs about the same: the start-up is in every total once.
    first, second = many - few, more - many
    assert abs(first - second) < 0.2 * first, (first, second)


@pytest.mark.slow
def test_the_part_counts_a_hello_server_and_a_service_and_tabulates_them(valgrind, rust_binaries):
    servers = instructions.servers(rust_binaries)
    counted = {
        name: {"group": group, **instructions.per_request(argv, group, 1, few=5, many=25)}
        for name, (group, argv) in servers.items()
        if name in ("Rust: hyper 1.x (the sample)", "Axum")
    }
    data = {
        "machine": render.machine(),
        "settings": {"requests": [5, 25], "runs": 1, "rust_profile": "debug", "valgrind": "v"},
        "servers": counted,
    }
    instructions.Instructions.model_validate_json(json.dumps(data))
    for name, figures in counted.items():
        assert figures["median"] == figures["min"] == figures["max"] > 0, name
    table = instructions.table(data)
    assert "| Rust: hyper 1.x (the sample) |" in table and "| Axum |" in table
    assert servers["Axum"] == ("frameworks", frameworks.argv("users_axum", rust_binaries))
