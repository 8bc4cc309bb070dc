"""The mutate_while_borrowed sample of the Safety page: Rust rejects it (E0502), Python runs it."""

from tests import compile_fail, transcripts
from tests.transcripts import ROOT

SAMPLE = ROOT / "snippets/safety/mutate_while_borrowed"


def test_rust_refuses_it_with_E0502(rust_toolchain, update_outputs, tmp_path):
    compile_fail.check(SAMPLE, "E0502", update_outputs, tmp_path)


def test_python_output_shown_on_the_page(update_outputs):
    transcripts.check_commands(SAMPLE / "output.python.txt", update_outputs)
