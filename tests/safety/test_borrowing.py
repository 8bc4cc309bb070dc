"""The borrowing sample of the Safety page, in Rust and in Python."""

from harness import transcripts
from harness.support import sample_of

SAMPLE = sample_of(__file__)


def test_python_starts_with_what_rust_prints(rust_binaries):
    """The page says the first three lines match; Python then shows what Rust would refuse."""
    rust = transcripts.run(transcripts.read(SAMPLE / "output.rust.txt")[0].command).stdout
    python = transcripts.run(transcripts.read(SAMPLE / "output.python.txt")[0].command).stdout
    assert rust.splitlines() == ["Hello", "Hello", "Hello, world"]
    assert python.splitlines()[:3] == rust.splitlines()
