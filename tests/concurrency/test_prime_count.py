"""The CPU-bound sample of the Concurrency page: Rust threads, Python threads and processes."""

import pytest

from harness import transcripts
from harness.support import sample_of

SAMPLE = sample_of(__file__)


def primes_below(limit: int) -> int:
    """A sieve, to check both samples against something written differently."""
    sieve = bytearray([1]) * max(limit, 2)
    sieve[0:2] = b"\0\0"
    for n in range(2, int(limit**0.5) + 1):
        if sieve[n]:
            sieve[n * n :: n] = bytes(len(range(n * n, limit, n)))
    return sum(sieve[:limit])


@pytest.mark.parametrize(("limit", "workers"), [(0, 1), (2, 3), (1000, 1), (2500, 2), (30_001, 3)])
def test_every_version_counts_right(rust_binaries, limit, workers):
    expected = f"{primes_below(limit)} primes below {limit}\n"
    script = str(SAMPLE / "prime_count.py")
    commands = [
        [str(rust_binaries / "prime_count"), str(limit), str(workers)],
        ["python", script, str(limit), str(workers)],
        ["python", script, str(limit), str(workers), "processes"],
    ]
    for command in commands:
        assert transcripts.run(" ".join(command)).stdout == expected, command
