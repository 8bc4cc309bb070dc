"""The borrowing sample of the Safety page, in Rust and in Python."""

from tests import transcripts
from tests.transcripts import ROOT

SAMPLE = ROOT / "snippets/safety/borrowing"


def test_rust_output_shown_on_the_page(rust_binaries, update_outputs):
    transcripts.check_commands(SAMPLE / "output.rust.txt", update_outputs)


def test_python_output_shown_on_the_page(update_outputs):
    transcripts.check_commands(SAMPLE / "output.python.txt", update_outputs)


def test_python_starts_with_what_rust_prints(rust_binaries):
    """The page says the first three lines match; Python then shows what Rust would refuse."""
    rust = transcripts.run(transcripts.read(SAMPLE / "output.rust.txt")[0].command).stdout
    python = transcripts.run(transcripts.read(SAMPLE / "output.python.txt")[0].command).stdout
    assert rust.splitlines() == ["Hello", "Hello", "Hello, world"]
    assert python.splitlines()[:3] == rust.splitlines()
