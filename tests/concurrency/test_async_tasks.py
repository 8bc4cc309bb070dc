"""Ten waiting tasks at once: tokio's JoinSet and asyncio's TaskGroup print the same."""

from harness import transcripts
from harness.support import sample_of

SAMPLE = sample_of(__file__)


def test_rust_output_shown_on_the_page(rust_binaries, outputs):
    outputs.commands(SAMPLE / "output.rust.txt")


def test_python_output_shown_on_the_page(outputs):
    outputs.commands(SAMPLE / "output.python.txt")


def test_both_print_the_same(rust_binaries):
    (rust,) = transcripts.read(SAMPLE / "output.rust.txt")
    (python,) = transcripts.read(SAMPLE / "output.python.txt")
    assert rust.output == python.output
