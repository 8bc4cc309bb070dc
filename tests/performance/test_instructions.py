"""./dev bench --only instructions counts what it says: more requests, more instructions,
and a count per request that start-up and shutdown do not enter (tiny budget, the tests'
debug build of the Rust hello server; the published figures are never pass/fail)."""

import shutil

import pytest

from harness.support import require
from tools import benchmark_instructions


@pytest.mark.slow
def test_counts_grow_with_the_requests_and_leave_start_up_out(rust_binaries, tmp_path):
    require(shutil.which("valgrind"), "valgrind is missing (Debian: apt-get install valgrind)")
    argv = [str(rust_binaries / "hello_server")]
    few = benchmark_instructions.counted(argv, "hello", "/", 10, tmp_path)
    many = benchmark_instructions.counted(argv, "hello", "/", 110, tmp_path)
    more = benchmark_instructions.counted(argv, "hello", "/", 210, tmp_path)
    assert 0 < few < many < more
    # Each hundred requests costs about the same: the start-up is in every total once.
    first, second = many - few, more - many
    assert abs(first - second) < 0.2 * first, (first, second)
