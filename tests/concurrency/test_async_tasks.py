"""Ten waiting tasks at once: tokio's JoinSet and asyncio's TaskGroup print the same."""

from harness import transcripts
from harness.support import sample_of

SAMPLE = sample_of(__file__)


def test_both_print_the_same(rust_binaries):
    (rust,) = transcripts.read(SAMPLE / "output.rust.txt")
    (python,) = transcripts.read(SAMPLE / "output.python.txt")
    assert rust.output == python.output
