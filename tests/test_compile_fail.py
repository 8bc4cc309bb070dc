"""Every compile-fail sample (a folder with `rustc.txt`): Rust refuses it with the message
the page shows, and its Python twin, where the idea exists in Python, prints what the page
shows."""

import pytest

from harness import compile_fail
from harness.support import ROOT

SAMPLES = sorted(path.parent for path in (ROOT / "snippets").rglob("rustc.txt"))
TWINS = [sample for sample in SAMPLES if (sample / "output.python.txt").is_file()]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_rust_refuses_it(sample, rust_toolchain, outputs, tmp_path):
    compile_fail.check(outputs, sample, tmp_path)


@pytest.mark.parametrize("sample", TWINS, ids=lambda path: path.name)
def test_python_twin_output(sample, outputs):
    outputs.commands(sample / "output.python.txt")
