"""The thread_borrows_local sample of the Concurrency page: Rust rejects it (E0373),
Python runs it."""

from tests import compile_fail, transcripts
from tests.transcripts import ROOT

SAMPLE = ROOT / "snippets/concurrency/thread_borrows_local"


def test_rust_refuses_it_with_E0373(rust_toolchain, update_outputs, tmp_path):
    compile_fail.check(SAMPLE, "E0373", update_outputs, tmp_path)


def test_python_output_shown_on_the_page(update_outputs):
    transcripts.check_commands(SAMPLE / "output.python.txt", update_outputs)
