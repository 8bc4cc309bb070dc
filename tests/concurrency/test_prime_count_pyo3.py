"""The prime counter as a Python module written in Rust (PyO3, built by maturin)."""

import threading
import time

from harness.support import checked, sample_of
from tests.concurrency.test_prime_count import primes_below

SAMPLE = sample_of(__file__)


def test_counts_right(fast_primes):
    from fast_primes import count

    for limit, workers in [(0, 1), (2, 3), (1000, 1), (2500, 2), (30_001, 3)]:
        shares = [count(k, workers, limit) for k in range(workers)]
        assert sum(shares) == primes_below(limit), (limit, workers)
    # The module's sources, shown on the page, are what this imported (built by the fixture).
    checked(SAMPLE / "Cargo.toml", SAMPLE / "pyproject.toml", SAMPLE / "src/lib.rs")


def test_count_lets_other_python_threads_run(fast_primes):
    """While count runs in one thread, the main thread wakes from a short sleep. Without
    `py.detach` count would keep the GIL to the end, and the main thread could only wake
    after it returned."""
    from fast_primes import count

    times = {}

    def work():
        times["started"] = time.monotonic()
        count(0, 1, 400_000)  # about a second in a debug build
        times["returned"] = time.monotonic()

    worker = threading.Thread(target=work)
    worker.start()
    time.sleep(0.02)
    woke = time.monotonic()
    worker.join()
    took = times["returned"] - times["started"]
    assert woke - times["started"] < took / 2, "count held the GIL while it computed"
