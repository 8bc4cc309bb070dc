"""The five-threads sample of the Concurrency page, in Rust and in Python."""

from harness import transcripts
from harness.support import sample_of

SAMPLE = sample_of(__file__)
EXPECTED = {f"Thread {i} is running!" for i in range(5)}


def test_both_print_the_same_five_lines_in_some_order(rust_binaries):
    for name in ("output.rust.txt", "output.python.txt"):
        (step,) = transcripts.read(SAMPLE / name)
        lines = transcripts.run(step.command).stdout.splitlines()
        assert len(lines) == 5 and set(lines) == EXPECTED, lines
